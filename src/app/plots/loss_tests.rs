//! The loss plot's frame when its curves change range: laid out for the new tick labels without
//! waiting for an event.

use egui::vec2;
use egui_kittest::Harness;
use egui_plot::PlotMemory;

use super::LossView;
use crate::methods::EpochLoss;

/// `n` epochs of a loss falling from `top` to `top / n`.
fn falling(n: usize, top: f32) -> Vec<EpochLoss> {
    (1..=n)
        .map(|epoch| EpochLoss {
            epoch,
            train: top / epoch as f32,
            val: None,
            parts: Vec::new(),
        })
        .collect()
}

/// The loss plot's frame (the area inside its axes) as last drawn.
fn frame(h: &Harness<'_, (LossView, Vec<EpochLoss>, Option<egui::Rect>)>) -> egui::Rect {
    h.state().2.expect("the plot was drawn")
}

#[test]
fn the_axes_fit_wider_tick_labels_without_waiting_for_an_event() {
    let mut h = Harness::builder()
        .with_size(vec2(600.0, 400.0))
        .build_ui_state(
            |ui, (view, curve, frame): &mut (LossView, Vec<EpochLoss>, Option<egui::Rect>)| {
                view.ui(ui, &[("B: AE".to_owned(), &curve[..])]);
                let id = super::loss::plot_id(ui);
                *frame = PlotMemory::load(ui.ctx(), id).map(|m| *m.transform().frame());
            },
            (LossView::default(), falling(10, 1.0), None),
        );
    h.run();
    let narrow = frame(&h);
    // losses in the hundreds of thousands: the y labels ("400000") are much wider than "0.5"
    // run() steps only while the view asks to be drawn again: no event comes after the change
    h.state_mut().1 = falling(10, 987_654.0);
    h.run();
    let unprompted = frame(&h);
    for _ in 0..5 {
        h.step();
    }
    let settled = frame(&h);
    assert!(
        settled.left() > narrow.left() + 10.0,
        "the labels did not widen the axis: {narrow:?} → {settled:?}"
    );
    assert_eq!(
        unprompted, settled,
        "the plot stopped before its axes fitted the new labels"
    );
}

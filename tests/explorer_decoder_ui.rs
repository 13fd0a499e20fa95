//! The explorer's decoder view driven headlessly on the real app: a click decodes a data point
//! or a plot point in original units, the grid is decoded off the UI thread, and odd clicks and
//! boxes do no harm.
#![cfg(feature = "gui")]

mod app_harness;
mod explorer_harness;

use app_harness::step_until;
use egui_kittest::kittest::Queryable;
use explorer_harness::*;
use latent_compare::app::plots::Side;

#[test]
fn clicking_a_latent_plot_decodes_the_point_in_original_units() {
    let mut h = trained_digits();
    h.get_by_label("Decoder").click();
    h.step();
    // on a data point of A (PCA): that row's own latent, decoded, beside the row
    let row = first_row_on_screen(h.state(), Side::A);
    let pos = h
        .state()
        .scatter_view()
        .point_screen_pos(Side::A, row)
        .unwrap();
    click_at(&mut h, pos);
    step_until(&mut h, "the decoded sample", |a| {
        a.explorer().decoded_sample().is_some()
    });
    let sample = h.state().explorer().decoded_sample().unwrap().clone();
    let clicked = h.state().explorer().picked.unwrap();
    assert!(
        sample.title.contains(&format!("row {clicked}'s latent")),
        "{}",
        sample.title
    );
    assert_eq!(sample.values.len(), 64);
    assert!(sample.original.is_some());
    // what the model decodes, mapped back to pixel units (0–16), not the scaled space
    let side = h.state().side(latent_compare::app::worker::Side::A);
    let outcome = side.outcome.as_ref().unwrap();
    let prepared = side.prepared.as_ref().unwrap();
    let z = outcome
        .fitted
        .latents
        .row(clicked)
        .insert_axis(ndarray::Axis(0));
    let decoded = outcome.fitted.model.as_ref().unwrap().decode(z);
    let expected = prepared.scaler.inverse_transform(decoded.view());
    for (a, b) in sample.values.iter().zip(expected.iter()) {
        assert!((a - b).abs() < 1e-4, "{a} vs {b}");
    }
    let mean = sample.values.iter().sum::<f32>() / 64.0;
    assert!((0.0..16.0).contains(&mean), "mean pixel {mean}");
    h.get_by_label("decoded");
    h.get_by_label("the row");
    // a data point is ringed as the picked row, not crossed
    h.step();
    assert!(!h.state().scatter_view().drawn_marks(Side::A).decoded);

    // an empty spot of B (3-D VAE): the clicked z0, z1 with z2 held at the mean
    let frame = h.state().scatter_view().plot_frame(Side::B).unwrap();
    let corner = frame.left_top() + egui::vec2(4.0, 4.0);
    click_at(&mut h, corner);
    step_until(&mut h, "the second decoded sample", |a| {
        a.explorer()
            .decoded_sample()
            .is_some_and(|s| s.title.contains("decoded by B"))
    });
    let sample = h.state().explorer().decoded_sample().unwrap();
    assert!(sample.original.is_none());
    assert!(sample.title.starts_with("z0 = "), "{}", sample.title);
    assert_eq!(sample.held, vec![2]);
    assert!(
        h.query_by_label_contains("z2 held at the data's mean latent")
            .is_some()
    );
    // the decoded plot point is crossed in B only
    h.step();
    let view = h.state().scatter_view();
    assert!(view.drawn_marks(Side::B).decoded);
    assert!(!view.drawn_marks(Side::A).decoded);
}

#[test]
fn the_decode_grid_is_computed_off_the_ui_thread() {
    let mut h = trained_digits();
    h.get_by_label("Decoder").click();
    h.step();
    assert!(!h.state().explorer().has_decoded_grid());
    h.get_by_label("Decode a 12 × 12 grid over B").click();
    h.step();
    // The frame that asked for the grid returned without it: a job is decoding.
    assert!(h.state().decoding());
    assert!(!h.state().explorer().has_decoded_grid());
    assert!(h.query_by_label("decoding…").is_some() || h.state().decoding());
    step_until(&mut h, "the decoded grid", |a| {
        a.explorer().has_decoded_grid()
    });
    assert!(!h.state().decoding());
    assert!(
        h.query_by_label_contains(
            "12 × 12 samples decoded by B over the central 90 % of the latents"
        )
        .is_some()
    );
    assert!(
        h.query_by_label_contains("z2 held at the data's mean latent")
            .is_some()
    );
    h.get_by_label("decoded grid");
}

#[test]
fn odd_clicks_and_boxes_do_not_panic() {
    // a box of zero size, a box outside the plots, clicks on the plots' edges
    let mut h = trained_digits_box_select();
    let frame = h.state().scatter_view().plot_frame(Side::B).unwrap();
    for pos in [frame.center(), frame.left_top(), frame.right_bottom()] {
        press(&h, pos, true);
        h.step();
        press(&h, pos, false);
        h.step();
    }
    h.step();
    h.get_by_label("Decoder").click();
    h.step();
    h.get_by_label("data range").click();
    h.step();
    h.get_by_label("Decode a 12 × 12 grid over B").click();
    step_until(&mut h, "the grid", |a| a.explorer().has_decoded_grid());
}

#[test]
fn a_double_click_that_resets_the_view_takes_back_its_decoded_point() {
    let mut h = trained_digits();
    h.get_by_label("Decoder").click();
    h.step();
    // a spot of the plane (not a row): its decoded point is crossed in the plot
    let frame = h.state().scatter_view().plot_frame(Side::A).unwrap();
    let pos = frame.left_top() + egui::vec2(6.0, 6.0);
    click_at(&mut h, pos);
    step_until(&mut h, "the decoded sample", |a| {
        a.explorer().decoded_sample().is_some()
    });
    assert!(h.state().scatter_view().drawn_marks(Side::A).decoded);
    // a double-click: two clicks one frame (0.25 s) apart, well after the first click
    h.run_steps(4);
    for _ in 0..2 {
        for pressed in [true, false] {
            h.input_mut().events.push(egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            });
        }
        h.step();
    }
    h.run_steps(4);
    std::thread::sleep(std::time::Duration::from_millis(200));
    h.run_steps(4);
    assert!(h.state().explorer().decoded_sample().is_none());
    assert!(!h.state().scatter_view().drawn_marks(Side::A).decoded);
}

//! What the explorer's UI tests share: the app at the size they use, digits trained with PCA
//! (A) and a small 3-D VAE (B), and real pointer input (presses, clicks, wheel, box drags).
// each test file uses some of these
#![allow(dead_code)]

use egui::{Event, Modifiers, PointerButton, Pos2, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use latent_compare::app::LatentApp;
use latent_compare::app::plots::Side;
use latent_compare::app::state::Settings;
use latent_compare::methods::MethodKind;

use super::app_harness::{self, step_until};

pub fn app(settings: Settings) -> Harness<'static, LatentApp> {
    app_harness::app_sized(settings, 1400.0, 1000.0)
}

/// Digits, PCA (A) against a small 3-D VAE (B), both trained and evaluated.
pub fn trained_digits() -> Harness<'static, LatentApp> {
    let mut s = Settings {
        data: "digits".into(),
        ..Settings::default()
    };
    s.a.kind = MethodKind::Pca;
    s.a.latent_dim = 2;
    s.b.kind = MethodKind::Vae;
    s.b.latent_dim = 3;
    s.b.epochs = 5;
    s.b.hidden = vec![16];
    trained(s)
}

/// The app on `settings`, both methods trained and evaluated, the explorer unfolded.
pub fn trained(settings: Settings) -> Harness<'static, LatentApp> {
    let mut h = app(settings);
    step_until(&mut h, "the data to load", |a| a.dataset.is_some());
    h.get_by_label("▶ Train both").click();
    step_until(&mut h, "training and evaluation", |a| a.shown.is_some());
    // the explorer starts folded, so the evaluation stays in view under the plots
    h.get_by_label("Explore: neighbours, morph, 3-D, decoder…")
        .click();
    h.step();
    h.step();
    h
}

/// Digits trained, with drags selecting boxes.
pub fn trained_digits_box_select() -> Harness<'static, LatentApp> {
    let mut h = trained_digits();
    h.get_by_label("box select").click();
    h.step();
    h
}

pub fn press(h: &Harness<'_, LatentApp>, pos: Pos2, pressed: bool) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    });
}

/// Mouse-wheel scroll at `pos` (content moves up by `dy` points).
pub fn wheel_at(h: &mut Harness<'_, LatentApp>, pos: Pos2, dy: f32) {
    h.hover_at(pos);
    h.step();
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    });
    h.step();
    h.step();
}

pub fn click_at(h: &mut Harness<'_, LatentApp>, pos: Pos2) {
    h.hover_at(pos);
    h.step();
    press(h, pos, true);
    h.step();
    press(h, pos, false);
    h.step();
    h.step();
}

/// The rows whose screen position in plot `side` lies inside `rect`.
pub fn rows_on_screen_in(app: &LatentApp, side: Side, rect: Rect) -> Vec<usize> {
    let n = app.dataset.as_ref().map_or(0, |d| d.n_samples());
    (0..n)
        .filter(|&r| {
            app.scatter_view()
                .point_screen_pos(side, r)
                .is_some_and(|p| rect.contains(p))
        })
        .collect()
}

/// Drags a box with "box select" on, from and to fractions of plot A's frame.
pub fn drag_box(h: &mut Harness<'_, LatentApp>, from: egui::Vec2, to: egui::Vec2) {
    let frame = h.state().scatter_view().plot_frame(Side::A).unwrap();
    let (start, end) = (frame.lerp_inside(from), frame.lerp_inside(to));
    h.hover_at(start);
    h.step();
    press(h, start, true);
    h.step();
    for t in [0.3, 0.7, 1.0] {
        h.hover_at(start + (end - start) * t);
        h.step();
    }
    press(h, end, false);
    h.step();
    h.step();
}

/// The first data row drawn inside the plot of `side`.
pub fn first_row_on_screen(app: &LatentApp, side: Side) -> usize {
    let n = app.dataset.as_ref().map_or(0, |d| d.n_samples());
    (0..n)
        .find(|&r| app.scatter_view().point_screen_pos(side, r).is_some())
        .expect("a row inside the plot")
}

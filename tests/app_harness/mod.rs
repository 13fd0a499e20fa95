//! The headless app the UI tests drive: a harness around [`LatentApp`] and a wait for its
//! background jobs.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use latent_compare::app::LatentApp;
use latent_compare::app::state::Settings;

/// The app in a `width × height` headless window.
pub fn app_sized(settings: Settings, width: f32, height: f32) -> Harness<'static, LatentApp> {
    Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_ui_state(
            |ui, app: &mut LatentApp| app.ui(ui),
            LatentApp::new(settings),
        )
}

/// `data` with the default PCA as A and a small, fast VAE as B (16 hidden units, 5 epochs).
#[allow(dead_code)] // not every test binary uses it
pub fn small_settings(data: &str) -> Settings {
    let mut s = Settings {
        data: data.into(),
        ..Settings::default()
    };
    s.b.kind = latent_compare::methods::MethodKind::Vae;
    s.b.epochs = 5;
    s.b.hidden = vec![16];
    s
}

/// The mouse wheel at `pos`: the content under it moves up by `dy` points (then a few frames).
#[allow(dead_code)] // not every test binary uses it
pub fn wheel(h: &mut Harness<'_, LatentApp>, pos: egui::Pos2, dy: f32) {
    h.hover_at(pos);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(4);
}

/// Steps frames until `done` holds (jobs run on real threads meanwhile), then two more so the
/// result is on screen.
pub fn step_until(h: &mut Harness<'_, LatentApp>, what: &str, done: impl Fn(&LatentApp) -> bool) {
    let started = Instant::now();
    while !done(h.state()) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "timed out waiting for {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    h.step();
    h.step();
}

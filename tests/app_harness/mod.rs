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

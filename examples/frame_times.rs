//! How long the app's UI thread takes per frame while it loads `mnist-like` (70 000 × 784),
//! trains PCA and an autoencoder on it, evaluates them and shows the two 56 000-point scatter
//! plots: the app is driven headlessly (egui_kittest, no GPU), as in `tests/ui.rs`, stepping a
//! frame every 5 ms, and each frame's UI pass is timed.
//!
//! `cargo run --release --example frame_times -- [DATA]` (default `mnist-like`; e.g. the 384 MB
//! `target/bench-data/mnist_like_float.csv`). The bar: no frame over 50 ms.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use latent_compare::app::LatentApp;
use latent_compare::app::state::Settings;
use latent_compare::app::worker::Side;
use latent_compare::methods::MethodKind;

/// Per phase: (name, frame times).
type Phases = Vec<(&'static str, Vec<Duration>)>;

fn main() {
    let mut settings = Settings {
        data: std::env::args()
            .nth(1)
            .unwrap_or_else(|| "mnist-like".into()),
        ..Settings::default()
    };
    settings.a.kind = MethodKind::Pca;
    settings.b.kind = MethodKind::Autoencoder;
    settings.b.epochs = 3;
    settings.b.hidden = vec![256, 128];
    settings.b.batch_size = 256;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut LatentApp| app.ui(ui),
            LatentApp::new(settings),
        );
    let mut phases: Phases = Vec::new();
    let mut run = |h: &mut Harness<'_, LatentApp>, name, done: &dyn Fn(&LatentApp) -> bool| {
        let mut times = Vec::new();
        let started = Instant::now();
        while !done(h.state()) && started.elapsed() < Duration::from_secs(600) {
            let t = Instant::now();
            h.step();
            times.push(t.elapsed());
            std::thread::sleep(Duration::from_millis(5));
        }
        phases.push((name, times));
    };
    run(&mut h, "load the data", &|a| a.dataset.is_some());
    h.state_mut().request_train(Side::A);
    h.state_mut().request_train(Side::B);
    run(&mut h, "train PCA and AE, evaluate", &|a| a.shown.is_some());
    let settle = std::cell::Cell::new(0);
    run(&mut h, "results shown (60 frames)", &|_| {
        settle.set(settle.get() + 1);
        settle.get() > 60
    });
    println!("| phase | frames | median | p99 | max |");
    println!("|---|---|---|---|---|");
    for (name, mut times) in phases {
        times.sort();
        let at = |q: f64| {
            times
                .get(((times.len() as f64 - 1.0) * q) as usize)
                .copied()
        };
        let ms = |d: Option<Duration>| {
            d.map_or("–".into(), |d| format!("{:.1} ms", d.as_secs_f64() * 1e3))
        };
        println!(
            "| {name} | {} | {} | {} | {} |",
            times.len(),
            ms(at(0.5)),
            ms(at(0.99)),
            ms(times.last().copied())
        );
    }
}

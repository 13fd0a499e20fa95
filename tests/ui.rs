//! The desktop app driven headlessly with egui_kittest: real clicks on real widgets, real
//! background jobs; no display needed.
#![cfg(feature = "gui")]

mod app_harness;

use std::time::{Duration, Instant};

use app_harness::{small_settings, step_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use latent_compare::app::LatentApp;
use latent_compare::app::state::Settings;
use latent_compare::app::worker::Side;
use latent_compare::config::EquivalenceSettings;
use latent_compare::methods::MethodKind;

fn app(settings: Settings) -> Harness<'static, LatentApp> {
    app_harness::app_sized(settings, 1400.0, 900.0)
}

#[test]
fn train_both_on_blobs_shows_the_evaluation_and_saves_the_report() {
    let out = tempfile::tempdir().unwrap();
    let mut settings = small_settings("blobs");
    settings.out_dir = out.path().join("report").display().to_string();
    let mut h = app(settings);
    step_until(&mut h, "blobs to load", |a| a.dataset.is_some());
    assert!(
        h.query_by_label_contains("blobs · 100 rows × 10 features")
            .is_some()
    );
    h.get_by_label("▶ Train both").click();
    step_until(&mut h, "training and evaluation", |a| a.shown.is_some());
    let shown = h.state().shown.as_ref().unwrap();
    let cka = shown.evaluation.comparison.linear_cka.unwrap();
    assert!(h.query_by_label("Linear CKA").is_some());
    assert!(
        h.query_by_label(&format!("{cka:.4}")).is_some(),
        "CKA {cka:.4} not on screen"
    );
    assert!(h.query_all_by_label_contains("Verdict: ").next().is_some());
    assert_eq!(
        h.state()
            .side(Side::B)
            .outcome
            .as_ref()
            .unwrap()
            .fitted
            .loss_history
            .len(),
        5
    );
    assert!(h.state().banner.is_none());

    h.get_by_label("Save report").click();
    let dir = out.path().join("report");
    step_until(&mut h, "the report to be written", |a| {
        a.status
            .as_deref()
            .is_some_and(|s| s.starts_with("saved the report"))
    });
    for name in [
        "report.json",
        "report.md",
        "scatter.png",
        "loss.png",
        "aligned.png",
        "latents_a.csv",
        "experiment.toml",
    ] {
        assert!(dir.join(name).exists(), "{name} not written");
    }
    // the saved experiment reruns headless with the same methods
    let cfg =
        latent_compare::config::ExperimentConfig::from_file(&dir.join("experiment.toml")).unwrap();
    assert_eq!(cfg.resolve().unwrap().b.kind(), MethodKind::Vae);
    h.get_by_label("Export PNG").click();
    for _ in 0..10 {
        h.step();
        if h.query_by_label("Scatter plot B").is_some() {
            break;
        }
    }
    h.get_by_label("Scatter plot B").click();
    step_until(&mut h, "the export", |a| {
        a.status
            .as_deref()
            .is_some_and(|s| s.contains("Scatter plot B"))
    });
    assert!(dir.join("scatter_b.png").exists());
}

#[test]
fn cancel_stops_a_running_fit_and_keeps_the_app_usable() {
    let mut settings = small_settings("digits");
    settings.b.epochs = 10_000;
    let mut h = app(settings);
    step_until(&mut h, "digits to load", |a| a.dataset.is_some());
    h.get_by_label("▶ Train B").click();
    step_until(&mut h, "a first epoch", |a| {
        !a.side(Side::B).live().is_empty()
    });
    assert!(
        h.query_by_label_contains("epoch ").is_some(),
        "no progress text"
    );
    h.get_by_label("■ Cancel B").click();
    step_until(&mut h, "the fit to stop", |a| !a.side(Side::B).is_busy());
    let b = h.state().side(Side::B);
    assert!(
        b.problem().unwrap_or("").contains("cancelled"),
        "{:?}",
        b.status
    );
    assert!(b.outcome.is_none());
}

#[test]
fn loading_other_data_stops_the_fits_running_on_the_old() {
    let mut settings = small_settings("digits");
    settings.b.epochs = 10_000;
    let mut h = app(settings);
    step_until(&mut h, "digits to load", |a| a.dataset.is_some());
    h.get_by_label("▶ Train both").click();
    step_until(&mut h, "A fitted and B training", |a| {
        a.side(Side::A).outcome.is_some() && !a.side(Side::B).live().is_empty()
    });
    h.state_mut().path_input = "iris".into();
    h.get_by_label("Load").click();
    step_until(&mut h, "iris to load", |a| {
        a.dataset.as_ref().is_some_and(|d| d.name == "iris")
    });
    let b = h.state().side(Side::B);
    assert!(!b.is_busy() && b.live().is_empty() && b.outcome.is_none());
    assert!(
        b.problem().unwrap_or("").contains("other data"),
        "{:?}",
        b.status
    );
    // the old fit's result, were it to arrive, is not shown against the new data
    for _ in 0..30 {
        h.step();
    }
    assert!(h.state().side(Side::A).outcome.is_none());
    assert!(h.state().side(Side::B).outcome.is_none());
    assert!(h.state().shown.is_none());
    // and the new data trains as usual
    h.get_by_label("▶ Train A").click();
    step_until(&mut h, "A on iris", |a| a.side(Side::A).outcome.is_some());
}

#[test]
fn reset_all_settings_resets_the_equivalence_settings_too() {
    let mut h = app(small_settings("iris"));
    step_until(&mut h, "iris to load", |a| a.dataset.is_some());
    h.state_mut().settings.equivalence.repeats = 30;
    h.state_mut().settings.equivalence.stability_floor = 0.5;
    h.state_mut().settings.seed = 7;
    // through the menu: the sub-menu asks before anything is reset
    h.get_by_label("Experiment").click();
    h.step();
    h.step();
    h.get_by_label("Reset all settings").click();
    h.step();
    h.step();
    assert_eq!(h.state().settings.seed, 7, "reset before the confirmation");
    h.get_by_label("Reset").click();
    step_until(&mut h, "the default data to load", |a| {
        a.loading().is_none() && a.dataset.as_ref().is_some_and(|d| d.name == "digits")
    });
    let protocol = &h.state().settings.equivalence;
    assert_eq!(*protocol, EquivalenceSettings::default());
    assert_eq!((protocol.repeats, protocol.stability_floor), (5, 0.8));
    assert_eq!(h.state().settings.seed, Settings::default().seed);
}

#[test]
fn other_data_starts_at_the_top_of_the_page() {
    let mut h = app(small_settings("iris"));
    step_until(&mut h, "iris to load", |a| a.dataset.is_some());
    let top = h.get_by_label("▶ Train A").rect().top();
    // the plot's heading (the side panel has a "Method A" heading too, at the left edge)
    let heading = |h: &Harness<'_, LatentApp>| {
        h.query_all_by_label("Method A")
            .map(|n| n.rect())
            .max_by(|a, b| a.left().total_cmp(&b.left()))
            .unwrap()
            .top()
    };
    let at_top = heading(&h);
    h.get_by_label("▶ Train both").click();
    step_until(&mut h, "iris trained", |a| a.shown.is_some());
    // scroll the results down
    let centre = egui::pos2(700.0, 600.0);
    for _ in 0..5 {
        app_harness::wheel(&mut h, centre, 300.0);
    }
    h.run_steps(10);
    assert!(
        h.query_by_label_contains("A: PCA")
            .is_none_or(|n| n.rect().top() < top),
        "the page did not scroll"
    );
    h.state_mut().path_input = "moons".into();
    h.get_by_label("Load").click();
    step_until(&mut h, "moons to load", |a| {
        a.dataset.as_ref().is_some_and(|d| d.name == "moons")
    });
    h.run_steps(3);
    assert_eq!(heading(&h), at_top);
}

#[test]
fn plot_b_stays_clear_of_the_page_scroll_bar() {
    let mut h = app(small_settings("iris"));
    step_until(&mut h, "iris to load", |a| a.dataset.is_some());
    h.get_by_label("▶ Train both").click();
    step_until(&mut h, "iris trained", |a| a.shown.is_some());
    let frame = h
        .state()
        .scatter_view()
        .plot_frame(latent_compare::app::plots::Side::B)
        .unwrap();
    // the right panel's heading marks where the centre ends
    let panel_left = h
        .query_all_by_label("Method B")
        .map(|n| n.rect().left())
        .fold(f32::NEG_INFINITY, f32::max);
    assert!(
        frame.right() + 20.0 < panel_left,
        "{frame:?} vs {panel_left}"
    );
}

#[test]
fn a_bad_file_shows_the_banner_and_keeps_the_loaded_data() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.csv");
    std::fs::write(&bad, "a,b\n1,2\n3\n").unwrap();
    let mut h = app(small_settings("iris"));
    step_until(&mut h, "iris to load", |a| a.dataset.is_some());
    h.state_mut().path_input = bad.display().to_string();
    h.get_by_label("Load").click();
    step_until(&mut h, "the load to fail", |a| {
        a.loading().is_none() && a.banner.is_some()
    });
    let banner = h.state().banner.clone().unwrap();
    assert!(
        banner.contains("broken.csv") && banner.contains("line 3"),
        "{banner}"
    );
    assert!(h.query_by_label_contains("broken.csv").is_some());
    assert_eq!(h.state().dataset.as_ref().unwrap().name, "iris");
    assert_eq!(h.state().settings.data, "iris");
    h.get_by_label("Dismiss").click();
    h.step();
    assert!(h.state().banner.is_none());
}

#[test]
fn experiment_save_and_open_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exp.toml");
    let mut settings = small_settings("moons");
    settings.a.kind = MethodKind::Autoencoder;
    settings.a.hidden = vec![8, 4];
    settings.b.beta = 0.5;
    let mut h = app(settings.clone());
    step_until(&mut h, "moons to load", |a| a.dataset.is_some());
    // the equivalence settings are part of the experiment: changed here, saved, read back
    let protocol = EquivalenceSettings {
        repeats: 3,
        resamples: 100,
        stability_floor: 0.6,
        ..EquivalenceSettings::default()
    };
    h.state_mut().settings.equivalence = protocol.clone();
    h.state_mut().save_experiment(path.clone());
    h.state_mut().settings = Settings::default();
    h.state_mut().open_experiment(path.clone());
    step_until(&mut h, "the experiment's data to load", |a| {
        a.loading().is_none()
    });
    let back = &h.state().settings;
    let saved = Settings {
        equivalence: protocol.clone(),
        ..settings
    };
    assert_eq!(back.experiment().unwrap(), saved.experiment().unwrap());
    assert_eq!(h.state().dataset.as_ref().unwrap().name, "moons");
    // and the file is the CLI's config format
    let cli = latent_compare::config::ExperimentConfig::from_file(&path)
        .unwrap()
        .resolve()
        .unwrap();
    assert_eq!(cli.a.kind(), MethodKind::Autoencoder);
    assert_eq!(cli.equivalence, Some(protocol.clone()));
    assert!(h.state().banner.is_none(), "{:?}", h.state().banner);
    assert_eq!(h.state().settings.equivalence, protocol);
}

#[test]
fn equivalence_runs_in_the_background_shows_progress_and_its_result() {
    let out = tempfile::tempdir().unwrap();
    let mut settings = small_settings("digits");
    settings.out_dir = out.path().join("report").display().to_string();
    let mut h = app(settings);
    step_until(&mut h, "digits to load", |a| a.dataset.is_some());
    h.get_by_label("▶ Train both").click();
    step_until(&mut h, "training and evaluation", |a| a.shown.is_some());
    // a long protocol, cancelled on the next frame: it stops and the app stays usable
    h.state_mut().settings.equivalence.repeats = 30;
    // the section is under the plots, below the fold: click through accesskit
    h.get_by_label("Run equivalence").click_accesskit();
    h.step();
    assert!(h.state().equivalence_running());
    {
        h.step();
        h.get_by_label("Cancel").click_accesskit();
        h.step();
        assert!(!h.state().equivalence_running());
        assert!(h.query_by_label("cancelled").is_some());
    }
    // a short one to the end: progress on the way, then the result on the evaluation
    h.state_mut().settings.equivalence.repeats = 3;
    h.step();
    h.get_by_label("Run equivalence").click_accesskit();
    h.step();
    assert!(h.state().equivalence_running());
    let started = Instant::now();
    let mut progress_frames = 0;
    while h.state().equivalence_running() {
        assert!(started.elapsed() < Duration::from_secs(120), "timed out");
        h.step();
        progress_frames += usize::from(h.state().equivalence.progress().is_some());
        std::thread::sleep(Duration::from_millis(5));
    }
    h.step();
    assert!(progress_frames > 0);
    let shown = h.state().shown.as_ref().unwrap();
    let e = shown.equivalence.clone().unwrap();
    assert_eq!((e.repeats, e.runs_a.count, e.runs_b.count), (3, 3, 3));
    assert!(
        h.query_by_label_contains(&format!("Equivalence: {}", e.decision))
            .is_some()
    );
    assert!(h.query_by_label("Between − min(within)").is_some());
    assert!(h.state().banner.is_none());
    // the saved report carries it: the key, the section and the figure
    h.get_by_label("Save report").click();
    step_until(&mut h, "the report to be written", |a| {
        a.status
            .as_deref()
            .is_some_and(|s| s.starts_with("saved the report"))
    });
    let dir = out.path().join("report");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(
        json["comparison"]["equivalence"]["decision"],
        e.decision.as_str()
    );
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("## Equivalence over repeated fits"));
    assert!(dir.join("equivalence.png").exists());
    // and the saved experiment asks for the same protocol when rerun headless
    let cfg =
        latent_compare::config::ExperimentConfig::from_file(&dir.join("experiment.toml")).unwrap();
    let rerun = cfg.resolve().unwrap().equivalence.unwrap();
    assert_eq!(rerun.repeats, 3);
}

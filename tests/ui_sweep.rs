//! The Sweep section driven headlessly with egui_kittest: a sweep of the latent size runs in the
//! background, its points arrive in the table and the curves, and **Show** puts a point's fits
//! in the plots above.
#![cfg(feature = "gui")]

mod app_harness;

use app_harness::{small_settings, step_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use latent_compare::app::LatentApp;

/// A press and release at `at`, each in its own frame.
fn click_at(h: &mut Harness<'_, LatentApp>, at: egui::Pos2) {
    h.hover_at(at);
    h.step();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        h.step();
    }
    h.run_steps(2);
}

/// Scrolls the page until the nodes labelled `label` are inside the window.
fn scroll_to(h: &mut Harness<'_, LatentApp>, label: &str) {
    for _ in 0..30 {
        // the lowest node of that name
        let bottom = h
            .query_all_by_label(label)
            .map(|n| n.rect().bottom())
            .fold(f32::NEG_INFINITY, f32::max);
        if bottom < 898.0 {
            return;
        }
        // the wheel over a heading of the page scrolls it (over a plot it would not)
        let headings = [
            "Explore: neighbours, morph, 3-D, decoder…",
            "Loss",
            "Evaluation",
            "Equivalence over repeated fits",
            "Sweep a setting",
        ];
        let over = headings
            .iter()
            .filter_map(|l| h.query_by_label(l).map(|n| n.rect().center()))
            .find(|c| (120.0..860.0).contains(&c.y))
            .expect("a heading in the window");
        h.hover_at(over);
        h.step();
        app_harness::wheel(h, over, 300.0);
    }
    panic!("{label} stayed below the window");
}

#[test]
fn a_sweep_runs_in_the_background_and_shows_a_point_in_the_plots_above() {
    let mut h = app_harness::app_sized(small_settings("iris"), 1400.0, 900.0);
    step_until(&mut h, "iris to load", |a| a.dataset.is_some());
    // latent_dim of both methods (the section's first setting) at 1 and 2
    h.state_mut().sweep.values = "1,2".into();
    h.run_steps(2);
    scroll_to(&mut h, "Run sweep");
    h.get_by_label("Run sweep").click();
    h.run_steps(2);
    assert!(h.state().sweep_running() || h.state().sweep.report().is_some());
    step_until(&mut h, "the sweep", |a| {
        !a.sweep_running() && a.sweep.report().is_some_and(|r| r.points.len() == 2)
    });
    let summary = h.state().sweep.report().unwrap().summary.clone();
    assert!(summary.contains("latent_dim"), "{summary}");
    assert!(
        h.query_by_label(&summary).is_some(),
        "the summary is not on screen"
    );
    // the curves are drawn (their panel titles) and each point has its row
    assert!(h.query_by_label("Test reconstruction MSE").is_some());
    assert!(h.query_by_label("Linear CKA between A and B").is_some());
    assert_eq!(h.query_all_by_label("Show").count(), 2);

    // Show the second point: its fits (2-D latents) are those of the plots and the evaluation
    scroll_to(&mut h, "Show");
    let at = h
        .query_all_by_label("Show")
        .map(|n| n.rect().center())
        .max_by(|p, q| p.y.total_cmp(&q.y))
        .unwrap();
    click_at(&mut h, at);
    assert_eq!(h.state().sweep.shown_point(), Some(1));
    let shown = h
        .state()
        .shown
        .as_ref()
        .expect("the point's evaluation is shown");
    assert_eq!(shown.run.a.fitted.latents.ncols(), 2);
    assert_eq!(shown.run.b.fitted.latents.ncols(), 2);
    let a = h.state().sides[0].outcome.as_ref().unwrap();
    assert!(std::sync::Arc::ptr_eq(a, &shown.run.a));
    assert!(h.query_by_label("shown above").is_some());
    assert_eq!(h.query_all_by_label("Show").count(), 1);
}

//! The window's layout, driven headlessly with egui_kittest: what fits at 1024 × 640, the method
//! panels that collapse to strips and open again.
#![cfg(feature = "gui")]

mod app_harness;

use app_harness::{small_settings, step_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use latent_compare::app::LatentApp;

#[test]
fn layout_at_1024x640_keeps_every_evaluation_cell_in_the_centre_and_nothing_moves_when_training_starts()
 {
    let mut settings = small_settings("digits");
    // enough epochs that the first frames after the click still see the fit running
    settings.b.epochs = 200;
    let mut h = app_harness::app_sized(settings, 1024.0, 640.0);
    step_until(&mut h, "digits to load", |a| a.dataset.is_some());
    let buttons = ["Save report", "Export PNG", "Experiment", "Choose…"];
    let places = |h: &Harness<'_, LatentApp>| -> Vec<egui::Rect> {
        let mut rects: Vec<egui::Rect> = buttons.iter().map(|b| h.get_by_label(b).rect()).collect();
        rects.push(h.get_by_label_contains("Explore:").rect());
        rects
    };
    let before = places(&h);
    h.get_by_label("▶ Train both").click();
    h.step();
    h.step();
    assert!(
        h.state().sides.iter().any(|s| s.is_busy()),
        "the fit ended too soon"
    );
    assert_eq!(places(&h), before, "a control moved when the jobs started");
    step_until(&mut h, "training and evaluation", |a| a.shown.is_some());

    // every cell of the evaluation lies between the two method panels
    let left = h.get_by_label("Method A").rect().right();
    let right = h.get_by_label("Method B").rect().left();
    let (cells, verdict_lines) = {
        let shown = h.state().shown.as_ref().unwrap();
        let (run, e) = (&shown.run, &shown.evaluation);
        let metric = latent_compare::plot::format::metric;
        let mut cells = vec![
            "Criterion".to_owned(),
            "Reconstruction MSE (test)".to_owned(),
            metric(run.a.reconstruction_mse_test),
            metric(run.b.reconstruction_mse_test),
            metric(e.b.trustworthiness),
            metric(e.b.knn_accuracy),
            "A vs B".to_owned(),
            "Distance Spearman".to_owned(),
            metric(e.comparison.distance_spearman),
        ];
        cells.push(metric(e.comparison.linear_cka));
        let lines: Vec<String> = e
            .comparison
            .verdict
            .criteria
            .iter()
            .map(|c| format!("{}:", c.criterion.label()))
            .collect();
        (cells, lines)
    };
    for cell in &cells {
        let node = h
            .query_all_by_label(cell)
            .find(|n| n.rect().left() > left)
            .unwrap_or_else(|| panic!("no evaluation cell {cell:?} in the centre"));
        let rect = node.rect();
        assert!(
            rect.right() <= right && rect.left() >= left,
            "{cell:?} at {rect:?} is not between the panels ({left}..{right})"
        );
    }
    // nothing else of the centre runs under panel B either
    for label in ["Explore: neighbours, morph, 3-D, decoder…", "Training loss"] {
        let rect = h.get_by_label(label).rect();
        assert!(
            rect.right() <= right,
            "{label} at {rect:?} runs under panel B"
        );
    }
    // the verdict: one line at the top, then a ✓/✗ line per criterion
    assert!(
        h.query_by_label_contains("criteria outside their margins")
            .is_some()
    );
    for line in &verdict_lines {
        let node = h.get_by_label_contains(line);
        assert!(node.rect().right() <= right, "{line} runs under panel B");
    }
}

/// The left edge of the verdict line: where the centre begins.
fn centre_left(h: &Harness<'_, LatentApp>) -> f32 {
    h.get_by_label("Verdict:").rect().left()
}

/// The left edge of B's "β (KL weight)" setting (its name and the box it names), if shown.
fn setting_left(h: &Harness<'_, LatentApp>) -> Option<f32> {
    h.query_all_by_label("β (KL weight)")
        .map(|n| n.rect().left())
        .min_by(f32::total_cmp)
}

#[test]
fn method_panels_collapse_to_strips_that_open_them_again() {
    let mut h = app_harness::app_sized(small_settings("digits"), 1024.0, 640.0);
    step_until(&mut h, "digits to load", |a| a.dataset.is_some());
    let open_left = centre_left(&h);
    // on a 1024-point window a panel first takes under a quarter of it
    assert!(
        (200.0..=260.0).contains(&open_left),
        "the centre starts at {open_left}"
    );
    let panel_b = setting_left(&h).expect("B's β setting");

    // A's heading button collapses it to a strip: the centre widens by A's width
    h.get_by_label("◀").click();
    h.run();
    assert_eq!(h.state().panels_open, [false, true]);
    let collapsed_left = centre_left(&h);
    assert!(
        collapsed_left < 60.0,
        "the centre starts at {collapsed_left}"
    );
    assert!(setting_left(&h).is_some(), "B's settings stay");

    // B too: its settings go, both strips show their letter
    // B's heading button is the right one of the two "▶" (A's strip has the other)
    let heading_b = h
        .query_all_by_label("▶")
        .max_by(|p, q| p.rect().left().total_cmp(&q.rect().left()))
        .expect("B's heading button");
    heading_b.click();
    h.run();
    assert_eq!(h.state().panels_open, [false, false]);
    assert!(setting_left(&h).is_none());
    assert!(h.query_by_label("A").is_some() && h.query_by_label("B").is_some());

    // the strips' buttons open both again, at their widths
    let strip_a = h
        .query_all_by_label("▶")
        .min_by(|p, q| p.rect().left().total_cmp(&q.rect().left()))
        .expect("A's strip button");
    strip_a.click();
    h.get_by_label("◀").click(); // B's strip
    h.run();
    assert_eq!(h.state().panels_open, [true, true]);
    assert_eq!(centre_left(&h), open_left);
    assert_eq!(setting_left(&h), Some(panel_b));
}

//! The explorer (colour by agreement, box selection, aligned view, decoder) driven headlessly
//! with egui_kittest on the real app: real clicks and drags, real training and decode jobs.
#![cfg(feature = "gui")]

mod app_harness;

use app_harness::step_until;
use egui::{Event, Modifiers, PointerButton, Pos2, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use latent_compare::app::LatentApp;
use latent_compare::app::plots::Side;
use latent_compare::app::state::{MethodKind, Settings};

fn app(settings: Settings) -> Harness<'static, LatentApp> {
    app_harness::app_sized(settings, 1400.0, 1000.0)
}

/// Digits, PCA (A) against a small 3-D VAE (B), both trained and evaluated.
fn trained_digits() -> Harness<'static, LatentApp> {
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
    let mut h = app(s);
    step_until(&mut h, "digits to load", |a| a.dataset.is_some());
    h.get_by_label("▶ Train both").click();
    step_until(&mut h, "training and evaluation", |a| a.shown.is_some());
    // the explorer starts folded, so the evaluation stays in view under the plots
    h.get_by_label("Explore: agreement · selection · aligned · decoder")
        .click();
    h.step();
    h.step();
    h
}

fn press(h: &Harness<'_, LatentApp>, pos: Pos2, pressed: bool) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    });
}

/// Mouse-wheel scroll at `pos` (content moves up by `dy` points).
fn wheel_at(h: &mut Harness<'_, LatentApp>, pos: Pos2, dy: f32) {
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

fn click_at(h: &mut Harness<'_, LatentApp>, pos: Pos2) {
    h.hover_at(pos);
    h.step();
    press(h, pos, true);
    h.step();
    press(h, pos, false);
    h.step();
    h.step();
}

/// The rows whose screen position in plot `side` lies inside `rect`.
fn rows_on_screen_in(app: &LatentApp, side: Side, rect: Rect) -> Vec<usize> {
    let n = app.dataset.as_ref().map_or(0, |d| d.n_samples());
    (0..n)
        .filter(|&r| {
            app.scatter_view()
                .point_screen_pos(side, r)
                .is_some_and(|p| rect.contains(p))
        })
        .collect()
}

#[test]
fn agreement_colouring_toggles_and_a_least_agreeing_row_is_picked_in_both_plots() {
    let mut h = trained_digits();
    let legend_note = "grey: not a metric row";
    assert!(h.query_by_label_contains(legend_note).is_none());
    // "9" is a class chip of the legend (and maybe elsewhere, e.g. a tick)
    let nines = |h: &Harness<'_, LatentApp>| h.query_all_by_label("9").count();
    let with_classes = nines(&h);
    h.get_by_label("k-NN agreement").click();
    h.step();
    h.step();
    assert!(h.state().explorer().colour_by_agreement);
    assert!(
        h.query_by_label_contains(legend_note).is_some(),
        "the legend does not show the agreement scale"
    );
    // class names are no longer the legend
    assert_eq!(nines(&h), with_classes - 1);
    h.get_by_label("class").click();
    h.step();
    h.step();
    assert!(h.query_by_label_contains(legend_note).is_none());
    assert_eq!(nines(&h), with_classes);

    // the least-agreeing list: its first entry is the evaluation's lowest agreement
    let (lowest, n_listed) = {
        let e = &h.state().shown.as_ref().unwrap().evaluation;
        let least =
            latent_compare::explore::least_agreeing(&e.rows.rows, &e.comparison.knn_jaccard, 20);
        (least[0], least.len())
    };
    assert_eq!(n_listed, 20);
    assert!(h.state().explorer().picked.is_none());
    let entry = format!("row {}", lowest.row);
    let before = h.get_by_label(&entry).rect();
    h.get_by_label(&entry).click();
    h.step();
    h.step();
    assert_eq!(h.state().explorer().picked, Some(lowest.row));
    // picking does not move the list under the pointer
    assert_eq!(h.get_by_label(&entry).rect(), before);
    for side in [Side::A, Side::B] {
        assert!(
            h.state().scatter_view().drawn_marks(side).picked,
            "row {} not ringed in plot {side:?}",
            lowest.row
        );
    }
    assert!(
        h.query_by_label_contains(&format!("picked row {}", lowest.row))
            .is_some()
    );
    // it stays picked across frames, and ✕ unpicks it
    h.run_steps(3);
    assert_eq!(h.state().explorer().picked, Some(lowest.row));
    h.get_by_label("✕ unpick").click();
    h.step();
    h.step();
    assert_eq!(h.state().explorer().picked, None);
    assert!(!h.state().scatter_view().drawn_marks(Side::B).picked);
    // other data: no agreement until both are trained on it, and the radios show the classes
    h.get_by_label("k-NN agreement").click();
    h.step();
    h.step();
    let toggled = |h: &Harness<'_, LatentApp>, label: &str| {
        use egui_kittest::kittest::NodeT as _;
        h.get_by_label(label).accesskit_node().toggled() == Some(egui::accesskit::Toggled::True)
    };
    assert!(toggled(&h, "k-NN agreement"));
    h.state_mut().path_input = "iris".into();
    h.get_by_label("Load").click();
    step_until(&mut h, "iris to load", |a| {
        a.dataset.as_ref().is_some_and(|d| d.name == "iris")
    });
    h.step();
    assert!(toggled(&h, "class") && !toggled(&h, "k-NN agreement"));
    h.get_by_label("▶ Train both").click();
    step_until(&mut h, "iris trained and evaluated", |a| a.shown.is_some());
    h.step();
    h.step();
    assert!(toggled(&h, "k-NN agreement"));
}

#[test]
fn a_box_in_plot_a_selects_the_same_rows_in_both_plots() {
    let mut h = trained_digits();
    h.get_by_label("box select").click();
    h.step();
    let frame = h.state().scatter_view().plot_frame(Side::A).unwrap();
    let start = frame.lerp_inside(egui::vec2(0.25, 0.25));
    let end = frame.lerp_inside(egui::vec2(0.6, 0.7));
    let probe = (0..1797)
        .find(|&r| {
            h.state()
                .scatter_view()
                .point_screen_pos(Side::A, r)
                .is_some()
        })
        .unwrap();
    let before = h.state().scatter_view().point_screen_pos(Side::A, probe);
    let expected = rows_on_screen_in(h.state(), Side::A, Rect::from_two_pos(start, end));
    assert!(expected.len() > 10, "box too empty: {}", expected.len());

    h.hover_at(start);
    h.step();
    press(&h, start, true);
    h.step();
    for t in [0.2, 0.5, 0.8, 1.0] {
        h.hover_at(start + (end - start) * t);
        h.step();
    }
    press(&h, end, false);
    h.step();
    h.step();

    let selected = h.state().explorer().selected().to_vec();
    // Points within a pixel of the box's edge may fall either way (screen → plot rounding).
    let inner = rows_on_screen_in(
        h.state(),
        Side::A,
        Rect::from_two_pos(start, end).shrink(1.0),
    );
    let outer = rows_on_screen_in(
        h.state(),
        Side::A,
        Rect::from_two_pos(start, end).expand(1.0),
    );
    assert!(inner.iter().all(|r| selected.contains(r)), "missed rows");
    assert!(selected.iter().all(|r| outer.contains(r)), "extra rows");
    assert!(selected.len().abs_diff(expected.len()) <= 2);
    // the drag selected instead of panning
    assert_eq!(
        h.state().scatter_view().point_screen_pos(Side::A, probe),
        before
    );
    // outlined in both plots (B shows every row: its view fits all points)
    let view = h.state().scatter_view();
    assert_eq!(view.drawn_marks(Side::A).outlined, selected.len());
    assert_eq!(view.drawn_marks(Side::B).outlined, selected.len());
    assert!(
        h.query_by_label(&format!("{} rows selected", selected.len()))
            .is_some()
    );
    // the aligned view draws the selected metric rows with their lines, the others faded
    let metric_rows = h
        .state()
        .shown
        .as_ref()
        .unwrap()
        .evaluation
        .rows
        .rows
        .clone();
    let chosen = selected.iter().filter(|r| metric_rows.contains(r)).count();
    assert!(chosen > 0 && chosen < selected.len());
    h.get_by_label("Aligned B → A").click();
    h.step();
    h.step();
    h.get_by_label(&format!("selected ({chosen})"));
    h.get_by_label(&format!(
        "{chosen} of the {} selected rows are drawn with their lines, the others fade; {} are not \
         metric rows and have no aligned point.",
        selected.len(),
        selected.len() - chosen
    ));
    h.get_by_label("Clear selection").click();
    h.step();
    h.step();
    assert!(h.state().explorer().selected().is_empty());
    assert!(h.query_by_label_contains("selected (").is_none());
    assert_eq!(h.state().scatter_view().drawn_marks(Side::B).outlined, 0);
    h.get_by_label("0 rows selected");
}

/// Drags a box with "box select" on, from and to fractions of plot A's frame.
fn drag_box(h: &mut Harness<'_, LatentApp>, from: egui::Vec2, to: egui::Vec2) {
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

#[test]
fn every_selected_row_can_be_reached_in_the_list() {
    let mut h = trained_digits();
    h.get_by_label("box select").click();
    h.step();
    drag_box(&mut h, egui::vec2(0.02, 0.02), egui::vec2(0.98, 0.98));
    let selected = h.state().explorer().selected().to_vec();
    assert!(selected.len() > 1000, "{} rows", selected.len());
    let label = |row: usize| {
        let d = h.state().dataset.as_ref().unwrap();
        format!("row {row} ({})", d.labels.as_ref().unwrap().display(row))
    };
    let (first, last) = (label(selected[0]), label(*selected.last().unwrap()));
    let first_pos = h.get_by_label(&first).rect().center();
    // only the lines in view are laid out
    assert!(h.query_by_label(&last).is_none());
    for _ in 0..60 {
        if h.query_by_label(&last).is_some() {
            break;
        }
        wheel_at(&mut h, first_pos, 400.0);
    }
    // let the scroll animation settle before clicking where the row is
    for _ in 0..10 {
        h.step();
    }
    h.get_by_label(&last).click();
    h.step();
    h.step();
    assert_eq!(h.state().explorer().picked, selected.last().copied());
}

#[test]
fn another_dataset_forgets_the_selection_and_the_picked_row() {
    let mut h = trained_digits();
    h.get_by_label("box select").click();
    h.step();
    drag_box(&mut h, egui::vec2(0.2, 0.2), egui::vec2(0.8, 0.8));
    assert!(!h.state().explorer().selected().is_empty());
    // pick a row as a click on the least-agreeing list would
    h.get_by_label("Least agreeing").click();
    h.step();
    let lowest = {
        let e = &h.state().shown.as_ref().unwrap().evaluation;
        latent_compare::explore::least_agreeing(&e.rows.rows, &e.comparison.knn_jaccard, 20)[0]
    };
    h.get_by_label(&format!("row {}", lowest.row)).click();
    h.step();
    h.step();
    assert_eq!(h.state().explorer().picked, Some(lowest.row));
    h.state_mut().path_input = "iris".into();
    h.get_by_label("Load").click();
    step_until(&mut h, "iris to load", |a| {
        a.dataset.as_ref().is_some_and(|d| d.name == "iris")
    });
    assert!(h.state().explorer().selected().is_empty());
    assert_eq!(h.state().explorer().picked, None);
}

#[test]
fn the_aligned_view_shows_b_rotated_onto_a() {
    let mut h = trained_digits();
    assert!(h.query_by_label_contains("onto A by Procrustes").is_none());
    h.get_by_label("Aligned B → A").click();
    h.step();
    h.step();
    assert!(h.query_by_label_contains("onto A by Procrustes").is_some());
    h.get_by_label("B aligned");
    h.get_by_label("line from A to aligned B per row").click();
    h.step();
    h.step();
    h.get_by_label("A → aligned B");
}

#[test]
fn clicking_a_latent_plot_decodes_the_point_in_original_units() {
    let mut h = trained_digits();
    h.get_by_label("Decoder").click();
    h.step();
    // on a data point of A (PCA): that row's own latent, decoded, beside the row
    let row = (0..1797)
        .find(|&r| {
            h.state()
                .scatter_view()
                .point_screen_pos(Side::A, r)
                .is_some()
        })
        .unwrap();
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
    assert!(h.state().explorer().decoding());
    assert!(!h.state().explorer().has_decoded_grid());
    assert!(h.query_by_label("decoding…").is_some() || h.state().explorer().decoding());
    step_until(&mut h, "the decoded grid", |a| {
        a.explorer().has_decoded_grid()
    });
    assert!(!h.state().explorer().decoding());
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
    let mut h = trained_digits();
    // a box of zero size, a box outside the plots, clicks on the plots' edges
    h.get_by_label("box select").click();
    h.step();
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
fn a_continuous_label_is_offered_as_label_not_class() {
    let mut s = Settings {
        data: "swiss-roll".into(),
        ..Settings::default()
    };
    s.b.kind = MethodKind::Pca;
    let mut h = app(s);
    step_until(&mut h, "swiss-roll to load", |a| a.dataset.is_some());
    h.get_by_label("▶ Train both").click();
    step_until(&mut h, "training and evaluation", |a| a.shown.is_some());
    h.get_by_label("Explore: agreement · selection · aligned · decoder")
        .click();
    h.step();
    h.step();
    assert!(h.query_by_label("class").is_none());
    h.get_by_role_and_label(egui::accesskit::Role::RadioButton, "label")
        .click();
    h.step();
    assert!(!h.state().explorer().colour_by_agreement);
}

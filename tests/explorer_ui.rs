//! The explorer (colour by agreement, box selection, the selection list, aligned view) driven
//! headlessly with egui_kittest on the real app: real clicks and drags, real training jobs.
#![cfg(feature = "gui")]

mod app_harness;
mod explorer_harness;

use app_harness::step_until;
use egui::Rect;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use explorer_harness::*;
use latent_compare::app::LatentApp;
use latent_compare::app::plots::Side;
use latent_compare::app::state::Settings;
use latent_compare::methods::MethodKind;

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
    let mut h = trained_digits_box_select();
    let frame = h.state().scatter_view().plot_frame(Side::A).unwrap();
    let start = frame.lerp_inside(egui::vec2(0.25, 0.25));
    let end = frame.lerp_inside(egui::vec2(0.6, 0.7));
    let probe = first_row_on_screen(h.state(), Side::A);
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

#[test]
fn every_selected_row_can_be_reached_in_the_list() {
    let mut h = trained_digits_box_select();
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
    let mut h = trained_digits_box_select();
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
fn a_continuous_label_is_offered_as_label_not_class() {
    let mut s = Settings {
        data: "swiss-roll".into(),
        ..Settings::default()
    };
    s.b.kind = MethodKind::Pca;
    let mut h = trained(s);
    assert!(h.query_by_label("class").is_none());
    h.get_by_role_and_label(egui::accesskit::Role::RadioButton, "label")
        .click();
    h.step();
    assert!(!h.state().explorer().colour_by_agreement);
}

/// Types `text` into the explorer's find box and presses Enter.
fn find(h: &mut Harness<'_, LatentApp>, text: &str) {
    h.get_by_label("Find:").click();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    h.get_by_label("Find:").type_text(text);
    h.step();
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
}

#[test]
fn filter_find_selects_a_class_by_name_and_picks_a_row_by_number() {
    let mut h = trained_digits();
    let threes: Vec<usize> = match h.state().dataset.as_ref().unwrap().labels.as_ref() {
        Some(latent_compare::data::Labels::Classes { ids, .. }) => {
            (0..ids.len()).filter(|&r| ids[r] == 3).collect()
        }
        _ => panic!("digits has classes"),
    };
    find(&mut h, "3");
    assert_eq!(h.state().explorer().selected(), threes.as_slice());
    assert_eq!(
        h.state().explorer().tab,
        latent_compare::app::explorer::Tab::Selection
    );
    assert!(
        h.query_by_label_contains(&format!("{} rows selected of class 3", threes.len()))
            .is_some()
    );
    for side in [Side::A, Side::B] {
        assert!(h.state().scatter_view().drawn_marks(side).outlined > 0);
    }
    find(&mut h, "#7");
    assert_eq!(h.state().explorer().picked, Some(7));
    find(&mut h, "zebra");
    assert!(
        h.query_by_label_contains("no class name contains")
            .is_some()
    );
    assert_eq!(h.state().explorer().picked, Some(7));
}

#[test]
fn neighbours_of_a_picked_row_are_listed_in_input_a_and_b_and_outlined_in_both_plots() {
    let mut h = trained_digits();
    find(&mut h, "#5");
    h.get_by_label("Neighbours").click();
    h.run_steps(3);
    let expected = {
        let app = h.state();
        let (a, b) = (app.side(Side::A), app.side(Side::B));
        let prepared = a.prepared.as_ref().unwrap();
        latent_compare::explore::point_neighbours(
            5,
            prepared.x.view(),
            (
                a.outcome.as_ref().unwrap().fitted.latents.view(),
                b.outcome.as_ref().unwrap().fitted.latents.view(),
            ),
            10,
        )
        .unwrap()
    };
    let labels = |rows: &[usize]| -> Vec<String> {
        let data = h.state().dataset.as_ref().unwrap();
        rows.iter()
            .map(|&r| {
                format!(
                    "row {r} ({})",
                    data.labels.as_ref().unwrap().display_short(r)
                )
            })
            .collect()
    };
    for list in [&expected.input, &expected.a, &expected.b] {
        assert_eq!(list.rows.len(), 10);
        for label in labels(&list.rows) {
            assert!(
                h.query_all_by_label(&label).count() >= 1,
                "{label} not listed"
            );
        }
    }
    assert!(h.query_by_label_contains("Row 5 (").is_some());
    // every listed row outlined in both plots
    for side in [Side::A, Side::B] {
        let marks = h.state().scatter_view().drawn_marks(side);
        assert_eq!(marks.outlined, expected.all_rows().len(), "plot {side:?}");
        assert!(marks.picked);
    }
    // a click on B's nearest row picks it, and the lists follow
    let nearest_b = expected.b.rows[0];
    let label = labels(&[nearest_b]).remove(0);
    h.query_all_by_label(&label).last().unwrap().click();
    h.run_steps(3);
    assert_eq!(h.state().explorer().picked, Some(nearest_b));
    assert!(
        h.query_by_label_contains(&format!("Row {nearest_b} ("))
            .is_some()
    );
}

#[test]
fn morph_plays_from_a_to_b_lists_the_rows_moving_most_and_exports_its_frames() {
    let out = tempfile::tempdir().unwrap();
    let mut s = Settings {
        data: "digits".into(),
        out_dir: out.path().display().to_string(),
        ..Settings::default()
    };
    s.a.kind = MethodKind::Pca;
    s.b.kind = MethodKind::Vae;
    s.b.epochs = 5;
    s.b.hidden = vec![16];
    let mut h = trained(s);
    h.get_by_label("Morph A → B").click();
    h.run_steps(2);
    assert_eq!(h.state().explorer().morph_t(), 0.0);
    // play: t runs from 0 to 1 (2.5 s; the harness steps 0.25 s a frame) and stops there
    h.get_by_label("▶ play").click();
    h.run_steps(4);
    let midway = h.state().explorer().morph_t();
    assert!(midway > 0.0 && midway < 1.0, "t = {midway}");
    h.run_steps(12);
    assert_eq!(h.state().explorer().morph_t(), 1.0);
    assert!(h.query_by_label("▶ play").is_some());
    // the list starts with the row that moves farthest (the core's ranking)
    let (row, distance) = {
        let shown = h.state().shown.as_ref().unwrap();
        let e = &shown.evaluation;
        let pairs = latent_compare::explore::aligned_pairs(
            shown.run.a.fitted.latents.view(),
            &e.rows.rows,
            e.comparison.b_aligned.as_ref().unwrap().view(),
            latent_compare::explore::PlotAxes { x: 0, y: Some(1) },
        );
        latent_compare::explore::most_moved(&pairs, 1)[0]
    };
    let label = format!(
        "row {row}: {}",
        latent_compare::plot::format::value(distance)
    );
    // (below the window's bottom at first: the page is scrolled, as a user would with the
    // wheel over a part of it that is not a plot)
    let below = h.get_by_label(&label).rect().bottom() - 900.0;
    let legend = h.get_by_label("Find:").rect().center();
    wheel_at(&mut h, legend, below.max(0.0));
    // (the scroll is animated: let it settle)
    h.run_steps(10);
    h.get_by_label(&label).click();
    h.run_steps(2);
    assert_eq!(h.state().explorer().picked, Some(row));
    // the frames, written whole into morph/
    h.get_by_label("Export 11 frames (PNG)").click();
    step_until(&mut h, "the frames", |a| {
        a.status
            .as_deref()
            .is_some_and(|s| s.contains("morph frames"))
    });
    let dir = out.path().join("morph");
    for k in 0..11 {
        let frame = dir.join(format!("morph_{k:02}.png"));
        let bytes = std::fs::read(&frame).unwrap_or_else(|e| panic!("{frame:?}: {e}"));
        assert!(bytes.starts_with(b"\x89PNG"), "{frame:?} is not a PNG");
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        11,
        "only the frames"
    );
}

#[test]
fn view_3d_rotates_on_drag_names_the_hovered_row_and_picks_it_on_click() {
    // A: PCA with 2 dimensions (no 3-D view), B: a 3-D VAE
    let mut h = trained_digits();
    h.get_by_label("3-D").click();
    h.run_steps(2);
    assert!(h.query_by_label_contains("no z2 to show").is_some());
    let (before, _) = h.state().explorer().view3d_state();
    // drag across B's 3-D plot: the camera turns
    // the 3-D plot of B is under its heading in the centre (the other "Method B" is the panel);
    // the page is scrolled until all of it is in the window
    let heading = |h: &Harness<'_, LatentApp>| {
        h.query_all_by_label("Method B")
            .map(|n| n.rect())
            .min_by(|p, q| p.left().total_cmp(&q.left()))
            .expect("a heading")
    };
    let below = heading(&h).bottom() + 360.0 - 980.0;
    if below > 0.0 {
        let find = h.get_by_label("Find:").rect().center();
        wheel_at(&mut h, find, below);
        h.run_steps(10);
    }
    let plot = heading(&h);
    let start = egui::pos2(plot.center().x, plot.bottom() + 120.0);
    press(&h, start, true);
    for k in 1..=5 {
        h.hover_at(start + egui::vec2(12.0 * k as f32, 4.0 * k as f32));
        h.step();
    }
    press(&h, start + egui::vec2(60.0, 20.0), false);
    h.run_steps(2);
    let (after, _) = h.state().explorer().view3d_state();
    assert!(
        after.yaw != before.yaw && after.pitch != before.pitch,
        "{before:?} → {after:?}"
    );
    // sweep the pointer over the plot until a row is hovered, then click it
    let mut found = None;
    'sweep: for dy in (20..320).step_by(6) {
        for dx in (-200..200).step_by(6) {
            let at = egui::pos2(plot.center().x + dx as f32, plot.bottom() + dy as f32);
            h.hover_at(at);
            h.step();
            if let (_, Some((side, row))) = h.state().explorer().view3d_state() {
                found = Some((side, row, at));
                break 'sweep;
            }
        }
    }
    let (side, row, at) = found.expect("no row under the pointer anywhere in the 3-D plot");
    assert_eq!(side, Side::B);
    click_at(&mut h, at);
    assert_eq!(h.state().explorer().picked, Some(row));

    // Shift + drag draws a box instead of turning: a small one around the picked point selects
    // it (and not the whole cloud), the camera stays, the view says how many are selected
    let (camera, _) = h.state().explorer().view3d_state();
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    let (from, to) = (at - egui::vec2(12.0, 12.0), at + egui::vec2(12.0, 12.0));
    press(&h, from, true);
    h.step();
    for k in 1..=4 {
        h.hover_at(from + (to - from) * (k as f32 / 4.0));
        h.step();
    }
    press(&h, to, false);
    h.run_steps(2);
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    h.run_steps(2);
    let (still, _) = h.state().explorer().view3d_state();
    assert_eq!((still.yaw, still.pitch), (camera.yaw, camera.pitch));
    let selected = h.state().explorer().selected().to_vec();
    assert!(selected.contains(&row), "{row} not in {selected:?}");
    assert!(
        selected.len() < 1797 / 2,
        "{} rows in a 24-point box",
        selected.len()
    );
    assert!(selected.windows(2).all(|w| w[0] < w[1]));
    let note = format!("{} rows selected (listed in Selection)", selected.len());
    assert!(h.query_by_label(&note).is_some(), "no '{note}'");
}

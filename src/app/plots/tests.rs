//! Tests of the plot widgets: rendered with egui_kittest, queried by label, hovered by pointer.

use std::sync::Arc;

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ndarray::{Array2, array};

use super::colours::{ColourTable, LegendSpec};
use super::*;
use crate::data::{Dataset, Labels};
use crate::methods::EpochLoss;

pub(super) struct PairState {
    pub(super) view: ScatterPairView,
    pub(super) a: Option<ScatterSource>,
    pub(super) b: Option<ScatterSource>,
    pub(super) colouring: Colouring,
    pub(super) dataset: Dataset,
}

pub(super) fn source(title: &str, latents: Array2<f32>) -> ScatterSource {
    ScatterSource {
        title: title.to_owned(),
        subtitle: "test latents".to_owned(),
        latents: Arc::new(latents),
    }
}

/// Six rows in three classes, 2×2 images.
pub(super) fn small_dataset() -> Dataset {
    let records = Array2::from_shape_fn((6, 4), |(i, j)| (i * 4 + j) as f32);
    let labels = Labels::Classes {
        ids: vec![0, 0, 1, 1, 2, 2],
        names: vec!["zero".into(), "one".into(), "two".into()],
    };
    let mut dataset = Dataset::new("small", records, Some(labels), vec![]);
    dataset.image_shape = Some((2, 2));
    dataset
}

pub(super) fn pair_harness(state: PairState) -> Harness<'static, PairState> {
    pair_harness_stepping(state, 0.25)
}

/// The pair at 1000 × 700 with `step_dt` seconds between frames (each event is a frame).
pub(super) fn pair_harness_stepping(state: PairState, step_dt: f32) -> Harness<'static, PairState> {
    Harness::builder()
        .with_size(vec2(1000.0, 700.0))
        .with_step_dt(step_dt)
        .build_ui_state(
            |ui, s: &mut PairState| {
                s.view
                    .ui(ui, s.a.as_ref(), s.b.as_ref(), &s.colouring, &s.dataset)
            },
            state,
        )
}

pub(super) fn small_pair() -> PairState {
    let dataset = small_dataset();
    let colouring = Colouring::from_labels(dataset.labels.as_ref());
    let a = array![
        [0.0, 0.0],
        [1.0, 0.2],
        [2.0, 1.0],
        [3.0, 1.5],
        [4.0, 3.0],
        [5.0, 2.0]
    ];
    let b = Array2::from_shape_fn((6, 3), |(i, j)| {
        ((i * 7 + j * 3) % 5) as f32 + i as f32 * 0.1
    });
    PairState {
        view: ScatterPairView::default(),
        a: Some(source("A: PCA", a)),
        b: Some(source("B: VAE", b)),
        colouring,
        dataset,
    }
}

#[test]
fn pair_shows_titles_and_shared_legend() {
    let mut harness = pair_harness(small_pair());
    harness.run();
    harness.get_by_label("A: PCA");
    harness.get_by_label("B: VAE");
    for name in ["zero", "one", "two"] {
        harness.get_by_label(name);
    }
    // B is 3-D: it gets axis pickers, A does not.
    harness.get_by_value("x: z0");
    harness.get_by_value("y: z1");
    harness.get_by_label("latent column on the x axis of B");
    assert!(
        harness
            .query_by_label("latent column on the x axis of A")
            .is_none()
    );
    assert_eq!(harness.state().view.hovered(), None);
}

#[test]
fn axis_picker_changes_the_plotted_column() {
    let mut harness = pair_harness(small_pair());
    harness.run();
    let before = harness.state().view.point_screen_pos(Side::B, 2);
    harness.get_by_value("x: z0").click();
    harness.run();
    harness.get_by_label("z2").click();
    harness.run();
    assert_eq!(harness.state().view.axes(Side::B), (2, 1));
    harness.get_by_value("x: z2");
    assert_ne!(harness.state().view.point_screen_pos(Side::B, 2), before);
}

#[test]
fn missing_method_shows_placeholder() {
    let mut state = small_pair();
    state.b = None;
    let mut harness = pair_harness(state);
    harness.run();
    harness.get_by_label("A: PCA");
    harness.get_by_label("not trained yet");
}

#[test]
fn hovering_a_point_reports_its_row_and_shows_the_tooltip() {
    for (side, row) in [(Side::A, 3), (Side::B, 4)] {
        let mut harness = pair_harness(small_pair());
        harness.run();
        let pos = harness
            .state()
            .view
            .point_screen_pos(side, row)
            .expect("the point is inside the plot");
        harness.hover_at(pos);
        harness.run();
        assert_eq!(harness.state().view.hovered(), Some(row), "{side:?}");
        harness.get_by_label(&format!("row {row}"));
        harness.get_by_label(if row == 3 { "class: one" } else { "class: two" });
        // A spot inside the plot but away from every point hovers nothing.
        let view = &harness.state().view;
        let points: Vec<_> = (0..6)
            .filter_map(|r| view.point_screen_pos(side, r))
            .collect();
        let away = points
            .iter()
            .flat_map(|p| [vec2(25.0, 25.0), vec2(-25.0, -25.0), vec2(25.0, -25.0)].map(|d| *p + d))
            .find(|c| points.iter().all(|p| p.distance(*c) > 20.0))
            .expect("some spot away from the points");
        harness.hover_at(away);
        harness.run();
        assert_eq!(harness.state().view.hovered(), None);
        // Leaving the plots clears the hover too.
        harness.hover_at(pos);
        harness.run();
        assert_eq!(harness.state().view.hovered(), Some(row));
        harness.hover_at(egui::pos2(2.0, 698.0));
        harness.run();
        assert_eq!(harness.state().view.hovered(), None);
    }
}

#[test]
fn continuous_colouring_shows_a_colour_bar_with_its_range() {
    let mut state = small_pair();
    state.colouring = Colouring::Continuous {
        values: Arc::new(vec![0.5, 1.0, 1.5, f32::NAN, 2.0, 2.5]),
        label: "roll position".into(),
        reversed: false,
    };
    let mut harness = pair_harness(state);
    harness.run();
    harness.get_by_label("roll position");
    harness.get_by_label("0.5");
    harness.get_by_label("2.5");
}

#[test]
fn degenerate_latents_do_not_panic() {
    let cases: Vec<Array2<f32>> = vec![
        Array2::zeros((0, 2)),
        Array2::zeros((6, 0)),
        array![[1.0, 2.0]],
        Array2::from_elem((6, 2), 3.0),
        Array2::from_elem((6, 2), f32::NAN),
        array![[0.0], [1.0], [2.0], [f32::INFINITY], [4.0], [5.0]],
        array![
            [0.0, 1.0],
            [f32::NAN, 2.0],
            [2.0, 2.0],
            [3.0, 1.0],
            [4.0, 0.0],
            [5.0, 9.0]
        ],
    ];
    for latents in cases {
        let mut state = small_pair();
        state.a = Some(source("A: odd", latents.clone()));
        state.b = Some(source("B: odd", latents));
        let mut harness = pair_harness(state);
        harness.run();
        let centre = egui::pos2(250.0, 300.0);
        harness.hover_at(centre);
        harness.run();
        harness.get_by_label("A: odd");
    }
}

#[test]
fn colour_table_uses_the_figure_palette() {
    let mut table = ColourTable::default();
    let ids = Arc::new(vec![0, 1, 2, 1]);
    let names = Arc::new(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]);
    let colouring = Colouring::Classes {
        ids: ids.clone(),
        names,
    };
    table.update(&colouring, &[]);
    let generation = table.generation;
    for (i, &id) in ids.iter().enumerate() {
        let expected = crate::plot::palette::class_colour(id as usize, 3);
        assert_eq!(
            table.colour(i),
            egui::Color32::from_rgb(expected.0, expected.1, expected.2)
        );
    }
    assert!(matches!(&table.legend, LegendSpec::Classes(e) if e.len() == 3));
    // Same Arcs: no rebuild.
    table.update(&colouring.clone(), &[]);
    assert_eq!(table.generation, generation);
    // Out-of-range class ids are reported, not a panic.
    table.update(
        &Colouring::Classes {
            ids: Arc::new(vec![u32::MAX]),
            names: Arc::new(vec![]),
        },
        &[],
    );
    assert!(table.problem.is_some());
}

#[test]
fn sample_image_is_dark_ink_on_white() {
    let row = ndarray::arr1(&[0.0, 16.0, 8.0, f32::NAN]);
    assert_eq!(sample::ink_levels(row.view()), vec![255, 0, 128, 255]);
    let flat = ndarray::arr1(&[3.0, 3.0]);
    assert_eq!(sample::ink_levels(flat.view()), vec![255, 255]);
}

#[test]
fn values_are_formatted_compactly() {
    assert_eq!(format_value(0.5), "0.5");
    assert_eq!(format_value(12.3456), "12.35");
    assert_eq!(format_value(0.0), "0");
    assert_eq!(format_value(2.5e-7), "2.500e-7");
}

fn history(n: usize, with_parts: bool) -> Vec<EpochLoss> {
    (1..=n)
        .map(|epoch| {
            let train = 1.0 / epoch as f32;
            EpochLoss {
                epoch,
                train,
                val: Some(train * 1.1),
                parts: if with_parts {
                    vec![
                        ("recon".into(), train * 0.8),
                        ("kl".into(), if epoch == 1 { 0.0 } else { train * 0.2 }),
                    ]
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

#[test]
fn loss_view_renders_linear_and_log() {
    let vae = history(20, true);
    let ae = history(20, false);
    for log_scale in [false, true] {
        let mut harness = Harness::builder()
            .with_size(vec2(800.0, 500.0))
            .build_ui_state(
                |ui, view: &mut LossView| {
                    view.ui(
                        ui,
                        &[
                            ("A: VAE".to_owned(), &vae[..]),
                            ("B: AE".to_owned(), &ae[..]),
                        ],
                    );
                },
                LossView { log_scale },
            );
        harness.run();
        harness.get_by_label("log scale");
        assert!(harness.query_by_label_contains("A: VAE train").is_some());
        assert!(harness.query_by_label_contains("A: VAE kl").is_some());
        assert!(harness.query_by_label_contains("B: AE val").is_some());
        // The epoch-1 KL of 0 cannot be drawn on the log scale.
        let note = harness.query_by_label_contains("not shown").is_some();
        assert_eq!(note, log_scale);
        // an AE and a VAE: the units differ and the plot says so
        assert!(harness.query_by_label_contains("Units differ").is_some());
    }
    // validation has its own (lighter) colour, so the legend tells it from training
    let (lines, _) = loss::build_curves(&[("B: AE".to_owned(), &ae[..])], false);
    assert_eq!(lines.len(), 2);
    assert_ne!(lines[0].colour, lines[1].colour);
}

#[test]
fn loss_view_checkbox_toggles_log_scale_and_handles_no_curves() {
    let one = history(1, false);
    let mut harness = Harness::new_ui_state(
        |ui, view: &mut LossView| {
            view.ui(
                ui,
                &[("A: AE".to_owned(), &one[..]), ("B: PCA".to_owned(), &[])],
            )
        },
        LossView::default(),
    );
    harness.run();
    harness.get_by_label("log scale").click();
    harness.run();
    assert!(harness.state().log_scale);
    // one kind of loss: no note on units
    assert!(harness.query_by_label_contains("Units differ").is_none());

    let mut empty = Harness::new_ui_state(
        |ui, view: &mut LossView| view.ui(ui, &[]),
        LossView::default(),
    );
    empty.run();
    assert!(empty.query_by_label_contains("No loss curves").is_some());
}

#[test]
fn a_reversed_scale_makes_low_values_bright_and_keeps_the_legend_range() {
    use crate::plot::palette::viridis;
    let mut table = ColourTable::default();
    let colouring = Colouring::Continuous {
        values: Arc::new(vec![0.0, 0.25, 1.0, f32::NAN]),
        label: "k-NN agreement".into(),
        reversed: true,
    };
    table.update(&colouring, &[]);
    assert_eq!(table.colour(0), to_color32(viridis(1.0)));
    assert_eq!(table.colour(2), to_color32(viridis(0.0)));
    assert!(table.rows().is_missing(3) && !table.rows().is_missing(0));
    assert_eq!(
        table.legend,
        LegendSpec::Continuous {
            lo: 0.0,
            hi: 1.0,
            label: "k-NN agreement".into(),
            reversed: true,
        }
    );
    // the tooltip reads the value itself, not the negated one
    assert_eq!(
        table.describe(&colouring, 1).as_deref(),
        Some("k-NN agreement: 0.25")
    );
}

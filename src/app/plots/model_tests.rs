//! The screen and the PNG draw one plot model: for the built-in digits (PCA latents from the
//! core pipeline) and for a small set with missing colour values, the app's scatter plot and
//! the PNG figure draw the same points in the same order with the same colours.

use std::sync::Arc;

use egui::Color32;
use ndarray::{Array2, array, s};

use super::colours::ColourTable;
use super::points::PlotData;
use super::{Colouring, to_color32};
use crate::config::ExperimentConfig;
use crate::data::Labels;
use crate::figures::{PointColours, ScatterPanel, drawn_points};
use crate::methods::{MethodSpec, PcaParams, TrainControl};
use crate::pipeline;
use crate::plot::scatter::{RowColours, ScatterLayout};

/// One drawn point: plot coordinates and colour.
type Drawn = (f32, f32, Color32);

/// What the app's scatter plot draws, bottom first.
fn screen(
    latents: &Arc<Array2<f32>>,
    axes: (usize, usize),
    (colouring, hidden): (&Colouring, &[u32]),
) -> Vec<Drawn> {
    let mut table = ColourTable::default();
    table.update(colouring, hidden);
    let mut data = PlotData::default();
    data.update(latents, axes, &table);
    let mut draw = data.draw.clone();
    draw.sort_by_key(|p| p.rank);
    draw.iter().map(|p| (p.x, p.y, p.colour)).collect()
}

/// What the PNG's scatter panel draws, bottom first.
fn png(latents: &Array2<f32>, axes: (usize, usize), colours: &PointColours<'_>) -> Vec<Drawn> {
    let mut panel = ScatterPanel::new("A", "", latents.view());
    (panel.x_axis, panel.y_axis) = axes;
    drawn_points(&panel, colours)
        .expect("a valid panel")
        .into_iter()
        .map(|(x, y, c)| (x as f32, y as f32, to_color32(c)))
        .collect()
}

#[test]
fn the_png_and_the_screen_draw_digits_in_the_same_order_and_colours() {
    let experiment = ExperimentConfig::default()
        .resolve()
        .expect("the default experiment");
    assert_eq!(experiment.data, "digits");
    let dataset = Arc::new(pipeline::load_dataset(&experiment).expect("digits load"));
    let prepared = pipeline::prepare(&experiment, dataset.clone()).expect("digits prepare");
    let pca = MethodSpec::Pca(PcaParams { latent_dim: 3 });
    let fitted = pipeline::fit_method(&pca, &prepared, &TrainControl::silent()).expect("PCA fits");
    let Some(Labels::Classes { ids, names }) = &dataset.labels else {
        panic!("digits has classes");
    };
    let colouring = Colouring::from_labels(dataset.labels.as_ref());
    let colours = PointColours::Classes {
        ids,
        names,
        hidden: &[],
    };
    let wide = fitted.latents;
    let strip = wide.slice(s![.., 0..1]).to_owned();
    for (latents, axes) in [(wide.clone(), (0, 1)), (wide, (2, 0)), (strip, (0, 0))] {
        let n = latents.nrows();
        let latents = Arc::new(latents);
        let on_screen = screen(&latents, axes, (&colouring, &[]));
        let in_png = png(&latents, axes, &colours);
        assert_eq!(on_screen.len(), n);
        assert_eq!(on_screen, in_png, "axes {axes:?}");
        // the order is the model's shuffle, not the rows' order
        let rows = RowColours::new(&colours).expect("digits colours");
        let layout = ScatterLayout::new(latents.view(), axes, &rows);
        assert_ne!(layout.order, (0..n as u32).collect::<Vec<_>>());
        let first = layout.order[0] as usize;
        assert_eq!(in_png[0].0, latents[[first, axes.0]]);
        assert_eq!(in_png[0].2, to_color32(rows.colour(first)));
    }
}

#[test]
fn missing_values_lie_beneath_in_both_and_only_their_grey_differs() {
    let values = vec![0.0, f32::NAN, 0.5, 1.0, f32::NAN, 0.25, 0.75, f32::NAN];
    let latents = Arc::new(array![
        [0.0, 0.0],
        [1.0, 0.5],
        [2.0, 1.0],
        [3.0, f32::NAN],
        [4.0, 2.0],
        [5.0, 2.5],
        [6.0, 3.0],
        [7.0, 3.5]
    ]);
    let colouring = Colouring::Continuous {
        values: Arc::new(values.clone()),
        label: "value".into(),
        reversed: false,
    };
    let colours = PointColours::Continuous {
        values: &values,
        label: "value",
    };
    let on_screen = screen(&latents, (0, 1), (&colouring, &[]));
    let in_png = png(&latents, (0, 1), &colours);
    assert_eq!(on_screen.len(), 7);
    let place = |d: &[Drawn]| -> Vec<(f32, f32)> { d.iter().map(|p| (p.0, p.1)).collect() };
    assert_eq!(place(&on_screen), place(&in_png));
    // the three missing values first, in the PNG's light grey and the screen's dim grey
    let missing_png = to_color32(crate::plot::palette::MISSING);
    for (k, (s, p)) in on_screen.iter().zip(&in_png).enumerate() {
        if k < 3 {
            assert_eq!(p.2, missing_png);
            assert_ne!(s.2, p.2);
        } else {
            assert_eq!(s.2, p.2);
        }
    }
}

#[test]
fn filter_hidden_classes_are_left_out_of_the_screen_and_the_png_alike() {
    let ids: Vec<u32> = (0..40).map(|i| (i * 7 % 4) as u32).collect();
    let names: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    let latents = Arc::new(Array2::from_shape_fn((40, 2), |(i, j)| {
        ((i * 13 + j * 29) % 17) as f32
    }));
    let colouring = Colouring::Classes {
        ids: Arc::new(ids.clone()),
        names: Arc::new(names.clone()),
    };
    let hidden = [1u32, 3];
    let colours = PointColours::Classes {
        ids: &ids,
        names: &names,
        hidden: &hidden,
    };
    let on_screen = screen(&latents, (0, 1), (&colouring, &hidden));
    let in_png = png(&latents, (0, 1), &colours);
    assert_eq!(on_screen, in_png);
    let shown = ids.iter().filter(|id| !hidden.contains(id)).count();
    assert_eq!(on_screen.len(), shown);
    let rows = RowColours::new(&colours).expect("colours");
    let hidden_colours: Vec<Color32> = hidden
        .iter()
        .map(|&k| to_color32(rows.colour(ids.iter().position(|&i| i == k).unwrap())))
        .collect();
    assert!(on_screen.iter().all(|p| !hidden_colours.contains(&p.2)));
    // the figure's legend lists the shown classes only; nothing counts as non-finite
    match rows.shown_legend() {
        crate::plot::scatter::Legend::Classes(entries) => {
            let names: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
            assert_eq!(names, ["a", "c"]);
        }
        other => panic!("a class legend, not {other:?}"),
    }
    let layout = ScatterLayout::new(latents.view(), (0, 1), &rows);
    assert_eq!(layout.n_hidden(), 0);
    assert_eq!(layout.n_class_hidden, 40 - shown);
}

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

struct PairState {
    view: ScatterPairView,
    a: Option<ScatterSource>,
    b: Option<ScatterSource>,
    colouring: Colouring,
    dataset: Dataset,
}

fn source(title: &str, latents: Array2<f32>) -> ScatterSource {
    ScatterSource {
        title: title.to_owned(),
        subtitle: "test latents".to_owned(),
        latents: Arc::new(latents),
    }
}

/// Six rows in three classes, 2×2 images.
fn small_dataset() -> Dataset {
    let records = Array2::from_shape_fn((6, 4), |(i, j)| (i * 4 + j) as f32);
    let labels = Labels::Classes {
        ids: vec![0, 0, 1, 1, 2, 2],
        names: vec!["zero".into(), "one".into(), "two".into()],
    };
    let mut dataset = Dataset::new("small", records, Some(labels), vec![]);
    dataset.image_shape = Some((2, 2));
    dataset
}

fn pair_harness(state: PairState) -> Harness<'static, PairState> {
    Harness::builder()
        .with_size(vec2(1000.0, 700.0))
        .build_ui_state(
            |ui, s: &mut PairState| {
                s.view
                    .ui(ui, s.a.as_ref(), s.b.as_ref(), &s.colouring, &s.dataset)
            },
            state,
        )
}

fn small_pair() -> PairState {
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
    table.update(&colouring);
    let generation = table.generation;
    for (i, &id) in ids.iter().enumerate() {
        let expected = crate::figures::palette::class_colour(id as usize, 3);
        assert_eq!(
            table.colour(i),
            egui::Color32::from_rgb(expected.0, expected.1, expected.2)
        );
    }
    assert!(matches!(&table.legend, LegendSpec::Classes(e) if e.len() == 3));
    // Same Arcs: no rebuild.
    table.update(&colouring.clone());
    assert_eq!(table.generation, generation);
    // Out-of-range class ids are reported, not a panic.
    table.update(&Colouring::Classes {
        ids: Arc::new(vec![u32::MAX]),
        names: Arc::new(vec![]),
    });
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
    assert_eq!(legend::format_value(0.5), "0.5");
    assert_eq!(legend::format_value(12.3456), "12.35");
    assert_eq!(legend::format_value(0.0), "0");
    assert_eq!(legend::format_value(2.5e-7), "2.500e-7");
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
    }
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

    let mut empty = Harness::new_ui_state(
        |ui, view: &mut LossView| view.ui(ui, &[]),
        LossView::default(),
    );
    empty.run();
    assert!(empty.query_by_label_contains("No loss curves").is_some());
}

/// `n` rows in ten Gaussian-like clusters (deterministic), with class ids.
fn clustered(n: usize) -> (Array2<f32>, Vec<u32>) {
    let mut latents = Array2::zeros((n, 2));
    let ids: Vec<u32> = (0..n)
        .map(|i| (colours::mix64(i as u64) % 10) as u32)
        .collect();
    for (i, &id) in ids.iter().enumerate() {
        let h = colours::mix64(i as u64 ^ 0xABCD);
        // Sum of uniforms: a bell around the class centre.
        let u = |shift: u32| ((h >> shift) & 0xFFFF) as f32 / 65535.0 - 0.5;
        latents[[i, 0]] = id as f32 * 3.0 + u(0) + u(16);
        latents[[i, 1]] = (id % 3) as f32 * 4.0 + u(32) + u(48);
    }
    (latents, ids)
}

/// The row a linear scan finds: nearest within `max_dist` among the points inside the frame
/// (expanded by a point radius), the topmost on ties.
fn nearest_by_scan(
    data: &points::PlotData,
    transform: &egui_plot::PlotTransform,
    pointer: egui::Pos2,
    max_dist: f32,
) -> Option<usize> {
    let keep = transform.frame().expand(points::POINT_RADIUS);
    let mut best = (max_dist * max_dist, None);
    let mut in_draw_order: Vec<_> = data.draw.iter().collect();
    in_draw_order.sort_by_key(|p| p.rank);
    for p in in_draw_order {
        let pos = transform.position_from_point(&egui_plot::PlotPoint::new(p.x, p.y));
        let d = pos.distance_sq(pointer);
        if keep.contains(pos) && d <= best.0 {
            best = (d, Some(p.row as usize));
        }
    }
    best.1
}

#[test]
fn grid_hover_matches_a_linear_scan() {
    let (latents, ids) = clustered(20_000);
    let colouring = Colouring::Classes {
        ids: Arc::new(ids),
        names: Arc::new((0..10).map(|k| k.to_string()).collect()),
    };
    let mut table = ColourTable::default();
    table.update(&colouring);
    let mut data = points::PlotData::default();
    data.update(&Arc::new(latents), (0, 1), &table);
    let frame = egui::Rect::from_min_size(egui::pos2(40.0, 30.0), vec2(500.0, 350.0));
    // The whole cloud, a zoom into one cluster, and a view that cuts clusters off.
    let views = [
        data.bounds,
        egui_plot::PlotBounds::from_min_max([5.5, 3.5], [6.5, 4.5]),
        egui_plot::PlotBounds::from_min_max([10.0, -2.0], [40.0, 3.0]),
    ];
    for bounds in views {
        let transform = egui_plot::PlotTransform::new(frame, bounds, false);
        for k in 0..400u64 {
            let h = colours::mix64(k);
            let pointer = egui::pos2(
                frame.left() + (h & 0xFFFF) as f32 / 65535.0 * frame.width(),
                frame.top() + ((h >> 16) & 0xFFFF) as f32 / 65535.0 * frame.height(),
            );
            for max_dist in [3.0, 8.0] {
                assert_eq!(
                    data.nearest(&transform, pointer, max_dist),
                    nearest_by_scan(&data, &transform, pointer, max_dist),
                    "pointer {pointer:?}, radius {max_dist}, view {bounds:?}"
                );
            }
        }
    }
}

#[test]
fn hover_finds_the_row_among_a_million_points_and_rings_it_in_both_plots() {
    let n = 1_000_000;
    let (a, ids) = clustered(n);
    let b = a.mapv(|v| -v);
    let names: Vec<String> = (0..10).map(|k| format!("c{k}")).collect();
    let labels = Labels::Classes {
        ids: ids.clone(),
        names: names.clone(),
    };
    let dataset = Dataset::new("big", Array2::zeros((n, 1)), Some(labels), vec!["x".into()]);
    let state = PairState {
        view: ScatterPairView::default(),
        a: Some(source("A: big", a)),
        b: Some(source("B: big", b)),
        colouring: Colouring::Classes {
            ids: Arc::new(ids),
            names: Arc::new(names),
        },
        dataset,
    };
    let mut harness = pair_harness(state);
    harness.run();
    // The draw order is a shuffle: the last point drawn is on top where it lies.
    for side in [Side::A, Side::B] {
        let view = &harness.state().view;
        let data = view.plot_data(side);
        let top = data
            .draw
            .iter()
            .max_by_key(|p| p.rank)
            .expect("points are drawn")
            .row as usize;
        let pos = view.point_screen_pos(side, top).expect("inside the plot");
        harness.hover_at(pos);
        harness.run();
        let view = &harness.state().view;
        assert_eq!(view.hovered(), Some(top), "{side:?}");
        assert_eq!(view.hover_ring_positions().len(), 2, "ringed in both plots");
        harness.get_by_label(&format!("row {top}"));
    }
}

#[test]
fn points_in_one_pixel_are_drawn_once_with_the_stacked_opacity() {
    let latents = array![[0.0, 0.0], [0.0001, 0.0001], [5.0, 5.0], [10.0, 10.0]];
    let mut table = ColourTable::default();
    table.update(&Colouring::None);
    let mut data = points::PlotData::default();
    data.update(&Arc::new(latents), (0, 1), &table);
    let frame = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), vec2(200.0, 200.0));
    let transform = egui_plot::PlotTransform::new(
        frame,
        egui_plot::PlotBounds::from_min_max([-1.0, -1.0], [11.0, 11.0]),
        false,
    );
    let mut cache = screen::ScreenCache::default();
    let mesh = cache.mesh_for(&data, &transform, 1.0, egui::TextureId::default());
    assert_eq!(mesh.indices.len(), 3 * 3, "rows 0 and 1 share a pixel");
    let alpha = data.alpha;
    let plain = table.colour(0);
    let mut alphas: Vec<u8> = mesh.vertices.iter().map(|v| v.color.a()).collect();
    alphas.sort_unstable();
    alphas.dedup();
    let single = plain.gamma_multiply(alpha).a();
    let double = plain.gamma_multiply(1.0 - (1.0 - alpha).powi(2)).a();
    assert_eq!(alphas, vec![single, double]);
    // A lone point's triangle is centred on its screen position.
    let lone = transform.position_from_point(&egui_plot::PlotPoint::new(5.0, 5.0));
    let centres: Vec<egui::Pos2> = mesh
        .vertices
        .chunks(3)
        .map(|t| ((t[0].pos.to_vec2() + t[1].pos.to_vec2() + t[2].pos.to_vec2()) / 3.0).to_pos2())
        .collect();
    assert!(
        centres.iter().any(|c| c.distance(lone) < 1e-3),
        "{centres:?}"
    );
    // Same view: the cached mesh.
    let again = cache.mesh_for(&data, &transform, 1.0, egui::TextureId::default());
    assert!(Arc::ptr_eq(&mesh, &again));
}

#[test]
fn a_plot_at_rest_is_drawn_from_an_image_of_its_discs() {
    let (latents, _) = clustered(5000);
    let mut table = ColourTable::default();
    table.update(&Colouring::None);
    let mut data = points::PlotData::default();
    data.update(&Arc::new(latents), (0, 1), &table);
    let frame = egui::Rect::from_min_size(egui::pos2(10.5, 20.25), vec2(300.0, 200.0));
    let transform = egui_plot::PlotTransform::new(frame, data.bounds, false);
    let ctx = egui::Context::default();
    let disc = egui::TextureId::User(7);
    let mut cache = screen::ScreenCache::default();
    let shape_of = |cache: &mut screen::ScreenCache| match cache
        .shape_for(&ctx, &data, &transform, 2.0, disc)
        .expect("points are drawn")
    {
        egui::Shape::Mesh(mesh) => mesh,
        other => panic!("expected a mesh, got {other:?}"),
    };
    // A new view: the disc mesh, one triangle per filled pixel.
    let moving = shape_of(&mut cache);
    assert_eq!(moving.texture_id, disc);
    assert!(moving.indices.len() >= 3 * 1000);
    // The same view again: one textured rectangle covering the frame.
    let resting = shape_of(&mut cache);
    assert_ne!(resting.texture_id, disc);
    assert_eq!(resting.vertices.len(), 4);
    let bounds = resting.calc_bounds();
    assert!(bounds.contains_rect(frame) && bounds.expand(-0.5).width() < frame.width());
    let generation = cache.generation;
    shape_of(&mut cache);
    assert_eq!(cache.generation, generation, "nothing is rebuilt at rest");
}

#[test]
fn a_rasterized_disc_has_the_area_and_opacity_of_the_disc() {
    let colour = egui::Color32::from_rgb(200, 100, 50).gamma_multiply(0.5);
    for ppp in [1.0, 2.0] {
        let rect = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), vec2(40.0, 30.0));
        let centre = egui::pos2(20.3, 14.7);
        let mut stamps = raster::DiscStamps::default();
        let (image, covered) = raster::rasterize(
            [(centre, colour)].into_iter(),
            rect,
            ppp,
            points::POINT_RADIUS,
            &mut stamps,
        );
        assert_eq!(covered, rect);
        assert_eq!(image.size, [(40.0 * ppp) as usize, (30.0 * ppp) as usize]);
        let pixel = |p: egui::Pos2| {
            image.pixels[(p.y * ppp) as usize * image.size[0] + (p.x * ppp) as usize]
        };
        assert_eq!(pixel(centre), colour, "opaque coverage at the centre");
        assert_eq!(pixel(centre + vec2(points::POINT_RADIUS + 1.5, 0.0)).a(), 0);
        let coverage: f32 = image
            .pixels
            .iter()
            .map(|c| f32::from(c.a()) / f32::from(colour.a()))
            .sum();
        let area = std::f32::consts::PI * (points::POINT_RADIUS * ppp).powi(2);
        assert!(
            (coverage - area).abs() < 0.03 * area,
            "{coverage} vs {area}"
        );
    }
    // A second disc on top: "over" blending of premultiplied colours.
    let top = egui::Color32::from_rgb(0, 0, 255).gamma_multiply(0.5);
    let rect = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), vec2(10.0, 10.0));
    let centre = egui::pos2(5.0, 5.0);
    let (image, _) = raster::rasterize(
        [(centre, colour), (centre, top)].into_iter(),
        rect,
        1.0,
        points::POINT_RADIUS,
        &mut raster::DiscStamps::default(),
    );
    let expected = top.to_array().map(i32::from);
    let below = colour.to_array().map(i32::from);
    let got = image.pixels[5 * 10 + 5].to_array().map(i32::from);
    for c in 0..4 {
        let want = expected[c] + below[c] * (255 - expected[3]) / 255;
        assert!((got[c] - want).abs() <= 1, "channel {c}: {got:?} vs {want}");
    }
}

//! Tests of the scatter drawing at scale: the hover grid against a linear scan, hover among a
//! million points, merged pixels, the texture of a plot at rest and the disc rasterizer.

use std::sync::Arc;

use egui::vec2;
use egui_kittest::kittest::Queryable;
use ndarray::{Array2, array};

use super::colours::ColourTable;
use super::tests::{PairState, pair_harness, source};
use super::*;
use crate::data::{Dataset, Labels};

/// `n` rows in ten Gaussian-like clusters (deterministic), with class ids.
fn clustered(n: usize) -> (Array2<f32>, Vec<u32>) {
    let mut latents = Array2::zeros((n, 2));
    let ids: Vec<u32> = (0..n)
        .map(|i| (crate::plot::hash::mix64(i as u64) % 10) as u32)
        .collect();
    for (i, &id) in ids.iter().enumerate() {
        let h = crate::plot::hash::mix64(i as u64 ^ 0xABCD);
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
    table.update(&colouring, &[]);
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
            let h = crate::plot::hash::mix64(k);
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
    table.update(&Colouring::None, &[]);
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
fn the_mesh_has_a_disc_per_pixel_in_the_draw_order_of_its_lowest_point() {
    // 3000 rows on a 40 × 40 lattice of pixels, one to three rows a pixel, each a little off the
    // pixel's centre (never on a pixel edge), in ten classes.
    let n = 3000;
    let mut latents = Array2::zeros((n, 2));
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let h = crate::plot::hash::mix64(i as u64);
        let (k, m) = ((h % 40) as f32, ((h >> 8) % 40) as f32);
        latents[[i, 0]] = k + 0.25 + 0.1 * ((h >> 16) % 3) as f32;
        latents[[i, 1]] = m + 0.25 + 0.1 * ((h >> 24) % 3) as f32;
        ids.push(((h >> 32) % 10) as u32);
    }
    let mut table = ColourTable::default();
    let names = Arc::new((0..10).map(|c| format!("c{c}")).collect::<Vec<_>>());
    table.update(
        &Colouring::Classes {
            ids: Arc::new(ids),
            names,
        },
        &[],
    );
    let mut data = points::PlotData::default();
    data.update(&Arc::new(latents.clone()), (0, 1), &table);
    // One plot unit is one point is one pixel.
    let frame = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), vec2(60.0, 60.0));
    let bounds = egui_plot::PlotBounds::from_min_max([0.0, 0.0], [60.0, 60.0]);
    let transform = egui_plot::PlotTransform::new(frame, bounds, false);
    let mut cache = screen::ScreenCache::default();
    let mesh = cache.mesh_for(&data, &transform, 1.0, egui::TextureId::default());
    // The reference: rows in draw order, grouped by pixel in the order of their first row.
    let mut by_rank = data.draw.clone();
    by_rank.sort_by_key(|p| p.rank);
    let mut pixels: Vec<((i32, i32), Vec<usize>)> = Vec::new();
    for p in &by_rank {
        let pos = transform
            .position_from_point(&egui_plot::PlotPoint::new(f64::from(p.x), f64::from(p.y)));
        let cell = (pos.x.floor() as i32, pos.y.floor() as i32);
        match pixels.iter_mut().find(|(c, _)| *c == cell) {
            Some((_, rows)) => rows.push(p.row as usize),
            None => pixels.push((cell, vec![p.row as usize])),
        }
    }
    assert!(pixels.iter().any(|(_, rows)| rows.len() >= 3));
    assert_eq!(mesh.indices.len(), 3 * pixels.len());
    for ((_, rows), triangle) in pixels.iter().zip(mesh.vertices.chunks(3)) {
        let k = rows.len() as f32;
        let mean = rows.iter().fold(vec2(0.0, 0.0), |s, &r| {
            s + transform
                .position_from_point(&egui_plot::PlotPoint::new(
                    f64::from(latents[[r, 0]]),
                    f64::from(latents[[r, 1]]),
                ))
                .to_vec2()
        }) / k;
        let centre =
            (triangle[0].pos.to_vec2() + triangle[1].pos.to_vec2() + triangle[2].pos.to_vec2())
                / 3.0;
        assert!((centre - mean).length() < 1e-3, "{centre:?} vs {mean:?}");
        // The opacity of k stacked discs and the mean colour at it (one rounding).
        let opacity = 1.0 - (1.0 - data.alpha).powi(rows.len() as i32);
        let colour = triangle[0].color;
        assert_eq!(colour.a(), (255.0 * opacity + 0.5) as u8);
        let red: f32 = rows
            .iter()
            .map(|&r| f32::from(table.colour(r).r()))
            .sum::<f32>()
            / k;
        assert!(
            (f32::from(colour.r()) - red * opacity).abs() <= 1.0,
            "{colour:?}"
        );
    }
}

#[test]
fn a_plot_at_rest_is_drawn_from_an_image_of_its_discs() {
    let (latents, _) = clustered(5000);
    let mut table = ColourTable::default();
    table.update(&Colouring::None, &[]);
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

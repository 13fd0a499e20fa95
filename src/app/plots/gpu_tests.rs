//! Tests of the GPU drawing's CPU side: the shader's mapping from plot to screen equals the
//! plot's transform, and a view that draws on the GPU emits one paint callback per plot (and no
//! mesh of points) while hover still finds the rows. (The shaders themselves run only under a
//! GL context: they were looked at under Xvfb with Mesa's llvmpipe.)

use std::sync::Arc;

use egui::{Event, Pos2, RawInput, Rect, Shape, pos2, vec2};
use egui_plot::{PlotBounds, PlotPoint, PlotTransform};
use ndarray::Array2;

use super::gpu_points::GpuMap;
use super::*;
use crate::data::Dataset;

#[test]
fn gpu_map_places_points_where_the_plot_transform_does() {
    let frame = Rect::from_min_size(pos2(37.5, 120.25), vec2(612.0, 433.0));
    // An overview, a view zoomed far from the origin, and one with a flipped-sign range.
    let views = [
        ([-12.0, -7.5], [9.0, 11.0]),
        ([1000.0, -3.000_1], [1000.002, -2.999_9]),
        ([-1e-4, -2e-4], [3e-4, 1e-4]),
    ];
    for (min, max) in views {
        let transform = PlotTransform::new(frame, PlotBounds::from_min_max(min, max), false);
        let map = GpuMap::new(&transform);
        let (w, h) = (max[0] - min[0], max[1] - min[1]);
        for k in 0..=20 {
            let t = f64::from(k) / 20.0;
            // f32 points across (and a little beyond) the view, as the buffer holds them
            let x = (min[0] - 0.1 * w + 1.2 * w * t) as f32;
            let y = (max[1] + 0.1 * h - 1.2 * h * t * t) as f32;
            let want = transform.position_from_point(&PlotPoint::new(f64::from(x), f64::from(y)));
            let got = map.screen_pos(x, y);
            assert!(
                got.distance(want) < 1e-3,
                "view {min:?}..{max:?}: ({x}, {y}) at {got:?}, transform {want:?}"
            );
        }
    }
}

/// The shapes of one headless frame of `view` showing `latents` on both sides, after `events`.
fn frame_shapes(
    ctx: &egui::Context,
    view: &mut ScatterPairView,
    latents: &Arc<Array2<f32>>,
    events: Vec<Event>,
) -> Vec<Shape> {
    let source = |title: &str| ScatterSource {
        title: title.to_owned(),
        subtitle: String::new(),
        latents: latents.clone(),
    };
    let (a, b) = (source("A"), source("B"));
    let dataset = Dataset::new("gpu", Array2::zeros((latents.nrows(), 1)), None, vec![]);
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1200.0, 800.0))),
        events,
        ..RawInput::default()
    };
    let mut output = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            view.ui(ui, Some(&a), Some(&b), &Colouring::None, &dataset);
        });
    });
    output.textures_delta.clear();
    output.shapes.into_iter().map(|s| s.shape).collect()
}

#[test]
fn a_view_drawing_on_the_gpu_emits_a_callback_per_plot_and_still_hovers() {
    let n = 5000;
    let latents = Arc::new(Array2::from_shape_fn((n, 2), |(i, j)| {
        let h = crate::plot::hash::mix64((2 * i + j) as u64);
        (h % 10_000) as f32 / 1000.0
    }));
    let ctx = egui::Context::default();
    let mut view = ScatterPairView::default();
    view.set_gpu_drawing(true);
    for _ in 0..3 {
        frame_shapes(&ctx, &mut view, &latents, Vec::new());
    }
    let shapes = frame_shapes(&ctx, &mut view, &latents, Vec::new());
    let callbacks = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Callback(_)))
        .count();
    assert_eq!(callbacks, 2, "one paint callback per plot");
    let largest_mesh = shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Mesh(m) => Some(m.vertices.len()),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    assert!(largest_mesh < 1000, "no mesh of points: {largest_mesh}");

    // The same view drawing on the CPU emits no callback.
    let mut cpu = ScatterPairView::default();
    for _ in 0..3 {
        frame_shapes(&ctx, &mut cpu, &latents, Vec::new());
    }
    let cpu_shapes = frame_shapes(&ctx, &mut cpu, &latents, Vec::new());
    assert!(!cpu_shapes.iter().any(|s| matches!(s, Shape::Callback(_))));

    // Hover finds a row under the pointer as on the CPU path.
    let target = view.point_screen_pos(Side::A, 17).expect("row 17 is drawn");
    for _ in 0..2 {
        frame_shapes(&ctx, &mut view, &latents, vec![Event::PointerMoved(target)]);
    }
    let found = view.hovered().expect("a row is hovered");
    let at = view.point_screen_pos(Side::A, found).expect("drawn");
    assert!(at.distance(target) < 3.0, "hovered {found} at {at:?}");
}

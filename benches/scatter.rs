//! The UI-thread cost of one frame of the scatter pair and the loss curves: a headless
//! `egui::Context` runs the whole frame (`run_ui`) and tessellates its shapes, as eframe does
//! before handing the meshes to the GPU. Targets (issue): 2×100k points ≤ 2 ms, 2×1M ≤ 16 ms,
//! hover still works; 1000-epoch loss curves cost nothing noticeable. `100k_new_data` measures
//! the frame after new latents arrive, which rebuilds both plots' layouts (the plot model).
//! The `_gpu` cases draw the points as the app does with OpenGL (a paint callback per plot;
//! the GPU's own work is not on the UI thread and not measured here); the others draw them as
//! the CPU-built mesh the app falls back to without OpenGL.
//!
//! `cargo bench --bench scatter`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use egui::{Context, Event, Pos2, RawInput, Rect, vec2};
use latent_compare::app::plots::{
    Colouring, LossView, Marks, ScatterPairView, ScatterSource, Side,
};
use latent_compare::data::{Dataset, Labels};
use latent_compare::methods::EpochLoss;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// Window size in points (pixels per point 1).
const SCREEN: egui::Vec2 = vec2(1280.0, 900.0);

/// Number of classes of the synthetic latents.
const CLASSES: usize = 10;

/// The scatter view with its inputs, as the app holds them.
struct Scene {
    view: ScatterPairView,
    a: ScatterSource,
    b: ScatterSource,
    colouring: Colouring,
    dataset: Dataset,
}

/// `n` rows in 10 Gaussian classes: A's latents, B's (rotated, stretched, noisier) and the
/// class ids.
fn clusters(n: usize, seed: u64) -> (Array2<f32>, Array2<f32>, Vec<u32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centres: Vec<[f32; 2]> = (0..CLASSES)
        .map(|_| [rng.random_range(-8.0..8.0), rng.random_range(-8.0..8.0)])
        .collect();
    let ids: Vec<u32> = (0..n)
        .map(|_| rng.random_range(0..CLASSES as u32))
        .collect();
    let mut a = Array2::zeros((n, 2));
    let mut b = Array2::zeros((n, 2));
    for (i, &id) in ids.iter().enumerate() {
        let [cx, cy] = centres[id as usize];
        let gx: f32 = rng.sample(StandardNormal);
        let gy: f32 = rng.sample(StandardNormal);
        let (x, y) = (cx + gx, cy + gy);
        a[[i, 0]] = x;
        a[[i, 1]] = y;
        let gb: f32 = rng.sample(StandardNormal);
        b[[i, 0]] = 0.8 * x - 0.6 * y + 0.5 * gb;
        b[[i, 1]] = 1.5 * (0.6 * x + 0.8 * y);
    }
    (a, b, ids)
}

fn scene(n: usize, gpu: bool) -> Scene {
    let (a, b, ids) = clusters(n, 7);
    let mut view = ScatterPairView::default();
    view.set_gpu_drawing(gpu);
    let names: Vec<String> = (0..CLASSES).map(|k| format!("class {k}")).collect();
    let labels = Labels::Classes {
        ids: ids.clone(),
        names: names.clone(),
    };
    let dataset = Dataset::new(
        "bench",
        Array2::zeros((n, 1)),
        Some(labels),
        vec!["x".into()],
    );
    Scene {
        view,
        a: ScatterSource {
            title: "A: PCA".into(),
            subtitle: format!("{n} points"),
            latents: Arc::new(a),
        },
        b: ScatterSource {
            title: "B: VAE".into(),
            subtitle: format!("{n} points"),
            latents: Arc::new(b),
        },
        colouring: Colouring::Classes {
            ids: Arc::new(ids),
            names: Arc::new(names),
        },
        dataset,
    }
}

/// A headless context and the input of its frames.
struct Frames {
    ctx: Context,
    time: f64,
}

impl Frames {
    fn new() -> Frames {
        Frames {
            ctx: Context::default(),
            time: 0.0,
        }
    }

    /// One frame with `events`: the UI pass and tessellation; the number of primitives.
    fn frame(&mut self, events: Vec<Event>, ui: &mut dyn FnMut(&mut egui::Ui)) -> usize {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..RawInput::default()
        };
        let mut output = self.ctx.run_ui(input, |root| ui(root));
        // no GPU takes the texture updates (epaint asserts on dropping them in debug builds)
        output.textures_delta.clear();
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        primitives.len()
    }
}

impl Scene {
    fn ui(&mut self, ui: &mut egui::Ui) {
        self.view.ui(
            ui,
            Some(&self.a),
            Some(&self.b),
            &self.colouring,
            &self.dataset,
        );
    }
}

/// What changes between the measured frames.
#[derive(Clone, Copy)]
enum Motion {
    /// Nothing: the pointer is outside the plots.
    Still,
    /// The pointer rests over plot A and zooms in and out by 5 % on alternate frames.
    Zoom,
    /// The pointer moves between two points of plot A (each frame searches for the nearest).
    Hover,
    /// Two frames: a zoom of plot A as in `Zoom`, then one with the view at rest, in which
    /// the plot's discs are drawn into its texture.
    Settle,
    /// New latents for both plots every frame (the same values in a new `Arc`), so that each
    /// frame rebuilds both layouts, as when a fit arrives.
    NewData,
}

/// A scene with its context, ready for the measured frames of one motion.
struct Case {
    scene: Scene,
    frames: Frames,
    motion: Motion,
    /// A spot inside plot A.
    plot_centre: Pos2,
    /// Two rows drawn in plot A and their screen positions.
    targets: Vec<(usize, Pos2)>,
    step: u64,
    /// Other `Arc`s of A's and B's latents, swapped in each frame for [`Motion::NewData`].
    spare: [Arc<Array2<f32>>; 2],
}

impl Case {
    fn new(n: usize, motion: Motion, gpu: bool) -> Case {
        let mut scene = scene(n, gpu);
        let mut frames = Frames::new();
        // Settle the layout (egui sizes some things over the first passes).
        for _ in 0..3 {
            frames.frame(Vec::new(), &mut |ui| scene.ui(ui));
        }
        let view = &scene.view;
        // The mean of a few drawn points lies inside plot A.
        let pts: Vec<Pos2> = (0..64)
            .filter_map(|r| view.point_screen_pos(Side::A, r))
            .collect();
        assert!(!pts.is_empty(), "plot A is drawn");
        let sum = pts.iter().fold(vec2(0.0, 0.0), |s, p| s + p.to_vec2());
        let plot_centre = (sum / pts.len() as f32).to_pos2();
        let targets: Vec<(usize, Pos2)> = (0..1000)
            .filter_map(|r| Some((r, view.point_screen_pos(Side::A, r)?)))
            .take(2)
            .collect();
        let spare = [
            Arc::new(scene.a.latents.as_ref().clone()),
            Arc::new(scene.b.latents.as_ref().clone()),
        ];
        let mut case = Case {
            scene,
            frames,
            motion,
            plot_centre,
            targets,
            step: 0,
            spare,
        };
        // Put the pointer where the measured frames have it.
        for _ in 0..2 {
            case.frame();
        }
        if let Motion::Hover = motion {
            // The hover search finds the row under the pointer.
            case.frame();
            let expected = case.targets[((case.step - 1) % 2) as usize].0;
            let view = &case.scene.view;
            let found = view.hovered().expect("a point is hovered");
            let found_pos = view.point_screen_pos(Side::A, found);
            let expected_pos = view.point_screen_pos(Side::A, expected);
            assert!(
                found == expected
                    || found_pos
                        .zip(expected_pos)
                        .is_some_and(|(f, e)| f.distance(e) < 1.0),
                "hovered {found}, expected {expected}"
            );
        }
        case
    }

    /// The input events of frame `step`.
    fn events(&self) -> Vec<Event> {
        match self.motion {
            Motion::Still | Motion::NewData => Vec::new(),
            Motion::Zoom | Motion::Settle => {
                let factor = if self.step.is_multiple_of(2) {
                    1.05
                } else {
                    1.0 / 1.05
                };
                vec![Event::PointerMoved(self.plot_centre), Event::Zoom(factor)]
            }
            Motion::Hover => vec![Event::PointerMoved(
                self.targets[(self.step % 2) as usize].1,
            )],
        }
    }

    /// The next measured frame (two for `Settle`).
    fn frame(&mut self) -> usize {
        let events = self.events();
        self.step += 1;
        if let Motion::NewData = self.motion {
            std::mem::swap(&mut self.scene.a.latents, &mut self.spare[0]);
            std::mem::swap(&mut self.scene.b.latents, &mut self.spare[1]);
        }
        let scene = &mut self.scene;
        let primitives = self.frames.frame(events, &mut |ui| scene.ui(ui));
        if let Motion::Settle = self.motion {
            let rest = vec![Event::PointerMoved(self.plot_centre)];
            black_box(self.frames.frame(rest, &mut |ui| scene.ui(ui)));
        }
        primitives
    }
}

fn bench_scatter(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, n: usize, motion: Motion) {
    // Built on first use, so that a filtered run builds only the scenes it measures.
    let mut case = None;
    let gpu = name.ends_with("_gpu");
    group.bench_function(name, |b| {
        let case = case.get_or_insert_with(|| Case::new(n, motion, gpu));
        b.iter(|| black_box(case.frame()))
    });
}

fn loss_history(epochs: usize, with_parts: bool) -> Vec<EpochLoss> {
    (1..=epochs)
        .map(|epoch| {
            let train = 1.0 / (epoch as f32).sqrt();
            EpochLoss {
                epoch,
                train,
                val: Some(train * 1.1),
                parts: if with_parts {
                    vec![("recon".into(), train * 0.8), ("kl".into(), train * 0.2)]
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

fn bench_loss(group: &mut BenchmarkGroup<'_, WallTime>) {
    let vae = loss_history(1000, true);
    let ae = loss_history(1000, false);
    let curves = [
        ("A: VAE".to_owned(), &vae[..]),
        ("B: AE".to_owned(), &ae[..]),
    ];
    let mut view = LossView::default();
    let mut frames = Frames::new();
    for _ in 0..3 {
        frames.frame(Vec::new(), &mut |ui| view.ui(ui, &curves));
    }
    group.bench_function("loss_1000", |b| {
        b.iter(|| black_box(frames.frame(Vec::new(), &mut |ui| view.ui(ui, &curves))))
    });
}

/// A still frame with every row selected by the explorer (outlined in both plots, up to
/// `MAX_OUTLINED` each).
fn bench_selected(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, n: usize) {
    let mut case = None;
    group.bench_function(name, |b| {
        let case = case.get_or_insert_with(|| {
            let mut case = Case::new(n, Motion::Still, false);
            case.scene.view.set_marks(Marks {
                selected: Arc::new((0..n).collect()),
                picked: Some(0),
                decoded: None,
            });
            for _ in 0..2 {
                case.frame();
            }
            case
        });
        b.iter(|| black_box(case.frame()))
    });
}

fn bench_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("scatter_frame");
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.measurement_time(std::time::Duration::from_secs(4));
    bench_scatter(&mut group, "100k_still", 100_000, Motion::Still);
    bench_scatter(&mut group, "100k_zoom", 100_000, Motion::Zoom);
    bench_scatter(&mut group, "100k_hover", 100_000, Motion::Hover);
    bench_scatter(&mut group, "100k_settle", 100_000, Motion::Settle);
    bench_scatter(&mut group, "100k_new_data", 100_000, Motion::NewData);
    bench_scatter(&mut group, "100k_zoom_gpu", 100_000, Motion::Zoom);
    bench_scatter(&mut group, "100k_hover_gpu", 100_000, Motion::Hover);
    bench_selected(&mut group, "100k_selected", 100_000);
    group.sample_size(20);
    bench_scatter(&mut group, "1m_still", 1_000_000, Motion::Still);
    bench_scatter(&mut group, "1m_zoom", 1_000_000, Motion::Zoom);
    bench_scatter(&mut group, "1m_settle", 1_000_000, Motion::Settle);
    bench_scatter(&mut group, "1m_zoom_gpu", 1_000_000, Motion::Zoom);
    group.sample_size(100);
    bench_loss(&mut group);
    group.finish();
}

criterion_group!(benches, bench_frames);
criterion_main!(benches);

//! One scatter plot's points: the plot model's layout (coordinates, draw order, opacity:
//! [`crate::plot::scatter::ScatterLayout`], the same as the figures') with on-screen colours,
//! cached per (latents, axes, colouring), and a [`PointCloud`] plot item that draws them all as
//! one textured mesh — a triangle per point around an anti-aliased disc — rebuilt only when the
//! view changes.

use std::cell::RefCell;
use std::ops::RangeInclusive;
use std::sync::Arc;

use egui::{Color32, ColorImage, Pos2, Shape, TextureHandle, TextureOptions, Ui};
use egui_plot::{PlotBounds, PlotGeometry, PlotItem, PlotItemBase, PlotPoint, PlotTransform};
use ndarray::Array2;

use super::colours::ColourTable;
use super::gpu_points::GpuPoints;
use super::grid::PointGrid;
use super::screen::ScreenCache;
use crate::plot::scatter::{JITTER_RANGE, ScatterLayout};

/// Screen radius of a point, in points.
pub(super) const POINT_RADIUS: f32 = 2.5;

/// Side of the disc texture in texels.
const DISC_TEXELS: usize = 32;

/// Radius of the disc as a fraction of the texture's half side (the rest is the soft edge).
pub(super) const DISC_FRACTION: f32 = 0.8;

/// Loads the white anti-aliased disc that every point samples (tinted by its vertex colour).
pub(super) fn disc_texture(ctx: &egui::Context) -> TextureHandle {
    let half = DISC_TEXELS as f32 / 2.0;
    let radius = half * DISC_FRACTION;
    let pixels = (0..DISC_TEXELS * DISC_TEXELS)
        .map(|k| {
            let (x, y) = (
                (k % DISC_TEXELS) as f32 + 0.5,
                (k / DISC_TEXELS) as f32 + 0.5,
            );
            let d = ((x - half).powi(2) + (y - half).powi(2)).sqrt();
            // One-and-a-half texels of soft edge, so the disc stays round when minified.
            let coverage = ((radius - d) / 1.5 + 0.5).clamp(0.0, 1.0);
            Color32::from_white_alpha((coverage * 255.0).round() as u8)
        })
        .collect();
    let options = TextureOptions {
        mipmap_mode: Some(egui::TextureFilter::Linear),
        ..TextureOptions::LINEAR
    };
    ctx.load_texture(
        "latent-scatter-disc",
        ColorImage::new([DISC_TEXELS, DISC_TEXELS], pixels),
        options,
    )
}

/// What a [`PlotData`] was built from: the latents, the (x, y) columns, the colour generation.
type DataKey = (Arc<Array2<f32>>, (usize, usize), u64);

/// A drawn point: plot coordinates (finite), dataset row, place in the draw order (higher is
/// on top) and opaque colour. Kept together so that a pass over the points reads memory in
/// order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct DrawPoint {
    pub x: f32,
    pub y: f32,
    pub row: u32,
    pub rank: u32,
    pub colour: Color32,
}

/// A drawn point as the mesh reads it, in draw order: plot coordinates (finite) and colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct RankedPoint {
    pub x: f32,
    pub y: f32,
    pub colour: Color32,
}

/// Plot coordinates of one source under one axis choice, and the draw list.
#[derive(Debug)]
pub(super) struct PlotData {
    key: Option<DataKey>,
    /// (x, y) of every row; NaN where a coordinate is not finite.
    pub coords: Vec<[f32; 2]>,
    /// Rows with finite coordinates, grouped by `grid` cell (neighbours on screen are near in
    /// memory); `rank` gives the draw order.
    pub draw: Vec<DrawPoint>,
    /// The drawn points in draw order (bottom first): a pass over them meets each pixel's
    /// lowest point first, so the mesh comes out in draw order without sorting.
    pub ranked: Arc<Vec<RankedPoint>>,
    /// Opacity of every point (depends on the number of points).
    pub alpha: f32,
    /// The draw list bucketed by position, for hover.
    grid: PointGrid,
    /// Range of the finite coordinates, widened around a constant axis; NOTHING when empty.
    pub bounds: PlotBounds,
    /// Rows with a non-finite coordinate.
    pub n_hidden: usize,
    /// Bumped on every rebuild.
    pub generation: u64,
    /// Bumped when the latents or the axes change (not the colours).
    pub layout_generation: u64,
}

impl Default for PlotData {
    fn default() -> Self {
        PlotData {
            key: None,
            coords: Vec::new(),
            draw: Vec::new(),
            ranked: Arc::default(),
            alpha: 1.0,
            grid: PointGrid::default(),
            bounds: PlotBounds::NOTHING,
            n_hidden: 0,
            generation: 0,
            layout_generation: 0,
        }
    }
}

impl PlotData {
    /// Rebuilds the coordinates and draw list when the latents, axes or colours changed.
    pub fn update(
        &mut self,
        latents: &Arc<Array2<f32>>,
        axes: (usize, usize),
        table: &ColourTable,
    ) {
        let fresh = self.key.as_ref().is_some_and(|(l, a, g)| {
            Arc::ptr_eq(l, latents) && *a == axes && *g == table.generation
        });
        if fresh {
            return;
        }
        let same_layout = self
            .key
            .as_ref()
            .is_some_and(|(l, a, _)| Arc::ptr_eq(l, latents) && *a == axes);
        if !same_layout {
            self.layout_generation += 1;
        }
        self.key = Some((latents.clone(), axes, table.generation));
        self.generation += 1;
        let dim = latents.ncols();
        self.coords.clear();
        self.draw.clear();
        self.ranked = Arc::default();
        self.grid = PointGrid::default();
        self.bounds = PlotBounds::NOTHING;
        self.n_hidden = 0;
        if dim == 0 || axes.0 >= dim || axes.1 >= dim {
            self.n_hidden = latents.nrows();
            return;
        }
        let layout = ScatterLayout::new(latents.view(), axes, table.rows());
        // f32 on screen: x is a latent value (exact), y a latent value or the jitter
        self.coords.extend(layout.xy.iter().map(|&(x, y)| {
            if x.is_finite() && y.is_finite() {
                [x as f32, y as f32]
            } else {
                [f32::NAN, f32::NAN]
            }
        }));
        self.alpha = layout.alpha as f32;
        self.draw
            .extend(layout.order.iter().enumerate().map(|(rank, &row)| {
                let [x, y] = self.coords[row as usize];
                DrawPoint {
                    x,
                    y,
                    row,
                    rank: rank as u32,
                    colour: table.colour(row as usize),
                }
            }));
        self.ranked = Arc::new(
            self.draw
                .iter()
                .map(|p| RankedPoint {
                    x: p.x,
                    y: p.y,
                    colour: p.colour,
                })
                .collect(),
        );
        self.n_hidden = layout.n_hidden();
        // the bounds of every finite point, so that hiding a class does not move the view
        for &[x, y] in self.coords.iter().filter(|[x, _]| x.is_finite()) {
            self.bounds
                .extend_with(&PlotPoint::new(f64::from(x), f64::from(y)));
        }
        if self.bounds.is_finite() {
            // A constant axis (or a single point) gets a unit-wide range around it.
            if self.bounds.width() <= 0.0 {
                self.bounds.expand_x(0.5);
            }
            if self.bounds.height() <= 0.0 {
                self.bounds.expand_y(0.5);
            }
        }
        if layout.one_d {
            let (lo, hi) = JITTER_RANGE;
            self.bounds
                .set_y(&PlotBounds::from_min_max([0.0, lo], [0.0, hi]));
        }
        self.grid = PointGrid::new(&mut self.draw);
    }

    /// Plot coordinates of `row` when it is drawn.
    pub fn point(&self, row: usize) -> Option<PlotPoint> {
        let [x, y] = *self.coords.get(row)?;
        x.is_finite()
            .then(|| PlotPoint::new(f64::from(x), f64::from(y)))
    }

    /// The row drawn nearest to `pointer` within `max_dist` points under `transform`, among
    /// the points that are drawn (inside the frame or overlapping it); the topmost on ties.
    pub fn nearest(
        &self,
        transform: &PlotTransform,
        pointer: Pos2,
        max_dist: f32,
    ) -> Option<usize> {
        let keep = transform.frame().expand(POINT_RADIUS);
        self.grid
            .nearest(&self.draw, transform, pointer, max_dist, keep)
            .map(|k| self.draw[k].row as usize)
    }
}

/// The plot item that draws a [`PlotData`] on the GPU when given a [`GpuPoints`], else
/// through a [`ScreenCache`].
pub(super) struct PointCloud<'a> {
    base: PlotItemBase,
    data: &'a PlotData,
    screen: &'a RefCell<ScreenCache>,
    texture: egui::TextureId,
    gpu: Option<&'a GpuPoints>,
}

impl<'a> PointCloud<'a> {
    pub fn new(
        data: &'a PlotData,
        screen: &'a RefCell<ScreenCache>,
        texture: egui::TextureId,
        gpu: Option<&'a GpuPoints>,
    ) -> Self {
        PointCloud {
            base: PlotItemBase::new(String::new()),
            data,
            screen,
            texture,
            gpu,
        }
    }
}

impl PlotItem for PointCloud<'_> {
    fn shapes(&self, ui: &Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        if let Some(gpu) = self.gpu {
            shapes.extend(gpu.shape(self.data, transform));
            return;
        }
        let shape = self.screen.borrow_mut().shape_for(
            ui.ctx(),
            self.data,
            transform,
            ui.pixels_per_point(),
            self.texture,
        );
        shapes.extend(shape);
    }

    fn initialize(&mut self, _x_range: RangeInclusive<f64>) {}

    fn color(&self) -> Color32 {
        Color32::TRANSPARENT
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }

    fn bounds(&self) -> PlotBounds {
        self.data.bounds
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }
}

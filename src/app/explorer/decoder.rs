//! The decoder view: what a latent point decodes to. A click in a latent plot decodes that
//! point (a data point's own latent when one is under the pointer, else the clicked plot
//! coordinates with the other latent columns at the data's mean), shown as an image for image
//! data, else as bars per feature; and a grid of decoded samples over the latent plane (the
//! classic VAE digit grid). All decoding runs in `decode_job.rs`, off the UI thread; values are
//! in the data's original units.

use egui::{Color32, ColorImage, Rect, RichText, Sense, TextureHandle, Ui, vec2};
use ndarray::ArrayView1;

use super::super::plots::{ScatterPairView, Side, format_value};
use super::decode_job::{DecodeJobs, GridOutput, Output, What, overall_range};
use super::{ExploreInputs, Fit};
use crate::data::Dataset;
use crate::explore::{PlotAxes, gray_levels, grid_mosaic};

pub use super::decode_job::DecodedSample;

/// Largest number of features drawn as bars.
const MAX_BARS: usize = 64;

/// Side of a decoded image in points.
const IMAGE_SIDE: f32 = 112.0;

/// What the grid spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GridOver {
    /// The central 90 % of the latents along each axis (5th to 95th percentile).
    Central,
    /// The plot's visible area.
    Visible,
    /// The whole range of the points.
    Data,
}

impl GridOver {
    fn text(self) -> &'static str {
        match self {
            GridOver::Central => "the central 90 % of the latents",
            GridOver::Visible => "the visible area",
            GridOver::Data => "the data's whole range",
        }
    }
}

/// The decoder view's state.
pub(super) struct DecoderView {
    jobs: DecodeJobs,
    /// Cells along each axis of the grid.
    cells: usize,
    /// The plot the grid is decoded over.
    grid_side: Side,
    /// What the grid spans.
    over: GridOver,
    point_job: Option<u64>,
    grid_job: Option<u64>,
    sample: Option<DecodedSample>,
    grid: Option<(GridOutput, Option<TextureHandle>)>,
    error: Option<String>,
}

impl Default for DecoderView {
    fn default() -> Self {
        DecoderView {
            jobs: DecodeJobs::default(),
            cells: 12,
            grid_side: Side::B,
            over: GridOver::Central,
            point_job: None,
            grid_job: None,
            sample: None,
            grid: None,
            error: None,
        }
    }
}

impl DecoderView {
    /// Drops the decoded sample and grid and ignores decode jobs still running (they were made
    /// from data that is gone).
    pub fn forget(&mut self) {
        self.point_job = None;
        self.grid_job = None;
        self.sample = None;
        self.grid = None;
        self.error = None;
    }

    /// Back to the default grid options (what it decoded is forgotten too).
    pub fn reset(&mut self) {
        self.forget();
        let d = DecoderView::default();
        (self.cells, self.grid_side, self.over) = (d.cells, d.grid_side, d.over);
    }

    pub fn sample(&self) -> Option<&DecodedSample> {
        self.sample.as_ref()
    }

    pub fn has_grid(&self) -> bool {
        self.grid.is_some()
    }

    pub fn pending(&self) -> bool {
        self.point_job.is_some() || self.grid_job.is_some()
    }

    /// Takes the finished jobs' results (the latest request of each kind wins).
    pub fn poll(&mut self, ctx: &egui::Context) {
        for (id, result) in self.jobs.drain() {
            let (is_point, is_grid) = (self.point_job == Some(id), self.grid_job == Some(id));
            if !(is_point || is_grid) {
                continue;
            }
            if is_point {
                self.point_job = None;
            } else {
                self.grid_job = None;
            }
            match result {
                Ok(Output::Point(sample)) => {
                    self.sample = Some(sample);
                    self.error = None;
                }
                Ok(Output::Grid(grid)) => {
                    let texture = grid_texture(ctx, &grid);
                    self.grid = Some((grid, texture));
                    self.error = None;
                }
                Err(e) => self.error = Some(format!("could not decode: {e}")),
            }
        }
    }

    /// Starts decoding a clicked point of the plot of `side`.
    pub fn request_point(
        &mut self,
        ctx: &egui::Context,
        side: Side,
        fit: &Fit,
        axes: PlotAxes,
        point: [f64; 2],
        row: Option<usize>,
    ) {
        match self
            .jobs
            .spawn(ctx, side, fit, What::Point { axes, point, row })
        {
            Ok(id) => self.point_job = Some(id),
            Err(e) => self.error = Some(e),
        }
    }

    fn request_grid(&mut self, ctx: &egui::Context, view: &ScatterPairView, fit: &Fit) {
        let side = self.grid_side;
        let ranges = match self.over {
            GridOver::Central => None,
            GridOver::Visible => view.visible_range(side),
            GridOver::Data => view.data_range(side),
        };
        let Some(axes) = view
            .plot_axes(side)
            .filter(|_| ranges.is_some() || self.over == GridOver::Central)
        else {
            self.error = Some(format!("plot {} is not shown", side.name()));
            return;
        };
        let what = What::Grid {
            axes,
            ranges,
            cells: self.cells,
            over: self.over.text().to_owned(),
        };
        match self.jobs.spawn(ctx, side, fit, what) {
            Ok(id) => self.grid_job = Some(id),
            Err(e) => self.error = Some(e),
        }
    }

    /// Forgets results from fits that are no longer on screen.
    fn drop_stale(&mut self, inputs: &ExploreInputs) {
        let current = |side: Side, outcome: &std::sync::Arc<crate::compare::MethodOutcome>| {
            inputs.fits[side.index()]
                .as_ref()
                .is_some_and(|f| std::sync::Arc::ptr_eq(&f.outcome, outcome))
        };
        if self
            .sample
            .as_ref()
            .is_some_and(|s| !current(s.side, &s.outcome))
        {
            self.sample = None;
        }
        if self
            .grid
            .as_ref()
            .is_some_and(|(g, _)| !current(g.side, &g.outcome))
        {
            self.grid = None;
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, view: &ScatterPairView, inputs: &ExploreInputs) {
        self.drop_stale(inputs);
        let dataset = inputs.dataset;
        if inputs
            .fits
            .iter()
            .all(|f| f.as_ref().is_none_or(|f| f.outcome.fitted.model.is_none()))
        {
            ui.label("Train a method with a decoder (PCA, autoencoder, VAE, linear AE) to decode latent points.");
            return;
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().warn_fg_color, e);
        }
        ui.columns(2, |cols| {
            cols[0].heading("Decoded point");
            self.sample_ui(&mut cols[0], dataset);
            cols[1].heading("Decoded grid");
            self.grid_controls_ui(&mut cols[1], view, inputs);
            self.grid_ui(&mut cols[1], dataset);
        });
    }

    fn sample_ui(&self, ui: &mut Ui, dataset: &Dataset) {
        if self.point_job.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("decoding…");
            });
        }
        let Some(s) = &self.sample else {
            ui.label(
                RichText::new(
                    "Click anywhere in a latent plot to decode that point; on a data point, its \
                     own latent is decoded and shown beside the row.",
                )
                .weak(),
            );
            return;
        };
        ui.label(RichText::new(&s.title).strong());
        if !s.held.is_empty() {
            ui.label(RichText::new(held_note(&s.held)).weak());
        }
        match dataset.image_shape {
            Some(shape) if s.values.len() == shape.0 * shape.1 => {
                let range = overall_range(&s.column_ranges);
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        ui.label("decoded");
                        image_ui(ui, &s.values, shape, range, IMAGE_SIDE);
                    });
                    if let Some(original) = &s.original {
                        ui.vertical(|ui| {
                            ui.label("the row");
                            image_ui(ui, original, shape, range, IMAGE_SIDE);
                        });
                    }
                });
                ui.label(
                    RichText::new(format!(
                        "gray scale: the data's range {} (white) to {} (black)",
                        format_value(f64::from(range.0)),
                        format_value(f64::from(range.1))
                    ))
                    .weak(),
                );
            }
            _ => bars_ui(ui, dataset, s),
        }
    }

    fn grid_controls_ui(&mut self, ui: &mut Ui, view: &ScatterPairView, inputs: &ExploreInputs) {
        ui.horizontal_wrapped(|ui| {
            ui.label("plot");
            ui.radio_value(&mut self.grid_side, Side::A, "A");
            ui.radio_value(&mut self.grid_side, Side::B, "B");
            ui.label("over");
            ui.radio_value(&mut self.over, GridOver::Central, "central 90 %")
                .on_hover_text("5th to 95th percentile of the latents along each axis");
            ui.radio_value(&mut self.over, GridOver::Visible, "visible area");
            ui.radio_value(&mut self.over, GridOver::Data, "data range");
        });
        ui.add(egui::Slider::new(&mut self.cells, 3..=20).text("cells per axis"));
        let fit = inputs.fits[self.grid_side.index()].clone();
        let usable = fit
            .as_ref()
            .is_some_and(|f| f.outcome.fitted.model.is_some());
        ui.horizontal(|ui| {
            let text = format!(
                "Decode a {n} × {n} grid over {}",
                self.grid_side.name(),
                n = self.cells
            );
            if ui.add_enabled(usable, egui::Button::new(text)).clicked()
                && let Some(fit) = &fit
            {
                self.request_grid(ui.ctx(), view, fit);
            }
            if self.grid_job.is_some() {
                ui.spinner();
                ui.label("decoding…");
            }
        });
        if !usable {
            ui.label(
                RichText::new(format!(
                    "{} has no decoder (not trained, or precomputed latents)",
                    self.grid_side.name()
                ))
                .weak(),
            );
        }
    }

    fn grid_ui(&self, ui: &mut Ui, dataset: &Dataset) {
        let Some((g, texture)) = &self.grid else {
            return;
        };
        let grid = &g.grid;
        let (first, last) = (grid.points.first(), grid.points.last());
        let mut text = format!(
            "{} × {} samples decoded by {} over {}",
            grid.nx,
            grid.ny,
            g.side.name(),
            g.over
        );
        if let (Some(first), Some(last)) = (first, last) {
            text += &format!(
                "; left → right: x {} … {}",
                format_value(first[0]),
                format_value(last[0])
            );
            if grid.ny > 1 {
                text += &format!(
                    ", top → bottom: y {} … {}",
                    format_value(first[1]),
                    format_value(last[1])
                );
            }
        }
        ui.label(RichText::new(text).weak());
        if !grid.held.is_empty() {
            ui.label(RichText::new(held_note(&grid.held)).weak());
        }
        let width = ui.available_width().min(520.0);
        match texture {
            Some(texture) => {
                let [w, h] = texture.size();
                let scale = width / w as f32;
                ui.add(
                    egui::Image::new((texture.id(), vec2(w as f32, h as f32) * scale))
                        .alt_text("decoded grid"),
                );
            }
            None => bar_grid_ui(ui, g, dataset, width),
        }
    }
}

/// "z2, z3 held at the data's mean latent".
fn held_note(held: &[usize]) -> String {
    let names: Vec<String> = held.iter().map(|k| format!("z{k}")).collect();
    format!(
        "{} held at the data's mean latent (the plot shows only two columns)",
        names.join(", ")
    )
}

/// The grid as one gray texture, for image data (`None` otherwise).
fn grid_texture(ctx: &egui::Context, g: &GridOutput) -> Option<TextureHandle> {
    let range = overall_range(&g.column_ranges);
    let (w, h, gray) = grid_mosaic(&g.grid, g.image_shape?, range, 1)?;
    let image = ColorImage::from_gray([w, h], &gray);
    Some(ctx.load_texture("decoded-grid", image, egui::TextureOptions::NEAREST))
}

/// A sample as an `h × w` gray image on the data's scale.
fn image_ui(ui: &mut Ui, values: &[f32], (h, w): (usize, usize), range: (f32, f32), side: f32) {
    if h == 0 || w == 0 || values.len() != h * w {
        return;
    }
    let cell = side / h.max(w) as f32;
    let levels = gray_levels(ArrayView1::from(values), range);
    crate::app::plots::gray_cells_ui(ui, &levels, (h, w), cell, 0.5);
}

/// Share of a feature's data range that `v` reaches (0 at its minimum, 1 at its maximum).
fn share(v: f32, (lo, hi): (f32, f32)) -> f32 {
    if hi > lo && v.is_finite() {
        ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The decoded values (and the row's) as a bar per feature, each bar spanning the feature's
/// range in the data, with the value in original units.
fn bars_ui(ui: &mut Ui, dataset: &Dataset, s: &DecodedSample) {
    let n = s.values.len().min(MAX_BARS);
    ui.label(RichText::new("bars: where the value lies in the feature's range in the data").weak());
    egui::ScrollArea::vertical()
        .id_salt("decoded_bars")
        .max_height(320.0)
        .show(ui, |ui| {
            egui::Grid::new("decoded_bars_table")
                .num_columns(4)
                .spacing([8.0, 2.0])
                .show(ui, |ui| {
                    ui.strong("feature");
                    ui.strong("decoded");
                    ui.strong("");
                    ui.strong(if s.original.is_some() { "the row" } else { "" });
                    ui.end_row();
                    for j in 0..n {
                        let name = dataset
                            .feature_names
                            .get(j)
                            .cloned()
                            .unwrap_or_else(|| format!("x{j}"));
                        ui.label(name);
                        let range = s.column_ranges.get(j).copied().unwrap_or((0.0, 0.0));
                        let (rect, _) = ui.allocate_exact_size(vec2(120.0, 10.0), Sense::hover());
                        let painter = ui.painter_at(rect);
                        painter.rect_filled(rect, 0.0, ui.visuals().faint_bg_color);
                        let bar = |v: f32, colour: Color32, shrink: f32| {
                            let mut r = rect.shrink2(vec2(0.0, shrink));
                            r.set_width(rect.width() * share(v, range));
                            painter.rect_filled(r, 0.0, colour);
                        };
                        bar(s.values[j], Color32::from_rgb(0xff, 0x7f, 0x0e), 0.0);
                        if let Some(original) = &s.original
                            && let Some(&v) = original.get(j)
                        {
                            bar(v, Color32::from_rgb(0x1f, 0x77, 0xb4), 3.5);
                        }
                        ui.label(format_value(f64::from(s.values[j])));
                        let original = s.original.as_ref().and_then(|o| o.get(j));
                        ui.label(original.map_or(String::new(), |v| format_value(f64::from(*v))));
                        ui.end_row();
                    }
                });
            if s.values.len() > n {
                ui.label(format!("… {} more features", s.values.len() - n));
            }
        });
}

/// A grid of non-image samples: each cell a small bar chart of the features (each bar the share
/// of the feature's range in the data).
fn bar_grid_ui(ui: &mut Ui, g: &GridOutput, dataset: &Dataset, width: f32) {
    let grid = &g.grid;
    let cell = (width / grid.nx.max(1) as f32).min(60.0);
    let (rect, _) = ui.allocate_exact_size(
        vec2(cell * grid.nx as f32, cell * grid.ny as f32),
        Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    let n_features = grid.samples.ncols().min(MAX_BARS);
    for (k, sample) in grid.samples.rows().into_iter().enumerate() {
        let origin = rect.min + vec2((k % grid.nx) as f32 * cell, (k / grid.nx) as f32 * cell);
        let inner = Rect::from_min_size(origin, vec2(cell, cell)).shrink(2.0);
        painter.rect_filled(inner, 0.0, ui.visuals().faint_bg_color);
        let bar_w = inner.width() / n_features.max(1) as f32;
        for j in 0..n_features {
            let range = g.column_ranges.get(j).copied().unwrap_or((0.0, 0.0));
            let h = inner.height() * share(sample[j], range);
            let bar = Rect::from_min_max(
                egui::pos2(inner.left() + j as f32 * bar_w, inner.bottom() - h),
                egui::pos2(inner.left() + (j as f32 + 1.0) * bar_w, inner.bottom()),
            );
            painter.rect_filled(bar, 0.0, Color32::from_rgb(0xff, 0x7f, 0x0e));
        }
    }
    let names: Vec<&str> = dataset
        .feature_names
        .iter()
        .take(n_features)
        .map(String::as_str)
        .collect();
    ui.label(
        RichText::new(format!(
            "each cell: one bar per feature, left to right ({}), height = share of the feature's range",
            names.join(", ")
        ))
        .weak(),
    );
}

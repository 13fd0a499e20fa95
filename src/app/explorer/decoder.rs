//! The decoder view: what a latent point decodes to. A click in a latent plot decodes that
//! point (a data point's own latent when one is under the pointer, else the clicked plot
//! coordinates with the other latent columns at the data's mean), shown as an image for image
//! data, else as bars per feature; and a grid of decoded samples over the latent plane (the
//! classic VAE digit grid). All decoding runs in `decode_job.rs`, off the UI thread; values are
//! in the data's original units. The drawing helpers (images, bars) are in `decoder_views.rs`.

use egui::{RichText, TextureHandle, Ui, vec2};

use super::super::plots::{ScatterPairView, Side, format_value};
use super::decode_job::{self, DecodeOutput, GridOutput, What, overall_range};
use super::decoder_views::{bar_grid_ui, bars_ui, grid_texture, held_note, image_ui};
use super::{ExploreInputs, Fit};
use crate::app::worker::{DecodeTarget, JobKind, Workers};
use crate::data::Dataset;
use crate::explore::PlotAxes;

pub use super::decode_job::DecodedSample;

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
    /// Cells along each axis of the grid.
    cells: usize,
    /// The plot the grid is decoded over.
    grid_side: Side,
    /// What the grid spans.
    over: GridOver,
    sample: Option<DecodedSample>,
    grid: Option<(GridOutput, Option<TextureHandle>)>,
    error: Option<String>,
}

impl Default for DecoderView {
    fn default() -> Self {
        DecoderView {
            cells: 12,
            grid_side: Side::B,
            over: GridOver::Central,
            sample: None,
            grid: None,
            error: None,
        }
    }
}

impl DecoderView {
    /// Drops the decoded sample and grid and cancels decode jobs still running (they were made
    /// from data that is gone: their results are ignored).
    pub fn forget(&mut self, workers: Option<&mut Workers>) {
        if let Some(w) = workers {
            w.cancel_kind(JobKind::Decode(DecodeTarget::Point));
            w.cancel_kind(JobKind::Decode(DecodeTarget::Grid));
        }
        self.sample = None;
        self.grid = None;
        self.error = None;
    }

    /// Back to the default grid options (what it decoded is forgotten too).
    pub fn reset(&mut self, workers: Option<&mut Workers>) {
        self.forget(workers);
        let d = DecoderView::default();
        (self.cells, self.grid_side, self.over) = (d.cells, d.grid_side, d.over);
    }

    /// Cancels a point being decoded and forgets the decoded point when it is in plot `side`.
    pub fn forget_point_of(&mut self, side: super::super::plots::Side, workers: &mut Workers) {
        // the double-click's first click may still be decoding: that job goes too
        workers.cancel_kind(JobKind::Decode(DecodeTarget::Point));
        if self.sample.as_ref().is_some_and(|s| s.side == side) {
            self.sample = None;
        }
    }

    pub fn sample(&self) -> Option<&DecodedSample> {
        self.sample.as_ref()
    }

    pub fn has_grid(&self) -> bool {
        self.grid.is_some()
    }

    /// Takes a finished decode job's result (the registry passes only the latest request of
    /// each target).
    pub fn decoded(&mut self, ctx: &egui::Context, result: crate::Result<Box<DecodeOutput>>) {
        match result.map(|output| *output) {
            Ok(DecodeOutput::Point(sample)) => {
                self.sample = Some(sample);
                self.error = None;
            }
            Ok(DecodeOutput::Grid(grid)) => {
                let texture = grid_texture(ctx, &grid);
                self.grid = Some((grid, texture));
                self.error = None;
            }
            Err(e) => self.error = Some(format!("could not decode: {e}")),
        }
    }

    /// Starts decoding a clicked point of the plot of `side`.
    pub fn request_point(
        &mut self,
        workers: &mut Workers,
        side: Side,
        fit: &Fit,
        axes: PlotAxes,
        point: [f64; 2],
        row: Option<usize>,
    ) {
        let what = What::Point { axes, point, row };
        if let Err(e) = decode_job::start(workers, DecodeTarget::Point, side, fit, what) {
            self.error = Some(e);
        }
    }

    fn request_grid(&mut self, workers: &mut Workers, view: &ScatterPairView, fit: &Fit) {
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
            self.error = Some(format!("plot {} is not shown", side.label()));
            return;
        };
        let what = What::Grid {
            axes,
            ranges,
            cells: self.cells,
            over: self.over.text().to_owned(),
        };
        if let Err(e) = decode_job::start(workers, DecodeTarget::Grid, side, fit, what) {
            self.error = Some(e);
        }
    }

    /// Forgets results from fits that are no longer on screen.
    fn drop_stale(&mut self, inputs: &ExploreInputs) {
        let current = |side: Side, outcome: &std::sync::Arc<crate::pipeline::MethodOutcome>| {
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

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        view: &ScatterPairView,
        inputs: &ExploreInputs,
        workers: &mut Workers,
    ) {
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
            let point_pending = workers
                .current(JobKind::Decode(DecodeTarget::Point))
                .is_some();
            self.sample_ui(&mut cols[0], dataset, point_pending);
            cols[1].heading("Decoded grid");
            self.grid_controls_ui(&mut cols[1], view, inputs, workers);
            self.grid_ui(&mut cols[1], dataset);
        });
    }

    fn sample_ui(&self, ui: &mut Ui, dataset: &Dataset, pending: bool) {
        if pending {
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

    fn grid_controls_ui(
        &mut self,
        ui: &mut Ui,
        view: &ScatterPairView,
        inputs: &ExploreInputs,
        workers: &mut Workers,
    ) {
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
                self.grid_side.label(),
                n = self.cells
            );
            if ui.add_enabled(usable, egui::Button::new(text)).clicked()
                && let Some(fit) = &fit
            {
                self.request_grid(workers, view, fit);
            }
            if workers
                .current(JobKind::Decode(DecodeTarget::Grid))
                .is_some()
            {
                ui.spinner();
                ui.label("decoding…");
            }
        });
        if !usable {
            ui.label(
                RichText::new(format!(
                    "{} has no decoder (not trained, or precomputed latents)",
                    self.grid_side.label()
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
            g.side.label(),
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
        // clear of the page's scroll bar, which floats over the right edge
        let width =
            (ui.available_width() - super::super::plots::SCROLL_BAR_ROOM).clamp(120.0, 520.0);
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

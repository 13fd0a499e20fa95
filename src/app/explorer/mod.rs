//! The explorer under the scatter plots: where do the two latent spaces differ?
//!
//! - **Colour by agreement** (`agreement.rs`): both plots coloured by each row's k-NN Jaccard
//!   agreement between A and B, and the least-agreeing rows as a list; clicking one picks it.
//! - **Neighbours** (`neighbours.rs`): the picked row's nearest rows in the input, in A and in
//!   B side by side, the shared ones marked, all outlined in both plots.
//! - **Find** (`find.rs`): a class name selects its rows, a row number picks the row.
//! - **Selection** (`selection.rs`): a box dragged out in either plot (or a found class) selects
//!   rows, outlined in both plots.
//! - **Aligned** (`aligned.rs`): B rotated onto A by Procrustes (the evaluation's), over A.
//! - **Decoder** (`decoder.rs`, `decoder_views.rs`, `decode_job.rs`): a click in a latent plot
//!   decodes that point; a grid of decoded samples over the latent plane, computed off the UI
//!   thread.
//!
//! The numbers come from the evaluation or from `crate::explore`; this module only keeps the
//! explorer's state, turns plot events into it and lays it out.

mod agreement;
mod aligned;
mod decode_job;
pub use decode_job::DecodeOutput;
mod controls;
mod decoder;
mod decoder_views;
mod find;
mod morph;
mod neighbours;
mod selection;
mod view3d;

use super::worker::Workers;
use std::sync::Arc;

use egui::Ui;
use ndarray::Array2;

use super::Shown;
use super::plots::{Colouring, DecodedMark, Marks, PlotEvent, ScatterPairView, Side};
use crate::data::{Dataset, Prepared};
use crate::pipeline::MethodOutcome;

pub use decoder::DecodedSample;

/// The explorer's tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// The least-agreeing rows.
    #[default]
    Agreement,
    /// The picked row's neighbours in the input, A and B.
    Neighbours,
    /// The box selection.
    Selection,
    /// B aligned onto A.
    Aligned,
    /// Every row moving from A to aligned B.
    Morph,
    /// Three latent columns in a rotatable 3-D view.
    ThreeD,
    /// Decoded samples.
    Decoder,
}

impl Tab {
    const ALL: [Tab; 7] = [
        Tab::Agreement,
        Tab::Neighbours,
        Tab::Selection,
        Tab::Aligned,
        Tab::Morph,
        Tab::ThreeD,
        Tab::Decoder,
    ];

    fn label(self) -> &'static str {
        match self {
            Tab::Agreement => "Least agreeing",
            Tab::Neighbours => "Neighbours",
            Tab::Selection => "Selection",
            Tab::Aligned => "Aligned B → A",
            Tab::Morph => "Morph A → B",
            Tab::ThreeD => "3-D",
            Tab::Decoder => "Decoder",
        }
    }
}

/// One trained method as the explorer needs it.
#[derive(Clone)]
pub struct Fit {
    /// The fit (its model decodes).
    pub outcome: Arc<MethodOutcome>,
    /// The data it was fitted on (its scaler maps decoded outputs back to original units).
    pub prepared: Arc<Prepared>,
    /// Its latents, one row per data row.
    pub latents: Arc<Array2<f32>>,
}

/// Method A and B as the explorer needs them, from the app's sides (cheap: `Arc` clones).
pub fn fits_of(sides: &[super::SideState; 2]) -> [Option<Fit>; 2] {
    sides.each_ref().map(|s| {
        Some(Fit {
            outcome: s.outcome.clone()?,
            prepared: s.prepared.clone()?,
            latents: s.source.as_ref()?.latents.clone(),
        })
    })
}

/// What the explorer reads from the app each frame.
pub struct ExploreInputs<'a> {
    /// The loaded dataset.
    pub dataset: &'a Arc<Dataset>,
    /// The evaluation on screen, if any.
    pub shown: Option<&'a Shown>,
    /// Method A and B, when trained.
    pub fits: [Option<Fit>; 2],
    /// The folder exports go to.
    pub out_dir: &'a str,
}

/// The explorer's state.
#[derive(Default)]
pub struct ExplorerView {
    /// Colour both plots by k-NN agreement instead of by class.
    pub colour_by_agreement: bool,
    /// The open tab.
    pub tab: Tab,
    /// The picked row (ringed in both plots).
    pub picked: Option<usize>,
    selection: selection::Selection,
    /// The text of the find box and what the last search said when it found nothing.
    find: (String, Option<String>),
    agreement: agreement::AgreementCache,
    neighbours: neighbours::NeighboursView,
    aligned: aligned::AlignedView,
    morph: morph::MorphView,
    view3d: view3d::View3d,
    decoder: decoder::DecoderView,
}

impl ExplorerView {
    /// The 3-D view's camera and the row hovered there in the last frame.
    pub fn view3d_state(&self) -> (crate::explore::Orbit, Option<(Side, usize)>) {
        (self.view3d.orbit, self.view3d.hovered)
    }

    /// The morph's t (0: A, 1: B aligned onto A).
    pub fn morph_t(&self) -> f64 {
        self.morph.t
    }

    /// The colouring both plots use this frame: the agreement when asked for and available,
    /// else `classes`. Call before the plots are drawn.
    pub fn colouring<'a>(
        &'a mut self,
        classes: &'a Colouring,
        shown: Option<&Shown>,
        n_rows: usize,
    ) -> &'a Colouring {
        self.agreement.update(shown, n_rows);
        match self.agreement.colouring() {
            Some(c) if self.colour_by_agreement => c,
            _ => classes,
        }
    }

    /// Forgets everything that names rows of the data (selection, picked row, decoded sample
    /// and grid): call when another dataset replaces it.
    pub fn forget_rows(&mut self, workers: Option<&mut Workers>) {
        self.selection.clear();
        self.find.1 = None;
        self.picked = None;
        self.decoder.forget(workers);
    }

    /// Back to the default options (Reset all settings): class colours, the first tab, no
    /// lines in the aligned view, the default grid; rows are forgotten too.
    pub fn reset(&mut self, mut workers: Option<&mut Workers>) {
        self.forget_rows(workers.as_deref_mut());
        self.colour_by_agreement = false;
        self.tab = Tab::default();
        self.aligned = aligned::AlignedView::default();
        self.decoder.reset(workers);
    }

    /// The rows selected by the last box.
    pub fn selected(&self) -> &[usize] {
        &self.selection.rows
    }

    /// The last decoded sample, if any.
    pub fn decoded_sample(&self) -> Option<&DecodedSample> {
        self.decoder.sample()
    }

    /// True when a decoded grid is on screen.
    pub fn has_decoded_grid(&self) -> bool {
        self.decoder.has_grid()
    }

    /// Takes a finished decode job's result.
    pub(crate) fn decoded(
        &mut self,
        ctx: &egui::Context,
        result: crate::Result<Box<DecodeOutput>>,
    ) {
        self.decoder.decoded(ctx, result);
    }

    /// Hands the marks to the plots; call before they are drawn.
    pub fn before_plots(&mut self, view: &mut ScatterPairView) {
        view.set_marks(self.marks());
    }

    /// Turns the plots' clicks and boxes into picks, selections and decode requests.
    pub fn after_plots(
        &mut self,
        ui: &Ui,
        view: &mut ScatterPairView,
        inputs: &ExploreInputs,
        workers: &mut Workers,
    ) {
        let events = view.take_events();
        if events.is_empty() {
            return;
        }
        for event in events {
            match event {
                PlotEvent::Clicked {
                    side,
                    point,
                    row,
                    axes,
                } => {
                    if row.is_some() {
                        self.picked = row;
                    }
                    if let Some(fit) = &inputs.fits[side.index()] {
                        self.decoder
                            .request_point(workers, side, fit, axes, point, row);
                    }
                }
                PlotEvent::DoubleClicked { side } => {
                    // a double-click resets the view: its first click's decoded point goes too
                    self.decoder.forget_point_of(side, workers);
                }
                PlotEvent::BoxSelected { side, rows } => {
                    self.selection.set(selection::Origin::Box(side), rows);
                    self.tab = Tab::Selection;
                }
            }
        }
        view.set_marks(self.marks());
        ui.ctx().request_repaint();
    }

    fn marks(&self) -> Marks {
        let decoded = self.decoder.sample().and_then(|s| {
            let (axes, point) = s.at?;
            Some(DecodedMark {
                side: s.side,
                axes,
                point,
            })
        });
        // the Neighbours tab outlines the picked row's neighbours instead of the selection
        let neighbours = (self.tab == Tab::Neighbours)
            .then(|| self.neighbours.rows(self.picked))
            .flatten();
        Marks {
            selected: neighbours.unwrap_or_else(|| self.selection.rows.clone()),
            picked: self.picked,
            decoded,
        }
    }

    /// The explorer's controls and the open tab.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        view: &mut ScatterPairView,
        inputs: &ExploreInputs,
        workers: &mut Workers,
    ) {
        self.controls_ui(ui, view, inputs);
        ui.add_space(4.0);
        // wrapped: at 1024 × 640 the tabs are wider than the centre
        ui.horizontal_wrapped(|ui| {
            for tab in Tab::ALL {
                ui.selectable_value(&mut self.tab, tab, tab.label());
            }
        });
        ui.separator();
        let dataset = inputs.dataset;
        match self.tab {
            Tab::Agreement => {
                if let Some(row) = self
                    .agreement
                    .list_ui(ui, inputs.shown, dataset, self.picked)
                {
                    self.picked = Some(row);
                }
            }
            Tab::Neighbours => {
                if let Some(row) = self.neighbours.ui(ui, inputs, self.picked) {
                    self.picked = Some(row);
                }
            }
            Tab::Selection => {
                if let Some(row) =
                    self.selection
                        .ui(ui, dataset, self.agreement.values(), self.picked)
                {
                    self.picked = Some(row);
                }
            }
            Tab::Aligned => {
                let axes = view.plot_axes(Side::A);
                let marks = (self.selection.rows.as_slice(), self.picked);
                self.aligned.ui(ui, inputs.shown, axes, marks);
            }
            Tab::Morph => match self.morph.ui(ui, inputs.shown, view, self.picked) {
                Some(morph::MorphAction::Pick(row)) => self.picked = Some(row),
                Some(morph::MorphAction::Export(axes)) => {
                    controls::export_morph(inputs, axes, workers)
                }
                None => {}
            },
            Tab::ThreeD => {
                let marks = (self.selection.rows.as_slice(), self.picked);
                match self.view3d.ui(ui, inputs, view, marks) {
                    Some(view3d::Action3d::Pick(row)) => self.picked = Some(row),
                    // the view stays: the box's rows are outlined in it and listed in Selection
                    Some(view3d::Action3d::Select(side, rows)) => {
                        self.selection.set(selection::Origin::Box3d(side), rows)
                    }
                    None => {}
                }
            }
            Tab::Decoder => self.decoder.ui(ui, view, inputs, workers),
        }
        view.set_marks(self.marks());
    }
}

//! What the methods that place all rows at once (t-SNE, UMAP) report while they optimise: a loss
//! now and then, kept as the loss history and passed to the control (progress), and, to a
//! watcher of the latents, the embedding as it forms: the first step at once, then at most one
//! every 0.1 s, copied only when somebody watches.

use std::time::{Duration, Instant};

use ndarray::Array2;

use super::{EpochLoss, TrainControl};

/// How often a watcher is shown the embedding as it forms.
const SHOW_EVERY: Duration = Duration::from_millis(100);

/// One fit's reports.
pub(super) struct Watch<'a> {
    ctl: &'a TrainControl,
    history: Vec<EpochLoss>,
    shown: Option<Instant>,
}

impl<'a> Watch<'a> {
    pub fn new(ctl: &'a TrainControl) -> Self {
        Watch {
            ctl,
            history: Vec::new(),
            shown: None,
        }
    }

    /// Records the loss `value` at `step` (an epoch or iteration) and passes it on.
    pub fn loss(&mut self, step: usize, value: f64) {
        let loss = EpochLoss {
            epoch: step,
            train: value as f32,
            val: None,
            parts: Vec::new(),
        };
        (self.ctl.on_epoch)(&loss);
        self.history.push(loss);
    }

    /// Shows the embedding at `step` (`rows × width`, row-major from `values`) when it is due.
    pub fn show(
        &mut self,
        step: usize,
        rows: usize,
        width: usize,
        values: impl FnOnce() -> Vec<f32>,
    ) {
        if let Some(show) = &self.ctl.on_latents
            && self.shown.is_none_or(|at| at.elapsed() >= SHOW_EVERY)
        {
            if let Ok(latents) = Array2::from_shape_vec((rows, width), values()) {
                show(latents, step);
            }
            self.shown = Some(Instant::now());
        }
    }

    /// The losses recorded.
    pub fn into_history(self) -> Vec<EpochLoss> {
        self.history
    }
}

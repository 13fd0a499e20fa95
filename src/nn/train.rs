//! The one training loop shared by the autoencoder and the VAE: per-epoch reshuffling from a
//! seeded RNG, batches gathered into one preallocated buffer, a cancel check every batch,
//! divergence detection, and a validation pass after every epoch.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis, s};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::linalg::Rows;
use crate::parallel::join;

/// Most named loss parts a model reports (the VAE's reconstruction and KL).
pub const MAX_PARTS: usize = 2;

/// The loss of one batch (or of a whole data set, averaged over rows).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BatchLoss {
    /// The optimised objective.
    pub total: f64,
    /// Its named parts, in the order of [`Trainable::part_names`]; unused slots are 0.
    pub parts: [f64; MAX_PARTS],
}

/// The loss after one epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochLoss {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches, weighted by batch size.
    pub train: f32,
    /// Loss on the validation rows after the epoch, when validation rows were given.
    pub val: Option<f32>,
    /// Named parts of the training loss (the VAE's `recon` and `kl`; empty for the autoencoder).
    pub parts: Vec<(String, f32)>,
}

/// The settings the training loop needs from a model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainSettings {
    /// Adam's learning rate (reported when training diverges).
    pub learning_rate: f32,
    /// Rows per batch.
    pub batch_size: usize,
    /// Passes over the training rows.
    pub epochs: usize,
    /// Seed of the shuffling RNG.
    pub seed: u64,
    /// Columns the model expects.
    pub input_dim: usize,
}

/// A model that [`fit`] can train.
pub trait Trainable {
    /// The loop's settings.
    fn train_settings(&self) -> TrainSettings;
    /// Names of the loss parts reported in [`BatchLoss::parts`] (at most [`MAX_PARTS`]).
    fn part_names(&self) -> &'static [&'static str];
    /// Sizes the batch buffers for up to `max_batch` rows (called once per [`fit`]).
    fn prepare(&mut self, max_batch: usize);
    /// Forward, backward and one optimiser step on `x` (at most `max_batch` rows).
    fn train_batch(&mut self, x: ArrayView2<'_, f32>) -> BatchLoss;
    /// The loss on `x` (at most `max_batch` rows) without changing parameters; deterministic.
    fn eval_batch(&mut self, x: ArrayView2<'_, f32>) -> BatchLoss;
}

/// Trains `model` on the rows of `train` for its configured number of epochs.
///
/// After every epoch `on_epoch` is called with that epoch's losses; the full history is returned.
/// The rows are reshuffled every epoch by a ChaCha8 RNG seeded from the model's seed (on its own
/// stream, so it does not disturb the model's RNG), which makes the result bit-for-bit
/// reproducible for the same seed and data.
///
/// # Errors
/// [`Error::InvalidInput`] when the data have the wrong width, no rows or a non-finite value;
/// [`Error::Cancelled`] as soon as `cancel` is seen set (checked before every batch);
/// [`Error::Diverged`] when a loss is not finite. After an error the model holds the parameters
/// it had reached.
pub fn fit<M: Trainable + Send + ?Sized>(
    model: &mut M,
    train: Rows<'_>,
    val: Option<Rows<'_>>,
    cancel: &AtomicBool,
    on_epoch: &mut dyn FnMut(&EpochLoss),
) -> Result<Vec<EpochLoss>> {
    let settings = model.train_settings();
    check_data("training", train, settings.input_dim)?;
    if let Some(v) = val {
        check_data("validation", v, settings.input_dim)?;
    }
    let n = train.len();
    let batch = settings.batch_size.clamp(1, n);
    // Validation in chunks of at least EVAL_ROWS rows: fewer, larger products than batches.
    let eval_rows = val.map_or(0, |v| batch.max(EVAL_ROWS).min(v.len()));
    model.prepare(batch.max(eval_rows));

    let diverged = |epoch: usize| Error::Diverged {
        epoch,
        learning_rate: settings.learning_rate,
        method: None,
    };
    let names = model.part_names();
    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
    rng.set_stream(1);
    let mut order: Vec<usize> = (0..n).collect();
    let mut xb = Array2::<f32>::zeros((batch, train.ncols()));
    // grown as epochs pass: nothing is reserved in proportion to what a user typed
    let mut history = Vec::with_capacity(settings.epochs.min(1024));

    for epoch in 1..=settings.epochs {
        order.shuffle(&mut rng);
        // The products inside each batch split over the two cores (see `crate::parallel`).
        let mut sum = BatchLoss::default();
        for idx in order.chunks(batch) {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            let rows = idx.len();
            gather(xb.slice_mut(s![..rows, ..]), train, idx);
            let loss = model.train_batch(xb.slice(s![..rows, ..]));
            if !(loss.total as f32).is_finite() {
                return Err(diverged(epoch));
            }
            accumulate(&mut sum, &loss, rows);
        }
        let train_loss = (sum.total / n as f64) as f32;
        if !train_loss.is_finite() {
            return Err(diverged(epoch));
        }
        let val_loss = match val {
            Some(v) => {
                let l = evaluate(model, v, eval_rows).total as f32;
                if !l.is_finite() {
                    return Err(diverged(epoch));
                }
                Some(l)
            }
            None => None,
        };
        let parts = names
            .iter()
            .zip(sum.parts)
            .map(|(name, p)| ((*name).to_owned(), (p / n as f64) as f32))
            .collect();
        let record = EpochLoss {
            epoch,
            train: train_loss,
            val: val_loss,
            parts,
        };
        on_epoch(&record);
        history.push(record);
    }
    Ok(history)
}

/// The model's loss on all rows of `x`, in chunks of at most `batch` rows, averaged over rows.
/// Rows of one matrix are read in place as contiguous ranges; picked rows are copied a chunk at
/// a time into one buffer.
pub fn evaluate<M: Trainable + ?Sized>(model: &mut M, x: Rows<'_>, batch: usize) -> BatchLoss {
    let mut sum = BatchLoss::default();
    let n = x.len();
    let batch = batch.max(1);
    let mut buffer = match x.as_view() {
        Some(_) => Array2::<f32>::zeros((0, x.ncols())),
        None => Array2::<f32>::zeros((batch.min(n), x.ncols())),
    };
    for start in (0..n).step_by(batch) {
        let end = (start + batch).min(n);
        let loss = match x.as_view() {
            Some(view) => model.eval_batch(view.slice(s![start..end, ..])),
            None => {
                x.copy_range_into(start, end, buffer.view_mut());
                model.eval_batch(buffer.slice(s![..end - start, ..]))
            }
        };
        accumulate(&mut sum, &loss, end - start);
    }
    let inv = 1.0 / n.max(1) as f64;
    BatchLoss {
        total: sum.total * inv,
        parts: sum.parts.map(|p| p * inv),
    }
}

/// Copies the rows `idx` of `src` into the rows of `dst`; a large batch on both threads (the
/// rows lie scattered in memory, so the copy waits on memory more than it computes).
fn gather(dst: ArrayViewMut2<'_, f32>, src: Rows<'_>, idx: &[usize]) {
    if dst.len() >= SPLIT_ELEMENTS && idx.len() >= 2 {
        let half = idx.len() / 2;
        let (top, bottom) = dst.split_at(Axis(0), half);
        let (i_top, i_bottom) = idx.split_at(half);
        join(|| gather(top, src, i_top), || gather(bottom, src, i_bottom));
        return;
    }
    src.gather_into(idx, dst);
}

/// Rows of the validation chunks (when the batches are smaller).
const EVAL_ROWS: usize = 256;

/// Batches of at least this many values are gathered on two threads.
const SPLIT_ELEMENTS: usize = 1 << 14;

fn accumulate(sum: &mut BatchLoss, loss: &BatchLoss, rows: usize) {
    let w = rows as f64;
    sum.total += loss.total * w;
    for (s, p) in sum.parts.iter_mut().zip(loss.parts) {
        *s += p * w;
    }
}

/// Width, row count and finiteness of a data matrix.
fn check_data(what: &str, x: Rows<'_>, input_dim: usize) -> Result<()> {
    if x.ncols() != input_dim {
        return Err(Error::InvalidInput(format!(
            "the {what} data have {} columns but the model was built for input_dim = {input_dim}",
            x.ncols()
        )));
    }
    if x.is_empty() {
        return Err(Error::InvalidInput(format!(
            "the {what} data have no rows; at least 1 is needed"
        )));
    }
    let not_finite = x.iter().enumerate().find_map(|(r, row)| {
        let (c, v) = row.iter().enumerate().find(|(_, v)| !v.is_finite())?;
        Some(((r, c), *v))
    });
    if let Some(((r, c), v)) = not_finite {
        return Err(Error::InvalidInput(format!(
            "the {what} data hold {v} at row {}, column {} (counting from 1); \
             only finite numbers can be trained on",
            r + 1,
            c + 1
        )));
    }
    Ok(())
}

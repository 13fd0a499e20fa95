//! [`LossColumns`]: a method's loss history as owned columns (train, validation, parts and the
//! step of each value), from which the loss model borrows its [`LossSeries`].

use super::loss::LossSeries;
use crate::methods::EpochLoss;

/// The per-epoch columns of a loss history, owned (borrow them with [`LossColumns::series`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LossColumns {
    /// What the method is called, e.g. "A: VAE".
    pub method: String,
    /// The epoch (t-SNE: iteration) of each value.
    pub steps: Vec<u32>,
    /// Training loss per epoch.
    pub train: Vec<f32>,
    /// Validation loss per epoch when any epoch has one (NaN for an epoch without).
    pub val: Option<Vec<f32>>,
    /// Each part of the loss, in order of first appearance, per epoch (NaN where absent).
    pub parts: Vec<(String, Vec<f32>)>,
}

impl LossColumns {
    /// The columns of `history` (epochs in order, epoch 1 first).
    pub fn from_history(method: impl Into<String>, history: &[EpochLoss]) -> Self {
        let val = history
            .iter()
            .any(|e| e.val.is_some())
            .then(|| history.iter().map(|e| e.val.unwrap_or(f32::NAN)).collect());
        let mut names: Vec<&str> = Vec::new();
        for e in history {
            for (part, _) in &e.parts {
                if !names.contains(&part.as_str()) {
                    names.push(part);
                }
            }
        }
        let parts = names
            .iter()
            .map(|&name| {
                let values = history
                    .iter()
                    .map(|e| {
                        e.parts
                            .iter()
                            .find(|(p, _)| p == name)
                            .map_or(f32::NAN, |p| p.1)
                    })
                    .collect();
                (name.to_owned(), values)
            })
            .collect();
        LossColumns {
            method: method.into(),
            steps: history
                .iter()
                .map(|e| u32::try_from(e.epoch).unwrap_or(u32::MAX))
                .collect(),
            train: history.iter().map(|e| e.train).collect(),
            val,
            parts,
        }
    }

    /// The columns as a [`LossSeries`].
    pub fn series(&self) -> LossSeries<'_> {
        LossSeries {
            method: self.method.clone(),
            steps: &self.steps,
            train: &self.train,
            val: self.val.as_deref(),
            parts: self
                .parts
                .iter()
                .map(|(n, v)| (n.clone(), v.as_slice()))
                .collect(),
        }
    }
}

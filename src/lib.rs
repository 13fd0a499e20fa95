//! # latent-compare
//!
//! Are two ways of making latent vectors equivalent? This crate loads a dataset, fits two latent
//! methods (PCA, a dense autoencoder, a VAE, a linear autoencoder, t-SNE, or latents computed elsewhere)
//! and compares them. The core here knows nothing of any GUI; the CLI (`latent-compare compare`)
//! and the desktop app call the same functions.
//!
//! Flow: [`data::load`] → [`data::Prepared`] (scaled, split) → [`pipeline::fit_both`] (A and B,
//! each through its kind's row in [`methods::MethodKind`]) → [`evaluate::evaluate`] →
//! [`report::Report`] → [`output::write_outputs`] (report.json, report.md, latents, figures). The
//! experiment model is [`config`]; the modules form a one-way stack (README, "Architecture").

#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod config;
pub mod criteria;
pub mod data;
pub mod equivalence;
pub mod error;
pub mod evaluate;
pub mod explore;
pub mod figures;
pub mod fsio;
pub mod gemm;
pub mod linalg;
pub mod memory;
pub mod methods;
pub mod metrics;
pub mod neighbours;
pub mod nn;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod plot;
pub mod report;
pub mod run_figures;
pub mod stats;
pub mod sweep;
#[cfg(test)]
mod test_support;
pub mod tsne;
pub mod umap;
pub mod verdict;
mod widest;

pub use error::{Error, Result};

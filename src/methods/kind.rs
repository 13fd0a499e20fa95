//! The registry of method kinds: each kind's name (CLI spec, TOML `method`, report `kind`), its
//! other accepted spellings, its label in the app's menu, the settings it reads (the app shows
//! a control for each, a saved section writes each), its fit, and the facts the rest of the tool
//! follows from (trained by gradient descent with a seed and epochs; has a decoder). A new method
//! is its own file (params and fit) and a variant here with its row in [`MethodKind::info`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{FitFn, ReadFn, SpecFn, neural, pca, precomputed, tsne, umap};

/// A kind of method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MethodKind {
    /// Principal component analysis.
    Pca,
    /// Dense autoencoder.
    Autoencoder,
    /// Variational autoencoder.
    Vae,
    /// Linear autoencoder.
    LinearAutoencoder,
    /// t-SNE (all rows embedded together).
    Tsne,
    /// UMAP (all rows embedded together).
    Umap,
    /// Latents computed elsewhere, read from a file.
    Precomputed,
}

/// A setting of a method's section (`[a]`/`[b]`), in the order the app shows their controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// Width of the latent space.
    LatentDim,
    /// Hidden activation.
    Activation,
    /// Output layer and loss.
    Output,
    /// Training epochs.
    Epochs,
    /// Rows per step.
    BatchSize,
    /// Adam's step size.
    LearningRate,
    /// A VAE's KL weight.
    Beta,
    /// t-SNE's perplexity.
    Perplexity,
    /// t-SNE's early exaggeration.
    EarlyExaggeration,
    /// t-SNE's iterations.
    Iterations,
    /// t-SNE's Barnes-Hut θ.
    Theta,
    /// t-SNE's step size (or auto).
    TsneLearningRate,
    /// UMAP's neighbours per row.
    NNeighbors,
    /// UMAP's smallest embedded distance.
    MinDist,
    /// UMAP's curve scale.
    Spread,
    /// UMAP's epochs (or auto).
    NEpochs,
    /// UMAP's negative samples per sample.
    NegativeSampleRate,
    /// UMAP's start.
    Init,
    /// Seed of initialisation and shuffling.
    Seed,
    /// Encoder hidden widths (shown below the other controls).
    Hidden,
    /// A latents file (shown below the other controls).
    File,
}

/// What the tool knows of a kind.
#[derive(Debug, Clone, Copy)]
pub struct MethodInfo {
    /// The name on the command line, in the TOML and in report.json (`pca`, `ae`, …).
    pub name: &'static str,
    /// Other spellings accepted on input.
    pub aliases: &'static [&'static str],
    /// The name in the app's method menu.
    pub label: &'static str,
    /// Fitted by gradient descent from a seeded start: has epochs (t-SNE: iterations), a seed
    /// and loss curves; repeated fits vary the seed.
    pub trained: bool,
    /// Has a decoder (reconstruction applies).
    pub decoder: bool,
    /// Places the training and test rows together (unsupervised), with no model for new rows.
    pub fits_all_rows: bool,
    /// The settings it reads, in the order the app shows them.
    pub settings: &'static [Setting],
    /// Its spec from a method's settings.
    pub spec: SpecFn,
    /// Its spec's params back into a method's settings.
    pub read: ReadFn,
    /// Fits it on prepared data.
    pub fit: FitFn,
}

impl MethodKind {
    /// Every kind, in the order menus and messages list them.
    pub const ALL: [MethodKind; 7] = [
        MethodKind::Pca,
        MethodKind::Autoencoder,
        MethodKind::Vae,
        MethodKind::LinearAutoencoder,
        MethodKind::Tsne,
        MethodKind::Umap,
        MethodKind::Precomputed,
    ];

    /// The registry row of this kind.
    pub fn info(self) -> MethodInfo {
        match self {
            MethodKind::Pca => MethodInfo {
                name: "pca",
                aliases: &[],
                label: "PCA",
                trained: false,
                decoder: true,
                fits_all_rows: false,
                settings: &[Setting::LatentDim],
                spec: pca::spec,
                read: pca::read,
                fit: pca::fit,
            },
            MethodKind::Autoencoder => MethodInfo {
                name: "ae",
                aliases: &["autoencoder"],
                label: "Autoencoder",
                trained: true,
                decoder: true,
                fits_all_rows: false,
                settings: &[
                    Setting::LatentDim,
                    Setting::Activation,
                    Setting::Output,
                    Setting::Epochs,
                    Setting::BatchSize,
                    Setting::LearningRate,
                    Setting::Seed,
                    Setting::Hidden,
                ],
                spec: neural::ae_spec,
                read: neural::read,
                fit: neural::fit,
            },
            MethodKind::Vae => MethodInfo {
                name: "vae",
                aliases: &[],
                label: "VAE",
                trained: true,
                decoder: true,
                fits_all_rows: false,
                settings: &[
                    Setting::LatentDim,
                    Setting::Activation,
                    Setting::Output,
                    Setting::Epochs,
                    Setting::BatchSize,
                    Setting::LearningRate,
                    Setting::Beta,
                    Setting::Seed,
                    Setting::Hidden,
                ],
                spec: neural::vae_spec,
                read: neural::read,
                fit: neural::fit,
            },
            MethodKind::LinearAutoencoder => MethodInfo {
                name: "linear-ae",
                aliases: &["linear_ae", "linearae"],
                label: "Linear AE",
                trained: true,
                decoder: true,
                fits_all_rows: false,
                settings: &[
                    Setting::LatentDim,
                    Setting::Epochs,
                    Setting::BatchSize,
                    Setting::LearningRate,
                    Setting::Seed,
                ],
                spec: neural::linear_ae_spec,
                read: neural::read,
                fit: neural::fit,
            },
            MethodKind::Tsne => MethodInfo {
                name: "tsne",
                aliases: &["t-sne", "t_sne"],
                label: "t-SNE",
                trained: true,
                decoder: false,
                fits_all_rows: true,
                settings: &[
                    Setting::LatentDim,
                    Setting::Perplexity,
                    Setting::EarlyExaggeration,
                    Setting::Iterations,
                    Setting::TsneLearningRate,
                    Setting::Theta,
                    Setting::Seed,
                ],
                spec: tsne::spec,
                read: tsne::read,
                fit: tsne::fit,
            },
            MethodKind::Umap => MethodInfo {
                name: "umap",
                aliases: &[],
                label: "UMAP",
                trained: true,
                decoder: false,
                fits_all_rows: true,
                settings: &[
                    Setting::LatentDim,
                    Setting::NNeighbors,
                    Setting::MinDist,
                    Setting::Spread,
                    Setting::NEpochs,
                    Setting::NegativeSampleRate,
                    Setting::Init,
                    Setting::Seed,
                ],
                spec: umap::spec,
                read: umap::read,
                fit: umap::fit,
            },
            MethodKind::Precomputed => MethodInfo {
                name: "file",
                aliases: &[],
                label: "Precomputed file",
                trained: false,
                decoder: false,
                fits_all_rows: false,
                settings: &[Setting::File],
                spec: precomputed::spec,
                read: precomputed::read,
                fit: precomputed::fit,
            },
        }
    }

    /// The name on the command line, in the TOML and in report.json.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The name in the app's method menu.
    pub fn label(self) -> &'static str {
        self.info().label
    }

    /// True for the kinds trained by gradient descent (epochs, seed, loss curves).
    pub fn is_trained(self) -> bool {
        self.info().trained
    }

    /// True when the kind reads `setting`.
    pub fn uses(self, setting: Setting) -> bool {
        self.info().settings.contains(&setting)
    }

    /// The kind a name or alias stands for (any case); `file` is spelled `file:PATH` in a spec
    /// and is not found here.
    pub fn from_name(name: &str) -> Option<MethodKind> {
        let name = name.trim().to_ascii_lowercase();
        MethodKind::ALL.into_iter().find(|k| {
            let info = k.info();
            *k != MethodKind::Precomputed && (info.name == name || info.aliases.contains(&&*name))
        })
    }

    /// The accepted specs for a message: "pca, ae, vae, linear-ae or file:PATH".
    pub fn choices() -> String {
        let names: Vec<&str> = MethodKind::ALL
            .into_iter()
            .filter(|k| *k != MethodKind::Precomputed)
            .map(MethodKind::name)
            .collect();
        format!("{} or file:PATH", names.join(", "))
    }
}

impl fmt::Display for MethodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_find_their_kind() {
        for kind in MethodKind::ALL {
            if kind != MethodKind::Precomputed {
                assert_eq!(MethodKind::from_name(kind.name()), Some(kind));
            }
            for alias in kind.info().aliases {
                assert_eq!(MethodKind::from_name(alias), Some(kind));
            }
        }
        assert_eq!(MethodKind::from_name(" VAE "), Some(MethodKind::Vae));
        assert_eq!(MethodKind::from_name("file"), None);
        assert_eq!(MethodKind::from_name("T-SNE"), Some(MethodKind::Tsne));
        assert_eq!(MethodKind::from_name("UMAP"), Some(MethodKind::Umap));
        assert_eq!(MethodKind::from_name("isomap"), None);
        assert_eq!(
            MethodKind::choices(),
            "pca, ae, vae, linear-ae, tsne, umap or file:PATH"
        );
    }
}

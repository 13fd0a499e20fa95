//! The flags of `latent-compare compare` and their parsers; unset flags stay unset so that the
//! config file and the defaults can fill them.

use std::path::PathBuf;

use clap::Args;

use crate::config::{EquivalenceConfig, ExperimentConfig, MarginSettings, MethodSettings, Sweep};
use crate::data::{ImageShape, LabelColumn, MissingPolicy, Preprocess};
use crate::figures::FigureSize;
use crate::methods::UmapInit;
use crate::nn::{Activation, OutputKind};

/// Flags of `compare`. Unset flags fall back to `--config`, then to the defaults.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Built-in dataset (digits, iris, breast-cancer, blobs, moons, circles, swiss-roll,
    /// mnist-like) or a data file: CSV/TSV, .npy, .npz, IDX (MNIST's *-images-idx3-ubyte,
    /// also .gz) or .parquet [default: digits]
    #[arg(long, value_name = "NAME|PATH")]
    pub data: Option<String>,
    /// Labels for the rows: a .npy or IDX (*-labels-idx1-ubyte[.gz]) array, an .npz with a y
    /// array, a one-column CSV or Parquet file.
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
    /// Label column of a table (CSV, Parquet), by name or 0-based index, or the labels array
    /// of an .npz, or none [default: a column named label/class/target/species, or y when no
    /// x/z is beside it; in an .npz, y/labels/target/classes]
    #[arg(long, value_name = "NAME|INDEX|none")]
    pub label_column: Option<LabelColumn>,
    /// Columns to leave out of the features (names or 0-based indices), comma-separated
    #[arg(long, value_name = "A,B,..", value_delimiter = ',')]
    pub drop_columns: Option<Vec<String>>,
    /// Each row is an image of HEIGHTxWIDTH pixels (thumbnails, decoded images) [default: IDX
    /// files, 3-D arrays and tables with pixel-named columns are images]
    #[arg(long, value_name = "HxW")]
    pub image_shape: Option<ImageShape>,
    /// Column scaling, fitted on the training rows: standardize, minmax or none [default: standardize]
    #[arg(long, value_parser = parse_preprocess)]
    pub preprocess: Option<Preprocess>,
    /// Rows with missing values: drop them, or stop with an error [default: drop]
    #[arg(long, value_parser = parse_missing, value_name = "drop|error")]
    pub missing: Option<MissingPolicy>,
    /// Share of rows held out for testing, stratified by class; 0 = no split [default: 0.2]
    #[arg(long, value_name = "F")]
    pub test_fraction: Option<f64>,
    /// Method A: pca, ae, vae, linear-ae, tsne or file:PATH [default: pca]
    #[arg(long, value_name = "SPEC")]
    pub method_a: Option<String>,
    /// Method B: pca, ae, vae, linear-ae, tsne or file:PATH [default: vae]
    #[arg(long, value_name = "SPEC")]
    pub method_b: Option<String>,
    /// Latent dimension [default: 2]
    #[arg(long)]
    pub latent_dim: Option<usize>,
    /// Encoder hidden widths, comma-separated; the decoder mirrors them [default: 128,64]
    #[arg(long, value_parser = parse_hidden, value_name = "W1,W2,..")]
    pub hidden: Option<Hidden>,
    /// Hidden activation: relu, tanh, sigmoid or linear [default: relu]
    #[arg(long)]
    pub activation: Option<Activation>,
    /// Output layer: linear (MSE) or sigmoid (BCE, needs --preprocess minmax) [default: linear]
    #[arg(long, value_parser = parse_output, value_name = "linear|sigmoid")]
    pub output: Option<OutputKind>,
    /// Training epochs [default: 50]
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Batch size [default: 64]
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Adam learning rate [default: 0.001]
    #[arg(long)]
    pub learning_rate: Option<f32>,
    /// VAE KL weight β [default: 1]
    #[arg(long)]
    pub beta: Option<f32>,
    /// t-SNE perplexity: the effective number of neighbours [default: 30]
    #[arg(long)]
    pub perplexity: Option<f32>,
    /// t-SNE early exaggeration, for the first 250 iterations [default: 12]
    #[arg(long)]
    pub early_exaggeration: Option<f32>,
    /// t-SNE iterations, at least 250 [default: 1000]
    #[arg(long)]
    pub iterations: Option<usize>,
    /// t-SNE Barnes-Hut θ, 0 (every pair) to 1 [default: 0.5]
    #[arg(long)]
    pub theta: Option<f32>,
    /// t-SNE step size [default: auto: max(rows / early exaggeration / 4, 50)]
    #[arg(long)]
    pub tsne_learning_rate: Option<f32>,
    /// UMAP neighbours per row, the row itself counted [default: 15]
    #[arg(long)]
    pub n_neighbors: Option<usize>,
    /// UMAP smallest distance between embedded points [default: 0.1]
    #[arg(long)]
    pub min_dist: Option<f32>,
    /// UMAP scale of the embedded similarities' fall, at least --min-dist [default: 1]
    #[arg(long)]
    pub spread: Option<f32>,
    /// UMAP epochs [default: umap-learn's auto: 500 up to 10 000 rows, else 200]
    #[arg(long)]
    pub n_epochs: Option<usize>,
    /// UMAP negative samples per edge sample [default: 5]
    #[arg(long)]
    pub negative_sample_rate: Option<usize>,
    /// UMAP start: the graph's spectral layout or the data's PCA [default: spectral]
    #[arg(long, value_parser = parse_init, value_name = "spectral|pca")]
    pub init: Option<UmapInit>,
    /// Seed of the split, initialisation and shuffling [default: 42]
    #[arg(long)]
    pub seed: Option<u64>,
    /// k of trustworthiness, continuity and the k-NN agreement [default: 10]
    #[arg(long)]
    pub neighbors: Option<usize>,
    /// Largest number of (test) rows the metrics use; more are subsampled, seeded [default: 5000]
    #[arg(long, value_name = "N")]
    pub metric_sample: Option<usize>,
    /// Verdict: largest relative difference of test reconstruction MSE [default: 0.1]
    #[arg(long, value_name = "F")]
    pub margin_reconstruction: Option<f64>,
    /// Verdict: largest difference of k-NN / logistic-regression accuracy [default: 0.02]
    #[arg(long, value_name = "F")]
    pub margin_accuracy: Option<f64>,
    /// Verdict: largest difference of trustworthiness / continuity [default: 0.02]
    // both spellings, as --neighbors is American
    #[arg(long, value_name = "F", visible_alias = "margin-neighborhood")]
    pub margin_neighbourhood: Option<f64>,
    /// Verdict: smallest linear CKA between the spaces [default: 0.9]
    #[arg(long, value_name = "F")]
    pub min_cka: Option<f64>,
    /// Verdict: smallest mean k-NN Jaccard between the spaces [default: 0.5]
    #[arg(long, value_name = "F")]
    pub min_knn_jaccard: Option<f64>,
    /// Equivalence over repeated fits: fit each method S times (trained methods with seeds seed,
    /// seed + 1, …; PCA on bootstrap resamples of the training rows; files once) and report
    /// `comparison.equivalence`. `--repeats` alone means 5.
    #[arg(long, value_name = "S", num_args = 0..=1, default_missing_value = "5")]
    pub repeats: Option<usize>,
    /// Equivalence: bootstrap resamples of the rows for the geometry intervals [default: 500]
    #[arg(long, value_name = "B")]
    pub bootstrap: Option<usize>,
    /// Equivalence: δ, how much less similar to each other than to themselves the two methods'
    /// runs may be [default: 0.05]
    #[arg(long, value_name = "F")]
    pub equivalence_margin: Option<f64>,
    /// Equivalence: a method whose runs agree with each other below this linear CKA (its whole
    /// interval) is too unstable to judge [default: 0.8]
    #[arg(long, value_name = "F")]
    pub stability_floor: Option<f64>,
    /// Sweep a setting: a whole comparison at each value (with --repeats, the equivalence
    /// protocol at each). PARAM is latent_dim, beta, epochs, learning_rate, hidden (values
    /// separated by |: hidden=64|128,64), activation, perplexity or n_neighbors; a. or b. before
    /// it changes one method only (b.beta=0.1,1,4). Writes report.json's sweep and sweep.png.
    #[arg(long, value_name = "[a.|b.]PARAM=V1,V2,..", value_parser = parse_sweep)]
    pub sweep: Option<Sweep>,
    /// TOML experiment file; its per-method sections (a, b) override the shared settings.
    #[arg(long, value_name = "FILE.toml")]
    pub config: Option<PathBuf>,
    /// Size of each figure in pixels.
    #[arg(long, default_value = "1600x800", value_parser = parse_figure_size, value_name = "WxH")]
    pub figure_size: FigureSize,
    /// Draw the loss curves on a log scale.
    #[arg(long)]
    pub log_loss: bool,
    /// Output folder.
    #[arg(long, default_value = crate::output::DEFAULT_OUT_DIR, value_name = "DIR")]
    pub out: PathBuf,
    /// No progress bars or summary.
    #[arg(long)]
    pub quiet: bool,
}

/// Hidden widths as parsed from the command line (a newtype so clap does not treat it as a list
/// of repeated flags).
#[derive(Debug, Clone, PartialEq)]
pub struct Hidden(pub Vec<usize>);

fn parse_figure_size(s: &str) -> std::result::Result<FigureSize, String> {
    s.parse::<FigureSize>().map_err(|e| e.to_string())
}

fn parse_sweep(s: &str) -> std::result::Result<Sweep, String> {
    Sweep::parse(s).map_err(|e| e.to_string())
}

fn parse_preprocess(s: &str) -> std::result::Result<Preprocess, String> {
    s.parse()
}

fn parse_missing(s: &str) -> std::result::Result<MissingPolicy, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "drop" => Ok(MissingPolicy::Drop),
        "error" => Ok(MissingPolicy::Error),
        other => Err(format!(
            "unknown missing-value policy '{other}'; use drop or error"
        )),
    }
}

fn parse_init(s: &str) -> std::result::Result<UmapInit, String> {
    UmapInit::from_name(s).ok_or_else(|| {
        format!(
            "unknown UMAP start '{}'; use spectral or pca",
            s.trim().to_ascii_lowercase()
        )
    })
}

fn parse_output(s: &str) -> std::result::Result<OutputKind, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "linear" | "mse" => Ok(OutputKind::Linear),
        "sigmoid" | "bce" => Ok(OutputKind::Sigmoid),
        other => Err(format!("unknown output '{other}'; use linear or sigmoid")),
    }
}

pub(super) fn parse_hidden(s: &str) -> std::result::Result<Hidden, String> {
    crate::config::parse_hidden_widths(s).map(Hidden)
}

impl CompareArgs {
    /// The flags as a config layer (unset flags stay unset).
    pub fn to_config(&self) -> ExperimentConfig {
        ExperimentConfig {
            data: self.data.clone(),
            labels: self.labels.clone(),
            label_column: self.label_column.clone(),
            drop_columns: self.drop_columns.clone(),
            image_shape: self.image_shape,
            preprocess: self.preprocess,
            missing: self.missing,
            test_fraction: self.test_fraction,
            seed: self.seed,
            latent_dim: self.latent_dim,
            hidden: self.hidden.clone().map(|h| h.0),
            activation: self.activation,
            output: self.output,
            epochs: self.epochs,
            batch_size: self.batch_size,
            learning_rate: self.learning_rate,
            beta: self.beta,
            perplexity: self.perplexity,
            early_exaggeration: self.early_exaggeration,
            iterations: self.iterations,
            theta: self.theta,
            tsne_learning_rate: self.tsne_learning_rate,
            n_neighbors: self.n_neighbors,
            min_dist: self.min_dist,
            spread: self.spread,
            n_epochs: self.n_epochs,
            negative_sample_rate: self.negative_sample_rate,
            init: self.init,
            neighbors: self.neighbors,
            metric_sample: self.metric_sample,
            margins: MarginSettings {
                reconstruction: self.margin_reconstruction,
                accuracy: self.margin_accuracy,
                neighbourhood: self.margin_neighbourhood,
                min_cka: self.min_cka,
                min_knn_jaccard: self.min_knn_jaccard,
            },
            equivalence: EquivalenceConfig {
                repeats: self.repeats,
                bootstrap: self.bootstrap,
                margin: self.equivalence_margin,
                stability_floor: self.stability_floor,
            },
            a: MethodSettings {
                method: self.method_a.clone(),
                ..MethodSettings::default()
            },
            b: MethodSettings {
                method: self.method_b.clone(),
                ..MethodSettings::default()
            },
            sweep: self
                .sweep
                .as_ref()
                .map(Sweep::to_config)
                .unwrap_or_default(),
        }
    }
}

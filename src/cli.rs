//! The command line: `latent-compare compare …` fits two methods and writes the report, with a
//! progress bar per method on stderr.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::compare::{self, MethodOutcome};
use crate::config::{ExperimentConfig, MarginSettings, MethodSettings};
use crate::data::{MissingPolicy, Preprocess};
use crate::error::{Error, Result};
use crate::evaluate::evaluate;
use crate::figures::FigureSize;
use crate::methods::{EpochLoss, MethodSpec, TrainControl};
use crate::nn::{Activation, OutputKind};
use crate::report::{self, FigureOptions, Report};

/// latent-compare: are two ways of making latent vectors equivalent?
#[derive(Debug, Parser)]
#[command(name = "latent-compare", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fit two methods on one dataset and write report.json and the latents.
    Compare(CompareArgs),
}

/// Flags of `compare`. Unset flags fall back to `--config`, then to the defaults.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Built-in dataset (digits, iris, breast-cancer, blobs, moons, circles, swiss-roll) or a
    /// .csv/.tsv/.npy file [default: digits]
    #[arg(long, value_name = "NAME|PATH")]
    pub data: Option<String>,
    /// Labels for the rows: a .npy of integers or a one-column CSV.
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
    /// CSV label column, by name or 0-based index [default: a column named
    /// label/class/target/species/y]
    #[arg(long, value_name = "NAME|INDEX")]
    pub label_column: Option<String>,
    /// Column scaling, fitted on the training rows: standardize, minmax or none [default: standardize]
    #[arg(long, value_parser = parse_preprocess)]
    pub preprocess: Option<Preprocess>,
    /// Rows with missing values: drop them, or stop with an error [default: drop]
    #[arg(long, value_parser = parse_missing, value_name = "drop|error")]
    pub missing: Option<MissingPolicy>,
    /// Share of rows held out for testing, stratified by class; 0 = no split [default: 0.2]
    #[arg(long, value_name = "F")]
    pub test_fraction: Option<f64>,
    /// Method A: pca, ae, vae, linear-ae or file:PATH [default: pca]
    #[arg(long, value_name = "SPEC")]
    pub method_a: Option<String>,
    /// Method B: pca, ae, vae, linear-ae or file:PATH [default: vae]
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
    #[arg(long, value_name = "F")]
    pub margin_neighbourhood: Option<f64>,
    /// Verdict: smallest linear CKA between the spaces [default: 0.9]
    #[arg(long, value_name = "F")]
    pub min_cka: Option<f64>,
    /// Verdict: smallest mean k-NN Jaccard between the spaces [default: 0.5]
    #[arg(long, value_name = "F")]
    pub min_knn_jaccard: Option<f64>,
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
    #[arg(long, default_value = "latent-compare-out", value_name = "DIR")]
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

fn parse_output(s: &str) -> std::result::Result<OutputKind, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "linear" | "mse" => Ok(OutputKind::Linear),
        "sigmoid" | "bce" => Ok(OutputKind::Sigmoid),
        other => Err(format!("unknown output '{other}'; use linear or sigmoid")),
    }
}

fn parse_hidden(s: &str) -> std::result::Result<Hidden, String> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("none") {
        return Ok(Hidden(Vec::new()));
    }
    s.split(',')
        .map(|w| match w.trim().parse::<usize>() {
            Ok(0) | Err(_) => Err(format!(
                "hidden widths must be positive integers separated by commas, like 128,64 (got '{w}')"
            )),
            Ok(v) => Ok(v),
        })
        .collect::<std::result::Result<Vec<_>, _>>()
        .map(Hidden)
}

impl CompareArgs {
    /// The flags as a config layer (unset flags stay unset).
    pub fn to_config(&self) -> ExperimentConfig {
        ExperimentConfig {
            data: self.data.clone(),
            labels: self.labels.clone(),
            label_column: self.label_column.clone(),
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
            neighbors: self.neighbors,
            metric_sample: self.metric_sample,
            margins: MarginSettings {
                reconstruction: self.margin_reconstruction,
                accuracy: self.margin_accuracy,
                neighbourhood: self.margin_neighbourhood,
                min_cka: self.min_cka,
                min_knn_jaccard: self.min_knn_jaccard,
            },
            a: MethodSettings {
                method: self.method_a.clone(),
                ..MethodSettings::default()
            },
            b: MethodSettings {
                method: self.method_b.clone(),
                ..MethodSettings::default()
            },
        }
    }
}

fn progress_bar(label: &str, spec: &MethodSpec, quiet: bool) -> ProgressBar {
    let epochs = match spec {
        MethodSpec::Autoencoder(p) => p.train.epochs,
        MethodSpec::Vae(p) => p.ae.train.epochs,
        MethodSpec::LinearAutoencoder(p) => p.train.epochs,
        _ => 1,
    };
    let bar = ProgressBar::with_draw_target(Some(epochs as u64), ProgressDrawTarget::stderr());
    if quiet {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix:>10} [{bar:30.cyan/blue}] {pos}/{len} {msg} (eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(format!("{label} {}", spec.kind()));
    bar
}

fn progress_spinner(label: &str, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if quiet {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_prefix(label.to_string());
    if let Ok(style) = ProgressStyle::with_template("{prefix:>10} {spinner} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

fn epoch_message(e: &EpochLoss) -> String {
    let mut msg = format!("loss {:.4}", e.train);
    if let Some(v) = e.val {
        msg.push_str(&format!(" val {v:.4}"));
    }
    for (name, value) in &e.parts {
        msg.push_str(&format!(" {name} {value:.3}"));
    }
    msg
}

fn control_for(bar: &ProgressBar) -> TrainControl {
    let bar = bar.clone();
    TrainControl {
        cancel: Arc::new(AtomicBool::new(false)),
        on_epoch: Box::new(move |e: &EpochLoss| {
            bar.set_position(e.epoch as u64);
            bar.set_message(epoch_message(e));
        }),
    }
}

/// The command line that reproduces this run, shell-quoted.
fn reproduce_command() -> String {
    std::env::args()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=,".contains(c))
            {
                a
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn summary_line(label: &str, m: &MethodOutcome) -> String {
    let fmt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.4}"));
    format!(
        "{label}: {:<40} fit {:>7.2}s  recon MSE train {}  test {}",
        m.fitted.spec.to_string(),
        m.fitted.fit_seconds,
        fmt(m.reconstruction_mse_train),
        fmt(m.reconstruction_mse_test)
    )
}

/// Runs `compare`.
pub fn compare(args: &CompareArgs) -> Result<()> {
    let file_config = match &args.config {
        Some(path) => ExperimentConfig::from_file(path)?,
        None => ExperimentConfig::default(),
    };
    let experiment = args.to_config().or(&file_config).resolve()?;
    let dataset = Arc::new(compare::load_dataset(&experiment)?);
    if !args.quiet {
        for note in &dataset.notes {
            eprintln!("note: {}: {note}", dataset.name);
        }
    }
    let prepared = compare::prepare(&experiment, dataset)?;
    compare::validate(&experiment.a, &prepared)?;
    compare::validate(&experiment.b, &prepared)?;
    if !args.quiet && !prepared.scaler.constant_columns.is_empty() {
        eprintln!(
            "note: columns constant on the training rows stay 0 after scaling: {}",
            prepared.constant_column_names().join(", ")
        );
    }
    let mut outcomes = Vec::new();
    for (label, spec) in [("A", &experiment.a), ("B", &experiment.b)] {
        let bar = progress_bar(label, spec, args.quiet);
        let fitted = compare::fit_method(spec, &prepared, &control_for(&bar));
        bar.finish();
        outcomes.push(compare::measure(fitted?, &prepared));
    }
    let b = outcomes
        .pop()
        .ok_or_else(|| Error::Numerical("method B missing".into()))?;
    let a = outcomes
        .pop()
        .ok_or_else(|| Error::Numerical("method A missing".into()))?;
    let run = compare::Run {
        experiment,
        prepared: Arc::new(prepared),
        a: Arc::new(a),
        b: Arc::new(b),
    };
    let spinner = progress_spinner("evaluating", args.quiet);
    let started = std::time::Instant::now();
    let eval = evaluate(&run, &run.experiment.eval)?;
    spinner.finish_with_message(format!("done in {:.2}s", started.elapsed().as_secs_f64()));
    let report = Report::new(&run, &eval, Some(reproduce_command()));
    let figures = FigureOptions {
        size: args.figure_size,
        log_loss: args.log_loss,
    };
    let written = report::write_outputs(&run, &eval, &report, &args.out, figures)?;
    if !args.quiet {
        eprintln!("{}", summary_line("A", &run.a));
        eprintln!("{}", summary_line("B", &run.b));
        eprintln!("\n{}\n", report.comparison.verdict.summary);
        for path in written {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_parses_lists_and_rejects_zero() {
        assert_eq!(parse_hidden("128, 64").unwrap(), Hidden(vec![128, 64]));
        assert_eq!(parse_hidden("none").unwrap(), Hidden(vec![]));
        assert!(parse_hidden("128,0").is_err());
        assert!(parse_hidden("a").is_err());
    }

    #[test]
    fn cli_parses_every_flag() {
        let cli = Cli::try_parse_from([
            "latent-compare",
            "compare",
            "--data",
            "iris",
            "--method-a",
            "ae",
            "--hidden",
            "16,8",
            "--activation",
            "tanh",
            "--output",
            "sigmoid",
            "--preprocess",
            "minmax",
            "--missing",
            "error",
            "--test-fraction",
            "0.3",
            "--learning-rate",
            "0.01",
            "--quiet",
        ])
        .unwrap();
        let Some(Command::Compare(args)) = cli.command else {
            panic!("compare expected")
        };
        let e = args.to_config().resolve().unwrap();
        assert_eq!(e.data, "iris");
        assert_eq!(e.missing, MissingPolicy::Error);
        let MethodSpec::Autoencoder(ae) = &e.a else {
            panic!()
        };
        assert_eq!(ae.hidden, vec![16, 8]);
        assert_eq!(ae.activation, Activation::Tanh);
        assert_eq!(ae.output, OutputKind::Sigmoid);
        assert_eq!(ae.train.learning_rate, 0.01);
    }
}

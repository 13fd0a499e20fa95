//! The command line: `latent-compare compare …` fits two methods and writes the report, with a
//! progress bar per method on stderr.

mod args;
mod stderr;

pub use args::{CompareArgs, Hidden};
pub use stderr::{install_panic_report, say};

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::EquivalenceSettings;
use crate::config::{Experiment, ExperimentConfig};
use crate::data::{Dataset, LoadProgress, LoadUnit};
use crate::equivalence::{Equivalence, EquivalenceControl, EquivalenceProgress, run_equivalence};
use crate::error::Result;
use crate::evaluate::evaluate;
use crate::methods::{EpochLoss, MethodSpec, TrainControl};
use crate::output::{self, FigureOptions};
use crate::pipeline::{self, MethodOutcome};
use crate::report::Report;

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
    // a negative value ("--learning-rate -1") is read as a value and checked like any other
    #[command(allow_negative_numbers = true)]
    Compare(CompareArgs),
}

/// `eprintln!` that never fails: with stderr closed or full the run still finishes (and exits
/// as it would have), it only says nothing.
macro_rules! say_fmt {
    ($($arg:tt)*) => {
        $crate::cli::say(&format!($($arg)*))
    };
}

fn progress_bar(label: &str, spec: &MethodSpec, rows: usize, quiet: bool) -> ProgressBar {
    let epochs = spec.epochs(rows).unwrap_or(1);
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

/// Loads the data, with a bar of bytes read while a large file is read, or of rows generated
/// while a large built-in is made.
fn load_with_bar(experiment: &Experiment, quiet: bool) -> Result<Dataset> {
    let bar = ProgressBar::hidden();
    bar.set_prefix("load");
    let progress = |p: LoadProgress| {
        // Small files load before a bar would be seen.
        let large = match p.unit {
            LoadUnit::Bytes => p.total >= LOAD_BAR_BYTES,
            LoadUnit::Rows => p.total >= LOAD_BAR_ROWS,
        };
        if !quiet && bar.is_hidden() && large && p.done < p.total {
            let counts = match p.unit {
                LoadUnit::Bytes => "{bytes}/{total_bytes}",
                LoadUnit::Rows => "{pos}/{len} rows generated",
            };
            let template = format!("{{prefix:>10}} [{{bar:30.cyan/blue}}] {counts} ({{eta}})");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.set_length(p.total);
        bar.set_position(p.done);
    };
    let dataset = pipeline::load_dataset_with_progress(experiment, &progress);
    bar.finish_and_clear();
    dataset
}

/// Files from this size on get a load bar.
const LOAD_BAR_BYTES: u64 = 16 << 20;
/// Built-ins of this many rows on get a bar while they are generated.
const LOAD_BAR_ROWS: u64 = 10_000;

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
    let (bar, stage_bar) = (bar.clone(), bar.clone());
    TrainControl {
        cancel: Arc::new(AtomicBool::new(false)),
        on_epoch: Box::new(move |e: &EpochLoss| {
            bar.set_position(e.epoch as u64);
            bar.set_message(epoch_message(e));
        }),
        // PCA's stages; after any fit, "measuring…"
        on_stage: Box::new(move |s| stage_bar.set_message(format!("{}…", s.what))),
        on_latents: None,
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
    let fmt = crate::plot::format::metric;
    format!(
        "{label}: {:<40} fit {:>7.2}s  peak {:>10}  recon MSE train {}  test {}",
        m.fitted.spec.to_string(),
        m.fitted.fit_seconds,
        m.fitted
            .peak_memory_bytes
            .map_or("–".into(), crate::memory::format_bytes),
        fmt(m.reconstruction_mse_train),
        fmt(m.reconstruction_mse_test)
    )
}

/// The equivalence protocol with a progress bar.
/// A bar of a share done (0 to 1000), named `name`, with the stage as its message.
fn share_bar(name: &str, quiet: bool) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(1000), ProgressDrawTarget::stderr())
    };
    let template = format!("{name} [{{bar:30}}] {{percent:>3}}% {{msg}} ({{elapsed}})");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn run_protocol(
    run: &pipeline::Run,
    settings: &EquivalenceSettings,
    quiet: bool,
) -> Result<Equivalence> {
    let bar = share_bar("equivalence", quiet);
    let on_bar = bar.clone();
    let ctl = EquivalenceControl {
        cancel: Arc::new(AtomicBool::new(false)),
        on_progress: Arc::new(move |p: &EquivalenceProgress| {
            on_bar.set_position((p.fraction.clamp(0.0, 1.0) * 1000.0) as u64);
            on_bar.set_message(p.stage.clone());
        }),
    };
    let outcome = run_equivalence(run, &run.experiment.eval, settings, &ctl);
    bar.finish_with_message("done");
    outcome
}

/// Runs `compare`.
pub fn compare(args: &CompareArgs) -> Result<()> {
    let file_config = match &args.config {
        Some(path) => ExperimentConfig::from_file(path)?,
        None => ExperimentConfig::default(),
    };
    let config = args.to_config().or(&file_config);
    let experiment = config.resolve()?;
    // a sweep's points are checked before any work too
    let sweep_points = match &experiment.sweep {
        Some(sweep) => Some((sweep, crate::sweep::point_experiments(&config, sweep)?)),
        None => None,
    };
    // the folder is checked and locked before any work, and held until the files are written
    let folder = output::OutputFolder::open(&args.out)?;
    let dataset = Arc::new(load_with_bar(&experiment, args.quiet)?);
    if !args.quiet {
        for note in &dataset.notes {
            say_fmt!("note: {}: {note}", dataset.name);
        }
    }
    let prepared = pipeline::prepare(&experiment, dataset)?;
    pipeline::validate(&experiment.a, &prepared)?;
    pipeline::validate(&experiment.b, &prepared)?;
    if !args.quiet
        && let Some(note) = &prepared.scaling_note
    {
        say_fmt!("note: {note}");
    }
    if !args.quiet && !prepared.scaler.constant_columns.is_empty() {
        say_fmt!(
            "note: columns constant on the training rows stay 0 after scaling: {} of {}: {}",
            prepared.scaler.constant_columns.len(),
            prepared.dataset.n_features(),
            crate::data::columns::name_ranges(
                &prepared.constant_column_names(),
                crate::data::columns::MAX_RANGES
            )
        );
    }
    if let Some((sweep, points)) = sweep_points {
        return sweep_cli::run(args, sweep, &points, Arc::new(prepared), &folder);
    }
    let rows = prepared.all_x().nrows();
    let run = pipeline::fit_both(&experiment, Arc::new(prepared), |side| {
        control_for(&progress_bar(
            side.label(),
            experiment.spec(side),
            rows,
            args.quiet,
        ))
    })?;
    let spinner = progress_spinner("evaluating", args.quiet);
    let started = std::time::Instant::now();
    let eval = evaluate(&run, &run.experiment.eval)?;
    spinner.finish_with_message(format!("done in {:.2}s", started.elapsed().as_secs_f64()));
    let equivalence = match &run.experiment.equivalence {
        Some(settings) => Some(run_protocol(&run, settings, args.quiet)?),
        None => None,
    };
    let report = Report::new(&run, &eval, equivalence.as_ref(), Some(reproduce_command()));
    let figures = FigureOptions {
        size: args.figure_size,
        log_loss: args.log_loss,
    };
    let written = output::write_outputs(&run, &eval, &report, &folder, figures, Vec::new())?;
    if !args.quiet {
        say_fmt!("{}", summary_line("A", &run.a));
        say_fmt!("{}", summary_line("B", &run.b));
        say_fmt!("\n{}\n", report.comparison.between.verdict.summary);
        if let Some(e) = &report.comparison.equivalence {
            say_fmt!(
                "Equivalence over repeated fits: {}\n{}\n",
                e.decision,
                e.summary
            );
        }
        for path in written {
            say_fmt!("wrote {}", path.display());
        }
    }
    Ok(())
}

mod sweep_cli;
#[cfg(test)]
mod tests;

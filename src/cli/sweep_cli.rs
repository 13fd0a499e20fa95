//! `compare --sweep`: every point of the sweep under one progress bar, then the report of the
//! first finished point with the sweep's section and `sweep.png` among the figures.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::args::CompareArgs;
use super::reproduce_command;
use crate::config::{Experiment, Sweep};
use crate::data::Prepared;
use crate::error::{Error, Result};
use crate::output::{self, FigureOptions, OutputFolder};
use crate::report::Report;
use crate::sweep::summary::SweepReport;
use crate::sweep::{SweepControl, SweepPoint, SweepProgress, run_sweep};

/// Runs the sweep's `points` on `prepared` and writes the report into `folder`.
pub(super) fn run(
    args: &CompareArgs,
    sweep: &Sweep,
    points: &[Experiment],
    prepared: Arc<Prepared>,
    folder: &OutputFolder,
) -> Result<()> {
    let bar = super::share_bar("sweep", args.quiet);
    let (on_bar, point_bar) = (bar.clone(), bar.clone());
    let (parameter, quiet) = (sweep.parameter(), args.quiet);
    let ctl = SweepControl {
        cancel: Arc::new(AtomicBool::new(false)),
        on_progress: Arc::new(move |p: &SweepProgress| {
            on_bar.set_position((p.fraction.clamp(0.0, 1.0) * 1000.0) as u64);
            on_bar.set_message(p.stage.clone());
        }),
        on_point: Arc::new(move |p: &SweepPoint| {
            if quiet {
                return;
            }
            let verdict = match &p.equivalence {
                Some(e) => e.decision.to_string(),
                None if p.evaluation.comparison.verdict.equivalent => "equivalent".into(),
                None => "not equivalent".into(),
            };
            let line = format!("{parameter} = {}: {verdict}", p.value);
            point_bar.suspend(|| crate::cli::say(&line));
        }),
    };
    let outcome = run_sweep(sweep, points, prepared, &ctl)?;
    bar.finish_and_clear();
    let Some(first) = outcome.points.first() else {
        let reasons: Vec<String> = outcome
            .missing
            .iter()
            .map(|m| format!("{} = {}: {}", sweep.parameter(), m.value, m.reason))
            .collect();
        let message = format!("no point of the sweep finished ({})", reasons.join("; "));
        return Err(if outcome.missing.iter().all(|m| m.user_error) {
            Error::InvalidInput(message)
        } else {
            Error::Numerical(message)
        });
    };
    let summary = SweepReport::new(&outcome);
    let mut report = Report::new(
        &first.run,
        &first.evaluation,
        first.equivalence.as_ref(),
        Some(reproduce_command()),
    );
    report.sweep = Some(summary);
    let figures = FigureOptions {
        size: args.figure_size,
        log_loss: args.log_loss,
    };
    let written = output::write_outputs(
        &first.run,
        &first.evaluation,
        &report,
        folder,
        figures,
        Vec::new(),
    )?;
    if !args.quiet {
        if let Some(s) = &report.sweep {
            say_fmt!("\nSweep of {}: {}\n", s.parameter_as_written(), s.summary);
        }
        for path in written {
            say_fmt!("wrote {}", path.display());
        }
    }
    Ok(())
}

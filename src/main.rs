//! The `latent-compare` binary: no subcommand opens the desktop app; `compare` runs the
//! headless pipeline.

use std::process::ExitCode;

use clap::Parser;
use latent_compare::cli::{self, Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Compare(args)) => {
            // Untrusted input must never crash the tool; a panic here is a bug, reported as such:
            // one line on stderr, the details in a file to attach to the report.
            let report = std::env::temp_dir()
                .join(format!("latent-compare-crash-{}.txt", std::process::id()));
            cli::install_panic_report(report.clone());
            let outcome = std::panic::catch_unwind(|| cli::compare(&args));
            match outcome {
                Ok(Ok(())) => ExitCode::SUCCESS,
                Ok(Err(err)) => {
                    cli::say(&format!("error: {err}"));
                    ExitCode::from(if err.is_user_error() { 2 } else { 1 })
                }
                Err(_) => {
                    cli::say(&format!(
                        "error: internal failure (a bug); please report it with the command you \
                         ran and attach {}",
                        report.display()
                    ));
                    ExitCode::from(1)
                }
            }
        }
        None => open_app(),
    }
}

/// No subcommand: the desktop app.
#[cfg(feature = "gui")]
fn open_app() -> ExitCode {
    match latent_compare::app::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "error: cannot open the window ({err}); the command line still works: latent-compare compare --help"
            );
            ExitCode::from(1)
        }
    }
}

/// Built without the `gui` feature: say how to use the command line.
#[cfg(not(feature = "gui"))]
fn open_app() -> ExitCode {
    use clap::CommandFactory;
    eprintln!("this build has no desktop app (feature `gui` is off); use the command line:\n");
    let _ = Cli::command().print_help();
    ExitCode::from(2)
}

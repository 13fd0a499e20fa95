//! The `latent-compare` binary: `compare` runs the headless pipeline.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use latent_compare::cli::{self, Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Compare(args)) => {
            // Untrusted input must never crash the tool; a panic here is a bug, reported as such.
            let outcome = std::panic::catch_unwind(|| cli::compare(&args));
            match outcome {
                Ok(Ok(())) => ExitCode::SUCCESS,
                Ok(Err(err)) => {
                    eprintln!("error: {err}");
                    ExitCode::from(if err.is_user_error() { 2 } else { 1 })
                }
                Err(_) => {
                    eprintln!(
                        "error: internal failure (a bug); please report it with the command you ran"
                    );
                    ExitCode::from(1)
                }
            }
        }
        None => {
            // The desktop app is not built yet; show what the command line can do.
            let _ = Cli::command().print_help();
            ExitCode::SUCCESS
        }
    }
}

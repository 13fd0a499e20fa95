//! The core's one error type. Every variant carries enough context (file, line, column, what to do)
//! to be shown to a user as it is; the CLI maps [`Error::is_user_error`] to exit code 2.

use std::path::PathBuf;

/// Result alias for the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{}: cannot read the file ({source}); check the path and permissions", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("{}: cannot write the file ({source}); check that the folder exists and is writable", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A data file's contents are wrong; `message` names line/column and what to do.
    #[error("{}: {message}", path.display())]
    BadFile {
        /// The file.
        path: PathBuf,
        /// Where and what, and how to fix it.
        message: String,
    },
    /// A setting or method parameter is invalid; the message says which and what is allowed.
    #[error("{0}")]
    InvalidInput(String),
    /// Training produced a non-finite loss.
    #[error("{}training diverged at epoch {epoch}; lower the learning rate (now {learning_rate})", method.as_ref().map_or(String::new(), |m| format!("{m}: ")))]
    Diverged {
        /// 1-based epoch in which the loss stopped being finite.
        epoch: usize,
        /// The learning rate that was used.
        learning_rate: f32,
        /// Which method diverged (side, run, spec), when known.
        method: Option<String>,
    },
    /// The user asked to stop.
    #[error("cancelled")]
    Cancelled,
    /// A numeric routine failed where it should not (a bug or a degenerate input).
    #[error("numerical failure: {0}")]
    Numerical(String),
    /// Something that cannot happen did (a bug, not the user's input): exit code 1.
    #[error("internal error (a bug; please report it with the command you ran): {0}")]
    Internal(String),
}

impl Error {
    /// Shorthand for a [`Error::BadFile`].
    pub fn bad_file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::BadFile {
            path: path.into(),
            message: message.into(),
        }
    }

    /// This error with `context` (which method, which run) put in front of what it says; the
    /// kind stays the same (a user error stays one), and Cancelled and file errors are kept as
    /// they are (they name their file).
    pub fn in_context(self, context: &str) -> Self {
        match self {
            Error::Diverged {
                epoch,
                learning_rate,
                method,
            } => Error::Diverged {
                epoch,
                learning_rate,
                method: Some(match method {
                    Some(m) => format!("{context}: {m}"),
                    None => context.to_owned(),
                }),
            },
            Error::InvalidInput(m) => Error::InvalidInput(format!("{context}: {m}")),
            Error::Numerical(m) => Error::Numerical(format!("{context}: {m}")),
            Error::Internal(m) => Error::Internal(format!("{context}: {m}")),
            e => e,
        }
    }

    /// Shorthand for an [`Error::Io`] on `path`.
    pub fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// True when the user can fix this by changing input or settings (CLI exit code 2).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Error::Numerical(_) | Error::Internal(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bugs_are_not_the_users_errors() {
        assert!(!Error::Internal("x".into()).is_user_error());
        assert!(!Error::Numerical("x".into()).is_user_error());
        assert!(Error::InvalidInput("x".into()).is_user_error());
        assert!(Error::bad_file("f.csv", "line 2").is_user_error());
    }

    #[test]
    fn context_names_the_method_and_keeps_the_kind() {
        let diverged = Error::Diverged {
            epoch: 3,
            learning_rate: 0.5,
            method: None,
        };
        let e = diverged.in_context("VAE").in_context("B, run 2");
        assert!(e.is_user_error());
        assert_eq!(
            e.to_string(),
            "B, run 2: VAE: training diverged at epoch 3; lower the learning rate (now 0.5)"
        );
        assert!(matches!(Error::Cancelled.in_context("A"), Error::Cancelled));
        let e = Error::Numerical("x".into()).in_context("A");
        assert!(!e.is_user_error() && e.to_string().contains("A: x"));
    }
}

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
    #[error("training diverged at epoch {epoch}; lower the learning rate (now {learning_rate})")]
    Diverged {
        /// 1-based epoch in which the loss stopped being finite.
        epoch: usize,
        /// The learning rate that was used.
        learning_rate: f32,
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
}

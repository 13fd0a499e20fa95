//! Paths in a config file: read from the file's own folder (so that a saved experiment runs
//! from any working directory), and made absolute when the app saves one.

use std::path::{Path, PathBuf};

use super::ExperimentConfig;

impl ExperimentConfig {
    /// This config with its relative paths (data, labels, `file:` latents) taken from `folder`,
    /// the config file's own, so that a file runs the same from any working directory. A
    /// `data` that is a built-in name stays one unless a file of that name is in `folder`.
    pub fn paths_from(mut self, folder: &Path) -> ExperimentConfig {
        let from = |p: &Path| -> PathBuf {
            if p.is_absolute() || folder.as_os_str().is_empty() {
                p.to_path_buf()
            } else {
                folder.join(p)
            }
        };
        if let Some(data) = &self.data {
            let local = from(Path::new(data));
            if !crate::data::is_builtin(data) || local.exists() {
                self.data = Some(local.to_string_lossy().into_owned());
            }
        }
        self.labels = self.labels.as_deref().map(from);
        for side in [&mut self.a, &mut self.b] {
            if let Some(file) = side
                .method
                .as_deref()
                .and_then(|m| m.trim().strip_prefix("file:"))
            {
                side.method = Some(format!("file:{}", from(Path::new(file.trim())).display()));
            }
        }
        self
    }

    /// This config with its relative paths made absolute (from the working directory), for a
    /// file saved elsewhere than where the paths were typed.
    pub fn with_absolute_paths(self) -> ExperimentConfig {
        match std::path::absolute(".") {
            Ok(cwd) => self.paths_from(&cwd),
            Err(_) => self,
        }
    }
}

//! The folder a run writes to: checked and locked before any work (a file in its place or a
//! folder that cannot be written is said at once; a second run into the same folder is told
//! it is busy), written whole at the end ([`crate::fsio::write_set`]), and cleared of the
//! figures an earlier run made that this one did not (a stale `equivalence.png` beside a report
//! without the protocol). Other files are never removed: an `experiment.toml` saved by the app
//! stays when the CLI reruns it into the same folder.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsio;

/// The lock file; holds the process id of the run writing to the folder.
const LOCK: &str = ".latent-compare.lock";
/// Figures a run may or may not make: removed when this run did not make them (the other
/// outputs are written by every run).
const OPTIONAL_OUTPUTS: [&str; 5] = [
    "scatter.png",
    "loss.png",
    "aligned.png",
    "equivalence.png",
    "sweep.png",
];

/// A checked, locked output folder; the lock is released when this is dropped.
#[derive(Debug)]
pub struct OutputFolder {
    dir: PathBuf,
}

impl OutputFolder {
    /// Creates `dir` if needed, checks that it is a writable folder and takes its lock.
    pub fn open(dir: &Path) -> Result<OutputFolder> {
        match fs::metadata(dir) {
            Ok(meta) if !meta.is_dir() => {
                return Err(Error::InvalidInput(format!(
                    "{}: the output folder is a file, not a folder; give a folder (--out DIR; \
                     it is created if missing)",
                    dir.display()
                )));
            }
            Ok(_) => {}
            Err(_) => fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.to_path_buf(),
                source,
            })?,
        }
        take_lock(dir)?;
        Ok(OutputFolder {
            dir: dir.to_path_buf(),
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes the run's files whole, then removes the optional figures an earlier run made
    /// and this one did not. Returns the paths written.
    pub fn write_run<B: AsRef<[u8]>>(&self, files: &[(&str, B)]) -> Result<Vec<PathBuf>> {
        let written = fsio::write_set(&self.dir, files)?;
        for old in OPTIONAL_OUTPUTS {
            if !files.iter().any(|(name, _)| *name == old) {
                let _ = fs::remove_file(self.dir.join(old));
            }
        }
        Ok(written)
    }
}

impl Drop for OutputFolder {
    fn drop(&mut self) {
        let _ = fs::remove_file(self.dir.join(LOCK));
    }
}

/// Creates the lock file; a lock left by a process that no longer runs is taken over.
fn take_lock(dir: &Path) -> Result<()> {
    let path = dir.join(LOCK);
    for _ in 0..2 {
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                let _ = write!(file, "{}", std::process::id());
                return Ok(());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let holder = fs::read_to_string(&path).unwrap_or_default();
                if let Some(pid) = running_process(holder.trim()) {
                    return Err(Error::InvalidInput(format!(
                        "{}: another latent-compare run (process {pid}) is writing to this \
                         folder; wait for it to finish or choose another folder (--out)",
                        dir.display()
                    )));
                }
                let _ = fs::remove_file(&path);
            }
            Err(source) => {
                return Err(Error::InvalidInput(format!(
                    "{}: cannot write to the output folder ({source}); check its permissions \
                     or choose another folder (--out)",
                    dir.display()
                )));
            }
        }
    }
    Err(Error::InvalidInput(format!(
        "{}: cannot take the folder's lock ({LOCK}); remove that file if no run is writing \
         there",
        dir.display()
    )))
}

/// The process id in a lock file when that process is still running (Linux: `/proc/<pid>`;
/// elsewhere a lock is trusted only while its process id parses).
fn running_process(text: &str) -> Option<u32> {
    let pid: u32 = text.parse().ok()?;
    let proc_fs = Path::new("/proc/self").exists();
    let alive = !proc_fs || Path::new(&format!("/proc/{pid}")).exists();
    (alive && pid != std::process::id()).then_some(pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_is_told_the_folder_is_busy_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = OutputFolder::open(&out).unwrap();
        // a lock held by another live process (pid 1 always runs)
        fs::write(out.join(LOCK), "1").unwrap();
        let e = OutputFolder::open(&out).unwrap_err();
        assert!(
            e.to_string()
                .contains("another latent-compare run (process 1)"),
            "{e}"
        );
        // a lock whose process is gone is taken over
        fs::write(out.join(LOCK), "4294967295").unwrap();
        let again = OutputFolder::open(&out).unwrap();
        assert_eq!(
            fs::read_to_string(out.join(LOCK)).unwrap(),
            std::process::id().to_string()
        );
        drop((first, again));
        assert!(!out.join(LOCK).exists());
    }

    #[test]
    fn a_file_in_place_of_the_folder_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out");
        fs::write(&file, "x").unwrap();
        let e = OutputFolder::open(&file).unwrap_err();
        assert!(e.to_string().contains("is a file, not a folder"), "{e}");
        assert!(e.is_user_error());
    }

    #[test]
    fn figures_an_earlier_run_made_and_this_one_did_not_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let folder = OutputFolder::open(dir.path()).unwrap();
        let first = [
            ("report.json", "1"),
            ("equivalence.png", "e"),
            ("aligned.png", "a"),
        ];
        folder.write_run(&first).unwrap();
        fs::write(dir.path().join("experiment.toml"), "saved by the app").unwrap();
        folder
            .write_run(&[("report.json", "2"), ("aligned.png", "b")])
            .unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("report.json")).unwrap(),
            "2"
        );
        assert!(!dir.path().join("equivalence.png").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("aligned.png")).unwrap(),
            "b"
        );
        assert!(dir.path().join("experiment.toml").exists());
    }
}

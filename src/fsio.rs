//! Files written whole or not at all: each file goes to a temporary name beside its place, is
//! flushed to disk, and is renamed into place only when every file of the set was written. A
//! crash, a kill or a full disk leaves the previous files as they were (at worst a stray
//! temporary file); a symlink at a file's place is replaced, never written through.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes one file whole (see the module docs).
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::InvalidInput(format!("'{}' is not a file name", path.display())))?;
    write_set(dir, &[(name.to_string_lossy().as_ref(), bytes)]).map(|_| ())
}

/// Writes every `(name, bytes)` into `dir` (which must exist) whole: first all to temporary
/// files, then, when all were written and flushed, each is renamed into place. Nothing is
/// replaced when a file cannot be written; a place that is a folder or a read-only file is
/// refused before anything is written. Returns the paths written, in order.
pub fn write_set<B: AsRef<[u8]>>(dir: &Path, files: &[(&str, B)]) -> Result<Vec<PathBuf>> {
    for (name, _) in files {
        check_place(&dir.join(name))?;
    }
    let mut temporary: Vec<PathBuf> = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let place = dir.join(name);
        let temp = dir.join(format!(".{name}.partial-{}", std::process::id()));
        let written = write_new(&temp, bytes.as_ref());
        // a partial file is removed even when it was only created
        temporary.push(temp);
        if let Err(source) = written {
            remove_all(&temporary);
            return Err(Error::Write {
                path: place,
                source,
            });
        }
    }
    let mut done = Vec::with_capacity(files.len());
    for ((name, _), temp) in files.iter().zip(&temporary) {
        let place = dir.join(name);
        if let Err(source) = fs::rename(temp, &place) {
            remove_all(&temporary);
            return Err(Error::Write {
                path: place,
                source,
            });
        }
        done.push(place);
    }
    // the renames themselves reach the disk with the folder's entry
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(done)
}

/// Refuses a place that is a folder, or a read-only file the user protected.
fn check_place(place: &Path) -> Result<()> {
    let Ok(meta) = fs::symlink_metadata(place) else {
        return Ok(());
    };
    if meta.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{}: a folder is in the way of an output file; move or rename it",
            place.display()
        )));
    }
    if meta.is_file() && meta.permissions().readonly() {
        return Err(Error::InvalidInput(format!(
            "{}: the file is read-only, so it is not replaced (nothing was written); make it \
             writable or choose another folder",
            place.display()
        )));
    }
    Ok(())
}

/// Creates `path` (a stale one is removed first) and writes and flushes `bytes`.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        let _ = fs::remove_file(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_replaces_old_files_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "old a").unwrap();
        let written = write_set(dir.path(), &[("a.txt", "new a"), ("b.txt", "new b")]).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(
            fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            "new a"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("b.txt")).unwrap(),
            "new b"
        );
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2);
    }

    #[test]
    fn a_symlink_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("precious.md");
        fs::write(&target, "keep me").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("report.md")).unwrap();
        write_whole(&dir.path().join("report.md"), b"report").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");
        let place = dir.path().join("report.md");
        assert!(!fs::symlink_metadata(&place).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(place).unwrap(), "report");
    }

    #[test]
    fn a_folder_or_read_only_file_in_the_way_stops_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "old a").unwrap();
        fs::create_dir(dir.path().join("b.txt")).unwrap();
        let e = write_set(dir.path(), &[("a.txt", "new"), ("b.txt", "new")]).unwrap_err();
        assert!(e.to_string().contains("a folder is in the way"), "{e}");
        assert_eq!(
            fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            "old a"
        );
        fs::remove_dir(dir.path().join("b.txt")).unwrap();
        let ro = dir.path().join("b.txt");
        fs::write(&ro, "mine").unwrap();
        let mut perms = fs::metadata(&ro).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&ro, perms).unwrap();
        let e = write_set(dir.path(), &[("a.txt", "new"), ("b.txt", "new")]).unwrap_err();
        assert!(e.to_string().contains("read-only"), "{e}");
        assert_eq!(
            fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            "old a"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}

//! Which kind of file a data or labels path is: by its extension, then by its first bytes
//! (a `.npy` signature, a zip or Parquet header, an IDX magic number, plain or gzip-compressed),
//! else a delimited text table.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::error::{Error, Result};

/// The file formats a dataset or labels file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV, TSV or other delimited text.
    Csv,
    /// A NumPy `.npy` array.
    Npy,
    /// A NumPy `.npz` archive of arrays (`numpy.savez`, `savez_compressed`).
    Npz,
    /// An IDX array (MNIST's format), plain or gzip-compressed.
    Idx,
    /// An Apache Parquet table.
    Parquet,
}

/// Start of a gzip stream.
pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

impl Format {
    /// The format of the file at `path`: its extension when it names one, else its first bytes.
    /// A file that cannot be read whole (a pipe, a device, larger than the memory) is refused
    /// first.
    pub fn of(path: &Path) -> Result<Format> {
        super::bounded::check_readable_file(path)?;
        if let Some(format) = Format::from_name(path) {
            return Ok(format);
        }
        let start = first_bytes(path, 8)?;
        if start.starts_with(b"\x93NUMPY") {
            Ok(Format::Npy)
        } else if start.starts_with(b"PK\x03\x04") || start.starts_with(b"PK\x05\x06") {
            Ok(Format::Npz)
        } else if start.starts_with(b"PAR1") {
            Ok(Format::Parquet)
        } else if start.starts_with(&GZIP_MAGIC) {
            // only IDX is read compressed: say so rather than parse gzip bytes as CSV
            let inner = gunzipped_start(path)?;
            if is_idx_magic(&inner) {
                Ok(Format::Idx)
            } else {
                Err(Error::bad_file(
                    path,
                    "this is a gzip-compressed file, and only IDX files (MNIST's format) are \
                     read compressed; decompress it first (gunzip FILE) and load the result",
                ))
            }
        } else if is_idx_magic(&start) {
            Ok(Format::Idx)
        } else {
            Ok(Format::Csv)
        }
    }

    /// The format an extension or an IDX-like name says, if any.
    fn from_name(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let bare = name.strip_suffix(".gz").unwrap_or(&name);
        let idx_like = bare.contains("idx") && (bare.contains("ubyte") || bare.ends_with(".idx"));
        if idx_like || bare.ends_with("-ubyte") || bare.ends_with(".ubyte") {
            return Some(Format::Idx);
        }
        if bare.len() != name.len() {
            return None; // another compressed file: its first bytes decide
        }
        match bare.rsplit_once('.')?.1 {
            "csv" | "tsv" | "tab" | "txt" => Some(Format::Csv),
            "npy" => Some(Format::Npy),
            "npz" => Some(Format::Npz),
            "parquet" | "pq" => Some(Format::Parquet),
            _ => None,
        }
    }
}

/// IDX's magic number: two zero bytes, a known type code and 1 to 4 dimensions.
pub(crate) fn is_idx_magic(start: &[u8]) -> bool {
    matches!(
        start,
        [0, 0, 0x08 | 0x09 | 0x0B | 0x0C | 0x0D | 0x0E, 1..=4, ..]
    )
}

/// Up to `n` bytes from the start of the file.
fn first_bytes(path: &Path, n: u64) -> Result<Vec<u8>> {
    let mut start = Vec::new();
    File::open(path)
        .and_then(|f| f.take(n).read_to_end(&mut start))
        .map_err(|source| Error::io(path, source))?;
    Ok(start)
}

/// Up to 4 bytes from the start of a gzip file's content (none if it is damaged).
fn gunzipped_start(path: &Path) -> Result<Vec<u8>> {
    let file = File::open(path).map_err(|source| Error::io(path, source))?;
    let mut start = Vec::new();
    // a damaged stream is reported by the IDX reader; here it only is not IDX
    let _ = MultiGzDecoder::new(file).take(4).read_to_end(&mut start);
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_name(name: &str) -> Option<Format> {
        Format::from_name(Path::new(name))
    }

    #[test]
    fn names_decide_first() {
        assert_eq!(by_name("train-images-idx3-ubyte"), Some(Format::Idx));
        assert_eq!(by_name("train-images-idx3-ubyte.gz"), Some(Format::Idx));
        assert_eq!(by_name("t10k-labels.idx1-ubyte"), Some(Format::Idx));
        assert_eq!(by_name("x.NPZ"), Some(Format::Npz));
        assert_eq!(by_name("data.parquet"), Some(Format::Parquet));
        assert_eq!(by_name("iris.tsv"), Some(Format::Csv));
        assert_eq!(by_name("x.npy"), Some(Format::Npy));
        assert_eq!(by_name("x.csv.gz"), None);
        assert_eq!(by_name("data"), None);
        assert_eq!(by_name("index.csv"), Some(Format::Csv));
    }

    #[test]
    fn idx_magic_needs_a_known_type_and_rank() {
        assert!(is_idx_magic(&[0, 0, 8, 3, 0, 0]));
        assert!(is_idx_magic(&[0, 0, 0x0D, 1]));
        assert!(!is_idx_magic(&[0, 0, 7, 3]));
        assert!(!is_idx_magic(&[0, 0, 8, 0]));
        assert!(!is_idx_magic(&[0, 0, 8, 5]));
        assert!(!is_idx_magic(&[0, 0, 8]));
    }
}

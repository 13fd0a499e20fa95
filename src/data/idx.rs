//! Loading IDX files, MNIST's own format (`train-images-idx3-ubyte`, `…-labels-idx1-ubyte`),
//! plain or gzip-compressed (recognised by gzip's magic bytes, whatever the name).
//!
//! An IDX file is a magic number (two zero bytes, a type code, the number of dimensions), one
//! big-endian u32 per dimension, then the values, big-endian, row-major. Type codes: 0x08
//! unsigned byte, 0x09 signed byte, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64. A 3-D array
//! `(n, h, w)` is n images, a 2-D one samples × features, a 1-D one labels.
//!
//! Memory stays bounded whatever the header says: a plain file's size must match the header
//! exactly before anything is allocated; compressed data is read up to the claimed size only,
//! after the claim was checked against the compressed size (`bounded.rs`).

use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use super::arrays::{
    byte_count, data_layout, dataset_from_values, describe_shape, display_name, labels_from_values,
    labels_shape_problem, shape_text,
};
use super::bounded::{at_end, check_claim, reserve_for};
use super::dataset::{Dataset, Labels};
use super::elements::{self, Element, Scalar};
use super::format::{GZIP_MAGIC, is_idx_magic};
use crate::error::{Error, Result};

/// An IDX file opened at its first value.
struct Opened {
    element: Element,
    shape: Vec<usize>,
    count: usize,
    /// For gzip data, the compressed file's size (the claim was checked against it).
    compressed_len: Option<u64>,
    reader: Box<dyn Read>,
}

/// Loads an IDX file as a dataset without labels: 3-D `(n, h, w)` as n images of h × w pixels
/// (`image_shape` set), 2-D as samples × features.
pub fn load_idx(path: &Path) -> Result<Dataset> {
    let (mut opened, layout) = open(path, data_layout)?;
    let reserve = reserve(&opened);
    let decoded = elements::read_f32(&mut opened.reader, opened.element, opened.count, reserve)
        .map_err(|e| read_error(path, &opened.shape, e))?;
    finish(path, &mut opened)?;
    dataset_from_values(
        path,
        display_name(path),
        &opened.shape,
        false,
        layout,
        decoded,
    )
}

/// Reads an IDX labels file (1-D, e.g. `train-labels-idx1-ubyte`): the labels and their count.
pub(crate) fn load_idx_labels(path: &Path) -> Result<(Labels, usize)> {
    let (mut opened, ()) = open(path, |shape| match labels_shape_problem(shape) {
        Some(_) => Err(format!(
            "an IDX labels file holds a 1-D array, this one holds {}; give an images file as \
             the data (--data) and its labels file (…-labels-idx1-ubyte) as --labels",
            describe_shape(shape)
        )),
        None => Ok(()),
    })?;
    let reserve = reserve(&opened);
    let values = elements::read_f64(&mut opened.reader, opened.element, opened.count, reserve)
        .map_err(|e| read_error(path, &opened.shape, e))?;
    finish(path, &mut opened)?;
    let labels = labels_from_values(path, &values, opened.element.is_integer())?;
    Ok((labels, values.len()))
}

/// The labels file beside an images file named like MNIST's (`train-images-idx3-ubyte[.gz]`,
/// `t10k-images.idx3-ubyte`): the same name with `labels` and `idx1`, compressed or not.
pub fn sibling_labels(images: &Path) -> Option<PathBuf> {
    let name = images.file_name()?.to_str()?;
    let gz = name.ends_with(".gz");
    let bare = name.strip_suffix(".gz").unwrap_or(name);
    let (before, after) = bare.rsplit_once("images")?;
    let labels = format!("{before}labels{after}");
    let (before, after) = labels.rsplit_once("idx3")?;
    let labels = format!("{before}idx1{after}");
    let candidates = if gz {
        [format!("{labels}.gz"), labels]
    } else {
        [labels.clone(), format!("{labels}.gz")]
    };
    candidates
        .into_iter()
        .map(|c| images.with_file_name(c))
        .find(|p| p.is_file())
}

/// Opens `path`, reads and checks the header (magic, dimensions, `check_shape`, size).
fn open<T>(
    path: &Path,
    check_shape: impl FnOnce(&[usize]) -> std::result::Result<T, String>,
) -> Result<(Opened, T)> {
    let bad = |msg: String| Error::bad_file(path, msg);
    let (file, file_len) = super::bounded::open_sized(path)?;
    let mut file = BufReader::with_capacity(1 << 20, file);
    let start = file
        .fill_buf_start()
        .map_err(|source| Error::io(path, source))?;
    let gzipped = start.starts_with(&GZIP_MAGIC);
    let mut reader: Box<dyn Read> = if gzipped {
        Box::new(MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut magic = [0u8; 4];
    read_header_bytes(&mut reader, &mut magic, gzipped).map_err(bad)?;
    let element = element_of(&magic).ok_or_else(|| bad(not_idx(&magic)))?;
    let mut dims = vec![0u8; 4 * usize::from(magic[3])];
    read_header_bytes(&mut reader, &mut dims, gzipped).map_err(bad)?;
    let shape: Vec<usize> = dims
        .chunks_exact(4)
        .map(|d| u32::from_be_bytes([d[0], d[1], d[2], d[3]]) as usize)
        .collect();
    if let Some(k) = shape.iter().position(|&d| d == 0) {
        return Err(bad(format!(
            "dimension {k} of the shape {} is 0, so the file holds no values; write the \
             array again, with at least one sample",
            shape_text(&shape)
        )));
    }
    let checked = check_shape(&shape).map_err(bad)?;
    let too_large = || bad(format!("the shape {} is too large", shape_text(&shape)));
    let expected = byte_count(&shape, element.size()).ok_or_else(too_large)?;
    let count = usize::try_from(expected / element.size() as u64).map_err(|_| too_large())?;
    if gzipped {
        check_claim(expected, file_len).map_err(bad)?;
    } else {
        let found = file_len.saturating_sub(4 + dims.len() as u64);
        if found != expected {
            return Err(bad(size_mismatch(&shape, expected, found)));
        }
    }
    let opened = Opened {
        element,
        shape,
        count,
        compressed_len: gzipped.then_some(file_len),
        reader: Box::new(reader.take(expected.saturating_add(1))),
    };
    Ok((opened, checked))
}

/// Elements to reserve: all of them for a plain file (its size was checked), else a bound.
fn reserve(opened: &Opened) -> usize {
    match opened.compressed_len {
        None => opened.count,
        Some(len) => reserve_for(opened.count, opened.element.size(), len),
    }
}

/// After the values: nothing may follow (this also checks a gzip stream's checksum).
fn finish(path: &Path, opened: &mut Opened) -> Result<()> {
    match at_end(&mut opened.reader) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::bad_file(
            path,
            format!(
                "there are bytes after the data of shape {}; the file is corrupt, or not an \
                 IDX file — get it again",
                shape_text(&opened.shape)
            ),
        )),
        Err(e) => Err(read_error(path, &opened.shape, e)),
    }
}

/// The element type for a magic number, if it is IDX's.
fn element_of(magic: &[u8; 4]) -> Option<Element> {
    if !is_idx_magic(magic) {
        return None;
    }
    let scalar = match magic[2] {
        0x08 => Scalar::U8,
        0x09 => Scalar::I8,
        0x0B => Scalar::I16,
        0x0C => Scalar::I32,
        0x0D => Scalar::F32,
        0x0E => Scalar::F64,
        _ => return None,
    };
    Some(Element {
        scalar,
        big_endian: true,
    })
}

fn not_idx(magic: &[u8; 4]) -> String {
    let found: Vec<String> = magic.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "this is not an IDX file: it starts with {}, but an IDX file starts with two zero \
         bytes, a type code (08 unsigned bytes, 09 signed bytes, 0b int16, 0c int32, 0d \
         float32, 0e float64) and the number of dimensions (1 to 4); check that this is the \
         file you meant (MNIST's files are named like train-images-idx3-ubyte)",
        found.join(" ")
    )
}

fn size_mismatch(shape: &[usize], expected: u64, found: u64) -> String {
    if found < expected {
        format!(
            "the file ends early: the header's shape {} needs {expected} bytes of values, the \
             file has {found}; the file is truncated — download or write it again",
            shape_text(shape)
        )
    } else {
        format!(
            "there are {} bytes after the values of shape {}; the file is corrupt, or not an \
             IDX file — get it again",
            found - expected,
            shape_text(shape)
        )
    }
}

/// Reads header bytes; an early end is a truncated file.
fn read_header_bytes(
    reader: &mut impl Read,
    buf: &mut [u8],
    gzipped: bool,
) -> std::result::Result<(), String> {
    reader.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => "the file ends inside the IDX header; the file is \
                                         truncated or empty — download or write it again"
            .to_string(),
        _ if gzipped => damaged(&e),
        _ => format!("cannot read the file ({e})"),
    })
}

/// The error for a failed read of the values.
fn read_error(path: &Path, shape: &[usize], e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => Error::bad_file(
            path,
            format!(
                "the data ends early: the header's shape {} needs more values than the file \
                 holds; the file is truncated — download or write it again",
                shape_text(shape)
            ),
        ),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
            Error::bad_file(path, damaged(&e))
        }
        _ => Error::io(path, e),
    }
}

fn damaged(e: &io::Error) -> String {
    format!(
        "the gzip-compressed data is damaged ({e}); download the file again, or check it with \
         gunzip -t"
    )
}

/// Peeking at a buffered reader's first bytes without consuming them.
trait FillStart {
    fn fill_buf_start(&mut self) -> io::Result<&[u8]>;
}

impl<R: Read> FillStart for BufReader<R> {
    fn fill_buf_start(&mut self) -> io::Result<&[u8]> {
        io::BufRead::fill_buf(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_codes() {
        assert_eq!(
            element_of(&[0, 0, 8, 3]).map(|e| e.scalar),
            Some(Scalar::U8)
        );
        assert_eq!(
            element_of(&[0, 0, 0x0E, 1]).map(|e| e.scalar),
            Some(Scalar::F64)
        );
        assert_eq!(element_of(&[0, 0, 0x0A, 1]), None);
        assert_eq!(element_of(&[1, 0, 8, 1]), None);
    }

    #[test]
    fn siblings_follow_mnist_names() {
        let dir = tempfile::tempdir().unwrap();
        let images = dir.path().join("train-images-idx3-ubyte.gz");
        assert_eq!(sibling_labels(&images), None);
        let plain = dir.path().join("train-labels-idx1-ubyte");
        std::fs::write(&plain, b"").unwrap();
        assert_eq!(sibling_labels(&images), Some(plain.clone()));
        let gz = dir.path().join("train-labels-idx1-ubyte.gz");
        std::fs::write(&gz, b"").unwrap();
        assert_eq!(sibling_labels(&images), Some(gz));
        let dotted = dir.path().join("t10k-images.idx3-ubyte");
        let labels = dir.path().join("t10k-labels.idx1-ubyte");
        std::fs::write(&labels, b"").unwrap();
        assert_eq!(sibling_labels(&dotted), Some(labels));
        assert_eq!(sibling_labels(Path::new("x-idx3-ubyte")), None);
    }
}

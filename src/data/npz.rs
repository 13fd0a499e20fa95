//! Loading NumPy `.npz` archives (`numpy.savez`, `numpy.savez_compressed`): a zip file of
//! `.npy` arrays, each under the name it was saved with.
//!
//! The data is the array named `X`, `data`, `features`, `images`, `embeddings` or `arr_0` (any
//! case; the first of these found), or the only array there is; the labels are the array named
//! `y`, `labels`, `label`, `target`, `targets` or `classes`, or the one the label column names.
//! Arrays are read like `.npy` files (2-D: samples × features, 3-D: images), through the same
//! header checks; an entry's sizes are checked against its header and its compressed size
//! before anything is allocated (`bounded.rs`).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use zip::ZipArchive;
use zip::result::ZipError;

use super::arrays::{
    data_layout, dataset_from_values, display_name, labels_from_values, labels_shape_problem,
    shape_text,
};
use super::bounded::{at_end, check_claim, reserve_for};
use super::dataset::{Dataset, Labels};
use super::elements;
use super::npy::{ArrayInfo, check_array, read_header};
use super::options::LabelColumn;
use crate::error::{Error, Result};

/// Names (any case) of the data array, by priority.
pub const DATA_NAMES: [&str; 6] = ["x", "data", "features", "images", "embeddings", "arr_0"];
/// Names (any case) of the labels array, by priority.
pub const LABEL_NAMES: [&str; 6] = ["y", "labels", "label", "target", "targets", "classes"];

type Archive = ZipArchive<BufReader<File>>;

/// One array of the archive, as its header describes it.
struct Entry {
    index: usize,
    /// The name it was saved under (`x` for `x.npy`).
    name: String,
    /// `(10000, 28, 28) uint8`, or what is wrong with it.
    summary: String,
    /// The array's shape, when its header could be read.
    shape: Option<Vec<usize>>,
}

/// Loads the data array of an `.npz` archive, and its labels array unless `labels_elsewhere`
/// (a labels file was given) or `choice` is [`LabelColumn::Unlabelled`]; a named label column
/// is the name of the labels array.
pub fn load_npz(path: &Path, choice: &LabelColumn, labels_elsewhere: bool) -> Result<Dataset> {
    let mut archive = open(path)?;
    let entries = list(path, &mut archive)?;
    let data = data_entry(path, &entries)?;
    let label_entry = match choice {
        LabelColumn::Unlabelled => None,
        LabelColumn::Named(name) => Some(named(path, &entries, name)?),
        LabelColumn::Auto => by_names(&entries, &LABEL_NAMES),
    };
    let (info, layout) = read_info(path, &mut archive, data, data_layout)?;
    let mut entry = archive
        .by_index(data.index)
        .map_err(|e| zip_error(path, e))?;
    skip_header(path, &mut entry, &data.name)?;
    let compressed = entry.compressed_size();
    let reserve = reserve_for(info.count, info.element.size(), compressed);
    let mut reader = (&mut entry).take(info.count as u64 * info.element.size() as u64 + 1);
    let decoded = elements::read_f32(&mut reader, info.element, info.count, reserve)
        .map_err(|e| entry_error(path, &data.name, e))?;
    finish(path, &data.name, &mut reader)?;
    drop(entry);
    let mut dataset = dataset_from_values(
        path,
        display_name(path),
        &info.shape,
        info.fortran_order,
        layout,
        decoded,
    )?;
    let mut note = format!("used array '{}' {} as the data", data.name, data.summary);
    match label_entry {
        Some(l) if labels_elsewhere => dataset.notes.push(format!(
            "array '{}' was not used as the labels: they come from the labels file given",
            l.name
        )),
        Some(l) => {
            let (labels, n) = read_labels(path, &mut archive, l)?;
            if n != dataset.n_samples() {
                return Err(Error::bad_file(
                    path,
                    format!(
                        "array '{}' holds {n} labels but the data array '{}' has {} rows; \
                         save one label per row",
                        l.name,
                        data.name,
                        dataset.n_samples()
                    ),
                ));
            }
            dataset.labels = Some(labels);
            note.push_str(&format!(" and '{}' as the labels", l.name));
        }
        None => {}
    }
    dataset.notes.insert(0, note);
    Ok(dataset)
}

/// The labels array of an archive given as a labels file: one named like labels, else the only
/// 1-D array. Returns the labels and their count.
pub(crate) fn load_npz_labels(path: &Path) -> Result<(Labels, usize)> {
    let mut archive = open(path)?;
    let entries = list(path, &mut archive)?;
    let one_d: Vec<&Entry> = entries
        .iter()
        .filter(|e| matches!(e.shape.as_deref(), Some([_])))
        .collect();
    let entry = match (by_names(&entries, &LABEL_NAMES), one_d.as_slice()) {
        (Some(e), _) => e,
        (None, [e]) => *e,
        _ => {
            return Err(Error::bad_file(
                path,
                format!(
                    "no array is named like labels ({}, any case); the archive holds {}; \
                     save the labels under one of these names, e.g. numpy.savez(path, y=labels)",
                    LABEL_NAMES.join(", "),
                    listing(&entries)
                ),
            ));
        }
    };
    read_labels(path, &mut archive, entry)
}

fn open(path: &Path) -> Result<Archive> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    ZipArchive::new(BufReader::new(file)).map_err(|e| {
        Error::bad_file(
            path,
            format!(
                "this is not a readable .npz archive ({e}); save the arrays with numpy.savez \
                 or numpy.savez_compressed"
            ),
        )
    })
}

/// Every `.npy` entry with its header's summary.
fn list(path: &Path, archive: &mut Archive) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).map_err(|e| zip_error(path, e))?;
        let full = file.name().map_err(|e| zip_error(path, e))?;
        let Some(name) = full.strip_suffix(".npy").map(str::to_owned) else {
            continue;
        };
        let size = file.size();
        let (summary, shape) = match read_header(&mut file, size) {
            Ok(h) => {
                let dtype = h.dtype.map_or_else(|d| d, |e| e.numpy_name().to_owned());
                (format!("{} {dtype}", shape_text(&h.shape)), Some(h.shape))
            }
            Err(_) => ("(unreadable)".to_owned(), None),
        };
        entries.push(Entry {
            index,
            name,
            summary,
            shape,
        });
    }
    if entries.is_empty() {
        return Err(Error::bad_file(
            path,
            "the archive holds no .npy arrays; save the arrays with numpy.savez(path, X=..., \
             y=...)",
        ));
    }
    Ok(entries)
}

/// The data array: by name, else the only array that is not named like labels.
fn data_entry<'a>(path: &Path, entries: &'a [Entry]) -> Result<&'a Entry> {
    if let Some(e) = by_names(entries, &DATA_NAMES) {
        return Ok(e);
    }
    let others: Vec<&Entry> = entries
        .iter()
        .filter(|e| !LABEL_NAMES.iter().any(|l| e.name.eq_ignore_ascii_case(l)))
        .collect();
    match others.as_slice() {
        [only] => Ok(only),
        _ => Err(Error::bad_file(
            path,
            format!(
                "no array is named like the data (X, data, features, images, embeddings or \
                 arr_0, any case); the archive holds {}; save the data under one of these \
                 names and the labels as y, e.g. numpy.savez(path, X=data, y=labels)",
                listing(entries)
            ),
        )),
    }
}

/// The first entry named (any case) like one of `names`, by the names' order.
fn by_names<'a>(entries: &'a [Entry], names: &[&str]) -> Option<&'a Entry> {
    names
        .iter()
        .find_map(|n| entries.iter().find(|e| e.name.eq_ignore_ascii_case(n)))
}

/// The entry the label column names (exactly, then any case).
fn named<'a>(path: &Path, entries: &'a [Entry], name: &str) -> Result<&'a Entry> {
    entries
        .iter()
        .find(|e| e.name == name)
        .or_else(|| entries.iter().find(|e| e.name.eq_ignore_ascii_case(name)))
        .ok_or_else(|| {
            Error::bad_file(
                path,
                format!(
                    "there is no array '{name}' for the labels; the archive holds {}; name one \
                     of these as the label column",
                    listing(entries)
                ),
            )
        })
}

/// `x (100, 3) float32, y (100,) int64`.
fn listing(entries: &[Entry]) -> String {
    let parts: Vec<String> = entries
        .iter()
        .map(|e| format!("{} {}", e.name, e.summary))
        .collect();
    super::columns::list_names(&parts)
}

/// The entry's header, checked against the entry's sizes and `check_shape`.
fn read_info<T>(
    path: &Path,
    archive: &mut Archive,
    entry: &Entry,
    check_shape: impl FnOnce(&[usize]) -> std::result::Result<T, String>,
) -> Result<(ArrayInfo, T)> {
    let bad = |msg: String| Error::bad_file(path, format!("array '{}': {msg}", entry.name));
    let mut file = archive
        .by_index(entry.index)
        .map_err(|e| zip_error(path, e))?;
    let size = file.size();
    let header = read_header(&mut file, size).map_err(bad)?;
    let data_len = size.saturating_sub(header.data_offset);
    let (info, checked) = check_array(header, data_len, check_shape).map_err(bad)?;
    check_claim(data_len, file.compressed_size()).map_err(bad)?;
    Ok((info, checked))
}

/// Reads past an entry's `.npy` header.
fn skip_header(path: &Path, file: &mut impl Read, name: &str) -> Result<()> {
    read_header(file, u64::MAX)
        .map(drop)
        .map_err(|msg| Error::bad_file(path, format!("array '{name}': {msg}")))
}

/// The labels in `entry`, and their count.
fn read_labels(path: &Path, archive: &mut Archive, entry: &Entry) -> Result<(Labels, usize)> {
    let (info, ()) = read_info(path, archive, entry, |shape| {
        labels_shape_problem(shape).map_or(Ok(()), Err)
    })?;
    let mut file = archive
        .by_index(entry.index)
        .map_err(|e| zip_error(path, e))?;
    skip_header(path, &mut file, &entry.name)?;
    let reserve = reserve_for(info.count, info.element.size(), file.compressed_size());
    let mut reader = (&mut file).take(info.count as u64 * info.element.size() as u64 + 1);
    let values = elements::read_f64(&mut reader, info.element, info.count, reserve)
        .map_err(|e| entry_error(path, &entry.name, e))?;
    finish(path, &entry.name, &mut reader)?;
    let labels = labels_from_values(path, &values, info.element.is_integer())?;
    Ok((labels, values.len()))
}

/// Nothing may follow the values (reading to the end also checks the entry's checksum).
fn finish(path: &Path, name: &str, reader: &mut impl Read) -> Result<()> {
    match at_end(reader) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::bad_file(
            path,
            format!(
                "array '{name}' has bytes after its data; the archive is corrupt, save it again"
            ),
        )),
        Err(e) => Err(entry_error(path, name, e)),
    }
}

fn entry_error(path: &Path, name: &str, e: std::io::Error) -> Error {
    let what = if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "its data ends early".to_owned()
    } else {
        format!("it cannot be read ({e})")
    };
    Error::bad_file(
        path,
        format!("array '{name}': {what}; the archive is damaged, save it again"),
    )
}

fn zip_error(path: &Path, e: ZipError) -> Error {
    if let ZipError::Io(source) = e {
        return Error::Io {
            path: path.to_path_buf(),
            source,
        };
    }
    let unsupported = matches!(
        e,
        ZipError::UnsupportedArchive(_) | ZipError::CompressionMethodNotSupported(_)
    );
    let msg = if unsupported {
        format!(
            "the archive uses a feature this tool does not read ({e}); save it again with \
             numpy.savez or numpy.savez_compressed (stored or deflate entries)"
        )
    } else {
        format!("the archive is damaged ({e}); save it again with numpy.savez")
    };
    Error::bad_file(path, msg)
}

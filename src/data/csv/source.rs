//! An opened CSV file: dialect detected, header read, records streamed with their line numbers.
//!
//! The file is streamed (only a sample of its start is held for sniffing), so a large file is
//! never in memory twice.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{Chain, Cursor, Read};
use std::path::{Path, PathBuf};

use ::csv::{ByteRecord, Reader, ReaderBuilder};

use super::sniff::{detect_delimiter, detect_header};
use crate::error::{Error, Result};

/// Bytes read from the start of the file to choose the delimiter.
const SNIFF_BYTES: usize = 1 << 20;
/// Records read ahead to decide whether the first row is a header.
const HEADER_RECORDS: usize = 50;
/// Buffer of the CSV reader.
const READ_BUFFER: usize = 1 << 18;

type Stream = Chain<Cursor<Vec<u8>>, File>;

/// An opened CSV file, positioned at its first data row.
pub(crate) struct CsvSource {
    path: PathBuf,
    reader: Reader<Stream>,
    /// Records read ahead for header detection and not handed out yet.
    pending: VecDeque<ByteRecord>,
    /// Column names (`col0`, `col1`, ... without a header, or for empty header cells).
    pub names: Vec<String>,
    /// Whether the first row was a header.
    pub has_header: bool,
    /// Whether `1,5` counts as 1.5 (the delimiter is not a comma).
    pub comma_decimal: bool,
    /// A guess of the number of data rows, for reserving memory.
    pub rows_hint: usize,
    /// The field delimiter.
    pub delimiter: u8,
    /// Size of the file in bytes.
    pub file_len: u64,
    /// Bytes before the reader's input (a byte order mark).
    bom: u64,
}

impl CsvSource {
    /// Opens `path`, detects the delimiter and the header.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let io_err = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = File::open(path).map_err(io_err)?;
        let file_len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut sample = Vec::new();
        (&mut file)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut sample)
            .map_err(io_err)?;
        let complete = sample.len() < SNIFF_BYTES;
        check_encoding(path, &sample)?;
        let bom = if sample.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let is_tsv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
        let delimiter = detect_delimiter(&sample[bom..], complete, is_tsv);

        let mut cursor = Cursor::new(sample);
        cursor.set_position(bom as u64);
        let mut reader = ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(READ_BUFFER)
            .from_reader(cursor.chain(file));

        let mut ahead = Vec::new();
        let mut rec = ByteRecord::new();
        while ahead.len() < HEADER_RECORDS && read_record(path, &mut reader, &mut rec, 0)? {
            ahead.push(rec.clone());
        }
        let Some(first) = ahead.first() else {
            return Err(Error::bad_file(
                path,
                "the file is empty; give a CSV file with one row per sample \
                 (and optionally a header row)",
            ));
        };
        let n_fields = first.len();
        let comma_decimal = delimiter != b',';
        let has_header = detect_header(&ahead, comma_decimal);
        let mut names: Vec<String> = (0..n_fields).map(|j| format!("col{j}")).collect();
        if has_header {
            for (name, raw) in names.iter_mut().zip(first.iter()) {
                let text = std::str::from_utf8(raw).map_err(|_| {
                    Error::bad_file(
                        path,
                        format!(
                            "line {} (the header) is not valid UTF-8 text; save the file as UTF-8",
                            line_of(first)
                        ),
                    )
                })?;
                if !text.trim().is_empty() {
                    *name = text.trim().to_string();
                }
            }
        }
        let sample_bytes = reader.position().byte().max(1);
        let bytes_per_row = (sample_bytes as usize / ahead.len()).max(1);
        let rows_hint = (file_len as usize / bytes_per_row).saturating_add(16);
        let mut pending: VecDeque<ByteRecord> = ahead.into();
        if has_header {
            pending.pop_front();
        }
        Ok(CsvSource {
            path: path.to_path_buf(),
            reader,
            pending,
            names,
            has_header,
            comma_decimal,
            rows_hint,
            delimiter,
            file_len,
            bom: bom as u64,
        })
    }

    /// The file's path, for messages.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Number of fields in every row.
    pub(crate) fn n_fields(&self) -> usize {
        self.names.len()
    }

    /// The next of the rows read ahead for header detection.
    pub(crate) fn next_pending(&mut self) -> Option<ByteRecord> {
        self.pending.pop_front()
    }

    /// Where the rows after those read ahead begin: the byte offset in the file and the 1-based
    /// line number.
    pub(crate) fn rest_start(&self) -> (u64, u64) {
        let pos = self.reader.position();
        (self.bom + pos.byte(), pos.line())
    }

    /// A row with a different number of fields than the first row is an error naming the line
    /// and both counts.
    pub(crate) fn check_width(&self, rec: &ByteRecord) -> Result<()> {
        self.check_field_count(line_of(rec), rec.len())
    }

    /// [`CsvSource::check_width`] for a row of `fields` fields on `line`.
    pub(crate) fn check_field_count(&self, line: u64, fields: usize) -> Result<()> {
        let expected = self.names.len();
        if fields == expected {
            return Ok(());
        }
        let first = if self.has_header {
            "the header has"
        } else {
            "the first row has"
        };
        Err(Error::bad_file(
            &self.path,
            format!(
                "line {line} has {fields} fields but {first} {expected}; every row needs the same \
                 number of fields (look for a missing or extra delimiter or an unclosed quote)",
            ),
        ))
    }
}

/// The 1-based line on which `rec` starts.
pub(crate) fn line_of(rec: &ByteRecord) -> u64 {
    rec.position().map_or(0, |p| p.line())
}

/// Reads the next record, skipping lines that hold nothing but spaces.
/// `line_shift` is added to the line numbers in messages.
pub(crate) fn read_record<R: Read>(
    path: &Path,
    reader: &mut Reader<R>,
    rec: &mut ByteRecord,
    line_shift: u64,
) -> Result<bool> {
    loop {
        if !read_raw_record(path, reader, rec, line_shift)? {
            return Ok(false);
        }
        let blank = rec.len() == 1 && rec.get(0).is_some_and(|c| c.trim_ascii().is_empty());
        if !blank {
            return Ok(true);
        }
    }
}

fn read_raw_record<R: Read>(
    path: &Path,
    reader: &mut Reader<R>,
    rec: &mut ByteRecord,
    line_shift: u64,
) -> Result<bool> {
    reader.read_byte_record(rec).map_err(|e| {
        let line = e.position().map(|p| p.line() + line_shift);
        match e.into_kind() {
            ::csv::ErrorKind::Io(source) => Error::Io {
                path: path.to_path_buf(),
                source,
            },
            other => Error::bad_file(
                path,
                match line {
                    Some(l) => format!("line {l} cannot be read as CSV ({other:?}); fix that line"),
                    None => format!("the file cannot be read as CSV ({other:?})"),
                },
            ),
        }
    })
}

/// Rejects encodings other than UTF-8 that can be recognised from the first bytes.
fn check_encoding(path: &Path, sample: &[u8]) -> Result<()> {
    if sample.starts_with(b"\xFF\xFE") || sample.starts_with(b"\xFE\xFF") {
        return Err(Error::bad_file(
            path,
            "the file is UTF-16 text; save it as UTF-8 (\"CSV UTF-8\" in spreadsheet programs)",
        ));
    }
    if sample.starts_with(b"\x93NUMPY") {
        return Err(Error::bad_file(
            path,
            "this is a NumPy .npy file, not CSV text; give it a .npy extension",
        ));
    }
    Ok(())
}

//! An opened CSV file: dialect detected, header read, records streamed with their line numbers.
//!
//! The file is streamed (only a sample of its start is held for sniffing), so a large file is
//! never in memory twice.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{Chain, Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use ::csv::{ByteRecord, Reader, ReaderBuilder, Terminator};

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
    /// Records read ahead for header detection and not handed out yet, with their lines.
    pending: VecDeque<(ByteRecord, u64)>,
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
    /// Whether a carriage return alone ends a row (old Mac files: the start of the file has
    /// one); otherwise only a line feed does, and a CR before it is trimmed with the last cell.
    pub cr_ends_rows: bool,
    /// Size of the file in bytes.
    pub file_len: u64,
    /// Bytes before the reader's input (a byte order mark).
    bom: u64,
    /// Whether the file's last byte is a line feed.
    ends_with_newline: bool,
    /// Where the rows after the first one begin when the rows read ahead are to be read again
    /// (see [`CsvSource::forget_read_ahead`]): the byte offset in the file and the line.
    rest_at: Option<(u64, u64)>,
}

impl CsvSource {
    /// Opens `path`, detects the delimiter and the header.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        crate::data::bounded::check_readable_file(path)?;
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
        let cr_ends_rows = has_lone_cr(&sample, complete);
        let ends_with_newline = if complete {
            sample.last() == Some(&b'\n')
        } else {
            last_byte(path).map_err(io_err)? == Some(b'\n')
        };
        let lines = Lines {
            cr_ends_rows,
            input_len: file_len.saturating_sub(bom as u64),
            ends_with_newline,
        };

        let mut cursor = Cursor::new(sample);
        cursor.set_position(bom as u64);
        let mut reader = reader_builder(delimiter, cr_ends_rows).from_reader(cursor.chain(file));

        let mut ahead = Vec::new();
        let mut rec = ByteRecord::new();
        while ahead.len() < HEADER_RECORDS {
            let Some(line) = read_record(path, &mut reader, &mut rec, 0, lines)? else {
                break;
            };
            ahead.push((rec.clone(), line));
        }
        let Some((first, first_line)) = ahead.first() else {
            return Err(Error::bad_file(
                path,
                "the file is empty; give a CSV file with one row per sample \
                 (and optionally a header row)",
            ));
        };
        let n_fields = first.len();
        let comma_decimal = delimiter != b',';
        let records: Vec<ByteRecord> = ahead.iter().map(|(r, _)| r.clone()).collect();
        let has_header = detect_header(&records, comma_decimal);
        let mut names: Vec<String> = (0..n_fields).map(|j| format!("col{j}")).collect();
        if has_header {
            for (name, raw) in names.iter_mut().zip(first.iter()) {
                let text = std::str::from_utf8(raw).map_err(|_| {
                    Error::bad_file(
                        path,
                        format!(
                            "line {first_line} (the header) is not valid UTF-8 text; save the \
                             file as UTF-8",
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
        let mut pending: VecDeque<(ByteRecord, u64)> = ahead.into();
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
            cr_ends_rows,
            file_len,
            bom: bom as u64,
            ends_with_newline,
            rest_at: None,
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

    /// The next of the rows read ahead for header detection, with the line it starts on.
    pub(crate) fn next_pending(&mut self) -> Option<(ByteRecord, u64)> {
        self.pending.pop_front()
    }

    /// How to tell the lines of records read from the file from byte `offset` on.
    pub(crate) fn lines_from(&self, offset: u64) -> Lines {
        Lines {
            cr_ends_rows: self.cr_ends_rows,
            input_len: self.file_len.saturating_sub(offset),
            ends_with_newline: self.ends_with_newline,
        }
    }

    /// Where the rows after those read ahead begin: the byte offset in the file and the 1-based
    /// line number.
    pub(crate) fn rest_start(&self) -> (u64, u64) {
        self.rest_at.unwrap_or_else(|| {
            let pos = self.reader.position();
            (self.bom + pos.byte(), pos.line())
        })
    }

    /// Forgets the data rows read ahead for header detection, so that [`CsvSource::rest_start`]
    /// is the first data row and every data row is read again from the file (for tests of the
    /// chunked parser on small files).
    pub(crate) fn forget_read_ahead(&mut self) {
        let first = self.pending.front().and_then(|(r, _)| r.position());
        if let Some(pos) = first {
            self.rest_at = Some((self.bom + pos.byte(), pos.line()));
            self.pending.clear();
        }
    }

    /// A row of `fields` fields on `line` with a different number of fields than the first
    /// row is an error naming the line and both counts.
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

/// The csv reader's settings for a file with this delimiter and line ends.
///
/// With `cr_ends_rows`, `\r`, `\n` and `\r\n` each end a row; otherwise only `\n` does (a
/// `\r` before it stays in the last cell, where trimming removes it). The reader leaves the `\n`
/// of a `\r\n` for the next record, whose line number is then one too small, so CRLF files
/// must not end rows at a `\r`.
pub(crate) fn reader_builder(delimiter: u8, cr_ends_rows: bool) -> ReaderBuilder {
    let terminator = if cr_ends_rows {
        Terminator::CRLF
    } else {
        Terminator::Any(b'\n')
    };
    let mut builder = ReaderBuilder::new();
    builder
        .delimiter(delimiter)
        .terminator(terminator)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(READ_BUFFER);
    builder
}

/// Whether `sample` (the start of the file; all of it when `complete`) has a carriage return
/// that is not followed by a line feed.
fn has_lone_cr(sample: &[u8], complete: bool) -> bool {
    memchr::memchr_iter(b'\r', sample).any(|i| match sample.get(i + 1) {
        Some(&next) => next != b'\n',
        None => complete,
    })
}

/// The last byte of the file, if any.
fn last_byte(path: &Path) -> std::io::Result<Option<u8>> {
    let mut file = File::open(path)?;
    if file.seek(SeekFrom::End(0))? == 0 {
        return Ok(None);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut byte = [0u8];
    file.read_exact(&mut byte)?;
    Ok(Some(byte[0]))
}

/// What [`read_record`] needs to know to tell the line a record starts on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lines {
    /// Whether a lone CR ends rows (see [`reader_builder`]).
    pub cr_ends_rows: bool,
    /// Bytes in the reader's input.
    pub input_len: u64,
    /// Whether the file's last byte is a line feed.
    pub ends_with_newline: bool,
}

/// Reads the next record, skipping lines that hold nothing but spaces, and returns the
/// 1-based line it starts on plus `line_shift` (`None` at the end).
///
/// The csv reader's record position is where it started looking, before the empty lines it
/// skips, so the line is counted back from the end of the record instead: less the line
/// breaks in its (quoted) cells and the one ending it. With a lone CR ending rows, that
/// position is used as it is (a CRLF's LF is read with the next record, so such files with
/// CRLFs too may be a line off).
pub(crate) fn read_record<R: Read>(
    path: &Path,
    reader: &mut Reader<R>,
    rec: &mut ByteRecord,
    line_shift: u64,
    lines: Lines,
) -> Result<Option<u64>> {
    loop {
        if !read_raw_record(path, reader, rec, line_shift)? {
            return Ok(None);
        }
        let blank = rec.len() == 1 && rec.get(0).is_some_and(|c| c.trim_ascii().is_empty());
        if blank {
            continue;
        }
        if lines.cr_ends_rows {
            return Ok(Some(rec.position().map_or(1, |p| p.line()) + line_shift));
        }
        let end = reader.position();
        let inner: usize = rec
            .iter()
            .map(|f| memchr::memchr_iter(b'\n', f).count())
            .sum();
        let unterminated = end.byte() >= lines.input_len && !lines.ends_with_newline;
        let back = inner as u64 + u64::from(!unterminated);
        return Ok(Some(end.line().saturating_sub(back).max(1) + line_shift));
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

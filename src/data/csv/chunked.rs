//! The data rows after those read ahead for sniffing: read in 4 MiB chunks cut at line ends,
//! parsed by two threads while this thread reads on, and merged in file order.
//!
//! Rows without quotes are split by hand (a delimiter ends a field, a line feed a row, and in
//! files with old Mac line ends a carriage return too, as for the csv reader). From the first chunk that holds a quote on,
//! the rest of the file goes through the csv reader, which handles quoted delimiters and line
//! breaks. Either way every error names the line, and the result is the same as reading the
//! whole file with the csv reader.
//!
//! The chunk size is a parameter ([`ChunkTuning`]) so that tests can make chunks of a few bytes
//! and cut small files at every position; everything else uses [`ChunkTuning::default`].

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, channel, sync_channel};

use ::csv::ByteRecord;

use super::source::{CsvSource, read_record, reader_builder};
use super::table::{Table, utf8_error};
use crate::error::{Error, Result};

/// Bytes per chunk (the last line is carried into the next chunk) in production.
const CHUNK: u64 = 4 << 20;
/// Parsing threads.
const WORKERS: usize = 2;
/// Chunks read ahead of the parsers, bounding memory to a few chunks.
const QUEUE: usize = 4;
/// Rows between progress reports on the csv reader's path.
const PROGRESS_ROWS: usize = 8192;

/// How the data rows are cut into chunks for the parallel parser.
///
/// Everything but tests uses [`ChunkTuning::default`]: 4 MiB chunks, the rows read ahead for
/// sniffing kept as read. Tests make the chunks a few bytes long and read every data row in
/// chunks, so that small inputs cross chunk boundaries at every position; the result must not
/// depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkTuning {
    /// Bytes read per chunk (0 counts as 1); a chunk is then cut at its last line end.
    pub chunk_bytes: u64,
    /// Reads the data rows that were read ahead to detect the header (up to 50) again, in
    /// chunks, instead of keeping them as the csv reader read them.
    pub reparse_read_ahead: bool,
}

impl Default for ChunkTuning {
    fn default() -> Self {
        ChunkTuning {
            chunk_bytes: CHUNK,
            reparse_read_ahead: false,
        }
    }
}

/// What a parser needs to know about the rows.
#[derive(Debug, Clone, Copy)]
struct Layout {
    delimiter: u8,
    cr_ends_rows: bool,
    n_fields: usize,
    label: Option<usize>,
    comma_decimal: bool,
}

/// One parsed chunk: its rows, and the line feeds it held.
struct Parsed {
    table: Table,
    lines: u64,
}

/// What can be wrong with a row of a chunk; lines count from the chunk's first line (1).
enum ChunkError {
    Width { line: u64, fields: usize },
    Utf8 { line: u64, col: usize },
}

impl ChunkError {
    fn into_error(self, src: &CsvSource, line_offset: u64) -> Error {
        match self {
            ChunkError::Width { line, fields } => {
                match src.check_field_count(line + line_offset, fields) {
                    Err(e) => e,
                    // Unreachable: the parser only reports wrong counts.
                    Ok(()) => Error::Internal(format!("{}: counting fields", src.path().display())),
                }
            }
            ChunkError::Utf8 { line, col } => utf8_error(src, line + line_offset, col),
        }
    }
}

/// Reads every row after those `src` read ahead into `table`, in chunks of about
/// `tuning.chunk_bytes`, calling `progress(bytes_read, file_bytes)` after every chunk.
pub(crate) fn read_rest(
    src: &CsvSource,
    table: &mut Table,
    progress: &(dyn Fn(u64, u64) + Sync),
    tuning: ChunkTuning,
) -> Result<()> {
    let chunk = tuning.chunk_bytes.max(1);
    let path = src.path();
    let io_err = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let (offset, first_line) = src.rest_start();
    let mut file = File::open(path).map_err(io_err)?;
    file.seek(SeekFrom::Start(offset)).map_err(io_err)?;
    let layout = Layout {
        delimiter: src.delimiter,
        cr_ends_rows: src.cr_ends_rows,
        n_fields: src.n_fields(),
        label: table.label(),
        comma_decimal: src.comma_decimal,
    };
    let total = src.file_len;

    let (job_tx, job_rx) = sync_channel::<(usize, Vec<u8>)>(QUEUE);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = channel();
    let mut merger = Merger {
        next: 0,
        line: first_line,
        waiting: BTreeMap::new(),
    };
    let (tail, read) = std::thread::scope(|scope| -> Result<(Option<Vec<u8>>, u64)> {
        // Moved in, so that any return drops it and the parsers stop.
        let job_tx = job_tx;
        for _ in 0..WORKERS {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || {
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((index, bytes)) = job else { return };
                    if done_tx.send((index, parse_chunk(&bytes, layout))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut carry = Vec::new();
        let mut read = offset;
        let mut sent = 0;
        loop {
            let mut buf = std::mem::take(&mut carry);
            let got = (&mut file)
                .take(chunk)
                .read_to_end(&mut buf)
                .map_err(io_err)? as u64;
            read += got;
            let eof = got < chunk;
            if buf.is_empty() {
                break;
            }
            if memchr::memchr(b'"', &buf).is_some() {
                // Quoted fields may span lines: the csv reader takes it from here.
                merger.wait_for(sent, &done_rx, src, table)?;
                return Ok((Some(buf), read));
            }
            let cut = if eof {
                buf.len()
            } else {
                let end = if layout.cr_ends_rows {
                    // when it is the CR of a CRLF, the next chunk starts with an empty row
                    memchr::memrchr2(b'\n', b'\r', &buf)
                } else {
                    memchr::memrchr(b'\n', &buf)
                };
                match end {
                    Some(p) => p + 1,
                    None => {
                        // One line longer than a chunk: read on.
                        carry = buf;
                        continue;
                    }
                }
            };
            carry = buf[cut..].to_vec();
            buf.truncate(cut);
            if job_tx.send((sent, buf)).is_err() {
                break;
            }
            sent += 1;
            progress(read - carry.len() as u64, total);
            merger.take_ready(&done_rx, src, table)?;
            if eof {
                break;
            }
        }
        merger.wait_for(sent, &done_rx, src, table)?;
        Ok((None, read))
    })?;
    if let Some(head) = tail {
        read_with_csv_reader(src, table, head, file, merger.line, read, progress)?;
    }
    progress(total, total);
    Ok(())
}

/// Merges parsed chunks into the table in file order, keeping those that arrive early.
struct Merger {
    /// Index of the next chunk to merge.
    next: usize,
    /// The line on which that chunk starts.
    line: u64,
    waiting: BTreeMap<usize, std::result::Result<Parsed, ChunkError>>,
}

type Done = (usize, std::result::Result<Parsed, ChunkError>);

impl Merger {
    /// Merges what has arrived, without waiting.
    fn take_ready(
        &mut self,
        rx: &Receiver<Done>,
        src: &CsvSource,
        table: &mut Table,
    ) -> Result<()> {
        while let Ok((index, result)) = rx.try_recv() {
            self.waiting.insert(index, result);
        }
        self.merge(src, table)
    }

    /// Waits for and merges every chunk before `count`.
    fn wait_for(
        &mut self,
        count: usize,
        rx: &Receiver<Done>,
        src: &CsvSource,
        table: &mut Table,
    ) -> Result<()> {
        self.merge(src, table)?;
        while self.next < count {
            let Ok((index, result)) = rx.recv() else {
                return Err(Error::Internal(format!(
                    "{}: a parsing thread stopped",
                    src.path().display()
                )));
            };
            self.waiting.insert(index, result);
            self.merge(src, table)?;
        }
        Ok(())
    }

    fn merge(&mut self, src: &CsvSource, table: &mut Table) -> Result<()> {
        while let Some(result) = self.waiting.remove(&self.next) {
            let parsed = result.map_err(|e| e.into_error(src, self.line - 1))?;
            table.append(parsed.table, self.line - 1);
            self.line += parsed.lines;
            self.next += 1;
        }
        Ok(())
    }
}

/// Parses the rows of `bytes` (whole rows, no quotes).
///
/// As for the csv reader, `\n` ends a row (and, when `layout.cr_ends_rows`, `\r` and `\r\n`
/// too), only `\n` counts as a line, and a row of one blank field is a blank line, skipped (a
/// row of empty fields is a row).
fn parse_chunk(bytes: &[u8], layout: Layout) -> std::result::Result<Parsed, ChunkError> {
    let lines = memchr::memchr_iter(b'\n', bytes).count() as u64;
    let mut table = Table::new(layout.n_fields, layout.label, lines as usize + 1);
    let mut fields: Vec<&[u8]> = Vec::with_capacity(layout.n_fields);
    let cr = if layout.cr_ends_rows { b'\r' } else { b'\n' };
    let ends = memchr::memchr2_iter(b'\n', cr, bytes).chain(std::iter::once(bytes.len()));
    let (mut start, mut line_no) = (0, 1);
    for end in ends {
        let row = bytes.get(start..end).unwrap_or(&[]);
        // the csv reader keeps this CR in the last cell, which is trimmed
        let row = row.strip_suffix(b"\r").unwrap_or(row);
        let row_line = line_no;
        line_no += u64::from(bytes.get(end) == Some(&b'\n'));
        start = end + 1;
        fields.clear();
        fields.extend(row.split(|&b| b == layout.delimiter));
        if let [only] = fields[..]
            && only.trim_ascii().is_empty()
        {
            continue;
        }
        if fields.len() != layout.n_fields {
            return Err(ChunkError::Width {
                line: row_line,
                fields: fields.len(),
            });
        }
        table
            .push_record(fields.iter().copied(), row_line, layout.comma_decimal)
            .map_err(|(line, col)| ChunkError::Utf8 { line, col })?;
    }
    Ok(Parsed { table, lines })
}

/// The rest of the file from `head` (a chunk starting on `first_line`) through the csv reader.
fn read_with_csv_reader(
    src: &CsvSource,
    table: &mut Table,
    head: Vec<u8>,
    file: File,
    first_line: u64,
    read_before: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<()> {
    let head_len = head.len() as u64;
    let mut reader =
        reader_builder(src.delimiter, src.cr_ends_rows).from_reader(Cursor::new(head).chain(file));
    let shift = first_line - 1;
    let mut rec = ByteRecord::new();
    let lines = src.lines_from(read_before - head_len);
    while let Some(line) = read_record(src.path(), &mut reader, &mut rec, shift, lines)? {
        src.check_field_count(line, rec.len())?;
        table
            .push_record(rec.iter(), line, src.comma_decimal)
            .map_err(|(line, col)| utf8_error(src, line, col))?;
        if table.n_rows.is_multiple_of(PROGRESS_ROWS) {
            let done = read_before - head_len + reader.position().byte();
            progress(done, src.file_len);
        }
    }
    Ok(())
}

//! Reading every data row of a [`CsvSource`] into one numeric table, with per-column statistics
//! (missing cells, text cells, infinities and where each first occurs) from which the callers
//! decide which columns to keep and which error to report.

use super::chunked::ChunkTuning;
use super::sniff::{Cell, classify, is_missing_marker};
use super::source::CsvSource;
use crate::error::{Error, Result};

/// Largest number of values reserved up front (the vector still grows past it).
const MAX_RESERVE: usize = 1 << 28;
/// Longest cell text quoted in a message, in characters.
const MAX_QUOTE: usize = 40;

/// What was seen in one column.
#[derive(Debug, Clone, Default)]
pub(crate) struct ColumnStats {
    /// Cells holding a missing marker.
    pub missing: usize,
    /// Cells that are neither numbers nor missing markers nor infinities.
    pub text: usize,
    /// Line of the first missing cell.
    pub first_missing: Option<u64>,
    /// Line and text of the first text cell.
    pub first_text: Option<(u64, String)>,
    /// Line and text of the first infinite cell.
    pub first_infinite: Option<(u64, String)>,
}

impl ColumnStats {
    #[cold]
    fn note(&mut self, cell: Cell, line: u64, raw: &[u8]) {
        match cell {
            Cell::Number(_) => {}
            Cell::Missing => {
                self.missing += 1;
                self.first_missing.get_or_insert(line);
            }
            Cell::Text => {
                self.text += 1;
                self.first_text.get_or_insert_with(|| (line, quote(raw)));
            }
            Cell::Infinite => {
                self.first_infinite
                    .get_or_insert_with(|| (line, quote(raw)));
            }
        }
    }
}

/// The label column's cells (trimmed), stored end to end.
#[derive(Debug, Default)]
pub(crate) struct LabelCells {
    text: String,
    ends: Vec<usize>,
}

impl LabelCells {
    /// The `i`-th cell, or `""` past the end.
    pub(crate) fn get(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or("")
    }

    fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }
}

/// All data rows of a file.
#[derive(Debug)]
pub(crate) struct Table {
    /// Number of data rows.
    pub n_rows: usize,
    /// The file column behind each column of `values` (every column but the label).
    pub value_cols: Vec<usize>,
    /// `n_rows × value_cols.len()`, row-major; NaN where the cell was not a finite number.
    pub values: Vec<f32>,
    /// The label column's cells, when a label column was asked for.
    pub labels: Option<LabelCells>,
    /// The label column.
    label: Option<usize>,
    /// Per file column.
    pub stats: Vec<ColumnStats>,
}

/// Something wrong with a cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Problem {
    /// Not a number; the cell's text.
    Text(String),
    /// Infinite or too large; the cell's text.
    Infinite(String),
    /// A missing marker.
    Missing,
}

/// Reads all remaining rows of `src`; column `label` (if any) is kept as text.
/// `progress(bytes_read, file_bytes)` is called as the file is read; `tuning` says how the
/// rows are split into chunks ([`ChunkTuning::default`] but in tests).
pub(crate) fn read_table(
    src: &mut CsvSource,
    label: Option<usize>,
    progress: &(dyn Fn(u64, u64) + Sync),
    tuning: ChunkTuning,
) -> Result<Table> {
    if tuning.reparse_read_ahead {
        src.forget_read_ahead();
    }
    let mut table = Table::new(src.n_fields(), label, src.rows_hint);
    let comma_decimal = src.comma_decimal;
    while let Some((rec, line)) = src.next_pending() {
        src.check_field_count(line, rec.len())?;
        table
            .push_record(rec.iter(), line, comma_decimal)
            .map_err(|(line, col)| utf8_error(src, line, col))?;
    }
    super::chunked::read_rest(src, &mut table, progress, tuning)?;
    Ok(table)
}

impl Table {
    /// An empty table for rows of `n_fields` fields, room reserved for about `rows_hint` rows.
    pub(crate) fn new(n_fields: usize, label: Option<usize>, rows_hint: usize) -> Table {
        let value_cols: Vec<usize> = (0..n_fields).filter(|&j| Some(j) != label).collect();
        let reserve = rows_hint.saturating_mul(value_cols.len()).min(MAX_RESERVE);
        Table {
            n_rows: 0,
            value_cols,
            values: Vec::with_capacity(reserve),
            labels: label.map(|_| LabelCells::default()),
            label,
            stats: vec![ColumnStats::default(); n_fields],
        }
    }

    /// The label column, if any.
    pub(crate) fn label(&self) -> Option<usize> {
        self.label
    }

    /// Adds one row (exactly `n_fields` fields, starting on `line`); `Err((line, column))` when a
    /// cell that is not a number is not UTF-8 either.
    pub(crate) fn push_record<'a>(
        &mut self,
        fields: impl Iterator<Item = &'a [u8]>,
        line: u64,
        comma_decimal: bool,
    ) -> std::result::Result<(), (u64, usize)> {
        let label = self.label;
        for (j, raw) in fields.enumerate() {
            if Some(j) == label {
                let text = std::str::from_utf8(raw.trim_ascii()).map_err(|_| (line, j))?;
                if is_missing_marker(text) {
                    self.stats[j].note(Cell::Missing, line, raw);
                }
                if let Some(cells) = self.labels.as_mut() {
                    cells.push(text);
                }
                continue;
            }
            match classify(raw, comma_decimal) {
                Ok(Cell::Number(v)) => self.values.push(v),
                Ok(cell) => {
                    self.values.push(f32::NAN);
                    self.stats[j].note(cell, line, raw);
                }
                Err(_) => return Err((line, j)),
            }
        }
        self.n_rows += 1;
        Ok(())
    }

    /// Appends the rows of `other`, whose line numbers count from `line_offset` + 1.
    pub(crate) fn append(&mut self, other: Table, line_offset: u64) {
        self.n_rows += other.n_rows;
        self.values.extend_from_slice(&other.values);
        if let (Some(mine), Some(theirs)) = (self.labels.as_mut(), other.labels) {
            for i in 0..theirs.ends.len() {
                mine.push(theirs.get(i));
            }
        }
        for (mine, theirs) in self.stats.iter_mut().zip(other.stats) {
            mine.missing += theirs.missing;
            mine.text += theirs.text;
            let shift = |line: u64| line + line_offset;
            if mine.first_missing.is_none() {
                mine.first_missing = theirs.first_missing.map(shift);
            }
            if mine.first_text.is_none() {
                mine.first_text = theirs.first_text.map(|(l, t)| (shift(l), t));
            }
            if mine.first_infinite.is_none() {
                mine.first_infinite = theirs.first_infinite.map(|(l, t)| (shift(l), t));
            }
        }
    }

    /// The earliest problem (by line, then column) in the file columns `cols`, with missing
    /// cells counting as problems only when `missing` is set.
    pub(crate) fn first_problem(
        &self,
        cols: &[usize],
        missing: bool,
    ) -> Option<(u64, usize, Problem)> {
        let mut best: Option<(u64, usize, Problem)> = None;
        let mut offer = |line: u64, col: usize, problem: Problem| {
            if best.as_ref().is_none_or(|(l, c, _)| (line, col) < (*l, *c)) {
                best = Some((line, col, problem));
            }
        };
        for &j in cols {
            let Some(s) = self.stats.get(j) else { continue };
            if let Some((line, text)) = &s.first_text {
                offer(*line, j, Problem::Text(text.clone()));
            }
            if let Some((line, text)) = &s.first_infinite {
                offer(*line, j, Problem::Infinite(text.clone()));
            }
            if let (true, Some(line)) = (missing, s.first_missing) {
                offer(line, j, Problem::Missing);
            }
        }
        best
    }
}

/// The message for a problem in column `name` at `line`; `missing_hint` says what to do about
/// a missing value.
pub(crate) fn problem_message(
    line: u64,
    name: &str,
    problem: &Problem,
    missing_hint: &str,
) -> String {
    match problem {
        Problem::Text(text) => format!(
            "line {line}, column '{name}': '{text}' is not a number; fix or remove the cell \
             (a missing value can be left empty or written NA)"
        ),
        Problem::Infinite(text) => format!(
            "line {line}, column '{name}': '{text}' is infinite or too large for a 32-bit float; \
             replace it with a finite number, or leave the cell empty to mark it missing"
        ),
        Problem::Missing => {
            format!("line {line}, column '{name}': the value is missing; {missing_hint}")
        }
    }
}

/// A cell's text for a message: lossy UTF-8, trimmed, shortened.
fn quote(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw.trim_ascii());
    if text.chars().count() > MAX_QUOTE {
        let short: String = text.chars().take(MAX_QUOTE).collect();
        format!("{short}...")
    } else {
        text.into_owned()
    }
}

pub(crate) fn utf8_error(src: &CsvSource, line: u64, col: usize) -> Error {
    let name = src.names.get(col).map_or("?", String::as_str);
    Error::bad_file(
        src.path(),
        format!(
            "line {line}, column '{name}' is not valid UTF-8 text; save the file as UTF-8 \
             (\"CSV UTF-8\" in spreadsheet programs)"
        ),
    )
}

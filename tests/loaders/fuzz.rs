//! Random and mutated inputs: every loader must return `Ok` or an error the user can fix (exit
//! code 2), never panic.
//!
//! The CSV inputs (hand-made CSV with random dialects, mutations of it and of fixed seeds, and
//! random bytes) are also
//! - read with chunks of 1, 2, 3, 7 and 64 bytes and of the production size, every data row
//!   going through the chunked parser, and as in production (the first rows kept as the csv
//!   reader read them for sniffing): every result must be the same, down to the bits of the
//!   values and the words of the error;
//! - compared with the `csv` crate reading the same bytes (see [`check_cells`] and
//!   [`check_dataset`] for what must agree and where the loader differs on purpose).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder, Terminator};
use latent_compare::data::LabelColumn;
use latent_compare::data::csv::{
    Cells, ChunkTuning, CsvOptions, MissingPolicy, load_csv, load_csv_tuned, read_cells,
};
use latent_compare::data::dataset::Dataset;
use latent_compare::data::labels::labels_from_text;
use latent_compare::data::npy::{load_labels_file, load_matrix, load_npy};
use latent_compare::error::{Error, Result};
use tempfile::TempDir;

use super::{f32_bytes, f64_bytes, npy_bytes, write};

/// Cases per fuzz test; `LOADER_FUZZ_CASES` raises it for a longer local run.
pub(super) fn cases() -> usize {
    std::env::var("LOADER_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
pub(super) struct Lcg(pub(super) u64);

impl Lcg {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the parsers.
const INTERESTING: &[u8] = b",;\t|\"\n\r .-+e0123456789aNn?\xff\xef\xbb\xbf\x00\x93()'{}:";

pub(super) fn mutate(rng: &mut Lcg, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let pos = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if !v.is_empty() => {
                let p = pos.min(v.len() - 1);
                v[p] = INTERESTING[rng.below(INTERESTING.len())];
            }
            1 => v.insert(pos, INTERESTING[rng.below(INTERESTING.len())]),
            2 => {
                let end = (pos + rng.below(8)).min(v.len());
                v.drain(pos..end);
            }
            3 => v.truncate(pos),
            4 if !v.is_empty() => {
                let p = pos.min(v.len() - 1);
                v[p] = rng.next() as u8;
            }
            _ => {
                let chunk: Vec<u8> = v[pos..].iter().take(rng.below(16)).copied().collect();
                for (i, b) in chunk.into_iter().enumerate() {
                    v.insert(pos + i, b);
                }
            }
        }
    }
    v
}

pub(super) fn random_bytes(rng: &mut Lcg) -> Vec<u8> {
    let len = rng.below(200);
    (0..len)
        .map(|_| {
            if rng.below(2) == 0 {
                INTERESTING[rng.below(INTERESTING.len())]
            } else {
                rng.next() as u8
            }
        })
        .collect()
}

/// Chunk sizes in bytes for the chunked parser, besides production's.
const CHUNK_BYTES: [u64; 5] = [1, 2, 3, 7, 64];

/// Production's reading, then every data row in chunks of each size (and of production's size).
fn tunings() -> Vec<ChunkTuning> {
    let production = ChunkTuning::default();
    let every_row = |chunk_bytes| ChunkTuning {
        chunk_bytes,
        reparse_read_ahead: true,
    };
    let mut all = vec![production, every_row(production.chunk_bytes)];
    all.extend(CHUNK_BYTES.map(every_row));
    all
}

/// The bytes, escaped, for failure messages.
fn shown(bytes: &[u8]) -> String {
    format!("b\"{}\"", bytes.escape_ascii())
}

/// Runs `f`, failing with the input when it panics.
pub(super) fn no_panic<T>(what: &str, bytes: &[u8], f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => panic!("{what} panicked on {}", shown(bytes)),
    }
}

/// An error must be one the user can fix (exit code 2), never one of the loader's internal
/// errors for cases that cannot happen (`Error::Internal`, exit code 1).
pub(super) fn check_user_error(what: &str, bytes: &[u8], e: &Error) {
    assert!(
        e.is_user_error(),
        "{what}: internal error (exit 1) {e} on {}",
        shown(bytes)
    );
    assert!(
        !e.to_string().contains("internal error"),
        "{what}: {e} on {}",
        shown(bytes)
    );
}

fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Whether `bytes` has a carriage return not followed by a line feed: then a CR ends a row
/// (old Mac line ends), and the csv reader's line numbers may be one off after a CRLF, so
/// errors are compared without their numbers (a known limitation, see `read_record`).
fn has_lone_cr(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// The same error message (without digits when `loose`).
fn same_error(a: &Error, b: &Error, loose: bool) -> bool {
    let text = |e: &Error| {
        let t = e.to_string();
        if loose {
            t.replace(|c: char| c.is_ascii_digit(), "")
        } else {
            t
        }
    };
    text(a) == text(b)
}

/// Equal as results: the same cells (bitwise) or the same error message.
fn same_cells(a: &Result<Cells>, b: &Result<Cells>, loose: bool) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            (a.delimiter, a.has_header, &a.names, a.n_rows)
                == (b.delimiter, b.has_header, &b.names, b.n_rows)
                && same_bits(&a.values, &b.values)
        }
        (Err(a), Err(b)) => same_error(a, b, loose),
        _ => false,
    }
}

/// Equal as results: the same dataset (values bitwise) or the same error message.
fn same_dataset(a: &Result<Dataset>, b: &Result<Dataset>, loose: bool) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            a.records.dim() == b.records.dim()
                && same_bits(
                    a.records.as_slice().unwrap_or(&[]),
                    b.records.as_slice().unwrap_or(&[]),
                )
                && (&a.name, &a.feature_names, &a.notes, &a.labels)
                    == (&b.name, &b.feature_names, &b.notes, &b.labels)
                && (&a.source_rows, a.source_row_count) == (&b.source_rows, b.source_row_count)
        }
        (Err(a), Err(b)) => same_error(a, b, loose),
        _ => false,
    }
}

/// The records of `bytes` as the `csv` crate reads them with `delimiter`, after the loader's
/// rules about lines: a UTF-8 byte order mark is skipped; a record of one field holding
/// nothing but spaces is a blank line, not a row (the csv crate itself skips empty lines); a
/// row ends at `\n`, and also at a lone `\r` and at `\r\n` when the file has a lone `\r`
/// (old Mac line ends), else a `\r` before `\n` stays in the last field, where trimming
/// removes it.
fn csv_crate_records(bytes: &[u8], delimiter: u8) -> Vec<ByteRecord> {
    let lone_cr = has_lone_cr(bytes);
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let terminator = if lone_cr {
        Terminator::CRLF
    } else {
        Terminator::Any(b'\n')
    };
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = Vec::new();
    let mut rec = ByteRecord::new();
    while reader
        .read_byte_record(&mut rec)
        .expect("byte records have no errors but I/O")
    {
        let blank = rec.len() == 1 && rec[0].trim_ascii().is_empty();
        if !blank {
            records.push(rec.clone());
        }
    }
    records
}

/// A field's value by the loader's rules: spaces (ASCII) around it are ignored; it is a number
/// when `str::parse::<f32>` reads it as a finite number, or, when the delimiter is not a comma,
/// when it does so after its one comma (and no dot) becomes a dot (`1,5`); anything else
/// (missing markers, text, infinities) is NaN. `None` when the field is not UTF-8.
fn field_value(field: &[u8], comma_decimal: bool) -> Option<f32> {
    let text = std::str::from_utf8(field.trim_ascii()).ok()?;
    let comma = || {
        let one_comma = text.matches(',').count() == 1 && !text.contains('.') && text.len() <= 64;
        one_comma
            .then(|| text.replace(',', ".").parse::<f32>().ok())
            .flatten()
    };
    let v = text
        .parse::<f32>()
        .ok()
        .or_else(|| comma_decimal.then(comma).flatten())
        .unwrap_or(f32::NAN);
    Some(if v.is_finite() { v } else { f32::NAN })
}

/// The loader's missing-value markers.
fn is_missing_marker(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || ["na", "n/a", "nan", "null", "none", "?", "-nan"]
            .iter()
            .any(|m| t.eq_ignore_ascii_case(m))
}

/// The loader's cells against the `csv` crate's reading of the same bytes with the delimiter
/// the loader detected (detecting it is tested in `sniff.rs`). They must agree exactly: the
/// same records (blank lines aside, see [`csv_crate_records`]), all as wide as the first; the
/// header's names trimmed (`colJ` for an empty one); every cell the value [`field_value`]
/// gives, bitwise. A field that is not UTF-8 (and not a number) would have been an error.
fn check_cells(bytes: &[u8], cells: &Cells) -> Vec<ByteRecord> {
    let input = shown(bytes);
    let records = csv_crate_records(bytes, cells.delimiter);
    let width = cells.names.len();
    let data = records
        .get(usize::from(cells.has_header)..)
        .unwrap_or_default();
    assert!(!records.is_empty(), "Ok for no records: {input}");
    assert!(
        records.iter().all(|r| r.len() == width),
        "Ok for ragged rows ({width} names): {input}"
    );
    if cells.has_header {
        for (j, (name, raw)) in cells.names.iter().zip(&records[0]).enumerate() {
            let text = std::str::from_utf8(raw)
                .expect("a header that is UTF-8")
                .trim();
            let expected = if text.is_empty() {
                format!("col{j}")
            } else {
                text.to_string()
            };
            assert_eq!(name, &expected, "header of {input}");
        }
    } else {
        let numbered: Vec<String> = (0..width).map(|j| format!("col{j}")).collect();
        assert_eq!(cells.names, numbered, "{input}");
    }
    assert_eq!(cells.n_rows, data.len(), "data rows of {input}");
    let comma_decimal = cells.delimiter != b',';
    for (r, rec) in data.iter().enumerate() {
        for (j, field) in rec.iter().enumerate() {
            let expected = field_value(field, comma_decimal)
                .unwrap_or_else(|| panic!("Ok for a field that is not UTF-8: {input}"));
            let got = cells.values[r * width + j];
            assert!(
                got.to_bits() == expected.to_bits() || (got.is_nan() && expected.is_nan()),
                "row {r} column {j} ({:?}): {got} but the csv crate's field gives {expected} \
                 in {input}",
                field.escape_ascii().to_string()
            );
        }
    }
    data.to_vec()
}

/// The loader's label column, by its rules: for a named column, the exact name, then the name
/// ignoring case, then a 0-based index (names trimmed); else the first of label, class,
/// target, species, y (any case) in the header, `y` only when no `x` or `z` is beside it.
fn label_column(cells: &Cells, opts: &CsvOptions) -> Option<usize> {
    let names: Vec<&str> = cells.names.iter().map(|n| n.trim()).collect();
    match &opts.label_column {
        LabelColumn::Named(w) => {
            let w = w.trim();
            names
                .iter()
                .position(|n| *n == w)
                .or_else(|| {
                    let lower = w.to_lowercase();
                    names.iter().position(|n| n.to_lowercase() == lower)
                })
                .or_else(|| w.parse().ok().filter(|&j| j < names.len()))
        }
        LabelColumn::Auto if cells.has_header => {
            let coordinates = names
                .iter()
                .any(|n| n.eq_ignore_ascii_case("x") || n.eq_ignore_ascii_case("z"));
            ["label", "class", "target", "species", "y"]
                .iter()
                .filter(|l| !(coordinates && **l == "y"))
                .find_map(|l| names.iter().position(|n| n.eq_ignore_ascii_case(l)))
        }
        _ => None,
    }
}

/// A dataset against the `csv` crate's records of its file (`data`, the header left out).
///
/// What must agree: every feature is a column of the file (found by name, in order) whose
/// cells in the kept rows give the feature's values bitwise; the rows kept are exactly those
/// with a number in every feature column and a label that is not a missing marker; the labels
/// are those the label column's cells (ASCII spaces trimmed) give.
///
/// Where the loader differs on purpose, the test does not look: which columns become features
/// (text, empty and row-number columns are left out, as `csv_files.rs` tests) and the error
/// for a text or infinite cell in a feature column (such a dataset is never `Ok`).
fn check_dataset(
    bytes: &[u8],
    ds: &Dataset,
    cells: &Cells,
    data: &[ByteRecord],
    opts: &CsvOptions,
) {
    let input = shown(bytes);
    assert_eq!(ds.source_row_count, data.len(), "{input}");
    let label = label_column(cells, opts);
    let width = cells.names.len();
    let value = |r: usize, j: usize| cells.values[r * width + j];
    let label_text = |r: usize| {
        label.map(|j| std::str::from_utf8(data[r][j].trim_ascii()).expect("UTF-8 label"))
    };

    // features: columns in order, matched by name and by value in the kept rows
    let mut columns = Vec::new();
    let mut next = 0;
    for (k, name) in ds.feature_names.iter().enumerate() {
        let found = (next..width).find(|&j| {
            Some(j) != label
                && &cells.names[j] == name
                && ds
                    .source_rows
                    .iter()
                    .enumerate()
                    .all(|(i, &r)| value(r, j).to_bits() == ds.records[[i, k]].to_bits())
        });
        let j = found.unwrap_or_else(|| {
            panic!("feature {name} is no column of the csv crate's table: {input}")
        });
        columns.push(j);
        next = j + 1;
    }

    let kept: Vec<usize> = (0..data.len())
        .filter(|&r| {
            columns.iter().all(|&j| !value(r, j).is_nan())
                && !label_text(r).is_some_and(is_missing_marker)
        })
        .collect();
    assert_eq!(ds.source_rows, kept, "rows kept from {input}");
    if opts.missing == MissingPolicy::Error {
        assert_eq!(
            kept.len(),
            data.len(),
            "a row dropped with --missing error: {input}"
        );
    }

    let expected_labels = label.map(|_| {
        let texts: Vec<String> = kept
            .iter()
            .map(|&r| label_text(r).unwrap_or_default().to_string())
            .collect();
        labels_from_text(&texts)
    });
    assert_eq!(ds.labels, expected_labels, "labels of {input}");
}

/// Hand-made CSV: a random dialect (delimiter, line ends, byte order mark, header, quotes,
/// blank lines), numeric, label and text columns, and now and then a missing, text, infinite,
/// exotic-number or quoted cell. Up to 70 rows, so production's reading sometimes reaches
/// the chunked parser too (past the 50 rows read ahead).
fn handmade_csv(rng: &mut Lcg) -> Vec<u8> {
    let delimiter = b",;\t|"[rng.below(4)];
    let d = char::from(delimiter);
    let newline = ["\n", "\r\n", "\r", "\n"][rng.below(4)];
    let n_cols = 1 + rng.below(5);
    // 0: numbers, 1: labels, 2: text
    let kinds: Vec<usize> = (0..n_cols).map(|_| [0, 0, 0, 1, 2][rng.below(5)]).collect();
    let mut out = String::new();
    if rng.below(8) == 0 {
        out.push('\u{feff}');
    }
    if rng.below(4) != 0 {
        let names = [
            "x", "y", "label", "Class", "id", " a b ", "\"q, 1\"", "", "z0",
        ];
        let header: Vec<&str> = (0..n_cols).map(|_| names[rng.below(names.len())]).collect();
        out.push_str(&header.join(&d.to_string()));
        out.push_str(newline);
    }
    // odd cells per thousand: none, a few, many
    let odd_rate = [0, 3, 30][rng.below(3)];
    for _ in 0..rng.below(70) {
        match rng.below(25) {
            0 => out.push_str(newline),
            1 => {
                out.push_str("  ");
                out.push_str(newline);
            }
            _ => {}
        }
        let row: Vec<String> = kinds
            .iter()
            .map(|&k| {
                let odd = rng.below(1000) < odd_rate;
                cell(rng, k, delimiter, odd)
            })
            .collect();
        out.push_str(&row.join(&d.to_string()));
        out.push_str(newline);
    }
    if rng.below(3) == 0 {
        let trimmed = out.trim_end_matches(['\r', '\n']).len();
        out.truncate(trimmed);
    }
    out.into_bytes()
}

/// One cell of a column of `kind` (0 numbers, 1 labels, 2 text); an odd one (missing, text,
/// infinite, exotic or quoted) when `odd`.
fn cell(rng: &mut Lcg, kind: usize, delimiter: u8, odd: bool) -> String {
    const MISSING: [&str; 10] = [
        "", "NA", "n/a", "NaN", "null", "None", "?", "-nan", " ", "nan",
    ];
    const ODD: [&str; 12] = [
        "1e5",
        "-2.5E-3",
        "+7",
        ".5",
        "5.",
        "1e39",
        "inf",
        "-Infinity",
        "0.1e-44",
        "abc",
        "1.2.3",
        "16777217",
    ];
    if odd {
        return match rng.below(8) {
            0 | 1 => MISSING[rng.below(MISSING.len())].to_string(),
            2 => format!("\"{}\"", cell(rng, kind, delimiter, false)),
            3 => format!("\"a{}b\nc\"", char::from(delimiter)),
            4 => format!(" {} ", cell(rng, kind, delimiter, false)),
            5 if delimiter != b',' => format!("{},{}", rng.below(100), rng.below(100)),
            6 => "123456789012345678901234".to_string(),
            _ => ODD[rng.below(ODD.len())].to_string(),
        };
    }
    match kind {
        0 => {
            let sign = ["", "", "-", "+"][rng.below(4)];
            let digits = 1 + rng.below(9);
            let int = rng.next() % 10u64.pow(digits as u32);
            match rng.below(3) {
                0 => format!("{sign}{int}"),
                _ => format!("{sign}{}.{:03}", int / 1000, int % 1000),
            }
        }
        1 => ["c0", "c1", "c2", "0", "1", "2"][rng.below(6)].to_string(),
        _ => ["bob", "ann", "x y", "é"][rng.below(4)].to_string(),
    }
}

#[test]
fn csv_loaders_agree_across_chunk_sizes_and_with_the_csv_crate() {
    let seeds: Vec<Vec<u8>> = vec![
        b"a,b,label\n1,2,x\n3,,y\n5,6,x\n".to_vec(),
        b"\xef\xbb\xbfname;x;y\n\"a;b\";1,5;2\n\"c\";3;NA\n".to_vec(),
        b"1\t2\t3\n4\t5\t6\n".to_vec(),
        b"x|y\n1|inf\n2|3\n".to_vec(),
        b"\"q\"\"uote\",v\n\"multi\nline\",1\n".to_vec(),
        b"x;y\r\n1;2\r\n3;4\r\n".to_vec(),
        b"a\tb\n1\t2\n\t\n3\t4\n".to_vec(),
    ];
    let dir = TempDir::new().unwrap();
    let mut rng = Lcg(0x05ee_dc5f);
    let options = [
        CsvOptions::default(),
        CsvOptions {
            label_column: LabelColumn::Named("1".into()),
            missing: MissingPolicy::Error,
            ..CsvOptions::default()
        },
        CsvOptions {
            label_column: LabelColumn::Named("label".into()),
            missing: MissingPolicy::Drop,
            ..CsvOptions::default()
        },
    ];
    let tunings = tunings();
    let (mut ok_cells, mut ok_datasets) = (0, 0);
    for i in 0..cases() {
        let bytes = match i % 5 {
            0 | 1 => handmade_csv(&mut rng),
            2 => {
                let made = handmade_csv(&mut rng);
                mutate(&mut rng, &made)
            }
            3 => {
                let seed = &seeds[rng.below(seeds.len())];
                mutate(&mut rng, seed)
            }
            _ => random_bytes(&mut rng),
        };
        let path = write(&dir, if i % 2 == 0 { "f.csv" } else { "f.tsv" }, &bytes);
        ok_cells += usize::from(check_cells_input(&bytes, &path, &tunings));
        for opts in &options {
            ok_datasets += usize::from(check_load_input(&bytes, &path, opts, &tunings));
        }
        for e in [
            no_panic("load_matrix", &bytes, || load_matrix(&path)).err(),
            no_panic("load_labels_file", &bytes, || load_labels_file(&path, 3)).err(),
        ]
        .iter()
        .flatten()
        {
            check_user_error("matrix or labels", &bytes, e);
        }
    }
    // the inputs are not all errors: many parse, and many make a dataset
    let n = cases();
    eprintln!("{ok_cells} of {n} inputs parsed; {ok_datasets} of {n}×3 loads made a dataset");
    assert!(ok_cells * 5 > n * 2, "{ok_cells} of {n} inputs parsed");
    assert!(
        ok_datasets * 5 > n,
        "{ok_datasets} of {n}×3 loads made a dataset"
    );
}

/// [`read_cells`] with every tuning: the same result each time, a user error or cells that
/// agree with the csv crate. True when the cells are `Ok`.
fn check_cells_input(bytes: &[u8], path: &Path, tunings: &[ChunkTuning]) -> bool {
    let results: Vec<Result<Cells>> = tunings
        .iter()
        .map(|&t| no_panic("read_cells", bytes, || read_cells(path, t)))
        .collect();
    for (t, r) in tunings.iter().zip(&results).skip(1) {
        assert!(
            same_cells(&results[0], r, has_lone_cr(bytes)),
            "cells with {t:?} differ from production's on {}:\n{:?}\n{:?}",
            shown(bytes),
            results[0],
            r
        );
    }
    match &results[0] {
        Ok(cells) => {
            check_cells(bytes, cells);
            true
        }
        Err(e) => {
            check_user_error("read_cells", bytes, e);
            false
        }
    }
}

/// [`load_csv_tuned`] with every tuning: the same result each time (and as [`load_csv`]), a
/// user error or a dataset that agrees with the csv crate. True when the dataset is `Ok`.
fn check_load_input(bytes: &[u8], path: &Path, opts: &CsvOptions, tunings: &[ChunkTuning]) -> bool {
    let production = no_panic("load_csv", bytes, || load_csv(path, opts));
    for &t in tunings {
        let r = no_panic("load_csv_tuned", bytes, || load_csv_tuned(path, opts, t));
        assert!(
            same_dataset(&production, &r, has_lone_cr(bytes)),
            "{opts:?} with {t:?} differs from production on {}:\n{production:?}\n{r:?}",
            shown(bytes)
        );
    }
    let ds = match production {
        Ok(ds) => ds,
        Err(e) => {
            check_user_error("load_csv", bytes, &e);
            return false;
        }
    };
    assert_eq!(ds.records.nrows(), ds.source_rows.len());
    assert_eq!(ds.records.ncols(), ds.feature_names.len());
    assert!(ds.records.iter().all(|v| v.is_finite()));
    if let Some(l) = &ds.labels {
        assert_eq!(l.len(), ds.n_samples());
    }
    let cells = read_cells(path, ChunkTuning::default())
        .unwrap_or_else(|e| panic!("a dataset but no cells ({e}) for {}", shown(bytes)));
    let data = check_cells(bytes, &cells);
    check_dataset(bytes, &ds, &cells, &data, opts);
    true
}

#[test]
fn npy_loaders_never_panic() {
    let seeds: Vec<Vec<u8>> = vec![
        npy_bytes(
            "<f4",
            false,
            &[2, 3],
            &f32_bytes(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        ),
        npy_bytes("<f8", true, &[3, 1], &f64_bytes(&[1.0, 2.0, 3.0])),
        npy_bytes("|u1", false, &[4], &[1, 2, 3, 4]),
        npy_bytes("<i8", false, &[3], &[7u8; 24]),
    ];
    let dir = TempDir::new().unwrap();
    let mut rng = Lcg(0xa11ce);
    for i in 0..cases() {
        let bytes = if i % 5 == 4 {
            let mut b = b"\x93NUMPY".to_vec();
            b.extend(random_bytes(&mut rng));
            b
        } else {
            let seed = &seeds[rng.below(seeds.len())];
            // Aim most mutations at the header, where the structure is.
            let mut head = mutate(&mut rng, &seed[..seed.len().min(80)]);
            head.extend_from_slice(seed.get(80..).unwrap_or(&[]));
            head
        };
        let path = write(&dir, "f.npy", &bytes);
        if let Ok(ds) = load_npy(&path) {
            assert!(ds.records.iter().all(|v| v.is_finite()));
        }
        let _ = load_matrix(&path);
        let _ = load_labels_file(&path, 3);
    }
}

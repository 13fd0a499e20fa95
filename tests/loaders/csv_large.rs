//! Files larger than one 4 MiB chunk, which are parsed in parallel chunks: the values, labels,
//! line numbers in errors, dropped rows, the switch to the csv reader at the first quote, and
//! progress must all be as for a small file; and small files read in chunks of a few bytes.

use std::sync::Mutex;

use latent_compare::data::csv::{
    ChunkTuning, CsvOptions, load_csv, load_csv_tuned, load_csv_with_progress,
};
use latent_compare::data::dataset::Labels;
use tempfile::TempDir;

use super::{assert_contains, err_text, write};

const ROWS: usize = 160_000;
const COLS: usize = 8;

/// Cell `j` of data row `i` (0-based): a few decimals, sometimes negative.
fn value(i: usize, j: usize) -> f32 {
    let v = ((i * 31 + j * 17) % 1000) as f32 / 8.0;
    if (i + j).is_multiple_of(3) { -v } else { v }
}

/// A header `label,x0..x7` and ROWS rows; `edit(i, line)` may change data row `i`.
fn big_csv(newline: &str, mut edit: impl FnMut(usize, &mut String)) -> String {
    let mut text = String::from("label");
    for j in 0..COLS {
        text.push_str(&format!(",x{j}"));
    }
    text.push_str(newline);
    for i in 0..ROWS {
        let mut line = format!("c{}", i % 4);
        for j in 0..COLS {
            line.push_str(&format!(",{}", value(i, j)));
        }
        edit(i, &mut line);
        text.push_str(&line);
        text.push_str(newline);
    }
    text
}

fn check_values(ds: &latent_compare::data::Dataset, skipped: &[usize]) {
    let kept: Vec<usize> = (0..ROWS).filter(|i| !skipped.contains(i)).collect();
    assert_eq!(ds.records.dim(), (kept.len(), COLS));
    for (r, &i) in kept.iter().enumerate() {
        for j in 0..COLS {
            assert_eq!(ds.records[[r, j]], value(i, j), "row {i} col {j}");
        }
    }
    let Some(Labels::Classes { ids, names }) = &ds.labels else {
        panic!("class labels expected")
    };
    for (r, &i) in kept.iter().enumerate() {
        assert_eq!(names[ids[r] as usize], format!("c{}", i % 4), "row {i}");
    }
    assert_eq!(ds.source_rows, kept);
}

#[test]
fn large_files_load_exactly_with_lf_or_crlf() {
    let dir = TempDir::new().unwrap();
    for newline in ["\n", "\r\n"] {
        let text = big_csv(newline, |_, _| {});
        assert!(
            text.len() > 8 << 20,
            "{} bytes is more than two chunks",
            text.len()
        );
        let ds = load_csv(&write(&dir, "big.csv", &text), &CsvOptions::default()).unwrap();
        check_values(&ds, &[]);
        // Without the final line break, and with blank lines in the middle.
        let text = big_csv(newline, |i, line| {
            if i == 70_000 {
                line.push_str(newline);
                line.push_str("   ");
            }
        });
        let text = text.trim_end();
        let ds = load_csv(&write(&dir, "big.csv", text), &CsvOptions::default()).unwrap();
        check_values(&ds, &[]);
    }
}

#[test]
fn errors_deep_in_a_large_file_name_the_right_line() {
    let dir = TempDir::new().unwrap();
    // Data row i is on line i + 2.
    let text = big_csv("\n", |i, line| {
        if i == 99_998 {
            line.push_str(",9");
        }
    });
    let msg = err_text(load_csv(
        &write(&dir, "big.csv", &text),
        &CsvOptions::default(),
    ));
    assert_contains(
        &msg,
        &["big.csv", "line 100000 has 10 fields but the header has 9"],
    );

    let text = big_csv("\n", |i, line| {
        if i == 110_000 {
            *line = line.replacen(",", ",oops", 3).replacen(",oops", ",", 2);
        }
    });
    let msg = err_text(load_csv(
        &write(&dir, "big.csv", &text),
        &CsvOptions::default(),
    ));
    assert_contains(
        &msg,
        &["line 110002, column 'x2': 'oops", "is not a number"],
    );
}

#[test]
fn missing_values_deep_in_a_large_file_drop_the_right_rows() {
    let dir = TempDir::new().unwrap();
    let text = big_csv("\n", |i, line| {
        if i == 5 || i == 88_888 {
            let cells: Vec<&str> = line.split(',').collect();
            *line = format!("{},NA,{}", cells[0], cells[2..].join(","));
        }
    });
    let ds = load_csv(&write(&dir, "big.csv", &text), &CsvOptions::default()).unwrap();
    check_values(&ds, &[5, 88_888]);
    assert!(
        ds.notes.iter().any(|n| n.contains("dropped 2 rows")),
        "{:?}",
        ds.notes
    );
}

#[test]
fn a_quote_after_the_first_chunk_hands_over_to_the_csv_reader() {
    let dir = TempDir::new().unwrap();
    // A quoted label with a delimiter and a line break inside, far into the file, then a
    // ragged row further on: the values stay right and the line count stays right.
    let text = big_csv("\n", |i, line| {
        if i == 90_000 {
            *line = format!("\"c2\"{}", &line[2..]);
        }
        if i == 100_000 {
            *line = format!("\"c\n0\"{}", &line[2..]);
        }
    });
    let path = write(&dir, "quoted.csv", &text);
    let ds = load_csv(&path, &CsvOptions::default()).unwrap();
    assert_eq!(ds.records.dim(), (ROWS, COLS));
    assert_eq!(ds.records[[ROWS - 1, 7]], value(ROWS - 1, 7));
    assert_eq!(ds.n_classes(), Some(5), "'c\\n0' is a class of its own");

    let text = big_csv("\n", |i, line| {
        if i == 90_000 {
            *line = format!("\"c\n2\"{}", &line[2..]);
        }
        if i == 100_000 {
            line.push(',');
        }
    });
    let msg = err_text(load_csv(
        &write(&dir, "q.csv", &text),
        &CsvOptions::default(),
    ));
    // Row 100000 is on line 100002, plus the line break inside the quotes.
    assert_contains(&msg, &["line 100003 has 10 fields"]);
}

#[test]
fn progress_rises_to_the_file_size() {
    let dir = TempDir::new().unwrap();
    let text = big_csv("\n", |_, _| {});
    let path = write(&dir, "big.csv", &text);
    let seen = Mutex::new(Vec::new());
    let progress = |done: u64, total: u64| seen.lock().unwrap().push((done, total));
    load_csv_with_progress(&path, &CsvOptions::default(), &progress).unwrap();
    let seen = seen.into_inner().unwrap();
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    let size = text.len() as u64;
    assert_eq!(seen.last(), Some(&(size, size)));
}

#[test]
fn rows_after_the_read_ahead_end_and_count_as_for_the_csv_reader() {
    let dir = TempDir::new().unwrap();
    let tunings = [1, 2, 3, 7, 4 << 20].map(|chunk_bytes| ChunkTuning {
        chunk_bytes,
        reparse_read_ahead: true,
    });
    // Old Mac line ends (a carriage return alone), more rows than the 50 read ahead for
    // sniffing: the rows after those end at each CR, as the csv reader reads the first ones.
    let mut text = String::from("a,b");
    for i in 0..60 {
        text.push_str(&format!("\r{i},{}", i * 2));
    }
    let path = write(&dir, "mac.csv", &text);
    let ds = load_csv(&path, &CsvOptions::default()).unwrap();
    assert_eq!(ds.records.dim(), (60, 2));
    assert_eq!(ds.records[[59, 1]], 118.0);
    for t in tunings {
        let tuned = load_csv_tuned(&path, &CsvOptions::default(), t).unwrap();
        assert_eq!(tuned.records, ds.records, "{t:?}");
    }

    // A TSV row of empty cells is a row with missing values (dropped, and counted in the row
    // numbers a labels file is matched by), not a blank line, wherever it is.
    let mut text = String::from("a\tb\r\n");
    for i in 0..60 {
        if i == 10 || i == 55 {
            text.push_str("\t\r\n");
        } else {
            text.push_str(&format!("{i}\t1\r\n"));
        }
    }
    let path = write(&dir, "empty_row.tsv", &text);
    let ds = load_csv(&path, &CsvOptions::default()).unwrap();
    assert_eq!(ds.source_row_count, 60);
    let kept: Vec<usize> = (0..60).filter(|&i| i != 10 && i != 55).collect();
    assert_eq!(ds.source_rows, kept);
    assert!(
        ds.notes.iter().any(|n| n.contains("dropped 2 rows")),
        "{:?}",
        ds.notes
    );
    for t in tunings {
        let tuned = load_csv_tuned(&path, &CsvOptions::default(), t).unwrap();
        assert_eq!(tuned.source_rows, kept, "{t:?}");
        assert_eq!(tuned.records, ds.records, "{t:?}");
    }
}

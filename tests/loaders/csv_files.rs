//! `load_csv`: dialects, headers, labels, text columns, missing values and errors.

use latent_compare::data::LabelColumn;
use latent_compare::data::csv::{CsvOptions, MissingPolicy, load_csv};
use latent_compare::data::dataset::{Dataset, Labels};
use ndarray::array;
use tempfile::TempDir;

use super::{assert_contains, err_text, write};

fn load(text: &str, opts: &CsvOptions) -> Dataset {
    let dir = TempDir::new().unwrap();
    load_csv(&write(&dir, "data.csv", text), opts).unwrap()
}

fn load_err(name: &str, bytes: &[u8], opts: &CsvOptions) -> String {
    let dir = TempDir::new().unwrap();
    err_text(load_csv(&write(&dir, name, bytes), opts))
}

fn label(name: &str) -> CsvOptions {
    CsvOptions {
        label_column: LabelColumn::Named(name.to_string()),
        ..CsvOptions::default()
    }
}

fn strict() -> CsvOptions {
    CsvOptions {
        missing: MissingPolicy::Error,
        ..CsvOptions::default()
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn reads_each_delimiter() {
    for d in [",", ";", "\t", "|"] {
        let text = format!("a{d}b{d}c\n1{d}2{d}3\n4.5{d}-5{d}6e1\n");
        let ds = load(&text, &CsvOptions::default());
        assert_eq!(
            ds.feature_names,
            strings(&["a", "b", "c"]),
            "delimiter {d:?}"
        );
        assert_eq!(ds.records, array![[1.0, 2.0, 3.0], [4.5, -5.0, 60.0]]);
        assert_eq!(ds.name, "data.csv");
        assert!(ds.labels.is_none());
    }
}

#[test]
fn tsv_defaults_to_tab_and_semicolon_files_may_use_decimal_commas() {
    let dir = TempDir::new().unwrap();
    let ds = load_csv(
        &write(&dir, "d.tsv", "a,b\tc\n1\t2\n"),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(ds.feature_names, strings(&["a,b", "c"]));
    let ds = load("p;q\n1,5;2\n3;4,25\n", &CsvOptions::default());
    assert_eq!(ds.records, array![[1.5, 2.0], [3.0, 4.25]]);
}

#[test]
fn skips_bom_and_handles_crlf() {
    let ds = load("\u{feff}a,b\r\n1,2\r\n3,4\r\n", &CsvOptions::default());
    assert_eq!(ds.feature_names, strings(&["a", "b"]));
    assert_eq!(ds.records, array![[1.0, 2.0], [3.0, 4.0]]);
}

#[test]
fn without_header_columns_are_numbered() {
    let ds = load("1,2\n3,4\n\n", &CsvOptions::default());
    assert_eq!(ds.feature_names, strings(&["col0", "col1"]));
    assert_eq!(ds.n_samples(), 2);
    assert_eq!(ds.source_row_count, 2);
}

#[test]
fn quoted_fields_may_hold_delimiters() {
    let ds = load(
        "name,x,\"y, in m\"\n\"Smith, J\",1,\"2.5\"\n\"Doe, A\",3,4\n\"Roe; B\",5,6\n",
        &CsvOptions::default(),
    );
    assert_eq!(ds.feature_names, strings(&["x", "y, in m"]));
    assert_eq!(ds.records, array![[1.0, 2.5], [3.0, 4.0], [5.0, 6.0]]);
    assert!(ds.notes.iter().any(|n| n == "left out text columns: name"));
}

#[test]
fn label_column_by_name_case_and_index() {
    let text = "f1,Kind,f2\n1,0,2\n3,1,4\n5,0,6\n7,1,8\n";
    for spec in ["Kind", "kind", "1"] {
        let ds = load(text, &label(spec));
        assert_eq!(ds.feature_names, strings(&["f1", "f2"]), "{spec}");
        assert_eq!(
            ds.records,
            array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]
        );
        assert_eq!(
            ds.labels,
            Some(Labels::Classes {
                ids: vec![0, 1, 0, 1],
                names: strings(&["0", "1"])
            })
        );
    }
    // Without a header, the index still works.
    let ds = load("1,0\n2,1\n", &label("0"));
    assert_eq!(ds.feature_names, strings(&["col1"]));
    assert_eq!(ds.labels.and_then(|l| l.n_classes()), Some(2));
}

#[test]
fn unknown_label_column_lists_the_columns() {
    let msg = load_err("d.csv", b"a,b\n1,2\n", &label("species"));
    assert_contains(&msg, &["'species'", "a, b", "0 to 1"]);
    let msg = load_err("d.csv", b"a,b\n1,2\n", &label("2"));
    assert_contains(&msg, &["'2'", "a, b"]);
}

#[test]
fn label_column_is_detected_by_name_or_absent() {
    let ds = load(
        "x,Species\n1,setosa\n2,virginica\n3,setosa\n",
        &CsvOptions::default(),
    );
    assert_eq!(ds.feature_names, strings(&["x"]));
    assert_eq!(
        ds.labels,
        Some(Labels::Classes {
            ids: vec![0, 1, 0],
            names: strings(&["setosa", "virginica"])
        })
    );
    assert!(ds.notes.iter().any(|n| n.contains("'Species'")));
    for name in ["label", "CLASS", "target", "y"] {
        let ds = load(&format!("a,{name}\n1,0\n2,1\n"), &CsvOptions::default());
        assert!(ds.labels.is_some(), "{name}");
    }
    // y beside x or z is a coordinate
    let ds = load("x,y,z\n1,0,5\n2,1,6\n3,0,7\n", &CsvOptions::default());
    assert!(ds.labels.is_none());
    assert_eq!(ds.feature_names, strings(&["x", "y", "z"]));
    let ds = load("x,y,Label\n1,2,0\n2,3,1\n", &CsvOptions::default());
    assert_eq!(ds.feature_names, strings(&["x", "y"]));
    let ds = load("x,z\n1,0\n2,1\n", &CsvOptions::default());
    assert!(ds.labels.is_none());
    assert_eq!(ds.n_features(), 2);
    // no label found is said, with what to do
    assert!(
        ds.notes
            .iter()
            .any(|n| n.starts_with("no label column") && n.contains("--label-column")),
        "{:?}",
        ds.notes
    );
}

#[test]
fn a_column_counting_the_rows_is_left_out_as_a_row_number() {
    for (header, start) in [("id", 0), ("Unnamed: 0", 0), ("", 0), ("index", 1)] {
        let rows: String = (0..5)
            .map(|i| format!("{},{}.5,{}\n", start + i, i * 7 % 5, i % 2))
            .collect();
        let ds = load(&format!("{header},x,label\n{rows}"), &CsvOptions::default());
        assert_eq!(ds.feature_names, strings(&["x"]), "{header:?}");
        assert!(
            ds.notes.iter().any(|n| n.contains("it counts the rows")),
            "{header:?}: {:?}",
            ds.notes
        );
    }
    // an id that does not count the rows, or a counting column with another name, stays
    let ds = load("id,x\n7,1\n3,2\n9,3\n", &CsvOptions::default());
    assert_eq!(ds.feature_names, strings(&["id", "x"]));
    let ds = load("t,x\n0,1\n1,2\n2,3\n", &CsvOptions::default());
    assert_eq!(ds.feature_names, strings(&["t", "x"]));
}

#[test]
fn integer_continuous_and_text_labels() {
    let many: String = (0..10).map(|i| format!("{i},{}\n", i * 3)).collect();
    let ds = load(&format!("x,label\n{many}"), &CsvOptions::default());
    assert_eq!(ds.labels.as_ref().map(|l| l.n_classes()), Some(None));
    let ds = load("x,label\n1,0.5\n2,1.5\n3,0.5\n", &CsvOptions::default());
    assert_eq!(ds.labels, Some(Labels::Continuous(vec![0.5, 1.5, 0.5])));
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("'label' are read as a continuous value")),
        "{:?}",
        ds.notes
    );
    let ds = load("x,label\n1,b\n2,a\n3,b\n", &CsvOptions::default());
    assert_eq!(
        ds.labels,
        Some(Labels::Classes {
            ids: vec![1, 0, 1],
            names: strings(&["a", "b"])
        })
    );
}

#[test]
fn text_columns_are_left_out_with_a_note() {
    let ds = load(
        "name,age,city,h\nann,30,paris,1.5\nbob,NA,rome,1.7\ncid,40,oslo,1.8\n",
        &CsvOptions::default(),
    );
    assert_eq!(ds.feature_names, strings(&["age", "h"]));
    assert!(
        ds.notes
            .contains(&"left out text columns: name, city".to_string())
    );
    // with no label column, the first text column is offered as one
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("if 'name' holds the classes") && n.contains("--label-column name")),
        "{:?}",
        ds.notes
    );
    let msg = load_err(
        "d.csv",
        b"name,city\nann,paris\nbob,rome\n",
        &CsvOptions::default(),
    );
    assert_contains(&msg, &["no numeric columns", "name, city"]);
}

#[test]
fn missing_values_are_dropped_with_counts() {
    let text = "a,b,label\n1,2,x\n,4,y\nNA,n/a,x\n7,8,\n9,10,y\n11,?,x\n13,14,NaN\n15,16,y\n";
    let ds = load(text, &CsvOptions::default());
    assert_eq!(ds.source_row_count, 8);
    assert_eq!(ds.source_rows, vec![0, 4, 7]);
    assert_eq!(ds.records, array![[1.0, 2.0], [9.0, 10.0], [15.0, 16.0]]);
    assert_eq!(ds.labels.as_ref().map(|l| l.len()), Some(3));
    assert!(
        ds.notes
            .contains(&"dropped 5 rows with missing values".to_string())
    );
    let ds = load("a,b\nnull,1\nNone,2\n3,4\n", &CsvOptions::default());
    assert_eq!(ds.source_rows, vec![2]);
}

#[test]
fn missing_values_can_be_an_error() {
    let msg = load_err("d.csv", b"a,b\n1,2\n3,\n", &strict());
    assert_contains(&msg, &["line 3", "'b'", "--missing drop"]);
    let msg = load_err("d.csv", b"a,label\n1,0\n2, NA \n", &strict());
    assert_contains(&msg, &["line 3", "'label'"]);
}

#[test]
fn every_row_missing_is_an_error() {
    let msg = load_err("d.csv", b"a,b\n1,\n,2\n", &CsvOptions::default());
    assert_contains(&msg, &["every row has a missing value"]);
}

#[test]
fn empty_columns_are_left_out() {
    let ds = load("a,b,\n1,2,\n3,4,\n", &CsvOptions::default());
    assert_eq!(ds.feature_names, strings(&["a", "b"]));
    assert!(
        ds.notes
            .iter()
            .any(|n| n.starts_with("left out empty columns"))
    );
}

#[test]
fn infinity_is_an_error() {
    for inf in ["inf", "-Infinity", "1e39"] {
        let msg = load_err(
            "d.csv",
            format!("a,b\n1,2\n3,{inf}\n").as_bytes(),
            &Default::default(),
        );
        assert_contains(&msg, &["line 3", "'b'", inf, "finite"]);
    }
}

#[test]
fn bad_cell_names_line_column_and_text() {
    let text = "a,b\n1,2\n3,4\n5,4.2.1\n6,7\n";
    let msg = load_err("d.csv", text.as_bytes(), &CsvOptions::default());
    assert_contains(
        &msg,
        &["line 4", "'b'", "'4.2.1'", "fix or remove the cell"],
    );
    // Without a header the line numbers still count from 1.
    let msg = load_err("d.csv", b"1,2\n3,x\n5,6\n7,8\n", &CsvOptions::default());
    assert_contains(&msg, &["line 2", "'col1'", "'x'"]);
    // CRLF line ends, empty lines and a quoted line break before the row: still its own line.
    for text in [
        "a,b\r\n1,2\r\n3,4\r\n5,4.2.1\r\n",
        "a,b\n1,2\n\n5,4.2.1\n",
        "a,b\r\n\r\n1,2\r\n5,4.2.1",
        "a,b\r\n\"1\r\n\",2\r\n5,4.2.1\r\n",
    ] {
        let msg = load_err("d.csv", text.as_bytes(), &CsvOptions::default());
        assert_contains(&msg, &["line 4", "'4.2.1'"]);
    }
}

#[test]
fn ragged_rows_are_an_error() {
    let msg = load_err("d.csv", b"a,b,c\n1,2,3\n4,5\n", &CsvOptions::default());
    assert_contains(&msg, &["line 3", "2 fields", "header has 3"]);
    let msg = load_err("d.csv", b"1,2\n3,4\n5,6,7\n", &CsvOptions::default());
    assert_contains(&msg, &["line 3", "3 fields", "first row has 2"]);
}

#[test]
fn invalid_utf8_is_an_error_naming_the_line() {
    let msg = load_err("d.csv", b"a,b\n1,2\n3,\xff\xfe\n", &CsvOptions::default());
    assert_contains(&msg, &["line 3", "UTF-8"]);
    let msg = load_err("d.csv", b"a,name\n1,x\n2,caf\xe9\n", &CsvOptions::default());
    assert_contains(&msg, &["line 3", "UTF-8"]);
    let msg = load_err("d.csv", b"\xff\xfea\x00", &CsvOptions::default());
    assert_contains(&msg, &["UTF-16"]);
}

#[test]
fn empty_and_header_only_files_are_errors() {
    let msg = load_err("d.csv", b"", &CsvOptions::default());
    assert_contains(&msg, &["empty"]);
    let msg = load_err("d.csv", b"\n  \n\n", &CsvOptions::default());
    assert_contains(&msg, &["empty"]);
    let msg = load_err("d.csv", b"a,b,c\n", &CsvOptions::default());
    assert_contains(&msg, &["no data rows"]);
    let dir = TempDir::new().unwrap();
    let msg = err_text(load_csv(
        &dir.path().join("nope.csv"),
        &CsvOptions::default(),
    ));
    assert_contains(&msg, &["nope.csv", "cannot read"]);
}

#[test]
fn missing_policy_uses_lowercase_names() {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, StrDeserializer};
    assert_eq!(MissingPolicy::default(), MissingPolicy::Drop);
    let parse = |s: &str| {
        let d: StrDeserializer<Error> = s.into_deserializer();
        MissingPolicy::deserialize(d).ok()
    };
    assert_eq!(parse("drop"), Some(MissingPolicy::Drop));
    assert_eq!(parse("error"), Some(MissingPolicy::Error));
    assert_eq!(parse("Drop"), None);
}

#[test]
fn no_label_column_keeps_every_column_as_data() {
    let none = CsvOptions {
        label_column: LabelColumn::Unlabelled,
        ..CsvOptions::default()
    };
    let ds = load("a,label\n1,0\n2,1\n3,0\n", &none);
    assert!(ds.labels.is_none());
    assert_eq!(ds.feature_names, strings(&["a", "label"]));
    assert!(
        !ds.notes.iter().any(|n| n.contains("no label column")),
        "{:?}",
        ds.notes
    );
}

#[test]
fn duplicate_column_names_stop_with_both_positions() {
    let e = load_err(
        "dup.csv",
        b"f0,f1,f2,label,label\n0.5,1,2,0.1,a\n0.7,1,2,0.2,b\n",
        &CsvOptions::default(),
    );
    assert_contains(&e, &["dup.csv"]);
    assert_contains(&e, &["'label' (columns 3 and 4)"]);
    assert_contains(&e, &["rename"]);
}

#[test]
fn dropped_columns_are_neither_features_nor_checked_for_missing_values() {
    let opts = CsvOptions {
        drop_columns: vec!["year".into(), "note".into()],
        ..CsvOptions::default()
    };
    let ds = load(
        "bill,year,note,species\n1.5,2007,,a\n2.5,2008,x,b\n3.5,2009,,a\n",
        &opts,
    );
    assert_eq!(ds.feature_names, strings(&["bill"]));
    assert_eq!(ds.n_samples(), 3);
    assert_eq!(ds.n_classes(), Some(2));
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("left out year, note as asked")),
        "{:?}",
        ds.notes
    );
    let e = load_err(
        "p.csv",
        b"bill,year\n1,2\n",
        &CsvOptions {
            drop_columns: vec!["month".into()],
            ..CsvOptions::default()
        },
    );
    assert_contains(&e, &["no column to leave out 'month'"]);
    assert_contains(&e, &["bill, year"]);
    let e = load_err(
        "p.csv",
        b"bill,label\n1,2\n3,4\n",
        &CsvOptions {
            drop_columns: vec!["label".into()],
            ..CsvOptions::default()
        },
    );
    assert_contains(&e, &["label column and also a column to leave out"]);
}

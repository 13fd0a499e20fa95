//! Parquet tables: numeric, text and list columns, labels, nulls, codecs and row groups, from
//! files written here with the parquet crate's writer and from pyarrow/pandas fixtures
//! (tests/fixtures/parquet/, written by scripts/fixtures/parquet.py).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use latent_compare::data::csv::{CsvOptions, MissingPolicy};
use latent_compare::data::dataset::Labels;
use latent_compare::data::npy::load_labels_file;
use latent_compare::data::parquet::load_parquet;
use latent_compare::data::{LabelColumn, LoadOptions, load};
use ndarray::array;
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, FloatType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use tempfile::TempDir;

use super::{assert_contains, err_text, write};

/// The columns of a table to write, by name.
type Columns<'a> = &'a [(&'a str, Col)];

/// A column to write: its values per row (`None` is null).
enum Col {
    F32(Vec<Option<f32>>),
    I64(Vec<Option<i64>>),
    Text(Vec<Option<&'static str>>),
    List(Vec<Option<Vec<Option<f32>>>>),
}

impl Col {
    fn schema(&self, name: &str) -> String {
        match self {
            Col::F32(_) => format!("OPTIONAL FLOAT {name};"),
            Col::I64(_) => format!("OPTIONAL INT64 {name};"),
            Col::Text(_) => format!("OPTIONAL BYTE_ARRAY {name} (UTF8);"),
            Col::List(_) => format!(
                "OPTIONAL group {name} (LIST) {{ REPEATED group list {{ OPTIONAL FLOAT element; }} }}"
            ),
        }
    }
}

/// Definition levels and present values of an optional scalar column.
fn levels<T: Clone>(rows: &[Option<T>]) -> (Vec<T>, Vec<i16>) {
    let defs = rows.iter().map(|v| i16::from(v.is_some())).collect();
    (rows.iter().flatten().cloned().collect(), defs)
}

/// Writes `cols` to `path` in row groups of `group_rows` rows with `codec`.
fn write_parquet(path: &Path, cols: &[(&str, Col)], group_rows: usize, codec: Compression) {
    let fields: Vec<String> = cols.iter().map(|(n, c)| c.schema(n)).collect();
    let schema =
        Arc::new(parse_message_type(&format!("message t {{ {} }}", fields.join(" "))).unwrap());
    let props = Arc::new(WriterProperties::builder().set_compression(codec).build());
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, schema, props).unwrap();
    let n = match &cols[0].1 {
        Col::F32(v) => v.len(),
        Col::I64(v) => v.len(),
        Col::Text(v) => v.len(),
        Col::List(v) => v.len(),
    };
    for start in (0..n).step_by(group_rows) {
        let rows = start..(start + group_rows).min(n);
        let mut group = writer.next_row_group().unwrap();
        for (_, col) in cols {
            let mut w = group.next_column().unwrap().unwrap();
            match col {
                Col::F32(v) => {
                    let (values, defs) = levels(&v[rows.clone()]);
                    w.typed::<FloatType>()
                        .write_batch(&values, Some(&defs), None)
                        .unwrap();
                }
                Col::I64(v) => {
                    let (values, defs) = levels(&v[rows.clone()]);
                    w.typed::<Int64Type>()
                        .write_batch(&values, Some(&defs), None)
                        .unwrap();
                }
                Col::Text(v) => {
                    let (values, defs) = levels(&v[rows.clone()]);
                    let values: Vec<ByteArray> = values.into_iter().map(ByteArray::from).collect();
                    w.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&defs), None)
                        .unwrap();
                }
                Col::List(v) => {
                    let (mut values, mut defs, mut reps) = (vec![], vec![], vec![]);
                    for row in &v[rows.clone()] {
                        match row {
                            None | Some(_) if row.as_ref().is_none_or(Vec::is_empty) => {
                                defs.push(i16::from(row.is_some()));
                                reps.push(0);
                            }
                            None => {}
                            Some(list) => {
                                for (k, x) in list.iter().enumerate() {
                                    reps.push(i16::from(k > 0));
                                    defs.push(if x.is_some() { 3 } else { 2 });
                                    values.extend(*x);
                                }
                            }
                        }
                    }
                    let typed = w.typed::<FloatType>();
                    typed
                        .write_batch(&values, Some(&defs), Some(&reps))
                        .unwrap();
                }
            }
            w.close().unwrap();
        }
        group.close().unwrap();
    }
    writer.close().unwrap();
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/parquet")
        .join(name)
}

fn options(label: LabelColumn, missing: MissingPolicy) -> CsvOptions {
    CsvOptions {
        label_column: label,
        missing,
        drop_columns: vec![],
    }
}

fn table() -> Vec<(&'static str, Col)> {
    vec![
        (
            "a",
            Col::F32(vec![Some(1.0), Some(2.0), Some(3.0), Some(4.0)]),
        ),
        (
            "name",
            Col::Text(vec![Some("p"), Some("q"), Some("r"), Some("s")]),
        ),
        (
            "label",
            Col::Text(vec![Some("cat"), Some("dog"), Some("cat"), Some("dog")]),
        ),
        ("b", Col::I64(vec![Some(10), Some(20), Some(30), Some(40)])),
    ]
}

#[test]
fn numeric_text_and_label_columns_with_every_codec() {
    let dir = TempDir::new().unwrap();
    let codecs = [
        Compression::UNCOMPRESSED,
        Compression::SNAPPY,
        Compression::ZSTD(ZstdLevel::default()),
        Compression::GZIP(GzipLevel::default()),
    ];
    for codec in codecs {
        let path = dir.path().join("t.parquet");
        write_parquet(&path, &table(), 3, codec);
        let ds = load_parquet(&path, &CsvOptions::default(), &|_, _| {}).unwrap();
        assert_eq!(
            ds.records,
            array![[1., 10.], [2., 20.], [3., 30.], [4., 40.]],
            "{codec:?}"
        );
        assert_eq!(ds.feature_names, ["a", "b"]);
        assert_eq!(ds.columns, ["a", "name", "label", "b"]);
        assert_eq!(ds.labels.as_ref().map(|l| l.display(1)), Some("dog".into()));
        assert!(
            ds.notes
                .contains(&"used column 'label' as the labels".to_string())
        );
        assert!(
            ds.notes
                .contains(&"left out text columns: name".to_string()),
            "{:?}",
            ds.notes
        );
    }
}

#[test]
fn list_columns_across_row_groups_with_progress() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("l.parquet");
    let rows: Vec<Option<Vec<Option<f32>>>> = (0..5)
        .map(|i| Some(vec![Some(i as f32), Some(-(i as f32)), Some(0.5)]))
        .collect();
    let cols = [
        ("emb", Col::List(rows)),
        (
            "y",
            Col::I64(vec![Some(0), Some(1), Some(0), Some(1), Some(1)]),
        ),
    ];
    write_parquet(&path, &cols, 2, Compression::SNAPPY);
    let calls = Mutex::new(Vec::new());
    let ds = load_parquet(&path, &CsvOptions::default(), &|done, total| {
        calls.lock().unwrap().push((done, total))
    })
    .unwrap();
    assert_eq!(ds.feature_names, ["emb[0]", "emb[1]", "emb[2]"]);
    assert_eq!(ds.records.row(4).to_vec(), [4.0, -4.0, 0.5]);
    assert_eq!(ds.n_classes(), Some(2));
    let calls = calls.into_inner().unwrap();
    assert_eq!(calls.len(), 4, "{calls:?}"); // the start and once per row group
    assert!(
        calls
            .windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[1].0 <= w[1].1)
    );
}

#[test]
fn pyarrow_list_types_and_codecs() {
    for codec in ["snappy", "zstd", "gzip", "none"] {
        let path = fixture(&format!("lists_{codec}.parquet"));
        let ds = load_parquet(&path, &CsvOptions::default(), &|_, _| {}).unwrap();
        // list<float32>, large_list<float64> and fixed_size_list<float32, 2>
        let names = [
            "emb[0]", "emb[1]", "big[0]", "big[1]", "fixed[0]", "fixed[1]",
        ];
        assert_eq!(ds.feature_names, names, "{codec}");
        assert_eq!(ds.records.row(5).to_vec(), [5.0, 2.5, 5.0, 2.5, 5.0, 2.5]);
        assert_eq!(ds.n_samples(), 6);
        // species: dictionary-encoded text, taken as the labels
        assert_eq!(ds.n_classes(), Some(3));
    }
}

#[test]
fn pandas_files_leave_out_the_index_and_drop_nulls() {
    let path = fixture("pandas_index.parquet");
    let ds = load_parquet(&path, &CsvOptions::default(), &|_, _| {}).unwrap();
    assert_eq!(ds.feature_names, ["pixel0", "pixel1", "count"]);
    assert_eq!(
        ds.records,
        array![[0., 255., 1.], [20., 64., 3.], [30., 0., 4.]]
    );
    assert_eq!(ds.source_rows, [0, 2, 3]);
    assert_eq!(ds.source_row_count, 4);
    assert!(
        ds.notes.iter().any(|n| n.contains("__index_level_0__")),
        "{:?}",
        ds.notes
    );
    assert!(
        ds.notes
            .iter()
            .any(|n| n == "dropped 1 row with missing values")
    );
    let strict = options(LabelColumn::Auto, MissingPolicy::Error);
    let msg = err_text(load_parquet(&path, &strict, &|_, _| {}));
    assert_contains(
        &msg,
        &[
            "pandas_index.parquet",
            "row 1 (counting from 0), column 'count'",
            "--missing drop",
        ],
    );
}

#[test]
fn label_choices_and_left_out_columns() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("t.parquet");
    write_parquet(&path, &table(), 10, Compression::UNCOMPRESSED);
    let source = path.to_str().unwrap();
    let by_index = LoadOptions {
        label_column: LabelColumn::Named("3".into()),
        drop_columns: vec!["NAME".into()],
        ..LoadOptions::default()
    };
    let ds = load(source, &by_index).unwrap();
    assert_eq!(
        ds.labels,
        Some(Labels::Continuous(vec![10., 20., 30., 40.]))
    );
    assert_eq!(ds.feature_names, ["a"]);
    assert!(
        ds.notes.iter().any(|n| n == "left out name as asked"),
        "{:?}",
        ds.notes
    );
    let none = options(LabelColumn::Unlabelled, MissingPolicy::Drop);
    let ds = load_parquet(&path, &none, &|_, _| {}).unwrap();
    assert!(ds.labels.is_none());
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("left out text columns: name, label"))
    );
    let both = LoadOptions {
        drop_columns: vec!["label".into()],
        ..LoadOptions::default()
    };
    assert_contains(&err_text(load(source, &both)), &["label column and also"]);
    let unknown = options(LabelColumn::Named("kind".into()), MissingPolicy::Drop);
    assert_contains(
        &err_text(load_parquet(&path, &unknown, &|_, _| {})),
        &["no label column 'kind'", "a, name, label, b"],
    );
}

#[test]
fn bad_tables_name_the_file_the_row_and_the_fix() {
    let dir = TempDir::new().unwrap();
    let text_only = [
        ("name", Col::Text(vec![Some("p"), Some("q")])),
        ("label", Col::Text(vec![Some("x"), Some("y")])),
    ];
    let ragged = [(
        "emb",
        Col::List(vec![
            Some(vec![Some(1.0), Some(2.0)]),
            Some(vec![Some(3.0)]),
        ]),
    )];
    let empty = [("emb", Col::List(vec![Some(vec![]), Some(vec![])]))];
    let infinite = [("a", Col::F32(vec![Some(1.0), Some(f32::INFINITY)]))];
    let all_null = [("a", Col::F32(vec![None, None]))];
    let cases: Vec<(&str, Columns, Vec<&str>)> = vec![
        (
            "text.parquet",
            &text_only,
            vec!["no numeric columns", "text columns: name"],
        ),
        (
            "ragged.parquet",
            &ragged,
            vec!["'emb' holds 1 values in row 1 but 2 in row 0", "pad"],
        ),
        ("empty.parquet", &empty, vec!["empty list in row 0"]),
        (
            "inf.parquet",
            &infinite,
            vec!["row 1 (counting from 0), column 'a'", "infinite"],
        ),
        (
            "null.parquet",
            &all_null,
            vec!["every row has a missing value"],
        ),
    ];
    for (name, cols, needles) in cases {
        let path = dir.path().join(name);
        write_parquet(&path, cols, 10, Compression::SNAPPY);
        let msg = err_text(load_parquet(&path, &CsvOptions::default(), &|_, _| {}));
        assert_contains(&msg, &[name]);
        assert_contains(&msg, &needles);
    }
    // nulls in a list: a null list or a null element is a missing value
    let holes = [(
        "emb",
        Col::List(vec![
            Some(vec![Some(1.0), Some(2.0)]),
            None,
            Some(vec![Some(3.0), None]),
            Some(vec![Some(5.0), Some(6.0)]),
        ]),
    )];
    let path = dir.path().join("holes.parquet");
    write_parquet(&path, &holes, 10, Compression::SNAPPY);
    let ds = load_parquet(&path, &CsvOptions::default(), &|_, _| {}).unwrap();
    assert_eq!(ds.records, array![[1., 2.], [5., 6.]]);
    let strict = options(LabelColumn::Auto, MissingPolicy::Error);
    assert_contains(
        &err_text(load_parquet(&path, &strict, &|_, _| {})),
        &["row 1 (counting from 0), column 'emb[0]'"],
    );
    let garbage = write(&dir, "g.parquet", b"PAR1 not really");
    assert_contains(
        &err_text(load_parquet(&garbage, &CsvOptions::default(), &|_, _| {})),
        &["g.parquet", "not a readable Parquet file"],
    );
}

#[test]
fn parquet_labels_files() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("y.parquet");
    write_parquet(
        &path,
        &[("y", Col::I64(vec![Some(2), Some(5), Some(2)]))],
        2,
        Compression::SNAPPY,
    );
    assert_eq!(load_labels_file(&path, 3).unwrap().n_classes(), Some(2));
    assert_contains(
        &err_text(load_labels_file(&path, 4)),
        &["3 labels", "4 rows"],
    );
    let path = dir.path().join("n.parquet");
    write_parquet(
        &path,
        &[("y", Col::I64(vec![Some(2), None]))],
        2,
        Compression::SNAPPY,
    );
    assert_contains(&err_text(load_labels_file(&path, 2)), &["row 1", "'y'"]);
}

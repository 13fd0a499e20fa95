//! `load_npy`, `load_labels_file` and `load_matrix`.

use latent_compare::data::dataset::Labels;
use latent_compare::data::npy::{load_labels_file, load_matrix, load_npy};
use ndarray::array;
use tempfile::TempDir;

use super::{assert_contains, err_text, f32_bytes, f64_bytes, npy_bytes, write};

const VALUES: [f64; 6] = [1.0, 2.0, 3.0, 4.0, 5.0, 250.0];

#[test]
fn loads_each_dtype() {
    let dir = TempDir::new().unwrap();
    let v32: Vec<f32> = VALUES.iter().map(|&v| v as f32).collect();
    let files = [
        ("<f4", f32_bytes(&v32)),
        ("<f8", f64_bytes(&VALUES)),
        (">f8", VALUES.iter().flat_map(|v| v.to_be_bytes()).collect()),
        (
            "<i4",
            VALUES
                .iter()
                .flat_map(|&v| (v as i32).to_le_bytes())
                .collect(),
        ),
        (
            "<i8",
            VALUES
                .iter()
                .flat_map(|&v| (v as i64).to_le_bytes())
                .collect(),
        ),
        ("|u1", VALUES.iter().map(|&v| v as u8).collect()),
        (
            ">i2",
            VALUES
                .iter()
                .flat_map(|&v| (v as i16).to_be_bytes())
                .collect(),
        ),
        (
            "<u2",
            VALUES
                .iter()
                .flat_map(|&v| (v as u16).to_le_bytes())
                .collect(),
        ),
        (
            "<u4",
            VALUES
                .iter()
                .flat_map(|&v| (v as u32).to_le_bytes())
                .collect(),
        ),
        (
            ">u8",
            VALUES
                .iter()
                .flat_map(|&v| (v as u64).to_be_bytes())
                .collect(),
        ),
    ];
    for (descr, data) in files {
        let path = write(&dir, "x.npy", npy_bytes(descr, false, &[2, 3], &data));
        let ds = load_npy(&path).unwrap_or_else(|e| panic!("{descr}: {e}"));
        assert_eq!(
            ds.records,
            array![[1.0, 2.0, 3.0], [4.0, 5.0, 250.0]],
            "{descr}"
        );
        assert_eq!(ds.feature_names, vec!["col0", "col1", "col2"]);
        assert_eq!(ds.name, "x.npy");
        assert_eq!(
            (ds.source_row_count, ds.source_rows.clone()),
            (2, vec![0, 1])
        );
    }
}

#[test]
fn fortran_order_is_transposed_into_rows() {
    let dir = TempDir::new().unwrap();
    let data = f32_bytes(&[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    let path = write(&dir, "f.npy", npy_bytes("<f4", true, &[2, 3], &data));
    let ds = load_npy(&path).unwrap();
    assert_eq!(ds.records, array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    assert!(ds.records.is_standard_layout());
    let data: Vec<u8> = [1u8, 4, 2, 5, 3, 6].to_vec();
    let path = write(&dir, "f.npy", npy_bytes("|u1", true, &[2, 3], &data));
    assert_eq!(
        load_npy(&path).unwrap().records,
        array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    );
}

#[test]
fn other_ranks_are_rejected_with_the_shape() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "a.npy",
        npy_bytes("<f4", false, &[5], &f32_bytes(&[0.0; 5])),
    );
    assert_contains(
        &err_text(load_npy(&path)),
        &["1-D array of shape (5,)", "2-D", "--labels"],
    );
    let path = write(
        &dir,
        "a.npy",
        npy_bytes("<f4", false, &[2, 3, 4, 3], &f32_bytes(&[0.0; 72])),
    );
    assert_contains(&err_text(load_npy(&path)), &["(2, 3, 4, 3)", "colour"]);
    let path = write(
        &dir,
        "a.npy",
        npy_bytes("<f4", false, &[1, 1, 1, 2, 2], &f32_bytes(&[0.0; 4])),
    );
    assert_contains(&err_text(load_npy(&path)), &["5-D array"]);
    let path = write(&dir, "a.npy", npy_bytes("<f4", false, &[0, 3], &[]));
    assert_contains(&err_text(load_npy(&path)), &["(0, 3)"]);
}

#[test]
fn three_d_arrays_are_images() {
    let dir = TempDir::new().unwrap();
    let pixels: Vec<u8> = (0u8..24).collect();
    for shape in [&[2, 3, 4][..], &[2, 3, 4, 1], &[2, 1, 3, 4]] {
        let path = write(&dir, "i.npy", npy_bytes("|u1", false, shape, &pixels));
        let ds = load_npy(&path).unwrap();
        assert_eq!(ds.records.dim(), (2, 12), "{shape:?}");
        assert_eq!(ds.records[[1, 0]], 12.0);
        assert_eq!(ds.image_shape, Some((3, 4)));
        assert_eq!(ds.feature_names[5], "px_1_1");
    }
    // Fortran order: value (i, r, c) is stored at i + 2 (r + 3 c)
    let stored: Vec<f32> = (0..24)
        .map(|s| {
            let (i, r, c) = (s % 2, (s / 2) % 3, s / 6);
            (i * 100 + r * 10 + c) as f32
        })
        .collect();
    let path = write(
        &dir,
        "f.npy",
        npy_bytes("<f4", true, &[2, 3, 4], &f32_bytes(&stored)),
    );
    let ds = load_npy(&path).unwrap();
    assert_eq!(ds.records[[1, 4 + 3]], 113.0);
    assert_eq!(ds.records.row(0).to_vec()[..5], [0., 1., 2., 3., 10.]);
    // the first bad value in row order is named
    let mut bad = stored.clone();
    bad[7] = f32::NAN; // (1, 0, 1)... stored index 7 is i=1, r=0, c=1
    let path = write(
        &dir,
        "f.npy",
        npy_bytes("<f4", true, &[2, 3, 4], &f32_bytes(&bad)),
    );
    assert_contains(&err_text(load_npy(&path)), &["row 1, column 1", "NaN"]);
}

#[test]
fn unsupported_dtypes_are_named() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "c.npy", npy_bytes("<c8", false, &[2, 2], &[0; 32]));
    assert_contains(&err_text(load_npy(&path)), &["<c8 (complex64)", "float32"]);
    let path = write(&dir, "c.npy", npy_bytes("<f2", false, &[2, 2], &[0; 8]));
    assert_contains(&err_text(load_npy(&path)), &["<f2 (float16)"]);
    let path = write(&dir, "c.npy", npy_bytes("|b1", false, &[2, 2], &[0; 4]));
    assert_contains(&err_text(load_npy(&path)), &["bool"]);
}

#[test]
fn truncated_and_padded_files_are_rejected() {
    let dir = TempDir::new().unwrap();
    let full = npy_bytes("<f4", false, &[2, 3], &f32_bytes(&[1.0; 6]));
    let path = write(&dir, "t.npy", &full[..full.len() - 4]);
    assert_contains(
        &err_text(load_npy(&path)),
        &["ends early", "expected 24 bytes", "found 20"],
    );
    let path = write(&dir, "t.npy", &full[..30]);
    assert_contains(&err_text(load_npy(&path)), &["header"]);
    let mut long = full.clone();
    long.extend([0, 0]);
    let path = write(&dir, "t.npy", &long);
    assert_contains(&err_text(load_npy(&path)), &["2 bytes after the data"]);
    // A damaged header claiming a huge shape fails before anything is allocated.
    let path = write(
        &dir,
        "t.npy",
        npy_bytes("<f8", false, &[1 << 50, 1 << 20], &[0; 8]),
    );
    assert_contains(&err_text(load_npy(&path)), &["too large"]);
    let path = write(
        &dir,
        "t.npy",
        npy_bytes("<f8", false, &[1 << 30, 1 << 20], &[0; 8]),
    );
    assert_contains(&err_text(load_npy(&path)), &["ends early"]);
}

#[test]
fn garbage_is_rejected() {
    let dir = TempDir::new().unwrap();
    for bytes in [
        &b""[..],
        b"hello, world",
        b"\x93NUMPY",
        b"\x93NUMPY\x09\x00\x10\x00",
    ] {
        let path = write(&dir, "g.npy", bytes);
        let msg = err_text(load_npy(&path));
        assert!(msg.contains("npy"), "{msg}");
    }
    let mut bad_header = npy_bytes("<f4", false, &[1, 1], &f32_bytes(&[1.0]));
    bad_header[20] = b'#';
    let path = write(&dir, "g.npy", &bad_header);
    assert_contains(&err_text(load_npy(&path)), &["header is corrupt"]);
}

#[test]
fn non_finite_values_name_row_and_column() {
    let dir = TempDir::new().unwrap();
    let data = f32_bytes(&[1.0, 2.0, 3.0, f32::NAN]);
    let path = write(&dir, "n.npy", npy_bytes("<f4", false, &[2, 2], &data));
    assert_contains(&err_text(load_npy(&path)), &["row 1, column 1", "NaN"]);
    // Fortran order: the first bad value in row order is reported.
    let data = f32_bytes(&[1.0, f32::INFINITY, f32::NAN, 4.0]);
    let path = write(&dir, "n.npy", npy_bytes("<f4", true, &[2, 2], &data));
    assert_contains(&err_text(load_npy(&path)), &["row 0, column 1", "NaN"]);
    let data = f64_bytes(&[1.0, 1e300]);
    let path = write(&dir, "n.npy", npy_bytes("<f8", false, &[1, 2], &data));
    assert_contains(
        &err_text(load_npy(&path)),
        &["row 0, column 1", "too large"],
    );
}

#[test]
fn npy_label_files() {
    let dir = TempDir::new().unwrap();
    let ints: Vec<u8> = [3i64, 1, 3, 3, 1, 1]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let path = write(&dir, "y.npy", npy_bytes("<i8", false, &[6], &ints));
    let expected = Labels::Classes {
        ids: vec![1, 0, 1, 1, 0, 0],
        names: vec!["1".into(), "3".into()],
    };
    assert_eq!(load_labels_file(&path, 6).unwrap(), expected);
    let path = write(&dir, "y.npy", npy_bytes("<i8", false, &[6, 1], &ints));
    assert_eq!(load_labels_file(&path, 6).unwrap(), expected);
    let path = write(&dir, "y.npy", npy_bytes("|u1", false, &[3], &[0, 1, 0]));
    assert_eq!(load_labels_file(&path, 3).unwrap().n_classes(), Some(2));
    let path = write(
        &dir,
        "y.npy",
        npy_bytes("<f4", false, &[2], &f32_bytes(&[0.5, 1.0])),
    );
    assert_eq!(
        load_labels_file(&path, 2).unwrap(),
        Labels::Continuous(vec![0.5, 1.0])
    );

    let msg = err_text(load_labels_file(&path, 3));
    assert_contains(&msg, &["2 labels", "3 rows"]);
    let path = write(
        &dir,
        "y.npy",
        npy_bytes("<f4", false, &[2, 2], &f32_bytes(&[0.0; 4])),
    );
    assert_contains(&err_text(load_labels_file(&path, 2)), &["(2, 2)"]);
    let path = write(
        &dir,
        "y.npy",
        npy_bytes("<f4", false, &[2], &f32_bytes(&[0.0, f32::NAN])),
    );
    assert_contains(&err_text(load_labels_file(&path, 2)), &["label 1", "NaN"]);
}

#[test]
fn csv_label_files() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "y.csv", "label\n0\n1\n1\n");
    assert_eq!(load_labels_file(&path, 3).unwrap().n_classes(), Some(2));
    let path = write(&dir, "y.csv", "0\n1\n1\n");
    assert_eq!(load_labels_file(&path, 3).unwrap().len(), 3);
    // Text labels with a header: the one extra row is the header.
    let path = write(&dir, "y.txt", "species\nsetosa\nvirginica\nsetosa\n");
    assert_eq!(
        load_labels_file(&path, 3).unwrap(),
        Labels::Classes {
            ids: vec![0, 1, 0],
            names: vec!["setosa".into(), "virginica".into()]
        }
    );
    // Text labels without a header: the first row is a label.
    let path = write(&dir, "y.csv", "setosa\nvirginica\nsetosa\n");
    assert_eq!(load_labels_file(&path, 3).unwrap().len(), 3);
    let path = write(&dir, "y.csv", "0.5\n1.5\n");
    assert_eq!(
        load_labels_file(&path, 2).unwrap(),
        Labels::Continuous(vec![0.5, 1.5])
    );
    let path = write(&dir, "y.csv", "label\n0\n1\n");
    assert_contains(
        &err_text(load_labels_file(&path, 3)),
        &["2 labels", "3 rows"],
    );
    let path = write(&dir, "y.csv", "label\n0\nNA\n1\n");
    assert_contains(
        &err_text(load_labels_file(&path, 3)),
        &["line 3", "missing"],
    );
    let path = write(&dir, "y.csv", "a,b\n0,1\n");
    assert_contains(
        &err_text(load_labels_file(&path, 1)),
        &["one column", "a, b"],
    );
}

#[test]
fn matrices_from_csv_and_npy() {
    let dir = TempDir::new().unwrap();
    let expected = array![[1.0f32, 2.0], [3.0, 4.5]];
    let path = write(&dir, "z.csv", "z0,z1\n1,2\n3,4.5\n");
    assert_eq!(load_matrix(&path).unwrap(), expected);
    let path = write(&dir, "z.txt", "1;2\n3;4,5\n");
    assert_eq!(load_matrix(&path).unwrap(), expected);
    let path = write(
        &dir,
        "z.npy",
        npy_bytes("<f4", false, &[2, 2], &f32_bytes(&[1.0, 2.0, 3.0, 4.5])),
    );
    assert_eq!(load_matrix(&path).unwrap(), expected);
    // The .npy signature is recognised whatever the extension.
    let path = write(
        &dir,
        "z.bin",
        npy_bytes("<f4", false, &[2, 2], &f32_bytes(&[1.0, 2.0, 3.0, 4.5])),
    );
    assert_eq!(load_matrix(&path).unwrap(), expected);

    let path = write(&dir, "z.csv", "z0,z1\n1,2\n3,\n");
    assert_contains(
        &err_text(load_matrix(&path)),
        &["line 3", "'z1'", "missing"],
    );
    let path = write(&dir, "z.csv", "1,2\nx,4\n5,6\n7,8\n");
    assert_contains(&err_text(load_matrix(&path)), &["line 2", "'col0'", "'x'"]);
    let path = write(&dir, "z.csv", "z0\n");
    assert_contains(&err_text(load_matrix(&path)), &["no data rows"]);
}

#[test]
fn a_label_column_for_npy_data_is_noted_not_ignored() {
    let dir = TempDir::new().unwrap();
    let v32: Vec<f32> = VALUES.iter().map(|&v| v as f32).collect();
    let path = write(
        &dir,
        "x.npy",
        npy_bytes("<f4", false, &[2, 3], &f32_bytes(&v32)),
    );
    let options = latent_compare::data::LoadOptions {
        label_column: latent_compare::data::LabelColumn::Named("y".into()),
        ..Default::default()
    };
    let ds = latent_compare::data::load(path.to_str().unwrap(), &options).unwrap();
    assert!(
        ds.notes.iter().any(
            |n| n.contains("label column 'y' does not apply to .npy") && n.contains("--labels")
        ),
        "{:?}",
        ds.notes
    );
}

//! IDX files (MNIST's format), plain and gzip-compressed: data, labels, the labels file beside
//! the images, and damaged files.

use latent_compare::data::dataset::Labels;
use latent_compare::data::idx::load_idx;
use latent_compare::data::npy::load_labels_file;
use latent_compare::data::{LabelColumn, LoadOptions, load};
use ndarray::array;
use tempfile::TempDir;

use super::{assert_contains, err_text, gzip, idx_bytes, write};

/// Three 2 × 3 images of unsigned bytes.
fn images() -> Vec<u8> {
    idx_bytes(0x08, &[3, 2, 3], &(0u8..18).collect::<Vec<_>>())
}

#[test]
fn images_plain_and_gzipped() {
    let dir = TempDir::new().unwrap();
    let plain = write(&dir, "train-images-idx3-ubyte", images());
    // gzip is recognised by its magic bytes, whatever the name
    let gz = write(&dir, "digits.bin", gzip(&images()));
    for path in [plain, gz] {
        let ds = load_idx(&path).unwrap();
        assert_eq!(ds.records.dim(), (3, 6));
        assert_eq!(ds.records.row(2).to_vec(), [12., 13., 14., 15., 16., 17.]);
        assert_eq!(ds.image_shape, Some((2, 3)));
        assert_eq!(
            ds.feature_names[..4],
            ["px_0_0", "px_0_1", "px_0_2", "px_1_0"]
        );
        assert!(ds.labels.is_none());
        assert_eq!(ds.source_row_count, 3);
    }
}

#[test]
fn every_type_code_is_big_endian() {
    let dir = TempDir::new().unwrap();
    let values = [1.0f64, -2.0, 3.0, 100.0];
    let files: [(u8, Vec<u8>); 5] = [
        (0x09, values.iter().map(|&v| v as i8 as u8).collect()),
        (
            0x0B,
            values
                .iter()
                .flat_map(|&v| (v as i16).to_be_bytes())
                .collect(),
        ),
        (
            0x0C,
            values
                .iter()
                .flat_map(|&v| (v as i32).to_be_bytes())
                .collect(),
        ),
        (
            0x0D,
            values
                .iter()
                .flat_map(|&v| (v as f32).to_be_bytes())
                .collect(),
        ),
        (0x0E, values.iter().flat_map(|&v| v.to_be_bytes()).collect()),
    ];
    for (code, data) in files {
        let path = write(&dir, "x.idx2-ubyte", idx_bytes(code, &[2, 2], &data));
        let ds = load_idx(&path).unwrap_or_else(|e| panic!("{code:#x}: {e}"));
        assert_eq!(ds.records, array![[1.0, -2.0], [3.0, 100.0]], "{code:#x}");
        assert_eq!(ds.image_shape, None);
        assert_eq!(ds.feature_names, ["col0", "col1"]);
    }
}

#[test]
fn labels_files_plain_and_gzipped() {
    let dir = TempDir::new().unwrap();
    let bytes = idx_bytes(0x08, &[4], &[7, 1, 7, 1]);
    let expected = Labels::Classes {
        ids: vec![1, 0, 1, 0],
        names: vec!["1".into(), "7".into()],
    };
    let plain = write(&dir, "t10k-labels.idx1-ubyte", &bytes);
    assert_eq!(load_labels_file(&plain, 4).unwrap(), expected);
    let gz = write(&dir, "t10k-labels-idx1-ubyte.gz", gzip(&bytes));
    assert_eq!(load_labels_file(&gz, 4).unwrap(), expected);
    assert_contains(&err_text(load_labels_file(&gz, 5)), &["4 labels", "5 rows"]);
    // images are not labels
    let images = write(&dir, "x-images-idx3-ubyte", images());
    assert_contains(
        &err_text(load_labels_file(&images, 3)),
        &["x-images-idx3-ubyte", "1-D array", "--labels"],
    );
}

#[test]
fn the_labels_file_beside_the_images_is_used() {
    let dir = TempDir::new().unwrap();
    let images = write(&dir, "train-images-idx3-ubyte.gz", gzip(&images()));
    write(
        &dir,
        "train-labels-idx1-ubyte.gz",
        gzip(&idx_bytes(8, &[3], &[0, 1, 0])),
    );
    let source = images.to_str().unwrap();
    let ds = load(source, &LoadOptions::default()).unwrap();
    assert_eq!(ds.n_classes(), Some(2));
    assert_eq!(ds.image_shape, Some((2, 3)));
    assert!(
        ds.notes
            .iter()
            .any(|n| n.contains("train-labels-idx1-ubyte.gz") && n.contains("--labels")),
        "{:?}",
        ds.notes
    );
    let none = LoadOptions {
        label_column: LabelColumn::Unlabelled,
        ..LoadOptions::default()
    };
    assert!(load(source, &none).unwrap().labels.is_none());
    // a labels file beside the images with the wrong count is an error naming it
    write(
        &dir,
        "train-labels-idx1-ubyte.gz",
        gzip(&idx_bytes(8, &[2], &[0, 1])),
    );
    assert_contains(
        &err_text(load(source, &LoadOptions::default())),
        &["train-labels-idx1-ubyte.gz", "2 labels", "3 rows"],
    );
}

#[test]
fn damaged_files_name_the_file_and_the_fix() {
    let dir = TempDir::new().unwrap();
    let full = images();
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "a-idx3-ubyte",
            full[..full.len() - 1].to_vec(),
            vec!["ends early", "truncated"],
        ),
        (
            "b-idx3-ubyte",
            [full.clone(), vec![0]].concat(),
            vec!["1 bytes after"],
        ),
        (
            "c-idx3-ubyte",
            full[..10].to_vec(),
            vec!["inside the IDX header"],
        ),
        (
            "d-idx3-ubyte",
            b"P1\n3 2\n".to_vec(),
            vec!["not an IDX file", "50 31 0a 33"],
        ),
        (
            "e-idx3-ubyte",
            idx_bytes(8, &[3, 0, 2], &[]),
            vec!["dimension 1", "is 0"],
        ),
        (
            "f-idx1-ubyte",
            idx_bytes(8, &[3], &[1, 2, 3]),
            vec!["1-D", "--labels"],
        ),
        (
            "g-idx3-ubyte.gz",
            gzip(&full[..full.len() - 2]),
            vec!["ends early"],
        ),
        (
            "h-idx3-ubyte.gz",
            gzip(&[full.clone(), vec![0]].concat()),
            vec!["bytes after"],
        ),
        (
            "i-idx3-ubyte",
            idx_bytes(0x0A, &[1, 1], &[0]),
            vec!["not an IDX file"],
        ),
    ];
    for (name, bytes, needles) in cases {
        let path = write(&dir, name, bytes);
        let msg = err_text(load_idx(&path));
        assert_contains(&msg, &[name]);
        assert_contains(&msg, &needles);
    }
    // a damaged compressed stream: its checksum does not match
    let mut gz = gzip(&full);
    let n = gz.len();
    gz[n - 6] ^= 0xff;
    let path = write(&dir, "j-idx3-ubyte.gz", gz);
    assert_contains(&err_text(load_idx(&path)), &["j-idx3-ubyte.gz", "damaged"]);
}

#[test]
fn huge_claims_are_refused_before_allocating() {
    let dir = TempDir::new().unwrap();
    // plain: the header claims 2^32 × 2^32 × 255 bytes; checked arithmetic and the file size
    let path = write(
        &dir,
        "p-idx3-ubyte",
        idx_bytes(8, &[u32::MAX, u32::MAX, 255], &[1, 2, 3]),
    );
    assert_contains(&err_text(load_idx(&path)), &["too large"]);
    let path = write(
        &dir,
        "q-idx3-ubyte",
        idx_bytes(8, &[1 << 20, 1 << 10, 1], &[1]),
    );
    assert_contains(&err_text(load_idx(&path)), &["ends early"]);
    // gzip: 4 GB claimed by a few dozen compressed bytes
    let claim = gzip(&idx_bytes(8, &[1 << 16, 1 << 8, 1 << 8], &[0; 64]));
    let path = write(&dir, "r-idx3-ubyte.gz", claim);
    assert_contains(
        &err_text(load_idx(&path)),
        &["once decompressed", "corrupt"],
    );
    // a plausible claim that the stream does not hold: read up to the end, then refused
    let claim = gzip(&idx_bytes(8, &[1 << 10, 1 << 7, 1 << 7], &[0; 1 << 16]));
    let path = write(&dir, "s-idx3-ubyte.gz", claim);
    assert_contains(&err_text(load_idx(&path)), &["ends early"]);
}

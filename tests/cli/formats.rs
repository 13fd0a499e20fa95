//! The data formats end to end: an IDX pair, an `.npz`, damaged files.

use super::{compare, report, stderr};

/// An IDX file: type code 0x08 (bytes), the dimensions, then the values.
fn idx(dims: &[u32], values: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 0x08, dims.len() as u8];
    out.extend(dims.iter().flat_map(|d| d.to_be_bytes()));
    out.extend(values);
    out
}

#[test]
fn idx_images_with_their_labels_and_an_npz_load_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    // 60 images of 4 × 4 pixels in 3 classes: class k lights row k
    let labels: Vec<u8> = (0..60).map(|i| (i % 3) as u8).collect();
    let pixels: Vec<u8> = (0..60 * 16)
        .map(|p| {
            if (p % 16) / 4 == usize::from(labels[p / 16]) {
                200 + (p % 7) as u8
            } else {
                (p % 5) as u8
            }
        })
        .collect();
    let images = dir.path().join("train-images-idx3-ubyte");
    std::fs::write(&images, idx(&[60, 4, 4], &pixels)).unwrap();
    std::fs::write(
        dir.path().join("train-labels-idx1-ubyte"),
        idx(&[60], &labels),
    )
    .unwrap();
    let npz = dir.path().join("digits.npz");
    let x = ndarray::Array3::from_shape_vec((60, 4, 4), pixels).unwrap();
    let y = ndarray::Array1::from_vec(labels.iter().map(|&l| i64::from(l)).collect());
    let (mut x_npy, mut y_npy) = (Vec::new(), Vec::new());
    ndarray_npy::WriteNpyExt::write_npy(&x, &mut x_npy).unwrap();
    ndarray_npy::WriteNpyExt::write_npy(&y, &mut y_npy).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&npz).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in [("x.npy", x_npy), ("y.npy", y_npy)] {
        zip.start_file(name, deflated).unwrap();
        std::io::Write::write_all(&mut zip, &bytes).unwrap();
    }
    zip.finish().unwrap();
    for data in [&images, &npz] {
        let out = dir.path().join("out");
        let o = compare(&[
            "--data",
            data.to_str().unwrap(),
            "--method-b",
            "pca",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let r = report(&out);
        assert_eq!(r["dataset"]["n_samples"], 60, "{data:?}");
        assert_eq!(r["dataset"]["n_features"], 16);
        assert_eq!(r["dataset"]["n_classes"], 3);
    }
}

#[test]
fn a_damaged_data_file_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("t10k-images-idx3-ubyte");
    std::fs::write(&truncated, &idx(&[5, 4, 4], &[0; 80])[..70]).unwrap();
    let npz = dir.path().join("arrays.npz");
    std::fs::write(&npz, b"PK\x03\x04 not really a zip").unwrap();
    for (path, needle) in [(&truncated, "ends early"), (&npz, "not a readable .npz")] {
        // its own output folder: the default one may be locked by a test running alongside
        let out = dir.path().join("out");
        let o = compare(&[
            "--data",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(err.contains(name) && err.contains(needle), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

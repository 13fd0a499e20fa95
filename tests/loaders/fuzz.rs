//! Random and mutated inputs: every loader must return `Ok` or `Err`, never panic.

use latent_compare::data::csv::{CsvOptions, MissingPolicy, load_csv};
use latent_compare::data::npy::{load_labels_file, load_matrix, load_npy};
use tempfile::TempDir;

use super::{f32_bytes, f64_bytes, npy_bytes, write};

/// Cases per fuzz test; `LOADER_FUZZ_CASES` raises it for a longer local run.
fn cases() -> usize {
    std::env::var("LOADER_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the parsers.
const INTERESTING: &[u8] = b",;\t|\"\n\r .-+e0123456789aNn?\xff\xef\xbb\xbf\x00\x93()'{}:";

fn mutate(rng: &mut Lcg, seed: &[u8]) -> Vec<u8> {
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

fn random_bytes(rng: &mut Lcg) -> Vec<u8> {
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

#[test]
fn csv_loaders_never_panic() {
    let seeds: Vec<Vec<u8>> = vec![
        b"a,b,label\n1,2,x\n3,,y\n5,6,x\n".to_vec(),
        b"\xef\xbb\xbfname;x;y\n\"a;b\";1,5;2\n\"c\";3;NA\n".to_vec(),
        b"1\t2\t3\n4\t5\t6\n".to_vec(),
        b"x|y\n1|inf\n2|3\n".to_vec(),
        b"\"q\"\"uote\",v\n\"multi\nline\",1\n".to_vec(),
    ];
    let dir = TempDir::new().unwrap();
    let mut rng = Lcg(0x05ee_dc5f);
    let options = [
        CsvOptions::default(),
        CsvOptions {
            label_column: Some("1".into()),
            missing: MissingPolicy::Error,
        },
        CsvOptions {
            label_column: Some("label".into()),
            missing: MissingPolicy::Drop,
        },
    ];
    for i in 0..cases() {
        let bytes = if i % 5 == 4 {
            random_bytes(&mut rng)
        } else {
            let seed = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, seed)
        };
        let path = write(&dir, if i % 2 == 0 { "f.csv" } else { "f.tsv" }, &bytes);
        for opts in &options {
            if let Ok(ds) = load_csv(&path, opts) {
                assert_eq!(ds.records.nrows(), ds.source_rows.len());
                assert_eq!(ds.records.ncols(), ds.feature_names.len());
                assert!(ds.records.iter().all(|v| v.is_finite()));
                if let Some(l) = &ds.labels {
                    assert_eq!(l.len(), ds.n_samples());
                }
            }
        }
        let _ = load_matrix(&path);
        let _ = load_labels_file(&path, 3);
    }
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

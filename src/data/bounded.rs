//! Reading data whose size only a header claims (inside a gzip stream or a zip entry) without
//! trusting that claim: a damaged or hostile header must not make us allocate gigabytes.
//!
//! Plain files are checked exactly against their length before anything is allocated; for
//! compressed data the claim is checked against the compressed size ([`check_claim`]), room is
//! reserved only for what the compressed bytes can plausibly hold ([`reserve_for`]), and reading
//! stops at the claimed size, so memory grows only with the data that really arrives.

use std::io::{self, Read};

/// Largest ratio of decompressed to compressed bytes accepted for a claim above
/// [`ALWAYS_PLAUSIBLE_BYTES`] (real data compresses 2–10×; a nearly empty array more).
pub(crate) const MAX_EXPANSION: u64 = 64;
/// A claim up to this size is read whatever the ratio: reading stops at the claim anyway.
pub(crate) const ALWAYS_PLAUSIBLE_BYTES: u64 = 64 << 20;
/// Largest decompressed data accepted at all.
pub(crate) const MAX_DECOMPRESSED_BYTES: u64 = 16 << 30;

/// Opens `path` for reading, with its length in bytes.
pub(crate) fn open_sized(path: &std::path::Path) -> crate::error::Result<(std::fs::File, u64)> {
    use crate::error::Error;
    let file = std::fs::File::open(path).map_err(|source| Error::io(path, source))?;
    let len = file
        .metadata()
        .map_err(|source| Error::io(path, source))?
        .len();
    Ok((file, len))
}

/// Checks that `path` can be read whole: a regular file (a pipe or a device such as /dev/zero
/// never ends, and a pipe read twice hangs), and no larger than this machine's memory. Returns
/// its size in bytes.
pub(crate) fn check_readable_file(path: &std::path::Path) -> crate::error::Result<u64> {
    use crate::error::Error;
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        return Err(Error::bad_file(
            path,
            "this is a folder; give the path of a data file inside it",
        ));
    }
    if !meta.is_file() {
        return Err(Error::bad_file(
            path,
            "this is not a regular file (a pipe, a device or a socket), which may never end; \
             save the data to a file and load that",
        ));
    }
    let memory = machine_memory_bytes();
    if meta.len() > memory {
        return Err(Error::bad_file(
            path,
            format!(
                "the file is {}, more than this machine's {} of memory; load a sample of its \
                 rows (or fewer columns) saved to a smaller file",
                bytes_text(meta.len()),
                bytes_text(memory)
            ),
        ));
    }
    Ok(meta.len())
}

/// The machine's memory (Linux: MemTotal in /proc/meminfo), or 64 GiB when it cannot be told.
fn machine_memory_bytes() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb.saturating_mul(1024))
        })
        .unwrap_or(64 << 30)
}

/// Refuses a decompressed size of `claimed` bytes from `compressed` bytes of compressed data;
/// the message says what was claimed and what to do.
pub(crate) fn check_claim(claimed: u64, compressed: u64) -> Result<(), String> {
    if claimed > MAX_DECOMPRESSED_BYTES {
        return Err(format!(
            "the header says the data is {} once decompressed, more than the {} this tool \
             reads; the header is corrupt, or the data needs to be cut into smaller files",
            bytes_text(claimed),
            bytes_text(MAX_DECOMPRESSED_BYTES)
        ));
    }
    if claimed > ALWAYS_PLAUSIBLE_BYTES && claimed / MAX_EXPANSION > compressed {
        return Err(format!(
            "the header says the data is {} once decompressed, {}× the {} of compressed data, \
             which real data does not compress to; the file is corrupt — get it again, or \
             decompress it and load the plain file",
            bytes_text(claimed),
            claimed / compressed.max(1),
            bytes_text(compressed)
        ));
    }
    Ok(())
}

/// Elements worth reserving for `count` elements of `size` bytes claimed by `compressed` bytes
/// of compressed data: what a typical ratio gives, never more than the claim.
pub(crate) fn reserve_for(count: usize, size: usize, compressed: u64) -> usize {
    let plausible = compressed.saturating_mul(8) / size.max(1) as u64;
    count.min(usize::try_from(plausible).unwrap_or(usize::MAX))
}

/// True when `reader` has nothing left (for gzip this also checks the stream's checksum).
pub(crate) fn at_end(reader: &mut impl Read) -> io::Result<bool> {
    let mut one = [0u8; 1];
    loop {
        match reader.read(&mut one) {
            Ok(n) => return Ok(n == 0),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// `1.5 GB`, `300 MB`, `12 kB`, `17 bytes`.
pub(crate) fn bytes_text(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "kB")];
    for (size, unit) in UNITS {
        if n >= size {
            let v = n as f64 / size as f64;
            return if v >= 10.0 {
                format!("{v:.0} {unit}")
            } else {
                format!("{v:.1} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_checked_against_the_compressed_size() {
        assert!(check_claim(1 << 20, 10).is_ok());
        assert!(check_claim(100 << 20, 10 << 20).is_ok());
        let e = check_claim(10 << 30, 1000).unwrap_err();
        assert!(e.contains("10 GB") && e.contains("corrupt"), "{e}");
        let e = check_claim(1 << 40, 1 << 40).unwrap_err();
        assert!(e.contains("more than the 16 GB"), "{e}");
    }

    #[test]
    fn reserve_is_bounded_by_the_compressed_size() {
        assert_eq!(reserve_for(1000, 4, 1 << 20), 1000);
        assert_eq!(reserve_for(usize::MAX, 4, 100), 200);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(bytes_text(17), "17 bytes");
        assert_eq!(bytes_text(1536), "1.5 kB");
        assert_eq!(bytes_text(300 << 20), "300 MB");
    }
}

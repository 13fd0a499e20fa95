//! The numbers of an array file (NPY, NPZ, IDX) as they are stored: fixed-size integers and
//! floats of either byte order, decoded in chunks straight into the `f32` records (or `f64` for
//! labels), so that reading never holds the file's bytes and the records at once.
//!
//! The caller says how many elements to read, having checked that count against the file (or,
//! for compressed data, against a bound); these functions only read what is there and report an
//! early end as `UnexpectedEof`.

use std::io::{self, Read};

/// Bytes decoded per read.
const CHUNK_BYTES: usize = 1 << 20;

/// A stored number type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scalar {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    F32,
    F64,
}

/// A stored number type and its byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Element {
    /// The number type.
    pub scalar: Scalar,
    /// Most significant byte first (IDX, NumPy's `>`).
    pub big_endian: bool,
}

impl Element {
    /// Bytes per element.
    pub(crate) fn size(self) -> usize {
        match self.scalar {
            Scalar::U8 | Scalar::I8 => 1,
            Scalar::U16 | Scalar::I16 => 2,
            Scalar::U32 | Scalar::I32 | Scalar::F32 => 4,
            Scalar::U64 | Scalar::I64 | Scalar::F64 => 8,
        }
    }

    /// NumPy's name of the type (`uint8`, `float32`).
    pub(crate) fn numpy_name(self) -> &'static str {
        match self.scalar {
            Scalar::U8 => "uint8",
            Scalar::I8 => "int8",
            Scalar::U16 => "uint16",
            Scalar::I16 => "int16",
            Scalar::U32 => "uint32",
            Scalar::I32 => "int32",
            Scalar::U64 => "uint64",
            Scalar::I64 => "int64",
            Scalar::F32 => "float32",
            Scalar::F64 => "float64",
        }
    }

    /// True for the integer types (their labels are classes, not a continuous value).
    pub(crate) fn is_integer(self) -> bool {
        !matches!(self.scalar, Scalar::F32 | Scalar::F64)
    }
}

/// Records decoded to `f32`.
#[derive(Debug, Default)]
pub(crate) struct Decoded {
    /// The values in storage order.
    pub values: Vec<f32>,
    /// The first float64 value (by storage index) that is finite but too large for `f32` (it
    /// became infinite), to name it in an error.
    pub first_overflow: Option<(usize, f64)>,
}

/// Reads `count` elements as `f32`, reserving room for `reserve` of them up front (the rest
/// grows as data arrives: for compressed input, whose size the header only claims).
pub(crate) fn read_f32(
    reader: &mut impl Read,
    element: Element,
    count: usize,
    reserve: usize,
) -> io::Result<Decoded> {
    let mut out = Decoded {
        values: Vec::with_capacity(reserve.min(count)),
        first_overflow: None,
    };
    for_each_chunk(reader, element, count, |chunk| match element.scalar {
        Scalar::F32 => decode::<4>(chunk, element.big_endian, &mut out.values, |b| {
            f32::from_le_bytes(b)
        }),
        Scalar::F64 => {
            let start = out.values.len();
            decode::<8>(chunk, element.big_endian, &mut out.values, |b| {
                f64::from_le_bytes(b) as f32
            });
            if out.first_overflow.is_none()
                && let Some(k) = out.values[start..].iter().position(|v| v.is_infinite())
            {
                let at = k * 8;
                let value =
                    read_one::<8, _>(&chunk[at..at + 8], element.big_endian, f64::from_le_bytes);
                if value.is_finite() {
                    out.first_overflow = Some((start + k, value));
                }
            }
        }
        Scalar::U8 => out.values.extend(chunk.iter().map(|&b| f32::from(b))),
        _ => decode_as_f64(chunk, element, &mut |v| out.values.push(v as f32)),
    })?;
    Ok(out)
}

/// Reads `count` elements as `f64` (labels; integers up to 2⁵³ are exact).
pub(crate) fn read_f64(
    reader: &mut impl Read,
    element: Element,
    count: usize,
    reserve: usize,
) -> io::Result<Vec<f64>> {
    let mut out = Vec::with_capacity(reserve.min(count));
    for_each_chunk(reader, element, count, |chunk| {
        decode_as_f64(chunk, element, &mut |v| out.push(v));
    })?;
    Ok(out)
}

/// Calls `f` with whole elements' bytes until `count` elements were read.
fn for_each_chunk(
    reader: &mut impl Read,
    element: Element,
    count: usize,
    mut f: impl FnMut(&[u8]),
) -> io::Result<()> {
    let size = element.size();
    let per_chunk = (CHUNK_BYTES / size).max(1);
    let mut buf = vec![0u8; per_chunk.min(count.max(1)) * size];
    let mut left = count;
    while left > 0 {
        let n = per_chunk.min(left);
        let bytes = &mut buf[..n * size];
        reader.read_exact(bytes)?;
        f(bytes);
        left -= n;
    }
    Ok(())
}

/// Decodes every element of `chunk` (a whole number of them) to `f64` for `push`.
fn decode_as_f64(chunk: &[u8], element: Element, push: &mut impl FnMut(f64)) {
    let be = element.big_endian;
    macro_rules! each {
        ($n:literal, $from:expr) => {
            for b in chunk.chunks_exact($n) {
                push(read_one::<$n, _>(b, be, $from) as f64);
            }
        };
    }
    match element.scalar {
        Scalar::U8 => chunk.iter().for_each(|&b| push(f64::from(b))),
        Scalar::I8 => chunk.iter().for_each(|&b| push(f64::from(b as i8))),
        Scalar::U16 => each!(2, u16::from_le_bytes),
        Scalar::I16 => each!(2, i16::from_le_bytes),
        Scalar::U32 => each!(4, u32::from_le_bytes),
        Scalar::I32 => each!(4, i32::from_le_bytes),
        Scalar::U64 => each!(8, u64::from_le_bytes),
        Scalar::I64 => each!(8, i64::from_le_bytes),
        Scalar::F32 => each!(4, f32::from_le_bytes),
        Scalar::F64 => each!(8, f64::from_le_bytes),
    }
}

/// Decodes the `N`-byte elements of `chunk` with `from_le` into `out`.
fn decode<const N: usize>(
    chunk: &[u8],
    big_endian: bool,
    out: &mut Vec<f32>,
    from_le: impl Fn([u8; N]) -> f32,
) {
    out.extend(
        chunk
            .chunks_exact(N)
            .map(|b| read_one::<N, f32>(b, big_endian, &from_le)),
    );
}

/// One element from its `N` bytes; `from_le` reads little-endian bytes, so big-endian ones are
/// reversed first.
fn read_one<const N: usize, T>(
    bytes: &[u8],
    big_endian: bool,
    from_le: impl Fn([u8; N]) -> T,
) -> T {
    let mut b = [0u8; N];
    // `bytes` comes from `chunks_exact(N)` or a slice of length N: the lengths match
    b.copy_from_slice(bytes);
    if big_endian {
        b.reverse();
    }
    from_le(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(scalar: Scalar, big_endian: bool) -> Element {
        Element { scalar, big_endian }
    }

    #[test]
    fn decodes_each_type_and_byte_order() {
        let be: Vec<u8> = [1i16, -2, 300]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect();
        let d = read_f32(&mut be.as_slice(), el(Scalar::I16, true), 3, 3).unwrap();
        assert_eq!(d.values, [1.0, -2.0, 300.0]);
        let le: Vec<u8> = [1.5f64, -2.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(
            read_f64(&mut le.as_slice(), el(Scalar::F64, false), 2, 0).unwrap(),
            [1.5, -2.0]
        );
        let bytes = [0xffu8, 0x01];
        let d = read_f32(&mut &bytes[..], el(Scalar::I8, false), 2, 2).unwrap();
        assert_eq!(d.values, [-1.0, 1.0]);
        let d = read_f32(&mut &bytes[..], el(Scalar::U8, false), 2, 2).unwrap();
        assert_eq!(d.values, [255.0, 1.0]);
        let u32s: Vec<u8> = u32::MAX.to_be_bytes().to_vec();
        let d = read_f32(&mut u32s.as_slice(), el(Scalar::U32, true), 1, 1).unwrap();
        assert_eq!(d.values, [u32::MAX as f32]);
    }

    #[test]
    fn float64_overflow_is_recorded_and_early_end_is_an_error() {
        let v: Vec<u8> = [1.0f64, 1e300, f64::INFINITY, 2e300]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let d = read_f32(&mut v.as_slice(), el(Scalar::F64, false), 4, 4).unwrap();
        assert_eq!(d.first_overflow, Some((1, 1e300)));
        let e = read_f32(&mut &v[..20], el(Scalar::F64, false), 4, 4).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn reads_across_chunks() {
        let n = CHUNK_BYTES / 2 + 7;
        let v: Vec<u8> = (0..n).flat_map(|i| (i as u16).to_le_bytes()).collect();
        let d = read_f32(&mut v.as_slice(), el(Scalar::U16, false), n, 0).unwrap();
        assert_eq!(d.values.len(), n);
        assert_eq!(d.values[n - 1], ((n - 1) as u16) as f32);
    }
}

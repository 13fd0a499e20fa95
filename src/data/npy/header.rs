//! Reading and checking an `.npy` header before any data is read.
//!
//! The header is parsed here (a small, depth-limited reader of the Python literal numpy writes)
//! rather than by `ndarray-npy`, so that a corrupt file gets a message saying what was found
//! (dtype, shape, how many bytes are missing), a huge shape in a damaged header is caught
//! before anything is allocated, and input that the library's literal parser could choke on
//! never reaches it.

use std::io::Read;

use crate::data::elements::{Element, Scalar};

/// Start of every `.npy` file.
pub(crate) const MAGIC: &[u8] = b"\x93NUMPY";
/// Longest header accepted (numpy itself refuses headers over 10 000 bytes by default).
const MAX_HEADER: usize = 1 << 20;
/// Deepest nesting of brackets accepted in the header.
const MAX_DEPTH: usize = 16;

/// The element type for a descriptor string: `<f4`, `>i8`, `|u1`, … (`=` and no prefix are
/// little-endian, as on every machine numpy files come from in practice).
fn element_from_descr(descr: &str) -> Option<Element> {
    let (big_endian, body) = match descr.as_bytes().first() {
        Some(b'>') => (true, &descr[1..]),
        Some(b'<' | b'|' | b'=') => (false, &descr[1..]),
        _ => (false, descr),
    };
    let scalar = match body {
        "f4" => Scalar::F32,
        "f8" => Scalar::F64,
        "i1" => Scalar::I8,
        "i2" => Scalar::I16,
        "i4" => Scalar::I32,
        "i8" => Scalar::I64,
        "u1" | "B" => Scalar::U8,
        "u2" => Scalar::U16,
        "u4" => Scalar::U32,
        "u8" => Scalar::U64,
        _ => return None,
    };
    Some(Element { scalar, big_endian })
}

/// What the header says.
#[derive(Debug, Clone)]
pub(crate) struct NpyHeader {
    /// The element type, or a description of the unsupported one found.
    pub dtype: std::result::Result<Element, String>,
    /// The array's shape.
    pub shape: Vec<usize>,
    /// The values are stored column-major (the first index varies fastest).
    pub fortran_order: bool,
    /// Bytes before the data.
    pub data_offset: u64,
}

/// Reads the header from `reader`, positioned at the start of a file (or archive entry) of
/// `file_len` bytes. The error is a message for the user.
pub(crate) fn read_header(reader: &mut impl Read, file_len: u64) -> Result<NpyHeader, String> {
    let not_npy = "this is not a .npy file (it does not start with the .npy signature); \
                   save the array with numpy.save";
    let mut pre = [0u8; 10];
    read_exact_or(reader, &mut pre, not_npy)?;
    if &pre[..6] != MAGIC {
        return Err(not_npy.to_string());
    }
    let (major, minor) = (pre[6], pre[7]);
    let (header_len, data_offset) = match major {
        1 => (u64::from(u16::from_le_bytes([pre[8], pre[9]])), 10u64),
        2 | 3 => {
            let mut rest = [0u8; 2];
            read_exact_or(reader, &mut rest, "the file ends inside the .npy header")?;
            let len = u32::from_le_bytes([pre[8], pre[9], rest[0], rest[1]]);
            (u64::from(len), 12u64)
        }
        _ => {
            return Err(format!(
                "unsupported .npy format version {major}.{minor}; save the array again with \
                 numpy.save"
            ));
        }
    };
    let data_offset = data_offset + header_len;
    if data_offset > file_len {
        return Err(format!(
            "the file ends inside the .npy header (the header says it is {header_len} bytes \
             long, the file has {file_len} bytes); the file is truncated, save it again"
        ));
    }
    if header_len > MAX_HEADER as u64 {
        return Err(format!(
            "the .npy header is {header_len} bytes long, which is not plausible; the file is corrupt, save it again"
        ));
    }
    let mut text = vec![0u8; header_len as usize];
    read_exact_or(reader, &mut text, "the file ends inside the .npy header")?;
    let corrupt = |why: &str| {
        format!("the .npy header is corrupt ({why}); save the array again with numpy.save")
    };
    let text = std::str::from_utf8(&text).map_err(|_| corrupt("not text"))?;
    let mut parser = Parser {
        s: text.trim_end().as_bytes(),
        pos: 0,
        depth: 0,
    };
    let value = parser.value().map_err(|e| corrupt(&e))?;
    parser.skip_space();
    if parser.pos != parser.s.len() {
        return Err(corrupt("unexpected text after the dictionary"));
    }
    let Lit::Dict(entries) = value else {
        return Err(corrupt("it is not a dictionary"));
    };
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    for (key, value) in entries {
        match (key.as_str(), value) {
            ("descr", v) => descr = Some(v),
            ("fortran_order", Lit::Bool(b)) => fortran = Some(b),
            ("shape", Lit::Tuple(items)) => {
                let dims: Option<Vec<usize>> = items
                    .iter()
                    .map(|i| match i {
                        Lit::Int(n) => usize::try_from(*n).ok(),
                        _ => None,
                    })
                    .collect();
                shape = Some(dims.ok_or_else(|| corrupt("the shape is not a tuple of sizes"))?);
            }
            ("fortran_order" | "shape", _) => {
                return Err(corrupt(&format!("bad value for '{key}'")));
            }
            (other, _) => return Err(corrupt(&format!("unknown key '{other}'"))),
        }
    }
    let (Some(descr), Some(fortran_order), Some(shape)) = (descr, fortran, shape) else {
        return Err(corrupt("'descr', 'fortran_order' or 'shape' is missing"));
    };
    let dtype = match &descr {
        Lit::Str(s) => element_from_descr(s).ok_or_else(|| describe_descr(s)),
        _ => Err("a structured dtype (a record array with named fields)".to_string()),
    };
    Ok(NpyHeader {
        dtype,
        shape,
        fortran_order,
        data_offset,
    })
}

/// A dtype descriptor with its numpy name, e.g. `<c8 (complex64)`.
pub(crate) fn describe_descr(descr: &str) -> String {
    let body = descr.trim_start_matches(['<', '>', '|', '=']);
    let kind = body.chars().next().unwrap_or('?');
    let size: Option<usize> = body.get(1..).and_then(|s| s.parse().ok());
    let bits = size.map_or(String::new(), |s| (s * 8).to_string());
    let name = match kind {
        'f' => format!("float{bits}"),
        'i' => format!("int{bits}"),
        'u' => format!("uint{bits}"),
        'c' => format!("complex{bits}"),
        'b' | '?' => "bool".to_string(),
        'U' => "unicode strings".to_string(),
        'S' | 'a' => "byte strings".to_string(),
        'O' => "Python objects".to_string(),
        'M' => "datetime64".to_string(),
        'm' => "timedelta64".to_string(),
        'V' => "raw bytes".to_string(),
        _ => "unknown".to_string(),
    };
    format!("{descr} ({name})")
}

fn read_exact_or(reader: &mut impl Read, buf: &mut [u8], msg: &str) -> Result<(), String> {
    reader.read_exact(buf).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            msg.to_string()
        } else {
            format!("cannot read the file ({e})")
        }
    })
}

/// The Python literals a header may hold.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Int(u64),
    Bool(bool),
    None,
    Tuple(Vec<Lit>),
    List(Vec<Lit>),
    Dict(Vec<(String, Lit)>),
}

/// A recursive-descent reader of the literal subset numpy writes (no escapes, no expressions).
struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.s.get(self.pos).copied()
    }

    fn value(&mut self) -> Result<Lit, String> {
        match self.peek() {
            Some(b'{') => self.nested(|p| p.seq(b'}', true).map(|(_, d)| Lit::Dict(d))),
            Some(b'(') => self.nested(|p| p.seq(b')', false).map(|(items, _)| Lit::Tuple(items))),
            Some(b'[') => self.nested(|p| p.seq(b']', false).map(|(items, _)| Lit::List(items))),
            Some(q @ (b'\'' | b'"')) => self.string(q).map(Lit::Str),
            Some(b'0'..=b'9') => self.int(),
            Some(_) => self.word(),
            None => Err("it ends early".to_string()),
        }
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self) -> Result<Lit, String>) -> Result<Lit, String> {
        if self.depth >= MAX_DEPTH {
            return Err("brackets nested too deeply".to_string());
        }
        self.depth += 1;
        self.pos += 1; // the opening bracket
        let out = f(self);
        self.depth -= 1;
        out
    }

    /// Items up to `close`; for a dict, `key: value` pairs with string keys. A tuple of one
    /// item needs its trailing comma, as in Python.
    #[allow(clippy::type_complexity)]
    fn seq(&mut self, close: u8, dict: bool) -> Result<(Vec<Lit>, Vec<(String, Lit)>), String> {
        let (mut items, mut pairs, mut commas) = (Vec::new(), Vec::new(), 0);
        loop {
            if self.peek() == Some(close) {
                self.pos += 1;
                break;
            }
            if dict {
                let Lit::Str(key) = self.value()? else {
                    return Err("a key is not a string".to_string());
                };
                if self.peek() != Some(b':') {
                    return Err("':' expected".to_string());
                }
                self.pos += 1;
                pairs.push((key, self.value()?));
            } else {
                items.push(self.value()?);
            }
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    commas += 1;
                }
                Some(c) if c == close => {}
                _ => return Err(format!("'{}' or ',' expected", close as char)),
            }
        }
        if close == b')' && items.len() == 1 && commas == 0 {
            return Err("parentheses around a single value".to_string());
        }
        Ok((items, pairs))
    }

    fn string(&mut self, quote: u8) -> Result<String, String> {
        let start = self.pos + 1;
        let len = self
            .s
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b == quote))
            .ok_or("unclosed string")?;
        let body = self.s.get(start..start + len).ok_or("unclosed string")?;
        if body.iter().any(|&b| b == b'\\' || b == b'\n') {
            return Err("escape sequences in a string".to_string());
        }
        self.pos = start + len + 1;
        String::from_utf8(body.to_vec()).map_err(|_| "not text".to_string())
    }

    fn int(&mut self) -> Result<Lit, String> {
        let start = self.pos;
        while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        let digits = std::str::from_utf8(&self.s[start..self.pos]).map_err(|_| "not text")?;
        if self
            .s
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.')
        {
            return Err(format!("'{digits}' is followed by something unexpected"));
        }
        digits
            .parse::<u64>()
            .map(Lit::Int)
            .map_err(|_| format!("the size {digits} is too large"))
    }

    fn word(&mut self) -> Result<Lit, String> {
        let start = self.pos;
        while self.s.get(self.pos).is_some_and(u8::is_ascii_alphabetic) {
            self.pos += 1;
        }
        match &self.s[start..self.pos] {
            b"True" => Ok(Lit::Bool(true)),
            b"False" => Ok(Lit::Bool(false)),
            b"None" => Ok(Lit::None),
            _ => Err(format!("unexpected character at byte {start}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(h: &str) -> Result<NpyHeader, String> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend([1, 0]);
        bytes.extend((h.len() as u16).to_le_bytes());
        bytes.extend(h.as_bytes());
        read_header(&mut bytes.as_slice(), bytes.len() as u64)
    }

    #[test]
    fn reads_numpy_headers() {
        let h = parse("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }   \n").unwrap();
        let f4 = Element {
            scalar: Scalar::F32,
            big_endian: false,
        };
        assert_eq!(h.dtype, Ok(f4));
        assert_eq!((h.shape, h.fortran_order), (vec![2, 3], false));
        let h = parse("{\"shape\":(5,),\"fortran_order\":True,\"descr\":\"|u1\"}\n").unwrap();
        assert_eq!(h.dtype.map(|e| e.scalar), Ok(Scalar::U8));
        assert_eq!((h.shape, h.fortran_order), (vec![5], true));
        let h = parse("{'descr': '>i2', 'fortran_order': False, 'shape': (2,)}\n").unwrap();
        let i2 = Element {
            scalar: Scalar::I16,
            big_endian: true,
        };
        assert_eq!(h.dtype, Ok(i2));
        let h = parse("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': ()}\n").unwrap();
        assert!(h.dtype.unwrap_err().contains("structured"));
        let h = parse("{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}\n").unwrap();
        assert_eq!(h.dtype, Err("<c8 (complex64)".to_string()));
    }

    #[test]
    fn rejects_odd_headers() {
        for bad in [
            "",
            "{",
            "{'descr': '<f4'}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1+2,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}",
            "{'descr': '<f\\x34', 'fortran_order': False, 'shape': (3,)}",
            "{'descr': '<f4', 'fortran_order': 0, 'shape': (3,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': 1}",
            &format!("{}{}", "[".repeat(100), "]".repeat(100)),
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_dtypes() {
        assert_eq!(describe_descr("<c16"), "<c16 (complex128)");
        assert_eq!(describe_descr("<U5"), "<U5 (unicode strings)");
    }
}

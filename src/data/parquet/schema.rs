//! What each top-level column of a Parquet file is to this loader: numbers, a list of numbers,
//! text, or something it does not read (structs, maps, nested lists, INT96 timestamps, raw
//! fixed-length bytes), from the file's schema alone.

use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::schema::types::{ColumnDescriptor, SchemaDescriptor, Type};

/// How a leaf's stored values become numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Numbers {
    /// false/true as 0/1.
    Bool,
    /// 32-bit integers: unsigned ones are stored as their bit pattern; decimals are scaled.
    Int32 {
        unsigned: bool,
        scale: i32,
    },
    /// 64-bit integers, as for 32 bits.
    Int64 {
        unsigned: bool,
        scale: i32,
    },
    Float,
    Double,
}

impl Numbers {
    /// Whole numbers (a label of these is classes, as for CSV's integer cells).
    pub(super) fn is_integer(self) -> bool {
        match self {
            Numbers::Bool => true,
            Numbers::Int32 { scale, .. } | Numbers::Int64 { scale, .. } => scale == 0,
            Numbers::Float | Numbers::Double => false,
        }
    }
}

/// The definition levels that tell a list's state apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ListLevels {
    /// Below this the list itself is null.
    pub null_below: i16,
    /// Below this (and not null) the list is empty.
    pub empty_below: i16,
    /// An element is present at this level; below it (and not empty) the element is null.
    pub max_def: i16,
}

/// What a top-level column is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    /// One number per row, stored in leaf `leaf`.
    Numbers { leaf: usize, numbers: Numbers },
    /// A list of numbers per row (list, large_list or fixed_size_list in Arrow terms).
    List {
        leaf: usize,
        numbers: Numbers,
        levels: ListLevels,
    },
    /// Text (strings, enums, JSON, or bytes without a type).
    Text { leaf: usize },
    /// Not read; the text says what it is, for the note.
    Other(String),
}

/// A top-level column: its name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Field {
    pub name: String,
    pub kind: Kind,
}

/// The top-level columns of the file, in order.
pub(super) fn fields(schema: &SchemaDescriptor) -> Vec<Field> {
    let roots = schema.root_schema().get_fields();
    let mut leaves: Vec<Vec<usize>> = vec![Vec::new(); roots.len()];
    for leaf in 0..schema.num_columns() {
        if let Some(list) = leaves.get_mut(schema.get_column_root_idx(leaf)) {
            list.push(leaf);
        }
    }
    roots
        .iter()
        .zip(leaves)
        .map(|(root, leaves)| {
            let kind = match leaves.as_slice() {
                [leaf] => kind_of(root, *leaf, &schema.column(*leaf)),
                _ => Kind::Other("a struct or map (nested columns)".into()),
            };
            Field {
                name: root.name().to_owned(),
                kind,
            }
        })
        .collect()
}

/// The kind of a top-level field `root` whose only leaf is `leaf`.
fn kind_of(root: &Type, leaf: usize, descr: &ColumnDescriptor) -> Kind {
    let Some(numbers) = numbers_of(descr) else {
        return match descr.physical_type() {
            Physical::BYTE_ARRAY if descr.max_rep_level() == 0 => Kind::Text { leaf },
            Physical::BYTE_ARRAY => Kind::Other("a list of text".into()),
            Physical::INT96 => Kind::Other("INT96 timestamps".into()),
            _ => Kind::Other("fixed-length bytes (float16, decimal or UUID)".into()),
        };
    };
    // walk down from the top: every optional or repeated node adds a definition level
    let (mut node, mut def, mut lists) = (root, 0i16, Vec::new());
    loop {
        let info = node.get_basic_info();
        match info.repetition() {
            Repetition::OPTIONAL => def += 1,
            Repetition::REPEATED => {
                lists.push((def, def + 1));
                def += 1;
            }
            Repetition::REQUIRED => {}
        }
        if node.is_primitive() {
            break;
        }
        match node.get_fields() {
            [child] => node = child,
            _ => return Kind::Other("a struct or map (nested columns)".into()),
        }
    }
    match lists.as_slice() {
        [] if root.is_primitive() => Kind::Numbers { leaf, numbers },
        [] => Kind::Other("a struct".into()),
        [(null_below, empty_below)] => Kind::List {
            leaf,
            numbers,
            levels: ListLevels {
                null_below: *null_below,
                empty_below: *empty_below,
                max_def: def,
            },
        },
        _ => Kind::Other("nested lists".into()),
    }
}

/// How the leaf's values are numbers, if they are.
fn numbers_of(descr: &ColumnDescriptor) -> Option<Numbers> {
    let converted = descr.converted_type();
    let unsigned = |bits: i8, old: ConvertedType| {
        let logical = matches!(
            descr.logical_type_ref(),
            Some(LogicalType::Integer(t)) if t.bit_width == bits && !t.is_signed
        );
        logical || converted == old
    };
    let scale = if converted == ConvertedType::DECIMAL
        || matches!(descr.logical_type_ref(), Some(LogicalType::Decimal { .. }))
    {
        descr.type_scale()
    } else {
        0
    };
    Some(match descr.physical_type() {
        Physical::BOOLEAN => Numbers::Bool,
        Physical::INT32 => Numbers::Int32 {
            unsigned: unsigned(32, ConvertedType::UINT_32),
            scale,
        },
        Physical::INT64 => Numbers::Int64 {
            unsigned: unsigned(64, ConvertedType::UINT_64),
            scale,
        },
        Physical::FLOAT => Numbers::Float,
        Physical::DOUBLE => Numbers::Double,
        Physical::INT96 | Physical::BYTE_ARRAY | Physical::FIXED_LEN_BYTE_ARRAY => return None,
    })
}

//! Building a table from sparse rows and writing it as Parquet with the KQL type of every
//! column in the Arrow field metadata (`kql_type`).

use crate::schemas::TABLES;
use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Float64Builder, Int32Builder, Int64Builder, StringBuilder,
    TimestampNanosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// A cell value. Columns a row does not mention are `""` for strings and null otherwise
/// (KQL strings are never null).
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    /// `string` (also `guid`).
    S(String),
    /// `datetime`, nanoseconds since the epoch (a multiple of 100).
    T(i64),
    /// `int`.
    I(i32),
    /// `long`.
    L(i64),
    /// `real`.
    R(f64),
    /// `bool`.
    B(bool),
    /// `dynamic`, as compact JSON text.
    D(String),
}

/// A sparse row: `(column, value)` pairs.
pub type Row = Vec<(&'static str, V)>;

/// `V::S` from anything string-like.
pub fn s(x: impl Into<String>) -> V {
    V::S(x.into())
}

/// The Arrow type that stores KQL type `ty`.
fn arrow_type(ty: &str) -> Result<DataType, String> {
    Ok(match ty {
        "string" | "guid" | "dynamic" => DataType::Utf8,
        "datetime" => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
        "int" => DataType::Int32,
        "long" => DataType::Int64,
        "real" => DataType::Float64,
        "bool" => DataType::Boolean,
        other => return Err(format!("no Arrow type for KQL type `{other}`")),
    })
}

/// The columns of `table` from [`TABLES`].
pub fn columns(table: &str) -> Result<&'static [(&'static str, &'static str)], String> {
    TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, c)| *c)
        .ok_or_else(|| format!("unknown table `{table}`"))
}

/// The record batch of `rows` in `table`'s schema. Rows are kept in the given order.
pub fn batch(table: &str, rows: &[Row]) -> Result<RecordBatch, String> {
    let cols = columns(table)?;
    let index: HashMap<&str, usize> = cols.iter().enumerate().map(|(i, (n, _))| (*n, i)).collect();
    // Column-major cells: `cells[c][r]`.
    let mut cells: Vec<Vec<Option<&V>>> = vec![vec![None; rows.len()]; cols.len()];
    for (r, row) in rows.iter().enumerate() {
        for (name, v) in row {
            let c = *index
                .get(name)
                .ok_or_else(|| format!("table `{table}` has no column `{name}`"))?;
            if cells[c][r].is_some() {
                return Err(format!(
                    "table `{table}`: column `{name}` set twice in a row"
                ));
            }
            cells[c][r] = Some(v);
        }
    }
    let mut fields = Vec::with_capacity(cols.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(cols.len());
    for ((name, ty), col) in cols.iter().zip(&cells) {
        let bad = |v: &V| format!("table `{table}`, column `{name}` ({ty}): bad value {v:?}");
        let array: ArrayRef = match *ty {
            "string" | "guid" | "dynamic" => {
                let mut b = StringBuilder::new();
                for v in col {
                    match v {
                        None if *ty == "dynamic" => b.append_null(),
                        None => b.append_value(""),
                        Some(V::S(x)) if *ty != "dynamic" => b.append_value(x),
                        Some(V::D(x)) if *ty == "dynamic" => b.append_value(x),
                        Some(v) => return Err(bad(v)),
                    }
                }
                Arc::new(b.finish())
            }
            "datetime" => {
                let mut b = TimestampNanosecondBuilder::new().with_timezone("UTC");
                for v in col {
                    match v {
                        None => b.append_null(),
                        Some(V::T(x)) if x % 100 == 0 => b.append_value(*x),
                        Some(v) => return Err(bad(v)),
                    }
                }
                Arc::new(b.finish())
            }
            "int" => {
                let mut b = Int32Builder::new();
                for v in col {
                    match v {
                        None => b.append_null(),
                        Some(V::I(x)) => b.append_value(*x),
                        Some(v) => return Err(bad(v)),
                    }
                }
                Arc::new(b.finish())
            }
            "long" => {
                let mut b = Int64Builder::new();
                for v in col {
                    match v {
                        None => b.append_null(),
                        Some(V::L(x)) => b.append_value(*x),
                        Some(v) => return Err(bad(v)),
                    }
                }
                Arc::new(b.finish())
            }
            "real" => {
                let mut b = Float64Builder::new();
                for v in col {
                    match v {
                        None => b.append_null(),
                        Some(V::R(x)) => b.append_value(*x),
                        Some(v) => return Err(bad(v)),
                    }
                }
                Arc::new(b.finish())
            }
            "bool" => {
                let mut b = BooleanBuilder::new();
                for v in col {
                    match v {
                        None => b.append_null(),
                        Some(V::B(x)) => b.append_value(*x),
                        Some(v) => return Err(bad(v)),
                    }
                }
                Arc::new(b.finish())
            }
            other => return Err(format!("table `{table}`: unknown KQL type `{other}`")),
        };
        let meta = HashMap::from([("kql_type".to_string(), ty.to_string())]);
        fields.push(Field::new(*name, arrow_type(ty)?, true).with_metadata(meta));
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| format!("table `{table}`: {e}"))
}

/// Writes `rows` to `path` as one Parquet file (SNAPPY, one row group, fixed `created_by`
/// so the bytes do not depend on the parquet crate's version string).
pub fn write_parquet(path: &Path, table: &str, rows: &[Row]) -> Result<(), String> {
    let batch = batch(table, rows)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by("kql-testdata".to_string())
        .set_max_row_group_row_count(Some(1 << 20))
        .build();
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    w.write(&batch)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    w.close().map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}

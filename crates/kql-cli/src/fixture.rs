//! Test fixtures for `kql test`: typed CSV and JSON-lines tables, converted to Parquet with
//! KQL type metadata so the engine reads them exactly like a data directory's tables.
//!
//! Column types come from the header: `Name:type` (KQL type names: `string`, `long`, `int`,
//! `real`, `decimal`, `bool`, `datetime`, `timespan`, `guid`, `dynamic`); a column without
//! `:type` is a `string`. In JSON lines the keys carry the same suffix (`"TimeGenerated:datetime"`);
//! a key without it takes its type from its JSON values (string, long, real, bool, or dynamic
//! for arrays and objects).
//!
//! Cells: an empty cell or `null` is null (except in `string` columns, where an empty cell is
//! the empty string: KQL strings are never null); `datetime` is anything `todatetime` accepts
//! (e.g. `2024-05-01T10:00:00Z`); `timespan` is KQL timespan text (`1.02:03:04`, `5m`);
//! `dynamic` is JSON.

use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, DurationNanosecondBuilder, Float64Builder, Int32Builder,
    Int64Builder, StringBuilder, TimestampNanosecondBuilder,
};
use datafusion::arrow::datatypes::{Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use kql_planner::KqlType;
use kql_planner::types::type_metadata;
use std::path::Path;
use std::sync::Arc;

/// A table read from a fixture: typed columns and rows of cell texts (`None` = null).
#[derive(Clone, Debug, PartialEq)]
pub struct Fixture {
    /// Column names and types.
    pub columns: Vec<(String, KqlType)>,
    /// Rows of cells.
    pub rows: Vec<Vec<Option<String>>>,
}

/// Splits a `name:type` header cell. The type must be a KQL type name.
pub fn parse_header_cell(cell: &str) -> Result<(String, Option<KqlType>), String> {
    let cell = cell.trim();
    match cell.rsplit_once(':') {
        Some((name, ty)) if !name.is_empty() => match KqlType::parse(ty) {
            Some(t) => Ok((name.trim().to_string(), Some(t))),
            None => Err(format!(
                "column `{cell}`: unknown type `{ty}` (use string, long, int, real, decimal, bool, datetime, timespan, guid or dynamic)"
            )),
        },
        _ => Ok((cell.to_string(), None)),
    }
}

/// Reads a typed CSV text (first record is the `name:type` header).
pub fn read_csv(text: &str) -> Result<Fixture, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(format!("CSV header: {e}")),
        None => return Err("empty CSV: the first line must name the columns (`Name:type`)".into()),
    };
    let mut columns = Vec::new();
    for cell in header.iter() {
        let (name, ty) = parse_header_cell(cell)?;
        columns.push((name, ty.unwrap_or(KqlType::String)));
    }
    let mut rows = Vec::new();
    for (i, r) in records.enumerate() {
        let r = r.map_err(|e| format!("CSV row {}: {e}", i + 1))?;
        let row: Vec<Option<String>> = r
            .iter()
            .zip(&columns)
            .map(|(c, (_, ty))| null_cell(c, *ty))
            .collect();
        rows.push(row);
    }
    Ok(Fixture { columns, rows })
}

/// A CSV cell's value: `None` for null.
fn null_cell(c: &str, ty: KqlType) -> Option<String> {
    if ty == KqlType::String {
        Some(c.to_string())
    } else if c.trim().is_empty() || c.trim() == "null" {
        None
    } else {
        Some(c.to_string())
    }
}

/// Reads JSON lines (one object per line; blank lines ignored).
pub fn read_json_lines(text: &str) -> Result<Fixture, String> {
    use serde_json::Value;
    let mut objects = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("JSON line {}: {e}", i + 1))?;
        match v {
            Value::Object(m) => objects.push(m),
            _ => return Err(format!("JSON line {}: expected an object", i + 1)),
        }
    }
    // Columns in order of first appearance; declared types from `name:type` keys.
    let mut keys: Vec<(String, String, Option<KqlType>)> = Vec::new(); // (key, name, type)
    for o in &objects {
        for k in o.keys() {
            if !keys.iter().any(|(key, _, _)| key == k) {
                let (name, ty) = parse_header_cell(k)?;
                keys.push((k.clone(), name, ty));
            }
        }
    }
    let mut columns = Vec::new();
    for (key, name, ty) in &keys {
        let ty = match ty {
            Some(t) => *t,
            None => infer_json_type(objects.iter().filter_map(|o| o.get(key))),
        };
        columns.push((name.clone(), ty));
    }
    let rows = objects
        .iter()
        .map(|o| {
            keys.iter()
                .zip(&columns)
                .map(|((key, _, _), (_, ty))| match o.get(key) {
                    None | Some(Value::Null) => (*ty == KqlType::String).then(String::new),
                    Some(Value::String(s)) if *ty != KqlType::Dynamic => Some(s.clone()),
                    Some(v) => Some(v.to_string()),
                })
                .collect()
        })
        .collect();
    Ok(Fixture { columns, rows })
}

/// The KQL type of a JSON key without a declared type.
fn infer_json_type<'a>(values: impl Iterator<Item = &'a serde_json::Value>) -> KqlType {
    use serde_json::Value;
    let mut ty: Option<KqlType> = None;
    for v in values {
        let t = match v {
            Value::Null => continue,
            Value::Bool(_) => KqlType::Bool,
            Value::Number(n) if n.is_i64() => KqlType::Long,
            Value::Number(_) => KqlType::Real,
            Value::String(_) => KqlType::String,
            Value::Array(_) | Value::Object(_) => KqlType::Dynamic,
        };
        ty = Some(match (ty, t) {
            (None, t) => t,
            (Some(a), b) if a == b => a,
            (Some(KqlType::Long), KqlType::Real) | (Some(KqlType::Real), KqlType::Long) => {
                KqlType::Real
            }
            _ => KqlType::Dynamic,
        });
    }
    ty.unwrap_or(KqlType::String)
}

/// Builds a record batch (with `kql_type` field metadata) from a fixture.
pub fn to_batch(f: &Fixture) -> Result<RecordBatch, String> {
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut fields = Vec::new();
    for (j, (name, ty)) in f.columns.iter().enumerate() {
        let cells = f.rows.iter().map(|r| r.get(j).cloned().flatten());
        let bad = |row: usize, v: &str, what: &str| {
            format!(
                "row {}, column `{name}`: `{v}` is not a valid {what}",
                row + 1
            )
        };
        let array: ArrayRef = match ty {
            KqlType::Bool => {
                let mut b = BooleanBuilder::new();
                for (i, c) in cells.enumerate() {
                    match c.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
                        None => b.append_null(),
                        Some(s) if s == "true" || s == "1" => b.append_value(true),
                        Some(s) if s == "false" || s == "0" => b.append_value(false),
                        Some(s) => return Err(bad(i, &s, "bool (true/false)")),
                    }
                }
                Arc::new(b.finish())
            }
            KqlType::Int => {
                let mut b = Int32Builder::new();
                for (i, c) in cells.enumerate() {
                    match c {
                        None => b.append_null(),
                        Some(s) => b.append_value(s.trim().parse().map_err(|_| bad(i, &s, "int"))?),
                    }
                }
                Arc::new(b.finish())
            }
            KqlType::Long => {
                let mut b = Int64Builder::new();
                for (i, c) in cells.enumerate() {
                    match c {
                        None => b.append_null(),
                        Some(s) => {
                            b.append_value(s.trim().parse().map_err(|_| bad(i, &s, "long"))?)
                        }
                    }
                }
                Arc::new(b.finish())
            }
            KqlType::Real => {
                let mut b = Float64Builder::new();
                for (i, c) in cells.enumerate() {
                    match c {
                        None => b.append_null(),
                        Some(s) => {
                            b.append_value(parse_real(&s).ok_or_else(|| bad(i, &s, "real"))?)
                        }
                    }
                }
                Arc::new(b.finish())
            }
            KqlType::DateTime => {
                let mut b = TimestampNanosecondBuilder::new().with_timezone("UTC");
                for (i, c) in cells.enumerate() {
                    match c {
                        None => b.append_null(),
                        Some(s) => b.append_value(
                            kql_planner::parse_datetime_text(s.trim())
                                .ok_or_else(|| bad(i, &s, "datetime"))?,
                        ),
                    }
                }
                Arc::new(b.finish())
            }
            KqlType::TimeSpan => {
                let mut b = DurationNanosecondBuilder::new();
                for (i, c) in cells.enumerate() {
                    match c {
                        None => b.append_null(),
                        Some(s) => b.append_value(
                            kql_syntax::literal::parse_timespan_text(&s)
                                .and_then(|t| t.checked_mul(100))
                                .ok_or_else(|| bad(i, &s, "timespan"))?,
                        ),
                    }
                }
                Arc::new(b.finish())
            }
            KqlType::Dynamic => {
                let mut b = StringBuilder::new();
                for (i, c) in cells.enumerate() {
                    match c {
                        None => b.append_null(),
                        Some(s) => {
                            let v: serde_json::Value = serde_json::from_str(&s)
                                .map_err(|_| bad(i, &s, "dynamic (JSON) value"))?;
                            b.append_value(v.to_string());
                        }
                    }
                }
                Arc::new(b.finish())
            }
            // Text, read by the engine as the declared type (decimal is cast from text).
            KqlType::String | KqlType::Guid | KqlType::Decimal => {
                let mut b = StringBuilder::new();
                for c in cells {
                    match c {
                        None => b.append_null(),
                        Some(s) => b.append_value(s),
                    }
                }
                Arc::new(b.finish())
            }
        };
        fields.push(
            Field::new(name, array.data_type().clone(), true).with_metadata(type_metadata(*ty)),
        );
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(|e| e.to_string())
}

fn parse_real(s: &str) -> Option<f64> {
    match s.trim() {
        "NaN" | "nan" => Some(f64::NAN),
        "Infinity" | "inf" | "+Infinity" => Some(f64::INFINITY),
        "-Infinity" | "-inf" => Some(f64::NEG_INFINITY),
        t => t.parse().ok(),
    }
}

/// Writes a batch as a Parquet file.
pub fn write_parquet(path: &Path, batch: &RecordBatch) -> Result<(), String> {
    use datafusion::parquet::arrow::ArrowWriter;
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut w = ArrowWriter::try_new(file, batch.schema(), None).map_err(|e| e.to_string())?;
    w.write(batch).map_err(|e| e.to_string())?;
    w.close().map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_csv_header_and_nulls() {
        let f = read_csv("A:long,B,C:dynamic\n1,,\"{\"\"k\"\":1}\"\n,x,null\n").unwrap();
        assert_eq!(
            f.columns,
            vec![
                ("A".to_string(), KqlType::Long),
                ("B".to_string(), KqlType::String),
                ("C".to_string(), KqlType::Dynamic)
            ]
        );
        assert_eq!(
            f.rows,
            vec![
                vec![
                    Some("1".into()),
                    Some(String::new()),
                    Some("{\"k\":1}".into())
                ],
                vec![None, Some("x".into()), None],
            ]
        );
        let b = to_batch(&f).unwrap();
        assert_eq!(b.num_rows(), 2);
        assert_eq!(
            b.schema()
                .field(2)
                .metadata()
                .get("kql_type")
                .map(String::as_str),
            Some("dynamic")
        );
    }

    #[test]
    fn bad_cells_and_types_are_reported() {
        assert!(
            read_csv("A:lng\n1\n")
                .unwrap_err()
                .contains("unknown type `lng`")
        );
        let f = read_csv("T:datetime\nyesterday\n").unwrap();
        assert!(to_batch(&f).unwrap_err().contains("row 1, column `T`"));
    }

    #[test]
    fn json_lines_infer_and_declare_types() {
        let f = read_json_lines(
            "{\"T:datetime\":\"2024-01-01T00:00:00Z\",\"n\":1,\"x\":[1]}\n\n{\"n\":2.5,\"s\":\"a\"}\n",
        )
        .unwrap();
        assert_eq!(
            f.columns,
            vec![
                ("T".to_string(), KqlType::DateTime),
                ("n".to_string(), KqlType::Real),
                ("x".to_string(), KqlType::Dynamic),
                ("s".to_string(), KqlType::String)
            ]
        );
        assert_eq!(f.rows[1][0], None);
        assert_eq!(f.rows[1][3], Some("a".into()));
        assert_eq!(f.rows[0][3], Some(String::new()));
        assert_eq!(f.rows[0][2], Some("[1]".into()));
        assert!(to_batch(&f).is_ok());
    }
}

//! The JSON model of KQL `dynamic` values (design.md "dynamic physical forms").
//!
//! * Canonical JSON text (what dynamic columns hold): compact `serde_json` output; reals keep
//!   their "realness" (`118.0`), datetimes are `"yyyy-MM-ddTHH:mm:ss.fffffffZ"` strings and
//!   timespans `"[-][d.]hh:mm:ss[.fffffff]"` strings; the Arrow null is the dynamic null.
//! * Display text (what `tostring(dynamic)` and result output show): the same, but reals are
//!   formatted like `tostring(real)` (integral reals without fraction, `1E+20`), and a
//!   top-level string is shown raw, a top-level null as `""`.

use crate::convert::format::{
    duration_ns, format_datetime, format_decimal, format_timespan, timestamp_ns, write_real,
};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{
    DataType, Decimal128Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use serde_json::{Map, Number, Value};
use std::fmt::Write;

/// Parses JSON text as KQL's `parse_json` does: valid JSON gives its value; empty (or
/// whitespace-only) text gives null; anything else gives a JSON string holding the text.
pub fn parse_json_lenient(text: &str) -> Value {
    if text.trim().is_empty() {
        return Value::Null;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v) => v,
        Err(_) => Value::String(text.to_string()),
    }
}

/// Parses canonical JSON text of a dynamic column value (lenient: invalid text is a string).
pub fn parse_dynamic(text: Option<&str>) -> Value {
    match text {
        None => Value::Null,
        Some(t) => parse_json_lenient(t),
    }
}

/// A JSON number for a real; NaN and infinities (not representable in JSON) become the
/// strings `"NaN"`, `"Infinity"`, `"-Infinity"`.  // unverified against ADX
pub fn real_to_json(x: f64) -> Value {
    match Number::from_f64(x) {
        Some(n) => Value::Number(n),
        None => {
            let mut s = String::new();
            write_real(&mut s, x);
            Value::String(s)
        }
    }
}

/// Converts row `i` of any Arrow array to a dynamic value. `Utf8` is a KQL *string* (it
/// becomes a JSON string); use [`parse_dynamic`] for JSON text.
pub fn arrow_to_json(a: &dyn Array, i: usize) -> Value {
    if i >= a.len() || a.is_null(i) {
        return Value::Null;
    }
    match a.data_type() {
        DataType::Utf8 => Value::String(a.as_string::<i32>().value(i).to_string()),
        DataType::LargeUtf8 => Value::String(a.as_string::<i64>().value(i).to_string()),
        DataType::Utf8View => Value::String(a.as_string_view().value(i).to_string()),
        DataType::Boolean => Value::Bool(a.as_boolean().value(i)),
        DataType::Int64 => Value::from(a.as_primitive::<Int64Type>().value(i)),
        DataType::Int32 => Value::from(a.as_primitive::<Int32Type>().value(i)),
        DataType::Int16 => Value::from(a.as_primitive::<Int16Type>().value(i)),
        DataType::Int8 => Value::from(a.as_primitive::<Int8Type>().value(i)),
        DataType::UInt64 => Value::from(a.as_primitive::<UInt64Type>().value(i)),
        DataType::UInt32 => Value::from(a.as_primitive::<UInt32Type>().value(i)),
        DataType::UInt16 => Value::from(a.as_primitive::<UInt16Type>().value(i)),
        DataType::UInt8 => Value::from(a.as_primitive::<UInt8Type>().value(i)),
        DataType::Float64 => real_to_json(a.as_primitive::<Float64Type>().value(i)),
        DataType::Float32 => real_to_json(f64::from(a.as_primitive::<Float32Type>().value(i))),
        DataType::Float16 => real_to_json(f64::from(a.as_primitive::<Float16Type>().value(i))),
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 => {
            match timestamp_ns(a, i) {
                Some(ns) => Value::String(format_datetime(ns)),
                None => Value::Null,
            }
        }
        DataType::Duration(_) => match duration_ns(a, i) {
            Some(ns) => Value::String(format_timespan(ns)),
            None => Value::Null,
        },
        DataType::Decimal128(_, s) => {
            let text = format_decimal(a.as_primitive::<Decimal128Type>().value(i), *s);
            match serde_json::from_str::<Number>(&text) {
                Ok(n) => Value::Number(n),
                Err(_) => Value::String(text),
            }
        }
        DataType::List(_) => {
            let l = a.as_list::<i32>();
            let vals = l.value(i);
            Value::Array(
                (0..vals.len())
                    .map(|j| arrow_to_json(vals.as_ref(), j))
                    .collect(),
            )
        }
        DataType::LargeList(_) => {
            let l = a.as_list::<i64>();
            let vals = l.value(i);
            Value::Array(
                (0..vals.len())
                    .map(|j| arrow_to_json(vals.as_ref(), j))
                    .collect(),
            )
        }
        DataType::FixedSizeList(_, _) => {
            let l = a.as_fixed_size_list();
            let vals = l.value(i);
            Value::Array(
                (0..vals.len())
                    .map(|j| arrow_to_json(vals.as_ref(), j))
                    .collect(),
            )
        }
        DataType::Struct(fields) => {
            let s = a.as_struct();
            let mut m = Map::new();
            for (k, f) in fields.iter().enumerate() {
                m.insert(f.name().clone(), arrow_to_json(s.column(k).as_ref(), i));
            }
            Value::Object(m)
        }
        DataType::Map(_, _) => {
            let mp = a.as_map();
            let entry = mp.value(i);
            let keys = entry.column(0);
            let vals = entry.column(1);
            let mut m = Map::new();
            for j in 0..entry.len() {
                let k = crate::convert::format::value_to_string(keys.as_ref(), j);
                m.insert(k, arrow_to_json(vals.as_ref(), j));
            }
            Value::Object(m)
        }
        _ => Value::String(crate::convert::format::value_to_string(a, i)),
    }
}

/// Same as [`arrow_to_json`]; named for call sites that render values for display.
pub fn arrow_to_display(a: &dyn Array, i: usize) -> Value {
    arrow_to_json(a, i)
}

/// Canonical compact JSON text of a value.
pub fn to_canonical(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}

/// Canonical JSON text of row `i` of any physical form: `Utf8` is taken as a KQL string
/// (quoted); `None` for null. This is the plain-Rust `to_json`.
pub fn value_to_json(a: &dyn Array, i: usize) -> Option<String> {
    if i >= a.len() || a.is_null(i) {
        return None;
    }
    Some(to_canonical(&arrow_to_json(a, i)))
}

/// Appends the display form of a (possibly nested) value: compact JSON with KQL real
/// formatting. Top-level strings are quoted here; see [`json_to_display`] for `tostring`.
pub fn write_display(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number_display(out, n),
        Value::String(s) => write_json_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (k, x) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                write_display(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (k, (key, x)) in m.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                write_json_string(out, key);
                out.push(':');
                write_display(out, x);
            }
            out.push('}');
        }
    }
}

fn write_number_display(out: &mut String, n: &Number) {
    if let Some(i) = n.as_i64() {
        let _ = write!(out, "{i}");
    } else if let Some(u) = n.as_u64() {
        let _ = write!(out, "{u}");
    } else if let Some(f) = n.as_f64() {
        write_real(out, f);
    } else {
        out.push_str(&n.to_string());
    }
}

/// Appends `s` as a JSON string literal.
pub fn write_json_string(out: &mut String, s: &str) {
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str("\"\""),
    }
}

/// The `tostring()` of a dynamic value: a string is returned raw, null as `""`, anything
/// else as display JSON.
pub fn display_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => {
            let mut s = String::new();
            write_display(&mut s, other);
            s
        }
    }
}

/// The `tostring()` of canonical JSON text (what the CLI shows for a dynamic cell).
pub fn json_to_display(text: Option<&str>) -> String {
    display_value(&parse_dynamic(text))
}

/// The KQL type name of a dynamic value (`gettype`).
pub fn kql_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                // https://learn.microsoft.com/kusto/query/gettype-function:
                // gettype(parse_json('1')) == "int"
                if i32::try_from(i).is_ok() {
                    "int"
                } else {
                    "long"
                }
            } else if n.is_u64() {
                "long"
            } else {
                "real"
            }
        }
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "dictionary",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // https://learn.microsoft.com/kusto/query/parse-json-function: 118.0 prints as 118
    #[test]
    fn display_integral_reals_without_fraction() {
        let v = parse_json_lenient(
            r#"{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}}"#,
        );
        assert_eq!(
            display_value(&v),
            r#"{"duration":{"value":118,"count":5,"min":100,"max":150,"stdDev":0,"sampledValue":118,"sum":118}}"#
        );
        // canonical form keeps the realness
        assert_eq!(to_canonical(&parse_json_lenient("[1.0,2]")), "[1.0,2]");
    }

    #[test]
    fn lenient_parse() {
        assert_eq!(parse_json_lenient(""), Value::Null);
        assert_eq!(parse_json_lenient("   "), Value::Null);
        assert_eq!(parse_json_lenient("abc"), Value::String("abc".into()));
        assert_eq!(parse_json_lenient(" \"abc\" "), Value::String("abc".into()));
        assert_eq!(display_value(&parse_json_lenient("{\"a\":1}")), "{\"a\":1}");
        assert_eq!(json_to_display(None), "");
        assert_eq!(json_to_display(Some("\"x\"")), "x");
        assert_eq!(json_to_display(Some("1e20")), "1E+20");
    }

    // https://learn.microsoft.com/kusto/query/gettype-function
    #[test]
    fn type_names() {
        assert_eq!(kql_type_name(&parse_json_lenient("1")), "int");
        assert_eq!(kql_type_name(&parse_json_lenient(" \"abc\" ")), "string");
        assert_eq!(
            kql_type_name(&parse_json_lenient(" {\"abc\":1} ")),
            "dictionary"
        );
        assert_eq!(kql_type_name(&parse_json_lenient(" [1, 2, 3] ")), "array");
        assert_eq!(kql_type_name(&parse_json_lenient("")), "null");
        assert_eq!(kql_type_name(&parse_json_lenient("123.45")), "real");
        assert_eq!(kql_type_name(&parse_json_lenient("12345678901")), "long");
    }
}

//! The one value formatter shared by every output: REPL tables, CSV, JSON and the golden
//! test files. KQL-style rendering: datetimes `2024-01-01T00:00:00Z` (fraction only when
//! non-zero), timespans `[-][d.]hh:mm:ss[.fffffff]`, reals in shortest round-trip form,
//! dynamic values as compact JSON.

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use kql_functions::convert::{format_real, format_timespan};
use kql_planner::KqlType;

/// How nulls are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Tables and CSV: null is an empty cell.
    Display,
    /// Golden tests: null is `null`, so it differs from `""`.
    Test,
}

/// A datetime as `yyyy-MM-ddTHH:mm:ss[.f]Z` with trailing zero fraction digits removed.
pub fn format_datetime_display(ns: i64) -> String {
    let full = kql_functions::convert::format_datetime(ns);
    // full = yyyy-MM-ddTHH:mm:ss.fffffffZ
    match full.rfind('.') {
        Some(dot) => {
            let frac = full[dot + 1..full.len() - 1].trim_end_matches('0');
            if frac.is_empty() {
                format!("{}Z", &full[..dot])
            } else {
                format!("{}.{frac}Z", &full[..dot])
            }
        }
        None => full,
    }
}

/// Formats row `i` of `a`, a column of KQL type `ty`.
pub fn format_cell(a: &dyn Array, i: usize, ty: KqlType, flavor: Flavor) -> String {
    if a.is_null(i) {
        return match flavor {
            Flavor::Display => String::new(),
            Flavor::Test => "null".to_string(),
        };
    }
    if ty == KqlType::Dynamic {
        return match a.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                let text = scalar_text(a, i).unwrap_or_default();
                kql_functions::dynamic::json_to_display(Some(&text))
            }
            DataType::List(_) | DataType::LargeList(_) | DataType::Struct(_) => {
                kql_functions::dynamic::value_to_json(a, i).unwrap_or_default()
            }
            DataType::Timestamp(..) => format_datetime_display(timestamp_ns(a, i)),
            _ => format_scalar(a, i),
        };
    }
    format_scalar(a, i)
}

/// A non-null scalar cell.
fn format_scalar(a: &dyn Array, i: usize) -> String {
    match a.data_type() {
        DataType::Boolean => a.as_boolean().value(i).to_string(),
        DataType::Float64 => format_real(
            a.as_primitive::<datafusion::arrow::datatypes::Float64Type>()
                .value(i),
        ),
        DataType::Float32 => format_real(
            a.as_primitive::<datafusion::arrow::datatypes::Float32Type>()
                .value(i) as f64,
        ),
        DataType::Timestamp(..) => format_datetime_display(timestamp_ns(a, i)),
        DataType::Duration(TimeUnit::Nanosecond) => format_timespan(
            a.as_primitive::<datafusion::arrow::datatypes::DurationNanosecondType>()
                .value(i),
        ),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            scalar_text(a, i).unwrap_or_default()
        }
        DataType::List(_) | DataType::LargeList(_) | DataType::Struct(_) => {
            kql_functions::dynamic::value_to_json(a, i).unwrap_or_default()
        }
        _ => datafusion::arrow::util::display::array_value_to_string(a, i).unwrap_or_default(),
    }
}

fn timestamp_ns(a: &dyn Array, i: usize) -> i64 {
    match a.data_type() {
        DataType::Timestamp(TimeUnit::Nanosecond, _) => a
            .as_primitive::<datafusion::arrow::datatypes::TimestampNanosecondType>()
            .value(i),
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            a.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>()
                .value(i)
                * 1_000
        }
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            a.as_primitive::<datafusion::arrow::datatypes::TimestampMillisecondType>()
                .value(i)
                * 1_000_000
        }
        DataType::Timestamp(TimeUnit::Second, _) => {
            a.as_primitive::<datafusion::arrow::datatypes::TimestampSecondType>()
                .value(i)
                * 1_000_000_000
        }
        _ => 0,
    }
}

fn scalar_text(a: &dyn Array, i: usize) -> Option<String> {
    match a.data_type() {
        DataType::Utf8 => Some(a.as_string::<i32>().value(i).to_string()),
        DataType::LargeUtf8 => Some(a.as_string::<i64>().value(i).to_string()),
        DataType::Utf8View => Some(a.as_string_view().value(i).to_string()),
        _ => None,
    }
}

/// A cell as a JSON value (for `--format json`): numbers and bools as JSON numbers/bools,
/// dynamic values as embedded JSON, everything else as strings; null as JSON null.
pub fn cell_json(a: &dyn Array, i: usize, ty: KqlType) -> serde_json::Value {
    use serde_json::Value;
    if a.is_null(i) {
        return Value::Null;
    }
    match ty {
        KqlType::Bool | KqlType::Int | KqlType::Long => {
            serde_json::from_str(&format_scalar(a, i)).unwrap_or(Value::Null)
        }
        KqlType::Real => {
            let s = format_scalar(a, i);
            s.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .unwrap_or(Value::String(s))
        }
        KqlType::Dynamic => {
            let text = match a.data_type() {
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => scalar_text(a, i),
                _ => kql_functions::dynamic::value_to_json(a, i),
            };
            text.and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(Value::Null)
        }
        _ => Value::String(format_cell(a, i, ty, Flavor::Display)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_display_trims_zero_fraction() {
        assert_eq!(format_datetime_display(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            format_datetime_display(1_500_000_000),
            "1970-01-01T00:00:01.5Z"
        );
        assert_eq!(format_datetime_display(100), "1970-01-01T00:00:00.0000001Z");
    }
}

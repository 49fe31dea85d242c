//! Literals: typed KQL literals to DataFusion scalar values.

use super::Typed;
use crate::error::{self, PResult, err};
use crate::types::KqlType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::lit;
use kql_syntax::ast::{DynLit, Literal, Span};
use std::sync::Arc;

/// Lowers a literal.
pub(crate) fn lower_literal(l: &Literal, span: &Span) -> PResult<Typed> {
    let (v, ty) = literal_value(l, span)?;
    Ok(Typed::new(lit(v), ty))
}

/// The scalar value and KQL type of a literal.
pub(crate) fn literal_value(l: &Literal, span: &Span) -> PResult<(ScalarValue, KqlType)> {
    Ok(match l {
        Literal::Bool(b) => (ScalarValue::Boolean(*b), KqlType::Bool),
        Literal::Int(i) => (ScalarValue::Int32(*i), KqlType::Int),
        Literal::Long(i) => (ScalarValue::Int64(*i), KqlType::Long),
        Literal::Real(r) => (ScalarValue::Float64(*r), KqlType::Real),
        Literal::Decimal(_) => return Err(error::not_supported("decimal literals", span)),
        Literal::String(s) => (ScalarValue::Utf8(Some(s.clone())), KqlType::String),
        Literal::DateTime(raw) => {
            let ns = match raw {
                None => None,
                Some(text) => Some(parse_datetime_literal(text).ok_or_else(|| {
                    err(
                        error::BAD_VALUE,
                        format!("invalid datetime literal `datetime({text})`"),
                        span,
                    )
                })?),
            };
            (datetime_scalar(ns), KqlType::DateTime)
        }
        Literal::TimeSpan(t) => (
            ScalarValue::DurationNanosecond(t.map(|ticks| ticks.saturating_mul(100))),
            KqlType::TimeSpan,
        ),
        Literal::Guid(g) => (
            ScalarValue::Utf8(Some(g.as_deref().unwrap_or("").to_ascii_lowercase())),
            KqlType::Guid,
        ),
        Literal::Dynamic(d) => {
            if let Some(list) = numeric_array(d) {
                return Ok((list, KqlType::Dynamic));
            }
            let json = match d {
                DynLit::Null => None,
                other => Some(dyn_to_json(other, span)?.to_string()),
            };
            (ScalarValue::Utf8(json), KqlType::Dynamic)
        }
    })
}

/// A non-empty array literal whose elements are all integers (or all non-integral reals),
/// nulls allowed, as a typed list: element types then survive (series functions keep
/// integer arrays integral). Other arrays stay JSON text.
fn numeric_array(d: &DynLit) -> Option<ScalarValue> {
    use datafusion::arrow::datatypes::DataType;
    let DynLit::Array(items) = d else { return None };
    if items.is_empty() || items.iter().all(|i| matches!(i, DynLit::Null)) {
        return None;
    }
    let ints = items
        .iter()
        .all(|i| matches!(i, DynLit::Long(_) | DynLit::Null));
    let reals = items
        .iter()
        .all(|i| matches!(i, DynLit::Real(_) | DynLit::Null));
    let (values, dt): (Vec<ScalarValue>, DataType) = if ints {
        let v = items
            .iter()
            .map(|i| {
                ScalarValue::Int64(if let DynLit::Long(x) = i {
                    Some(*x)
                } else {
                    None
                })
            })
            .collect();
        (v, DataType::Int64)
    } else if reals {
        let v = items
            .iter()
            .map(|i| {
                ScalarValue::Float64(if let DynLit::Real(x) = i {
                    Some(*x)
                } else {
                    None
                })
            })
            .collect();
        (v, DataType::Float64)
    } else {
        return None;
    };
    Some(ScalarValue::List(ScalarValue::new_list_nullable(
        &values, &dt,
    )))
}

/// A `datetime` scalar from nanoseconds since the Unix epoch.
pub(crate) fn datetime_scalar(ns: Option<i64>) -> ScalarValue {
    ScalarValue::TimestampNanosecond(ns, Some(Arc::from("UTC")))
}

/// Converts the contents of a `dynamic(...)` literal to a JSON value.
pub(crate) fn dyn_to_json(d: &DynLit, span: &Span) -> PResult<serde_json::Value> {
    use serde_json::Value;
    Ok(match d {
        DynLit::Null => Value::Null,
        DynLit::Bool(b) => Value::Bool(*b),
        DynLit::Long(i) => Value::from(*i),
        DynLit::Real(r) => serde_json::Number::from_f64(*r)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        DynLit::String(s) => Value::String(s.clone()),
        DynLit::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| dyn_to_json(i, span))
                .collect::<PResult<_>>()?,
        ),
        DynLit::Object(kvs) => {
            let mut m = serde_json::Map::new();
            for (k, v) in kvs {
                m.insert(k.clone(), dyn_to_json(v, span)?);
            }
            Value::Object(m)
        }
        DynLit::Typed(l) => {
            let (v, _) = literal_value(l, span)?;
            scalar_to_json(&v)
        }
    })
}

/// JSON form of a scalar literal value inside a dynamic literal.
fn scalar_to_json(v: &ScalarValue) -> serde_json::Value {
    use serde_json::Value;
    match v {
        ScalarValue::Boolean(Some(b)) => Value::Bool(*b),
        ScalarValue::Int32(Some(i)) => Value::from(*i),
        ScalarValue::Int64(Some(i)) => Value::from(*i),
        ScalarValue::Float64(Some(f)) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        ScalarValue::Utf8(Some(s)) => Value::String(s.clone()),
        ScalarValue::TimestampNanosecond(Some(ns), _) => Value::String(format_datetime_iso(*ns)),
        ScalarValue::DurationNanosecond(Some(ns)) => Value::String(format_timespan(*ns)),
        _ => Value::Null,
    }
}

/// `yyyy-MM-ddTHH:mm:ss.fffffffZ` (7 fractional digits), the KQL serialisation of datetimes.
pub(crate) fn format_datetime_iso(ns: i64) -> String {
    kql_functions::convert::format_datetime(ns)
}

/// `[-][d.]hh:mm:ss[.fffffff]`, the KQL serialisation of timespans.
pub(crate) fn format_timespan(ns: i64) -> String {
    kql_functions::convert::format_timespan(ns)
}

/// Parses the text of a `datetime(...)` literal (every form `todatetime` accepts).
/// Returns nanoseconds since the Unix epoch, truncated to 100 ns.
pub(crate) fn parse_datetime_literal(text: &str) -> Option<i64> {
    kql_functions::convert::parse_datetime(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_literal_forms() {
        assert_eq!(parse_datetime_literal("1970-01-01"), Some(0));
        assert_eq!(
            parse_datetime_literal("1970-01-01 00:01"),
            Some(60_000_000_000)
        );
        assert_eq!(
            parse_datetime_literal("1970-01-01T00:00:01.1234567Z"),
            Some(1_123_456_700)
        );
        assert_eq!(parse_datetime_literal("2024-13-01"), None);
        assert_eq!(
            format_datetime_iso(1_123_456_700),
            "1970-01-01T00:00:01.1234567Z"
        );
        assert_eq!(format_timespan(90_000_000_000_000), "1.01:00:00");
    }
}

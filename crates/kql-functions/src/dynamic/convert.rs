//! Conversions between the physical forms of `dynamic` (design.md): typed values and
//! `List<T>` → JSON text (`to_json`), JSON text → typed scalars (`dynamic_to`) and typed
//! lists (`json_to_list_*`), plus `parse_json`/`todynamic`, `gettype` and
//! `isempty(dynamic)`.
//!
//! In this module every `Utf8` argument in a dynamic position is **JSON text**; a KQL
//! string that must become a dynamic string goes through `kql_to_json` first.

use crate::convert::kit::{
    Arg, build_bool, build_utf8, build_utf8_opt, kql_udf, list_of, ret_bool, ret_utf8,
};
use crate::convert::parse::{
    decimal_from_f64, parse_bool, parse_datetime, parse_decimal, parse_guid, parse_long,
    parse_real, parse_timespan,
};
use crate::convert::udfs::{DECIMAL_SCALE, datetime_type};
use crate::dynamic::json::{
    arrow_to_json, display_value, kql_type_name, parse_json_lenient, to_canonical,
};
use crate::dynamic::value::{DynArg, is_json_type};
use datafusion::arrow::array::{
    Array, ArrayRef, BooleanBuilder, Decimal128Builder, DurationNanosecondBuilder, Float64Builder,
    Int32Builder, Int64Builder, ListBuilder, StringBuilder, TimestampNanosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs};
use serde_json::Value;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------
// Value → scalar conversions (the `to*()` functions applied to a dynamic value)

/// `tolong(dynamic)`: numbers (reals truncated), and unless `strict`, strings parsed and
/// bools as 1/0.
pub fn value_to_long(v: &Value, strict: bool) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().and_then(crate::convert::kit::f64_to_i64)),
        Value::String(s) if !strict => parse_long(s),
        Value::Bool(b) if !strict => Some(i64::from(*b)),
        _ => None,
    }
}

/// `todouble(dynamic)`.
pub fn value_to_real(v: &Value, strict: bool) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if !strict => parse_real(s),
        Value::Bool(b) if !strict => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

/// `tobool(dynamic)`.
pub fn value_to_bool(v: &Value, strict: bool) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if !strict => n.as_f64().map(|x| x != 0.0),
        Value::String(s) if !strict => parse_bool(s),
        _ => None,
    }
}

/// `todatetime(dynamic)` (datetimes are stored as strings, so strings are parsed even when
/// `strict`).
pub fn value_to_datetime(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => parse_datetime(s),
        _ => None,
    }
}

/// `totimespan(dynamic)`.
pub fn value_to_timespan(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => parse_timespan(s),
        _ => None,
    }
}

/// `toguid(dynamic)`.
pub fn value_to_guid(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => parse_guid(s),
        _ => None,
    }
}

/// `tostring(dynamic)` (strict: only strings).
pub fn value_to_string(v: &Value, strict: bool) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other if !strict => Some(display_value(other)),
        _ => None,
    }
}

/// `todecimal(dynamic)` as a `Decimal128(38, 18)` value.
pub fn value_to_decimal(v: &Value, strict: bool) -> Option<i128> {
    let scale = DECIMAL_SCALE as u32;
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i128::from(i).checked_mul(10i128.pow(scale))
            } else {
                parse_decimal(&n.to_string(), scale)
                    .or_else(|| n.as_f64().and_then(|f| decimal_from_f64(f, scale)))
            }
        }
        Value::String(s) if !strict => parse_decimal(s, scale),
        _ => None,
    }
}

/// The KQL scalar types `dynamic_to` converts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KqlScalarType {
    Bool,
    Int,
    Long,
    Real,
    Decimal,
    Datetime,
    Timespan,
    String,
    Guid,
}

impl KqlScalarType {
    /// Parses a KQL type name (`int`, `long`, `real`/`double`, `bool`/`boolean`,
    /// `datetime`/`date`, `timespan`/`time`, `string`, `guid`/`uniqueid`, `decimal`).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "bool" | "boolean" => Self::Bool,
            "int" | "int32" => Self::Int,
            "long" | "int64" => Self::Long,
            "real" | "double" => Self::Real,
            "decimal" => Self::Decimal,
            "datetime" | "date" => Self::Datetime,
            "timespan" | "time" => Self::Timespan,
            "string" => Self::String,
            "guid" | "uniqueid" => Self::Guid,
            _ => return None,
        })
    }

    /// The canonical physical type.
    pub fn data_type(self) -> DataType {
        match self {
            Self::Bool => DataType::Boolean,
            Self::Int => DataType::Int32,
            Self::Long => DataType::Int64,
            Self::Real => DataType::Float64,
            Self::Decimal => DataType::Decimal128(38, DECIMAL_SCALE),
            Self::Datetime => datetime_type(),
            Self::Timespan => DataType::Duration(TimeUnit::Nanosecond),
            Self::String | Self::Guid => DataType::Utf8,
        }
    }
}

/// Builds a column of `ty` from per-row values.
fn build_typed(
    ty: KqlScalarType,
    strict: bool,
    n: usize,
    value: impl Fn(usize) -> Value,
) -> Result<ArrayRef> {
    Ok(match ty {
        KqlScalarType::Bool => {
            let mut b = BooleanBuilder::with_capacity(n);
            for i in 0..n {
                b.append_option(value_to_bool(&value(i), strict));
            }
            Arc::new(b.finish())
        }
        KqlScalarType::Int => {
            let mut b = Int32Builder::with_capacity(n);
            for i in 0..n {
                b.append_option(
                    value_to_long(&value(i), strict).and_then(|v| i32::try_from(v).ok()),
                );
            }
            Arc::new(b.finish())
        }
        KqlScalarType::Long => {
            let mut b = Int64Builder::with_capacity(n);
            for i in 0..n {
                b.append_option(value_to_long(&value(i), strict));
            }
            Arc::new(b.finish())
        }
        KqlScalarType::Real => {
            let mut b = Float64Builder::with_capacity(n);
            for i in 0..n {
                b.append_option(value_to_real(&value(i), strict));
            }
            Arc::new(b.finish())
        }
        KqlScalarType::Decimal => {
            let mut b =
                Decimal128Builder::with_capacity(n).with_precision_and_scale(38, DECIMAL_SCALE)?;
            for i in 0..n {
                b.append_option(value_to_decimal(&value(i), strict));
            }
            Arc::new(b.finish())
        }
        KqlScalarType::Datetime => {
            let mut b = TimestampNanosecondBuilder::with_capacity(n).with_timezone("UTC");
            for i in 0..n {
                b.append_option(value_to_datetime(&value(i)));
            }
            Arc::new(b.finish())
        }
        KqlScalarType::Timespan => {
            let mut b = DurationNanosecondBuilder::with_capacity(n);
            for i in 0..n {
                b.append_option(value_to_timespan(&value(i)));
            }
            Arc::new(b.finish())
        }
        KqlScalarType::String => {
            // `tostring(dynamic)` is never null; the strict (mv-expand cast) form keeps
            // non-strings null.
            let mut b = StringBuilder::with_capacity(n, n * 8);
            for i in 0..n {
                match value_to_string(&value(i), strict) {
                    Some(s) => b.append_value(s),
                    None if strict => b.append_null(),
                    None => b.append_value(""),
                }
            }
            Arc::new(b.finish())
        }
        KqlScalarType::Guid => {
            let mut b = StringBuilder::with_capacity(n, n * 36);
            for i in 0..n {
                b.append_option(value_to_guid(&value(i)));
            }
            Arc::new(b.finish())
        }
    })
}

fn scalar_text(s: Option<&ScalarValue>) -> Option<String> {
    match s? {
        ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v) => v.clone(),
        _ => None,
    }
}

fn dynamic_to_return(args: &ReturnFieldArgs) -> Result<DataType> {
    let Some(name) = scalar_text(args.scalar_arguments.get(1).copied().flatten()) else {
        return plan_err!("kql_dynamic_to: the type name (argument 2) must be a string literal");
    };
    match KqlScalarType::from_name(&name) {
        Some(t) => Ok(t.data_type()),
        None => plan_err!("kql_dynamic_to: unknown type name {name:?}"),
    }
}

fn invoke_dynamic_to(args: &[ColumnarValue], n: usize, ret: &DataType) -> Result<ArrayRef> {
    let d = DynArg::new(&args[0])?;
    let names = crate::convert::kit::Strs::new(&args[1])?;
    let Some(ty) = names.scalar().and_then(KqlScalarType::from_name) else {
        return exec_err!("kql_dynamic_to: the type name must be a literal KQL type name");
    };
    if ty.data_type() != *ret {
        return exec_err!(
            "kql_dynamic_to: planned result type {ret} does not match type {ty:?} (plan the call \
             so that return_field_from_args sees the literal type name)"
        );
    }
    let strict = match args.get(2) {
        Some(c) => {
            let m = crate::convert::kit::Strs::new(c)?;
            match m.scalar() {
                Some(s) if s.eq_ignore_ascii_case("cast") => true,
                Some(s) if s.eq_ignore_ascii_case("convert") || s.is_empty() => false,
                _ => return exec_err!("kql_dynamic_to: mode must be 'convert' or 'cast'"),
            }
        }
        None => false,
    };
    build_typed(ty, strict, n, |i| d.value(i).into_owned())
}

fn ret_dynamic_to_untyped(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Utf8)
}

fn invoke_dynamic_to_untyped(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_dynamic_to(args, n, &DataType::Utf8)
}

kql_udf!(
    /// KQL: `toint(d)`, `tolong(d)`, `todouble(d)`, `tobool(d)`, `todatetime(d)`,
    /// `totimespan(d)`, `tostring(d)`, `toguid(d)`, `todecimal(d)` for a `dynamic` `d`, and
    /// `mv-expand ... to typeof(T)`. `kql_dynamic_to(json, 'long' [, 'convert'|'cast'])`:
    /// the type name must be a literal and fixes the result type; `convert` (default)
    /// parses strings like the `to*()` functions, `cast` only accepts values already of the
    /// type (strings are still parsed for datetime/timespan/guid, which JSON stores as
    /// strings). `tostring` (convert) is never null.
    kql_dynamic_to, "kql_dynamic_to", &[Arg::Any, Arg::Str, Arg::Str], 2,
    ret_dynamic_to_untyped, invoke_dynamic_to_untyped, with_return_field(dynamic_to_return),
    typed(invoke_dynamic_to)
);

// ---------------------------------------------------------------------------------------
// to_json / parse_json / gettype / isempty

fn invoke_to_json(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = crate::convert::kit::arg_array(args, 0, n)?;
    Ok(build_utf8_opt(n, |i| {
        crate::dynamic::json::value_to_json(a.as_ref(), i)
    }))
}

kql_udf!(
    /// KQL: implicit conversion to `dynamic` (`dynamic(...)` of typed values, arguments of
    /// functions needing JSON text). Any physical type → canonical JSON text: `Utf8` is a KQL
    /// string (→ `"..."`), lists → arrays, datetimes/timespans → strings; null → null.
    kql_to_json, "kql_to_json", &[Arg::Any], 1, ret_utf8, invoke_to_json
);

fn invoke_parse_json(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let c = &args[0];
    let is_text = is_json_type(&c.data_type());
    if !is_text {
        // Typed dynamic (List<T>, typed scalar): converted to JSON text.
        return invoke_to_json(args, n);
    }
    let s = crate::convert::kit::Strs::new(c)?;
    Ok(build_utf8_opt(n, |i| {
        let text = s.get_opt(i)?;
        match parse_json_lenient(text) {
            Value::Null => None,
            v => Some(to_canonical(&v)),
        }
    }))
}

kql_udf!(
    /// KQL: `parse_json(json)` / `todynamic` / `parsejson` / `toobject` - JSON text →
    /// canonical compact JSON text; invalid JSON → a JSON string holding the text; empty
    /// text → null. Idempotent on canonical JSON (so a dynamic argument passes unchanged);
    /// `List<T>` arguments are converted to JSON text.
    kql_parse_json, "kql_parse_json", &[Arg::Any], 1, ret_utf8, invoke_parse_json
);

/// The `gettype` name of row `i` of a typed (non-JSON) array.
fn typed_type_name(a: &dyn Array, i: usize) -> &'static str {
    if a.is_null(i) {
        return "null";
    }
    match a.data_type() {
        DataType::Boolean => "bool",
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::UInt8 | DataType::UInt16 => {
            "int"
        }
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "long",
        DataType::Float16 | DataType::Float32 | DataType::Float64 => "real",
        DataType::Decimal128(_, _) | DataType::Decimal256(_, _) => "decimal",
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 => "datetime",
        DataType::Duration(_) => "timespan",
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _) => "array",
        DataType::Struct(_) | DataType::Map(_, _) => "dictionary",
        _ => "string",
    }
}

fn invoke_gettype(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let c = &args[0];
    if is_json_type(&c.data_type()) {
        let d = DynArg::new(c)?;
        return Ok(build_utf8(n, |i, out| {
            out.push_str(kql_type_name(&d.value(i)))
        }));
    }
    let a = c.clone().into_array(n)?;
    Ok(build_utf8(n, |i, out| {
        out.push_str(typed_type_name(a.as_ref(), i))
    }))
}

kql_udf!(
    /// KQL: `gettype(x)` - runtime type name (`string`, `int`, `long`, `real`, `bool`,
    /// `datetime`, `timespan`, `decimal`, `array`, `dictionary`, `null`). `Utf8` input is
    /// dynamic JSON text; for a statically typed non-dynamic expression the planner can
    /// fold the name (e.g. `string`, `guid`).
    kql_gettype, "kql_gettype", &[Arg::Any], 1, ret_utf8, invoke_gettype
);

fn invoke_isempty_dynamic(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let c = &args[0];
    if !is_json_type(&c.data_type()) {
        let a = c.clone().into_array(n)?;
        return Ok(build_bool(n, |i| Some(a.is_null(i))));
    }
    let s = crate::convert::kit::Strs::new(c)?;
    Ok(build_bool(n, |i| {
        Some(match s.get_opt(i) {
            None => true,
            Some(t) => {
                matches!(parse_json_lenient(t), Value::Null)
                    || matches!(parse_json_lenient(t), Value::String(ref x) if x.is_empty())
            }
        })
    }))
}

kql_udf!(
    /// KQL: `isempty(d)` for a dynamic `d` - true for null and the empty string; `[]` and `{}`
    /// are not empty (kql-semantics §7.9). `isnotempty` = NOT.
    kql_isempty_dynamic, "kql_isempty_dynamic", &[Arg::Any], 1, ret_bool,
    invoke_isempty_dynamic
);

// ---------------------------------------------------------------------------------------
// JSON → typed lists

/// Converts a JSON array to a list of `ty` elements (elements converted like
/// `to*(dynamic)`); non-arrays → null.
fn json_to_list(args: &[ColumnarValue], n: usize, ty: KqlScalarType) -> Result<ArrayRef> {
    let d = DynArg::new(&args[0])?;
    let mut offsets_rows: Vec<Option<Vec<Value>>> = Vec::with_capacity(n);
    for i in 0..n {
        offsets_rows.push(match d.value(i).into_owned() {
            Value::Array(items) => Some(items),
            _ => None,
        });
    }
    values_to_list(&offsets_rows, ty)
}

/// Builds a `List<ty>` column from rows of JSON values (`None` = null list).
pub(crate) fn values_to_list(rows: &[Option<Vec<Value>>], ty: KqlScalarType) -> Result<ArrayRef> {
    macro_rules! list {
        ($builder:expr, $conv:expr) => {{
            let mut b = ListBuilder::new($builder);
            for r in rows {
                match r {
                    Some(items) => {
                        for v in items {
                            b.values().append_option($conv(v));
                        }
                        b.append(true);
                    }
                    None => b.append(false),
                }
            }
            Arc::new(b.finish()) as ArrayRef
        }};
    }
    Ok(match ty {
        KqlScalarType::Bool => list!(BooleanBuilder::new(), |v| value_to_bool(v, false)),
        KqlScalarType::Int => list!(Int32Builder::new(), |v| value_to_long(v, false)
            .and_then(|x| i32::try_from(x).ok())),
        KqlScalarType::Long => list!(Int64Builder::new(), |v| value_to_long(v, false)),
        KqlScalarType::Real => list!(Float64Builder::new(), |v| value_to_real(v, false)),
        KqlScalarType::Datetime => list!(
            TimestampNanosecondBuilder::new().with_timezone("UTC"),
            value_to_datetime
        ),
        KqlScalarType::Timespan => list!(DurationNanosecondBuilder::new(), value_to_timespan),
        KqlScalarType::String => list!(StringBuilder::new(), |v: &Value| match v {
            Value::Null => None,
            other => Some(display_value(other)),
        }),
        KqlScalarType::Guid => list!(StringBuilder::new(), value_to_guid),
        KqlScalarType::Decimal => {
            return exec_err!("lists of decimal are not supported");
        }
    })
}

macro_rules! json_to_list_udf {
    ($(#[$m:meta])* $fname:ident, $name:literal, $invoke:ident, $ret:ident, $ty:expr) => {
        fn $invoke(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
            json_to_list(args, n, $ty)
        }
        fn $ret(_: &[DataType]) -> Result<DataType> {
            Ok(list_of($ty.data_type()))
        }
        kql_udf!($(#[$m])* $fname, $name, &[Arg::Any], 1, $ret, $invoke);
    };
}

json_to_list_udf!(
    /// KQL: (internal) dynamic JSON array → `List<Float64>` (e.g. a `dynamic([...])` literal
    /// fed to `series_*`); elements converted like `todouble`, non-arrays → null.
    kql_json_to_list_f64, "kql_json_to_list_f64", invoke_jl_f64, ret_jl_f64, KqlScalarType::Real
);
json_to_list_udf!(
    /// KQL: (internal) dynamic JSON array → `List<Int64>` (elements like `tolong`).
    kql_json_to_list_i64, "kql_json_to_list_i64", invoke_jl_i64, ret_jl_i64, KqlScalarType::Long
);
json_to_list_udf!(
    /// KQL: (internal) dynamic JSON array → `List<Utf8>` (elements like `tostring`; JSON null
    /// stays null).
    kql_json_to_list_str, "kql_json_to_list_str", invoke_jl_str, ret_jl_str, KqlScalarType::String
);
json_to_list_udf!(
    /// KQL: (internal) dynamic JSON array → `List<Boolean>`.
    kql_json_to_list_bool, "kql_json_to_list_bool", invoke_jl_bool, ret_jl_bool, KqlScalarType::Bool
);
json_to_list_udf!(
    /// KQL: (internal) dynamic JSON array → `List<Timestamp(ns, UTC)>`.
    kql_json_to_list_ts, "kql_json_to_list_ts", invoke_jl_ts, ret_jl_ts, KqlScalarType::Datetime
);
json_to_list_udf!(
    /// KQL: (internal) dynamic JSON array → `List<Duration(ns)>`.
    kql_json_to_list_dur, "kql_json_to_list_dur", invoke_jl_dur, ret_jl_dur, KqlScalarType::Timespan
);

/// Converts row `i` of any array to a JSON value (`Utf8` = JSON text). Used by the other
/// dynamic UDFs through [`DynArg`]; exposed for the planner's constant folding.
pub fn dynamic_value_of(a: &dyn Array, i: usize) -> Value {
    if is_json_type(a.data_type()) {
        let s = crate::convert::format::value_to_string(a, i);
        if a.is_null(i) {
            Value::Null
        } else {
            parse_json_lenient(&s)
        }
    } else {
        arrow_to_json(a, i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::invoke_udf;
    use crate::convert::kit::invoke_planned;
    use datafusion::arrow::array::{AsArray, StringArray};
    use datafusion::arrow::datatypes::{
        Float64Type, Int32Type, Int64Type, TimestampNanosecondType,
    };

    fn s(v: &str) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Utf8(Some(v.to_string())))
    }
    fn text(r: &ArrayRef, i: usize) -> Option<String> {
        let a = r.as_string::<i32>();
        if a.is_null(i) {
            None
        } else {
            Some(a.value(i).to_string())
        }
    }

    // https://learn.microsoft.com/kusto/query/parse-json-function
    #[test]
    fn parse_json_docs() {
        let r = invoke_udf(
            &kql_parse_json(),
            vec![s(r#"{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}}"#)],
        )
        .unwrap();
        assert_eq!(
            crate::dynamic::json::json_to_display(text(&r, 0).as_deref()),
            r#"{"duration":{"value":118,"count":5,"min":100,"max":150,"stdDev":0,"sampledValue":118,"sum":118}}"#
        );
        let r = invoke_udf(&kql_parse_json(), vec![s("not json")]).unwrap();
        assert_eq!(text(&r, 0).as_deref(), Some(r#""not json""#));
        let r = invoke_udf(&kql_parse_json(), vec![s("")]).unwrap();
        assert_eq!(text(&r, 0), None);
        let r = invoke_udf(&kql_parse_json(), vec![s(r#"{ "a" : [1, 2.5, "x"] }"#)]).unwrap();
        assert_eq!(text(&r, 0).as_deref(), Some(r#"{"a":[1,2.5,"x"]}"#));
        // idempotent
        let r2 = invoke_udf(&kql_parse_json(), vec![s(&text(&r, 0).unwrap())]).unwrap();
        assert_eq!(text(&r2, 0), text(&r, 0));
    }

    // https://learn.microsoft.com/kusto/query/gettype-function
    #[test]
    fn gettype_docs() {
        let g = |c: ColumnarValue| text(&invoke_udf(&kql_gettype(), vec![c]).unwrap(), 0).unwrap();
        assert_eq!(g(s("1")), "int");
        assert_eq!(g(s(r#" "abc" "#)), "string");
        assert_eq!(g(s(r#" {"abc":1} "#)), "dictionary");
        assert_eq!(g(s(" [1, 2, 3] ")), "array");
        assert_eq!(g(s("")), "null");
        assert_eq!(
            g(ColumnarValue::Scalar(ScalarValue::Int64(Some(111)))),
            "long"
        );
        assert_eq!(
            g(ColumnarValue::Scalar(ScalarValue::Boolean(Some(true)))),
            "bool"
        );
        assert_eq!(
            g(ColumnarValue::Scalar(ScalarValue::Float64(Some(123.45)))),
            "real"
        );
        assert_eq!(
            g(ColumnarValue::Scalar(ScalarValue::DurationNanosecond(
                Some(1)
            ))),
            "timespan"
        );
        assert_eq!(
            g(ColumnarValue::Scalar(ScalarValue::TimestampNanosecond(
                Some(1),
                Some("UTC".into())
            ))),
            "datetime"
        );
    }

    #[test]
    fn to_json_forms() {
        let j = |c: ColumnarValue| text(&invoke_udf(&kql_to_json(), vec![c]).unwrap(), 0);
        assert_eq!(j(s("a\"b")).as_deref(), Some(r#""a\"b""#));
        assert_eq!(
            j(ColumnarValue::Scalar(ScalarValue::Float64(Some(1.0)))).as_deref(),
            Some("1.0")
        );
        assert_eq!(j(ColumnarValue::Scalar(ScalarValue::Int64(None))), None);
        assert_eq!(
            j(ColumnarValue::Scalar(ScalarValue::TimestampNanosecond(
                Some(0),
                Some("UTC".into())
            )))
            .as_deref(),
            Some(r#""1970-01-01T00:00:00.0000000Z""#)
        );
        let list = ScalarValue::List(ScalarValue::new_list_nullable(
            &[ScalarValue::Float64(Some(1.5)), ScalarValue::Float64(None)],
            &DataType::Float64,
        ));
        assert_eq!(
            j(ColumnarValue::Scalar(list)).as_deref(),
            Some("[1.5,null]")
        );
    }

    #[test]
    fn dynamic_to_conversions() {
        let r = invoke_planned(&kql_dynamic_to(), vec![s("2.7"), s("int")]).unwrap();
        assert_eq!(r.as_primitive::<Int32Type>().value(0), 2);
        let r = invoke_planned(&kql_dynamic_to(), vec![s(r#""123""#), s("long")]).unwrap();
        assert_eq!(r.as_primitive::<Int64Type>().value(0), 123);
        let r =
            invoke_planned(&kql_dynamic_to(), vec![s(r#""123""#), s("long"), s("cast")]).unwrap();
        assert!(r.is_null(0));
        let r =
            invoke_planned(&kql_dynamic_to(), vec![s(r#""2015-01-01""#), s("datetime")]).unwrap();
        assert_eq!(
            r.as_primitive::<TimestampNanosecondType>().value(0),
            1_420_070_400_000_000_000
        );
        let r = invoke_planned(&kql_dynamic_to(), vec![s(r#""abc""#), s("string")]).unwrap();
        assert_eq!(text(&r, 0).as_deref(), Some("abc"));
        let r = invoke_planned(&kql_dynamic_to(), vec![s("[1,2.0]"), s("string")]).unwrap();
        assert_eq!(text(&r, 0).as_deref(), Some("[1,2]"));
        let r = invoke_planned(&kql_dynamic_to(), vec![s("null"), s("string")]).unwrap();
        assert_eq!(text(&r, 0).as_deref(), Some(""));
        let r = invoke_planned(&kql_dynamic_to(), vec![s("1e3"), s("real")]).unwrap();
        assert_eq!(r.as_primitive::<Float64Type>().value(0), 1000.0);
        let a = Arc::new(StringArray::from(vec![Some("5"), None, Some("\"x\"")])) as ArrayRef;
        let r =
            invoke_planned(&kql_dynamic_to(), vec![ColumnarValue::Array(a), s("long")]).unwrap();
        let r = r.as_primitive::<Int64Type>();
        assert_eq!((r.value(0), r.is_null(1), r.is_null(2)), (5, true, true));
        assert!(invoke_planned(&kql_dynamic_to(), vec![s("1"), s("bogus")]).is_err());
        // without planning (result type unknown) the call refuses rather than guessing
        assert!(invoke_udf(&kql_dynamic_to(), vec![s("1"), s("long")]).is_err());
        let r = invoke_udf(&kql_dynamic_to(), vec![s("1"), s("string")]).unwrap();
        assert_eq!(text(&r, 0).as_deref(), Some("1"));
    }

    #[test]
    fn json_to_lists() {
        let r = invoke_udf(&kql_json_to_list_f64(), vec![s("[1, 2.5, null, \"3\"]")]).unwrap();
        let l = r.as_list::<i32>();
        let v = l.value(0);
        let v = v.as_primitive::<Float64Type>();
        assert_eq!(v.len(), 4);
        assert_eq!(
            (v.value(0), v.value(1), v.is_null(2), v.value(3)),
            (1.0, 2.5, true, 3.0)
        );
        let r = invoke_udf(&kql_json_to_list_f64(), vec![s("{}")]).unwrap();
        assert!(r.is_null(0));
        let r = invoke_udf(&kql_json_to_list_str(), vec![s(r#"["a",1,{"b":2}]"#)]).unwrap();
        let v = r.as_list::<i32>().value(0);
        let v = v.as_string::<i32>();
        assert_eq!(
            (v.value(0), v.value(1), v.value(2)),
            ("a", "1", r#"{"b":2}"#)
        );
    }

    #[test]
    fn isempty_dynamic() {
        let e = |c: &str| {
            invoke_udf(&kql_isempty_dynamic(), vec![s(c)])
                .unwrap()
                .as_boolean()
                .value(0)
        };
        assert!(e(""));
        assert!(e("null"));
        assert!(e("\"\""));
        assert!(!e("[]"));
        assert!(!e("{}"));
        assert!(!e("0"));
    }
}

//! Conversion UDFs: `tostring`, `toint`, `tolong`, `todouble`, `tobool`, `toguid`,
//! `todatetime`, `totimespan`, `todecimal` (kql-semantics §7.1).
//!
//! A `Utf8` argument is a KQL **string** here. For a dynamic argument held as JSON text the
//! planner calls `kql_dynamic_to(json, 'type')` (module `dynamic::convert`) instead.

use crate::convert::format::{NANOS_PER_TICK, duration_ns, timestamp_ns, write_value};
use crate::convert::kit::{
    Arg, array_i64, build_bool, build_f64, build_i32, build_i64, build_utf8, build_utf8_opt,
    kql_udf, ret_bool, ret_f64, ret_i32, ret_i64, ret_utf8,
};
use crate::convert::parse::{
    EPOCH_TICKS, decimal_from_f64, parse_bool, parse_datetime, parse_decimal, parse_guid,
    parse_long, parse_real, parse_timespan,
};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Decimal128Builder, DurationNanosecondBuilder,
    TimestampNanosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float32Type, Float64Type, TimeUnit};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use std::sync::Arc;

const ANY1: &[Arg] = &[Arg::Any];

/// Scale of the canonical KQL decimal (`Decimal128(38, 18)`).
pub const DECIMAL_SCALE: i8 = 18;

fn first(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    crate::convert::kit::arg_array(args, 0, n)
}

fn is_string_type(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// Reads row `i` of a string-typed array.
fn str_at(a: &dyn Array, i: usize) -> Option<&str> {
    if a.is_null(i) {
        return None;
    }
    match a.data_type() {
        DataType::Utf8 => Some(a.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => Some(a.as_string::<i64>().value(i)),
        DataType::Utf8View => Some(a.as_string_view().value(i)),
        _ => None,
    }
}

fn real_at(a: &dyn Array, i: usize) -> Option<f64> {
    if a.is_null(i) {
        return None;
    }
    match a.data_type() {
        DataType::Float64 => Some(a.as_primitive::<Float64Type>().value(i)),
        DataType::Float32 => Some(f64::from(a.as_primitive::<Float32Type>().value(i))),
        _ => None,
    }
}

/// `tolong` of row `i` of any physical type. Datetimes and timespans give their tick
/// count (datetimes: ticks since 0001-01-01). // unverified against ADX
pub(crate) fn to_long_at(a: &dyn Array, i: usize) -> Option<i64> {
    if a.is_null(i) {
        return None;
    }
    let t = a.data_type();
    if is_string_type(t) {
        return str_at(a, i).and_then(parse_long);
    }
    match t {
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 => {
            timestamp_ns(a, i).map(|ns| ns.div_euclid(NANOS_PER_TICK) + EPOCH_TICKS)
        }
        DataType::Duration(_) => duration_ns(a, i).map(|ns| ns / NANOS_PER_TICK),
        DataType::Decimal128(_, s) => {
            let v = a.as_primitive::<Decimal128Type>().value(i);
            let div = 10i128.checked_pow(u32::try_from(*s).ok()?)?;
            i64::try_from(v / div).ok()
        }
        _ => array_i64(a, i),
    }
}

/// `todouble` of row `i` of any physical type.
pub(crate) fn to_real_at(a: &dyn Array, i: usize) -> Option<f64> {
    if a.is_null(i) {
        return None;
    }
    let t = a.data_type();
    if is_string_type(t) {
        return str_at(a, i).and_then(parse_real);
    }
    match t {
        DataType::Float64 | DataType::Float32 => real_at(a, i),
        DataType::Decimal128(_, s) => {
            let v = a.as_primitive::<Decimal128Type>().value(i);
            Some(v as f64 / 10f64.powi(i32::from(*s)))
        }
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 | DataType::Duration(_) => {
            to_long_at(a, i).map(|v| v as f64)
        }
        _ => {
            if t.is_integer() || *t == DataType::Boolean {
                array_i64(a, i).map(|v| v as f64)
            } else {
                None
            }
        }
    }
}

/// `tobool` of row `i`: strings `true`/`false`, numbers non-zero.
pub(crate) fn to_bool_at(a: &dyn Array, i: usize) -> Option<bool> {
    if a.is_null(i) {
        return None;
    }
    let t = a.data_type();
    if is_string_type(t) {
        return str_at(a, i).and_then(parse_bool);
    }
    match t {
        DataType::Boolean => Some(a.as_boolean().value(i)),
        DataType::Float64 | DataType::Float32 => real_at(a, i).map(|x| x != 0.0),
        _ if t.is_integer() => array_i64(a, i).map(|x| x != 0),
        _ => None,
    }
}

fn invoke_tostring(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = first(args, n)?;
    Ok(build_utf8(n, |i, out| {
        write_value(out, a.as_ref(), i);
    }))
}

fn invoke_tolong(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = first(args, n)?;
    Ok(build_i64(n, |i| to_long_at(a.as_ref(), i)))
}

fn invoke_toint(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = first(args, n)?;
    // Out-of-range values give null. // unverified against ADX
    Ok(build_i32(n, |i| {
        to_long_at(a.as_ref(), i).and_then(|v| i32::try_from(v).ok())
    }))
}

fn invoke_todouble(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = first(args, n)?;
    Ok(build_f64(n, |i| to_real_at(a.as_ref(), i)))
}

fn invoke_tobool(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = first(args, n)?;
    Ok(build_bool(n, |i| to_bool_at(a.as_ref(), i)))
}

fn invoke_toguid(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = first(args, n)?;
    let is_str = is_string_type(a.data_type());
    Ok(build_utf8_opt(n, |i| {
        if is_str {
            str_at(a.as_ref(), i).and_then(parse_guid)
        } else {
            None
        }
    }))
}

/// The `Timestamp(Nanosecond, "UTC")` type of KQL datetimes.
pub fn datetime_type() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

fn ret_datetime(_: &[DataType]) -> Result<DataType> {
    Ok(datetime_type())
}

fn ret_timespan(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Duration(TimeUnit::Nanosecond))
}

fn ret_decimal(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Decimal128(38, DECIMAL_SCALE))
}

/// `todatetime` of row `i` (ns since the epoch, truncated to 100 ns).
pub(crate) fn to_datetime_at(a: &dyn Array, i: usize) -> Option<i64> {
    if a.is_null(i) {
        return None;
    }
    let t = a.data_type();
    if is_string_type(t) {
        return str_at(a, i).and_then(parse_datetime);
    }
    match t {
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 => {
            timestamp_ns(a, i).and_then(|ns| ns.checked_sub(ns.rem_euclid(NANOS_PER_TICK)))
        }
        // Numbers: null (use unixtime_*_todatetime). // unverified against ADX
        _ => None,
    }
}

/// `totimespan` of row `i` (ns, truncated to 100 ns).
pub(crate) fn to_timespan_at(a: &dyn Array, i: usize) -> Option<i64> {
    if a.is_null(i) {
        return None;
    }
    let t = a.data_type();
    if is_string_type(t) {
        return str_at(a, i).and_then(parse_timespan);
    }
    match t {
        DataType::Duration(_) => duration_ns(a, i).map(|ns| ns - ns % NANOS_PER_TICK),
        // Numbers: null. // unverified against ADX
        _ => None,
    }
}

fn invoke_todatetime(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = first(args, n)?;
    let mut b = TimestampNanosecondBuilder::with_capacity(n).with_timezone("UTC");
    for i in 0..n {
        b.append_option(to_datetime_at(a.as_ref(), i));
    }
    Ok(Arc::new(b.finish()))
}

fn invoke_totimespan(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = first(args, n)?;
    let mut b = DurationNanosecondBuilder::with_capacity(n);
    for i in 0..n {
        b.append_option(to_timespan_at(a.as_ref(), i));
    }
    Ok(Arc::new(b.finish()))
}

/// `todecimal` of row `i` as a `Decimal128(38, 18)` value.
pub(crate) fn to_decimal_at(a: &dyn Array, i: usize) -> Option<i128> {
    if a.is_null(i) {
        return None;
    }
    let t = a.data_type();
    let scale = DECIMAL_SCALE as u32;
    if is_string_type(t) {
        return str_at(a, i).and_then(|s| parse_decimal(s, scale));
    }
    match t {
        DataType::Decimal128(_, s) => {
            let v = a.as_primitive::<Decimal128Type>().value(i);
            let s = i32::from(*s);
            let d = i32::from(DECIMAL_SCALE) - s;
            if d >= 0 {
                v.checked_mul(10i128.checked_pow(d as u32)?)
            } else {
                Some(v / 10i128.checked_pow((-d) as u32)?)
            }
        }
        DataType::Float64 | DataType::Float32 => {
            real_at(a, i).and_then(|f| decimal_from_f64(f, scale))
        }
        _ if t.is_integer() || *t == DataType::Boolean => {
            array_i64(a, i).and_then(|v| i128::from(v).checked_mul(10i128.pow(scale)))
        }
        _ => None,
    }
}

fn invoke_todecimal(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = first(args, n)?;
    let mut b = Decimal128Builder::with_capacity(n).with_precision_and_scale(38, DECIMAL_SCALE)?;
    for i in 0..n {
        b.append_option(to_decimal_at(a.as_ref(), i));
    }
    Ok(Arc::new(b.finish()))
}

kql_udf!(
    /// KQL: `tostring(x)` - text form of any physical type (kql-semantics §8); null → `""`;
    /// `Utf8` is returned as is, `List<T>`/struct → compact JSON. Never null.
    kql_tostring, "kql_tostring", ANY1, 1, ret_utf8, invoke_tostring
);
kql_udf!(
    /// KQL: `toint(x)` - to int (`Int32`): strings parsed (fraction truncated), reals
    /// truncated toward zero, bool 1/0; failure or out of range → null.
    kql_toint, "kql_toint", ANY1, 1, ret_i32, invoke_toint
);
kql_udf!(
    /// KQL: `tolong(x)` - to long (`Int64`); datetime/timespan → ticks; failure → null.
    kql_tolong, "kql_tolong", ANY1, 1, ret_i64, invoke_tolong
);
kql_udf!(
    /// KQL: `todouble(x)` / `toreal(x)` - to real (`Float64`); failure → null.
    kql_todouble, "kql_todouble", ANY1, 1, ret_f64, invoke_todouble
);
kql_udf!(
    /// KQL: `tobool(x)` - `"true"`/`"false"` (any case) or number ≠ 0; failure → null.
    kql_tobool, "kql_tobool", ANY1, 1, ret_bool, invoke_tobool
);
kql_udf!(
    /// KQL: `toguid(x)` - string → canonical lower-case guid text (`Utf8`); failure → null.
    kql_toguid, "kql_toguid", ANY1, 1, ret_utf8, invoke_toguid
);
kql_udf!(
    /// KQL: `todatetime(x)` - string (§7.4 formats) or datetime → `Timestamp(ns, UTC)`
    /// truncated to 100 ns; anything else → null.
    kql_todatetime, "kql_todatetime", ANY1, 1, ret_datetime, invoke_todatetime
);
kql_udf!(
    /// KQL: `totimespan(x)` - string (`[-][d.]hh:mm[:ss[.f]]`, `2d`, `1.5h`...) or timespan
    /// → `Duration(ns)`; anything else → null.
    kql_totimespan, "kql_totimespan", ANY1, 1, ret_timespan, invoke_totimespan
);
kql_udf!(
    /// KQL: `todecimal(x)` - to decimal (`Decimal128(38, 18)`); failure → null.
    kql_todecimal, "kql_todecimal", ANY1, 1, ret_decimal, invoke_todecimal
);

/// The conversion UDFs.
pub fn udfs() -> Vec<Arc<ScalarUDF>> {
    vec![
        kql_tostring(),
        kql_toint(),
        kql_tolong(),
        kql_todouble(),
        kql_tobool(),
        kql_toguid(),
        kql_todatetime(),
        kql_totimespan(),
        kql_todecimal(),
    ]
}

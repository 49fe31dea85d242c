//! KQL text formats of scalar values (`tostring`, kql-semantics §8). The CLI's output
//! formatter reuses [`format_real`], [`format_datetime`] and [`format_timespan`].

use crate::dynamic::json::{arrow_to_display, write_display};
use datafusion::arrow::array::{Array, AsArray, StringArray, StringBuilder};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Date64Type, Decimal128Type, DurationMicrosecondType,
    DurationMillisecondType, DurationNanosecondType, DurationSecondType, Float16Type, Float32Type,
    Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimeUnit, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::common::Result;
use std::fmt::Write;

/// Nanoseconds per 100 ns tick.
pub const NANOS_PER_TICK: i64 = 100;

/// Formats a real the way .NET Core's `double.ToString()` ("R", shortest round-trip) does,
/// which is what KQL `tostring(real)` shows: `2` (not `2.0`), `0.1`, `1E+20`, `1.5E-07`,
/// `NaN`, `Infinity`, `-Infinity`.
///
/// Scientific notation is used when the decimal exponent is ≥ max(15, digits) or < -4
/// (.NET `FormatGeneral` with `nMaxDigits = max(DigitsCount, 15)`); the exponent has a sign
/// and at least two digits.
pub fn format_real(x: f64) -> String {
    let mut s = String::new();
    write_real(&mut s, x);
    s
}

/// [`format_real`] appending to `out`.
pub fn write_real(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("NaN");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    if x == 0.0 {
        // .NET Core 3.0+ prints negative zero as "-0".  // unverified against ADX
        out.push_str(if x.is_sign_negative() { "-0" } else { "0" });
        return;
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "d.ddde±x".
    let sci = format!("{:e}", x.abs());
    let (mant, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let ndigits = digits.len() as i32;
    // Position of the decimal point relative to the digits (.NET "Scale").
    let scale = exp + 1;
    if x < 0.0 {
        out.push('-');
    }
    let max_digits = ndigits.max(15);
    if scale > max_digits || scale < -3 {
        out.push_str(&digits[..1]);
        if ndigits > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = scale - 1;
        let _ = write!(out, "E{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    } else if scale <= 0 {
        out.push_str("0.");
        for _ in 0..(-scale) {
            out.push('0');
        }
        out.push_str(&digits);
    } else if scale >= ndigits {
        out.push_str(&digits);
        for _ in 0..(scale - ndigits) {
            out.push('0');
        }
    } else {
        let (a, b) = digits.split_at(scale as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
}

/// Formats nanoseconds since the Unix epoch as KQL prints a datetime:
/// `yyyy-MM-ddTHH:mm:ss.fffffffZ` (always 7 fractional digits; sub-tick digits truncated).
pub fn format_datetime(ns: i64) -> String {
    let mut s = String::with_capacity(28);
    write_datetime(&mut s, ns);
    s
}

/// [`format_datetime`] appending to `out`.
pub fn write_datetime(out: &mut String, ns: i64) {
    let secs = ns.div_euclid(1_000_000_000);
    let sub = ns.rem_euclid(1_000_000_000);
    match chrono::DateTime::from_timestamp(secs, 0) {
        Some(dt) => {
            let _ = write!(
                out,
                "{}.{:07}Z",
                dt.format("%Y-%m-%dT%H:%M:%S"),
                sub / NANOS_PER_TICK
            );
        }
        None => out.push_str(""),
    }
}

/// Formats a duration in nanoseconds as KQL prints a timespan (.NET `TimeSpan` "c" format):
/// `[-][d.]hh:mm:ss[.fffffff]`, e.g. `00:00:03`, `1.01:00:00`, `-00:00:00.5000000`.
pub fn format_timespan(ns: i64) -> String {
    let mut s = String::with_capacity(16);
    write_timespan(&mut s, ns);
    s
}

/// [`format_timespan`] appending to `out`.
pub fn write_timespan(out: &mut String, ns: i64) {
    // Work in ticks, truncating toward zero like .NET does for sub-tick precision.
    let ticks = ns / NANOS_PER_TICK;
    let neg = ticks < 0;
    let t = ticks.unsigned_abs();
    let frac = t % 10_000_000;
    let total_secs = t / 10_000_000;
    let secs = total_secs % 60;
    let mins = (total_secs / 60) % 60;
    let hours = (total_secs / 3600) % 24;
    let days = total_secs / 86_400;
    if neg {
        out.push('-');
    }
    if days > 0 {
        let _ = write!(out, "{days}.");
    }
    let _ = write!(out, "{hours:02}:{mins:02}:{secs:02}");
    if frac > 0 {
        let _ = write!(out, ".{frac:07}");
    }
}

/// Formats a `Decimal128` value (KQL `decimal`) without trailing fractional zeros.
pub fn format_decimal(v: i128, scale: i8) -> String {
    if scale <= 0 {
        let mut s = v.to_string();
        for _ in 0..(-(scale as i32)) {
            s.push('0');
        }
        return s;
    }
    let neg = v < 0;
    let digits = v.unsigned_abs().to_string();
    let scale = scale as usize;
    let (int_part, frac_part) = if digits.len() > scale {
        let (a, b) = digits.split_at(digits.len() - scale);
        (a.to_string(), b.to_string())
    } else {
        ("0".to_string(), format!("{digits:0>scale$}"))
    };
    let frac = frac_part.trim_end_matches('0');
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push_str(&int_part);
    if !frac.is_empty() {
        s.push('.');
        s.push_str(frac);
    }
    s
}

/// Nanoseconds since the epoch of row `i` of a timestamp/date array (any unit), if valid.
pub(crate) fn timestamp_ns(a: &dyn Array, i: usize) -> Option<i64> {
    if a.is_null(i) {
        return None;
    }
    match a.data_type() {
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            Some(a.as_primitive::<TimestampNanosecondType>().value(i))
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => a
            .as_primitive::<TimestampMicrosecondType>()
            .value(i)
            .checked_mul(1_000),
        DataType::Timestamp(TimeUnit::Millisecond, _) => a
            .as_primitive::<TimestampMillisecondType>()
            .value(i)
            .checked_mul(1_000_000),
        DataType::Timestamp(TimeUnit::Second, _) => a
            .as_primitive::<TimestampSecondType>()
            .value(i)
            .checked_mul(1_000_000_000),
        DataType::Date32 => {
            i64::from(a.as_primitive::<Date32Type>().value(i)).checked_mul(86_400_000_000_000)
        }
        DataType::Date64 => a
            .as_primitive::<Date64Type>()
            .value(i)
            .checked_mul(1_000_000),
        _ => None,
    }
}

/// Nanoseconds of row `i` of a duration array (any unit), if valid.
pub(crate) fn duration_ns(a: &dyn Array, i: usize) -> Option<i64> {
    if a.is_null(i) {
        return None;
    }
    match a.data_type() {
        DataType::Duration(TimeUnit::Nanosecond) => {
            Some(a.as_primitive::<DurationNanosecondType>().value(i))
        }
        DataType::Duration(TimeUnit::Microsecond) => a
            .as_primitive::<DurationMicrosecondType>()
            .value(i)
            .checked_mul(1_000),
        DataType::Duration(TimeUnit::Millisecond) => a
            .as_primitive::<DurationMillisecondType>()
            .value(i)
            .checked_mul(1_000_000),
        DataType::Duration(TimeUnit::Second) => a
            .as_primitive::<DurationSecondType>()
            .value(i)
            .checked_mul(1_000_000_000),
        _ => None,
    }
}

/// Appends the KQL `tostring` form of row `i` of `a` to `out`. Returns `false` (appending
/// nothing) when the value is null. `Utf8` is a KQL string (appended as is); lists, structs
/// and maps are dynamic values (compact JSON).
pub fn write_value(out: &mut String, a: &dyn Array, i: usize) -> bool {
    if i >= a.len() || a.is_null(i) {
        return false;
    }
    match a.data_type() {
        DataType::Utf8 => out.push_str(a.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => out.push_str(a.as_string::<i64>().value(i)),
        DataType::Utf8View => out.push_str(a.as_string_view().value(i)),
        DataType::Boolean => out.push_str(if a.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
        DataType::Int64 => {
            let _ = write!(out, "{}", a.as_primitive::<Int64Type>().value(i));
        }
        DataType::Int32 => {
            let _ = write!(out, "{}", a.as_primitive::<Int32Type>().value(i));
        }
        DataType::Int16 => {
            let _ = write!(out, "{}", a.as_primitive::<Int16Type>().value(i));
        }
        DataType::Int8 => {
            let _ = write!(out, "{}", a.as_primitive::<Int8Type>().value(i));
        }
        DataType::UInt64 => {
            let _ = write!(out, "{}", a.as_primitive::<UInt64Type>().value(i));
        }
        DataType::UInt32 => {
            let _ = write!(out, "{}", a.as_primitive::<UInt32Type>().value(i));
        }
        DataType::UInt16 => {
            let _ = write!(out, "{}", a.as_primitive::<UInt16Type>().value(i));
        }
        DataType::UInt8 => {
            let _ = write!(out, "{}", a.as_primitive::<UInt8Type>().value(i));
        }
        DataType::Float64 => write_real(out, a.as_primitive::<Float64Type>().value(i)),
        DataType::Float32 => write_real(out, f64::from(a.as_primitive::<Float32Type>().value(i))),
        DataType::Float16 => write_real(out, f64::from(a.as_primitive::<Float16Type>().value(i))),
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 => {
            match timestamp_ns(a, i) {
                Some(ns) => write_datetime(out, ns),
                None => return false,
            }
        }
        DataType::Duration(_) => match duration_ns(a, i) {
            Some(ns) => write_timespan(out, ns),
            None => return false,
        },
        DataType::Decimal128(_, scale) => {
            out.push_str(&format_decimal(
                a.as_primitive::<Decimal128Type>().value(i),
                *scale,
            ));
        }
        DataType::List(_)
        | DataType::LargeList(_)
        | DataType::FixedSizeList(_, _)
        | DataType::Struct(_)
        | DataType::Map(_, _) => {
            let v = arrow_to_display(a, i);
            write_display(out, &v);
        }
        DataType::Dictionary(_, _) => {
            let opts = FormatOptions::default();
            match ArrayFormatter::try_new(a, &opts) {
                Ok(f) => {
                    let _ = write!(out, "{}", f.value(i));
                }
                Err(_) => return false,
            }
        }
        _ => {
            let opts = FormatOptions::default();
            match ArrayFormatter::try_new(a, &opts) {
                Ok(f) => {
                    let _ = write!(out, "{}", f.value(i));
                }
                Err(_) => return false,
            }
        }
    }
    true
}

/// The KQL `tostring` form of row `i` (`""` for null).
pub fn value_to_string(a: &dyn Array, i: usize) -> String {
    let mut s = String::new();
    write_value(&mut s, a, i);
    s
}

/// Formats every row with KQL `tostring` rules; nulls stay null (callers that need KQL's
/// never-null strings read them as `""`).
pub(crate) fn array_to_strings(a: &dyn Array) -> Result<StringArray> {
    let mut b = StringBuilder::with_capacity(a.len(), a.len() * 8);
    let mut buf = String::new();
    for i in 0..a.len() {
        buf.clear();
        if write_value(&mut buf, a, i) {
            b.append_value(&buf);
        } else {
            b.append_null();
        }
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    // https://learn.microsoft.com/kusto/query/tostring-function
    #[test]
    fn reals() {
        assert_eq!(format_real(2.0), "2");
        assert_eq!(format_real(0.1), "0.1");
        assert_eq!(format_real(123.34), "123.34");
        assert_eq!(format_real(-123.34), "-123.34");
        // https://learn.microsoft.com/kusto/query/reverse-function: reverse(123.45) = "54.321"
        assert_eq!(format_real(123.45), "123.45");
        // .NET "R" thresholds (kql-semantics §8) // unverified against ADX
        assert_eq!(format_real(1e20), "1E+20");
        assert_eq!(format_real(1.5e-7), "1.5E-07");
        assert_eq!(format_real(1e15), "1E+15");
        assert_eq!(format_real(1e14), "100000000000000");
        assert_eq!(format_real(1234567890123456.0), "1234567890123456");
        assert_eq!(format_real(0.0001), "0.0001");
        assert_eq!(format_real(0.00001), "1E-05");
        assert_eq!(format_real(-60.0), "-60");
        assert_eq!(format_real(1.2345678901234568e20), "1.2345678901234568E+20");
        assert_eq!(format_real(f64::NAN), "NaN");
        assert_eq!(format_real(f64::INFINITY), "Infinity");
        assert_eq!(format_real(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(format_real(0.0), "0");
        assert_eq!(format_real(f64::MAX), "1.7976931348623157E+308");
        assert_eq!(format_real(f64::MIN_POSITIVE), "2.2250738585072014E-308");
        assert_eq!(format_real(5e-324), "5E-324");
    }

    #[test]
    fn datetimes() {
        // kql-semantics §8: datetime(2017-10-15 12:00) → "2017-10-15T12:00:00.0000000Z"
        assert_eq!(
            format_datetime(1_508_068_800_000_000_000),
            "2017-10-15T12:00:00.0000000Z"
        );
        assert_eq!(format_datetime(0), "1970-01-01T00:00:00.0000000Z");
        assert_eq!(format_datetime(-1), "1969-12-31T23:59:59.9999999Z");
        assert_eq!(format_datetime(123_456_789), "1970-01-01T00:00:00.1234567Z");
        assert_eq!(format_datetime(i64::MIN), "1677-09-21T00:12:43.1452241Z");
        assert_eq!(format_datetime(i64::MAX), "2262-04-11T23:47:16.8547758Z");
    }

    #[test]
    fn timespans() {
        // https://learn.microsoft.com/kusto/query/strrep-function: strrep(3s, 2, ' ')
        assert_eq!(format_timespan(3_000_000_000), "00:00:03");
        assert_eq!(format_timespan(90_000_000_000_000), "1.01:00:00");
        assert_eq!(format_timespan(-500_000_000), "-00:00:00.5000000");
        assert_eq!(format_timespan(100), "00:00:00.0000001");
        assert_eq!(format_timespan(0), "00:00:00");
        assert_eq!(format_timespan(i64::MIN), "-106751.23:47:16.8547758");
    }

    #[test]
    fn decimals() {
        assert_eq!(format_decimal(1_500_000_000_000_000_000, 18), "1.5");
        assert_eq!(format_decimal(-5, 2), "-0.05");
        assert_eq!(format_decimal(100, 0), "100");
        assert_eq!(format_decimal(0, 18), "0");
    }
}

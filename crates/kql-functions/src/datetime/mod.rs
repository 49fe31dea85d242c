//! KQL datetime and timespan functions.
//!
//! Physical types: datetime = `Timestamp(Nanosecond, "UTC")`, timespan =
//! `Duration(Nanosecond)`; KQL's precision is the 100 ns tick. Every calendar computation
//! is integer arithmetic in [`calendar`] (no panics, out-of-range results → null).
//!
//! DataFusion already does (no UDF needed): `datetime - datetime → timespan`,
//! `datetime ± timespan`, `timespan ± timespan`, unary `-timespan`, comparisons. It does
//! **not** multiply or divide durations, hence `kql_timespan_mul` / `kql_timespan_div`.
//!
//! Not implemented: `datetime_utc_to_local` / `datetime_local_to_utc` (would need a time
//! zone database — chrono-tz — for a rarely used function; the planner should report
//! "not supported"), `weekofyear()` (deprecated non-ISO variant, definition unclear).

pub mod calendar;
pub mod format;

use crate::math::FunctionDoc;
use crate::math::util::{
    KqlFn, KqlScalar, as_utf8, check_arity, coerce_dt, coerce_int, coerce_str, coerce_ts, dt_type,
    f64_values, i64_values, is_duration, is_float, is_int, is_numeric, is_timestamp, str_at,
    ts_type,
};
use calendar::{
    Civil, NS_PER_DAY, NS_PER_HOUR, NS_PER_MIN, NS_PER_SEC, ORIGIN_NS, TICK_NS, add_months,
    days_from_civil, days_in_month, iso_week, ns_from_days,
};
use datafusion::arrow::array::{
    Array, ArrayRef, DurationNanosecondArray, Float64Array, Int32Array, Int64Array, StringArray,
    TimestampNanosecondArray,
};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use std::collections::HashMap;
use std::sync::Arc;

/// The datetime/timespan functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DtFn {
    Bin,
    Floor,
    BinAt,
    DatetimeAdd,
    DatetimeDiff,
    DatetimePart,
    StartOfDay,
    StartOfWeek,
    StartOfMonth,
    StartOfYear,
    EndOfDay,
    EndOfWeek,
    EndOfMonth,
    EndOfYear,
    DayOfWeek,
    DayOfMonth,
    DayOfYear,
    WeekOfYear,
    MonthOfYear,
    GetMonth,
    GetYear,
    HourOfDay,
    FormatDatetime,
    FormatTimespan,
    MakeDatetime,
    MakeTimespan,
    UnixSeconds,
    UnixMillis,
    UnixMicros,
    UnixNanos,
    TimespanMul,
    TimespanDiv,
}

impl DtFn {
    const ALL: [DtFn; 32] = [
        DtFn::Bin,
        DtFn::Floor,
        DtFn::BinAt,
        DtFn::DatetimeAdd,
        DtFn::DatetimeDiff,
        DtFn::DatetimePart,
        DtFn::StartOfDay,
        DtFn::StartOfWeek,
        DtFn::StartOfMonth,
        DtFn::StartOfYear,
        DtFn::EndOfDay,
        DtFn::EndOfWeek,
        DtFn::EndOfMonth,
        DtFn::EndOfYear,
        DtFn::DayOfWeek,
        DtFn::DayOfMonth,
        DtFn::DayOfYear,
        DtFn::WeekOfYear,
        DtFn::MonthOfYear,
        DtFn::GetMonth,
        DtFn::GetYear,
        DtFn::HourOfDay,
        DtFn::FormatDatetime,
        DtFn::FormatTimespan,
        DtFn::MakeDatetime,
        DtFn::MakeTimespan,
        DtFn::UnixSeconds,
        DtFn::UnixMillis,
        DtFn::UnixMicros,
        DtFn::UnixNanos,
        DtFn::TimespanMul,
        DtFn::TimespanDiv,
    ];
}

/// Calendar periods of `datetime_add` / `datetime_diff` (case-insensitive names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
}

fn parse_period(s: &str) -> Option<Period> {
    const NAMES: [(&str, Period); 11] = [
        ("year", Period::Year),
        ("quarter", Period::Quarter),
        ("month", Period::Month),
        ("week", Period::Week),
        ("day", Period::Day),
        ("hour", Period::Hour),
        ("minute", Period::Minute),
        ("second", Period::Second),
        ("millisecond", Period::Millisecond),
        ("microsecond", Period::Microsecond),
        ("nanosecond", Period::Nanosecond),
    ];
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s))
        .map(|(_, p)| *p)
}

/// Parts of `datetime_part` (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Year,
    Quarter,
    Month,
    WeekOfYear,
    Day,
    DayOfYear,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
}

fn parse_part(s: &str) -> Option<Part> {
    const NAMES: [(&str, Part); 13] = [
        ("year", Part::Year),
        ("quarter", Part::Quarter),
        ("month", Part::Month),
        ("week_of_year", Part::WeekOfYear),
        ("weekofyear", Part::WeekOfYear),
        ("day", Part::Day),
        ("dayofyear", Part::DayOfYear),
        ("hour", Part::Hour),
        ("minute", Part::Minute),
        ("second", Part::Second),
        ("millisecond", Part::Millisecond),
        ("microsecond", Part::Microsecond),
        ("nanosecond", Part::Nanosecond),
    ];
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s))
        .map(|(_, p)| *p)
}

/// Kind of value `bin`/`bin_at` work on (after coercion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BinKind {
    Int,
    Real,
    DateTime,
    TimeSpan,
}

fn bin_kind(value: &DataType, size: &DataType, fname: &str) -> Result<BinKind> {
    let null = |t: &DataType| matches!(t, DataType::Null);
    if is_timestamp(value) {
        if is_duration(size) || null(size) {
            return Ok(BinKind::DateTime);
        }
        return plan_err!("{fname}: a datetime value needs a timespan bin size, got {size}");
    }
    if is_duration(value) || (null(value) && is_duration(size)) {
        if is_duration(size) || null(size) {
            return Ok(BinKind::TimeSpan);
        }
        return plan_err!("{fname}: a timespan value needs a timespan bin size, got {size}");
    }
    if is_numeric(value) && is_numeric(size) {
        if (is_int(value) || null(value)) && (is_int(size) || null(size)) {
            return Ok(BinKind::Int);
        }
        return Ok(BinKind::Real);
    }
    plan_err!("{fname}: unsupported argument types ({value}, {size})")
}

impl BinKind {
    fn value_type(self) -> DataType {
        match self {
            BinKind::Int => DataType::Int64,
            BinKind::Real => DataType::Float64,
            BinKind::DateTime => dt_type(),
            BinKind::TimeSpan => ts_type(),
        }
    }
    fn size_type(self) -> DataType {
        match self {
            BinKind::Int => DataType::Int64,
            BinKind::Real => DataType::Float64,
            BinKind::DateTime | BinKind::TimeSpan => ts_type(),
        }
    }
}

/// Coerces a "number" argument: integers → Int64, reals → Float64.
fn int_or_real(t: &DataType, fname: &str) -> Result<DataType> {
    if is_int(t) || matches!(t, DataType::Null) {
        Ok(DataType::Int64)
    } else if is_float(t) {
        Ok(DataType::Float64)
    } else {
        plan_err!("{fname}: expected a numeric argument, got {t}")
    }
}

impl KqlFn for DtFn {
    fn udf_name(&self) -> &'static str {
        match self {
            DtFn::Bin => "kql_bin",
            DtFn::Floor => "kql_floor",
            DtFn::BinAt => "kql_bin_at",
            DtFn::DatetimeAdd => "kql_datetime_add",
            DtFn::DatetimeDiff => "kql_datetime_diff",
            DtFn::DatetimePart => "kql_datetime_part",
            DtFn::StartOfDay => "kql_startofday",
            DtFn::StartOfWeek => "kql_startofweek",
            DtFn::StartOfMonth => "kql_startofmonth",
            DtFn::StartOfYear => "kql_startofyear",
            DtFn::EndOfDay => "kql_endofday",
            DtFn::EndOfWeek => "kql_endofweek",
            DtFn::EndOfMonth => "kql_endofmonth",
            DtFn::EndOfYear => "kql_endofyear",
            DtFn::DayOfWeek => "kql_dayofweek",
            DtFn::DayOfMonth => "kql_dayofmonth",
            DtFn::DayOfYear => "kql_dayofyear",
            DtFn::WeekOfYear => "kql_week_of_year",
            DtFn::MonthOfYear => "kql_monthofyear",
            DtFn::GetMonth => "kql_getmonth",
            DtFn::GetYear => "kql_getyear",
            DtFn::HourOfDay => "kql_hourofday",
            DtFn::FormatDatetime => "kql_format_datetime",
            DtFn::FormatTimespan => "kql_format_timespan",
            DtFn::MakeDatetime => "kql_make_datetime",
            DtFn::MakeTimespan => "kql_make_timespan",
            DtFn::UnixSeconds => "kql_unixtime_seconds_todatetime",
            DtFn::UnixMillis => "kql_unixtime_milliseconds_todatetime",
            DtFn::UnixMicros => "kql_unixtime_microseconds_todatetime",
            DtFn::UnixNanos => "kql_unixtime_nanoseconds_todatetime",
            DtFn::TimespanMul => "kql_timespan_mul",
            DtFn::TimespanDiv => "kql_timespan_div",
        }
    }

    fn coerce(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.udf_name();
        match self {
            DtFn::Bin | DtFn::Floor => {
                check_arity(name, args.len(), 2, 2)?;
                let k = bin_kind(&args[0], &args[1], name)?;
                Ok(vec![k.value_type(), k.size_type()])
            }
            DtFn::BinAt => {
                check_arity(name, args.len(), 3, 3)?;
                let mut k = bin_kind(&args[0], &args[1], name)?;
                if k == BinKind::Int && is_float(&args[2]) {
                    k = BinKind::Real;
                }
                let fixed_ok = match k {
                    BinKind::Int | BinKind::Real => is_numeric(&args[2]),
                    BinKind::DateTime => {
                        is_timestamp(&args[2]) || matches!(args[2], DataType::Null)
                    }
                    BinKind::TimeSpan => is_duration(&args[2]) || matches!(args[2], DataType::Null),
                };
                if !fixed_ok {
                    return plan_err!(
                        "{name}: the fixed point must have the value's type, got {}",
                        args[2]
                    );
                }
                Ok(vec![k.value_type(), k.size_type(), k.value_type()])
            }
            DtFn::DatetimeAdd => {
                check_arity(name, args.len(), 3, 3)?;
                Ok(vec![
                    coerce_str(&args[0], name)?,
                    coerce_int(&args[1], name)?,
                    coerce_dt(&args[2], name)?,
                ])
            }
            DtFn::DatetimeDiff => {
                check_arity(name, args.len(), 3, 3)?;
                Ok(vec![
                    coerce_str(&args[0], name)?,
                    coerce_dt(&args[1], name)?,
                    coerce_dt(&args[2], name)?,
                ])
            }
            DtFn::DatetimePart => {
                check_arity(name, args.len(), 2, 2)?;
                Ok(vec![
                    coerce_str(&args[0], name)?,
                    coerce_dt(&args[1], name)?,
                ])
            }
            DtFn::StartOfDay
            | DtFn::StartOfWeek
            | DtFn::StartOfMonth
            | DtFn::StartOfYear
            | DtFn::EndOfDay
            | DtFn::EndOfWeek
            | DtFn::EndOfMonth
            | DtFn::EndOfYear => {
                check_arity(name, args.len(), 1, 2)?;
                let mut v = vec![coerce_dt(&args[0], name)?];
                if args.len() == 2 {
                    v.push(coerce_int(&args[1], name)?);
                }
                Ok(v)
            }
            DtFn::DayOfWeek
            | DtFn::DayOfMonth
            | DtFn::DayOfYear
            | DtFn::WeekOfYear
            | DtFn::MonthOfYear
            | DtFn::GetMonth
            | DtFn::GetYear
            | DtFn::HourOfDay => {
                check_arity(name, args.len(), 1, 1)?;
                Ok(vec![coerce_dt(&args[0], name)?])
            }
            DtFn::FormatDatetime => {
                check_arity(name, args.len(), 2, 2)?;
                Ok(vec![
                    coerce_dt(&args[0], name)?,
                    coerce_str(&args[1], name)?,
                ])
            }
            DtFn::FormatTimespan => {
                check_arity(name, args.len(), 2, 2)?;
                Ok(vec![
                    coerce_ts(&args[0], name)?,
                    coerce_str(&args[1], name)?,
                ])
            }
            DtFn::MakeDatetime => {
                check_arity(name, args.len(), 3, 6)?;
                args.iter()
                    .enumerate()
                    .map(|(i, t)| {
                        if !is_numeric(t) {
                            return plan_err!("{name}: expected numeric arguments, got {t}");
                        }
                        Ok(if i == 5 {
                            DataType::Float64
                        } else {
                            DataType::Int64
                        })
                    })
                    .collect()
            }
            DtFn::MakeTimespan => {
                check_arity(name, args.len(), 2, 4)?;
                let last = args.len() - 1;
                args.iter()
                    .enumerate()
                    .map(|(i, t)| {
                        if !is_numeric(t) {
                            return plan_err!("{name}: expected numeric arguments, got {t}");
                        }
                        // the seconds argument (3rd of 3, 4th of 4) may be real
                        Ok(if i == last && args.len() >= 3 {
                            DataType::Float64
                        } else {
                            DataType::Int64
                        })
                    })
                    .collect()
            }
            DtFn::UnixSeconds | DtFn::UnixMillis | DtFn::UnixMicros | DtFn::UnixNanos => {
                check_arity(name, args.len(), 1, 1)?;
                Ok(vec![int_or_real(&args[0], name)?])
            }
            DtFn::TimespanMul => {
                check_arity(name, args.len(), 2, 2)?;
                match (is_duration(&args[0]), is_duration(&args[1])) {
                    (true, false) => Ok(vec![ts_type(), int_or_real(&args[1], name)?]),
                    (false, true) => Ok(vec![int_or_real(&args[0], name)?, ts_type()]),
                    _ => plan_err!(
                        "{name}: expects one timespan and one number, got ({}, {})",
                        args[0],
                        args[1]
                    ),
                }
            }
            DtFn::TimespanDiv => {
                check_arity(name, args.len(), 2, 2)?;
                if !is_duration(&args[0]) {
                    return plan_err!("{name}: the dividend must be a timespan, got {}", args[0]);
                }
                if is_duration(&args[1]) {
                    Ok(vec![ts_type(), ts_type()])
                } else {
                    Ok(vec![ts_type(), int_or_real(&args[1], name)?])
                }
            }
        }
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match self {
            DtFn::Bin | DtFn::Floor | DtFn::BinAt => args[0].clone(),
            DtFn::DatetimeAdd
            | DtFn::StartOfDay
            | DtFn::StartOfWeek
            | DtFn::StartOfMonth
            | DtFn::StartOfYear
            | DtFn::EndOfDay
            | DtFn::EndOfWeek
            | DtFn::EndOfMonth
            | DtFn::EndOfYear
            | DtFn::MakeDatetime
            | DtFn::UnixSeconds
            | DtFn::UnixMillis
            | DtFn::UnixMicros
            | DtFn::UnixNanos => dt_type(),
            DtFn::DatetimeDiff => DataType::Int64,
            DtFn::DatetimePart
            | DtFn::DayOfMonth
            | DtFn::DayOfYear
            | DtFn::WeekOfYear
            | DtFn::MonthOfYear
            | DtFn::GetMonth
            | DtFn::GetYear
            | DtFn::HourOfDay => DataType::Int32,
            DtFn::DayOfWeek | DtFn::MakeTimespan | DtFn::TimespanMul => ts_type(),
            DtFn::TimespanDiv => {
                if is_duration(&args[1]) {
                    DataType::Float64
                } else {
                    ts_type()
                }
            }
            DtFn::FormatDatetime | DtFn::FormatTimespan => DataType::Utf8,
        })
    }

    fn invoke(&self, a: &[ArrayRef], n: usize, _raw: &[ColumnarValue]) -> Result<ArrayRef> {
        match self {
            DtFn::Bin | DtFn::Floor => match bin_by_constant(&a[0], _raw.get(1)) {
                Some(out) => Ok(out),
                None => bin(&a[0], &a[1], None),
            },
            DtFn::BinAt => bin(&a[0], &a[1], Some(&a[2])),
            DtFn::DatetimeAdd => datetime_add(a),
            DtFn::DatetimeDiff => datetime_diff(a),
            DtFn::DatetimePart => datetime_part(a),
            DtFn::StartOfDay
            | DtFn::StartOfWeek
            | DtFn::StartOfMonth
            | DtFn::StartOfYear
            | DtFn::EndOfDay
            | DtFn::EndOfWeek
            | DtFn::EndOfMonth
            | DtFn::EndOfYear => start_end(*self, a, n),
            DtFn::DayOfWeek => {
                let v = i64_values(&a[0])?;
                Ok(Arc::new(
                    v.into_iter()
                        .map(|x| x.map(|x| Civil::from_ns(x).weekday() * NS_PER_DAY))
                        .collect::<DurationNanosecondArray>(),
                ))
            }
            DtFn::DayOfMonth => civil_i32(&a[0], |c| i64::from(c.day)),
            DtFn::DayOfYear => civil_i32(&a[0], Civil::day_of_year),
            DtFn::WeekOfYear => civil_i32(&a[0], iso_week),
            DtFn::MonthOfYear | DtFn::GetMonth => civil_i32(&a[0], |c| i64::from(c.month)),
            DtFn::GetYear => civil_i32(&a[0], |c| c.year),
            DtFn::HourOfDay => civil_i32(&a[0], |c| i64::from(c.hour)),
            DtFn::FormatDatetime => format_fn(a, format::Dialect::DateTime),
            DtFn::FormatTimespan => format_fn(a, format::Dialect::TimeSpan),
            DtFn::MakeDatetime => make_datetime(a, n),
            DtFn::MakeTimespan => make_timespan(a, n),
            DtFn::UnixSeconds => unixtime(&a[0], NS_PER_SEC),
            DtFn::UnixMillis => unixtime(&a[0], 1_000_000),
            DtFn::UnixMicros => unixtime(&a[0], 1_000),
            DtFn::UnixNanos => unixtime(&a[0], 1),
            DtFn::TimespanMul => timespan_mul(a),
            DtFn::TimespanDiv => timespan_div(a),
        }
    }
}

// ---------------------------------------------------------------------------------------
// kernels

fn to_i32(v: i64) -> Option<i32> {
    i32::try_from(v).ok()
}

fn civil_i32(arr: &ArrayRef, f: impl Fn(&Civil) -> i64) -> Result<ArrayRef> {
    let v = i64_values(arr)?;
    Ok(Arc::new(
        v.into_iter()
            .map(|x| x.and_then(|x| to_i32(f(&Civil::from_ns(x)))))
            .collect::<Int32Array>(),
    ))
}

fn ts_array(v: impl Iterator<Item = Option<i64>>) -> ArrayRef {
    Arc::new(v.collect::<TimestampNanosecondArray>().with_timezone("UTC"))
}

/// Floors `ns` to a whole 100 ns tick (`None` below the first representable tick).
fn floor_tick(ns: i64) -> Option<i64> {
    ns.checked_sub(ns.rem_euclid(TICK_NS))
}

/// `fixed + floor((v - fixed) / size) * size` in i128; `None` if size ≤ 0 or overflow.
fn floor_at(v: i128, size: i128, fixed: i128) -> Option<i128> {
    if size <= 0 {
        return None;
    }
    Some(fixed + (v - fixed).div_euclid(size) * size)
}

/// `bin(x, size)` with a constant positive integer or timespan `size` over a long,
/// datetime or timespan column (the common `bin(TimeGenerated, 1h)`): one pass over the
/// values, the same arithmetic as [`bin`]. `None` when the fast path does not apply.
fn bin_by_constant(value: &ArrayRef, size: Option<&ColumnarValue>) -> Option<ArrayRef> {
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::{
        DurationNanosecondType, Int64Type, TimeUnit, TimestampNanosecondType,
    };
    use datafusion::common::ScalarValue;
    let size = match size? {
        ColumnarValue::Scalar(
            ScalarValue::Int64(Some(s)) | ScalarValue::DurationNanosecond(Some(s)),
        ) if *s > 0 => *s,
        _ => return None,
    };
    // floor_at(v, size, origin) = v - (v - origin) mod size, and (v - origin) mod size =
    // (v mod size - origin mod size) mod size: i64 arithmetic only (origin itself, the
    // ticks before 1970, does not fit an i64). Null when the result underflows.
    let at = |origin: i128| {
        let shift = origin.rem_euclid(i128::from(size)) as i64; // < size
        move |v: i64| v.checked_sub((v.rem_euclid(size) - shift).rem_euclid(size))
    };
    Some(match value.data_type() {
        DataType::Int64 => Arc::new(
            value
                .as_primitive::<Int64Type>()
                .unary_opt::<_, Int64Type>(at(0)),
        ),
        DataType::Duration(TimeUnit::Nanosecond) => Arc::new(
            value
                .as_primitive::<DurationNanosecondType>()
                .unary_opt::<_, DurationNanosecondType>(at(0)),
        ),
        DataType::Timestamp(TimeUnit::Nanosecond, tz) => Arc::new(
            value
                .as_primitive::<TimestampNanosecondType>()
                // datetimes bin on ticks since 0001-01-01, as in `bin`
                .unary_opt::<_, TimestampNanosecondType>(at(-ORIGIN_NS))
                .with_timezone_opt(tz.clone()),
        ),
        _ => return None,
    })
}

fn bin(value: &ArrayRef, size: &ArrayRef, fixed: Option<&ArrayRef>) -> Result<ArrayRef> {
    let len = value.len();
    match value.data_type() {
        DataType::Float64 => {
            let v = f64_values(value)?;
            let s = f64_values(size)?;
            let f = match fixed {
                Some(f) => f64_values(f)?,
                None => vec![Some(0.0); len],
            };
            Ok(Arc::new(
                (0..len)
                    .map(|i| {
                        let (v, s, f) = (v[i]?, s[i]?, f[i]?);
                        if s.is_nan() || s <= 0.0 {
                            return None;
                        }
                        Some(f + ((v - f) / s).floor() * s)
                    })
                    .collect::<Float64Array>(),
            ))
        }
        DataType::Int64 | DataType::Timestamp(_, _) | DataType::Duration(_) => {
            let v = i64_values(value)?;
            let s = i64_values(size)?;
            let is_dt = matches!(value.data_type(), DataType::Timestamp(_, _));
            let f: Vec<Option<i128>> = match fixed {
                Some(f) => i64_values(f)?
                    .into_iter()
                    .map(|x| x.map(i128::from))
                    .collect(),
                // datetimes bin on ticks since 0001-01-01 (7d bins start on Mondays)
                None if is_dt => vec![Some(-ORIGIN_NS); len],
                None => vec![Some(0); len],
            };
            let out = (0..len).map(|i| {
                let r = floor_at(i128::from(v[i]?), i128::from(s[i]?), f[i]?)?;
                i64::try_from(r).ok()
            });
            Ok(match value.data_type() {
                DataType::Int64 => Arc::new(out.collect::<Int64Array>()),
                DataType::Timestamp(_, _) => ts_array(out),
                _ => Arc::new(out.collect::<DurationNanosecondArray>()),
            })
        }
        other => exec_err!("kql_bin: unsupported value type {other}"),
    }
}

/// Reads a period/part name column, parsing each distinct value once; an unknown name is
/// an error (a literal typo must not silently produce nulls).
fn names<T: Copy>(
    arr: &ArrayRef,
    parse: fn(&str) -> Option<T>,
    fname: &str,
) -> Result<Vec<Option<T>>> {
    let arr = as_utf8(arr)?;
    let mut cache: HashMap<&str, T> = HashMap::new();
    let mut out = Vec::with_capacity(arr.len());
    for i in 0..arr.len() {
        match str_at(&arr, i) {
            None => out.push(None),
            Some(s) => {
                if let Some(p) = cache.get(s) {
                    out.push(Some(*p));
                } else {
                    match parse(s) {
                        Some(p) => {
                            cache.insert(s, p);
                            out.push(Some(p));
                        }
                        None => return exec_err!("{fname}: unknown period '{s}'"),
                    }
                }
            }
        }
    }
    Ok(out)
}

fn add_period(p: Period, amount: i64, ns: i64) -> Option<i64> {
    let fixed = |unit: i64| -> Option<i64> {
        let r = i128::from(ns) + i128::from(amount) * i128::from(unit);
        i64::try_from(r).ok()
    };
    match p {
        Period::Year => add_months(ns, amount.checked_mul(12)?),
        Period::Quarter => add_months(ns, amount.checked_mul(3)?),
        Period::Month => add_months(ns, amount),
        Period::Week => fixed(7 * NS_PER_DAY),
        Period::Day => fixed(NS_PER_DAY),
        Period::Hour => fixed(NS_PER_HOUR),
        Period::Minute => fixed(NS_PER_MIN),
        Period::Second => fixed(NS_PER_SEC),
        Period::Millisecond => fixed(1_000_000),
        Period::Microsecond => fixed(1_000),
        // Sub-tick amounts: the sum is floored to a 100 ns tick (unverified against ADX).
        Period::Nanosecond => fixed(1).and_then(floor_tick),
    }
}

fn datetime_add(a: &[ArrayRef]) -> Result<ArrayRef> {
    let p = names(&a[0], parse_period, "kql_datetime_add")?;
    let amount = i64_values(&a[1])?;
    let dt = i64_values(&a[2])?;
    Ok(ts_array(
        (0..dt.len()).map(|i| add_period(p[i]?, amount[i]?, dt[i]?)),
    ))
}

/// Number of `p` boundaries crossed between `b` and `a` (`a - b`); `None` on overflow.
fn diff_period(p: Period, a: i64, b: i64) -> Option<i64> {
    let (ca, cb) = (Civil::from_ns(a), Civil::from_ns(b));
    let floor_diff = |unit: i64| a.div_euclid(unit) - b.div_euclid(unit);
    Some(match p {
        Period::Year => ca.year - cb.year,
        Period::Quarter => {
            (ca.year * 4 + i64::from((ca.month - 1) / 3))
                - (cb.year * 4 + i64::from((cb.month - 1) / 3))
        }
        Period::Month => {
            (ca.year * 12 + i64::from(ca.month)) - (cb.year * 12 + i64::from(cb.month))
        }
        // weeks start on Sunday; 1970-01-04 was a Sunday
        Period::Week => (ca.days + 4).div_euclid(7) - (cb.days + 4).div_euclid(7),
        Period::Day => ca.days - cb.days,
        Period::Hour => floor_diff(NS_PER_HOUR),
        Period::Minute => floor_diff(NS_PER_MIN),
        Period::Second => floor_diff(NS_PER_SEC),
        Period::Millisecond => floor_diff(1_000_000),
        Period::Microsecond => floor_diff(1_000),
        // on whole ticks
        Period::Nanosecond => {
            (a.div_euclid(TICK_NS) - b.div_euclid(TICK_NS)).checked_mul(TICK_NS)?
        }
    })
}

fn datetime_diff(a: &[ArrayRef]) -> Result<ArrayRef> {
    let p = names(&a[0], parse_period, "kql_datetime_diff")?;
    let x = i64_values(&a[1])?;
    let y = i64_values(&a[2])?;
    Ok(Arc::new(
        (0..x.len())
            .map(|i| diff_period(p[i]?, x[i]?, y[i]?))
            .collect::<Int64Array>(),
    ))
}

fn datetime_part(a: &[ArrayRef]) -> Result<ArrayRef> {
    let p = names(&a[0], parse_part, "kql_datetime_part")?;
    let dt = i64_values(&a[1])?;
    Ok(Arc::new(
        (0..dt.len())
            .map(|i| {
                let c = Civil::from_ns(dt[i]?);
                let v = match p[i]? {
                    Part::Year => c.year,
                    Part::Quarter => i64::from((c.month - 1) / 3 + 1),
                    Part::Month => i64::from(c.month),
                    Part::WeekOfYear => iso_week(&c),
                    Part::Day => i64::from(c.day),
                    Part::DayOfYear => c.day_of_year(),
                    Part::Hour => i64::from(c.hour),
                    Part::Minute => i64::from(c.minute),
                    Part::Second => i64::from(c.second),
                    Part::Millisecond => i64::from(c.nanos / 1_000_000),
                    Part::Microsecond => i64::from(c.nanos / 1_000),
                    // ticks, expressed in nanoseconds
                    Part::Nanosecond => i64::from(c.nanos / 100 * 100),
                };
                to_i32(v)
            })
            .collect::<Int32Array>(),
    ))
}

/// Start of the period containing `ns`, moved by `offset` periods.
fn start_of(f: DtFn, ns: i64, offset: i64) -> Option<i64> {
    let c = Civil::from_ns(ns);
    match f {
        DtFn::StartOfDay | DtFn::EndOfDay => ns_from_days(c.days.checked_add(offset)?, 0),
        DtFn::StartOfWeek | DtFn::EndOfWeek => {
            let sunday = c.days - c.weekday();
            ns_from_days(sunday.checked_add(offset.checked_mul(7)?)?, 0)
        }
        DtFn::StartOfMonth | DtFn::EndOfMonth => add_months(
            ns_from_days(days_from_civil(c.year, c.month, 1), 0)?,
            offset,
        ),
        _ => {
            let y = c.year.checked_add(offset)?;
            if !(-1_000_000..=1_000_000).contains(&y) {
                return None;
            }
            ns_from_days(days_from_civil(y, 1, 1), 0)
        }
    }
}

fn start_end(f: DtFn, a: &[ArrayRef], n: usize) -> Result<ArrayRef> {
    let dt = i64_values(&a[0])?;
    let off = match a.get(1) {
        Some(o) => i64_values(o)?,
        None => vec![Some(0); n],
    };
    let is_end = matches!(
        f,
        DtFn::EndOfDay | DtFn::EndOfWeek | DtFn::EndOfMonth | DtFn::EndOfYear
    );
    Ok(ts_array((0..dt.len()).map(|i| {
        let (d, o) = (dt[i]?, off[i]?);
        if is_end {
            // last tick of the period: start of the next one minus 100 ns
            start_of(f, d, o.checked_add(1)?)?.checked_sub(TICK_NS)
        } else {
            start_of(f, d, o)
        }
    })))
}

fn format_fn(a: &[ArrayRef], dialect: format::Dialect) -> Result<ArrayRef> {
    let v = i64_values(&a[0])?;
    let fmts = as_utf8(&a[1])?;
    let mut cache: HashMap<String, Vec<format::Tok>> = HashMap::new();
    let mut out = Vec::with_capacity(v.len());
    for (i, x) in v.iter().enumerate() {
        let (Some(x), Some(f)) = (x, str_at(&fmts, i)) else {
            out.push(String::new());
            continue;
        };
        if !cache.contains_key(f) {
            match format::parse_format(f, dialect) {
                Ok(t) => {
                    cache.insert(f.to_string(), t);
                }
                Err(e) => return exec_err!("{e}"),
            }
        }
        let toks = cache.get(f).map(Vec::as_slice).unwrap_or(&[]);
        out.push(match dialect {
            format::Dialect::DateTime => format::format_datetime(*x, toks),
            format::Dialect::TimeSpan => format::format_timespan(*x, toks),
        });
    }
    Ok(Arc::new(StringArray::from(out)))
}

/// Rounds a real number of 100 ns ticks to the nearest tick; `None` if not representable.
fn ticks_f64_to_ns(ticks: f64) -> Option<i64> {
    if !ticks.is_finite() {
        return None;
    }
    let t = ticks.round();
    // |ns| < 2^63 ⇔ |ticks| < 9.2e16
    if t.abs() >= 9.2e16 {
        return None;
    }
    (t as i64).checked_mul(TICK_NS)
}

fn make_datetime(a: &[ArrayRef], n: usize) -> Result<ArrayRef> {
    let ints: Vec<Vec<Option<i64>>> = a.iter().take(5).map(i64_values).collect::<Result<_>>()?;
    let secs = match a.get(5) {
        Some(s) => f64_values(s)?,
        None => vec![Some(0.0); n],
    };
    let get = |k: usize, i: usize| -> Option<i64> {
        match ints.get(k) {
            Some(col) => col[i],
            None => Some(0),
        }
    };
    Ok(ts_array((0..n).map(|i| {
        let (y, mo, d, h, mi, s) = (
            get(0, i)?,
            get(1, i)?,
            get(2, i)?,
            get(3, i)?,
            get(4, i)?,
            secs[i]?,
        );
        if !(1..=9999).contains(&y) || !(1..=12).contains(&mo) {
            return None;
        }
        let mo = mo as u32;
        if d < 1 || d > i64::from(days_in_month(y, mo)) {
            return None;
        }
        if !(0..24).contains(&h) || !(0..60).contains(&mi) || !(0.0..60.0).contains(&s) {
            return None;
        }
        let s_ns = ticks_f64_to_ns(s * 1e7)?;
        let day_ns = h * NS_PER_HOUR + mi * NS_PER_MIN + s_ns;
        ns_from_days(days_from_civil(y, mo, d as u32), 0)?.checked_add(day_ns)
    })))
}

fn make_timespan(a: &[ArrayRef], n: usize) -> Result<ArrayRef> {
    // (hour, minute) | (hour, minute, second) | (day, hour, minute, second)
    let cols: Vec<Vec<Option<f64>>> = a
        .iter()
        .map(|c| {
            if c.data_type() == &DataType::Float64 {
                f64_values(c)
            } else {
                Ok(i64_values(c)?
                    .into_iter()
                    .map(|v| v.map(|v| v as f64))
                    .collect())
            }
        })
        .collect::<Result<_>>()?;
    let ints: Vec<Vec<Option<i64>>> = a
        .iter()
        .map(|c| {
            if c.data_type() == &DataType::Int64 {
                i64_values(c)
            } else {
                Ok(vec![Some(0); c.len()])
            }
        })
        .collect::<Result<_>>()?;
    Ok(Arc::new(
        (0..n)
            .map(|i| {
                let (d, h, m, s) = match a.len() {
                    2 => (0, ints[0][i]?, ints[1][i]?, 0.0),
                    3 => (0, ints[0][i]?, ints[1][i]?, cols[2][i]?),
                    _ => (ints[0][i]?, ints[1][i]?, ints[2][i]?, cols[3][i]?),
                };
                // Documented ranges: hour 0-23, minute 0-59, second 0-59.9999999.
                if !(0..24).contains(&h) || !(0..60).contains(&m) || !(0.0..60.0).contains(&s) {
                    return None;
                }
                let s_ns = ticks_f64_to_ns(s * 1e7)?;
                let total = i128::from(d) * i128::from(NS_PER_DAY)
                    + i128::from(h * NS_PER_HOUR + m * NS_PER_MIN + s_ns);
                i64::try_from(total).ok()
            })
            .collect::<DurationNanosecondArray>(),
    ))
}

fn unixtime(arr: &ArrayRef, unit_ns: i64) -> Result<ArrayRef> {
    if arr.data_type() == &DataType::Float64 {
        let v = f64_values(arr)?;
        let ticks_per_unit = unit_ns as f64 / TICK_NS as f64;
        Ok(ts_array(
            v.into_iter().map(|x| ticks_f64_to_ns(x? * ticks_per_unit)),
        ))
    } else {
        let v = i64_values(arr)?;
        Ok(ts_array(v.into_iter().map(|x| {
            let ns = i64::try_from(i128::from(x?) * i128::from(unit_ns)).ok()?;
            floor_tick(ns)
        })))
    }
}

/// Rounds `num / den` to the nearest integer, ties to even (.NET `Math.Round`).
fn div_round_even(num: i128, den: i128) -> Option<i128> {
    if den == 0 {
        return None;
    }
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    // num/den = q + r/den with 0 <= r < den
    let q = num.div_euclid(den);
    let twice = 2 * num.rem_euclid(den);
    Some(if twice > den || (twice == den && q.rem_euclid(2) == 1) {
        q + 1
    } else {
        q
    })
}

fn timespan_mul(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (ts, num) = if is_duration(a[0].data_type()) {
        (&a[0], &a[1])
    } else {
        (&a[1], &a[0])
    };
    let t = i64_values(ts)?;
    let out: Vec<Option<i64>> = if num.data_type() == &DataType::Float64 {
        let x = f64_values(num)?;
        (0..t.len())
            .map(|i| ticks_f64_to_ns((t[i]? / TICK_NS) as f64 * x[i]?))
            .collect()
    } else {
        let x = i64_values(num)?;
        (0..t.len()).map(|i| t[i]?.checked_mul(x[i]?)).collect()
    };
    Ok(Arc::new(DurationNanosecondArray::from(out)))
}

fn timespan_div(a: &[ArrayRef]) -> Result<ArrayRef> {
    let t = i64_values(&a[0])?;
    let len = t.len();
    match a[1].data_type() {
        DataType::Duration(_) => {
            let d = i64_values(&a[1])?;
            Ok(Arc::new(
                (0..len)
                    .map(|i| Some(t[i]? as f64 / d[i]? as f64))
                    .collect::<Float64Array>(),
            ))
        }
        DataType::Float64 => {
            let d = f64_values(&a[1])?;
            Ok(Arc::new(DurationNanosecondArray::from(
                (0..len)
                    .map(|i| {
                        let d = d[i]?;
                        if d == 0.0 {
                            return None;
                        }
                        ticks_f64_to_ns((t[i]? / TICK_NS) as f64 / d)
                    })
                    .collect::<Vec<_>>(),
            )))
        }
        _ => {
            let d = i64_values(&a[1])?;
            Ok(Arc::new(DurationNanosecondArray::from(
                (0..len)
                    .map(|i| {
                        let ticks = div_round_even(
                            i128::from(t[i]?.div_euclid(TICK_NS)),
                            i128::from(d[i]?),
                        )?;
                        i64::try_from(ticks * i128::from(TICK_NS)).ok()
                    })
                    .collect::<Vec<_>>(),
            )))
        }
    }
}

// ---------------------------------------------------------------------------------------

/// The scalar UDFs of this module.
pub fn scalar_udfs() -> Vec<Arc<ScalarUDF>> {
    DtFn::ALL.iter().map(|k| KqlScalar::udf(*k)).collect()
}

const DT: &str = "Timestamp(ns,UTC)";
const TS: &str = "Duration(ns)";

/// The KQL functions this module implements (for the planner's function registry).
pub const FUNCTIONS: &[FunctionDoc] = &[
    FunctionDoc {
        kql: "bin",
        udf: "kql_bin",
        args: "value: Int64|Float64|Timestamp(ns,UTC)|Duration(ns), size: Int64|Float64|Duration(ns)",
        returns: "type of value (Int64 if both ints, Float64 if any real)",
        notes: "datetimes floor on ticks since 0001-01-01 (7d bins start on Mondays); null or non-positive size → null; group column keeps the value's name",
    },
    FunctionDoc {
        kql: "floor",
        udf: "kql_floor",
        args: "same as bin",
        returns: "same as bin",
        notes: "2-argument floor(x, size) is bin; 1-argument floor(x) → DataFusion `floor`",
    },
    FunctionDoc {
        kql: "bin_at",
        udf: "kql_bin_at",
        args: "value, size, fixed (fixed has value's type)",
        returns: "type of value",
        notes: "fixed + floor((v-fixed)/size)*size; make-series uses it with fixed = start",
    },
    FunctionDoc {
        kql: "datetime_add",
        udf: "kql_datetime_add",
        args: "Utf8 period, Int64 amount, Timestamp(ns,UTC)",
        returns: DT,
        notes: "period case-insensitive: year quarter month week day hour minute second millisecond microsecond nanosecond; unknown period → execution error; months clamp like .NET AddMonths",
    },
    FunctionDoc {
        kql: "datetime_diff",
        udf: "kql_datetime_diff",
        args: "Utf8 period, Timestamp(ns,UTC) a, Timestamp(ns,UTC) b",
        returns: "Int64",
        notes: "calendar boundaries crossed from b to a (weeks start Sunday)",
    },
    FunctionDoc {
        kql: "datetime_part",
        udf: "kql_datetime_part",
        args: "Utf8 part, Timestamp(ns,UTC)",
        returns: "Int32",
        notes: "parts: year quarter month week_of_year|weekofyear day dayofyear hour minute second millisecond microsecond nanosecond; alias datepart",
    },
    FunctionDoc {
        kql: "startofday",
        udf: "kql_startofday",
        args: "Timestamp(ns,UTC) [, Int64 offset]",
        returns: DT,
        notes: "",
    },
    FunctionDoc {
        kql: "startofweek",
        udf: "kql_startofweek",
        args: "Timestamp(ns,UTC) [, Int64 offset]",
        returns: DT,
        notes: "weeks start on Sunday",
    },
    FunctionDoc {
        kql: "startofmonth",
        udf: "kql_startofmonth",
        args: "Timestamp(ns,UTC) [, Int64 offset]",
        returns: DT,
        notes: "",
    },
    FunctionDoc {
        kql: "startofyear",
        udf: "kql_startofyear",
        args: "Timestamp(ns,UTC) [, Int64 offset]",
        returns: DT,
        notes: "",
    },
    FunctionDoc {
        kql: "endofday",
        udf: "kql_endofday",
        args: "Timestamp(ns,UTC) [, Int64 offset]",
        returns: DT,
        notes: "last tick (23:59:59.9999999)",
    },
    FunctionDoc {
        kql: "endofweek",
        udf: "kql_endofweek",
        args: "Timestamp(ns,UTC) [, Int64 offset]",
        returns: DT,
        notes: "last tick of Saturday",
    },
    FunctionDoc {
        kql: "endofmonth",
        udf: "kql_endofmonth",
        args: "Timestamp(ns,UTC) [, Int64 offset]",
        returns: DT,
        notes: "last tick",
    },
    FunctionDoc {
        kql: "endofyear",
        udf: "kql_endofyear",
        args: "Timestamp(ns,UTC) [, Int64 offset]",
        returns: DT,
        notes: "last tick",
    },
    FunctionDoc {
        kql: "dayofweek",
        udf: "kql_dayofweek",
        args: DT,
        returns: TS,
        notes: "whole days since Sunday (Sunday = 0d)",
    },
    FunctionDoc {
        kql: "dayofmonth",
        udf: "kql_dayofmonth",
        args: DT,
        returns: "Int32",
        notes: "",
    },
    FunctionDoc {
        kql: "dayofyear",
        udf: "kql_dayofyear",
        args: DT,
        returns: "Int32",
        notes: "",
    },
    FunctionDoc {
        kql: "week_of_year",
        udf: "kql_week_of_year",
        args: DT,
        returns: "Int32",
        notes: "ISO 8601. The deprecated non-ISO `weekofyear()` is not implemented",
    },
    FunctionDoc {
        kql: "monthofyear",
        udf: "kql_monthofyear",
        args: DT,
        returns: "Int32",
        notes: "",
    },
    FunctionDoc {
        kql: "getmonth",
        udf: "kql_getmonth",
        args: DT,
        returns: "Int32",
        notes: "",
    },
    FunctionDoc {
        kql: "getyear",
        udf: "kql_getyear",
        args: DT,
        returns: "Int32",
        notes: "",
    },
    FunctionDoc {
        kql: "hourofday",
        udf: "kql_hourofday",
        args: DT,
        returns: "Int32",
        notes: "",
    },
    FunctionDoc {
        kql: "format_datetime",
        udf: "kql_format_datetime",
        args: "Timestamp(ns,UTC), Utf8 format",
        returns: "Utf8",
        notes: "pass format as literal; undocumented specifiers (MMM, ddd, ...) → execution error; null datetime → \"\"",
    },
    FunctionDoc {
        kql: "format_timespan",
        udf: "kql_format_timespan",
        args: "Duration(ns), Utf8 format",
        returns: "Utf8",
        notes: "pass format as literal; sign not printed (.NET custom TimeSpan rule)",
    },
    FunctionDoc {
        kql: "make_datetime",
        udf: "kql_make_datetime",
        args: "Int64 y, Int64 m, Int64 d [, Int64 h, Int64 mi [, Float64 s]]",
        returns: DT,
        notes: "3 to 6 args; invalid components → null",
    },
    FunctionDoc {
        kql: "make_timespan",
        udf: "kql_make_timespan",
        args: "(Int64 h, Int64 m) | (Int64 h, Int64 m, Float64 s) | (Int64 d, Int64 h, Int64 m, Float64 s)",
        returns: TS,
        notes: "out-of-range hour/minute/second → null",
    },
    FunctionDoc {
        kql: "unixtime_seconds_todatetime",
        udf: "kql_unixtime_seconds_todatetime",
        args: "Int64|Float64",
        returns: DT,
        notes: "reals rounded to the nearest tick; out of range → null",
    },
    FunctionDoc {
        kql: "unixtime_milliseconds_todatetime",
        udf: "kql_unixtime_milliseconds_todatetime",
        args: "Int64|Float64",
        returns: DT,
        notes: "",
    },
    FunctionDoc {
        kql: "unixtime_microseconds_todatetime",
        udf: "kql_unixtime_microseconds_todatetime",
        args: "Int64|Float64",
        returns: DT,
        notes: "",
    },
    FunctionDoc {
        kql: "unixtime_nanoseconds_todatetime",
        udf: "kql_unixtime_nanoseconds_todatetime",
        args: "Int64|Float64",
        returns: DT,
        notes: "floored to a 100 ns tick",
    },
    FunctionDoc {
        kql: "timespan * number, number * timespan",
        udf: "kql_timespan_mul",
        args: "(Duration(ns), Int64|Float64) or (Int64|Float64, Duration(ns))",
        returns: TS,
        notes: "operator `*` with a timespan operand (DataFusion cannot multiply durations); reals round to the nearest tick (ties to even)",
    },
    FunctionDoc {
        kql: "timespan / timespan, timespan / number",
        udf: "kql_timespan_div",
        args: "Duration(ns), Duration(ns)|Int64|Float64",
        returns: "Float64 when dividing by a timespan, else Duration(ns)",
        notes: "operator `/` with a timespan dividend; by zero number → null, by zero timespan → ±inf/NaN",
    },
];

#[cfg(test)]
mod tests;

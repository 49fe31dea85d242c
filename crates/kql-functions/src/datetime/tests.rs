use super::*;
use crate::common::invoke_udf;
use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::{
    DurationNanosecondType, Float64Type, Int32Type, Int64Type, TimestampNanosecondType,
};
use datafusion::common::ScalarValue;

/// Parses `YYYY-MM-DD[ HH:MM[:SS[.fffffff]]]` into ns since the epoch (test helper).
fn dt(s: &str) -> i64 {
    let (date, time) = s.split_once(' ').unwrap_or((s, "00:00"));
    let d: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let t: Vec<i64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
    let sec = t.get(2).copied().unwrap_or(0);
    let mut frac_ns = 0i64;
    if !frac.is_empty() {
        let padded = format!("{frac:0<9}");
        frac_ns = padded[..9].parse().unwrap();
    }
    days_from_civil(d[0], d[1] as u32, d[2] as u32) * NS_PER_DAY
        + t[0] * NS_PER_HOUR
        + t[1] * NS_PER_MIN
        + sec * NS_PER_SEC
        + frac_ns
}

fn sdt(s: &str) -> ColumnarValue {
    ColumnarValue::Scalar(ScalarValue::TimestampNanosecond(
        Some(dt(s)),
        Some("UTC".into()),
    ))
}
fn sts(ns: i64) -> ColumnarValue {
    ColumnarValue::Scalar(ScalarValue::DurationNanosecond(Some(ns)))
}
fn si(v: i64) -> ColumnarValue {
    ColumnarValue::Scalar(ScalarValue::Int64(Some(v)))
}
fn sf(v: f64) -> ColumnarValue {
    ColumnarValue::Scalar(ScalarValue::Float64(Some(v)))
}
fn ss(v: &str) -> ColumnarValue {
    ColumnarValue::Scalar(ScalarValue::Utf8(Some(v.to_string())))
}

fn call(k: DtFn, args: Vec<ColumnarValue>) -> ArrayRef {
    invoke_udf(&KqlScalar::udf(k), args).unwrap()
}
fn call_dt(k: DtFn, args: Vec<ColumnarValue>) -> Option<i64> {
    let r = call(k, args);
    assert_eq!(r.data_type(), &dt_type());
    let a = r.as_primitive::<TimestampNanosecondType>();
    if a.is_null(0) { None } else { Some(a.value(0)) }
}
fn call_ts(k: DtFn, args: Vec<ColumnarValue>) -> Option<i64> {
    let r = call(k, args);
    let a = r.as_primitive::<DurationNanosecondType>();
    if a.is_null(0) { None } else { Some(a.value(0)) }
}
fn call_i64(k: DtFn, args: Vec<ColumnarValue>) -> Option<i64> {
    let r = call(k, args);
    let a = r.as_primitive::<Int64Type>();
    if a.is_null(0) { None } else { Some(a.value(0)) }
}
fn call_i32(k: DtFn, args: Vec<ColumnarValue>) -> Option<i32> {
    let r = call(k, args);
    let a = r.as_primitive::<Int32Type>();
    if a.is_null(0) { None } else { Some(a.value(0)) }
}
fn call_f64(k: DtFn, args: Vec<ColumnarValue>) -> Option<f64> {
    let r = call(k, args);
    let a = r.as_primitive::<Float64Type>();
    if a.is_null(0) { None } else { Some(a.value(0)) }
}
fn call_str(k: DtFn, args: Vec<ColumnarValue>) -> String {
    let r = call(k, args);
    r.as_string::<i32>().value(0).to_string()
}

const H: i64 = NS_PER_HOUR;
const D: i64 = NS_PER_DAY;

// https://learn.microsoft.com/kusto/query/bin-function
#[test]
fn bin_documented() {
    assert_eq!(call_f64(DtFn::Bin, vec![sf(4.5), si(1)]), Some(4.0));
    assert_eq!(
        call_ts(DtFn::Bin, vec![sts(16 * D), sts(7 * D)]),
        Some(14 * D)
    );
    assert_eq!(
        call_dt(DtFn::Bin, vec![sdt("1970-05-11 13:45:07"), sts(D)]),
        Some(dt("1970-05-11"))
    );
    // "round(2.15, 1) returns 2.2 while bin(2.15, 1) returns 2" (round-function page)
    assert_eq!(call_f64(DtFn::Bin, vec![sf(2.15), si(1)]), Some(2.0));
}

// kql-semantics §7.5: negative values floor toward -inf, ints stay ints, 7d bins start on
// Mondays, non-positive sizes give null.
#[test]
fn bin_semantics() {
    assert_eq!(call_f64(DtFn::Bin, vec![sf(-4.5), si(1)]), Some(-5.0));
    assert_eq!(call_i64(DtFn::Bin, vec![si(-1), si(10)]), Some(-10));
    assert_eq!(call_i64(DtFn::Bin, vec![si(17), si(5)]), Some(15));
    let r = call(DtFn::Bin, vec![si(17), si(5)]);
    assert_eq!(r.data_type(), &DataType::Int64);
    // 2007-01-03 (Wednesday) → Monday 2007-01-01; 2007-01-10 → 2007-01-08
    assert_eq!(
        call_dt(DtFn::Bin, vec![sdt("2007-01-03 10:00"), sts(7 * D)]),
        Some(dt("2007-01-01"))
    );
    assert_eq!(
        call_dt(DtFn::Bin, vec![sdt("2007-01-10"), sts(7 * D)]),
        Some(dt("2007-01-08"))
    );
    assert_eq!(call_i64(DtFn::Bin, vec![si(5), si(0)]), None);
    assert_eq!(call_i64(DtFn::Bin, vec![si(5), si(-2)]), None);
    assert_eq!(call_f64(DtFn::Bin, vec![sf(5.0), sf(-2.0)]), None);
    assert_eq!(call_dt(DtFn::Bin, vec![sdt("2007-01-10"), sts(0)]), None);
    assert_eq!(
        call_dt(DtFn::Floor, vec![sdt("2017-05-15 10:20"), sts(H)]),
        Some(dt("2017-05-15 10:00"))
    );
    // pre-epoch datetimes floor downwards
    assert_eq!(
        call_dt(DtFn::Bin, vec![sdt("1969-12-31 23:00"), sts(D)]),
        Some(dt("1969-12-31"))
    );
    // overflow → null, never a panic
    assert_eq!(call_i64(DtFn::Bin, vec![si(i64::MIN), si(3)]), None);
    assert_eq!(call_i64(DtFn::Bin, vec![si(i64::MIN), si(i64::MAX)]), None);
    let u = KqlScalar::udf(DtFn::Bin);
    assert!(u.return_type(&[dt_type(), DataType::Int64]).is_err());
    assert!(u.return_type(&[DataType::Utf8, DataType::Int64]).is_err());
}

// https://learn.microsoft.com/kusto/query/bin-at-function
#[test]
fn bin_at_documented() {
    assert_eq!(
        call_f64(DtFn::BinAt, vec![sf(6.5), sf(2.5), si(7)]),
        Some(4.5)
    );
    assert_eq!(
        call_ts(DtFn::BinAt, vec![sts(H), sts(D), sts(12 * H)]),
        Some(-12 * H)
    );
    assert_eq!(
        call_dt(
            DtFn::BinAt,
            vec![
                sdt("2017-05-15 10:20:00"),
                sts(D),
                sdt("1970-01-01 12:00:00")
            ]
        ),
        Some(dt("2017-05-14 12:00"))
    );
    assert_eq!(
        call_dt(
            DtFn::BinAt,
            vec![
                sdt("2017-05-17 10:20:00"),
                sts(7 * D),
                sdt("2017-06-04 00:00:00")
            ]
        ),
        Some(dt("2017-05-14"))
    );
    assert_eq!(
        call_dt(
            DtFn::BinAt,
            vec![sdt("2018-02-23 16:14"), sts(D), sdt("2018-02-24 15:14:00")]
        ),
        Some(dt("2018-02-23 15:14"))
    );
}

// https://learn.microsoft.com/kusto/query/datetime-add-function
#[test]
fn datetime_add_documented() {
    let base = "2017-01-01";
    let cases = [
        ("year", 1, "2018-01-01"),
        ("quarter", 1, "2017-04-01"),
        ("month", 1, "2017-02-01"),
        ("week", 1, "2017-01-08"),
        ("day", 1, "2017-01-02"),
        ("hour", 1, "2017-01-01 01:00"),
        ("minute", 1, "2017-01-01 00:01"),
        ("second", 1, "2017-01-01 00:00:01"),
        ("year", -5, "2012-01-01"),
        ("quarter", 12, "2020-01-01"),
        ("month", -15, "2015-10-01"),
        ("week", 100, "2018-12-02"),
    ];
    for (p, n, want) in cases {
        assert_eq!(
            call_dt(DtFn::DatetimeAdd, vec![ss(p), si(n), sdt(base)]),
            Some(dt(want)),
            "{p} {n}"
        );
    }
}

// kql-semantics §7.3: case-insensitive, AddMonths clamping [I]; unverified against ADX
#[test]
fn datetime_add_edges() {
    assert_eq!(
        call_dt(
            DtFn::DatetimeAdd,
            vec![ss("Month"), si(1), sdt("2017-01-31 10:00")]
        ),
        Some(dt("2017-02-28 10:00"))
    );
    assert_eq!(
        call_dt(
            DtFn::DatetimeAdd,
            vec![ss("YEAR"), si(1), sdt("2016-02-29")]
        ),
        Some(dt("2017-02-28"))
    );
    assert_eq!(
        call_dt(
            DtFn::DatetimeAdd,
            vec![ss("millisecond"), si(5), sdt("2017-01-01")]
        ),
        Some(dt("2017-01-01") + 5_000_000)
    );
    assert_eq!(
        call_dt(
            DtFn::DatetimeAdd,
            vec![ss("nanosecond"), si(150), sdt("2017-01-01")]
        ),
        Some(dt("2017-01-01") + 100)
    );
    assert_eq!(
        call_dt(
            DtFn::DatetimeAdd,
            vec![ss("year"), si(i64::MAX), sdt("2017-01-01")]
        ),
        None
    );
    assert_eq!(
        call_dt(
            DtFn::DatetimeAdd,
            vec![ss("day"), si(i64::MIN), sdt("2017-01-01")]
        ),
        None
    );
    // unknown period: an error, not a silent null
    let r = invoke_udf(
        &KqlScalar::udf(DtFn::DatetimeAdd),
        vec![ss("fortnight"), si(1), sdt("2017-01-01")],
    );
    assert!(r.is_err());
}

// https://learn.microsoft.com/kusto/query/datetime-diff-function
#[test]
fn datetime_diff_documented() {
    let cases = [
        ("year", "2017-01-01", "2000-12-31", 17),
        ("quarter", "2017-07-01", "2017-03-30", 2),
        ("month", "2017-01-01", "2015-12-30", 13),
        ("week", "2017-10-29 00:00", "2017-09-30 23:59", 5),
        ("day", "2017-10-29 00:00", "2017-09-30 23:59", 29),
        ("hour", "2017-10-31 01:00", "2017-10-30 23:59", 2),
        ("minute", "2017-10-30 23:05:01", "2017-10-30 23:00:59", 5),
        (
            "second",
            "2017-10-30 23:00:10.100",
            "2017-10-30 23:00:00.900",
            10,
        ),
        (
            "millisecond",
            "2017-10-30 23:00:00.200100",
            "2017-10-30 23:00:00.100900",
            100,
        ),
        (
            "microsecond",
            "2017-10-30 23:00:00.1009001",
            "2017-10-30 23:00:00.1008009",
            100,
        ),
        (
            "nanosecond",
            "2017-10-30 23:00:00.0000000",
            "2017-10-30 23:00:00.0000007",
            -700,
        ),
    ];
    for (p, a, b, want) in cases {
        assert_eq!(
            call_i64(DtFn::DatetimeDiff, vec![ss(p), sdt(a), sdt(b)]),
            Some(want),
            "{p}"
        );
    }
}

// https://learn.microsoft.com/kusto/query/datetime-part-function
#[test]
fn datetime_part_documented() {
    let d = "2017-10-30 01:02:03.7654321";
    let cases = [
        ("year", 2017),
        ("quarter", 4),
        ("month", 10),
        ("week_of_year", 44),
        ("day", 30),
        ("dayOfYear", 303),
        ("hour", 1),
        ("minute", 2),
        ("second", 3),
        ("millisecond", 765),
        ("microsecond", 765432),
        ("nanosecond", 765432100),
    ];
    for (p, want) in cases {
        assert_eq!(
            call_i32(DtFn::DatetimePart, vec![ss(p), sdt(d)]),
            Some(want),
            "{p}"
        );
    }
}

// https://learn.microsoft.com/kusto/query/startofweek-function (and the start/end pages)
#[test]
fn start_end_documented() {
    let d = "2017-01-01 10:10:17";
    for (off, want) in [(-1, "2016-12-25"), (0, "2017-01-01"), (1, "2017-01-08")] {
        assert_eq!(
            call_dt(DtFn::StartOfWeek, vec![sdt(d), si(off)]),
            Some(dt(want))
        );
    }
    let last = |s: &str| dt(s) + NS_PER_DAY - TICK_NS;
    for (off, want) in [(-1, "2016-12-31"), (0, "2017-01-31"), (1, "2017-02-28")] {
        assert_eq!(
            call_dt(DtFn::EndOfMonth, vec![sdt(d), si(off)]),
            Some(last(want))
        );
    }
    for (off, want) in [(-1, "2016-12-31"), (0, "2017-01-01"), (1, "2017-01-02")] {
        assert_eq!(
            call_dt(DtFn::EndOfDay, vec![sdt(d), si(off)]),
            Some(last(want))
        );
    }
    // unverified against ADX beyond the documented rows (same rules)
    assert_eq!(
        call_dt(DtFn::StartOfDay, vec![sdt(d)]),
        Some(dt("2017-01-01"))
    );
    assert_eq!(
        call_dt(DtFn::StartOfMonth, vec![sdt("2017-03-31 10:00"), si(-1)]),
        Some(dt("2017-02-01"))
    );
    assert_eq!(
        call_dt(DtFn::StartOfYear, vec![sdt(d), si(2)]),
        Some(dt("2019-01-01"))
    );
    assert_eq!(
        call_dt(DtFn::EndOfYear, vec![sdt(d)]),
        Some(last("2017-12-31"))
    );
    assert_eq!(
        call_dt(DtFn::EndOfWeek, vec![sdt(d)]),
        Some(last("2017-01-07"))
    );
    assert_eq!(call_dt(DtFn::StartOfYear, vec![sdt(d), si(i64::MAX)]), None);
    assert_eq!(call_dt(DtFn::StartOfWeek, vec![sdt(d), si(i64::MIN)]), None);
}

// https://learn.microsoft.com/kusto/query/dayofweek-function
// https://learn.microsoft.com/kusto/query/week-of-year-function
// https://learn.microsoft.com/kusto/query/monthofyear-function
// https://learn.microsoft.com/kusto/query/getyear-function
// https://learn.microsoft.com/kusto/query/day-of-year-function (2015-12-14 → 348)
#[test]
fn components_documented() {
    assert_eq!(call_ts(DtFn::DayOfWeek, vec![sdt("2015-12-14")]), Some(D));
    assert_eq!(
        call_ts(DtFn::DayOfWeek, vec![sdt("1947-11-29 10:00:05")]),
        Some(6 * D)
    );
    assert_eq!(call_ts(DtFn::DayOfWeek, vec![sdt("1970-05-11")]), Some(D));
    assert_eq!(
        call_i32(DtFn::WeekOfYear, vec![sdt("2020-12-31")]),
        Some(53)
    );
    assert_eq!(
        call_i32(DtFn::WeekOfYear, vec![sdt("2020-06-15")]),
        Some(25)
    );
    assert_eq!(call_i32(DtFn::WeekOfYear, vec![sdt("1970-01-01")]), Some(1));
    assert_eq!(
        call_i32(DtFn::WeekOfYear, vec![sdt("2000-01-01")]),
        Some(52)
    );
    assert_eq!(
        call_i32(DtFn::MonthOfYear, vec![sdt("2015-12-14")]),
        Some(12)
    );
    assert_eq!(call_i32(DtFn::GetMonth, vec![sdt("2015-12-14")]), Some(12));
    assert_eq!(call_i32(DtFn::GetYear, vec![sdt("2015-10-12")]), Some(2015));
    assert_eq!(
        call_i32(DtFn::DayOfMonth, vec![sdt("2015-12-14")]),
        Some(14)
    );
    assert_eq!(
        call_i32(DtFn::DayOfYear, vec![sdt("2015-12-14")]),
        Some(348)
    );
    assert_eq!(
        call_i32(DtFn::HourOfDay, vec![sdt("2015-12-14 18:54")]),
        Some(18)
    );
}

// https://learn.microsoft.com/kusto/query/format-datetime-function
#[test]
fn format_datetime_documented() {
    let d = "2017-01-29 09:00:05";
    assert_eq!(
        call_str(
            DtFn::FormatDatetime,
            vec![sdt(d), ss("yy-MM-dd [HH:mm:ss]")]
        ),
        "17-01-29 [09:00:05]"
    );
    assert_eq!(
        call_str(
            DtFn::FormatDatetime,
            vec![sdt(d), ss("yyyy-M-dd [H:mm:ss]")]
        ),
        "2017-1-29 [9:00:05]"
    );
    assert_eq!(
        call_str(
            DtFn::FormatDatetime,
            vec![sdt(d), ss("yy-MM-dd [hh:mm:ss tt]")]
        ),
        "17-01-29 [09:00:05 AM]"
    );
    // element table rows
    let f = |d: &str, fmt: &str| call_str(DtFn::FormatDatetime, vec![sdt(d), ss(fmt)]);
    assert_eq!(f("2009-06-15 13:45:30.6170000", "f"), "6");
    assert_eq!(f("2009-06-15 13:45:30.05", "f"), "0");
    assert_eq!(f("2009-06-15 13:45:30.0050000", "ff"), "00");
    assert_eq!(f("2009-06-15 13:45:30.6175425", "fffffff"), "6175425");
    assert_eq!(f("2009-06-15 13:45:30.0001150", "fffffff"), "0001150");
    assert_eq!(f("2009-06-15 13:45:30.0500000", "F"), "");
    assert_eq!(f("2009-06-15 13:45:30.6170000", "FFF"), "617");
    assert_eq!(f("2009-06-15 13:45:30.0001150", "FFFFFFF"), "000115");
    assert_eq!(f("2009-06-15 01:45:30", "h"), "1");
    assert_eq!(f("2009-06-15 13:45:30", "h"), "1");
    assert_eq!(f("2009-06-15 13:45:30", "hh"), "01");
    assert_eq!(f("2009-06-15 13:45:30", "H"), "13");
    assert_eq!(f("2009-06-15 01:09:30", "m"), "9");
    assert_eq!(f("2009-06-15 13:45:09", "s"), "9");
    assert_eq!(f("2009-06-15 13:45:09", "ss"), "09");
    assert_eq!(f("2009-06-15 13:45:30", "M"), "6");
    assert_eq!(f("2009-06-01 13:45:30", "d"), "1");
    assert_eq!(f("2009-06-15 13:45:30", "y"), "9");
    assert_eq!(f("2019-06-15 13:45:30", "yy"), "19");
    assert_eq!(f("1900-01-01", "yy"), "00");
    assert_eq!(f("1900-01-01", "yyyy"), "1900");
    assert_eq!(f("2009-06-15 13:45:09", "tt"), "PM");
}

// unverified against ADX: other characters are copied; undocumented specifiers are errors;
// a decimal point before an empty F element is dropped (.NET rule)
#[test]
fn format_datetime_edges() {
    let f = |d: &str, fmt: &str| call_str(DtFn::FormatDatetime, vec![sdt(d), ss(fmt)]);
    assert_eq!(
        f("2009-06-15 13:45:30", "yyyy-MM-ddTHH:mm:ss.FFF"),
        "2009-06-15T13:45:30"
    );
    assert_eq!(f("2009-06-15 12:00", "h tt"), "12 PM");
    assert_eq!(f("2009-06-15 00:30", "hh tt"), "12 AM");
    let r = invoke_udf(
        &KqlScalar::udf(DtFn::FormatDatetime),
        vec![sdt("2009-06-15"), ss("dd MMM yyyy")],
    );
    assert!(r.is_err());
    // null datetime → ""
    let r = call(
        DtFn::FormatDatetime,
        vec![
            ColumnarValue::Scalar(ScalarValue::TimestampNanosecond(None, Some("UTC".into()))),
            ss("yyyy"),
        ],
    );
    assert_eq!(r.as_string::<i32>().value(0), "");
    assert!(!r.is_null(0));
}

// https://learn.microsoft.com/kusto/query/format-timespan-function
#[test]
fn format_timespan_documented() {
    let t = 29 * D + 9 * H + 5 * NS_PER_SEC + 123_450_000;
    assert_eq!(
        call_str(DtFn::FormatTimespan, vec![sts(t), ss("dd.hh:mm:ss:FF")]),
        "29.09:00:05:12"
    );
    assert_eq!(
        call_str(
            DtFn::FormatTimespan,
            vec![sts(t), ss("ddd.h:mm:ss [fffffff]")]
        ),
        "029.9:00:05 [1234500]"
    );
    let t15 = 15 * D + 13 * H + 45 * NS_PER_MIN + 30 * NS_PER_SEC;
    assert_eq!(
        call_str(DtFn::FormatTimespan, vec![sts(t15), ss("d")]),
        "15"
    );
    assert_eq!(
        call_str(DtFn::FormatTimespan, vec![sts(t15), ss("ddd")]),
        "015"
    );
}

// https://learn.microsoft.com/kusto/query/make-datetime-function
// https://learn.microsoft.com/kusto/query/make-timespan-function
#[test]
fn make_documented() {
    assert_eq!(
        call_dt(DtFn::MakeDatetime, vec![si(2017), si(10), si(1)]),
        Some(dt("2017-10-01"))
    );
    assert_eq!(
        call_dt(
            DtFn::MakeDatetime,
            vec![si(2017), si(10), si(1), si(12), si(10)]
        ),
        Some(dt("2017-10-01 12:10"))
    );
    assert_eq!(
        call_dt(
            DtFn::MakeDatetime,
            vec![si(2017), si(10), si(1), si(12), si(11), sf(0.1234567)]
        ),
        Some(dt("2017-10-01 12:11:00.1234567"))
    );
    assert_eq!(
        call_ts(DtFn::MakeTimespan, vec![si(1), si(12), si(30), sf(55.123)]),
        Some(D + 12 * H + 30 * NS_PER_MIN + 55_123_000_000)
    );
    // unverified against ADX: invalid components → null
    assert_eq!(
        call_dt(DtFn::MakeDatetime, vec![si(2017), si(2), si(29)]),
        None
    );
    assert_eq!(
        call_dt(DtFn::MakeDatetime, vec![si(2017), si(13), si(1)]),
        None
    );
    assert_eq!(
        call_dt(DtFn::MakeDatetime, vec![si(1500), si(1), si(1)]),
        None
    );
    assert_eq!(
        call_ts(DtFn::MakeTimespan, vec![si(2), si(30)]),
        Some(2 * H + 30 * NS_PER_MIN)
    );
    assert_eq!(call_ts(DtFn::MakeTimespan, vec![si(25), si(0)]), None);
}

// https://learn.microsoft.com/kusto/query/unixtime-seconds-todatetime-function (and the
// milli/micro/nanoseconds pages)
#[test]
fn unixtime_documented() {
    let want = Some(dt("2019-01-01"));
    assert_eq!(call_dt(DtFn::UnixSeconds, vec![si(1546300800)]), want);
    assert_eq!(call_dt(DtFn::UnixMillis, vec![si(1546300800000)]), want);
    assert_eq!(call_dt(DtFn::UnixMicros, vec![si(1546300800000000)]), want);
    assert_eq!(
        call_dt(DtFn::UnixNanos, vec![si(1546300800000000000)]),
        want
    );
    assert_eq!(call_dt(DtFn::UnixSeconds, vec![sf(1546300800.0)]), want);
    // unverified against ADX: fractions, overflow, NaN
    assert_eq!(
        call_dt(DtFn::UnixSeconds, vec![sf(1.5)]),
        Some(1_500_000_000)
    );
    assert_eq!(call_dt(DtFn::UnixNanos, vec![si(150)]), Some(100));
    assert_eq!(call_dt(DtFn::UnixSeconds, vec![si(i64::MAX)]), None);
    assert_eq!(call_dt(DtFn::UnixSeconds, vec![sf(f64::NAN)]), None);
    assert_eq!(call_dt(DtFn::UnixSeconds, vec![sf(1e300)]), None);
}

// https://learn.microsoft.com/kusto/query/numerical-operators (`1s * 5`, `10m / 1s`)
#[test]
fn timespan_arithmetic() {
    assert_eq!(
        call_ts(DtFn::TimespanMul, vec![sts(NS_PER_SEC), si(5)]),
        Some(5 * NS_PER_SEC)
    );
    assert_eq!(
        call_ts(DtFn::TimespanMul, vec![si(5), sts(NS_PER_SEC)]),
        Some(5 * NS_PER_SEC)
    );
    assert_eq!(
        call_ts(DtFn::TimespanMul, vec![sts(D), sf(1.5)]),
        Some(36 * H)
    );
    assert_eq!(
        call_f64(
            DtFn::TimespanDiv,
            vec![sts(10 * NS_PER_MIN), sts(NS_PER_SEC)]
        ),
        Some(600.0)
    );
    assert_eq!(call_ts(DtFn::TimespanDiv, vec![sts(D), si(4)]), Some(6 * H));
    assert_eq!(
        call_ts(DtFn::TimespanDiv, vec![sts(D), sf(0.5)]),
        Some(2 * D)
    );
    // unverified against ADX: by zero, overflow, rounding to ticks
    assert_eq!(call_ts(DtFn::TimespanDiv, vec![sts(D), si(0)]), None);
    assert_eq!(call_ts(DtFn::TimespanDiv, vec![sts(D), sf(0.0)]), None);
    assert_eq!(call_ts(DtFn::TimespanMul, vec![sts(D), si(i64::MAX)]), None);
    assert_eq!(call_ts(DtFn::TimespanDiv, vec![sts(300), si(2)]), Some(200));
    assert_eq!(call_ts(DtFn::TimespanDiv, vec![sts(500), si(2)]), Some(200));
    assert_eq!(
        call_ts(DtFn::TimespanDiv, vec![sts(-500), si(2)]),
        Some(-200)
    );
    assert_eq!(
        call_ts(DtFn::TimespanDiv, vec![sts(500), si(-2)]),
        Some(-200)
    );
}

#[test]
fn arrays_nulls_and_every_udf_survives_odd_values() {
    // A datetime column with nulls and extreme values through every single-argument UDF.
    let col: ArrayRef = Arc::new(
        TimestampNanosecondArray::from(vec![Some(i64::MIN), None, Some(0), Some(i64::MAX)])
            .with_timezone("UTC"),
    );
    for k in [
        DtFn::DayOfWeek,
        DtFn::DayOfMonth,
        DtFn::DayOfYear,
        DtFn::WeekOfYear,
        DtFn::MonthOfYear,
        DtFn::GetMonth,
        DtFn::GetYear,
        DtFn::HourOfDay,
        DtFn::StartOfDay,
        DtFn::StartOfWeek,
        DtFn::StartOfMonth,
        DtFn::StartOfYear,
        DtFn::EndOfDay,
        DtFn::EndOfWeek,
        DtFn::EndOfMonth,
        DtFn::EndOfYear,
    ] {
        let r = call(k, vec![ColumnarValue::Array(Arc::clone(&col))]);
        assert_eq!(r.len(), 4);
        assert!(r.is_null(1));
    }
    for p in ["year", "quarter", "month", "week", "day", "nanosecond"] {
        let r = call(
            DtFn::DatetimeDiff,
            vec![
                ss(p),
                ColumnarValue::Array(Arc::clone(&col)),
                sdt("2000-01-01"),
            ],
        );
        assert_eq!(r.len(), 4);
        let r = call(
            DtFn::DatetimeAdd,
            vec![ss(p), si(1), ColumnarValue::Array(Arc::clone(&col))],
        );
        assert_eq!(r.len(), 4);
        assert!(r.is_null(3) || p == "nanosecond");
    }
    let r = call(
        DtFn::FormatDatetime,
        vec![
            ColumnarValue::Array(Arc::clone(&col)),
            ss("yyyy-MM-dd HH:mm:ss.fffffff tt"),
        ],
    );
    assert_eq!(
        r.as_string::<i32>().value(0),
        "1677-09-21 00:12:43.1452241 AM"
    );
    assert_eq!(
        r.as_string::<i32>().value(3),
        "2262-04-11 23:47:16.8547758 PM"
    );
    let r = call(
        DtFn::FormatTimespan,
        vec![sts(i64::MIN), ss("dddddddd.HH:mm:ss.fffffff")],
    );
    assert_eq!(r.as_string::<i32>().value(0), "00106751.23:47:16.8547758");
    // a period column with a null row
    let periods: ArrayRef = Arc::new(StringArray::from(vec![Some("day"), None]));
    let r = call(
        DtFn::DatetimeAdd,
        vec![ColumnarValue::Array(periods), si(1), sdt("2000-01-01")],
    );
    assert_eq!(r.len(), 2);
    assert!(!r.is_null(0));
    assert!(r.is_null(1));
}

/// The UDFs planned and executed by DataFusion: argument coercion (Int32 → Int64,
/// timestamp without zone → UTC, Utf8View) and partitioned execution.
#[tokio::test]
async fn through_datafusion_planner() {
    use datafusion::arrow::array::{Int32Array, RecordBatch, StringViewArray};
    use datafusion::arrow::datatypes::{Field, Schema, TimeUnit};
    use datafusion::datasource::MemTable;
    use datafusion::logical_expr::{col, lit};
    use datafusion::prelude::SessionContext;

    let schema = Arc::new(Schema::new(vec![
        Field::new("ts", DataType::Timestamp(TimeUnit::Nanosecond, None), true),
        Field::new("n", DataType::Int32, true),
        Field::new("p", DataType::Utf8View, true),
    ]));
    let batch = RecordBatch::try_new(
        Arc::clone(&schema),
        vec![
            Arc::new(TimestampNanosecondArray::from(vec![
                Some(dt("2017-01-31 10:00")),
                None,
                Some(dt("2007-01-03 10:00")),
            ])),
            Arc::new(Int32Array::from(vec![Some(1), Some(2), None])),
            Arc::new(StringViewArray::from(vec!["month", "day", "year"])),
        ],
    )
    .unwrap();
    let ctx = SessionContext::new();
    for u in crate::scalar_udfs() {
        ctx.register_udf(u.as_ref().clone());
    }
    let t = MemTable::try_new(schema, vec![vec![batch.clone()], vec![batch]]).unwrap();
    let all = crate::scalar_udfs();
    let f = |name: &str| {
        all.iter()
            .find(|u| u.name() == name)
            .map(|u| u.as_ref().clone())
            .unwrap()
    };
    let df = ctx
        .read_table(Arc::new(t))
        .unwrap()
        .select(vec![
            f("kql_datetime_add")
                .call(vec![col("p"), col("n"), col("ts")])
                .alias("added"),
            f("kql_bin")
                .call(vec![
                    col("ts"),
                    lit(ScalarValue::DurationNanosecond(Some(7 * D))),
                ])
                .alias("week"),
            f("kql_bin").call(vec![col("n"), lit(2i32)]).alias("nbin"),
            f("kql_format_datetime")
                .call(vec![col("ts"), lit("yyyy-MM-dd")])
                .alias("text"),
        ])
        .unwrap();
    let batches = df.collect().await.unwrap();
    let b = &batches[0];
    assert_eq!(b.schema().field(0).data_type(), &dt_type());
    let added = b.column(0).as_primitive::<TimestampNanosecondType>();
    assert_eq!(added.value(0), dt("2017-02-28 10:00"));
    assert!(added.is_null(1));
    assert!(added.is_null(2));
    let week = b.column(1).as_primitive::<TimestampNanosecondType>();
    assert_eq!(week.value(2), dt("2007-01-01"));
    assert_eq!(b.column(2).data_type(), &DataType::Int64);
    assert_eq!(b.column(2).as_primitive::<Int64Type>().value(0), 0);
    assert_eq!(b.column(3).as_string::<i32>().value(1), "");
    assert_eq!(b.column(3).as_string::<i32>().value(2), "2007-01-03");
}

/// The one-pass `bin(x, constant)` agrees with the general per-row `bin` (i128 arithmetic)
/// on datetimes, timespans and longs around 0, before 1970, near the i64 limits, and for
/// sizes that do not divide the 0001-01-01 origin offset (7d, 13m, 1ns).
#[test]
fn bin_by_constant_agrees_with_bin() {
    let values: Vec<i64> = vec![
        0,
        1,
        -1,
        17,
        -17,
        1_741_610_096_789_000_000,
        -5_000_000_000_000_000_000,
        i64::MAX,
        i64::MIN,
        i64::MIN + 1,
        999_999_999_999,
    ];
    let sizes: Vec<i64> = vec![
        1,
        10,
        3_600_000_000_000,
        7 * 86_400_000_000_000,
        780_000_000_000,
    ];
    let arrays: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(values.clone())),
        Arc::new(DurationNanosecondArray::from(values.clone())),
        Arc::new(TimestampNanosecondArray::from(values.clone()).with_timezone("UTC")),
    ];
    for arr in &arrays {
        for &s in &sizes {
            let scalar = match arr.data_type() {
                DataType::Int64 => ScalarValue::Int64(Some(s)),
                _ => ScalarValue::DurationNanosecond(Some(s)),
            };
            let fast = bin_by_constant(arr, Some(&ColumnarValue::Scalar(scalar.clone())))
                .expect("fast path applies");
            let size = scalar.to_array_of_size(arr.len()).expect("size array");
            let slow = bin(arr, &size, None).expect("bin");
            assert_eq!(fast.data_type(), slow.data_type());
            assert_eq!(&fast, &slow, "size {s} over {:?}", arr.data_type());
        }
    }
    // Not applicable: a non-positive or non-constant size.
    let zero = ColumnarValue::Scalar(ScalarValue::Int64(Some(0)));
    assert!(bin_by_constant(&arrays[0], Some(&zero)).is_none());
    assert!(bin_by_constant(&arrays[0], None).is_none());
}

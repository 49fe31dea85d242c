//! Parsing of text into KQL scalar values (kql-semantics §7.1, §7.4). The planner uses
//! [`parse_datetime`] and [`parse_timespan`] for `datetime(...)` / `timespan(...)` literals
//! and for `--now`, so they accept everything a literal may contain.

use crate::convert::format::NANOS_PER_TICK;

/// Ticks (100 ns) between 0001-01-01 and the Unix epoch.
pub const EPOCH_TICKS: i64 = 621_355_968_000_000_000;

const NS_PER_SEC: i128 = 1_000_000_000;

/// Days from 1970-01-01 to the given proleptic Gregorian date (`None` if invalid).
fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    // Howard Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if is_leap(y) {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

/// A byte cursor for the small hand-written parsers below.
struct Cur<'a> {
    s: &'a [u8],
    p: usize,
}

impl<'a> Cur<'a> {
    fn new(s: &'a str) -> Self {
        Cur {
            s: s.as_bytes(),
            p: 0,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.p).copied()
    }
    fn eof(&self) -> bool {
        self.p >= self.s.len()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.p += 1;
            true
        } else {
            false
        }
    }
    fn skip_ws(&mut self) -> usize {
        let start = self.p;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.p += 1;
        }
        self.p - start
    }
    /// Reads `min..=max` ASCII digits.
    fn digits(&mut self, min: usize, max: usize) -> Option<(u64, usize)> {
        let start = self.p;
        let mut v: u64 = 0;
        while self.p - start < max {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + u64::from(c - b'0');
                    self.p += 1;
                }
                _ => break,
            }
        }
        let n = self.p - start;
        if n < min {
            self.p = start;
            return None;
        }
        Some((v, n))
    }
    /// Reads an ASCII word (letters only).
    fn word(&mut self) -> &'a str {
        let start = self.p;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphabetic()) {
            self.p += 1;
        }
        std::str::from_utf8(&self.s[start..self.p]).unwrap_or("")
    }
}

/// Time of day parsed from `H[H]:MM[:SS[.fffffff]] [AM|PM]`, in ns.
fn parse_time(c: &mut Cur) -> Option<i64> {
    let (h, _) = c.digits(1, 2)?;
    if !c.eat(b':') {
        return None;
    }
    let (mi, _) = c.digits(2, 2)?;
    let mut s = 0;
    let mut frac_ns: i64 = 0;
    if c.eat(b':') {
        s = c.digits(2, 2)?.0;
        if c.eat(b'.') {
            let start = c.p;
            let mut ns: i64 = 0;
            let mut n = 0;
            while let Some(ch @ b'0'..=b'9') = c.peek() {
                if n < 9 {
                    ns = ns * 10 + i64::from(ch - b'0');
                }
                n += 1;
                c.p += 1;
            }
            if c.p == start {
                return None;
            }
            for _ in n..9 {
                ns *= 10;
            }
            frac_ns = ns;
        }
    }
    let mut h = h;
    // Optional AM/PM designator (.NET invariant culture).
    let save = c.p;
    c.skip_ws();
    let w = c.word();
    match w.to_ascii_uppercase().as_str() {
        "AM" if (1..=12).contains(&h) => {
            if h == 12 {
                h = 0;
            }
        }
        "PM" if (1..=12).contains(&h) => {
            if h != 12 {
                h += 12;
            }
        }
        _ => c.p = save,
    }
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(((h * 3600 + mi * 60 + s) as i64) * 1_000_000_000 + frac_ns)
}

/// Optional time zone suffix; returns the offset in seconds to *subtract* to get UTC.
/// Accepts `Z`, `GMT`, `UT`, `UTC`, `±hh[:mm]`, `±hhmm` and the RFC 822 US zones.
fn parse_zone(c: &mut Cur) -> Option<i64> {
    let save = c.p;
    c.skip_ws();
    if c.eof() {
        c.p = save;
        return Some(0);
    }
    match c.peek() {
        Some(b'Z') | Some(b'z') => {
            c.p += 1;
            Some(0)
        }
        Some(sign @ (b'+' | b'-')) => {
            c.p += 1;
            let (hh, _) = c.digits(2, 2)?;
            let mm = if c.eat(b':') {
                c.digits(2, 2)?.0
            } else {
                c.digits(2, 2).map(|d| d.0).unwrap_or(0)
            };
            if hh > 14 || mm > 59 {
                return None;
            }
            let off = (hh * 3600 + mm * 60) as i64;
            Some(if sign == b'+' { off } else { -off })
        }
        _ => {
            let w = c.word().to_ascii_uppercase();
            let off = match w.as_str() {
                "GMT" | "UT" | "UTC" => 0,
                "EST" => -5,
                "EDT" => -4,
                "CST" => -6,
                "CDT" => -5,
                "MST" => -7,
                "MDT" => -6,
                "PST" => -8,
                "PDT" => -7,
                _ => return None,
            };
            Some(off * 3600)
        }
    }
}

fn month_from_name(w: &str) -> Option<u32> {
    let w = w.to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    for (k, (a, b)) in names.iter().zip(full.iter()).enumerate() {
        if w == *a || w == *b || (k == 8 && w == "sept") {
            return Some(k as u32 + 1);
        }
    }
    None
}

fn is_weekday_name(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "mon"
            | "tue"
            | "wed"
            | "thu"
            | "fri"
            | "sat"
            | "sun"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "tues"
            | "thur"
            | "thurs"
    )
}

/// Two-digit years map like .NET's default `TwoDigitYearMax` (2049).
fn expand_year(y: u64, ndigits: usize) -> i64 {
    if ndigits <= 2 {
        if y < 50 {
            2000 + y as i64
        } else {
            1900 + y as i64
        }
    } else {
        y as i64
    }
}

/// Combines the parts into ns since the epoch, truncated to 100 ns, or `None` when the date
/// is invalid or outside the representable range (1677-09-21 … 2262-04-11).
fn assemble(y: i64, m: u32, d: u32, time_ns: i64, offset_s: i64) -> Option<i64> {
    if !(1..=9999).contains(&y) {
        return None;
    }
    let days = days_from_civil(y, m, d)?;
    let ns = i128::from(days) * 86_400 * NS_PER_SEC + i128::from(time_ns)
        - i128::from(offset_s) * NS_PER_SEC;
    let ns = ns - ns.rem_euclid(i128::from(NANOS_PER_TICK));
    i64::try_from(ns).ok()
}

/// Optional `[T| ]time[zone]` after a date; `None` when malformed.
fn parse_opt_time_and_zone(c: &mut Cur) -> Option<(i64, i64)> {
    if c.eof() {
        return Some((0, 0));
    }
    let save = c.p;
    let sep_t = c.eat(b'T') || c.eat(b't');
    let ws = if sep_t { 0 } else { c.skip_ws() };
    if !sep_t && ws == 0 {
        // Zone directly after the date (e.g. "2014-11-08Z").
        c.p = save;
        let z = parse_zone(c)?;
        return Some((0, z));
    }
    if c.eof() {
        return if sep_t { None } else { Some((0, 0)) };
    }
    let t_save = c.p;
    match parse_time(c) {
        Some(t) => {
            let z = parse_zone(c)?;
            Some((t, z))
        }
        None => {
            if sep_t {
                return None;
            }
            c.p = t_save;
            let z = parse_zone(c)?;
            Some((0, z))
        }
    }
}

/// `Y-M-D[ time]` with `-`, `/` or `.` separators (ISO 8601 and the "sortable" forms with
/// single-digit month/day).
fn parse_ymd(s: &str) -> Option<i64> {
    let mut c = Cur::new(s);
    let (y, yn) = c.digits(4, 4)?;
    let sep = c.peek()?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    c.p += 1;
    let (m, _) = c.digits(1, 2)?;
    if !c.eat(sep) {
        return None;
    }
    let (d, _) = c.digits(1, 2)?;
    let (t, z) = parse_opt_time_and_zone(&mut c)?;
    c.skip_ws();
    if !c.eof() {
        return None;
    }
    assemble(expand_year(y, yn), m as u32, d as u32, t, z)
}

/// `M/D/YYYY[ time]` or `M-D-YYYY[ time]` (.NET invariant culture is month-first).
/// // unverified against ADX (`todatetime('12-02-2022')` is documented to parse, but the
/// day/month order is not shown)
fn parse_mdy(s: &str) -> Option<i64> {
    let mut c = Cur::new(s);
    let (m, _) = c.digits(1, 2)?;
    let sep = c.peek()?;
    if !matches!(sep, b'-' | b'/') {
        return None;
    }
    c.p += 1;
    let (d, _) = c.digits(1, 2)?;
    if !c.eat(sep) {
        return None;
    }
    let (y, yn) = c.digits(4, 4)?;
    let (t, z) = parse_opt_time_and_zone(&mut c)?;
    c.skip_ws();
    if !c.eof() {
        return None;
    }
    assemble(expand_year(y, yn), m as u32, d as u32, t, z)
}

/// RFC 822 (`Sat, 8 Nov 14 15:05:02 GMT`) and RFC 850 (`Saturday, 08-Nov-14 15:05:02 GMT`),
/// weekday optional, 2- or 4-digit year.
fn parse_rfc(s: &str) -> Option<i64> {
    let mut c = Cur::new(s);
    let save = c.p;
    let w = c.word();
    if !w.is_empty() {
        if !is_weekday_name(w) {
            return None;
        }
        c.eat(b',');
        c.skip_ws();
    } else {
        c.p = save;
    }
    let (d, _) = c.digits(1, 2)?;
    let dash = c.eat(b'-');
    if !dash && c.skip_ws() == 0 {
        return None;
    }
    let m = month_from_name(c.word())?;
    if dash {
        if !c.eat(b'-') {
            return None;
        }
    } else if c.skip_ws() == 0 {
        return None;
    }
    let (y, yn) = c.digits(2, 4)?;
    if yn == 3 {
        return None;
    }
    if c.skip_ws() == 0 {
        return None;
    }
    let t = parse_time(&mut c)?;
    let z = parse_zone(&mut c)?;
    c.skip_ws();
    if !c.eof() {
        return None;
    }
    assemble(expand_year(y, yn), m, d as u32, t, z)
}

/// Parses a KQL datetime string (ISO 8601 with or without `T`/`Z`/seconds/fraction,
/// date-only, RFC 822, RFC 850, sortable forms with single-digit month/day, `M/D/YYYY`)
/// into nanoseconds since the Unix epoch, truncated to 100 ns. `None` when the text is not
/// a datetime or lies outside 1677-09-21 … 2262-04-11 (the `Timestamp(ns)` range).
///
/// Offsets other than `Z`/`GMT` (`+02:00`) are converted to UTC. // unverified against ADX
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || !s.is_ascii() {
        return None;
    }
    let first = s.as_bytes()[0];
    if first.is_ascii_digit() {
        parse_ymd(s)
            .or_else(|| parse_rfc(s))
            .or_else(|| parse_mdy(s))
    } else {
        parse_rfc(s)
    }
}

/// Units of timespan literals (`2d`, `1.5h`, `15 seconds`, `1tick`…), in ns.
fn timespan_unit_ns(unit: &str) -> Option<i128> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "d" | "day" | "days" => 86_400 * NS_PER_SEC,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600 * NS_PER_SEC,
        "m" | "min" | "mins" | "minute" | "minutes" => 60 * NS_PER_SEC,
        "s" | "sec" | "secs" | "second" | "seconds" => NS_PER_SEC,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 1_000_000,
        "micro" | "micros" | "microsecond" | "microseconds" => 1_000,
        "tick" | "ticks" => 100,
        "nano" | "nanos" | "nanosecond" | "nanoseconds" => 1,
        _ => return None,
    })
}

/// `123`, `1.5` as (integer part, fraction digits value, fraction digit count).
fn parse_decimal_parts(c: &mut Cur) -> Option<(u128, u128, u32)> {
    let start = c.p;
    let mut int: u128 = 0;
    while let Some(ch @ b'0'..=b'9') = c.peek() {
        int = int.checked_mul(10)?.checked_add(u128::from(ch - b'0'))?;
        c.p += 1;
    }
    let int_digits = c.p - start;
    let mut frac: u128 = 0;
    let mut nfrac: u32 = 0;
    if c.eat(b'.') {
        while let Some(ch @ b'0'..=b'9') = c.peek() {
            if nfrac < 18 {
                frac = frac * 10 + u128::from(ch - b'0');
                nfrac += 1;
            }
            c.p += 1;
        }
    }
    if int_digits == 0 && nfrac == 0 {
        return None;
    }
    Some((int, frac, nfrac))
}

/// `[-][d.]hh:mm[:ss[.fffffff]]` (.NET `TimeSpan` constant format; also a bare integer
/// meaning days, and `d:hh:mm:ss`).
fn parse_clock_timespan(s: &str) -> Option<i128> {
    let mut c = Cur::new(s);
    let (first, _) = c.digits(1, 8)?;
    if c.eof() {
        // A bare number of days (`time(2)` = 2 days).
        return Some(i128::from(first) * 86_400 * NS_PER_SEC);
    }
    let (days, h) = if c.eat(b'.') {
        let (h, _) = c.digits(1, 2)?;
        (first, h)
    } else {
        (0, first)
    };
    if !c.eat(b':') {
        return None;
    }
    let (mi, _) = c.digits(1, 2)?;
    let mut sec = 0u64;
    let mut frac_ns: i128 = 0;
    let (mut d, mut h, mut mi) = (days, h, mi);
    if c.eat(b':') {
        let (x, _) = c.digits(1, 2)?;
        sec = x;
        if c.eat(b':') {
            // d:hh:mm:ss
            if days != 0 {
                return None;
            }
            let (y, _) = c.digits(1, 2)?;
            d = h;
            h = mi;
            mi = sec;
            sec = y;
        }
        if c.eat(b'.') {
            let start = c.p;
            let mut ns: i128 = 0;
            let mut n = 0;
            while let Some(ch @ b'0'..=b'9') = c.peek() {
                if n < 9 {
                    ns = ns * 10 + i128::from(ch - b'0');
                }
                n += 1;
                c.p += 1;
            }
            if c.p == start || n > 7 {
                return None;
            }
            for _ in n..9 {
                ns *= 10;
            }
            frac_ns = ns;
        }
    }
    if !c.eof() || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    Some(
        ((i128::from(d) * 24 + i128::from(h)) * 3600 + i128::from(mi) * 60 + i128::from(sec))
            * NS_PER_SEC
            + frac_ns,
    )
}

/// Parses a KQL timespan: `[-][d.]hh:mm[:ss[.fffffff]]`, a bare number of days, or
/// literal-like `2d`, `1.5h`, `30m`, `10s`, `100ms`, `10microsecond`, `1tick`,
/// `15 seconds`. Returns nanoseconds truncated to 100 ns; `None` when invalid or out of
/// the `i64` ns range.
pub fn parse_timespan(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || !s.is_ascii() {
        return None;
    }
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let ns: i128 = if body.contains(':') {
        parse_clock_timespan(body)?
    } else {
        let mut c = Cur::new(body);
        let (int, frac, nfrac) = parse_decimal_parts(&mut c)?;
        c.skip_ws();
        let unit = &body[c.p..];
        if unit.is_empty() {
            if nfrac > 0 {
                return None;
            }
            parse_clock_timespan(body)?
        } else {
            let u = timespan_unit_ns(unit)?;
            let whole = int.checked_mul(u as u128)?;
            let f = frac.checked_mul(u as u128)? / 10u128.pow(nfrac);
            i128::try_from(whole.checked_add(f)?).ok()?
        }
    };
    let ns = if neg { -ns } else { ns };
    let ns = ns - ns % i128::from(NANOS_PER_TICK);
    i64::try_from(ns).ok()
}

/// Parses a long as `tolong(string)` does: optional sign and surrounding white space;
/// text with a fraction or exponent is parsed as a real and truncated toward zero.
/// // unverified against ADX for the fraction/whitespace cases
pub fn parse_long(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(v) = t.parse::<i64>() {
        return Some(v);
    }
    let f = parse_real(t)?;
    crate::convert::kit::f64_to_i64(f)
}

/// Parses a real with invariant-culture rules (`1e3`, `-0.5`, `NaN`, `Infinity`).
pub fn parse_real(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    match t.to_ascii_lowercase().as_str() {
        "nan" => return Some(f64::NAN),
        "infinity" | "+infinity" => return Some(f64::INFINITY),
        "-infinity" => return Some(f64::NEG_INFINITY),
        "inf" | "+inf" | "-inf" => return None,
        _ => {}
    }
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    t.parse::<f64>().ok()
}

/// Parses a bool: `true`/`false` in any case. // unverified against ADX for "1"/"0"
pub fn parse_bool(s: &str) -> Option<bool> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Parses a guid as `toguid` documents: the first 32 hex digits (hyphens are skipped; the
/// documented example `0123456789ab-cdef-0123-456789abcdef` parses, so their position is not
/// checked), the rest ignored; returns canonical lower-case `8-4-4-4-12` text.
pub fn parse_guid(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t.strip_prefix('{').unwrap_or(t);
    let mut hex = String::with_capacity(32);
    for ch in t.bytes() {
        if hex.len() == 32 {
            break;
        }
        if ch == b'-' {
            continue;
        }
        if !ch.is_ascii_hexdigit() {
            return None;
        }
        hex.push(ch.to_ascii_lowercase() as char);
    }
    if hex.len() < 32 {
        return None;
    }
    Some(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// Parses a decimal into an `i128` with `scale` fractional digits (for `Decimal128(38, s)`).
pub fn parse_decimal(s: &str, scale: u32) -> Option<i128> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if body.contains(['e', 'E']) {
        let f = parse_real(t)?;
        return decimal_from_f64(f, scale);
    }
    let mut c = Cur::new(body);
    let (int, frac, nfrac) = parse_decimal_parts(&mut c)?;
    if !c.eof() {
        return None;
    }
    let mut v = i128::try_from(int)
        .ok()?
        .checked_mul(10i128.checked_pow(scale)?)?;
    let mut frac = i128::try_from(frac).ok()?;
    let mut nf = nfrac;
    while nf > scale {
        frac /= 10;
        nf -= 1;
    }
    v = v.checked_add(frac.checked_mul(10i128.checked_pow(scale - nf)?)?)?;
    if v >= 10i128.pow(38) {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// A real as a scaled decimal (truncated), `None` when not finite or too large.
pub fn decimal_from_f64(f: f64, scale: u32) -> Option<i128> {
    if !f.is_finite() {
        return None;
    }
    let text = format!("{f:.*}", scale as usize);
    parse_decimal(&text, scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::format::{format_datetime, format_timespan};

    fn dt(s: &str) -> String {
        parse_datetime(s).map(format_datetime).unwrap_or_default()
    }

    // https://learn.microsoft.com/kusto/query/scalar-data-types/datetime (supported formats)
    #[test]
    fn iso_8601() {
        assert_eq!(
            dt("2014-05-25T08:20:03.123456Z"),
            "2014-05-25T08:20:03.1234560Z"
        );
        assert_eq!(
            dt("2014-05-25T08:20:03.123456"),
            "2014-05-25T08:20:03.1234560Z"
        );
        assert_eq!(dt("2014-05-25T08:20"), "2014-05-25T08:20:00.0000000Z");
        assert_eq!(
            dt("2014-11-08 15:55:55.123456Z"),
            "2014-11-08T15:55:55.1234560Z"
        );
        assert_eq!(dt("2014-11-08 15:55:55"), "2014-11-08T15:55:55.0000000Z");
        assert_eq!(dt("2014-11-08 15:55"), "2014-11-08T15:55:00.0000000Z");
        assert_eq!(dt("2014-11-08"), "2014-11-08T00:00:00.0000000Z");
        // https://learn.microsoft.com/kusto/query/todatetime-function
        assert_eq!(dt("2015-12-31 23:59:59.9"), "2015-12-31T23:59:59.9000000Z");
        assert_eq!(
            dt("2024-01-01T10:00:00.1234567Z"),
            "2024-01-01T10:00:00.1234567Z"
        );
        // more than 7 digits are truncated to ticks  // unverified against ADX
        assert_eq!(
            dt("2024-01-01T10:00:00.123456789Z"),
            "2024-01-01T10:00:00.1234567Z"
        );
    }

    // https://learn.microsoft.com/kusto/query/scalar-data-types/datetime (RFC 822 / 850)
    #[test]
    fn rfc_822_850() {
        let want = "2014-11-08T15:05:02.0000000Z";
        assert_eq!(dt("Sat, 8 Nov 14 15:05:02 GMT"), want);
        assert_eq!(dt("Sat, 8 Nov 14 15:05:02"), want);
        assert_eq!(dt("Sat, 8 Nov 14 15:05"), "2014-11-08T15:05:00.0000000Z");
        assert_eq!(
            dt("Sat, 8 Nov 14 15:05 GMT"),
            "2014-11-08T15:05:00.0000000Z"
        );
        assert_eq!(dt("8 Nov 14 15:05:02 GMT"), want);
        assert_eq!(dt("8 Nov 14 15:05:02"), want);
        assert_eq!(dt("8 Nov 14 15:05"), "2014-11-08T15:05:00.0000000Z");
        assert_eq!(dt("Saturday, 08-Nov-14 15:05:02 GMT"), want);
        assert_eq!(dt("Saturday, 08-Nov-14 15:05:02"), want);
        assert_eq!(
            dt("Saturday, 08-Nov-14 15:05 GMT"),
            "2014-11-08T15:05:00.0000000Z"
        );
        assert_eq!(dt("08-Nov-14 15:05:02 GMT"), want);
        assert_eq!(dt("08-Nov-14 15:05"), "2014-11-08T15:05:00.0000000Z");
    }

    // https://learn.microsoft.com/kusto/query/scalar-data-types/datetime (sortable)
    #[test]
    fn sortable() {
        assert_eq!(dt("2014-11-08 15:05:25"), "2014-11-08T15:05:25.0000000Z");
        assert_eq!(
            dt("2014-11-08 15:05:25 GMT"),
            "2014-11-08T15:05:25.0000000Z"
        );
        assert_eq!(dt("2014-11-8 15:05"), "2014-11-08T15:05:00.0000000Z");
        assert_eq!(dt("2014-11-8 15:05 GMT"), "2014-11-08T15:05:00.0000000Z");
        assert_eq!(dt("2014-11-08T15:05:25"), "2014-11-08T15:05:25.0000000Z");
        assert_eq!(
            dt("2014-11-08T15:05:25 GMT"),
            "2014-11-08T15:05:25.0000000Z"
        );
        assert_eq!(dt("2014-1-8T15:05"), "2014-01-08T15:05:00.0000000Z");
        assert_eq!(dt("2014-11-08T15:05 GMT"), "2014-11-08T15:05:00.0000000Z");
    }

    #[test]
    fn datetime_edge_cases() {
        assert_eq!(dt(""), "");
        assert_eq!(dt("abc"), "");
        assert_eq!(dt("2014-02-30"), "");
        assert_eq!(dt("2014-13-01"), "");
        assert_eq!(dt("2014-11-08T25:00"), "");
        assert_eq!(dt("2014-11-08T"), "");
        assert_eq!(dt("0001-01-01"), ""); // outside the Timestamp(ns) range
        assert_eq!(dt("  2014-11-08  "), "2014-11-08T00:00:00.0000000Z");
        assert_eq!(
            dt("2014-11-08T10:00:00+02:00"),
            "2014-11-08T08:00:00.0000000Z"
        ); // unverified against ADX
        assert_eq!(dt("12/02/2022"), "2022-12-02T00:00:00.0000000Z"); // unverified against ADX
        assert_eq!(dt("12-02-2022"), "2022-12-02T00:00:00.0000000Z"); // unverified against ADX
        assert_eq!(dt("2014-11-08 10:00 PM"), "2014-11-08T22:00:00.0000000Z");
        assert_eq!(dt("日本"), "");
        assert_eq!(dt("2014-11-08T15:05:25.Z"), "");
    }

    fn ts(s: &str) -> String {
        parse_timespan(s)
            .map(format_timespan)
            .unwrap_or_else(|| "null".into())
    }

    // https://learn.microsoft.com/kusto/query/scalar-data-types/timespan
    #[test]
    fn timespans() {
        assert_eq!(ts("2d"), "2.00:00:00");
        assert_eq!(ts("1.5h"), "01:30:00");
        assert_eq!(ts("30m"), "00:30:00");
        assert_eq!(ts("10s"), "00:00:10");
        assert_eq!(ts("0.1s"), "00:00:00.1000000");
        assert_eq!(ts("100ms"), "00:00:00.1000000");
        assert_eq!(ts("10microsecond"), "00:00:00.0000100");
        assert_eq!(ts("1tick"), "00:00:00.0000001");
        assert_eq!(ts("15 seconds"), "00:00:15");
        assert_eq!(ts("2"), "2.00:00:00");
        assert_eq!(ts("0.12:34:56.7"), "12:34:56.7000000");
        // https://learn.microsoft.com/kusto/query/totimespan-function
        assert_eq!(ts("0.00:01:00"), "00:01:00");
        assert_eq!(ts("-1.02:03:04.5"), "-1.02:03:04.5000000");
        assert_eq!(ts("10:00"), "10:00:00");
        assert_eq!(ts("1:02:03:04"), "1.02:03:04");
        assert_eq!(ts("24:00:00"), "null");
        assert_eq!(ts("abc"), "null");
        assert_eq!(ts(""), "null");
        assert_eq!(ts("1.5"), "null");
        assert_eq!(ts("99999999d"), "null");
        assert_eq!(ts("1nanosecond"), "00:00:00");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_long("123"), Some(123));
        assert_eq!(parse_long(" -5 "), Some(-5));
        assert_eq!(parse_long("1.5"), Some(1)); // unverified against ADX
        assert_eq!(parse_long("-2.7"), Some(-2)); // unverified against ADX
        assert_eq!(parse_long("abc"), None);
        assert_eq!(parse_long("1e30"), None);
        assert_eq!(parse_long(""), None);
        assert_eq!(parse_real("123.4"), Some(123.4));
        assert_eq!(parse_real("1e3"), Some(1000.0));
        assert!(parse_real("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_real("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_real("inf"), None);
        assert_eq!(parse_real("0x10"), None);
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(parse_decimal("1.5", 18), Some(1_500_000_000_000_000_000));
        assert_eq!(parse_decimal("-0.25", 2), Some(-25));
        assert_eq!(parse_decimal("x", 2), None);
    }

    // https://learn.microsoft.com/kusto/query/toguid-function
    #[test]
    fn guids() {
        let want = Some("01234567-89ab-cdef-0123-456789abcdef".to_string());
        assert_eq!(parse_guid("0123456789abcdef0123456789abcdef"), want);
        assert_eq!(parse_guid("0123456789ab-cdef-0123-456789abcdef"), want);
        assert_eq!(parse_guid("01234567-89AB-cdef-0123-456789abcdef"), want);
        assert_eq!(parse_guid("a string that is not a guid"), None);
        assert_eq!(parse_guid(""), None);
    }
}

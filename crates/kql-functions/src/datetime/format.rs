//! `format_datetime` / `format_timespan` format strings.
//!
//! Supported elements are exactly the documented ones
//! (<https://learn.microsoft.com/kusto/query/format-datetime-function>,
//! <https://learn.microsoft.com/kusto/query/format-timespan-function>); a run of a
//! specifier letter with an undocumented length (e.g. `MMM`, `ddd` for datetimes) is an
//! error rather than a guess. Any other character is copied literally (the documented
//! delimiters are ` / - : , . _ [ ]`).

use super::calendar::{Civil, NS_PER_DAY, NS_PER_HOUR, NS_PER_MIN, NS_PER_SEC, TICK_NS};
use std::fmt::Write;

/// One element of a parsed format string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Lit(String),
    Day(usize),
    Month(usize),
    Year(usize),
    Hour24(usize),
    Hour12(usize),
    Minute(usize),
    Second(usize),
    /// `f` run: always `n` fraction digits.
    Frac(usize),
    /// `F` run: up to `n` fraction digits, trailing zeros removed.
    FracOpt(usize),
    AmPm,
}

/// Which format dialect: datetimes or timespans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    DateTime,
    TimeSpan,
}

/// Parses a format string; `Err` carries a message for unsupported specifiers.
pub fn parse_format(fmt: &str, dialect: Dialect) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut toks = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        let bad = || {
            Err(format!(
                "unsupported {} format specifier '{}'",
                match dialect {
                    Dialect::DateTime => "format_datetime",
                    Dialect::TimeSpan => "format_timespan",
                },
                c.to_string().repeat(n)
            ))
        };
        let tok = match (dialect, c) {
            (_, 'f') if n <= 7 => Some(Tok::Frac(n)),
            (_, 'F') if n <= 7 => Some(Tok::FracOpt(n)),
            (_, 'f' | 'F') => return bad(),
            (Dialect::DateTime, 'd') if n <= 2 => Some(Tok::Day(n)),
            (Dialect::TimeSpan, 'd') if n <= 8 => Some(Tok::Day(n)),
            (_, 'd') => return bad(),
            (_, 'H') if n <= 2 => Some(Tok::Hour24(n)),
            (Dialect::DateTime, 'h') if n <= 2 => Some(Tok::Hour12(n)),
            // The documented timespan example uses `h` for hours.
            (Dialect::TimeSpan, 'h') if n <= 2 => Some(Tok::Hour24(n)),
            (_, 'H' | 'h') => return bad(),
            (_, 'm') if n <= 2 => Some(Tok::Minute(n)),
            (_, 's') if n <= 2 => Some(Tok::Second(n)),
            (_, 'm' | 's') => return bad(),
            (Dialect::DateTime, 'M') if n <= 2 => Some(Tok::Month(n)),
            (Dialect::DateTime, 'M') => return bad(),
            (Dialect::DateTime, 'y') if n <= 2 || n == 4 => Some(Tok::Year(n)),
            (Dialect::DateTime, 'y') => return bad(),
            (Dialect::DateTime, 't') if n == 2 => Some(Tok::AmPm),
            (Dialect::DateTime, 't') => return bad(),
            _ => None,
        };
        match tok {
            Some(t) => {
                if !lit.is_empty() {
                    toks.push(Tok::Lit(std::mem::take(&mut lit)));
                }
                toks.push(t);
            }
            None => {
                for _ in 0..n {
                    lit.push(c);
                }
            }
        }
        i += n;
    }
    if !lit.is_empty() {
        toks.push(Tok::Lit(lit));
    }
    Ok(toks)
}

fn pad(out: &mut String, v: i64, width: usize) {
    let _ = write!(out, "{v:0width$}");
}

/// Writes the fraction (7 tick digits) for an `f`/`F` token.
fn frac(out: &mut String, ticks_in_sec: i64, n: usize, optional: bool) {
    let digits = format!("{ticks_in_sec:07}");
    let mut s = &digits[..n.min(7)];
    if optional {
        s = s.trim_end_matches('0');
        if s.is_empty() {
            // .NET removes a decimal point that precedes an empty `F` element.
            if out.ends_with('.') {
                out.pop();
            }
            return;
        }
    }
    out.push_str(s);
}

/// Formats a datetime (ns since the Unix epoch).
pub fn format_datetime(ns: i64, toks: &[Tok]) -> String {
    let c = Civil::from_ns(ns);
    let ticks_in_sec = i64::from(c.nanos) / TICK_NS;
    let mut out = String::new();
    for t in toks {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Day(n) => pad(&mut out, i64::from(c.day), *n),
            Tok::Month(n) => pad(&mut out, i64::from(c.month), *n),
            Tok::Year(4) => pad(&mut out, c.year, 4),
            Tok::Year(n) => pad(&mut out, c.year.rem_euclid(100), *n),
            Tok::Hour24(n) => pad(&mut out, i64::from(c.hour), *n),
            Tok::Hour12(n) => {
                let h = i64::from(c.hour % 12);
                pad(&mut out, if h == 0 { 12 } else { h }, *n)
            }
            Tok::Minute(n) => pad(&mut out, i64::from(c.minute), *n),
            Tok::Second(n) => pad(&mut out, i64::from(c.second), *n),
            Tok::Frac(n) => frac(&mut out, ticks_in_sec, *n, false),
            Tok::FracOpt(n) => frac(&mut out, ticks_in_sec, *n, true),
            Tok::AmPm => out.push_str(if c.hour < 12 { "AM" } else { "PM" }),
        }
    }
    out
}

/// Formats a timespan (ns). Like .NET custom TimeSpan formats, the sign is not written
/// (unverified against ADX for negative values).
pub fn format_timespan(ns: i64, toks: &[Tok]) -> String {
    let a = i128::from(ns).unsigned_abs();
    let days = a / NS_PER_DAY as u128;
    let hours = (a % NS_PER_DAY as u128) / NS_PER_HOUR as u128;
    let minutes = (a % NS_PER_HOUR as u128) / NS_PER_MIN as u128;
    let seconds = (a % NS_PER_MIN as u128) / NS_PER_SEC as u128;
    let ticks_in_sec = ((a % NS_PER_SEC as u128) / TICK_NS as u128) as i64;
    let mut out = String::new();
    for t in toks {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Day(n) => {
                let _ = write!(out, "{days:0n$}");
            }
            Tok::Hour24(n) | Tok::Hour12(n) => pad(&mut out, hours as i64, *n),
            Tok::Minute(n) => pad(&mut out, minutes as i64, *n),
            Tok::Second(n) => pad(&mut out, seconds as i64, *n),
            Tok::Frac(n) => frac(&mut out, ticks_in_sec, *n, false),
            Tok::FracOpt(n) => frac(&mut out, ticks_in_sec, *n, true),
            Tok::Month(_) | Tok::Year(_) | Tok::AmPm => {}
        }
    }
    out
}

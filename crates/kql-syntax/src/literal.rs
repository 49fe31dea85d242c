//! Literal parsers: strings in all five forms (with adjacent-literal concatenation),
//! numbers, timespans, the typed literals `datetime(...)`, `guid(...)`, `int(...)`, ...,
//! `dynamic(...)` values and type names.

use crate::ast::{DynLit, Literal, Spanned, TypeName};
use crate::codes;
use crate::depth::enter;
use crate::error::{PErr, PResult, cut_custom, fail};
use crate::lexer::{ident_len, is_ident_char, span_at, span_between, sym, ws};

/// Ticks (100 ns) per day.
pub const TICKS_PER_DAY: i64 = 864_000_000_000;
/// Ticks per hour.
pub const TICKS_PER_HOUR: i64 = 36_000_000_000;
/// Ticks per minute.
pub const TICKS_PER_MINUTE: i64 = 600_000_000;
/// Ticks per second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;
/// Ticks per millisecond.
pub const TICKS_PER_MILLI: i64 = 10_000;
/// Ticks per microsecond.
pub const TICKS_PER_MICRO: i64 = 10;

/// The tick multiplier of a timespan unit suffix (`d`, `h`, `min`, `ms`, `tick`, ...).
pub fn timespan_unit(unit: &str) -> Option<i64> {
    Some(match unit {
        "d" | "day" | "days" => TICKS_PER_DAY,
        "h" | "hr" | "hrs" | "hour" | "hours" => TICKS_PER_HOUR,
        "m" | "min" | "mins" | "minute" | "minutes" => TICKS_PER_MINUTE,
        "s" | "sec" | "secs" | "second" | "seconds" => TICKS_PER_SECOND,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => TICKS_PER_MILLI,
        "micro" | "micros" | "microsecond" | "microseconds" => TICKS_PER_MICRO,
        "tick" | "ticks" => 1,
        _ => return None,
    })
}

/// Words that start a typed literal when followed by `(`.
pub(crate) const TYPED_LITERAL_WORDS: &[&str] = &[
    "datetime", "date", "timespan", "time", "guid", "dynamic", "int", "long", "real", "double",
    "decimal", "bool", "boolean",
];

// ---------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------

/// True when a string literal starts at `i` (no trivia skipping).
pub(crate) fn at_string(i: &str) -> bool {
    let b = i.as_bytes();
    match b.first() {
        Some(b'\'' | b'"') => true,
        Some(b'@') => matches!(b.get(1), Some(b'\'' | b'"')),
        Some(b'h' | b'H') => match b.get(1) {
            Some(b'\'' | b'"') => true,
            Some(b'@') => matches!(b.get(2), Some(b'\'' | b'"')),
            _ => false,
        },
        Some(b'`') => i.starts_with("```"),
        _ => false,
    }
}

/// One string literal token in any form; the decoded value.
pub(crate) fn string_token(i: &str) -> PResult<'_, Spanned<String>> {
    let i = ws(i);
    if !at_string(i) {
        return fail(i, "a string literal");
    }
    let start = i;
    let mut r = i;
    if r.starts_with('h') || r.starts_with('H') {
        r = &r[1..];
    }
    if let Some(body) = r.strip_prefix("```") {
        return match body.find("```") {
            Some(n) => {
                let rest = &body[n + 3..];
                Ok((
                    rest,
                    Spanned::new(body[..n].to_string(), span_between(start, rest)),
                ))
            }
            None => cut_custom(
                start,
                codes::UNTERMINATED_MULTILINE,
                "unterminated multi-line string literal (missing closing ```)",
                3,
            ),
        };
    }
    let verbatim = r.starts_with('@');
    if verbatim {
        r = &r[1..];
    }
    let quote = match r.chars().next() {
        Some(q @ ('\'' | '"')) => q,
        _ => return fail(start, "a string literal"),
    };
    let body = &r[1..];
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((n, c)) = chars.next() {
        if c == quote {
            if verbatim && body[n + 1..].starts_with(quote) {
                out.push(quote);
                chars.next();
                continue;
            }
            let rest = &body[n + 1..];
            return Ok((rest, Spanned::new(out, span_between(start, rest))));
        }
        if c == '\n' {
            break;
        }
        if c == '\\' && !verbatim {
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, '0')) => out.push('\0'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, '\'')) => out.push('\''),
                Some((_, '"')) => out.push('"'),
                Some((m, 'u')) => {
                    let hex = body.get(m + 1..m + 5).unwrap_or("");
                    match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                        Some(ch)
                            if hex.len() == 4 && hex.bytes().all(|b| b.is_ascii_hexdigit()) =>
                        {
                            out.push(ch);
                            for _ in 0..4 {
                                chars.next();
                            }
                        }
                        _ => {
                            let at = &body[m - 1..];
                            return cut_custom(
                                at,
                                codes::INVALID_LITERAL,
                                "invalid unicode escape in string literal (expected `\\uXXXX`)",
                                2,
                            );
                        }
                    }
                }
                // Unknown escapes keep the backslash (regexes such as "\d+" are common).
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => break,
            }
            continue;
        }
        out.push(c);
    }
    let line_len = start.find('\n').unwrap_or(start.len());
    cut_custom(
        start,
        codes::UNTERMINATED_STRING,
        "unterminated string literal (a string cannot span lines; close it with its opening quote)",
        line_len,
    )
}

/// One or more adjacent string literals, concatenated (`"a" "b"` == `"ab"`).
pub(crate) fn string_lit(i: &str) -> PResult<'_, Spanned<String>> {
    let start = ws(i);
    let (mut r, first) = string_token(i)?;
    let mut value = first.node;
    while at_string(ws(r)) {
        let (r2, next) = string_token(r)?;
        value.push_str(&next.node);
        r = r2;
    }
    Ok((r, Spanned::new(value, span_between(start, r))))
}

// ---------------------------------------------------------------------------------------
// Numbers and timespans
// ---------------------------------------------------------------------------------------

/// True when a number starts at `i` (no trivia skipping): a digit, or `.` then a digit.
pub(crate) fn at_number(i: &str) -> bool {
    let b = i.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_digit() => true,
        Some(b'.') => b.get(1).is_some_and(u8::is_ascii_digit),
        _ => false,
    }
}

/// Length of the numeric part (digits, fraction, exponent) at the start of `s`, and
/// whether it is a real.
fn scan_number(s: &str) -> (usize, bool) {
    let b = s.as_bytes();
    let mut n = 0;
    while n < b.len() && b[n].is_ascii_digit() {
        n += 1;
    }
    let mut real = false;
    if n < b.len() && b[n] == b'.' && b.get(n + 1).is_some_and(u8::is_ascii_digit) {
        real = true;
        n += 1;
        while n < b.len() && b[n].is_ascii_digit() {
            n += 1;
        }
    }
    if n < b.len() && (b[n] == b'e' || b[n] == b'E') {
        let mut m = n + 1;
        if m < b.len() && (b[m] == b'+' || b[m] == b'-') {
            m += 1;
        }
        if m < b.len() && b[m].is_ascii_digit() {
            while m < b.len() && b[m].is_ascii_digit() {
                m += 1;
            }
            real = true;
            n = m;
        }
    }
    (n, real)
}

/// Converts `value` in `unit`s to ticks (rounded to the nearest tick), if representable.
fn to_ticks(num: &str, mult: i64) -> Option<i64> {
    if let Ok(v) = num.parse::<i64>() {
        return v.checked_mul(mult);
    }
    let v: f64 = num.parse().ok()?;
    let t = (v * mult as f64).round();
    (t.is_finite() && t.abs() < 9.2e18).then_some(t as i64)
}

/// A number or timespan literal: `12`, `0x1F`, `1.5`, `1e5`, `.5`, `14d`, `1.5h`, `100ms`.
pub(crate) fn number(i: &str) -> PResult<'_, Spanned<Literal>> {
    let i = ws(i);
    if !at_number(i) {
        return fail(i, "a number");
    }
    let bad = |len: usize, what: &str| -> PResult<'_, Spanned<Literal>> {
        cut_custom(
            i,
            codes::INVALID_NUMBER,
            format!("invalid number literal `{}`{what}", &i[..len]),
            len,
        )
    };
    // Hexadecimal.
    if i.starts_with("0x") || i.starts_with("0X") {
        let n = 2 + i[2..].bytes().take_while(u8::is_ascii_hexdigit).count();
        let tail = n + i[n..]
            .chars()
            .take_while(|&c| is_ident_char(c))
            .map(char::len_utf8)
            .sum::<usize>();
        if n == 2 || tail != n {
            return bad(tail, "");
        }
        return match u64::from_str_radix(&i[2..n], 16) {
            Ok(v) => Ok((
                &i[n..],
                Spanned::new(Literal::Long(Some(v as i64)), span_at(i, n)),
            )),
            Err(_) => bad(n, " (out of range)"),
        };
    }
    let (n, real) = scan_number(i);
    let unit_len = ident_len(&i[n..]);
    let unit_len = if unit_len == 0 {
        i[n..]
            .chars()
            .take_while(|&c| is_ident_char(c))
            .map(char::len_utf8)
            .sum()
    } else {
        unit_len
    };
    let num = &i[..n];
    if unit_len > 0 {
        let unit = &i[n..n + unit_len];
        let total = n + unit_len;
        return match timespan_unit(unit) {
            Some(mult) => match to_ticks(num, mult) {
                Some(t) => Ok((
                    &i[total..],
                    Spanned::new(Literal::TimeSpan(Some(t)), span_at(i, total)),
                )),
                None => cut_custom(
                    i,
                    codes::INVALID_TIMESPAN,
                    format!("timespan literal `{}` is out of range", &i[..total]),
                    total,
                ),
            },
            None if unit.starts_with(|c: char| c.is_ascii_alphabetic()) && !real => cut_custom(
                i,
                codes::INVALID_TIMESPAN,
                format!(
                    "invalid timespan literal `{}`: unknown unit `{unit}`",
                    &i[..total]
                ),
                total,
            )
            .map_err(|e| {
                e.map(|p| p.with_help("timespan units are d, h, m, s, ms, microsecond, tick"))
            }),
            None => bad(total, ""),
        };
    }
    let lit = if real {
        match num.parse::<f64>() {
            Ok(v) => Literal::Real(Some(v)),
            Err(_) => return bad(n, ""),
        }
    } else {
        match num.parse::<i64>() {
            Ok(v) => Literal::Long(Some(v)),
            Err(_) => return bad(n, " (out of range for long)"),
        }
    };
    Ok((&i[n..], Spanned::new(lit, span_at(i, n))))
}

/// Parses the text of `timespan(...)`: `2d`, `1.5h`, `15 seconds`, `2` (days),
/// `1.02:03:04.5`, `02:03`, with an optional sign.
pub fn parse_timespan_text(text: &str) -> Option<i64> {
    let t = text.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t).trim_start()),
    };
    let v = if t.contains(':') {
        parse_clock(t)?
    } else {
        let (n, _) = scan_number(t);
        if n == 0 {
            return None;
        }
        let unit = t[n..].trim();
        let mult = if unit.is_empty() {
            TICKS_PER_DAY
        } else {
            timespan_unit(unit)?
        };
        to_ticks(&t[..n], mult)?
    };
    Some(if neg { -v } else { v })
}

/// `[d.]hh:mm[:ss[.fffffff]]`
fn parse_clock(t: &str) -> Option<i64> {
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (days, hours) = match parts[0].split_once('.') {
        Some((d, h)) => (d, h),
        None => ("0", parts[0]),
    };
    if !digits(days) || !digits(hours) || !digits(parts[1]) {
        return None;
    }
    let mut ticks = days.parse::<i64>().ok()?.checked_mul(TICKS_PER_DAY)?;
    ticks = ticks.checked_add(hours.parse::<i64>().ok()? * TICKS_PER_HOUR)?;
    ticks = ticks.checked_add(parts[1].parse::<i64>().ok()? * TICKS_PER_MINUTE)?;
    if let Some(sec) = parts.get(2) {
        let (whole, frac) = match sec.split_once('.') {
            Some((w, f)) => (w, f),
            None => (*sec, ""),
        };
        if !digits(whole) || !(frac.is_empty() || digits(frac)) || frac.len() > 7 {
            return None;
        }
        ticks = ticks.checked_add(whole.parse::<i64>().ok()? * TICKS_PER_SECOND)?;
        if !frac.is_empty() {
            let f: i64 = format!("{frac:0<7}").parse().ok()?;
            ticks = ticks.checked_add(f)?;
        }
    }
    Some(ticks)
}

// ---------------------------------------------------------------------------------------
// Typed literals
// ---------------------------------------------------------------------------------------

/// The raw text between `(` and the matching `)` after a typed-literal word. `i` starts at
/// the `(` (after trivia). Returns (rest after `)`, (trimmed text, remaining input at the
/// text)).
fn raw_parens<'a>(i: &'a str, word: &str) -> PResult<'a, (&'a str, &'a str)> {
    let i = ws(i);
    let (r, _) = sym(i, "(")?;
    match r.find([')', '\n']) {
        Some(n) if r.as_bytes()[n] == b')' => {
            let text = r[..n].trim();
            let lead = r.len() - r.trim_start().len();
            Ok((&r[n + 1..], (text, &r[lead..])))
        }
        _ => cut_custom(
            i,
            codes::UNBALANCED_BRACKETS,
            format!("`{word}(` literal is missing its closing `)`"),
            1,
        ),
    }
}

/// A typed literal after its keyword `word` (already consumed; `i` is at the `(`):
/// `datetime(...)`, `int(5)`, `real(+inf)`, `timespan(1.02:03:04)`, `dynamic([...])`...
/// `start` is the input at the keyword (for the span).
pub(crate) fn typed_literal<'a>(
    start: &'a str,
    word: &str,
    i: &'a str,
) -> PResult<'a, Spanned<Literal>> {
    if word == "dynamic" {
        let (r, _) = sym(i, "(")?;
        let (r, v) = dyn_value(r)?;
        let (r, _) = match sym(r, ")") {
            Ok(v) => v,
            Err(_) => {
                return Err(nom::Err::Failure(PErr::expected_code(
                    ws(r),
                    codes::INVALID_DYNAMIC,
                    "`)` to close `dynamic(`",
                )));
            }
        };
        return Ok((r, Spanned::new(Literal::Dynamic(v), span_between(start, r))));
    }
    let (r, (text, at_text)) = raw_parens(i, word)?;
    let span = span_between(start, r);
    let is_null = text == "null";
    let invalid = |code: &'static str, what: &str| -> PResult<'a, Spanned<Literal>> {
        Err(nom::Err::Failure(PErr::custom(
            at_text,
            code,
            format!("invalid {what} literal `{word}({text})`"),
            text.len().max(1),
        )))
    };
    // `datetime("2015-01-01")`: a quoted date text is accepted (documented form).
    let text = match text.as_bytes() {
        [q @ (b'"' | b'\''), .., e]
            if q == e && text.len() >= 2 && matches!(word, "datetime" | "date") =>
        {
            &text[1..text.len() - 1]
        }
        _ => text,
    };
    let lit = match word {
        "datetime" | "date" => {
            if is_null {
                Literal::DateTime(None)
            } else if text.is_empty()
                || !text.starts_with(|c: char| c.is_ascii_alphanumeric())
                || text.contains(['"', '\'', '(', '['])
            {
                return invalid(codes::INVALID_LITERAL, "datetime");
            } else {
                Literal::DateTime(Some(text.to_string()))
            }
        }
        "guid" => {
            if is_null {
                Literal::Guid(None)
            } else if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
                return invalid(codes::INVALID_LITERAL, "guid");
            } else {
                Literal::Guid(Some(text.to_string()))
            }
        }
        "timespan" | "time" => {
            if is_null {
                Literal::TimeSpan(None)
            } else {
                match parse_timespan_text(text) {
                    Some(t) => Literal::TimeSpan(Some(t)),
                    None => return invalid(codes::INVALID_TIMESPAN, "timespan"),
                }
            }
        }
        "int" | "long" => {
            if is_null {
                if word == "int" {
                    Literal::Int(None)
                } else {
                    Literal::Long(None)
                }
            } else {
                let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                let t = t.strip_prefix('+').unwrap_or(&t);
                let v = if let Some(h) = t.strip_prefix("0x") {
                    u64::from_str_radix(h, 16).ok().map(|v| v as i64)
                } else if let Some(h) = t.strip_prefix("-0x") {
                    u64::from_str_radix(h, 16)
                        .ok()
                        .map(|v| (v as i64).wrapping_neg())
                } else {
                    t.parse::<i64>().ok()
                };
                match (word, v) {
                    ("int", Some(v)) => match i32::try_from(v) {
                        Ok(v) => Literal::Int(Some(v)),
                        Err(_) => return invalid(codes::INVALID_NUMBER, "int"),
                    },
                    ("long", Some(v)) => Literal::Long(Some(v)),
                    _ => return invalid(codes::INVALID_NUMBER, word),
                }
            }
        }
        "real" | "double" => {
            let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let v = match t.to_ascii_lowercase().as_str() {
                "null" => None,
                "nan" => Some(f64::NAN),
                "inf" | "+inf" => Some(f64::INFINITY),
                "-inf" => Some(f64::NEG_INFINITY),
                other => match other.parse::<f64>() {
                    Ok(v) if !other.contains("inf") && !other.contains("nan") => Some(v),
                    _ => return invalid(codes::INVALID_NUMBER, "real"),
                },
            };
            Literal::Real(v)
        }
        "decimal" => {
            if is_null {
                Literal::Decimal(None)
            } else {
                let t = text.strip_prefix(['+', '-']).unwrap_or(text);
                let (n, _) = scan_number(t);
                if n == 0 || n != t.len() {
                    return invalid(codes::INVALID_NUMBER, "decimal");
                }
                Literal::Decimal(Some(text.to_string()))
            }
        }
        "bool" | "boolean" => match text.to_ascii_lowercase().as_str() {
            "null" => Literal::Bool(None),
            "true" | "1" => Literal::Bool(Some(true)),
            "false" | "0" => Literal::Bool(Some(false)),
            _ => return invalid(codes::INVALID_LITERAL, "bool"),
        },
        _ => return fail(start, "a literal"),
    };
    Ok((r, Spanned::new(lit, span)))
}

// ---------------------------------------------------------------------------------------
// dynamic(...)
// ---------------------------------------------------------------------------------------

/// One value inside `dynamic(...)`.
fn dyn_value(i: &str) -> PResult<'_, DynLit> {
    crate::depth::grow(|| dyn_value_inner(i))
}

fn dyn_value_inner(i: &str) -> PResult<'_, DynLit> {
    let _g = enter(i)?;
    let i = ws(i);
    fn bad(at: &str) -> PResult<'_, DynLit> {
        Err(nom::Err::Failure(PErr::expected_code(
            at,
            codes::INVALID_DYNAMIC,
            "a value in `dynamic(...)` (null, true, false, a number, a string, `[...]`, `{...}` or a typed literal)",
        )))
    }
    if let Some(r) = i.strip_prefix('[') {
        let mut items = Vec::new();
        let mut r = ws(r);
        if let Some(r2) = r.strip_prefix(']') {
            return Ok((r2, DynLit::Array(items)));
        }
        loop {
            let (r2, v) = dyn_value(r)?;
            items.push(v);
            let r2 = ws(r2);
            if let Some(r3) = r2.strip_prefix(',') {
                r = ws(r3);
                if let Some(r4) = r.strip_prefix(']') {
                    return Ok((r4, DynLit::Array(items)));
                }
            } else if let Some(r3) = r2.strip_prefix(']') {
                return Ok((r3, DynLit::Array(items)));
            } else {
                return Err(nom::Err::Failure(PErr::expected_code(
                    r2,
                    codes::INVALID_DYNAMIC,
                    "`,` or `]` in dynamic array",
                )));
            }
        }
    }
    if let Some(r) = i.strip_prefix('{') {
        let mut fields = Vec::new();
        let mut r = ws(r);
        if let Some(r2) = r.strip_prefix('}') {
            return Ok((r2, DynLit::Object(fields)));
        }
        loop {
            let r1 = ws(r);
            let (r2, key) = if at_string(r1) {
                let (r2, k) = string_lit(r1)?;
                (r2, k.node)
            } else {
                let n = ident_len(r1);
                if n == 0 {
                    return Err(nom::Err::Failure(PErr::expected_code(
                        r1,
                        codes::INVALID_DYNAMIC,
                        "a property name in dynamic object",
                    )));
                }
                (&r1[n..], r1[..n].to_string())
            };
            let r2 = ws(r2);
            let Some(r3) = r2.strip_prefix(':') else {
                return Err(nom::Err::Failure(PErr::expected_code(
                    r2,
                    codes::INVALID_DYNAMIC,
                    "`:` after property name in dynamic object",
                )));
            };
            let (r4, v) = dyn_value(r3)?;
            fields.push((key, v));
            let r4 = ws(r4);
            if let Some(r5) = r4.strip_prefix(',') {
                r = ws(r5);
                if let Some(r6) = r.strip_prefix('}') {
                    return Ok((r6, DynLit::Object(fields)));
                }
            } else if let Some(r5) = r4.strip_prefix('}') {
                return Ok((r5, DynLit::Object(fields)));
            } else {
                return Err(nom::Err::Failure(PErr::expected_code(
                    r4,
                    codes::INVALID_DYNAMIC,
                    "`,` or `}` in dynamic object",
                )));
            }
        }
    }
    if at_string(i) {
        let (r, s) = string_lit(i)?;
        return Ok((r, DynLit::String(s.node)));
    }
    // Signed numbers.
    let (neg, body) = match i.strip_prefix('-') {
        Some(b) => (true, ws(b)),
        None => (false, i.strip_prefix('+').map_or(i, ws)),
    };
    if at_number(body) {
        let (r, lit) = number(body)?;
        return Ok((
            r,
            match lit.node {
                Literal::Long(Some(v)) => DynLit::Long(if neg { v.wrapping_neg() } else { v }),
                Literal::Real(Some(v)) => DynLit::Real(if neg { -v } else { v }),
                Literal::TimeSpan(Some(t)) => {
                    DynLit::Typed(Box::new(Literal::TimeSpan(Some(if neg { -t } else { t }))))
                }
                _ => return bad(i),
            },
        ));
    }
    if neg {
        return bad(i);
    }
    let n = ident_len(i);
    if n == 0 {
        return bad(i);
    }
    let w = &i[..n];
    let r = &i[n..];
    match w {
        "null" => return Ok((r, DynLit::Null)),
        "true" | "True" | "TRUE" => return Ok((r, DynLit::Bool(true))),
        "false" | "False" | "FALSE" => return Ok((r, DynLit::Bool(false))),
        _ => {}
    }
    if TYPED_LITERAL_WORDS.contains(&w) && w != "dynamic" && ws(r).starts_with('(') {
        let (r, lit) = typed_literal(i, w, r)?;
        return Ok((r, DynLit::Typed(Box::new(lit.node))));
    }
    bad(i)
}

/// Decodes a type name (`string`, `int64`, `date`, ...).
pub fn type_name_of(s: &str) -> Option<TypeName> {
    Some(match s.to_ascii_lowercase().as_str() {
        "bool" | "boolean" => TypeName::Bool,
        "int" | "int32" => TypeName::Int,
        "long" | "int64" => TypeName::Long,
        "real" | "double" => TypeName::Real,
        "decimal" => TypeName::Decimal,
        "datetime" | "date" => TypeName::DateTime,
        "timespan" | "time" => TypeName::TimeSpan,
        "string" => TypeName::String,
        "guid" | "uniqueid" => TypeName::Guid,
        "dynamic" => TypeName::Dynamic,
        _ => return None,
    })
}

/// The canonical type names, for suggestions.
pub(crate) const TYPE_NAMES: &[&str] = &[
    "bool", "int", "long", "real", "decimal", "datetime", "timespan", "string", "guid", "dynamic",
];

/// A type name such as `string` or `datetime`.
pub(crate) fn type_name(i: &str) -> PResult<'_, Spanned<TypeName>> {
    let i = ws(i);
    let n = ident_len(i);
    if n == 0 {
        return fail(i, "a type name");
    }
    match type_name_of(&i[..n]) {
        Some(t) => Ok((&i[n..], Spanned::new(t, span_at(i, n)))),
        None => {
            let mut e = PErr::custom(
                i,
                codes::UNKNOWN_TYPE,
                format!("unknown type `{}`", &i[..n]),
                n,
            );
            if let Some(s) = crate::suggest::closest(&i[..n], TYPE_NAMES.iter().copied()) {
                e = e.with_help(format!("did you mean `{s}`?"));
            }
            Err(nom::Err::Failure(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timespan_texts() {
        assert_eq!(parse_timespan_text("2d"), Some(2 * TICKS_PER_DAY));
        assert_eq!(parse_timespan_text("2"), Some(2 * TICKS_PER_DAY));
        assert_eq!(
            parse_timespan_text("15 seconds"),
            Some(15 * TICKS_PER_SECOND)
        );
        assert_eq!(
            parse_timespan_text("1.02:03:04.5"),
            Some(TICKS_PER_DAY + 2 * TICKS_PER_HOUR + 3 * TICKS_PER_MINUTE + 45_000_000)
        );
        assert_eq!(parse_timespan_text("00:01:00"), Some(TICKS_PER_MINUTE));
        assert_eq!(parse_timespan_text("-1h"), Some(-TICKS_PER_HOUR));
        assert_eq!(parse_timespan_text("1:2:3:4"), None);
        assert_eq!(parse_timespan_text("abc"), None);
    }

    #[test]
    fn unit_table() {
        assert_eq!(timespan_unit("microsecond"), Some(10));
        assert_eq!(timespan_unit("tick"), Some(1));
        assert_eq!(timespan_unit("w"), None);
    }
}

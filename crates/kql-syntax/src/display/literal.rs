//! Display of literals, type names, strings and identifiers.

use super::is_plain_ident;
use crate::ast::{DynLit, Literal, TypeName};
use crate::literal::{
    TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MICRO, TICKS_PER_MILLI, TICKS_PER_MINUTE,
    TICKS_PER_SECOND,
};
use std::fmt::{self, Display, Formatter, Write};

/// A KQL string literal for `s` (double-quoted, escaped).
pub(crate) fn fmt_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An identifier, bracketed (`['a b']`) when needed.
pub(crate) fn fmt_ident(name: &str) -> String {
    if is_plain_ident(name) {
        name.to_string()
    } else {
        let mut out = String::from("['");
        for c in name.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 || c == '\u{7f}' => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push_str("']");
        out
    }
}

impl Display for TypeName {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TypeName::Bool => "bool",
            TypeName::Int => "int",
            TypeName::Long => "long",
            TypeName::Real => "real",
            TypeName::Decimal => "decimal",
            TypeName::DateTime => "datetime",
            TypeName::TimeSpan => "timespan",
            TypeName::String => "string",
            TypeName::Guid => "guid",
            TypeName::Dynamic => "dynamic",
        })
    }
}

/// A real number in a form that re-lexes as a real (`1.0`, `1.5e-7`).
fn fmt_real(v: f64) -> String {
    let s = format!("{v:?}");
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// A non-negative timespan in ticks as a literal with the largest exact unit.
fn fmt_ticks(t: i64) -> String {
    for (mult, unit) in [
        (TICKS_PER_DAY, "d"),
        (TICKS_PER_HOUR, "h"),
        (TICKS_PER_MINUTE, "m"),
        (TICKS_PER_SECOND, "s"),
        (TICKS_PER_MILLI, "ms"),
        (TICKS_PER_MICRO, "microsecond"),
    ] {
        if t % mult == 0 {
            return format!("{}{unit}", t / mult);
        }
    }
    format!("{t}tick")
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Bool(Some(b)) => write!(f, "{b}"),
            Literal::Bool(None) => f.write_str("bool(null)"),
            Literal::Int(Some(v)) => write!(f, "int({v})"),
            Literal::Int(None) => f.write_str("int(null)"),
            Literal::Long(Some(v)) if *v >= 0 => write!(f, "{v}"),
            Literal::Long(Some(v)) => write!(f, "long({v})"),
            Literal::Long(None) => f.write_str("long(null)"),
            Literal::Real(Some(v)) if v.is_nan() => f.write_str("real(nan)"),
            Literal::Real(Some(v)) if v.is_infinite() => {
                f.write_str(if *v > 0.0 { "real(+inf)" } else { "real(-inf)" })
            }
            Literal::Real(Some(v)) if v.is_sign_negative() => write!(f, "real({})", fmt_real(*v)),
            Literal::Real(Some(v)) => f.write_str(&fmt_real(*v)),
            Literal::Real(None) => f.write_str("real(null)"),
            Literal::Decimal(Some(d)) => write!(f, "decimal({d})"),
            Literal::Decimal(None) => f.write_str("decimal(null)"),
            Literal::String(s) => f.write_str(&fmt_string(s)),
            Literal::DateTime(Some(d)) => write!(f, "datetime({d})"),
            Literal::DateTime(None) => f.write_str("datetime(null)"),
            Literal::TimeSpan(Some(t)) if *t >= 0 => f.write_str(&fmt_ticks(*t)),
            Literal::TimeSpan(Some(t)) => {
                write!(
                    f,
                    "timespan(-{})",
                    fmt_ticks(t.checked_neg().unwrap_or(i64::MAX))
                )
            }
            Literal::TimeSpan(None) => f.write_str("timespan(null)"),
            Literal::Guid(Some(g)) => write!(f, "guid({g})"),
            Literal::Guid(None) => f.write_str("guid(null)"),
            Literal::Dynamic(d) => write!(f, "dynamic({d})"),
        }
    }
}

impl Display for DynLit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            DynLit::Null => f.write_str("null"),
            DynLit::Bool(b) => write!(f, "{b}"),
            DynLit::Long(v) => write!(f, "{v}"),
            DynLit::Real(v) if v.is_finite() => f.write_str(&fmt_real(*v)),
            DynLit::Real(v) => write!(f, "{}", Literal::Real(Some(*v))),
            DynLit::String(s) => f.write_str(&fmt_string(s)),
            DynLit::Typed(l) => write!(f, "{l}"),
            DynLit::Array(items) => {
                f.write_char('[')?;
                super::sep_by(f, items, ", ")?;
                f.write_char(']')
            }
            DynLit::Object(fields) => {
                f.write_char('{')?;
                for (n, (k, v)) in fields.iter().enumerate() {
                    if n > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {v}", fmt_string(k))?;
                }
                f.write_char('}')
            }
        }
    }
}

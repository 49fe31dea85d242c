//! Token-level parsers: whitespace and `//` comments, identifiers (plain and bracketed),
//! keywords, punctuation. Every token parser skips leading trivia first, so spans start at
//! the token itself.

use crate::ast::{Ident, Span};
use crate::depth::offset;
use crate::error::{PErr, PResult, fail};

/// Skips whitespace and `//` comments (infallible).
pub(crate) fn ws(mut i: &str) -> &str {
    loop {
        let t = i.trim_start();
        if let Some(rest) = t.strip_prefix("//") {
            i = rest.find('\n').map_or("", |n| &rest[n..]);
        } else {
            return t;
        }
    }
}

/// True when `c` may start a plain identifier.
pub(crate) fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

/// True when `c` may continue a plain identifier.
pub(crate) fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Length in bytes of the plain identifier at the start of `i` (0 if none).
pub(crate) fn ident_len(i: &str) -> usize {
    let mut chars = i.char_indices();
    match chars.next() {
        Some((_, c)) if is_ident_start(c) => {}
        _ => return 0,
    }
    for (n, c) in chars {
        if !is_ident_char(c) {
            return n;
        }
    }
    i.len()
}

/// The plain word (identifier-shaped token) at the start of `i` after trivia, if any.
pub(crate) fn peek_word(i: &str) -> Option<&str> {
    let i = ws(i);
    let n = ident_len(i);
    (n > 0).then(|| &i[..n])
}

/// Byte span of `len` bytes starting at the remaining input `i`.
pub(crate) fn span_at(i: &str, len: usize) -> Span {
    let s = offset(i);
    s..s + len
}

/// Span from the start of `from` up to the start of `to` (both remaining inputs).
pub(crate) fn span_between(from: &str, to: &str) -> Span {
    offset(from)..offset(to)
}

/// A plain word: returns it with its span.
pub(crate) fn word(i: &str) -> PResult<'_, (&str, Span)> {
    let i = ws(i);
    let n = ident_len(i);
    if n == 0 {
        return fail(i, "an identifier");
    }
    Ok((&i[n..], (&i[..n], span_at(i, n))))
}

/// The keyword `kw` (a whole word, case-sensitive).
pub(crate) fn keyword<'a>(i: &'a str, kw: &str) -> PResult<'a, Span> {
    let i = ws(i);
    let n = ident_len(i);
    if n > 0 && &i[..n] == kw {
        Ok((&i[n..], span_at(i, n)))
    } else {
        fail(i, format!("`{kw}`"))
    }
}

/// True when the next word is `kw`.
pub(crate) fn at_keyword(i: &str, kw: &str) -> bool {
    peek_word(i) == Some(kw)
}

/// The punctuation `p`. Single `=`, `<`, `>`, `.`, `!`, `|` do not match when they are the
/// start of a longer symbol (`==`, `=~`, `<=`, `<>`, `>=`, `..`, `!=`, `!~`, `||`).
pub(crate) fn sym<'a>(i: &'a str, p: &str) -> PResult<'a, Span> {
    let i = ws(i);
    if let Some(rest) = i.strip_prefix(p) {
        let next = rest.chars().next();
        let bad = match p {
            "=" => matches!(next, Some('=' | '~')),
            "<" => matches!(next, Some('=' | '>')),
            ">" => matches!(next, Some('=')),
            "." => matches!(next, Some('.')),
            "!" => matches!(next, Some('=' | '~')),
            _ => false,
        };
        if !bad {
            return Ok((rest, span_at(i, p.len())));
        }
    }
    fail(i, format!("`{p}`"))
}

/// True when the next token is the punctuation `p` (with the same rules as [`sym`]).
pub(crate) fn at_sym(i: &str, p: &str) -> bool {
    sym(i, p).is_ok()
}

/// An identifier: a plain word, or a bracketed name `['a b']` / `["x"]`. Keywords are
/// allowed (the caller decides what a word means in its position).
pub(crate) fn ident(i: &str) -> PResult<'_, Ident> {
    let i = ws(i);
    if let Some(rest) = i.strip_prefix('[') {
        let after = ws(rest);
        if after.starts_with('\'') || after.starts_with('"') || after.starts_with('@') {
            return bracketed_ident(i);
        }
    }
    let n = ident_len(i);
    if n == 0 {
        return fail(i, "an identifier");
    }
    Ok((&i[n..], Ident::new(&i[..n], span_at(i, n))))
}

/// `['name']` / `["name"]` (the content is a string literal).
fn bracketed_ident(i: &str) -> PResult<'_, Ident> {
    let start = i;
    let (r, _) = sym(i, "[")?;
    let (r, name) = crate::literal::string_token(r)?;
    let (r, _) = match sym(r, "]") {
        Ok(v) => v,
        Err(_) => {
            return Err(nom::Err::Failure(PErr::expected(
                ws(r),
                "`]` after bracketed name",
            )));
        }
    };
    Ok((r, Ident::new(name.node, span_between(start, r))))
}

/// An identifier that may contain `*` wildcards (`Net*`, `*Id`, `*`), or a bracketed name.
pub(crate) fn pattern_ident(i: &str) -> PResult<'_, Ident> {
    let i = ws(i);
    if i.starts_with("['") || i.starts_with("[\"") {
        return bracketed_ident(i);
    }
    let n = i
        .char_indices()
        .find(|&(_, c)| !(is_ident_char(c) || c == '*' || c == '$'))
        .map_or(i.len(), |(n, _)| n);
    if n == 0 {
        return fail(i, "a column name or pattern");
    }
    Ok((&i[n..], Ident::new(&i[..n], span_at(i, n))))
}

/// A dotted name such as `hint.strategy` or `query_now` (for params and `set`).
pub(crate) fn dotted_name(i: &str) -> PResult<'_, Ident> {
    let i = ws(i);
    let mut n = ident_len(i);
    if n == 0 {
        return fail(i, "a name");
    }
    loop {
        let rest = &i[n..];
        if let Some(after) = rest.strip_prefix('.') {
            let m = ident_len(after);
            if m > 0 {
                n += 1 + m;
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix('-') {
            let m = ident_len(after);
            if m > 0 {
                n += 1 + m;
                continue;
            }
        }
        break;
    }
    Ok((&i[n..], Ident::new(&i[..n], span_at(i, n))))
}

/// An operator name after `|`: letters, digits, `_` and inner hyphens (`project-away`).
pub(crate) fn operator_name(i: &str) -> PResult<'_, (&str, Span)> {
    let i = ws(i);
    let mut n = ident_len(i);
    if n == 0 {
        return fail(i, "a tabular operator");
    }
    while let Some(after) = i[n..].strip_prefix('-') {
        let m = ident_len(after);
        if m == 0 {
            break;
        }
        n += 1 + m;
    }
    Ok((&i[n..], (&i[..n], span_at(i, n))))
}

/// Describes the token at `i` for "found ..." messages: (description, leading trivia
/// length, token length).
pub(crate) fn describe_token(i: &str) -> (String, usize, usize) {
    let t = ws(i);
    let skip = i.len() - t.len();
    if t.is_empty() {
        return ("end of input".to_string(), skip, 0);
    }
    let n = ident_len(t);
    if n > 0 {
        return (format!("`{}`", &t[..n]), skip, n);
    }
    let first = t.chars().next().map_or(0, char::len_utf8);
    let digits = t
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .map_or(t.len(), |(n, _)| n);
    if t.as_bytes()[0].is_ascii_digit() {
        return (format!("`{}`", &t[..digits]), skip, digits);
    }
    if t.starts_with('\'') || t.starts_with('"') {
        return ("string literal".to_string(), skip, first);
    }
    for two in ["==", "!=", "<=", ">=", "=~", "!~", "..", "<>", "=>"] {
        if t.starts_with(two) {
            return (format!("`{two}`"), skip, 2);
        }
    }
    (format!("`{}`", &t[..first]), skip, first)
}

/// Words that end a tabular operator's argument list or expression: used to decide whether
/// an expression may continue.
pub(crate) fn at_terminator(i: &str) -> bool {
    let t = ws(i);
    t.is_empty()
        || t.starts_with('|')
        || t.starts_with(')')
        || t.starts_with(';')
        || t.starts_with('}')
        || t.starts_with(']')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_skips_comments() {
        assert_eq!(ws("  // c\n  // d\n x"), "x");
        assert_eq!(ws("// only"), "");
    }

    #[test]
    fn operator_names_keep_hyphens() {
        crate::depth::with_source("project-away x", || {
            let (rest, (name, span)) = operator_name("project-away x").unwrap();
            assert_eq!(name, "project-away");
            assert_eq!(span, 0..12);
            assert_eq!(rest, " x");
        });
    }

    #[test]
    fn describe_finds_token() {
        assert_eq!(describe_token("  bye x"), ("`bye`".into(), 2, 3));
        assert_eq!(describe_token(" "), ("end of input".into(), 1, 0));
        assert_eq!(describe_token("== 1"), ("`==`".into(), 0, 2));
    }
}

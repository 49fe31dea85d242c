//! Text-extraction operators: `parse`, `parse-where`, `parse-kv`.

use super::{params, with_props};
use crate::ast::{OperatorKind, ParsePart};
use crate::codes;
use crate::error::{PErr, PResult, expect};
use crate::expr::{column_decls, expr};
use crate::lexer::{at_terminator, ident, keyword, span_between, sym, ws};
use crate::literal::{at_string, string_lit, type_name};

/// `parse [kind=...] [flags=...] expr with pattern` (`where_` for `parse-where`).
pub(crate) fn parse(i: &str, where_: bool) -> PResult<'_, OperatorKind> {
    let name = if where_ { "parse-where" } else { "parse" };
    let (r, params) = params(i, &["kind", "flags"])?;
    let (r, e) = expect(r, &format!("an expression after `{name}`"), expr)?;
    let Ok((r, _)) = keyword(r, "with") else {
        return Err(nom::Err::Failure(PErr::expected_code(
            ws(r),
            codes::MISSING_KEYWORD,
            format!("`with` after the `{name}` expression"),
        )));
    };
    let mut pattern = Vec::new();
    let mut r = r;
    loop {
        let t = ws(r);
        if at_terminator(t) {
            break;
        }
        if let Some(rest) = t.strip_prefix('*') {
            pattern.push(ParsePart::Star(span_between(t, rest)));
            r = rest;
            continue;
        }
        if at_string(t) {
            let (r2, s) = string_lit(t)?;
            pattern.push(ParsePart::Literal(s));
            r = r2;
            continue;
        }
        let Ok((r2, name)) = ident(t) else {
            return Err(nom::Err::Failure(PErr::expected(
                t,
                "a string, `*` or a column name in the parse pattern",
            )));
        };
        if let Ok((r3, _)) = sym(r2, ":") {
            let (r3, ty) = expect(r3, "a type after `:`", type_name)?;
            pattern.push(ParsePart::Column { name, ty: Some(ty) });
            r = r3;
        } else {
            pattern.push(ParsePart::Column { name, ty: None });
            r = r2;
        }
    }
    if pattern.is_empty() {
        return Err(nom::Err::Failure(PErr::expected(
            ws(r),
            "a pattern after `with`",
        )));
    }
    Ok((
        r,
        OperatorKind::Parse {
            where_,
            params,
            expr: e,
            pattern,
        },
    ))
}

/// `parse-kv expr as (name:type, ...) [with (param=value, ...)]`
pub(crate) fn parse_kv(i: &str) -> PResult<'_, OperatorKind> {
    let (r, e) = expect(i, "an expression after `parse-kv`", expr)?;
    let Ok((r, _)) = keyword(r, "as") else {
        return Err(nom::Err::Failure(PErr::expected_code(
            ws(r),
            codes::MISSING_KEYWORD,
            "`as` after the `parse-kv` expression",
        )));
    };
    let (r, columns) = column_decls(r)?;
    let (r, with) = if let Ok((r2, _)) = keyword(r, "with") {
        with_props(r2)?
    } else {
        (r, Vec::new())
    };
    Ok((
        r,
        OperatorKind::ParseKv {
            expr: e,
            columns,
            with,
        },
    ))
}

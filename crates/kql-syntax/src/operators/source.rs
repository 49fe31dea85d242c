//! Source operators that start a pipeline (`print`, `range`, `union`, `search`, `find`,
//! `externaldata`, `evaluate`) and the remaining stages `evaluate`, `invoke`, `render`.

use super::join::union_leg;
use super::{assignment, comma_list, params, with_props};
use crate::ast::{Expr, ExprKind, Literal, Operator, OperatorKind, Spanned};
use crate::codes;
use crate::error::{PErr, PResult, expect};
use crate::expr::{
    call_args, close_bracket, close_paren, column_decls, continues_expression, expr, postfix_expr,
};
use crate::lexer::{ident, ident_len, keyword, peek_word, span_between, sym, word, ws};
use crate::literal::string_lit;

/// If a source operator starts at `i` (after trivia), parses it. A source keyword followed
/// by something that can only continue an expression (`print == 1`, `union, x`) is a column
/// name instead, and `None` is returned.
pub(crate) fn source_operator(i: &str) -> PResult<'_, Option<Operator>> {
    let t = ws(i);
    let Some(w) = peek_word(t) else {
        return Ok((i, None));
    };
    let after = &t[w.len()..];
    let is_op = match w {
        "print" => !continues_expression(after) || ws(after).starts_with('('),
        "union" | "search" | "find" => {
            !continues_expression(after)
                || ws(after).starts_with('(')
                || (ws(after).starts_with('*') && w != "find")
                || peek_word(after) == Some("in") && w != "union"
        }
        "range" => {
            let a = ws(after);
            let n = ident_len(a);
            n > 0 && peek_word(&a[n..]) == Some("from")
        }
        "externaldata" => ws(after).starts_with('('),
        "evaluate" => ident_len(ws(after)) > 0,
        _ => false,
    };
    if !is_op {
        return Ok((i, None));
    }
    let r = after;
    let kind = match w {
        "print" => print(r),
        "union" => super::join::union(r),
        "search" => search(r),
        "find" => find(r),
        "range" => range(r),
        "externaldata" => externaldata(r),
        _ => evaluate(r),
    };
    let (r, kind) = crate::error::cut(kind)?;
    Ok((r, Some(Spanned::new(kind, span_between(t, r)))))
}

/// `print [name =] expr, ...`
pub(crate) fn print(i: &str) -> PResult<'_, OperatorKind> {
    let (r, items) = comma_list(i, "an expression after `print`", assignment)?;
    Ok((r, OperatorKind::Print(items)))
}

/// `range name from a to b step c`
pub(crate) fn range(i: &str) -> PResult<'_, OperatorKind> {
    let (r, name) = expect(i, "a column name after `range`", ident)?;
    let (r, _) = expect(r, "`from` in `range`", |x| keyword(x, "from"))?;
    let (r, from) = expect(r, "a start value after `from`", expr)?;
    let (r, _) = expect(r, "`to` in `range`", |x| keyword(x, "to"))?;
    let (r, to) = expect(r, "an end value after `to`", expr)?;
    let (r, _) = expect(r, "`step` in `range`", |x| keyword(x, "step"))?;
    let (r, step) = expect(r, "a step value after `step`", expr)?;
    Ok((
        r,
        OperatorKind::Range {
            name,
            from,
            to,
            step,
        },
    ))
}

/// `in (T1, T2, ...)` (search, find)
fn in_tables(i: &str) -> PResult<'_, Vec<Expr>> {
    if let Ok((r, _)) = keyword(i, "in") {
        let (r, _) = expect(r, "`(` after `in`", |x| sym(x, "("))?;
        let (r, tables) = comma_list(r, "a table name", union_leg)?;
        let (r, _) = close_paren(r, "the table list `(`")?;
        return Ok((r, tables));
    }
    Ok((i, Vec::new()))
}

/// `search [kind=...] [in (T1, T2)] predicate`
pub(crate) fn search(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &["kind"])?;
    let (r, tables) = in_tables(r)?;
    let (r, predicate) = expect(r, "a search predicate", expr)?;
    Ok((
        r,
        OperatorKind::Search {
            params,
            tables,
            predicate,
        },
    ))
}

/// `find [withsource=C] [in (T1, ...)] where pred [project cols | project-smart]`
pub(crate) fn find(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &["withsource", "with_source", "kind"])?;
    let (r, tables) = in_tables(r)?;
    let (r, _) = expect(r, "`where` in `find`", |x| keyword(x, "where"))?;
    let (r, predicate) = expect(r, "a predicate after `where`", expr)?;
    let (r, project) = match crate::lexer::operator_name(r) {
        Ok((r2, ("project", _))) => {
            let (r2, cols) = comma_list(r2, "a column after `project`", expr)?;
            (r2, Some(cols))
        }
        Ok((r2, ("project-smart", _))) => (r2, None),
        _ => (r, None),
    };
    Ok((
        r,
        OperatorKind::Find {
            params,
            tables,
            predicate,
            project,
        },
    ))
}

/// `externaldata (col:type, ...) [ uris ] [with (props)]`
pub(crate) fn externaldata(i: &str) -> PResult<'_, OperatorKind> {
    let (r, columns) = column_decls(i)?;
    let (r, _) = expect(r, "`[` before the externaldata URIs", |x| sym(x, "["))?;
    let (r, uris) = comma_list(r, "a URI string", |x| {
        let (r, s) = string_lit(x)?;
        Ok((
            r,
            Spanned::new(ExprKind::Literal(Literal::String(s.node)), s.span),
        ))
    })?;
    let (r, _) = close_bracket(r, "]", "the URI list `[`")?;
    let (r, with) = if let Ok((r2, _)) = keyword(r, "with") {
        with_props(r2)?
    } else {
        (r, Vec::new())
    };
    Ok((
        r,
        OperatorKind::ExternalData {
            columns,
            uris,
            with,
        },
    ))
}

/// `evaluate [params] plugin(args)`
pub(crate) fn evaluate(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &[])?;
    let start = ws(r);
    let (r, name) = expect(start, "a plugin name after `evaluate`", ident)?;
    if !ws(r).starts_with('(') {
        return Err(nom::Err::Failure(PErr::expected(
            ws(r),
            "`(` after the plugin name",
        )));
    }
    let (r, args) = call_args(r)?;
    let call = Spanned::new(ExprKind::Call { name, args }, span_between(start, r));
    Ok((r, OperatorKind::Evaluate { params, call }))
}

/// `invoke function(args)`
pub(crate) fn invoke(i: &str) -> PResult<'_, OperatorKind> {
    let (r, e) = expect(i, "a function call after `invoke`", postfix_expr)?;
    Ok((r, OperatorKind::Invoke(e)))
}

/// `render visualization [with (props)]`
pub(crate) fn render(i: &str) -> PResult<'_, OperatorKind> {
    let (r, (w, span)) = match word(i) {
        Ok(v) => v,
        Err(_) => {
            return Err(nom::Err::Failure(PErr::expected_code(
                ws(i),
                codes::UNEXPECTED_TOKEN,
                "a visualization after `render`",
            )));
        }
    };
    let chart = crate::ast::Ident::new(w, span);
    let (r, with) = if let Ok((r2, _)) = keyword(r, "with") {
        with_props(r2)?
    } else {
        (r, Vec::new())
    };
    Ok((r, OperatorKind::Render { chart, with }))
}

//! Operators combining tables: `union`, `join`, `lookup`.

use super::{comma_list, params};
use crate::ast::{BinaryOp, Expr, ExprKind, JoinCondition, OperatorKind, Spanned};
use crate::codes;
use crate::error::{PErr, PResult, expect};
use crate::expr::{expr, postfix_expr};
use crate::lexer::{keyword, pattern_ident, ws};

/// One leg of `union`: `(subquery)`, a name pattern `Net*`, a name or a call.
pub(crate) fn union_leg(i: &str) -> PResult<'_, Expr> {
    let t = ws(i);
    if let Ok((r, p)) = pattern_ident(t)
        && p.name.contains('*')
        && !t.starts_with('[')
    {
        let span = p.span.clone();
        return Ok((r, Spanned::new(ExprKind::NamePattern(p), span)));
    }
    postfix_expr(t)
}

/// `union [params] legs`
pub(crate) fn union(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &["kind", "withsource", "with_source", "isfuzzy"])?;
    let (r, legs) = comma_list(r, "a table after `union`", union_leg)?;
    Ok((r, OperatorKind::Union { params, legs }))
}

/// Splits `a and b and c` into `[a, b, c]`.
fn flatten_and(e: Expr, out: &mut Vec<Expr>) {
    match e.node {
        ExprKind::Binary {
            op: BinaryOp::And,
            left,
            right,
        } => {
            flatten_and(*left, out);
            flatten_and(*right, out);
        }
        node => out.push(Spanned::new(node, e.span)),
    }
}

/// `on key, $left.a == $right.b and ...`
fn on_keys(i: &str) -> PResult<'_, Vec<Expr>> {
    let (r, items) = comma_list(i, "a join key after `on`", expr)?;
    let mut keys = Vec::new();
    for e in items {
        flatten_and(e, &mut keys);
    }
    Ok((r, keys))
}

/// The right side of `join`/`lookup`: `(subquery)` or a name/call.
fn right_side(i: &str) -> PResult<'_, Expr> {
    postfix_expr(i)
}

/// `join [params] right (on keys | where predicate)`
pub(crate) fn join(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &["kind"])?;
    let (r, right) = expect(
        r,
        "the right side of `join` (a table or `(subquery)`)",
        right_side,
    )?;
    let (r, condition) = if let Ok((r2, _)) = keyword(r, "on") {
        let (r2, keys) = on_keys(r2)?;
        (r2, JoinCondition::On(keys))
    } else if let Ok((r2, _)) = keyword(r, "where") {
        let (r2, e) = expect(r2, "a predicate after `where`", expr)?;
        (r2, JoinCondition::Where(e))
    } else {
        return Err(nom::Err::Failure(PErr::expected_code(
            ws(r),
            codes::MISSING_KEYWORD,
            "`on` or `where` after the right side of `join`",
        )));
    };
    Ok((
        r,
        OperatorKind::Join {
            params,
            right: Box::new(right),
            condition,
        },
    ))
}

/// `lookup [kind=...] right on keys`
pub(crate) fn lookup(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &["kind"])?;
    let (r, right) = expect(
        r,
        "the right side of `lookup` (a table or `(subquery)`)",
        right_side,
    )?;
    let Ok((r, _)) = keyword(r, "on") else {
        return Err(nom::Err::Failure(PErr::expected_code(
            ws(r),
            codes::MISSING_KEYWORD,
            "`on` after the right side of `lookup`",
        )));
    };
    let (r, on) = on_keys(r)?;
    Ok((
        r,
        OperatorKind::Lookup {
            params,
            right: Box::new(right),
            on,
        },
    ))
}

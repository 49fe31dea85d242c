//! Operators that expand rows or run a subquery per group: `mv-expand`, `mv-apply`,
//! `partition`, `facet`.

use super::{KNOWN_OPERATORS, comma_list, params};
use crate::ast::{Expr, MvExpandItem, OperatorKind};
use crate::codes;
use crate::error::{PErr, PResult, cut, expect};
use crate::expr::{at_named, close_bracket, close_paren, contextual_pipe, expr, pipe_expr};
use crate::lexer::{ident, keyword, operator_name, sym, ws};
use crate::literal::type_name;

/// `[Name =] expr [to typeof(T)]`
fn mv_item(i: &str) -> PResult<'_, MvExpandItem> {
    let (r, name) = if at_named(i) {
        let (r, n) = ident(i)?;
        let (r, _) = sym(r, "=")?;
        (r, Some(n))
    } else {
        (i, None)
    };
    let (r, e) = if name.is_some() {
        cut(expr(r))?
    } else {
        expr(r)?
    };
    if let Ok((r2, _)) = keyword(r, "to") {
        let (r2, _) = expect(r2, "`typeof` after `to`", |x| keyword(x, "typeof"))?;
        let (r2, _) = expect(r2, "`(` after `typeof`", |x| sym(x, "("))?;
        let (r2, t) = cut(type_name(r2))?;
        let (r2, _) = close_paren(r2, "`typeof(`")?;
        return Ok((
            r2,
            MvExpandItem {
                name,
                expr: e,
                to_type: Some(t),
            },
        ));
    }
    Ok((
        r,
        MvExpandItem {
            name,
            expr: e,
            to_type: None,
        },
    ))
}

fn items_and_limit<'a>(i: &'a str, op: &str) -> PResult<'a, (Vec<MvExpandItem>, Option<Expr>)> {
    let (r, items) = comma_list(i, &format!("an array expression after `{op}`"), mv_item)?;
    if let Ok((r2, _)) = keyword(r, "limit") {
        let (r2, n) = expect(r2, "a number after `limit`", expr)?;
        return Ok((r2, (items, Some(n))));
    }
    Ok((r, (items, None)))
}

/// `mv-expand [params] items [limit n]`
pub(crate) fn mv_expand(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &["kind", "bagexpansion", "with_itemindex"])?;
    let (r, (items, limit)) = items_and_limit(r, "mv-expand")?;
    Ok((
        r,
        OperatorKind::MvExpand {
            params,
            items,
            limit,
        },
    ))
}

/// A parenthesised contextual subquery `( op | op ... )`.
fn paren_subquery<'a>(i: &'a str, what: &str) -> PResult<'a, Expr> {
    let (r, _) = expect(i, &format!("`(` before the {what} subquery"), |x| {
        sym(x, "(")
    })?;
    let (r, q) = cut(contextual_pipe(r))?;
    let (r, _) = close_paren(r, &format!("the {what} subquery"))?;
    Ok((r, q))
}

/// `mv-apply [params] items [limit n] on (subquery)`
pub(crate) fn mv_apply(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &["kind", "with_itemindex"])?;
    let (r, (items, limit)) = items_and_limit(r, "mv-apply")?;
    let Ok((r, _)) = keyword(r, "on") else {
        return Err(nom::Err::Failure(PErr::expected_code(
            ws(r),
            codes::MISSING_KEYWORD,
            "`on` before the mv-apply subquery",
        )));
    };
    let (r, subquery) = paren_subquery(r, "mv-apply")?;
    Ok((
        r,
        OperatorKind::MvApply {
            params,
            items,
            limit,
            subquery: Box::new(subquery),
        },
    ))
}

/// `partition [params] by Col (subquery)` / `{ subquery }`
pub(crate) fn partition(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &[])?;
    let Ok((r, _)) = keyword(r, "by") else {
        return Err(nom::Err::Failure(PErr::expected_code(
            ws(r),
            codes::MISSING_KEYWORD,
            "`by` after `partition`",
        )));
    };
    let (r, by) = expect(r, "a column after `partition by`", ident)?;
    let t = ws(r);
    if t.starts_with('{') {
        let (r2, _) = sym(t, "{")?;
        let starts_with_op =
            operator_name(r2).is_ok_and(|(_, (w, _))| KNOWN_OPERATORS.contains(&w));
        let (r2, q) = if starts_with_op {
            cut(contextual_pipe(r2))?
        } else {
            cut(pipe_expr(r2))?
        };
        let (r2, _) = close_bracket(r2, "}", "the partition subquery `{`")?;
        return Ok((
            r2,
            OperatorKind::Partition {
                params,
                by,
                subquery: Box::new(q),
            },
        ));
    }
    let (r, q) = paren_subquery(r, "partition")?;
    Ok((
        r,
        OperatorKind::Partition {
            params,
            by,
            subquery: Box::new(q),
        },
    ))
}

/// `facet by cols [with (subquery)]`
pub(crate) fn facet(i: &str) -> PResult<'_, OperatorKind> {
    let Ok((r, _)) = keyword(i, "by") else {
        return Err(nom::Err::Failure(PErr::expected_code(
            ws(i),
            codes::MISSING_KEYWORD,
            "`by` after `facet`",
        )));
    };
    let (r, by) = comma_list(r, "a column after `facet by`", ident)?;
    if let Ok((r2, _)) = keyword(r, "with") {
        let (r2, q) = paren_subquery(r2, "facet")?;
        return Ok((
            r2,
            OperatorKind::Facet {
                by,
                with: Some(Box::new(q)),
            },
        ));
    }
    Ok((r, OperatorKind::Facet { by, with: None }))
}

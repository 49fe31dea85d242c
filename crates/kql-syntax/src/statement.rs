//! Statements: `let` (values, functions, views), `set`, `declare query_parameters(...)`,
//! and query expression statements, separated by `;`.

use crate::ast::{
    ColumnDecl, FunctionBody, FunctionDef, LetStmt, LetValue, Param, ParamType, Query, Spanned,
    Statement, StatementKind,
};
use crate::codes;
use crate::error::{PErr, PResult, cut, expect};
use crate::expr::{close_bracket, close_paren, expr, pipe_expr};
use crate::lexer::{
    at_keyword, at_sym, dotted_name, ident, ident_len, keyword, peek_word, span_between, sym, ws,
};
use crate::literal::type_name;

/// The whole query: statements separated by `;`.
pub(crate) fn query(src: &str) -> PResult<'_, Query> {
    let mut statements = Vec::new();
    let mut r = src;
    loop {
        let t = ws(r);
        if let Some(rest) = t.strip_prefix(';') {
            r = rest;
            continue;
        }
        if t.is_empty() {
            r = t;
            break;
        }
        let (r2, st) = statement(t)?;
        statements.push(st);
        let t2 = ws(r2);
        if t2.is_empty() || t2.starts_with(';') {
            r = t2;
            continue;
        }
        return Err(nom::Err::Failure(trailing(t2)));
    }
    if statements.is_empty() {
        return Err(nom::Err::Failure(PErr::custom(
            r,
            codes::EMPTY_QUERY,
            "the query is empty (it contains no statement)",
            0,
        )));
    }
    Ok((
        r,
        Query {
            statements,
            span: 0..src.len(),
        },
    ))
}

/// The error for input left after a complete statement.
pub(crate) fn trailing(t: &str) -> PErr<'_> {
    for close in [')', ']', '}'] {
        if t.starts_with(close) {
            return PErr::custom(
                t,
                codes::UNBALANCED_BRACKETS,
                format!("unexpected `{close}` without a matching opening bracket"),
                1,
            );
        }
    }
    PErr::expected_code(t, codes::TRAILING_INPUT, "`|`, `;` or the end of the query")
}

/// One statement.
fn statement(i: &str) -> PResult<'_, Statement> {
    let start = ws(i);
    let after_word = |w: &str| &start[w.len()..];
    match peek_word(start) {
        Some("let")
            if ident_len(ws(after_word("let"))) > 0 || ws(after_word("let")).starts_with('[') =>
        {
            let (r, l) = let_stmt(start)?;
            Ok((r, Spanned::new(StatementKind::Let(l.node), l.span)))
        }
        Some("set") if ident_len(ws(after_word("set"))) > 0 => {
            let (r, _) = keyword(start, "set")?;
            let (r, name) = expect(r, "an option name after `set`", dotted_name)?;
            let (r, value) = if let Ok((r2, _)) = sym(r, "=") {
                let (r2, v) = expect(r2, "a value after `=`", expr)?;
                (r2, Some(v))
            } else {
                (r, None)
            };
            Ok((
                r,
                Spanned::new(StatementKind::Set { name, value }, span_between(start, r)),
            ))
        }
        Some("declare") if peek_word(after_word("declare")) == Some("query_parameters") => {
            let (r, _) = keyword(start, "declare")?;
            let (r, _) = keyword(r, "query_parameters")?;
            let (r, params) = param_list(r)?;
            Ok((
                r,
                Spanned::new(
                    StatementKind::DeclareQueryParameters(params),
                    span_between(start, r),
                ),
            ))
        }
        _ => {
            let (r, e) = pipe_expr(start)?;
            let span = e.span.clone();
            Ok((r, Spanned::new(StatementKind::Expr(e), span)))
        }
    }
}

/// `let name = value`
pub(crate) fn let_stmt(i: &str) -> PResult<'_, Spanned<LetStmt>> {
    let start = ws(i);
    let (r, _) = keyword(start, "let")?;
    let (r, name) = expect(r, "a name after `let`", ident)?;
    let (r, _) = expect(r, "`=` after the `let` name", |x| sym(x, "="))?;
    let (r, value) = if at_keyword(r, "view") && ws(&ws(r)[4..]).starts_with('(') {
        let (r2, _) = keyword(r, "view")?;
        let (r2, f) = function_def(r2, true)?;
        (r2, LetValue::Function(f))
    } else if at_function_params(r) {
        let (r2, f) = function_def(r, false)?;
        (r2, LetValue::Function(f))
    } else {
        let (r2, e) = expect(r, "a value after `=`", pipe_expr)?;
        (r2, LetValue::Expr(e))
    };
    Ok((
        r,
        Spanned::new(LetStmt { name, value }, span_between(start, r)),
    ))
}

/// True when a function parameter list starts at `i`: `()` followed by `{`, or `(name:`.
fn at_function_params(i: &str) -> bool {
    let Ok((r, _)) = sym(i, "(") else {
        return false;
    };
    if let Ok((r2, _)) = sym(r, ")") {
        return ws(r2).starts_with('{');
    }
    match ident(r) {
        Ok((r2, _)) => at_sym(r2, ":"),
        Err(_) => false,
    }
}

/// `(params) { body }`
fn function_def(i: &str, is_view: bool) -> PResult<'_, FunctionDef> {
    crate::depth::grow(|| function_def_inner(i, is_view))
}

fn function_def_inner(i: &str, is_view: bool) -> PResult<'_, FunctionDef> {
    let (r, params) = param_list(i)?;
    let (r, _) = expect(r, "`{` before the function body", |x| sym(x, "{"))?;
    let _g = crate::depth::enter(r)?;
    let mut lets = Vec::new();
    let mut r = r;
    let body_expr;
    loop {
        let t = ws(r);
        if let Some(rest) = t.strip_prefix(';') {
            r = rest;
            continue;
        }
        if peek_word(t) == Some("let") {
            let (r2, l) = cut(let_stmt(t))?;
            lets.push(l);
            let t2 = ws(r2);
            if !t2.starts_with(';') {
                return Err(nom::Err::Failure(PErr::expected(
                    t2,
                    "`;` after the `let` statement in the function body",
                )));
            }
            r = t2;
            continue;
        }
        let (r2, e) = expect(t, "an expression in the function body", pipe_expr)?;
        body_expr = e;
        r = r2;
        while let Ok((r3, _)) = sym(r, ";") {
            r = r3;
        }
        break;
    }
    let (r, _) = close_bracket(r, "}", "the function body `{`")?;
    Ok((
        r,
        FunctionDef {
            params,
            body: FunctionBody {
                lets,
                expr: Box::new(body_expr),
            },
            is_view,
        },
    ))
}

/// `(name:type [= default], T:(*), ...)`
fn param_list(i: &str) -> PResult<'_, Vec<Param>> {
    let (r, _) = expect(i, "`(` before the parameter list", |x| sym(x, "("))?;
    let mut params = Vec::new();
    if let Ok((r2, _)) = sym(r, ")") {
        return Ok((r2, params));
    }
    let mut r = r;
    loop {
        let (r2, p) = param(r)?;
        params.push(p);
        if let Ok((r3, _)) = sym(r2, ",") {
            r = r3;
            continue;
        }
        let (r3, _) = close_paren(r2, "the parameter list `(`")?;
        return Ok((r3, params));
    }
}

/// `name:type [= default]` or `T:(*)` / `T:(a:string, *)`
fn param(i: &str) -> PResult<'_, Param> {
    let (r, name) = expect(i, "a parameter name", ident)?;
    let (r, _) = expect(r, "`:` after the parameter name", |x| sym(x, ":"))?;
    let (r, ty) = if let Ok((r2, _)) = sym(r, "(") {
        // Tabular parameter.
        if let Ok((r3, _)) = sym(r2, "*") {
            let (r3, _) = close_paren(r3, "the tabular parameter schema `(`")?;
            (
                r3,
                ParamType::Tabular {
                    columns: None,
                    open: true,
                },
            )
        } else {
            let mut cols = Vec::new();
            let mut open = false;
            let mut r3 = r2;
            loop {
                if let Ok((r4, _)) = sym(r3, "*") {
                    open = true;
                    r3 = r4;
                } else {
                    let (r4, cname) = expect(r3, "a column name or `*`", ident)?;
                    let (r4, _) = expect(r4, "`:` after the column name", |x| sym(x, ":"))?;
                    let (r4, cty) = cut(type_name(r4))?;
                    cols.push(ColumnDecl {
                        name: cname,
                        ty: cty,
                    });
                    r3 = r4;
                }
                if let Ok((r4, _)) = sym(r3, ",") {
                    r3 = r4;
                    continue;
                }
                break;
            }
            let (r3, _) = close_paren(r3, "the tabular parameter schema `(`")?;
            (
                r3,
                ParamType::Tabular {
                    columns: Some(cols),
                    open,
                },
            )
        }
    } else {
        let (r2, t) = cut(type_name(r))?;
        (r2, ParamType::Scalar(t))
    };
    let (r, default) = if let Ok((r2, _)) = sym(r, "=") {
        let (r2, d) = expect(r2, "a default value after `=`", expr)?;
        (r2, Some(d))
    } else {
        (r, None)
    };
    Ok((r, Param { name, ty, default }))
}

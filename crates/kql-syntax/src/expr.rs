//! Expressions by precedence climbing (lowest to highest): `|` pipe; `or`; `and`;
//! comparison, string, list and `between` operators; `+ -`; `* / %`; unary `- +`; postfix
//! `.name`, `[index]`; primary.
//!
//! Every construct is recognised by a cheap look-ahead before it is parsed, and parsed
//! once: there is no backtracking over sub-expressions, so nesting costs linear time.

use crate::ast::{
    Arg, BinaryOp, ColumnDecl, Expr, ExprKind, Ident, ListOp, Literal, StrOp, StrOpKind, UnaryOp,
};
use crate::ast::{Operator, Spanned};
use crate::codes;
use crate::depth::enter;
use crate::error::{PErr, PResult, cut, expect, fail};
use crate::lexer::{
    at_sym, at_terminator, ident, ident_len, keyword, peek_word, span_between, sym, word, ws,
};
use crate::literal::{
    TYPED_LITERAL_WORDS, at_number, at_string, number, string_lit, type_name, typed_literal,
};
use crate::operators;

/// A scalar expression (no top-level `|`): `or_expr`.
pub(crate) fn expr(i: &str) -> PResult<'_, Expr> {
    or_expr(i)
}

/// An expression that may be a pipeline: `source | op | op`, where the source may also be
/// a source operator (`print`, `range`, `union`, ...).
pub(crate) fn pipe_expr(i: &str) -> PResult<'_, Expr> {
    crate::depth::grow(|| pipe_expr_inner(i))
}

fn pipe_expr_inner(i: &str) -> PResult<'_, Expr> {
    let _g = enter(i)?;
    let i = ws(i);
    let (r, source) = match operators::source::source_operator(i)? {
        (r, Some(op)) => {
            let span = op.span.clone();
            (r, Spanned::new(ExprKind::Source(Box::new(op)), span))
        }
        (_, None) => or_expr(i)?,
    };
    pipeline_tail(i, r, Some(source))
}

/// The `| op | op` continuation of a pipeline whose source (if any) has been parsed.
fn pipeline_tail<'a>(start: &'a str, mut r: &'a str, source: Option<Expr>) -> PResult<'a, Expr> {
    let mut ops: Vec<Operator> = Vec::new();
    if source.is_none() {
        let (r2, op) = operators::operator(r)?;
        ops.push(op);
        r = after_operator(r2, ops.last())?.0;
    }
    while let Ok((r2, _)) = sym(r, "|") {
        if r2.starts_with('|') {
            break;
        }
        let (r3, op) = operators::operator(r2)?;
        ops.push(op);
        r = after_operator(r3, ops.last())?.0;
    }
    match source {
        Some(src) if ops.is_empty() => Ok((r, src)),
        source => Ok((
            r,
            Spanned::new(
                ExprKind::Pipeline {
                    source: source.map(Box::new),
                    ops,
                },
                span_between(start, r),
            ),
        )),
    }
}

/// After an operator: only `|`, a closing bracket, `,`, `;` or the end may follow.
fn after_operator<'a>(r: &'a str, op: Option<&Operator>) -> PResult<'a, &'a str> {
    let t = ws(r);
    if at_terminator(t) || t.starts_with(',') {
        return Ok((r, r));
    }
    let name = op.map_or("", |o| operators::operator_keyword(&o.node));
    let mut e = PErr::expected(
        t,
        format!("`|` or the end of the query after the `{name}` operator"),
    );
    if t.starts_with('=') && !t.starts_with("==") && !t.starts_with("=~") {
        e = e.with_help("use `==` to compare values");
    }
    Err(nom::Err::Failure(e))
}

/// A contextual subquery: an operator without source, then `| op ...`
/// (`mv-apply ... on (summarize ...)`, `partition by X (top 3 by y)`).
pub(crate) fn contextual_pipe(i: &str) -> PResult<'_, Expr> {
    crate::depth::grow(|| contextual_pipe_inner(i))
}

fn contextual_pipe_inner(i: &str) -> PResult<'_, Expr> {
    let _g = enter(i)?;
    let i = ws(i);
    pipeline_tail(i, i, None)
}

fn or_expr(i: &str) -> PResult<'_, Expr> {
    let (mut r, mut left) = and_expr(i)?;
    while let Ok((r2, _)) = keyword(r, "or") {
        let (r3, right) = cut(and_expr(r2))?;
        left = binary(BinaryOp::Or, left, right);
        r = r3;
    }
    Ok((r, left))
}

fn and_expr(i: &str) -> PResult<'_, Expr> {
    let (mut r, mut left) = cmp_expr(i)?;
    while let Ok((r2, _)) = keyword(r, "and") {
        let (r3, right) = cut(cmp_expr(r2))?;
        left = binary(BinaryOp::And, left, right);
        r = r3;
    }
    Ok((r, left))
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    let span = left.span.start..right.span.end;
    Spanned::new(
        ExprKind::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        },
        span,
    )
}

/// The comparison-level operators.
enum CmpOp {
    Bin(BinaryOp),
    List(ListOp),
    Between(bool),
}

fn str_op(kind: StrOpKind, negated: bool, case_sensitive: bool) -> CmpOp {
    CmpOp::Bin(BinaryOp::Str(StrOp {
        kind,
        negated,
        case_sensitive,
    }))
}

/// Word-shaped comparison operators (without the `!` prefix).
fn word_op(w: &str, negated: bool) -> Option<CmpOp> {
    use StrOpKind::*;
    let (base, cs) = match w.strip_suffix("_cs") {
        Some(b) => (b, true),
        None => (w, false),
    };
    let kind = match base {
        "has" => Has,
        "hasprefix" => HasPrefix,
        "hassuffix" => HasSuffix,
        "contains" => Contains,
        "startswith" => StartsWith,
        "endswith" => EndsWith,
        "in" if !cs => {
            return Some(CmpOp::List(if negated {
                ListOp::NotIn
            } else {
                ListOp::In
            }));
        }
        "between" if !cs => return Some(CmpOp::Between(negated)),
        "has_any" if !cs && !negated => return Some(CmpOp::List(ListOp::HasAny)),
        "has_all" if !cs && !negated => return Some(CmpOp::List(ListOp::HasAll)),
        "notcontains" if !negated => return Some(str_op(Contains, true, cs)),
        "nothas" if !negated => return Some(str_op(Has, true, cs)),
        "containscs" if !negated => return Some(str_op(Contains, false, true)),
        "notcontainscs" if !negated => return Some(str_op(Contains, true, true)),
        _ => return None,
    };
    Some(str_op(kind, negated, cs))
}

/// Recognises a comparison-level operator at `i`: returns it with the rest of the input.
fn cmp_op(i: &str) -> Option<(CmpOp, &str)> {
    let t = ws(i);
    for (s, op) in [
        ("==", BinaryOp::Eq),
        ("!=", BinaryOp::NotEq),
        ("<>", BinaryOp::NotEq),
        ("<=", BinaryOp::Le),
        (">=", BinaryOp::Ge),
        ("=~", BinaryOp::EqCi),
        ("!~", BinaryOp::NotEqCi),
        ("<", BinaryOp::Lt),
        (">", BinaryOp::Gt),
    ] {
        if let Some(r) = t.strip_prefix(s) {
            return Some((CmpOp::Bin(op), r));
        }
    }
    let (negated, body) = match t.strip_prefix('!') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let n = ident_len(body);
    if n == 0 {
        return None;
    }
    let w = &body[..n];
    let r = &body[n..];
    if w == "matches" && !negated {
        if let Ok((r2, _)) = keyword(r, "regex") {
            return Some((CmpOp::Bin(BinaryOp::MatchesRegex), r2));
        }
        return None;
    }
    let op = word_op(w, negated)?;
    match op {
        CmpOp::List(ListOp::In) | CmpOp::List(ListOp::NotIn) => {
            let (op, r) = match r.strip_prefix('~') {
                Some(r2) => (
                    if negated {
                        ListOp::NotInCi
                    } else {
                        ListOp::InCi
                    },
                    r2,
                ),
                None => (if negated { ListOp::NotIn } else { ListOp::In }, r),
            };
            // `x in range(...)` (make-series) is not a list operator: a list needs `(`.
            ws(r).starts_with('(').then_some((CmpOp::List(op), r))
        }
        CmpOp::List(_) | CmpOp::Between(_) => ws(r).starts_with('(').then_some((op, r)),
        op => Some((op, r)),
    }
}

fn cmp_expr(i: &str) -> PResult<'_, Expr> {
    let (mut r, mut left) = add_expr(i)?;
    while let Some((op, r2)) = cmp_op(r) {
        match op {
            CmpOp::Bin(op) => {
                let (r3, right) = cut(add_expr(r2))?;
                left = binary(op, left, right);
                r = r3;
            }
            CmpOp::List(op) => {
                let (r3, items) = cut(paren_list(r2))?;
                let span = left.span.start..crate::depth::offset(r3);
                left = Spanned::new(
                    ExprKind::List {
                        op,
                        expr: Box::new(left),
                        items,
                    },
                    span,
                );
                r = r3;
            }
            CmpOp::Between(negated) => {
                let (r3, _) = expect(r2, "`(` after `between`", |x| sym(x, "("))?;
                let (r3, low) = cut(add_expr(r3))?;
                let (r3, _) = expect(r3, "`..` in `between (low .. high)`", |x| sym(x, ".."))?;
                let (r3, high) = cut(add_expr(r3))?;
                let (r3, _) = close_paren(r3, "`between (`")?;
                let span = left.span.start..crate::depth::offset(r3);
                left = Spanned::new(
                    ExprKind::Between {
                        negated,
                        expr: Box::new(left),
                        low: Box::new(low),
                        high: Box::new(high),
                    },
                    span,
                );
                r = r3;
            }
        }
    }
    Ok((r, left))
}

/// `( item, item, ... )` where each item may be a pipeline.
fn paren_list(i: &str) -> PResult<'_, Vec<Expr>> {
    let (r, _) = sym(i, "(")?;
    let _g = enter(r)?;
    let mut items = Vec::new();
    let mut r = r;
    if let Ok((r2, _)) = sym(r, ")") {
        return Ok((r2, items));
    }
    loop {
        let (r2, e) = cut(pipe_expr(r))?;
        items.push(e);
        if let Ok((r3, _)) = sym(r2, ",") {
            r = r3;
            continue;
        }
        let (r3, _) = close_paren(r2, "the list `(`")?;
        return Ok((r3, items));
    }
}

/// Expects `)` closing `what`; at the end of input this is an unbalanced-bracket error.
pub(crate) fn close_paren<'a>(i: &'a str, what: &str) -> PResult<'a, crate::ast::Span> {
    close_bracket(i, ")", what)
}

/// Expects the closing bracket `close` for `what`.
pub(crate) fn close_bracket<'a>(
    i: &'a str,
    close: &str,
    what: &str,
) -> PResult<'a, crate::ast::Span> {
    match sym(i, close) {
        Ok(v) => Ok(v),
        Err(_) => {
            let t = ws(i);
            let code = if t.is_empty() || t.starts_with(';') {
                codes::UNBALANCED_BRACKETS
            } else {
                codes::UNEXPECTED_TOKEN
            };
            Err(nom::Err::Failure(PErr::expected_code(
                t,
                code,
                format!("`{close}` to close {what}"),
            )))
        }
    }
}

fn add_expr(i: &str) -> PResult<'_, Expr> {
    let (mut r, mut left) = mul_expr(i)?;
    loop {
        let t = ws(r);
        let op = if t.starts_with('+') {
            BinaryOp::Add
        } else if t.starts_with('-') {
            BinaryOp::Sub
        } else {
            break;
        };
        let (r2, right) = cut(mul_expr(&t[1..]))?;
        left = binary(op, left, right);
        r = r2;
    }
    Ok((r, left))
}

fn mul_expr(i: &str) -> PResult<'_, Expr> {
    let (mut r, mut left) = unary_expr(i)?;
    loop {
        let t = ws(r);
        let op = if t.starts_with('*') {
            BinaryOp::Mul
        } else if t.starts_with('/') && !t.starts_with("//") {
            BinaryOp::Div
        } else if t.starts_with('%') {
            BinaryOp::Mod
        } else {
            break;
        };
        let (r2, right) = cut(unary_expr(&t[1..]))?;
        left = binary(op, left, right);
        r = r2;
    }
    Ok((r, left))
}

fn unary_expr(i: &str) -> PResult<'_, Expr> {
    let t = ws(i);
    let op = if t.starts_with('-') {
        UnaryOp::Neg
    } else if t.starts_with('+') {
        UnaryOp::Plus
    } else {
        return postfix_expr(t);
    };
    let _g = enter(t)?;
    let (r, operand) = crate::depth::grow(|| cut(unary_expr(&t[1..])))?;
    let span = span_between(t, r);
    Ok((
        r,
        Spanned::new(
            ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            span,
        ),
    ))
}

pub(crate) fn postfix_expr(i: &str) -> PResult<'_, Expr> {
    let start = ws(i);
    let (mut r, mut e) = primary(start)?;
    loop {
        if let Ok((r2, _)) = sym(r, ".") {
            if ws(r2).starts_with('[') && !ws(r2).starts_with("['") && !ws(r2).starts_with("[\"") {
                // `a.[0]`: an index written after a dot.
                r = r2;
                continue;
            }
            let (r3, name) = expect(r2, "a member name after `.`", ident)?;
            let span = span_between(start, r3);
            e = Spanned::new(
                ExprKind::Member {
                    target: Box::new(e),
                    name,
                },
                span,
            );
            r = r3;
        } else if ws(r).starts_with('[') {
            let (r2, _) = sym(r, "[")?;
            let _g = enter(r2)?;
            let (r3, index) = cut(pipe_expr(r2))?;
            let (r3, _) = close_bracket(r3, "]", "the index `[`")?;
            let span = span_between(start, r3);
            e = Spanned::new(
                ExprKind::Index {
                    target: Box::new(e),
                    index: Box::new(index),
                },
                span,
            );
            r = r3;
        } else {
            return Ok((r, e));
        }
    }
}

/// True for `true`, `True`, `TRUE` (and the same for false).
fn bool_word(w: &str) -> Option<bool> {
    match w {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn primary(i: &str) -> PResult<'_, Expr> {
    let i = ws(i);
    if i.starts_with('(') {
        let _g = enter(i)?;
        let (r, _) = sym(i, "(")?;
        let (r, e) = cut(pipe_expr(r))?;
        let (r, _) = close_paren(r, "`(`")?;
        return Ok((r, e));
    }
    if at_string(i) {
        let (r, s) = string_lit(i)?;
        return Ok((
            r,
            Spanned::new(ExprKind::Literal(Literal::String(s.node)), s.span),
        ));
    }
    if at_number(i) {
        let (r, n) = number(i)?;
        return Ok((r, Spanned::new(ExprKind::Literal(n.node), n.span)));
    }
    if let Some(r) = i.strip_prefix('*') {
        return Ok((r, Spanned::new(ExprKind::Star, span_between(i, r))));
    }
    if i.starts_with('[') {
        let (r, id) = ident(i)?;
        return name_or_call(i, r, id);
    }
    let Ok((r, (w, span))) = word(i) else {
        return fail(i, "an expression");
    };
    if let Some(b) = bool_word(w) {
        return Ok((
            r,
            Spanned::new(ExprKind::Literal(Literal::Bool(Some(b))), span),
        ));
    }
    let followed_by_paren = ws(r).starts_with('(');
    if followed_by_paren {
        if TYPED_LITERAL_WORDS.contains(&w) {
            let (r2, lit) = typed_literal(i, w, ws(r))?;
            return Ok((r2, Spanned::new(ExprKind::Literal(lit.node), lit.span)));
        }
        if w == "typeof" {
            let (r2, _) = sym(r, "(")?;
            let (r2, t) = cut(type_name(r2))?;
            let (r2, _) = close_paren(r2, "`typeof(`")?;
            return Ok((r2, Spanned::new(ExprKind::TypeOf(t), span_between(i, r2))));
        }
        if w == "datatable" {
            return datatable(i, r);
        }
    }
    name_or_call(i, r, Ident::new(w, span))
}

/// `name` or `name(args)`.
fn name_or_call<'a>(start: &'a str, r: &'a str, name: Ident) -> PResult<'a, Expr> {
    if ws(r).starts_with('(') {
        let (r2, args) = call_args(r)?;
        let span = span_between(start, r2);
        return Ok((r2, Spanned::new(ExprKind::Call { name, args }, span)));
    }
    let span = name.span.clone();
    Ok((r, Spanned::new(ExprKind::Name(name), span)))
}

/// True when `name =` (but not `==`, `=~`) follows at `i`.
pub(crate) fn at_named(i: &str) -> bool {
    match ident(i) {
        Ok((r, _)) => at_sym(r, "="),
        Err(_) => false,
    }
}

/// `( [name =] value, ... )`: the arguments of a call.
pub(crate) fn call_args(i: &str) -> PResult<'_, Vec<Arg>> {
    let (r, _) = sym(i, "(")?;
    let _g = enter(r)?;
    let mut args = Vec::new();
    if let Ok((r2, _)) = sym(r, ")") {
        return Ok((r2, args));
    }
    let mut r = r;
    loop {
        let (r2, name) = if at_named(r) {
            let (r2, n) = ident(r)?;
            let (r2, _) = sym(r2, "=")?;
            (r2, Some(n))
        } else {
            (r, None)
        };
        let (r2, value) = cut(pipe_expr(r2))?;
        args.push(Arg { name, value });
        if let Ok((r3, _)) = sym(r2, ",") {
            r = r3;
            continue;
        }
        let (r3, _) = close_paren(r2, "the argument list `(`")?;
        return Ok((r3, args));
    }
}

/// `(name:type, ...)`: column declarations (datatable, externaldata, parse-kv).
pub(crate) fn column_decls(i: &str) -> PResult<'_, Vec<ColumnDecl>> {
    let (r, _) = expect(i, "`(` before the column list", |x| sym(x, "("))?;
    let mut cols = Vec::new();
    let mut r = r;
    if let Ok((r2, _)) = sym(r, ")") {
        return Ok((r2, cols));
    }
    loop {
        let (r2, name) = expect(r, "a column name", ident)?;
        let (r2, _) = expect(r2, "`:` after the column name", |x| sym(x, ":"))?;
        let (r2, ty) = cut(type_name(r2))?;
        cols.push(ColumnDecl { name, ty });
        if let Ok((r3, _)) = sym(r2, ",") {
            r = r3;
            continue;
        }
        let (r3, _) = close_paren(r2, "the column list `(`")?;
        return Ok((r3, cols));
    }
}

/// `datatable(col:type, ...) [v, v, ...]` (`r` is after the `datatable` keyword).
fn datatable<'a>(start: &'a str, r: &'a str) -> PResult<'a, Expr> {
    let (r, columns) = column_decls(r)?;
    let (r, _) = expect(r, "`[` before the datatable values", |x| sym(x, "["))?;
    let _g = enter(r)?;
    let mut values = Vec::new();
    let mut r = r;
    if let Ok((r2, _)) = sym(r, "]") {
        r = r2;
    } else {
        loop {
            let (r2, v) = cut(expr(r))?;
            values.push(v);
            if let Ok((r3, _)) = sym(r2, ",") {
                // Allow a trailing comma before `]`.
                if let Ok((r4, _)) = sym(r3, "]") {
                    r = r4;
                    break;
                }
                r = r3;
                continue;
            }
            let (r3, _) = close_bracket(r2, "]", "the datatable values `[`")?;
            r = r3;
            break;
        }
    }
    let span = span_between(start, r);
    Ok((
        r,
        Spanned::new(ExprKind::Datatable { columns, values }, span),
    ))
}

/// True when the word after `i` is one that can only continue an expression (so a
/// preceding keyword is a column name, not an operator keyword).
pub(crate) fn continues_expression(i: &str) -> bool {
    let t = ws(i);
    if at_terminator(t) {
        return true;
    }
    if [",", ".", "=", "+", "*", "/", "%", "<", ">", "!"]
        .iter()
        .any(|p| t.starts_with(p))
    {
        return true;
    }
    if cmp_op(t).is_some() {
        return true;
    }
    matches!(peek_word(t), Some("and" | "or"))
}

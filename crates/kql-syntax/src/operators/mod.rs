//! Tabular operators: the dispatcher from an operator name to its parser (one file per
//! operator family), and helpers shared by several operators (parameters, assignments,
//! sort keys).

pub(crate) mod aggregate;
pub(crate) mod expand;
pub(crate) mod filter;
pub(crate) mod join;
pub(crate) mod parse;
pub(crate) mod project;
pub(crate) mod source;

use crate::ast::{
    Assignment, ExprKind, Ident, Literal, NullsOrder, OpParam, Operator, OperatorKind, SortDir,
    SortKey, Spanned,
};
use crate::codes;
use crate::error::{PErr, PResult, cut, expect, fail};
use crate::expr::{at_named, close_paren, expr};
use crate::lexer::{
    at_sym, dotted_name, ident, ident_len, keyword, operator_name, peek_word, span_between, sym, ws,
};
use crate::literal::{at_number, at_string, number, string_lit};

/// Every tabular operator name the parser accepts after `|` (including aliases and legacy
/// spellings), for "did you mean" suggestions. The source-only forms `range`,
/// `externaldata` and `datatable` start a pipeline and are not listed.
pub const KNOWN_OPERATORS: &[&str] = &[
    "as",
    "consume",
    "count",
    "distinct",
    "evaluate",
    "extend",
    "facet",
    "filter",
    "find",
    "getschema",
    "invoke",
    "join",
    "limit",
    "lookup",
    "make-series",
    "mv-apply",
    "mv-expand",
    "mvapply",
    "mvexpand",
    "order",
    "parse",
    "parse-kv",
    "parse-where",
    "partition",
    "print",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "reduce",
    "render",
    "sample",
    "sample-distinct",
    "search",
    "serialize",
    "sort",
    "summarize",
    "take",
    "top",
    "top-nested",
    "union",
    "where",
];

/// One operator after `|` (or the first operator of a contextual subquery).
pub(crate) fn operator(i: &str) -> PResult<'_, Operator> {
    let start = ws(i);
    let (r, (name, nspan)) = match operator_name(start) {
        Ok(v) => v,
        Err(_) => {
            return Err(nom::Err::Failure(PErr::expected(
                start,
                "a tabular operator after `|`",
            )));
        }
    };
    let kind = match name {
        "where" | "filter" => filter::where_(r),
        "extend" => project::extend(r),
        "project" => project::project(r),
        "project-away" => project::project_away(r),
        "project-keep" => project::project_keep(r),
        "project-rename" => project::project_rename(r),
        "project-reorder" => project::project_reorder(r),
        "summarize" => aggregate::summarize(r),
        "count" => filter::count(r),
        "take" | "limit" => filter::take(r),
        "top" => filter::top(r),
        "sort" | "order" => filter::sort(r, name),
        "distinct" => filter::distinct(r),
        "union" => join::union(r),
        "join" => join::join(r),
        "lookup" => join::lookup(r),
        "mv-expand" | "mvexpand" => expand::mv_expand(r),
        "mv-apply" | "mvapply" => expand::mv_apply(r),
        "make-series" => aggregate::make_series(r),
        "parse" => parse::parse(r, false),
        "parse-where" => parse::parse(r, true),
        "parse-kv" => parse::parse_kv(r),
        "evaluate" => source::evaluate(r),
        "invoke" => source::invoke(r),
        "render" => source::render(r),
        "serialize" => filter::serialize(r),
        "top-nested" => aggregate::top_nested(r),
        "as" => filter::as_(r),
        "getschema" => Ok((r, OperatorKind::GetSchema)),
        "consume" => Ok((r, OperatorKind::Consume)),
        "sample" => filter::sample(r),
        "sample-distinct" => filter::sample_distinct(r),
        "search" => source::search(r),
        "find" => source::find(r),
        "print" => source::print(r),
        "partition" => expand::partition(r),
        "reduce" => aggregate::reduce(r),
        "facet" => expand::facet(r),
        _ => {
            let mut e = PErr::custom(
                start,
                codes::UNKNOWN_OPERATOR,
                format!("unknown tabular operator `{name}`"),
                nspan.len(),
            );
            if let Some(s) = crate::suggest::closest(name, KNOWN_OPERATORS.iter().copied()) {
                e = e.with_help(format!("did you mean `{s}`?"));
            }
            return Err(nom::Err::Failure(e));
        }
    };
    let (r, kind) = cut(kind)?;
    Ok((r, Spanned::new(kind, span_between(start, r))))
}

/// The canonical keyword of an operator (for messages and `Display`).
pub(crate) fn operator_keyword(op: &OperatorKind) -> &'static str {
    use OperatorKind::*;
    match op {
        Where(_) => "where",
        Extend(_) => "extend",
        Project(_) => "project",
        ProjectAway(_) => "project-away",
        ProjectKeep(_) => "project-keep",
        ProjectRename(_) => "project-rename",
        ProjectReorder(_) => "project-reorder",
        Summarize { .. } => "summarize",
        Count { .. } => "count",
        Take(_) => "take",
        Top { .. } => "top",
        Sort(_) => "sort",
        Distinct(_) => "distinct",
        Union { .. } => "union",
        Join { .. } => "join",
        Lookup { .. } => "lookup",
        MvExpand { .. } => "mv-expand",
        MvApply { .. } => "mv-apply",
        MakeSeries { .. } => "make-series",
        Parse { where_: false, .. } => "parse",
        Parse { where_: true, .. } => "parse-where",
        ParseKv { .. } => "parse-kv",
        Evaluate { .. } => "evaluate",
        Invoke(_) => "invoke",
        Render { .. } => "render",
        Serialize(_) => "serialize",
        TopNested(_) => "top-nested",
        As { .. } => "as",
        GetSchema => "getschema",
        Sample(_) => "sample",
        SampleDistinct { .. } => "sample-distinct",
        Print(_) => "print",
        Range { .. } => "range",
        Search { .. } => "search",
        Find { .. } => "find",
        ExternalData { .. } => "externaldata",
        Partition { .. } => "partition",
        Reduce { .. } => "reduce",
        Facet { .. } => "facet",
        Consume => "consume",
    }
}

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

/// Operator parameters `name=value` whose (lower-cased) name is in `allowed` or starts with
/// `hint.`. Stops at the first thing that is not such a parameter.
pub(crate) fn params<'a>(mut i: &'a str, allowed: &[&str]) -> PResult<'a, Vec<OpParam>> {
    let mut out = Vec::new();
    loop {
        let Ok((r, name)) = dotted_name(i) else {
            return Ok((i, out));
        };
        let lower = name.name.to_ascii_lowercase();
        let known = allowed.contains(&lower.as_str()) || lower.starts_with("hint.");
        if !known || !at_sym(r, "=") {
            return Ok((i, out));
        }
        let (r, _) = sym(r, "=")?;
        let (r, value) = cut(param_value(r))?;
        out.push(OpParam {
            name: Ident::new(lower, name.span),
            value,
        });
        i = r;
    }
}

/// A parameter value: a string, a (signed) number, `true`/`false`, or a plain word.
pub(crate) fn param_value(i: &str) -> PResult<'_, crate::ast::Expr> {
    let t = ws(i);
    if at_string(t) {
        let (r, s) = string_lit(t)?;
        return Ok((
            r,
            Spanned::new(ExprKind::Literal(Literal::String(s.node)), s.span),
        ));
    }
    if at_number(t) {
        let (r, n) = number(t)?;
        return Ok((r, Spanned::new(ExprKind::Literal(n.node), n.span)));
    }
    if t.starts_with('-') && at_number(ws(&t[1..])) {
        let (r, n) = number(&t[1..])?;
        let span = span_between(t, r);
        let operand = Spanned::new(ExprKind::Literal(n.node), n.span);
        return Ok((
            r,
            Spanned::new(
                ExprKind::Unary {
                    op: crate::ast::UnaryOp::Neg,
                    operand: Box::new(operand),
                },
                span,
            ),
        ));
    }
    if ident_len(t) == 0 && !t.starts_with("['") && !t.starts_with("[\"") {
        return fail(t, "a parameter value");
    }
    let (r, id) = ident(t)?;
    let kind = match id.name.as_str() {
        "true" | "True" | "TRUE" => ExprKind::Literal(Literal::Bool(Some(true))),
        "false" | "False" | "FALSE" => ExprKind::Literal(Literal::Bool(Some(false))),
        _ => ExprKind::Name(id.clone()),
    };
    Ok((r, Spanned::new(kind, id.span)))
}

/// `(name = value, ...)` after `with` (render, externaldata, parse-kv).
pub(crate) fn with_props(i: &str) -> PResult<'_, Vec<OpParam>> {
    let (r, _) = expect(i, "`(` after `with`", |x| sym(x, "("))?;
    let mut out = Vec::new();
    let mut r = r;
    if let Ok((r2, _)) = sym(r, ")") {
        return Ok((r2, out));
    }
    loop {
        let (r2, name) = expect(r, "a property name", dotted_name)?;
        let (r2, _) = expect(r2, "`=` after the property name", |x| sym(x, "="))?;
        let (r2, value) = cut(param_value(r2))?;
        out.push(OpParam { name, value });
        if let Ok((r3, _)) = sym(r2, ",") {
            r = r3;
            continue;
        }
        let (r3, _) = close_paren(r2, "the property list `(`")?;
        return Ok((r3, out));
    }
}

/// True when a tuple target list `(a, b, ...) =` starts at `i`.
fn at_tuple_target(i: &str) -> bool {
    let Ok((mut r, _)) = sym(i, "(") else {
        return false;
    };
    loop {
        let Ok((r2, _)) = ident(r) else { return false };
        if let Ok((r3, _)) = sym(r2, ",") {
            r = r3;
            continue;
        }
        return match sym(r2, ")") {
            Ok((r3, _)) => at_sym(r3, "="),
            Err(_) => false,
        };
    }
}

/// `[name =] expr` or `(a, b) = expr`.
pub(crate) fn assignment(i: &str) -> PResult<'_, Assignment> {
    if at_tuple_target(i) {
        let (mut r, _) = sym(i, "(")?;
        let mut names = Vec::new();
        loop {
            let (r2, n) = ident(r)?;
            names.push(n);
            if let Ok((r3, _)) = sym(r2, ",") {
                r = r3;
                continue;
            }
            let (r3, _) = sym(r2, ")")?;
            r = r3;
            break;
        }
        let (r, _) = sym(r, "=")?;
        let (r, e) = cut(expr(r))?;
        return Ok((
            r,
            Assignment {
                names,
                tuple: true,
                expr: e,
            },
        ));
    }
    if at_named(i) {
        let (r, n) = ident(i)?;
        let (r, _) = sym(r, "=")?;
        let (r, e) = cut(expr(r))?;
        return Ok((
            r,
            Assignment {
                names: vec![n],
                tuple: false,
                expr: e,
            },
        ));
    }
    let (r, e) = expr(i)?;
    Ok((
        r,
        Assignment {
            names: Vec::new(),
            tuple: false,
            expr: e,
        },
    ))
}

/// A comma-separated list of at least one item parsed by `p`; `what` names an item for
/// "expected ..." messages.
pub(crate) fn comma_list<'a, T>(
    i: &'a str,
    what: &str,
    mut p: impl FnMut(&'a str) -> PResult<'a, T>,
) -> PResult<'a, Vec<T>> {
    let mut out = Vec::new();
    let (mut r, first) = expect(i, what, &mut p)?;
    out.push(first);
    while let Ok((r2, _)) = sym(r, ",") {
        let (r3, item) = expect(r2, what, &mut p)?;
        out.push(item);
        r = r3;
    }
    Ok((r, out))
}

/// `expr [asc|desc] [nulls first|last]`
pub(crate) fn sort_key(i: &str) -> PResult<'_, SortKey> {
    let (mut r, e) = expr(i)?;
    let mut dir = None;
    if let Ok((r2, _)) = keyword(r, "asc") {
        dir = Some(SortDir::Asc);
        r = r2;
    } else if let Ok((r2, _)) = keyword(r, "desc") {
        dir = Some(SortDir::Desc);
        r = r2;
    }
    let mut nulls = None;
    if let Ok((r2, _)) = keyword(r, "nulls") {
        if let Ok((r3, _)) = keyword(r2, "first") {
            nulls = Some(NullsOrder::First);
            r = r3;
        } else {
            let (r3, _) = expect(r2, "`first` or `last` after `nulls`", |x| {
                keyword(x, "last")
            })?;
            nulls = Some(NullsOrder::Last);
            r = r3;
        }
    }
    Ok((
        r,
        SortKey {
            expr: e,
            dir,
            nulls,
        },
    ))
}

/// True when the next word is `kw` used as a keyword (not followed by `=`, `,`, ...
/// which would make it a column name).
pub(crate) fn at_clause_keyword(i: &str, kw: &str) -> bool {
    if peek_word(i) != Some(kw) {
        return false;
    }
    let Ok((r, _)) = keyword(i, kw) else {
        return false;
    };
    let t = ws(r);
    !(at_sym(t, "=")
        || t.starts_with(',')
        || t.starts_with(')')
        || t.starts_with('|')
        || t.is_empty())
}

//! Functions whose lowering needs more than a 1:1 UDF call: conditionals, null/empty tests,
//! conversions, `now`/`ago` (one instant per query), `toscalar` (executed at plan time),
//! `column_ifexists` (decided against the schema), `strcat`, `bin`, `extract`, ...

use super::{Builder, CallSite, arity, positional};
use crate::error::{self, PResult, err};
use crate::expr::{DynForm, ExprCtx, Typed, lower_literal};
use crate::planner::Planner;
use crate::types::{KqlType, comparable};
use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn::{coalesce, concat, concat_ws, greatest, least};
use datafusion::logical_expr::{Expr, lit, when};
use kql_syntax::ast::{ExprKind, Literal};
use std::ops::Not;

/// Names handled here.
pub(crate) const NAMES: &[&str] = &[
    "iff",
    "iif",
    "case",
    "coalesce",
    "isempty",
    "isnotempty",
    "isnull",
    "isnotnull",
    "not",
    "now",
    "ago",
    "toscalar",
    "column_ifexists",
    "strcat",
    "strcat_delim",
    "tostring",
    "toint",
    "tolong",
    "todouble",
    "toreal",
    "tobool",
    "toboolean",
    "todatetime",
    "totimespan",
    "totime",
    "toguid",
    "todecimal",
    "todynamic",
    "parse_json",
    "parsejson",
    "toobject",
    "bin",
    "floor",
    "extract",
    "pack_array",
    "max_of",
    "min_of",
    "hash",
    "dynamic_to_json",
    "materialize",
];

/// The builder for `name`, if it is handled here.
pub(crate) fn lookup(name: &str) -> Option<Builder> {
    Some(match name {
        "iff" | "iif" => iff,
        "case" => case,
        "coalesce" => coalesce_fn,
        "isempty" => |p, c, s| empty_test(p, c, s, false),
        "isnotempty" => |p, c, s| empty_test(p, c, s, true),
        "isnull" => |p, c, s| null_test(p, c, s, false),
        "isnotnull" => |p, c, s| null_test(p, c, s, true),
        "not" => not,
        "now" => now,
        "ago" => ago,
        "toscalar" => toscalar,
        "column_ifexists" => column_ifexists,
        "strcat" => strcat,
        "strcat_delim" => strcat_delim,
        "tostring" | "toint" | "tolong" | "todouble" | "toreal" | "tobool" | "toboolean"
        | "todatetime" | "totimespan" | "totime" | "toguid" | "todecimal" => conversion,
        "todynamic" | "parse_json" | "parsejson" | "toobject" => todynamic,
        "dynamic_to_json" => dynamic_to_json,
        "bin" | "floor" => bin,
        "extract" => extract,
        "pack_array" => pack_array,
        "bag_pack" | "pack" | "pack_dictionary" => bag_pack,
        "pack_all" => pack_all,
        "max_of" => |p, c, s| extremum(p, c, s, true),
        "min_of" => |p, c, s| extremum(p, c, s, false),
        "hash" => hash,
        "materialize" => materialize_scalar,
        "range" => range_array,
        "gettype" => gettype,
        "new_guid" => |p, _c, s| {
            arity(s, 0, 0)?;
            let udf = p.udf("uuid", s.name_span)?;
            Ok(Typed::new(udf.call(vec![]), KqlType::Guid))
        },
        _ => return None,
    })
}

/// Lowers all (positional) arguments as values.
fn values(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Vec<Typed>> {
    let vctx = ctx.value();
    positional(site)?
        .into_iter()
        .map(|e| p.lower_expr(&vctx, e))
        .collect()
}

/// Brings the branch values of `iff`/`case`/`coalesce` to one type.
fn unify(
    p: &Planner,
    ctx: &ExprCtx,
    vals: Vec<Typed>,
    site: &CallSite,
) -> PResult<(Vec<Typed>, KqlType)> {
    let is_null = |t: &Typed| p.const_eval(&t.expr).is_some_and(|v| v.is_null());
    let mut ty: Option<KqlType> = None;
    for v in &vals {
        if is_null(v) && v.ty != KqlType::String {
            continue;
        }
        ty = Some(match ty {
            None => v.ty,
            Some(t) => match comparable(t, v.ty) {
                Some(u) => u,
                None => {
                    return Err(err(
                        error::TYPE_MISMATCH,
                        format!(
                            "the values of `{}` must have the same type, found {t} and {}",
                            site.name, v.ty
                        ),
                        site.span,
                    ));
                }
            },
        });
    }
    let ty = ty.unwrap_or_else(|| vals.first().map_or(KqlType::Dynamic, |v| v.ty));
    // Dynamic values in different physical forms (JSON text vs typed list) meet as JSON.
    let vals = if ty == KqlType::Dynamic {
        let forms: Vec<_> = vals
            .iter()
            .map(|v| p.dtype(&v.expr, ctx.rel, site.span))
            .collect::<PResult<_>>()?;
        if forms.windows(2).all(|w| w[0] == w[1]) {
            vals
        } else {
            vals.into_iter()
                .map(|v| {
                    let v = if v.ty == KqlType::Dynamic {
                        v
                    } else {
                        p.to_dynamic(ctx, v, site.span)?
                    };
                    p.dyn_json(ctx, v, site.span)
                })
                .collect::<PResult<Vec<_>>>()?
        }
    } else {
        vals
    };
    let out = vals
        .into_iter()
        .map(|v| {
            if v.ty == ty {
                Ok(v)
            } else if is_null(&v) {
                Ok(Typed::null(ty))
            } else if v.ty.is_numeric() && ty.is_numeric() {
                Ok(p.promote(v, ty))
            } else {
                p.convert(ctx, v, ty, site.span)
            }
        })
        .collect::<PResult<Vec<_>>>()?;
    Ok((out, ty))
}

fn iff(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 3, 3)?;
    let mut v = values(p, ctx, site)?;
    let cond = v.remove(0);
    p.require_bool(&cond, &site.args[0].value.span, "the condition of iff")?;
    let (branches, ty) = unify(p, ctx, v, site)?;
    let mut it = branches.into_iter();
    let (Some(a), Some(b)) = (it.next(), it.next()) else {
        return Err(err(
            error::INTERNAL,
            "internal planner error: iff branches",
            site.span,
        ));
    };
    let e = when(cond.expr, a.expr)
        .otherwise(b.expr)
        .map_err(|e| error::df_err(e, site.span))?;
    Ok(Typed::new(e, ty))
}

fn case(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    let n = site.args.len();
    if n < 3 || n.is_multiple_of(2) {
        return Err(err(
            error::BAD_ARGUMENTS,
            "case() takes pairs of (predicate, value) followed by an else value",
            site.span,
        ));
    }
    let v = values(p, ctx, site)?;
    let mut preds = Vec::new();
    let mut vals = Vec::new();
    for (i, t) in v.into_iter().enumerate() {
        if i % 2 == 0 && i + 1 < n {
            p.require_bool(&t, &site.args[i].value.span, "a case() predicate")?;
            preds.push(t.expr);
        } else {
            vals.push(t);
        }
    }
    let (vals, ty) = unify(p, ctx, vals, site)?;
    let mut vals = vals.into_iter().map(|t| t.expr).collect::<Vec<_>>();
    let Some(otherwise) = vals.pop() else {
        return Err(err(
            error::INTERNAL,
            "internal planner error: case",
            site.span,
        ));
    };
    let mut preds = preds.into_iter();
    let mut vals = vals.into_iter();
    let (Some(p0), Some(v0)) = (preds.next(), vals.next()) else {
        return Err(err(
            error::INTERNAL,
            "internal planner error: case",
            site.span,
        ));
    };
    let mut b = when(p0, v0);
    for (pp, vv) in preds.zip(vals) {
        b = b.when(pp, vv);
    }
    let e = b
        .otherwise(otherwise)
        .map_err(|e| error::df_err(e, site.span))?;
    Ok(Typed::new(e, ty))
}

fn coalesce_fn(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 64)?;
    let v = values(p, ctx, site)?;
    let (v, ty) = unify(p, ctx, v, site)?;
    if ty.is_stringlike() {
        // For strings "null" is the empty string: the first non-empty argument wins.
        let mut exprs: Vec<Expr> = v.into_iter().map(|t| t.expr).collect();
        let Some(last) = exprs.pop() else {
            return Err(err(
                error::INTERNAL,
                "internal planner error: coalesce",
                site.span,
            ));
        };
        if exprs.is_empty() {
            return Ok(Typed::new(last, ty));
        }
        let mut it = exprs.into_iter();
        let Some(first) = it.next() else {
            return Ok(Typed::new(last, ty));
        };
        let mut b = when(first.clone().not_eq(lit("")), first);
        for e in it {
            b = b.when(e.clone().not_eq(lit("")), e);
        }
        let e = b.otherwise(last).map_err(|e| error::df_err(e, site.span))?;
        return Ok(Typed::new(e, ty));
    }
    Ok(Typed::new(
        coalesce(v.into_iter().map(|t| t.expr).collect()),
        ty,
    ))
}

fn empty_test(p: &Planner, ctx: &ExprCtx, site: &CallSite, negate: bool) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let t = values(p, ctx, site)?.remove(0);
    let span = &site.args[0].value.span;
    let empty = match t.ty {
        KqlType::String | KqlType::Guid => t.expr.eq(lit("")),
        KqlType::Dynamic => match p.dyn_form(&t, ctx.rel, span)? {
            DynForm::Json => p.udf("kql_isempty_dynamic", span)?.call(vec![t.expr]),
            _ => t.expr.is_null(),
        },
        _ => t.expr.is_null(),
    };
    Ok(Typed::new(
        if negate { empty.not() } else { empty },
        KqlType::Bool,
    ))
}

fn null_test(p: &Planner, ctx: &ExprCtx, site: &CallSite, negate: bool) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let t = values(p, ctx, site)?.remove(0);
    // Strings are never null.
    let e = if t.ty.is_stringlike() {
        lit(negate)
    } else if negate {
        t.expr.is_not_null()
    } else {
        t.expr.is_null()
    };
    Ok(Typed::new(e, KqlType::Bool))
}

fn not(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let t = values(p, ctx, site)?.remove(0);
    p.require_bool(&t, &site.args[0].value.span, "the argument of not()")?;
    Ok(Typed::new(t.expr.not(), KqlType::Bool))
}

/// The query's `now()` as a literal.
pub(crate) fn now_literal(p: &Planner) -> Typed {
    Typed::new(
        lit(ScalarValue::TimestampNanosecond(
            Some(p.options.now_ns),
            Some("UTC".into()),
        )),
        KqlType::DateTime,
    )
}

/// Folds a constant expression to a literal when possible (keeps plans prunable).
fn folded(p: &Planner, t: Typed) -> Typed {
    match p.const_eval(&t.expr) {
        Some(v) => Typed::new(lit(v), t.ty),
        None => t,
    }
}

fn now(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 0, 1)?;
    let n = now_literal(p);
    if site.args.is_empty() {
        return Ok(n);
    }
    let off = values(p, ctx, site)?.remove(0);
    let t = p.binary_values(ctx, kql_syntax::ast::BinaryOp::Add, n, off, site.span)?;
    Ok(folded(p, t))
}

fn ago(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let off = values(p, ctx, site)?.remove(0);
    if off.ty != KqlType::TimeSpan {
        return Err(err(
            error::TYPE_MISMATCH,
            format!("ago() takes a timespan, but this is a {}", off.ty),
            &site.args[0].value.span,
        ));
    }
    let t = p.binary_values(
        ctx,
        kql_syntax::ast::BinaryOp::Sub,
        now_literal(p),
        off,
        site.span,
    )?;
    Ok(folded(p, t))
}

fn toscalar(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let arg = positional(site)?[0];
    if !p.is_tabular(ctx.scope, arg) {
        return p.lower_expr(&ctx.value(), arg);
    }
    let rel = p.plan_tabular(ctx.scope, arg)?;
    let Some(first) = rel.columns.first().cloned() else {
        return Err(err(
            error::WRONG_KIND,
            "toscalar() of a table with no columns",
            site.span,
        ));
    };
    let dt = rel.plan.schema().field(0).data_type().clone();
    let values = p.eval_first_column(rel, site.span)?;
    let v = match values.into_iter().next() {
        Some(v) => v,
        None => ScalarValue::try_from(&dt).map_err(|e| error::df_err(e, site.span))?,
    };
    Ok(Typed::new(lit(v), first.ty))
}

fn column_ifexists(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 2, 2)?;
    let args = positional(site)?;
    let name = match &args[0].node {
        ExprKind::Literal(Literal::String(s)) => s.clone(),
        _ => {
            let t = p.lower_expr(&ctx.value(), args[0])?;
            match p.const_eval(&t.expr) {
                Some(datafusion::common::ScalarValue::Utf8(Some(s))) => s,
                _ => {
                    return Err(err(
                        error::NOT_CONSTANT,
                        "the first argument of column_ifexists() must be a constant string",
                        &args[0].span,
                    ));
                }
            }
        }
    };
    if let Some(i) = ctx.rel.index_of(&name) {
        return Ok(Typed::new(ctx.rel.col_expr(i), ctx.rel.columns[i].ty));
    }
    p.lower_expr(&ctx.value(), args[1])
}

fn strings(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Vec<Expr>> {
    let vctx = ctx.value();
    positional(site)?
        .into_iter()
        .map(|e| {
            let t = p.lower_expr(&vctx, e)?;
            Ok(p.convert(&vctx, t, KqlType::String, &e.span)?.expr)
        })
        .collect()
}

fn strcat(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 64)?;
    Ok(Typed::new(concat(strings(p, ctx, site)?), KqlType::String))
}

fn strcat_delim(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 2, 65)?;
    let mut s = strings(p, ctx, site)?;
    let delim = s.remove(0);
    Ok(Typed::new(concat_ws(delim, s), KqlType::String))
}

fn conversion(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let t = values(p, ctx, site)?.remove(0);
    p.convert_fn(&ctx.value(), site.name, t, site.span)
}

fn todynamic(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let t = values(p, ctx, site)?.remove(0);
    p.parse_json(&ctx.value(), t, site.span)
}

fn dynamic_to_json(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let t = values(p, ctx, site)?.remove(0);
    let t = p.to_dynamic(&ctx.value(), t, site.span)?;
    let j = p.dyn_json(&ctx.value(), t, site.span)?;
    Ok(Typed::new(j.expr, KqlType::String))
}

fn bin(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 2, 2)?;
    let mut v = values(p, ctx, site)?;
    let size = v.remove(1);
    let value = v.remove(0);
    let value = if value.ty == KqlType::Dynamic {
        p.convert(ctx, value, KqlType::Real, site.span)?
    } else {
        value
    };
    let ty = match value.ty {
        KqlType::Int | KqlType::Long => KqlType::Long,
        KqlType::Real | KqlType::DateTime | KqlType::TimeSpan => value.ty,
        other => {
            return Err(err(
                error::TYPE_MISMATCH,
                format!("bin() needs a number, datetime or timespan value, found {other}"),
                &site.args[0].value.span,
            ));
        }
    };
    let value = if value.ty == KqlType::Int {
        p.promote(value, KqlType::Long)
    } else {
        value
    };
    let size = if size.ty == KqlType::Int {
        p.promote(size, KqlType::Long)
    } else {
        size
    };
    let udf = p.udf("kql_bin", site.name_span)?;
    Ok(Typed::new(udf.call(vec![value.expr, size.expr]), ty))
}

fn extract(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 3, 4)?;
    let args = positional(site)?;
    let vctx = ctx.value();
    let re = p.lower_expr(&vctx, args[0])?;
    let re = p.stringish(&vctx, re, &args[0].span)?;
    let group = p.lower_expr(&vctx, args[1])?;
    let group = p.apply_arg_spec(&vctx, group, 'l', site.name, &args[1].span)?;
    let src = p.lower_expr(&vctx, args[2])?;
    let src = p.stringish(&vctx, src, &args[2].span)?;
    let udf = p.udf("kql_extract", site.name_span)?;
    let out = Typed::new(
        udf.call(vec![re.expr, group.expr, src.expr]),
        KqlType::String,
    );
    match args.get(3).map(|a| &a.node) {
        None => Ok(out),
        Some(ExprKind::TypeOf(t)) => {
            let to = KqlType::from(t.node);
            if to == KqlType::String {
                Ok(out)
            } else {
                // A failed match is "" which converts to null, as in KQL.
                p.convert(&vctx, out, to, site.span)
            }
        }
        Some(_) => Err(err(
            error::BAD_ARGUMENTS,
            "the fourth argument of extract() must be typeof(T)",
            &args[3].span,
        )),
    }
}

fn pack_array(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    let v = values(p, ctx, site)?;
    let same = v.first().map(|f| f.ty).filter(|t| {
        *t != KqlType::Dynamic && *t != KqlType::Decimal && v.iter().all(|x| x.ty == *t)
    });
    if let Some(_t) = same {
        let e = datafusion::functions_nested::expr_fn::make_array(
            v.into_iter().map(|t| t.expr).collect(),
        );
        return Ok(Typed::new(e, KqlType::Dynamic));
    }
    // Mixed types: a JSON array of the values (strings must be JSON-quoted first).
    let vctx = ctx.value();
    let args = v
        .into_iter()
        .map(|t| p.to_dynamic(&vctx, t, site.span).map(|t| t.expr))
        .collect::<PResult<Vec<_>>>()?;
    let udf = p.udf("kql_pack_array", site.name_span)?;
    Ok(Typed::new(udf.call(args), KqlType::Dynamic))
}

/// `bag_pack(k1, v1, k2, v2, ...)`: keys are strings, values become dynamic.
fn bag_pack(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    if !site.args.len().is_multiple_of(2) {
        return Err(err(
            error::BAD_ARGUMENTS,
            format!("`{}` takes key/value pairs", site.name),
            site.span,
        ));
    }
    let vctx = ctx.value();
    let mut args = Vec::new();
    for (i, t) in values(p, ctx, site)?.into_iter().enumerate() {
        let sp = &site.args[i].value.span;
        args.push(if i % 2 == 0 {
            p.stringish(&vctx, t, sp)?.expr
        } else {
            p.to_dynamic(&vctx, t, sp)?.expr
        });
    }
    let udf = p.udf("kql_bag_pack", site.name_span)?;
    Ok(Typed::new(udf.call(args), KqlType::Dynamic))
}

/// `pack_all()`: a bag of every column of the row, keyed by column name in column order
/// (null values included). The `ignore_null_empty` form is not supported yet.
fn pack_all(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 0, 1)?;
    if let Some(a) = site.args.first() {
        let t = p.lower_expr(&ctx.value(), &a.value)?;
        if p.const_eval(&t.expr) != Some(datafusion::common::ScalarValue::Boolean(Some(false))) {
            return Err(error::not_supported(
                "pack_all(ignore_null_empty=true)",
                &a.value.span,
            ));
        }
    }
    let vctx = ctx.value();
    let mut args = Vec::new();
    for (i, c) in ctx.rel.columns.iter().enumerate() {
        args.push(lit(c.name.as_str()));
        let v = Typed::new(ctx.rel.col_expr(i), c.ty);
        args.push(p.to_dynamic(&vctx, v, site.span)?.expr);
    }
    if args.is_empty() {
        // No columns: the empty bag (JSON text, the dynamic representation).
        return Ok(Typed::new(
            lit(datafusion::common::ScalarValue::Utf8(Some("{}".into()))),
            KqlType::Dynamic,
        ));
    }
    let udf = p.udf("kql_bag_pack", site.name_span)?;
    Ok(Typed::new(udf.call(args), KqlType::Dynamic))
}

fn extremum(p: &Planner, ctx: &ExprCtx, site: &CallSite, max: bool) -> PResult<Typed> {
    arity(site, 1, 64)?;
    let v = values(p, ctx, site)?;
    let (v, ty) = unify(p, ctx, v, site)?;
    let exprs = v.into_iter().map(|t| t.expr).collect();
    Ok(Typed::new(
        if max { greatest(exprs) } else { least(exprs) },
        ty,
    ))
}

fn hash(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 2)?;
    let mut v = values(p, ctx, site)?;
    if v.len() == 2 {
        let m = v.remove(1);
        let m = p.apply_arg_spec(ctx, m, 'l', site.name, &site.args[1].value.span)?;
        v.push(m);
    }
    let udf = p.udf("kql_hash", site.name_span)?;
    Ok(Typed::new(
        udf.call(v.into_iter().map(|t| t.expr).collect()),
        KqlType::Long,
    ))
}

fn materialize_scalar(_p: &Planner, _ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    Err(err(
        error::WRONG_KIND,
        "materialize() returns a table; use it as the value of a let statement",
        site.span,
    ))
}

/// Lowers a literal argument (helper for builders that need constant text).
#[allow(dead_code)]
pub(crate) fn literal_arg(site: &CallSite, i: usize) -> PResult<Typed> {
    match site.args.get(i).map(|a| &a.value.node) {
        Some(ExprKind::Literal(l)) => lower_literal(l, &site.args[i].value.span),
        _ => Err(err(
            error::NOT_CONSTANT,
            format!("argument {} of `{}` must be a literal", i + 1, site.name),
            site.span,
        )),
    }
}

/// `range(start, stop [, step])`: a dynamic array from `start` to `stop` inclusive
/// (integers, or datetimes/timespans with a timespan step).
fn range_array(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 2, 3)?;
    let mut v = values(p, ctx, site)?;
    let step = if v.len() == 3 {
        Some(v.remove(2))
    } else {
        None
    };
    let stop = v.remove(1);
    let start = v.remove(0);
    use datafusion::arrow::datatypes::{DataType, Field};
    use datafusion::logical_expr::cast;
    let series = datafusion::functions_nested::expr_fn::gen_series;
    let as_i64 = |t: Typed| cast(t.expr, DataType::Int64);
    let list_of = |dt: DataType| DataType::List(std::sync::Arc::new(Field::new("item", dt, true)));
    match (start.ty, stop.ty) {
        (a, b) if a.is_integer() && b.is_integer() => {
            let step = step.map_or(lit(1i64), as_i64);
            let e = series(as_i64(start), as_i64(stop), step);
            Ok(Typed::new(e, KqlType::Dynamic))
        }
        (KqlType::DateTime, KqlType::DateTime) | (KqlType::TimeSpan, KqlType::TimeSpan) => {
            let ty = start.ty;
            let Some(step) = step.filter(|s| s.ty == KqlType::TimeSpan) else {
                return Err(err(
                    error::BAD_ARGUMENTS,
                    "range() over datetimes or timespans needs a timespan step",
                    site.span,
                ));
            };
            let e = series(as_i64(start), as_i64(stop), as_i64(step));
            Ok(Typed::new(cast(e, list_of(ty.arrow())), KqlType::Dynamic))
        }
        (a, b) => Err(error::not_supported(
            format!("range() of {a} to {b}"),
            site.span,
        )),
    }
}

/// `gettype(x)`: the KQL type name of a statically typed value (`"guid"`, `"long"`, ...);
/// for dynamic values the runtime type of the JSON value (`"array"`, `"dictionary"`, ...).
fn gettype(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let t = values(p, ctx, site)?.remove(0);
    if t.ty != KqlType::Dynamic {
        return Ok(Typed::new(lit(t.ty.name()), KqlType::String));
    }
    let udf = p.udf("kql_gettype", site.name_span)?;
    Ok(Typed::new(udf.call(vec![t.expr]), KqlType::String))
}

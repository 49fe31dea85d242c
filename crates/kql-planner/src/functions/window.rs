//! Window functions over serialized rows: `prev`, `next`, `row_number`, `row_cumsum`,
//! `row_rank_dense`, `row_rank_min`. KQL requires serialized input (after `sort`, `top` or
//! `serialize`); the planner knows the sort keys ([`crate::rel::Rel::order`]) and uses them
//! as the window's ORDER BY.

use super::{Builder, CallSite, arity, positional};
use crate::error::{self, PResult, err};
use crate::expr::{ExprCtx, Typed};
use crate::planner::Planner;
use crate::types::KqlType;
use datafusion::common::ScalarValue;
use datafusion::functions_aggregate::sum::sum_udaf;
use datafusion::functions_window::expr_fn::{dense_rank, lag, lead, rank, row_number};
use datafusion::logical_expr::expr::{WindowFunction, WindowFunctionParams};
use datafusion::logical_expr::{
    Expr, ExprFunctionExt, SortExpr, WindowFrame, WindowFrameBound, WindowFrameUnits,
    WindowFunctionDefinition, cast, lit,
};
use kql_syntax::ast;

/// Names handled here.
pub(crate) const NAMES: &[&str] = &[
    "prev",
    "next",
    "row_number",
    "row_cumsum",
    "row_rank_dense",
    "row_rank_min",
];

/// The builder for `name`, if it is a window function.
pub(crate) fn lookup(name: &str) -> Option<Builder> {
    Some(match name {
        "prev" => |p, c, s| shift(p, c, s, false),
        "next" => |p, c, s| shift(p, c, s, true),
        "row_number" => row_num,
        "row_cumsum" => cumsum,
        "row_rank_dense" => |p, c, s| ranking(p, c, s, true),
        "row_rank_min" => |p, c, s| ranking(p, c, s, false),
        _ => return None,
    })
}

/// The ORDER BY of the serialized input.
fn order(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Vec<SortExpr>> {
    let Some(keys) = &ctx.rel.order else {
        return Err(err(
            error::WRONG_KIND,
            format!(
                "`{}` needs serialized input: sort, top or serialize the rows first",
                site.name
            ),
            site.span,
        ));
    };
    let _ = p;
    keys.iter()
        .map(|k| match ctx.rel.col_expr_by_name(&k.column) {
            Some(e) => Ok(SortExpr::new(e, k.asc, k.nulls_first)),
            None => Err(err(
                error::INTERNAL,
                "internal planner error: lost sort key",
                site.span,
            )),
        })
        .collect()
}

fn finish(e: Expr, order: Vec<SortExpr>, site: &CallSite) -> PResult<Expr> {
    // Serialized without known keys (`serialize` without a sort): the input order.
    if order.is_empty() {
        return Ok(e);
    }
    e.order_by(order)
        .build()
        .map_err(|e| error::df_err(e, site.span))
}

/// `prev(col [, offset [, default]])` / `next(...)`.
fn shift(p: &Planner, ctx: &ExprCtx, site: &CallSite, forward: bool) -> PResult<Typed> {
    arity(site, 1, 3)?;
    let args = positional(site)?;
    let vctx = ctx.value();
    let x = p.lower_expr(&vctx, args[0])?;
    let offset = match args.get(1) {
        Some(a) => {
            let t = p.lower_expr(&vctx, a)?;
            match p.const_eval(&t.expr) {
                Some(ScalarValue::Int64(Some(n))) => n,
                Some(ScalarValue::Int32(Some(n))) => n as i64,
                _ => {
                    return Err(err(
                        error::NOT_CONSTANT,
                        "the offset must be a constant integer",
                        &a.span,
                    ));
                }
            }
        }
        None => 1,
    };
    let default = match args.get(2) {
        Some(a) => {
            let t = p.lower_expr(&vctx, a)?;
            let v = p.const_eval(&t.expr).ok_or_else(|| {
                err(
                    error::NOT_CONSTANT,
                    "the default must be a constant",
                    &a.span,
                )
            })?;
            let dt = p.dtype(&x.expr, ctx.rel, site.span)?;
            Some(v.cast_to(&dt).map_err(|e| error::df_err(e, &a.span))?)
        }
        // Strings are never null: a missing previous string is "".
        None if x.ty.is_stringlike() => Some(ScalarValue::Utf8(Some(String::new()))),
        None => None,
    };
    let order = order(p, ctx, site)?;
    let e = if forward {
        lead(x.expr, Some(offset), default)
    } else {
        lag(x.expr, Some(offset), default)
    };
    Ok(Typed::new(finish(e, order, site)?, x.ty))
}

/// `row_number([start [, restart]])`: numbering from `start`, restarting at `start` on every
/// row where `restart` is true.
fn row_num(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 0, 2)?;
    let args = positional(site)?;
    let vctx = ctx.value();
    let start = match args.first() {
        Some(a) => {
            let t = p.lower_expr(&vctx, a)?;
            p.promote(t, KqlType::Long).expr
        }
        None => lit(1i64),
    };
    let order = order(p, ctx, site)?;
    let Some(restart) = args.get(1) else {
        let n = cast(finish(row_number(), order, site)?, KqlType::Long.arrow());
        return Ok(Typed::new(n + start - lit(1i64), KqlType::Long));
    };
    let segment = restart_segment(p, &vctx, restart, order.clone(), site, "row_number")?;
    let n = row_number()
        .partition_by(vec![segment])
        .order_by(order)
        .build()
        .map_err(|e| error::df_err(e, site.span))?;
    Ok(Typed::new(
        cast(n, KqlType::Long.arrow()) + start - lit(1i64),
        KqlType::Long,
    ))
}

/// The segment number of each row for a `restart` predicate: how many rows so far
/// (counting the current one) restarted the numbering. Partitioning by it restarts a
/// running computation.
fn restart_segment(
    p: &Planner,
    vctx: &ExprCtx,
    restart: &ast::Expr,
    order: Vec<SortExpr>,
    site: &CallSite,
    function: &str,
) -> PResult<Expr> {
    let r = p.lower_expr(vctx, restart)?;
    p.require_bool(
        &r,
        &restart.span,
        &format!("the restart predicate of {function}"),
    )?;
    let flag = datafusion::logical_expr::when(r.expr, lit(1i64))
        .otherwise(lit(0i64))
        .map_err(|e| error::df_err(e, site.span))?;
    running_sum(flag, vec![], order, site)
}

/// A running sum of `x` over rows `order`ed, restarting in each `partition` (the window
/// from the partition's first row to the current row).
fn running_sum(
    x: Expr,
    partition: Vec<Expr>,
    order: Vec<SortExpr>,
    site: &CallSite,
) -> PResult<Expr> {
    let frame = WindowFrame::new_bounds(
        WindowFrameUnits::Rows,
        WindowFrameBound::Preceding(ScalarValue::UInt64(None)),
        WindowFrameBound::CurrentRow,
    );
    let wf = WindowFunction {
        fun: WindowFunctionDefinition::AggregateUDF(sum_udaf()),
        params: WindowFunctionParams {
            args: vec![x],
            partition_by: vec![],
            order_by: vec![],
            window_frame: frame.clone(),
            filter: None,
            null_treatment: None,
            distinct: false,
        },
    };
    let mut e = Expr::from(wf).window_frame(frame);
    if !partition.is_empty() {
        e = e.partition_by(partition);
    }
    if !order.is_empty() {
        e = e.order_by(order);
    }
    e.build().map_err(|e| error::df_err(e, site.span))
}

/// `row_cumsum(expr [, restart])`: running sum in row order, restarting where `restart` is
/// true.
fn cumsum(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    arity(site, 1, 2)?;
    let args = positional(site)?;
    let vctx = ctx.value();
    let x = p.lower_expr(&vctx, args[0])?;
    if !x.ty.is_numeric() {
        return Err(err(
            error::TYPE_MISMATCH,
            "row_cumsum needs a number",
            site.span,
        ));
    }
    let ty = if x.ty == KqlType::Real {
        KqlType::Real
    } else {
        KqlType::Long
    };
    let x = p.promote(x, ty);
    let mut partition = Vec::new();
    if let Some(restart) = args.get(1) {
        let order = order(p, ctx, site)?;
        partition.push(restart_segment(
            p,
            &vctx,
            restart,
            order,
            site,
            "row_cumsum",
        )?);
    }
    let order = order(p, ctx, site)?;
    Ok(Typed::new(running_sum(x.expr, partition, order, site)?, ty))
}

/// `row_rank_dense(col)` / `row_rank_min(col)`: rank of `col`'s value in row order.
fn ranking(p: &Planner, ctx: &ExprCtx, site: &CallSite, dense: bool) -> PResult<Typed> {
    arity(site, 1, 1)?;
    let x = p.lower_expr(&ctx.value(), positional(site)?[0])?;
    let _ = order(p, ctx, site)?;
    let by = vec![SortExpr::new(x.expr, true, true)];
    let e = if dense { dense_rank() } else { rank() };
    Ok(Typed::new(
        cast(finish(e, by, site)?, KqlType::Long.arrow()),
        KqlType::Long,
    ))
}

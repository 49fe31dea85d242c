//! `make-series [kind=nonempty] [Col =] Agg [default = v], ... on Axis from A to B step S
//! [by keys]`, in one pass: rows outside `[A, B)` are dropped, each row's bin index
//! `(Axis - A) / S` is computed, and per-aggregate UDAFs (`kql_ms_*`) fill fixed-length
//! arrays (empty bins hold the default, 0 when unspecified) grouped by the keys — never a
//! cross join of keys × bins. Output: by-columns, series columns, then the axis column
//! (the bin start values). Empty input gives no rows unless `kind=nonempty` (without `by`).

use crate::error::{self, DfResultExt, PResult, err};
use crate::functions::aggregate::arg_name;
use crate::naming::inferred_name;
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::Scope;
use crate::types::KqlType;
use datafusion::arrow::array::{
    ArrayRef, DurationNanosecondArray, Float64Array, Int64Array, TimestampNanosecondArray,
};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::utils::SingleRowListArrayBuilder;
use datafusion::common::{Column, ScalarValue};
use datafusion::logical_expr::{Expr, ExprFunctionExt, LogicalPlanBuilder, cast, lit};
use kql_syntax::ast::{self, ExprKind, MakeSeriesRange, Span};
use std::rc::Rc;
use std::sync::Arc;

/// A constant axis value in a common numeric form.
#[derive(Clone, Copy)]
enum AxisNum {
    I(i64),
    F(f64),
}

impl<'c> Planner<'c> {
    /// Plans `make-series`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn plan_make_series(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        params: &[ast::OpParam],
        aggs: &[ast::MakeSeriesAgg],
        on: &ast::Expr,
        range: &MakeSeriesRange,
        by: &[ast::Assignment],
        span: &Span,
    ) -> PResult<Rel> {
        let mut nonempty = false;
        for p in params {
            let name = p.name.name.to_ascii_lowercase();
            if name == "kind" {
                nonempty = self.param_text(p).as_deref() == Some("nonempty");
            } else if !name.starts_with("hint.") {
                return Err(err(
                    error::BAD_PARAMETER,
                    format!("unknown make-series parameter `{}`", p.name.name),
                    &p.name.span,
                ));
            }
        }
        let ctx = self.ctx(&rel, scope);
        let axis = self.lower_expr(&ctx, on)?;
        let axis_name = inferred_name(on).unwrap_or_else(|| "Column1".to_string());
        // `in range(start, stop, step)`: the stop bin is included.
        let mut inclusive_stop = false;
        let (from, to, step) = match range {
            MakeSeriesRange::FromTo {
                from: Some(f),
                to: Some(t),
                step,
            } => (f, t, step),
            MakeSeriesRange::InRange { start, stop, step } => {
                inclusive_stop = true;
                (start, stop, step)
            }
            MakeSeriesRange::FromTo { .. } => {
                return Err(error::not_supported(
                    "make-series without both `from` and `to`",
                    span,
                ));
            }
        };
        let empty = Rel::one_row();
        let cctx = self.ctx(&empty, scope);
        let constant = |e: &ast::Expr| -> PResult<(ScalarValue, KqlType)> {
            let t = self.lower_expr(&cctx, e)?;
            let v = self.const_eval(&t.expr).ok_or_else(|| {
                err(
                    error::NOT_CONSTANT,
                    "make-series from/to/step must be constants",
                    &e.span,
                )
            })?;
            Ok((v, t.ty))
        };
        let (fv, fty) = constant(from)?;
        let (tv, _) = constant(to)?;
        let (sv, sty) = constant(step)?;
        let num = |v: &ScalarValue, sp: &Span| -> PResult<AxisNum> {
            Ok(match v {
                ScalarValue::Int32(Some(x)) => AxisNum::I(*x as i64),
                ScalarValue::Int64(Some(x)) => AxisNum::I(*x),
                ScalarValue::TimestampNanosecond(Some(x), _) => AxisNum::I(*x),
                ScalarValue::DurationNanosecond(Some(x)) => AxisNum::I(*x),
                ScalarValue::Float64(Some(x)) => AxisNum::F(*x),
                _ => {
                    return Err(err(
                        error::BAD_VALUE,
                        "make-series bounds must be non-null numbers, datetimes or timespans",
                        sp,
                    ));
                }
            })
        };
        let (fv, tv) = if fv.is_null() || tv.is_null() {
            // Null bounds (e.g. a toscalar over no rows): an empty range, so no bins and
            // no rows.
            let z = ScalarValue::new_zero(&fv.data_type()).map_err(|e| error::df_err(e, span))?;
            (z.clone(), z)
        } else {
            (fv, tv)
        };
        let (a, b, s) = (
            num(&fv, &from.span)?,
            num(&tv, &to.span)?,
            num(&sv, &step.span)?,
        );
        let b = match (inclusive_stop, b, s) {
            (false, b, _) => b,
            (true, AxisNum::I(b), AxisNum::I(s)) => AxisNum::I(b.saturating_add(s)),
            (true, b, s) => {
                let f = |x: AxisNum| match x {
                    AxisNum::I(i) => i as f64,
                    AxisNum::F(f) => f,
                };
                AxisNum::F(f(b) + f(s))
            }
        };
        let axis_ty = match (axis.ty, fty, sty) {
            (KqlType::DateTime, KqlType::DateTime, KqlType::TimeSpan) => KqlType::DateTime,
            (KqlType::TimeSpan, KqlType::TimeSpan, KqlType::TimeSpan) => KqlType::TimeSpan,
            (x, y, z) if x.is_numeric() && y.is_numeric() && z.is_numeric() => {
                if matches!((a, s), (AxisNum::I(_), AxisNum::I(_))) && x.is_integer() {
                    KqlType::Long
                } else {
                    KqlType::Real
                }
            }
            (x, y, z) => {
                return Err(err(
                    error::TYPE_MISMATCH,
                    format!("make-series axis of type {x} cannot use from/step of types {y}/{z}"),
                    span,
                ));
            }
        };
        // Number of bins: ceil((to - from) / step); the axis values are from + i * step.
        let (nbins, axis_values): (i64, ArrayRef) = match (a, b, s) {
            (AxisNum::I(a), AxisNum::I(b), AxisNum::I(s)) if axis_ty != KqlType::Real => {
                if s <= 0 {
                    return Err(err(
                        error::BAD_VALUE,
                        "make-series step must be positive",
                        &step.span,
                    ));
                }
                let n = if b > a { (b - a + s - 1) / s } else { 0 };
                check_bins(n, span)?;
                let vals: Vec<i64> = (0..n).map(|i| a + i * s).collect();
                let arr: ArrayRef = match axis_ty {
                    KqlType::DateTime => {
                        Arc::new(TimestampNanosecondArray::from(vals).with_timezone("UTC"))
                    }
                    KqlType::TimeSpan => Arc::new(DurationNanosecondArray::from(vals)),
                    _ => Arc::new(Int64Array::from(vals)),
                };
                (n, arr)
            }
            (a, b, s) => {
                let f = |x: AxisNum| match x {
                    AxisNum::I(i) => i as f64,
                    AxisNum::F(f) => f,
                };
                let (a, b, s) = (f(a), f(b), f(s));
                if s <= 0.0 || !s.is_finite() {
                    return Err(err(
                        error::BAD_VALUE,
                        "make-series step must be positive",
                        &step.span,
                    ));
                }
                let n = if b > a {
                    ((b - a) / s).ceil() as i64
                } else {
                    0
                };
                check_bins(n, span)?;
                let vals: Vec<f64> = (0..n).map(|i| a + i as f64 * s).collect();
                (n, Arc::new(Float64Array::from(vals)) as ArrayRef)
            }
        };

        // Row filter and bin index.
        let (axis_n, lo, hi, idx) = match axis_ty {
            KqlType::Real => {
                let x = cast(axis.expr.clone(), DataType::Float64);
                let af = match a {
                    AxisNum::I(i) => i as f64,
                    AxisNum::F(f) => f,
                };
                let bf = match b {
                    AxisNum::I(i) => i as f64,
                    AxisNum::F(f) => f,
                };
                let sf = match s {
                    AxisNum::I(i) => i as f64,
                    AxisNum::F(f) => f,
                };
                let idx = cast(
                    datafusion::functions::expr_fn::floor((x.clone() - lit(af)) / lit(sf)),
                    DataType::Int64,
                );
                (x, lit(af), lit(bf), idx)
            }
            _ => {
                let (AxisNum::I(ai), AxisNum::I(bi), AxisNum::I(si)) = (a, b, s) else {
                    return Err(err(
                        error::INTERNAL,
                        "internal planner error: make-series axis",
                        span,
                    ));
                };
                let x = cast(axis.expr.clone(), DataType::Int64);
                let idx = (x.clone() - lit(ai)) / lit(si);
                (x, lit(ai), lit(bi), idx)
            }
        };
        let filtered = LogicalPlanBuilder::from(rel.plan.clone())
            .filter(axis_n.clone().gt_eq(lo).and(axis_n.lt(hi)))
            .at(span)?
            .build()
            .at(span)?;
        let frel = Rel::new(filtered, rel.columns.clone());
        let fctx = self.ctx(&frel, scope);

        // Group keys.
        let mut group_exprs = Vec::new();
        let mut key_cols: Vec<Col> = Vec::new();
        for k in by {
            let t = self.lower_expr(&fctx, &k.expr)?;
            let taken: Vec<String> = key_cols.iter().map(|c| c.name.clone()).collect();
            let name = match k.names.first() {
                Some(n) => n.name.clone(),
                None => inferred_name(&k.expr)
                    .unwrap_or_else(|| self.default_column_name(&taken, scope)),
            };
            group_exprs.push(t.expr.alias(&name));
            key_cols.push(Col::new(name, t.ty));
        }

        // Series aggregates.
        let nb = lit(nbins);
        let mut agg_exprs = Vec::new();
        let mut series_cols: Vec<Col> = Vec::new();
        for (i, a) in aggs.iter().enumerate() {
            // A constant "aggregate" (`other = -1`) holds its value in non-empty bins.
            let take_any_name = ast::Ident::new("take_any", a.agg.expr.span.clone());
            let take_any_of = [ast::Arg {
                name: None,
                value: a.agg.expr.clone(),
            }];
            let (name, args): (&ast::Ident, &[ast::Arg]) = match &a.agg.expr.node {
                ExprKind::Call { name, args }
                    if crate::functions::aggregate::is_aggregate(&name.name) =>
                {
                    (name, args)
                }
                _ => (&take_any_name, &take_any_of[..]),
            };
            let vals: Vec<&ast::Expr> = args.iter().map(|x| &x.value).collect();
            let value = |j: usize| -> PResult<crate::expr::Typed> {
                let e = vals.get(j).ok_or_else(|| {
                    err(
                        error::BAD_ARGUMENTS,
                        format!("`{}` needs more arguments", name.name),
                        &a.agg.expr.span,
                    )
                })?;
                let t = self.lower_expr(&fctx, e)?;
                if t.ty == KqlType::Dynamic {
                    self.convert(&fctx, t, KqlType::Real, &e.span)
                } else {
                    Ok(t)
                }
            };
            let pred = |j: usize| -> PResult<Expr> {
                let e = vals.get(j).ok_or_else(|| {
                    err(
                        error::BAD_ARGUMENTS,
                        format!("`{}` needs a predicate", name.name),
                        &a.agg.expr.span,
                    )
                })?;
                let t = self.lower_expr(&fctx, e)?;
                self.require_bool(&t, &e.span, "the predicate")?;
                Ok(t.expr)
            };
            let base = name.name.trim_end_matches("if");
            let is_if = name.name.ends_with("if");
            let (udaf, mut call_args, elem_ty): (&str, Vec<Expr>, KqlType) = match base {
                "count" => ("kql_ms_count", vec![], KqlType::Long),
                "dcount" => {
                    let v = value(0)?;
                    ("kql_ms_dcount", vec![v.expr], KqlType::Long)
                }
                "sum" => {
                    let v = value(0)?;
                    let t = if v.ty == KqlType::Real {
                        KqlType::Real
                    } else {
                        KqlType::Long
                    };
                    ("kql_ms_sum", vec![self.promote(v, t).expr], t)
                }
                "avg" => {
                    let v = value(0)?;
                    (
                        "kql_ms_avg",
                        vec![self.promote(v, KqlType::Real).expr],
                        KqlType::Real,
                    )
                }
                "min" | "max" => {
                    let v = value(0)?;
                    let t = v.ty;
                    (
                        if base == "min" {
                            "kql_ms_min"
                        } else {
                            "kql_ms_max"
                        },
                        vec![v.expr],
                        t,
                    )
                }
                "stdev" | "variance" => {
                    let v = value(0)?;
                    (
                        if base == "stdev" {
                            "kql_ms_stdev"
                        } else {
                            "kql_ms_variance"
                        },
                        vec![self.promote(v, KqlType::Real).expr],
                        KqlType::Real,
                    )
                }
                "take_any" | "any" => {
                    let v = value(0)?;
                    let t = v.ty;
                    ("kql_ms_take_any", vec![v.expr], t)
                }
                "percentile" => {
                    let v = value(0)?;
                    let p = value(1)?;
                    let t = v.ty;
                    (
                        "kql_ms_percentile",
                        vec![v.expr, self.promote(p, KqlType::Real).expr],
                        t,
                    )
                }
                other => {
                    return Err(error::not_supported(
                        format!("make-series aggregate `{other}`"),
                        &name.span,
                    ));
                }
            };
            let default = match &a.default {
                Some(d) => {
                    let t = self.lower_expr(&cctx, d)?;
                    let v = self.const_eval(&t.expr).ok_or_else(|| {
                        err(
                            error::NOT_CONSTANT,
                            "make-series default must be a constant",
                            &d.span,
                        )
                    })?;
                    v.cast_to(&elem_ty.arrow())
                        .map_err(|e| error::df_err(e, &d.span))?
                }
                None => ScalarValue::try_from(&elem_ty.arrow())
                    .and_then(|z| ScalarValue::new_zero(&z.data_type()))
                    .map_err(|e| error::df_err(e, span))?,
            };
            call_args.push(idx.clone());
            call_args.push(nb.clone());
            call_args.push(lit(default));
            let udaf = self.udaf(udaf, &name.span)?;
            let mut e = udaf.call(call_args);
            if is_if {
                let pi = if base == "count" { 0 } else { 1 };
                e = e.filter(pred(pi)?).build().at(span)?;
            }
            let default_name = match base {
                "count" => format!(
                    "{}_{}",
                    name.name,
                    if is_if {
                        String::new()
                    } else {
                        arg_name_opt(&vals)
                    }
                ),
                _ => format!("{}_{}", name.name, arg_name_opt(&vals)),
            };
            let col_name = match a.agg.names.first() {
                Some(n) => n.name.clone(),
                None => default_name,
            };
            agg_exprs.push(e.alias(format!("__kql_ms_{i}")));
            series_cols.push(Col::new(col_name, KqlType::Dynamic));
        }
        // Without `by`, an empty input must give no row (unless kind=nonempty).
        let count_guard = by.is_empty() && !nonempty;
        if count_guard {
            agg_exprs.push(
                datafusion::functions_aggregate::expr_fn::count(lit(1i64)).alias("__kql_ms_rows"),
            );
        }
        let mut plan = LogicalPlanBuilder::from(frel.plan.clone())
            .aggregate(group_exprs, agg_exprs)
            .at(span)?;
        if count_guard {
            plan = plan
                .filter(Expr::Column(Column::from_name("__kql_ms_rows")).gt(lit(0i64)))
                .at(span)?;
        }
        let plan = plan.build().at(span)?;
        let axis_list = SingleRowListArrayBuilder::new(axis_values).build_list_scalar();
        let mut exprs = Vec::new();
        let mut cols = Vec::new();
        for k in &key_cols {
            exprs.push(Expr::Column(Column::from_name(&k.name)).alias(&k.name));
            cols.push(k.clone());
        }
        for (i, c) in series_cols.iter().enumerate() {
            exprs.push(Expr::Column(Column::from_name(format!("__kql_ms_{i}"))).alias(&c.name));
            cols.push(c.clone());
        }
        exprs.push(lit(axis_list).alias(&axis_name));
        cols.push(Col::new(axis_name, KqlType::Dynamic));
        self.check_unique(&cols, span)?;
        let plan = LogicalPlanBuilder::from(plan)
            .project(exprs)
            .at(span)?
            .build()
            .at(span)?;
        Ok(Rel::new(plan, cols))
    }
}

fn arg_name_opt(vals: &[&ast::Expr]) -> String {
    vals.first().map(|e| arg_name(e)).unwrap_or_default()
}

fn check_bins(n: i64, span: &Span) -> PResult<()> {
    // KQL caps series at 2^20 elements.
    if n > 1 << 20 {
        return Err(err(
            error::BAD_VALUE,
            format!("make-series would create {n} bins (limit 1,048,576)"),
            span,
        ));
    }
    Ok(())
}

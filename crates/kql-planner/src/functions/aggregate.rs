//! Aggregation functions (`summarize`): lowering to DataFusion aggregate expressions, KQL
//! default output names (`count_`, `sum_x`, `set_x`, ...) and "empty input" values.

use super::CallSite;
use crate::error::{self, PResult, err};
use crate::expr::{ExprCtx, Typed};
use crate::planner::Planner;
use crate::types::KqlType;
use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn::named_struct;
use datafusion::functions_aggregate::expr_fn as agg;
use datafusion::logical_expr::{Expr, ExprFunctionExt, lit};
use kql_syntax::ast::{self, ExprKind};

/// Aggregation function names.
pub(crate) const NAMES: &[&str] = &[
    "count",
    "countif",
    "dcount",
    "dcountif",
    "sum",
    "sumif",
    "avg",
    "avgif",
    "min",
    "max",
    "minif",
    "maxif",
    "make_set",
    "make_set_if",
    "make_list",
    "make_list_if",
    "make_list_with_nulls",
    "make_bag",
    "make_bag_if",
    "arg_max",
    "arg_min",
    "take_any",
    "take_anyif",
    "any",
    "anyif",
    "percentile",
    "percentiles",
    "stdev",
    "stdevif",
    "stdevp",
    "variance",
    "varianceif",
    "variancep",
    "count_distinct",
    "count_distinctif",
    "percentiles_array",
    "percentilew",
    "percentilesw",
    "hll",
    "hll_merge",
    "hll_if",
    "tdigest",
    "tdigest_merge",
    "binary_all_and",
    "binary_all_or",
    "binary_all_xor",
    "buildschema",
    "make_set_with_nulls",
    "arg_max_if",
];

/// True for aggregation function names.
pub(crate) fn is_aggregate(name: &str) -> bool {
    NAMES.contains(&name) || canonical(name) != name
}

/// Deprecated aggregation names and their current spelling.
pub(crate) fn canonical(name: &str) -> &str {
    match name {
        "makeset" => "make_set",
        "makelist" => "make_list",
        "makeset_if" | "makesetif" => "make_set_if",
        "makelist_if" | "makelistif" => "make_list_if",
        "make_dictionary" | "makebag" => "make_bag",
        "argmax" => "arg_max",
        "argmin" => "arg_min",
        "percentilesw_array" => "percentilesw",
        other => other,
    }
}

/// One output column of an aggregation.
#[derive(Clone, Debug)]
pub(crate) struct AggColumn {
    /// Default KQL column name (used when the user gave none).
    pub name: String,
    /// KQL type.
    pub ty: KqlType,
    /// Index into [`LoweredAgg::aggs`] of the aggregate this column reads.
    pub agg: usize,
    /// Struct field to extract from the aggregate result (`arg_max`).
    pub field: Option<String>,
    /// Replacement for null results (KQL's values for empty input: `sum` → 0, ...).
    pub if_null: Option<ScalarValue>,
    /// True when `if_null` applies only to `summarize` without `by` (empty input), not to
    /// every group.
    pub only_without_by: bool,
    /// True when the user named the column (a duplicate is then an error, not renamed).
    pub explicit: bool,
}

/// A lowered aggregation call: DataFusion aggregate expressions and the KQL columns read
/// from them.
#[derive(Clone, Debug)]
pub(crate) struct LoweredAgg {
    /// Aggregate expressions.
    pub aggs: Vec<Expr>,
    /// Output columns in KQL order.
    pub columns: Vec<AggColumn>,
}

impl LoweredAgg {
    /// One aggregate returning a struct, read as one column per field: the fields are
    /// named `{prefix}0`, `{prefix}1`, ... in the order of `fields` (name, typed input).
    fn struct_fields(agg: Expr, fields: &[(String, Typed)], prefix: &str) -> LoweredAgg {
        LoweredAgg {
            aggs: vec![agg],
            columns: fields
                .iter()
                .enumerate()
                .map(|(i, (n, t))| AggColumn {
                    name: n.clone(),
                    ty: t.ty,
                    agg: 0,
                    field: Some(format!("{prefix}{i}")),
                    if_null: None,
                    only_without_by: false,
                    explicit: false,
                })
                .collect(),
        }
    }
}

impl LoweredAgg {
    fn one(agg: Expr, name: String, ty: KqlType) -> Self {
        LoweredAgg {
            aggs: vec![agg],
            columns: vec![AggColumn {
                name,
                ty,
                agg: 0,
                field: None,
                if_null: None,
                only_without_by: false,
                explicit: false,
            }],
        }
    }

    fn if_null(mut self, v: ScalarValue, only_without_by: bool) -> Self {
        for c in &mut self.columns {
            c.if_null = Some(v.clone());
            c.only_without_by = only_without_by;
        }
        self
    }
}

/// The name KQL infers from an aggregate's first argument: a column name, `a_b` for `a.b`,
/// else empty.
pub(crate) fn arg_name(e: &ast::Expr) -> String {
    match &e.node {
        ExprKind::Name(id) => id.name.clone(),
        ExprKind::Member { target, name } => {
            let t = arg_name(target);
            if t.is_empty() {
                String::new()
            } else {
                format!("{t}_{}", name.name)
            }
        }
        ExprKind::Index { target, index } => match &index.node {
            ExprKind::Literal(ast::Literal::String(s)) => {
                let t = arg_name(target);
                if t.is_empty() {
                    String::new()
                } else {
                    format!("{t}_{s}")
                }
            }
            _ => String::new(),
        },
        _ => String::new(),
    }
}

fn zero(ty: KqlType) -> ScalarValue {
    match ty {
        KqlType::Real => ScalarValue::Float64(Some(0.0)),
        KqlType::Int => ScalarValue::Int32(Some(0)),
        _ => ScalarValue::Int64(Some(0)),
    }
}

impl<'c> Planner<'c> {
    /// Lowers one aggregation call. `by_names` are the summarize group column names (for
    /// `arg_max(x, *)`'s expansion).
    pub(crate) fn lower_aggregate(
        &self,
        ctx: &ExprCtx,
        site: &CallSite,
        by_names: &[String],
    ) -> PResult<LoweredAgg> {
        let args: Vec<&ast::Expr> = super::positional(site)?;
        let vctx = ctx.value();
        let value = |i: usize| -> PResult<Typed> {
            match args.get(i) {
                Some(e) => self.lower_expr(&vctx, e),
                None => Err(err(
                    error::BAD_ARGUMENTS,
                    format!("`{}` needs at least {} argument(s)", site.name, i + 1),
                    site.span,
                )),
            }
        };
        let pred = |i: usize| -> PResult<Expr> {
            let p = value(i)?;
            self.require_bool(
                &p,
                &args[i].span,
                &format!("the predicate of {}", site.name),
            )?;
            Ok(p.expr)
        };
        let first_name = args.first().map(|e| arg_name(e)).unwrap_or_default();
        let n = args.len();
        let check = |min: usize, max: usize| super::arity(site, min, max);
        let name = canonical(site.name);
        Ok(match name {
            "count" => {
                check(0, 1)?;
                let e = if n == 0 {
                    agg::count(lit(1i64))
                } else {
                    agg::count(value(0)?.expr)
                };
                LoweredAgg::one(e, format!("count_{first_name}"), KqlType::Long)
            }
            "countif" => {
                check(1, 1)?;
                let e = filtered(agg::count(lit(1i64)), pred(0)?, site)?;
                LoweredAgg::one(e, "countif_".into(), KqlType::Long)
                    .if_null(zero(KqlType::Long), false)
            }
            "dcount" | "count_distinct" => {
                check(1, 2)?;
                let v = self.groupable(&vctx, value(0)?, site)?;
                let prefix = if name == "dcount" {
                    "dcount"
                } else {
                    "count_distinct"
                };
                // An exact distinct count of the non-null values: DataFusion's
                // `count(DISTINCT x)` (typed hash sets; ADX estimates with HLL).
                let e = agg::count_distinct(v.expr);
                LoweredAgg::one(e, format!("{prefix}_{first_name}"), KqlType::Long)
            }
            "dcountif" | "count_distinctif" => {
                check(2, 3)?;
                let v = self.groupable(&vctx, value(0)?, site)?;
                // `count(DISTINCT CASE WHEN pred THEN x END)`: rows failing the predicate
                // become nulls, which a distinct count ignores (a FILTER clause would drop
                // the DISTINCT).
                let e = agg::count_distinct(
                    datafusion::logical_expr::when(pred(1)?, v.expr)
                        .end()
                        .map_err(|e| error::df_err(e, site.span))?,
                );
                let prefix = if name == "dcountif" {
                    "dcountif"
                } else {
                    "count_distinctif"
                };
                LoweredAgg::one(e, format!("{prefix}_{first_name}"), KqlType::Long)
                    .if_null(zero(KqlType::Long), false)
            }
            "sum" | "sumif" => {
                check(
                    if name == "sum" { 1 } else { 2 },
                    if name == "sum" { 1 } else { 2 },
                )?;
                let v = self.numeric_agg_arg(&vctx, value(0)?, site)?;
                let ty = if v.ty == KqlType::Real {
                    KqlType::Real
                } else {
                    v.ty.max_long()
                };
                let mut e = agg::sum(v.expr);
                if name == "sumif" {
                    e = filtered(e, pred(1)?, site)?;
                }
                LoweredAgg::one(e, format!("{name}_{first_name}"), ty)
                    .if_null(zero(ty), name == "sum")
            }
            "avg" | "avgif" => {
                check(
                    if name == "avg" { 1 } else { 2 },
                    if name == "avg" { 1 } else { 2 },
                )?;
                let v = self.numeric_agg_arg(&vctx, value(0)?, site)?;
                let mut e = agg::avg(datafusion::logical_expr::cast(
                    v.expr,
                    KqlType::Real.arrow(),
                ));
                if name == "avgif" {
                    e = filtered(e, pred(1)?, site)?;
                }
                // Documented: avg over empty input (no `by`) is NaN.
                LoweredAgg::one(e, format!("{name}_{first_name}"), KqlType::Real)
                    .if_null(ScalarValue::Float64(Some(f64::NAN)), true)
            }
            "min" | "max" | "minif" | "maxif" => {
                let is_if = name.ends_with("if");
                check(if is_if { 2 } else { 1 }, if is_if { 2 } else { 1 })?;
                let v = value(0)?;
                let v = if v.ty == KqlType::Dynamic {
                    self.convert(&vctx, v, KqlType::Real, site.span)?
                } else {
                    v
                };
                let mut e = if name.starts_with("min") {
                    agg::min(v.expr)
                } else {
                    agg::max(v.expr)
                };
                if is_if {
                    e = filtered(e, pred(1)?, site)?;
                }
                LoweredAgg::one(e, format!("{name}_{first_name}"), v.ty)
            }
            "stdev" | "stdevp" | "variance" | "variancep" | "stdevif" | "varianceif" => {
                let is_if = name.ends_with("if");
                check(if is_if { 2 } else { 1 }, if is_if { 2 } else { 1 })?;
                let v = self.numeric_agg_arg(&vctx, value(0)?, site)?;
                let x = datafusion::logical_expr::cast(v.expr, KqlType::Real.arrow());
                // KQL: empty input and a single value give 0 (not null).
                let udaf = match name {
                    "stdev" | "stdevif" => "kql_stdev",
                    "stdevp" => "kql_stdevp",
                    "variance" | "varianceif" => "kql_variance",
                    _ => "kql_variancep",
                };
                let mut e = self.udaf(udaf, site.name_span)?.call(vec![x]);
                if is_if {
                    e = filtered(e, pred(1)?, site)?;
                }
                LoweredAgg::one(e, format!("{name}_{first_name}"), KqlType::Real)
                    .if_null(ScalarValue::Float64(Some(0.0)), false)
            }
            "make_set"
            | "make_set_if"
            | "make_list"
            | "make_list_if"
            | "make_list_with_nulls"
            | "make_set_with_nulls" => {
                let is_if = name.ends_with("_if");
                let (min, max) = if is_if { (2, 3) } else { (1, 2) };
                check(min, if name.ends_with("with_nulls") { 1 } else { max })?;
                let v = value(0)?;
                let v = if v.ty == KqlType::Dynamic {
                    self.dyn_json(&vctx, v, site.span)?
                } else {
                    v
                };
                let json = v.ty == KqlType::Dynamic;
                let udaf_name = match (name, json) {
                    ("make_set" | "make_set_if", false) => "kql_make_set",
                    ("make_set" | "make_set_if", true) => "kql_make_set_dynamic",
                    ("make_list_with_nulls" | "make_set_with_nulls", _) => {
                        "kql_make_list_with_nulls"
                    }
                    (_, false) => "kql_make_list",
                    (_, true) => "kql_make_list_dynamic",
                };
                let cap_index = if is_if { 2 } else { 1 };
                // make_list follows the input order when the input is sorted: an ordered
                // array_agg over the sort keys (nulls skipped, empty → []).
                let ordered_keys = ctx.rel.order.as_ref().filter(|k| !k.is_empty());
                if let (Some(keys), "kql_make_list", None) =
                    (ordered_keys, udaf_name, args.get(cap_index))
                {
                    let sorts: Vec<datafusion::logical_expr::SortExpr> = keys
                        .iter()
                        .filter_map(|k| {
                            ctx.rel.col_expr_by_name(&k.column).map(|e| {
                                datafusion::logical_expr::SortExpr::new(e, k.asc, k.nulls_first)
                            })
                        })
                        .collect();
                    let dt = self.dtype(&v.expr, ctx.rel, site.span)?;
                    let mut keep = v.expr.clone().is_not_null();
                    if is_if {
                        keep = keep.and(pred(1)?);
                    }
                    let e = datafusion::functions_aggregate::array_agg::array_agg_udaf()
                        .call(vec![v.expr.clone()])
                        .order_by(sorts)
                        .filter(keep)
                        .build()
                        .map_err(|e| error::df_err(e, site.span))?;
                    let empty = ScalarValue::List(ScalarValue::new_list_nullable(&[], &dt));
                    return Ok(
                        LoweredAgg::one(e, format!("list_{first_name}"), KqlType::Dynamic)
                            .if_null(empty, false),
                    );
                }
                let udaf = self.udaf(udaf_name, site.name_span)?;
                let mut call_args = vec![v.expr];
                if let Some(cap) = args.get(cap_index) {
                    let c = self.lower_expr(&vctx, cap)?;
                    call_args.push(self.promote(c, KqlType::Long).expr);
                }
                let mut e = udaf.call(call_args);
                if is_if {
                    e = filtered(e, pred(1)?, site)?;
                }
                let prefix = if name.starts_with("make_set") {
                    "set"
                } else {
                    "list"
                };
                LoweredAgg::one(e, format!("{prefix}_{first_name}"), KqlType::Dynamic)
            }
            "make_bag" | "make_bag_if" => {
                let is_if = name == "make_bag_if";
                check(if is_if { 2 } else { 1 }, if is_if { 3 } else { 2 })?;
                let v = value(0)?;
                let v = self.dyn_json(&vctx, self.to_dynamic(&vctx, v, site.span)?, site.span)?;
                let udaf = self.udaf("kql_make_bag", site.name_span)?;
                let mut e = udaf.call(vec![v.expr]);
                if is_if {
                    e = filtered(e, pred(1)?, site)?;
                }
                LoweredAgg::one(e, format!("bag_{first_name}"), KqlType::Dynamic)
            }
            "take_any" | "any" | "take_anyif" | "anyif" => {
                let is_if = name.ends_with("if");
                if is_if {
                    check(2, 2)?;
                    let v = value(0)?;
                    let e = filtered(agg::first_value(v.expr, vec![]), pred(1)?, site)?;
                    return Ok(LoweredAgg::one(e, first_name, v.ty));
                }
                check(1, usize::MAX)?;
                self.take_any_columns(&vctx, &args, site, by_names)?
            }
            "arg_max" | "arg_min" => {
                check(2, usize::MAX)?;
                self.arg_extreme(&vctx, &args, site, by_names, name == "arg_max")?
            }
            "percentile" | "percentiles" => {
                check(2, usize::MAX)?;
                if name == "percentile" {
                    check(2, 2)?;
                }
                let v = self.numeric_agg_arg(&vctx, value(0)?, site)?;
                let udaf = self.udaf("kql_percentile", site.name_span)?;
                let mut out = LoweredAgg {
                    aggs: vec![],
                    columns: vec![],
                };
                for (i, pe) in args.iter().enumerate().skip(1) {
                    let p = self.lower_expr(&vctx, pe)?;
                    let pv = self.const_eval(&p.expr).ok_or_else(|| {
                        err(
                            error::NOT_CONSTANT,
                            "percentile values must be constants",
                            &pe.span,
                        )
                    })?;
                    let pct_text = scalar_name_text(&pv);
                    out.aggs
                        .push(udaf.call(vec![v.expr.clone(), self.promote(p, KqlType::Real).expr]));
                    out.columns.push(AggColumn {
                        name: format!("percentile_{first_name}_{pct_text}"),
                        ty: v.ty,
                        agg: i - 1,
                        field: None,
                        if_null: None,
                        only_without_by: false,
                        explicit: false,
                    });
                }
                out
            }
            other => {
                return Err(error::not_supported(
                    format!("aggregation function `{other}`"),
                    site.name_span,
                ));
            }
        })
    }

    /// Values of numeric aggregates: numbers as they are, timespans as ticks are not yet
    /// supported, dynamic values read as reals.
    fn numeric_agg_arg(&self, ctx: &ExprCtx, v: Typed, site: &CallSite) -> PResult<Typed> {
        match v.ty {
            t if t.is_numeric() => Ok(v),
            KqlType::Dynamic => self.convert(ctx, v, KqlType::Real, site.span),
            KqlType::Bool => Ok(Typed::new(
                datafusion::logical_expr::cast(v.expr, KqlType::Long.arrow()),
                KqlType::Long,
            )),
            other => Err(err(
                error::TYPE_MISMATCH,
                format!("`{}` needs a numeric argument, found {other}", site.name),
                site.span,
            )),
        }
    }

    /// Values usable as distinct/group keys: dynamic values by their JSON text.
    fn groupable(&self, ctx: &ExprCtx, v: Typed, site: &CallSite) -> PResult<Typed> {
        if v.ty == KqlType::Dynamic {
            let j = self.dyn_json(ctx, v, site.span)?;
            return Ok(Typed::new(j.expr, KqlType::String));
        }
        Ok(v)
    }

    /// `take_any(a, b, ...)` / `take_any(*)`: one row's values, each column named after its
    /// expression.
    fn take_any_columns(
        &self,
        ctx: &ExprCtx,
        args: &[&ast::Expr],
        site: &CallSite,
        by_names: &[String],
    ) -> PResult<LoweredAgg> {
        let items = self.expand_star(ctx, args, by_names, None)?;
        let fields: Vec<(String, Typed)> = items;
        let st = struct_of(&fields);
        let e = agg::first_value(st, vec![]);
        let _ = site;
        Ok(LoweredAgg::struct_fields(e, &fields, "f"))
    }

    /// `arg_max(x, a, b)` / `arg_max(x, *)`: the values of the row maximising `x` (rows with
    /// null `x` ignored), taken as one struct so all columns come from the same row.
    fn arg_extreme(
        &self,
        ctx: &ExprCtx,
        args: &[&ast::Expr],
        site: &CallSite,
        by_names: &[String],
        max: bool,
    ) -> PResult<LoweredAgg> {
        let key = self.lower_expr(ctx, args[0])?;
        let key = if key.ty == KqlType::Dynamic {
            self.convert(ctx, key, KqlType::Real, site.span)?
        } else {
            key
        };
        // Kusto.Language: an unnamed non-column key is `max_` / `min_`.
        let prefix = if max { "max" } else { "min" };
        let key_name = {
            let n = arg_name(args[0]);
            if n.is_empty() {
                format!("{prefix}_")
            } else {
                n
            }
        };
        let mut fields = vec![(key_name.clone(), key.clone())];
        let rest = self.expand_star(ctx, &args[1..], by_names, Some(&key_name))?;
        let star = args[1..].iter().any(|a| matches!(a.node, ExprKind::Star));
        for (i, (n, t)) in rest.into_iter().enumerate() {
            // Unnamed expressions: `max_<key>_arg<i>`; with `*`, columns already present
            // (by columns, the key) are not repeated.
            let n = if n.starts_with("Column") && !ctx.rel.has(&n) {
                format!("{prefix}_{key_name}_arg{}", i + 1)
            } else {
                n
            };
            if star && (fields.iter().any(|(m, _)| *m == n) || by_names.contains(&n)) {
                continue;
            }
            fields.push((n, t));
        }
        // kql_arg_max returns Struct{c0: key, c1: ret1, ...} from one row.
        let udaf = self.udaf(
            if max { "kql_arg_max" } else { "kql_arg_min" },
            site.name_span,
        )?;
        let e = udaf.call(fields.iter().map(|(_, t)| t.expr.clone()).collect());
        Ok(LoweredAgg::struct_fields(e, &fields, "c"))
    }

    /// Expands `*` (all input columns not in `by` and not named `skip`) and named expressions
    /// for take_any/arg_max.
    fn expand_star(
        &self,
        ctx: &ExprCtx,
        args: &[&ast::Expr],
        by_names: &[String],
        skip: Option<&str>,
    ) -> PResult<Vec<(String, Typed)>> {
        let mut out: Vec<(String, Typed)> = Vec::new();
        for a in args {
            if matches!(a.node, ExprKind::Star) {
                for (i, c) in ctx.rel.columns.iter().enumerate() {
                    if by_names.contains(&c.name) || Some(c.name.as_str()) == skip {
                        continue;
                    }
                    if out.iter().any(|(n, _)| n == &c.name) {
                        continue;
                    }
                    out.push((c.name.clone(), Typed::new(ctx.rel.col_expr(i), c.ty)));
                }
            } else {
                let t = self.lower_expr(ctx, a)?;
                let n = arg_name(a);
                let n = if n.is_empty() {
                    format!("Column{}", out.len() + 1)
                } else {
                    n
                };
                out.push((n, t));
            }
        }
        Ok(out)
    }
}

/// A struct `{f0: e0, f1: e1, ...}` of the given expressions.
fn struct_of(fields: &[(String, Typed)]) -> Expr {
    let mut args = Vec::new();
    for (i, (_, t)) in fields.iter().enumerate() {
        args.push(lit(format!("f{i}")));
        args.push(t.expr.clone());
    }
    named_struct(args)
}

/// Adds `FILTER (WHERE pred)` to an aggregate expression.
fn filtered(e: Expr, pred: Expr, site: &CallSite) -> PResult<Expr> {
    e.filter(pred)
        .build()
        .map_err(|e| error::df_err(e, site.span))
}

/// How a percentile value appears in a default column name (`95`, `99_9`).
fn scalar_name_text(v: &ScalarValue) -> String {
    let s = match v {
        ScalarValue::Float64(Some(f)) => {
            if f.fract() == 0.0 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        other => other.to_string(),
    };
    s.replace(['.', '-'], "_")
}

impl KqlType {
    /// `int` widened to `long`; other types unchanged.
    pub(crate) fn max_long(self) -> KqlType {
        if self == KqlType::Int {
            KqlType::Long
        } else {
            self
        }
    }
}

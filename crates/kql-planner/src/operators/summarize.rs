//! `summarize`, `count`, `distinct`.
//!
//! Output schema: group-by columns first (in `by` order), then aggregate columns (in listed
//! order), with KQL's default names (`count_`, `sum_x`, `bin(T, 1h)` keeps `T`). Without
//! `by`, empty input gives one row whose aggregates take KQL's empty values (`count`/`sum`
//! 0, `make_set` `[]`, `avg` NaN, others null); with `by`, no rows.

use crate::error::{self, DfResultExt, PResult, err};
use crate::functions::CallSite;
use crate::functions::aggregate::{AggColumn, LoweredAgg, is_aggregate};
use crate::naming::inferred_name;
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::{Binding, Scope};
use crate::types::KqlType;
use datafusion::common::Column;
use datafusion::functions::core::expr_fn::get_field;
use datafusion::functions::expr_fn::coalesce;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, lit};
use kql_syntax::ast::{self, ExprKind, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    /// `summarize aggs by keys`.
    pub(crate) fn plan_summarize(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        aggs: &[ast::Assignment],
        by: &[ast::Assignment],
        span: &Span,
    ) -> PResult<Rel> {
        let ctx = self.ctx(&rel, scope);
        // Group keys.
        let mut group_exprs = Vec::new();
        let mut key_cols: Vec<Col> = Vec::new();
        for b in by {
            if b.names.len() > 1 {
                return Err(err(
                    error::BAD_ARGUMENTS,
                    "tuple names are not allowed in `by`",
                    &b.expr.span,
                ));
            }
            let t = self.lower_expr(&ctx, &b.expr)?;
            let taken: Vec<String> = key_cols.iter().map(|c| c.name.clone()).collect();
            let name = match b.names.first() {
                Some(n) => n.name.clone(),
                None => match inferred_name(&b.expr) {
                    Some(n) => crate::naming::unique_name(&n, &taken),
                    None => self.default_column_name(&taken, scope),
                },
            };
            group_exprs.push(t.expr.alias(&name));
            key_cols.push(Col::new(name, t.ty));
        }
        self.check_unique(&key_cols, span)?;
        let by_names: Vec<String> = key_cols.iter().map(|c| c.name.clone()).collect();

        // Aggregates: each assignment is an aggregation call, or a scalar expression over
        // aggregation calls (computed after the aggregation).
        let mut agg_exprs: Vec<Expr> = Vec::new();
        let mut outputs: Vec<Output> = Vec::new();
        for a in aggs {
            if let ExprKind::Call { name, args } = &a.expr.node
                && self.is_agg_call(scope, &name.name)
            {
                let site = CallSite {
                    name: &name.name,
                    name_span: &name.span,
                    args,
                    span: &a.expr.span,
                };
                let lowered = self.lower_aggregate(&ctx, &site, &by_names)?;
                let base = agg_exprs.len();
                let cols = self.named_agg_columns(a, &lowered, base)?;
                agg_exprs.extend(lowered.aggs);
                outputs.extend(cols.into_iter().map(Output::Direct));
                continue;
            }
            if a.names.len() > 1 {
                return Err(err(
                    error::BAD_ARGUMENTS,
                    "tuple names need a tuple-valued aggregate",
                    &a.expr.span,
                ));
            }
            // Composite: replace aggregation calls by references to temporary columns.
            let mut found = Vec::new();
            let rewritten = self.extract_aggregates(scope, &a.expr, &mut found);
            if found.is_empty() {
                return Err(err(
                    error::WRONG_KIND,
                    "a summarize aggregate must use an aggregation function such as count() or sum(x)",
                    &a.expr.span,
                ));
            }
            let mut temps = Vec::new();
            for (temp, call) in found {
                let ExprKind::Call { name, args } = &call.node else {
                    continue;
                };
                let site = CallSite {
                    name: &name.name,
                    name_span: &name.span,
                    args,
                    span: &call.span,
                };
                let lowered = self.lower_aggregate(&ctx, &site, &by_names)?;
                if lowered.columns.len() != 1 {
                    return Err(error::not_supported(
                        "multi-column aggregates inside expressions",
                        &call.span,
                    ));
                }
                let col = lowered.columns[0].clone();
                let idx = agg_exprs.len();
                agg_exprs.extend(lowered.aggs);
                temps.push((
                    temp,
                    AggColumn {
                        agg: idx + col.agg,
                        ..col
                    },
                ));
            }
            outputs.push(Output::Composite {
                name: a.names.first().map(|n| n.name.clone()),
                expr: rewritten,
                temps,
            });
        }

        // The aggregation itself; aggregates get temporary names.
        let agg_names: Vec<String> = (0..agg_exprs.len())
            .map(|i| format!("__kql_agg_{i}"))
            .collect();
        let aliased: Vec<Expr> = agg_exprs
            .into_iter()
            .zip(&agg_names)
            .map(|(e, n)| e.alias(n))
            .collect();
        let plan = LogicalPlanBuilder::from(rel.plan.clone())
            .aggregate(group_exprs, aliased)
            .at(span)?
            .build()
            .at(span)?;
        let no_by = by.is_empty();

        // Final projection in KQL order.
        let mut exprs: Vec<Expr> = Vec::new();
        let mut cols: Vec<Col> = Vec::new();
        for k in &key_cols {
            exprs.push(Expr::Column(Column::from_name(&k.name)).alias(&k.name));
            cols.push(k.clone());
        }
        let col_value = |c: &AggColumn| -> Expr {
            let mut e = Expr::Column(Column::from_name(&agg_names[c.agg]));
            if let Some(f) = &c.field {
                e = get_field(e, f.as_str());
            }
            if let Some(v) = &c.if_null
                && (no_by || !c.only_without_by)
            {
                e = coalesce(vec![e, lit(v.clone())]);
            }
            e
        };
        // Temporary relation over the aggregate output, for composite expressions.
        let mut agg_cols: Vec<Col> = key_cols.clone();
        agg_cols.extend(
            agg_names
                .iter()
                .map(|n| Col::new(n.clone(), KqlType::Dynamic)),
        );
        let agg_rel = Rel::new(plan.clone(), agg_cols);
        for o in outputs {
            match o {
                Output::Direct(c) => {
                    let taken: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
                    let name = if c.explicit {
                        c.name.clone()
                    } else {
                        crate::naming::unique_name(&c.name, &taken)
                    };
                    exprs.push(col_value(&c).alias(&name));
                    cols.push(Col::new(name, c.ty));
                }
                Output::Composite { name, expr, temps } => {
                    let bindings = temps
                        .iter()
                        .map(|(temp, c)| {
                            (
                                temp.clone(),
                                Binding::Scalar(crate::expr::Typed::new(col_value(c), c.ty)),
                            )
                        })
                        .collect();
                    let cscope = Scope::bind_all(scope, bindings);
                    let t = self.lower_expr(&self.ctx(&agg_rel, &cscope), &expr)?;
                    let taken: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
                    let n = name.unwrap_or_else(|| self.default_column_name(&taken, scope));
                    exprs.push(t.expr.alias(&n));
                    cols.push(Col::new(n, t.ty));
                }
            }
        }
        self.check_unique(&cols, span)?;
        Rel::new(plan, agg_rel.columns.clone())
            .project(exprs, cols)
            .at(span)
    }

    /// True when `name` is an aggregation function (not shadowed by a user function).
    fn is_agg_call(&self, scope: &Rc<Scope>, name: &str) -> bool {
        is_aggregate(name) && !matches!(scope.lookup(name), Some(Binding::Function(_)))
    }

    /// Applies the user's names to an aggregate's output columns.
    fn named_agg_columns(
        &self,
        a: &ast::Assignment,
        l: &LoweredAgg,
        base: usize,
    ) -> PResult<Vec<AggColumn>> {
        if a.names.len() > l.columns.len() {
            return Err(err(
                error::BAD_ARGUMENTS,
                format!(
                    "{} names given but the aggregate returns {} columns",
                    a.names.len(),
                    l.columns.len()
                ),
                &a.expr.span,
            ));
        }
        Ok(l.columns
            .iter()
            .enumerate()
            .map(|(i, c)| AggColumn {
                name: a
                    .names
                    .get(i)
                    .map_or_else(|| c.name.clone(), |n| n.name.clone()),
                agg: base + c.agg,
                ..c.clone()
            })
            .collect())
    }

    /// Replaces aggregation calls inside `e` with references to fresh names, collecting the
    /// calls.
    fn extract_aggregates<'a>(
        &self,
        scope: &Rc<Scope>,
        e: &'a ast::Expr,
        found: &mut Vec<(String, &'a ast::Expr)>,
    ) -> ast::Expr {
        let sub = |x: &'a ast::Expr, found: &mut Vec<(String, &'a ast::Expr)>| -> Box<ast::Expr> {
            Box::new(self.extract_aggregates(scope, x, found))
        };
        let node = match &e.node {
            ExprKind::Call { name, .. } if self.is_agg_call(scope, &name.name) => {
                let temp = format!("__kql_aggref_{}", found.len());
                found.push((temp.clone(), e));
                ExprKind::Name(ast::Ident::new(temp, e.span.clone()))
            }
            ExprKind::Call { name, args } => ExprKind::Call {
                name: name.clone(),
                args: args
                    .iter()
                    .map(|a| ast::Arg {
                        name: a.name.clone(),
                        value: self.extract_aggregates(scope, &a.value, found),
                    })
                    .collect(),
            },
            ExprKind::Binary { op, left, right } => ExprKind::Binary {
                op: *op,
                left: sub(left, found),
                right: sub(right, found),
            },
            ExprKind::Unary { op, operand } => ExprKind::Unary {
                op: *op,
                operand: sub(operand, found),
            },
            ExprKind::Member { target, name } => ExprKind::Member {
                target: sub(target, found),
                name: name.clone(),
            },
            ExprKind::Index { target, index } => ExprKind::Index {
                target: sub(target, found),
                index: sub(index, found),
            },
            ExprKind::Between {
                negated,
                expr,
                low,
                high,
            } => ExprKind::Between {
                negated: *negated,
                expr: sub(expr, found),
                low: sub(low, found),
                high: sub(high, found),
            },
            ExprKind::List { op, expr, items } => ExprKind::List {
                op: *op,
                expr: sub(expr, found),
                items: items
                    .iter()
                    .map(|i| self.extract_aggregates(scope, i, found))
                    .collect(),
            },
            other => other.clone(),
        };
        ast::Expr::new(node, e.span.clone())
    }

    /// `count [as Name]`: one row, one `long` column `Count` (0 for empty input).
    pub(crate) fn plan_count(
        &self,
        rel: Rel,
        as_name: Option<&ast::Ident>,
        span: &Span,
    ) -> PResult<Rel> {
        let name = as_name.map_or_else(|| "Count".to_string(), |n| n.name.clone());
        let e = datafusion::functions_aggregate::expr_fn::count(lit(1i64)).alias(&name);
        let plan = LogicalPlanBuilder::from(rel.plan)
            .aggregate(Vec::<Expr>::new(), vec![e])
            .at(span)?
            .build()
            .at(span)?;
        Ok(Rel::new(plan, vec![Col::new(name, KqlType::Long)]))
    }

    /// `distinct a, b` / `distinct *`.
    pub(crate) fn plan_distinct(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        items: &[ast::Expr],
        span: &Span,
    ) -> PResult<Rel> {
        let ctx = self.ctx(&rel, scope);
        let mut groups = Vec::new();
        let mut cols: Vec<Col> = Vec::new();
        for item in items {
            if matches!(item.node, ExprKind::Star) {
                for (i, c) in rel.columns.iter().enumerate() {
                    groups.push(rel.col_expr(i).alias(&c.name));
                    cols.push(c.clone());
                }
                continue;
            }
            let t = self.lower_expr(&ctx, item)?;
            let taken: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
            let name = match inferred_name(item) {
                Some(n) => crate::naming::unique_name(&n, &taken),
                None => self.default_column_name(&taken, scope),
            };
            groups.push(t.expr.alias(&name));
            cols.push(Col::new(name, t.ty));
        }
        self.check_unique(&cols, span)?;
        let plan = LogicalPlanBuilder::from(rel.plan)
            .aggregate(groups, Vec::<Expr>::new())
            .at(span)?
            .build()
            .at(span)?;
        Ok(Rel::new(plan, cols))
    }
}

/// One summarize output: a direct aggregate column, or a scalar expression over aggregates.
enum Output {
    Direct(AggColumn),
    Composite {
        name: Option<String>,
        expr: ast::Expr,
        temps: Vec<(String, AggColumn)>,
    },
}

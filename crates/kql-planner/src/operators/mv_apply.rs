//! `mv-apply [params] items [limit n] on (subquery)`: each input row's arrays are expanded
//! and the subquery runs over that row's expansion alone; its output rows are combined with
//! the row's other columns (rows for which the subquery returns nothing disappear).
//!
//! Lowering: every input row gets a row id; the expansion is an ordinary `mv-expand`; the
//! subquery's operators are planned with the row id carried along, and the per-row
//! operators are partitioned by it (`summarize ... by row id`, `take`/`top` through a
//! `row_number() over (partition by row id)`); the result is joined back to the input on
//! the row id. Supported subquery operators: where, extend, project, project-away,
//! project-rename, summarize, count, take, top, sort, distinct, mv-expand, parse.

use crate::error::{self, DfResultExt, PResult, err};
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::Scope;
use crate::types::KqlType;
use datafusion::common::{Column, JoinType};
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, ExprFunctionExt, LogicalPlanBuilder, SortExpr, cast, lit};
use kql_syntax::ast::{self, ExprKind, OperatorKind, Span};
use std::rc::Rc;

const ROW: &str = "__kql_row";

impl<'c> Planner<'c> {
    /// Plans `mv-apply`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn plan_mv_apply(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        params: &[ast::OpParam],
        items: &[ast::MvExpandItem],
        limit: Option<&ast::Expr>,
        subquery: &ast::Expr,
        span: &Span,
    ) -> PResult<Rel> {
        // 1. Row ids.
        let mut exprs: Vec<Expr> = (0..rel.columns.len())
            .map(|i| rel.col_expr(i).alias(&rel.columns[i].name))
            .collect();
        let rn = row_number();
        exprs.push(cast(rn, KqlType::Long.arrow()).alias(ROW));
        let mut cols = rel.columns.clone();
        cols.push(Col::new(ROW, KqlType::Long));
        let with_id = rel.project(exprs, cols).at(span)?;
        // Materialize the row ids once, so the expansion and the join back agree on them.
        let with_id = self.execute_to_rel(&with_id, span)?;

        // 2. Expansion (the ordinary mv-expand).
        let expanded = self.plan_mv_expand(scope, with_id.clone(), params, items, limit, span)?;
        let expanded_names: Vec<String> = items
            .iter()
            .filter_map(|it| {
                it.name
                    .as_ref()
                    .map(|n| n.name.clone())
                    .or_else(|| crate::naming::inferred_name(&it.expr))
            })
            .collect();

        // 3. The subquery, per row.
        let ops = match &subquery.node {
            ExprKind::Pipeline { source: None, ops } => ops.clone(),
            _ => {
                return Err(error::not_supported(
                    "mv-apply with a subquery that has its own source",
                    &subquery.span,
                ));
            }
        };
        let mut cur = expanded;
        for op in &ops {
            if let OperatorKind::Summarize { aggs, by, .. } = &op.node
                && by.is_empty()
            {
                cur = self.per_row_summarize_all(scope, cur, &with_id, aggs, span)?;
                continue;
            }
            cur = self.mv_apply_operator(scope, cur, op)?;
            if !cur.has(ROW) {
                return Err(error::not_supported(
                    "this operator inside mv-apply (it drops the row association)",
                    &op.span,
                ));
            }
        }

        // 4. Join back: the input's other columns, then the subquery's columns.
        let keep: Vec<usize> = (0..with_id.columns.len())
            .filter(|&i| !expanded_names.contains(&with_id.columns[i].name))
            .collect();
        let left = with_id.select(&keep).at(span)?;
        let lplan = LogicalPlanBuilder::from(left.plan.clone())
            .alias("__kql_l")
            .at(span)?
            .build()
            .at(span)?;
        let rplan = LogicalPlanBuilder::from(cur.plan.clone())
            .alias("__kql_r")
            .at(span)?
            .build()
            .at(span)?;
        let lq = Rel::new(lplan, left.columns.clone());
        let rq = Rel::new(rplan, cur.columns.clone());
        let (Some(lk), Some(rk)) = (lq.col_expr_by_name(ROW), rq.col_expr_by_name(ROW)) else {
            return Err(err(
                error::INTERNAL,
                "internal planner error: mv-apply row id",
                span,
            ));
        };
        let plan = LogicalPlanBuilder::from(lq.plan.clone())
            .join_with_expr_keys(rq.plan.clone(), JoinType::Inner, (vec![lk], vec![rk]), None)
            .at(span)?
            .build()
            .at(span)?;
        let mut out_exprs = Vec::new();
        let mut out_cols = Vec::new();
        for (i, c) in left.columns.iter().enumerate() {
            if c.name != ROW {
                out_exprs.push(lq.col_expr(i).alias(&c.name));
                out_cols.push(c.clone());
            }
        }
        for (i, c) in cur.columns.iter().enumerate() {
            if c.name != ROW && !out_cols.iter().any(|o: &Col| o.name == c.name) {
                out_exprs.push(rq.col_expr(i).alias(&c.name));
                out_cols.push(c.clone());
            }
        }
        let mut all = left.columns.clone();
        all.extend(cur.columns.iter().cloned());
        Rel::new(plan, all).project(out_exprs, out_cols).at(span)
    }

    /// One operator of an mv-apply subquery, kept per row.
    fn mv_apply_operator(&self, scope: &Rc<Scope>, rel: Rel, op: &ast::Operator) -> PResult<Rel> {
        let span = &op.span;
        let row_key = || ast::Assignment {
            names: vec![],
            tuple: false,
            expr: ast::Expr::new(
                ExprKind::Name(ast::Ident::new(ROW, span.clone())),
                span.clone(),
            ),
        };
        match &op.node {
            OperatorKind::Summarize { aggs, by, .. } => {
                let mut by2 = vec![row_key()];
                by2.extend(by.iter().cloned());
                self.plan_summarize(scope, rel, aggs, &by2, span)
            }
            OperatorKind::Count { as_name } => {
                let name = as_name
                    .as_ref()
                    .map_or_else(|| "Count".to_string(), |n| n.name.clone());
                let agg = ast::Assignment {
                    names: vec![ast::Ident::new(name, span.clone())],
                    tuple: false,
                    expr: ast::Expr::new(
                        ExprKind::Call {
                            name: ast::Ident::new("count", span.clone()),
                            args: vec![],
                        },
                        span.clone(),
                    ),
                };
                self.plan_summarize(scope, rel, &[agg], &[row_key()], span)
            }
            OperatorKind::Distinct(items) => {
                let mut items2 = vec![row_key().expr];
                items2.extend(items.iter().cloned());
                self.plan_distinct(scope, rel, &items2, span)
            }
            OperatorKind::Take(n) => self.per_row_limit(scope, rel, n, &[], span),
            OperatorKind::Top { n, by } => {
                let rel = self.plan_sort(scope, rel, by, span)?;
                self.per_row_limit(scope, rel, n, by, span)
            }
            OperatorKind::Project(items) => {
                let mut items2 = items.clone();
                if !items
                    .iter()
                    .any(|a| matches!(&a.expr.node, ExprKind::Name(id) if id.name == ROW))
                {
                    items2.push(row_key());
                }
                self.plan_project(scope, rel, &items2, span)
            }
            OperatorKind::Where(_)
            | OperatorKind::Extend(_)
            | OperatorKind::ProjectAway(_)
            | OperatorKind::ProjectRename(_)
            | OperatorKind::ProjectReorder(_)
            | OperatorKind::ProjectKeep(_)
            | OperatorKind::Sort(_)
            | OperatorKind::MvExpand { .. }
            | OperatorKind::Parse { .. } => self.plan_operator(scope, rel, op),
            _ => Err(error::not_supported("this operator inside mv-apply", span)),
        }
    }

    /// `summarize aggs` (no `by`) per input row: rows whose expansion is empty still get one
    /// row of KQL's empty-input values (count 0, make_set [], ...), as a subquery over an
    /// empty table would.
    fn per_row_summarize_all(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        with_id: &Rel,
        aggs: &[ast::Assignment],
        span: &Span,
    ) -> PResult<Rel> {
        let row_key = ast::Assignment {
            names: vec![],
            tuple: false,
            expr: ast::Expr::new(
                ExprKind::Name(ast::Ident::new(ROW, span.clone())),
                span.clone(),
            ),
        };
        let grouped = self.plan_summarize(scope, rel.clone(), aggs, &[row_key], span)?;
        // The empty-input row: the same aggregation over no rows.
        let none = LogicalPlanBuilder::from(rel.plan.clone())
            .filter(lit(false))
            .at(span)?
            .build()
            .at(span)?;
        let empty_row =
            self.plan_summarize(scope, Rel::new(none, rel.columns.clone()), aggs, &[], span)?;
        // Row ids with no group.
        let ids = with_id
            .select(&[with_id.index_of(ROW).unwrap_or(0)])
            .at(span)?;
        let gids = grouped.select(&[0]).at(span)?;
        let lplan = LogicalPlanBuilder::from(ids.plan.clone())
            .alias("__kql_ids")
            .at(span)?
            .build()
            .at(span)?;
        let rplan = LogicalPlanBuilder::from(gids.plan.clone())
            .alias("__kql_gids")
            .at(span)?
            .build()
            .at(span)?;
        let (lq, rq) = (
            Rel::new(lplan, ids.columns.clone()),
            Rel::new(rplan, gids.columns.clone()),
        );
        let missing = LogicalPlanBuilder::from(lq.plan.clone())
            .join_with_expr_keys(
                rq.plan.clone(),
                JoinType::LeftAnti,
                (vec![lq.col_expr(0)], vec![rq.col_expr(0)]),
                None,
            )
            .at(span)?
            .build()
            .at(span)?;
        let missing = Rel::new(missing, ids.columns.clone())
            .select(&[0])
            .at(span)?;
        let filled_plan = LogicalPlanBuilder::from(missing.plan.clone())
            .cross_join(empty_row.plan.clone())
            .at(span)?
            .build()
            .at(span)?;
        let mut cols = missing.columns.clone();
        cols.extend(empty_row.columns.iter().cloned());
        let filled = Rel::new(filled_plan, cols);
        let all: Vec<usize> = (0..filled.columns.len()).collect();
        let filled = filled.select(&all).at(span)?;
        // Same column order as `grouped` (row id first, then the aggregates).
        let plan = LogicalPlanBuilder::from(grouped.plan.clone())
            .union(filled.plan.clone())
            .at(span)?
            .build()
            .at(span)?;
        Ok(Rel::new(plan, grouped.columns.clone()))
    }

    /// Keeps the first `n` rows of each input row's group (in `by` order when given).
    fn per_row_limit(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        n: &ast::Expr,
        by: &[ast::SortKey],
        span: &Span,
    ) -> PResult<Rel> {
        let empty = Rel::one_row();
        let t = self.lower_expr(&self.ctx(&empty, scope), n)?;
        let count = match self.const_eval(&t.expr) {
            Some(datafusion::common::ScalarValue::Int64(Some(v))) => v,
            Some(datafusion::common::ScalarValue::Int32(Some(v))) => v as i64,
            _ => {
                return Err(err(
                    error::NOT_CONSTANT,
                    "the row count must be a constant",
                    &n.span,
                ));
            }
        };
        let ctx = self.ctx(&rel, scope);
        let mut order = Vec::new();
        for k in by {
            let e = self.lower_expr(&ctx, &k.expr)?;
            let asc = k.dir == Some(ast::SortDir::Asc);
            order.push(SortExpr::new(e.expr, asc, !asc));
        }
        let row = Expr::Column(Column::from_name(ROW));
        let rn = row_number()
            .partition_by(vec![row])
            .order_by(order)
            .build()
            .map_err(|e| error::df_err(e, span))?;
        let tmp = self.fresh("rn");
        let mut exprs: Vec<Expr> = (0..rel.columns.len())
            .map(|i| rel.col_expr(i).alias(&rel.columns[i].name))
            .collect();
        exprs.push(rn.alias(&tmp));
        let mut cols = rel.columns.clone();
        cols.push(Col::new(tmp.clone(), KqlType::Long));
        let numbered = rel.project(exprs, cols).at(span)?;
        let plan = LogicalPlanBuilder::from(numbered.plan.clone())
            .filter(Expr::Column(Column::from_name(&tmp)).lt_eq(lit(count as u64)))
            .at(span)?
            .build()
            .at(span)?;
        let filtered = Rel::new(plan, numbered.columns.clone());
        let keep: Vec<usize> = (0..rel.columns.len()).collect();
        filtered.select(&keep).at(span)
    }
}

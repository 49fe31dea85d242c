//! `sort`/`order`, `top`, `take`/`limit`.
//!
//! KQL sorts descending by default; nulls go last for `desc` and first for `asc` unless
//! `nulls first|last` says otherwise.

use crate::error::{self, DfResultExt, PResult, err};
use crate::planner::Planner;
use crate::rel::Rel;
use crate::scope::Scope;
use crate::types::KqlType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::{LogicalPlanBuilder, SortExpr};
use kql_syntax::ast::{self, NullsOrder, SortDir, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    /// Lowers sort keys.
    fn sort_exprs(
        &self,
        scope: &Rc<Scope>,
        rel: &Rel,
        keys: &[ast::SortKey],
    ) -> PResult<Vec<SortExpr>> {
        let ctx = self.ctx(rel, scope);
        keys.iter()
            .map(|k| {
                let t = self.lower_expr(&ctx, &k.expr)?;
                let t = if t.ty == KqlType::Dynamic {
                    self.dyn_json(&ctx, t, &k.expr.span)?
                } else {
                    t
                };
                let asc = k.dir == Some(SortDir::Asc);
                let nulls_first = match k.nulls {
                    Some(NullsOrder::First) => true,
                    Some(NullsOrder::Last) => false,
                    None => asc,
                };
                Ok(SortExpr::new(t.expr, asc, nulls_first))
            })
            .collect()
    }

    /// The row order established by sorting on `keys` (when every key is a column).
    fn order_of(&self, rel: &Rel, keys: &[ast::SortKey]) -> Option<Vec<crate::rel::OrderKey>> {
        keys.iter()
            .map(|k| match &k.expr.node {
                ast::ExprKind::Name(id) if rel.has(&id.name) => {
                    let asc = k.dir == Some(SortDir::Asc);
                    Some(crate::rel::OrderKey {
                        column: id.name.clone(),
                        asc,
                        nulls_first: match k.nulls {
                            Some(NullsOrder::First) => true,
                            Some(NullsOrder::Last) => false,
                            None => asc,
                        },
                    })
                }
                _ => None,
            })
            .collect()
    }

    /// `sort by k [asc|desc] [nulls first|last], ...`.
    pub(crate) fn plan_sort(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        keys: &[ast::SortKey],
        span: &Span,
    ) -> PResult<Rel> {
        let sorts = self.sort_exprs(scope, &rel, keys)?;
        // Without a column order the rows are still serialized (any order is valid).
        let order = self.order_of(&rel, keys).or(Some(vec![]));
        let plan = LogicalPlanBuilder::from(rel.plan)
            .sort(sorts)
            .at(span)?
            .build()
            .at(span)?;
        Ok(Rel::new(plan, rel.columns).with_order(order))
    }

    /// The constant non-negative row count of `take`/`top`.
    fn row_count(&self, scope: &Rc<Scope>, n: &ast::Expr) -> PResult<usize> {
        let empty = Rel::one_row();
        let t = self.lower_expr(&self.ctx(&empty, scope), n)?;
        let v = self.const_eval(&t.expr).ok_or_else(|| {
            err(
                error::NOT_CONSTANT,
                "the row count must be a constant",
                &n.span,
            )
        })?;
        let count = match v {
            ScalarValue::Int32(Some(i)) => i as i64,
            ScalarValue::Int64(Some(i)) => i,
            ScalarValue::Float64(Some(f)) => f as i64,
            _ => {
                return Err(err(
                    error::TYPE_MISMATCH,
                    "the row count must be a number",
                    &n.span,
                ));
            }
        };
        Ok(count.max(0) as usize)
    }

    /// `take n` / `limit n`.
    pub(crate) fn plan_take(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        n: &ast::Expr,
        span: &Span,
    ) -> PResult<Rel> {
        let count = self.row_count(scope, n)?;
        let order = rel.order.clone();
        let plan = LogicalPlanBuilder::from(rel.plan)
            .limit(0, Some(count))
            .at(span)?
            .build()
            .at(span)?;
        Ok(Rel::new(plan, rel.columns).with_order(order))
    }

    /// `top n by key [asc|desc] [nulls ...]`.
    pub(crate) fn plan_top(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        n: &ast::Expr,
        by: &[ast::SortKey],
        span: &Span,
    ) -> PResult<Rel> {
        let count = self.row_count(scope, n)?;
        let sorts = self.sort_exprs(scope, &rel, by)?;
        let order = self.order_of(&rel, by).or(Some(vec![]));
        let plan = LogicalPlanBuilder::from(rel.plan)
            .sort(sorts)
            .at(span)?
            .limit(0, Some(count))
            .at(span)?
            .build()
            .at(span)?;
        Ok(Rel::new(plan, rel.columns).with_order(order))
    }
}

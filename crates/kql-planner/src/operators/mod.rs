//! Tabular operator lowerings, one file per operator family. Each is an `impl Planner`
//! block; [`Planner::plan_operator`] dispatches.

pub(crate) mod extend;
mod find;
mod join;
mod make_series;
mod misc;
mod mv_apply;
mod mv_expand;
mod parse;
mod project;
mod sort;
mod summarize;
mod union;

use crate::error::{self, DfResultExt, PResult, err};
use crate::planner::Planner;
use crate::rel::Rel;
use crate::scope::Scope;
use datafusion::logical_expr::LogicalPlanBuilder;
use kql_syntax::ast::{self, OperatorKind, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    /// Applies one pipeline operator to `rel`.
    pub(crate) fn plan_operator(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        op: &ast::Operator,
    ) -> PResult<Rel> {
        let span = &op.span;
        match &op.node {
            OperatorKind::Where(pred) => self.plan_where(scope, rel, pred, span),
            OperatorKind::Extend(items) => self.plan_extend(scope, rel, items, span),
            OperatorKind::Project(items) => self.plan_project(scope, rel, items, span),
            OperatorKind::ProjectAway(pats) => self.plan_project_away(rel, pats, span),
            OperatorKind::ProjectKeep(pats) => self.plan_project_keep(rel, pats, span),
            OperatorKind::ProjectRename(pairs) => self.plan_project_rename(rel, pairs, span),
            OperatorKind::ProjectReorder(items) => self.plan_project_reorder(rel, items, span),
            OperatorKind::Summarize {
                params: _,
                aggs,
                by,
            } => self.plan_summarize(scope, rel, aggs, by, span),
            OperatorKind::Count { as_name } => self.plan_count(rel, as_name.as_ref(), span),
            OperatorKind::Distinct(items) => self.plan_distinct(scope, rel, items, span),
            OperatorKind::Take(n) => self.plan_take(scope, rel, n, span),
            OperatorKind::Top { n, by } => self.plan_top(scope, rel, n, by, span),
            OperatorKind::Sort(keys) => self.plan_sort(scope, rel, keys, span),
            OperatorKind::Serialize(items) => {
                // Serialized: the current order (known keys, or an unspecified one).
                let order = rel.order.clone().or(Some(vec![]));
                let rel = rel.with_order(order);
                self.plan_extend(scope, rel, items, span)
            }
            OperatorKind::Union { params, legs } => {
                self.plan_union(scope, Some(rel), params, legs, span)
            }
            OperatorKind::Join {
                params,
                right,
                condition,
            } => self.plan_join(scope, rel, params, right, condition, span),
            OperatorKind::Lookup { params, right, on } => {
                self.plan_lookup(scope, rel, params, right, on, span)
            }
            OperatorKind::MvExpand {
                params,
                items,
                limit,
            } => self.plan_mv_expand(scope, rel, params, items, limit.as_ref(), span),
            OperatorKind::MakeSeries {
                params,
                aggs,
                on,
                range,
                by,
            } => self.plan_make_series(scope, rel, params, aggs, on, range, by, span),
            OperatorKind::Parse {
                where_,
                params,
                expr,
                pattern,
            } => self.plan_parse(scope, rel, *where_, params, expr, pattern, span),
            OperatorKind::Render { .. } => {
                self.warn(kql_syntax::Diagnostic::warning(
                    error::NOT_SUPPORTED,
                    "render is ignored: results are returned as a table",
                    span.clone(),
                ));
                Ok(rel)
            }
            OperatorKind::As { name, .. } => {
                self.warn(kql_syntax::Diagnostic::warning(
                    error::NOT_SUPPORTED,
                    format!(
                        "`as {}` is ignored (named results are not supported)",
                        name.name
                    ),
                    span.clone(),
                ));
                Ok(rel)
            }
            OperatorKind::GetSchema => self.plan_getschema(rel, span),
            OperatorKind::Invoke(call) => self.plan_invoke(scope, rel, call, span),
            OperatorKind::Evaluate { call, .. } => self.plan_evaluate(scope, rel, call, span),
            OperatorKind::MvApply {
                params,
                items,
                limit,
                subquery,
            } => self.plan_mv_apply(scope, rel, params, items, limit.as_ref(), subquery, span),
            OperatorKind::ParseKv { .. } => Err(error::not_supported("parse-kv", span)),
            OperatorKind::TopNested(_) => Err(error::not_supported("top-nested", span)),
            OperatorKind::Sample(_) | OperatorKind::SampleDistinct { .. } => {
                Err(error::not_supported("sample (non-deterministic)", span))
            }
            OperatorKind::Partition { .. } => Err(error::not_supported("partition", span)),
            OperatorKind::Reduce { .. } => Err(error::not_supported("reduce", span)),
            OperatorKind::Facet { .. } => Err(error::not_supported("facet", span)),
            OperatorKind::Consume => Ok(rel),
            OperatorKind::Search { .. } => Err(error::not_supported("search", span)),
            OperatorKind::Find { .. } => Err(error::not_supported("find", span)),
            OperatorKind::Print(_)
            | OperatorKind::Range { .. }
            | OperatorKind::ExternalData { .. } => Err(err(
                error::WRONG_KIND,
                "this operator starts a query and cannot follow `|`",
                span,
            )),
        }
    }

    /// `where predicate`: keeps rows where the predicate is true (null drops the row).
    pub(crate) fn plan_where(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        pred: &ast::Expr,
        span: &Span,
    ) -> PResult<Rel> {
        let mut ctx = self.ctx(&rel, scope);
        ctx.filter = true;
        let p = self.lower_expr(&ctx, pred)?;
        self.require_bool(&p, &pred.span, "the where predicate")?;
        let order = rel.order.clone();
        let plan = LogicalPlanBuilder::from(rel.plan.clone())
            .filter(p.expr)
            .at(span)?
            .build()
            .at(span)?;
        Ok(Rel::new(plan, rel.columns).with_order(order))
    }
}

/// `*`-wildcard match of a column name pattern.
pub(crate) fn glob_match(pattern: &str, name: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == name;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = name;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(pos) => rest = &rest[pos + part.len()..],
                None => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("nosum*", "nosum"));
        assert!(glob_match("nosum*", "nosum1"));
        assert!(!glob_match("nosum*", "xnosum"));
        assert!(glob_match("*Exists*", "NetworkSummary_Protocol_Exists1"));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
        assert!(glob_match("exists", "exists"));
    }
}

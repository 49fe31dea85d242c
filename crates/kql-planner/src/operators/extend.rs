//! `extend` (and `serialize`'s assignments): new columns are appended, an existing name is
//! replaced in place (keeping its position, taking the new type); later assignments see
//! earlier ones; tuple assignment `extend (a, b, c) = f(...)` unpacks tuple results.

use crate::error::{self, DfResultExt, PResult, err};
use crate::expr::Typed;
use crate::naming::{inferred_name, mentions};
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::Scope;
use datafusion::functions::core::expr_fn::get_field;
use datafusion::logical_expr::Expr;
use kql_syntax::ast::{self, Span};
use std::rc::Rc;

/// A column produced by an assignment: name, KQL type and expression over the input.
pub(crate) struct NewCol {
    pub name: String,
    pub ty: crate::types::KqlType,
    pub expr: Expr,
}

impl<'c> Planner<'c> {
    /// `extend [name =] expr, ...`.
    pub(crate) fn plan_extend(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        items: &[ast::Assignment],
        span: &Span,
    ) -> PResult<Rel> {
        let mut cur = rel;
        let mut start = 0;
        while start < items.len() {
            // A group ends before an item that refers to a name assigned earlier in the
            // group: that item must see the new value, so the group is projected first.
            let mut assigned: Vec<String> = Vec::new();
            let mut end = start;
            while end < items.len() {
                if end > start && mentions(&items[end].expr, &assigned) {
                    break;
                }
                assigned.extend(items[end].names.iter().map(|n| n.name.clone()));
                if items[end].names.is_empty()
                    && let Some(n) = inferred_name(&items[end].expr)
                {
                    assigned.push(n);
                }
                end += 1;
            }
            cur = self.extend_group(scope, cur, &items[start..end], span)?;
            start = end;
        }
        Ok(cur)
    }

    fn extend_group(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        items: &[ast::Assignment],
        span: &Span,
    ) -> PResult<Rel> {
        let ctx = self.ctx(&rel, scope);
        let mut out: Vec<NewCol> = rel
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| NewCol {
                name: c.name.clone(),
                ty: c.ty,
                expr: rel.col_expr(i),
            })
            .collect();
        for a in items {
            let t = self.lower_expr(&ctx, &a.expr)?;
            let taken: Vec<String> = out.iter().map(|c| c.name.clone()).collect();
            for nc in self.assignment_columns(a, t, &taken)? {
                match out.iter().position(|c| c.name == nc.name) {
                    Some(i) => out[i] = nc,
                    None => out.push(nc),
                }
            }
        }
        self.project_new_cols(&rel, out, span)
    }

    /// The columns an assignment produces (several for tuple results).
    pub(crate) fn assignment_columns(
        &self,
        a: &ast::Assignment,
        t: Typed,
        taken: &[String],
    ) -> PResult<Vec<NewCol>> {
        let span = &a.expr.span;
        if let Some(tuple) = t.tuple.clone() {
            if a.names.len() > tuple.members.len() {
                return Err(err(
                    error::BAD_ARGUMENTS,
                    format!(
                        "{} names are assigned but the function returns {} values",
                        a.names.len(),
                        tuple.members.len()
                    ),
                    span,
                ));
            }
            // Names are assigned positionally; remaining members keep their default names.
            return Ok(tuple
                .members
                .iter()
                .enumerate()
                .map(|(i, (field, default, ty))| NewCol {
                    name: a
                        .names
                        .get(i)
                        .map_or_else(|| default.clone(), |n| n.name.clone()),
                    ty: *ty,
                    expr: get_field(t.expr.clone(), field.as_str()),
                })
                .collect());
        }
        if a.names.len() > 1 {
            return Err(err(
                error::BAD_ARGUMENTS,
                format!(
                    "tuple assignment of {} names needs a function that returns several values",
                    a.names.len()
                ),
                span,
            ));
        }
        let name = match a.names.first() {
            Some(n) => n.name.clone(),
            None => inferred_name(&a.expr)
                .unwrap_or_else(|| self.default_column_name(taken, &Scope::root())),
        };
        Ok(vec![NewCol {
            name,
            ty: t.ty,
            expr: t.expr,
        }])
    }

    /// Projects `cols` over `rel`. Struct-valued expressions used several times (tuple
    /// members) are computed once in an intermediate projection.
    pub(crate) fn project_new_cols(
        &self,
        rel: &Rel,
        cols: Vec<NewCol>,
        span: &Span,
    ) -> PResult<Rel> {
        let names: Vec<Col> = cols
            .iter()
            .map(|c| Col::new(c.name.clone(), c.ty))
            .collect();
        self.check_unique(&names, span)?;
        // Which input column each output is (for carrying the row order).
        let from: Vec<Option<usize>> = cols
            .iter()
            .map(|c| (0..rel.columns.len()).find(|&i| rel.col_expr(i) == c.expr))
            .collect();
        let exprs = cols.into_iter().map(|c| c.expr.alias(c.name)).collect();
        let next = rel.project(exprs, names).at(span)?;
        Ok(rel.carry_order(next, &from))
    }
}

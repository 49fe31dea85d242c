//! `project`, `project-away`, `project-keep`, `project-rename`, `project-reorder`.

use super::extend::NewCol;
use super::glob_match;
use crate::error::{self, DfResultExt, PResult, err, with_suggestion};
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::Scope;
use kql_syntax::ast::{self, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    /// `project [name =] expr, ...`: exactly the listed columns, in order.
    pub(crate) fn plan_project(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        items: &[ast::Assignment],
        span: &Span,
    ) -> PResult<Rel> {
        let ctx = self.ctx(&rel, scope);
        let mut out: Vec<NewCol> = Vec::new();
        for a in items {
            let t = self.lower_expr(&ctx, &a.expr)?;
            let taken: Vec<String> = out.iter().map(|c| c.name.clone()).collect();
            for mut nc in self.assignment_columns(a, t, &taken)? {
                if out.iter().any(|c| c.name == nc.name) {
                    if !a.names.is_empty() {
                        return Err(err(
                            error::DUPLICATE_COLUMN,
                            format!("the column `{}` is projected more than once", nc.name),
                            &a.expr.span,
                        ));
                    }
                    // An inferred name that is taken gets a numeric suffix (`x1`).
                    let names: Vec<String> = out.iter().map(|c| c.name.clone()).collect();
                    nc.name = crate::naming::unique_name(&nc.name, &names);
                }
                out.push(nc);
            }
        }
        self.project_new_cols(&rel, out, span)
    }

    /// Indices of the columns matching `pattern`; a plain name that matches nothing is an
    /// error (a wildcard pattern matching nothing is not).
    fn matching(&self, rel: &Rel, pattern: &ast::Ident) -> PResult<Vec<usize>> {
        let idx: Vec<usize> = rel
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| glob_match(&pattern.name, &c.name))
            .map(|(i, _)| i)
            .collect();
        if idx.is_empty() && !pattern.name.contains('*') {
            let d = err(
                error::UNKNOWN_NAME,
                format!("unknown column `{}`", pattern.name),
                &pattern.span,
            );
            return Err(with_suggestion(d, &pattern.name, rel.names()));
        }
        Ok(idx)
    }

    /// `project-away pattern, ...`.
    pub(crate) fn plan_project_away(
        &self,
        rel: Rel,
        pats: &[ast::Ident],
        span: &Span,
    ) -> PResult<Rel> {
        let mut drop = vec![false; rel.columns.len()];
        for p in pats {
            for i in self.matching(&rel, p)? {
                drop[i] = true;
            }
        }
        let keep: Vec<usize> = (0..rel.columns.len()).filter(|&i| !drop[i]).collect();
        self.select_keeping_order(&rel, &keep, span)
    }

    /// `project-keep pattern, ...`: the matching columns in their original order.
    pub(crate) fn plan_project_keep(
        &self,
        rel: Rel,
        pats: &[ast::Ident],
        span: &Span,
    ) -> PResult<Rel> {
        let mut keep = vec![false; rel.columns.len()];
        for p in pats {
            for i in self.matching(&rel, p)? {
                keep[i] = true;
            }
        }
        let idx: Vec<usize> = (0..rel.columns.len()).filter(|&i| keep[i]).collect();
        self.select_keeping_order(&rel, &idx, span)
    }

    /// `project-rename new = old, ...`: renames in place.
    pub(crate) fn plan_project_rename(
        &self,
        rel: Rel,
        pairs: &[(ast::Ident, ast::Ident)],
        span: &Span,
    ) -> PResult<Rel> {
        let mut names: Vec<String> = rel.names().iter().map(|s| s.to_string()).collect();
        for (new, old) in pairs {
            let Some(i) = rel.index_of(&old.name) else {
                let d = err(
                    error::UNKNOWN_NAME,
                    format!("unknown column `{}`", old.name),
                    &old.span,
                );
                return Err(with_suggestion(d, &old.name, rel.names()));
            };
            names[i] = new.name.clone();
        }
        let cols: Vec<Col> = names
            .iter()
            .zip(&rel.columns)
            .map(|(n, c)| Col::new(n.clone(), c.ty))
            .collect();
        self.check_unique(&cols, span)?;
        let exprs = (0..cols.len())
            .map(|i| rel.col_expr(i).alias(&cols[i].name))
            .collect();
        let from: Vec<Option<usize>> = (0..cols.len()).map(Some).collect();
        let next = rel.project(exprs, cols).at(span)?;
        Ok(rel.carry_order(next, &from))
    }

    /// `project-reorder pattern [asc|desc], ...`: the listed columns first (pattern matches
    /// in original order, or sorted by name with asc/desc), then the rest.
    pub(crate) fn plan_project_reorder(
        &self,
        rel: Rel,
        items: &[(ast::Ident, Option<ast::Ident>)],
        span: &Span,
    ) -> PResult<Rel> {
        let mut order: Vec<usize> = Vec::new();
        for (p, dir) in items {
            let mut idx = self.matching(&rel, p)?;
            match dir.as_ref().map(|d| d.name.as_str()) {
                Some("asc") | Some("granny-asc") => {
                    idx.sort_by(|a, b| rel.columns[*a].name.cmp(&rel.columns[*b].name))
                }
                Some("desc") | Some("granny-desc") => {
                    idx.sort_by(|a, b| rel.columns[*b].name.cmp(&rel.columns[*a].name))
                }
                _ => {}
            }
            for i in idx {
                if !order.contains(&i) {
                    order.push(i);
                }
            }
        }
        for i in 0..rel.columns.len() {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        self.select_keeping_order(&rel, &order, span)
    }

    /// `rel.select(indices)`, keeping the row order when its key columns survive.
    fn select_keeping_order(&self, rel: &Rel, indices: &[usize], span: &Span) -> PResult<Rel> {
        let next = rel.select(indices).at(span)?;
        let from: Vec<Option<usize>> = indices.iter().map(|&i| Some(i)).collect();
        Ok(rel.carry_order(next, &from))
    }
}

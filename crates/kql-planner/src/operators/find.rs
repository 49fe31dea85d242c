//! `find [withsource=C] [in (T1, T2, ...)] where predicate [project c1, c2, ...]`: the rows
//! of every table where the predicate holds, with a source column (`source_` by default)
//! and the projected columns (null where a table lacks one). A table on which the predicate
//! cannot be evaluated (it lacks a referenced column) contributes no rows.
//! `project-smart` (the default without `project`) is not supported yet.

use crate::error::{self, DfResultExt, PResult, err};
use crate::planner::Planner;
use crate::rel::Rel;
use crate::scope::Scope;
use kql_syntax::ast::{self, ExprKind, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    /// Plans `find` (always a source operator).
    pub(crate) fn plan_find(
        &self,
        scope: &Rc<Scope>,
        params: &[ast::OpParam],
        tables: &[ast::Expr],
        predicate: &ast::Expr,
        project: Option<&Vec<ast::Expr>>,
        span: &Span,
    ) -> PResult<Rel> {
        let mut source = "source_".to_string();
        for p in params {
            match p.name.name.to_ascii_lowercase().as_str() {
                "withsource" => source = self.param_text(p).unwrap_or(source),
                n if n.starts_with("hint.") || n == "datascope" => {}
                _ => {
                    return Err(err(
                        error::BAD_PARAMETER,
                        format!("unknown find parameter `{}`", p.name.name),
                        &p.name.span,
                    ));
                }
            }
        }
        let Some(project) = project else {
            return Err(error::not_supported(
                "find without `project` (project-smart)",
                span,
            ));
        };
        let mut wanted: Vec<String> = Vec::new();
        for e in project {
            match &e.node {
                ExprKind::Name(id) => wanted.push(id.name.clone()),
                _ => {
                    return Err(error::not_supported(
                        "find project items other than column names",
                        &e.span,
                    ));
                }
            }
        }
        let names: Vec<(String, ast::Expr)> = if tables.is_empty() {
            self.catalog
                .table_names()
                .into_iter()
                .map(|n| {
                    (
                        n.clone(),
                        ast::Expr::new(
                            ExprKind::Name(ast::Ident::new(n, span.clone())),
                            span.clone(),
                        ),
                    )
                })
                .collect()
        } else {
            tables
                .iter()
                .map(|t| {
                    let n = match &t.node {
                        ExprKind::Name(id) | ExprKind::NamePattern(id) => id.name.clone(),
                        _ => "find_arg".to_string(),
                    };
                    (n, t.clone())
                })
                .collect()
        };
        let mut legs: Vec<(String, Rel)> = Vec::new();
        for (name, t) in names {
            let rel = self.plan_tabular(scope, &t)?;
            // The predicate must bind against this table; otherwise the table is skipped.
            let filtered = match self.plan_where(scope, rel, predicate, span) {
                Ok(r) => r,
                Err(e) if e.code == error::UNKNOWN_NAME => continue,
                Err(e) => return Err(e),
            };
            let keep: Vec<usize> = wanted.iter().filter_map(|w| filtered.index_of(w)).collect();
            legs.push((name, filtered.select(&keep).at(span)?));
        }
        if legs.is_empty() {
            return Err(err(
                error::UNKNOWN_NAME,
                "find: the predicate does not apply to any of the tables",
                span,
            ));
        }
        let u = self.union_rels(scope, legs, false, Some(source.clone()), span)?;
        // Column order: the source column, then the projected columns as listed.
        let mut order = vec![0];
        for w in &wanted {
            if let Some(i) = u.index_of(w) {
                order.push(i);
            }
        }
        u.select(&order).at(span)
    }
}

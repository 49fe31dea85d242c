//! `union [kind=inner|outer] [withsource=C] [isfuzzy=true] legs`.
//!
//! * outer (default): every column of every leg; same name and type merge; the same name
//!   with different types gives one column per type named `name_type`, de-duplicated against
//!   real column names with a numeric suffix (`x_long1`); column order is first occurrence;
//!   missing cells are null (`""` for strings);
//! * inner: only the columns (name and type) common to all legs;
//! * `withsource=C` prepends a string column naming each row's source;
//! * `isfuzzy=true` drops legs whose tables or functions do not exist (with a warning); it
//!   fails only when no leg is left.

use super::glob_match;
use crate::error::{self, DfResultExt, PResult, err};
use crate::expr::Typed;
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::Scope;
use crate::tabular::UNKNOWN_TABLE;
use crate::types::KqlType;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, cast, lit};
use kql_syntax::Diagnostic;
use kql_syntax::ast::{self, ExprKind, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    /// Plans a union; `input` is the piped-in table (the first leg), if any.
    pub(crate) fn plan_union(
        &self,
        scope: &Rc<Scope>,
        input: Option<Rel>,
        params: &[ast::OpParam],
        legs: &[ast::Expr],
        span: &Span,
    ) -> PResult<Rel> {
        let mut inner = false;
        let mut withsource: Option<String> = None;
        let mut fuzzy = false;
        for p in params {
            let name = p.name.name.to_ascii_lowercase();
            let text = self.param_text(p).unwrap_or_default();
            match name.as_str() {
                "kind" => match text.as_str() {
                    "inner" => inner = true,
                    "outer" => inner = false,
                    _ => {
                        return Err(err(
                            error::BAD_PARAMETER,
                            format!("unknown union kind `{text}`"),
                            &p.value.span,
                        ));
                    }
                },
                "withsource" => withsource = Some(text),
                "isfuzzy" => fuzzy = text == "true",
                n if n.starts_with("hint.") => {}
                _ => {
                    return Err(err(
                        error::BAD_PARAMETER,
                        format!("unknown union parameter `{}`", p.name.name),
                        &p.name.span,
                    ));
                }
            }
        }
        // Resolve legs: (source name, relation).
        let mut resolved: Vec<(String, Rel)> = Vec::new();
        if let Some(r) = input {
            resolved.push(("union_arg0".to_string(), r));
        }
        for (i, leg) in legs.iter().enumerate() {
            if let ExprKind::NamePattern(p) = &leg.node {
                let mut names: Vec<String> = self
                    .catalog
                    .table_names()
                    .into_iter()
                    .filter(|t| glob_match(&p.name, t))
                    .collect();
                names.sort();
                for n in names {
                    let id = ast::Ident::new(n.clone(), p.span.clone());
                    let e = ast::Expr::new(ExprKind::Name(id), leg.span.clone());
                    resolved.push((n, self.plan_tabular(scope, &e)?));
                }
                continue;
            }
            let source = match &leg.node {
                ExprKind::Name(id) => id.name.clone(),
                ExprKind::Call { name, .. } => name.name.clone(),
                _ => format!(
                    "union_arg{}",
                    i + usize::from(!resolved.is_empty() && resolved[0].0 == "union_arg0")
                ),
            };
            match self.plan_tabular(scope, leg) {
                Ok(r) => resolved.push((source, r)),
                Err(e) if fuzzy && e.code == UNKNOWN_TABLE => {
                    self.warn(Diagnostic::warning(
                        UNKNOWN_TABLE,
                        format!(
                            "union isfuzzy=true: skipped a leg that does not resolve ({})",
                            e.message
                        ),
                        leg.span.clone(),
                    ));
                }
                Err(e) => return Err(e),
            }
        }
        if resolved.is_empty() {
            return Err(err(
                UNKNOWN_TABLE,
                "union: none of the legs could be resolved",
                span,
            ));
        }
        self.union_rels(scope, resolved, inner, withsource, span)
    }

    /// Unions resolved legs with KQL's column rules.
    pub(crate) fn union_rels(
        &self,
        scope: &Rc<Scope>,
        legs: Vec<(String, Rel)>,
        inner: bool,
        withsource: Option<String>,
        span: &Span,
    ) -> PResult<Rel> {
        // Distinct (name, type) pairs in first-occurrence order.
        let mut pairs: Vec<(String, KqlType)> = Vec::new();
        for (_, r) in &legs {
            for c in &r.columns {
                if !pairs.iter().any(|(n, t)| n == &c.name && *t == c.ty) {
                    pairs.push((c.name.clone(), c.ty));
                }
            }
        }
        if inner {
            pairs.retain(|(n, t)| {
                legs.iter()
                    .all(|(_, r)| r.columns.iter().any(|c| &c.name == n && c.ty == *t))
            });
        }
        let names = union_column_names(&pairs);
        let mut out_cols: Vec<Col> = names
            .iter()
            .zip(&pairs)
            .map(|(n, (_, t))| Col::new(n.clone(), *t))
            .collect();
        if let Some(ws) = &withsource {
            out_cols.insert(0, Col::new(ws.clone(), KqlType::String));
        }
        self.check_unique(&out_cols, span)?;

        // Physical types must agree across legs: dynamic values in different physical forms
        // are brought to JSON text.
        let mut plans = Vec::new();
        let mut leg_exprs: Vec<Vec<Typed>> = Vec::new();
        for (_, r) in &legs {
            let ctx = self.ctx(r, scope);
            let mut row = Vec::new();
            for (n, t) in &pairs {
                let v = match r.columns.iter().position(|c| &c.name == n && c.ty == *t) {
                    Some(i) => Typed::new(r.col_expr(i), *t),
                    None if t.is_stringlike() => Typed::new(lit(""), *t),
                    None => Typed::null(*t),
                };
                let _ = &ctx;
                row.push(v);
            }
            leg_exprs.push(row);
        }
        for (j, (_, t)) in pairs.iter().enumerate() {
            let dts: Vec<_> = legs
                .iter()
                .zip(&leg_exprs)
                .map(|((_, r), row)| self.dtype(&row[j].expr, r, span))
                .collect::<PResult<Vec<_>>>()?;
            if dts.windows(2).all(|w| w[0] == w[1]) {
                continue;
            }
            for ((_, r), row) in legs.iter().zip(leg_exprs.iter_mut()) {
                let ctx = self.ctx(r, scope);
                let v = row[j].clone();
                row[j] = if *t == KqlType::Dynamic {
                    self.dyn_json(&ctx, v, span)?
                } else {
                    Typed::new(cast(v.expr, t.arrow()), *t)
                };
            }
        }
        for ((src, r), row) in legs.iter().zip(leg_exprs) {
            let mut exprs: Vec<Expr> = Vec::new();
            if let Some(ws) = &withsource {
                exprs.push(lit(src.clone()).alias(ws));
            }
            for (v, c) in row
                .into_iter()
                .zip(out_cols.iter().skip(usize::from(withsource.is_some())))
            {
                exprs.push(v.expr.alias(&c.name));
            }
            plans.push(r.project(exprs, out_cols.clone()).at(span)?.plan);
        }
        let mut it = plans.into_iter();
        let Some(first) = it.next() else {
            return Err(err(
                error::INTERNAL,
                "internal planner error: empty union",
                span,
            ));
        };
        let mut b = LogicalPlanBuilder::from(first);
        for p in it {
            b = b.union(p).at(span)?;
        }
        Ok(Rel::new(b.build().at(span)?, out_cols))
    }
}

/// Output names of union columns: a name that occurs with several types becomes
/// `name_type`; such derived names yield to real column names (numeric suffix), as in the
/// documented example `x:long, x:int, x_long:long` → `x_long1, x_int, x_long`.
pub(crate) fn union_column_names(pairs: &[(String, KqlType)]) -> Vec<String> {
    let conflicted = |n: &str| pairs.iter().filter(|(m, _)| m == n).count() > 1;
    let reserved: Vec<String> = pairs
        .iter()
        .filter(|(n, _)| !conflicted(n))
        .map(|(n, _)| n.clone())
        .collect();
    let mut used: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (n, t) in pairs {
        if !conflicted(n) {
            out.push(n.clone());
            used.push(n.clone());
            continue;
        }
        let base = format!("{n}_{}", t.name());
        let mut cand = base.clone();
        let mut i = 1;
        while reserved.contains(&cand) || used.contains(&cand) {
            cand = format!("{base}{i}");
            i += 1;
        }
        used.push(cand.clone());
        out.push(cand);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_type_conflict_naming() {
        // kql-semantics §3.4 (documented): print x=1 | print x=toint(2) | print x_long=3.
        let pairs = vec![
            ("x".to_string(), KqlType::Long),
            ("x".to_string(), KqlType::Int),
            ("x_long".to_string(), KqlType::Long),
        ];
        assert_eq!(
            union_column_names(&pairs),
            vec!["x_long1", "x_int", "x_long"]
        );
    }
}

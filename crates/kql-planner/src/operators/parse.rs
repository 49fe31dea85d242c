//! `parse` and `parse-where`.
//!
//! The pattern becomes one anchored regular expression (as the documentation describes for
//! `kind=regex`): string constants match literally (`kind=simple`) or as regex
//! (`kind=regex`), `*` is `.*?`, a string column `(.*?)`, `long`/`int` `(-?\d+)`, `real` a
//! decimal number; other typed columns capture `(.*?)` and are converted. `parse` sets the
//! columns of a non-matching row to null (`""` for strings); `parse-where` drops the row.
//! Difference from ADX, documented: a typed column whose text does not convert (e.g. a bad
//! datetime) becomes null instead of failing the whole match (`kind=relaxed` behaviour).

use crate::error::{self, DfResultExt, PResult, err};
use crate::expr::Typed;
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::Scope;
use crate::types::KqlType;
use datafusion::common::Column;
use datafusion::functions::expr_fn::regexp_match;
use datafusion::functions_nested::expr_fn::array_element;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, lit, when};
use kql_syntax::ast::{self, ParsePart, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    /// Plans `parse` / `parse-where`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn plan_parse(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        where_: bool,
        params: &[ast::OpParam],
        expr: &ast::Expr,
        pattern: &[ParsePart],
        span: &Span,
    ) -> PResult<Rel> {
        let mut kind = "simple".to_string();
        let mut flags = String::new();
        for p in params {
            match p.name.name.to_ascii_lowercase().as_str() {
                "kind" => kind = self.param_text(p).unwrap_or_default(),
                "flags" => flags = self.param_text(p).unwrap_or_default(),
                _ => {
                    return Err(err(
                        error::BAD_PARAMETER,
                        format!("unknown parse parameter `{}`", p.name.name),
                        &p.name.span,
                    ));
                }
            }
        }
        if !matches!(kind.as_str(), "simple" | "regex" | "relaxed") {
            return Err(err(
                error::BAD_PARAMETER,
                format!("unknown parse kind `{kind}`"),
                span,
            ));
        }
        let mut re = String::from("^");
        if !flags.is_empty() {
            if !flags.chars().all(|c| "imsUx".contains(c)) {
                return Err(err(
                    error::BAD_PARAMETER,
                    format!("unsupported regex flags `{flags}`"),
                    span,
                ));
            }
            re = format!("(?{flags})^");
        }
        let mut columns: Vec<(String, KqlType)> = Vec::new();
        for part in pattern {
            match part {
                ParsePart::Literal(s) => {
                    if kind == "regex" {
                        re.push_str(&format!("(?:{})", s.node));
                    } else {
                        re.push_str(&regex::escape(&s.node));
                    }
                }
                ParsePart::Star(_) => re.push_str(".*?"),
                ParsePart::Column { name, ty } => {
                    let t = ty
                        .as_ref()
                        .map_or(KqlType::String, |t| KqlType::from(t.node));
                    re.push_str(match t {
                        KqlType::Int | KqlType::Long => r"(-?\d+)",
                        KqlType::Real => r"(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)",
                        _ => "(.*?)",
                    });
                    columns.push((name.name.clone(), t));
                }
            }
        }
        re.push('$');
        if regex::Regex::new(&re).is_err() {
            return Err(err(
                error::BAD_VALUE,
                format!("invalid parse pattern (regex `{re}`)"),
                span,
            ));
        }
        let ctx = self.ctx(&rel, scope);
        let src = self.lower_expr(&ctx, expr)?;
        let src = self.convert(&ctx, src, KqlType::String, &expr.span)?;
        // Match once into a temporary column, then read the groups.
        let temp = self.fresh("parse");
        let mut pre: Vec<Expr> = (0..rel.columns.len())
            .map(|i| rel.col_expr(i).alias(&rel.columns[i].name))
            .collect();
        pre.push(regexp_match(src.expr, lit(re), None).alias(&temp));
        let mut b = LogicalPlanBuilder::from(rel.plan.clone())
            .project(pre)
            .at(span)?;
        let m = Expr::Column(Column::from_name(&temp));
        if where_ {
            b = b.filter(m.clone().is_not_null()).at(span)?;
        }
        let mut mcols = rel.columns.clone();
        mcols.push(Col::new(temp.clone(), KqlType::Dynamic));
        let matched = Rel::new(b.build().at(span)?, mcols);
        let mctx = self.ctx(&matched, scope);
        let mut out: Vec<(String, KqlType, Expr)> = rel
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), c.ty, matched.col_expr(i)))
            .collect();
        for (i, (name, t)) in columns.iter().enumerate() {
            let g = array_element(m.clone(), lit((i + 1) as i64));
            let text = Typed::new(g, KqlType::String);
            let v = if *t == KqlType::String {
                // Strings are never null: a failed match gives "".
                Typed::new(
                    when(m.clone().is_null(), lit(""))
                        .otherwise(text.expr)
                        .at(span)?,
                    KqlType::String,
                )
            } else {
                self.convert(&mctx, text, *t, span)?
            };
            match out.iter().position(|(n, _, _)| n == name) {
                Some(j) => out[j] = (name.clone(), v.ty, v.expr),
                None => out.push((name.clone(), v.ty, v.expr)),
            }
        }
        let cols: Vec<Col> = out
            .iter()
            .map(|(n, t, _)| Col::new(n.clone(), *t))
            .collect();
        self.check_unique(&cols, span)?;
        let exprs = out.into_iter().map(|(n, _, e)| e.alias(n)).collect();
        matched.project(exprs, cols).at(span)
    }
}

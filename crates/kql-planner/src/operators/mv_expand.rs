//! `mv-expand [kind=bag|array] [with_itemindex=I] [Name =] expr [to typeof(T)], ... [limit N]`.
//!
//! Several expressions in one `mv-expand` are expanded in parallel (zipped, padded with
//! nulls to the longest); a null value contributes one null element, an empty array none; a
//! row whose arrays are all empty disappears. Expanded values replace their column in place
//! (a new name is appended); they stay `dynamic` unless `to typeof(T)` converts them.
//! Typed arrays (`List<T>`) are unnested directly; JSON-text values are first turned into a
//! list of JSON-text elements by `kql_mv_expand_prepare`.

use crate::error::{self, DfResultExt, PResult, err};
use crate::expr::{DynForm, Typed};
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::Scope;
use crate::types::KqlType;
use datafusion::common::{Column, ScalarValue, UnnestOptions};
use datafusion::functions::expr_fn::{coalesce, greatest};
use datafusion::functions_nested::expr_fn::{array_length, array_slice, make_array, range};
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, cast, lit};
use kql_syntax::ast::{self, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    /// Plans `mv-expand`.
    pub(crate) fn plan_mv_expand(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        params: &[ast::OpParam],
        items: &[ast::MvExpandItem],
        limit: Option<&ast::Expr>,
        span: &Span,
    ) -> PResult<Rel> {
        let mut kind = "bag".to_string();
        let mut item_index: Option<String> = None;
        for p in params {
            let name = p.name.name.to_ascii_lowercase();
            let text = self.param_text(p).unwrap_or_default();
            match name.as_str() {
                "kind" | "bagexpansion" => kind = text,
                "with_itemindex" => item_index = Some(text),
                _ => {
                    return Err(err(
                        error::BAD_PARAMETER,
                        format!("unknown mv-expand parameter `{}`", p.name.name),
                        &p.name.span,
                    ));
                }
            }
        }
        if kind != "bag" && kind != "array" {
            return Err(err(
                error::BAD_PARAMETER,
                format!("unknown mv-expand kind `{kind}`"),
                span,
            ));
        }
        let limit = match limit {
            Some(e) => {
                let empty = Rel::one_row();
                let t = self.lower_expr(&self.ctx(&empty, scope), e)?;
                match self.const_eval(&t.expr) {
                    Some(ScalarValue::Int64(Some(n))) => Some(n.max(0)),
                    Some(ScalarValue::Int32(Some(n))) => Some((n as i64).max(0)),
                    _ => {
                        return Err(err(
                            error::NOT_CONSTANT,
                            "mv-expand limit must be a constant number",
                            &e.span,
                        ));
                    }
                }
            }
            None => None,
        };

        let ctx = self.ctx(&rel, scope);
        // Each item becomes a list expression in a temporary column.
        // (target name, list, to type, temp, elements are plain strings)
        let mut lists: Vec<(String, Expr, Option<KqlType>, String, bool)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let t = self.lower_expr(&ctx, &item.expr)?;
            let name = match &item.name {
                Some(n) => n.name.clone(),
                None => crate::naming::inferred_name(&item.expr).ok_or_else(|| {
                    err(
                        error::BAD_ARGUMENTS,
                        "mv-expand of an expression needs a name: `Name = expression`",
                        &item.expr.span,
                    )
                })?,
            };
            let (list, plain_strings) = self.as_list(&ctx, t, &kind, &item.expr.span)?;
            let list = match limit {
                Some(n) => array_slice(list, lit(1i64), lit(n), None),
                None => list,
            };
            lists.push((
                name,
                list,
                item.to_type.as_ref().map(|t| KqlType::from(t.node)),
                format!("__kql_mv_{i}"),
                plain_strings,
            ));
        }
        let mut pre: Vec<Expr> = (0..rel.columns.len())
            .map(|i| rel.col_expr(i).alias(&rel.columns[i].name))
            .collect();
        let mut unnest_cols: Vec<Column> = Vec::new();
        for (_, list, _, temp, _) in &lists {
            pre.push(list.clone().alias(temp));
            unnest_cols.push(Column::from_name(temp));
        }
        let idx_temp = "__kql_mv_idx".to_string();
        if item_index.is_some() {
            // 0 .. longest length (a null array counts as one element).
            let lens: Vec<Expr> = lists
                .iter()
                .map(|(_, l, _, _, _)| {
                    coalesce(vec![
                        cast(
                            array_length(l.clone()),
                            datafusion::arrow::datatypes::DataType::Int64,
                        ),
                        lit(1i64),
                    ])
                })
                .collect();
            pre.push(range(lit(0i64), greatest(lens), lit(1i64)).alias(&idx_temp));
            unnest_cols.push(Column::from_name(&idx_temp));
        }
        let plan = LogicalPlanBuilder::from(rel.plan.clone())
            .project(pre)
            .at(span)?
            .unnest_columns_with_options(
                unnest_cols,
                UnnestOptions::new().with_preserve_nulls(true),
            )
            .at(span)?
            .build()
            .at(span)?;
        let mut expanded_cols = rel.columns.clone();
        for (_, _, _, temp, _) in &lists {
            expanded_cols.push(Col::new(temp.clone(), KqlType::Dynamic));
        }
        if item_index.is_some() {
            expanded_cols.push(Col::new(idx_temp.clone(), KqlType::Long));
        }
        let expanded = Rel::new(plan, expanded_cols);
        let ectx = self.ctx(&expanded, scope);

        // Final projection: replace in place, append new names, then the item index.
        let mut out: Vec<(String, KqlType, Expr)> = rel
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), c.ty, expanded.col_expr(i)))
            .collect();
        for (name, _, to, temp, plain_strings) in &lists {
            let mut v = Typed::new(Expr::Column(Column::from_name(temp)), KqlType::Dynamic);
            if *plain_strings && *to == Some(KqlType::String) {
                // `to typeof(string)` of a string element is the element itself (the JSON
                // round trip below gives the same text; a null element gives "").
                let e = coalesce(vec![v.expr, lit("")]);
                match out.iter().position(|(n, _, _)| n == name) {
                    Some(i) => out[i] = (name.clone(), KqlType::String, e),
                    None => out.push((name.clone(), KqlType::String, e)),
                }
                continue;
            }
            if *plain_strings {
                // Elements of a typed string list: re-encode as JSON text (a Utf8 dynamic is
                // always JSON text).
                v = Typed::new(
                    self.udf("kql_to_json", span)?.call(vec![v.expr]),
                    KqlType::Dynamic,
                );
            }
            let v = match to {
                Some(t) => self.cast_dynamic(&ectx, v, *t, span)?,
                None => v,
            };
            match out.iter().position(|(n, _, _)| n == name) {
                Some(i) => out[i] = (name.clone(), v.ty, v.expr),
                None => out.push((name.clone(), v.ty, v.expr)),
            }
        }
        if let Some(idx) = &item_index {
            out.push((
                idx.clone(),
                KqlType::Long,
                Expr::Column(Column::from_name(&idx_temp)),
            ));
        }
        let cols: Vec<Col> = out
            .iter()
            .map(|(n, t, _)| Col::new(n.clone(), *t))
            .collect();
        self.check_unique(&cols, span)?;
        let exprs = out.into_iter().map(|(n, _, e)| e.alias(n)).collect();
        expanded.project(exprs, cols).at(span)
    }

    /// `to typeof(T)`: a cast-only conversion of an expanded dynamic value (values of
    /// another type become null).
    fn cast_dynamic(
        &self,
        ctx: &crate::expr::ExprCtx,
        v: Typed,
        to: KqlType,
        span: &Span,
    ) -> PResult<Typed> {
        match self.dyn_form(&v, ctx.rel, span)? {
            DynForm::Json => {
                let udf = self.udf("kql_dynamic_to", span)?;
                Ok(Typed::new(
                    udf.call(vec![v.expr, lit(to.name()), lit("cast")]),
                    to,
                ))
            }
            _ => self.convert(ctx, v, to, span),
        }
    }

    /// The list to unnest for one mv-expand item, and whether its elements are plain
    /// strings (a typed `List<Utf8>`).
    fn as_list(
        &self,
        ctx: &crate::expr::ExprCtx,
        t: Typed,
        kind: &str,
        span: &Span,
    ) -> PResult<(Expr, bool)> {
        if t.ty != KqlType::Dynamic {
            return Err(err(
                error::TYPE_MISMATCH,
                format!(
                    "mv-expand needs a dynamic (array or bag) value, but this is a {}",
                    t.ty
                ),
                span,
            ));
        }
        Ok(match self.dyn_form(&t, ctx.rel, span)? {
            DynForm::List(dt) => {
                let plain = matches!(&dt, datafusion::arrow::datatypes::DataType::List(f)
                    if matches!(f.data_type(), datafusion::arrow::datatypes::DataType::Utf8));
                (t.expr, plain)
            }
            DynForm::Json => {
                let udf = self.udf("kql_mv_expand_prepare", span)?;
                (udf.call(vec![t.expr, lit(kind.to_string())]), false)
            }
            DynForm::Scalar(_) => (make_array(vec![t.expr]), false),
        })
    }
}

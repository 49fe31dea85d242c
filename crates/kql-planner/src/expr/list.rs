//! List operators: `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all`.
//!
//! The list may mix scalar items, dynamic arrays (flattened) and one tabular expression
//! (its first column). Constant lists are evaluated at plan time, as KQL evaluates a tabular
//! operand of `in` once per query.

use super::{ExprCtx, Typed};
use crate::error::{self, PResult, err};
use crate::planner::Planner;
use crate::types::KqlType;
use datafusion::arrow::array::Array;
use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn::lower;
use datafusion::logical_expr::{Expr, lit};
use kql_syntax::ast::{self, ListOp, Span};

/// One item of an operator list after evaluation.
enum Item {
    /// A constant value.
    Const(ScalarValue),
    /// A per-row expression.
    Expr(Typed),
}

impl<'c> Planner<'c> {
    pub(super) fn lower_list_op(
        &self,
        ctx: &ExprCtx,
        op: ListOp,
        expr: &ast::Expr,
        items: &[ast::Expr],
        span: &Span,
    ) -> PResult<Typed> {
        let vctx = ctx.value();
        let x = self.lower_expr(&vctx, expr)?;
        let items = self.list_items(&vctx, items)?;
        match op {
            ListOp::HasAny | ListOp::HasAll => self.has_any_all(&vctx, op, x, items, span),
            _ => self.in_list(ctx, op, x, items, span),
        }
    }

    /// Evaluates list items: tabular operands are executed, constant dynamic arrays are
    /// flattened.
    fn list_items(&self, ctx: &ExprCtx, items: &[ast::Expr]) -> PResult<Vec<Item>> {
        let mut out = Vec::new();
        for item in items {
            if self.is_tabular(ctx.scope, item) {
                let rel = self.plan_tabular(ctx.scope, item)?;
                for v in self.eval_first_column(rel, &item.span)? {
                    out.push(Item::Const(v));
                }
                continue;
            }
            let t = self.lower_expr(ctx, item)?;
            match self.const_eval(&t.expr) {
                Some(v) if t.ty == KqlType::Dynamic => {
                    for e in flatten_dynamic(&v) {
                        out.push(Item::Const(e));
                    }
                }
                Some(v) => out.push(Item::Const(v)),
                None => out.push(Item::Expr(t)),
            }
        }
        Ok(out)
    }

    /// Executes `rel` and returns the values of its first column.
    pub(crate) fn eval_first_column(
        &self,
        rel: crate::rel::Rel,
        span: &Span,
    ) -> PResult<Vec<ScalarValue>> {
        if rel.columns.is_empty() {
            return Err(err(
                error::WRONG_KIND,
                "the tabular expression has no columns",
                span,
            ));
        }
        let first = rel.select(&[0]).map_err(|e| error::df_err(e, span))?;
        let batches = self
            .catalog
            .execute(first.plan)
            .map_err(|e| err(e.code, e.message, span))?;
        let mut out = Vec::new();
        for b in batches {
            let col = b.column(0);
            for i in 0..col.len() {
                let v = ScalarValue::try_from_array(col, i).map_err(|e| error::df_err(e, span))?;
                out.push(v);
            }
        }
        Ok(out)
    }

    fn in_list(
        &self,
        ctx: &ExprCtx,
        op: ListOp,
        x: Typed,
        items: Vec<Item>,
        span: &Span,
    ) -> PResult<Typed> {
        let negated = matches!(op, ListOp::NotIn | ListOp::NotInCi);
        let ci = matches!(op, ListOp::InCi | ListOp::NotInCi);
        let vctx = ctx.value();
        let x = if x.ty == KqlType::Dynamic {
            self.convert(&vctx, x, KqlType::String, span)?
        } else {
            x
        };
        let target = if ci { KqlType::String } else { x.ty };
        let x = if ci {
            self.stringish(&vctx, x, span)?
        } else {
            x
        };
        let mut list = Vec::new();
        for item in items {
            let t = match item {
                Item::Const(v) if v.is_null() => continue,
                Item::Const(v) => {
                    let ty = KqlType::from_arrow(&v.data_type());
                    Typed::new(lit(v), ty)
                }
                Item::Expr(t) if t.ty == KqlType::Dynamic => {
                    return Err(error::not_supported(
                        "`in` over a per-row dynamic array (use set_has_element)",
                        span,
                    ));
                }
                Item::Expr(t) => t,
            };
            let t = if t.ty == target || (t.ty.is_numeric() && target.is_numeric()) {
                self.promote_to(t, target)
            } else if target.is_stringlike() {
                self.convert(&vctx, t, KqlType::String, span)?
            } else {
                self.convert(&vctx, t, target, span)?
            };
            list.push(if ci { lower(t.expr) } else { t.expr });
        }
        let xe = if ci {
            lower(x.expr.clone())
        } else {
            self.promote_to(x.clone(), target).expr
        };
        if list.is_empty() {
            return Ok(Typed::new(lit(negated), KqlType::Bool));
        }
        let e = Expr::InList(datafusion::logical_expr::expr::InList::new(
            Box::new(xe),
            list,
            negated,
        ));
        // `in` is an OR of `==`, whose null rule makes `null in (...)` false and
        // `null !in (...)` true; strings are never null.
        let e = if x.ty.is_stringlike() || (ctx.filter && !negated) {
            e
        } else if negated {
            e.or(x.expr.is_null())
        } else {
            e.and(x.expr.is_not_null())
        };
        Ok(Typed::new(e, KqlType::Bool))
    }

    /// Promotes numeric `t` to numeric `target` (other types unchanged).
    fn promote_to(&self, t: Typed, target: KqlType) -> Typed {
        if t.ty.is_numeric() && target.is_numeric() && t.ty != target {
            let to = if target.is_integer() && t.ty.is_integer() {
                KqlType::Long
            } else {
                target
            };
            self.promote(t, to)
        } else {
            t
        }
    }

    fn has_any_all(
        &self,
        ctx: &ExprCtx,
        op: ListOp,
        x: Typed,
        items: Vec<Item>,
        span: &Span,
    ) -> PResult<Typed> {
        let x = self.stringish(ctx, x, span)?;
        let name = if op == ListOp::HasAny {
            "kql_has_any"
        } else {
            "kql_has_all"
        };
        let udf = self.udf(name, span)?;
        // A single per-row dynamic list is passed through; otherwise build a constant JSON
        // array of the terms.
        if items.len() == 1
            && let Item::Expr(t) = &items[0]
            && t.ty == KqlType::Dynamic
        {
            return Ok(Typed::new(
                udf.call(vec![x.expr, t.expr.clone()]),
                KqlType::Bool,
            ));
        }
        let mut terms = Vec::new();
        for item in items {
            match item {
                Item::Const(v) if v.is_null() => {}
                Item::Const(v) => terms.push(serde_json::Value::String(scalar_text(&v))),
                Item::Expr(_) => {
                    return Err(error::not_supported(
                        format!(
                            "non-constant list items in {}",
                            if op == ListOp::HasAny {
                                "has_any"
                            } else {
                                "has_all"
                            }
                        ),
                        span,
                    ));
                }
            }
        }
        if terms.is_empty() {
            // has_any of nothing is false; has_all of nothing is true.
            return Ok(Typed::new(lit(op == ListOp::HasAll), KqlType::Bool));
        }
        let json = serde_json::Value::Array(terms).to_string();
        Ok(Typed::new(udf.call(vec![x.expr, lit(json)]), KqlType::Bool))
    }
}

/// The elements of a constant dynamic value: a JSON array's elements (numbers, strings,
/// bools; nested values as JSON text), or the value itself.
pub(crate) fn flatten_dynamic(v: &ScalarValue) -> Vec<ScalarValue> {
    let text = match v {
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) => s,
        ScalarValue::List(arr) => {
            let mut out = Vec::new();
            let values = arr.value(0);
            for i in 0..values.len() {
                if let Ok(s) = ScalarValue::try_from_array(&values, i) {
                    out.push(s);
                }
            }
            return out;
        }
        other if other.is_null() => return Vec::new(),
        other => return vec![other.clone()],
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(items)) => items.iter().filter_map(json_scalar).collect(),
        Ok(other) => json_scalar(&other).into_iter().collect(),
        Err(_) => vec![ScalarValue::Utf8(Some(text.clone()))],
    }
}

/// A JSON value as a scalar (null → none).
fn json_scalar(v: &serde_json::Value) -> Option<ScalarValue> {
    use serde_json::Value;
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => ScalarValue::Boolean(Some(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => ScalarValue::Int64(Some(i)),
            None => ScalarValue::Float64(n.as_f64()),
        },
        Value::String(s) => ScalarValue::Utf8(Some(s.clone())),
        other => ScalarValue::Utf8(Some(other.to_string())),
    })
}

/// The text of a scalar for term lists (strings raw, others via their display form).
fn scalar_text(v: &ScalarValue) -> String {
    match v {
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) => s.clone(),
        other => other.to_string(),
    }
}

//! `dynamic` values: member/index access, conversions between the JSON-text and typed
//! physical forms, and the conversion functions (`tostring`, `toint`, ...) that must look at
//! the physical form of their argument.

use super::{DynForm, ExprCtx, Typed};
use crate::error::{self, PResult, err};
use crate::planner::Planner;
use crate::types::KqlType;
use kql_syntax::ast::{self, Span};

impl<'c> Planner<'c> {
    /// `target.key`, `target["key"]`, `target[i]` on a dynamic value.
    pub(super) fn lower_access(
        &self,
        ctx: &ExprCtx,
        target: &ast::Expr,
        key: Typed,
        span: &Span,
    ) -> PResult<Typed> {
        let vctx = ctx.value();
        let t = self.lower_expr(&vctx, target)?;
        if t.ty != KqlType::Dynamic {
            return Err(err(
                error::TYPE_MISMATCH,
                format!(
                    "member and index access need a dynamic value, but this is a {}",
                    t.ty
                ),
                &target.span,
            ));
        }
        let udf = self.udf("kql_dyn_get", span)?;
        let got = Typed::new(udf.call(vec![t.expr, key.expr]), KqlType::Dynamic);
        // Elements of a typed string list come back as plain strings; a Utf8 dynamic must
        // be JSON text, so quote them.
        self.json_if_plain_string(ctx, got, span)
    }

    /// Converts `t` to a dynamic value holding it: strings and guids become JSON strings
    /// (a `Utf8` dynamic is always JSON text), other scalars become typed dynamic scalars
    /// (no physical change). `todynamic()`/`parse_json()` parse instead (see `parse_json`).
    pub(crate) fn to_dynamic(&self, _ctx: &ExprCtx, t: Typed, span: &Span) -> PResult<Typed> {
        match t.ty {
            KqlType::Dynamic => Ok(t),
            KqlType::String | KqlType::Guid => {
                let udf = self.udf("kql_to_json", span)?;
                Ok(Typed::new(udf.call(vec![t.expr]), KqlType::Dynamic))
            }
            _ => Ok(Typed::new(t.expr, KqlType::Dynamic)),
        }
    }

    /// `parse_json(x)` / `todynamic(x)`: strings are parsed as JSON; dynamic values are
    /// returned as they are; other scalars become dynamic scalars.
    pub(crate) fn parse_json(&self, ctx: &ExprCtx, t: Typed, span: &Span) -> PResult<Typed> {
        match t.ty {
            KqlType::String | KqlType::Guid => {
                let udf = self.udf("kql_parse_json", span)?;
                Ok(Typed::new(udf.call(vec![t.expr]), KqlType::Dynamic))
            }
            _ => self.to_dynamic(ctx, t, span),
        }
    }

    /// A dynamic expression whose physical type is a plain `Utf8` string (an element of a
    /// typed string list) re-encoded as JSON text.
    pub(crate) fn json_if_plain_string(
        &self,
        ctx: &ExprCtx,
        t: Typed,
        span: &Span,
    ) -> PResult<Typed> {
        if t.ty != KqlType::Dynamic {
            return Ok(t);
        }
        let dt = self.dtype(&t.expr, ctx.rel, span)?;
        let list_source = matches!(&t.expr, datafusion::logical_expr::Expr::ScalarFunction(f)
            if f.name() == "kql_dyn_get"
                && f.args.first().is_some_and(|a| matches!(self.dtype(a, ctx.rel, span), Ok(datafusion::arrow::datatypes::DataType::List(_)))));
        if list_source && matches!(dt, datafusion::arrow::datatypes::DataType::Utf8) {
            let udf = self.udf("kql_to_json", span)?;
            return Ok(Typed::new(udf.call(vec![t.expr]), KqlType::Dynamic));
        }
        Ok(t)
    }

    /// The JSON-text form of a dynamic value.
    pub(crate) fn dyn_json(&self, ctx: &ExprCtx, t: Typed, span: &Span) -> PResult<Typed> {
        match self.dyn_form(&t, ctx.rel, span)? {
            DynForm::Json => Ok(t),
            _ => {
                let udf = self.udf("kql_to_json", span)?;
                Ok(Typed::new(udf.call(vec![t.expr]), KqlType::Dynamic))
            }
        }
    }

    /// Applies a KQL conversion function (`tostring`, `toint`, `tolong`, `todouble`,
    /// `tobool`, `todatetime`, `totimespan`, `toguid`, `todecimal`) to a lowered value.
    pub(crate) fn convert_fn(
        &self,
        ctx: &ExprCtx,
        name: &str,
        t: Typed,
        span: &Span,
    ) -> PResult<Typed> {
        let target = match name {
            "tostring" => KqlType::String,
            "toint" => KqlType::Int,
            "tolong" => KqlType::Long,
            "todouble" | "toreal" => KqlType::Real,
            "tobool" | "toboolean" => KqlType::Bool,
            "todatetime" => KqlType::DateTime,
            "totimespan" | "totime" => KqlType::TimeSpan,
            "toguid" => KqlType::Guid,
            "todecimal" => KqlType::Decimal,
            other => {
                return Err(err(
                    error::INTERNAL,
                    format!("internal planner error: unknown conversion `{other}`"),
                    span,
                ));
            }
        };
        if t.ty == target {
            return Ok(t);
        }
        let canonical = match target {
            KqlType::Real => "todouble",
            KqlType::Bool => "tobool",
            KqlType::TimeSpan => "totimespan",
            _ => name,
        };
        let arg = if t.ty == KqlType::Dynamic {
            match self.dyn_form(&t, ctx.rel, span)? {
                // JSON text: kql_dynamic_to applies KQL's conversion to the JSON value.
                DynForm::Json => {
                    let udf = self.udf("kql_dynamic_to", span)?;
                    let e = udf.call(vec![t.expr, datafusion::logical_expr::lit(target.name())]);
                    return Ok(Typed::new(e, target));
                }
                DynForm::List(_) if target == KqlType::String => {
                    let j = self.udf("kql_to_json", span)?;
                    return Ok(Typed::new(j.call(vec![t.expr]), KqlType::String));
                }
                _ => t.expr,
            }
        } else if t.ty == KqlType::Guid && target == KqlType::String {
            return Ok(Typed::new(t.expr, KqlType::String));
        } else {
            t.expr
        };
        let udf = self.udf(&format!("kql_{canonical}"), span)?;
        Ok(Typed::new(udf.call(vec![arg]), target))
    }
}

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
        Ok(Typed::new(
            udf.call(vec![t.expr, key.expr]),
            KqlType::Dynamic,
        ))
    }

    /// Converts `t` to a dynamic value: strings are parsed as JSON (`todynamic`), other
    /// scalars become typed dynamic scalars (no physical change).
    pub(crate) fn to_dynamic(&self, _ctx: &ExprCtx, t: Typed, span: &Span) -> PResult<Typed> {
        match t.ty {
            KqlType::Dynamic => Ok(t),
            KqlType::String => {
                let udf = self.udf("kql_parse_json", span)?;
                Ok(Typed::new(udf.call(vec![t.expr]), KqlType::Dynamic))
            }
            _ => Ok(Typed::new(t.expr, KqlType::Dynamic)),
        }
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
                // JSON text: the value's text (unquoted for strings) is what gets converted.
                DynForm::Json => {
                    let s = self.udf("kql_dyn_tostring", span)?;
                    if target == KqlType::String {
                        return Ok(Typed::new(s.call(vec![t.expr]), KqlType::String));
                    }
                    s.call(vec![t.expr])
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

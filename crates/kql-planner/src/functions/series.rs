//! The `series_*` functions: calls to the `kql_series_*` UDFs. Tuple-valued ones
//! (`series_decompose_anomalies`, `series_fit_line`, ...) return a `Struct` whose members
//! become columns through (tuple) assignment, with KQL's default names
//! `<function>_<argument>_<member>`.

use super::CallSite;
use super::aggregate::arg_name;
use crate::error::{PResult, err};
use crate::expr::{ExprCtx, TupleInfo, Typed};
use crate::planner::Planner;
use crate::types::KqlType;
use datafusion::arrow::datatypes::DataType;
use std::rc::Rc;

/// Lowers a call to a series function.
pub(crate) fn lower_series(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    let vctx = ctx.value();
    let mut args = Vec::new();
    for a in super::positional(site)? {
        let t = p.lower_expr(&vctx, a)?;
        // Series and parameter values pass through: the UDFs accept typed lists, JSON
        // text, numbers and strings.
        let t = match t.ty {
            KqlType::Int => p.promote(t, KqlType::Long),
            KqlType::Dynamic => typed_literal_array(p, t),
            _ => t,
        };
        args.push(t.expr);
    }
    let udf_name = format!("kql_{}", site.name);
    let udf = p.udf(&udf_name, site.name_span)?;
    let expr = udf.call(args);
    let dt = p.dtype(&expr, ctx.rel, site.span)?;
    let argn = site
        .args
        .first()
        .map(|a| arg_name(&a.value))
        .unwrap_or_default();
    match dt {
        DataType::Struct(fields) => {
            let order: Vec<String> = kql_functions::series::series_output_members(site.name)
                .map(|m| m.iter().map(|s| s.to_string()).collect())
                .unwrap_or_else(|| fields.iter().map(|f| f.name().clone()).collect());
            let mut members = Vec::new();
            for m in order {
                let Some(f) = fields.iter().find(|f| f.name() == &m) else {
                    return Err(err(
                        crate::error::INTERNAL,
                        format!(
                            "internal planner error: `{}` has no member `{m}`",
                            site.name
                        ),
                        site.span,
                    ));
                };
                let ty = member_type(f.data_type());
                members.push((m.clone(), format!("{}_{argn}_{m}", site.name), ty));
            }
            let first_ty = members.first().map_or(KqlType::Dynamic, |m| m.2);
            let mut t = Typed::new(expr, first_ty);
            t.tuple = Some(Rc::new(TupleInfo { members }));
            Ok(t)
        }
        other => Ok(Typed::new(expr, member_type(&other))),
    }
}

/// KQL type of a series function output of physical type `dt`.
fn member_type(dt: &DataType) -> KqlType {
    match dt {
        DataType::Float64 => KqlType::Real,
        DataType::Int64 => KqlType::Long,
        DataType::Int32 => KqlType::Int,
        DataType::Boolean => KqlType::Bool,
        _ => KqlType::Dynamic,
    }
}

/// A constant JSON array of numbers as a typed list literal (`List<Int64>` when every
/// element is an integer or null, else `List<Float64>`), so element types survive (e.g.
/// `series_fill_linear` keeps integers). Anything else is returned unchanged.
fn typed_literal_array(p: &Planner, t: Typed) -> Typed {
    use datafusion::common::ScalarValue;
    let Some(ScalarValue::Utf8(Some(text))) = p.const_eval(&t.expr) else {
        return t;
    };
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(&text)
    else {
        return t;
    };
    let all_int = items.iter().all(|v| v.is_null() || v.is_i64());
    let all_num = items.iter().all(|v| v.is_null() || v.is_number());
    if !all_num {
        return t;
    }
    let (values, dt): (Vec<ScalarValue>, DataType) = if all_int {
        (
            items
                .iter()
                .map(|v| ScalarValue::Int64(v.as_i64()))
                .collect(),
            DataType::Int64,
        )
    } else {
        (
            items
                .iter()
                .map(|v| ScalarValue::Float64(v.as_f64()))
                .collect(),
            DataType::Float64,
        )
    };
    let list = ScalarValue::List(ScalarValue::new_list_nullable(&values, &dt));
    Typed::new(datafusion::logical_expr::lit(list), KqlType::Dynamic)
}

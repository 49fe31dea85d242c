//! Function calls in scalar position: user-defined (`let f = (...) {...}`) and stored
//! functions are inlined with their arguments bound; everything else goes through the
//! built-in function registry (`crate::functions`).

use super::{ExprCtx, Typed};
use crate::error::{self, PResult, err, with_suggestion};
use crate::functions::{self, CallSite, FnDef};
use crate::planner::Planner;
use crate::rel::Rel;
use crate::scope::{Binding, FunctionValue, Scope};
use crate::types::KqlType;
use kql_syntax::Diagnostic;
use kql_syntax::ast::{self, Arg, ParamType, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    pub(super) fn lower_call(
        &self,
        ctx: &ExprCtx,
        name: &ast::Ident,
        args: &[Arg],
        span: &Span,
    ) -> PResult<Typed> {
        if let Some(Binding::Function(f)) = ctx.scope.lookup(&name.name) {
            let f = f.clone();
            return self.call_user_function_scalar(ctx, &f, args, span);
        }
        let site = CallSite {
            name: &name.name,
            name_span: &name.span,
            args,
            span,
        };
        match functions::lookup(&name.name) {
            Some(FnDef::Scalar(build)) => build(self, ctx, &site),
            Some(FnDef::Aggregate) => Err(err(
                error::WRONG_KIND,
                format!(
                    "the aggregation function `{}` can only be used in summarize, make-series, top-nested or as an argument of such",
                    name.name
                ),
                &name.span,
            )),
            Some(FnDef::Unsupported) => Err(error::not_supported(
                format!("function `{}`", name.name),
                &name.span,
            )),
            None => {
                if let Some(sf) = self.catalog.function(&name.name) {
                    let f = Rc::new(FunctionValue {
                        name: sf.name.clone(),
                        def: sf.def.clone(),
                        scope: Scope::root(),
                        foreign_source: Some((sf.source.clone(), sf.origin.clone())),
                    });
                    return self.call_user_function_scalar(ctx, &f, args, span);
                }
                let d = err(
                    error::UNKNOWN_NAME,
                    format!("unknown function `{}`", name.name),
                    &name.span,
                );
                let mut cands: Vec<String> = functions::known_names()
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                cands.extend(ctx.scope.names());
                Err(with_suggestion(
                    d,
                    &name.name,
                    cands.iter().map(|s| s.as_str()),
                ))
            }
        }
    }

    /// Inlines a user-defined function whose body is scalar.
    pub(crate) fn call_user_function_scalar(
        &self,
        ctx: &ExprCtx,
        f: &Rc<FunctionValue>,
        args: &[Arg],
        span: &Span,
    ) -> PResult<Typed> {
        let arg_ctx = ctx.value();
        let bindings = self.bind_arguments(&arg_ctx, f, args, span)?;
        self.in_function(f, span, || {
            let mut scope = Scope::bind_all(&f.scope, bindings);
            for l in &f.def.body.lets {
                scope = self.plan_let(&scope, &l.node, &l.span)?;
            }
            if self.is_tabular(&scope, &f.def.body.expr) {
                return Err(err(
                    error::WRONG_KIND,
                    format!(
                        "function `{}` returns a table and cannot be used as a scalar",
                        f.name
                    ),
                    span,
                ));
            }
            let body_ctx = ExprCtx {
                rel: ctx.rel,
                scope: &scope,
                filter: false,
            };
            self.lower_expr(&body_ctx, &f.def.body.expr)
        })
    }

    /// Runs `plan` (which plans a function body); errors inside a stored function's text are
    /// reported at the call site with the inner error as a note, since their spans point
    /// into another source.
    pub(crate) fn in_function<T>(
        &self,
        f: &FunctionValue,
        call_span: &Span,
        plan: impl FnOnce() -> PResult<T>,
    ) -> PResult<T> {
        self.nested(call_span, || {
            match (self.with_fresh_column_counter(plan), &f.foreign_source) {
                (Ok(v), _) => Ok(v),
                (Err(e), None) => Err(e),
                (Err(e), Some((source, origin))) => Err(Diagnostic {
                    message: format!("in function `{}`: {}", f.name, e.message),
                    span: call_span.clone(),
                    notes: vec![e.render(source, origin)],
                    ..e
                }),
            }
        })
    }

    /// Binds call arguments to a function's parameters: positional first, then `name=value`;
    /// omitted parameters take their (literal) defaults.
    pub(crate) fn bind_arguments(
        &self,
        ctx: &ExprCtx,
        f: &FunctionValue,
        args: &[Arg],
        span: &Span,
    ) -> PResult<Vec<(String, Binding)>> {
        let params = &f.def.params;
        let mut assigned: Vec<Option<&ast::Expr>> = vec![None; params.len()];
        let mut positional = 0;
        for a in args {
            match &a.name {
                None => {
                    if positional >= params.len() {
                        return Err(err(
                            error::BAD_ARGUMENTS,
                            format!(
                                "function `{}` takes {} argument(s), but more were given",
                                f.name,
                                params.len()
                            ),
                            &a.value.span,
                        ));
                    }
                    assigned[positional] = Some(&a.value);
                    positional += 1;
                }
                Some(n) => {
                    let Some(i) = params.iter().position(|p| p.name.name == n.name) else {
                        let d = err(
                            error::BAD_ARGUMENTS,
                            format!("function `{}` has no parameter named `{}`", f.name, n.name),
                            &n.span,
                        );
                        return Err(with_suggestion(
                            d,
                            &n.name,
                            params.iter().map(|p| p.name.name.as_str()),
                        ));
                    };
                    if assigned[i].is_some() {
                        return Err(err(
                            error::BAD_ARGUMENTS,
                            format!("parameter `{}` is given twice", n.name),
                            &n.span,
                        ));
                    }
                    assigned[i] = Some(&a.value);
                }
            }
        }
        let mut out = Vec::new();
        for (p, a) in params.iter().zip(assigned) {
            let binding = match (&p.ty, a) {
                (ParamType::Tabular { .. }, Some(e)) => {
                    Binding::Tabular(self.plan_tabular(ctx.scope, e)?)
                }
                (ParamType::Tabular { .. }, None) => {
                    return Err(err(
                        error::BAD_ARGUMENTS,
                        format!(
                            "function `{}` needs the tabular argument `{}`",
                            f.name, p.name.name
                        ),
                        span,
                    ));
                }
                (ParamType::Scalar(t), Some(e)) => {
                    let v = self.lower_expr(ctx, e)?;
                    Binding::Scalar(self.coerce_argument(
                        ctx,
                        v,
                        KqlType::from(t.node),
                        &p.name.name,
                        &e.span,
                    )?)
                }
                (ParamType::Scalar(t), None) => match &p.default {
                    Some(d) => {
                        let empty = Rel::one_row();
                        let dctx = ExprCtx {
                            rel: &empty,
                            scope: &f.scope,
                            filter: false,
                        };
                        let v = self.in_function(f, span, || self.lower_expr(&dctx, d))?;
                        Binding::Scalar(self.coerce_argument(
                            ctx,
                            v,
                            KqlType::from(t.node),
                            &p.name.name,
                            span,
                        )?)
                    }
                    None => {
                        return Err(err(
                            error::BAD_ARGUMENTS,
                            format!(
                                "function `{}` needs the argument `{}` (it has no default)",
                                f.name, p.name.name
                            ),
                            span,
                        ));
                    }
                },
            };
            out.push((p.name.name.clone(), binding));
        }
        Ok(out)
    }

    /// Converts an argument to the declared parameter type: numeric promotion, dynamic
    /// accepted for dynamic, nulls of another type retyped; anything else is an error.
    fn coerce_argument(
        &self,
        ctx: &ExprCtx,
        v: Typed,
        to: KqlType,
        param: &str,
        span: &Span,
    ) -> PResult<Typed> {
        if v.ty == to {
            return Ok(v);
        }
        if v.ty.is_numeric() && to.is_numeric() {
            return Ok(self.promote(v, to));
        }
        if let Some(val) = self.const_eval(&v.expr)
            && val.is_null()
        {
            return Ok(Typed::null(to));
        }
        match (v.ty, to) {
            (_, KqlType::Dynamic) => self.to_dynamic(ctx, v, span),
            (KqlType::Guid, KqlType::String) | (KqlType::String, KqlType::Guid) => {
                Ok(Typed::new(v.expr, to))
            }
            (from, to) => Err(err(
                error::TYPE_MISMATCH,
                format!("argument `{param}` must be of type {to}, but this is a {from}"),
                span,
            )),
        }
    }
}

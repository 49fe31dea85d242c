//! Lowering of KQL scalar expressions to DataFusion [`Expr`]s with their KQL types.
//!
//! Every lowered expression is a [`Typed`]: a DataFusion expression plus its KQL type (the
//! planner owns KQL types, see `docs/design.md`).

mod binary;
mod call;
mod dynamic;
mod list;
mod literal;

pub(crate) use list::flatten_dynamic;
pub(crate) use literal::{lower_literal, parse_datetime_literal};

use crate::error::{self, PResult, err, with_suggestion};
use crate::planner::Planner;
use crate::rel::Rel;
use crate::scope::{Binding, Scope};
use crate::types::KqlType;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Expr, cast, lit};
use kql_syntax::ast::{self, ExprKind, Span, UnaryOp};
use std::rc::Rc;

/// A lowered scalar expression and its KQL type.
#[derive(Clone, Debug)]
pub struct Typed {
    /// The DataFusion expression.
    pub expr: Expr,
    /// Its KQL type.
    pub ty: KqlType,
    /// For tuple-valued functions (`series_decompose_anomalies`, ...): the members of the
    /// `Struct` the expression returns, and their default column names.
    pub tuple: Option<Rc<TupleInfo>>,
}

/// The members of a tuple-valued function result.
#[derive(Clone, Debug)]
pub struct TupleInfo {
    /// `(struct field name, default column name, KQL type)` per member, in KQL order.
    pub members: Vec<(String, String, KqlType)>,
}

impl Typed {
    /// Pairs `expr` with `ty`.
    pub fn new(expr: Expr, ty: KqlType) -> Self {
        Typed {
            expr,
            ty,
            tuple: None,
        }
    }

    /// A typed null of `ty`.
    pub fn null(ty: KqlType) -> Self {
        let v = ScalarValue::try_from(&ty.arrow()).unwrap_or(ScalarValue::Null);
        Typed::new(lit(v), ty)
    }
}

/// The context an expression is lowered in: the row schema it may refer to and the let
/// scope.
#[derive(Clone)]
pub(crate) struct ExprCtx<'a> {
    /// The input relation whose columns are in scope.
    pub rel: &'a Rel,
    /// The let scope.
    pub scope: &'a Rc<Scope>,
    /// True while lowering a predicate whose null and false results are equivalent (the
    /// top of `where`, through `and`/`or`): allows SQL equality without null fix-ups.
    pub filter: bool,
}

impl<'a> ExprCtx<'a> {
    /// The same context outside predicate position.
    pub fn value(&self) -> ExprCtx<'a> {
        ExprCtx {
            filter: false,
            ..self.clone()
        }
    }
}

/// How a `dynamic` value is physically represented.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DynForm {
    /// JSON text in `Utf8`.
    Json,
    /// A typed Arrow list.
    List(DataType),
    /// A typed scalar (from `mv-expand` of a typed list).
    Scalar(DataType),
}

impl<'c> Planner<'c> {
    /// A value context over `rel` and `scope`.
    pub(crate) fn ctx<'a>(&self, rel: &'a Rel, scope: &'a Rc<Scope>) -> ExprCtx<'a> {
        ExprCtx {
            rel,
            scope,
            filter: false,
        }
    }

    /// Lowers a scalar expression.
    pub(crate) fn lower_expr(&self, ctx: &ExprCtx, e: &ast::Expr) -> PResult<Typed> {
        self.nested(&e.span, || self.lower_expr_inner(ctx, e))
    }

    fn lower_expr_inner(&self, ctx: &ExprCtx, e: &ast::Expr) -> PResult<Typed> {
        let span = &e.span;
        match &e.node {
            ExprKind::Literal(l) => lower_literal(l, span),
            ExprKind::Name(id) => self.lower_name(ctx, id),
            ExprKind::Binary { op, left, right } => self.lower_binary(ctx, *op, left, right, span),
            ExprKind::Unary { op, operand } => {
                let v = self.lower_expr(&ctx.value(), operand)?;
                match op {
                    UnaryOp::Plus => self.require_numeric_like(&v, &operand.span).map(|_| v),
                    UnaryOp::Neg => self.negate(v, &operand.span),
                }
            }
            ExprKind::Call { name, args } => self.lower_call(ctx, name, args, span),
            ExprKind::List { op, expr, items } => self.lower_list_op(ctx, *op, expr, items, span),
            ExprKind::Between {
                negated,
                expr,
                low,
                high,
            } => self.lower_between(ctx, *negated, expr, low, high, span),
            ExprKind::Member { target, name } => {
                let key = Typed::new(lit(name.name.clone()), KqlType::String);
                self.lower_access(ctx, target, key, span)
            }
            ExprKind::Index { target, index } => {
                let key = self.lower_expr(&ctx.value(), index)?;
                self.lower_access(ctx, target, key, span)
            }
            ExprKind::TypeOf(_) => Err(err(
                error::WRONG_KIND,
                "typeof(...) is only valid as an argument (e.g. `to typeof(long)`)",
                span,
            )),
            ExprKind::Star => Err(err(
                error::WRONG_KIND,
                "`*` is only valid as an argument of functions such as arg_max",
                span,
            )),
            ExprKind::NamePattern(id) => Err(err(
                error::WRONG_KIND,
                format!("the pattern `{}` is only valid in union", id.name),
                span,
            )),
            ExprKind::Pipeline { .. } | ExprKind::Datatable { .. } | ExprKind::Source(_) => {
                Err(err(
                    error::WRONG_KIND,
                    "a tabular expression cannot be used as a scalar value; wrap it in toscalar(...)",
                    span,
                ))
            }
        }
    }

    /// Resolves a bare name in scalar position: a column of the input first, then a let-bound
    /// scalar, then a zero-argument user function.
    fn lower_name(&self, ctx: &ExprCtx, id: &ast::Ident) -> PResult<Typed> {
        if let Some(i) = ctx.rel.index_of(&id.name) {
            return Ok(Typed::new(ctx.rel.col_expr(i), ctx.rel.columns[i].ty));
        }
        match ctx.scope.lookup(&id.name) {
            Some(Binding::Scalar(t)) => return Ok(t.clone()),
            Some(Binding::Tabular(_)) | Some(Binding::Materialized(_)) => {
                return Err(err(
                    error::WRONG_KIND,
                    format!(
                        "`{}` is a tabular value and cannot be used as a scalar; use toscalar({})",
                        id.name, id.name
                    ),
                    &id.span,
                ));
            }
            Some(Binding::Function(f)) => {
                let f = f.clone();
                return self.call_user_function_scalar(ctx, &f, &[], &id.span);
            }
            None => {}
        }
        if id.name == "$left" || id.name == "$right" {
            return Err(err(
                error::WRONG_KIND,
                format!("`{}` is only valid in a join or lookup condition", id.name),
                &id.span,
            ));
        }
        let mut candidates: Vec<String> = ctx.rel.names().iter().map(|s| s.to_string()).collect();
        candidates.extend(ctx.scope.names());
        let what = if ctx.rel.columns.is_empty() {
            "name"
        } else {
            "column or scalar name"
        };
        let d = err(
            error::UNKNOWN_NAME,
            format!("unknown {what} `{}`", id.name),
            &id.span,
        );
        Err(with_suggestion(
            d,
            &id.name,
            candidates.iter().map(|s| s.as_str()),
        ))
    }

    /// The physical form of a dynamic value.
    pub(crate) fn dyn_form(&self, t: &Typed, rel: &Rel, span: &Span) -> PResult<DynForm> {
        let dt = self.dtype(&t.expr, rel, span)?;
        Ok(match dt {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => {
                DynForm::Json
            }
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => {
                DynForm::List(dt)
            }
            other => DynForm::Scalar(other),
        })
    }

    /// Casts `t` to KQL type `to` with KQL conversion semantics where they matter.
    pub(crate) fn convert(
        &self,
        ctx: &ExprCtx,
        t: Typed,
        to: KqlType,
        span: &Span,
    ) -> PResult<Typed> {
        if t.ty == to {
            return Ok(t);
        }
        let name = match to {
            KqlType::String => "tostring",
            KqlType::Int => "toint",
            KqlType::Long => "tolong",
            KqlType::Real => "todouble",
            KqlType::Bool => "tobool",
            KqlType::DateTime => "todatetime",
            KqlType::TimeSpan => "totimespan",
            KqlType::Dynamic => return self.to_dynamic(ctx, t, span),
            KqlType::Guid => "toguid",
            KqlType::Decimal => "todecimal",
        };
        self.convert_fn(ctx, name, t, span)
    }

    /// Numeric promotion for arithmetic and comparison: casts to `to` (int/long/real).
    pub(crate) fn promote(&self, t: Typed, to: KqlType) -> Typed {
        if t.ty == to {
            return t;
        }
        Typed::new(cast(t.expr, to.arrow()), to)
    }

    /// `-x` for numbers and timespans.
    fn negate(&self, v: Typed, span: &Span) -> PResult<Typed> {
        match v.ty {
            KqlType::Int | KqlType::Long => {
                let v = self.promote(v, KqlType::Long);
                Ok(Typed::new(Expr::Negative(Box::new(v.expr)), KqlType::Long))
            }
            KqlType::Real | KqlType::Decimal => {
                Ok(Typed::new(Expr::Negative(Box::new(v.expr)), v.ty))
            }
            KqlType::TimeSpan => {
                let ticks = cast(v.expr, DataType::Int64);
                Ok(Typed::new(
                    cast(Expr::Negative(Box::new(ticks)), KqlType::TimeSpan.arrow()),
                    KqlType::TimeSpan,
                ))
            }
            other => Err(err(
                error::TYPE_MISMATCH,
                format!("unary minus needs a number or timespan, found {other}"),
                span,
            )),
        }
    }

    fn require_numeric_like(&self, v: &Typed, span: &Span) -> PResult<()> {
        if v.ty.is_numeric() || v.ty == KqlType::TimeSpan {
            Ok(())
        } else {
            Err(err(
                error::TYPE_MISMATCH,
                format!("unary plus needs a number or timespan, found {}", v.ty),
                span,
            ))
        }
    }

    /// Requires `t` to be a bool (predicates).
    pub(crate) fn require_bool(&self, t: &Typed, span: &Span, what: &str) -> PResult<()> {
        match t.ty {
            KqlType::Bool => Ok(()),
            other => Err(err(
                error::TYPE_MISMATCH,
                format!("{what} must be a bool expression, found {other}"),
                span,
            )),
        }
    }
}

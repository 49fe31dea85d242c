//! Binary operators: logic, comparison (with KQL's null rules), string predicates and
//! arithmetic (KQL promotion, integer division, Euclidean modulo, datetime/timespan maths).

use super::{ExprCtx, Typed};
use crate::error::{self, PResult, err};
use crate::planner::Planner;
use crate::types::{KqlType, comparable, numeric_result};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn::{abs, nullif};
use datafusion::logical_expr::{Expr, Operator, binary_expr, cast, lit, try_cast, when};
use kql_syntax::ast::{self, BinaryOp, Span, StrOp, StrOpKind};
use std::ops::Not;

impl<'c> Planner<'c> {
    pub(super) fn lower_binary(
        &self,
        ctx: &ExprCtx,
        op: BinaryOp,
        left: &ast::Expr,
        right: &ast::Expr,
        span: &Span,
    ) -> PResult<Typed> {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                // Null and false are interchangeable under and/or when the whole predicate
                // is only tested for truth, so the filter context propagates.
                let l = self.lower_expr(ctx, left)?;
                let r = self.lower_expr(ctx, right)?;
                self.require_bool(&l, &left.span, "the left operand of and/or")?;
                self.require_bool(&r, &right.span, "the right operand of and/or")?;
                let e = if op == BinaryOp::And {
                    l.expr.and(r.expr)
                } else {
                    l.expr.or(r.expr)
                };
                Ok(Typed::new(e, KqlType::Bool))
            }
            BinaryOp::Str(_) | BinaryOp::MatchesRegex
                if matches!(left.node, ast::ExprKind::Star) =>
            {
                // `* has "x"`: true when any column satisfies the predicate.
                let vctx = ctx.value();
                let r = self.lower_expr(&vctx, right)?;
                let mut any: Option<datafusion::logical_expr::Expr> = None;
                for (i, c) in ctx.rel.columns.iter().enumerate() {
                    let col = Typed::new(ctx.rel.col_expr(i), c.ty);
                    let p = self.binary_values(&vctx, op, col, r.clone(), span)?;
                    any = Some(match any {
                        None => p.expr,
                        Some(a) => a.or(p.expr),
                    });
                }
                Ok(Typed::new(any.unwrap_or(lit(false)), KqlType::Bool))
            }
            _ => {
                let vctx = ctx.value();
                let l = self.lower_expr(&vctx, left)?;
                let r = self.lower_expr(&vctx, right)?;
                self.binary_values(ctx, op, l, r, span)
            }
        }
    }

    /// Applies a non-logical binary operator to two lowered operands.
    pub(crate) fn binary_values(
        &self,
        ctx: &ExprCtx,
        op: BinaryOp,
        l: Typed,
        r: Typed,
        span: &Span,
    ) -> PResult<Typed> {
        match op {
            BinaryOp::Eq | BinaryOp::NotEq => self.equality(ctx, op == BinaryOp::NotEq, l, r, span),
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let (l, r) = self.comparable_pair(ctx, l, r, span)?;
                let o = match op {
                    BinaryOp::Lt => Operator::Lt,
                    BinaryOp::Le => Operator::LtEq,
                    BinaryOp::Gt => Operator::Gt,
                    _ => Operator::GtEq,
                };
                Ok(Typed::new(binary_expr(l.expr, o, r.expr), KqlType::Bool))
            }
            BinaryOp::EqCi | BinaryOp::NotEqCi => {
                let l = self.stringish(ctx, l, span)?;
                let r = self.stringish(ctx, r, span)?;
                let lower = datafusion::functions::expr_fn::lower;
                let e = lower(l.expr).eq(lower(r.expr));
                Ok(Typed::new(
                    if op == BinaryOp::NotEqCi { e.not() } else { e },
                    KqlType::Bool,
                ))
            }
            BinaryOp::Str(s) => self.string_predicate(ctx, s, l, r, span),
            BinaryOp::MatchesRegex => {
                let l = self.stringish(ctx, l, span)?;
                let r = self.stringish(ctx, r, span)?;
                let e = datafusion::functions::expr_fn::regexp_like(l.expr, r.expr, None);
                Ok(Typed::new(e, KqlType::Bool))
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                self.arithmetic(op, l, r, span)
            }
            BinaryOp::And | BinaryOp::Or => Err(err(
                error::INTERNAL,
                "internal planner error: logical operator reached binary_values",
                span,
            )),
        }
    }

    /// Brings two operands to a common comparable type (numeric promotion; dynamic values
    /// converted to the other side's type).
    pub(crate) fn comparable_pair(
        &self,
        ctx: &ExprCtx,
        l: Typed,
        r: Typed,
        span: &Span,
    ) -> PResult<(Typed, Typed)> {
        match (l.ty, r.ty) {
            (KqlType::Dynamic, KqlType::Dynamic) => {
                let l = self.dyn_json(ctx, l, span)?;
                let r = self.dyn_json(ctx, r, span)?;
                Ok((l, r))
            }
            (KqlType::Dynamic, other) => {
                let l = self.convert(ctx, l, other, span)?;
                Ok((l, r))
            }
            (other, KqlType::Dynamic) => {
                let r = self.convert(ctx, r, other, span)?;
                Ok((l, r))
            }
            (a, b) => match comparable(a, b) {
                Some(t) if t.is_numeric() => Ok((self.promote(l, t), self.promote(r, t))),
                Some(_) => Ok((l, r)),
                // Rules validated by Kusto's own binder compare strings with numbers and
                // bools (`ResultType == 0`, `Flag == 'true'`): the value is compared in its
                // text form ([I]: KQL converts the non-string operand).
                None if a.is_stringlike() && (b.is_numeric() || b == KqlType::Bool) => {
                    let r = self.convert(ctx, r, KqlType::String, span)?;
                    Ok((l, r))
                }
                None if b.is_stringlike() && (a.is_numeric() || a == KqlType::Bool) => {
                    let l = self.convert(ctx, l, KqlType::String, span)?;
                    Ok((l, r))
                }
                // `BoolColumn == 0`: a bool compares as 0/1.
                None if a == KqlType::Bool && b.is_numeric() => Ok((
                    Typed::new(cast(l.expr, DataType::Int64), KqlType::Long),
                    self.promote(r, KqlType::Long),
                )),
                None if b == KqlType::Bool && a.is_numeric() => Ok((
                    self.promote(l, KqlType::Long),
                    Typed::new(cast(r.expr, DataType::Int64), KqlType::Long),
                )),
                None => Err(err(
                    error::TYPE_MISMATCH,
                    format!("cannot compare values of types {a} and {b}"),
                    span,
                )),
            },
        }
    }

    /// `==` / `!=` with KQL null rules: for types that can be null, `null == x` is false
    /// (not null) and `null != x` is true; `null == null` is null. Strings are never null.
    fn equality(
        &self,
        ctx: &ExprCtx,
        negated: bool,
        l: Typed,
        r: Typed,
        span: &Span,
    ) -> PResult<Typed> {
        let (l, r) = self.comparable_pair(ctx, l, r, span)?;
        let plain = if negated {
            l.expr.clone().not_eq(r.expr.clone())
        } else {
            l.expr.clone().eq(r.expr.clone())
        };
        if l.ty.is_stringlike() || (ctx.filter && !negated) {
            return Ok(Typed::new(plain, KqlType::Bool));
        }
        let l_lit = literal_non_null(&l.expr);
        let r_lit = literal_non_null(&r.expr);
        let e = match (l_lit, r_lit, negated) {
            // x == lit: false instead of null when x is null.
            (true, false, false) | (false, true, false) => {
                let other = if l_lit { r.expr } else { l.expr };
                plain.and(other.is_not_null())
            }
            // x != lit: true when x is null.
            (true, false, true) | (false, true, true) => {
                let other = if l_lit { r.expr } else { l.expr };
                plain.or(other.is_null())
            }
            (true, true, _) => plain,
            (false, false, _) => {
                let both_null = l.expr.clone().is_null().and(r.expr.clone().is_null());
                let one_null = l.expr.clone().is_null().or(r.expr.clone().is_null());
                when(both_null, lit(ScalarValue::Boolean(None)))
                    .when(one_null, lit(negated))
                    .otherwise(plain)
                    .map_err(|e| error::df_err(e, span))?
            }
        };
        Ok(Typed::new(e, KqlType::Bool))
    }

    /// Converts a value to text for string operators: strings and guids as they are,
    /// dynamic values via `tostring`; other types are a type error.
    pub(crate) fn stringish(&self, ctx: &ExprCtx, t: Typed, span: &Span) -> PResult<Typed> {
        match t.ty {
            KqlType::String | KqlType::Guid => Ok(t),
            KqlType::Dynamic => self.convert(ctx, t, KqlType::String, span),
            // KQL accepts numbers etc. on the left of string operators by converting them.
            _ => self.convert(ctx, t, KqlType::String, span),
        }
    }

    /// `has`, `contains`, `startswith`, ... and their negated / case-sensitive forms.
    fn string_predicate(
        &self,
        ctx: &ExprCtx,
        s: StrOp,
        l: Typed,
        r: Typed,
        span: &Span,
    ) -> PResult<Typed> {
        let l = self.stringish(ctx, l, span)?;
        let r = self.stringish(ctx, r, span)?;
        let base = match s.kind {
            StrOpKind::Has => "has",
            StrOpKind::HasPrefix => "hasprefix",
            StrOpKind::HasSuffix => "hassuffix",
            StrOpKind::Contains => "contains",
            StrOpKind::StartsWith => "startswith",
            StrOpKind::EndsWith => "endswith",
        };
        let name = if s.case_sensitive {
            format!("kql_{base}_cs")
        } else {
            format!("kql_{base}")
        };
        let udf = self.udf(&name, span)?;
        let e = udf.call(vec![l.expr, r.expr]);
        Ok(Typed::new(
            if s.negated { e.not() } else { e },
            KqlType::Bool,
        ))
    }

    /// Arithmetic with KQL typing.
    fn arithmetic(&self, op: BinaryOp, l: Typed, r: Typed, span: &Span) -> PResult<Typed> {
        use KqlType::*;
        let mismatch = |l: KqlType, r: KqlType| {
            err(
                error::TYPE_MISMATCH,
                format!(
                    "operator `{}` cannot be applied to {l} and {r}",
                    op_symbol(op)
                ),
                span,
            )
        };
        // Dynamic operands (typically mv-expanded values) behave as their numeric value.
        let l = self.numeric_dynamic(l);
        let r = self.numeric_dynamic(r);
        match (l.ty, r.ty) {
            (a, b) if a.is_numeric() && b.is_numeric() => {
                let t = numeric_result(a, b);
                let (le, re) = (self.promote(l, t).expr, self.promote(r, t).expr);
                let e = match op {
                    BinaryOp::Add => le + re,
                    BinaryOp::Sub => le - re,
                    BinaryOp::Mul => le * re,
                    BinaryOp::Div if t == Real => le / re,
                    // Integer division truncates; division by zero gives null.
                    BinaryOp::Div => le / nullif(re, lit(zero_of(t))),
                    _ => euclidean_mod(le, re, t),
                };
                Ok(Typed::new(e, t))
            }
            (DateTime, DateTime) if op == BinaryOp::Sub => {
                let e = ticks_ns(l.expr) - ticks_ns(r.expr);
                Ok(Typed::new(cast(e, TimeSpan.arrow()), TimeSpan))
            }
            (DateTime, TimeSpan) if matches!(op, BinaryOp::Add | BinaryOp::Sub) => {
                let o = if op == BinaryOp::Add {
                    Operator::Plus
                } else {
                    Operator::Minus
                };
                let e = binary_expr(ticks_ns(l.expr), o, ticks_ns(r.expr));
                Ok(Typed::new(cast(e, DateTime.arrow()), DateTime))
            }
            (TimeSpan, DateTime) if op == BinaryOp::Add => {
                let e = ticks_ns(l.expr) + ticks_ns(r.expr);
                Ok(Typed::new(cast(e, DateTime.arrow()), DateTime))
            }
            (TimeSpan, TimeSpan) => {
                let (le, re) = (ticks_ns(l.expr), ticks_ns(r.expr));
                match op {
                    BinaryOp::Add => Ok(Typed::new(cast(le + re, TimeSpan.arrow()), TimeSpan)),
                    BinaryOp::Sub => Ok(Typed::new(cast(le - re, TimeSpan.arrow()), TimeSpan)),
                    BinaryOp::Div => Ok(Typed::new(
                        cast(le, DataType::Float64) / cast(re, DataType::Float64),
                        Real,
                    )),
                    BinaryOp::Mod => Ok(Typed::new(
                        cast(euclidean_mod(le, re, Long), TimeSpan.arrow()),
                        TimeSpan,
                    )),
                    _ => Err(mismatch(TimeSpan, TimeSpan)),
                }
            }
            (TimeSpan, n) | (n, TimeSpan)
                if n.is_numeric()
                    && (op == BinaryOp::Mul || (op == BinaryOp::Div && l.ty == TimeSpan)) =>
            {
                let (ts, num) = if l.ty == TimeSpan { (l, r) } else { (r, l) };
                let ticks = cast(ticks_ns(ts.expr), DataType::Float64);
                let num = cast(num.expr, DataType::Float64);
                let e = if op == BinaryOp::Mul {
                    ticks * num
                } else {
                    ticks / num
                };
                // Round to whole 100 ns ticks (truncation toward zero, as .NET does).
                let e = cast(
                    cast(e / lit(100.0), DataType::Int64) * lit(100i64),
                    TimeSpan.arrow(),
                );
                Ok(Typed::new(e, TimeSpan))
            }
            (a, b) => Err(mismatch(a, b)),
        }
    }

    /// A dynamic operand in arithmetic: typed scalars keep their value type; JSON text is
    /// read as a real number.
    fn numeric_dynamic(&self, t: Typed) -> Typed {
        if t.ty != KqlType::Dynamic {
            return t;
        }
        // Typed scalars from mv-expand are numbers already; JSON text that is not a number
        // becomes null (try_cast), as KQL arithmetic on a non-numeric dynamic does.
        Typed::new(try_cast(t.expr, DataType::Float64), KqlType::Real)
    }

    /// `x [!]between (low .. high)`: inclusive on both ends; for datetime `x` the upper bound
    /// may be a timespan meaning `low + high`.
    pub(super) fn lower_between(
        &self,
        ctx: &ExprCtx,
        negated: bool,
        expr: &ast::Expr,
        low: &ast::Expr,
        high: &ast::Expr,
        span: &Span,
    ) -> PResult<Typed> {
        let vctx = ctx.value();
        let x = self.lower_expr(&vctx, expr)?;
        let lo = self.lower_expr(&vctx, low)?;
        let mut hi = self.lower_expr(&vctx, high)?;
        if matches!(x.ty, KqlType::DateTime) && hi.ty == KqlType::TimeSpan {
            hi = self.arithmetic(BinaryOp::Add, lo.clone(), hi, span)?;
        }
        let ge = self.binary_values(&vctx, BinaryOp::Ge, x.clone(), lo, span)?;
        let le = self.binary_values(&vctx, BinaryOp::Le, x, hi, span)?;
        let e = ge.expr.and(le.expr);
        Ok(Typed::new(if negated { e.not() } else { e }, KqlType::Bool))
    }
}

/// True when `e` is a non-null literal.
fn literal_non_null(e: &Expr) -> bool {
    matches!(e, Expr::Literal(v, _) if !v.is_null())
}

/// The nanosecond count of a datetime/timespan expression, as Int64.
fn ticks_ns(e: Expr) -> Expr {
    cast(e, DataType::Int64)
}

fn zero_of(t: KqlType) -> ScalarValue {
    match t {
        KqlType::Int => ScalarValue::Int32(Some(0)),
        KqlType::Real => ScalarValue::Float64(Some(0.0)),
        _ => ScalarValue::Int64(Some(0)),
    }
}

/// `a % b` that is never negative: `((a % b) + |b|) % |b|`; `b == 0` gives null.
fn euclidean_mod(a: Expr, b: Expr, t: KqlType) -> Expr {
    let b = nullif(b, lit(zero_of(t)));
    let m = binary_expr(a, Operator::Modulo, b.clone());
    binary_expr(m + abs(b.clone()), Operator::Modulo, abs(b))
}

fn op_symbol(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        _ => "?",
    }
}

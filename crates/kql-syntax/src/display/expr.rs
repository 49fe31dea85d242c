//! Display of expressions with minimal parentheses.

use super::{fmt_ident, sep_by};
use crate::ast::{Arg, BinaryOp, Expr, ExprKind, ListOp, Spanned, StrOp, StrOpKind, UnaryOp};
use std::fmt::{self, Display, Formatter, Write};

/// Precedence of an expression (higher binds tighter): 0 pipelines and source operators,
/// 1 `or`, 2 `and`, 3 comparisons/string/list/between, 4 `+ -`, 5 `* / %`, 6 unary,
/// 7 postfix and primary.
pub(crate) fn prec(e: &ExprKind) -> u8 {
    match e {
        ExprKind::Pipeline { .. } | ExprKind::Source(_) => 0,
        ExprKind::Binary { op, .. } => binary_prec(*op),
        ExprKind::List { .. } | ExprKind::Between { .. } => 3,
        ExprKind::Unary { .. } => 6,
        _ => 7,
    }
}

fn binary_prec(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Add | BinaryOp::Sub => 4,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 5,
        _ => 3,
    }
}

/// An expression printed in a context that needs at least precedence `.1`.
pub(crate) struct ExprIn<'a>(pub &'a Expr, pub u8);

impl Display for ExprIn<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        fmt_kind(f, &self.0.node, self.1)
    }
}

impl<T: Display> Display for Spanned<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.node.fmt(f)
    }
}

/// A statement-level expression: pipelines one operator per line.
pub(crate) fn fmt_top(f: &mut Formatter<'_>, e: &Expr) -> fmt::Result {
    match &e.node {
        ExprKind::Pipeline { source, ops } => {
            let mut first = true;
            if let Some(src) = source {
                fmt_source(f, src)?;
                first = false;
            }
            for op in ops {
                if first {
                    write!(f, "{op}")?;
                    first = false;
                } else {
                    write!(f, "\n| {op}")?;
                }
            }
            Ok(())
        }
        _ => fmt_kind(f, &e.node, 0),
    }
}

fn fmt_source(f: &mut Formatter<'_>, src: &Expr) -> fmt::Result {
    match &src.node {
        ExprKind::Source(op) => write!(f, "{op}"),
        other => fmt_kind(f, other, 1),
    }
}

fn str_op_name(s: StrOp) -> String {
    let base = match s.kind {
        StrOpKind::Has => "has",
        StrOpKind::HasPrefix => "hasprefix",
        StrOpKind::HasSuffix => "hassuffix",
        StrOpKind::Contains => "contains",
        StrOpKind::StartsWith => "startswith",
        StrOpKind::EndsWith => "endswith",
    };
    format!(
        "{}{base}{}",
        if s.negated { "!" } else { "" },
        if s.case_sensitive { "_cs" } else { "" }
    )
}

/// The KQL spelling of a binary operator.
pub(crate) fn binary_op_name(op: BinaryOp) -> String {
    match op {
        BinaryOp::Or => "or".into(),
        BinaryOp::And => "and".into(),
        BinaryOp::Eq => "==".into(),
        BinaryOp::NotEq => "!=".into(),
        BinaryOp::Lt => "<".into(),
        BinaryOp::Le => "<=".into(),
        BinaryOp::Gt => ">".into(),
        BinaryOp::Ge => ">=".into(),
        BinaryOp::EqCi => "=~".into(),
        BinaryOp::NotEqCi => "!~".into(),
        BinaryOp::Str(s) => str_op_name(s),
        BinaryOp::MatchesRegex => "matches regex".into(),
        BinaryOp::Add => "+".into(),
        BinaryOp::Sub => "-".into(),
        BinaryOp::Mul => "*".into(),
        BinaryOp::Div => "/".into(),
        BinaryOp::Mod => "%".into(),
    }
}

fn list_op_name(op: ListOp) -> &'static str {
    match op {
        ListOp::In => "in",
        ListOp::NotIn => "!in",
        ListOp::InCi => "in~",
        ListOp::NotInCi => "!in~",
        ListOp::HasAny => "has_any",
        ListOp::HasAll => "has_all",
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        fmt_arg(f, self, 0)
    }
}

/// `[name = ]value`, the value printed at precedence `min`.
fn fmt_arg(f: &mut Formatter<'_>, a: &Arg, min: u8) -> fmt::Result {
    if let Some(n) = &a.name {
        write!(f, "{} = ", fmt_ident(&n.name))?;
    }
    write!(f, "{}", ExprIn(&a.value, min))
}

/// The minimum precedence for the `n`-th of `len` comma-separated items: a pipeline
/// that is not the last item is parenthesized, or its last operator would swallow the
/// comma and the items after it (`f(T | project a, b)`).
fn item_prec(e: &Expr, n: usize, len: usize) -> u8 {
    match &e.node {
        ExprKind::Pipeline { ops, .. } if !ops.is_empty() && n + 1 < len => 1,
        _ => 0,
    }
}

/// Comma-separated call arguments, each as [`item_prec`] requires.
fn fmt_args(f: &mut Formatter<'_>, args: &[Arg]) -> fmt::Result {
    for (n, a) in args.iter().enumerate() {
        if n > 0 {
            f.write_str(", ")?;
        }
        fmt_arg(f, a, item_prec(&a.value, n, args.len()))?;
    }
    Ok(())
}

/// Prints `e` with parentheses if its precedence is below `min`.
pub(crate) fn fmt_kind(f: &mut Formatter<'_>, e: &ExprKind, min: u8) -> fmt::Result {
    if prec(e) < min {
        f.write_char('(')?;
        fmt_kind(f, e, 0)?;
        return f.write_char(')');
    }
    match e {
        ExprKind::Literal(l) => write!(f, "{l}"),
        ExprKind::Name(id) => f.write_str(&fmt_ident(&id.name)),
        ExprKind::NamePattern(id) => f.write_str(&id.name),
        ExprKind::Star => f.write_char('*'),
        ExprKind::Member { target, name } => {
            fmt_kind(f, &target.node, 7)?;
            write!(f, ".{}", fmt_ident(&name.name))
        }
        ExprKind::Index { target, index } => {
            fmt_kind(f, &target.node, 7)?;
            write!(f, "[{}]", ExprIn(index, 0))
        }
        ExprKind::Call { name, args } => {
            f.write_str(&fmt_ident(&name.name))?;
            f.write_char('(')?;
            fmt_args(f, args)?;
            f.write_char(')')
        }
        ExprKind::Unary { op, operand } => {
            f.write_char(match op {
                UnaryOp::Neg => '-',
                UnaryOp::Plus => '+',
            })?;
            fmt_kind(f, &operand.node, 6)
        }
        ExprKind::Binary { op, left, right } => {
            let p = binary_prec(*op);
            fmt_kind(f, &left.node, p)?;
            write!(f, " {} ", binary_op_name(*op))?;
            fmt_kind(f, &right.node, p + 1)
        }
        ExprKind::List { op, expr, items } => {
            fmt_kind(f, &expr.node, 3)?;
            write!(f, " {} (", list_op_name(*op))?;
            for (n, it) in items.iter().enumerate() {
                if n > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{}", ExprIn(it, item_prec(it, n, items.len())))?;
            }
            f.write_char(')')
        }
        ExprKind::Between {
            negated,
            expr,
            low,
            high,
        } => {
            fmt_kind(f, &expr.node, 3)?;
            write!(
                f,
                " {}between ({} .. {})",
                if *negated { "!" } else { "" },
                ExprIn(low, 4),
                ExprIn(high, 4)
            )
        }
        ExprKind::TypeOf(t) => write!(f, "typeof({})", t.node),
        ExprKind::Pipeline { source, ops } => {
            let mut first = true;
            if let Some(src) = source {
                fmt_source(f, src)?;
                first = false;
            }
            for op in ops {
                if !first {
                    f.write_str(" | ")?;
                }
                first = false;
                write!(f, "{op}")?;
            }
            Ok(())
        }
        ExprKind::Datatable { columns, values } => {
            f.write_str("datatable(")?;
            sep_by(f, columns, ", ")?;
            f.write_str(") [")?;
            for (n, v) in values.iter().enumerate() {
                if n > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{}", ExprIn(v, 1))?;
            }
            f.write_char(']')
        }
        ExprKind::Source(op) => write!(f, "{op}"),
    }
}

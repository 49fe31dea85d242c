//! `Display` for the AST: canonical KQL text that re-parses to an equal AST.
//!
//! * Top-level pipelines print one operator per line (`T\n| where x\n| take 5`); nested
//!   pipelines print inline (`(T | where x)`).
//! * Parentheses are inserted only where precedence needs them ([`prec`]).
//! * Strings are re-escaped; identifiers are bracketed (`['x y']`) when they are not plain
//!   identifiers or are keywords.

mod expr;
mod literal;
mod operator;

use crate::ast::{
    ColumnDecl, ExprKind, FunctionDef, LetStmt, LetValue, Param, ParamType, Query, StatementKind,
};
use std::fmt::{self, Display, Formatter, Write};

pub(crate) use expr::ExprIn;
pub(crate) use literal::{fmt_ident, fmt_string};

/// Words printed in brackets when used as names, so that they re-parse as names.
const RESERVED: &[&str] = &[
    "and",
    "or",
    "true",
    "false",
    "True",
    "False",
    "TRUE",
    "FALSE",
    "null",
    "in",
    "between",
    "has",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "contains",
    "contains_cs",
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "has_any",
    "has_all",
    "matches",
    "notcontains",
    "notcontains_cs",
    "nothas",
    "nothas_cs",
    "containscs",
    "notcontainscs",
    "let",
    "set",
    "declare",
    "view",
    "print",
    "union",
    "range",
    "search",
    "find",
    "externaldata",
    "evaluate",
    "datatable",
    "typeof",
    "datetime",
    "date",
    "timespan",
    "time",
    "guid",
    "dynamic",
    "int",
    "long",
    "real",
    "double",
    "decimal",
    "bool",
    "boolean",
    "by",
    "on",
    "with",
    "of",
    "from",
    "to",
    "step",
    "asc",
    "desc",
    "nulls",
    "limit",
    "default",
    "as",
    "kind",
    "withsource",
    "isfuzzy",
    "with_itemindex",
    "bagexpansion",
    "flags",
    "where",
    "others",
    "regex",
];

/// True when `name` can be printed without brackets.
pub(crate) fn is_plain_ident(name: &str) -> bool {
    crate::lexer::ident_len(name) == name.len()
        && !name.is_empty()
        && !RESERVED.contains(&name)
        && (!name.starts_with('$') || name == "$left" || name == "$right")
        && !name.chars().skip(1).any(|c| c == '$')
}

/// Writes `items` separated by `sep`.
pub(crate) fn sep_by<T: Display>(f: &mut Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
    for (n, it) in items.iter().enumerate() {
        if n > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{it}")?;
    }
    Ok(())
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (n, st) in self.statements.iter().enumerate() {
            if n > 0 {
                f.write_str(";\n")?;
            }
            write!(f, "{}", st.node)?;
        }
        Ok(())
    }
}

impl Display for StatementKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            StatementKind::Let(l) => write!(f, "{l}"),
            StatementKind::Expr(e) => expr::fmt_top(f, e),
            StatementKind::Set { name, value } => {
                write!(f, "set {}", name.name)?;
                if let Some(v) = value {
                    write!(f, " = {}", ExprIn(v, 1))?;
                }
                Ok(())
            }
            StatementKind::DeclareQueryParameters(ps) => {
                f.write_str("declare query_parameters(")?;
                sep_by(f, ps, ", ")?;
                f.write_char(')')
            }
        }
    }
}

impl Display for LetStmt {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "let {} = ", fmt_ident(&self.name.name))?;
        match &self.value {
            LetValue::Expr(e) => expr::fmt_top(f, e),
            LetValue::Function(fd) => write!(f, "{fd}"),
        }
    }
}

impl Display for FunctionDef {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.is_view {
            f.write_str("view ")?;
        }
        f.write_char('(')?;
        sep_by(f, &self.params, ", ")?;
        f.write_str(") { ")?;
        for l in &self.body.lets {
            write!(f, "{}; ", l.node)?;
        }
        write!(f, "{} }}", ExprIn(&self.body.expr, 0))
    }
}

impl Display for Param {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", fmt_ident(&self.name.name), self.ty)?;
        if let Some(d) = &self.default {
            write!(f, " = {}", ExprIn(d, 1))?;
        }
        Ok(())
    }
}

impl Display for ParamType {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ParamType::Scalar(t) => write!(f, "{}", t.node),
            ParamType::Tabular { columns: None, .. } => f.write_str("(*)"),
            ParamType::Tabular {
                columns: Some(cols),
                open,
            } => {
                f.write_char('(')?;
                sep_by(f, cols, ", ")?;
                if *open {
                    if !cols.is_empty() {
                        f.write_str(", ")?;
                    }
                    f.write_char('*')?;
                }
                f.write_char(')')
            }
        }
    }
}

impl Display for ColumnDecl {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", fmt_ident(&self.name.name), self.ty.node)
    }
}

impl Display for ExprKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        expr::fmt_kind(f, self, 0)
    }
}

//! `kql-syntax`: the KQL front end. A nom 8 parser turns query text into the spanned AST of
//! [`ast`]; [`Display`](std::fmt::Display) prints any AST node back as canonical KQL; every
//! problem is a [`Diagnostic`] with a stable code and a byte span.
//!
//! This crate has no DataFusion dependency and compiles in seconds.
//!
//! ```
//! let q = kql_syntax::parse_query("T | where x > 1 | take 5").unwrap();
//! assert_eq!(q.to_string(), "T\n| where x > 1\n| take 5");
//! let err = kql_syntax::parse_query("T | summarize count() bye x").unwrap_err();
//! assert_eq!(err.code, "KQL1002");
//! ```

pub mod ast;
pub mod codes;
pub(crate) mod depth;
pub mod diagnostic;
mod display;
pub(crate) mod error;
pub(crate) mod expr;
pub(crate) mod lexer;
pub mod literal;
pub(crate) mod operators;
pub(crate) mod statement;
pub mod suggest;

pub use depth::MAX_DEPTH;
pub use diagnostic::{Diagnostic, Severity};
pub use operators::KNOWN_OPERATORS;

/// Parses a whole query text (statements separated by `;`).
pub fn parse_query(src: &str) -> Result<ast::Query, Diagnostic> {
    depth::with_source(src, || match statement::query(src) {
        Ok((_, q)) => Ok(q),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_diagnostic(src.len())),
        Err(nom::Err::Incomplete(_)) => Err(Diagnostic::error(
            codes::UNEXPECTED_TOKEN,
            "unexpected end of input",
            src.len()..src.len(),
        )),
    })
}

/// Parses a single expression (scalar or tabular), e.g. for tests and the REPL.
pub fn parse_expr(src: &str) -> Result<ast::Expr, Diagnostic> {
    depth::with_source(src, || {
        let r = expr::pipe_expr(src).and_then(|(r, e)| {
            let t = lexer::ws(r);
            if t.is_empty() {
                Ok((t, e))
            } else {
                Err(nom::Err::Failure(statement::trailing(t)))
            }
        });
        match r {
            Ok((_, e)) => Ok(e),
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_diagnostic(src.len())),
            Err(nom::Err::Incomplete(_)) => Err(Diagnostic::error(
                codes::UNEXPECTED_TOKEN,
                "unexpected end of input",
                src.len()..src.len(),
            )),
        }
    })
}

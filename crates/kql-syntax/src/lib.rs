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

#[cfg(test)]
mod tests {
    use super::*;
    use ast::{ExprKind, Literal, OperatorKind, StatementKind};

    fn expr(src: &str) -> ExprKind {
        parse_expr(src)
            .unwrap_or_else(|d| panic!("{src}: {d}"))
            .node
    }

    #[test]
    fn source_keywords_are_names_when_used_as_columns() {
        assert!(matches!(expr("print == 1"), ExprKind::Binary { .. }));
        assert!(matches!(expr("range(1, 10, 2)"), ExprKind::Call { .. }));
        assert!(matches!(
            expr("range x from 1 to 3 step 1"),
            ExprKind::Source(_)
        ));
        assert!(matches!(expr("union + 1"), ExprKind::Binary { .. }));
        assert!(matches!(expr("union T, U"), ExprKind::Source(_)));
        assert!(matches!(expr("print(ago(1d))"), ExprKind::Source(_)));
    }

    #[test]
    fn in_needs_a_parenthesised_list() {
        let q = parse_query("T | make-series count() on t in range(1, 10, 1)").unwrap();
        let StatementKind::Expr(e) = &q.statements[0].node else {
            panic!()
        };
        let ExprKind::Pipeline { ops, .. } = &e.node else {
            panic!()
        };
        assert!(matches!(ops[0].node, OperatorKind::MakeSeries { .. }));
        assert!(matches!(expr("x in (1, 2)"), ExprKind::List { .. }));
    }

    #[test]
    fn range_dots_are_not_members() {
        let ExprKind::Between { low, high, .. } = expr("x between (1..10)") else {
            panic!()
        };
        assert_eq!(low.node, ExprKind::Literal(Literal::Long(Some(1))));
        assert_eq!(high.node, ExprKind::Literal(Literal::Long(Some(10))));
    }

    #[test]
    fn spans_cover_the_source_text() {
        let src = "T | where x == 'a'";
        let e = parse_expr(src).unwrap();
        assert_eq!(e.span, 0..src.len());
        let ExprKind::Pipeline { ops, .. } = e.node else {
            panic!()
        };
        assert_eq!(&src[ops[0].span.clone()], "where x == 'a'");
    }

    #[test]
    fn known_operators_are_sorted_and_parse() {
        let mut sorted = KNOWN_OPERATORS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, KNOWN_OPERATORS);
        for op in KNOWN_OPERATORS {
            let d = parse_query(&format!("T | {op} ~")).unwrap_err();
            assert_ne!(d.code, codes::UNKNOWN_OPERATOR, "{op}");
        }
    }
}

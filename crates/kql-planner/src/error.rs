//! Diagnostic codes and constructors of the planner (`KQL2xxx` binding/typing,
//! `KQL3xxx` not supported, `KQL4xxx` data/execution).

use kql_syntax::Diagnostic;
use kql_syntax::ast::Span;

/// Result type of planning functions.
pub type PResult<T> = Result<T, Diagnostic>;

/// Unknown column, table, function or let-bound name.
pub const UNKNOWN_NAME: &str = "KQL2001";
/// Type error (operands or arguments of the wrong type).
pub const TYPE_MISMATCH: &str = "KQL2002";
/// Wrong number or kind of arguments.
pub const BAD_ARGUMENTS: &str = "KQL2003";
/// An argument must be a constant (literal) but is not.
pub const NOT_CONSTANT: &str = "KQL2004";
/// Duplicate output column name.
pub const DUPLICATE_COLUMN: &str = "KQL2005";
/// A name that is ambiguous (e.g. in `join ... where`).
pub const AMBIGUOUS: &str = "KQL2006";
/// An expression used where a tabular (or scalar) expression is required.
pub const WRONG_KIND: &str = "KQL2007";
/// Invalid operator parameter (`kind=`, `withsource=` ...).
pub const BAD_PARAMETER: &str = "KQL2008";
/// Nesting too deep while planning.
pub const TOO_DEEP: &str = "KQL2009";
/// Invalid value in a literal or constant (bad datetime text, bad regex ...).
pub const BAD_VALUE: &str = "KQL2010";
/// A known KQL feature that this engine does not support yet.
pub const NOT_SUPPORTED: &str = "KQL3001";
/// Execution failed.
pub const EXECUTION: &str = "KQL4001";
/// Internal planner error (a bug: the message says so).
pub const INTERNAL: &str = "KQL4900";

/// An error with `code` at `span`.
pub fn err(code: &'static str, message: impl Into<String>, span: &Span) -> Diagnostic {
    Diagnostic::error(code, message, span.clone())
}

/// "not supported yet: NAME".
pub fn not_supported(what: impl std::fmt::Display, span: &Span) -> Diagnostic {
    Diagnostic::error(
        NOT_SUPPORTED,
        format!("not supported yet: {what}"),
        span.clone(),
    )
}

/// Wraps a DataFusion error raised while building a plan for the construct at `span`.
pub fn df_err(e: datafusion::error::DataFusionError, span: &Span) -> Diagnostic {
    let msg = e.strip_backtrace();
    Diagnostic::error(
        INTERNAL,
        format!("internal planner error: {msg}"),
        span.clone(),
    )
    .with_note("this is a bug in the engine; please report the query")
}

/// Adds "did you mean `X`?" to `d` when a candidate is close to `name`.
pub fn with_suggestion<'a>(
    d: Diagnostic,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    match kql_syntax::suggest::closest(name, candidates) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d,
    }
}

/// Extension to map DataFusion results into diagnostics at a span.
pub trait DfResultExt<T> {
    /// Converts a DataFusion error into an internal-error diagnostic at `span`.
    fn at(self, span: &Span) -> PResult<T>;
}

impl<T> DfResultExt<T> for datafusion::common::Result<T> {
    fn at(self, span: &Span) -> PResult<T> {
        self.map_err(|e| df_err(e, span))
    }
}

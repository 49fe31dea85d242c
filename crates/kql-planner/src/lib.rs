//! `kql-planner`: binds a KQL AST and lowers it directly to DataFusion `LogicalPlan`s
//! (never through SQL text), with ADX semantics.
//!
//! Entry point: [`Planner::plan_query`] over a [`Catalog`]. Expressions are lowered in
//! `expr/`, operators in `operators/` (one file per family), functions through the registry
//! in `functions/`.

pub mod catalog;
pub mod error;
mod expr;
mod functions;
mod naming;
mod operators;
mod planner;
pub mod rel;
mod scope;

mod tabular;
pub mod types;

pub use catalog::{Catalog, CatalogError, EmptyCatalog, StoredFunction};
pub use expr::Typed;
pub use planner::{PlannedQuery, Planner, PlannerOptions};
pub use rel::{Col, Rel};
pub use tabular::UNKNOWN_TABLE;
pub use types::{KQL_TYPE_KEY, KqlType};

/// Names of the built-in functions the planner supports (scalar, window and aggregate), for
/// completion in the REPL. Known but unsupported KQL functions are not listed.
pub fn function_names() -> Vec<&'static str> {
    let mut v = functions::supported_names();
    v.sort_unstable();
    v.dedup();
    v
}

/// Parses the text of a `datetime(...)` literal or an RFC 3339 instant (used for `--now`):
/// nanoseconds since the Unix epoch, truncated to 100 ns.
pub fn parse_datetime_text(text: &str) -> Option<i64> {
    expr::parse_datetime_literal(text)
}

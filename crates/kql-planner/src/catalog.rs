//! The [`Catalog`] trait: the planner's only way to reach tables, stored functions,
//! watchlists and execution (for `toscalar` and `materialize`, which KQL evaluates once per
//! query before the rest of the plan).

use crate::rel::Rel;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::logical_expr::LogicalPlan;
use kql_syntax::ast::FunctionDef;
use std::sync::Arc;

/// A stored function (e.g. the ASIM parser `_Im_NetworkSession`), defined in KQL text.
#[derive(Clone, Debug)]
pub struct StoredFunction {
    /// Function name.
    pub name: String,
    /// The parsed definition; spans point into `source`.
    pub def: FunctionDef,
    /// The KQL text the definition was parsed from.
    pub source: Arc<str>,
    /// Where the text came from (file path or `builtin:asim/network_session.kql`).
    pub origin: String,
}

/// Errors a catalog reports (unreadable Parquet, bad watchlist CSV, execution failures).
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogError {
    /// Stable diagnostic code (`KQL4xxx`).
    pub code: &'static str,
    /// Message.
    pub message: String,
}

impl CatalogError {
    /// A data error (`KQL4002`).
    pub fn data(message: impl Into<String>) -> Self {
        CatalogError {
            code: "KQL4002",
            message: message.into(),
        }
    }

    /// An execution error (`KQL4001`).
    pub fn execution(message: impl Into<String>) -> Self {
        CatalogError {
            code: "KQL4001",
            message: message.into(),
        }
    }
}

/// What the planner needs from the outside world.
pub trait Catalog {
    /// The table called `name` (exact, case-sensitive), as a relation whose columns already
    /// have KQL types and KQL physical representations (e.g. strings never null).
    fn table(&self, name: &str) -> Result<Option<Rel>, CatalogError>;

    /// All table names (for suggestions and wildcard `union`).
    fn table_names(&self) -> Vec<String>;

    /// The stored function called `name`.
    fn function(&self, name: &str) -> Option<Arc<StoredFunction>>;

    /// All stored function names (for suggestions).
    fn function_names(&self) -> Vec<String>;

    /// The watchlist with alias `alias` (`_GetWatchlist('alias')`).
    fn watchlist(&self, alias: &str) -> Result<Option<Rel>, CatalogError>;

    /// Executes `plan` now and returns its rows (used for `toscalar` and `materialize`).
    fn execute(&self, plan: LogicalPlan) -> Result<Vec<RecordBatch>, CatalogError>;

    /// The known column layout of a watchlist that is not available, for planning-only
    /// checks (`kql check`); `None` when unknown.
    fn watchlist_layout(&self, _alias: &str) -> Option<Vec<String>> {
        None
    }
}

/// A catalog with nothing in it; `execute` still works (in-memory plans only would need a
/// runtime, so it refuses). Useful for parser-level tests.
#[derive(Debug, Default)]
pub struct EmptyCatalog;

impl Catalog for EmptyCatalog {
    fn table(&self, _name: &str) -> Result<Option<Rel>, CatalogError> {
        Ok(None)
    }
    fn table_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn function(&self, _name: &str) -> Option<Arc<StoredFunction>> {
        None
    }
    fn function_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn watchlist(&self, _alias: &str) -> Result<Option<Rel>, CatalogError> {
        Ok(None)
    }
    fn execute(&self, _plan: LogicalPlan) -> Result<Vec<RecordBatch>, CatalogError> {
        Err(CatalogError::execution(
            "this catalog cannot execute plans (toscalar/materialize need a session)",
        ))
    }
}

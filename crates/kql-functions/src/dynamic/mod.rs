//! KQL dynamic functions over the JSON-text and typed-list forms of `dynamic`.

use datafusion::logical_expr::ScalarUDF;
use std::sync::Arc;

pub mod json;
pub(crate) mod value;

pub use crate::convert::FunctionDoc;

/// The scalar UDFs of this module.
pub fn scalar_udfs() -> Vec<Arc<ScalarUDF>> {
    Vec::new()
}

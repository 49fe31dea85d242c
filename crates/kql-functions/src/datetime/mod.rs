//! KQL datetime functions.

use datafusion::logical_expr::ScalarUDF;
use std::sync::Arc;

/// The scalar UDFs of this module.
pub fn scalar_udfs() -> Vec<Arc<ScalarUDF>> {
    Vec::new()
}

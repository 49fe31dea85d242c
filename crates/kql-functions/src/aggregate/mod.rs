//! KQL aggregate functions.

use datafusion::logical_expr::AggregateUDF;
use std::sync::Arc;

/// The aggregate UDFs of this module.
pub fn aggregate_udfs() -> Vec<Arc<AggregateUDF>> {
    Vec::new()
}

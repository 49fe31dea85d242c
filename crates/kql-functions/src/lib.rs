//! `kql-functions`: DataFusion scalar and aggregate UDFs implementing KQL semantics.
//!
//! Every UDF is registered under a `kql_`-prefixed name; the planner's function registry maps
//! KQL function names (and operators such as `has`) onto them. Conventions (physical types,
//! null rules, no panics) are in `docs/design.md`.

use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use std::sync::Arc;

pub mod aggregate;
pub mod common;
pub mod convert;
pub mod datetime;
pub mod dynamic;
pub mod ip;
pub mod make_series;
pub mod math;
pub mod series;
pub mod string;

/// Every scalar UDF of this crate.
pub fn scalar_udfs() -> Vec<Arc<ScalarUDF>> {
    let mut v = Vec::new();
    v.extend(string::scalar_udfs());
    v.extend(convert::scalar_udfs());
    v.extend(datetime::scalar_udfs());
    v.extend(ip::scalar_udfs());
    v.extend(math::scalar_udfs());
    v.extend(dynamic::scalar_udfs());
    v.extend(series::scalar_udfs());
    v
}

/// Every aggregate UDF of this crate.
pub fn aggregate_udfs() -> Vec<Arc<AggregateUDF>> {
    let mut v = Vec::new();
    v.extend(aggregate::aggregate_udfs());
    v.extend(make_series::aggregate_udfs());
    v
}

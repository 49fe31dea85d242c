//! KQL conversion functions (`tostring`, `toint`, `todatetime`, ...), the KQL text formats
//! of scalar values and the text parsers used for literals.
//!
//! Plain-Rust API reused by the planner and the CLI: [`format_real`], [`format_datetime`],
//! [`format_timespan`], [`parse_datetime`], [`parse_timespan`].

use datafusion::logical_expr::ScalarUDF;
use std::sync::Arc;

pub mod format;
pub(crate) mod kit;
pub mod parse;
pub mod udfs;

#[cfg(test)]
mod tests_e2e;

pub use format::{format_datetime, format_real, format_timespan, value_to_string};
pub use parse::{parse_datetime, parse_timespan};
pub use udfs::*;

/// The scalar UDFs of this module.
pub fn scalar_udfs() -> Vec<Arc<ScalarUDF>> {
    udfs::udfs()
}

/// One row of a module's function table (shared by every module).
pub use crate::math::FunctionDoc;

/// Every conversion function of this module.
pub const FUNCTIONS: &[FunctionDoc] = &[
    FunctionDoc {
        kql: "tostring",
        udf: "kql_tostring",
        args: "any physical type except dynamic JSON text (Utf8 = string, returned as is)",
        returns: "Utf8 (never null)",
        notes: "for a dynamic held as JSON text call kql_dynamic_to(x, 'string') instead",
    },
    FunctionDoc {
        kql: "toint",
        udf: "kql_toint",
        args: "any scalar type (Utf8 = string)",
        returns: "Int32",
        notes: "dynamic JSON text: kql_dynamic_to(x, 'int')",
    },
    FunctionDoc {
        kql: "tolong",
        udf: "kql_tolong",
        args: "any scalar type (Utf8 = string)",
        returns: "Int64",
        notes: "datetime → ticks since 0001-01-01, timespan → ticks; dynamic: kql_dynamic_to(x, 'long')",
    },
    FunctionDoc {
        kql: "todouble/toreal",
        udf: "kql_todouble",
        args: "any scalar type (Utf8 = string)",
        returns: "Float64",
        notes: "dynamic: kql_dynamic_to(x, 'real')",
    },
    FunctionDoc {
        kql: "tobool/toboolean",
        udf: "kql_tobool",
        args: "any scalar type (Utf8 = string)",
        returns: "Boolean",
        notes: "dynamic: kql_dynamic_to(x, 'bool')",
    },
    FunctionDoc {
        kql: "toguid",
        udf: "kql_toguid",
        args: "Utf8",
        returns: "Utf8 (guid; null when invalid)",
        notes: "guid input: the planner may skip the call",
    },
    FunctionDoc {
        kql: "todatetime/todate",
        udf: "kql_todatetime",
        args: "Utf8 string or Timestamp",
        returns: "Timestamp(ns, UTC)",
        notes: "dynamic: kql_dynamic_to(x, 'datetime'); numbers → null",
    },
    FunctionDoc {
        kql: "totimespan/totime",
        udf: "kql_totimespan",
        args: "Utf8 string or Duration",
        returns: "Duration(ns)",
        notes: "dynamic: kql_dynamic_to(x, 'timespan')",
    },
    FunctionDoc {
        kql: "todecimal",
        udf: "kql_todecimal",
        args: "any scalar type (Utf8 = string)",
        returns: "Decimal128(38, 18)",
        notes: "dynamic: kql_dynamic_to(x, 'decimal')",
    },
];

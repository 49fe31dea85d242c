//! kql-series

//! kql-engine integration tests (one binary): result files (`tests/results/*.kqltest`), planner
//! snapshots (`plans`), the built-in ASIM library (`asim`) and the Parquet scan (`scan`).

mod asim;
mod plans;
mod results;
mod scan;

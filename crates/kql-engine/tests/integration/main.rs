//! kql-engine integration tests (one binary): result files (`tests/results/*.kqltest`), planner
//! snapshots (`plans`) and the built-in ASIM library (`asim`).

mod asim;
mod plans;
mod results;

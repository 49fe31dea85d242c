//! kql-engine integration tests (one binary): result files (`tests/results/*.kqltest`) and
//! the built-in ASIM library (`asim`).

mod asim;
mod results;

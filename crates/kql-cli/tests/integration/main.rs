//! The `kql` binary end to end (one test binary): `check` output formats and exit codes,
//! planning the Sentinel corpus, golden results of the seed rules and example queries.

mod check;
mod common;
mod corpus;
mod golden;

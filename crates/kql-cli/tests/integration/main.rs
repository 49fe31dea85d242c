//! The `kql` binary end to end (one test binary): `check` output formats and exit codes,
//! planning the Sentinel corpus.

mod check;
mod common;
mod corpus;

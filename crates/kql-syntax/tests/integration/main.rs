//! The one integration test binary of `kql-syntax`.

mod common;
mod corpus;
mod errors;
mod fuzz;
mod roundtrip;
mod snapshots;

//! `kql-engine`: a [`Session`] ties the planner to DataFusion execution over a catalog of
//! Parquet tables, watchlists and stored functions, with a pinned `now`.

pub mod format;
pub mod kqltest;
pub mod library;
pub mod schema_file;
pub mod session;
pub mod table;
pub mod watchlist;

pub use session::{
    CancelToken, QueryOutput, ResultSet, Session, SessionOptions, base_config, parse_memory_size,
};

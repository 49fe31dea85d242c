//! Helpers shared by the UDF implementations.

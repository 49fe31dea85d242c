//! `kql-syntax`: the KQL front end. A nom 8 parser turns query text into the spanned AST of
//! [`ast`]; [`Display`](std::fmt::Display) prints any AST node back as canonical KQL; every
//! problem is a [`Diagnostic`] with a stable code and a byte span.
//!
//! This crate has no DataFusion dependency and compiles in seconds.

pub mod ast;
pub mod diagnostic;

pub use diagnostic::{Diagnostic, Severity};

//! The crate-private nom error type, the `expect`/cut helpers, and the conversion of a
//! failed parse into a [`Diagnostic`].
//!
//! Errors keep the *furthest* position reached (`or`) and the *innermost* description
//! (`append` keeps the existing error), as in IOx's InfluxQL parser. Once a construct is
//! committed (after `summarize`, after `join kind=`, after an opening bracket), parsers
//! return `nom::Err::Failure` so that backtracking cannot discard the precise message.

use crate::ast::Span;
use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::lexer;
use nom::error::{ErrorKind, ParseError};

/// What went wrong.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    /// A nom primitive failed (no better description available).
    Nom(ErrorKind),
    /// "expected `what`, found <token at the error position>"; `code` is the diagnostic code.
    Expected {
        /// Diagnostic code.
        code: &'static str,
        /// What was expected, already formatted (e.g. "`by` after summarize aggregates").
        what: String,
        /// Optional help text.
        help: Option<String>,
    },
    /// A fully formed message covering `len` bytes from the error position.
    Custom {
        /// Diagnostic code.
        code: &'static str,
        /// Message.
        msg: String,
        /// Length of the span in bytes.
        len: usize,
        /// Optional help text.
        help: Option<String>,
    },
}

/// The parser error: where (the remaining input) and what.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PErr<'a> {
    /// The remaining input at the error position.
    pub at: &'a str,
    /// The error description.
    pub kind: Kind,
}

/// The result type of every parser function.
pub(crate) type PResult<'a, T> = nom::IResult<&'a str, T, PErr<'a>>;

impl<'a> PErr<'a> {
    /// "expected `what`, found ..." at `at` (code KQL1001).
    pub fn expected(at: &'a str, what: impl Into<String>) -> Self {
        PErr {
            at,
            kind: Kind::Expected {
                code: codes::UNEXPECTED_TOKEN,
                what: what.into(),
                help: None,
            },
        }
    }

    /// "expected `what`, found ..." with an explicit code.
    pub fn expected_code(at: &'a str, code: &'static str, what: impl Into<String>) -> Self {
        PErr {
            at,
            kind: Kind::Expected {
                code,
                what: what.into(),
                help: None,
            },
        }
    }

    /// A complete message covering `len` bytes at `at`.
    pub fn custom(at: &'a str, code: &'static str, msg: impl Into<String>, len: usize) -> Self {
        PErr {
            at,
            kind: Kind::Custom {
                code,
                msg: msg.into(),
                len,
                help: None,
            },
        }
    }

    /// Attaches a help text.
    pub fn with_help(mut self, h: impl Into<String>) -> Self {
        match &mut self.kind {
            Kind::Expected { help, .. } | Kind::Custom { help, .. } => *help = Some(h.into()),
            Kind::Nom(_) => {}
        }
        self
    }

    /// Converts into a [`Diagnostic`] for a source of length `src_len`.
    pub fn into_diagnostic(self, src_len: usize) -> Diagnostic {
        let start = src_len.saturating_sub(self.at.len());
        match self.kind {
            Kind::Nom(_) => {
                let (found, skip, len) = lexer::describe_token(self.at);
                let start = start + skip;
                Diagnostic::error(
                    codes::UNEXPECTED_TOKEN,
                    format!("unexpected {found}"),
                    start..start + len,
                )
            }
            Kind::Expected { code, what, help } => {
                let (found, skip, len) = lexer::describe_token(self.at);
                let start = start + skip;
                let d = Diagnostic::error(
                    code,
                    format!("expected {what}, found {found}"),
                    start..start + len,
                );
                match help {
                    Some(h) => d.with_help(h),
                    None => d,
                }
            }
            Kind::Custom {
                code,
                msg,
                len,
                help,
            } => {
                let len = len.min(self.at.len());
                let d = Diagnostic::error(code, msg, span_clamp(start, start + len, src_len));
                match help {
                    Some(h) => d.with_help(h),
                    None => d,
                }
            }
        }
    }

    fn rank(&self) -> u8 {
        match self.kind {
            Kind::Nom(_) => 0,
            Kind::Expected { .. } => 1,
            Kind::Custom { .. } => 2,
        }
    }
}

fn span_clamp(start: usize, end: usize, len: usize) -> Span {
    let s = start.min(len);
    s..end.clamp(s, len)
}

impl<'a> ParseError<&'a str> for PErr<'a> {
    fn from_error_kind(input: &'a str, kind: ErrorKind) -> Self {
        PErr {
            at: input,
            kind: Kind::Nom(kind),
        }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        // Keep the error that got further; on a tie, the more descriptive one.
        match self.at.len().cmp(&other.at.len()) {
            std::cmp::Ordering::Less => self,
            std::cmp::Ordering::Greater => other,
            std::cmp::Ordering::Equal => {
                if other.rank() > self.rank() {
                    other
                } else {
                    self
                }
            }
        }
    }
}

/// A recoverable "expected X" error at `at`.
pub(crate) fn fail<'a, T>(at: &'a str, what: impl Into<String>) -> PResult<'a, T> {
    Err(nom::Err::Error(PErr::expected(at, what)))
}

/// A committed error with a full custom message.
pub(crate) fn cut_custom<'a, T>(
    at: &'a str,
    code: &'static str,
    msg: impl Into<String>,
    len: usize,
) -> PResult<'a, T> {
    Err(nom::Err::Failure(PErr::custom(at, code, msg, len)))
}

/// Runs `p`; a recoverable error becomes a cut (the construct is committed).
pub(crate) fn cut<'a, T>(r: PResult<'a, T>) -> PResult<'a, T> {
    match r {
        Err(nom::Err::Error(e)) => Err(nom::Err::Failure(e)),
        other => other,
    }
}

/// Runs `p` and, if it fails recoverably, reports "expected `what`" at `at` as a cut,
/// unless the inner error got further than `at` (then the inner, more precise error is
/// kept, also as a cut).
pub(crate) fn expect<'a, T>(
    at: &'a str,
    what: &str,
    p: impl FnOnce(&'a str) -> PResult<'a, T>,
) -> PResult<'a, T> {
    match p(at) {
        Ok(v) => Ok(v),
        Err(nom::Err::Error(e)) => {
            let at_ws = crate::lexer::ws(at);
            if e.at.len() < at_ws.len() && e.rank() > 0 {
                Err(nom::Err::Failure(e))
            } else {
                Err(nom::Err::Failure(PErr::expected(at_ws, what.to_string())))
            }
        }
        Err(e) => Err(e),
    }
}

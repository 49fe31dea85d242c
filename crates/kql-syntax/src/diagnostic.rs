//! The one diagnostic type of the project: a stable code, a message, a byte span into the
//! KQL source, notes and help. Parser, planner and engine errors all become a
//! [`Diagnostic`]; the CLI renders it with the source line and a caret, or as JSON.
//!
//! Code ranges (stable; tests assert them):
//! * `KQL1xxx` syntax errors (parser)
//! * `KQL2xxx` name resolution and typing errors (planner)
//! * `KQL3xxx` known KQL features that are not supported yet
//! * `KQL4xxx` data and execution errors (Parquet, CSV, runtime)
//! * `KQL5xxx` rule files (YAML) and CLI input

use crate::ast::Span;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The query cannot run.
    Error,
    /// The query runs, but something was ignored or approximated (e.g. `render`).
    Warning,
}

/// A positioned, coded message about a KQL text.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Stable code such as `KQL1001`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// One-line message, e.g. "expected `by` after summarize aggregates, found `bye`".
    pub message: String,
    /// Byte range in the source the message is about (may be empty, e.g. at end of input).
    pub span: Span,
    /// Extra explanations.
    pub notes: Vec<String>,
    /// A suggestion, e.g. "did you mean `DstPortNumber`?".
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with `code`, `message` and `span`.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span,
            notes: Vec::new(),
            help: None,
        }
    }

    /// A warning with `code`, `message` and `span`.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, span)
        }
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column (in characters) of the span start within `source`.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        line_col(source, self.span.start)
    }

    /// Renders the diagnostic with the source line and a caret under the span:
    ///
    /// ```text
    /// error[KQL1002]: expected `by` after summarize aggregates, found `bye`
    ///  --> rule.kql:3:24
    ///   |
    /// 3 | | summarize count() bye x
    ///   |                    ^^^
    ///   = help: ...
    /// ```
    pub fn render(&self, source: &str, origin: &str) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{kind}[{}]: {}\n", self.code, self.message));
        let start = self.span.start.min(source.len());
        let (line, col) = line_col(source, start);
        out.push_str(&format!(" --> {origin}:{line}:{col}\n"));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let text = source[line_start..line_end].trim_end_matches('\r');
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        out.push_str(&format!("{pad} |\n"));
        out.push_str(&format!("{line} | {}\n", text.replace('\t', " ")));
        let end = self.span.end.clamp(start, line_end);
        let caret_start = source[line_start..start].chars().count();
        let caret_len = source[start..end].chars().count().max(1);
        out.push_str(&format!(
            "{pad} | {}{}\n",
            " ".repeat(caret_start),
            "^".repeat(caret_len)
        ));
        for note in &self.notes {
            out.push_str(&format!("{pad} = note: {note}\n"));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("{pad} = help: {help}\n"));
        }
        out
    }

    /// A JSON object `{code, severity, message, start, end, line, column, notes, help}`.
    pub fn to_json(&self, source: &str) -> serde_json::Value {
        let (line, column) = self.line_col(source);
        serde_json::json!({
            "code": self.code,
            "severity": match self.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "message": self.message,
            "start": self.span.start,
            "end": self.span.end,
            "line": line,
            "column": column,
            "notes": self.notes,
            "help": self.help,
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {} (at byte {})", self.code, self.message, self.span.start)
    }
}

impl std::error::Error for Diagnostic {}

/// 1-based line and column (in characters) of byte `offset` in `source`. Offsets past the
/// end, or inside a multi-byte character, are clamped to the nearest valid position.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let src = "T\n| where x == 'é'\n| bad";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 2), (2, 1));
        let bad = src.find("bad").unwrap();
        assert_eq!(line_col(src, bad), (3, 3));
        assert_eq!(line_col(src, 10_000), (3, 6));
    }

    #[test]
    fn render_points_caret_at_span() {
        let src = "T\n| summarize count() bye x";
        let at = src.find("bye").unwrap();
        let d = Diagnostic::error("KQL1002", "expected `by`", at..at + 3).with_help("write `by`");
        let r = d.render(src, "q.kql");
        assert!(r.contains("error[KQL1002]: expected `by`"), "{r}");
        assert!(r.contains(" --> q.kql:2:21"), "{r}");
        assert!(r.contains("2 | | summarize count() bye x"), "{r}");
        assert!(r.contains("  |                     ^^^\n"), "{r}");
        assert!(r.contains("= help: write `by`"), "{r}");
    }
}

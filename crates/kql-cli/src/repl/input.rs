//! When is a block of REPL input complete?
//!
//! KQL has no statement terminator and queries usually start their continuation lines with
//! `|`, so a line that parses is not necessarily the whole query. The REPL follows Kusto
//! Explorer: a query is the block of lines up to a blank line. In addition
//! * `;;` at the end of a line submits at once (handy for one-liners);
//! * a dot-command (first line starting with `.`) is one line;
//! * after a trailing `|`, `,`, `and`/`or`, or inside an open bracket or string, a blank line
//!   does not submit (the query is obviously unfinished); a second blank line does.

use super::scan::{Kind, nesting, tokens};

/// What to do with the text entered so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockState {
    /// Nothing but whitespace: ignore.
    Empty,
    /// A dot-command line (trimmed).
    Command(String),
    /// A complete query (the `;;` terminator and surrounding blank lines removed).
    Query(String),
    /// Keep reading.
    Incomplete,
}

/// Classifies `text`: the lines entered so far joined by `\n` (a trailing `\n` means the last
/// line entered was blank).
pub fn block_state(text: &str) -> BlockState {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return BlockState::Empty;
    }
    if trimmed.starts_with('.') {
        return BlockState::Command(trimmed.to_string());
    }
    let n = nesting(text);
    if trimmed.ends_with(";;") && !n.open_string {
        let q = trimmed.trim_end_matches(';').trim();
        return if q.is_empty() {
            BlockState::Empty
        } else {
            BlockState::Query(q.to_string())
        };
    }
    let blank_lines = trailing_blank_lines(text);
    if blank_lines == 0 {
        return BlockState::Incomplete;
    }
    if blank_lines >= 2 || !(n.open_string || !n.open.is_empty() || ends_with_continuation(text)) {
        BlockState::Query(trimmed.to_string())
    } else {
        BlockState::Incomplete
    }
}

/// How many blank lines end `text` (lines joined by `\n`; the last line entered is the text
/// after the last `\n`).
fn trailing_blank_lines(text: &str) -> usize {
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.len() < 2 {
        return 0;
    }
    lines
        .iter()
        .rev()
        .take_while(|l| l.trim().is_empty())
        .count()
        .min(lines.len() - 1)
}

/// The last token asks for more: `|`, `,`, `=`, `and`, `or`.
fn ends_with_continuation(text: &str) -> bool {
    let toks = tokens(text);
    let Some(last) = toks.iter().rev().find(|t| !t.is_trivia()) else {
        return false;
    };
    let s = last.text(text);
    match last.kind {
        Kind::Punct => matches!(s, "|" | "," | "="),
        Kind::Ident => s == "and" || s == "or",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BlockState::*;

    #[test]
    fn a_blank_line_submits() {
        assert_eq!(block_state("T | take 5"), Incomplete);
        assert_eq!(block_state("T | take 5\n"), Query("T | take 5".into()));
        assert_eq!(block_state("T\n| take 5"), Incomplete);
        assert_eq!(block_state("T\n| take 5\n  "), Query("T\n| take 5".into()));
    }

    #[test]
    fn double_semicolon_submits() {
        assert_eq!(block_state("print 1;;"), Query("print 1".into()));
        assert_eq!(block_state("print 1 ;; "), Query("print 1".into()));
        assert_eq!(block_state(";;"), Empty);
        // Inside a string it is text.
        assert_eq!(block_state("print 'a;;"), Incomplete);
    }

    #[test]
    fn unfinished_queries_stay_open_after_one_blank_line() {
        assert_eq!(block_state("T |\n"), Incomplete);
        assert_eq!(block_state("T | project a,\n"), Incomplete);
        assert_eq!(block_state("T | where (a > 1\n"), Incomplete);
        assert_eq!(block_state("print 'abc\n"), Incomplete);
        assert_eq!(block_state("T | where a and\n"), Incomplete);
        // A second blank line submits anyway (the parser reports the problem).
        assert_eq!(block_state("T |\n\n"), Query("T |".into()));
    }

    #[test]
    fn dot_commands_are_one_line() {
        assert_eq!(block_state(".tables"), Command(".tables".into()));
        assert_eq!(block_state("  .schema T  "), Command(".schema T".into()));
        assert_eq!(block_state(""), Empty);
        assert_eq!(block_state("\n\n"), Empty);
    }
}

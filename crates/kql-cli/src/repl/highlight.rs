//! Syntax highlighting for the input line. Only ANSI colour codes are inserted, so the
//! display width is unchanged (rustyline requires it).

use super::scan::{Kind, tokens};

const RESET: &str = "\x1b[0m";
const OPERATOR: &str = "\x1b[1;34m";
const KEYWORD: &str = "\x1b[35m";
const TABLE: &str = "\x1b[36m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[33m";
const COMMENT: &str = "\x1b[90m";
const COMMAND: &str = "\x1b[1;36m";

/// Words coloured as keywords wherever they appear.
const KEYWORDS: &[&str] = &[
    "let",
    "and",
    "or",
    "not",
    "by",
    "on",
    "kind",
    "with",
    "asc",
    "desc",
    "nulls",
    "first",
    "last",
    "in",
    "has",
    "contains",
    "startswith",
    "endswith",
    "between",
    "matches",
    "regex",
    "true",
    "false",
    "typeof",
    "materialize",
    "toscalar",
    "print",
    "range",
    "datatable",
    "from",
    "to",
    "step",
    "dynamic",
    "datetime",
    "timespan",
    "set",
    "declare",
    "query_parameters",
];

/// Highlights `line` (the whole multi-line input); `tables` are coloured as tables.
pub fn highlight(line: &str, tables: &[String]) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let trimmed = line.trim_start();
    if trimmed.starts_with('.') {
        // A dot-command: colour the command word.
        let lead = line.len() - trimmed.len();
        let end = trimmed
            .find(char::is_whitespace)
            .map_or(line.len(), |i| lead + i);
        out.push_str(&line[..lead]);
        out.push_str(COMMAND);
        out.push_str(&line[lead..end]);
        out.push_str(RESET);
        out.push_str(&line[end..]);
        return out;
    }
    let toks = tokens(line);
    let mut prev_sig: Option<&str> = None;
    for t in &toks {
        let text = t.text(line);
        let colour = match t.kind {
            Kind::Space | Kind::Punct | Kind::QuotedIdent => None,
            Kind::Comment => Some(COMMENT),
            Kind::Str { .. } => Some(STRING),
            Kind::Number => Some(NUMBER),
            Kind::Ident => {
                if prev_sig == Some("|") {
                    Some(OPERATOR)
                } else if KEYWORDS.contains(&text) {
                    Some(KEYWORD)
                } else if tables.iter().any(|x| x == text) {
                    Some(TABLE)
                } else {
                    None
                }
            }
        };
        match colour {
            Some(c) => {
                out.push_str(c);
                out.push_str(text);
                out.push_str(RESET);
            }
            None => out.push_str(text),
        }
        if !t.is_trivia() {
            prev_sig = Some(text);
        }
    }
    out
}

/// Removes ANSI colour sequences (for tests and width checks).
#[cfg(test)]
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // ESC [ ... final byte in @..~
            for d in chars.by_ref() {
                if ('@'..='~').contains(&d) && d != '[' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_preserves_the_text() {
        let tables = vec!["T".to_string()];
        for src in [
            "T | where a == 'x' and b > 5m // c\n| project-away ['a b']",
            "print 'unterminated",
            ".schema T",
            "let x = datetime(2024-01-01);\nT | summarize count() by bin(TimeGenerated, 1h)",
            "",
            "é | ü",
        ] {
            let h = highlight(src, &tables);
            assert_eq!(strip_ansi(&h), src);
        }
    }

    #[test]
    fn operators_strings_and_tables_are_coloured() {
        let h = highlight("T | where a == 'x'", &["T".to_string()]);
        assert!(h.contains(&format!("{TABLE}T{RESET}")));
        assert!(h.contains(&format!("{OPERATOR}where{RESET}")));
        assert!(h.contains(&format!("{STRING}'x'{RESET}")));
    }
}

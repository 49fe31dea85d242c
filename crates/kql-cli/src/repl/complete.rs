//! Tab completion: dot-commands, table names, column names (of the pipeline at the cursor
//! when the text before it plans, else of the tables the text names, else of every table),
//! functions and operators.

use super::scan::{Kind, Token, tokens};

/// What completion needs to know about the session.
pub trait CompletionSource {
    /// Table names.
    fn tables(&self) -> Vec<String>;
    /// Stored function names.
    fn stored_functions(&self) -> Vec<String>;
    /// Column names of a table (empty when unknown or unreadable).
    fn columns_of(&self, table: &str) -> Vec<String>;
    /// Column names of the (last) result of `query`, when it plans.
    fn columns_of_query(&self, query: &str) -> Option<Vec<String>>;
}

/// The REPL's dot-commands with a one-line description (also used by `.help`).
pub const DOT_COMMANDS: &[(&str, &str)] = &[
    (".help", "show this help"),
    (".tables", "list the tables"),
    (".schema", ".schema TABLE: columns and types of a table"),
    (".functions", "list the stored functions"),
    (".mode", ".mode table|csv|json: output format"),
    (
        ".timer",
        ".timer on|off: show the elapsed time after each query",
    ),
    (
        ".explain",
        ".explain [QUERY]: logical and physical plan of QUERY (default: the last query)",
    ),
    (
        ".set",
        ".set now=RFC3339: pin now() (`.set now=` unpins it)",
    ),
    (
        ".read",
        ".read FILE: run the query of a .kql file or Sentinel rule .yaml",
    ),
    (
        ".load",
        ".load NAME PATH: register a Parquet file or folder as table NAME",
    ),
    (".quit", "exit (also .exit or Ctrl-D)"),
];

/// Keywords offered in expression position.
const EXPR_KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "by",
    "on",
    "asc",
    "desc",
    "nulls first",
    "nulls last",
    "kind",
    "with",
    "in",
    "!in",
    "has",
    "!has",
    "has_any",
    "has_all",
    "contains",
    "!contains",
    "startswith",
    "endswith",
    "matches regex",
    "between",
    "true",
    "false",
    "dynamic",
    "datetime",
    "timespan",
];

/// Keywords that start a statement.
const STATEMENT_KEYWORDS: &[&str] = &[
    "let",
    "print",
    "range",
    "datatable",
    "union",
    "search",
    "find",
    "materialize",
    "evaluate",
];

/// A completion result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Completion {
    /// Replace `text[start..pos]` by one of `candidates`.
    Words {
        /// Byte offset where the completed word starts.
        start: usize,
        /// Replacement texts, best first.
        candidates: Vec<String>,
    },
    /// Complete a file path (arguments of `.read` and `.load`).
    Path,
}

/// Completes `text` (the whole input so far) at byte offset `pos`.
pub fn complete(text: &str, pos: usize, src: &dyn CompletionSource) -> Completion {
    let pos = floor_char_boundary(text, pos);
    let before = &text[..pos];
    if before.trim_start().starts_with('.') {
        return complete_command(before, src);
    }
    let toks = tokens(before);
    let Some(last) = toks.last() else {
        return words(pos, pos, statement_candidates(src), "");
    };
    match last.kind {
        Kind::Str { .. } | Kind::Comment | Kind::Number => {
            return Completion::Words {
                start: pos,
                candidates: Vec::new(),
            };
        }
        _ => {}
    }
    // The word being completed (possibly empty).
    let (start, word_idx) = if last.kind == Kind::Ident && last.end == pos {
        (last.start, toks.len() - 1)
    } else {
        (pos, toks.len())
    };
    let word = &before[start..];
    let prev: Vec<&Token> = toks[..word_idx].iter().filter(|t| !t.is_trivia()).collect();
    let text_of = |k: usize| -> &str {
        prev.len()
            .checked_sub(k + 1)
            .map_or("", |i| prev[i].text(before))
    };
    let p0 = text_of(0);
    let candidates = if prev.is_empty() || p0 == ";" || is_let_value(&prev, before) {
        statement_candidates(src)
    } else if p0 == "|" {
        kql_syntax::KNOWN_OPERATORS
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else if is_source_position(&prev, before) {
        let mut v = src.tables();
        v.extend(src.stored_functions());
        v
    } else {
        let mut v = columns_here(&before[..start], src);
        v.extend(
            kql_planner::function_names()
                .into_iter()
                .map(str::to_string),
        );
        v.extend(src.stored_functions());
        v.extend(EXPR_KEYWORDS.iter().map(|s| s.to_string()));
        v
    };
    words(start, pos, candidates, word)
}

/// `let name =` just before the word: a statement-like position.
fn is_let_value(prev: &[&Token], src: &str) -> bool {
    let n = prev.len();
    n >= 3
        && prev[n - 1].text(src) == "="
        && prev[n - 2].kind == Kind::Ident
        && prev[n - 3].text(src) == "let"
}

/// A tabular source is expected: after `join`, `lookup`, `union`, or an opening parenthesis
/// that follows them (or `kind=...`, `materialize`, `toscalar`).
fn is_source_position(prev: &[&Token], src: &str) -> bool {
    const SOURCE_KW: &[&str] = &["join", "lookup", "union", "materialize", "toscalar"];
    let n = prev.len();
    let t = |k: usize| n.checked_sub(k + 1).map_or("", |i| prev[i].text(src));
    if SOURCE_KW.contains(&t(0)) {
        return true;
    }
    if t(0) == "(" {
        if SOURCE_KW.contains(&t(1)) {
            return true;
        }
        // join kind=inner (   /   join hint.strategy=broadcast (
        if prev
            .get(n.wrapping_sub(2))
            .is_some_and(|x| x.kind == Kind::Ident)
            && t(2) == "="
        {
            return true;
        }
    }
    false
}

/// Statement start: tables, stored functions, statement keywords.
fn statement_candidates(src: &dyn CompletionSource) -> Vec<String> {
    let mut v = src.tables();
    v.extend(src.stored_functions());
    v.extend(STATEMENT_KEYWORDS.iter().map(|s| s.to_string()));
    v
}

/// Columns available at the end of `before`: the planned schema of the pipeline up to the
/// last `|` (innermost bracket level first), else the columns of the tables named in the
/// text, else every table's columns.
fn columns_here(before: &str, src: &dyn CompletionSource) -> Vec<String> {
    if let Some(q) = pipeline_prefix(before)
        && let Some(cols) = src.columns_of_query(&q)
    {
        return cols;
    }
    let tables = src.tables();
    let named: Vec<&String> = {
        let toks = tokens(before);
        tables
            .iter()
            .filter(|t| {
                toks.iter()
                    .any(|k| k.kind == Kind::Ident && k.text(before) == t.as_str())
            })
            .collect()
    };
    let list: Vec<&String> = if named.is_empty() {
        tables.iter().collect()
    } else {
        named
    };
    let mut out = Vec::new();
    for t in list {
        for c in src.columns_of(t) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// The query whose result is the input of the operator at the end of `before`: the preceding
/// statements plus the pipeline up to its last `|` at the innermost bracket level that has
/// one. `None` when there is no pipe.
pub fn pipeline_prefix(before: &str) -> Option<String> {
    struct Frame {
        seg_start: usize,
        last_pipe: Option<usize>,
    }
    let mut stmt_start = 0;
    let mut frames = vec![Frame {
        seg_start: 0,
        last_pipe: None,
    }];
    for t in tokens(before) {
        if t.kind != Kind::Punct {
            continue;
        }
        match t.text(before) {
            "(" | "[" | "{" => frames.push(Frame {
                seg_start: t.end,
                last_pipe: None,
            }),
            ")" | "]" | "}" if frames.len() > 1 => {
                frames.pop();
            }
            "|" => {
                if let Some(f) = frames.last_mut() {
                    f.last_pipe = Some(t.start);
                }
            }
            ";" if frames.len() == 1 => {
                stmt_start = t.end;
                frames[0] = Frame {
                    seg_start: t.end,
                    last_pipe: None,
                };
            }
            _ => {}
        }
    }
    let f = frames.iter().rev().find(|f| f.last_pipe.is_some())?;
    let pipe = f.last_pipe?;
    let segment = &before[f.seg_start..pipe];
    let lets = if f.seg_start >= stmt_start {
        &before[..stmt_start]
    } else {
        ""
    };
    Some(format!("{lets}{segment}"))
}

/// Completion for a dot-command line.
fn complete_command(before: &str, src: &dyn CompletionSource) -> Completion {
    let lead = before.len() - before.trim_start().len();
    let body = &before[lead..];
    let Some(space) = body.find(char::is_whitespace) else {
        let cands = DOT_COMMANDS.iter().map(|(c, _)| c.to_string()).collect();
        return words(lead, before.len(), cands, body);
    };
    let cmd = &body[..space];
    let args = &body[space..];
    let word_start =
        before.len() - args.len() + args.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word = &before[word_start..];
    let nth_arg = args.split_whitespace().count() - usize::from(!word.is_empty());
    let cands: Vec<String> = match (cmd, nth_arg) {
        (".schema", 0) => src.tables(),
        (".mode", 0) => vec!["table".into(), "csv".into(), "json".into()],
        (".timer", 0) => vec!["on".into(), "off".into()],
        (".set", 0) => vec!["now=".into()],
        (".read", 0) | (".load", 1) => return Completion::Path,
        _ => Vec::new(),
    };
    words(word_start, before.len(), cands, word)
}

/// Candidates that extend `word` (case-insensitive prefix; exact-case matches first),
/// de-duplicated, names that need it bracketed.
fn words(start: usize, _pos: usize, candidates: Vec<String>, word: &str) -> Completion {
    let lower = word.to_lowercase();
    let mut exact = Vec::new();
    let mut other = Vec::new();
    for c in candidates {
        if exact.contains(&c) || other.contains(&c) {
            continue;
        }
        if c.starts_with(word) {
            exact.push(c);
        } else if c.to_lowercase().starts_with(&lower) {
            other.push(c);
        }
    }
    exact.extend(other);
    let candidates = exact.into_iter().map(|c| quote_if_needed(&c)).collect();
    Completion::Words { start, candidates }
}

/// `['odd name']` for names that are not plain identifiers (keywords with spaces or `!` are
/// left alone).
fn quote_if_needed(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '=')
        || name.starts_with('!')
        || EXPR_KEYWORDS.contains(&name);
    if plain && !name.starts_with(|c: char| c.is_ascii_digit()) {
        name.to_string()
    } else {
        format!("['{}']", name.replace('\'', "\\'"))
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl CompletionSource for Fake {
        fn tables(&self) -> Vec<String> {
            vec!["SigninLogs".into(), "SecurityEvent".into()]
        }
        fn stored_functions(&self) -> Vec<String> {
            vec!["SigninHelper".into()]
        }
        fn columns_of(&self, table: &str) -> Vec<String> {
            match table {
                "SigninLogs" => vec!["UserPrincipalName".into(), "IPAddress".into()],
                "SecurityEvent" => vec!["EventID".into(), "Account".into()],
                _ => vec![],
            }
        }
        fn columns_of_query(&self, query: &str) -> Option<Vec<String>> {
            // A pretend planner: the first word is the table; `extend X =` adds X.
            let t = query.split_whitespace().next()?;
            let mut cols = self.columns_of(t);
            if cols.is_empty() {
                return None;
            }
            if let Some(i) = query.find("extend ") {
                let name = query[i + 7..].split_whitespace().next()?;
                cols.push(name.to_string());
            }
            Some(cols)
        }
    }

    fn cands(text: &str) -> (usize, Vec<String>) {
        match complete(text, text.len(), &Fake) {
            Completion::Words { start, candidates } => (start, candidates),
            Completion::Path => (usize::MAX, vec![]),
        }
    }

    #[test]
    fn table_names_at_statement_start() {
        assert_eq!(
            cands("Si"),
            (0, vec!["SigninLogs".into(), "SigninHelper".into()])
        );
        assert_eq!(cands("let x = 1; Se").1, vec!["SecurityEvent", "search"]);
        assert_eq!(cands("let x = Sec").1, vec!["SecurityEvent"]);
    }

    #[test]
    fn operators_after_a_pipe() {
        let (start, c) = cands("SigninLogs | su");
        assert_eq!(start, 13);
        assert_eq!(c, vec!["summarize"]);
        assert!(
            cands("T\n| project-a")
                .1
                .contains(&"project-away".to_string())
        );
    }

    #[test]
    fn columns_of_the_pipeline_at_the_cursor() {
        let (start, c) = cands("SigninLogs\n| where IP");
        assert_eq!(start, 19);
        assert_eq!(c[0], "IPAddress");
        // Columns added by an earlier operator.
        assert_eq!(
            cands("SecurityEvent | extend Host = 1 | where Ho").1[0],
            "Host"
        );
        // Inside a join's subquery: the subquery's table.
        assert_eq!(
            cands("SigninLogs | join (SecurityEvent | where Acc").1,
            vec!["Account"]
        );
        // Inside a function call: the outer pipeline.
        assert_eq!(
            cands("SigninLogs | where strlen(Use").1[0],
            "UserPrincipalName"
        );
    }

    #[test]
    fn tables_after_join() {
        assert_eq!(
            cands("SigninLogs | join kind=inner (Sec").1,
            vec!["SecurityEvent"]
        );
        assert_eq!(cands("SigninLogs | join Sec").1, vec!["SecurityEvent"]);
    }

    #[test]
    fn fallback_to_named_tables_then_all() {
        // No pipe: the tables named so far.
        assert_eq!(cands("print x = Acc").1[0], "Account");
        // Only the tables the text names, when there are some.
        let c = cands("print x = toscalar(SecurityEvent | count), y = ").1;
        assert!(c.contains(&"EventID".to_string()));
        assert!(!c.contains(&"IPAddress".to_string()));
        let p = pipeline_prefix("let a = T | where x; a | join (U | where y | project ");
        assert_eq!(p.as_deref(), Some("let a = T | where x;U | where y "));
    }

    #[test]
    fn dot_commands() {
        assert_eq!(cands(".sc"), (0, vec![".schema".to_string()]));
        assert_eq!(cands(".schema Sig"), (8, vec!["SigninLogs".to_string()]));
        assert_eq!(cands(".mode c").1, vec!["csv"]);
        assert_eq!(complete(".read qu", 8, &Fake), Completion::Path);
        assert_eq!(complete(".load T qu", 10, &Fake), Completion::Path);
    }

    #[test]
    fn nothing_inside_strings() {
        assert!(cands("T | where a == 'Si").1.is_empty());
    }

    #[test]
    fn odd_names_are_bracketed() {
        assert_eq!(quote_if_needed("a b"), "['a b']");
        assert_eq!(quote_if_needed("Account"), "Account");
    }
}

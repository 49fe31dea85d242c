//! `.kqltest` files: result test cases (query, source of the expected answer, expected
//! table). The format is documented in `docs/kqltest-format.md`.

use crate::format::{Flavor, format_cell};
use crate::session::{ResultSet, Session, SessionOptions};
use kql_planner::KqlType;

/// One test case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// Case name (after `===`).
    pub name: String,
    /// 1-based line of the `===` header.
    pub line: usize,
    /// Where the expected answer comes from.
    pub source: String,
    /// Pinned `now` (RFC 3339).
    pub now: Option<String>,
    /// Compare rows in order.
    pub ordered: bool,
    /// Relative tolerance for reals.
    pub tolerance: Option<f64>,
    /// Dynamic columns compared as sets.
    pub sets: Vec<String>,
    /// Marked unverified.
    pub unverified: bool,
    /// The KQL text.
    pub query: String,
    /// What is expected.
    pub expect: Expect,
}

/// The expected outcome.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// A table: `(name, type)` header and rows of cell texts.
    Table {
        /// Column names and KQL type names.
        columns: Vec<(String, String)>,
        /// Rows.
        rows: Vec<Vec<String>>,
    },
    /// An error with this code whose message contains `text`.
    Error {
        /// Diagnostic code.
        code: String,
        /// Message fragment.
        text: String,
    },
}

/// Default `now` of test cases.
pub const DEFAULT_NOW: &str = "2024-01-01T00:00:00Z";

/// Splits a table line on ` | ` (a literal `|` is written `\|`), trimming cells.
pub fn split_cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'|') {
            cur.push('|');
            chars.next();
        } else if c == '|' {
            cells.push(cur.trim().to_string());
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

/// Parses a `.kqltest` file.
pub fn parse_file(text: &str) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if !l.starts_with("===") {
            if !l.trim().is_empty() && !l.starts_with('#') {
                return Err(format!("line {}: expected `=== case name`", i + 1));
            }
            i += 1;
            continue;
        }
        let mut case = Case {
            name: l.trim_start_matches('=').trim().to_string(),
            line: i + 1,
            source: String::new(),
            now: None,
            ordered: false,
            tolerance: None,
            sets: Vec::new(),
            unverified: false,
            query: String::new(),
            expect: Expect::Table {
                columns: vec![],
                rows: vec![],
            },
        };
        i += 1;
        // Header fields until `query:`.
        while i < lines.len() && !lines[i].starts_with("query:") {
            let l = lines[i];
            if let Some(v) = l.strip_prefix("source:") {
                case.source = v.trim().to_string();
                while i + 1 < lines.len() && lines[i + 1].starts_with("  ") {
                    i += 1;
                    case.source.push(' ');
                    case.source.push_str(lines[i].trim());
                }
            } else if let Some(v) = l.strip_prefix("now:") {
                case.now = Some(v.trim().to_string());
            } else if let Some(v) = l.strip_prefix("options:") {
                for o in v.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                    if o == "ordered" {
                        case.ordered = true;
                    } else if o == "unverified" {
                        case.unverified = true;
                    } else if let Some(t) = o.strip_prefix("tolerance=") {
                        case.tolerance = Some(
                            t.parse()
                                .map_err(|_| format!("line {}: bad tolerance", i + 1))?,
                        );
                    } else if let Some(s) = o.strip_prefix("sets=") {
                        case.sets = s.split(';').map(|x| x.trim().to_string()).collect();
                    } else {
                        return Err(format!("line {}: unknown option `{o}`", i + 1));
                    }
                }
            } else if !l.trim().is_empty() && !l.starts_with('#') {
                return Err(format!(
                    "line {}: unexpected `{l}` in the header of case `{}`",
                    i + 1,
                    case.name
                ));
            }
            i += 1;
        }
        if case.source.is_empty() {
            return Err(format!(
                "case `{}` (line {}): `source:` is required",
                case.name, case.line
            ));
        }
        if i >= lines.len() {
            return Err(format!("case `{}`: no `query:`", case.name));
        }
        i += 1;
        let mut q = Vec::new();
        while i < lines.len() && !lines[i].starts_with("expect:") {
            q.push(lines[i]);
            i += 1;
        }
        if i >= lines.len() {
            return Err(format!("case `{}`: no `expect:`", case.name));
        }
        case.query = q.join("\n").trim().to_string();
        i += 1;
        let mut body = Vec::new();
        while i < lines.len() && !lines[i].starts_with("===") {
            if !lines[i].trim().is_empty() && !lines[i].starts_with('#') {
                body.push(lines[i]);
            }
            i += 1;
        }
        case.expect = match body.first() {
            Some(first) if first.starts_with("error ") => {
                let rest = first.trim_start_matches("error ").trim();
                let (code, text) = rest.split_once(' ').unwrap_or((rest, ""));
                Expect::Error {
                    code: code.to_string(),
                    text: text.trim().to_string(),
                }
            }
            Some(header) => {
                let mut columns = Vec::new();
                for c in split_cells(header) {
                    let (n, t) = c.split_once(':').ok_or_else(|| {
                        format!("case `{}`: header cell `{c}` needs `name:type`", case.name)
                    })?;
                    columns.push((n.trim().to_string(), t.trim().to_string()));
                }
                let mut rows = Vec::new();
                for r in &body[1..] {
                    let cells = split_cells(r);
                    if cells.len() != columns.len() {
                        return Err(format!(
                            "case `{}`: row `{r}` has {} cells, header has {}",
                            case.name,
                            cells.len(),
                            columns.len()
                        ));
                    }
                    rows.push(cells);
                }
                Expect::Table { columns, rows }
            }
            None => return Err(format!("case `{}`: empty expect block", case.name)),
        };
        cases.push(case);
    }
    Ok(cases)
}

/// Renders a result set in the test flavour: header and rows.
pub fn render(rs: &ResultSet) -> (Vec<(String, String)>, Vec<Vec<String>>) {
    let header = rs
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.ty.name().to_string()))
        .collect();
    let mut rows = Vec::new();
    for b in &rs.batches {
        for r in 0..b.num_rows() {
            rows.push(
                rs.columns
                    .iter()
                    .enumerate()
                    .map(|(j, c)| format_cell(b.column(j).as_ref(), r, c.ty, Flavor::Test))
                    .collect(),
            );
        }
    }
    (header, rows)
}

/// Compares two cells under the case's options.
fn cell_eq(case: &Case, col: &str, ty: &str, got: &str, want: &str) -> bool {
    if got == want {
        return true;
    }
    if case.sets.iter().any(|s| s == col) {
        let norm = |t: &str| -> Option<Vec<String>> {
            let v: serde_json::Value = serde_json::from_str(t).ok()?;
            let mut items: Vec<String> = v.as_array()?.iter().map(|x| x.to_string()).collect();
            items.sort();
            Some(items)
        };
        return norm(got).is_some() && norm(got) == norm(want);
    }
    if let Some(tol) = case.tolerance {
        if ty == "real" {
            return num_close(got, want, tol);
        }
        if ty == "dynamic" {
            let (Ok(a), Ok(b)) = (
                serde_json::from_str::<serde_json::Value>(got),
                serde_json::from_str::<serde_json::Value>(want),
            ) else {
                return false;
            };
            return json_close(&a, &b, tol);
        }
    }
    false
}

fn num_close(a: &str, b: &str, tol: f64) -> bool {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => close(x, y, tol),
        _ => false,
    }
}

fn close(x: f64, y: f64, tol: f64) -> bool {
    if x.is_nan() || y.is_nan() {
        return x.is_nan() && y.is_nan();
    }
    (x - y).abs() <= tol * x.abs().max(y.abs()).max(1e-300) || (x - y).abs() <= tol * 1e-6
}

fn json_close(a: &serde_json::Value, b: &serde_json::Value, tol: f64) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => close(
            x.as_f64().unwrap_or(f64::NAN),
            y.as_f64().unwrap_or(f64::NAN),
            tol,
        ),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_close(p, q, tol))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_close(v, w, tol)))
        }
        (x, y) => x == y,
    }
}

/// Runs one case; `Ok(())` when it passes, else a readable explanation.
pub fn run_case(case: &Case) -> Result<(), String> {
    let now = case.now.as_deref().unwrap_or(DEFAULT_NOW);
    let now_ns = kql_planner::parse_datetime_text(now).ok_or_else(|| format!("bad now `{now}`"))?;
    let session = Session::new(SessionOptions {
        now_ns: Some(now_ns),
        target_partitions: Some(2),
        ..SessionOptions::default()
    })
    .map_err(|d| d.message)?;
    let out = session.run(&case.query);
    match (&case.expect, out) {
        (Expect::Error { code, text }, Err(d)) => {
            if d.code == code && d.message.contains(text.as_str()) {
                Ok(())
            } else {
                Err(format!(
                    "expected error {code} containing `{text}`, got {}: {}",
                    d.code, d.message
                ))
            }
        }
        (Expect::Error { code, .. }, Ok(_)) => {
            Err(format!("expected error {code}, but the query succeeded"))
        }
        (Expect::Table { .. }, Err(d)) => {
            Err(format!("query failed: {}", d.render(&case.query, "query")))
        }
        (Expect::Table { columns, rows }, Ok(out)) => {
            let Some(rs) = out.results.last() else {
                return Err("the query returned no result".into());
            };
            let (got_cols, got_rows) = render(rs);
            if &got_cols != columns {
                return Err(format!(
                    "columns differ\n  expected: {}\n  got:      {}",
                    header_text(columns),
                    header_text(&got_cols)
                ));
            }
            compare_rows(case, columns, rows, got_rows)
        }
    }
}

fn header_text(cols: &[(String, String)]) -> String {
    cols.iter()
        .map(|(n, t)| format!("{n}:{t}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn compare_rows(
    case: &Case,
    columns: &[(String, String)],
    want: &[Vec<String>],
    got: Vec<Vec<String>>,
) -> Result<(), String> {
    let row_eq = |g: &Vec<String>, w: &Vec<String>| {
        g.iter()
            .zip(w)
            .zip(columns)
            .all(|((a, b), (n, t))| cell_eq(case, n, t, a, b))
    };
    let show = |rows: &[Vec<String>]| {
        rows.iter()
            .map(|r| format!("    {}", r.join(" | ")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mismatch = || {
        format!(
            "rows differ\n  expected ({}):\n{}\n  got ({}):\n{}",
            want.len(),
            show(want),
            got.len(),
            show(&got)
        )
    };
    if got.len() != want.len() {
        return Err(mismatch());
    }
    if case.ordered {
        if got.iter().zip(want).all(|(g, w)| row_eq(g, w)) {
            return Ok(());
        }
        return Err(mismatch());
    }
    // Order-insensitive: match each expected row with a distinct got row.
    let mut used = vec![false; got.len()];
    for w in want {
        match got
            .iter()
            .enumerate()
            .position(|(i, g)| !used[i] && row_eq(g, w))
        {
            Some(i) => used[i] = true,
            None => {
                return Err(format!(
                    "{}\n  no match for expected row: {}",
                    mismatch(),
                    w.join(" | ")
                ));
            }
        }
    }
    Ok(())
}

/// The KQL type name is known (for header validation).
pub fn is_type_name(t: &str) -> bool {
    KqlType::parse(t).is_some_and(|k| k.name() == t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cases_and_cells() {
        let text = "# c\n=== a case\nsource: hand: 1+1\n  continued\noptions: ordered, tolerance=1e-9\nquery:\nprint x = 1 + 1\nexpect:\nx:long\n2\n=== err\nsource: spec\nquery:\nprint y\nexpect:\nerror KQL2001 unknown\n";
        let cases = parse_file(text).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].source, "hand: 1+1 continued");
        assert!(cases[0].ordered);
        assert_eq!(cases[0].query, "print x = 1 + 1");
        assert_eq!(
            cases[0].expect,
            Expect::Table {
                columns: vec![("x".into(), "long".into())],
                rows: vec![vec!["2".into()]]
            }
        );
        assert_eq!(
            cases[1].expect,
            Expect::Error {
                code: "KQL2001".into(),
                text: "unknown".into()
            }
        );
        assert_eq!(
            split_cells(r"a \| b | c"),
            vec!["a | b".to_string(), "c".to_string()]
        );
    }

    #[test]
    fn missing_source_is_rejected() {
        assert!(parse_file("=== x\nquery:\nprint 1\nexpect:\nprint_0:long\n1\n").is_err());
    }
}

//! Running many rules: `kql run DIR|GLOB|FILE...` prints one line per rule (fired, not
//! fired, error) and a summary. Also the one-rule evaluation `kql test` uses.

use crate::output::OutputFormat;
use crate::progress::RuleBar;
use crate::rule_file::RuleFile;
use crate::run::{RuleMeta, RunArgs};
use crate::setup::open_session;
use kql_engine::{ResultSet, Session};
use kql_syntax::Diagnostic;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Whether `s` contains glob characters.
pub fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Files that are tests, not rules (`test.yaml`, `*.test.yaml`): skipped when walking
/// directories.
fn is_test_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name == "test.yaml"
        || name == "test.yml"
        || name.ends_with(".test.yaml")
        || name.ends_with(".test.yml")
}

fn is_rule_file(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "kql")
    ) && !is_test_file(p)
}

/// Every file under `dir` (recursively, hidden entries skipped), sorted.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
            {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Matches one path component against a pattern component with `*` and `?`.
fn match_component(pat: &str, name: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative wildcard matching with backtracking to the last `*`.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// Matches path components against pattern components (`**` matches any number of
/// directories).
fn match_path(pat: &[&str], path: &[&str]) -> bool {
    match pat.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|k| match_path(rest, &path[k..])),
        Some((p, rest)) => {
            !path.is_empty() && match_component(p, path[0]) && match_path(rest, &path[1..])
        }
    }
}

/// Expands a glob: the literal directory prefix is walked and every file whose relative
/// path matches is returned, sorted.
pub fn expand_glob(pattern: &str) -> Vec<PathBuf> {
    let comps: Vec<&str> = pattern.split('/').collect();
    let first_glob = comps.iter().position(|c| is_glob(c)).unwrap_or(comps.len());
    let base: PathBuf = if first_glob == 0 {
        PathBuf::from(".")
    } else {
        let b = comps[..first_glob].join("/");
        PathBuf::from(if b.is_empty() { "/".to_string() } else { b })
    };
    let pat = &comps[first_glob..];
    walk(&base)
        .into_iter()
        .filter(|p| {
            let Ok(rel) = p.strip_prefix(&base) else {
                return false;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            match_path(pat, &parts)
        })
        .map(|p| {
            if first_glob == 0 {
                p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p)
            } else {
                p
            }
        })
        .collect()
}

/// The rule files named by `args`: files as given, directories walked (rule extensions
/// only), globs expanded; test cases (`test.yaml`, `*.test.yaml`) are skipped.
pub fn expand_args(args: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for a in args {
        let p = Path::new(a);
        if p.is_dir() {
            out.extend(walk(p).into_iter().filter(|f| is_rule_file(f)));
        } else if is_glob(a) && !p.exists() {
            // Test cases (`*.test.yaml`) are never rules, even when a glob matches them.
            let found: Vec<PathBuf> = expand_glob(a)
                .into_iter()
                .filter(|f| !is_test_file(f))
                .collect();
            if found.is_empty() {
                return Err(format!("no file matches `{a}`"));
            }
            out.extend(found);
        } else {
            out.push(p.to_path_buf());
        }
    }
    Ok(out)
}

/// The outcome of evaluating one rule.
pub enum Outcome {
    /// It ran: whether it fires, the row count, the last result.
    Ran {
        /// The rule's trigger says it fires (rules without a trigger fire on any row).
        fired: bool,
        /// Rows of the last result.
        rows: usize,
        /// The last result set.
        result: Option<ResultSet>,
    },
    /// It failed.
    Error(Diagnostic, String),
}

/// A rule's evaluation.
pub struct Evaluation {
    /// The rule's display name (YAML `name`, else the file name).
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
    /// Time taken.
    pub elapsed: Duration,
}

/// Runs one rule file on `session`, applying its `queryPeriod` unless `ignore_query_period`
/// (the session's time window is changed). Entity-mapping and custom-detail columns must
/// exist in the result.
pub fn evaluate(session: &mut Session, path: &Path, ignore_query_period: bool) -> Evaluation {
    let t0 = Instant::now();
    let file_name = path.display().to_string();
    let rf = match RuleFile::load(path) {
        Ok(rf) => rf,
        Err(d) => {
            return Evaluation {
                name: file_name,
                outcome: Outcome::Error(d, String::new()),
                elapsed: t0.elapsed(),
            };
        }
    };
    let meta = rf
        .yaml
        .as_ref()
        .map(RuleMeta::from_yaml)
        .unwrap_or_default();
    let name = meta.name.clone().unwrap_or(file_name);
    let mut window = None;
    if !ignore_query_period && let Some(p) = &meta.query_period {
        window = kql_syntax::literal::parse_timespan_text(p).map(|t| t.saturating_mul(100));
    }
    session.set_time_window(window);
    let result = session.run(&rf.query);
    session.set_time_window(None);
    let outcome = match result {
        Err(d) => {
            let (d, src) = rf.to_file_diagnostic(d);
            Outcome::Error(d, src.to_string())
        }
        Ok(out) => {
            let last = out.results.into_iter().last();
            let rows = last.as_ref().map_or(0, ResultSet::num_rows);
            let missing = last.as_ref().and_then(|rs| {
                let cols: Vec<&str> = rs.columns.iter().map(|c| c.name.as_str()).collect();
                meta.entity_columns
                    .iter()
                    .chain(&meta.custom_columns)
                    .find(|c| !cols.contains(&c.as_str()))
                    .map(|c| (c.clone(), cols.join(", ")))
            });
            match missing {
                Some((c, cols)) => Outcome::Error(
                    Diagnostic::error(
                        "KQL5006",
                        format!(
                            "entityMappings/customDetails refer to column `{c}`, which the query does not return (columns: {cols})"
                        ),
                        0..0,
                    ),
                    String::new(),
                ),
                None => Outcome::Ran {
                    fired: meta.fires(rows).unwrap_or(rows > 0),
                    rows,
                    result: last,
                },
            }
        }
    };
    Evaluation {
        name,
        outcome,
        elapsed: t0.elapsed(),
    }
}

/// `file:line:col` of a diagnostic (or just `file` without a position).
fn location(file: &str, d: &Diagnostic, src: &str) -> String {
    if src.is_empty() {
        file.to_string()
    } else {
        let (l, c) = d.line_col(src);
        format!("{file}:{l}:{c}")
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `kql run` over several rules; returns the exit code (1 on any error; 3 when a rule
/// fired and `--fail-on-alert` is set).
pub fn run_many(args: &RunArgs) -> u8 {
    let files = match expand_args(&args.files) {
        Ok(f) if f.is_empty() => {
            eprintln!("error: no rule files (.yaml, .yml, .kql) found");
            return 1;
        }
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let Some(mut session) = open_session(&args.session) else {
        return 1;
    };
    if args.format == OutputFormat::Csv {
        println!("file,name,status,rows,ms,error");
    }
    let bar = RuleBar::new(files.len());
    let (mut fired, mut quiet, mut errors) = (0usize, 0usize, 0usize);
    let t0 = Instant::now();
    for f in &files {
        let file = f.display().to_string();
        bar.set_message(&file);
        let ev = evaluate(&mut session, f, args.ignore_query_period);
        let ms = ev.elapsed.as_millis();
        let (status, rows, error) = match &ev.outcome {
            Outcome::Ran {
                fired: true, rows, ..
            } => {
                fired += 1;
                ("fired", Some(*rows), None)
            }
            Outcome::Ran { rows, .. } => {
                quiet += 1;
                ("not fired", Some(*rows), None)
            }
            Outcome::Error(d, src) => {
                errors += 1;
                ("error", None, Some((d, location(&file, d, src))))
            }
        };
        let line = match args.format {
            OutputFormat::Table => {
                let named = if ev.name == file {
                    String::new()
                } else {
                    format!("  ({})", ev.name)
                };
                match (&rows, &error) {
                    (Some(r), _) => format!(
                        "{:<9}  {r:>5} {:<4}  {ms:>5} ms  {file}{named}",
                        if status == "fired" { "FIRED" } else { status },
                        if *r == 1 { "row" } else { "rows" },
                    ),
                    (None, Some((d, loc))) => {
                        format!(
                            "{:<9}  {loc}{named}: error[{}]: {}",
                            "ERROR", d.code, d.message
                        )
                    }
                    (None, None) => String::new(),
                }
            }
            OutputFormat::Csv => format!(
                "{},{},{},{},{ms},{}",
                csv_field(&file),
                csv_field(&ev.name),
                status.replace(' ', "_"),
                rows.map(|r| r.to_string()).unwrap_or_default(),
                error
                    .as_ref()
                    .map(|(d, _)| csv_field(&format!("{}: {}", d.code, d.message)))
                    .unwrap_or_default()
            ),
            OutputFormat::Json => {
                let mut o = serde_json::json!({
                    "file": file,
                    "name": ev.name,
                    "status": status.replace(' ', "_"),
                    "ms": ms as u64,
                });
                if let Some(r) = rows {
                    o["rows"] = r.into();
                }
                if let Some((d, loc)) = &error {
                    o["error"] = serde_json::json!({
                        "code": d.code, "message": d.message, "location": loc
                    });
                }
                o.to_string()
            }
        };
        bar.suspend(|| println!("{line}"));
        bar.inc();
    }
    bar.finish();
    let total = files.len();
    let summary = format!(
        "{total} rule{}: {fired} fired, {quiet} not fired, {errors} error{} ({:.1} s)",
        if total == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        t0.elapsed().as_secs_f64()
    );
    if args.format == OutputFormat::Table {
        println!("{summary}");
    } else {
        eprintln!("{summary}");
    }
    if errors > 0 {
        1
    } else if fired > 0 && args.fail_on_alert {
        3
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_wildcards() {
        assert!(match_component("*.yaml", "a.yaml"));
        assert!(match_component("a*b*c", "aXbYc"));
        assert!(!match_component("*.yaml", "a.kql"));
        assert!(match_component("?.kql", "x.kql"));
        assert!(!match_component("?.kql", "xy.kql"));
    }

    #[test]
    fn double_star_matches_any_depth() {
        assert!(match_path(&["**", "*.yaml"], &["a.yaml"]));
        assert!(match_path(&["**", "*.yaml"], &["x", "y", "a.yaml"]));
        assert!(!match_path(&["*", "*.yaml"], &["a.yaml"]));
        assert!(match_path(&["*", "*.yaml"], &["x", "a.yaml"]));
    }
}

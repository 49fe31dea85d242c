//! `kql test [PATH...]`: golden tests for users' own rules.
//!
//! A case is a YAML file named `test.yaml` (the folder form: fixtures beside it) or
//! `<anything>.test.yaml`:
//!
//! ```yaml
//! name: three ports from one source fire        # optional (default: the file's path)
//! rule: ../../rules/port_sweep.yaml              # .kql or Sentinel rule .yaml, relative
//! now: 2024-05-01T12:00:00Z                      # optional (default 2024-01-01T00:00:00Z)
//! tables:                                        # optional in the folder form: tables/*
//!   ASimNetworkSessionLogs: tables/net.csv       # .csv (typed header), .jsonl, .parquet, dir
//!   Inline: |                                    # or inline typed CSV
//!     A:long,B:string
//!     1,x
//! watchlists: { HighValueAssets: hva.csv }       # optional
//! functions: [functions/]                        # optional: .kql files or folders of them
//! ignore_query_period: false                     # optional
//! expect:                                        # or `expect: fires` / `expect: does not fire`
//!   fires: true                                  # optional
//!   rows: expected.csv                           # optional (folder default: expected.csv)
//!   ordered: false                               # optional: compare rows in order
//!   tolerance: 1e-9                              # optional: relative tolerance for reals
//! ```
//!
//! `.kqltest` files (`docs/kqltest-format.md`: self-contained query cases) are run too.
//!
//! The result is the rule's last result set, rendered with the engine's formatter in its test
//! flavour (null is `null`), compared with the expected CSV (header `name:type`). `--update`
//! rewrites `rows` (the CSV file, or the inline block in the YAML) and `fires` from the actual
//! result.

use crate::fixture;
use crate::rules::{Evaluation, Outcome, evaluate};
use kql_engine::session::DATA_ERROR;
use kql_engine::table::TableSource;
use kql_engine::{ResultSet, Session, SessionOptions};
use serde_yaml_ng::Value;
use std::path::{Path, PathBuf};

/// Arguments of `kql test`.
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Test cases: folders (searched recursively for `test.yaml`, `*.test.yaml` and
    /// `*.kqltest`) or case files. Default: `queries/tests`.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Rewrite the expectations (`rows`, `fires`) from the actual results.
    #[arg(long)]
    pub update: bool,
    /// Only run cases whose name or path contains this text.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
}

/// Default `now` of a case.
pub const DEFAULT_NOW: &str = kql_engine::kqltest::DEFAULT_NOW;

/// Where a table or expectation comes from.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    /// A file (or a Parquet folder), resolved against the case's folder.
    File(PathBuf),
    /// Inline CSV text in the YAML.
    Inline(String),
}

/// One test case.
#[derive(Clone, Debug)]
struct Case {
    /// The case file.
    path: PathBuf,
    name: String,
    rule: PathBuf,
    now: String,
    tables: Vec<(String, Source)>,
    watchlists: Vec<(String, PathBuf)>,
    functions: Vec<PathBuf>,
    ignore_query_period: bool,
    fires: Option<bool>,
    rows: Option<Source>,
    ordered: bool,
    tolerance: Option<f64>,
}

fn is_case_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    matches!(name, "test.yaml" | "test.yml")
        || name.ends_with(".test.yaml")
        || name.ends_with(".test.yml")
        || is_kqltest(p)
}

/// A `.kqltest` file (`docs/kqltest-format.md`): self-contained query cases.
fn is_kqltest(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "kqltest")
}

/// Case files under `p` (or `p` itself), sorted.
fn find_cases(p: &Path) -> Vec<PathBuf> {
    if p.is_file() {
        return vec![p.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut stack = vec![p.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let q = e.path();
            if q.is_dir() {
                stack.push(q);
            } else if is_case_file(&q) {
                out.push(q);
            }
        }
    }
    out.sort();
    out
}

fn as_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A table/expectation value: text with a newline is inline CSV, else a path.
fn source(v: &Value, dir: &Path, what: &str) -> Result<Source, String> {
    match v {
        Value::String(s) if s.contains('\n') => Ok(Source::Inline(s.clone())),
        Value::String(s) => Ok(Source::File(dir.join(s))),
        _ => Err(format!(
            "{what}: expected a file path or inline CSV text (a `|` block)"
        )),
    }
}

/// Parses a case file.
fn load_case(path: &Path) -> Result<Case, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let v: Value = serde_yaml_ng::from_str(&text).map_err(|e| format!("not valid YAML: {e}"))?;
    let Value::Mapping(m) = &v else {
        return Err("expected a YAML mapping with `rule:` and `expect:`".into());
    };
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let folder_form = matches!(
        path.file_name().and_then(|n| n.to_str()),
        Some("test.yaml" | "test.yml")
    );
    const KEYS: &[&str] = &[
        "name",
        "rule",
        "now",
        "tables",
        "watchlists",
        "functions",
        "ignore_query_period",
        "expect",
        "description",
    ];
    for k in m.keys() {
        let k = as_str(k).unwrap_or_default();
        if !KEYS.contains(&k.as_str()) {
            let hint = kql_syntax::suggest::closest(&k, KEYS.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(format!("unknown key `{k}`{hint}"));
        }
    }
    let get = |k: &str| m.get(k);
    let rule = get("rule")
        .and_then(as_str)
        .ok_or("missing `rule:` (the path of the .kql or rule .yaml to test)")?;
    let name = get("name").and_then(as_str).unwrap_or_else(|| {
        if folder_form {
            dir.display().to_string()
        } else {
            path.display().to_string()
        }
    });
    let now = get("now")
        .and_then(as_str)
        .unwrap_or_else(|| DEFAULT_NOW.to_string());
    let mut tables = Vec::new();
    match get("tables") {
        Some(Value::Mapping(t)) => {
            for (k, v) in t {
                let k = as_str(k).ok_or("`tables:` keys must be table names")?;
                tables.push((k.clone(), source(v, &dir, &format!("table `{k}`"))?));
            }
        }
        Some(Value::Null) | None if folder_form => {
            let tdir = dir.join("tables");
            if let Ok(rd) = std::fs::read_dir(&tdir) {
                let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
                entries.sort();
                for p in entries {
                    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                    let stem = stem.strip_suffix(".json").unwrap_or(stem).to_string();
                    if !stem.is_empty() && !stem.starts_with('.') {
                        tables.push((stem, Source::File(p)));
                    }
                }
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => return Err("`tables:` must map table names to files or inline CSV".into()),
    }
    let mut watchlists = Vec::new();
    if let Some(w) = get("watchlists") {
        let Value::Mapping(w) = w else {
            return Err("`watchlists:` must map aliases to CSV files".into());
        };
        for (k, v) in w {
            let (Some(k), Some(v)) = (as_str(k), as_str(v)) else {
                return Err("`watchlists:` must map aliases to CSV files".into());
            };
            watchlists.push((k, dir.join(v)));
        }
    }
    let functions = match get("functions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(s)) => s.iter().filter_map(as_str).map(|p| dir.join(p)).collect(),
        Some(v) => as_str(v).map(|p| vec![dir.join(p)]).unwrap_or_default(),
    };
    let ignore_query_period = get("ignore_query_period")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let (mut fires, mut rows, mut ordered, mut tolerance) = (None, None, false, None);
    match get("expect") {
        Some(Value::String(s)) => match s.trim() {
            "fires" | "fire" => fires = Some(true),
            "does not fire" | "no fire" | "not fires" | "does_not_fire" => fires = Some(false),
            other => {
                return Err(format!(
                    "`expect: {other}`: use `fires`, `does not fire`, or a mapping with `fires:`/`rows:`"
                ));
            }
        },
        Some(Value::Mapping(e)) => {
            for k in e.keys() {
                let k = as_str(k).unwrap_or_default();
                if !["fires", "rows", "ordered", "tolerance"].contains(&k.as_str()) {
                    return Err(format!(
                        "unknown key `expect.{k}` (fires, rows, ordered, tolerance)"
                    ));
                }
            }
            fires = match e.get("fires") {
                None => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(_) => return Err("`expect.fires` must be true or false".into()),
            };
            if let Some(r) = e.get("rows") {
                rows = Some(source(r, &dir, "`expect.rows`")?);
            }
            ordered = e.get("ordered").and_then(Value::as_bool).unwrap_or(false);
            tolerance = e.get("tolerance").and_then(Value::as_f64);
        }
        None | Some(Value::Null) => {}
        Some(_) => return Err("`expect:` must be `fires`, `does not fire` or a mapping".into()),
    }
    if rows.is_none() && folder_form && dir.join("expected.csv").is_file() {
        rows = Some(Source::File(dir.join("expected.csv")));
    }
    if fires.is_none() && rows.is_none() {
        return Err(
            "nothing to check: add `expect: fires`, `expect: does not fire` or `expect: { rows: ... }`"
                .into(),
        );
    }
    Ok(Case {
        path: path.to_path_buf(),
        name,
        rule: dir.join(rule),
        now,
        tables,
        watchlists,
        functions,
        ignore_query_period,
        fires,
        rows,
        ordered,
        tolerance,
    })
}

/// A temporary folder removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: usize) -> Result<TempDir, String> {
        let d = std::env::temp_dir().join(format!("kql-test-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        Ok(TempDir(d))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read_text(p: &Path) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

/// Builds the session of a case: pinned now, fixture tables, watchlists, functions.
fn case_session(case: &Case, tmp: &TempDir) -> Result<Session, String> {
    let now = crate::setup::parse_now(&case.now)?;
    let mut s = Session::new(SessionOptions {
        now_ns: Some(now),
        target_partitions: Some(2),
        // As in `kql run`: a table without a fixture is an error, not an empty table.
        no_builtin_schemas: true,
        ..SessionOptions::default()
    })
    .map_err(|d| d.message)?;
    for (i, (name, src)) in case.tables.iter().enumerate() {
        let fixture = match src {
            Source::Inline(text) => fixture::read_csv(text),
            Source::File(p) => {
                let ext = p
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase)
                    .unwrap_or_default();
                match ext.as_str() {
                    _ if p.is_dir() || ext == "parquet" => {
                        if !p.exists() {
                            return Err(format!("table `{name}`: {} not found", p.display()));
                        }
                        s.add_table(name, TableSource::Parquet(p.clone()));
                        continue;
                    }
                    "csv" => fixture::read_csv(&read_text(p)?),
                    "jsonl" | "ndjson" | "json" => fixture::read_json_lines(&read_text(p)?),
                    _ => {
                        return Err(format!(
                            "table `{name}`: {} is not .csv, .jsonl or .parquet",
                            p.display()
                        ));
                    }
                }
            }
        }
        .map_err(|e| format!("table `{name}`: {e}"))?;
        let batch = fixture::to_batch(&fixture).map_err(|e| format!("table `{name}`: {e}"))?;
        let file = tmp.0.join(format!("t{i}.parquet"));
        fixture::write_parquet(&file, &batch)?;
        s.add_table(name, TableSource::Parquet(file));
    }
    for (alias, p) in &case.watchlists {
        if !p.is_file() {
            return Err(format!("watchlist `{alias}`: {} not found", p.display()));
        }
        s.add_watchlist(alias, p);
    }
    for f in &case.functions {
        let files: Vec<PathBuf> = if f.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(f)
                .map_err(|e| format!("{}: {e}", f.display()))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "kql"))
                .collect();
            v.sort();
            v
        } else {
            vec![f.clone()]
        };
        for file in files {
            let text = read_text(&file)?;
            let origin = file.display().to_string();
            s.add_functions(&text, &origin)
                .map_err(|d| d.render(&text, &origin))?;
        }
    }
    Ok(s)
}

/// Expected rows: header `(name, type)` (type `None` when the header does not say) and rows.
type Table = (Vec<(String, Option<String>)>, Vec<Vec<String>>);

/// Parses an expected-rows CSV (cells kept as text; `null` is null).
fn parse_expected(text: &str) -> Result<Table, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(format!("expected rows: {e}")),
        None => return Err("expected rows: empty (the first line names the columns)".into()),
    };
    let mut cols = Vec::new();
    for c in header.iter() {
        let (name, ty) =
            fixture::parse_header_cell(c).map_err(|e| format!("expected rows: {e}"))?;
        cols.push((name, ty.map(|t| t.name().to_string())));
    }
    let mut rows = Vec::new();
    for (i, r) in records.enumerate() {
        let r = r.map_err(|e| format!("expected rows, row {}: {e}", i + 1))?;
        if r.len() != cols.len() {
            return Err(format!(
                "expected rows, row {}: {} cells for {} columns",
                i + 1,
                r.len(),
                cols.len()
            ));
        }
        rows.push(r.iter().map(str::to_string).collect());
    }
    Ok((cols, rows))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s != s.trim() {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| csv_field(c))
        .collect::<Vec<_>>()
        .join(",")
}

/// The actual result as expected-rows CSV text.
fn actual_csv(rs: Option<&ResultSet>) -> String {
    let Some(rs) = rs else {
        return String::new();
    };
    let (cols, rows) = kql_engine::kqltest::render(rs);
    let mut s = csv_line(
        &cols
            .iter()
            .map(|(n, t)| format!("{n}:{t}"))
            .collect::<Vec<_>>(),
    );
    s.push('\n');
    for r in rows {
        s.push_str(&csv_line(&r));
        s.push('\n');
    }
    s
}

/// Cell equality: exact text; JSON equality for dynamic; tolerance for reals.
fn cell_eq(ty: &str, got: &str, want: &str, tolerance: Option<f64>) -> bool {
    if got == want {
        return true;
    }
    if ty == "dynamic" {
        if let (Ok(a), Ok(b)) = (
            serde_json::from_str::<serde_json::Value>(got),
            serde_json::from_str::<serde_json::Value>(want),
        ) {
            return a == b;
        }
        return false;
    }
    if ty == "real"
        && let Some(tol) = tolerance
        && let (Ok(x), Ok(y)) = (got.parse::<f64>(), want.parse::<f64>())
    {
        return (x - y).abs() <= tol * x.abs().max(y.abs()) || (x.is_nan() && y.is_nan());
    }
    false
}

/// Compares the actual result with the expected rows; `Err` holds a readable diff.
fn compare_rows(case: &Case, rs: Option<&ResultSet>, want: &Table) -> Result<(), String> {
    let Some(rs) = rs else {
        return Err("the rule returned no tabular result".into());
    };
    let (got_cols, got_rows) = kql_engine::kqltest::render(rs);
    let (want_cols, want_rows) = want;
    let header_ok = got_cols.len() == want_cols.len()
        && got_cols
            .iter()
            .zip(want_cols)
            .all(|((gn, gt), (wn, wt))| gn == wn && wt.as_ref().is_none_or(|t| t == gt));
    let fmt_cols = |c: &[(String, String)]| {
        c.iter()
            .map(|(n, t)| format!("{n}:{t}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    if !header_ok {
        let want_text = want_cols
            .iter()
            .map(|(n, t)| match t {
                Some(t) => format!("{n}:{t}"),
                None => n.clone(),
            })
            .collect::<Vec<_>>()
            .join(",");
        return Err(format!(
            "columns differ\n  - {want_text}\n  + {}",
            fmt_cols(&got_cols)
        ));
    }
    let types: Vec<&str> = got_cols.iter().map(|(_, t)| t.as_str()).collect();
    let row_eq = |g: &[String], w: &[String]| {
        g.iter()
            .zip(w)
            .zip(&types)
            .all(|((a, b), t)| cell_eq(t, a, b, case.tolerance))
    };
    // Multiset matching: which expected rows have a partner.
    let mut used = vec![false; got_rows.len()];
    let mut missing = Vec::new();
    for w in want_rows {
        match (0..got_rows.len()).find(|&i| !used[i] && row_eq(&got_rows[i], w)) {
            Some(i) => used[i] = true,
            None => missing.push(w),
        }
    }
    let extra: Vec<&Vec<String>> = got_rows
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(r, _)| r)
        .collect();
    if missing.is_empty() && extra.is_empty() {
        if case.ordered && !got_rows.iter().zip(want_rows).all(|(g, w)| row_eq(g, w)) {
            let list = |rows: &[Vec<String>]| {
                rows.iter()
                    .map(|r| format!("    {}", csv_line(r)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            return Err(format!(
                "same rows in a different order (ordered: true)\n  expected:\n{}\n  got:\n{}",
                list(want_rows),
                list(&got_rows)
            ));
        }
        return Ok(());
    }
    let mut s = format!(
        "rows differ (expected {}, got {}{}); - expected only, + actual only:",
        want_rows.len(),
        got_rows.len(),
        if case.ordered { "" } else { ", order ignored" }
    );
    s.push_str(&format!("\n    {}", fmt_cols(&got_cols)));
    for r in &missing {
        s.push_str(&format!("\n  - {}", csv_line(r)));
    }
    for r in &extra {
        s.push_str(&format!("\n  + {}", csv_line(r)));
    }
    Err(s)
}

/// The result of one case.
enum Verdict {
    Pass,
    Fail(String),
    Updated(String),
}

/// Replaces the `key:` block scalar or scalar value inside the `expect:` mapping of a YAML
/// text; returns `None` when it cannot be found.
fn replace_expect_value(text: &str, key: &str, value: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let expect = lines
        .iter()
        .position(|l| l.trim_end() == "expect:" || l.starts_with("expect:"))?;
    let is_key = |l: &str| {
        let t = l.trim_start();
        t.starts_with(&format!("{key}:")) && l.len() > t.len()
    };
    let k = (expect + 1..lines.len())
        .take_while(|&i| lines[i].starts_with([' ', '\t']) || lines[i].trim().is_empty())
        .find(|&i| is_key(lines[i]))?;
    let line = lines[k];
    let indent = line.len() - line.trim_start().len();
    let after = line.trim_start()[key.len() + 1..].trim();
    let mut end = k + 1;
    if after.starts_with('|') || after.starts_with('>') {
        while end < lines.len()
            && (lines[end].trim().is_empty()
                || lines[end].len() - lines[end].trim_start().len() > indent)
        {
            end += 1;
        }
        // Keep trailing blank lines outside the block.
        while end > k + 1 && lines[end - 1].trim().is_empty() {
            end -= 1;
        }
    }
    let mut out: String = lines[..k].concat();
    let pad = " ".repeat(indent);
    if value.contains('\n') {
        out.push_str(&format!("{pad}{key}: |\n"));
        for l in value.lines() {
            out.push_str(&format!("{pad}  {l}\n"));
        }
    } else {
        out.push_str(&format!("{pad}{key}: {value}\n"));
    }
    out.push_str(&lines[end..].concat());
    Some(out)
}

fn run_case(case: &Case, tag: usize, update: bool) -> Result<Verdict, String> {
    let tmp = TempDir::new(tag)?;
    let mut session = case_session(case, &tmp)?;
    if !case.rule.is_file() {
        return Err(format!("rule {} not found", case.rule.display()));
    }
    let Evaluation { outcome, .. } = evaluate(&mut session, &case.rule, case.ignore_query_period);
    let (fired, rows, result) = match outcome {
        Outcome::Error(d, src) => {
            let origin = case.rule.display().to_string();
            let text = if src.is_empty() {
                format!("error[{}]: {}\n --> {origin}\n", d.code, d.message)
            } else {
                d.render(&src, &origin)
            };
            return Ok(Verdict::Fail(format!(
                "the rule failed:\n{}",
                indent(text.trim_end())
            )));
        }
        Outcome::Ran {
            fired,
            rows,
            result,
        } => (fired, rows, result),
    };
    let mut problems = Vec::new();
    if let Some(want) = case.fires
        && want != fired
    {
        problems.push(format!(
            "expected the rule to {}, but it {} ({rows} row{})",
            if want { "fire" } else { "not fire" },
            if fired { "fired" } else { "did not fire" },
            if rows == 1 { "" } else { "s" }
        ));
    }
    if let Some(src) = &case.rows {
        let text = match src {
            Source::Inline(t) => t.clone(),
            Source::File(p) if update && !p.exists() => String::new(),
            Source::File(p) => read_text(p)?,
        };
        let cmp = if text.trim().is_empty() {
            Err("no expected rows yet".to_string())
        } else {
            parse_expected(&text).and_then(|want| compare_rows(case, result.as_ref(), &want))
        };
        if let Err(e) = cmp {
            problems.push(e);
        }
    }
    if problems.is_empty() {
        return Ok(Verdict::Pass);
    }
    if !update {
        return Ok(Verdict::Fail(problems.join("\n")));
    }
    // --update: rewrite the expectations from the actual result.
    let mut changed = Vec::new();
    let mut yaml = read_text(&case.path)?;
    if case.fires.is_some_and(|f| f != fired) {
        yaml = replace_expect_value(&yaml, "fires", &fired.to_string()).ok_or(
            "--update: cannot find `fires:` under `expect:` to rewrite (use the mapping form)",
        )?;
        changed.push(format!("fires: {fired}"));
    }
    if let Some(src) = &case.rows {
        let csv = actual_csv(result.as_ref());
        match src {
            Source::File(p) => {
                std::fs::write(p, &csv).map_err(|e| format!("{}: {e}", p.display()))?;
                changed.push(format!("rows -> {}", p.display()));
            }
            Source::Inline(_) => {
                yaml = replace_expect_value(&yaml, "rows", csv.trim_end())
                    .ok_or("--update: cannot find `rows:` under `expect:` to rewrite")?;
                changed.push("rows (inline)".to_string());
            }
        }
    }
    std::fs::write(&case.path, yaml).map_err(|e| format!("{}: {e}", case.path.display()))?;
    Ok(Verdict::Updated(changed.join(", ")))
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `kql test`: returns the exit code (0 all passed, 1 a failure, 2 nothing to run).
pub fn run(args: &TestArgs) -> u8 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("queries/tests")]
    } else {
        args.paths.clone()
    };
    let mut files = Vec::new();
    for p in &paths {
        if !p.exists() {
            eprintln!("error: {} does not exist", p.display());
            return 2;
        }
        files.extend(find_cases(p));
    }
    if files.is_empty() {
        eprintln!(
            "error: no test cases (test.yaml, *.test.yaml, *.kqltest) under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return 2;
    }
    let (mut passed, mut failed, mut updated) = (0, 0, 0);
    for (i, f) in files.iter().enumerate() {
        if is_kqltest(f) {
            let (p, n) = run_kqltest_file(f, args);
            passed += p;
            failed += n;
            continue;
        }
        let case = load_case(f);
        let label = match &case {
            Ok(c) => c.name.clone(),
            Err(_) => f.display().to_string(),
        };
        if let Some(filter) = &args.filter
            && !label.contains(filter.as_str())
            && !f.display().to_string().contains(filter.as_str())
        {
            continue;
        }
        let t0 = std::time::Instant::now();
        let verdict = case.and_then(|c| run_case(&c, i, args.update));
        let ms = t0.elapsed().as_millis();
        match verdict {
            Ok(Verdict::Pass) => {
                passed += 1;
                println!("PASS  {label}  ({ms} ms)");
            }
            Ok(Verdict::Updated(what)) => {
                updated += 1;
                passed += 1;
                println!("UPDATED  {label}: {what}");
            }
            Ok(Verdict::Fail(why)) => {
                failed += 1;
                println!("FAIL  {label}{}\n{}", origin(&label, f), indent_diff(&why));
            }
            Err(e) => {
                failed += 1;
                let code = if e.contains(DATA_ERROR) {
                    " [data]"
                } else {
                    ""
                };
                println!("FAIL  {label}{}{code}\n  error: {e}", origin(&label, f));
            }
        }
    }
    if updated > 0 {
        println!("{updated} expectation(s) updated");
    }
    println!("{passed} passed, {failed} failed");
    u8::from(failed > 0)
}

/// Runs the cases of a `.kqltest` file (`--update` does not apply to them); returns
/// (passed, failed).
fn run_kqltest_file(f: &Path, args: &TestArgs) -> (usize, usize) {
    let file = f.display().to_string();
    let cases = match read_text(f).and_then(|t| kql_engine::kqltest::parse_file(&t)) {
        Ok(c) => c,
        Err(e) => {
            println!("FAIL  {file}\n  error: {e}");
            return (0, 1);
        }
    };
    let (mut passed, mut failed) = (0, 0);
    for case in cases {
        let label = format!("{file}: {}", case.name);
        if args
            .filter
            .as_ref()
            .is_some_and(|flt| !label.contains(flt.as_str()))
        {
            continue;
        }
        let t0 = std::time::Instant::now();
        match kql_engine::kqltest::run_case(&case) {
            Ok(()) => {
                passed += 1;
                println!("PASS  {label}  ({} ms)", t0.elapsed().as_millis());
            }
            Err(e) => {
                failed += 1;
                println!("FAIL  {label}  (line {})\n{}", case.line, indent_diff(&e));
            }
        }
    }
    (passed, failed)
}

/// `  (path)` when the label is not the path already.
fn origin(label: &str, f: &Path) -> String {
    let p = f.display().to_string();
    if p == label || p.starts_with(label) {
        String::new()
    } else {
        format!("  ({p})")
    }
}

/// Indents a failure explanation by two spaces (diff lines keep their markers).
fn indent_diff(s: &str) -> String {
    s.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expect_values_are_rewritten_in_place() {
        let yaml = "rule: r.kql\nexpect:\n  fires: true\n  rows: |\n    a:long\n    1\n\n# trailing comment\n";
        let y = replace_expect_value(yaml, "fires", "false").unwrap();
        assert_eq!(
            y,
            "rule: r.kql\nexpect:\n  fires: false\n  rows: |\n    a:long\n    1\n\n# trailing comment\n"
        );
        let y = replace_expect_value(&y, "rows", "a:long\n2\n3").unwrap();
        assert_eq!(
            y,
            "rule: r.kql\nexpect:\n  fires: false\n  rows: |\n    a:long\n    2\n    3\n\n# trailing comment\n"
        );
        assert!(replace_expect_value("rule: x\n", "rows", "a").is_none());
    }

    #[test]
    fn cells_compare_dynamic_as_json_and_reals_with_tolerance() {
        assert!(cell_eq(
            "dynamic",
            "{\"a\":1,\"b\":2}",
            "{\"b\": 2, \"a\": 1}",
            None
        ));
        assert!(!cell_eq("string", "a", "b", None));
        assert!(cell_eq("real", "0.30000000000000004", "0.3", Some(1e-9)));
        assert!(!cell_eq("real", "0.30000000000000004", "0.3", None));
    }

    #[test]
    fn expected_csv_header_types_are_optional() {
        let (cols, rows) = parse_expected("A:long,B\n1,x\n").unwrap();
        assert_eq!(
            cols,
            vec![("A".into(), Some("long".into())), ("B".into(), None)]
        );
        assert_eq!(rows, vec![vec!["1".to_string(), "x".to_string()]]);
        assert!(
            parse_expected("A,B\n1\n")
                .unwrap_err()
                .contains("1 cells for 2")
        );
    }
}

//! `kql-bench`: the benchmark table (see `docs/performance.md`).
//!
//! ```text
//! cargo run --release -p kql-bench -- --rows 10000000
//! ```
//!
//! Generates the data set once (`target/bench-data/<rows>/`), then measures every query on
//! both engines, each measurement in its own child process (a clean peak RSS), and prints a
//! Markdown table: median of the timed runs, rows/s, peak RSS, and the ratio kql/floor.

use kql_bench::queries::{self, ALL, Params, QueryId};
use kql_bench::runner::{self, Engine, ExecSettings, Measurement};
use kql_testdata::scale::parse_count;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const USAGE: &str = "\
usage: kql-bench [--rows N] [--data DIR] [--rules DIR] [--runs R] [--only Q1,Q2]
                 [--engines kql,floor] [--memory-limit SIZE] [--target-partitions N]
                 [--no-warmup] [--in-process] [--explain]

  --rows N              rows of ASimNetworkSessionLogs (10M, 100M, 500k ...; default 10M)
  --data DIR            data directory (default target/bench-data/<rows>; generated when
                        missing)
  --rules DIR           Sentinel rules (default ../shared/sentinel/rules)
  --runs R              timed runs per measurement, after one warm-up run (default 5)
  --only LIST           queries to run (default all): rule.analytic, rule.hunting,
                        rule.summary, filter_project, summarize_bin_5keys, dcount,
                        join_1m_10k, mv_expand_split, make_series_10k
  --engines LIST        kql, floor or both (default)
  --memory-limit SIZE   memory pool of both engines, e.g. 2GiB (spills beyond it)
  --target-partitions N DataFusion partitions (default: number of CPUs)
  --in-process          measure in this process (peak RSS is then cumulative)
  --explain             print the plans of the selected queries instead of timing them

environment: KQL_BENCH_FLOOR_UTF8=1 makes the floor read strings as Utf8 (as the engine
does) instead of DataFusion's default Utf8View";

struct Args {
    rows: u64,
    data: Option<PathBuf>,
    rules: Option<PathBuf>,
    runs: usize,
    only: Vec<QueryId>,
    engines: Vec<Engine>,
    settings: ExecSettings,
    warmup: bool,
    in_process: bool,
    explain: bool,
    child: Option<(Engine, QueryId)>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        rows: 10_000_000,
        data: None,
        rules: None,
        runs: 5,
        only: ALL.to_vec(),
        engines: vec![Engine::Floor, Engine::Kql],
        settings: ExecSettings::default(),
        warmup: true,
        in_process: false,
        explain: false,
        child: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--rows" => {
                let v = value()?;
                a.rows = parse_count(&v).ok_or_else(|| format!("bad --rows `{v}`"))?;
            }
            "--data" => a.data = Some(PathBuf::from(value()?)),
            "--rules" => a.rules = Some(PathBuf::from(value()?)),
            "--runs" => {
                let v = value()?;
                a.runs = v.parse().map_err(|_| format!("bad --runs `{v}`"))?;
            }
            "--only" => {
                let v = value()?;
                a.only = v
                    .split(',')
                    .map(|n| {
                        QueryId::from_name(n.trim()).ok_or_else(|| format!("unknown query `{n}`"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--engines" => {
                let v = value()?;
                a.engines = v
                    .split(',')
                    .map(|n| {
                        Engine::from_name(n.trim()).ok_or_else(|| format!("unknown engine `{n}`"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--memory-limit" => {
                let v = value()?;
                a.settings.memory_limit = Some(kql_engine::parse_memory_size(&v)?);
            }
            "--target-partitions" => {
                let v = value()?;
                a.settings.target_partitions = Some(
                    v.parse()
                        .map_err(|_| format!("bad --target-partitions `{v}`"))?,
                );
            }
            "--no-warmup" => a.warmup = false,
            "--in-process" => a.in_process = true,
            "--explain" => a.explain = true,
            "--child" => {
                let e = value()?;
                let q = it.next().ok_or("--child needs ENGINE QUERY")?;
                a.child = Some((
                    Engine::from_name(&e).ok_or_else(|| format!("unknown engine `{e}`"))?,
                    QueryId::from_name(&q).ok_or_else(|| format!("unknown query `{q}`"))?,
                ));
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(a)
}

/// The workspace root (this crate is `crates/kql-bench`).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn params(a: &Args) -> Params {
    let data = a.data.clone().unwrap_or_else(|| {
        workspace_root()
            .join("target/bench-data")
            .join(a.rows.to_string())
    });
    let rules = a
        .rules
        .clone()
        .unwrap_or_else(|| workspace_root().join("../shared/sentinel/rules"));
    Params {
        data,
        rules,
        now_ns: kql_testdata::NOW_NS,
        rows: a.rows,
    }
}

/// Generates the data set unless a complete one is there.
fn ensure_data(p: &Params) -> Result<(), String> {
    let marker = p.data.join(".complete");
    if std::fs::read_to_string(&marker).is_ok_and(|s| s.trim() == p.rows.to_string()) {
        return Ok(());
    }
    eprintln!(
        "generating {} rows into {} (once) ...",
        p.rows,
        p.data.display()
    );
    let t = std::time::Instant::now();
    let r = kql_testdata::scale::generate_scale(&kql_testdata::scale::ScaleOptions::new(
        p.rows,
        p.data.clone(),
    ))?;
    eprintln!(
        "  {} rows in {} files, {:.1} s",
        r.rows,
        r.files.len(),
        t.elapsed().as_secs_f64()
    );
    std::fs::write(&marker, format!("{}\n", p.rows)).map_err(|e| e.to_string())
}

/// Runs one measurement in a child process (this binary with `--child`).
fn measure_child(a: &Args, p: &Params, e: Engine, q: QueryId) -> Result<Measurement, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(exe);
    cmd.arg("--child")
        .arg(e.name())
        .arg(q.name())
        .arg("--rows")
        .arg(a.rows.to_string())
        .arg("--data")
        .arg(&p.data)
        .arg("--rules")
        .arg(&p.rules)
        .arg("--runs")
        .arg(a.runs.to_string());
    if let Some(m) = a.settings.memory_limit {
        cmd.arg("--memory-limit").arg(m.to_string());
    }
    if let Some(t) = a.settings.target_partitions {
        cmd.arg("--target-partitions").arg(t.to_string());
    }
    if !a.warmup {
        cmd.arg("--no-warmup");
    }
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "child {} {} failed ({})",
            e.name(),
            q.name(),
            out.status
        ));
    }
    stdout
        .lines()
        .rev()
        .find_map(|l| {
            l.strip_prefix("MEASUREMENT ")
                .and_then(Measurement::from_json)
        })
        .ok_or_else(|| format!("child {} {}: no measurement", e.name(), q.name()))
}

fn explain(p: &Params, a: &Args) -> Result<(), String> {
    for &q in &a.only {
        let query = queries::kql(q, p)?;
        let runner = runner::Runner::new(Engine::Kql, q, p, &a.settings)?;
        if let runner::Runner::Kql(session, _) = &runner {
            let (logical, physical) = session.explain(&query.text).map_err(|d| d.message)?;
            println!(
                "== {} (kql)\n{logical}\n-- physical --\n{physical}",
                q.name()
            );
        }
    }
    Ok(())
}

fn mib(kib: u64) -> String {
    format!("{:.0}", kib as f64 / 1024.0)
}

fn main() -> ExitCode {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if e.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let p = params(&a);
    if let Some((e, q)) = a.child {
        return match runner::measure(e, q, &p, &a.settings, a.runs, a.warmup) {
            Ok(m) => {
                println!("MEASUREMENT {}", m.to_json());
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("error: {} {}: {err}", e.name(), q.name());
                ExitCode::FAILURE
            }
        };
    }
    if let Err(e) = ensure_data(&p) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    if a.explain {
        return match explain(&p, &a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut rows_out = Vec::new();
    let mut failed = false;
    for &q in &a.only {
        let mut results: Vec<(Engine, Result<Measurement, String>)> = Vec::new();
        for &e in &a.engines {
            eprintln!("measuring {} on {} ...", q.name(), e.name());
            let m = if a.in_process {
                runner::measure(e, q, &p, &a.settings, a.runs, a.warmup)
            } else {
                measure_child(&a, &p, e, q)
            };
            if let Ok(m) = &m {
                eprintln!(
                    "  median {:.3} s over {:?}, {} rows, peak RSS {} MiB",
                    m.median(),
                    m.seconds
                        .iter()
                        .map(|s| (s * 1000.0).round() / 1000.0)
                        .collect::<Vec<_>>(),
                    m.rows,
                    mib(m.peak_rss_kib)
                );
            }
            results.push((e, m));
        }
        let get = |e: Engine| {
            results
                .iter()
                .find(|(x, _)| *x == e)
                .and_then(|(_, m)| m.as_ref().ok())
        };
        for (e, m) in &results {
            if let Err(err) = m {
                eprintln!("error: {} on {}: {err}", q.name(), e.name());
                failed = true;
            }
        }
        let (k, f) = (get(Engine::Kql), get(Engine::Floor));
        let rows = match (k, f) {
            (Some(k), Some(f)) if k.rows == f.rows => k.rows.to_string(),
            (Some(k), Some(f)) => {
                failed = true;
                format!("{} ≠ {} (MISMATCH)", k.rows, f.rows)
            }
            (Some(m), None) | (None, Some(m)) => m.rows.to_string(),
            (None, None) => "-".to_string(),
        };
        if let (Some(k), Some(expected)) = (k, queries::expected_rows(q))
            && k.rows != expected
        {
            eprintln!(
                "error: {} returned {} rows through kql, expected {expected}",
                q.name(),
                k.rows
            );
            failed = true;
        }
        let secs = |m: Option<&Measurement>| m.map_or("-".into(), |m| format!("{:.3}", m.median()));
        let rate = |m: Option<&Measurement>| {
            m.map_or("-".into(), |m| {
                format!("{:.1}", a.rows as f64 / m.median() / 1e6)
            })
        };
        let rss = |m: Option<&Measurement>| m.map_or("-".into(), |m| mib(m.peak_rss_kib));
        let ratio = match (k, f) {
            (Some(k), Some(f)) => format!("{:.2}", k.median() / f.median()),
            _ => "-".into(),
        };
        rows_out.push(format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            q.name(),
            rows,
            secs(k),
            secs(f),
            ratio,
            rate(k),
            rate(f),
            rss(k),
            rss(f)
        ));
    }
    println!(
        "\n{} rows of ASimNetworkSessionLogs, median of {} runs{}{}\n",
        a.rows,
        a.runs,
        a.settings
            .memory_limit
            .map(|m| format!(", memory limit {} MiB", m >> 20))
            .unwrap_or_default(),
        a.settings
            .target_partitions
            .map(|t| format!(", {t} partitions"))
            .unwrap_or_default()
    );
    println!(
        "| query | rows out | kql s | floor s | kql/floor | kql Mrows/s | floor Mrows/s | kql peak RSS MiB | floor peak RSS MiB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows_out {
        println!("{r}");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

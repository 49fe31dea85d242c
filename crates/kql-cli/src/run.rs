//! `kql run FILE`: runs a `.kql` file or a Sentinel rule `.yaml` and prints the results.
//!
//! For rule files the YAML metadata is used: `queryPeriod` limits every table's
//! `TimeGenerated` to the rule's look-back (as Sentinel does), `triggerOperator` /
//! `triggerThreshold` decide whether the rule would fire (printed on stderr; the exit code
//! is 3 only with `--fail-on-alert`), and the columns named by `entityMappings` and
//! `customDetails` must exist in the output.

use crate::output::{OutputFormat, write_result};
use crate::rule_file::RuleFile;
use crate::setup::{SessionArgs, open_session};
use kql_syntax::Diagnostic;
use serde_yaml_ng::Value;
use std::path::Path;

/// Arguments of `kql run`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// A `.kql` file or a Sentinel rule `.yaml`; or several files, directories (searched
    /// recursively for `.yaml`/`.yml`/`.kql`) or quoted globs (`'rules/**/*.yaml'`), which
    /// print one line per rule and a summary.
    #[arg(value_name = "FILE|DIR|GLOB", required = true)]
    pub files: Vec<String>,
    #[command(flatten)]
    pub session: SessionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
    /// Exit with code 3 when a rule would fire (rule files only).
    #[arg(long)]
    pub fail_on_alert: bool,
    /// Ignore the rule's `queryPeriod` (do not limit TimeGenerated).
    #[arg(long)]
    pub ignore_query_period: bool,
}

/// The parts of a Sentinel rule's YAML that `run` uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleMeta {
    /// `name` / `displayName`.
    pub name: Option<String>,
    /// `queryPeriod` (e.g. `14d`).
    pub query_period: Option<String>,
    /// `queryFrequency`.
    pub query_frequency: Option<String>,
    /// `triggerOperator` (gt, lt, eq, ne).
    pub trigger_operator: Option<String>,
    /// `triggerThreshold`.
    pub trigger_threshold: Option<i64>,
    /// Columns named by `entityMappings[].fieldMappings[].columnName`.
    pub entity_columns: Vec<String>,
    /// Columns named by `customDetails` values.
    pub custom_columns: Vec<String>,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl RuleMeta {
    /// Reads the metadata of a rule YAML document.
    pub fn from_yaml(v: &Value) -> RuleMeta {
        let get = |k: &str| v.get(k);
        let mut m = RuleMeta {
            name: text(get("name")).or_else(|| text(get("displayName"))),
            query_period: text(get("queryPeriod")),
            query_frequency: text(get("queryFrequency")),
            trigger_operator: text(get("triggerOperator")),
            trigger_threshold: get("triggerThreshold").and_then(|t| {
                t.as_i64()
                    .or_else(|| t.as_str().and_then(|s| s.parse().ok()))
            }),
            ..RuleMeta::default()
        };
        if let Some(Value::Sequence(maps)) = get("entityMappings") {
            for em in maps {
                if let Some(Value::Sequence(fms)) = em.get("fieldMappings") {
                    for fm in fms {
                        if let Some(c) = text(fm.get("columnName")) {
                            m.entity_columns.push(c);
                        }
                    }
                }
            }
        }
        if let Some(Value::Mapping(cd)) = get("customDetails") {
            for (_, col) in cd {
                if let Some(c) = text(Some(col)) {
                    m.custom_columns.push(c);
                }
            }
        }
        m
    }

    /// Whether `rows` results make the rule fire.
    pub fn fires(&self, rows: usize) -> Option<bool> {
        let op = self.trigger_operator.as_deref()?;
        let t = self.trigger_threshold.unwrap_or(0);
        let n = rows as i64;
        Some(match op.to_ascii_lowercase().as_str() {
            "gt" | "greaterthan" => n > t,
            "lt" | "lessthan" => n < t,
            "eq" | "equal" => n == t,
            "ne" | "notequal" => n != t,
            _ => return None,
        })
    }
}

/// Runs the command; returns the process exit code.
pub fn run(args: &RunArgs) -> u8 {
    if let [one] = args.files.as_slice()
        && !Path::new(one).is_dir()
        && !crate::rules::is_glob(one)
    {
        return run_one(args, Path::new(one));
    }
    crate::rules::run_many(args)
}

/// `kql run FILE`: prints the results of one rule or query.
fn run_one(args: &RunArgs, file: &Path) -> u8 {
    let rf = match RuleFile::load(file) {
        Ok(rf) => rf,
        Err(d) => {
            eprint!("{}", render_plain(&d, &file.display().to_string()));
            return 1;
        }
    };
    for w in &rf.warnings {
        eprintln!("warning[{}]: {}", w.code, w.message);
    }
    let meta = rf
        .yaml
        .as_ref()
        .map(RuleMeta::from_yaml)
        .unwrap_or_default();
    let Some(mut session) = open_session(&args.session) else {
        return 1;
    };
    if !args.ignore_query_period
        && let Some(p) = &meta.query_period
    {
        match kql_syntax::literal::parse_timespan_text(p) {
            Some(ticks) => {
                session.set_time_window(Some(ticks.saturating_mul(100)));
                eprintln!("queryPeriod {p}: tables are limited to TimeGenerated >= now() - {p}");
            }
            None => eprintln!("warning: cannot read queryPeriod `{p}`; not applied"),
        }
    }
    let name = file.display().to_string();
    let out = match session.run(&rf.query) {
        Ok(o) => o,
        Err(d) => {
            let (d, src) = rf.to_file_diagnostic(d);
            eprint!("{}", d.render(src, &name));
            return 1;
        }
    };
    for w in &out.warnings {
        let (w, src) = rf.to_file_diagnostic(w.clone());
        eprint!("{}", w.render(src, &name));
    }
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    for rs in &out.results {
        if let Err(e) = write_result(&mut lock, rs, args.format, terminal_width()) {
            eprintln!("error: cannot write output: {e}");
            return 1;
        }
    }
    let _ = std::io::Write::flush(&mut lock);
    drop(lock);
    let Some(last) = out.results.last() else {
        return 0;
    };
    // Rule checks.
    let cols: Vec<&str> = last.columns.iter().map(|c| c.name.as_str()).collect();
    let mut bad = false;
    for (what, list) in [
        ("entityMappings", &meta.entity_columns),
        ("customDetails", &meta.custom_columns),
    ] {
        for c in list {
            if !cols.contains(&c.as_str()) {
                eprintln!(
                    "error[KQL5006]: {what} refers to column `{c}`, which the query does not return (columns: {})",
                    cols.join(", ")
                );
                bad = true;
            }
        }
    }
    if bad {
        return 1;
    }
    let rows = last.num_rows();
    if let Some(fires) = meta.fires(rows) {
        let op = meta.trigger_operator.clone().unwrap_or_default();
        let t = meta.trigger_threshold.unwrap_or(0);
        let rule = meta.name.clone().unwrap_or_else(|| name.clone());
        if fires {
            eprintln!("FIRED: {rule}: {rows} row(s), trigger {op} {t}");
            if args.fail_on_alert {
                return 3;
            }
        } else {
            eprintln!("not fired: {rule}: {rows} row(s), trigger {op} {t}");
        }
    } else if args.format == OutputFormat::Table {
        eprintln!("{rows} row(s)");
    }
    0
}

/// Terminal width for tables, when stdout is a terminal.
pub fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    comfy_table::Table::new().width()
}

/// A diagnostic without source context.
fn render_plain(d: &Diagnostic, origin: &str) -> String {
    let mut s = format!("error[{}]: {}\n --> {origin}\n", d.code, d.message);
    if let Some(h) = &d.help {
        s.push_str(&format!("  = help: {h}\n"));
    }
    s
}

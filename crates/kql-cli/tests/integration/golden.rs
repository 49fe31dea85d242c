//! Golden tests: the seed Sentinel rules (`../shared/sentinel/rules/`, their `variants/`, the
//! seed-003 hunting query document) and our example queries (`queries/`) run with
//! `kql run FILE --data testdata --format csv` (now pinned by `testdata/now.txt`), compared
//! with `crates/kql-cli/tests/golden/<name>.csv`. Each expected file is derived by
//! construction of the data, not from the engine: `<name>.md` beside it says why each row
//! is there and why the planted near-misses are absent.
//!
//! Comparison: same column names in the same order; rows as a multiset (or in order when the
//! query sorts); columns produced by `make_set` compared as sets. A `<name>.error` file
//! instead of a CSV expects the run to fail: first line the diagnostic code, second line
//! text the message must contain.
//!
//! Cases needing `../shared` are skipped with a notice when it is absent, and fail when the
//! environment variable `CI` is set.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where a case's KQL comes from.
enum Input {
    /// A file under `../shared/` (a `*` in the file name matches anything).
    Shared(&'static str),
    /// A file under the repository root.
    Repo(&'static str),
}

/// One golden case.
struct Case {
    /// Golden file stem in `crates/kql-cli/tests/golden/`.
    name: &'static str,
    input: Input,
    /// Rows must come in this order (the query sorts).
    ordered: bool,
    /// Dynamic-array columns compared as sets.
    sets: &'static [&'static str],
    /// For rule files with a trigger: whether `kql run` must report that the rule fired.
    fires: Option<bool>,
}

const PORT_SETS: &[&str] = &["NetworkProtocols", "NetworkDirections", "DvcActions"];

const CASES: &[Case] = &[
    Case {
        name: "DetectPortMisuseByAnomalyBasedDetection",
        input: Input::Shared("sentinel/rules/DetectPortMisuseByAnomalyBasedDetection.yaml"),
        ordered: false,
        sets: PORT_SETS,
        fires: Some(true),
    },
    Case {
        name: "DetectPortMisuseByAnomalyHunting",
        input: Input::Shared("sentinel/rules/DetectPortMisuseByAnomalyHunting.yaml"),
        ordered: false,
        sets: PORT_SETS,
        fires: None,
    },
    Case {
        name: "IPEntity_imWebSession",
        input: Input::Shared("sentinel/rules/IPEntity_imWebSession.yaml"),
        ordered: false,
        sets: &[],
        fires: Some(true),
    },
    Case {
        name: "NetworkSummary_Threat_IOC",
        input: Input::Shared("sentinel/rules/NetworkSummary_Threat_IOC.yaml"),
        ordered: false,
        sets: &[],
        fires: None,
    },
    Case {
        name: "DetectPortMisuseByAnomalyBasedDetection_v1.3.0_xdr",
        input: Input::Shared(
            "sentinel/rules/variants/DetectPortMisuseByAnomalyBasedDetection_v1.3.0_xdr.yaml",
        ),
        ordered: false,
        sets: PORT_SETS,
        fires: None,
    },
    Case {
        name: "IPEntity_imWebSession_ThreatIntelIndicators",
        input: Input::Shared(
            "sentinel/rules/variants/IPEntity_imWebSession_ThreatIntelIndicators.yaml",
        ),
        ordered: false,
        sets: &[],
        fires: None,
    },
    Case {
        name: "seed_003_hunting",
        input: Input::Shared("seeds/003_*.txt"),
        ordered: false,
        sets: PORT_SETS,
        fires: None,
    },
    Case {
        name: "sessions_per_day",
        input: Input::Repo("queries/sessions_per_day.kql"),
        ordered: true,
        sets: &[],
        fires: None,
    },
    Case {
        name: "top_ports_last_day",
        input: Input::Repo("queries/top_ports_last_day.kql"),
        ordered: true,
        sets: &["Protocols"],
        fires: None,
    },
    Case {
        name: "port_anomalies",
        input: Input::Repo("queries/port_anomalies.kql"),
        ordered: true,
        sets: &[],
        fires: None,
    },
    Case {
        name: "ioc_web_matches",
        input: Input::Repo("queries/ioc_web_matches.kql"),
        ordered: true,
        sets: &["Targets"],
        fires: None,
    },
    Case {
        name: "ioc_matches_stix",
        input: Input::Repo("queries/ioc_matches_stix.kql"),
        ordered: true,
        sets: &[],
        fires: None,
    },
    Case {
        name: "schema_dynamic_columns",
        input: Input::Repo("crates/kql-cli/tests/golden/schema_dynamic_columns.kql"),
        ordered: true,
        sets: &[],
        fires: None,
    },
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// `../shared`, or `None` after printing a notice (panics under CI).
fn shared_dir() -> Option<PathBuf> {
    let d = repo_root().join("../shared");
    if d.is_dir() {
        return Some(d);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing under CI",
        d.display()
    );
    eprintln!(
        "notice: {} not found; skipping this golden case",
        d.display()
    );
    None
}

/// Resolves `rel` under `base`; a `*` in the last component matches any text.
fn resolve(base: &Path, rel: &str) -> PathBuf {
    let p = base.join(rel);
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let Some((pre, post)) = name.split_once('*') else {
        return p;
    };
    let dir = p.parent().expect("parent dir");
    let mut hits: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|f| {
            f.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(pre) && n.ends_with(post))
        })
        .collect();
    hits.sort();
    assert_eq!(hits.len(), 1, "{rel} should match one file: {hits:?}");
    hits.remove(0)
}

/// Parses CSV text into rows of cells.
fn parse_csv(text: &str, origin: &str) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(text.as_bytes());
    rdr.records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{origin}: bad CSV: {e}"))
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// A dynamic-array cell with its elements sorted (set comparison: order ignored).
fn as_set(cell: &str, origin: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(cell)
        .unwrap_or_else(|e| panic!("{origin}: set cell `{cell}` is not JSON: {e}"));
    let serde_json::Value::Array(items) = v else {
        panic!("{origin}: set cell `{cell}` is not an array");
    };
    let mut texts: Vec<String> = items.iter().map(|i| i.to_string()).collect();
    // Sorted, not de-duplicated: a make_set with a repeated element must still fail.
    texts.sort();
    format!("[{}]", texts.join(","))
}

/// Header and normalised rows.
fn normalise(text: &str, case: &Case, origin: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rows = parse_csv(text, origin);
    assert!(!rows.is_empty(), "{origin}: no header line");
    let header = rows.remove(0);
    let set_cols: Vec<usize> = case
        .sets
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h == c)
                .unwrap_or_else(|| panic!("{origin}: set column `{c}` not in {header:?}"))
        })
        .collect();
    for r in &mut rows {
        for &i in &set_cols {
            r[i] = as_set(&r[i], origin);
        }
    }
    if !case.ordered {
        rows.sort();
    }
    (header, rows)
}

fn run_case(name: &str) {
    let case = CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no golden case `{name}`"));
    let input = match case.input {
        Input::Shared(rel) => match shared_dir() {
            Some(s) => resolve(&s, rel),
            None => return,
        },
        Input::Repo(rel) => repo_root().join(rel),
    };
    let root = repo_root();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kql"));
    cmd.current_dir(&root)
        .arg("run")
        .arg(&input)
        .arg("--data")
        .arg(root.join("testdata"))
        .args(["--format", "csv"]);
    let out = cmd.output().expect("run kql");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{name}: kql panicked:\n{stderr}"
    );

    let error_file = golden_dir().join(format!("{name}.error"));
    if error_file.is_file() {
        let expected = std::fs::read_to_string(&error_file).expect("read .error file");
        let mut lines = expected.lines();
        let code = lines.next().unwrap_or_default().trim();
        let text = lines.next().unwrap_or_default().trim();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name}: expected a failure\n{stdout}\n{stderr}"
        );
        assert!(
            stderr.contains(&format!("error[{code}]")) && stderr.contains(text),
            "{name}: expected error[{code}] mentioning `{text}`, got:\n{stderr}"
        );
        return;
    }

    assert_eq!(
        out.status.code(),
        Some(0),
        "{name}: kql run failed:\n{stderr}"
    );
    let expected_path = golden_dir().join(format!("{name}.csv"));
    let expected = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
    let (eh, erows) = normalise(&expected, case, &expected_path.display().to_string());
    let (ah, arows) = normalise(&stdout, case, "kql output");
    assert_eq!(ah, eh, "{name}: column names/order differ");
    if arows != erows {
        let missing: Vec<&Vec<String>> = erows.iter().filter(|r| !arows.contains(r)).collect();
        let extra: Vec<&Vec<String>> = arows.iter().filter(|r| !erows.contains(r)).collect();
        panic!(
            "{name}: rows differ (ordered: {})\nexpected:\n{}\nactual:\n{}\nmissing: {missing:?}\nunexpected: {extra:?}",
            case.ordered,
            erows
                .iter()
                .map(|r| r.join(" | "))
                .collect::<Vec<_>>()
                .join("\n"),
            arows
                .iter()
                .map(|r| r.join(" | "))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    if let Some(fires) = case.fires {
        let word = if fires { "FIRED:" } else { "not fired:" };
        assert!(
            stderr.contains(word),
            "{name}: expected `{word}` on stderr:\n{stderr}"
        );
    }
}

/// Every golden file belongs to a case, every case has its explanation, and every file in
/// `queries/` is covered.
#[test]
fn golden_files_are_complete() {
    let dir = golden_dir();
    for c in CASES {
        let csv = dir.join(format!("{}.csv", c.name));
        let err = dir.join(format!("{}.error", c.name));
        assert!(
            csv.is_file() != err.is_file(),
            "{}: exactly one of .csv / .error expected",
            c.name
        );
        assert!(
            dir.join(format!("{}.md", c.name)).is_file(),
            "{}: explanation {}.md missing",
            c.name,
            c.name
        );
    }
    for e in std::fs::read_dir(&dir).expect("read golden dir").flatten() {
        let p = e.path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or_default();
        if matches!(ext, "csv" | "error" | "md") {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            assert!(
                stem == "README" || CASES.iter().any(|c| c.name == stem),
                "{}: no golden case uses it",
                p.display()
            );
        }
    }
    let queries = repo_root().join("queries");
    let mut n = 0;
    for e in std::fs::read_dir(&queries)
        .expect("read queries/")
        .flatten()
    {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "kql") {
            n += 1;
            let rel = format!(
                "queries/{}",
                p.file_name().and_then(|s| s.to_str()).unwrap_or_default()
            );
            assert!(
                CASES
                    .iter()
                    .any(|c| matches!(c.input, Input::Repo(r) if r == rel)),
                "{rel} has no golden case"
            );
        }
    }
    assert!(n >= 4, "queries/ should hold at least 4 example queries");
}

#[test]
fn rule_port_misuse_analytic() {
    run_case("DetectPortMisuseByAnomalyBasedDetection");
}

#[test]
fn rule_port_misuse_hunting() {
    run_case("DetectPortMisuseByAnomalyHunting");
}

#[test]
fn rule_ti_ip_web_session() {
    run_case("IPEntity_imWebSession");
}

#[test]
fn rule_network_summary_threat_ioc() {
    run_case("NetworkSummary_Threat_IOC");
}

#[test]
fn variant_port_misuse_xdr() {
    run_case("DetectPortMisuseByAnomalyBasedDetection_v1.3.0_xdr");
}

#[test]
fn variant_ti_ip_web_session_stix_table() {
    run_case("IPEntity_imWebSession_ThreatIntelIndicators");
}

#[test]
fn seed_003_hunting_document() {
    run_case("seed_003_hunting");
}

#[test]
fn query_sessions_per_day() {
    run_case("sessions_per_day");
}

#[test]
fn query_top_ports_last_day() {
    run_case("top_ports_last_day");
}

#[test]
fn query_port_anomalies() {
    run_case("port_anomalies");
}

#[test]
fn query_ioc_web_matches() {
    run_case("ioc_web_matches");
}

#[test]
fn query_ioc_matches_stix() {
    run_case("ioc_matches_stix");
}

#[test]
fn schema_dynamic_columns() {
    run_case("schema_dynamic_columns");
}

/// The comparison itself: sets ignore element order but not duplicates; unordered cases
/// ignore row order; headers are kept as they are.
#[test]
fn golden_comparison_rules() {
    let case = Case {
        name: "t",
        input: Input::Repo("x"),
        ordered: false,
        sets: &["S"],
        fires: None,
    };
    let a = normalise("A,S\n2,\"[\"\"x\"\",\"\"y\"\"]\"\n1,[]\n", &case, "a");
    let b = normalise("A,S\n1,[]\n2,\"[\"\"y\"\",\"\"x\"\"]\"\n", &case, "b");
    assert_eq!(a, b);
    let c = normalise(
        "A,S\n1,[]\n2,\"[\"\"y\"\",\"\"x\"\",\"\"x\"\"]\"\n",
        &case,
        "c",
    );
    assert_ne!(a, c);
    let ordered = Case {
        ordered: true,
        ..case
    };
    let d = normalise("A,S\n1,[]\n2,[]\n", &ordered, "d");
    let e = normalise("A,S\n2,[]\n1,[]\n", &ordered, "e");
    assert_ne!(d, e);
    assert_eq!(d.0, vec!["A".to_string(), "S".to_string()]);
}

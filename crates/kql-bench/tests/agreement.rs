//! The benchmark's two sides compute the same thing: on a small scaled data set, every
//! query returns the same rows through the KQL engine and through the hand-written
//! DataFusion floor, and the rules return the rows of their golden files (the scaled data
//! set keeps the sample workspace's planted behaviour, see `kql_testdata::scale`). No
//! timing is asserted.

use kql_bench::queries::{ALL, Params, QueryId};
use kql_bench::runner::{Engine, ExecSettings, Runner, fingerprint};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Columns compared for each query (empty = all columns). The port-misuse rules' set
/// columns are left out: `make_set` order and the JSON text form differ between the two
/// sides by construction.
fn compared_columns(q: QueryId) -> &'static [&'static str] {
    match q {
        QueryId::RuleAnalytic | QueryId::RuleHunting => {
            &["Name", "Severity", "Tactic", "DstPortNumber", "Description"]
        }
        QueryId::RuleSummary => &[
            "SrcIpAddr",
            "DstIpAddr",
            "SrcHostname",
            "DstHostname",
            "TimeGenerated",
            "count_",
            "EventTime",
        ],
        _ => &[],
    }
}

/// The golden file of a rule: its rows on the sample workspace, restricted to `cols`.
fn golden(q: QueryId, cols: &[&str]) -> Option<Vec<String>> {
    let file = q.rule_file()?.replace(".yaml", ".csv");
    let path = root().join("crates/kql-cli/tests/golden").join(file);
    let mut rd = csv::Reader::from_path(&path).expect("golden file");
    let header: Vec<String> = rd
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let idx: Vec<usize> = cols
        .iter()
        .map(|c| header.iter().position(|h| h == c).expect("golden column"))
        .collect();
    let mut rows: Vec<String> = rd
        .records()
        .map(|r| {
            let r = r.expect("golden row");
            idx.iter()
                .map(|&i| {
                    let v = r.get(i).unwrap_or("");
                    // The golden files write datetimes as 2025-03-10T12:00:00Z; Arrow's
                    // display writes 2025-03-10T12:00:00Z too.
                    v.to_string()
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    rows.sort();
    Some(rows)
}

#[test]
fn kql_and_floor_agree_on_a_small_scaled_data_set() {
    let rules = root().join("../shared/sentinel/rules");
    if !rules.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "../shared is required in CI"
        );
        eprintln!("skipped: {} not found", rules.display());
        return;
    }
    let data = root().join("target/tmp/kql-bench-agreement");
    let rows = 60_000;
    let report = kql_testdata::scale::generate_scale(&kql_testdata::scale::ScaleOptions {
        rows,
        out: data.clone(),
        // Small row groups: several per file, as at scale.
        row_group_rows: 2_000,
    })
    .expect("generate");
    assert_eq!(report.rows, rows, "the generator writes the requested rows");
    let p = Params {
        data,
        rules,
        now_ns: kql_testdata::NOW_NS,
        rows,
    };
    let settings = ExecSettings::default();
    for q in ALL {
        let cols = compared_columns(q);
        let run = |e: Engine| {
            let r = Runner::new(e, q, &p, &settings)
                .unwrap_or_else(|m| panic!("{} {}: {m}", q.name(), e.name()));
            let batches = r
                .run(q, &p)
                .unwrap_or_else(|m| panic!("{} {}: {m}", q.name(), e.name()));
            fingerprint(&batches, cols).unwrap_or_else(|m| panic!("{}: {m}", q.name()))
        };
        let kql = run(Engine::Kql);
        let floor = run(Engine::Floor);
        assert!(!kql.is_empty(), "{}: no rows", q.name());
        assert_eq!(kql, floor, "{}: kql and floor differ", q.name());
        if let Some(g) = golden(q, cols) {
            assert_eq!(kql, g, "{}: rows differ from the golden file", q.name());
        }
    }
}

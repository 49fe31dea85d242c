//! Checks of the generated workspace that do not need the engine: the committed
//! `testdata/` is exactly what the generator writes; column names and types follow the
//! Sentinel schemas; every Parquet field carries `kql_type`; the planted daily series are
//! those `expected/compute.py` scored.

use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::basic::Compression;
use kql_testdata::network::{self, SLOT, day_start};
use kql_testdata::table::V;
use kql_testdata::time::{DAY, MIN};
use kql_testdata::{FILES, NOW_NS, generate, schemas::TABLES};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kql-testdata-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create temp dir");
    d
}

/// Regenerating gives the committed bytes (run `cargo run -p kql-testdata -- --out
/// testdata` after changing the generator).
#[test]
fn committed_testdata_is_regenerated_byte_for_byte() {
    let a = temp_dir("a");
    let b = temp_dir("b");
    generate(&a).expect("generate a");
    generate(&b).expect("generate b");
    for f in FILES {
        let x = std::fs::read(a.join(f)).expect("read a");
        let y = std::fs::read(b.join(f)).expect("read b");
        assert!(x == y, "{f}: two runs differ");
        let committed = std::fs::read(repo_root().join("testdata").join(f))
            .unwrap_or_else(|e| panic!("testdata/{f}: {e}"));
        assert!(
            x == committed,
            "testdata/{f} is stale: run `cargo run -p kql-testdata -- --out testdata`"
        );
    }
}

/// Every column of every table: name, order, Arrow type, `kql_type` metadata; SNAPPY.
#[test]
fn parquet_files_carry_kql_types() {
    for (table, cols) in TABLES {
        let path = repo_root()
            .join("testdata")
            .join(format!("{table}.parquet"));
        let file = std::fs::File::open(&path).expect("open parquet");
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).expect("parquet reader");
        let meta = builder.metadata().clone();
        for rg in meta.row_groups() {
            for c in rg.columns() {
                assert!(
                    matches!(c.compression(), Compression::SNAPPY),
                    "{table}: column chunk not SNAPPY"
                );
            }
        }
        let schema = builder.schema().clone();
        assert_eq!(schema.fields().len(), cols.len(), "{table}: column count");
        for (f, (name, ty)) in schema.fields().iter().zip(cols.iter()) {
            assert_eq!(f.name(), name, "{table}: column order");
            assert_eq!(
                f.metadata().get("kql_type").map(String::as_str),
                Some(*ty),
                "{table}.{name}: kql_type"
            );
        }
        let rows: usize = builder
            .build()
            .expect("reader")
            .map(|b| b.expect("batch").num_rows())
            .sum();
        assert!(rows > 0, "{table}: no rows");
    }
}

/// The column lists equal `../shared/sentinel/schemas/<Table>.json` (names, order, types).
#[test]
fn columns_match_the_sentinel_schemas() {
    let dir = repo_root().join("../shared/sentinel/schemas");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} missing under CI",
            dir.display()
        );
        eprintln!("notice: {} not found; skipping", dir.display());
        return;
    }
    for (table, cols) in TABLES {
        let text = std::fs::read_to_string(dir.join(format!("{table}.json"))).expect("read schema");
        let v: serde_json::Value = serde_json::from_str(&text).expect("schema JSON");
        let props = v["Properties"].as_array().expect("Properties");
        let want: Vec<(String, String)> = props
            .iter()
            .map(|p| {
                let ty = p["Type"].as_str().unwrap_or_default().to_ascii_lowercase();
                let ty = if ty == "boolean" {
                    "bool".to_string()
                } else {
                    ty
                };
                (p["Name"].as_str().unwrap_or_default().to_string(), ty)
            })
            .collect();
        let have: Vec<(String, String)> = cols
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        assert_eq!(have, want, "{table}");
    }
}

fn time_of(row: &[(&'static str, V)]) -> i64 {
    match row.iter().find(|(n, _)| *n == "TimeGenerated") {
        Some((_, V::T(t))) => *t,
        _ => panic!("row without TimeGenerated"),
    }
}

fn text_of(row: &[(&'static str, V)], col: &str) -> String {
    match row.iter().find(|(n, _)| *n == col) {
        Some((_, V::S(s))) => s.clone(),
        Some((_, V::I(i))) => i.to_string(),
        _ => String::new(),
    }
}

/// The daily events and 10-minute rows of every series, as the anomaly rules aggregate
/// them over the 4-day look-back, equal `expected/series_expected.csv` (written by
/// compute.py from the same specification, scored with the numpy reference).
#[test]
fn series_match_the_scored_expectations() {
    let rows = network::rows().expect("rows");
    let start = NOW_NS - 4 * DAY;
    // (port, proto, dir, action) -> day -> (events, {(app, 10m bin)})
    type Acc = BTreeMap<i64, (u64, BTreeSet<(String, i64)>)>;
    let mut acc: BTreeMap<(String, String, String, String), Acc> = BTreeMap::new();
    for r in &rows {
        let t = time_of(r);
        if !(start..NOW_NS).contains(&t) {
            continue;
        }
        let bin = t.div_euclid(SLOT) * SLOT;
        let day = (t - day_start(0)).div_euclid(DAY);
        // bin(TimeGenerated, 10m) stays in the event's day bin (make-series runs on it).
        assert_eq!(
            (bin - day_start(0)).div_euclid(DAY),
            day,
            "10-minute bin crosses a day edge"
        );
        let key = (
            text_of(r, "DstPortNumber"),
            text_of(r, "NetworkProtocol"),
            text_of(r, "NetworkDirection"),
            text_of(r, "DvcAction"),
        );
        let e = acc.entry(key).or_default().entry(day).or_default();
        e.0 += 1;
        e.1.insert((text_of(r, "DstAppName"), bin));
    }
    let expected = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("expected/series_expected.csv"),
    )
    .expect("read series_expected.csv");
    let mut seen = 0;
    for line in expected.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let key = (
            f[0].to_string(),
            f[1].to_string(),
            f[2].to_string(),
            f[3].to_string(),
        );
        let days = acc
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?}: no rows generated"));
        for d in 10..14 {
            let (events, bins) = days.get(&d).cloned().unwrap_or_default();
            let want_events: u64 = f[4 + (d - 10) as usize].parse().expect("events");
            let want_rows: usize = f[8 + (d - 10) as usize].parse().expect("rows");
            assert_eq!(events, want_events, "{key:?} day {d}: events");
            assert_eq!(bins.len(), want_rows, "{key:?} day {d}: 10-minute rows");
        }
        seen += 1;
    }
    assert_eq!(
        seen,
        network::series().expect("spec").len(),
        "every spec series is scored"
    );
}

/// Only the planted `late` events fall in the last 5 minutes: eps = 3 / 300 = 0, so the
/// port-misuse rules take their `<= 500` branch (4 days of raw data).
#[test]
fn eps_selects_the_four_day_branch() {
    let rows = network::rows().expect("rows");
    let recent = rows
        .iter()
        .filter(|r| time_of(r) > NOW_NS - 5 * MIN)
        .count();
    assert_eq!(recent, 3);
    assert!(recent / 300 <= 500);
    assert!(
        rows.iter().all(|r| time_of(r) < NOW_NS),
        "no event at or after now"
    );
}

//! The scan of Parquet tables: KQL strings are never null, whether the file holds nulls
//! (read as `""` through `coalesce`) or not (the footers' null counts say so, and the
//! scan then reads the column as it is, so filters on it reach the Parquet pruning).

use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use kql_engine::{Session, SessionOptions};
use std::path::PathBuf;
use std::sync::Arc;

/// A data directory with table `T` (two files): `WithNulls` has a null in the second file,
/// `Full` has none.
fn data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kql-engine-scan-{}", std::process::id()));
    let t = dir.join("T");
    std::fs::create_dir_all(&t).expect("dir");
    let strs = |v: Vec<Option<&str>>| Arc::new(StringArray::from(v)) as ArrayRef;
    let files = [
        (
            "a.parquet",
            vec![
                ("Full", strs(vec![Some("x"), Some("")])),
                ("WithNulls", strs(vec![Some("x"), Some("y")])),
                ("N", Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef),
            ],
        ),
        (
            "b.parquet",
            vec![
                ("Full", strs(vec![Some("z")])),
                ("WithNulls", strs(vec![None])),
                ("N", Arc::new(Int64Array::from(vec![3])) as ArrayRef),
            ],
        ),
    ];
    for (name, cols) in files {
        let batch = RecordBatch::try_from_iter(cols).expect("batch");
        let f = std::fs::File::create(t.join(name)).expect("create");
        let mut w = ArrowWriter::try_new(f, batch.schema(), None).expect("writer");
        w.write(&batch).expect("write");
        w.close().expect("close");
    }
    dir
}

fn session() -> Session {
    let mut s = Session::new(SessionOptions {
        target_partitions: Some(2),
        no_builtin_schemas: true,
        ..SessionOptions::default()
    })
    .expect("session");
    s.open_data_dir(&data_dir()).expect("data dir");
    s
}

fn single_long(s: &Session, q: &str) -> i64 {
    let out = s
        .run(q)
        .unwrap_or_else(|d| panic!("{}", d.render(q, "query")));
    let b = &out.results[0].batches;
    let col = b[0]
        .column(0)
        .as_any()
        .downcast_ref::<Int64Array>()
        .expect("long");
    col.value(0)
}

#[test]
fn null_strings_read_as_empty() {
    let s = session();
    // Hand count over the data above: WithNulls is "x", "y", null -> one empty value.
    assert_eq!(single_long(&s, "T | where isempty(WithNulls) | count"), 1);
    assert_eq!(single_long(&s, "T | where WithNulls == '' | count"), 1);
    assert_eq!(
        single_long(&s, "T | summarize n = countif(isnull(WithNulls))"),
        0
    );
    // Full is "x", "", "z": one empty value, no null.
    assert_eq!(single_long(&s, "T | where isempty(Full) | count"), 1);
    assert_eq!(single_long(&s, "T | where Full == 'z' | count"), 1);
}

/// The optimized plan's filter line of `q`.
fn filter_line(s: &Session, q: &str) -> String {
    let (logical, _) = s.explain(q).expect("explain");
    let optimized = logical.split("-- optimized --").nth(1).expect("optimized");
    optimized
        .lines()
        .find(|l| l.trim_start().starts_with("Filter:"))
        .unwrap_or_else(|| panic!("no filter in {optimized}"))
        .trim()
        .to_string()
}

#[test]
fn null_free_string_columns_are_read_as_they_are() {
    let s = session();
    // The filter reaches the scan on the bare column (prunable), not through coalesce.
    let f = filter_line(&s, "T | where Full == 'z'");
    assert!(f.starts_with("Filter: t.Full = Utf8"), "{f}");
    assert!(!f.contains("coalesce") && !f.contains("CASE"), "{f}");
    let f = filter_line(&s, "T | where WithNulls == 'z'");
    assert!(f.contains("coalesce") || f.contains("CASE"), "{f}");
}

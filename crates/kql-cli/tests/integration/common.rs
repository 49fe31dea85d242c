//! Helpers shared by the CLI tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn kql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kql"))
        .args(args)
        .output()
        .expect("run kql")
}

/// A fresh temporary directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kql-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create temp dir");
    d
}

pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write file");
    p.to_string_lossy().into_owned()
}

/// `../shared` beside the repository, or `None` (with a notice) when it is absent. Fails
/// when `CI` is set: CI always has it.
pub fn shared_dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if d.is_dir() {
        return Some(d);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "../shared is missing but CI is set"
    );
    eprintln!("notice: ../shared is absent; skipping");
    None
}

/// Every `*.yaml` under `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs `kql args` in `cwd` (None: the test's cwd) with `stdin` as its standard input and
/// `XDG_STATE_HOME` pointed into a scratch folder (no history file is touched).
pub fn kql_with(args: &[&str], cwd: Option<&Path>, stdin: &str) -> Output {
    use std::io::Write;
    let state = std::env::temp_dir().join(format!("kql-cli-test-{}-state", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kql"));
    cmd.args(args)
        .env("XDG_STATE_HOME", &state)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    let mut child = cmd.spawn().expect("run kql");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for kql")
}

/// The repository root (for `queries/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Writes a small data directory `dir/data` with table `NetLogs` (Parquet) and `now.txt`:
///
/// | TimeGenerated        | SrcIpAddr | DstPortNumber |
/// |----------------------|-----------|---------------|
/// | 2024-05-01T10:00:00Z | 10.0.0.1  | 22            |
/// | 2024-05-01T10:05:00Z | 10.0.0.1  | 443           |
/// | 2024-05-01T10:10:00Z | 10.0.0.2  | 80            |
///
/// `now.txt` is 2024-05-01T12:00:00Z.
pub fn sample_data(dir: &Path) -> PathBuf {
    use datafusion::arrow::array::{ArrayRef, Int32Array, StringArray, TimestampNanosecondArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
    use datafusion::arrow::record_batch::RecordBatch;
    use datafusion::parquet::arrow::ArrowWriter;
    use std::sync::Arc;
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("create data dir");
    let base = 1_714_557_600_000_000_000i64; // 2024-05-01T10:00:00Z in ns
    let minute = 60_000_000_000i64;
    let cols: Vec<ArrayRef> = vec![
        Arc::new(
            TimestampNanosecondArray::from(vec![base, base + 5 * minute, base + 10 * minute])
                .with_timezone("UTC"),
        ),
        Arc::new(StringArray::from(vec!["10.0.0.1", "10.0.0.1", "10.0.0.2"])),
        Arc::new(Int32Array::from(vec![22, 443, 80])),
    ];
    let schema = Arc::new(Schema::new(vec![
        Field::new(
            "TimeGenerated",
            DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
            true,
        ),
        Field::new("SrcIpAddr", DataType::Utf8, true),
        Field::new("DstPortNumber", DataType::Int32, true),
    ]));
    let batch = RecordBatch::try_new(schema.clone(), cols).expect("batch");
    let file = std::fs::File::create(data.join("NetLogs.parquet")).expect("create parquet");
    let mut w = ArrowWriter::try_new(file, schema, None).expect("writer");
    w.write(&batch).expect("write batch");
    w.close().expect("close parquet");
    std::fs::write(data.join("now.txt"), "2024-05-01T12:00:00Z\n").expect("now.txt");
    data
}

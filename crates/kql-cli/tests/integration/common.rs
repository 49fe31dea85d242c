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

/// A corpus file that failed to plan: (file, code, message).
pub type Failure = (String, String, String);

/// An expected corpus failure: (path suffix, error code, reason). A name in backticks in
/// the reason must appear in the error message, so that a failure for another reason is
/// not taken for the listed one.
pub type Expected = (&'static str, &'static str, &'static str);

/// `kql check --schemas ../shared/sentinel/schemas --format json` over every YAML file under
/// `../shared/sentinel/corpus/<sub>` (at least `min_files` of them): the number of files and
/// the failures. `None` when `../shared` is absent.
pub fn check_corpus(sub: &str, min_files: usize) -> Option<(usize, Vec<Failure>)> {
    let shared = shared_dir()?;
    let files = yaml_files(&shared.join("sentinel/corpus").join(sub));
    assert!(
        files.len() >= min_files,
        "expected at least {min_files} files in corpus/{sub}, found {}",
        files.len()
    );
    let schemas = shared.join("sentinel/schemas");
    let mut args: Vec<String> = vec![
        "check".into(),
        "--schemas".into(),
        schemas.to_string_lossy().into_owned(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(files.iter().map(|p| p.to_string_lossy().into_owned()));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = kql(&argv);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut failed = Vec::new();
    let mut total = 0;
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        total += 1;
        if v["ok"] == false {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
            failed.push((
                text(&v["file"]),
                text(&v["error"]["code"]),
                text(&v["error"]["message"]),
            ));
        }
    }
    assert_eq!(total, files.len(), "one result per file");
    Some((total, failed))
}

/// The differences between the failures and an exact expected list: unexpected failures,
/// failures with another code or about another name, and listed files that now plan.
pub fn compare_failures(failed: &[Failure], expected: &[Expected]) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, code, msg) in failed {
        match expected
            .iter()
            .find(|(suffix, _, _)| file.ends_with(suffix))
        {
            None => problems.push(format!("unexpected failure: {file}: {code} {msg}")),
            Some((_, want, reason)) => {
                if code != want {
                    problems.push(format!(
                        "{file}: expected {want} ({reason}), got {code} {msg}"
                    ));
                } else if let Some(m) = expected_mention(reason)
                    && !msg.contains(m)
                {
                    problems.push(format!("{file}: expected a message about `{m}`, got {msg}"));
                }
            }
        }
    }
    for (suffix, _, reason) in expected {
        if !failed.iter().any(|(f, _, _)| f.ends_with(suffix)) {
            problems.push(format!(
                "{suffix} now plans (listed as: {reason}); remove it from the expected failures"
            ));
        }
    }
    problems
}

/// The first name in backticks in `reason`.
fn expected_mention(reason: &str) -> Option<&str> {
    let start = reason.find('`')? + 1;
    let len = reason[start..].find('`')?;
    Some(&reason[start..start + len])
}

//! `kql check` output formats and exit codes.

use super::common::{kql, temp_dir, write};
use std::path::Path;

#[test]
fn check_text_ok_and_error() {
    let d = temp_dir("text");
    let good = write(&d, "good.kql", "T | where x > 1 | take 5");
    let rule = write(
        &d,
        "rule.yaml",
        "id: 1\nname: r\nquery: |\n  T\n  | summarize count() bye x\nversion: 1.0.0\n",
    );
    let out = kql(&["check", "--syntax-only", &good]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{good}: ok\n")
    );

    let out = kql(&["check", "--syntax-only", &good, &rule]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with(&format!("{good}: ok\n")), "{text}");
    assert!(
        text.contains("error[KQL1002]: expected `by` after summarize aggregates, found `bye`"),
        "{text}"
    );
    // The position is in the YAML file: line 5, column 23 (2 spaces of indentation).
    assert!(text.contains(&format!(" --> {rule}:5:23")), "{text}");
    assert!(text.contains("5 |   | summarize count() bye x"), "{text}");
}

#[test]
fn check_json_one_object_per_file() {
    let d = temp_dir("json");
    let good = write(
        &d,
        "good.yaml",
        "query: |\n  ```kusto\n  T | take 1\n  ```\n",
    );
    let bad = write(&d, "bad.kql", "T\n| where (x > 1");
    let missing = d.join("missing.kql").to_string_lossy().into_owned();
    let noquery = write(&d, "noquery.yaml", "id: 1\n");
    let out = kql(&[
        "check",
        "--syntax-only",
        "--format",
        "json",
        &good,
        &bad,
        &missing,
        &noquery,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0], serde_json::json!({"file": good, "ok": true}));
    assert_eq!(lines[1]["file"], bad.as_str());
    assert_eq!(lines[1]["ok"], false);
    assert_eq!(lines[1]["error"]["code"], "KQL1009");
    assert_eq!(lines[1]["error"]["line"], 2);
    assert_eq!(lines[1]["error"]["column"], 15);
    assert_eq!(
        lines[1]["error"]["message"],
        "expected `)` to close `(`, found end of input"
    );
    assert_eq!(lines[2]["error"]["code"], "KQL5001");
    assert_eq!(lines[3]["error"]["code"], "KQL5003");
}

#[test]
fn check_all_ok_exits_zero_and_bad_args_exit_two() {
    let d = temp_dir("exit");
    let a = write(&d, "a.kql", "let x = 1;\nprint x");
    let b = write(
        &d,
        "b.yaml",
        "ParserQuery: |\n  let p = (a:string = '*') { T | where c has a };\n  p()\n",
    );
    let out = kql(&["check", "--syntax-only", "--format", "json", &a, &b]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    let out = kql(&["check"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_never_panics_on_binary_input() {
    let d = temp_dir("binary");
    let p = d.join("junk.kql");
    std::fs::write(&p, [0xff, 0xfe, 0x00, b'(', b'\'']).expect("write");
    let out = kql(&["check", "--syntax-only", &p.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("KQL5004"));
    assert!(out.stderr.is_empty() || !String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// Every Sentinel file in `../shared` passes except the known-invalid ones.
#[test]
fn check_the_sentinel_rules() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/sentinel/rules");
    if !shared.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "../shared missing under CI"
        );
        eprintln!("notice: {} not found; skipping", shared.display());
        return;
    }
    let mut files: Vec<String> = std::fs::read_dir(&shared)
        .expect("read rules dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut args = vec!["check", "--syntax-only"];
    args.extend(files.iter().map(String::as_str));
    let out = kql(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

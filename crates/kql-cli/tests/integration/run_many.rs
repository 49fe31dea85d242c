//! `kql run` over a directory, a glob or several files: one line per rule and a summary.
//! Data: `common::sample_data` (NetLogs rows at 10:00 port 22, 10:05 port 443, 10:10 port 80;
//! now 12:00).

use super::common::{kql_with, sample_data, temp_dir, write};
use std::path::{Path, PathBuf};

fn rule(name: &str, query: &str, extra: &str) -> String {
    format!("name: {name}\nquery: |\n  {query}\ntriggerOperator: gt\n{extra}")
}

/// A rules folder; the expected outcome of each rule is derived in the comments.
fn rules(d: &Path) -> (PathBuf, PathBuf) {
    let data = sample_data(d);
    let r = d.join("rules");
    std::fs::create_dir_all(r.join("sub")).expect("rules dir");
    // One row has port 80 -> 1 row > 0: fires.
    write(
        &r,
        "a_fires.yaml",
        &rule(
            "Port 80",
            "NetLogs | where DstPortNumber == 80",
            "triggerThreshold: 0\n",
        ),
    );
    // No row has port 8080 -> 0 rows: does not fire.
    write(
        &r,
        "b_quiet.yaml",
        &rule(
            "Port 8080",
            "NetLogs | where DstPortNumber == 8080",
            "triggerThreshold: 0\n",
        ),
    );
    // 3 rows, trigger gt 3 -> does not fire.
    write(
        &r,
        "c_threshold.yaml",
        &rule("All", "NetLogs", "triggerThreshold: 3\n"),
    );
    // queryPeriod 115m: TimeGenerated >= 12:00 - 1:55 = 10:05 -> the 10:05 and 10:10 rows.
    write(
        &r,
        "d_window.yaml",
        &rule(
            "Window",
            "NetLogs | project DstPortNumber",
            "triggerThreshold: 1\nqueryPeriod: 115m\n",
        ),
    );
    // Unknown column at line 1, column 17.
    write(&r, "e_error.kql", "NetLogs | where Nope > 1\n");
    // Found recursively; a plain query without trigger fires when it returns rows.
    write(&r.join("sub"), "f.kql", "print x = 1\n");
    // Test cases are not rules.
    write(&r, "skip.test.yaml", "rule: a_fires.yaml\nexpect: fires\n");
    (data, r)
}

fn run(args: &[&str]) -> (String, String, Option<i32>) {
    let out = kql_with(args, None, "");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn a_directory_prints_one_line_per_rule_and_a_summary() {
    let d = temp_dir("many-dir");
    let (data, r) = rules(&d);
    let rs = r.to_string_lossy();
    let (out, err, code) = run(&["run", &rs, "--data", &data.to_string_lossy()]);
    assert_eq!(code, Some(1), "an error makes the exit code 1\n{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}");
    let expect = [
        ("a_fires.yaml", "FIRED", Some("1 row ")),
        ("b_quiet.yaml", "not fired", Some("0 rows")),
        ("c_threshold.yaml", "not fired", Some("3 rows")),
        ("d_window.yaml", "FIRED", Some("2 rows")),
        ("e_error.kql", "ERROR", None),
        ("sub/f.kql", "FIRED", Some("1 row ")),
    ];
    for (line, (file, status, rows)) in lines.iter().zip(expect) {
        assert!(line.starts_with(status), "{line}");
        assert!(line.contains(&format!("{rs}/{file}")), "{line}");
        if let Some(r) = rows {
            assert!(line.contains(r), "{line}");
        }
    }
    assert!(lines[0].ends_with("(Port 80)"), "{}", lines[0]);
    assert!(
        lines[4].contains(&format!(
            "{rs}/e_error.kql:1:17: error[KQL2001]: unknown column or scalar name `Nope`"
        )),
        "{}",
        lines[4]
    );
    assert!(
        lines[6].starts_with("6 rules: 3 fired, 2 not fired, 1 error ("),
        "{}",
        lines[6]
    );
}

#[test]
fn globs_formats_and_fail_on_alert() {
    let d = temp_dir("many-glob");
    let (data, r) = rules(&d);
    let data = data.to_string_lossy().into_owned();
    let glob = format!("{}/*.yaml", r.display());
    // A quoted glob: the four rule .yaml files (not the .test.yaml), no errors.
    let (out, err, code) = run(&["run", &glob, "--data", &data, "--format", "json"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let objs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let summary: Vec<(String, String, i64)> = objs
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap_or_default().to_string(),
                o["status"].as_str().unwrap_or_default().to_string(),
                o["rows"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("Port 80".to_string(), "fired".to_string(), 1),
            ("Port 8080".to_string(), "not_fired".to_string(), 0),
            ("All".to_string(), "not_fired".to_string(), 3),
            ("Window".to_string(), "fired".to_string(), 2),
        ]
    );
    assert!(
        err.contains("4 rules: 2 fired, 2 not fired, 0 errors"),
        "{err}"
    );
    // Several files, CSV, --fail-on-alert: a rule fired -> 3.
    let a = r.join("a_fires.yaml").to_string_lossy().into_owned();
    let b = r.join("b_quiet.yaml").to_string_lossy().into_owned();
    let (out, _, code) = run(&[
        "run",
        &a,
        &b,
        "--data",
        &data,
        "--format",
        "csv",
        "--fail-on-alert",
    ]);
    assert_eq!(code, Some(3), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "file,name,status,rows,ms,error");
    assert!(
        lines[1].starts_with(&format!("{a},Port 80,fired,1,")),
        "{out}"
    );
    assert!(
        lines[2].starts_with(&format!("{b},Port 8080,not_fired,0,")),
        "{out}"
    );
    // A glob that matches nothing is an error.
    let (_, err, code) = run(&["run", &format!("{}/*.nothing", r.display())]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no file matches"), "{err}");
}

#[test]
fn a_single_file_keeps_the_result_table() {
    let d = temp_dir("many-single");
    let (data, r) = rules(&d);
    let (out, err, code) = run(&[
        "run",
        &r.join("a_fires.yaml").to_string_lossy(),
        "--data",
        &data.to_string_lossy(),
        "--format",
        "csv",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "TimeGenerated,SrcIpAddr,DstPortNumber\n2024-05-01T10:10:00Z,10.0.0.2,80\n"
    );
    assert!(
        err.contains("FIRED: Port 80: 1 row(s), trigger gt 0"),
        "{err}"
    );
}

//! The REPL's evaluation loop driven through a pipe (stdin not a terminal): the same block
//! rules and commands as the interactive editor, without prompts. Data: `common::sample_data`.

use super::common::{kql_with, sample_data, temp_dir, write};

fn repl(dir: &std::path::Path, script: &str) -> (String, String, Option<i32>) {
    let data = sample_data(dir);
    let out = kql_with(&["repl", "--data", &data.to_string_lossy()], None, script);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn multi_line_query_runs_at_the_blank_line() {
    let d = temp_dir("repl-multi");
    // Ports > 22: rows 2 and 3 of the sample (443 and 80); sorted by port: 80, 443.
    let (out, err, code) = repl(
        &d,
        ".timer off\nNetLogs\n| where DstPortNumber > 22\n| project SrcIpAddr, DstPortNumber\n| order by DstPortNumber asc\n\n",
    );
    assert_eq!(code, Some(0), "{err}");
    let expected = "\
┌───────────┬───────────────┐
│ SrcIpAddr ┆ DstPortNumber │
╞═══════════╪═══════════════╡
│ 10.0.0.2  ┆ 80            │
│ 10.0.0.1  ┆ 443           │
└───────────┴───────────────┘
2 rows
";
    assert_eq!(out, expected);
}

#[test]
fn dot_commands_list_tables_and_schemas() {
    let d = temp_dir("repl-dot");
    let data = sample_data(&d);
    std::fs::create_dir_all(data.join("functions")).expect("functions dir");
    write(
        &data.join("functions"),
        "ports.kql",
        "let PortsOf = (ip:string) { NetLogs | where SrcIpAddr == ip | project DstPortNumber };\n",
    );
    let out = kql_with(
        &["repl", "--data", &data.to_string_lossy()],
        None,
        ".tables\n.schema NetLogs\n.schema NetLog\n.functions\n.mode csv\nPortsOf('10.0.0.2');;\n",
    );
    let (out, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.starts_with("NetLogs\n"), "{out}");
    assert!(
        out.contains("TimeGenerated  datetime\nSrcIpAddr      string\nDstPortNumber  int\n"),
        "{out}"
    );
    // The data directory's function and the built-in ASIM library.
    assert!(out.contains("\nPortsOf\n"), "{out}");
    assert!(out.contains("\n_Im_NetworkSession\n"), "{out}");
    // 10.0.0.2 has one row, port 80.
    assert!(out.ends_with("DstPortNumber\n80\n"), "{out}");
    assert!(
        err.contains("error: no table `NetLog`; did you mean `NetLogs`?"),
        "{err}"
    );
}

#[test]
fn modes_csv_and_json() {
    let d = temp_dir("repl-modes");
    // 10.0.0.1 has 2 rows, 10.0.0.2 one.
    let (out, _, _) = repl(
        &d,
        ".mode csv\nNetLogs | summarize n = count() by SrcIpAddr | order by SrcIpAddr asc;;\n\
         .mode json\nNetLogs | where DstPortNumber == 80 | project SrcIpAddr, T = TimeGenerated;;\n",
    );
    assert!(
        out.starts_with("SrcIpAddr,n\n10.0.0.1,2\n10.0.0.2,1\n"),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&out["SrcIpAddr,n\n10.0.0.1,2\n10.0.0.2,1\n".len()..])
            .expect("JSON array");
    assert_eq!(
        json,
        serde_json::json!([{"SrcIpAddr": "10.0.0.2", "T": "2024-05-01T10:10:00Z"}])
    );
}

#[test]
fn errors_show_the_line_a_caret_and_help() {
    let d = temp_dir("repl-errors");
    let (out, err, code) = repl(&d, "NetLogs\n| where DstPortNumbr > 1\n\nprint ok = 1;;\n");
    assert_eq!(code, Some(0));
    assert!(err.contains("unknown"), "{err}");
    assert!(err.contains(" --> input:2:9"), "{err}");
    assert!(err.contains("2 | | where DstPortNumbr > 1"), "{err}");
    // `DstPortNumbr` is 12 characters, starting at column 9.
    assert!(err.contains("\n  |         ^^^^^^^^^^^^\n"), "{err}");
    assert!(err.contains("did you mean `DstPortNumber`?"), "{err}");
    // The session goes on after an error.
    assert!(out.contains("│ ok │"), "{out}");
}

#[test]
fn now_is_pinned_and_settable() {
    let d = temp_dir("repl-now");
    let (out, _, _) = repl(
        &d,
        ".mode csv\nprint t = now();;\n.set now=2030-01-02T03:04:05Z\nprint t = now(), a = ago(1d);;\n",
    );
    // now.txt pins 2024-05-01T12:00:00Z; after .set, now() - 1d is 2030-01-01T03:04:05Z.
    assert!(out.contains("t\n2024-05-01T12:00:00Z\n"), "{out}");
    assert!(
        out.contains("t,a\n2030-01-02T03:04:05Z,2030-01-01T03:04:05Z\n"),
        "{out}"
    );
}

#[test]
fn read_load_explain_and_quit() {
    let d = temp_dir("repl-read");
    let data = sample_data(&d);
    let rule = write(
        &d,
        "rule.yaml",
        "name: r\nquery: |\n  Again\n  | where SrcIpAddr == '10.0.0.2'\n  | project DstPortNumber\n",
    );
    let script = format!(
        ".mode csv\n.load Again {}\n.read {rule}\n.explain Again | take 1\n.quit\nprint never = 1;;\n",
        data.join("NetLogs.parquet").display()
    );
    let (out, err, code) = repl(&d, &script);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("loaded table Again (3 columns)"), "{out}");
    assert!(out.contains("DstPortNumber\n80\n"), "{out}");
    assert!(out.contains("logical plan:"), "{out}");
    assert!(out.contains("physical plan:"), "{out}");
    assert!(!out.contains("never"), "{out}");
}

#[test]
fn pending_input_runs_at_end_of_input_and_unknown_commands_are_reported() {
    let d = temp_dir("repl-eof");
    let (out, err, _) = repl(&d, ".mode csv\n.tabels\nprint x = 41 + 1");
    assert_eq!(out, "x\n42\n");
    assert!(
        err.contains("unknown command `.tabels`; did you mean `.tables`?"),
        "{err}"
    );
}

#[test]
fn kql_without_a_subcommand_is_the_repl() {
    let out = kql_with(&["--no-data"], None, "print a = 'x';;\n");
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("│ a │") && s.contains("│ x │"), "{s}");
}

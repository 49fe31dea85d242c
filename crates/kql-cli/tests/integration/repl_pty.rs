//! The interactive REPL end to end through a pseudo-terminal (rexpect): a multi-line query,
//! `.tables`, `.schema`, tab completion of a column name, Ctrl-C cancelling a running
//! query, Ctrl-D, and history recalled after a restart (`XDG_STATE_HOME` isolates the
//! history file).

use super::common::{sample_data, temp_dir};
use rexpect::session::{Options, PtySession, spawn_with_options};
use std::path::Path;
use std::process::Command;

/// Starts `kql repl` on a pty with its history under `state`.
fn start(data: &Path, state: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kql"));
    cmd.args(["repl", "--data", &data.to_string_lossy()])
        .env("XDG_STATE_HOME", state)
        .env("TERM", "xterm")
        .env_remove("NO_COLOR");
    let mut p = spawn_with_options(
        cmd,
        Options::new()
            .timeout_ms(Some(60_000))
            .strip_ansi_escape_codes(true),
    )
    .expect("spawn kql repl on a pty");
    p.exp_string("Blank line or `;;` runs a query")
        .expect("banner");
    prompt(&mut p);
    p
}

/// Types `s` without Enter (rexpect buffers `send` until a flush).
fn type_keys(p: &mut PtySession, s: &str) {
    p.send(s).expect("type");
    p.flush().expect("flush");
}

/// Waits for the prompt: rustyline discards input typed before it switches the terminal to
/// raw mode, so a test must not type ahead.
fn prompt(p: &mut PtySession) {
    p.exp_string("kql> ").expect("prompt");
}

#[test]
fn interactive_session_through_a_pty() {
    let d = temp_dir("pty");
    let data = sample_data(&d);
    let state = d.join("state");

    let mut p = start(&data, &state);
    // A multi-line query: Enter after each line, a blank line runs it. The result cells
    // (10.0.0.2, 80) and the footer are not part of the typed text.
    p.send_line("NetLogs").expect("type");
    p.send_line("| where DstPortNumber < 100 and SrcIpAddr != '10.0.0.1'")
        .expect("type");
    p.send_line("").expect("blank line");
    p.exp_string("10.0.0.2").expect("result row");
    p.exp_string("1 row in").expect("footer");
    prompt(&mut p);

    // .tables and .schema.
    p.send_line(".tables").expect("type");
    p.exp_regex(r"\r?\nNetLogs\r?\n")
        .expect(".tables lists NetLogs");
    prompt(&mut p);
    p.send_line(".schema NetLogs").expect("type");
    p.exp_regex(r"DstPortNumber +int")
        .expect(".schema shows the column type");
    prompt(&mut p);

    // Completion of a column name: `DstP<Tab>` becomes `DstPortNumber` (the only column or
    // function starting so). If it did not, the query would fail with an unknown name.
    type_keys(&mut p, "NetLogs | where DstP");
    type_keys(&mut p, "\t");
    p.exp_string("DstPortNumber").expect("completed");
    p.send_line(" == 443 | extend Found = strcat('port', '-', 'ok');;")
        .expect("type");
    p.exp_string("port-ok")
        .expect("query with the completed column ran");
    p.exp_string("1 row in").expect("footer");
    prompt(&mut p);

    // Ctrl-C cancels a long-running query and the prompt comes back.
    p.send_line("range x from 1 to 100000000 step 1 | summarize count();;")
        .expect("type");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    p.send_control('c').expect("ctrl-c");
    p.exp_string("query cancelled").expect("cancelled");
    prompt(&mut p);

    // A marker query to find in the history, then Ctrl-D.
    p.send_line("print marker = strcat('hist', 'ory');;")
        .expect("type");
    p.exp_string("history").expect("marker result");
    prompt(&mut p);
    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("exit on ctrl-d");

    let history = std::fs::read_to_string(state.join("kql/history")).expect("history file");
    assert!(history.contains("strcat('hist', 'ory')"), "{history}");
    assert!(history.contains(".schema NetLogs"), "{history}");

    // Restart: Up recalls the marker query; Enter twice (newline, then the blank line) runs it.
    let mut p = start(&data, &state);
    type_keys(&mut p, "\x1b[A");
    p.exp_string("strcat('hist', 'ory')").expect("recalled");
    type_keys(&mut p, "\r");
    type_keys(&mut p, "\r");
    p.exp_string("history").expect("recalled query ran");
    p.exp_string("1 row in").expect("footer");
    prompt(&mut p);
    p.send_line(".quit").expect("quit");
    p.exp_eof().expect("exit on .quit");
}

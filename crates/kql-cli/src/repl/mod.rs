//! The interactive REPL (`kql` or `kql repl`).
//!
//! The evaluation loop ([`Repl::run`]) reads from a [`LineSource`]: the rustyline editor
//! when stdin is a terminal (history, completion, highlighting, hints, multi-line blocks),
//! plain stdin lines otherwise (scripts, tests). Both go through the same block rules
//! ([`input::block_state`]) and the same commands.

mod complete;
mod helper;
mod highlight;
mod input;
mod scan;

use crate::output::{OutputFormat, write_fitted_table, write_result};
use crate::progress::Spinner;
use crate::rule_file::RuleFile;
use crate::setup::{SessionArgs, data_dir, open_session, parse_now};
use complete::DOT_COMMANDS;
use input::{BlockState, block_state};
use kql_engine::Session;
use kql_engine::session::CANCELLED;
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};
use std::cell::RefCell;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Arguments of `kql repl`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ReplArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// Initial output mode.
    #[arg(long, value_enum, default_value = "table")]
    pub mode: OutputFormat,
}

/// One read from a line source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Read {
    /// A line, or a whole block when the source validates blocks itself.
    Line(String),
    /// Ctrl-C at the prompt: drop the pending input.
    Interrupted,
    /// End of input (Ctrl-D).
    Eof,
}

/// Where the REPL's input comes from.
pub trait LineSource {
    /// Reads the next line (or block) showing `prompt`.
    fn read(&mut self, prompt: &str) -> Read;
    /// Records a submitted query or command in the history.
    fn add_history(&mut self, _entry: &str) {}
}

/// Lines from any reader (stdin when it is not a terminal): no prompt, no history.
pub struct ReaderSource<R: BufRead>(pub R);

impl<R: BufRead> LineSource for ReaderSource<R> {
    fn read(&mut self, _prompt: &str) -> Read {
        let mut line = String::new();
        match self.0.read_line(&mut line) {
            Ok(0) | Err(_) => Read::Eof,
            Ok(_) => {
                let l = line.strip_suffix('\n').unwrap_or(&line);
                Read::Line(l.strip_suffix('\r').unwrap_or(l).to_string())
            }
        }
    }
}

/// The rustyline editor, with a history file.
struct EditorSource {
    editor: Editor<helper::KqlHelper, FileHistory>,
    history: Option<PathBuf>,
}

impl LineSource for EditorSource {
    fn read(&mut self, prompt: &str) -> Read {
        let styled = format!("\x1b[1;32m{prompt}\x1b[0m");
        match self.editor.readline(&(prompt, styled.as_str())) {
            Ok(s) => Read::Line(s),
            Err(ReadlineError::Interrupted) => Read::Interrupted,
            Err(ReadlineError::Eof) => Read::Eof,
            Err(e) => {
                eprintln!("error: {e}");
                Read::Eof
            }
        }
    }

    fn add_history(&mut self, entry: &str) {
        let _ = self.editor.add_history_entry(entry);
        if let Some(p) = &self.history {
            let _ = self.editor.append_history(p);
        }
    }
}

/// The history file: `$XDG_STATE_HOME/kql/history`, else `~/.local/state/kql/history`.
pub fn history_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local/state"))
        })?;
    Some(base.join("kql").join("history"))
}

/// What a command asks the loop to do next.
#[derive(PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// The evaluation loop and its settings.
pub struct Repl<'a> {
    session: Rc<RefCell<Session>>,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    mode: OutputFormat,
    timer: bool,
    /// Terminal output: fit tables to the terminal width.
    terminal: bool,
    last_query: Option<String>,
    running: Arc<AtomicBool>,
}

impl<'a> Repl<'a> {
    /// A REPL over `session` writing results to `out` and messages to `err`.
    pub fn new(
        session: Rc<RefCell<Session>>,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> Repl<'a> {
        Repl {
            session,
            out,
            err,
            mode: OutputFormat::Table,
            timer: true,
            terminal: false,
            last_query: None,
            running: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Reads and evaluates until end of input or `.quit`.
    pub fn run(&mut self, src: &mut dyn LineSource) -> std::io::Result<()> {
        let mut buf = String::new();
        loop {
            let prompt = if buf.is_empty() { "kql> " } else { "  -> " };
            let line = match src.read(prompt) {
                Read::Interrupted => {
                    buf.clear();
                    continue;
                }
                Read::Eof => {
                    // Run what is pending (a script without a final blank line).
                    let pending = std::mem::take(&mut buf);
                    let state = match block_state(&pending) {
                        BlockState::Incomplete => BlockState::Query(pending.trim().to_string()),
                        s => s,
                    };
                    self.dispatch(state, src)?;
                    return Ok(());
                }
                Read::Line(l) => l,
            };
            if buf.is_empty() {
                buf = line;
            } else {
                buf.push('\n');
                buf.push_str(&line);
            }
            let state = block_state(&buf);
            if state == BlockState::Incomplete {
                continue;
            }
            buf.clear();
            if self.dispatch(state, src)? == Flow::Quit {
                return Ok(());
            }
        }
    }

    fn dispatch(&mut self, state: BlockState, src: &mut dyn LineSource) -> std::io::Result<Flow> {
        match state {
            BlockState::Empty | BlockState::Incomplete => Ok(Flow::Continue),
            BlockState::Command(c) => {
                src.add_history(&c);
                self.command(&c)
            }
            BlockState::Query(q) => {
                src.add_history(&q);
                self.query(&q, "input")?;
                Ok(Flow::Continue)
            }
        }
    }

    /// Runs a query and prints its results.
    fn query(&mut self, q: &str, origin: &str) -> std::io::Result<()> {
        self.last_query = Some(q.to_string());
        let session = self.session.borrow();
        let token = session.cancel_token();
        token.reset();
        self.running.store(true, Ordering::SeqCst);
        let spinner = Spinner::start("running (Ctrl-C cancels)");
        let t0 = Instant::now();
        let result = session.run(q);
        let elapsed = t0.elapsed();
        spinner.finish();
        self.running.store(false, Ordering::SeqCst);
        drop(session);
        let out = match result {
            Ok(o) => o,
            Err(d) if d.code == CANCELLED || token.is_cancelled() => {
                writeln!(self.err, "query cancelled")?;
                return Ok(());
            }
            Err(d) => {
                write!(self.err, "{}", d.render(q, origin))?;
                return Ok(());
            }
        };
        for w in &out.warnings {
            write!(self.err, "{}", w.render(q, origin))?;
        }
        let n = out.results.len();
        for (i, rs) in out.results.iter().enumerate() {
            match (self.mode, self.terminal) {
                (OutputFormat::Table, true) => {
                    write_fitted_table(self.out, rs, usize::from(terminal_columns()))?
                }
                (mode, _) => write_result(self.out, rs, mode, None)?,
            }
            if self.mode == OutputFormat::Table {
                let rows = rs.num_rows();
                let mut footer = format!("{rows} row{}", if rows == 1 { "" } else { "s" });
                if self.timer && i + 1 == n {
                    footer.push_str(&format!(" in {}", format_elapsed(elapsed)));
                }
                writeln!(self.out, "{footer}")?;
            }
        }
        if n == 0 && self.mode == OutputFormat::Table {
            writeln!(self.out, "(no tabular result)")?;
        }
        self.out.flush()
    }

    /// Runs a dot-command.
    fn command(&mut self, line: &str) -> std::io::Result<Flow> {
        let mut parts = line.splitn(2, char::is_whitespace);
        let cmd = parts.next().unwrap_or_default();
        let arg = parts.next().unwrap_or_default().trim();
        match cmd {
            ".quit" | ".exit" | ".q" => return Ok(Flow::Quit),
            ".help" => self.help()?,
            ".tables" => {
                let s = self.session.borrow();
                let tables = s.tables();
                if tables.is_empty() {
                    writeln!(self.out, "(no tables; `.load NAME PATH` registers one)")?;
                }
                for t in tables {
                    writeln!(self.out, "{t}")?;
                }
                let w = s.watchlist_aliases();
                if !w.is_empty() {
                    writeln!(self.out, "watchlists: {}", w.join(", "))?;
                }
            }
            ".schema" => self.schema(arg)?,
            ".functions" => {
                let fs = self.session.borrow().functions();
                if fs.is_empty() {
                    writeln!(self.out, "(no stored functions)")?;
                }
                for f in fs {
                    writeln!(self.out, "{f}")?;
                }
            }
            ".mode" => match arg {
                "table" => self.mode = OutputFormat::Table,
                "csv" => self.mode = OutputFormat::Csv,
                "json" => self.mode = OutputFormat::Json,
                "" => writeln!(self.out, "mode: {}", mode_name(self.mode))?,
                other => writeln!(
                    self.err,
                    "error: unknown mode `{other}` (table, csv or json)"
                )?,
            },
            ".timer" => match arg {
                "on" => self.timer = true,
                "off" => self.timer = false,
                "" => writeln!(self.out, "timer: {}", if self.timer { "on" } else { "off" })?,
                other => writeln!(self.err, "error: `.timer {other}`: use on or off")?,
            },
            ".explain" => self.explain(arg)?,
            ".set" => self.set(arg)?,
            ".read" => self.read(arg)?,
            ".load" => self.load(arg)?,
            other => {
                let names = DOT_COMMANDS.iter().map(|(c, _)| *c);
                let hint = kql_syntax::suggest::closest(other, names)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                writeln!(
                    self.err,
                    "error: unknown command `{other}`{hint} (`.help` lists the commands)"
                )?;
            }
        }
        self.out.flush()?;
        Ok(Flow::Continue)
    }

    fn help(&mut self) -> std::io::Result<()> {
        writeln!(
            self.out,
            "Enter KQL; a blank line (or `;;` at the end of a line) runs it. Input stays open\n\
             after a trailing `|` or `,`, and inside brackets or strings (a second blank line\n\
             runs it anyway). Tab completes tables, columns, functions and operators;\n\
             Ctrl-C cancels the input or a running query; Ctrl-D exits.\n\nCommands:"
        )?;
        for (c, d) in DOT_COMMANDS {
            writeln!(self.out, "  {c:<11} {d}")?;
        }
        Ok(())
    }

    fn schema(&mut self, table: &str) -> std::io::Result<()> {
        if table.is_empty() {
            return writeln!(self.err, "error: usage: .schema TABLE");
        }
        let s = self.session.borrow();
        match s.table_columns(table) {
            Ok(Some(cols)) => {
                let w = cols
                    .iter()
                    .map(|c| c.name.chars().count())
                    .max()
                    .unwrap_or(0);
                for c in cols {
                    writeln!(self.out, "{:<w$}  {}", c.name, c.ty.name())?;
                }
                Ok(())
            }
            Ok(None) => {
                let tables = s.tables();
                let hint = kql_syntax::suggest::closest(table, tables.iter().map(String::as_str))
                    .map(|t| format!("; did you mean `{t}`?"))
                    .unwrap_or_default();
                writeln!(self.err, "error: no table `{table}`{hint}")
            }
            Err(e) => writeln!(self.err, "error[{}]: {}", e.code, e.message),
        }
    }

    fn explain(&mut self, arg: &str) -> std::io::Result<()> {
        let q = if arg.is_empty() {
            match &self.last_query {
                Some(q) => q.clone(),
                None => {
                    return writeln!(
                        self.err,
                        "error: usage: .explain QUERY (or after running a query)"
                    );
                }
            }
        } else {
            arg.to_string()
        };
        let r = self.session.borrow().explain(&q);
        match r {
            Ok((logical, physical)) => {
                writeln!(
                    self.out,
                    "logical plan:\n{logical}\n\nphysical plan:\n{physical}"
                )
            }
            Err(d) => write!(self.err, "{}", d.render(&q, "input")),
        }
    }

    fn set(&mut self, arg: &str) -> std::io::Result<()> {
        let Some((key, value)) = arg.split_once('=') else {
            return writeln!(self.err, "error: usage: .set now=RFC3339 (or `.set now=`)");
        };
        match key.trim() {
            "now" => {
                let value = value.trim();
                if value.is_empty() {
                    self.session.borrow_mut().set_now(None);
                    writeln!(self.out, "now() follows the wall clock")
                } else {
                    match parse_now(value) {
                        Ok(ns) => {
                            self.session.borrow_mut().set_now(Some(ns));
                            writeln!(self.out, "now() pinned to {value}")
                        }
                        Err(e) => writeln!(self.err, "error: {e}"),
                    }
                }
            }
            other => writeln!(self.err, "error: unknown setting `{other}` (known: now)"),
        }
    }

    fn read(&mut self, arg: &str) -> std::io::Result<()> {
        if arg.is_empty() {
            return writeln!(self.err, "error: usage: .read FILE");
        }
        match RuleFile::load(Path::new(arg)) {
            Ok(rf) => {
                for w in &rf.warnings {
                    writeln!(self.err, "warning[{}]: {}", w.code, w.message)?;
                }
                self.query(&rf.query, arg)
            }
            Err(d) => writeln!(self.err, "error[{}]: {}", d.code, d.message),
        }
    }

    fn load(&mut self, arg: &str) -> std::io::Result<()> {
        let mut it = arg.splitn(2, char::is_whitespace);
        let (Some(name), Some(path)) = (it.next().filter(|s| !s.is_empty()), it.next()) else {
            return writeln!(self.err, "error: usage: .load NAME PATH");
        };
        let path = path.trim();
        let r = self
            .session
            .borrow_mut()
            .load_parquet(name, Path::new(path));
        match r {
            Ok(()) => {
                let n = self
                    .session
                    .borrow()
                    .table_columns(name)
                    .ok()
                    .flatten()
                    .map_or(0, |c| c.len());
                writeln!(self.out, "loaded table {name} ({n} columns) from {path}")
            }
            Err(d) => writeln!(self.err, "error[{}]: {}", d.code, d.message),
        }
    }
}

fn mode_name(m: OutputFormat) -> &'static str {
    match m {
        OutputFormat::Table => "table",
        OutputFormat::Csv => "csv",
        OutputFormat::Json => "json",
    }
}

/// `12 ms`, `1.234 s`.
fn format_elapsed(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.3} s", d.as_secs_f64())
    }
}

/// The terminal's width in columns (80 when unknown).
fn terminal_columns() -> u16 {
    crate::run::terminal_width()
        .filter(|w| *w >= 20)
        .unwrap_or(80)
}

/// Cancels the running query on Ctrl-C (SIGINT). At the prompt rustyline reads Ctrl-C as
/// a key; when input is not a terminal, Ctrl-C outside a query exits (status 130).
///
/// The handler is registered before this returns: rustyline saves the SIGINT disposition
/// when it enters raw mode and restores it afterwards, so a handler installed later would be
/// undone and Ctrl-C would kill the process.
fn install_ctrl_c(token: kql_engine::CancelToken, running: Arc<AtomicBool>, interactive: bool) {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let spawned = std::thread::Builder::new()
        .name("kql-ctrl-c".into())
        .spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                #[cfg(unix)]
                let Ok(mut sigint) =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                else {
                    return;
                };
                #[cfg(windows)]
                let Ok(mut sigint) = tokio::signal::windows::ctrl_c() else {
                    return;
                };
                let _ = ready_tx.send(());
                while sigint.recv().await.is_some() {
                    if running.load(Ordering::SeqCst) {
                        token.cancel();
                    } else if !interactive {
                        std::process::exit(130);
                    }
                }
            });
        });
    if spawned.is_ok() {
        // Returns once registered (or at once if the thread gave up).
        let _ = ready_rx.recv();
    }
}

/// `kql repl`: returns the process exit code.
pub fn main(args: &ReplArgs) -> u8 {
    let interactive = std::io::stdin().is_terminal();
    let Some(session) = open_session(&args.session) else {
        return 1;
    };
    let token = session.cancel_token();
    let ntables = session.tables().len();
    let session = Rc::new(RefCell::new(session));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr();
    let mut repl = Repl::new(session.clone(), &mut out, &mut err);
    repl.mode = args.mode;
    repl.terminal = std::io::stdout().is_terminal();
    install_ctrl_c(token, repl.running.clone(), interactive);
    let result = if interactive {
        let config = Config::builder()
            .history_ignore_dups(true)
            .and_then(|b| b.max_history_size(10_000))
            .map(|b| b.completion_type(CompletionType::List).build());
        let editor = config.and_then(Editor::<helper::KqlHelper, FileHistory>::with_config);
        let mut editor = match editor {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: cannot start the line editor: {e}");
                return 1;
            }
        };
        editor.set_helper(Some(helper::KqlHelper::new(session.clone())));
        let history = history_path();
        if let Some(p) = &history {
            if let Some(dir) = p.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = editor.load_history(p);
        }
        let data = data_dir(&args.session)
            .map(|d| format!(" from {}", d.display()))
            .unwrap_or_default();
        let _ = writeln!(
            repl.out,
            "kql {} — {ntables} tables{data}. Blank line or `;;` runs a query; .help for help.",
            env!("CARGO_PKG_VERSION")
        );
        let mut src = EditorSource { editor, history };
        repl.run(&mut src)
    } else {
        let stdin = std::io::stdin();
        let mut src = ReaderSource(stdin.lock());
        repl.run(&mut src)
    };
    drop(repl);
    // Do not drop the session: its runtime would wait for a cancelled query's task to reach
    // a yield point (an operator can compute for a long time without one). The process is
    // about to exit anyway.
    std::mem::forget(session);
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scripted input.
    struct Script(Vec<Read>);
    impl LineSource for Script {
        fn read(&mut self, _prompt: &str) -> Read {
            if self.0.is_empty() {
                Read::Eof
            } else {
                self.0.remove(0)
            }
        }
    }

    fn run_script(lines: &[&str]) -> (String, String) {
        let session = Session::new(kql_engine::SessionOptions {
            now_ns: parse_now("2024-01-01T00:00:00Z").ok(),
            target_partitions: Some(1),
            ..Default::default()
        })
        .expect("session");
        let session = Rc::new(RefCell::new(session));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut repl = Repl::new(session, &mut out, &mut err);
        repl.timer = false;
        let mut src = Script(lines.iter().map(|l| Read::Line(l.to_string())).collect());
        repl.run(&mut src).expect("run");
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn multi_line_query_runs_at_the_blank_line() {
        let (out, err) = run_script(&["print a = 1", "| extend b = a + 1", "", ".quit"]);
        assert_eq!(err, "");
        assert!(out.contains("│ a ┆ b │") || out.contains("a ┆ b"), "{out}");
        assert!(out.contains("1 row\n"), "{out}");
    }

    #[test]
    fn modes_and_errors() {
        let (out, err) = run_script(&[
            ".mode csv",
            "print x = 'a,b', y = 2.5;;",
            ".mode json",
            "print n = 3;;",
            "print z = nosuchcolumn;;",
            ".bogus",
        ]);
        assert!(out.contains("x,y\n\"a,b\",2.5\n"), "{out}");
        assert!(out.contains("\"n\": 3"), "{out}");
        assert!(err.contains("nosuchcolumn"), "{err}");
        assert!(err.contains("^"), "{err}");
        assert!(err.contains("unknown command `.bogus`"), "{err}");
    }

    #[test]
    fn pending_input_runs_at_end_of_input() {
        let (out, _) = run_script(&[".mode csv", "print a = 7"]);
        assert_eq!(out, "a\n7\n");
    }

    #[test]
    fn interrupted_input_is_dropped() {
        let session = Session::new(kql_engine::SessionOptions::default()).expect("session");
        let session = Rc::new(RefCell::new(session));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut repl = Repl::new(session, &mut out, &mut err);
        repl.mode = OutputFormat::Csv;
        let mut src = Script(vec![
            Read::Line("print a = 1".into()),
            Read::Interrupted,
            Read::Line("print b = 2;;".into()),
        ]);
        repl.run(&mut src).expect("run");
        assert_eq!(String::from_utf8_lossy(&out), "b\n2\n");
    }

    #[test]
    fn set_now_pins_now() {
        let (out, err) = run_script(&[
            ".mode csv",
            ".set now=2030-05-06T07:08:09Z",
            "print t = now();;",
            ".set now=bad",
        ]);
        assert!(out.contains("t\n2030-05-06T07:08:09Z\n"), "{out}");
        assert!(err.contains("invalid --now"), "{err}");
    }

    #[test]
    fn history_path_honours_xdg_state_home() {
        // Only checks the shape; the environment is process-wide, so it is not modified.
        if let Some(p) = history_path() {
            assert!(p.ends_with("kql/history"));
        }
    }
}

//! The `kql` command: `repl` (the default), `run`, `check` and `test`, following the CLI
//! contract in `../shared/design/architecture.md` §4.

mod check;
mod fixture;
mod output;
mod progress;
mod repl;
mod rule_file;
mod rules;
mod run;
mod setup;
mod test_cmd;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// KQL over Parquet: check, run and test Microsoft Sentinel rules locally.
#[derive(Parser, Debug)]
#[command(name = "kql", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Without a subcommand: the REPL's options.
    #[command(flatten)]
    repl: repl::ReplArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check KQL files and Sentinel rule YAML files without running them; exit 1 on any
    /// failure.
    Check(CheckArgs),
    /// Run a `.kql` file or Sentinel rule `.yaml` and print its results; with several
    /// files, a directory or a glob, print one line per rule and a summary.
    Run(run::RunArgs),
    /// Interactive KQL console (the default when no subcommand is given).
    Repl(repl::ReplArgs),
    /// Run golden tests of rules (`*.test.yaml` / `test.yaml` cases) and report pass/fail.
    Test(test_cmd::TestArgs),
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// `.kql` files or Sentinel rule `.yaml` files (their `query:` field).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Only parse; do not bind names or plan.
    #[arg(long)]
    syntax_only: bool,
    /// JSON table schemas (Sentinel validation format) to plan against (tables without
    /// data).
    #[arg(long, value_name = "DIR")]
    schemas: Option<PathBuf>,
    /// A data directory to plan against (default: none).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Extra directories of stored functions (`*.kql`).
    #[arg(long, value_name = "DIR")]
    functions: Vec<PathBuf>,
    /// Output format: `text` (rendered diagnostics) or `json` (one object per file per line).
    #[arg(long, value_enum, default_value = "text")]
    format: check::Format,
}

/// Restores the default SIGPIPE disposition (Rust ignores it), so that writing into a closed
/// pipe (`kql test | head`) ends the process quietly, as other command-line tools do,
/// instead of panicking in `println!`.
#[cfg(unix)]
fn default_sigpipe() {
    // SAFETY: `signal` with `SIG_DFL` only changes the disposition of SIGPIPE; it runs first
    // thing in `main`, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    #[cfg(unix)]
    default_sigpipe();
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        return ExitCode::from(repl::main(&cli.repl));
    };
    match command {
        Command::Run(args) => ExitCode::from(run::run(&args)),
        Command::Repl(args) => ExitCode::from(repl::main(&args)),
        Command::Test(args) => ExitCode::from(test_cmd::run(&args)),
        Command::Check(args) => {
            let session = if args.syntax_only {
                None
            } else {
                let sargs = setup::SessionArgs {
                    data: args.data.clone(),
                    no_data: args.data.is_none(),
                    schemas: args.schemas.clone(),
                    functions: args.functions.clone(),
                    now: None,
                    builtin_schemas: true,
                    memory_limit: None,
                };
                match setup::open_session(&sargs) {
                    Some(s) => Some(s),
                    None => return ExitCode::from(2),
                }
            };
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match check::run(&args.files, args.format, session.as_ref(), &mut out) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::from(1),
                Err(e) => {
                    eprintln!("error: cannot write output: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

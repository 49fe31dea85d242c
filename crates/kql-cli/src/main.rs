//! The `kql` command. Subcommands: `check` (now); `run`, `test` and `repl` will follow the
//! CLI contract in `../shared/design/architecture.md` §4.

mod check;
mod output;
mod rule_file;
mod run;
mod setup;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// KQL over Parquet: check, run and test Microsoft Sentinel rules locally.
#[derive(Parser, Debug)]
#[command(name = "kql", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check KQL files and Sentinel rule YAML files without running them; exit 1 on any
    /// failure.
    Check(CheckArgs),
    /// Run a `.kql` file or a Sentinel rule `.yaml` and print its results.
    Run(run::RunArgs),
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => ExitCode::from(run::run(&args)),
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
                let mut notes = Vec::new();
                match setup::build_session(&sargs, &mut notes) {
                    Ok(s) => {
                        for n in notes {
                            eprintln!("{n}");
                        }
                        Some(s)
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(2);
                    }
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

//! The `kql` command. Subcommands: `check` (now); `run`, `test` and `repl` will follow the
//! CLI contract in `../shared/design/architecture.md` §4.

mod check;
mod rule_file;

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
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// `.kql` files or Sentinel rule `.yaml` files (their `query:` field).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Only parse; do not bind names or plan. (Planning is not available yet, so `check`
    /// currently always checks syntax only.)
    #[arg(long)]
    syntax_only: bool,
    /// Output format: `text` (rendered diagnostics) or `json` (one object per file per line).
    #[arg(long, value_enum, default_value = "text")]
    format: check::Format,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => {
            if !args.syntax_only {
                eprintln!("note: planning is not available yet; checking syntax only");
            }
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match check::run(&args.files, args.format, &mut out) {
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

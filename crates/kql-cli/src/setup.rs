//! Building a [`Session`] from the common command-line options: data directory (default:
//! the sample workspace `testdata/`), pinned `now` (`--now`, else `<data>/now.txt`),
//! schema directory and extra function directories.

use kql_engine::parse_memory_size;
use kql_engine::{Session, SessionOptions};
use std::path::{Path, PathBuf};

/// Options shared by `run`, `check`, `test` and the REPL.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SessionArgs {
    /// Data directory: `<Name>.parquet` or `<Name>/*.parquet` tables, `watchlists/*.csv`,
    /// `functions/*.kql`. Default: `./testdata` when it exists, else the repository's sample
    /// workspace.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Pin `now()` (RFC 3339, up to 7 fractional digits). Default: `<data>/now.txt` when it
    /// exists, else the wall clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// JSON table schemas (Sentinel validation format) for tables without data.
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
    /// Extra directories of stored functions (`*.kql`), loaded after the built-in library.
    #[arg(long, value_name = "DIR")]
    pub functions: Vec<PathBuf>,
    /// Do not load any data directory (not even the default one).
    #[arg(long)]
    pub no_data: bool,
    /// Memory available to query execution, e.g. `2GiB`, `512MiB` (suffixes B, KiB, MiB,
    /// GiB; KB/MB/GB and K/M/G are read as the same binary units). Sorts and aggregations
    /// spill to the temporary directory beyond it. Default: no limit.
    #[arg(long, value_name = "SIZE", value_parser = parse_memory_size)]
    pub memory_limit: Option<usize>,
    /// Load the built-in table-schema catalogue as schema-only tables (`kql check`). `kql run`
    /// leaves it out so that a table missing from the data directory is a clear error (and
    /// `union isfuzzy=true` skips it) rather than an empty table.
    #[arg(skip)]
    pub builtin_schemas: bool,
}

/// The data directory to use.
pub fn data_dir(args: &SessionArgs) -> Option<PathBuf> {
    if args.no_data {
        return None;
    }
    if let Some(d) = &args.data {
        return Some(d.clone());
    }
    let cwd = PathBuf::from("testdata");
    if cwd.is_dir() {
        return Some(cwd);
    }
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    built_in.is_dir().then_some(built_in)
}

/// Parses a `--now` value.
pub fn parse_now(text: &str) -> Result<i64, String> {
    kql_planner::parse_datetime_text(text).ok_or_else(|| {
        format!("invalid --now `{text}`: expected RFC 3339, e.g. 2024-05-01T12:00:00Z (up to 7 fractional digits)")
    })
}

/// Builds the session, printing its notes to stderr; on failure prints the error and
/// returns `None` (the caller exits with code 1).
pub fn open_session(args: &SessionArgs) -> Option<Session> {
    let mut notes = Vec::new();
    let session = build_session(args, &mut notes);
    for n in &notes {
        eprintln!("{n}");
    }
    match session {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("error: {e}");
            None
        }
    }
}

/// Builds the session; `notes` receives informational messages for stderr.
pub fn build_session(args: &SessionArgs, notes: &mut Vec<String>) -> Result<Session, String> {
    let data = data_dir(args);
    let now_ns = match (&args.now, &data) {
        (Some(t), _) => Some(parse_now(t)?),
        (None, Some(d)) if d.join("now.txt").is_file() => {
            let text = std::fs::read_to_string(d.join("now.txt"))
                .map_err(|e| format!("{}: {e}", d.join("now.txt").display()))?;
            let ns = parse_now(text.trim())?;
            notes.push(format!(
                "now() pinned to {} (from {})",
                text.trim(),
                d.join("now.txt").display()
            ));
            Some(ns)
        }
        _ => None,
    };
    let mut session = Session::new(SessionOptions {
        now_ns,
        no_builtin_schemas: !args.builtin_schemas,
        memory_limit: args.memory_limit,
        ..SessionOptions::default()
    })
    .map_err(|d| d.message)?;
    if let Some(d) = &data {
        if !d.is_dir() {
            return Err(format!("data directory {} does not exist", d.display()));
        }
        for w in session.open_data_dir(d).map_err(|e| e.message)? {
            notes.push(format!("warning: {w}"));
        }
    }
    if let Some(s) = &args.schemas {
        if !s.is_dir() {
            return Err(format!("schema directory {} does not exist", s.display()));
        }
        for e in session.load_schema_dir(s) {
            notes.push(format!("warning: {e}"));
        }
    }
    for dir in &args.functions {
        let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "kql"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            session
                .add_functions(&text, &f.display().to_string())
                .map_err(|d| d.render(&text, &f.display().to_string()))?;
        }
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::parse_memory_size;

    #[test]
    fn memory_sizes() {
        assert_eq!(parse_memory_size("2GiB"), Ok(2 * 1024 * 1024 * 1024));
        assert_eq!(parse_memory_size("512MiB"), Ok(512 * 1024 * 1024));
        assert_eq!(parse_memory_size("64kib"), Ok(64 * 1024));
        assert_eq!(parse_memory_size("3G"), Ok(3 << 30));
        assert_eq!(parse_memory_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_memory_size(" 1 MiB "), Ok(1 << 20));
        assert!(parse_memory_size("2 GiBs").is_err());
        assert!(parse_memory_size("GiB").is_err());
        assert!(parse_memory_size("-1GiB").is_err());
        assert!(parse_memory_size("0").is_err());
        assert!(parse_memory_size("1.5GiB").is_err());
    }
}

//! `kql check`: parse (and, once the planner exists, plan) each file; report per file.

use crate::rule_file::RuleFile;
use kql_syntax::Diagnostic;
use std::io::Write;
use std::path::Path;

/// Output format of `kql check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path: ok` or a rendered diagnostic.
    Text,
    /// One JSON object per file per line.
    Json,
}

/// The outcome of checking one file.
pub struct Outcome {
    /// The diagnostic, if the file failed.
    pub error: Option<Diagnostic>,
    /// The source text the error's span refers to (file text or query text).
    pub source: String,
    /// Warnings (e.g. a recovered query).
    pub warnings: Vec<Diagnostic>,
}

/// Checks one file: parses it and, with a session, plans it.
pub fn check_file(path: &Path, session: Option<&kql_engine::Session>) -> Outcome {
    let rf = match RuleFile::load(path) {
        Ok(rf) => rf,
        Err(d) => {
            return Outcome {
                error: Some(d),
                source: String::new(),
                warnings: Vec::new(),
            };
        }
    };
    let result = match session {
        None => kql_syntax::parse_query(&rf.query).map(|_| ()),
        Some(s) => s.check(&rf.query).map(|_| ()),
    };
    match result {
        Ok(_) => Outcome {
            error: None,
            source: String::new(),
            warnings: rf.warnings,
        },
        Err(d) => {
            let (d, src) = rf.to_file_diagnostic(d);
            let source = src.to_string();
            Outcome {
                error: Some(d),
                source,
                warnings: rf.warnings,
            }
        }
    }
}

/// Runs `kql check` over `files`, writing to `out`; returns true if every file passed.
pub fn run(
    files: &[std::path::PathBuf],
    format: Format,
    session: Option<&kql_engine::Session>,
    out: &mut dyn Write,
) -> std::io::Result<bool> {
    let mut all_ok = true;
    for path in files {
        let name = path.display().to_string();
        let o = check_file(path, session);
        all_ok &= o.error.is_none();
        match format {
            Format::Text => {
                for w in &o.warnings {
                    writeln!(out, "{name}: warning[{}]: {}", w.code, w.message)?;
                }
                match &o.error {
                    None => writeln!(out, "{name}: ok")?,
                    Some(d) if o.source.is_empty() => {
                        writeln!(out, "error[{}]: {}\n --> {name}", d.code, d.message)?;
                        if let Some(h) = &d.help {
                            writeln!(out, "  = help: {h}")?;
                        }
                    }
                    Some(d) => write!(out, "{}", d.render(&o.source, &name))?,
                }
            }
            Format::Json => {
                let mut obj = serde_json::json!({ "file": name, "ok": o.error.is_none() });
                if let Some(d) = &o.error {
                    obj["error"] = d.to_json(&o.source);
                }
                if !o.warnings.is_empty() {
                    obj["warnings"] = o
                        .warnings
                        .iter()
                        .map(|w| serde_json::json!({"code": w.code, "message": w.message}))
                        .collect();
                }
                writeln!(out, "{obj}")?;
            }
        }
    }
    Ok(all_ok)
}

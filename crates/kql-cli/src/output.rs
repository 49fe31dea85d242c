//! Rendering result sets as a table (comfy-table), CSV or JSON — all through the engine's
//! one value formatter.

use comfy_table::{ContentArrangement, Table, presets};
use kql_engine::ResultSet;
use kql_engine::format::{Flavor, cell_json, format_cell};
use std::io::Write;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A table for people.
    Table,
    /// CSV: header row, then rows; empty cell for null.
    Csv,
    /// JSON: an array of row objects.
    Json,
}

/// The cells of a result set as display strings.
pub fn rows(rs: &ResultSet, flavor: Flavor) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for b in &rs.batches {
        for r in 0..b.num_rows() {
            out.push(
                rs.columns
                    .iter()
                    .enumerate()
                    .map(|(j, c)| format_cell(b.column(j).as_ref(), r, c.ty, flavor))
                    .collect(),
            );
        }
    }
    out
}

/// Writes `rs` in `format`. `width` limits table width (None: no limit).
pub fn write_result(
    out: &mut dyn Write,
    rs: &ResultSet,
    format: OutputFormat,
    width: Option<u16>,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Table => {
            let mut t = Table::new();
            t.load_preset(presets::UTF8_FULL_CONDENSED);
            match width {
                Some(w) => {
                    t.set_content_arrangement(ContentArrangement::Dynamic);
                    t.set_width(w);
                }
                None => {
                    t.set_content_arrangement(ContentArrangement::Disabled);
                }
            }
            t.set_header(rs.columns.iter().map(|c| c.name.clone()));
            for r in rows(rs, Flavor::Display) {
                t.add_row(r);
            }
            writeln!(out, "{t}")
        }
        OutputFormat::Csv => {
            let quote = |s: &str| {
                if s.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", s.replace('"', "\"\""))
                } else {
                    s.to_string()
                }
            };
            writeln!(
                out,
                "{}",
                rs.columns
                    .iter()
                    .map(|c| quote(&c.name))
                    .collect::<Vec<_>>()
                    .join(",")
            )?;
            for r in rows(rs, Flavor::Display) {
                writeln!(
                    out,
                    "{}",
                    r.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",")
                )?;
            }
            Ok(())
        }
        OutputFormat::Json => {
            let mut arr = Vec::new();
            for b in &rs.batches {
                for r in 0..b.num_rows() {
                    let mut obj = serde_json::Map::new();
                    for (j, c) in rs.columns.iter().enumerate() {
                        obj.insert(c.name.clone(), cell_json(b.column(j).as_ref(), r, c.ty));
                    }
                    arr.push(serde_json::Value::Object(obj));
                }
            }
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&serde_json::Value::Array(arr)).unwrap_or_default()
            )
        }
    }
}

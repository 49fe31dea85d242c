//! Rendering result sets as a table (comfy-table), CSV or JSON — all through the engine's
//! one value formatter.

use comfy_table::{ContentArrangement, Table, presets};
use kql_engine::ResultSet;
use kql_engine::format::{Flavor, cell_json, format_cell};
use std::io::Write;

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A table for people.
    #[default]
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

/// Fits a table into `width` terminal columns by truncating the widest columns' cells (with
/// `…`) — the REPL's table mode: one line per row, nothing wrapped. Control characters
/// (newlines, tabs) are shown as `↵` and `→`. Returns the header and the rows.
pub fn fit_cells(
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    width: usize,
) -> (Vec<String>, Vec<Vec<String>>) {
    let clean = |s: String| -> String {
        if s.contains(['\n', '\r', '\t']) {
            s.replace("\r\n", "↵")
                .replace(['\n', '\r'], "↵")
                .replace('\t', "→")
        } else {
            s
        }
    };
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| r.into_iter().map(clean).collect())
        .collect();
    let n = header.len();
    if n == 0 {
        return (header, rows);
    }
    let len = |s: &str| s.chars().count();
    let natural: Vec<usize> = (0..n)
        .map(|j| {
            rows.iter()
                .map(|r| r.get(j).map_or(0, |c| len(c)))
                .chain([len(&header[j])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    // Borders and padding of UTF8_FULL_CONDENSED: `│ a │ b │` = 3 per column + 1.
    let budget = width.saturating_sub(3 * n + 1);
    if natural.iter().sum::<usize>() <= budget {
        return (header, rows);
    }
    // Water-filling: the largest cap such that the capped widths fit (at least 8).
    let fits = |cap: usize| natural.iter().map(|w| (*w).min(cap)).sum::<usize>() <= budget;
    let mut cap = natural.iter().copied().max().unwrap_or(0);
    while cap > 8 && !fits(cap) {
        cap -= 1;
    }
    let cut = |s: String| -> String {
        if len(&s) <= cap {
            s
        } else {
            let mut t: String = s.chars().take(cap.saturating_sub(1)).collect();
            t.push('…');
            t
        }
    };
    (
        header.into_iter().map(cut).collect(),
        rows.into_iter()
            .map(|r| r.into_iter().map(cut).collect())
            .collect(),
    )
}

/// Writes `rs` as a table fitted to `width` columns by truncating cells ([`fit_cells`]).
pub fn write_fitted_table(
    out: &mut dyn Write,
    rs: &ResultSet,
    width: usize,
) -> std::io::Result<()> {
    let header: Vec<String> = rs.columns.iter().map(|c| c.name.clone()).collect();
    let (header, rows) = fit_cells(header, rows(rs, Flavor::Display), width);
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(header);
    for r in rows {
        t.add_row(r);
    }
    writeln!(out, "{t}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cells_truncates_the_widest_columns() {
        let header = vec!["a".to_string(), "b".to_string()];
        let rows = vec![vec!["x".repeat(50), "short".to_string()]];
        // 2 columns: 7 columns of borders; budget 40 - 7 = 33; "short" (5) stays, the long
        // cell is capped at 28 (27 chars + …).
        let (h, r) = fit_cells(header.clone(), rows.clone(), 40);
        assert_eq!(h, header);
        assert_eq!(r[0][1], "short");
        assert_eq!(r[0][0].chars().count(), 28);
        assert!(r[0][0].ends_with('…'));
        // Wide enough: unchanged.
        let (_, r) = fit_cells(header, rows.clone(), 200);
        assert_eq!(r, rows);
    }

    #[test]
    fn fit_cells_shows_newlines() {
        let (_, r) = fit_cells(vec!["a".into()], vec![vec!["x\ny\tz".into()]], 80);
        assert_eq!(r[0][0], "x↵y→z");
    }
}

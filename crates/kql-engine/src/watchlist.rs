//! Watchlists: `<data>/watchlists/<alias>.csv` read as `_GetWatchlist('alias')`.
//!
//! Output columns follow Sentinel's `_GetWatchlist` definition (latest item versions, with
//! the item bag unpacked): `_DTItemId` (string), `LastUpdatedTimeUTC` (datetime, the query's
//! `now`), `SearchKey` (string: the value of the search-key column), then one string column
//! per CSV header, in header order. The search-key column is the first column unless
//! `<alias>.json` beside the CSV says `{"searchKey": "Column"}`.

use kql_planner::{CatalogError, Col, KqlType};
use std::path::Path;

/// A parsed watchlist.
#[derive(Clone, Debug, PartialEq)]
pub struct Watchlist {
    /// Column names (CSV header).
    pub header: Vec<String>,
    /// Rows (all strings).
    pub rows: Vec<Vec<String>>,
    /// Index of the search-key column.
    pub search_key: usize,
}

/// Reads and validates a watchlist CSV (RFC 4180, CRLF or LF, optional BOM).
pub fn read_watchlist(csv_path: &Path) -> Result<Watchlist, CatalogError> {
    let origin = csv_path.display().to_string();
    let bytes =
        std::fs::read(csv_path).map_err(|e| CatalogError::data(format!("{origin}: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CatalogError::data(format!("{origin}: not UTF-8 text")))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| CatalogError::data(format!("{origin}: bad CSV header: {e}")))?
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    if header.is_empty() || header.iter().any(|h| h.is_empty()) {
        return Err(CatalogError::data(format!(
            "{origin}: the CSV header has an empty column name"
        )));
    }
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| CatalogError::data(format!("{origin}: row {}: {e}", i + 2)))?;
        rows.push(rec.iter().map(|s| s.to_string()).collect());
    }
    let mut search_key = 0;
    let sidecar = csv_path.with_extension("json");
    if let Ok(meta) = std::fs::read_to_string(&sidecar) {
        let v: serde_json::Value = serde_json::from_str(&meta)
            .map_err(|e| CatalogError::data(format!("{}: {e}", sidecar.display())))?;
        if let Some(k) = v.get("searchKey").and_then(|k| k.as_str()) {
            search_key = header.iter().position(|h| h == k).ok_or_else(|| {
                CatalogError::data(format!(
                    "{}: searchKey `{k}` is not a CSV column",
                    sidecar.display()
                ))
            })?;
        }
    }
    Ok(Watchlist {
        header,
        rows,
        search_key,
    })
}

impl Watchlist {
    /// The KQL columns of `_GetWatchlist` for this watchlist.
    pub fn columns(&self) -> Vec<Col> {
        let mut cols = vec![
            Col::new("_DTItemId", KqlType::String),
            Col::new("LastUpdatedTimeUTC", KqlType::DateTime),
            Col::new("SearchKey", KqlType::String),
        ];
        for h in &self.header {
            if !cols.iter().any(|c| &c.name == h) {
                cols.push(Col::new(h.clone(), KqlType::String));
            }
        }
        cols
    }
}

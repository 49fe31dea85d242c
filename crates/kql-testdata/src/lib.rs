//! Deterministic generator of the sample Sentinel workspace `testdata/`:
//! `ASimNetworkSessionLogs`, `ASimWebSessionLogs`, `ThreatIntelligenceIndicator` and
//! `ThreatIntelIndicators` as Parquet (the exact columns and types of the Sentinel table
//! schemas, the KQL type of every column in the Arrow field metadata `kql_type`), the
//! watchlist `NetworkSession_Monitor_Configuration`, and the pinned `now` (`now.txt`).
//!
//! Everything is a function of [`SEED`] and [`NOW`]: `cargo run -p kql-testdata -- --out
//! testdata` rewrites the same bytes. The planted behaviour (spiking and quiet ports,
//! indicator versions, threat sessions, ...) is described in `crates/kql-testdata/README.md`
//! and, per rule, next to the golden files in `crates/kql-cli/tests/golden/`.

pub mod network;
pub mod prng;
pub mod schemas;
pub mod table;
pub mod threat_intel;
pub mod time;
pub mod watchlist;

use std::path::{Path, PathBuf};

/// The pinned `now()`: a fixed instant with a non-zero sub-second part, so that day bins
/// aligned to `now()-14d` differ from bins aligned to midnight.
pub const NOW: &str = "2025-03-10T12:34:56.789Z";
/// [`NOW`] in nanoseconds since the epoch.
pub const NOW_NS: i64 = time::utc(2025, 3, 10, 12, 34, 56, 789);
/// The seed of every random stream.
pub const SEED: u64 = 0x4b51_4c5f_5445_5354;
/// `TenantId` of every row.
pub const TENANT: &str = "8c1f0a52-3d6e-4b7a-9c20-5e4d3b2a1f00";

/// The files [`generate`] writes, relative to the output directory.
pub const FILES: [&str; 8] = [
    "now.txt",
    "README.md",
    "ASimNetworkSessionLogs.parquet",
    "ASimWebSessionLogs.parquet",
    "ThreatIntelligenceIndicator.parquet",
    "ThreatIntelIndicators.parquet",
    "watchlists/NetworkSession_Monitor_Configuration.csv",
    "watchlists/NetworkSession_Monitor_Configuration.json",
];

const README: &str = "\
# Sample workspace (generated)

Written by `cargo run -p kql-testdata -- --out testdata`; do not edit by hand. The planted
behaviour is described in `crates/kql-testdata/README.md`; the expected rule results and
why each row is there in `crates/kql-cli/tests/golden/`.

* `now.txt` — the pinned `now()` (`kql run` reads it).
* `ASimNetworkSessionLogs.parquet`, `ASimWebSessionLogs.parquet`,
  `ThreatIntelligenceIndicator.parquet`, `ThreatIntelIndicators.parquet` — tables.
* `watchlists/NetworkSession_Monitor_Configuration.csv` (+ `.json`: search key `Ports`).
";

/// Writes the workspace into `out` (created if needed); returns the files written.
pub fn generate(out: &Path) -> Result<Vec<PathBuf>, String> {
    let wl = out.join("watchlists");
    std::fs::create_dir_all(&wl).map_err(|e| format!("{}: {e}", wl.display()))?;
    let write = |rel: &str, text: &str| -> Result<PathBuf, String> {
        let p = out.join(rel);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
        Ok(p)
    };
    let mut files = vec![
        write("now.txt", &format!("{NOW}\n"))?,
        write("README.md", README)?,
    ];
    let tables = [
        ("ASimNetworkSessionLogs", network::rows()?),
        ("ASimWebSessionLogs", threat_intel::web_rows()),
        ("ThreatIntelligenceIndicator", threat_intel::legacy_rows()),
        ("ThreatIntelIndicators", threat_intel::stix_rows()),
    ];
    for (name, rows) in &tables {
        let p = out.join(format!("{name}.parquet"));
        table::write_parquet(&p, name, rows)?;
        files.push(p);
    }
    files.push(write(
        &format!("watchlists/{}.csv", watchlist::ALIAS),
        &watchlist::csv(),
    )?);
    files.push(write(
        &format!("watchlists/{}.json", watchlist::ALIAS),
        &watchlist::sidecar(),
    )?);
    Ok(files)
}

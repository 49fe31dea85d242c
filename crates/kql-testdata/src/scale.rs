//! Scale mode: `ASimNetworkSessionLogs` with any number of rows, for benchmarks
//! (`kql-testdata --scale ROWS --out DIR`; never committed).
//!
//! The table has the same columns as the sample workspace and is built from the same pieces
//! (the series of `spec/network_series.csv`, the session fields of [`network::session`], the
//! threat sessions of the summary rule), in three parts:
//!
//! * **Planted series**: every load of the specification multiplied by a factor `k` (each
//!   (slot, app) gets `per * k` events, the late events `late * k`), chosen so that they
//!   make about a tenth of the rows. The anomaly scores only depend on the shape of each
//!   daily series (line fit residuals scaled by their inter-quartile range), so multiplying
//!   every value by `k` leaves the scores, and therefore the results of the port-misuse
//!   rules, exactly as on the sample workspace.
//! * **Threat sessions**: the 12 sessions of the sample workspace, unscaled (the summary
//!   rule counts them one by one).
//! * **Background**: the remaining rows, uniform over `[now-14d, now)`, on ports that are
//!   neither in the watchlist nor in the specification (so no rule result changes), from
//!   10 000 internal workstations (outbound) or public addresses (inbound), without threat
//!   fields. They give the micro-benchmarks their cardinalities.
//!
//! Rows are sorted by `TimeGenerated` and written as one Parquet file per day of the
//! window (`ASimNetworkSessionLogs/part-DD.parquet`, SNAPPY, row groups of
//! [`ScaleOptions::row_group_rows`] rows, page statistics), as a log pipeline would write
//! them; the directory also gets the sample workspace's small tables, the watchlist and
//! `now.txt`, so it is a complete data directory for `kql run --data DIR`.
//!
//! The look-back branch of the port-misuse rules stays the 4-day one (`eps <= 500`) up to
//! about 600 million rows.

use crate::network::{self, SLOT, SLOTS_PER_DAY, day_start, slot_start};
use crate::prng::SplitMix64;
use crate::table::{Row, V, arrow_type, columns, s, write_parquet};
use crate::time::{DAY, MIN, MS, SEC, floor_to};
use crate::{NOW, NOW_NS, SEED, threat_intel, watchlist};
use datafusion::arrow::array::{
    ArrayBuilder, ArrayRef, BooleanBuilder, Float64Builder, Int32Builder, Int64Builder,
    StringArray, StringBuilder, TimestampNanosecondBuilder, new_null_array,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The network session table.
const TABLE: &str = "ASimNetworkSessionLogs";
/// Share of the rows that belong to the planted series (before rounding `k`).
const PLANTED_SHARE: f64 = 0.1;
/// Number of distinct internal workstations of the background traffic.
pub const WORKSTATIONS: u64 = 10_000;
/// Rows per record batch handed to the Parquet writer.
const BATCH_ROWS: usize = 64 * 1024;

/// Options of [`generate_scale`].
#[derive(Clone, Debug)]
pub struct ScaleOptions {
    /// Rows of `ASimNetworkSessionLogs` (at least the planted rows of the sample workspace,
    /// about 13 000, are always written).
    pub rows: u64,
    /// Output directory (created if needed; the table directory is replaced).
    pub out: PathBuf,
    /// Maximum rows per Parquet row group.
    pub row_group_rows: usize,
}

impl ScaleOptions {
    /// Options with the default row-group size (256 Ki rows).
    pub fn new(rows: u64, out: impl Into<PathBuf>) -> ScaleOptions {
        ScaleOptions {
            rows,
            out: out.into(),
            row_group_rows: 256 * 1024,
        }
    }
}

/// What [`generate_scale`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScaleReport {
    /// Rows of `ASimNetworkSessionLogs`.
    pub rows: u64,
    /// Of which rows of the planted series.
    pub planted: u64,
    /// Of which background rows.
    pub background: u64,
    /// The factor applied to the planted loads.
    pub factor: u32,
    /// Files written.
    pub files: Vec<PathBuf>,
}

/// A background port: (port, protocol, application name).
const PORTS: &[(i32, &str, &str)] = &[
    (22, "TCP", "ssh"),
    (25, "TCP", "smtp"),
    (110, "TCP", "pop3"),
    (143, "TCP", "imap"),
    (161, "UDP", "snmp"),
    (445, "TCP", "smb"),
    (500, "UDP", "ike"),
    (514, "UDP", "syslog"),
    (587, "TCP", "submission"),
    (853, "TCP", "dot"),
    (993, "TCP", "imaps"),
    (995, "TCP", "pop3s"),
    (1194, "UDP", "openvpn"),
    (1521, "TCP", "oracle"),
    (1883, "TCP", "mqtt"),
    (2049, "TCP", "nfs"),
    (3306, "TCP", "mysql"),
    (4500, "UDP", "ipsec-nat"),
    (5060, "UDP", "sip"),
    (5222, "TCP", "xmpp"),
    (5432, "TCP", "postgres"),
    (5671, "TCP", "amqps"),
    (6379, "TCP", "redis"),
    (8000, "TCP", "http-alt"),
    (8080, "TCP", "http-proxy"),
    (8883, "TCP", "mqtts"),
    (9092, "TCP", "kafka"),
    (9200, "TCP", "elasticsearch"),
    (9418, "TCP", "git"),
    (11211, "UDP", "memcached"),
    (27017, "TCP", "mongodb"),
    (51820, "UDP", "wireguard"),
];

/// Ephemeral background ports: `EPHEMERAL_BASE + 0..EPHEMERAL_COUNT`, no application name.
const EPHEMERAL_BASE: i32 = 30_000;
const EPHEMERAL_COUNT: u64 = 1_000;

/// Events of the specification at factor 1 (all days, including the late events).
fn spec_events(series: &[network::Series]) -> u64 {
    series
        .iter()
        .map(|s| s.days.iter().map(|d| d.events()).sum::<u64>() + u64::from(s.late))
        .sum()
}

/// Background workstation `i` (`i < WORKSTATIONS`): address `10.100.a.b` and host name.
fn workstation(i: u64) -> (String, String) {
    (
        format!("10.100.{}.{}", i / 250, i % 250 + 1),
        format!("wk-{i:05}"),
    )
}

/// One background session at `t`.
fn background_session(r: &mut SplitMix64, t: i64) -> Row {
    let (port, protocol, app) = if r.below(10) < 7 {
        *r.pick(PORTS)
    } else {
        let p = EPHEMERAL_BASE + r.below(EPHEMERAL_COUNT) as i32;
        (p, if r.below(5) == 0 { "UDP" } else { "TCP" }, "")
    };
    let direction = if r.below(10) < 7 {
        "Outbound"
    } else {
        "Inbound"
    };
    let action = if r.below(100) < 92 { "Allow" } else { "Deny" };
    let mut row = network::session(r, t, port, protocol, direction, action, app);
    if direction == "Outbound" {
        let (ip, host) = workstation(r.below(WORKSTATIONS));
        for (name, v) in row.iter_mut() {
            match *name {
                "SrcIpAddr" => *v = s(ip.as_str()),
                "SrcHostname" => *v = s(host.as_str()),
                _ => {}
            }
        }
    }
    row
}

/// Column builder of one Parquet column, created when a row first sets the column.
enum Builder {
    Str(StringBuilder, bool),
    Time(TimestampNanosecondBuilder),
    Int(Int32Builder),
    Long(Int64Builder),
    Real(Float64Builder),
    Bool(BooleanBuilder),
}

impl Builder {
    fn new(ty: &str) -> Builder {
        match ty {
            "datetime" => Builder::Time(TimestampNanosecondBuilder::new().with_timezone("UTC")),
            "int" => Builder::Int(Int32Builder::new()),
            "long" => Builder::Long(Int64Builder::new()),
            "real" => Builder::Real(Float64Builder::new()),
            "bool" => Builder::Bool(BooleanBuilder::new()),
            other => Builder::Str(StringBuilder::new(), other == "dynamic"),
        }
    }

    fn len(&self) -> usize {
        match self {
            Builder::Str(b, _) => b.len(),
            Builder::Time(b) => b.len(),
            Builder::Int(b) => b.len(),
            Builder::Long(b) => b.len(),
            Builder::Real(b) => b.len(),
            Builder::Bool(b) => b.len(),
        }
    }

    /// Appends the default of an unset cell: `""` for strings, null otherwise.
    fn append_default(&mut self) {
        match self {
            Builder::Str(b, true) => b.append_null(),
            Builder::Str(b, false) => b.append_value(""),
            Builder::Time(b) => b.append_null(),
            Builder::Int(b) => b.append_null(),
            Builder::Long(b) => b.append_null(),
            Builder::Real(b) => b.append_null(),
            Builder::Bool(b) => b.append_null(),
        }
    }

    fn append(&mut self, v: &V) -> bool {
        match (self, v) {
            (Builder::Str(b, false), V::S(x)) | (Builder::Str(b, true), V::D(x)) => {
                b.append_value(x)
            }
            (Builder::Time(b), V::T(x)) if x % 100 == 0 => b.append_value(*x),
            (Builder::Int(b), V::I(x)) => b.append_value(*x),
            (Builder::Long(b), V::L(x)) => b.append_value(*x),
            (Builder::Real(b), V::R(x)) => b.append_value(*x),
            (Builder::Bool(b), V::B(x)) => b.append_value(*x),
            _ => return false,
        }
        true
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Str(b, _) => Arc::new(b.finish()),
            Builder::Time(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Long(b) => Arc::new(b.finish()),
            Builder::Real(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
        }
    }
}

/// Rows appended column by column; columns no row sets cost nothing until [`Sink::finish`].
struct Sink {
    schema: SchemaRef,
    types: Vec<&'static str>,
    index: HashMap<&'static str, usize>,
    builders: Vec<Option<Builder>>,
    rows: usize,
}

impl Sink {
    fn new(table: &str) -> Result<Sink, String> {
        let cols = columns(table)?;
        let mut fields = Vec::with_capacity(cols.len());
        for (name, ty) in cols {
            let meta = HashMap::from([("kql_type".to_string(), ty.to_string())]);
            fields.push(Field::new(*name, arrow_type(ty)?, true).with_metadata(meta));
        }
        Ok(Sink {
            schema: Arc::new(Schema::new(fields)),
            types: cols.iter().map(|(_, t)| *t).collect(),
            index: cols.iter().enumerate().map(|(i, (n, _))| (*n, i)).collect(),
            builders: cols.iter().map(|_| None).collect(),
            rows: 0,
        })
    }

    fn push(&mut self, row: &Row) -> Result<(), String> {
        for (name, v) in row {
            let c = *self
                .index
                .get(name)
                .ok_or_else(|| format!("table `{TABLE}` has no column `{name}`"))?;
            let b = self.builders[c].get_or_insert_with(|| Builder::new(self.types[c]));
            while b.len() < self.rows {
                b.append_default();
            }
            if b.len() > self.rows {
                return Err(format!("column `{name}` set twice in a row"));
            }
            if !b.append(v) {
                return Err(format!("column `{name}`: bad value {v:?}"));
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// The batch of the rows pushed since the last call.
    fn finish(&mut self) -> Result<RecordBatch, String> {
        let n = self.rows;
        let empty: ArrayRef = Arc::new(StringArray::from_iter_values(std::iter::repeat_n("", n)));
        let mut arrays = Vec::with_capacity(self.builders.len());
        for (c, b) in self.builders.iter_mut().enumerate() {
            let dt: &DataType = self.schema.field(c).data_type();
            arrays.push(match b {
                Some(b) => {
                    while b.len() < n {
                        b.append_default();
                    }
                    b.finish()
                }
                None if self.types[c] == "string" || self.types[c] == "guid" => empty.clone(),
                None => new_null_array(dt, n),
            });
        }
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), arrays).map_err(|e| e.to_string())
    }
}

/// One output file per day of the window, rotated as time advances.
struct Files {
    dir: PathBuf,
    props: WriterProperties,
    current: Option<(usize, ArrowWriter<File>)>,
    written: Vec<PathBuf>,
}

impl Files {
    fn write(&mut self, day: usize, batch: &RecordBatch) -> Result<(), String> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        if self.current.as_ref().map(|(d, _)| *d) != Some(day) {
            self.close()?;
            let p = self.dir.join(format!("part-{day:02}.parquet"));
            let f = File::create(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            let w = ArrowWriter::try_new(f, batch.schema(), Some(self.props.clone()))
                .map_err(|e| format!("{}: {e}", p.display()))?;
            self.written.push(p);
            self.current = Some((day, w));
        }
        if let Some((_, w)) = self.current.as_mut() {
            w.write(batch).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), String> {
        if let Some((_, w)) = self.current.take() {
            w.close().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// `round(total * num / den)` without overflow.
fn share(total: u64, num: i64, den: i64) -> u64 {
    ((total as u128 * num as u128 + den as u128 / 2) / den as u128) as u64
}

/// Writes the scaled workspace (see the module documentation).
pub fn generate_scale(opts: &ScaleOptions) -> Result<ScaleReport, String> {
    let series = network::series()?;
    let base = spec_events(&series);
    let threats = network::threat_rows();
    let factor = ((opts.rows as f64 * PLANTED_SHARE / base as f64).floor() as u32).max(1);
    let planted = base * u64::from(factor);
    let background = opts.rows.saturating_sub(planted + threats.len() as u64);

    let out = &opts.out;
    let dir = out.join(TABLE);
    /// One series' use of a slot: (series index, applications, events per application).
    type SlotUse = (usize, u32, u64);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut report = ScaleReport {
        factor,
        planted,
        background,
        ..ScaleReport::default()
    };
    report.files.extend(write_small_tables(out)?);

    // Slots chosen by each series on each day: (day, slot) -> [(series, apps, per)].
    let mut slots: HashMap<(usize, usize), Vec<SlotUse>> = HashMap::new();
    for (i, sr) in series.iter().enumerate() {
        let label = format!(
            "scale/net/{}/{}/{}/{}",
            sr.port, sr.protocol, sr.direction, sr.action
        );
        for (d, load) in sr.days.iter().enumerate() {
            if load.events() == 0 {
                continue;
            }
            let mut r = SplitMix64::derive(SEED, &format!("{label}/d{d}"));
            for j in r.sample(SLOTS_PER_DAY, load.slots as usize) {
                slots.entry((d, j)).or_default().push((
                    i,
                    load.apps,
                    u64::from(load.per) * u64::from(factor),
                ));
            }
        }
    }
    // Late events: spread over [now-4m, now-1m) (inside the last 5 minutes and day 13).
    let mut late: Vec<(i64, usize)> = Vec::new();
    for (i, sr) in series.iter().enumerate() {
        let n = i64::from(sr.late) * i64::from(factor);
        if n > 0 {
            let step = (30 * SEC).min(floor_to(3 * MIN / n, 100));
            late.extend((0..n).map(|k| (NOW_NS - 4 * MIN + k * step, i)));
        }
    }

    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by("kql-testdata --scale".to_string())
        .set_max_row_group_row_count(Some(opts.row_group_rows.max(1)))
        .build();
    let mut files = Files {
        dir: dir.clone(),
        props,
        current: None,
        written: Vec::new(),
    };
    let mut sink = Sink::new(TABLE)?;
    let window_start = NOW_NS - 14 * DAY;
    let window = 14 * DAY;
    let mut start = floor_to(window_start, SLOT);
    let mut rows_written = 0u64;
    let mut day_of_sink = 0usize;
    while start < NOW_NS {
        let end = start + SLOT;
        let day = ((start.max(window_start) - window_start) / DAY).clamp(0, 13) as usize;
        if day != day_of_sink && sink.rows > 0 {
            files.write(day_of_sink, &sink.finish()?)?;
        }
        day_of_sink = day;
        let mut r = SplitMix64::derive(SEED, &format!("scale/{start}"));
        let mut rows: Vec<(i64, Row)> = Vec::new();
        // Background, uniform over the window.
        let lo = start.max(window_start);
        let hi = end.min(NOW_NS);
        let n = share(background, hi - window_start, window)
            - share(background, lo - window_start, window);
        for _ in 0..n {
            let t = lo + r.below(((hi - lo) / MS) as u64) as i64 * MS;
            rows.push((t, background_session(&mut r, t)));
        }
        // Planted series whose slot this is.
        for d in 0..14usize {
            let first = slot_start(d as i64, 0);
            if start < first || (start - first) % SLOT != 0 {
                continue;
            }
            let j = ((start - first) / SLOT) as usize;
            if j >= SLOTS_PER_DAY || start >= day_start(d as i64 + 1) {
                continue;
            }
            for &(i, apps, per) in slots.get(&(d, j)).map(Vec::as_slice).unwrap_or(&[]) {
                let sr = &series[i];
                for a in 0..apps as usize {
                    let app = sr.apps.get(a).map(String::as_str).unwrap_or("");
                    for _ in 0..per {
                        let t = start + r.range(0, SLOT / MS - 1) * MS;
                        let row = sr.session(&mut r, t, app);
                        rows.push((t, row));
                    }
                }
            }
        }
        for &(t, i) in late.iter().filter(|(t, _)| (start..end).contains(t)) {
            let sr = &series[i];
            let app = sr.apps.first().map(String::as_str).unwrap_or("");
            let row = sr.session(&mut r, t, app);
            rows.push((t, row));
        }
        for (t, row) in threats.iter().filter(|(t, _)| (start..end).contains(t)) {
            rows.push((*t, row.clone()));
        }
        rows.sort_by_key(|(t, _)| *t);
        for (_, row) in &rows {
            sink.push(row)?;
        }
        rows_written += rows.len() as u64;
        if sink.rows >= BATCH_ROWS {
            files.write(day, &sink.finish()?)?;
        }
        start = end;
    }
    if sink.rows > 0 {
        files.write(day_of_sink, &sink.finish()?)?;
    }
    files.close()?;
    report.rows = rows_written;
    report.files.extend(files.written);
    Ok(report)
}

/// The small tables, the watchlist and `now.txt` of the sample workspace.
fn write_small_tables(out: &Path) -> Result<Vec<PathBuf>, String> {
    let wl = out.join("watchlists");
    std::fs::create_dir_all(&wl).map_err(|e| format!("{}: {e}", wl.display()))?;
    let mut files = Vec::new();
    let mut write = |rel: String, text: &str| -> Result<(), String> {
        let p = out.join(rel);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
        files.push(p);
        Ok(())
    };
    write("now.txt".into(), &format!("{NOW}\n"))?;
    write(
        format!("watchlists/{}.csv", watchlist::ALIAS),
        &watchlist::csv(),
    )?;
    write(
        format!("watchlists/{}.json", watchlist::ALIAS),
        &watchlist::sidecar(),
    )?;
    for (name, rows) in [
        ("ASimWebSessionLogs", threat_intel::web_rows()),
        ("ThreatIntelligenceIndicator", threat_intel::legacy_rows()),
        ("ThreatIntelIndicators", threat_intel::stix_rows()),
    ] {
        let p = out.join(format!("{name}.parquet"));
        write_parquet(&p, name, &rows)?;
        files.push(p);
    }
    Ok(files)
}

/// A row count such as `10000000`, `10M`, `100m`, `500k`.
pub fn parse_count(text: &str) -> Option<u64> {
    let t = text.trim().replace('_', "");
    let (num, mult) = match t.chars().last()? {
        'k' | 'K' => (&t[..t.len() - 1], 1_000),
        'm' | 'M' => (&t[..t.len() - 1], 1_000_000),
        'g' | 'G' | 'b' | 'B' => (&t[..t.len() - 1], 1_000_000_000),
        _ => (t.as_str(), 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mult)
}

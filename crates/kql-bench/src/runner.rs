//! One process's side of a measurement: build the engine's session (outside the timing),
//! run a query a number of times, report the wall time of each run, the rows returned and
//! the process's peak RSS (`VmHWM` of `/proc/self/status`).

use crate::floor;
use crate::queries::{self, Params, QueryId};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::SessionContext;
use kql_engine::{Session, SessionOptions};
use std::sync::Arc;
use std::time::Instant;

/// Which side runs the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// The KQL engine: parse, plan, execute.
    Kql,
    /// Hand-written DataFusion.
    Floor,
}

impl Engine {
    /// `kql` or `floor`.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Kql => "kql",
            Engine::Floor => "floor",
        }
    }

    /// The engine called `name`.
    pub fn from_name(name: &str) -> Option<Engine> {
        match name {
            "kql" => Some(Engine::Kql),
            "floor" => Some(Engine::Floor),
            _ => None,
        }
    }
}

/// Execution settings shared by both engines.
#[derive(Clone, Debug, Default)]
pub struct ExecSettings {
    /// DataFusion target partitions (default: the number of CPUs).
    pub target_partitions: Option<usize>,
    /// Memory pool size in bytes (spilling beyond it).
    pub memory_limit: Option<usize>,
}

/// A ready-to-run session of either engine.
pub enum Runner {
    /// The KQL engine's session and the query's KQL.
    Kql(Box<Session>, queries::KqlQuery),
    /// DataFusion context (with a runtime) for the floor.
    Floor(SessionContext, tokio::runtime::Runtime),
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

impl Runner {
    /// Builds the session of `engine` for query `q` (not timed).
    pub fn new(
        engine: Engine,
        q: QueryId,
        p: &Params,
        settings: &ExecSettings,
    ) -> Result<Runner, String> {
        match engine {
            Engine::Kql => {
                let query = queries::kql(q, p)?;
                let mut session = Session::new(SessionOptions {
                    now_ns: Some(p.now_ns),
                    target_partitions: settings.target_partitions,
                    memory_limit: settings.memory_limit,
                    time_window: query.window_ns,
                    no_builtin_schemas: true,
                    ..SessionOptions::default()
                })
                .map_err(|d| d.message)?;
                session.open_data_dir(&p.data).map_err(|d| d.message)?;
                Ok(Runner::Kql(Box::new(session), query))
            }
            Engine::Floor => {
                let partitions = settings.target_partitions.unwrap_or_else(num_cpus).max(1);
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(partitions)
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string())?;
                let config = kql_engine::base_config(partitions);
                let mut runtime = RuntimeEnvBuilder::new();
                if let Some(limit) = settings.memory_limit {
                    runtime = runtime.with_memory_pool(Arc::new(FairSpillPool::new(limit)));
                }
                let runtime = runtime.build_arc().map_err(|e| e.to_string())?;
                let state = SessionStateBuilder::new()
                    .with_config(config)
                    .with_runtime_env(runtime)
                    .with_default_features()
                    .build();
                let ctx = SessionContext::new_with_state(state);
                for u in kql_functions::scalar_udfs() {
                    ctx.register_udf(u.as_ref().clone());
                }
                for u in kql_functions::aggregate_udfs() {
                    ctx.register_udaf(u.as_ref().clone());
                }
                let dir = p.data.join(floor::TABLE);
                let url = ListingTableUrl::parse(dir.to_string_lossy().as_ref())
                    .map_err(|e| e.to_string())?;
                // DataFusion's default reads strings as `Utf8View`; KQL_BENCH_FLOOR_UTF8=1
                // makes the floor read plain `Utf8` as the engine does (for comparison).
                let views = std::env::var_os("KQL_BENCH_FLOOR_UTF8").is_none();
                let options = ListingOptions::new(Arc::new(
                    ParquetFormat::default().with_force_view_types(views),
                ))
                .with_file_extension(".parquet");
                let state = ctx.state();
                let table = rt
                    .block_on(async {
                        let config = ListingTableConfig::new(url)
                            .with_listing_options(options)
                            .infer_schema(&state)
                            .await?;
                        ListingTable::try_new(config)
                    })
                    .map_err(|e| e.to_string())?;
                ctx.register_table(floor::TABLE, Arc::new(table))
                    .map_err(|e| e.to_string())?;
                Ok(Runner::Floor(ctx, rt))
            }
        }
    }

    /// Runs the query once; returns its result batches.
    pub fn run(&self, q: QueryId, p: &Params) -> Result<Vec<RecordBatch>, String> {
        match self {
            Runner::Kql(session, query) => {
                let out = session.run(&query.text).map_err(|d| d.message)?;
                Ok(out
                    .results
                    .into_iter()
                    .last()
                    .map(|r| r.batches)
                    .unwrap_or_default())
            }
            Runner::Floor(ctx, rt) => rt
                .block_on(floor::run(ctx, q, p))
                .map_err(|e| e.strip_backtrace()),
        }
    }
}

/// One measurement: the time of every run, rows returned, peak RSS.
#[derive(Clone, Debug, Default)]
pub struct Measurement {
    /// Seconds per run (the warm-up run excluded).
    pub seconds: Vec<f64>,
    /// Rows of the (last) result.
    pub rows: usize,
    /// Peak resident set of the process, KiB.
    pub peak_rss_kib: u64,
    /// Seconds to build the session.
    pub setup_seconds: f64,
}

impl Measurement {
    /// Median of [`Measurement::seconds`].
    pub fn median(&self) -> f64 {
        let mut v = self.seconds.clone();
        v.sort_by(f64::total_cmp);
        match v.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }

    /// As one JSON line (the child's report).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "seconds": self.seconds,
            "rows": self.rows,
            "peak_rss_kib": self.peak_rss_kib,
            "setup_seconds": self.setup_seconds,
        })
        .to_string()
    }

    /// Parses [`Measurement::to_json`].
    pub fn from_json(text: &str) -> Option<Measurement> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        Some(Measurement {
            seconds: v
                .get("seconds")?
                .as_array()?
                .iter()
                .filter_map(|x| x.as_f64())
                .collect(),
            rows: v.get("rows")?.as_u64()? as usize,
            peak_rss_kib: v.get("peak_rss_kib")?.as_u64()?,
            setup_seconds: v.get("setup_seconds")?.as_f64()?,
        })
    }
}

/// `VmHWM` of `/proc/self/status` in KiB (0 where unavailable).
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Builds the session, runs the query once to warm up (file metadata, page cache), then
/// `runs` timed times.
pub fn measure(
    engine: Engine,
    q: QueryId,
    p: &Params,
    settings: &ExecSettings,
    runs: usize,
    warmup: bool,
) -> Result<Measurement, String> {
    let t0 = Instant::now();
    let runner = Runner::new(engine, q, p, settings)?;
    let mut m = Measurement {
        setup_seconds: t0.elapsed().as_secs_f64(),
        ..Measurement::default()
    };
    if warmup {
        m.rows = runner.run(q, p)?.iter().map(|b| b.num_rows()).sum();
    }
    for _ in 0..runs {
        let t = Instant::now();
        let batches = runner.run(q, p)?;
        m.seconds.push(t.elapsed().as_secs_f64());
        m.rows = batches.iter().map(|b| b.num_rows()).sum();
    }
    m.peak_rss_kib = peak_rss_kib();
    Ok(m)
}

/// The rows of `batches` as sorted strings (cells joined by `|`), restricted to the named
/// columns (all columns when `cols` is empty): an order-independent fingerprint for
/// comparing the two engines' results.
pub fn fingerprint(batches: &[RecordBatch], cols: &[&str]) -> Result<Vec<String>, String> {
    use datafusion::arrow::util::display::array_value_to_string;
    let mut out = Vec::new();
    for b in batches {
        let idx: Vec<usize> = if cols.is_empty() {
            (0..b.num_columns()).collect()
        } else {
            cols.iter()
                .map(|c| {
                    b.schema()
                        .index_of(c)
                        .map_err(|_| format!("no column `{c}` in the result"))
                })
                .collect::<Result<_, _>>()?
        };
        for r in 0..b.num_rows() {
            let cells: Vec<String> = idx
                .iter()
                .map(|&i| array_value_to_string(b.column(i), r).map_err(|e| e.to_string()))
                .collect::<Result<_, _>>()?;
            out.push(cells.join("|"));
        }
    }
    out.sort();
    Ok(out)
}

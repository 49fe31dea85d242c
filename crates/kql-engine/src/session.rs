//! [`Session`]: a DataFusion context with the KQL functions, a catalog of tables
//! (Parquet files or schema-only), watchlists and stored functions, a pinned `now`, and
//! query execution.

use crate::schema_file::{FunctionSchema, TableSchema, read_schema_dir};
use crate::table::{TableSource, non_null_columns, provider_rel, schema_only_rel};
use crate::watchlist::read_watchlist;
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::memory_pool::{FairSpillPool, TrackConsumersPool};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::logical_expr::{LogicalPlan, ScalarUDF, lit};
use datafusion::prelude::{SessionConfig, SessionContext};
use kql_planner::{
    Catalog, CatalogError, Col, KqlType, PlannerOptions, Rel, StoredFunction, types::type_metadata,
};
use kql_syntax::Diagnostic;
use kql_syntax::ast::{LetValue, StatementKind};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Session options.
#[derive(Clone, Debug, Default)]
pub struct SessionOptions {
    /// The `now()` of every query, in ns since the Unix epoch; `None` = the wall clock at
    /// the start of each query.
    pub now_ns: Option<i64>,
    /// DataFusion `target_partitions` (default: number of CPUs).
    pub target_partitions: Option<usize>,
    /// Memory limit in bytes for query execution: operators that can spill (sorts,
    /// aggregations, sort-merge joins) spill to the OS temporary directory beyond it; the
    /// others fail with a resources-exhausted error.
    pub memory_limit: Option<usize>,
    /// A rule's look-back (`queryPeriod`) in ns: tables with a `TimeGenerated` datetime
    /// column only show rows with `TimeGenerated >= now() - window`, as in Sentinel.
    pub time_window: Option<i64>,
    /// Do not load the built-in function library ([`crate::library::LIBRARY`]: the ASIM
    /// parsers).
    pub no_builtin_library: bool,
    /// Do not load the built-in table-schema catalogue ([`crate::library::SCHEMAS`]) as
    /// schema-only tables.
    pub no_builtin_schemas: bool,
}

/// One tabular result.
#[derive(Clone, Debug)]
pub struct ResultSet {
    /// KQL columns.
    pub columns: Vec<Col>,
    /// Arrow schema with `kql_type` metadata on every field.
    pub schema: SchemaRef,
    /// The rows.
    pub batches: Vec<RecordBatch>,
}

impl ResultSet {
    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }
}

/// The result of running a query.
#[derive(Clone, Debug)]
pub struct QueryOutput {
    /// One result set per tabular statement.
    pub results: Vec<ResultSet>,
    /// Warnings from planning.
    pub warnings: Vec<Diagnostic>,
}

/// Cancels the query a [`Session`] is running, from another thread (the REPL's Ctrl-C).
///
/// Every execution the session starts (the final results, `toscalar`/`materialize` during
/// planning, `explain`) stops with [`CANCELLED`] soon after [`CancelToken::cancel`]; the
/// DataFusion streams are dropped, which aborts their tasks. The flag stays set until
/// [`CancelToken::reset`], so reset it before starting the next query.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// Requests cancellation of the running query.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Clears a cancellation request.
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    /// Whether cancellation was requested.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Resolves once cancellation is requested (polls every 20 ms).
    async fn cancelled(&self) {
        while !self.is_cancelled() {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

/// Code of the error a cancelled query fails with.
pub const CANCELLED: &str = "KQL4003";

struct TableEntry {
    source: TableSource,
    declared: Option<TableSchema>,
    cache: RefCell<Option<Rel>>,
}

/// A KQL session over a catalog of tables.
pub struct Session {
    rt: tokio::runtime::Runtime,
    ctx: SessionContext,
    udfs: HashMap<String, Arc<ScalarUDF>>,
    tables: BTreeMap<String, TableEntry>,
    watchlists: BTreeMap<String, PathBuf>,
    functions: BTreeMap<String, Arc<StoredFunction>>,
    options: SessionOptions,
    /// The `now` of the query being planned (fixed per query).
    query_now: std::cell::Cell<i64>,
    /// Cancellation of running executions.
    cancel: CancelToken,
}

/// Code for problems loading a data directory or its files.
pub const DATA_ERROR: &str = "KQL4002";

/// Origin prefix of stored-function stubs made from schema files (`--schemas`).
const SCHEMA_FILE: &str = "schema:";
/// Origin prefix of stored-function stubs from the built-in catalogue.
const BUILTIN_SCHEMA: &str = "schema:builtin:";

impl Session {
    /// A session with no tables.
    pub fn new(options: SessionOptions) -> Result<Session, Diagnostic> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(options.target_partitions.unwrap_or_else(num_cpus).max(1))
            .enable_all()
            .build()
            .map_err(|e| {
                Diagnostic::error(DATA_ERROR, format!("cannot start the runtime: {e}"), 0..0)
            })?;
        let partitions = options.target_partitions.unwrap_or_else(num_cpus).max(1);
        let config = base_config(partitions);
        let mut runtime = RuntimeEnvBuilder::new();
        if let Some(limit) = options.memory_limit {
            // A fair pool: several spilling operators (sorts, aggregations, joins) share
            // it evenly instead of the first one taking everything; spill files go to the
            // OS temporary directory (the runtime's default disk manager). The tracking
            // wrapper names the largest consumers when a query still runs out of memory.
            let pool = TrackConsumersPool::new(
                FairSpillPool::new(limit),
                std::num::NonZeroUsize::new(5).unwrap_or(std::num::NonZeroUsize::MIN),
            );
            runtime = runtime.with_memory_pool(Arc::new(pool));
        }
        let runtime = runtime.build_arc().map_err(|e| {
            Diagnostic::error(DATA_ERROR, format!("cannot configure memory: {e}"), 0..0)
        })?;
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_runtime_env(runtime)
            .with_default_features()
            .build();
        let ctx = SessionContext::new_with_state(state);
        let mut udfs = HashMap::new();
        for u in kql_functions::scalar_udfs() {
            ctx.register_udf(u.as_ref().clone());
            udfs.insert(u.name().to_string(), u);
        }
        for u in kql_functions::aggregate_udfs() {
            ctx.register_udaf(u.as_ref().clone());
        }
        let load_library = !options.no_builtin_library;
        let load_schemas = !options.no_builtin_schemas;
        let mut session = Session {
            rt,
            ctx,
            udfs,
            tables: BTreeMap::new(),
            watchlists: BTreeMap::new(),
            functions: BTreeMap::new(),
            options,
            query_now: std::cell::Cell::new(0),
            cancel: CancelToken::default(),
        };
        if load_library {
            let library = builtin_library().map_err(|m| Diagnostic::error(DATA_ERROR, m, 0..0))?;
            session
                .functions
                .extend(library.iter().map(|(name, f)| (name.clone(), f.clone())));
        }
        if load_schemas {
            let builtin = builtin_schemas().map_err(|m| Diagnostic::error(DATA_ERROR, m, 0..0))?;
            for t in &builtin.tables {
                session.tables.insert(
                    t.name.clone(),
                    TableEntry {
                        source: TableSource::SchemaOnly(t.clone()),
                        declared: Some(t.clone()),
                        cache: RefCell::new(None),
                    },
                );
            }
            for f in &builtin.stubs {
                if !session.functions.contains_key(&f.name) {
                    session.functions.insert(f.name.clone(), f.clone());
                }
            }
        }
        Ok(session)
    }

    /// The token that cancels this session's running query (shareable with other threads).
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// Sets (or clears) the pinned `now`.
    pub fn set_now(&mut self, now_ns: Option<i64>) {
        self.options.now_ns = now_ns;
    }

    /// Limits tables to `TimeGenerated >= now() - window` (a rule's `queryPeriod`).
    pub fn set_time_window(&mut self, window_ns: Option<i64>) {
        self.options.time_window = window_ns;
    }

    /// The pinned `now`, if any.
    pub fn pinned_now(&self) -> Option<i64> {
        self.options.now_ns
    }

    /// Registers every table, watchlist and stored function of a data directory:
    /// `DIR/<Name>.parquet` and `DIR/<Name>/*.parquet` are tables, `DIR/watchlists/*.csv`
    /// watchlists, `DIR/functions/*.kql` stored functions. Returns warnings (unreadable
    /// entries are skipped with a warning rather than failing the whole directory).
    pub fn open_data_dir(&mut self, dir: &Path) -> Result<Vec<String>, Diagnostic> {
        let rd = std::fs::read_dir(dir).map_err(|e| {
            Diagnostic::error(
                DATA_ERROR,
                format!("cannot read the data directory {}: {e}", dir.display()),
                0..0,
            )
        })?;
        let mut warnings = Vec::new();
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            let Some(stem) = p.file_stem().and_then(|s| s.to_str()).map(str::to_string) else {
                continue;
            };
            if p.is_dir() {
                match stem.as_str() {
                    "watchlists" => {
                        for w in sorted_files(&p, "csv") {
                            if let Some(alias) = w.file_stem().and_then(|s| s.to_str()) {
                                self.watchlists.insert(alias.to_string(), w.clone());
                            }
                        }
                    }
                    "functions" => {
                        for f in sorted_files(&p, "kql") {
                            match std::fs::read_to_string(&f) {
                                Ok(text) => {
                                    if let Err(d) =
                                        self.add_functions(&text, &f.display().to_string())
                                    {
                                        warnings.push(d.render(&text, &f.display().to_string()));
                                    }
                                }
                                Err(e) => warnings.push(format!("{}: {e}", f.display())),
                            }
                        }
                    }
                    _ => {
                        if !sorted_files(&p, "parquet").is_empty() {
                            self.add_table(&stem, TableSource::Parquet(p.clone()));
                        }
                    }
                }
            } else if p.extension().and_then(|e| e.to_str()) == Some("parquet") {
                self.add_table(&stem, TableSource::Parquet(p.clone()));
            }
        }
        Ok(warnings)
    }

    /// Loads JSON table schemas from `dir` (schema-only tables for `kql check`); tables that
    /// also have data keep their data but take the declared types. Returns per-file errors.
    pub fn load_schema_dir(&mut self, dir: &Path) -> Vec<String> {
        let (tables, functions, errors) = read_schema_dir(dir);
        self.add_schemas(tables, functions, SCHEMA_FILE);
        errors
    }

    /// Registers table schemas (schema-only tables; a table with data keeps its data and
    /// takes the declared types; a schema-only table is replaced) and stored-function stubs
    /// (which never replace a real definition). `origin` prefixes the stubs' origin.
    fn add_schemas(
        &mut self,
        tables: Vec<TableSchema>,
        functions: Vec<FunctionSchema>,
        origin: &str,
    ) {
        for mut t in tables {
            // The amendments text is compiled in and checked by the built-in catalogue's
            // tests, so an error here cannot come from user input.
            let _ = amend_schema(&mut t);
            match self.tables.get_mut(&t.name) {
                Some(e) if matches!(e.source, TableSource::Parquet(_)) => {
                    e.declared = Some(t);
                    *e.cache.borrow_mut() = None;
                }
                _ => {
                    let name = t.name.clone();
                    self.tables.insert(
                        name,
                        TableEntry {
                            source: TableSource::SchemaOnly(t.clone()),
                            declared: Some(t),
                            cache: RefCell::new(None),
                        },
                    );
                }
            }
        }
        for f in functions {
            self.add_function_schema(f, origin);
        }
    }

    /// Registers a schema-only stored function (its output columns), unless a real
    /// definition exists (a stub from an earlier schema source is replaced).
    fn add_function_schema(&mut self, f: FunctionSchema, origin: &str) {
        if let Some(existing) = self.functions.get(&f.name)
            && !existing.origin.starts_with(SCHEMA_FILE)
        {
            return;
        }
        if let Some(stub) = stub_function(&f, origin) {
            self.functions.insert(stub.name.clone(), Arc::new(stub));
        }
    }

    /// Registers a table.
    pub fn add_table(&mut self, name: &str, source: TableSource) {
        self.tables.insert(
            name.to_string(),
            TableEntry {
                source,
                declared: None,
                cache: RefCell::new(None),
            },
        );
    }

    /// Registers a Parquet file or directory as table `name` (the REPL's `.load`).
    pub fn load_parquet(&mut self, name: &str, path: &Path) -> Result<(), Diagnostic> {
        if !path.exists() {
            return Err(Diagnostic::error(
                DATA_ERROR,
                format!("{} does not exist", path.display()),
                0..0,
            ));
        }
        self.add_table(name, TableSource::Parquet(path.to_path_buf()));
        self.table(name)
            .map(|_| ())
            .map_err(|e| Diagnostic::error(e.code, e.message, 0..0))
    }

    /// Registers a watchlist CSV under `alias`.
    pub fn add_watchlist(&mut self, alias: &str, csv: &Path) {
        self.watchlists.insert(alias.to_string(), csv.to_path_buf());
    }

    /// Parses `text` (a sequence of `let Name = (params) { body };` statements) and registers
    /// every function it defines. Later definitions replace earlier ones.
    pub fn add_functions(&mut self, text: &str, origin: &str) -> Result<usize, Diagnostic> {
        let functions = parse_function_file(text, origin)?;
        let n = functions.len();
        for f in functions {
            self.functions.insert(f.name.clone(), Arc::new(f));
        }
        Ok(n)
    }

    /// Table names.
    pub fn tables(&self) -> Vec<String> {
        self.tables.keys().cloned().collect()
    }

    /// Stored function names.
    pub fn functions(&self) -> Vec<String> {
        self.functions.keys().cloned().collect()
    }

    /// Watchlist aliases.
    pub fn watchlist_aliases(&self) -> Vec<String> {
        self.watchlists.keys().cloned().collect()
    }

    /// The KQL columns of a table (reads its schema).
    pub fn table_columns(&self, name: &str) -> Result<Option<Vec<Col>>, CatalogError> {
        Ok(self.table(name)?.map(|r| r.columns))
    }

    /// The `now` a query started now would use.
    fn now_for_query(&self) -> i64 {
        self.options.now_ns.unwrap_or_else(|| {
            let d = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            (d.as_nanos() as i64 / 100) * 100
        })
    }

    /// Plans `text` without executing the final results (toscalar/materialize still run).
    pub fn plan(&self, text: &str) -> Result<kql_planner::PlannedQuery, Diagnostic> {
        self.plan_with(text, false)
    }

    /// Plans `text` for `kql check`: nothing will run, so sources that cannot be read
    /// locally (`externaldata`) plan as empty tables with a warning.
    pub fn check(&self, text: &str) -> Result<kql_planner::PlannedQuery, Diagnostic> {
        self.plan_with(text, true)
    }

    fn plan_with(
        &self,
        text: &str,
        check_only: bool,
    ) -> Result<kql_planner::PlannedQuery, Diagnostic> {
        let query = kql_syntax::parse_query(text)?;
        self.query_now.set(self.now_for_query());
        let planner = kql_planner::Planner::new(
            self,
            PlannerOptions {
                now_ns: self.query_now.get(),
                check_only,
                ..PlannerOptions::default()
            },
        );
        planner.plan_query(&query)
    }

    /// Parses, plans and executes `text`.
    pub fn run(&self, text: &str) -> Result<QueryOutput, Diagnostic> {
        let planned = self.plan(text)?;
        let mut results = Vec::new();
        for rel in planned.results {
            let rel = with_final_order(rel);
            let batches = self
                .collect(rel.plan.clone())
                .map_err(|e| Diagnostic::error(e.code, e.message, 0..text.len()))?;
            results.push(result_set(&rel, batches));
        }
        Ok(QueryOutput {
            results,
            warnings: planned.warnings,
        })
    }

    /// The logical and physical plans of the query's first result (`.explain`).
    pub fn explain(&self, text: &str) -> Result<(String, String), Diagnostic> {
        let planned = self.plan(text)?;
        let Some(rel) = planned.results.into_iter().next() else {
            return Err(Diagnostic::error("KQL2007", "nothing to explain", 0..0));
        };
        let ctx = self.ctx.clone();
        let cancel = self.cancel.clone();
        self.rt
            .block_on(cancellable(&cancel, async move {
                let df = ctx.execute_logical_plan(rel.plan).await?;
                let logical = df.logical_plan().display_indent().to_string();
                let optimized = df
                    .clone()
                    .into_optimized_plan()?
                    .display_indent()
                    .to_string();
                let physical = df.create_physical_plan().await?;
                let phys = datafusion::physical_plan::displayable(physical.as_ref())
                    .indent(false)
                    .to_string();
                Ok::<_, datafusion::error::DataFusionError>((
                    format!("{logical}\n-- optimized --\n{optimized}"),
                    phys,
                ))
            }))
            .map_err(|e| match e {
                None => Diagnostic::error(CANCELLED, "query cancelled", 0..0),
                Some(e) => Diagnostic::error("KQL4001", e.strip_backtrace(), 0..0),
            })
    }

    /// Executes a logical plan.
    fn collect(&self, plan: LogicalPlan) -> Result<Vec<RecordBatch>, CatalogError> {
        let ctx = self.ctx.clone();
        let cancel = self.cancel.clone();
        self.rt
            .block_on(cancellable(&cancel, async move {
                let df = ctx.execute_logical_plan(plan).await?;
                df.collect().await
            }))
            .map_err(|e| match e {
                None => CatalogError {
                    code: CANCELLED,
                    message: "query cancelled".into(),
                },
                Some(e) => {
                    CatalogError::execution(format!("query failed: {}", e.strip_backtrace()))
                }
            })
    }

    /// Builds (and caches) a Parquet table's relation.
    fn parquet_rel(
        &self,
        name: &str,
        path: &Path,
        declared: Option<&TableSchema>,
    ) -> Result<Rel, CatalogError> {
        let url = ListingTableUrl::parse(path.to_string_lossy().as_ref())
            .map_err(|e| CatalogError::data(format!("{}: {e}", path.display())))?;
        let state = self.ctx.state();
        // The session's Parquet options (plain Utf8 strings rather than views, filter
        // pushdown into the decoder); field metadata kept (`kql_type`).
        let format = ParquetFormat::default()
            .with_options(state.table_options().parquet.clone())
            .with_skip_metadata(false);
        let options = ListingOptions::new(Arc::new(format)).with_file_extension(".parquet");
        let config = self
            .rt
            .block_on(async {
                ListingTableConfig::new(url)
                    .with_listing_options(options)
                    .infer_schema(&state)
                    .await
            })
            .map_err(|e| {
                CatalogError::data(format!(
                    "cannot read Parquet {}: {}",
                    path.display(),
                    e.strip_backtrace()
                ))
            })?;
        let table = ListingTable::try_new(config).map_err(|e| {
            CatalogError::data(format!(
                "cannot read Parquet {}: {}",
                path.display(),
                e.strip_backtrace()
            ))
        })?;
        // Every file the listing table reads (it lists directories recursively).
        let files = parquet_files_under(path);
        let non_null = non_null_columns(&files);
        provider_rel(name, Arc::new(table), declared, &self.udfs, &non_null)
    }

    /// Applies the rule look-back to a table that has a `TimeGenerated` datetime column.
    fn apply_time_window(&self, rel: Rel) -> Result<Rel, CatalogError> {
        let Some(window) = self.options.time_window else {
            return Ok(rel);
        };
        let Some(i) = rel.index_of("TimeGenerated") else {
            return Ok(rel);
        };
        if rel.columns[i].ty != KqlType::DateTime {
            return Ok(rel);
        }
        let from = self.query_now.get().saturating_sub(window);
        let pred =
            rel.col_expr(i)
                .gt_eq(lit(datafusion::common::ScalarValue::TimestampNanosecond(
                    Some(from),
                    Some("UTC".into()),
                )));
        let plan = datafusion::logical_expr::LogicalPlanBuilder::from(rel.plan.clone())
            .filter(pred)
            .and_then(|b| b.build())
            .map_err(|e| CatalogError::data(e.to_string()))?;
        Ok(Rel::new(plan, rel.columns))
    }

    /// The `_GetWatchlist` relation of a watchlist CSV.
    fn watchlist_rel(&self, path: &Path) -> Result<Rel, CatalogError> {
        let w = read_watchlist(path)?;
        let cols = w.columns();
        let now = self.query_now.get();
        let mut rows = Vec::new();
        for (i, r) in w.rows.iter().enumerate() {
            let mut row = vec![
                lit(item_id(path, i)),
                lit(datafusion::common::ScalarValue::TimestampNanosecond(
                    Some(now),
                    Some("UTC".into()),
                )),
                lit(r.get(w.search_key).cloned().unwrap_or_default()),
            ];
            for (j, h) in w.header.iter().enumerate() {
                if cols.iter().filter(|c| &c.name == h).count() == 1
                    && !["_DTItemId", "LastUpdatedTimeUTC", "SearchKey"].contains(&h.as_str())
                {
                    row.push(lit(r.get(j).cloned().unwrap_or_default()));
                }
            }
            rows.push(row);
        }
        let fields: Vec<Field> = cols
            .iter()
            .map(|c| Field::new(&c.name, c.ty.arrow(), true))
            .collect();
        let schema = Arc::new(
            datafusion::common::DFSchema::try_from(Schema::new(fields))
                .map_err(|e| CatalogError::data(e.to_string()))?,
        );
        let plan = if rows.is_empty() {
            LogicalPlan::EmptyRelation(datafusion::logical_expr::EmptyRelation {
                produce_one_row: false,
                schema,
            })
        } else {
            datafusion::logical_expr::LogicalPlanBuilder::values_with_schema(rows, &schema)
                .and_then(|b| b.build())
                .map_err(|e| CatalogError::data(format!("{}: {e}", path.display())))?
        };
        Ok(Rel::new(plan, cols))
    }
}

impl Catalog for Session {
    fn table(&self, name: &str) -> Result<Option<Rel>, CatalogError> {
        let Some(entry) = self.tables.get(name) else {
            return Ok(None);
        };
        let cached = entry.cache.borrow().clone();
        let rel = match cached {
            Some(r) => r,
            None => {
                let rel = match &entry.source {
                    TableSource::Parquet(p) => {
                        self.parquet_rel(name, p, entry.declared.as_ref())?
                    }
                    TableSource::SchemaOnly(s) => schema_only_rel(s)?,
                };
                *entry.cache.borrow_mut() = Some(rel.clone());
                rel
            }
        };
        Ok(Some(self.apply_time_window(rel)?))
    }

    fn table_names(&self) -> Vec<String> {
        self.tables()
    }

    fn function(&self, name: &str) -> Option<Arc<StoredFunction>> {
        self.functions.get(name).cloned()
    }

    fn function_names(&self) -> Vec<String> {
        self.functions()
    }

    fn watchlist(&self, alias: &str) -> Result<Option<Rel>, CatalogError> {
        match self.watchlists.get(alias) {
            Some(p) => self.watchlist_rel(p).map(Some),
            None => Ok(None),
        }
    }

    fn execute(&self, plan: LogicalPlan) -> Result<Vec<RecordBatch>, CatalogError> {
        self.collect(plan)
    }

    fn watchlist_layout(&self, alias: &str) -> Option<Vec<String>> {
        crate::library::watchlist_layout(alias)
    }
}

/// A stored function with no body but an empty table of `f`'s declared columns; its
/// parameters accept any value (their declared types are unreliable in Sentinel's files).
fn stub_function(f: &FunctionSchema, origin: &str) -> Option<StoredFunction> {
    let cols: Vec<String> = f
        .columns
        .iter()
        .map(|(n, t)| format!("['{}']:{}", n.replace('\'', "\\'"), t.name()))
        .collect();
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| format!("{}:dynamic=dynamic(null)", quote_ident(p)))
        .collect();
    let text = format!(
        "let {} = ({}) {{ datatable({})[] }};",
        quote_ident(&f.name),
        params.join(", "),
        cols.join(", ")
    );
    parse_function_file(&text, &format!("{origin}{}", f.name))
        .ok()?
        .into_iter()
        .next()
}

/// Appends to `table` the documented columns of `schema_amendments.txt` it lacks. Applied to
/// the built-in catalogue and to every schema directory given with `--schemas`, whose
/// reference schemas omit the same columns.
fn amend_schema(table: &mut TableSchema) -> Result<(), String> {
    static AMENDMENTS: std::sync::OnceLock<Result<Vec<TableSchema>, String>> =
        std::sync::OnceLock::new();
    let amendments = AMENDMENTS
        .get_or_init(|| {
            crate::library::parse_schemas(crate::library::SCHEMA_AMENDMENTS).map(|c| c.tables)
        })
        .as_ref()
        .map_err(Clone::clone)?;
    for a in amendments.iter().filter(|a| a.name == table.name) {
        for c in &a.columns {
            if !table.columns.iter().any(|(n, _)| n == &c.0) {
                table.columns.push(c.clone());
            }
        }
    }
    Ok(())
}

/// The built-in schema catalogue: its tables and its stored-function stubs.
struct BuiltinSchemas {
    tables: Vec<TableSchema>,
    stubs: Vec<Arc<StoredFunction>>,
}

/// The built-in schema catalogue, parsed once per process.
fn builtin_schemas() -> Result<&'static BuiltinSchemas, String> {
    static SCHEMAS: std::sync::OnceLock<Result<BuiltinSchemas, String>> =
        std::sync::OnceLock::new();
    SCHEMAS
        .get_or_init(|| {
            let mut catalogue = crate::library::parse_schemas(crate::library::SCHEMAS)?;
            for t in &mut catalogue.tables {
                amend_schema(t)?;
            }
            let stubs = catalogue
                .functions
                .iter()
                .filter_map(|f| stub_function(f, BUILTIN_SCHEMA).map(Arc::new))
                .collect();
            Ok(BuiltinSchemas {
                tables: catalogue.tables,
                stubs,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The built-in function library, parsed once per process.
fn builtin_library() -> Result<&'static BTreeMap<String, Arc<StoredFunction>>, String> {
    static LIBRARY: std::sync::OnceLock<Result<BTreeMap<String, Arc<StoredFunction>>, String>> =
        std::sync::OnceLock::new();
    LIBRARY
        .get_or_init(|| {
            let mut functions = BTreeMap::new();
            for (origin, text) in crate::library::LIBRARY {
                for f in parse_function_file(text, origin).map_err(|d| d.render(text, origin))? {
                    functions.insert(f.name.clone(), Arc::new(f));
                }
            }
            Ok(functions)
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Parses a function file: a sequence of `let Name = (params) { body };` statements.
fn parse_function_file(text: &str, origin: &str) -> Result<Vec<StoredFunction>, Diagnostic> {
    let query = kql_syntax::parse_query(text)?;
    let source: Arc<str> = Arc::from(text);
    let mut out = Vec::new();
    for stmt in query.statements {
        match stmt.node {
            StatementKind::Let(l) => match l.value {
                LetValue::Function(def) => out.push(StoredFunction {
                    name: l.name.name.clone(),
                    def,
                    source: source.clone(),
                    origin: origin.to_string(),
                }),
                LetValue::Expr(_) => {
                    return Err(Diagnostic::error(
                        "KQL5002",
                        format!(
                            "a function file may only define functions; `{}` is a value",
                            l.name.name
                        ),
                        stmt.span,
                    ));
                }
            },
            _ => {
                return Err(Diagnostic::error(
                    "KQL5002",
                    "a function file may only contain `let Name = (params) { body };` statements",
                    stmt.span,
                ));
            }
        }
    }
    Ok(out)
}

/// Runs `fut` as its own task unless `cancel` fires first (`Err(None)`). On cancellation the
/// task is aborted (its DataFusion streams are dropped at their next yield point) and control
/// returns at once, even when an operator computes for a long time without yielding. A panic
/// in the task is resumed here, as if `fut` had run inline.
async fn cancellable<T: Send + 'static>(
    cancel: &CancelToken,
    fut: impl std::future::Future<Output = Result<T, datafusion::error::DataFusionError>>
    + Send
    + 'static,
) -> Result<T, Option<datafusion::error::DataFusionError>> {
    let mut task = tokio::spawn(fut);
    tokio::select! {
        r = &mut task => match r {
            Ok(r) => r.map_err(Some),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(Some(datafusion::error::DataFusionError::Execution(e.to_string()))),
        },
        _ = cancel.cancelled() => {
            task.abort();
            Err(None)
        }
    }
}

/// Re-applies a known row order (after `sort`/`top`, kept by order-preserving operators) at
/// the top of the plan: DataFusion may reorder rows after a sort (parallel filters,
/// projections), KQL keeps them sorted.
fn with_final_order(rel: Rel) -> Rel {
    let Some(keys) = rel.order.clone().filter(|k| !k.is_empty()) else {
        return rel;
    };
    let sorts: Option<Vec<datafusion::logical_expr::SortExpr>> = keys
        .iter()
        .map(|k| {
            rel.col_expr_by_name(&k.column)
                .map(|e| datafusion::logical_expr::SortExpr::new(e, k.asc, k.nulls_first))
        })
        .collect();
    let Some(sorts) = sorts else { return rel };
    match datafusion::logical_expr::LogicalPlanBuilder::from(rel.plan.clone())
        .sort(sorts)
        .and_then(|b| b.build())
    {
        Ok(plan) => Rel::new(plan, rel.columns.clone()).with_order(rel.order.clone()),
        Err(_) => rel,
    }
}

/// A result set with KQL type metadata stamped on the schema.
fn result_set(rel: &Rel, batches: Vec<RecordBatch>) -> ResultSet {
    let fields: Vec<Field> = rel
        .plan
        .schema()
        .fields()
        .iter()
        .zip(&rel.columns)
        .map(|(f, c)| {
            Field::new(&c.name, f.data_type().clone(), true).with_metadata(type_metadata(c.ty))
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batches = batches
        .into_iter()
        .filter_map(|b| RecordBatch::try_new(schema.clone(), b.columns().to_vec()).ok())
        .collect();
    ResultSet {
        columns: rel.columns.clone(),
        schema,
        batches,
    }
}

/// A stable pseudo item id for watchlist row `i`.
fn item_id(path: &Path, i: usize) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .bytes()
    {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    format!("{:08x}-0000-4000-8000-{:012x}", (h >> 32) as u32, i)
}

fn sorted_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().and_then(|e| e.to_str()) == Some(ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// `path` itself, or every `*.parquet` file below the directory `path` (recursively, as a
/// listing table reads it).
fn parquet_files_under(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(d) = dirs.pop() {
        // An unreadable directory gives no files, so no column is taken as null-free.
        let Ok(rd) = std::fs::read_dir(&d) else {
            return Vec::new();
        };
        for e in rd.filter_map(|e| e.ok()) {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().and_then(|x| x.to_str()) == Some("parquet") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// A name as a KQL identifier (bracketed when needed).
fn quote_ident(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        name.to_string()
    } else {
        format!("['{}']", name.replace('\'', "\\'"))
    }
}

/// Parses a `--memory-limit` value: a whole number with an optional unit (`B`, `KiB`,
/// `MiB`, `GiB`, `TiB`; `K`/`KB`, `M`/`MB`, `G`/`GB`, `T`/`TB` mean the same binary
/// units), case-insensitive, e.g. `2GiB` = 2147483648 bytes.
pub fn parse_memory_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let bad = || format!("invalid memory size `{text}`: expected e.g. 2GiB, 512MiB or 1048576");
    let n: usize = num.parse().map_err(|_| bad())?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(bad()),
    };
    let size = n.checked_mul(1usize << shift).ok_or_else(bad)?;
    if size == 0 {
        return Err(format!("invalid memory size `{text}`: must be positive"));
    }
    Ok(size)
}

/// The DataFusion configuration of a session with `partitions` target partitions: UTC,
/// Parquet strings read as `Utf8`, filters pushed into the Parquet decoder. Shared with the
/// benchmark's hand-written floor so that both run with the same settings.
pub fn base_config(partitions: usize) -> SessionConfig {
    let mut config = SessionConfig::new()
        .with_target_partitions(partitions)
        .with_information_schema(false);
    let opts = config.options_mut();
    opts.execution.time_zone = Some("UTC".to_string());
    opts.execution.parquet.schema_force_view_types = false;
    opts.execution.parquet.pushdown_filters = true;
    opts.execution.parquet.reorder_filters = true;
    config
}

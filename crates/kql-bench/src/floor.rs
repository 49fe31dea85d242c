//! The floor: each benchmark query written by hand against DataFusion's DataFrame API, as
//! someone who knows the data would write it (no KQL layer: no normalisation projection,
//! no ASIM parser, no never-null string handling, constants computed in Rust).
//!
//! Where DataFusion has no equivalent, the floor calls the same UDFs the engine uses:
//! `kql_ms_sum` / `kql_ms_count` (dense make-series arrays) and
//! `kql_series_decompose_anomalies`. Everything else is DataFusion built-ins. The
//! watchlist of the port-misuse rules (9 rows) is read and expanded in Rust.

use crate::queries::{Params, QueryId};
use crate::{DAY, HOUR, MIN};
use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::common::utils::SingleRowListArrayBuilder;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::FunctionRegistry;
use datafusion::functions::expr_fn::{date_bin, get_field, lower, regexp_replace, starts_with};
use datafusion::functions_aggregate::count::count_all;
use datafusion::functions_aggregate::expr_fn::{array_agg, count_distinct};
use datafusion::functions_nested::expr_fn::string_to_array;
use datafusion::logical_expr::{ExprFunctionExt, JoinType, cast, ident, lit, when};
use datafusion::prelude::{DataFrame, Expr, SessionContext};
use std::sync::Arc;

/// The table name the floor registers `ASimNetworkSessionLogs` under.
pub const TABLE: &str = "ASimNetworkSessionLogs";

/// A `Timestamp(ns, UTC)` literal.
fn ts(ns: i64) -> Expr {
    lit(ScalarValue::TimestampNanosecond(
        Some(ns),
        Some("UTC".into()),
    ))
}

/// `bin(e, step)` for datetimes: `date_bin` from the epoch.
fn bin_time(e: Expr, step_ns: i64) -> Expr {
    let stride = ScalarValue::IntervalMonthDayNano(Some(
        datafusion::arrow::datatypes::IntervalMonthDayNano::new(0, 0, step_ns),
    ));
    date_bin(lit(stride), e, ts(0))
}

/// `floor(t / step) * step`.
fn floor_to(t: i64, step: i64) -> i64 {
    t.div_euclid(step) * step
}

fn udaf(ctx: &SessionContext, name: &str) -> Result<Arc<datafusion::logical_expr::AggregateUDF>> {
    ctx.udaf(name)
}

fn udf(ctx: &SessionContext, name: &str) -> Result<Arc<datafusion::logical_expr::ScalarUDF>> {
    ctx.udf(name)
}

/// The list literal `[from, from + step, ...]` (`n` datetimes): a make-series axis.
fn axis(from: i64, step: i64, n: i64) -> Expr {
    let vals: Vec<i64> = (0..n).map(|i| from + i * step).collect();
    let arr: ArrayRef = Arc::new(TimestampNanosecondArray::from(vals).with_timezone("UTC"));
    lit(SingleRowListArrayBuilder::new(arr).build_list_scalar())
}

/// Runs query `q` by hand; the table must be registered as [`TABLE`].
pub async fn run(ctx: &SessionContext, q: QueryId, p: &Params) -> Result<Vec<RecordBatch>> {
    let df = match q {
        QueryId::RuleAnalytic => port_misuse(ctx, p, true).await?,
        QueryId::RuleHunting => port_misuse(ctx, p, false).await?,
        QueryId::RuleSummary => summary(ctx, p).await?,
        QueryId::FilterProject => ctx
            .table(TABLE)
            .await?
            .filter(
                ident("DstPortNumber")
                    .eq(lit(22i32))
                    .and(ident("DvcAction").eq(lit("Deny"))),
            )?
            .select_columns(&[
                "TimeGenerated",
                "SrcIpAddr",
                "DstIpAddr",
                "SrcBytes",
                "DstBytes",
            ])?,
        QueryId::SummarizeBin5Keys => ctx.table(TABLE).await?.aggregate(
            vec![
                bin_time(ident("TimeGenerated"), HOUR).alias("TimeGenerated"),
                ident("DstPortNumber"),
                ident("NetworkProtocol"),
                ident("NetworkDirection"),
                ident("DvcAction"),
                ident("DstAppName"),
            ],
            vec![count_all().alias("Count")],
        )?,
        QueryId::Dcount => ctx.table(TABLE).await?.aggregate(
            vec![ident("DstPortNumber")],
            vec![count_distinct(ident("DstIpAddr")).alias("Peers")],
        )?,
        QueryId::Join1Mx10k => {
            let (lo, hi) = p.join_window();
            let ips: Vec<String> = (0..10_000)
                .map(|i| format!("198.18.{}.{}", i / 250, i % 250 + 1))
                .collect();
            let schema = Arc::new(Schema::new(vec![
                Field::new("WatchedIp", DataType::Utf8, false),
                Field::new("Watch", DataType::Int64, false),
            ]));
            let watched = RecordBatch::try_new(
                schema,
                vec![
                    Arc::new(StringArray::from(ips)),
                    Arc::new(Int64Array::from_iter_values(0..10_000)),
                ],
            )?;
            let watched = ctx.read_batch(watched)?;
            ctx.table(TABLE)
                .await?
                .filter(
                    ident("TimeGenerated")
                        .gt_eq(ts(lo))
                        .and(ident("TimeGenerated").lt(ts(hi))),
                )?
                .join_on(
                    watched,
                    JoinType::Inner,
                    [ident("DstIpAddr").eq(ident("WatchedIp"))],
                )?
                .select_columns(&["TimeGenerated", "SrcIpAddr", "DstIpAddr", "Watch"])?
        }
        QueryId::MvExpandSplit => ctx
            .table(TABLE)
            .await?
            .select(vec![
                string_to_array(ident("DstIpAddr"), lit("."), lit(ScalarValue::Utf8(None)))
                    .alias("octet"),
            ])?
            // unnest_columns parses its names as SQL identifiers (lower case).
            .unnest_columns(&["octet"])?
            .aggregate(
                vec![ident("octet").alias("Octet")],
                vec![count_all().alias("Count")],
            )?,
        QueryId::MakeSeries10k => {
            let from = p.now_ns - 14 * DAY;
            let nbins = (14 * DAY) / HOUR;
            let idx = (cast(ident("TimeGenerated"), DataType::Int64) - lit(from)) / lit(HOUR);
            ctx.table(TABLE)
                .await?
                .filter(
                    ident("NetworkDirection")
                        .eq(lit("Outbound"))
                        .and(starts_with(ident("SrcIpAddr"), lit("10.100.")))
                        .and(ident("TimeGenerated").gt_eq(ts(from)))
                        .and(ident("TimeGenerated").lt(ts(p.now_ns))),
                )?
                .aggregate(
                    vec![ident("SrcIpAddr")],
                    vec![
                        udaf(ctx, "kql_ms_count")?
                            .call(vec![idx, lit(nbins), lit(0i64)])
                            .alias("Sessions"),
                    ],
                )?
                .select(vec![
                    ident("SrcIpAddr"),
                    ident("Sessions"),
                    axis(from, HOUR, nbins).alias("TimeGenerated"),
                ])?
        }
    };
    df.collect().await
}

/// The two port-misuse rules (`analytic`: 1.0.2 analytic rule; else the hunting query).
async fn port_misuse(ctx: &SessionContext, p: &Params, analytic: bool) -> Result<DataFrame> {
    let now = p.now_ns;
    let mut net = ctx.table(TABLE).await?;
    if analytic {
        // queryPeriod: 14d.
        net = net.filter(ident("TimeGenerated").gt_eq(ts(now - 14 * DAY)))?;
    }
    // eps: sessions of the last 5 minutes / 300 picks the look-back.
    let recent = net
        .clone()
        .filter(ident("TimeGenerated").gt(ts(now - 5 * MIN)))?
        .count()
        .await? as i64;
    let eps = recent / 300;
    let back = if eps > 1000 {
        2
    } else if eps > 500 {
        3
    } else {
        4
    };
    // No summary tables in the workspace: maxSummarizedTime = ago(14d).
    let from = now - 14 * DAY;
    let tg = || ident("TimeGenerated");
    let summarized = net
        .filter(
            tg().gt_eq(ts(now - back * DAY))
                .and(tg().lt_eq(ts(now)))
                .and(tg().gt(ts(from))),
        )?
        .aggregate(
            vec![
                ident("NetworkProtocol"),
                ident("DstPortNumber"),
                ident("DstAppName"),
                ident("NetworkDirection"),
                ident("DvcAction"),
                bin_time(tg(), 10 * MIN).alias("EventTime"),
            ],
            vec![count_all().alias("Count")],
        )?;
    let idx = (cast(ident("EventTime"), DataType::Int64) - lit(from)) / lit(DAY);
    let series = summarized
        .filter(
            ident("DstPortNumber")
                .is_not_null()
                .and(ident("EventTime").gt_eq(ts(from)))
                .and(ident("EventTime").lt(ts(now))),
        )?
        .aggregate(
            vec![
                ident("DstPortNumber"),
                ident("NetworkProtocol"),
                ident("NetworkDirection"),
                ident("DvcAction"),
            ],
            vec![
                udaf(ctx, "kql_ms_sum")?
                    .call(vec![
                        cast(ident("Count"), DataType::Int64),
                        idx,
                        lit(14i64),
                        lit(0i64),
                    ])
                    .alias("Total"),
            ],
        )?;
    let ad = udf(ctx, "kql_series_decompose_anomalies")?.call(vec![
        ident("Total"),
        lit(2.5f64),
        lit(-1i64),
        lit("linefit"),
    ]);
    let scored = series
        .select(vec![
            ident("DstPortNumber"),
            ident("NetworkProtocol"),
            ident("NetworkDirection"),
            ident("DvcAction"),
            ad.alias("ad"),
            axis(from, DAY, 14).alias("eventtime"),
        ])?
        .select(vec![
            ident("DstPortNumber"),
            ident("NetworkProtocol"),
            ident("NetworkDirection"),
            ident("DvcAction"),
            get_field(ident("ad"), "ad_score").alias("score"),
            get_field(ident("ad"), "baseline").alias("baseline"),
            ident("eventtime"),
        ])?
        // unnest_columns parses its names as SQL identifiers (lower case).
        .unnest_columns(&["score", "baseline", "eventtime"])?
        .filter(ident("eventtime").gt_eq(ts(now - DAY)))?;
    let port = cast(ident("DstPortNumber"), DataType::Utf8);
    let (port, keep) = if analytic {
        (
            // trim_end(".0", tostring(DstPortNumber)): a regex, so "80" becomes "".
            regexp_replace(port, lit("(.0)+$"), lit(""), None),
            cast(ident("score"), DataType::Int32).gt(lit(5i32)),
        )
    } else {
        (
            port,
            cast(ident("score"), DataType::Int32)
                .gt_eq(lit(5i32))
                .and(cast(ident("baseline"), DataType::Int32).gt(lit(0i32))),
        )
    };
    let hits = scored.filter(keep)?.select(vec![
        port.alias("DstPortNumber"),
        ident("NetworkProtocol"),
        ident("NetworkDirection"),
        ident("DvcAction"),
    ])?;
    let mapping = ctx.read_batch(mapping(p, if analytic { "Detection" } else { "Hunting" })?)?;
    let matches_term = |list: &str, value: &str| {
        ident(list)
            .eq(lit("*"))
            .or(lower(ident(list)).eq(lower(ident(value))))
    };
    let set = |c: &str| {
        array_agg(ident(c))
            .distinct()
            .filter(ident(c).not_eq(lit("")))
            .build()
    };
    hits.join_on(
        mapping,
        JoinType::Inner,
        [ident("DstPortNumber").eq(ident("Ports"))],
    )?
    .filter(
        matches_term("Protocol", "NetworkProtocol")
            .and(matches_term("Direction", "NetworkDirection"))
            .and(matches_term("Action", "DvcAction")),
    )?
    .aggregate(
        vec![
            ident("Name"),
            ident("Severity"),
            ident("Tactic"),
            ident("DstPortNumber"),
            ident("Description"),
        ],
        vec![
            set("NetworkProtocol")?.alias("NetworkProtocols"),
            set("NetworkDirection")?.alias("NetworkDirections"),
            set("DvcAction")?.alias("DvcActions"),
        ],
    )
}

/// The watchlist rows of `kind` (`Type`), anomaly threshold, not disabled, with every
/// comma-separated list expanded (the rules' `split` + `mv-expand` chain).
fn mapping(p: &Params, kind: &str) -> Result<RecordBatch> {
    let path = p
        .data
        .join("watchlists")
        .join("NetworkSession_Monitor_Configuration.csv");
    let err = |e: String| DataFusionError::Execution(format!("{}: {e}", path.display()));
    let mut rd = csv::Reader::from_path(&path).map_err(|e| err(e.to_string()))?;
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| err(e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| err(format!("no column {name}")))
    };
    let cols = [
        "Ports",
        "App",
        "Protocol",
        "Direction",
        "Action",
        "Severity",
        "Tactic",
        "Name",
        "Description",
    ];
    let idx: Vec<usize> = cols.iter().map(|c| at(c)).collect::<Result<_>>()?;
    let (ty, tt, sev) = (at("Type")?, at("ThresholdType")?, at("Severity")?);
    let mut out: Vec<Vec<String>> = vec![Vec::new(); cols.len()];
    for rec in rd.records() {
        let rec = rec.map_err(|e| err(e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        if get(ty) != kind || get(tt) != "Anomaly" || get(sev) == "Disabled" {
            continue;
        }
        let lists: Vec<Vec<String>> = idx[..5]
            .iter()
            .map(|&i| get(i).split(',').map(str::to_string).collect())
            .collect();
        for a in &lists[0] {
            for b in &lists[1] {
                for c in &lists[2] {
                    for d in &lists[3] {
                        for e in &lists[4] {
                            for (k, v) in [a, b, c, d, e].into_iter().enumerate() {
                                out[k].push(v.clone());
                            }
                            for (k, &i) in idx.iter().enumerate().skip(5) {
                                out[k].push(get(i));
                            }
                        }
                    }
                }
            }
        }
    }
    let schema = Arc::new(Schema::new(
        cols.iter()
            .map(|c| Field::new(*c, DataType::Utf8, false))
            .collect::<Vec<_>>(),
    ));
    let arrays: Vec<ArrayRef> = out
        .into_iter()
        .map(|v| Arc::new(StringArray::from(v)) as ArrayRef)
        .collect();
    Ok(RecordBatch::try_new(schema, arrays)?)
}

/// The summary rule `NetworkSummary_Threat_IOC`.
async fn summary(ctx: &SessionContext, p: &Params) -> Result<DataFrame> {
    let start = floor_to(p.now_ns - 20 * MIN, 20 * MIN);
    let end = floor_to(p.now_ns, 20 * MIN);
    let tg = || ident("TimeGenerated");
    // KQL coalesce over strings: the first non-empty one.
    let threat = when(ident("ThreatId").not_eq(lit("")), ident("ThreatId"))
        .otherwise(ident("ThreatName"))?;
    ctx.table(TABLE)
        .await?
        .filter(
            tg().gt_eq(ts(start))
                .and(tg().lt_eq(ts(end)))
                .and(tg().lt(ts(end))),
        )?
        .filter(
            threat
                .not_eq(lit(""))
                .or(ident("ThreatCategory").not_eq(lit(""))),
        )?
        .aggregate(
            vec![
                ident("SrcIpAddr"),
                ident("DstIpAddr"),
                ident("SrcHostname"),
                ident("DstHostname"),
                bin_time(tg(), 20 * MIN).alias("TimeGenerated"),
            ],
            vec![count_all().alias("count_")],
        )?
        .select(vec![
            ident("SrcIpAddr"),
            ident("DstIpAddr"),
            ident("SrcHostname"),
            ident("DstHostname"),
            ident("TimeGenerated"),
            ident("count_"),
            ident("TimeGenerated").alias("EventTime"),
        ])
}

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
use datafusion::functions::expr_fn::{date_bin, get_field, lower, regexp_replace, starts_with};
use datafusion::functions_aggregate::expr_fn::{array_agg, count_all, count_distinct};
use datafusion::functions_nested::expr_fn::string_to_array;
use datafusion::logical_expr::{
    ExprFunctionExt, JoinType, cast, col, lit, when,
};
use datafusion::prelude::{DataFrame, Expr, SessionContext};
use std::sync::Arc;

/// The table name the floor registers `ASimNetworkSessionLogs` under.
pub const TABLE: &str = "ASimNetworkSessionLogs";

/// A `Timestamp(ns, UTC)` literal.
fn ts(ns: i64) -> Expr {
    lit(ScalarValue::TimestampNanosecond(Some(ns), Some("UTC".into())))
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
                col("DstPortNumber")
                    .eq(lit(22i32))
                    .and(col("DvcAction").eq(lit("Deny"))),
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
                bin_time(col("TimeGenerated"), HOUR).alias("TimeGenerated"),
                col("DstPortNumber"),
                col("NetworkProtocol"),
                col("NetworkDirection"),
                col("DvcAction"),
                col("DstAppName"),
            ],
            vec![count_all().alias("Count")],
        )?,
        QueryId::Dcount => ctx.table(TABLE).await?.aggregate(
            vec![col("DstPortNumber")],
            vec![count_distinct(col("DstIpAddr")).alias("Peers")],
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
                    col("TimeGenerated")
                        .gt_eq(ts(lo))
                        .and(col("TimeGenerated").lt(ts(hi))),
                )?
                .join(watched, JoinType::Inner, &["DstIpAddr"], &["WatchedIp"], None)?
                .select_columns(&["TimeGenerated", "SrcIpAddr", "DstIpAddr", "Watch"])?
        }
        QueryId::MvExpandSplit => ctx
            .table(TABLE)
            .await?
            .select(vec![
                string_to_array(
                    col("DstIpAddr"),
                    lit("."),
                    lit(ScalarValue::Utf8(None)),
                )
                .alias("Octet"),
            ])?
            .unnest_columns(&["Octet"])?
            .aggregate(vec![col("Octet")], vec![count_all().alias("Count")])?,
        QueryId::MakeSeries10k => {
            let from = p.now_ns - 14 * DAY;
            let nbins = (14 * DAY) / HOUR;
            let idx = (cast(col("TimeGenerated"), DataType::Int64) - lit(from)) / lit(HOUR);
            ctx.table(TABLE)
                .await?
                .filter(
                    col("NetworkDirection")
                        .eq(lit("Outbound"))
                        .and(starts_with(col("SrcIpAddr"), lit("10.100.")))
                        .and(col("TimeGenerated").gt_eq(ts(from)))
                        .and(col("TimeGenerated").lt(ts(p.now_ns))),
                )?
                .aggregate(
                    vec![col("SrcIpAddr")],
                    vec![
                        udaf(ctx, "kql_ms_count")?
                            .call(vec![idx, lit(nbins), lit(0i64)])
                            .alias("Sessions"),
                    ],
                )?
                .select(vec![
                    col("SrcIpAddr"),
                    col("Sessions"),
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
        net = net.filter(col("TimeGenerated").gt_eq(ts(now - 14 * DAY)))?;
    }
    // eps: sessions of the last 5 minutes / 300 picks the look-back.
    let recent = net
        .clone()
        .filter(col("TimeGenerated").gt(ts(now - 5 * MIN)))?
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
    let tg = || col("TimeGenerated");
    let summarized = net
        .filter(
            tg().gt_eq(ts(now - back * DAY))
                .and(tg().lt_eq(ts(now)))
                .and(tg().gt(ts(from))),
        )?
        .aggregate(
            vec![
                col("NetworkProtocol"),
                col("DstPortNumber"),
                col("DstAppName"),
                col("NetworkDirection"),
                col("DvcAction"),
                bin_time(tg(), 10 * MIN).alias("EventTime"),
            ],
            vec![count_all().alias("Count")],
        )?;
    let idx = (cast(col("EventTime"), DataType::Int64) - lit(from)) / lit(DAY);
    let series = summarized
        .filter(
            col("DstPortNumber")
                .is_not_null()
                .and(col("EventTime").gt_eq(ts(from)))
                .and(col("EventTime").lt(ts(now))),
        )?
        .aggregate(
            vec![
                col("DstPortNumber"),
                col("NetworkProtocol"),
                col("NetworkDirection"),
                col("DvcAction"),
            ],
            vec![
                udaf(ctx, "kql_ms_sum")?
                    .call(vec![
                        cast(col("Count"), DataType::Int64),
                        idx,
                        lit(14i64),
                        lit(0i64),
                    ])
                    .alias("Total"),
            ],
        )?;
    let ad = udf(ctx, "kql_series_decompose_anomalies")?.call(vec![
        col("Total"),
        lit(2.5f64),
        lit(-1i64),
        lit("linefit"),
    ]);
    let scored = series
        .select(vec![
            col("DstPortNumber"),
            col("NetworkProtocol"),
            col("NetworkDirection"),
            col("DvcAction"),
            ad.alias("ad"),
            axis(from, DAY, 14).alias("EventTime"),
        ])?
        .select(vec![
            col("DstPortNumber"),
            col("NetworkProtocol"),
            col("NetworkDirection"),
            col("DvcAction"),
            get_field(col("ad"), "ad_score").alias("score"),
            get_field(col("ad"), "baseline").alias("baseline"),
            col("EventTime"),
        ])?
        .unnest_columns(&["score", "baseline", "EventTime"])?
        .filter(col("EventTime").gt_eq(ts(now - DAY)))?;
    let port = cast(col("DstPortNumber"), DataType::Utf8);
    let (port, keep) = if analytic {
        (
            // trim_end(".0", tostring(DstPortNumber)): a regex, so "80" becomes "".
            regexp_replace(port, lit("(.0)+$"), lit(""), None),
            cast(col("score"), DataType::Int32).gt(lit(5i32)),
        )
    } else {
        (
            port,
            cast(col("score"), DataType::Int32)
                .gt_eq(lit(5i32))
                .and(cast(col("baseline"), DataType::Int32).gt(lit(0i32))),
        )
    };
    let hits = scored.filter(keep)?.select(vec![
        port.alias("DstPortNumber"),
        col("NetworkProtocol"),
        col("NetworkDirection"),
        col("DvcAction"),
    ])?;
    let mapping = ctx.read_batch(mapping(p, if analytic { "Detection" } else { "Hunting" })?)?;
    let matches_term = |list: &str, value: &str| {
        col(list)
            .eq(lit("*"))
            .or(lower(col(list)).eq(lower(col(value))))
    };
    let set = |c: &str| {
        array_agg(col(c))
            .distinct()
            .filter(col(c).not_eq(lit("")))
            .build()
    };
    hits.join(mapping, JoinType::Inner, &["DstPortNumber"], &["Ports"], None)?
        .filter(
            matches_term("Protocol", "NetworkProtocol")
                .and(matches_term("Direction", "NetworkDirection"))
                .and(matches_term("Action", "DvcAction")),
        )?
        .aggregate(
            vec![
                col("Name"),
                col("Severity"),
                col("Tactic"),
                col("DstPortNumber"),
                col("Description"),
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
    let tg = || col("TimeGenerated");
    // KQL coalesce over strings: the first non-empty one.
    let threat = when(col("ThreatId").not_eq(lit("")), col("ThreatId"))
        .otherwise(col("ThreatName"))?;
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
                .or(col("ThreatCategory").not_eq(lit(""))),
        )?
        .aggregate(
            vec![
                col("SrcIpAddr"),
                col("DstIpAddr"),
                col("SrcHostname"),
                col("DstHostname"),
                bin_time(tg(), 20 * MIN).alias("TimeGenerated"),
            ],
            vec![count_all().alias("count_")],
        )?
        .select(vec![
            col("SrcIpAddr"),
            col("DstIpAddr"),
            col("SrcHostname"),
            col("DstHostname"),
            col("TimeGenerated"),
            col("count_"),
            col("TimeGenerated").alias("EventTime"),
        ])
}

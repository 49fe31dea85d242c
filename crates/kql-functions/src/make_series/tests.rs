//! make-series UDAFs tested through real DataFusion plans (2+ partitions, so partial and
//! final aggregation with `state`/`merge_batch` run).

use super::*;
use datafusion::arrow::array::{Float64Array, Int64Array, StringArray};
use datafusion::arrow::datatypes::{Float64Type, TimeUnit};
use datafusion::datasource::MemTable;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, col, ident, lit};
use datafusion::prelude::{SessionConfig, SessionContext};

fn udaf(name: &str) -> AggregateUDF {
    AggregateUDF::new_from_impl(MakeSeriesUdaf::new(name).expect(name))
}

const NS_PER_DAY: i64 = 86_400 * 1_000_000_000;

/// 2017-01-01T00:00Z in ns since the epoch.
const JAN1: i64 = 1_483_228_800 * 1_000_000_000;

/// kql-semantics.md §5.2 worked example (documented ADX output), split into 3 partitions.
fn example_table() -> Result<MemTable> {
    let h = NS_PER_DAY / 24;
    let rows: Vec<(i64, f64)> = vec![
        (JAN1 - 18 * h, 50.0), // 2016-12-31T06:00, before `from`
        (JAN1, 4.0),
        (JAN1 + NS_PER_DAY, 3.0),
        (JAN1 + 2 * NS_PER_DAY, 4.0),
        (JAN1 + 2 * NS_PER_DAY + 3 * h, 6.0),
        (JAN1 + 4 * NS_PER_DAY, 8.0),
        (
            JAN1 + 4 * NS_PER_DAY + 13 * h + 40 * 60 * 1_000_000_000,
            13.0,
        ),
        (JAN1 + 5 * NS_PER_DAY, 4.0),
        (JAN1 + 6 * NS_PER_DAY, 3.0),
        (JAN1 + 7 * NS_PER_DAY, 8.0),
        (JAN1 + 7 * NS_PER_DAY + 21 * h, 8.0),
        (JAN1 + 8 * NS_PER_DAY, 2.0),
        (JAN1 + 8 * NS_PER_DAY + 12 * h, 11.0),
        (JAN1 + 9 * NS_PER_DAY + 5 * h, 5.0), // 2017-01-10T05:00, >= `to`
    ];
    let schema = Arc::new(Schema::new(vec![
        Field::new("key", DataType::Utf8, false),
        Field::new(
            "timestamp",
            DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
            false,
        ),
        Field::new("metric", DataType::Float64, true),
        Field::new("lmetric", DataType::Int64, true),
    ]));
    let mut parts = Vec::new();
    for chunk in rows.chunks(5) {
        let ts = datafusion::arrow::array::TimestampNanosecondArray::from(
            chunk.iter().map(|r| r.0).collect::<Vec<_>>(),
        )
        .with_timezone("UTC");
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec!["a"; chunk.len()])),
                Arc::new(ts),
                Arc::new(Float64Array::from(
                    chunk.iter().map(|r| r.1).collect::<Vec<_>>(),
                )),
                Arc::new(Int64Array::from(
                    chunk.iter().map(|r| r.1 as i64).collect::<Vec<_>>(),
                )),
            ],
        )?;
        parts.push(vec![batch]);
    }
    MemTable::try_new(schema, parts)
}

fn ctx() -> SessionContext {
    SessionContext::new_with_config(
        SessionConfig::new()
            .with_target_partitions(4)
            .with_batch_size(2),
    )
}

/// Runs `make-series <aggs> on timestamp from 2017-01-01 to 2017-01-10 step 1d by key` the
/// way the planner lowers it: filter to [from, to), compute idx, aggregate by key.
async fn run(aggs: Vec<Expr>) -> Result<Vec<RecordBatch>> {
    let ctx = ctx();
    ctx.register_table("t", Arc::new(example_table()?))?;
    let from = JAN1;
    let to = JAN1 + 9 * NS_PER_DAY;
    let ts_ns = datafusion::logical_expr::cast(col("timestamp"), DataType::Int64);
    let plan = LogicalPlanBuilder::from(ctx.table("t").await?.into_unoptimized_plan())
        .filter(
            ts_ns
                .clone()
                .gt_eq(lit(from))
                .and(ts_ns.clone().lt(lit(to))),
        )?
        .project(vec![
            col("key"),
            col("metric"),
            col("lmetric"),
            ((ts_ns - lit(from)) / lit(NS_PER_DAY)).alias("idx"),
        ])?
        .aggregate(vec![col("key")], aggs)?
        .build()?;
    ctx.execute_logical_plan(plan).await?.collect().await
}

fn list_f64(batches: &[RecordBatch], col: usize) -> Vec<Option<f64>> {
    let batch = batches.iter().find(|b| b.num_rows() > 0).unwrap();
    let l = batch.column(col).as_list::<i32>().value(0);
    l.as_primitive::<Float64Type>().iter().collect()
}

fn list_i64(batches: &[RecordBatch], col: usize) -> Vec<Option<i64>> {
    let batch = batches.iter().find(|b| b.num_rows() > 0).unwrap();
    let l = batch.column(col).as_list::<i32>().value(0);
    l.as_primitive::<Int64Type>().iter().collect()
}

fn args(value: Option<&str>, default: ScalarValue) -> Vec<Expr> {
    let mut v: Vec<Expr> = value.map(col).into_iter().collect();
    v.extend([col("idx"), lit(9i64), lit(default)]);
    v
}

/// The documented worked example: avg → [4, 3, 5, 0, 10.5, 4, 3, 8, 6.5].
#[tokio::test]
async fn documented_avg_example() -> Result<()> {
    let out =
        run(vec![udaf("kql_ms_avg").call(args(
            Some("metric"),
            ScalarValue::Float64(Some(0.0)),
        ))])
        .await?;
    let rows: usize = out.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 1);
    let exp = [4.0, 3.0, 5.0, 0.0, 10.5, 4.0, 3.0, 8.0, 6.5];
    assert_eq!(
        list_f64(&out, 1),
        exp.iter().map(|v| Some(*v)).collect::<Vec<_>>()
    );
    Ok(())
}

#[tokio::test]
async fn count_sum_min_max_dcount_take_any_percentile() -> Result<()> {
    let out = run(vec![
        udaf("kql_ms_count").call(args(None, ScalarValue::Int64(Some(0)))),
        udaf("kql_ms_sum").call(args(Some("lmetric"), ScalarValue::Int64(Some(0)))),
        udaf("kql_ms_sum").call(args(Some("metric"), ScalarValue::Float64(Some(-1.0)))),
        udaf("kql_ms_min").call(args(Some("lmetric"), ScalarValue::Int64(None))),
        udaf("kql_ms_max").call(args(Some("metric"), ScalarValue::Float64(Some(0.0)))),
        udaf("kql_ms_dcount").call(args(Some("lmetric"), ScalarValue::Int64(Some(0)))),
        udaf("kql_ms_take_any").call(args(Some("lmetric"), ScalarValue::Int64(Some(0)))),
        udaf("kql_ms_percentile").call(vec![
            col("metric"),
            lit(50.0),
            col("idx"),
            lit(9i64),
            lit(0.0),
        ]),
        udaf("kql_ms_stdev").call(args(Some("metric"), ScalarValue::Float64(Some(0.0)))),
        udaf("kql_ms_variance").call(args(Some("lmetric"), ScalarValue::Float64(Some(0.0)))),
    ])
    .await?;
    let s = |v: &[i64]| v.iter().map(|x| Some(*x)).collect::<Vec<_>>();
    let f = |v: &[f64]| v.iter().map(|x| Some(*x)).collect::<Vec<_>>();
    assert_eq!(list_i64(&out, 1), s(&[1, 1, 2, 0, 2, 1, 1, 2, 2]));
    assert_eq!(list_i64(&out, 2), s(&[4, 3, 10, 0, 21, 4, 3, 16, 13]));
    assert_eq!(
        list_f64(&out, 3),
        f(&[4.0, 3.0, 10.0, -1.0, 21.0, 4.0, 3.0, 16.0, 13.0])
    );
    assert_eq!(
        list_i64(&out, 4),
        vec![
            Some(4),
            Some(3),
            Some(4),
            None,
            Some(8),
            Some(4),
            Some(3),
            Some(8),
            Some(2)
        ]
    );
    assert_eq!(
        list_f64(&out, 5),
        f(&[4.0, 3.0, 6.0, 0.0, 13.0, 4.0, 3.0, 8.0, 11.0])
    );
    assert_eq!(list_i64(&out, 6), s(&[1, 1, 2, 0, 2, 1, 1, 1, 2]));
    let any = list_i64(&out, 7);
    assert!([Some(4), Some(6)].contains(&any[2]) && any[3] == Some(0));
    // nearest rank: p50 of 2 values = the lower one
    assert_eq!(
        list_f64(&out, 8),
        f(&[4.0, 3.0, 4.0, 0.0, 8.0, 4.0, 3.0, 8.0, 2.0])
    );
    let sd = list_f64(&out, 9);
    assert!(
        (sd[2].unwrap() - std::f64::consts::SQRT_2).abs() < 1e-12,
        "{sd:?}"
    );
    assert_eq!(sd[0], Some(0.0));
    let var = list_f64(&out, 10);
    assert!((var[8].unwrap() - 40.5).abs() < 1e-12, "{var:?}");
    Ok(())
}

/// Output element types follow the brief: count → Int64, sum of long → Int64, sum of real
/// → Float64, avg → Float64, min/max/take_any/percentile → input type.
#[test]
fn return_types() {
    let l = |t: DataType| DataType::new_list(t, true);
    let i = DataType::Int64;
    let ts = DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()));
    assert_eq!(
        udaf("kql_ms_count")
            .return_type(&[i.clone(), i.clone(), i.clone()])
            .unwrap(),
        l(DataType::Int64)
    );
    assert_eq!(
        udaf("kql_ms_sum")
            .return_type(&[DataType::Int32, i.clone(), i.clone(), i.clone()])
            .unwrap(),
        l(DataType::Int64)
    );
    assert_eq!(
        udaf("kql_ms_sum")
            .return_type(&[DataType::Float64, i.clone(), i.clone(), DataType::Float64])
            .unwrap(),
        l(DataType::Float64)
    );
    assert_eq!(
        udaf("kql_ms_avg")
            .return_type(&[DataType::Int64, i.clone(), i.clone(), DataType::Float64])
            .unwrap(),
        l(DataType::Float64)
    );
    assert_eq!(
        udaf("kql_ms_max")
            .return_type(&[ts.clone(), i.clone(), i.clone(), ts.clone()])
            .unwrap(),
        l(ts.clone())
    );
    assert_eq!(
        udaf("kql_ms_percentile")
            .return_type(&[
                DataType::Int32,
                DataType::Float64,
                i.clone(),
                i.clone(),
                DataType::Int32
            ])
            .unwrap(),
        l(DataType::Int32)
    );
    assert!(
        udaf("kql_ms_sum")
            .return_type(&[i.clone(), i.clone()])
            .is_err()
    );
    assert_eq!(aggregate_udfs().len(), 10);
}

/// Empty input yields no group (and so no row); a group whose rows are all outside the
/// range is filtered out before aggregation, so it produces no row either.
#[tokio::test]
async fn empty_input_gives_no_rows() -> Result<()> {
    let ctx = ctx();
    ctx.register_table("t", Arc::new(example_table()?))?;
    let plan = LogicalPlanBuilder::from(ctx.table("t").await?.into_unoptimized_plan())
        .filter(col("metric").gt(lit(1000.0)))?
        .project(vec![col("key"), lit(0i64).alias("idx")])?
        .aggregate(
            vec![col("key")],
            vec![udaf("kql_ms_count").call(vec![col("idx"), lit(9i64), lit(0i64)])],
        )?
        .build()?;
    let out = ctx.execute_logical_plan(plan).await?.collect().await?;
    assert_eq!(out.iter().map(|b| b.num_rows()).sum::<usize>(), 0);
    Ok(())
}

/// series-test-vectors.md S7d (ADX docs): weekly bins aligned to `from` (a Monday),
/// `Value=sum(Value)` on int values (default 0) and a constant aggregate `other=-1
/// default=-2` (lowered as take_any of the constant): Value [10,20,0,30,0], other
/// [-1,-1,-2,-1,-2].
#[tokio::test]
async fn s7d_weekly_sum_and_constant_with_default() -> Result<()> {
    let day = NS_PER_DAY;
    // 2025-01-06T00:00Z
    let from: i64 = 1_736_121_600 * 1_000_000_000;
    let to = from + 34 * day; // 2025-02-09
    let nbins = (to - from + 7 * day - 1) / (7 * day); // ceil → 5
    assert_eq!(nbins, 5);
    let schema = Arc::new(Schema::new(vec![
        Field::new("Time", DataType::Int64, false),
        Field::new("Value", DataType::Int32, true),
    ]));
    let t = |d: i64| from + d * day;
    let batches = vec![
        vec![RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(vec![t(1), t(10)])),
                Arc::new(datafusion::arrow::array::Int32Array::from(vec![10, 20])),
            ],
        )?],
        vec![RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(vec![t(26)])),
                Arc::new(datafusion::arrow::array::Int32Array::from(vec![30])),
            ],
        )?],
    ];
    let ctx = ctx();
    ctx.register_table("d", Arc::new(MemTable::try_new(schema, batches)?))?;
    let plan = LogicalPlanBuilder::from(ctx.table("d").await?.into_unoptimized_plan())
        .filter(
            ident("Time")
                .gt_eq(lit(from))
                .and(ident("Time").lt(lit(to))),
        )?
        .project(vec![
            ident("Value"),
            ((ident("Time") - lit(from)) / lit(7 * day)).alias("idx"),
        ])?
        .aggregate(
            Vec::<Expr>::new(),
            vec![
                udaf("kql_ms_sum")
                    .call(vec![ident("Value"), col("idx"), lit(nbins), lit(0i64)])
                    .alias("Value"),
                udaf("kql_ms_take_any")
                    .call(vec![lit(-1i32), col("idx"), lit(nbins), lit(-2i32)])
                    .alias("other"),
            ],
        )?
        .build()?;
    let out = ctx.execute_logical_plan(plan).await?.collect().await?;
    let batch = out.iter().find(|b| b.num_rows() > 0).unwrap();
    assert_eq!(batch.num_rows(), 1);
    let v = batch.column(0).as_list::<i32>().value(0);
    assert_eq!(v.data_type(), &DataType::Int64);
    assert_eq!(
        v.as_primitive::<Int64Type>().values().to_vec(),
        vec![10, 20, 0, 30, 0]
    );
    let o = batch.column(1).as_list::<i32>().value(0);
    assert_eq!(o.data_type(), &DataType::Int32);
    let o: Vec<i32> = o
        .as_primitive::<datafusion::arrow::datatypes::Int32Type>()
        .values()
        .to_vec();
    assert_eq!(o, vec![-1, -1, -2, -1, -2]);
    Ok(())
}

/// `default=real(null)` gives null elements, which `series_fill_linear` then fills — the
/// documented way to combine make-series with the fill functions, in one plan.
#[tokio::test]
async fn null_default_then_fill_linear() -> Result<()> {
    let ctx = ctx();
    ctx.register_table("t", Arc::new(example_table()?))?;
    let from = JAN1;
    let to = JAN1 + 9 * NS_PER_DAY;
    let ts_ns = datafusion::logical_expr::cast(col("timestamp"), DataType::Int64);
    let fill = datafusion::logical_expr::ScalarUDF::new_from_impl(
        crate::series::SeriesUdf::new("series_fill_linear").unwrap(),
    );
    let plan = LogicalPlanBuilder::from(ctx.table("t").await?.into_unoptimized_plan())
        .filter(
            ts_ns
                .clone()
                .gt_eq(lit(from))
                .and(ts_ns.clone().lt(lit(to))),
        )?
        .project(vec![
            col("key"),
            col("metric"),
            ((ts_ns - lit(from)) / lit(NS_PER_DAY)).alias("idx"),
        ])?
        .aggregate(
            vec![col("key")],
            vec![
                udaf("kql_ms_avg")
                    .call(vec![
                        col("metric"),
                        col("idx"),
                        lit(9i64),
                        lit(ScalarValue::Float64(None)),
                    ])
                    .alias("avg_metric"),
            ],
        )?
        .project(vec![
            col("avg_metric"),
            fill.call(vec![col("avg_metric")]).alias("filled"),
        ])?
        .build()?;
    let out = ctx.execute_logical_plan(plan).await?.collect().await?;
    let raw = list_f64(&out, 0);
    assert_eq!(raw[3], None);
    assert_eq!(raw[4], Some(10.5));
    let filled = list_f64(&out, 1);
    assert_eq!(filled[3], Some((5.0 + 10.5) / 2.0));
    Ok(())
}

/// The anomaly pipeline in one DataFusion plan: make-series count() by key, then
/// `series_decompose_anomalies(counts, 1.5, -1, 'linefit')`; the UDF result equals the
/// kernel applied to the same counts.
#[tokio::test]
async fn make_series_then_decompose_anomalies() -> Result<()> {
    // key "k": 14 daily bins with counts c[i] rows each (spike at bin 11)
    let counts: Vec<i64> = vec![5, 7, 6, 8, 7, 9, 8, 10, 9, 11, 10, 30, 12, 14];
    let (mut keys, mut idx) = (Vec::new(), Vec::new());
    for (b, c) in counts.iter().enumerate() {
        for _ in 0..*c {
            keys.push("k");
            idx.push(b as i64);
        }
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("key", DataType::Utf8, false),
        Field::new("idx", DataType::Int64, false),
    ]));
    let half = keys.len() / 2;
    let mk = |r: std::ops::Range<usize>| -> Result<RecordBatch> {
        Ok(RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(keys[r.clone()].to_vec())),
                Arc::new(Int64Array::from(idx[r].to_vec())),
            ],
        )?)
    };
    let table = MemTable::try_new(
        schema.clone(),
        vec![vec![mk(0..half)?], vec![mk(half..keys.len())?]],
    )?;
    let ctx = ctx();
    ctx.register_table("e", Arc::new(table))?;
    let anomalies = datafusion::logical_expr::ScalarUDF::new_from_impl(
        crate::series::SeriesUdf::new("series_decompose_anomalies").unwrap(),
    );
    let plan = LogicalPlanBuilder::from(ctx.table("e").await?.into_unoptimized_plan())
        .aggregate(
            vec![col("key")],
            vec![
                udaf("kql_ms_count")
                    .call(vec![col("idx"), lit(14i64), lit(0i64)])
                    .alias("Total"),
            ],
        )?
        .project(vec![
            ident("Total"),
            anomalies
                .call(vec![
                    ident("Total"),
                    lit(1.5),
                    lit(-1i64),
                    lit("linefit"),
                    lit(0i64),
                    lit("ctukey"),
                    lit(0.6),
                ])
                .alias("a"),
        ])?
        .build()?;
    let out = ctx.execute_logical_plan(plan).await?.collect().await?;
    assert_eq!(
        list_i64(&out, 0),
        counts.iter().map(|c| Some(*c)).collect::<Vec<_>>()
    );
    let batch = out.iter().find(|b| b.num_rows() > 0).unwrap();
    let s = batch.column(1).as_struct();
    let y: Vec<f64> = counts.iter().map(|c| *c as f64).collect();
    let exp = kql_series::series_decompose_anomalies(&y, 1.5, -1, "linefit", 0, "ctukey", 0.6)
        .map_err(|e| datafusion::common::DataFusionError::Execution(e.to_string()))?;
    let flags = s
        .column_by_name("ad_flag")
        .unwrap()
        .as_list::<i32>()
        .value(0);
    assert_eq!(
        flags.as_primitive::<Int64Type>().values().to_vec(),
        exp.ad_flag
    );
    assert_eq!(exp.ad_flag[11], 1);
    let score = s
        .column_by_name("ad_score")
        .unwrap()
        .as_list::<i32>()
        .value(0);
    assert_eq!(
        score.as_primitive::<Float64Type>().values().to_vec(),
        exp.ad_score
    );
    Ok(())
}

/// Randomised check of every aggregate against a naive per-(key, bin) computation, with
/// many groups over several partitions, once normally and once forcing DataFusion to skip
/// partial aggregation (so `convert_to_state` runs).
#[tokio::test]
async fn all_aggregates_match_naive_computation() -> Result<()> {
    const KEYS: i64 = 37;
    const BINS: i64 = 7;
    // deterministic pseudo-random rows
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut keys, mut idxs, mut vals) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..3000 {
        keys.push((next() % KEYS as u64) as i64);
        idxs.push((next() % BINS as u64) as i64);
        let v = (next() % 41) as i64 - 20;
        vals.push(if next() % 10 == 0 { None } else { Some(v) });
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("key", DataType::Int64, false),
        Field::new("idx", DataType::Int64, false),
        Field::new("v", DataType::Int64, true),
    ]));
    let parts: Vec<Vec<RecordBatch>> = (0..3)
        .map(|p| {
            let r: Vec<usize> = (0..keys.len()).filter(|i| i % 3 == p).collect();
            vec![
                RecordBatch::try_new(
                    schema.clone(),
                    vec![
                        Arc::new(Int64Array::from(
                            r.iter().map(|&i| keys[i]).collect::<Vec<_>>(),
                        )),
                        Arc::new(Int64Array::from(
                            r.iter().map(|&i| idxs[i]).collect::<Vec<_>>(),
                        )),
                        Arc::new(Int64Array::from(
                            r.iter().map(|&i| vals[i]).collect::<Vec<_>>(),
                        )),
                    ],
                )
                .unwrap(),
            ]
        })
        .collect();
    // naive expectations per (key, bin): the non-null values
    let mut cells: std::collections::HashMap<(i64, i64), (usize, Vec<i64>)> = Default::default();
    for i in 0..keys.len() {
        let e = cells.entry((keys[i], idxs[i])).or_default();
        e.0 += 1;
        if let Some(v) = vals[i] {
            e.1.push(v);
        }
    }
    for skip in [false, true] {
        let mut cfg = SessionConfig::new()
            .with_target_partitions(3)
            .with_batch_size(64);
        if skip {
            cfg = cfg
                .set_usize(
                    "datafusion.execution.skip_partial_aggregation_probe_rows_threshold",
                    1,
                )
                .set_str(
                    "datafusion.execution.skip_partial_aggregation_probe_ratio_threshold",
                    "0.0",
                );
        }
        let ctx = SessionContext::new_with_config(cfg);
        ctx.register_table(
            "r",
            Arc::new(MemTable::try_new(schema.clone(), parts.clone())?),
        )?;
        let a = |name: &str, d: ScalarValue| {
            udaf(name).call(vec![col("v"), col("idx"), lit(BINS), lit(d)])
        };
        let plan = LogicalPlanBuilder::from(ctx.table("r").await?.into_unoptimized_plan())
            .aggregate(
                vec![col("key")],
                vec![
                    udaf("kql_ms_count").call(vec![col("idx"), lit(BINS), lit(0i64)]),
                    a("kql_ms_sum", ScalarValue::Int64(Some(0))),
                    a("kql_ms_min", ScalarValue::Int64(Some(99))),
                    a("kql_ms_max", ScalarValue::Int64(Some(-99))),
                    a("kql_ms_dcount", ScalarValue::Int64(Some(0))),
                    a("kql_ms_avg", ScalarValue::Float64(None)),
                    a("kql_ms_variance", ScalarValue::Float64(Some(0.0))),
                    udaf("kql_ms_percentile").call(vec![
                        col("v"),
                        lit(90.0),
                        col("idx"),
                        lit(BINS),
                        lit(0i64),
                    ]),
                ],
            )?
            .build()?;
        let out = ctx.execute_logical_plan(plan).await?.collect().await?;
        let mut seen = 0;
        for batch in &out {
            let key = batch.column(0).as_primitive::<Int64Type>().clone();
            for row in 0..batch.num_rows() {
                seen += 1;
                let k = key.value(row);
                let li = |c: usize| -> Vec<Option<i64>> {
                    batch
                        .column(c)
                        .as_list::<i32>()
                        .value(row)
                        .as_primitive::<Int64Type>()
                        .iter()
                        .collect()
                };
                let lf = |c: usize| -> Vec<Option<f64>> {
                    batch
                        .column(c)
                        .as_list::<i32>()
                        .value(row)
                        .as_primitive::<Float64Type>()
                        .iter()
                        .collect()
                };
                let (count, sum, min, max, dc, avg, var, pct) =
                    (li(1), li(2), li(3), li(4), li(5), lf(6), lf(7), li(8));
                for b in 0..BINS {
                    let bi = b as usize;
                    let ctx = format!("skip={skip} key={k} bin={b}");
                    let (n, vs) = cells.get(&(k, b)).cloned().unwrap_or_default();
                    assert_eq!(count[bi], Some(n as i64), "{ctx} count");
                    if vs.is_empty() {
                        assert_eq!(
                            (sum[bi], min[bi], max[bi], dc[bi], avg[bi], var[bi]),
                            (Some(0), Some(99), Some(-99), Some(0), None, Some(0.0)),
                            "{ctx}"
                        );
                        continue;
                    }
                    let mut sorted = vs.clone();
                    sorted.sort();
                    let m = vs.len() as f64;
                    let mean = vs.iter().sum::<i64>() as f64 / m;
                    let variance = if vs.len() > 1 {
                        vs.iter().map(|v| (*v as f64 - mean).powi(2)).sum::<f64>() / (m - 1.0)
                    } else {
                        0.0
                    };
                    let distinct: std::collections::HashSet<i64> = vs.iter().copied().collect();
                    let rank = ((0.9 * m).ceil() as usize).clamp(1, vs.len()) - 1;
                    assert_eq!(sum[bi], Some(vs.iter().sum()), "{ctx} sum");
                    assert_eq!(min[bi], Some(sorted[0]), "{ctx} min");
                    assert_eq!(max[bi], sorted.last().copied(), "{ctx} max");
                    assert_eq!(dc[bi], Some(distinct.len() as i64), "{ctx} dcount");
                    assert!((avg[bi].unwrap() - mean).abs() < 1e-9, "{ctx} avg");
                    assert!(
                        (var[bi].unwrap() - variance).abs() < 1e-9 * variance.max(1.0),
                        "{ctx} variance"
                    );
                    assert_eq!(pct[bi], Some(sorted[rank]), "{ctx} percentile");
                }
            }
        }
        assert_eq!(seen, KEYS as usize, "skip={skip}");
    }
    Ok(())
}

/// Micro-benchmark (ignored; run with `cargo test -p kql-functions --release bench_ --
/// --ignored --nocapture`, rows from env `MS_BENCH_ROWS`, default 1M): make-series count()
/// and avg() into 10k series × 14 bins, 2 partitions.
#[tokio::test]
#[ignore]
async fn bench_make_series_10k_series_14_bins() -> Result<()> {
    let rows: usize = std::env::var("MS_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let schema = Arc::new(Schema::new(vec![
        Field::new("key", DataType::Int64, false),
        Field::new("idx", DataType::Int64, false),
        Field::new("v", DataType::Float64, false),
    ]));
    let mut seed: u64 = 42;
    let mut parts = vec![Vec::new(), Vec::new()];
    let batch = 8192;
    let mut done = 0;
    while done < rows {
        let n = batch.min(rows - done);
        let mut k = Vec::with_capacity(n);
        let mut i = Vec::with_capacity(n);
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            k.push((seed % 10_000) as i64);
            i.push(((seed >> 20) % 14) as i64);
            v.push((seed >> 40) as f64);
        }
        let b = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(k)),
                Arc::new(Int64Array::from(i)),
                Arc::new(Float64Array::from(v)),
            ],
        )?;
        parts[(done / batch) % 2].push(b);
        done += n;
    }
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    ctx.register_table("b", Arc::new(MemTable::try_new(schema, parts)?))?;
    let plan = LogicalPlanBuilder::from(ctx.table("b").await?.into_unoptimized_plan())
        .aggregate(
            vec![col("key")],
            vec![
                udaf("kql_ms_count").call(vec![col("idx"), lit(14i64), lit(0i64)]),
                udaf("kql_ms_avg").call(vec![col("v"), col("idx"), lit(14i64), lit(0.0)]),
            ],
        )?
        .build()?;
    let t = std::time::Instant::now();
    let out = ctx.execute_logical_plan(plan).await?.collect().await?;
    let groups: usize = out.iter().map(|b| b.num_rows()).sum();
    println!(
        "make-series count+avg: {rows} rows -> {groups} series x 14 bins: {:.3} s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

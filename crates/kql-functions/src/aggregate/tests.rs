use super::*;
use accumulators::nearest_rank;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Float64Array, Int64Array, RecordBatch, StringArray,
};
use datafusion::arrow::datatypes::Schema;
use datafusion::datasource::MemTable;
use datafusion::logical_expr::{Expr, ExprFunctionExt, col, ident, lit};
use datafusion::prelude::{SessionConfig, SessionContext};
use std::collections::BTreeMap;

fn udaf(k: AggFn) -> AggregateUDF {
    AggregateUDF::new_from_impl(KqlAggregate::new(k))
}

fn call(k: AggFn, args: Vec<Expr>) -> Expr {
    udaf(k).call(args)
}

/// Rows: (k, x, s, bag). Spread over 3 partitions so every group has partial states in
/// several partitions.
fn table() -> Arc<MemTable> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("k", DataType::Utf8, false),
        Field::new("x", DataType::Int64, true),
        Field::new("s", DataType::Utf8, false),
        Field::new("bag", DataType::Utf8, true),
    ]));
    let rows: Vec<(&str, Option<i64>, &str, Option<&str>)> = vec![
        ("a", Some(1), "", Some(r#"{"p":1}"#)),
        ("a", Some(2), "two", Some(r#"{"q":2}"#)),
        ("b", None, "", None),
        ("a", Some(3), "three", Some(r#"{"p":9}"#)),
        ("b", Some(10), "ten", Some("5")),
        ("a", Some(4), "four", None),
        ("c", None, "", None),
        ("a", Some(2), "dup", None),
        ("b", Some(20), "twenty", Some(r#"{"r":[1,2]}"#)),
        ("c", None, "", None),
    ];
    let batch = |part: &[(&str, Option<i64>, &str, Option<&str>)]| {
        RecordBatch::try_new(
            Arc::clone(&schema),
            vec![
                Arc::new(StringArray::from(
                    part.iter().map(|r| r.0).collect::<Vec<_>>(),
                )) as ArrayRef,
                Arc::new(Int64Array::from(
                    part.iter().map(|r| r.1).collect::<Vec<_>>(),
                )),
                Arc::new(StringArray::from(
                    part.iter().map(|r| r.2).collect::<Vec<_>>(),
                )),
                Arc::new(StringArray::from(
                    part.iter().map(|r| r.3).collect::<Vec<_>>(),
                )),
            ],
        )
        .unwrap()
    };
    let parts = vec![
        vec![batch(&rows[0..3]), batch(&rows[3..4])],
        vec![batch(&rows[4..7])],
        vec![batch(&rows[7..10])],
    ];
    Arc::new(MemTable::try_new(schema, parts).unwrap())
}

fn ctx() -> SessionContext {
    SessionContext::new_with_config(SessionConfig::new().with_target_partitions(4))
}

/// Runs `aggs` grouped by `k` (or ungrouped) and returns one map per output column,
/// keyed by `k` (or "" without grouping), values rendered as strings.
async fn run(group: bool, filter_empty: bool, aggs: Vec<Expr>) -> Vec<BTreeMap<String, String>> {
    let ctx = ctx();
    let mut df = ctx.read_table(table()).unwrap();
    if filter_empty {
        df = df.filter(col("x").gt(lit(1000))).unwrap();
    }
    let n = aggs.len();
    let df = df
        .aggregate(if group { vec![col("k")] } else { vec![] }, aggs)
        .unwrap();
    let batches = df.collect().await.unwrap();
    let mut out = vec![BTreeMap::new(); n];
    for b in &batches {
        for row in 0..b.num_rows() {
            let key = if group {
                b.column(0).as_string::<i32>().value(row).to_string()
            } else {
                String::new()
            };
            let off = usize::from(group);
            for (j, m) in out.iter_mut().enumerate() {
                let v = ScalarValue::try_from_array(b.column(j + off), row).unwrap();
                m.insert(key.clone(), render(&v));
            }
        }
    }
    out
}

/// Renders a scalar; list elements are sorted (order is unspecified in KQL).
fn render(v: &ScalarValue) -> String {
    match v {
        ScalarValue::List(l) => {
            if l.is_null(0) {
                return "null".into();
            }
            let vals = l.value(0);
            let mut items: Vec<String> = (0..vals.len())
                .map(|i| render(&ScalarValue::try_from_array(&vals, i).unwrap()))
                .collect();
            items.sort();
            format!("[{}]", items.join(","))
        }
        ScalarValue::Struct(s) => {
            let items: Vec<String> = (0..s.num_columns())
                .map(|i| render(&ScalarValue::try_from_array(s.column(i), 0).unwrap()))
                .collect();
            format!("{{{}}}", items.join(","))
        }
        v if v.is_null() => "null".into(),
        ScalarValue::Utf8(Some(s)) => format!("'{s}'"),
        other => other.to_string(),
    }
}

fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn lists_and_sets_grouped() {
    let r = run(
        true,
        false,
        vec![
            call(AggFn::MakeList, vec![col("x")]),
            call(AggFn::MakeSet, vec![col("x")]),
            call(AggFn::MakeListWithNulls, vec![col("x")]),
            call(AggFn::MakeList, vec![col("x"), lit(2i64)]),
        ],
    )
    .await;
    assert_eq!(
        r[0],
        m(&[("a", "[1,2,2,3,4]"), ("b", "[10,20]"), ("c", "[]")])
    );
    assert_eq!(
        r[1],
        m(&[("a", "[1,2,3,4]"), ("b", "[10,20]"), ("c", "[]")])
    );
    assert_eq!(
        r[2],
        m(&[
            ("a", "[1,2,2,3,4]"),
            ("b", "[10,20,null]"),
            ("c", "[null,null]")
        ])
    );
    // maxSize caps the list (which elements survive is unspecified)
    for v in r[3].values() {
        assert!(v.matches(',').count() <= 1, "{v}");
    }
}

// make_set_if/make_list_if with no matching row → [] (kql-semantics §5.1), also without
// grouping on an empty input (series-test-vectors O6).
#[tokio::test]
async fn filtered_and_empty_groups_give_empty_lists() {
    let r = run(
        true,
        false,
        vec![
            call(AggFn::MakeSet, vec![col("x")])
                .filter(col("x").gt(lit(1000)))
                .build()
                .unwrap(),
            call(AggFn::MakeList, vec![col("x")])
                .filter(col("x").gt(lit(1000)))
                .build()
                .unwrap(),
            call(AggFn::MakeBag, vec![col("bag")])
                .filter(col("x").gt(lit(1000)))
                .build()
                .unwrap(),
            call(AggFn::Dcount, vec![col("x")])
                .filter(col("x").gt(lit(1000)))
                .build()
                .unwrap(),
        ],
    )
    .await;
    assert_eq!(r[0], m(&[("a", "[]"), ("b", "[]"), ("c", "[]")]));
    assert_eq!(r[1], m(&[("a", "[]"), ("b", "[]"), ("c", "[]")]));
    assert_eq!(r[2], m(&[("a", "'[]'"), ("b", "'[]'"), ("c", "'[]'")]));
    assert_eq!(r[3], m(&[("a", "0"), ("b", "0"), ("c", "0")]));

    let r = run(
        false,
        true,
        vec![
            call(AggFn::MakeSet, vec![col("x")]),
            call(AggFn::MakeList, vec![col("x")]),
            call(AggFn::Dcount, vec![col("x")]),
            call(AggFn::Stdev, vec![col("x")]),
            call(AggFn::Variance, vec![col("x")]),
            call(AggFn::Avg, vec![col("x")]),
            call(AggFn::Percentile, vec![col("x"), lit(50)]),
            call(AggFn::ArgMax, vec![col("x"), col("s")]),
            call(AggFn::TakeAny, vec![col("s")]),
            call(AggFn::Percentiles, vec![col("x"), lit(5), lit(95)]),
        ],
    )
    .await;
    let only = |i: usize| r[i].get("").cloned().unwrap_or_default();
    assert_eq!(only(0), "[]");
    assert_eq!(only(1), "[]");
    assert_eq!(only(2), "0");
    assert_eq!(only(3), "0");
    assert_eq!(only(4), "0");
    assert_eq!(only(5), "NaN");
    assert_eq!(only(6), "null");
    assert_eq!(only(7), "{null,null}");
    assert_eq!(only(8), "null");
    assert_eq!(only(9), "[null,null]");
}

#[tokio::test]
async fn arg_max_min_take_any_grouped() {
    let r = run(
        true,
        false,
        vec![
            call(AggFn::ArgMax, vec![col("x"), col("s")]),
            call(AggFn::ArgMin, vec![col("x"), col("s")]),
            call(AggFn::TakeAny, vec![col("s")]),
            call(AggFn::TakeAny, vec![col("x"), col("s")]),
        ],
    )
    .await;
    assert_eq!(
        r[0],
        m(&[
            ("a", "{4,'four'}"),
            ("b", "{20,'twenty'}"),
            ("c", "{null,''}")
        ])
    );
    assert_eq!(
        r[1],
        m(&[("a", "{1,''}"), ("b", "{10,'ten'}"), ("c", "{null,''}")])
    );
    // take_any prefers a non-empty value when one exists
    assert_ne!(r[2]["a"], "''");
    assert_ne!(r[2]["b"], "''");
    assert_eq!(r[2]["c"], "''");
    // several columns come from one row
    let a = &r[3]["a"];
    assert!(
        [
            "{1,''}",
            "{2,'two'}",
            "{3,'three'}",
            "{4,'four'}",
            "{2,'dup'}"
        ]
        .contains(&a.as_str()),
        "{a}"
    );
}

// https://learn.microsoft.com/kusto/query/arg-max-aggregation-function (null handling)
#[tokio::test]
async fn arg_max_documented_null_handling() {
    let schema = Arc::new(Schema::new(vec![
        Field::new("Fruit", DataType::Utf8, false),
        Field::new("Color", DataType::Utf8, false),
        Field::new("Version", DataType::Int64, true),
    ]));
    let b = RecordBatch::try_new(
        Arc::clone(&schema),
        vec![
            Arc::new(StringArray::from(vec![
                "Apple", "Apple", "Banana", "Banana", "Pear", "Pear",
            ])),
            Arc::new(StringArray::from(vec![
                "Red", "Green", "Yellow", "Green", "Brown", "Green",
            ])),
            Arc::new(Int64Array::from(vec![
                Some(1),
                None,
                None,
                None,
                Some(1),
                Some(2),
            ])),
        ],
    )
    .unwrap();
    // one batch per partition keeps input order within partitions
    let t = MemTable::try_new(schema, vec![vec![b]]).unwrap();
    let ctx = ctx();
    let df = ctx
        .read_table(Arc::new(t))
        .unwrap()
        .aggregate(
            vec![ident("Fruit")],
            vec![call(AggFn::ArgMax, vec![ident("Version"), ident("Color")])],
        )
        .unwrap();
    let mut got = BTreeMap::new();
    for b in df.collect().await.unwrap() {
        for i in 0..b.num_rows() {
            got.insert(
                b.column(0).as_string::<i32>().value(i).to_string(),
                render(&ScalarValue::try_from_array(b.column(1), i).unwrap()),
            );
        }
    }
    assert_eq!(
        got,
        m(&[
            ("Apple", "{1,'Red'}"),
            ("Banana", "{null,'Yellow'}"),
            ("Pear", "{2,'Green'}")
        ])
    );
}

#[tokio::test]
async fn stats_percentiles_dcount_grouped() {
    let r = run(
        true,
        false,
        vec![
            call(AggFn::Dcount, vec![col("x")]),
            call(AggFn::Dcount, vec![col("x"), lit(4)]),
            call(AggFn::Percentile, vec![col("x"), lit(50)]),
            call(
                AggFn::Percentiles,
                vec![col("x"), lit(0), lit(50), lit(100)],
            ),
            call(AggFn::Variancep, vec![col("x")]),
            call(AggFn::Avg, vec![col("x")]),
            call(AggFn::Stdev, vec![col("x")]),
        ],
    )
    .await;
    assert_eq!(r[0], m(&[("a", "4"), ("b", "2"), ("c", "0")]));
    assert_eq!(r[1], r[0]);
    // a: 1,2,2,3,4 → rank ceil(2.5)=3 → 2
    assert_eq!(r[2], m(&[("a", "2"), ("b", "10"), ("c", "null")]));
    assert_eq!(
        r[3],
        m(&[
            ("a", "[1,2,4]"),
            ("b", "[10,10,20]"),
            ("c", "[null,null,null]")
        ])
    );
    assert_eq!(r[4]["b"], "25");
    assert_eq!(r[5], m(&[("a", "2.4"), ("b", "15"), ("c", "NaN")]));
    assert_eq!(r[6]["c"], "0");
}

#[tokio::test]
async fn dynamic_lists_and_bags() {
    let r = run(
        true,
        false,
        vec![
            call(AggFn::MakeBag, vec![col("bag")]),
            call(AggFn::MakeListDynamic, vec![col("bag")]),
            call(AggFn::MakeSetDynamic, vec![col("bag")]),
        ],
    )
    .await;
    // a: {"p":1},{"q":2},{"p":9} → p from one of its rows (first wins within a pass)
    let a = &r[0]["a"];
    assert!(
        a == "'{\"p\":1,\"q\":2}'" || a == "'{\"q\":2,\"p\":1}'" || a.contains("\"p\":9"),
        "{a}"
    );
    assert_eq!(r[0]["b"], "'{\"r\":[1,2]}'");
    assert_eq!(r[0]["c"], "'[]'");
    let b = &r[1]["b"];
    assert!(
        b == "'[5,{\"r\":[1,2]}]'" || b == "'[{\"r\":[1,2]},5]'",
        "{b}"
    );
    assert_eq!(r[1]["c"], "'[]'");
    assert_eq!(r[2]["c"], "'[]'");
}

// https://learn.microsoft.com/kusto/query/make-set-aggregation-function ("Set from array
// column": arrays are flattened)
#[tokio::test]
async fn make_set_flattens_arrays() {
    let mut acc = ListAcc::new(DataType::Utf8, MAX_LIST_SIZE, true, true, true);
    let mut b =
        datafusion::arrow::array::ListBuilder::new(datafusion::arrow::array::StringBuilder::new());
    for row in [
        vec!["A1", "A2", "A3"],
        vec!["A2", "C1"],
        vec!["C2", "A3"],
        vec!["C2", "A1"],
    ] {
        for x in row {
            b.values().append_value(x);
        }
        b.append(true);
    }
    let arr: ArrayRef = Arc::new(b.finish());
    acc.update_batch(&[arr]).unwrap();
    assert_eq!(
        render(&acc.evaluate().unwrap()),
        "['A1','A2','A3','C1','C2']"
    );
    let mut dynacc = DynListAcc::new(MAX_LIST_SIZE, true);
    let json: ArrayRef = Arc::new(StringArray::from(vec![
        r#"["A1","A2","A3"]"#,
        r#"["A2","C1"]"#,
        r#"["C2","A3"]"#,
        r#"["C2","A1"]"#,
    ]));
    dynacc.update_batch(&[json]).unwrap();
    assert_eq!(
        dynacc.evaluate().unwrap(),
        ScalarValue::Utf8(Some(r#"["A1","A2","A3","C1","C2"]"#.into()))
    );
}

// https://learn.microsoft.com/kusto/query/stdev-aggregation-function (stdev(1..5))
// https://learn.microsoft.com/kusto/query/percentiles-aggregation-function (nearest rank)
#[test]
fn stats_documented() {
    let x: ArrayRef = Arc::new(Float64Array::from(vec![1.0, 2.0, 3.0, 4.0, 5.0]));
    let mut s = StatsAcc::new(true, true);
    s.update_batch(std::slice::from_ref(&x)).unwrap();
    let ScalarValue::Float64(Some(v)) = s.evaluate().unwrap() else {
        panic!()
    };
    assert!((v - 1.58113883008419).abs() < 1e-12);
    // merging two partial states equals one pass
    let (l, r): (ArrayRef, ArrayRef) = (
        Arc::new(Float64Array::from(vec![1.0, 2.0])),
        Arc::new(Float64Array::from(vec![3.0, 4.0, 5.0])),
    );
    let mut p1 = StatsAcc::new(true, true);
    p1.update_batch(&[l]).unwrap();
    let mut p2 = StatsAcc::new(true, true);
    p2.update_batch(&[r]).unwrap();
    let st: Vec<ArrayRef> = p2
        .state()
        .unwrap()
        .iter()
        .map(|v| v.to_array().unwrap())
        .collect();
    p1.merge_batch(&st).unwrap();
    let ScalarValue::Float64(Some(v2)) = p1.evaluate().unwrap() else {
        panic!()
    };
    assert!((v2 - v).abs() < 1e-12);
    // kql-semantics §10: percentile(x, 50) of [1,2,3,4] is 2; 0 and 100 are min/max
    assert_eq!(nearest_rank(50.0, 4), 1);
    assert_eq!(nearest_rank(0.0, 4), 0);
    assert_eq!(nearest_rank(100.0, 4), 3);
    assert_eq!(nearest_rank(95.0, 20), 18);
    assert_eq!(nearest_rank(99.9, 1), 0);
    let mut p = PercentileAcc::new(DataType::Int64, vec![50.0], false);
    let v: ArrayRef = Arc::new(Int64Array::from(vec![4, 1, 3, 2]));
    p.update_batch(&[v]).unwrap();
    assert_eq!(p.evaluate().unwrap(), ScalarValue::Int64(Some(2)));
    // unverified against ADX: a single value → sample stdev/variance 0
    let one: ArrayRef = Arc::new(Float64Array::from(vec![7.0]));
    let mut s1 = StatsAcc::new(false, true);
    s1.update_batch(&[one]).unwrap();
    assert_eq!(s1.evaluate().unwrap(), ScalarValue::Float64(Some(0.0)));
}

#[test]
fn planning_errors() {
    let u = udaf(AggFn::Percentile);
    assert!(u.return_type(&[DataType::Utf8, DataType::Int64]).is_err());
    let u = udaf(AggFn::Stdev);
    assert!(u.return_type(&[DataType::Utf8]).is_err());
    let u = udaf(AggFn::MakeBag);
    assert!(u.return_type(&[DataType::Int64]).is_err());
    assert_eq!(
        udaf(AggFn::ArgMax)
            .return_type(&[DataType::Int64, DataType::Utf8])
            .unwrap(),
        DataType::Struct(struct_fields(&[DataType::Int64, DataType::Utf8]))
    );
}

#[tokio::test]
async fn non_literal_percentile_is_an_error() {
    let ctx = ctx();
    let df = ctx
        .read_table(table())
        .unwrap()
        .aggregate(
            vec![],
            vec![call(AggFn::Percentile, vec![col("x"), col("x")])],
        )
        .unwrap();
    assert!(df.collect().await.is_err());
}

/// Empty batches, empty/null states, odd JSON: no panics, empty values as documented.
#[test]
fn accumulators_survive_odd_input() {
    let empty_i64: ArrayRef = Arc::new(Int64Array::from(Vec::<Option<i64>>::new()));
    let nulls_i64: ArrayRef = Arc::new(Int64Array::from(vec![None, None]));
    let odd_json: ArrayRef = Arc::new(StringArray::from(vec![
        Some(""),
        Some("{"),
        Some("null"),
        Some("[1,[2,3],null]"),
        None,
        Some("\"s\""),
        Some(r#"{"k":1,"k2":{"x":[1]}}"#),
        Some(r#"{"k":2}"#),
    ]));
    let mut accs: Vec<(Box<dyn Accumulator>, ArrayRef)> = vec![
        (
            Box::new(ListAcc::new(DataType::Int64, 3, false, true, false)),
            Arc::clone(&nulls_i64),
        ),
        (
            Box::new(ListAcc::new(DataType::Int64, 0, true, true, false)),
            Arc::clone(&empty_i64),
        ),
        (
            Box::new(DcountAcc::new(DataType::Int64)),
            Arc::clone(&nulls_i64),
        ),
        (
            Box::new(PercentileAcc::new(DataType::Int64, vec![0.0, 100.0], true)),
            Arc::clone(&nulls_i64),
        ),
        (
            Box::new(ArgExtremeAcc::new(vec![DataType::Int64], true)),
            Arc::clone(&empty_i64),
        ),
        (
            Box::new(TakeAnyAcc::new(vec![DataType::Int64])),
            Arc::clone(&nulls_i64),
        ),
        (Box::new(DynListAcc::new(10, true)), Arc::clone(&odd_json)),
        (Box::new(DynListAcc::new(10, false)), Arc::clone(&odd_json)),
        (Box::new(BagAcc::new(10)), Arc::clone(&odd_json)),
    ];
    for (acc, input) in accs.iter_mut() {
        acc.update_batch(std::slice::from_ref(input)).unwrap();
        let state: Vec<ArrayRef> = acc
            .state()
            .unwrap()
            .iter()
            .map(|v| v.to_array().unwrap())
            .collect();
        // merging its own state and an empty slice of it must work
        acc.merge_batch(&state).unwrap();
        let empty: Vec<ArrayRef> = state.iter().map(|a| a.slice(0, 0)).collect();
        acc.merge_batch(&empty).unwrap();
        acc.evaluate().unwrap();
        assert!(acc.size() > 0);
    }
    let mut set = DynListAcc::new(10, true);
    set.update_batch(&[Arc::clone(&odd_json)]).unwrap();
    assert_eq!(
        set.evaluate().unwrap(),
        ScalarValue::Utf8(Some(
            r#"["","{",1,[2,3],"s",{"k":1,"k2":{"x":[1]}},{"k":2}]"#.into()
        ))
    );
    let mut bag = BagAcc::new(10);
    bag.update_batch(&[odd_json]).unwrap();
    assert_eq!(
        bag.evaluate().unwrap(),
        ScalarValue::Utf8(Some(r#"{"k":1,"k2":{"x":[1]}}"#.into()))
    );
}

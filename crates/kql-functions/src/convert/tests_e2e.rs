//! Tests through DataFusion's own machinery (type coercion, `return_field_from_args`,
//! constant folding, physical evaluation) and a no-panic fuzz over every UDF of the
//! `string`, `convert` and `dynamic` modules.

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, DurationNanosecondArray, Float64Array, Int32Array,
    Int64Array, ListArray, RecordBatch, StringArray, StringViewArray, TimestampNanosecondArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema};
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::logical_expr::simplify::SimplifyContext;
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarUDF, col, lit};
use datafusion::optimizer::simplify_expressions::ExprSimplifier;
use datafusion::prelude::SessionContext;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

fn batch() -> RecordBatch {
    let schema = Schema::new(vec![
        Field::new("s", DataType::Utf8, true),
        Field::new("v", DataType::Utf8View, true),
        Field::new("j", DataType::Utf8, true),
        Field::new("l", DataType::new_list(DataType::Int64, true), true),
        Field::new("ts", crate::convert::udfs::datetime_type(), true),
    ]);
    let l = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
        Some(vec![Some(1), Some(2)]),
        None,
        Some(vec![Some(7)]),
    ]);
    RecordBatch::try_new(
        Arc::new(schema),
        vec![
            Arc::new(StringArray::from(vec!["80,443", "a1b22", "North America"])),
            Arc::new(StringViewArray::from(vec!["North America", "amer", "TCP"])),
            Arc::new(StringArray::from(vec![Some("5"), None, Some("\"12\"")])),
            Arc::new(l),
            Arc::new(
                TimestampNanosecondArray::from(vec![
                    Some(0),
                    None,
                    Some(1_508_068_800_000_000_000),
                ])
                .with_timezone("UTC"),
            ),
        ],
    )
    .unwrap()
}

fn eval(e: Expr) -> ArrayRef {
    let b = batch();
    let schema = DFSchema::try_from(b.schema().as_ref().clone()).unwrap();
    let ctx = SessionContext::new();
    let p = ctx.state().create_physical_expr(e, &schema).unwrap();
    p.evaluate(&b).unwrap().into_array(b.num_rows()).unwrap()
}

fn call(udf: Arc<ScalarUDF>, args: Vec<Expr>) -> Expr {
    udf.call(args)
}

#[test]
fn coercion_and_typed_results() {
    use crate::dynamic::*;
    use crate::string::*;
    let r = eval(call(kql_has(), vec![col("v"), lit("america")]));
    let r = r.as_boolean();
    assert!(r.value(0) && !r.value(1) && !r.value(2));

    let r = eval(call(kql_split(), vec![col("s"), lit(",")]));
    assert_eq!(r.data_type(), &DataType::new_list(DataType::Utf8, true));
    assert_eq!(r.as_list::<i32>().value_length(0), 2);

    let r = eval(call(kql_extract_all(), vec![lit(r"(\d+)"), col("s")]));
    assert_eq!(r.data_type(), &DataType::new_list(DataType::Utf8, true));
    let r = eval(call(kql_extract_all(), vec![lit(r"(\d)(\d)"), col("s")]));
    assert_eq!(r.data_type(), &DataType::Utf8);

    let r = eval(call(kql_dynamic_to(), vec![col("j"), lit("long")]));
    let r = r.as_primitive::<Int64Type>();
    assert_eq!((r.value(0), r.is_null(1), r.value(2)), (5, true, 12));

    let r = eval(call(kql_dyn_get(), vec![col("l"), lit(-1i32)]));
    let r = r.as_primitive::<Int64Type>();
    assert_eq!((r.value(0), r.is_null(1), r.value(2)), (2, true, 7));

    let r = eval(call(crate::convert::kql_tostring(), vec![col("ts")]));
    let r = r.as_string::<i32>();
    assert_eq!(r.value(0), "1970-01-01T00:00:00.0000000Z");
    assert_eq!(r.value(1), "");

    let r = eval(call(kql_substring(), vec![col("v"), lit(1i32), lit(3i32)]));
    assert_eq!(r.as_string::<i32>().value(0), "ort");

    let r = eval(call(kql_array_length(), vec![col("l")]));
    let r = r.as_primitive::<Int64Type>();
    assert_eq!((r.value(0), r.is_null(1)), (2, true));
}

#[test]
fn constant_folding() {
    let b = batch();
    let schema = Arc::new(DFSchema::try_from(b.schema().as_ref().clone()).unwrap());
    let ctx = SimplifyContext::builder().with_schema(schema).build();
    let simplifier = ExprSimplifier::new(ctx);
    let e = call(crate::string::kql_trim_end(), vec![lit(".0"), lit("8080")]);
    let out = simplifier.simplify(e).unwrap();
    assert_eq!(out, lit("80"));
    let e = call(crate::dynamic::kql_parse_json(), vec![lit("{ \"a\" : 1 }")]);
    assert_eq!(simplifier.simplify(e).unwrap(), lit("{\"a\":1}"));
}

fn samples() -> Vec<ArrayRef> {
    let n = 8;
    let strs: Vec<Option<&str>> = vec![
        Some(""),
        Some("abc"),
        Some("日本語 ß İ"),
        Some("[1,\"a\",null,{\"b\":[2.5]}]"),
        Some("{\"a\":1,\"b\":{\"c\":\"x\"}}"),
        None,
        Some("-1"),
        Some("(a|b)*\\1[^"),
    ];
    let list = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
        Some(vec![Some(1), None, Some(i64::MAX)]),
        None,
        Some(vec![]),
        Some(vec![Some(-3)]),
        Some(vec![Some(0), Some(0)]),
        Some(vec![Some(i64::MIN)]),
        Some(vec![Some(5), Some(4), Some(3)]),
        None,
    ]);
    let slist = {
        let mut b = datafusion::arrow::array::ListBuilder::new(
            datafusion::arrow::array::StringBuilder::new(),
        );
        for k in 0..n {
            if k % 3 == 2 {
                b.append(false);
            } else {
                b.values().append_value(format!("x{k}"));
                b.values().append_null();
                b.append(true);
            }
        }
        b.finish()
    };
    let view: StringViewArray = strs.iter().copied().collect();
    let large: datafusion::arrow::array::LargeStringArray = strs.iter().copied().rev().collect();
    vec![
        Arc::new(view),
        Arc::new(large),
        Arc::new(StringArray::from(strs)),
        Arc::new(Int64Array::from(vec![
            Some(0),
            Some(-1),
            Some(i64::MAX),
            Some(i64::MIN),
            None,
            Some(3),
            Some(100),
            Some(-7),
        ])),
        Arc::new(Int32Array::from(vec![
            Some(0),
            Some(-256),
            Some(i32::MAX),
            Some(i32::MIN),
            None,
            Some(2),
            Some(1),
            Some(-1),
        ])),
        Arc::new(Float64Array::from(vec![
            Some(f64::NAN),
            Some(f64::INFINITY),
            Some(-0.0),
            Some(1e300),
            None,
            Some(2.5),
            Some(-2.7),
            Some(f64::MIN_POSITIVE),
        ])),
        Arc::new(BooleanArray::from(vec![
            Some(true),
            None,
            Some(false),
            Some(true),
            Some(false),
            None,
            Some(true),
            Some(false),
        ])),
        Arc::new(
            TimestampNanosecondArray::from(vec![
                Some(0),
                Some(i64::MIN),
                Some(i64::MAX),
                None,
                Some(-1),
                Some(1),
                Some(99),
                Some(100),
            ])
            .with_timezone("UTC"),
        ),
        Arc::new(DurationNanosecondArray::from(vec![
            Some(0),
            Some(i64::MIN),
            Some(i64::MAX),
            None,
            Some(-1),
            Some(1),
            Some(99),
            Some(100),
        ])),
        Arc::new(list),
        Arc::new(slist),
    ]
}

/// Every UDF, every arity 1..=3 over every combination of sample columns (plus a few
/// longer calls and scalar arguments): results may be errors but never panics, and the
/// result length and type match what DataFusion was promised.
#[test]
fn fuzz_no_panics() {
    let udfs: Vec<Arc<ScalarUDF>> = crate::string::scalar_udfs()
        .into_iter()
        .chain(crate::convert::scalar_udfs())
        .chain(crate::dynamic::scalar_udfs())
        .collect();
    let cols = samples();
    let k = cols.len();
    let mut calls = 0usize;
    for udf in &udfs {
        for arity in 1..=5usize {
            let combos: Vec<Vec<usize>> = match arity {
                1 => (0..k).map(|a| vec![a]).collect(),
                2 => (0..k)
                    .flat_map(|a| (0..k).map(move |b| vec![a, b]))
                    .collect(),
                3 => (0..k)
                    .flat_map(|a| {
                        (0..k)
                            .flat_map(move |b| [0, 2, 3, 9].into_iter().map(move |c| vec![a, b, c]))
                    })
                    .collect(),
                _ => (0..k)
                    .map(|a| vec![a; arity])
                    .chain([vec![0, 1, 1, 1, 1][..arity].to_vec()])
                    .collect(),
            };
            for combo in combos {
                for scalar_mask in [0u32, 0b10, 0b111] {
                    let args: Vec<ColumnarValue> = combo
                        .iter()
                        .enumerate()
                        .map(|(pos, &c)| {
                            if scalar_mask & (1 << pos) != 0 {
                                ColumnarValue::Scalar(
                                    ScalarValue::try_from_array(&cols[c], 1).unwrap(),
                                )
                            } else {
                                ColumnarValue::Array(Arc::clone(&cols[c]))
                            }
                        })
                        .collect();
                    let types: Vec<DataType> = args.iter().map(|a| a.data_type()).collect();
                    if udf.coerce_types(&types).is_err() {
                        continue;
                    }
                    calls += 1;
                    let res = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        crate::common::invoke_udf(udf, args.clone())
                    }));
                    match res {
                        Err(_) => panic!("{} panicked on {:?}", udf.name(), types),
                        Ok(Ok(arr)) => {
                            let rows = if args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)))
                            {
                                1
                            } else {
                                8
                            };
                            assert_eq!(arr.len(), rows, "{} {:?}", udf.name(), types);
                        }
                        Ok(Err(_)) => {}
                    }
                }
            }
        }
    }
    assert!(calls > 10_000, "{calls}");
}

/// Pseudo-random strings over a character set rich in separators, digits and multi-byte
/// characters, fed to every plain-Rust parser and string kernel.
#[test]
fn fuzz_plain_functions() {
    let alphabet: Vec<char> = "09aZ:./\\-+ T%u{}[]\"'=&?#@,é日ßİ\t\n$()*|^"
        .chars()
        .collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..20_000 {
        let len = (next() % 24) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let t: String = s.chars().rev().take(3).collect();
        let x = next() as i64 % 40 - 20;
        let y = next() as i64 % 40 - 20;
        let _ = crate::convert::parse::parse_datetime(&s);
        let _ = crate::convert::parse::parse_timespan(&s);
        let _ = crate::convert::parse::parse_long(&s);
        let _ = crate::convert::parse::parse_real(&s);
        let _ = crate::convert::parse::parse_guid(&s);
        let _ = crate::convert::parse::parse_decimal(&s, 18);
        let _ = crate::string::parse_url(&s);
        let _ = crate::string::parse_urlquery(&s);
        let _ = crate::string::parse_path(&s);
        let _ = crate::string::parse_command_line_windows(&s);
        let _ = crate::string::url_decode(&s);
        let _ = crate::string::base64_decode(&s);
        let _ = crate::string::has(&s, &t, true);
        let _ = crate::string::hasprefix(&s, &t, false);
        let _ = crate::string::hassuffix(&s, &t, true);
        let _ = crate::string::contains(&s, &t, true);
        let _ = crate::string::substring(&s, x, Some(y));
        let _ = crate::string::indexof(&s, &t, x, y, 1);
        let _ = crate::string::translate(&t, &s, &s);
        let _ = crate::string::to_lower(&s);
        let _ = crate::string::to_upper(&s);
        let _ = crate::string::countof_plain(&s, &t);
        let v = crate::dynamic::json::parse_json_lenient(&s);
        let _ = crate::dynamic::json::display_value(&v);
        let _ = crate::dynamic::mv_expand_elements(&v, true);
        let _ = crate::dynamic::parse_json_path(&s);
        let _ = crate::convert::format::format_real(f64::from_bits(next()));
        let _ = crate::convert::format::format_datetime(next() as i64);
        let _ = crate::convert::format::format_timespan(next() as i64);
    }
}

/// The FUNCTIONS tables list exactly the registered UDFs.
#[test]
fn function_tables_match_registry() {
    use std::collections::BTreeSet;
    let registered: BTreeSet<String> = crate::string::scalar_udfs()
        .into_iter()
        .chain(crate::convert::scalar_udfs())
        .chain(crate::dynamic::scalar_udfs())
        .map(|u| u.name().to_string())
        .collect();
    let documented: BTreeSet<String> = crate::string::FUNCTIONS
        .iter()
        .chain(crate::convert::FUNCTIONS)
        .chain(crate::dynamic::FUNCTIONS)
        .map(|f| f.udf.to_string())
        .collect();
    assert_eq!(registered, documented);
    assert!(registered.iter().all(|n| n.starts_with("kql_")));
    let all = crate::scalar_udfs();
    for name in &registered {
        assert_eq!(all.iter().filter(|u| u.name() == name).count(), 1, "{name}");
    }
}

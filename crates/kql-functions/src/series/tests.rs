//! Unit tests of the series UDFs through `invoke_udf` (DataFusion's calling convention).

// published numbers are kept with all their printed digits
#![allow(clippy::excessive_precision)]

use super::*;
use crate::common::invoke_udf;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Int32Array, Int64Array, ListArray,
    StringArray, StructArray,
};
use datafusion::arrow::datatypes::{Float64Type, Int32Type, Int64Type};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::ColumnarValue;

fn udf(kql: &str) -> ScalarUDF {
    ScalarUDF::new_from_impl(SeriesUdf::new(kql).expect(kql))
}

fn f64_lists(rows: Vec<Option<Vec<Option<f64>>>>) -> ColumnarValue {
    ColumnarValue::Array(Arc::new(
        ListArray::from_iter_primitive::<Float64Type, _, _>(rows),
    ))
}

fn f64_series(v: &[f64]) -> ColumnarValue {
    f64_lists(vec![Some(v.iter().map(|x| Some(*x)).collect())])
}

fn i64_series(v: &[i64]) -> ColumnarValue {
    ColumnarValue::Array(Arc::new(ListArray::from_iter_primitive::<Int64Type, _, _>(
        vec![Some(v.iter().map(|x| Some(*x)).collect::<Vec<_>>())],
    )))
}

fn lit_f(v: f64) -> ColumnarValue {
    ColumnarValue::Scalar(ScalarValue::Float64(Some(v)))
}
fn lit_i(v: i64) -> ColumnarValue {
    ColumnarValue::Scalar(ScalarValue::Int64(Some(v)))
}
fn lit_s(v: &str) -> ColumnarValue {
    ColumnarValue::Scalar(ScalarValue::Utf8(Some(v.to_string())))
}

fn list_row_f64(a: &ArrayRef, row: usize) -> Vec<f64> {
    let l = a.as_list::<i32>();
    let v = l.value(row);
    v.as_primitive::<Float64Type>().values().to_vec()
}

fn field<'a>(s: &'a StructArray, name: &str) -> &'a ArrayRef {
    s.column_by_name(name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn every_udf_is_named_kql_and_types_check() {
    let udfs = scalar_udfs();
    assert_eq!(udfs.len(), kql_names().count());
    for u in &udfs {
        assert!(u.name().starts_with("kql_"), "{}", u.name());
        let kql = &u.name()[4..];
        let inner = SeriesUdf::new(kql).unwrap();
        let mut types = vec![DataType::new_list(DataType::Float64, true)];
        while types.len() < inner.min_args {
            types.push(match inner.func {
                SeriesFn::DotProduct
                | SeriesFn::CosineSimilarity
                | SeriesFn::PearsonCorrelation => DataType::new_list(DataType::Float64, true),
                _ => DataType::Float64,
            });
        }
        let rt = u
            .return_type(&types)
            .unwrap_or_else(|e| panic!("{kql}: {e}"));
        if let Some(members) = series_output_members(kql) {
            let DataType::Struct(fields) = &rt else {
                panic!("{kql}: {rt}")
            };
            let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
            assert_eq!(names, members, "{kql}");
        }
    }
    assert_eq!(
        series_output_members("kql_series_decompose_anomalies"),
        Some(&["ad_flag", "ad_score", "baseline"][..])
    );
    assert_eq!(series_output_members("series_outliers"), None);
    assert_eq!(
        series_output_members("series_fit_2lines").map(|m| m.len()),
        Some(15)
    );
}

/// S6b of series-test-vectors.md (DERIVED) through the UDF with all 7 arguments, on
/// `List<Int64>` counts like make-series produces.
#[test]
fn decompose_anomalies_udf_all_args_and_long_elements() {
    let y = [5, 7, 6, 8, 7, 9, 8, 10, 9, 11, 10, 30, 12, 14];
    let out = invoke_udf(
        &udf("series_decompose_anomalies"),
        vec![
            i64_series(&y),
            lit_f(2.5),
            lit_i(0),
            lit_s("linefit"),
            lit_i(0),
            lit_s("ctukey"),
            lit_f(0.6),
        ],
    )
    .unwrap();
    let s = out.as_struct();
    let flags = field(s, "ad_flag").as_list::<i32>().value(0);
    assert_eq!(
        flags.as_primitive::<Int64Type>().values().to_vec(),
        vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    );
    let score = list_row_f64(field(s, "ad_score"), 0);
    assert!((score[11] - 8.0975965076).abs() < 1e-9);
    let base = list_row_f64(field(s, "baseline"), 0);
    assert!((base[0] - 4.3714285714).abs() < 1e-9);
    // trailing optional arguments may be omitted: defaults (1.5, -1, 'avg', 0, 'ctukey', 0.6)
    let short = invoke_udf(&udf("series_decompose_anomalies"), vec![i64_series(&y)]).unwrap();
    let full = invoke_udf(
        &udf("series_decompose_anomalies"),
        vec![
            i64_series(&y),
            lit_f(1.5),
            lit_i(-1),
            lit_s("avg"),
            lit_i(0),
            lit_s("ctukey"),
            lit_f(0.6),
        ],
    )
    .unwrap();
    assert_eq!(&short, &full);
}

#[test]
fn null_series_gives_null_and_null_elements_are_nan() {
    let s = f64_lists(vec![None, Some(vec![Some(1.0), None, Some(3.0)])]);
    let out = invoke_udf(&udf("series_fit_line"), vec![s.clone()]).unwrap();
    assert!(out.is_null(0));
    assert!(!out.is_null(1));
    let rs = field(out.as_struct(), "slope").as_primitive::<Float64Type>();
    assert!(rs.value(1).is_nan());
    let out = invoke_udf(&udf("series_outliers"), vec![s]).unwrap();
    assert!(out.is_null(0));
    let sc = list_row_f64(&out, 1);
    // null scores 0; [1, 3] gives p10 = 1.2, p90 = 2.8 so both values are outside
    assert_eq!(sc[1], 0.0);
    assert!(sc[0] < 0.0 && sc[2] > 0.0, "{sc:?}");
}

/// S1 (ADX) through the UDF, input as dynamic JSON text.
#[test]
fn outliers_udf_json_input_adx_vector() {
    let json = "[-3, 2.4, 15, 3.9, 5, 6, 4.5, 5.2, 3, 4, 5, 16, 7, 5, 5, 4]";
    let out = invoke_udf(
        &udf("series_outliers"),
        vec![ColumnarValue::Scalar(ScalarValue::Utf8(Some(json.into())))],
    )
    .unwrap();
    let got = list_row_f64(&out, 0);
    assert!((got[0] + 1.9040785483608571).abs() < 1e-12);
    assert!((got[11] - 1.6702443406674186).abs() < 1e-12);
    // a JSON value that is not an array is a null series
    let out = invoke_udf(&udf("series_outliers"), vec![lit_s("{\"a\":1}")]).unwrap();
    assert!(out.is_null(0));
}

#[test]
fn periods_and_seasonal_udfs() {
    let y60: Vec<f64> = [
        80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61, 50,
        54, 47, 133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103, 189, 108,
        183, 113, 175, 113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121, 178, 114, 170,
    ]
    .iter()
    .map(|&v| v as f64)
    .collect();
    let out = invoke_udf(
        &udf("series_periods_detect"),
        vec![f64_series(&y60), lit_f(0.0), lit_f(50.0), lit_i(2)],
    )
    .unwrap();
    let s = out.as_struct();
    assert_eq!(list_row_f64(field(s, "periods"), 0), vec![14.0, 0.0]);
    let sc = list_row_f64(field(s, "scores"), 0);
    assert!(sc[0] >= 0.84 && sc[0] < 0.85);
    let out = invoke_udf(
        &udf("series_periods_validate"),
        vec![f64_series(&y60), lit_f(14.0), lit_f(10.0)],
    )
    .unwrap();
    let s = out.as_struct();
    assert_eq!(list_row_f64(field(s, "periods"), 0), vec![14.0, 10.0]);
    assert_eq!(list_row_f64(field(s, "scores"), 0)[1], 0.0);
    let out = invoke_udf(
        &udf("series_seasonal"),
        vec![
            f64_series(&[1., 3., 5., 2., 4., 6., 1., 3., 5., 2., 4., 6.]),
            lit_i(3),
        ],
    )
    .unwrap();
    assert_eq!(list_row_f64(&out, 0), [1.5, 3.5, 5.5].repeat(4));
}

/// S5 (ADX): fill functions keep the element type (Int64, Int32, Float64).
#[test]
fn fill_udfs_preserve_element_type() {
    let ints: Vec<Option<i64>> = vec![
        None,
        Some(111),
        None,
        Some(36),
        Some(41),
        None,
        None,
        Some(16),
        Some(61),
        Some(33),
        None,
        None,
    ];
    let arr = ColumnarValue::Array(Arc::new(ListArray::from_iter_primitive::<Int64Type, _, _>(
        vec![Some(ints.clone())],
    )));
    let out = invoke_udf(&udf("series_fill_linear"), vec![arr.clone()]).unwrap();
    assert_eq!(out.data_type(), &DataType::new_list(DataType::Int64, true));
    let v = out.as_list::<i32>().value(0);
    assert_eq!(
        v.as_primitive::<Int64Type>().values().to_vec(),
        vec![111, 111, 73, 36, 41, 32, 24, 16, 61, 33, 33, 33]
    );
    let out = invoke_udf(
        &udf("series_fill_linear"),
        vec![
            arr.clone(),
            ColumnarValue::Scalar(ScalarValue::Float64(None)),
            ColumnarValue::Scalar(ScalarValue::Boolean(Some(false))),
        ],
    )
    .unwrap();
    let v = out.as_list::<i32>().value(0);
    let v = v.as_primitive::<Int64Type>();
    assert!(v.is_null(0) && v.is_null(11) && v.value(2) == 73);
    let out = invoke_udf(&udf("series_fill_const"), vec![arr.clone(), lit_i(-1)]).unwrap();
    let v = out.as_list::<i32>().value(0);
    assert_eq!(v.as_primitive::<Int64Type>().value(0), -1);
    let i32s: Vec<Option<i32>> = ints.iter().map(|v| v.map(|x| x as i32)).collect();
    let arr32 = ColumnarValue::Array(Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(
        vec![Some(i32s)],
    )));
    let out = invoke_udf(&udf("series_fill_forward"), vec![arr32]).unwrap();
    assert_eq!(out.data_type(), &DataType::new_list(DataType::Int32, true));
    let v = out.as_list::<i32>().value(0);
    let v = v.as_primitive::<Int32Type>();
    assert!(v.is_null(0));
    assert_eq!(v.value(2), 111);
    let reals = f64_lists(vec![Some(vec![
        Some(111.0),
        None,
        Some(36.0),
        Some(41.0),
        None,
        None,
        Some(16.0),
        Some(61.0),
        Some(33.0),
        None,
        None,
    ])]);
    let out = invoke_udf(&udf("series_fill_backward"), vec![reals]).unwrap();
    let v = out.as_list::<i32>().value(0);
    let v = v.as_primitive::<Float64Type>();
    assert_eq!(v.value(1), 36.0);
    assert!(v.is_null(10));
}

#[test]
fn elementwise_udfs() {
    let a = f64_series(&[1.0, 2.0, 4.0]);
    let b = f64_series(&[4.0, 2.0]);
    let out = invoke_udf(&udf("series_add"), vec![a.clone(), b.clone()]).unwrap();
    let v = out.as_list::<i32>().value(0);
    let v = v.as_primitive::<Float64Type>();
    assert_eq!((v.value(0), v.value(1)), (5.0, 4.0));
    assert!(
        v.is_null(2),
        "missing element of the shorter series gives null"
    );
    let out = invoke_udf(&udf("series_multiply"), vec![a.clone(), lit_i(2)]).unwrap();
    assert_eq!(list_row_f64(&out, 0), vec![2.0, 4.0, 8.0]);
    let out = invoke_udf(&udf("series_divide"), vec![i64_series(&[1, 2]), lit_i(2)]).unwrap();
    assert_eq!(list_row_f64(&out, 0), vec![0.5, 1.0]);
    let out = invoke_udf(&udf("series_greater"), vec![a.clone(), lit_f(1.5)]).unwrap();
    let v = out.as_list::<i32>().value(0);
    let v: &BooleanArray = v.as_boolean();
    assert_eq!(
        v.iter().collect::<Vec<_>>(),
        vec![Some(false), Some(true), Some(true)]
    );
    let out = invoke_udf(&udf("series_sign"), vec![f64_series(&[-6.0, 0.0, 8.0])]).unwrap();
    assert_eq!(list_row_f64(&out, 0), vec![-1.0, 0.0, 1.0]);
    let out = invoke_udf(&udf("series_abs"), vec![f64_series(&[-6.5, 0.0, 8.2])]).unwrap();
    assert_eq!(list_row_f64(&out, 0), vec![6.5, 0.0, 8.2]);
    let out = invoke_udf(
        &udf("series_magnitude"),
        vec![f64_series(&[1.0, 2.0, 3.0, 4.0])],
    )
    .unwrap();
    let m = out
        .as_any()
        .downcast_ref::<Float64Array>()
        .unwrap()
        .value(0);
    assert!((m - 5.477225575051661).abs() < 1e-12);
    let out = invoke_udf(
        &udf("series_pearson_correlation"),
        vec![a.clone(), f64_series(&[2.0, 4.0, 8.0])],
    )
    .unwrap();
    assert!(
        (out.as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .value(0)
            - 1.0)
            .abs()
            < 1e-12
    );
}

/// `series_stats` (ADX docs example) as a struct and as a JSON bag.
#[test]
fn stats_udfs() {
    let x = i64_series(&[23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]);
    let out = invoke_udf(&udf("series_stats"), vec![x.clone()]).unwrap();
    let s = out.as_struct();
    assert_eq!(
        field(s, "min_idx")
            .as_any()
            .downcast_ref::<Int64Array>()
            .unwrap()
            .value(0),
        8
    );
    assert_eq!(field(s, "max").as_primitive::<Float64Type>().value(0), 87.0);
    assert!(
        (field(s, "variance").as_primitive::<Float64Type>().value(0) - 812.457142857143).abs()
            < 1e-9
    );
    let out = invoke_udf(&udf("series_stats_dynamic"), vec![x]).unwrap();
    let text = out
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
        .value(0)
        .to_string();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["len"], 15);
    assert_eq!(v["sum"], 492.0);
    assert_eq!(v["min_idx"], 8);
}

#[test]
fn fir_iir_fit_udfs() {
    let out = invoke_udf(
        &udf("series_iir"),
        vec![
            f64_series(&[1.0, 2.0, 3.0, 4.0]),
            lit_s("[1]"),
            lit_s("[1,-1]"),
        ],
    )
    .unwrap();
    assert_eq!(list_row_f64(&out, 0), vec![1.0, 3.0, 6.0, 10.0]);
    let filter = ColumnarValue::Scalar(ScalarValue::List(ScalarValue::new_list_nullable(
        &[
            ScalarValue::Float64(Some(1.0)),
            ScalarValue::Float64(Some(1.0)),
        ],
        &DataType::Float64,
    )));
    let out = invoke_udf(
        &udf("series_fir"),
        vec![f64_series(&[2.0, 4.0, 6.0]), filter],
    )
    .unwrap();
    assert_eq!(list_row_f64(&out, 0), vec![1.0, 3.0, 5.0]);
    let out = invoke_udf(
        &udf("series_fit_line"),
        vec![f64_series(&[
            2., 5., 6., 8., 11., 15., 17., 18., 25., 26., 30., 30.,
        ])],
    )
    .unwrap();
    let s = out.as_struct();
    assert!(
        (field(s, "slope").as_primitive::<Float64Type>().value(0) - 2.7307692307692313).abs()
            < 1e-12
    );
    let out = invoke_udf(
        &udf("series_fit_2lines"),
        vec![f64_series(&[1., 2., 3., 4., 10., 8., 6., 4.])],
    )
    .unwrap();
    let s = out.as_struct();
    assert_eq!(
        field(s, "split_idx")
            .as_any()
            .downcast_ref::<Int64Array>()
            .unwrap()
            .value(0),
        4
    );
    assert!((field(s, "rsquare").as_primitive::<Float64Type>().value(0) - 1.0).abs() < 1e-12);
    let out = invoke_udf(
        &udf("series_fit_line_dynamic"),
        vec![f64_series(&[1., 2., 3.])],
    )
    .unwrap();
    let text = out
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
        .value(0)
        .to_string();
    assert!(text.starts_with("{\"rsquare\":1.0,\"slope\":1.0"), "{text}");
}

#[test]
fn invalid_parameters_are_errors_and_per_row_parameters_work() {
    let e = invoke_udf(
        &udf("series_decompose"),
        vec![f64_series(&[1.0, 2.0]), lit_i(-1), lit_s("bogus")],
    )
    .unwrap_err();
    assert!(e.to_string().contains("trend"), "{e}");
    let e = invoke_udf(
        &udf("series_outliers"),
        vec![f64_series(&[1.0]), lit_s("ctukey"), lit_f(0.0), lit_f(1.0)],
    )
    .unwrap_err();
    assert!(e.to_string().contains("min_percentile"), "{e}");
    assert!(
        udf("series_fit_line")
            .return_type(&[DataType::Int64])
            .is_err()
    );
    assert!(
        udf("series_decompose_anomalies")
            .return_type(&vec![DataType::new_list(DataType::Float64, true); 8])
            .is_err()
    );
    // per-row seasonality column
    let s = f64_lists(vec![
        Some([1., 3., 5., 1., 3., 5.].iter().map(|v| Some(*v)).collect()),
        Some([1., 3., 5., 1., 3., 5.].iter().map(|v| Some(*v)).collect()),
    ]);
    let periods = ColumnarValue::Array(Arc::new(Int64Array::from(vec![3, 0])));
    let out = invoke_udf(&udf("series_seasonal"), vec![s, periods]).unwrap();
    assert_eq!(list_row_f64(&out, 0), vec![1., 3., 5., 1., 3., 5.]);
    assert_eq!(list_row_f64(&out, 1), vec![0.0; 6]);
    let _ = Int32Array::from(vec![1]);
}

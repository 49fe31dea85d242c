//! Published vectors of `../shared/spec/series-test-vectors.md` (numbers copied here with
//! their citation so the test needs nothing at run time).
//!
//! Grades: ADX = produced by ADX and published by Microsoft (hard assertions at 1e-9
//! relative, or the printed precision); ADX-rounded = printed with few digits (stated
//! tolerance); DERIVED = computed from the documented algorithm, never seen in ADX — these
//! are regression tests of our own interpretation, named `unverified_*`.

// Published numbers are kept verbatim (all printed digits), and 3.14159 is the docs' literal.
#![allow(clippy::excessive_precision, clippy::approx_constant)]

use crate::{assert_all_close, close};
use kql_series::*;

const N: Option<f64> = None;

// ---------------------------------------------------------------- S1 series_outliers (ADX)
/// S1: maintainer answer on Stack Overflow (Jan 2023), default ctukey 10/90.
#[test]
fn s1_outliers_ctukey_adx() {
    let input = [
        -3.0, 2.4, 15.0, 3.9, 5.0, 6.0, 4.5, 5.2, 3.0, 4.0, 5.0, 16.0, 7.0, 5.0, 5.0, 4.0,
    ];
    let exp = [
        -1.9040785483608571,
        -0.10021466044004519,
        1.3361954725339347,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        1.6702443406674186,
        0.0,
        0.0,
        0.0,
        0.0,
    ];
    let got = series_outliers(&input, "ctukey", None, 10.0, 90.0, 0).unwrap();
    assert_all_close("S1", &got, &exp, 1e-9, 0.0);
}

/// S1 with kind='tukey' — DERIVED (assumes F = 1 for 25/75).
#[test]
fn unverified_s1_outliers_tukey() {
    let input = [
        -3.0, 2.4, 15.0, 3.9, 5.0, 6.0, 4.5, 5.2, 3.0, 4.0, 5.0, 16.0, 7.0, 5.0, 5.0, 4.0,
    ];
    let exp = [
        -4.894736842105262,
        -1.1052631578947367,
        6.736842105263157,
        -0.05263157894736854,
        0.0,
        0.42105263157894707,
        0.0,
        0.0,
        -0.6842105263157894,
        0.0,
        0.0,
        7.438596491228068,
        1.1228070175438591,
        0.0,
        0.0,
        0.0,
    ];
    let got = series_outliers(&input, "tukey", None, 10.0, 90.0, 0).unwrap();
    assert_all_close("S1 tukey", &got, &exp, 1e-9, 1e-15);
}

// ---------------------------------------------------------------- S2 series_fit_line
/// S2: docs example (ADX-rounded, tolerance 1e-3; `3.7945` is a doc typo for 3.7949).
#[test]
fn s2_fit_line_adx_rounded() {
    let y = [
        2.0, 5.0, 6.0, 8.0, 11.0, 15.0, 17.0, 18.0, 25.0, 26.0, 30.0, 30.0,
    ];
    let f = series_fit_line(&y);
    assert!((f.rsquare - 0.982).abs() < 1e-3);
    assert!((f.slope - 2.730).abs() < 1e-3);
    assert!((f.variance - 98.628).abs() < 1e-3);
    assert!((f.rvariance - 1.686).abs() < 1e-3);
    assert!((f.interception + 1.666).abs() < 1e-3);
    let doc = [
        1.064, 3.7945, 6.526, 9.256, 11.987, 14.718, 17.449, 20.180, 22.910, 25.641, 28.371, 31.102,
    ];
    assert_all_close("S2 line_fit", &f.line_fit, &doc, 0.0, 1e-3);
    // full precision of the same formula (series-test-vectors.md S2)
    assert!(close(f.rsquare, 0.982900730884447, 1e-9, 0.0));
    assert!(close(f.slope, 2.7307692307692313, 1e-9, 0.0));
    assert!(close(f.variance, 98.62878787878786, 1e-9, 0.0));
    assert!(close(f.rvariance, 1.6864801864801868, 1e-9, 0.0));
    assert!(close(f.interception, -1.6666666666666714, 1e-9, 0.0));
}

// ---------------------------------------------------------------- S3 periods (ADX-rounded)
const Y60: [f64; 60] = [
    80.0, 139.0, 87.0, 110.0, 68.0, 54.0, 50.0, 51.0, 53.0, 133.0, 86.0, 141.0, 97.0, 156.0, 94.0,
    149.0, 95.0, 140.0, 77.0, 61.0, 50.0, 54.0, 47.0, 133.0, 72.0, 152.0, 94.0, 148.0, 105.0,
    162.0, 101.0, 160.0, 87.0, 63.0, 53.0, 55.0, 54.0, 151.0, 103.0, 189.0, 108.0, 183.0, 113.0,
    175.0, 113.0, 178.0, 90.0, 71.0, 62.0, 62.0, 65.0, 165.0, 109.0, 181.0, 115.0, 182.0, 121.0,
    178.0, 114.0, 170.0,
];

/// S3: docs, `series_periods_detect(y60, 0.0, 50.0, 2)` → periods [14, 0], score 0.84….
#[test]
fn s3_periods_detect_adx_rounded() {
    let p = series_periods_detect(&Y60, 0.0, 50.0, 2).unwrap();
    assert_eq!(p.periods, vec![14.0, 0.0]);
    assert!(p.scores[0] >= 0.84 && p.scores[0] < 0.85, "{:?}", p.scores);
    assert_eq!(p.scores[1], 0.0);
    // our reconstruction's exact value (regression)
    assert!(close(p.scores[0], 0.8412007805647531, 1e-9, 0.0));
}

/// S3: docs, `series_periods_validate(y60, 14.0, 10.0)` → [0.84, 0.0].
#[test]
fn s3_periods_validate_adx_rounded() {
    let p = series_periods_validate(&Y60, &[14.0, 10.0]).unwrap();
    assert_eq!(p.periods, vec![14.0, 10.0]);
    assert!(p.scores[0] >= 0.84 && p.scores[0] < 0.85);
    assert_eq!(p.scores[1], 0.0);
}

// ---------------------------------------------------------------- S4 series_seasonal (ADX)
fn rep(block: &[f64], times: usize, tail: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = (0..times).flat_map(|_| block.iter().copied()).collect();
    v.extend_from_slice(tail);
    v
}

/// S4 rows 1-3: docs, autodetection with threshold 0.7.
#[test]
fn s4_seasonal_autodetect_adx() {
    let s1 = [
        2., 5., 3., 4., 3., 2., 1., 2., 3., 4., 3., 2., 1., 2., 3., 4., 3., 2., 1., 2., 3., 4., 3.,
        2., 1.,
    ];
    assert_eq!(
        series_seasonal(&s1, -1, 0).unwrap(),
        rep(&[1., 2., 3., 4., 3., 2.], 4, &[1.])
    );
    let s2 = [
        8., 12., 14., 12., 10., 10., 12., 14., 12., 10., 10., 12., 14., 12., 10., 10., 12., 14.,
        12., 10.,
    ];
    assert_eq!(
        series_seasonal(&s2, -1, 0).unwrap(),
        rep(&[10., 12., 14., 12., 10.], 4, &[])
    );
    let s3 = [1., 3., 5., 2., 4., 6., 1., 3., 5., 2., 4., 6.];
    assert_eq!(series_seasonal(&s3, -1, 0).unwrap(), vec![0.0; 12]);
}

/// S4 rows 4-5: docs, explicit period 3.
#[test]
fn s4_seasonal_explicit_adx() {
    let a = [1., 3., 5., 1., 3., 5., 2., 4., 6.];
    assert_eq!(
        series_seasonal(&a, 3, 0).unwrap(),
        rep(&[1., 3., 5.], 3, &[])
    );
    let b = [1., 3., 5., 2., 4., 6., 1., 3., 5., 2., 4., 6.];
    assert_eq!(
        series_seasonal(&b, 3, 0).unwrap(),
        rep(&[1.5, 3.5, 5.5], 4, &[])
    );
}

// ---------------------------------------------------------------- S5 fill functions (ADX)
/// S5: docs, `series_fill_forward`.
#[test]
fn s5_fill_forward_adx() {
    let s = [
        N,
        N,
        Some(36.0),
        Some(41.0),
        N,
        N,
        Some(16.0),
        Some(61.0),
        Some(33.0),
        N,
        N,
    ];
    let exp = [
        N,
        N,
        Some(36.0),
        Some(41.0),
        Some(41.0),
        Some(41.0),
        Some(16.0),
        Some(61.0),
        Some(33.0),
        Some(33.0),
        Some(33.0),
    ];
    assert_eq!(series_fill_forward(&s, None), exp);
}

/// S5: docs, `series_fill_backward`.
#[test]
fn s5_fill_backward_adx() {
    let s = [
        Some(111.0),
        N,
        Some(36.0),
        Some(41.0),
        N,
        N,
        Some(16.0),
        Some(61.0),
        Some(33.0),
        N,
        N,
    ];
    let exp = [
        Some(111.0),
        Some(36.0),
        Some(36.0),
        Some(41.0),
        Some(16.0),
        Some(16.0),
        Some(16.0),
        Some(61.0),
        Some(33.0),
        N,
        N,
    ];
    assert_eq!(series_fill_backward(&s, None), exp);
}

/// S5: docs, `series_fill_const` with 0.0 and -1 (integer elements).
#[test]
fn s5_fill_const_adx() {
    let s: Vec<Option<i64>> = vec![
        Some(111),
        None,
        Some(36),
        Some(41),
        Some(23),
        None,
        Some(16),
        Some(61),
        Some(33),
        None,
        None,
    ];
    let exp: Vec<Option<i64>> = vec![
        Some(111),
        Some(-1),
        Some(36),
        Some(41),
        Some(23),
        Some(-1),
        Some(16),
        Some(61),
        Some(33),
        Some(-1),
        Some(-1),
    ];
    assert_eq!(series_fill_const(&s, Some(-1), None), exp);
    let sf: Vec<Option<f64>> = s.iter().map(|v| v.map(|x| x as f64)).collect();
    let got = series_fill_const(&sf, Some(0.0), None);
    let expf: Vec<Option<f64>> = exp
        .iter()
        .map(|v| v.map(|x| if x == -1 { 0.0 } else { x as f64 }))
        .collect();
    assert_eq!(got, expf);
}

/// S5: docs, `series_fill_linear` table (reals, ints, all-null). The integer row's
/// `with_const` column is a documentation error and is not asserted.
#[test]
fn s5_fill_linear_adx() {
    let r = [
        N,
        Some(111.0),
        N,
        Some(36.0),
        Some(41.0),
        N,
        N,
        Some(16.0),
        Some(61.0),
        Some(33.0),
        N,
        N,
    ];
    let full = [
        111.0,
        111.0,
        73.5,
        36.0,
        41.0,
        98.0 / 3.0,
        73.0 / 3.0,
        16.0,
        61.0,
        33.0,
        33.0,
        33.0,
    ];
    for (edges, c) in [(true, Some(0.0)), (true, Some(3.14159))] {
        let got: Vec<f64> = series_fill_linear(&r, None, edges, c)
            .into_iter()
            .map(|v| v.unwrap())
            .collect();
        assert_all_close("fill_linear real", &got, &full, 1e-12, 0.0);
        // the doc prints 32.667 / 24.333
        assert!((got[5] - 32.667).abs() < 5e-4 && (got[6] - 24.333).abs() < 5e-4);
    }
    let no_edges = series_fill_linear(&r, None, false, Some(0.0));
    assert_eq!(no_edges[0], None);
    assert_eq!(no_edges[10], None);
    assert_eq!(no_edges[11], None);
    assert_eq!(no_edges[2], Some(73.5));

    let i: Vec<Option<i64>> = vec![
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
    let exp_i: Vec<Option<i64>> = [111, 111, 73, 36, 41, 32, 24, 16, 61, 33, 33, 33]
        .iter()
        .map(|&v| Some(v))
        .collect();
    assert_eq!(series_fill_linear(&i, None, true, Some(0)), exp_i);
    let mut exp_i_ne = exp_i.clone();
    exp_i_ne[0] = None;
    exp_i_ne[10] = None;
    exp_i_ne[11] = None;
    assert_eq!(series_fill_linear(&i, None, false, Some(0)), exp_i_ne);

    let all_null: Vec<Option<f64>> = vec![None; 4];
    assert_eq!(
        series_fill_linear(&all_null, None, true, Some(0.0)),
        vec![Some(0.0); 4]
    );
    assert_eq!(
        series_fill_linear(&all_null, None, false, Some(0.0)),
        vec![Some(0.0); 4]
    );
    assert_eq!(
        series_fill_linear(&all_null, None, true, Some(3.14159)),
        vec![Some(3.14159); 4]
    );
}

// ---------------------------------------------------------------- S6 decompose (DERIVED)
/// S6a — DERIVED (no deterministic ADX example exists): unverified regression test.
#[test]
fn unverified_s6a_decompose_period3_avg() {
    let y = [
        10., 20., 30., 12., 22., 32., 11., 21., 31., 50., 20., 30., 13., 23., 33.,
    ];
    let d = series_decompose(&y, 3, "avg", 0, 0.6).unwrap();
    assert_all_close(
        "S6a seasonal",
        &d.seasonal,
        &rep(&[12., 21., 31.], 5, &[]),
        1e-9,
        0.0,
    );
    assert_all_close("S6a trend", &d.trend, &[2.5333333333; 15], 1e-9, 0.0);
    assert_all_close(
        "S6a baseline",
        &d.baseline,
        &rep(&[14.5333333333, 23.5333333333, 33.5333333333], 5, &[]),
        1e-9,
        0.0,
    );
    let res = [
        -4.5333333333,
        -3.5333333333,
        -3.5333333333,
        -2.5333333333,
        -1.5333333333,
        -1.5333333333,
        -3.5333333333,
        -2.5333333333,
        -2.5333333333,
        35.4666666667,
        -3.5333333333,
        -3.5333333333,
        -1.5333333333,
        -0.5333333333,
        -0.5333333333,
    ];
    assert_all_close("S6a residual", &d.residual, &res, 1e-9, 1e-10);
    let a = series_decompose_anomalies(&y, 1.5, 3, "avg", 0, "ctukey", 0.6).unwrap();
    assert_eq!(a.ad_flag, vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    let mut score = [0.0; 15];
    score[0] = -0.9242018685;
    score[9] = 33.2712672661;
    assert_all_close("S6a ad_score", &a.ad_score, &score, 1e-9, 1e-10);
}

/// S6b — DERIVED: the target query's shape (linefit, no seasonality, threshold 2.5).
#[test]
fn unverified_s6b_anomalies_linefit() {
    let y = [5., 7., 6., 8., 7., 9., 8., 10., 9., 11., 10., 30., 12., 14.];
    let a = series_decompose_anomalies(&y, 2.5, 0, "linefit", 0, "ctukey", 0.6).unwrap();
    assert_eq!(a.ad_flag, vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    let score = [
        0.,
        0.1505157938,
        0.,
        0.,
        0.,
        0.,
        0.,
        0.,
        0.,
        0.,
        -0.2059219468,
        8.0975965076,
        -0.1267702996,
        0.,
    ];
    assert_all_close("S6b ad_score", &a.ad_score, &score, 1e-9, 1e-10);
    let base = [
        4.3714285714,
        5.3032967033,
        6.2351648352,
        7.167032967,
        8.0989010989,
        9.0307692308,
        9.9626373626,
        10.8945054945,
        11.8263736264,
        12.7582417582,
        13.6901098901,
        14.621978022,
        15.5538461538,
        16.4857142857,
    ];
    assert_all_close("S6b baseline", &a.baseline, &base, 1e-9, 1e-10);
}

/// S6c — DERIVED: forecast with period 4 and linefit.
#[test]
fn unverified_s6c_forecast() {
    let y = [
        1., 2., 3., 4., 2., 3., 4., 5., 3., 4., 5., 6., 0., 0., 0., 0.,
    ];
    let f = series_decompose_forecast(&y, 4, 4, "linefit", 0.6).unwrap();
    let exp = [
        0.7692307692,
        1.993006993,
        3.2167832168,
        4.4405594406,
        1.6643356643,
        2.8881118881,
        4.1118881119,
        5.3356643357,
        2.5594405594,
        3.7832167832,
        5.006993007,
        6.2307692308,
        3.4545454545,
        4.6783216783,
        5.9020979021,
        7.1258741259,
    ];
    assert_all_close("S6c", &f, &exp, 1e-9, 1e-10);
}

// ---------------------------------------------------------------- series_stats (ADX docs)
/// `series_stats` / `series_stats_dynamic` documentation example (ADX output printed on
/// Microsoft Learn): min 2 @8, max 87 @3, avg 32.8, stdev 28.503633853548269,
/// variance 812.45714285714291, sum 492, len 15.
#[test]
fn series_stats_docs_example_adx() {
    let x = [
        23., 46., 23., 87., 4., 8., 3., 75., 2., 56., 13., 75., 32., 16., 29.,
    ];
    let s = series_stats(&x, false);
    assert_eq!(s.min, Some(2.0));
    assert_eq!(s.min_idx, Some(8));
    assert_eq!(s.max, Some(87.0));
    assert_eq!(s.max_idx, Some(3));
    assert!(close(s.avg.unwrap(), 32.8, 1e-12, 0.0));
    assert!(close(s.stdev.unwrap(), 28.503633853548269, 1e-12, 0.0));
    assert!(close(s.variance.unwrap(), 812.45714285714291, 1e-12, 0.0));
    assert_eq!(s.sum, Some(492.0));
    assert_eq!(s.len, 15);
}

// ---------------------------------------------------------------- series_iir (ADX docs)
/// `series_iir` documentation example: cumulative sum with numerators [1], denominators
/// [1, -1]: 1, 3, 6, 10, …; and the `vector_sum` example: [0,1,2,3,4] → last = 10.
#[test]
fn series_iir_docs_example_adx() {
    let x: Vec<f64> = (1..=10).map(|v| v as f64).collect();
    let y = series_iir(&x, &[1.0], &[1.0, -1.0]).unwrap();
    let exp: Vec<f64> = (1..=10).map(|k| (k * (k + 1) / 2) as f64).collect();
    assert_eq!(y, exp);
    let y = series_iir(&[0., 1., 2., 3., 4.], &[1.0], &[1.0, -1.0]).unwrap();
    assert_eq!(y[4], 10.0);
}

/// `series_fir` documentation: a 5-point moving average (`[1,1,1,1,1]`, normalize) delays a
/// peak by 2 bins; `center=true` keeps it in place. `[1,-1]` gives the difference with the
/// preceding point.
#[test]
fn series_fir_docs_behaviour() {
    let val = [
        0., 0., 0., 0., 0., 0., 0., 0., 0., 10., 20., 40., 100., 40., 20., 10., 0., 0., 0., 0., 0.,
        0., 0., 0.,
    ];
    let ma = series_fir(&val, &[1.0; 5], None, false).unwrap();
    let argmax = |v: &[f64]| {
        v.iter()
            .enumerate()
            .fold(0, |b, (i, x)| if *x > v[b] { i } else { b })
    };
    assert_eq!(argmax(&ma), 14);
    assert!(close(ma[14], 44.0, 1e-12, 0.0));
    let mc = series_fir(&val, &[1.0; 5], Some(true), true).unwrap();
    assert_eq!(argmax(&mc), 12);
    let diff = series_fir(&[1., 3., 6., 10.], &[1.0, -1.0], Some(false), false).unwrap();
    assert_eq!(diff, vec![1., 2., 3., 4.]);
    // default normalize is false when the filter has a negative coefficient
    assert_eq!(
        series_fir(&[1., 3., 6., 10.], &[1.0, -1.0], None, false).unwrap(),
        diff
    );
    // normalize=true with a negative coefficient → null
    assert_eq!(series_fir(&[1., 3.], &[1.0, -1.0], Some(true), false), None);
}

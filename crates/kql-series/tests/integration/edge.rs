//! Edge cases we define ourselves (ADX behaviour unknown): nothing may panic, and the
//! results below are our documented choices.

use kql_series::*;

fn inputs() -> Vec<Vec<f64>> {
    vec![
        vec![],
        vec![1.0],
        vec![1.0, 2.0],
        vec![3.0, 1.0, 2.0],
        vec![f64::NAN; 5],
        vec![7.0; 20],
        vec![1e300, -1e300, 1e300, 5.0, 1e308, -1e308, 0.0, 1.0],
        vec![
            f64::INFINITY,
            1.0,
            2.0,
            f64::NEG_INFINITY,
            3.0,
            4.0,
            5.0,
            6.0,
            7.0,
        ],
        (0..50)
            .map(|i| {
                if i % 7 == 3 {
                    f64::NAN
                } else {
                    (i as f64).sin()
                }
            })
            .collect(),
    ]
}

#[test]
fn nothing_panics_on_degenerate_inputs() {
    for y in inputs() {
        for kind in ["ctukey", "tukey"] {
            for tp in [0, 1, 3, 100] {
                let _ = series_outliers(&y, kind, Some(1.0), 5.0, 95.0, tp).unwrap();
                for trend in ["avg", "linefit", "none"] {
                    for seas in [-1, 0, 1, 2, 3, 4, 7, 1000] {
                        let a = series_decompose_anomalies(&y, 1.5, seas, trend, tp, kind, 0.6)
                            .unwrap();
                        assert_eq!(a.ad_flag.len(), y.len());
                        let d = series_decompose(&y, seas, trend, tp, 0.6).unwrap();
                        assert_eq!(d.residual.len(), y.len());
                        let f = series_decompose_forecast(&y, tp, seas, trend, 0.6).unwrap();
                        assert_eq!(f.len(), y.len());
                    }
                }
            }
        }
        let _ = series_fit_line(&y);
        let f2 = series_fit_2lines(&y);
        assert_eq!(f2.line_fit.len(), y.len());
        for (lo, hi, k) in [
            (0.0, 50.0, 2),
            (f64::NAN, f64::NAN, 3),
            (-5.0, 1e9, 0),
            (10.0, 2.0, 1),
        ] {
            let p = series_periods_detect(&y, lo, hi, k).unwrap();
            assert_eq!(p.periods.len(), k as usize);
        }
        let _ = series_periods_validate(&y, &[f64::NAN, 4.0, 4.5, -3.0, 1e300]).unwrap();
        for p in [-1, 0, 1, 3, 100] {
            assert_eq!(series_seasonal(&y, p, 0).unwrap().len(), y.len());
        }
        let _ = series_stats(&y, true);
        let _ = series_stats(&y, false);
        let _ = series_fir(&y, &[1.0, 2.0, 3.0], None, true);
        let _ = series_iir(&y, &[1.0, 0.5], &[1.0, -0.9]);
        let opt: Vec<Option<f64>> = y
            .iter()
            .map(|v| if v.is_nan() { None } else { Some(*v) })
            .collect();
        let _ = series_fill_linear(&opt, None, true, Some(0.0));
        let _ = series_fill_forward(&opt, Some(1.0));
    }
}

#[test]
fn invalid_parameters_are_errors() {
    let y = [1.0, 2.0, 3.0];
    assert!(series_outliers(&y, "bogus", None, 10.0, 90.0, 0).is_err());
    assert!(series_outliers(&y, "ctukey", None, 1.0, 90.0, 0).is_err());
    assert!(series_outliers(&y, "ctukey", None, 10.0, 99.0, 0).is_err());
    assert!(series_outliers(&y, "ctukey", None, 60.0, 40.0, 0).is_err());
    assert!(series_outliers(&y, "ctukey", None, 10.0, 90.0, -1).is_err());
    // tukey ignores the percentiles
    assert!(series_outliers(&y, "tukey", None, 1.0, 99.0, 0).is_ok());
    assert!(series_decompose(&y, -1, "linear", 0, 0.6).is_err());
    assert!(series_decompose(&y, -1, "avg", -2, 0.6).is_err());
    assert!(series_decompose_anomalies(&y, 1.5, -1, "avg", 0, "iqr", 0.6).is_err());
    assert!(series_decompose_forecast(&y, -1, -1, "avg", 0.6).is_err());
    assert!(series_periods_detect(&y, 0.0, 10.0, -1).is_err());
    assert!(series_periods_validate(&y, &[]).is_err());
    assert!(series_periods_validate(&y, &[4.0; 17]).is_err());
    assert!(series_seasonal(&y, 3, -1).is_err());
    let e = series_decompose(&y, -1, "linear", 0, 0.6).unwrap_err();
    assert!(e.to_string().contains("trend"), "{e}");
}

/// Our choices where ADX's behaviour is unknown (UNVERIFIED).
#[test]
fn unverified_defined_edge_behaviour() {
    // constant series: IQR = 0 → 0 inside, ±inf outside (the reference's behaviour)
    let s = series_outliers(&[5.0; 10], "ctukey", None, 10.0, 90.0, 0).unwrap();
    assert_eq!(s, vec![0.0; 10]);
    let s = series_outliers(&[5.0; 10], "ctukey", None, 10.0, 90.0, 2).unwrap();
    assert_eq!(s, vec![0.0; 10]);
    let s = series_outliers(&[5.0, 5.0, 5.0, 9.0], "ctukey", None, 10.0, 90.0, 1).unwrap();
    assert_eq!(s, vec![0.0, 0.0, 0.0, f64::INFINITY]);
    // nulls score 0, ignore_val scores 0
    let s = series_outliers(
        &[f64::NAN, 1.0, 2.0, 100.0],
        "ctukey",
        Some(100.0),
        10.0,
        90.0,
        0,
    )
    .unwrap();
    assert_eq!(s[0], 0.0);
    assert_eq!(s[3], 0.0);
    // a huge explicit period neither allocates nor panics: every phase has one value
    let s = series_seasonal(&[1.0, 2.0, 3.0], i64::MAX, 0).unwrap();
    assert_eq!(s, vec![1.0, 2.0, 3.0]);
    let d = series_decompose(&[1.0, 2.0, 3.0], 1_000_000_000_000, "none", 0, 0.6).unwrap();
    assert_eq!(d.seasonal, vec![1.0, 2.0, 3.0]);
    // fit_line: n = 1, constant, empty
    let f = series_fit_line(&[4.0]);
    assert_eq!(
        (f.slope, f.interception, f.variance, f.rvariance),
        (0.0, 4.0, 0.0, 0.0)
    );
    assert!(f.rsquare.is_nan());
    let f = series_fit_line(&[3.0; 5]);
    assert!(f.rsquare.is_nan());
    assert_eq!(f.slope, 0.0);
    let f = series_fit_line(&[]);
    assert!(f.line_fit.is_empty() && f.interception.is_nan());
    // decompose with every point a test point: nothing to learn from → NaN trend
    let d = series_decompose(&[1.0, 2.0, 3.0], -1, "avg", 3, 0.6).unwrap();
    assert!(d.trend.iter().all(|v| v.is_nan()));
    let a = series_decompose_anomalies(&[1.0, 2.0, 3.0], 1.5, -1, "avg", 5, "ctukey", 0.6).unwrap();
    assert_eq!(a.ad_flag, vec![0, 0, 0]);
    assert_eq!(a.ad_score, vec![0.0, 0.0, 0.0]);
    // periods on empty / NaN input: zeros
    let p = series_periods_detect(&[], 0.0, 10.0, 2).unwrap();
    assert_eq!((p.periods, p.scores), (vec![0.0, 0.0], vec![0.0, 0.0]));
    // stats
    assert_eq!(series_stats(&[1.0, f64::NAN], false).avg, None);
    assert_eq!(series_stats(&[1.0, f64::NAN, 3.0], true).avg, Some(2.0));
    assert_eq!(series_stats(&[f64::NAN, 3.0, 1.0], true).min_idx, Some(2));
    assert_eq!(series_stats(&[], false).min, None);
    assert_eq!(series_stats(&[2.0], false).variance, Some(0.0));
    // fill with a non-null placeholder keeps leading placeholders
    let s = series_fill_forward(&[Some(0i64), Some(3), Some(0), Some(4)], Some(0));
    assert_eq!(s, vec![Some(0), Some(3), Some(3), Some(4)]);
    // fir/iir invalid filters → null
    assert_eq!(series_fir(&[1.0], &[], None, false), None);
    assert_eq!(series_iir(&[1.0], &[1.0], &[0.0, 1.0]), None);
    assert_eq!(series_iir(&[1.0], &[], &[1.0]), None);
}

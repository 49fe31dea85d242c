//! Property tests against the numpy prototype `series_reference.py` (and, for the four
//! functions it does not cover, the LOCAL numpy references of `generate.py`).
//!
//! The JSON fixtures are committed data produced by `tests/fixtures/generate.py` (fixed
//! seed, ≥ 200 random series per function: random walks, seasonal + trend + noise + spikes,
//! Poisson counts, constant series, lengths 1–3, series with nulls, varied parameters).
//! Comparison: 1e-9 relative with an absolute floor of 1e-9 × the series' magnitude
//! (fixtures keep 11 significant digits); flags, periods and indexes exactly.

use crate::close;
use kql_series::*;
use serde_json::Value;

const REL: f64 = 1e-9;

fn load(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    assert!(cases.len() >= 200, "{name}: only {} cases", cases.len());
    cases
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) if s == "Infinity" => f64::INFINITY,
        Value::String(s) if s == "-Infinity" => f64::NEG_INFINITY,
        _ => f64::NAN, // "NaN" and null
    }
}

fn arr(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(num).collect())
        .unwrap_or_default()
}

fn opt_arr(v: &Value) -> Vec<Option<f64>> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| if x.is_null() { None } else { Some(num(x)) })
                .collect()
        })
        .unwrap_or_default()
}

/// Magnitude used for the absolute floor: max |finite input|, at least 1.
fn scale(y: &[f64]) -> f64 {
    y.iter()
        .filter(|v| v.is_finite())
        .fold(1.0, |m, v| m.max(v.abs()))
}

#[track_caller]
fn check_arr(ctx: &str, got: &[f64], exp: &[f64], abs: f64) {
    assert_eq!(got.len(), exp.len(), "{ctx}: length");
    for (i, (g, e)) in got.iter().zip(exp).enumerate() {
        assert!(close(*g, *e, REL, abs), "{ctx}[{i}]: got {g}, expected {e}");
    }
}

#[track_caller]
fn check_num(ctx: &str, got: f64, exp: f64, abs: f64) {
    assert!(
        close(got, exp, REL, abs),
        "{ctx}: got {got}, expected {exp}"
    );
}

/// Cases on which the reference raised (recorded by generate.py with `kind = "empty"`).
fn is_ref_error(c: &Value) -> bool {
    c["kind"] == "empty" && c["ref_error"].is_string()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| num(v) as i64)
}

#[test]
fn fit_line_matches_reference() {
    for (k, c) in load("series_fit_line").iter().enumerate() {
        let y = arr(&c["args"]["series"]);
        let e = &c["expected"];
        let f = series_fit_line(&y);
        let ctx = format!("fit_line case {k} {y:?}");
        let a = 1e-9 * scale(&y);
        check_num(
            &format!("{ctx} rsquare"),
            f.rsquare,
            num(&e["rsquare"]),
            1e-9,
        );
        check_num(&format!("{ctx} slope"), f.slope, num(&e["slope"]), a);
        check_num(
            &format!("{ctx} variance"),
            f.variance,
            num(&e["variance"]),
            1e-12 * scale(&y).powi(2),
        );
        check_num(
            &format!("{ctx} rvariance"),
            f.rvariance,
            num(&e["rvariance"]),
            1e-12 * scale(&y).powi(2),
        );
        check_num(
            &format!("{ctx} interception"),
            f.interception,
            num(&e["interception"]),
            a,
        );
        check_arr(
            &format!("{ctx} line_fit"),
            &f.line_fit,
            &arr(&e["line_fit"]),
            a,
        );
    }
}

#[test]
fn outliers_match_reference() {
    for (k, c) in load("series_outliers").iter().enumerate() {
        let a = &c["args"];
        let y = arr(&a["series"]);
        let ignore = if a["ignore_val"].is_null() {
            None
        } else {
            Some(num(&a["ignore_val"]))
        };
        let got = series_outliers(
            &y,
            s(&a["kind"]),
            ignore,
            num(&a["min_pct"]),
            num(&a["max_pct"]),
            int(&a["test_points"]),
        )
        .unwrap();
        check_arr(
            &format!("outliers case {k} {a}"),
            &got,
            &arr(&c["expected"]),
            1e-7,
        );
    }
}

#[test]
fn seasonal_matches_reference() {
    for (k, c) in load("series_seasonal").iter().enumerate() {
        if is_ref_error(c) {
            // the reference raises on the empty series (numpy FFT of nothing); ours: empty
            assert_eq!(series_seasonal(&[], -1, 0).unwrap(), Vec::<f64>::new());
            continue;
        }
        let a = &c["args"];
        let y = arr(&a["series"]);
        let got = series_seasonal(&y, int(&a["period"]), int(&a["test_points"])).unwrap();
        check_arr(
            &format!("seasonal case {k} {a}"),
            &got,
            &arr(&c["expected"]),
            1e-9 * scale(&y),
        );
    }
}

#[test]
fn periods_detect_matches_reference() {
    for (k, c) in load("series_periods_detect").iter().enumerate() {
        if is_ref_error(c) {
            // the reference raises on the empty series; ours: zero-padded, no period
            let p = series_periods_detect(&[], 0.0, 10.0, 2).unwrap();
            assert_eq!((p.periods, p.scores), (vec![0.0, 0.0], vec![0.0, 0.0]));
            continue;
        }
        let a = &c["args"];
        let y = arr(&a["series"]);
        let p = series_periods_detect(
            &y,
            num(&a["min_period"]),
            num(&a["max_period"]),
            int(&a["num_periods"]),
        )
        .unwrap();
        let ctx = format!("periods_detect case {k} {a}");
        assert_eq!(p.periods, arr(&c["expected"]["periods"]), "{ctx}");
        check_arr(&ctx, &p.scores, &arr(&c["expected"]["scores"]), 1e-9);
    }
}

#[test]
fn periods_validate_matches_reference() {
    for (k, c) in load("series_periods_validate").iter().enumerate() {
        let a = &c["args"];
        let y = arr(&a["series"]);
        let ps = arr(&a["periods"]);
        let p = series_periods_validate(&y, &ps).unwrap();
        let ctx = format!("periods_validate case {k} {a}");
        assert_eq!(p.periods, ps, "{ctx}");
        check_arr(&ctx, &p.scores, &arr(&c["expected"]["scores"]), 1e-9);
    }
}

#[test]
fn decompose_matches_reference() {
    for (k, c) in load("series_decompose").iter().enumerate() {
        if is_ref_error(c) {
            // the reference raises on the empty series; ours: four empty arrays
            let d = series_decompose(&[], -1, "avg", 0, 0.6).unwrap();
            assert!(
                d.baseline.is_empty()
                    && d.seasonal.is_empty()
                    && d.trend.is_empty()
                    && d.residual.is_empty()
            );
            continue;
        }
        let a = &c["args"];
        let y = arr(&a["series"]);
        let d = series_decompose(
            &y,
            int(&a["seasonality"]),
            s(&a["trend"]),
            int(&a["test_points"]),
            num(&a["seasonality_threshold"]),
        )
        .unwrap();
        let ctx = format!("decompose case {k} {a}");
        let abs = 1e-9 * scale(&y);
        let seasonal = arr(&c["expected"]["seasonal"]);
        let trend = arr(&c["expected"]["trend"]);
        let baseline: Vec<f64> = seasonal.iter().zip(&trend).map(|(s, t)| s + t).collect();
        let residual: Vec<f64> = y.iter().zip(&baseline).map(|(v, b)| v - b).collect();
        check_arr(&format!("{ctx} seasonal"), &d.seasonal, &seasonal, abs);
        check_arr(&format!("{ctx} trend"), &d.trend, &trend, abs);
        check_arr(&format!("{ctx} baseline"), &d.baseline, &baseline, abs);
        check_arr(&format!("{ctx} residual"), &d.residual, &residual, abs);
    }
}

#[test]
fn decompose_anomalies_match_reference() {
    for (k, c) in load("series_decompose_anomalies").iter().enumerate() {
        if is_ref_error(c) {
            // the reference raises on the empty series; ours: empty arrays
            let a = series_decompose_anomalies(&[], 1.5, -1, "avg", 0, "ctukey", 0.6).unwrap();
            assert!(a.ad_flag.is_empty() && a.ad_score.is_empty() && a.baseline.is_empty());
            continue;
        }
        let a = &c["args"];
        let y = arr(&a["series"]);
        let r = series_decompose_anomalies(
            &y,
            num(&a["threshold"]),
            int(&a["seasonality"]),
            s(&a["trend"]),
            int(&a["test_points"]),
            s(&a["ad_method"]),
            num(&a["seasonality_threshold"]),
        )
        .unwrap();
        let ctx = format!("anomalies case {k} {a}");
        let e = &c["expected"];
        let flags: Vec<i64> = e["ad_flag"]
            .as_array()
            .map(|v| v.iter().map(int).collect())
            .unwrap_or_default();
        assert_eq!(r.ad_flag, flags, "{ctx}");
        check_arr(
            &format!("{ctx} ad_score"),
            &r.ad_score,
            &arr(&e["ad_score"]),
            1e-7,
        );
        check_arr(
            &format!("{ctx} baseline"),
            &r.baseline,
            &arr(&e["baseline"]),
            1e-9 * scale(&y),
        );
    }
}

#[test]
fn decompose_forecast_matches_reference() {
    for (k, c) in load("series_decompose_forecast").iter().enumerate() {
        let a = &c["args"];
        let y = arr(&a["series"]);
        let f = series_decompose_forecast(
            &y,
            int(&a["points"]),
            int(&a["seasonality"]),
            s(&a["trend"]),
            num(&a["seasonality_threshold"]),
        )
        .unwrap();
        check_arr(
            &format!("forecast case {k} {a}"),
            &f,
            &arr(&c["expected"]),
            1e-9 * scale(&y),
        );
    }
}

fn to_i64(v: &[Option<f64>]) -> Vec<Option<i64>> {
    v.iter().map(|x| x.map(|f| f as i64)).collect()
}

#[test]
fn fill_functions_match_reference() {
    let cases = load("series_fill");
    for f in ["forward", "backward", "const", "linear"] {
        let n = cases.iter().filter(|c| c["args"]["function"] == f).count();
        assert!(n >= 200, "series_fill_{f}: only {n} cases");
    }
    for (k, c) in cases.iter().enumerate() {
        let a = &c["args"];
        let series = opt_arr(&a["series"]);
        let exp = opt_arr(&c["expected"]);
        let ints = a["ints"].as_bool().unwrap_or(false);
        let constant = if a["constant"].is_null() {
            None
        } else {
            Some(num(&a["constant"]))
        };
        let edges = a["fill_edges"].as_bool().unwrap_or(true);
        let ctx = format!("fill case {k} {a}");
        if ints {
            let si = to_i64(&series);
            let ci = constant.map(|v| v as i64);
            let got = match s(&a["function"]) {
                "forward" => series_fill_forward(&si, None),
                "backward" => series_fill_backward(&si, None),
                "const" => series_fill_const(&si, ci, None),
                _ => series_fill_linear(&si, None, edges, ci),
            };
            assert_eq!(got, to_i64(&exp), "{ctx}");
        } else {
            let got = match s(&a["function"]) {
                "forward" => series_fill_forward(&series, None),
                "backward" => series_fill_backward(&series, None),
                "const" => series_fill_const(&series, constant, None),
                _ => series_fill_linear(&series, None, edges, constant),
            };
            assert_eq!(got.len(), exp.len(), "{ctx}");
            for (i, (g, e)) in got.iter().zip(&exp).enumerate() {
                match (g, e) {
                    (Some(g), Some(e)) => {
                        assert!(close(*g, *e, REL, 1e-9), "{ctx}[{i}] {g} vs {e}")
                    }
                    (None, None) => {}
                    _ => panic!("{ctx}[{i}]: {g:?} vs {e:?}"),
                }
            }
        }
    }
}

fn opt_num(v: &Value) -> Option<f64> {
    if v.is_null() { None } else { Some(num(v)) }
}

#[test]
fn stats_match_local_reference() {
    for (k, c) in load("series_stats").iter().enumerate() {
        let a = &c["args"];
        let y = arr(&a["series"]);
        let st = series_stats(&y, a["ignore_nonfinite"].as_bool().unwrap_or(false));
        let e = &c["expected"];
        let ctx = format!("stats case {k} {a}");
        let abs = 1e-9 * scale(&y);
        let pairs = [
            ("min", st.min),
            ("max", st.max),
            ("avg", st.avg),
            ("stdev", st.stdev),
            ("variance", st.variance),
            ("sum", st.sum),
        ];
        for (name, got) in pairs {
            match (got, opt_num(&e[name])) {
                (Some(g), Some(x)) => {
                    let floor = if name == "variance" {
                        1e-12 * scale(&y).powi(2)
                    } else {
                        abs
                    };
                    check_num(&format!("{ctx} {name}"), g, x, floor)
                }
                (None, None) => {}
                (g, x) => panic!("{ctx} {name}: {g:?} vs {x:?}"),
            }
        }
        assert_eq!(st.min_idx, e["min_idx"].as_i64(), "{ctx}");
        assert_eq!(st.max_idx, e["max_idx"].as_i64(), "{ctx}");
        assert_eq!(st.len, int(&e["len"]), "{ctx}");
    }
}

#[test]
fn fir_matches_local_reference() {
    for (k, c) in load("series_fir").iter().enumerate() {
        let a = &c["args"];
        let y = arr(&a["series"]);
        let got = series_fir(
            &y,
            &arr(&a["filter"]),
            a["normalize"].as_bool(),
            a["center"].as_bool().unwrap_or(false),
        );
        let ctx = format!("fir case {k} {a}");
        match (got, c["expected"].is_null()) {
            (None, true) => {}
            (Some(g), false) => check_arr(&ctx, &g, &arr(&c["expected"]), 1e-9 * scale(&y)),
            (g, _) => panic!("{ctx}: got {g:?}, expected {}", c["expected"]),
        }
    }
}

#[test]
fn iir_matches_local_reference() {
    for (k, c) in load("series_iir").iter().enumerate() {
        let a = &c["args"];
        let y = arr(&a["series"]);
        let got = series_iir(&y, &arr(&a["numerators"]), &arr(&a["denominators"]));
        let ctx = format!("iir case {k} {a}");
        let exp = arr(&c["expected"]);
        let floor = 1e-9
            * exp
                .iter()
                .filter(|v| v.is_finite())
                .fold(scale(&y), |m, v| m.max(v.abs()));
        match got {
            Some(g) => check_arr(&ctx, &g, &exp, floor),
            None => panic!("{ctx}: null"),
        }
    }
}

#[test]
fn fit_2lines_matches_local_reference() {
    for (k, c) in load("series_fit_2lines").iter().enumerate() {
        let y = arr(&c["args"]["series"]);
        let f = series_fit_2lines(&y);
        let ctx = format!("fit_2lines case {k} {y:?}");
        let e = &c["expected"];
        if e.is_null() {
            // fewer than 4 points: the single-line fallback
            assert_eq!(f.split_idx, -1, "{ctx}");
            assert_eq!(f.line_fit, series_fit_line(&y).line_fit, "{ctx}");
            continue;
        }
        let abs = 1e-9 * scale(&y);
        assert_eq!(f.split_idx, int(&e["split_idx"]), "{ctx}");
        check_num(
            &format!("{ctx} rsquare"),
            f.rsquare,
            num(&e["rsquare"]),
            1e-9,
        );
        check_num(
            &format!("{ctx} variance"),
            f.variance,
            num(&e["variance"]),
            1e-12 * scale(&y).powi(2),
        );
        check_num(
            &format!("{ctx} rvariance"),
            f.rvariance,
            num(&e["rvariance"]),
            1e-12 * scale(&y).powi(2),
        );
        check_arr(
            &format!("{ctx} line_fit"),
            &f.line_fit,
            &arr(&e["line_fit"]),
            abs,
        );
        for (name, got) in [
            ("right_rsquare", f.right_rsquare),
            ("left_rsquare", f.left_rsquare),
        ] {
            check_num(&format!("{ctx} {name}"), got, num(&e[name]), 1e-9);
        }
        for (name, got) in [
            ("right_slope", f.right_slope),
            ("right_interception", f.right_interception),
            ("left_slope", f.left_slope),
            ("left_interception", f.left_interception),
        ] {
            check_num(&format!("{ctx} {name}"), got, num(&e[name]), abs);
        }
        for (name, got) in [
            ("right_variance", f.right_variance),
            ("right_rvariance", f.right_rvariance),
            ("left_variance", f.left_variance),
            ("left_rvariance", f.left_rvariance),
        ] {
            check_num(
                &format!("{ctx} {name}"),
                got,
                num(&e[name]),
                1e-12 * scale(&y).powi(2),
            );
        }
    }
}

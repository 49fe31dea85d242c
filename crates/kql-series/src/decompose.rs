//! `series_decompose`, `series_decompose_anomalies`, `series_decompose_forecast`
//! (`series-algorithms.md` §6–8: structure documented, numbers exact when the period is
//! given; autodetection goes through the period reconstruction).

use crate::error::{Result, SeriesError};
use crate::fit::series_fit_line;
use crate::outliers::{OutlierKind, outliers_with_kind};
use crate::periods::detect_seasonality;
use crate::seasonal::{learning_len, seasonal_profile};

/// The trend component models of `series_decompose*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    /// Constant: the mean of the deseasonalised learning part (default).
    Avg,
    /// Least-squares line over the deseasonalised learning part, extrapolated.
    LineFit,
    /// No trend.
    None,
}

impl Trend {
    /// Parses the KQL trend name (`avg`, `linefit`, `none`; ASCII case-insensitive).
    pub fn parse(function: &'static str, s: &str) -> Result<Self> {
        if s.eq_ignore_ascii_case("avg") {
            Ok(Trend::Avg)
        } else if s.eq_ignore_ascii_case("linefit") {
            Ok(Trend::LineFit)
        } else if s.eq_ignore_ascii_case("none") {
            Ok(Trend::None)
        } else {
            Err(SeriesError::invalid(
                function,
                "trend",
                format!("'{s}' (expected 'avg', 'linefit' or 'none')"),
            ))
        }
    }
}

/// The outputs of `series_decompose`, in KQL tuple order.
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposition {
    /// `seasonal + trend`.
    pub baseline: Vec<f64>,
    /// Median seasonal profile (0 without seasonality).
    pub seasonal: Vec<f64>,
    /// Trend component (0 for `'none'`).
    pub trend: Vec<f64>,
    /// `series − baseline`.
    pub residual: Vec<f64>,
}

/// The outputs of `series_decompose_anomalies`, in KQL tuple order.
#[derive(Debug, Clone, PartialEq)]
pub struct Anomalies {
    /// +1 / −1 / 0: score above `threshold`, below `−threshold`, otherwise.
    pub ad_flag: Vec<i64>,
    /// Outlier score of the residual.
    pub ad_score: Vec<f64>,
    /// The decomposition baseline.
    pub baseline: Vec<f64>,
}

fn check_test_points(function: &'static str, test_points: i64) -> Result<()> {
    if test_points < 0 {
        return Err(SeriesError::invalid(
            function,
            "test_points",
            format!("{test_points} (must be >= 0)"),
        ));
    }
    Ok(())
}

fn decompose_impl(
    y: &[f64],
    seasonality: i64,
    trend: Trend,
    test_points: i64,
    seasonality_threshold: f64,
) -> Decomposition {
    let n = y.len();
    let m = learning_len(n, test_points);
    let period = if seasonality == -1 {
        if m == 0 {
            0
        } else {
            detect_seasonality(&y[..m], seasonality_threshold)
        }
    } else {
        seasonality
    };
    let seasonal = if period > 0 {
        seasonal_profile(y, usize::try_from(period).unwrap_or(usize::MAX), m)
    } else {
        vec![0.0; n]
    };
    let des: Vec<f64> = y.iter().zip(&seasonal).map(|(a, b)| a - b).collect();
    let trend_v: Vec<f64> = match trend {
        Trend::Avg => {
            let mean = if m == 0 {
                f64::NAN
            } else {
                des[..m].iter().sum::<f64>() / m as f64
            };
            vec![mean; n]
        }
        Trend::LineFit => {
            let fit = series_fit_line(&des[..m]);
            (1..=n)
                .map(|x| fit.slope * x as f64 + fit.interception)
                .collect()
        }
        Trend::None => vec![0.0; n],
    };
    let baseline: Vec<f64> = seasonal.iter().zip(&trend_v).map(|(s, t)| s + t).collect();
    let residual: Vec<f64> = y.iter().zip(&baseline).map(|(v, b)| v - b).collect();
    Decomposition {
        baseline,
        seasonal,
        trend: trend_v,
        residual,
    }
}

/// `series_decompose(series, seasonality=-1, trend='avg', test_points=0,
/// seasonality_threshold=0.6)`.
///
/// * `seasonality`: -1 autodetect on the learning part (score ≥ `seasonality_threshold`),
///   a positive period in bins, or 0 / other values for none.
/// * `trend`: `'avg'`, `'linefit'` or `'none'` (anything else is an error).
/// * `test_points` ≥ 0: the last points are excluded from learning (seasonal profile by
///   phase and extrapolated trend still cover them). `test_points ≥ n` leaves nothing to
///   learn from: no seasonality, and an `avg`/`linefit` trend of NaN.
///
/// Nulls (NaN) propagate (users are expected to fill first).
pub fn series_decompose(
    y: &[f64],
    seasonality: i64,
    trend: &str,
    test_points: i64,
    seasonality_threshold: f64,
) -> Result<Decomposition> {
    const F: &str = "series_decompose";
    let trend = Trend::parse(F, trend)?;
    check_test_points(F, test_points)?;
    Ok(decompose_impl(
        y,
        seasonality,
        trend,
        test_points,
        seasonality_threshold,
    ))
}

/// `series_decompose_anomalies(series, threshold=1.5, seasonality=-1, trend='avg',
/// test_points=0, ad_method='ctukey', seasonality_threshold=0.6)`.
///
/// Decomposes (see [`series_decompose`]), scores the residual with `series_outliers`
/// (`ctukey` 10/90 or `tukey` 25/75, percentiles from the learning residuals only) and flags
/// `score > threshold` → 1, `score < −threshold` → −1 (strict comparisons, GUESS).
#[allow(clippy::too_many_arguments)]
pub fn series_decompose_anomalies(
    y: &[f64],
    threshold: f64,
    seasonality: i64,
    trend: &str,
    test_points: i64,
    ad_method: &str,
    seasonality_threshold: f64,
) -> Result<Anomalies> {
    const F: &str = "series_decompose_anomalies";
    let trend = Trend::parse(F, trend)?;
    let kind = OutlierKind::parse(F, "ad_method", ad_method)?;
    check_test_points(F, test_points)?;
    let d = decompose_impl(y, seasonality, trend, test_points, seasonality_threshold);
    let ad_score = outliers_with_kind(&d.residual, kind, None, 10.0, 90.0, test_points, F)?;
    let ad_flag = ad_score
        .iter()
        .map(|&s| {
            if s > threshold {
                1
            } else if s < -threshold {
                -1
            } else {
                0
            }
        })
        .collect();
    Ok(Anomalies {
        ad_flag,
        ad_score,
        baseline: d.baseline,
    })
}

/// `series_decompose_forecast(series, points, seasonality=-1, trend='avg',
/// seasonality_threshold=0.6)`: the baseline of `series_decompose(series, seasonality,
/// trend, test_points = points, seasonality_threshold)`; the last `points` entries are the
/// forecast. `points` must be ≥ 0.
pub fn series_decompose_forecast(
    y: &[f64],
    points: i64,
    seasonality: i64,
    trend: &str,
    seasonality_threshold: f64,
) -> Result<Vec<f64>> {
    const F: &str = "series_decompose_forecast";
    let trend = Trend::parse(F, trend)?;
    if points < 0 {
        return Err(SeriesError::invalid(
            F,
            "points",
            format!("{points} (must be >= 0)"),
        ));
    }
    Ok(decompose_impl(y, seasonality, trend, points, seasonality_threshold).baseline)
}

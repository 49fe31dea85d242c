//! `series_outliers`: Tukey-fence anomaly scores (status: EXACT for the default `ctukey`
//! 10/90, see `series-algorithms.md` §2).

use crate::error::{Result, SeriesError};
use crate::util::{inv_norm_cdf, percentile_linear, sorted};

/// The normalisation factor of `ctukey` with the default percentiles (10, 90), recovered from
/// ADX output to 1e-15 (Stack Overflow answer by the function's author, Jan 2023).
pub const CTUKEY_10_90_FACTOR: f64 = 2.772605605507915;

/// The two kinds of fences `series_outliers` supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlierKind {
    /// Classic Tukey fences on the 25th/75th percentiles (custom percentiles ignored).
    Tukey,
    /// "Custom Tukey": fences on `min_percentile`/`max_percentile` (default 10/90), scores
    /// rescaled so that they are comparable to classic Tukey scores.
    CTukey,
}

impl OutlierKind {
    /// Parses the KQL `kind` / `ad_method` string (`"tukey"`, `"ctukey"`, ASCII case-insensitive).
    pub fn parse(function: &'static str, parameter: &'static str, s: &str) -> Result<Self> {
        if s.eq_ignore_ascii_case("ctukey") {
            Ok(OutlierKind::CTukey)
        } else if s.eq_ignore_ascii_case("tukey") {
            Ok(OutlierKind::Tukey)
        } else {
            Err(SeriesError::invalid(
                function,
                parameter,
                format!("'{s}' (expected 'ctukey' or 'tukey')"),
            ))
        }
    }
}

/// The normalisation factor `F` applied to scores with fences at percentiles (`p_lo`, `p_hi`).
///
/// * (25, 75): 1 (by construction).
/// * (10, 90): [`CTUKEY_10_90_FACTOR`] (EXACT, recovered from ADX output).
/// * otherwise (GUESS): the normal-model factor described by the function's author,
///   `1.5·(z_hi − z_lo) / (X − z_hi)` with `X = z75 + 1.5·(z75 − z25)`, rescaled so that
///   (10, 90) gives the observed constant.
pub fn normalization_factor(p_lo: f64, p_hi: f64) -> f64 {
    if p_lo == 25.0 && p_hi == 75.0 {
        return 1.0;
    }
    if p_lo == 10.0 && p_hi == 90.0 {
        return CTUKEY_10_90_FACTOR;
    }
    let z = inv_norm_cdf;
    let x_mild = z(0.75) + 1.5 * (z(0.75) - z(0.25));
    let f = |lo: f64, hi: f64| 1.5 * (z(hi / 100.0) - z(lo / 100.0)) / (x_mild - z(hi / 100.0));
    f(p_lo, p_hi) * CTUKEY_10_90_FACTOR / f(10.0, 90.0)
}

/// `series_outliers(series, kind='ctukey', ignore_val=null, min_percentile=10,
/// max_percentile=90, test_points=0)`.
///
/// * `series`: values, NaN = null. Nulls and values equal to `ignore_val` score 0 and are
///   left out of the percentile sample.
/// * `kind`: `"ctukey"` or `"tukey"` (tukey uses 25/75 and ignores the percentiles).
/// * `min_pct`, `max_pct`: ctukey percentiles, each in [2, 98], `min_pct < max_pct`.
/// * `test_points` (hidden KQL parameter): the last `test_points` values are scored but not
///   used to compute the percentiles (GUESS). Clamped to the series length; negative is an
///   error.
///
/// Score of `x`: `(x − Q_hi)/IQR·F` above the upper percentile, `(x − Q_lo)/IQR·F` below the
/// lower one, 0 in between. If `IQR == 0` (e.g. a constant sample) points outside the fences
/// get ±infinity (UNVERIFIED: ADX's behaviour is unknown; this is what the reference does).
pub fn series_outliers(
    series: &[f64],
    kind: &str,
    ignore_val: Option<f64>,
    min_pct: f64,
    max_pct: f64,
    test_points: i64,
) -> Result<Vec<f64>> {
    const F: &str = "series_outliers";
    let kind = OutlierKind::parse(F, "kind", kind)?;
    outliers_with_kind(series, kind, ignore_val, min_pct, max_pct, test_points, F)
}

/// [`series_outliers`] with an already parsed kind (used by the decomposition functions).
pub(crate) fn outliers_with_kind(
    series: &[f64],
    kind: OutlierKind,
    ignore_val: Option<f64>,
    min_pct: f64,
    max_pct: f64,
    test_points: i64,
    function: &'static str,
) -> Result<Vec<f64>> {
    let (p_lo, p_hi) = match kind {
        OutlierKind::Tukey => (25.0, 75.0),
        OutlierKind::CTukey => {
            for (name, p) in [("min_percentile", min_pct), ("max_percentile", max_pct)] {
                if !(2.0..=98.0).contains(&p) {
                    return Err(SeriesError::invalid(
                        function,
                        name,
                        format!("{p} (must be in [2, 98])"),
                    ));
                }
            }
            if min_pct >= max_pct {
                return Err(SeriesError::invalid(
                    function,
                    "min_percentile",
                    format!("{min_pct} must be below max_percentile {max_pct}"),
                ));
            }
            (min_pct, max_pct)
        }
    };
    if test_points < 0 {
        return Err(SeriesError::invalid(
            function,
            "test_points",
            format!("{test_points} (must be >= 0)"),
        ));
    }
    let n = series.len();
    let is_missing = |v: f64| v.is_nan() || ignore_val.is_some_and(|iv| v == iv);
    let learn = n.saturating_sub(usize::try_from(test_points).unwrap_or(usize::MAX));
    let train: Vec<f64> = series[..learn]
        .iter()
        .copied()
        .filter(|&v| !is_missing(v))
        .collect();
    if train.is_empty() {
        return Ok(vec![0.0; n]);
    }
    let s = sorted(&train);
    let lo = percentile_linear(&s, p_lo);
    let hi = percentile_linear(&s, p_hi);
    let iqr = hi - lo;
    let k = normalization_factor(p_lo, p_hi);
    Ok(series
        .iter()
        .map(|&v| {
            if is_missing(v) {
                0.0
            } else if v > hi {
                if iqr != 0.0 {
                    (v - hi) / iqr * k
                } else {
                    f64::INFINITY
                }
            } else if v < lo {
                if iqr != 0.0 {
                    (v - lo) / iqr * k
                } else {
                    f64::NEG_INFINITY
                }
            } else {
                0.0
            }
        })
        .collect())
}

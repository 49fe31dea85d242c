//! `series_stats` / `series_stats_dynamic` (DOC; sample variance, checked against the
//! documented example).

/// The outputs of `series_stats`, in KQL tuple order, plus `sum` and `len` (which only
/// `series_stats_dynamic` reports). `None` = null.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Minimum value.
    pub min: Option<f64>,
    /// First (zero-based) index of the minimum in the input array.
    pub min_idx: Option<i64>,
    /// Maximum value.
    pub max: Option<f64>,
    /// First (zero-based) index of the maximum in the input array.
    pub max_idx: Option<i64>,
    /// Average.
    pub avg: Option<f64>,
    /// Sample standard deviation.
    pub stdev: Option<f64>,
    /// Sample variance (n−1 denominator; 0 for a single value).
    pub variance: Option<f64>,
    /// Sum of the values (`series_stats_dynamic` only).
    pub sum: Option<f64>,
    /// Length of the input array (`series_stats_dynamic` only).
    pub len: i64,
}

/// `series_stats(series, ignore_nonfinite=false)`.
///
/// Nulls are NaN in `series`. With `ignore_nonfinite = false` any non-finite element (null,
/// NaN, ±inf) makes every statistic null (documented). With `true` they are skipped (indexes
/// still refer to the input array). No usable value (empty input) → every statistic null
/// (GUESS); one value → variance and stdev 0 (GUESS, like KQL's `variance()` aggregate).
pub fn series_stats(series: &[f64], ignore_nonfinite: bool) -> Stats {
    let len = series.len() as i64;
    let null = Stats {
        min: None,
        min_idx: None,
        max: None,
        max_idx: None,
        avg: None,
        stdev: None,
        variance: None,
        sum: None,
        len,
    };
    if !ignore_nonfinite && series.iter().any(|v| !v.is_finite()) {
        return null;
    }
    let vals: Vec<(usize, f64)> = series
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .collect();
    let Some(&(i0, v0)) = vals.first() else {
        return null;
    };
    let (mut min, mut min_idx, mut max, mut max_idx) = (v0, i0, v0, i0);
    for &(i, v) in &vals[1..] {
        if v < min {
            min = v;
            min_idx = i;
        }
        if v > max {
            max = v;
            max_idx = i;
        }
    }
    let m = vals.len() as f64;
    let sum: f64 = vals.iter().map(|(_, v)| v).sum();
    let avg = sum / m;
    let variance = if vals.len() > 1 {
        vals.iter().map(|(_, v)| (v - avg).powi(2)).sum::<f64>() / (m - 1.0)
    } else {
        0.0
    };
    Stats {
        min: Some(min),
        min_idx: Some(min_idx as i64),
        max: Some(max),
        max_idx: Some(max_idx as i64),
        avg: Some(avg),
        stdev: Some(variance.sqrt()),
        variance: Some(variance),
        sum: Some(sum),
        len,
    }
}

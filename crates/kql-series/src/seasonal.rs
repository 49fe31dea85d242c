//! `series_seasonal` (EXACT for explicit periods, `series-algorithms.md` §5).

use crate::error::{Result, SeriesError};
use crate::periods::detect_seasonality;
use crate::util::median;

/// Threshold `series_seasonal` uses when it autodetects the period (documented: 0.7).
pub const SEASONAL_DETECTION_THRESHOLD: f64 = 0.7;

/// Number of learning points `n − test_points`, clamped to [0, n].
pub(crate) fn learning_len(n: usize, test_points: i64) -> usize {
    n.saturating_sub(usize::try_from(test_points.max(0)).unwrap_or(usize::MAX))
}

/// The seasonal profile of `y` for a known `period > 0`: element `i` is the median of the
/// learning values (`y[..learn]`) whose index ≡ i (mod period); phases without learning
/// values give 0. Not centred (the profile carries the series level).
pub(crate) fn seasonal_profile(y: &[f64], period: usize, learn: usize) -> Vec<f64> {
    let train = &y[..learn.min(y.len())];
    // phases ≥ n are never used (i % period == i when period ≥ n): don't allocate them
    let period = period.max(1);
    let phases = period.min(y.len());
    let prof: Vec<f64> = (0..phases)
        .map(|ph| {
            let vals: Vec<f64> = train.iter().skip(ph).step_by(period).copied().collect();
            if vals.is_empty() { 0.0 } else { median(&vals) }
        })
        .collect();
    (0..y.len()).map(|i| prof[i % period]).collect()
}

/// `series_seasonal(series, period=-1, test_points=0)`.
///
/// * `period > 0`: median profile per phase (see `seasonal_profile`);
/// * `period == -1`: period autodetected on the learning part with threshold 0.7 (no period
///   → zeros);
/// * any other value (0, < -1): zeros.
///
/// `test_points` (hidden KQL parameter) excludes the last points from the profile; it must
/// be ≥ 0. NaN (null) values propagate into the median of their phase.
pub fn series_seasonal(y: &[f64], period: i64, test_points: i64) -> Result<Vec<f64>> {
    if test_points < 0 {
        return Err(SeriesError::invalid(
            "series_seasonal",
            "test_points",
            format!("{test_points} (must be >= 0)"),
        ));
    }
    let learn = learning_len(y.len(), test_points);
    let period = if period == -1 {
        detect_seasonality(&y[..learn], SEASONAL_DETECTION_THRESHOLD)
    } else {
        period
    };
    Ok(if period > 0 {
        seasonal_profile(y, usize::try_from(period).unwrap_or(usize::MAX), learn)
    } else {
        vec![0.0; y.len()]
    })
}

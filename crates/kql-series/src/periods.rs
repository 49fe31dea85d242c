//! `series_periods_detect` / `series_periods_validate` and the seasonality detection used by
//! `series_seasonal` and `series_decompose*` (status: RECON, `series-algorithms.md` §4).
//!
//! # The period scorer is a reconstruction
//!
//! Azure Data Explorer's period detector is not published. Everything that decides a period
//! or a score goes through ONE swappable trait, [`PeriodDetector`]; the engine uses the
//! implementation returned by [`detector`], currently [`AcfPeriodDetector`]. To calibrate
//! against ADX later, write another implementation and return it from [`detector`] — no
//! other code changes.
//!
//! ## What the reconstruction does ([`AcfPeriodDetector`])
//! 1. `d = x − mean(x)` (no detrending).
//! 2. Periodogram `P[k] = |DFT(d)[k]|²`, `k = 0..=n/2`. Candidate frequency bins are local
//!    maxima `P[k] > P[k−1] && P[k] ≥ P[k+1]` for `k ≥ 2`, processed by decreasing power.
//! 3. For a candidate `k` the period is refined on the autocorrelation: among the integer
//!    lags in `[n/(k+1), n/(k−1)] ∩ [max(4, min_period), min(max_period, (n−1)/2)]` the lag
//!    with the largest autocorrelation wins (AutoPeriod-style).
//! 4. Autocorrelation ("unbiased", global mean):
//!    `r(L) = [Σ_{t<n−L} d_t·d_{t+L} / (n−L)] / [Σ_t d_t² / n]` (0 when the variance is 0).
//! 5. `score(p) = max(0, min{ r(m·p) : m ≥ 1, m·p ≤ n/2 })` — a period is only as good as
//!    its weakest repetition within the first half of the series.
//! 6. Zero scores and duplicate periods are dropped, the rest sorted by decreasing score,
//!    truncated to `num_periods` and padded with zeros.
//! 7. `series_periods_validate(p)` = `score(round(p))` when `4 ≤ p ≤ n/2`, else 0.
//!
//! ## Evidence
//! It reproduces every published ADX number: `series_periods_detect(y60, 0, 50, 2)` →
//! periods `[14, 0]`, score 0.8412 (docs print "0.84…"); `series_periods_validate(y60, 14,
//! 10)` → `[0.84, 0]`; `series_seasonal` autodetection (threshold 0.7) finds period 6 in the
//! documented 25-point series (score 0.706), period 5 in the 20-point series (0.891) and
//! nothing in the 12-point series whose period is exactly n/2. Rejected alternatives (biased
//! ACF, Pearson ACF, phase-mean R², detrended scores, plain "all integer lags" candidates)
//! each fail at least one of these.
//!
//! ## Known limits
//! * Unverified beyond those five data points; the second documented example
//!   (`demo_series3`, periods 84 and 12) uses data that are not public.
//! * Nothing is detrended: a strong linear trend suppresses detection (60-point ramp plus a
//!   period-7 sine → nothing detected). Whether ADX behaves the same is unknown.
//! * Periods are integers (ADX documents real-valued periods but every example is integral).
//! * Periods of exactly n/2 are never detected (strict `(n−1)/2` bound), matching the
//!   documented 12-point example; `validate` accepts `p = n/2`.
//! * Ties between equal periodogram peaks or equal autocorrelations are resolved by the
//!   lower index, as the numpy prototype does; on noiseless synthetic series whose
//!   periodogram is exactly zero outside the harmonics, rounding noise decides which zero
//!   bins look like "peaks", so such inputs can differ from the prototype in extra
//!   low-scoring periods.
//! * On long noisy series, low-frequency noise peaks make the refinement step pick large
//!   multiples of the true period (e.g. 336 = 14·24 for a 1000-point hourly series); such a
//!   multiple is scored on fewer repetitions (only those ≤ n/2) and can outrank the
//!   fundamental. The numpy prototype behaves the same; ADX's behaviour is unknown.
//! * The periodogram is a plain O(n²) DFT (series are short: make-series output); a
//!   100k-point series takes seconds.
//! * The internal search used by `seasonality = -1` (range [4, n/2), best single period,
//!   `score ≥ threshold`) is a GUESS.

use crate::error::{Result, SeriesError};
use crate::util::{py_max, py_min};

/// Periods and their scores, in KQL tuple order (`periods`, `scores`).
#[derive(Debug, Clone, PartialEq)]
pub struct Periods {
    /// Periods in bins, best first; unused slots 0.
    pub periods: Vec<f64>,
    /// Scores in [0, 1], same order; unused slots 0.
    pub scores: Vec<f64>,
}

/// The swappable period detector (see the module documentation).
pub trait PeriodDetector: Send + Sync {
    /// Detects up to `num_periods` periods within `[min_period, max_period]`, best first,
    /// padded with zeros to exactly `num_periods` entries. Never panics; NaN in `y`
    /// gives no period.
    fn detect(&self, y: &[f64], min_period: f64, max_period: f64, num_periods: usize) -> Periods;

    /// Score in [0, 1] of one candidate period (`series_periods_validate`); 0 for a period
    /// outside `[4, n/2]`.
    fn score(&self, y: &[f64], period: f64) -> f64;
}

/// The detector every series function uses. Swap the implementation here.
pub fn detector() -> &'static dyn PeriodDetector {
    &AcfPeriodDetector
}

/// The reconstruction described in the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct AcfPeriodDetector;

/// Autocorrelation helper with a cache (lags are evaluated many times).
struct Acf {
    d: Vec<f64>,
    den: f64,
    cache: Vec<Option<f64>>,
}

impl Acf {
    fn new(y: &[f64]) -> Self {
        let n = y.len();
        let mean = if n == 0 {
            f64::NAN
        } else {
            y.iter().sum::<f64>() / n as f64
        };
        let d: Vec<f64> = y.iter().map(|v| v - mean).collect();
        let den = d.iter().map(|v| v * v).sum::<f64>() / n as f64;
        Acf {
            d,
            den,
            cache: vec![None; n + 1],
        }
    }

    /// `r(k)` of the module documentation; 0 when the variance is 0 or `k >= n`.
    fn r(&mut self, k: usize) -> f64 {
        let n = self.d.len();
        if self.den == 0.0 || k >= n {
            return 0.0;
        }
        if let Some(v) = self.cache[k] {
            return v;
        }
        let num: f64 = if k == 0 {
            0.0
        } else {
            self.d[..n - k]
                .iter()
                .zip(&self.d[k..])
                .map(|(a, b)| a * b)
                .sum()
        };
        let v = num / (n - k) as f64 / self.den;
        self.cache[k] = Some(v);
        v
    }

    /// `score(p)`: min of r over the multiples of p that are ≤ n/2, clipped at 0.
    fn score(&mut self, p: i64) -> f64 {
        let n = self.d.len();
        if p < 1 {
            return 0.0;
        }
        let half = n as f64 / 2.0;
        let p = p as usize;
        let mut acc: Option<f64> = None;
        let mut m = 1usize;
        while m < n.max(1) {
            let lag = m.saturating_mul(p);
            if lag as f64 > half {
                break;
            }
            let r = self.r(lag);
            acc = Some(match acc {
                None => r,
                Some(a) => py_min(a, r),
            });
            m += 1;
        }
        match acc {
            None => 0.0,
            Some(a) => py_max(0.0, a),
        }
    }
}

/// Periodogram `|DFT(d)[k]|²` for `k = 0..=n/2` (plain DFT with an exact twiddle table).
fn periodogram(d: &[f64]) -> Vec<f64> {
    let n = d.len();
    if n == 0 {
        return Vec::new();
    }
    let tw: Vec<(f64, f64)> = (0..n)
        .map(|j| {
            let a = 2.0 * std::f64::consts::PI * j as f64 / n as f64;
            (a.cos(), a.sin())
        })
        .collect();
    (0..=n / 2)
        .map(|k| {
            let (mut re, mut im) = (0.0, 0.0);
            let mut idx = 0usize;
            for &v in d {
                let (c, s) = tw[idx];
                re += v * c;
                im -= v * s;
                idx += k;
                if idx >= n {
                    idx -= n;
                }
            }
            re * re + im * im
        })
        .collect()
}

impl PeriodDetector for AcfPeriodDetector {
    fn detect(&self, y: &[f64], min_period: f64, max_period: f64, num_periods: usize) -> Periods {
        let n = y.len();
        let mut acf = Acf::new(y);
        let p = periodogram(&acf.d);
        let mut peaks: Vec<usize> = (2..p.len().saturating_sub(1))
            .filter(|&k| p[k] > p[k - 1] && p[k] >= p[k + 1])
            .collect();
        // by decreasing power, stable (ties keep ascending k)
        peaks.sort_by(|&a, &b| p[b].partial_cmp(&p[a]).unwrap_or(std::cmp::Ordering::Equal));
        let nf = n as f64;
        let lo = py_max(4.0, min_period);
        let hi = py_min(max_period, (nf - 1.0) / 2.0);
        let mut found: Vec<(i64, f64)> = Vec::new();
        for k in peaks {
            let a = nf / (k as f64 + 1.0);
            let b = nf / (k as f64 - 1.0);
            let first = py_max(a, lo).ceil();
            let last = py_min(b, hi).floor();
            if !(first.is_finite() && last.is_finite()) || first > last {
                continue;
            }
            let (first, last) = (first as i64, last as i64);
            // max by acf, first maximum wins (Python's max with key)
            let mut best: Option<(i64, f64)> = None;
            for lag in first..=last {
                let r = if lag < 0 { 0.0 } else { acf.r(lag as usize) };
                match best {
                    None => best = Some((lag, r)),
                    Some((_, br)) if r > br => best = Some((lag, r)),
                    _ => {}
                }
            }
            let Some((best_lag, _)) = best else { continue };
            let s = acf.score(best_lag);
            if s > 0.0 && !found.iter().any(|&(q, _)| q == best_lag) {
                found.push((best_lag, s));
            }
        }
        found.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
        found.truncate(num_periods);
        let mut periods: Vec<f64> = found.iter().map(|&(q, _)| q as f64).collect();
        let mut scores: Vec<f64> = found.iter().map(|&(_, s)| s).collect();
        periods.resize(num_periods, 0.0);
        scores.resize(num_periods, 0.0);
        Periods { periods, scores }
    }

    fn score(&self, y: &[f64], period: f64) -> f64 {
        let n = y.len() as f64;
        if 4.0 <= period && period <= n / 2.0 {
            Acf::new(y).score(period.round_ties_even() as i64)
        } else {
            0.0
        }
    }
}

/// `series_periods_detect(series, min_period, max_period, num_periods)` through
/// [`detector`]. `num_periods` must be ≥ 0 (and at most 1024).
pub fn series_periods_detect(
    series: &[f64],
    min_period: f64,
    max_period: f64,
    num_periods: i64,
) -> Result<Periods> {
    if !(0..=1024).contains(&num_periods) {
        return Err(SeriesError::invalid(
            "series_periods_detect",
            "num_periods",
            format!("{num_periods} (must be in [0, 1024])"),
        ));
    }
    Ok(detector().detect(series, min_period, max_period, num_periods as usize))
}

/// `series_periods_validate(series, period1, …)`: echoes the periods (at most 16) with
/// their scores, through [`detector`].
pub fn series_periods_validate(series: &[f64], periods: &[f64]) -> Result<Periods> {
    if periods.is_empty() || periods.len() > 16 {
        return Err(SeriesError::invalid(
            "series_periods_validate",
            "period",
            format!("{} periods given (1 to 16 allowed)", periods.len()),
        ));
    }
    let det = detector();
    Ok(Periods {
        periods: periods.to_vec(),
        scores: periods.iter().map(|&p| det.score(series, p)).collect(),
    })
}

/// Seasonality autodetection used by `series_seasonal(period=-1)` (threshold 0.7) and
/// `series_decompose*(seasonality=-1)` (`seasonality_threshold`, default 0.6): the best
/// period in `[4, n/2)` if its score is ≥ `threshold`, else 0 (no seasonality).
pub fn detect_seasonality(y: &[f64], threshold: f64) -> i64 {
    let n = y.len() as f64;
    let found = detector().detect(y, 0.0, n / 2.0, 1);
    match (found.periods.first(), found.scores.first()) {
        (Some(&p), Some(&s)) if s >= threshold && p > 0.0 => p as i64,
        _ => 0,
    }
}

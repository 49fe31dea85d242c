//! `series_fit_line` (EXACT, `series-algorithms.md` §3) and `series_fit_2lines` (GUESS).

/// The outputs of `series_fit_line`, in KQL tuple order.
#[derive(Debug, Clone, PartialEq)]
pub struct LineFit {
    /// Coefficient of determination `1 − SSE/SST` (NaN for a constant series).
    pub rsquare: f64,
    /// Slope of the least-squares line over x = 1..n.
    pub slope: f64,
    /// Sample variance of the input (n−1 denominator; 0 for n ≤ 1).
    pub variance: f64,
    /// Residual variance `SSE/(n−1)` (0 for n ≤ 1).
    pub rvariance: f64,
    /// Value of the line at x = 0.
    pub interception: f64,
    /// The fitted line at x = 1..n.
    pub line_fit: Vec<f64>,
}

/// `series_fit_line(series)`: ordinary least squares over x = 1, 2, …, n (NaN = null
/// propagates to every output).
///
/// Edge cases (GUESS, same as the reference): n = 1 → slope 0, interception = the value,
/// variances 0, rsquare NaN; n = 0 → slope 0, interception NaN, rsquare NaN, variances 0,
/// empty line; constant series → rsquare NaN.
pub fn series_fit_line(y: &[f64]) -> LineFit {
    let n = y.len();
    let nf = n as f64;
    // x = 1..n, mean (n+1)/2 (NaN for n = 0 like numpy's mean of an empty array)
    let xm = if n == 0 {
        f64::NAN
    } else {
        (1..=n).map(|i| i as f64).sum::<f64>() / nf
    };
    let ym = if n == 0 {
        f64::NAN
    } else {
        y.iter().sum::<f64>() / nf
    };
    let sxx: f64 = (1..=n).map(|i| (i as f64 - xm).powi(2)).sum();
    let slope = if sxx != 0.0 {
        (1..=n)
            .zip(y)
            .map(|(i, &v)| (i as f64 - xm) * (v - ym))
            .sum::<f64>()
            / sxx
    } else {
        0.0
    };
    let interception = ym - slope * xm;
    let line_fit: Vec<f64> = (1..=n).map(|i| slope * i as f64 + interception).collect();
    let sse: f64 = y.iter().zip(&line_fit).map(|(v, l)| (v - l).powi(2)).sum();
    let sst: f64 = y.iter().map(|v| (v - ym).powi(2)).sum();
    let rsquare = if sst != 0.0 {
        1.0 - sse / sst
    } else {
        f64::NAN
    };
    let (variance, rvariance) = if n > 1 {
        (sst / (nf - 1.0), sse / (nf - 1.0))
    } else {
        (0.0, 0.0)
    };
    LineFit {
        rsquare,
        slope,
        variance,
        rvariance,
        interception,
        line_fit,
    }
}

/// The outputs of `series_fit_2lines`, in KQL tuple order (the official parser's members).
#[derive(Debug, Clone, PartialEq)]
pub struct TwoLinesFit {
    /// r-square of the two-segment fit: `1 − (SSE_left + SSE_right)/SST`.
    pub rsquare: f64,
    /// Zero-based index of the first point of the right segment (-1 when no split exists).
    pub split_idx: i64,
    /// Sample variance of the input.
    pub variance: f64,
    /// Residual variance of the two-segment fit, `(SSE_left + SSE_right)/(n−1)`.
    pub rvariance: f64,
    /// The two-segment fitted values (length n).
    pub line_fit: Vec<f64>,
    /// `series_fit_line` r-square of the right segment.
    pub right_rsquare: f64,
    /// Slope of the right line.
    pub right_slope: f64,
    /// Interception of the right line (its value at the segment-local x = 0).
    pub right_interception: f64,
    /// Sample variance of the right segment.
    pub right_variance: f64,
    /// Residual variance of the right segment.
    pub right_rvariance: f64,
    /// `series_fit_line` r-square of the left segment.
    pub left_rsquare: f64,
    /// Slope of the left line.
    pub left_slope: f64,
    /// Interception of the left line.
    pub left_interception: f64,
    /// Sample variance of the left segment.
    pub left_variance: f64,
    /// Residual variance of the left segment.
    pub left_rvariance: f64,
}

/// `series_fit_2lines(series)`: two-segment linear regression (GUESS — ADX's exact choices
/// are unpublished; no numeric example exists).
///
/// Documented: the function tries every split index, fits a line with `series_fit_line` to
/// each part and keeps the split with the best total r-square. Our reconstruction:
/// * candidate splits `k = 2 ..= n−2` (each segment has at least 2 points); left = `y[..k]`,
///   right = `y[k..]`, each fitted with [`series_fit_line`] on its own local x = 1..len
///   (so `right_interception` is relative to the start of the right segment);
/// * total `rsquare = 1 − (SSE_left + SSE_right)/SST`; the first maximum wins;
/// * `variance`/`rvariance` as in `series_fit_line` (n−1 denominators).
///
/// With fewer than 4 points (no valid split) the single-line fit is returned in the
/// global fields, `split_idx = -1` and the side fields are NaN. NaN inputs propagate (every
/// split then has NaN r-square; the first split is reported).
pub fn series_fit_2lines(y: &[f64]) -> TwoLinesFit {
    let n = y.len();
    let whole = series_fit_line(y);
    let sst: f64 = {
        let ym = if n == 0 {
            f64::NAN
        } else {
            y.iter().sum::<f64>() / n as f64
        };
        y.iter().map(|v| (v - ym).powi(2)).sum()
    };
    let sse_of = |fit: &LineFit, part: &[f64]| -> f64 {
        part.iter()
            .zip(&fit.line_fit)
            .map(|(v, l)| (v - l).powi(2))
            .sum()
    };
    let mut best: Option<(usize, f64, LineFit, LineFit, f64)> = None;
    if n >= 4 {
        for k in 2..=n - 2 {
            let left = series_fit_line(&y[..k]);
            let right = series_fit_line(&y[k..]);
            let sse = sse_of(&left, &y[..k]) + sse_of(&right, &y[k..]);
            let r2 = if sst != 0.0 {
                1.0 - sse / sst
            } else {
                f64::NAN
            };
            let better = match &best {
                None => true,
                Some((_, b, ..)) => r2 > *b || (b.is_nan() && !r2.is_nan()),
            };
            if better {
                best = Some((k, r2, left, right, sse));
            }
        }
    }
    match best {
        Some((k, rsquare, left, right, sse)) => {
            let mut line_fit = left.line_fit.clone();
            line_fit.extend_from_slice(&right.line_fit);
            TwoLinesFit {
                rsquare,
                split_idx: k as i64,
                variance: whole.variance,
                rvariance: sse / (n as f64 - 1.0),
                line_fit,
                right_rsquare: right.rsquare,
                right_slope: right.slope,
                right_interception: right.interception,
                right_variance: right.variance,
                right_rvariance: right.rvariance,
                left_rsquare: left.rsquare,
                left_slope: left.slope,
                left_interception: left.interception,
                left_variance: left.variance,
                left_rvariance: left.rvariance,
            }
        }
        None => TwoLinesFit {
            rsquare: whole.rsquare,
            split_idx: -1,
            variance: whole.variance,
            rvariance: whole.rvariance,
            line_fit: whole.line_fit,
            right_rsquare: f64::NAN,
            right_slope: f64::NAN,
            right_interception: f64::NAN,
            right_variance: f64::NAN,
            right_rvariance: f64::NAN,
            left_rsquare: f64::NAN,
            left_slope: f64::NAN,
            left_interception: f64::NAN,
            left_variance: f64::NAN,
            left_rvariance: f64::NAN,
        },
    }
}

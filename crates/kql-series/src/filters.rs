//! `series_fir` and `series_iir` (DOC: standard filters; edge handling is a GUESS).

/// `series_fir(series, filter, normalize=<auto>, center=false)`.
///
/// `y[i] = Σ_j f[j]·x[i−j]` with `x` taken as 0 outside the series (causal filter, zero
/// initial state). `normalize` (default: true unless the filter has a negative coefficient)
/// divides the coefficients by their sum; `center` shifts the output by `(len(filter)−1)/2`
/// (integer division) so that the filter is symmetric around each point (zero padding past
/// the end, GUESS).
///
/// Returns `None` (a null result, as documented) when the filter is empty, when
/// `normalize = true` and the filter has a negative coefficient, or when normalising by a
/// zero sum. NaN (null) elements propagate into the outputs that use them.
pub fn series_fir(
    x: &[f64],
    filter: &[f64],
    normalize: Option<bool>,
    center: bool,
) -> Option<Vec<f64>> {
    if filter.is_empty() {
        return None;
    }
    let has_negative = filter.iter().any(|&c| c < 0.0);
    let normalize = normalize.unwrap_or(!has_negative);
    let coeffs: Vec<f64> = if normalize {
        if has_negative {
            return None;
        }
        let sum: f64 = filter.iter().sum();
        if sum == 0.0 || !sum.is_finite() {
            return None;
        }
        filter.iter().map(|c| c / sum).collect()
    } else {
        filter.to_vec()
    };
    let n = x.len();
    let shift = if center { (coeffs.len() - 1) / 2 } else { 0 };
    Some(
        (0..n)
            .map(|i| {
                let t = i + shift;
                coeffs
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j <= t && t - j < n)
                    .map(|(j, c)| c * x[t - j])
                    .sum()
            })
            .collect(),
    )
}

/// `series_iir(series, numerators, denominators)`:
/// `y[i] = (Σ_j b[j]·x[i−j] − Σ_{k≥1} a[k]·y[i−k]) / a[0]`, zero initial state.
///
/// Returns `None` (null) when either coefficient array is empty or `a[0]` is 0 / not finite.
pub fn series_iir(x: &[f64], b: &[f64], a: &[f64]) -> Option<Vec<f64>> {
    let (&a0, _) = a.split_first()?;
    if b.is_empty() || a0 == 0.0 || !a0.is_finite() {
        return None;
    }
    let mut y: Vec<f64> = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        let mut acc = 0.0;
        for (j, bj) in b.iter().enumerate().take(i + 1) {
            acc += bj * x[i - j];
        }
        for (k, ak) in a.iter().enumerate().skip(1).take(i) {
            acc -= ak * y[i - k];
        }
        y.push(acc / a0);
    }
    Some(y)
}

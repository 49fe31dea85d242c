//! Small numeric helpers shared by the kernels (percentiles, medians, Python-compatible
//! `min`/`max`, the inverse normal CDF).

/// Arithmetic mean; NaN for an empty slice (numpy's `mean` of an empty array).
pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sorts a copy of `xs` ascending (total order, NaN last).
pub fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

/// Percentile `p` (0..100) of an ascending-sorted, non-empty slice with linear interpolation
/// between closest ranks (numpy's default, Excel `PERCENTILE.INC`, Hyndman-Fan type 7).
/// Returns NaN for an empty slice.
pub fn percentile_linear(sorted_vals: &[f64], p: f64) -> f64 {
    let n = sorted_vals.len();
    match n {
        0 => f64::NAN,
        1 => sorted_vals[0],
        _ => {
            let h = (n - 1) as f64 * p / 100.0;
            if !h.is_finite() {
                return f64::NAN;
            }
            let lo_f = h.floor().clamp(0.0, (n - 1) as f64);
            let lo = lo_f as usize;
            let hi = (lo + 1).min(n - 1);
            sorted_vals[lo] + (h - lo_f) * (sorted_vals[hi] - sorted_vals[lo])
        }
    }
}

/// Median as numpy computes it: NaN if any element is NaN (or the slice is empty), the mean
/// of the two middle values for even counts.
pub fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() || xs.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let s = sorted(xs);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Python's `min(a, b)`: returns `b` only when `b < a` (so NaN handling is order dependent,
/// exactly like the reference implementation).
pub fn py_min(a: f64, b: f64) -> f64 {
    if b < a { b } else { a }
}

/// Python's `max(a, b)`: returns `b` only when `b > a`.
pub fn py_max(a: f64, b: f64) -> f64 {
    if b > a { b } else { a }
}

/// Inverse of the standard normal CDF (Wichura 1988, algorithm AS241, the rational
/// approximation Python's `statistics.NormalDist.inv_cdf` uses; relative error ~1e-16).
/// Returns NaN outside (0, 1).
#[rustfmt::skip]
pub fn inv_norm_cdf(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        let num = (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r + 13731.69376550946) * r + 1971.5909503065513) * r + 133.14166789178438) * r + 3.3871328727963665) * q;
        let den = ((((((5226.495278852854 * r + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r + 5394.196021424751) * r + 687.1870074920579) * r + 42.31333070160091) * r + 1.0;
        return num / den;
    }
    let r0 = if q <= 0.0 { p } else { 1.0 - p };
    let r = (-r0.ln()).sqrt();
    let (num, den) = if r <= 5.0 {
        let r = r - 1.6;
        (((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r + 3.6478483247632045) * r + 5.769497221460691) * r + 4.630337846156546) * r + 1.4234371107496835, ((((((1.0507500716444169e-09 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) * r + 0.6897673349851) * r + 1.6763848301838038) * r + 2.053191626637759) * r + 1.0)
    } else {
        let r = r - 5.0;
        (((((((2.0103343992922881e-07 * r + 2.7115555687434876e-05) * r + 0.0012426609473880784) * r + 0.026532189526576124) * r + 0.29656057182850487) * r + 1.7848265399172913) * r + 5.463784911164114) * r + 6.657904643501103, ((((((2.0442631033899397e-15 * r + 1.421511758316446e-07) * r + 1.8463183175100548e-05) * r + 0.0007868691311456133) * r + 0.014875361290850615) * r + 0.1369298809227358) * r + 0.599832206555888) * r + 1.0)
    };
    let x = num / den;
    if q < 0.0 { -x } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inv_norm_cdf_known_values() {
        // Python: NormalDist().inv_cdf(0.75), inv_cdf(0.9), inv_cdf(0.001)
        assert!((inv_norm_cdf(0.75) - 0.6744897501960817).abs() < 1e-15);
        assert!((inv_norm_cdf(0.9) - 1.2815515655446008).abs() < 1e-15);
        assert!((inv_norm_cdf(0.001) + 3.090232306167813).abs() < 1e-14);
        assert!(inv_norm_cdf(0.0).is_nan());
        assert!(inv_norm_cdf(f64::NAN).is_nan());
    }

    #[test]
    fn percentile_and_median() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile_linear(&s, 50.0), 2.5);
        assert_eq!(percentile_linear(&[7.0], 10.0), 7.0);
        assert!(percentile_linear(&[], 10.0).is_nan());
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[3.0, 1.0]), 2.0);
        assert!(median(&[1.0, f64::NAN]).is_nan());
    }
}

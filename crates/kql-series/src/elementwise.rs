//! Element-wise series arithmetic/comparisons and the scalar reductions over series
//! (`series_add` …, `series_dot_product`, `series_pearson_correlation`, `array_sum`, …).
//!
//! Elements are `Option<f64>` (`None` = null / non-numeric). Binary operations produce an
//! array as long as the longer input; positions missing in the shorter input yield null
//! (documented for `series_add`). Scalars are broadcast by the caller (pass a slice of
//! length 1 with [`Operand::Scalar`]).

/// One operand of a binary element-wise operation.
#[derive(Debug, Clone, Copy)]
pub enum Operand<'a> {
    /// A series.
    Series(&'a [Option<f64>]),
    /// A scalar broadcast over the other operand.
    Scalar(Option<f64>),
}

impl Operand<'_> {
    fn len(&self) -> Option<usize> {
        match self {
            Operand::Series(s) => Some(s.len()),
            Operand::Scalar(_) => None,
        }
    }
    fn get(&self, i: usize) -> Option<f64> {
        match self {
            Operand::Series(s) => s.get(i).copied().flatten(),
            Operand::Scalar(v) => *v,
        }
    }
}

/// Applies `op` element-wise. Output length: the longer series (a scalar operand has no
/// length; two scalars give one element). Null in → null out.
pub fn binary<R>(a: Operand<'_>, b: Operand<'_>, op: impl Fn(f64, f64) -> R) -> Vec<Option<R>> {
    let n = match (a.len(), b.len()) {
        (Some(x), Some(y)) => x.max(y),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => 1,
    };
    (0..n)
        .map(|i| match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => Some(op(x, y)),
            _ => None,
        })
        .collect()
}

/// Applies `op` to every element; null stays null.
pub fn unary(s: &[Option<f64>], op: impl Fn(f64) -> f64) -> Vec<Option<f64>> {
    s.iter().map(|v| v.map(&op)).collect()
}

/// `sign` as KQL defines it: -1, 0 or 1 (NaN stays NaN).
pub fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        v // 0, -0 or NaN
    }
}

/// Sum of the non-null elements (`array_sum`, `series_sum`); 0 for an empty array.
pub fn sum(s: &[Option<f64>]) -> f64 {
    s.iter().flatten().sum()
}

/// `series_dot_product(a, b)`: Σ a[i]·b[i] over the common length; a null element makes
/// the result null (GUESS).
pub fn dot_product(a: &[Option<f64>], b: &[Option<f64>]) -> Option<f64> {
    let mut acc = 0.0;
    for (x, y) in a.iter().zip(b) {
        acc += (*x)? * (*y)?;
    }
    Some(acc)
}

/// `series_magnitude(s)`: `sqrt(Σ s[i]²)`; null if an element is null (GUESS).
pub fn magnitude(s: &[Option<f64>]) -> Option<f64> {
    dot_product(s, s).map(f64::sqrt)
}

/// `series_cosine_similarity(a, b)`: `a·b / (|a|·|b|)` (null for different lengths or null
/// elements, NaN for a zero vector).
pub fn cosine_similarity(a: &[Option<f64>], b: &[Option<f64>]) -> Option<f64> {
    if a.len() != b.len() {
        return None;
    }
    Some(dot_product(a, b)? / (magnitude(a)? * magnitude(b)?))
}

/// `series_pearson_correlation(a, b)`: Pearson correlation coefficient; null when the
/// lengths differ, an element is null or the series is empty; NaN for a constant series.
pub fn pearson_correlation(a: &[Option<f64>], b: &[Option<f64>]) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let xs: Option<Vec<f64>> = a.iter().copied().collect();
    let ys: Option<Vec<f64>> = b.iter().copied().collect();
    let (xs, ys) = (xs?, ys?);
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(&ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    Some(sxy / (sxx * syy).sqrt())
}

//! Missing-value fill functions (EXACT on the documented examples, `series-algorithms.md` §9).
//!
//! These tell a null (`None`) from a value and preserve the element type: they are generic
//! over [`FillElement`] (`f64`, `i64`, `i32`). An element is *missing* when it is null or
//! equal to the `missing_value_placeholder` (KQL default `real(null)`, i.e. only nulls; a NaN
//! placeholder matches NaN elements).

/// An element type the fill functions preserve.
pub trait FillElement: Copy + PartialEq {
    /// True for integer element types (interpolated values are truncated toward zero).
    const INTEGER: bool;
    /// The value as f64 (for interpolation).
    fn to_f64(self) -> f64;
    /// Converts an interpolated f64 back (truncation for integers); `None` if not
    /// representable (NaN or out of range for integers).
    fn from_f64(v: f64) -> Option<Self>;
    /// Equality used for the placeholder (NaN equals NaN for floats).
    fn same(self, other: Self) -> bool {
        self == other
    }
}

impl FillElement for f64 {
    const INTEGER: bool = false;
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
    fn same(self, other: Self) -> bool {
        self == other || (self.is_nan() && other.is_nan())
    }
}

impl FillElement for i64 {
    const INTEGER: bool = true;
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn from_f64(v: f64) -> Option<Self> {
        let t = v.trunc();
        // i64::MAX as f64 rounds up to 2^63, which is out of range
        if t.is_finite() && t >= i64::MIN as f64 && t < i64::MAX as f64 {
            Some(t as i64)
        } else {
            None
        }
    }
}

impl FillElement for i32 {
    const INTEGER: bool = true;
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn from_f64(v: f64) -> Option<Self> {
        let t = v.trunc();
        if t.is_finite() && t >= i32::MIN as f64 && t <= i32::MAX as f64 {
            Some(t as i32)
        } else {
            None
        }
    }
}

fn is_missing<T: FillElement>(v: Option<T>, placeholder: Option<T>) -> bool {
    match (v, placeholder) {
        (None, _) => true,
        (Some(x), Some(p)) => x.same(p),
        (Some(_), None) => false,
    }
}

/// `series_fill_forward(series, missing_value_placeholder=null)`: each missing value takes
/// the nearest non-missing value on its left; leading missing values stay as they are (null).
pub fn series_fill_forward<T: FillElement>(
    s: &[Option<T>],
    placeholder: Option<T>,
) -> Vec<Option<T>> {
    let mut last: Option<T> = None;
    s.iter()
        .map(|&v| {
            if is_missing(v, placeholder) {
                // leading missing values stay as they are
                if last.is_some() { last } else { v }
            } else {
                last = v;
                v
            }
        })
        .collect()
}

/// `series_fill_backward(series, missing_value_placeholder=null)`: mirror of
/// [`series_fill_forward`]; trailing missing values stay as they are.
pub fn series_fill_backward<T: FillElement>(
    s: &[Option<T>],
    placeholder: Option<T>,
) -> Vec<Option<T>> {
    let mut rev: Vec<Option<T>> = s.iter().rev().copied().collect();
    rev = series_fill_forward(&rev, placeholder);
    rev.reverse();
    rev
}

/// `series_fill_const(series, constant_value=0, missing_value_placeholder=null)`: every
/// missing value becomes `constant` (already converted to the element type by the caller;
/// `None` keeps/sets null).
pub fn series_fill_const<T: FillElement>(
    s: &[Option<T>],
    constant: Option<T>,
    placeholder: Option<T>,
) -> Vec<Option<T>> {
    s.iter()
        .map(|&v| {
            if is_missing(v, placeholder) {
                constant
            } else {
                v
            }
        })
        .collect()
}

/// `series_fill_linear(series, missing_value_placeholder=null, fill_edges=true,
/// constant_value=0)`.
///
/// * interior gaps: linear interpolation by index between the neighbouring known values;
///   integer element types truncate (documented 73.5 → 73, 32.667 → 32);
/// * `fill_edges`: leading/trailing gaps copy the nearest known value, else they stay as they are (null);
/// * no known value at all: every element becomes `constant` (`None` = null).
pub fn series_fill_linear<T: FillElement>(
    s: &[Option<T>],
    placeholder: Option<T>,
    fill_edges: bool,
    constant: Option<T>,
) -> Vec<Option<T>> {
    let known: Vec<usize> = (0..s.len())
        .filter(|&i| !is_missing(s[i], placeholder))
        .collect();
    let (Some(&first), Some(&last)) = (known.first(), known.last()) else {
        return vec![constant; s.len()];
    };
    // unfilled edges (fill_edges = false) keep their original null / placeholder value
    let mut out: Vec<Option<T>> = s.to_vec();
    for w in known.windows(2) {
        let (l, r) = (w[0], w[1]);
        let (Some(a), Some(b)) = (s[l], s[r]) else {
            continue;
        };
        let (a, b) = (a.to_f64(), b.to_f64());
        for (i, slot) in out.iter_mut().enumerate().take(r).skip(l + 1) {
            let v = a + (b - a) * (i - l) as f64 / (r - l) as f64;
            *slot = T::from_f64(v);
        }
    }
    if fill_edges {
        for slot in out.iter_mut().take(first) {
            *slot = s[first];
        }
        for slot in out.iter_mut().skip(last + 1) {
            *slot = s[last];
        }
    }
    out
}

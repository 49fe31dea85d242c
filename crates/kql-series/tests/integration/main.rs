//! Integration tests of `kql-series` (one test binary):
//! * `vectors` — the published ADX vectors of `series-test-vectors.md` (numbers hard-coded
//!   with citations) plus the DERIVED ones as "unverified" regression tests;
//! * `fixtures` — property tests against `series_reference.py` outputs committed as JSON
//!   (`tests/fixtures/*.json`, produced by `tests/fixtures/generate.py`);
//! * `edge` — never-panic and edge-case behaviour we define ourselves.

mod edge;
mod fixtures;
mod vectors;

/// `|a − b| ≤ rel·max(|a|,|b|) + abs`, with NaN == NaN and equal infinities.
pub fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a.is_infinite() || b.is_infinite() {
        return a == b;
    }
    (a - b).abs() <= rel * a.abs().max(b.abs()) + abs
}

/// Asserts element-wise closeness of two arrays with a message naming the case.
#[track_caller]
pub fn assert_all_close(what: &str, got: &[f64], exp: &[f64], rel: f64, abs: f64) {
    assert_eq!(
        got.len(),
        exp.len(),
        "{what}: length {} vs {}",
        got.len(),
        exp.len()
    );
    for (i, (g, e)) in got.iter().zip(exp).enumerate() {
        assert!(
            close(*g, *e, rel, abs),
            "{what}[{i}]: got {g}, expected {e}\n got {got:?}\n exp {exp:?}"
        );
    }
}

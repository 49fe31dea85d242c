//! Robustness: arbitrary input never panics, error spans stay inside the input, deep
//! nesting is an error (not a stack overflow), and nesting costs linear time.

use crate::common::corpus;
use kql_syntax::{parse_expr, parse_query};
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Parses `src` and checks the diagnostic invariants.
fn check(src: &str) {
    if parse_query(src).is_ok()
        && let Err(e) = crate::roundtrip::check_roundtrip(src)
    {
        panic!("{src:?} parses but does not round-trip: {e}");
    }
    if let Err(d) = parse_query(src) {
        assert!(
            d.span.start <= d.span.end,
            "inverted span {:?} for {src:?}",
            d.span
        );
        assert!(
            d.span.end <= src.len(),
            "span {:?} beyond input of {} bytes: {src:?}",
            d.span,
            src.len()
        );
        assert!(
            src.is_char_boundary(d.span.start) && src.is_char_boundary(d.span.end),
            "span not on char boundary"
        );
        assert!(d.code.starts_with("KQL1"), "unexpected code {}", d.code);
        let _ = d.render(src, "fuzz");
    }
    if let Err(d) = parse_expr(src) {
        assert!(d.span.end <= src.len());
    }
}

/// Deep nesting on a small (256 KiB) thread stack: still an error, not an overflow.
#[test]
fn deep_nesting_on_a_small_stack() {
    let h = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let src = format!("print {}1{}", "(".repeat(100), ")".repeat(100));
            assert!(parse_query(&src).is_ok());
            parse_query(&"(".repeat(10_000)).unwrap_err().code
        })
        .unwrap();
    assert_eq!(h.join().unwrap(), "KQL1010");
}

#[test]
fn deep_parens_error_not_overflow() {
    let src = "(".repeat(100_000);
    let d = parse_query(&src).unwrap_err();
    assert_eq!(d.code, "KQL1010");
    assert!(d.message.contains("nesting is too deep"), "{}", d.message);
    let src = format!("print {}1", "-".repeat(100_000));
    assert_eq!(parse_query(&src).unwrap_err().code, "KQL1010");
    let src = format!("print dynamic({})", "[".repeat(100_000));
    assert_eq!(parse_query(&src).unwrap_err().code, "KQL1010");
    let src = format!("print {}", "f(".repeat(100_000));
    assert_eq!(parse_query(&src).unwrap_err().code, "KQL1010");
    let src = format!("print {}", "x[".repeat(100_000));
    assert_eq!(parse_query(&src).unwrap_err().code, "KQL1010");
    let src = format!("T {}", "| where x in (T ".repeat(100_000));
    assert_eq!(parse_query(&src).unwrap_err().code, "KQL1010");
}

#[test]
fn nesting_within_limit_parses() {
    let n = 100;
    let src = format!("print {}1{}", "(".repeat(n), ")".repeat(n));
    parse_query(&src).unwrap();
    let src = format!("T | where {}x{}", "tolower(".repeat(n), ")".repeat(n));
    parse_query(&src).unwrap();
}

#[test]
fn nested_parens_parse_in_linear_time() {
    for src in [
        format!("print {}1{}", "(".repeat(30), ")".repeat(30)),
        format!("T | where {}x == 1{}", "(".repeat(30), ")".repeat(30)),
        format!("T | extend a = {}1{}", "f(".repeat(30), ")".repeat(30)),
        format!("T | where {} x", "(".repeat(30)),
        format!("print {}", "toscalar(T | where x in (".repeat(10)),
        format!("print {}1{}", "(".repeat(120), ")".repeat(120)),
    ] {
        let t = Instant::now();
        let _ = parse_query(&src);
        assert!(
            t.elapsed() < Duration::from_millis(500),
            "{src}: {:?}",
            t.elapsed()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,200}") {
        check(&s);
    }

    #[test]
    fn kql_alphabet_never_panics(s in "[a-z_ ()\\[\\]{}|,;.:=!<>~*+\\-/%'\"@`0-9\n$]{0,120}") {
        check(&s);
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
        let s = String::from_utf8_lossy(&b);
        check(&s);
    }
}

fn corpus_texts() -> &'static [String] {
    static CORPUS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        corpus()
            .map(|c| c.into_iter().map(|(_, q)| q).collect())
            .unwrap_or_default()
    })
}

const INSERTS: &[&str] = &[
    "(", ")", "|", "'", "\"", ",", "[", "]", "{", "}", "!", "=", "..", "`", "@", " by ", "\u{e9}",
    "//", ";",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Mutations of corpus queries (truncation, deletion of a span, insertion of syntax
    /// characters): no panic, and spans stay within the input.
    #[test]
    fn corpus_mutations_never_panic(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        len in 0usize..40,
        ins in 0..INSERTS.len(),
        kind in 0u8..3,
    ) {
        let texts = corpus_texts();
        if texts.is_empty() {
            return Ok(());
        }
        let q = &texts[which.index(texts.len())];
        let mut start = at.index(q.len().max(1)).min(q.len());
        while !q.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + len).min(q.len());
        while !q.is_char_boundary(end) {
            end -= 1;
        }
        let mutated = match kind {
            0 => q[..start].to_string(),
            1 => format!("{}{}", &q[..start], &q[end..]),
            _ => format!("{}{}{}", &q[..start], INSERTS[ins], &q[start..]),
        };
        check(&mutated);
    }
}

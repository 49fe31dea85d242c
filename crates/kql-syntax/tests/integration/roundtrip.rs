//! `parse(print(parse(q))) == parse(q)` for every corpus query and for a set of small
//! queries; printing is also idempotent (`print(parse(print(x))) == print(x)`).

use crate::common::{corpus, short};
use kql_syntax::parse_query;

/// Checks the round-trip property for `q`, returning a description of the failure.
pub fn check_roundtrip(q: &str) -> Result<(), String> {
    let first = parse_query(q).map_err(|d| format!("original does not parse: {d}"))?;
    let printed = first.to_string();
    let second = parse_query(&printed).map_err(|d| {
        format!(
            "printed text does not parse: {}\n--- printed:\n{printed}",
            d.render(&printed, "printed")
        )
    })?;
    if first != second {
        return Err(format!(
            "AST changed after printing\n--- printed:\n{printed}"
        ));
    }
    let reprinted = second.to_string();
    if reprinted != printed {
        return Err(format!(
            "printing is not idempotent:\n{printed}\n--- vs ---\n{reprinted}"
        ));
    }
    Ok(())
}

#[test]
fn corpus_roundtrips() {
    let Some(queries) = corpus() else { return };
    let mut checked = 0;
    let mut failures = Vec::new();
    for (path, q) in &queries {
        if parse_query(q).is_err() {
            continue; // the known-invalid ones (the corpus test checks that list)
        }
        checked += 1;
        if let Err(e) = check_roundtrip(q) {
            failures.push(format!("{}: {e}", short(path)));
        }
    }
    assert!(checked >= 230, "only {checked} corpus queries checked");
    assert!(
        failures.is_empty(),
        "{} round-trip failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn small_queries_roundtrip() {
    for q in crate::snapshots::SMALL_QUERIES {
        if let Err(e) = check_roundtrip(q) {
            panic!("{q}: {e}");
        }
    }
}

#[test]
fn printing_is_canonical() {
    let cases = [
        ("T|where x>1|take 5", "T\n| where x > 1\n| take 5"),
        ("print a = 1 + 2 * 3", "print a = 1 + 2 * 3"),
        ("print (1 + 2) * 3", "print (1 + 2) * 3"),
        ("print 1 - (2 - 3)", "print 1 - (2 - 3)"),
        ("print (1 - 2) - 3", "print 1 - 2 - 3"),
        ("print -(-x)", "print --x"),
        ("T | where a or b and c", "T\n| where a or b and c"),
        ("T | where (a or b) and c", "T\n| where (a or b) and c"),
        ("print ['where'], ['a b'], x", "print ['where'], ['a b'], x"),
        (
            "print @'a\\b', @'it''s', 'a''b'",
            "print \"a\\\\b\", \"it's\", \"ab\"",
        ),
        ("print 'a' 'b'", "print \"ab\""),
        (
            "print 90m, 1.5h, 100ms, 10microsecond, 3tick",
            "print 90m, 90m, 100ms, 10microsecond, 3tick",
        ),
        // A pipeline that is not the last argument or list item keeps its parentheses,
        // or its operator would swallow the comma (found by the corpus mutation fuzzer).
        (
            "print materialize((T | project v = 1), (print 2 | project v = print_0) | count)",
            "print materialize((T | project v = 1), (print 2 | project v = print_0) | count)",
        ),
        (
            "T | where x in ((U | project a, b), 3)",
            "T\n| where x in ((U | project a, b), 3)",
        ),
        (
            "T | join kind=inner (U | where y) on x",
            "T\n| join kind=inner (U | where y) on x",
        ),
        (
            "let f = (a:string, T:(*)) { T | where c == a }; f('x', T)",
            "let f = (a:string, T:(*)) { T | where c == a };\nf(\"x\", T)",
        ),
        (
            "print x = dynamic({'a': [1, 2.5, \"s\", null, true]})",
            "print x = dynamic({\"a\": [1, 2.5, \"s\", null, true]})",
        ),
        (
            "print x between (1 .. 10), y !in~ ('a')",
            "print x between (1 .. 10), y !in~ (\"a\")",
        ),
    ];
    for (q, want) in cases {
        let got = parse_query(q)
            .unwrap_or_else(|d| panic!("{q}: {d}"))
            .to_string();
        assert_eq!(got, want, "printing {q}");
        check_roundtrip(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    }
}

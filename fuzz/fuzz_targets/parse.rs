//! Fuzz target: arbitrary bytes never panic the parser, error spans lie within the input,
//! and every query that parses round-trips through `Display`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    match kql_syntax::parse_query(&src) {
        Err(d) => {
            assert!(d.span.start <= d.span.end && d.span.end <= src.len());
            let _ = d.render(&src, "fuzz");
        }
        Ok(q) => {
            let printed = q.to_string();
            let again = kql_syntax::parse_query(&printed)
                .unwrap_or_else(|d| panic!("printed query does not parse: {d}\n{printed}"));
            assert!(q == again, "round-trip changed the AST:\n{printed}");
        }
    }
    if let Err(d) = kql_syntax::parse_expr(&src) {
        assert!(d.span.end <= src.len());
    }
});

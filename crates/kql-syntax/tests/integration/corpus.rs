//! Every query under `../shared/sentinel/` parses.

use crate::common::{corpus, short};

/// Files whose query is genuinely invalid KQL, with the reason. Keep this list empty unless
/// a file really cannot be valid KQL.
const KNOWN_INVALID: &[(&str, &str)] = &[
    (
        "Mercury_Log4j_August2022.yaml",
        "missing `,` between two union legs (`... ) (CommonSecurityLog ...`); the KQL grammar requires comma-separated legs",
    ),
    (
        "Remote Desktop Network Traffic(ASIM Network Session schema).yaml",
        "mismatched quotes: `eventresult='Failure\")` opens a single-quoted string that is never closed",
    ),
    (
        "Microsoft Teams protection/Teams Spam ZAP.yaml",
        "the YAML `version: 1.0.0` key is indented into the `query: |` block, so the query text ends with `version: 1.0.0`",
    ),
];

/// Number of YAML files expected under `../shared/sentinel` (guards against path mistakes).
const EXPECTED_FILES: usize = 239;

#[test]
fn every_corpus_query_parses() {
    let Some(queries) = corpus() else { return };
    assert_eq!(
        queries.len(),
        EXPECTED_FILES,
        "number of YAML files under shared/sentinel"
    );
    let mut failures = Vec::new();
    let mut ok = 0;
    for (path, q) in &queries {
        let name = short(path);
        let known = KNOWN_INVALID.iter().find(|(p, _)| name.ends_with(p));
        match (kql_syntax::parse_query(q), known) {
            (Ok(_), None) => ok += 1,
            (Ok(_), Some(_)) => failures.push(format!("{name}: listed as invalid but parses")),
            (Err(_), Some(_)) => {}
            (Err(d), None) => failures.push(format!("{name}:\n{}", d.render(q, &name))),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus queries failed:\n{}",
        failures.len(),
        queries.len(),
        failures.join("\n")
    );
    assert_eq!(ok + KNOWN_INVALID.len(), queries.len());
}

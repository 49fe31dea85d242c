//! Planner snapshots: `LogicalPlan::display_indent()` of representative queries against
//! schema-only tables (`tests/fixtures/schemas`). A snapshot is a claim about the lowering:
//! review changes with `cargo insta review`.

use kql_engine::{Session, SessionOptions};
use std::path::Path;

fn session() -> Session {
    let mut s = Session::new(SessionOptions {
        now_ns: kql_planner::parse_datetime_text("2024-05-01T12:00:00Z"),
        target_partitions: Some(2),
        ..SessionOptions::default()
    })
    .expect("session");
    let errors =
        s.load_schema_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas"));
    assert!(errors.is_empty(), "{errors:?}");
    s
}

fn plan(q: &str) -> String {
    let s = session();
    let planned = s
        .plan(q)
        .unwrap_or_else(|d| panic!("{}", d.render(q, "query")));
    let rel = planned.results.last().expect("a result");
    let cols: Vec<String> = rel
        .columns
        .iter()
        .map(|c| format!("{}:{}", c.name, c.ty))
        .collect();
    format!(
        "columns: {}\n{}",
        cols.join(", "),
        rel.plan.display_indent()
    )
}

macro_rules! snap {
    ($name:ident, $q:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(plan($q));
        }
    };
}

snap!(
    where_project,
    "Events | where EventID == 4624 and Computer has 'dc' | project TimeGenerated, Account"
);
snap!(
    extend_replaces_in_place,
    "Events | extend EventID = tostring(EventID), New = 1"
);
snap!(
    summarize_bin_names_key,
    "Net | summarize count(), sum(Bytes) by bin(TimeGenerated, 1h), DstPort"
);
snap!(
    join_innerunique_dedupes_left,
    "Net | join (Events | project Computer, SrcIp = Account) on SrcIp"
);
snap!(
    join_where_form,
    "Net | join kind=inner (Events) where SrcIp == Account"
);
snap!(
    union_type_conflict,
    "union (print x = 1), (print x = toint(2)), (print x_long = 3)"
);
snap!(
    mv_expand_split,
    "Events | extend Parts = split(Account, '\\\\') | mv-expand Parts to typeof(string)"
);
snap!(
    make_series_anomalies,
    "Net | make-series Total = count() on TimeGenerated from ago(14d) to now() step 1d by DstPort | extend (a, s, b) = series_decompose_anomalies(Total, 2.5, -1, 'linefit')"
);
snap!(top_nulls, "Net | top 5 by Bytes desc nulls last");
snap!(
    let_scalar_and_ago,
    "let lookback = 2h; Events | where TimeGenerated > ago(lookback) | count"
);
snap!(
    arg_max_star,
    "Events | summarize Latest = arg_max(TimeGenerated, *) by Computer"
);
snap!(
    parse_simple,
    "Events | parse Account with 'user=' User:string ';id=' Id:long *"
);
snap!(
    null_equality_not_filter,
    "Events | extend same = EventID == 4624, differs = EventID != 4624"
);
snap!(euclidean_mod_and_int_div, "print a = -14 % 12, b = 7 / 2");

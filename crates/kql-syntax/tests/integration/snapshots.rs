//! insta snapshots of the Debug AST of small queries covering each operator and literal
//! form. A snapshot is a claim that the AST is right: review changes by eye.

/// (snapshot name, query): each operator and each literal form at least once.
pub const CASES: &[(&str, &str)] = &[
    ("where_basic", "T | where x > 1 and y == \"a\""),
    ("filter_alias", "T | filter x != 1"),
    ("extend_tuple", "T | extend a = 1, (b, c) = f(x), d"),
    ("project", "T | project a, b = c + 1"),
    ("project_away", "T | project-away a, b*, ['c d']"),
    ("project_keep", "T | project-keep a*, b"),
    ("project_rename", "T | project-rename a = b, ['c d'] = e"),
    ("project_reorder", "T | project-reorder b asc, a*"),
    (
        "summarize",
        "T | summarize hint.shufflekey=k c = count(), arg_max(t, *) by bin(t, 1h), k",
    ),
    ("summarize_by_only", "T | summarize by a"),
    ("count", "T | count"),
    ("take_limit", "T | take 10 | limit 5"),
    ("top", "T | top 3 by x desc nulls last"),
    (
        "sort_order",
        "T | sort by a asc, b | order by c desc nulls first",
    ),
    ("distinct", "T | distinct a, b | distinct *"),
    (
        "union_source",
        "union kind=outer withsource=S isfuzzy=true A, (B | where x), Net*",
    ),
    ("union_stage", "T | union U, _Im_Dns(starttime=ago(1d))"),
    (
        "join_on",
        "T | join kind=leftouter hint.strategy=broadcast (U | where y) on a, $left.b == $right.c",
    ),
    (
        "join_and",
        "T | join kind = inner U on $left.a == $right.b and $left.c == $right.d",
    ),
    (
        "join_where",
        "T | join kind=inner ['mapping'] where Ports == DstPortNumber",
    ),
    ("lookup", "T | lookup kind=leftouter (U) on k"),
    (
        "mv_expand",
        "T | mv-expand kind=array with_itemindex=i a, b = c to typeof(long) limit 10",
    ),
    ("mvexpand_legacy", "T | mvexpand a"),
    (
        "mv_apply",
        "T | mv-apply x = arr to typeof(string) on (where x has \"a\" | summarize make_set(x))",
    ),
    (
        "make_series_from_to",
        "T | make-series c = count() default = 0, avg(v) on t from ago(1d) to now() step 1h by k",
    ),
    (
        "make_series_in_range",
        "T | make-series kind=nonempty sum(x) on t in range(datetime(2024-01-01), datetime(2024-01-02), 1h)",
    ),
    (
        "parse",
        "T | parse kind=regex flags=Ui msg with * \"id=\" id:long \",\" rest",
    ),
    ("parse_where", "T | parse-where msg with \"a\" b"),
    (
        "parse_kv",
        "T | parse-kv msg as (a:string, b:long) with (pair_delimiter=\",\", kv_delimiter=\"=\")",
    ),
    ("evaluate", "T | evaluate bag_unpack(d)"),
    (
        "evaluate_source",
        "evaluate hint.distribution=per_node my_plugin(1)",
    ),
    ("invoke", "T | invoke f(1)"),
    (
        "render",
        "T | render timechart with (title=\"x\", ytitle=\"y\")",
    ),
    ("serialize", "T | serialize rn = row_number()"),
    (
        "top_nested",
        "T | top-nested 3 of a by c = count() desc, top-nested of b with others = -1 by sum(x)",
    ),
    (
        "as_getschema",
        "T | as hint.materialized=true X | getschema",
    ),
    ("sample", "T | sample 10 | sample-distinct 5 of a"),
    ("print", "print x = 1, 2"),
    ("print_paren", "print(ago(1d))"),
    ("range", "range x from 1 to 10 step 1"),
    ("search", "search in (T, U) \"err\""),
    (
        "find",
        "find withsource=S in (T, U*) where x == 1 project a, b",
    ),
    (
        "externaldata",
        "externaldata (a:string, b:long) [@\"https://x/y.csv\"] with (format=\"csv\", ignoreFirstRecord=true)",
    ),
    (
        "datatable",
        "datatable(a:int, b:string) [1, \"x\", 2, \"y\"]",
    ),
    ("partition", "T | partition by k (top 3 by x)"),
    ("reduce", "T | reduce by msg with threshold=0.5"),
    ("facet", "T | facet by a, b with (take 5)"),
    ("consume", "T | consume"),
    (
        "let_values",
        "let a = 14d; let t = T | where x; let m = materialize(t); let s = toscalar(m | count); t",
    ),
    (
        "let_function",
        "let f = (a:string, b:datetime = datetime(null), T:(x:long, *)) { let y = 1; T | where c == a }; f(\"x\", T)",
    ),
    ("let_view", "let v = view () { T }; v"),
    (
        "set_declare",
        "set querytrace; set query_now = datetime(2024-01-01); declare query_parameters(p:string = \"x\"); T",
    ),
    (
        "literal_numbers",
        "print 12, 0x1F, 1.5, 1e5, 1.5e-3, .5, int(5), long(-1), real(nan), real(+inf), double(null), decimal(1.5), bool(true), bool(null), true, False",
    ),
    (
        "literal_timespans",
        "print 14d, 1.5h, 10m, 30s, 100ms, 10microsecond, 5ticks, 2min, 1hr, timespan(1.02:03:04), time(2d), timespan(null), timespan(15 seconds)",
    ),
    (
        "literal_strings",
        "print 'a\\'b', \"c\\n\\u0041\", @'C:\\x', @\"a\"\"b\", h'secret', H@\"x\", \"a\" 'b', ```multi\nline```",
    ),
    (
        "literal_datetime_guid",
        "print datetime(2024-01-01), datetime(2024-01-01 10:00:00.1234567), datetime(null), guid(74be27de-1e4e-49d9-b579-fe0b331d3642), guid(null)",
    ),
    (
        "literal_dynamic",
        "print dynamic([1, \"a\", {\"k\": datetime(2020-01-01)}]), dynamic(null), dynamic({}), dynamic([-1, 2.5, true, null])",
    ),
    (
        "postfix",
        "print a.b['c'][0], $left.Col, f(a, starttime=ago(1d)), EventDetail.[9]",
    ),
    (
        "list_ops",
        "T | where x in (1, 2) and y !in~ (\"a\") and z has_any (l) and w has_all (\"b\") and v in (U | project y)",
    ),
    (
        "string_ops",
        "T | where a has \"x\" or a !has_cs \"y\" or a contains_cs \"z\" or a !startswith_cs \"w\" or a matches regex \"r\" or a =~ \"b\" or a !~ \"c\" or a <> 1 or a hasprefix \"p\" or a !endswith \"e\"",
    ),
    (
        "between",
        "T | where x between (1 .. 10) and y !between (a .. b)",
    ),
    ("precedence", "print -a * (b + c) % 2 - +d / e"),
    (
        "soft_keywords",
        "T | project by = 1, on, kind, count, where = title | extend with = 2",
    ),
    ("comments", "T // c\n| where x // d\n| take 1;;"),
];

/// The query texts, for the round-trip test.
pub const SMALL_QUERIES: &[&str] = &{
    let mut out = [""; CASES.len()];
    let mut i = 0;
    while i < CASES.len() {
        out[i] = CASES[i].1;
        i += 1;
    }
    out
};

#[test]
fn ast_snapshots() {
    assert!(CASES.len() >= 40);
    for (name, q) in CASES {
        let ast =
            kql_syntax::parse_query(q).unwrap_or_else(|d| panic!("{name}: {}", d.render(q, name)));
        insta::with_settings!({ description => *q, omit_expression => true }, {
            insta::assert_debug_snapshot!(*name, ast);
        });
    }
}

//! Malformed queries: each asserts the diagnostic code, message and (line, column).

use kql_syntax::parse_query;

/// (query, code, message, line, column, help)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    usize,
    usize,
    Option<&'static str>,
);

const CASES: &[Case] = &[
    (
        "T | summarize count() bye x",
        "KQL1002",
        "expected `by` after summarize aggregates, found `bye`",
        1,
        23,
        None,
    ),
    (
        "T\n| where x > 1\n| summarize count() bye x",
        "KQL1002",
        "expected `by` after summarize aggregates, found `bye`",
        3,
        21,
        None,
    ),
    (
        "T | where x == 'abc",
        "KQL1003",
        "unterminated string literal (a string cannot span lines; close it with its opening quote)",
        1,
        16,
        None,
    ),
    (
        "T | where x == \"abc\n| take 1",
        "KQL1003",
        "unterminated string literal (a string cannot span lines; close it with its opening quote)",
        1,
        16,
        None,
    ),
    (
        "print 'a' 'b",
        "KQL1003",
        "unterminated string literal (a string cannot span lines; close it with its opening quote)",
        1,
        11,
        None,
    ),
    (
        "T | wher x > 1",
        "KQL1008",
        "unknown tabular operator `wher`",
        1,
        5,
        Some("did you mean `where`?"),
    ),
    (
        "T | summarise count() by x",
        "KQL1008",
        "unknown tabular operator `summarise`",
        1,
        5,
        Some("did you mean `summarize`?"),
    ),
    (
        "T | where (x > 1",
        "KQL1009",
        "expected `)` to close `(`, found end of input",
        1,
        17,
        None,
    ),
    (
        "T | where x > 1)",
        "KQL1009",
        "unexpected `)` without a matching opening bracket",
        1,
        16,
        None,
    ),
    (
        "T | where f(1, 2",
        "KQL1009",
        "expected `)` to close the argument list `(`, found end of input",
        1,
        17,
        None,
    ),
    (
        "datatable(a:int)[1, 2",
        "KQL1009",
        "expected `]` to close the datatable values `[`, found end of input",
        1,
        22,
        None,
    ),
    (
        "T | extend a = datetime(2024-01-01",
        "KQL1009",
        "`datetime(` literal is missing its closing `)`",
        1,
        24,
        None,
    ),
    (
        "",
        "KQL1011",
        "the query is empty (it contains no statement)",
        1,
        1,
        None,
    ),
    (
        "   // just a comment\n",
        "KQL1011",
        "the query is empty (it contains no statement)",
        2,
        1,
        None,
    ),
    (
        "T | take 10 extra",
        "KQL1001",
        "expected `|` or the end of the query after the `take` operator, found `extra`",
        1,
        13,
        None,
    ),
    (
        "T | where x = 1",
        "KQL1001",
        "expected `|` or the end of the query after the `where` operator, found `=`",
        1,
        13,
        Some("use `==` to compare values"),
    ),
    (
        "let x = 1 T",
        "KQL1012",
        "expected `|`, `;` or the end of the query, found `T`",
        1,
        11,
        None,
    ),
    (
        "T | extend a = 0x",
        "KQL1004",
        "invalid number literal `0x`",
        1,
        16,
        None,
    ),
    (
        "print 99999999999999999999",
        "KQL1004",
        "invalid number literal `99999999999999999999` (out of range for long)",
        1,
        7,
        None,
    ),
    (
        "T | extend a = int(1.5)",
        "KQL1004",
        "invalid int literal `int(1.5)`",
        1,
        20,
        None,
    ),
    (
        "T | extend a = real(abc)",
        "KQL1004",
        "invalid real literal `real(abc)`",
        1,
        21,
        None,
    ),
    (
        "T | extend a = 5w",
        "KQL1005",
        "invalid timespan literal `5w`: unknown unit `w`",
        1,
        16,
        Some("timespan units are d, h, m, s, ms, microsecond, tick"),
    ),
    (
        "T | extend a = timespan(1:2:3:4)",
        "KQL1005",
        "invalid timespan literal `timespan(1:2:3:4)`",
        1,
        25,
        None,
    ),
    (
        "T | extend a = guid(xyz)",
        "KQL1006",
        "invalid guid literal `guid(xyz)`",
        1,
        21,
        None,
    ),
    (
        "T | extend a = \"\\u12\"",
        "KQL1006",
        "invalid unicode escape in string literal (expected `\\uXXXX`)",
        1,
        17,
        None,
    ),
    (
        "T | extend a = dynamic([1, 2)",
        "KQL1007",
        "expected `,` or `]` in dynamic array, found `)`",
        1,
        29,
        None,
    ),
    (
        "T | extend a = dynamic({\"a\" 1})",
        "KQL1007",
        "expected `:` after property name in dynamic object, found `1`",
        1,
        29,
        None,
    ),
    (
        "T | join kind=inner (U) onn x",
        "KQL1002",
        "expected `on` or `where` after the right side of `join`, found `onn`",
        1,
        25,
        None,
    ),
    (
        "T | sort x",
        "KQL1002",
        "expected `by` after `sort`, found `x`",
        1,
        10,
        None,
    ),
    (
        "T | top 5 x",
        "KQL1002",
        "expected `by` after the `top` row count, found `x`",
        1,
        11,
        None,
    ),
    (
        "T | make-series count() by x",
        "KQL1002",
        "expected `on` after make-series aggregates, found `by`",
        1,
        25,
        None,
    ),
    (
        "T | parse x \"a\" b",
        "KQL1002",
        "expected `with` after the `parse` expression, found string literal",
        1,
        13,
        None,
    ),
    (
        "T | mv-apply x on summarize count()",
        "KQL1001",
        "expected `(` before the mv-apply subquery, found `summarize`",
        1,
        19,
        None,
    ),
    (
        "let x = ;",
        "KQL1001",
        "expected a value after `=`, found `;`",
        1,
        9,
        None,
    ),
    (
        "let f = (a:strin) { a }; f(1)",
        "KQL1013",
        "unknown type `strin`",
        1,
        12,
        Some("did you mean `string`?"),
    ),
    (
        "T | where x between (1, 2)",
        "KQL1001",
        "expected `..` in `between (low .. high)`, found `,`",
        1,
        23,
        None,
    ),
    (
        "T | project a,",
        "KQL1001",
        "expected a column after `project`, found end of input",
        1,
        15,
        None,
    ),
    (
        "T |",
        "KQL1001",
        "expected a tabular operator after `|`, found end of input",
        1,
        4,
        None,
    ),
    (
        "T | extend a = ```abc",
        "KQL1014",
        "unterminated multi-line string literal (missing closing ```)",
        1,
        16,
        None,
    ),
    (
        "T | project-rename a",
        "KQL1001",
        "expected `=` in `project-rename NewName = OldName`, found end of input",
        1,
        21,
        None,
    ),
    (
        "range x from 1 to 10",
        "KQL1001",
        "expected `step` in `range`, found end of input",
        1,
        21,
        None,
    ),
    (
        "T | where é == 1 |",
        "KQL1001",
        "expected a tabular operator after `|`, found end of input",
        1,
        19,
        None,
    ),
];

#[test]
fn malformed_queries_report_code_message_and_position() {
    assert!(CASES.len() >= 25);
    let mut failures = Vec::new();
    for &(q, code, message, line, col, help) in CASES {
        match parse_query(q) {
            Ok(_) => failures.push(format!("{q:?}: parsed, expected {code}")),
            Err(d) => {
                let got = (d.code, d.message.as_str(), d.line_col(q), d.help.as_deref());
                let want = (code, message, (line, col), help);
                if got != want {
                    failures.push(format!("{q:?}:\n  got  {got:?}\n  want {want:?}"));
                }
                assert!(d.span.end <= q.len());
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rendered_error_points_at_the_token() {
    let q = "T\n| summarize count() bye x";
    let d = parse_query(q).unwrap_err();
    let r = d.render(q, "rule.kql");
    assert_eq!(
        r,
        "error[KQL1002]: expected `by` after summarize aggregates, found `bye`\n --> rule.kql:2:21\n  |\n2 | | summarize count() bye x\n  |                     ^^^\n"
    );
}

#[test]
fn deep_nesting_is_reported() {
    let q = format!("print {}", "(".repeat(1000));
    let d = parse_query(&q).unwrap_err();
    assert_eq!(d.code, "KQL1010");
    assert_eq!(
        d.message,
        format!(
            "nesting is too deep (more than {} levels)",
            kql_syntax::MAX_DEPTH
        )
    );
}

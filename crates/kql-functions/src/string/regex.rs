//! Regex string functions: `trim`, `trim_start`, `trim_end` (regex, not literal:
//! kql-semantics §7.7), `replace_regex`, legacy `replace`, `extract`, `extract_all`,
//! `regex_quote`.
//!
//! Patterns use RE2 syntax, implemented with the Rust `regex` crate. Literal patterns are
//! compiled once per batch; pattern columns are compiled per distinct value (small cache).
//! An invalid pattern is an execution error naming the function and the pattern.

use crate::convert::kit::{
    Arg, Ints, RegexCache, Strs, build_utf8, build_utf8_opt, kql_udf, list_of, ret_utf8,
};
use crate::dynamic::json::{to_canonical, write_json_string};
use crate::dynamic::value::DynArg;
use datafusion::arrow::array::{ArrayRef, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs};
use regex::Regex;
use serde_json::Value;
use std::sync::Arc;

const STR2: &[Arg] = &[Arg::Str, Arg::Str];
const STR3: &[Arg] = &[Arg::Str, Arg::Str, Arg::Str];

// ---------------------------------------------------------------------------------------
// trim family

#[derive(Clone, Copy)]
enum TrimSide {
    Start,
    End,
}

fn anchored(side: TrimSide) -> fn(&str) -> String {
    match side {
        // The pattern goes in a non-capturing group so that an alternation is anchored as
        // a whole (kql-semantics §7.7).
        TrimSide::Start => |p| format!("^(?:{p})"),
        TrimSide::End => |p| format!("(?:{p})$"),
    }
}

/// Removes **one** match of the anchored regex (kql-semantics §7.7 recommendation:
/// `trim_end("a", "baaa")` = `"baa"`). // unverified against ADX for repeated matches
fn trim_once<'a>(re: &Regex, s: &'a str) -> &'a str {
    match re.find(s) {
        Some(m) => {
            let (a, b) = (m.start(), m.end());
            if a == 0 {
                &s[b..]
            } else if b == s.len() {
                &s[..a]
            } else {
                s
            }
        }
        None => s,
    }
}

fn invoke_trim_side(
    args: &[ColumnarValue],
    n: usize,
    fname: &str,
    sides: &[TrimSide],
) -> Result<ArrayRef> {
    let p = Strs::new(&args[0])?;
    let s = Strs::new(&args[1])?;
    let mut caches: Vec<RegexCache> = sides.iter().map(|_| RegexCache::default()).collect();
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let mut cur: &str = s.get(i);
        for (k, side) in sides.iter().enumerate() {
            let re = caches[k].get_with(fname, p.get(i), anchored(*side))?;
            cur = trim_once(re, cur);
        }
        rows.push(cur.to_string());
    }
    Ok(build_utf8(n, |i, out| out.push_str(&rows[i])))
}

fn invoke_trim(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_trim_side(args, n, "trim", &[TrimSide::Start, TrimSide::End])
}
fn invoke_trim_start(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_trim_side(args, n, "trim_start", &[TrimSide::Start])
}
fn invoke_trim_end(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_trim_side(args, n, "trim_end", &[TrimSide::End])
}

kql_udf!(
    /// KQL: `trim(regex, source)` - remove one leading match of `^(?:regex)` and then one
    /// trailing match of `(?:regex)$`. `regex` is a regular expression, not a literal.
    kql_trim, "kql_trim", STR2, 2, ret_utf8, invoke_trim
);
kql_udf!(
    /// KQL: `trim_start(regex, source)` - remove one leading match of `^(?:regex)`.
    kql_trim_start, "kql_trim_start", STR2, 2, ret_utf8, invoke_trim_start
);
kql_udf!(
    /// KQL: `trim_end(regex, source)` - remove one trailing match of `(?:regex)$`
    /// (`trim_end(".0", "8080")` = `"80"`, `trim_end(".0", "80")` = `""`).
    kql_trim_end, "kql_trim_end", STR2, 2, ret_utf8, invoke_trim_end
);

// ---------------------------------------------------------------------------------------
// replace_regex / replace

/// Converts a KQL/RE2 rewrite (`\0`…`\9` group references, `\\` a backslash) into the
/// Rust `regex` replacement syntax (`${n}`, `$$`).
pub fn convert_rewrite(rewrite: &str) -> String {
    let mut out = String::with_capacity(rewrite.len() + 8);
    let mut it = rewrite.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.peek().copied() {
                Some(d @ '0'..='9') => {
                    it.next();
                    out.push_str("${");
                    out.push(d);
                    out.push('}');
                }
                Some('\\') => {
                    it.next();
                    out.push('\\');
                }
                _ => out.push('\\'),
            },
            '$' => out.push_str("$$"),
            other => out.push(other),
        }
    }
    out
}

fn replace_rows(
    n: usize,
    fname: &str,
    text: &Strs,
    pattern: &Strs,
    rewrite: &Strs,
) -> Result<ArrayRef> {
    let mut cache = RegexCache::default();
    let scalar_rewrite = rewrite.scalar().map(convert_rewrite);
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let re = cache.get(fname, pattern.get(i))?;
        let rw = match &scalar_rewrite {
            Some(r) => std::borrow::Cow::Borrowed(r.as_str()),
            None => std::borrow::Cow::Owned(convert_rewrite(rewrite.get(i))),
        };
        rows.push(re.replace_all(text.get(i), rw.as_ref()).into_owned());
    }
    Ok(build_utf8(n, |i, out| out.push_str(&rows[i])))
}

fn invoke_replace_regex(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let t = Strs::new(&args[0])?;
    let p = Strs::new(&args[1])?;
    let r = Strs::new(&args[2])?;
    replace_rows(n, "replace_regex", &t, &p, &r)
}

fn invoke_replace_legacy(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let p = Strs::new(&args[0])?;
    let r = Strs::new(&args[1])?;
    let t = Strs::new(&args[2])?;
    replace_rows(n, "replace", &t, &p, &r)
}

kql_udf!(
    /// KQL: `replace_regex(text, regex, rewrite)` - replace every non-overlapping match;
    /// `\0` = whole match, `\1`.. = groups.
    kql_replace_regex, "kql_replace_regex", STR3, 3, ret_utf8, invoke_replace_regex
);
kql_udf!(
    /// KQL: `replace(regex, rewrite, text)` - deprecated alias of `replace_regex` with the
    /// legacy argument order.
    kql_replace, "kql_replace", STR3, 3, ret_utf8, invoke_replace_legacy
);

// ---------------------------------------------------------------------------------------
// extract

fn invoke_extract(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let p = Strs::new(&args[0])?;
    let g = Ints::new(&args[1])?;
    let s = Strs::new(&args[2])?;
    let mut cache = RegexCache::default();
    let mut rows: Vec<Option<String>> = Vec::with_capacity(n);
    for i in 0..n {
        let re = cache.get("extract", p.get(i))?;
        let text = s.get(i);
        let v = g.get(i).and_then(|grp| {
            let grp = usize::try_from(grp).ok()?;
            let caps = re.captures(text)?;
            caps.get(grp).map(|m| m.as_str().to_string())
        });
        rows.push(v);
    }
    Ok(build_utf8(n, |i, out| {
        if let Some(Some(v)) = rows.get(i) {
            out.push_str(v);
        }
    }))
}

kql_udf!(
    /// KQL: `extract(regex, captureGroup, source)` - the first match's group (0 = whole
    /// match) as a string; `""` when there is no match or the group did not participate.
    /// `(Utf8, Int64, Utf8) → Utf8`. For the optional `typeof(T)` the planner converts
    /// the result (`toint(...)` etc.; `""` then becomes null).
    kql_extract, "kql_extract", &[Arg::Str, Arg::Int, Arg::Str], 3, ret_utf8, invoke_extract
);

// ---------------------------------------------------------------------------------------
// extract_all

/// A group selector of `extract_all`: an index or a group name.
#[derive(Clone, Debug)]
enum GroupSel {
    Index(usize),
    Name(String),
}

fn parse_group_list(v: &Value) -> Result<Vec<GroupSel>> {
    let items = match v {
        Value::Array(a) => a.clone(),
        Value::Null => return Ok(Vec::new()),
        other => vec![other.clone()],
    };
    items
        .iter()
        .map(|x| match x {
            Value::Number(num) => match num.as_u64() {
                Some(k) if k >= 1 => Ok(GroupSel::Index(k as usize)),
                _ => exec_err!("extract_all: invalid capture group {num}"),
            },
            Value::String(s) => Ok(GroupSel::Name(s.clone())),
            other => exec_err!("extract_all: invalid capture group {other}"),
        })
        .collect()
}

fn resolve_groups(re: &Regex, sel: &[GroupSel]) -> Result<Vec<usize>> {
    let count = re.captures_len() - 1;
    if count == 0 {
        return exec_err!(
            "extract_all: the regular expression {:?} must contain between 1 and 16 capture groups",
            re.as_str()
        );
    }
    if sel.is_empty() {
        return Ok((1..=count).collect());
    }
    let names: Vec<Option<&str>> = re.capture_names().collect();
    sel.iter()
        .map(|g| match g {
            GroupSel::Index(k) if *k <= count => Ok(*k),
            GroupSel::Index(k) => exec_err!("extract_all: capture group {k} does not exist"),
            GroupSel::Name(nm) => match names.iter().position(|x| *x == Some(nm.as_str())) {
                Some(k) => Ok(k),
                None => exec_err!("extract_all: capture group {nm:?} does not exist"),
            },
        })
        .collect()
}

/// Whether `extract_all` returns the flat `List<Utf8>` form (exactly one group selected)
/// for literal arguments; `None` when it cannot be known at planning time.
fn extract_all_is_flat(regex: &str, groups: Option<&Value>) -> Option<bool> {
    let re = Regex::new(regex).ok()?;
    let sel = match groups {
        Some(v) => parse_group_list(v).ok()?,
        None => Vec::new(),
    };
    let g = resolve_groups(&re, &sel).ok()?;
    Some(g.len() == 1)
}

fn scalar_str(s: Option<&ScalarValue>) -> Option<String> {
    match s? {
        ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v) => v.clone(),
        _ => None,
    }
}

fn extract_all_return(args: &ReturnFieldArgs) -> Result<DataType> {
    let n = args.arg_fields.len();
    let regex = scalar_str(args.scalar_arguments.first().copied().flatten());
    let groups = if n == 3 {
        match args.scalar_arguments.get(1).copied().flatten() {
            Some(s) => Some(crate::dynamic::value::scalar_to_value(s)?),
            None => return Ok(DataType::Utf8),
        }
    } else {
        None
    };
    Ok(
        match regex.and_then(|r| extract_all_is_flat(&r, groups.as_ref())) {
            Some(true) => list_of(DataType::Utf8),
            _ => DataType::Utf8,
        },
    )
}

fn invoke_extract_all(args: &[ColumnarValue], n: usize, ret: &DataType) -> Result<ArrayRef> {
    let p = Strs::new(&args[0])?;
    let (groups, s) = if args.len() == 3 {
        (Some(DynArg::new(&args[1])?), Strs::new(&args[2])?)
    } else {
        (None, Strs::new(&args[1])?)
    };
    let flat = matches!(ret, DataType::List(_));
    let mut cache = RegexCache::default();
    let mut list = ListBuilder::new(StringBuilder::new());
    let mut json = StringBuilder::new();
    for i in 0..n {
        let re = cache.get("extract_all", p.get(i))?;
        let sel = match &groups {
            Some(g) => parse_group_list(&g.value(i))?,
            None => Vec::new(),
        };
        let idx = resolve_groups(re, &sel)?;
        let text = s.get(i);
        let matches: Vec<Vec<&str>> = re
            .captures_iter(text)
            .map(|c| {
                idx.iter()
                    .map(|&k| c.get(k).map(|m| m.as_str()).unwrap_or(""))
                    .collect()
            })
            .collect();
        if flat {
            if idx.len() != 1 {
                return exec_err!("extract_all: internal error: flat result for several groups");
            }
            if matches.is_empty() {
                list.append(false);
            } else {
                for m in &matches {
                    list.values().append_value(m[0]);
                }
                list.append(true);
            }
        } else if matches.is_empty() {
            json.append_null();
        } else {
            let mut out = String::from("[");
            for (k, m) in matches.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                if idx.len() == 1 {
                    write_json_string(&mut out, m[0]);
                } else {
                    out.push('[');
                    for (j, x) in m.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        write_json_string(&mut out, x);
                    }
                    out.push(']');
                }
            }
            out.push(']');
            json.append_value(out);
        }
    }
    if flat {
        Ok(Arc::new(list.finish()))
    } else {
        Ok(Arc::new(json.finish()))
    }
}

fn invoke_extract_all_untyped(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_extract_all(args, n, &DataType::Utf8)
}

kql_udf!(
    /// KQL: `extract_all(regex, [captureGroups,] source)` - all matches. Result physical
    /// type depends on literal arguments: `List<Utf8>` when the regex (and
    /// `captureGroups`) are literals selecting exactly one group, otherwise dynamic JSON
    /// text (`["a","b"]` for one group, `[["a","b"],...]` for several). No match → null.
    kql_extract_all, "kql_extract_all", &[Arg::Str, Arg::Any, Arg::Str], 2, ret_utf8,
    invoke_extract_all_untyped, with_return_field(extract_all_return),
    typed(invoke_extract_all)
);

// ---------------------------------------------------------------------------------------
// regex_quote

fn invoke_regex_quote(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8_opt(n, |i| Some(regex::escape(s.get(i)))))
}

kql_udf!(
    /// KQL: `regex_quote(s)` - escape the regex metacharacters of `s`.
    kql_regex_quote, "kql_regex_quote", &[Arg::Str], 1, ret_utf8, invoke_regex_quote
);

/// Canonical JSON of a list of strings (test helper and planner convenience).
pub fn strings_to_json(items: &[&str]) -> String {
    to_canonical(&Value::Array(
        items.iter().map(|s| Value::String(s.to_string())).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::invoke_udf;
    use crate::convert::kit::invoke_planned;
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::logical_expr::ScalarUDF;

    fn s(v: &str) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Utf8(Some(v.to_string())))
    }
    fn i(v: i64) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Int64(Some(v)))
    }
    fn str_of(udf: &ScalarUDF, args: Vec<ColumnarValue>) -> String {
        let r = invoke_udf(udf, args).unwrap();
        r.as_string::<i32>().value(0).to_string()
    }

    // https://learn.microsoft.com/kusto/query/trim-function
    #[test]
    fn trim_docs() {
        assert_eq!(
            str_of(&kql_trim(), vec![s("--"), s("--https://bing.com--")]),
            "https://bing.com"
        );
        assert_eq!(
            str_of(&kql_trim(), vec![s(r"[^\w]+"), s("-  Te st1// $")]),
            "Te st1"
        );
        assert_eq!(
            str_of(&kql_trim(), vec![s(r"\s+"), s("    Hello, world!    ")]),
            "Hello, world!"
        );
        // kql-semantics §7.7
        assert_eq!(str_of(&kql_trim(), vec![s("1"), s("11")]), "");
        assert_eq!(str_of(&kql_trim(), vec![s("1"), s("10")]), "0");
    }

    // https://learn.microsoft.com/kusto/query/trim-end-function
    #[test]
    fn trim_end_docs() {
        assert_eq!(
            str_of(&kql_trim_end(), vec![s(".com"), s("bing.com")]),
            "bing"
        );
        assert_eq!(
            str_of(&kql_trim_end(), vec![s(r"[^\w]+"), s("-  Te st1// $")]),
            "-  Te st1"
        );
        assert_eq!(
            str_of(&kql_trim_end(), vec![s(r"\s+"), s("    Hello, world!    ")]),
            "    Hello, world!"
        );
        // kql-semantics §7.7 (target-query trap)
        assert_eq!(str_of(&kql_trim_end(), vec![s(".0"), s("8080")]), "80");
        assert_eq!(str_of(&kql_trim_end(), vec![s(".0"), s("80")]), "");
        assert_eq!(str_of(&kql_trim_end(), vec![s(".0"), s("443")]), "443");
        assert_eq!(str_of(&kql_trim_end(), vec![s(".0"), s("3000")]), "30");
        assert_eq!(str_of(&kql_trim_end(), vec![s(".0"), s("110")]), "1");
        assert_eq!(str_of(&kql_trim_end(), vec![s(".0"), s("5900")]), "59");
        assert_eq!(str_of(&kql_trim_end(), vec![s("^asd"), s("wasd")]), "wasd");
        assert_eq!(str_of(&kql_trim_end(), vec![s("^asd"), s("asd")]), "");
        assert_eq!(
            str_of(
                &kql_trim_end(),
                vec![s("://www.ibm.com"), s("https://www.ibm.com")]
            ),
            "https"
        );
        assert_eq!(str_of(&kql_trim_end(), vec![s("a|b"), s("xab")]), "xa");
        // one removal only // unverified against ADX
        assert_eq!(str_of(&kql_trim_end(), vec![s("a"), s("baaa")]), "baa");
        let port = ColumnarValue::Scalar(ScalarValue::Int32(Some(8080)));
        assert_eq!(str_of(&kql_trim_end(), vec![s(".0"), port]), "80");
        assert!(invoke_udf(&kql_trim_end(), vec![s("("), s("x")]).is_err());
    }

    // https://learn.microsoft.com/kusto/query/trim-start-function
    #[test]
    fn trim_start_docs() {
        assert_eq!(
            str_of(
                &kql_trim_start(),
                vec![s("https://"), s("https://bing.com")]
            ),
            "bing.com"
        );
        assert_eq!(
            str_of(&kql_trim_start(), vec![s(r"[^\w]+"), s("-  Te st1// $")]),
            "Te st1// $"
        );
        assert_eq!(
            str_of(
                &kql_trim_start(),
                vec![s(r"\s+"), s("    Hello, world!    ")]
            ),
            "Hello, world!    "
        );
    }

    // https://learn.microsoft.com/kusto/query/replace-regex-function
    #[test]
    fn replace_regex_docs() {
        assert_eq!(
            str_of(
                &kql_replace_regex(),
                vec![s("Number is 1.000000"), s(r"is (\d+)"), s(r"was: \1")]
            ),
            "Number was: 1.000000"
        );
        assert_eq!(
            str_of(
                &kql_replace(),
                vec![s(r"is (\d+)"), s(r"was: \1"), s("Number is 2")]
            ),
            "Number was: 2"
        );
        assert_eq!(
            str_of(&kql_replace_regex(), vec![s("abc"), s("b"), s("$1\\0\\\\")]),
            "a$1b\\c"
        );
        assert_eq!(convert_rewrite(r"\1-\0"), "${1}-${0}");
    }

    // https://learn.microsoft.com/kusto/query/extract-function
    #[test]
    fn extract_docs() {
        assert_eq!(
            str_of(&kql_extract(), vec![s(r"-(\d{2})-"), i(1), s("15-12-2024")]),
            "12"
        );
        assert_eq!(
            str_of(
                &kql_extract(),
                vec![
                    s("User: ([^,]+)"),
                    i(1),
                    s("User: JohnDoe, Email: johndoe@example.com, Age: 29")
                ]
            ),
            "JohnDoe"
        );
        assert_eq!(str_of(&kql_extract(), vec![s("x(y)?"), i(1), s("x")]), "");
        assert_eq!(str_of(&kql_extract(), vec![s("abc"), i(0), s("zzz")]), "");
        assert_eq!(str_of(&kql_extract(), vec![s("abc"), i(5), s("abc")]), "");
        assert_eq!(str_of(&kql_extract(), vec![s("abc"), i(-1), s("abc")]), "");
    }

    // https://learn.microsoft.com/kusto/query/extract-all-function
    #[test]
    fn extract_all_docs() {
        let id = "82b8be2d-dfa7-4bd1-8f63-24ad26d31449";
        let r = invoke_planned(&kql_extract_all(), vec![s(r"([\da-f]{2})"), s(id)]).unwrap();
        let l = r.as_list::<i32>();
        let v = l.value(0);
        let v = v.as_string::<i32>();
        assert_eq!(v.len(), 16);
        assert_eq!(v.value(0), "82");
        assert_eq!(v.value(15), "49");

        let r = invoke_planned(&kql_extract_all(), vec![s(r"(\w)(\w+)(\w)"), s(id)]).unwrap();
        assert_eq!(
            r.as_string::<i32>().value(0),
            r#"[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]"#
        );
        let r = invoke_planned(
            &kql_extract_all(),
            vec![s(r"(\w)(\w+)(\w)"), s("[1,3]"), s(id)],
        )
        .unwrap();
        assert_eq!(
            r.as_string::<i32>().value(0),
            r#"[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]"#
        );
        let r = invoke_planned(
            &kql_extract_all(),
            vec![
                s(r"(?P<first>\w)(?P<middle>\w+)(?P<last>\w)"),
                s(r#"["first",2,"last"]"#),
                s(id),
            ],
        )
        .unwrap();
        assert_eq!(
            r.as_string::<i32>().value(0),
            r#"[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]"#
        );
        let r = invoke_planned(
            &kql_extract_all(),
            vec![s(r"(\d+)"), s("a set of numbers: 123, 567 and 789")],
        )
        .unwrap();
        let l = r.as_list::<i32>();
        assert_eq!(l.value(0).len(), 3);
        // no match → null
        let r = invoke_planned(&kql_extract_all(), vec![s(r"(\d+)"), s("none")]).unwrap();
        assert!(r.is_null(0));
        // untyped invocation (pattern not literal at planning) → JSON text
        let r = invoke_udf(&kql_extract_all(), vec![s(r"(\d+)"), s("a1b22")]).unwrap();
        assert_eq!(r.as_string::<i32>().value(0), r#"["1","22"]"#);
        assert!(invoke_udf(&kql_extract_all(), vec![s(r"\d+"), s("a1")]).is_err());
    }

    #[test]
    fn regex_quote_works() {
        assert_eq!(str_of(&kql_regex_quote(), vec![s("a.b*c")]), r"a\.b\*c");
        assert_eq!(strings_to_json(&["a", "b\""]), r#"["a","b\""]"#);
    }
}

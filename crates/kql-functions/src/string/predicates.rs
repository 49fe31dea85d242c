//! String predicates (kql-semantics §9): the term-based `has` family, `contains`,
//! `startswith`, `endswith`, `=~`, `matches regex`, `has_any`, `has_all`, `in~`.
//!
//! Case-insensitive operators fold **ASCII letters only**: "Case-insensitive operators are
//! currently supported only for ASCII-text" (https://learn.microsoft.com/kusto/query/datatypes-string-operators).
//! That also makes every comparison allocation-free. Negations (`!has`, `!contains`...) are
//! done by the planner with NOT (strings are never null, so the results are never null).

use crate::convert::kit::{Arg, RegexCache, Strs, build_bool, kql_udf, ret_bool};
use crate::dynamic::value::StrList;
use datafusion::arrow::array::ArrayRef;
use datafusion::common::Result;
use datafusion::logical_expr::ColumnarValue;
use std::collections::HashMap;

/// Term characters (kql-semantics §9.1): alphanumerics. Non-ASCII letters and digits count
/// as term characters (Unicode `is_alphanumeric`). // unverified against ADX for non-ASCII
#[inline]
pub(crate) fn is_term_char(c: char) -> bool {
    c.is_alphanumeric()
}

#[inline]
fn eq_bytes(a: &[u8], b: &[u8], ci: bool) -> bool {
    if ci {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// Byte offsets of every (possibly overlapping) occurrence of `needle` in `hay`. With ASCII
/// folding a byte-level match always starts and ends on char boundaries.
fn for_each_match(hay: &str, needle: &str, ci: bool, mut f: impl FnMut(usize) -> bool) -> bool {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || n.len() > h.len() {
        return false;
    }
    let first = n[0];
    let first_alt = if ci {
        first.to_ascii_uppercase()
    } else {
        first
    };
    let first_low = if ci {
        first.to_ascii_lowercase()
    } else {
        first
    };
    let last_start = h.len() - n.len();
    let mut i = 0;
    while i <= last_start {
        let b = h[i];
        if (b == first_low || b == first_alt || b == first)
            && eq_bytes(&h[i..i + n.len()], n, ci)
            && f(i)
        {
            return true;
        }
        i += 1;
    }
    false
}

fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i).and_then(|p| p.chars().next_back())
}

fn char_after(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|p| p.chars().next())
}

/// Which side(s) of an occurrence must lie on a term boundary.
#[derive(Clone, Copy)]
enum TermMode {
    Whole,
    Prefix,
    Suffix,
}

/// The reference implementation of kql-semantics §9.2: accept an occurrence when the
/// character before it (if any) is not a term character or the needle does not start with
/// one, and likewise after it.
fn term_match(hay: &str, needle: &str, ci: bool, mode: TermMode) -> bool {
    let (Some(nf), Some(nl)) = (needle.chars().next(), needle.chars().next_back()) else {
        // `has ""`: false. // unverified against ADX (kql-semantics §9.2 suggestion)
        return false;
    };
    let check_left = is_term_char(nf) && matches!(mode, TermMode::Whole | TermMode::Prefix);
    let check_right = is_term_char(nl) && matches!(mode, TermMode::Whole | TermMode::Suffix);
    for_each_match(hay, needle, ci, |start| {
        let end = start + needle.len();
        let left_ok = !check_left || !char_before(hay, start).is_some_and(is_term_char);
        let right_ok = !check_right || !char_after(hay, end).is_some_and(is_term_char);
        left_ok && right_ok
    })
}

/// KQL `has` (`ci`) / `has_cs`.
pub fn has(hay: &str, needle: &str, ci: bool) -> bool {
    term_match(hay, needle, ci, TermMode::Whole)
}

/// KQL `hasprefix` / `hasprefix_cs`.
pub fn hasprefix(hay: &str, needle: &str, ci: bool) -> bool {
    term_match(hay, needle, ci, TermMode::Prefix)
}

/// KQL `hassuffix` / `hassuffix_cs`.
pub fn hassuffix(hay: &str, needle: &str, ci: bool) -> bool {
    term_match(hay, needle, ci, TermMode::Suffix)
}

/// KQL `contains` / `contains_cs` (`contains ""` is true).
pub fn contains(hay: &str, needle: &str, ci: bool) -> bool {
    if needle.is_empty() {
        return true;
    }
    if !ci {
        return hay.contains(needle);
    }
    for_each_match(hay, needle, true, |_| true)
}

/// KQL `startswith` / `startswith_cs`.
pub fn startswith(hay: &str, needle: &str, ci: bool) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && eq_bytes(&h[..n.len()], n, ci)
}

/// KQL `endswith` / `endswith_cs`.
pub fn endswith(hay: &str, needle: &str, ci: bool) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && eq_bytes(&h[h.len() - n.len()..], n, ci)
}

/// KQL `=~`.
pub fn equals_ci(a: &str, b: &str) -> bool {
    a.as_bytes().eq_ignore_ascii_case(b.as_bytes())
}

const STR2: &[Arg] = &[Arg::Str, Arg::Str];

fn binary(args: &[ColumnarValue], n: usize, f: impl Fn(&str, &str) -> bool) -> Result<ArrayRef> {
    let a = Strs::new(&args[0])?;
    let b = Strs::new(&args[1])?;
    Ok(build_bool(n, |i| Some(f(a.get(i), b.get(i)))))
}

macro_rules! predicate {
    ($(#[$m:meta])* $fname:ident, $name:literal, $invoke:ident, $body:expr) => {
        fn $invoke(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
            binary(args, n, $body)
        }
        kql_udf!($(#[$m])* $fname, $name, STR2, 2, ret_bool, $invoke);
    };
}

predicate!(
    /// KQL: `L has R` - `R` is a whole term of `L` (phrase rule when `R` contains
    /// non-alphanumerics), ASCII case-insensitive. `(Utf8, Utf8) → Boolean`.
    kql_has, "kql_has", invoke_has, |h, n| has(h, n, true)
);
predicate!(
    /// KQL: `L has_cs R` - case-sensitive `has`.
    kql_has_cs, "kql_has_cs", invoke_has_cs, |h, n| has(h, n, false)
);
predicate!(
    /// KQL: `L hasprefix R` - a term of `L` starts with `R` (ASCII case-insensitive).
    kql_hasprefix, "kql_hasprefix", invoke_hasprefix, |h, n| hasprefix(h, n, true)
);
predicate!(
    /// KQL: `L hasprefix_cs R` - case-sensitive `hasprefix`.
    kql_hasprefix_cs, "kql_hasprefix_cs", invoke_hasprefix_cs, |h, n| hasprefix(h, n, false)
);
predicate!(
    /// KQL: `L hassuffix R` - a term of `L` ends with `R` (ASCII case-insensitive).
    kql_hassuffix, "kql_hassuffix", invoke_hassuffix, |h, n| hassuffix(h, n, true)
);
predicate!(
    /// KQL: `L hassuffix_cs R` - case-sensitive `hassuffix`.
    kql_hassuffix_cs, "kql_hassuffix_cs", invoke_hassuffix_cs, |h, n| hassuffix(h, n, false)
);
predicate!(
    /// KQL: `L contains R` - substring, ASCII case-insensitive.
    kql_contains, "kql_contains", invoke_contains, |h, n| contains(h, n, true)
);
predicate!(
    /// KQL: `L contains_cs R` - substring, case-sensitive.
    kql_contains_cs, "kql_contains_cs", invoke_contains_cs, |h, n| contains(h, n, false)
);
predicate!(
    /// KQL: `L startswith R` - prefix, ASCII case-insensitive.
    kql_startswith, "kql_startswith", invoke_startswith, |h, n| startswith(h, n, true)
);
predicate!(
    /// KQL: `L startswith_cs R` - prefix, case-sensitive.
    kql_startswith_cs, "kql_startswith_cs", invoke_startswith_cs, |h, n| startswith(h, n, false)
);
predicate!(
    /// KQL: `L endswith R` - suffix, ASCII case-insensitive.
    kql_endswith, "kql_endswith", invoke_endswith, |h, n| endswith(h, n, true)
);
predicate!(
    /// KQL: `L endswith_cs R` - suffix, case-sensitive.
    kql_endswith_cs, "kql_endswith_cs", invoke_endswith_cs, |h, n| endswith(h, n, false)
);
predicate!(
    /// KQL: `L =~ R` - equality ignoring ASCII case.
    kql_equals_ci, "kql_equals_ci", invoke_equals_ci, equals_ci
);

fn invoke_matches_regex(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let p = Strs::new(&args[1])?;
    let mut cache = RegexCache::default();
    if let Some(pat) = p.scalar() {
        let re = cache.get("matches regex", pat)?.clone();
        return Ok(build_bool(n, |i| Some(re.is_match(s.get(i)))));
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let re = cache.get("matches regex", p.get(i))?;
        out.push(re.is_match(s.get(i)));
    }
    Ok(build_bool(n, |i| out.get(i).copied()))
}

kql_udf!(
    /// KQL: `L matches regex R` - unanchored regex search (RE2 / Rust `regex` syntax,
    /// case-sensitive unless `(?i)`). Invalid regex → execution error.
    kql_matches_regex, "kql_matches_regex", STR2, 2, ret_bool, invoke_matches_regex
);

const STR_ANY: &[Arg] = &[Arg::Str, Arg::Any];

/// A literal `has_any`/`has_all` list split for fast matching: needles made only of term
/// characters are whole-term lookups in a hash map (ASCII-lower-cased), the rest (phrases
/// such as `10.1.2.3`) are scanned with [`has`].
struct TermList {
    terms: HashMap<String, usize>,
    phrases: Vec<String>,
}

impl TermList {
    fn new(items: &[String]) -> Self {
        let mut terms = HashMap::new();
        let mut phrases: Vec<String> = Vec::new();
        for x in items {
            if !x.is_empty() && x.chars().all(is_term_char) {
                let k = terms.len();
                terms.entry(x.to_ascii_lowercase()).or_insert(k);
            } else if !phrases.iter().any(|p| p.eq_ignore_ascii_case(x)) {
                phrases.push(x.clone());
            }
        }
        // Indices are dense: a duplicate does not insert, so `len()` does not grow.
        TermList { terms, phrases }
    }

    /// Calls `f` with the index of every listed term occurring in `hay`; stops when `f`
    /// returns true.
    fn for_each_term(&self, hay: &str, buf: &mut String, mut f: impl FnMut(usize) -> bool) -> bool {
        if self.terms.is_empty() {
            return false;
        }
        let mut start = None;
        for (k, c) in hay.char_indices().chain(std::iter::once((hay.len(), ' '))) {
            if k < hay.len() && is_term_char(c) {
                if start.is_none() {
                    start = Some(k);
                }
            } else if let Some(st) = start.take() {
                buf.clear();
                buf.push_str(&hay[st..k]);
                buf.make_ascii_lowercase();
                if let Some(&idx) = self.terms.get(buf.as_str())
                    && f(idx)
                {
                    return true;
                }
            }
        }
        false
    }

    fn any(&self, hay: &str, buf: &mut String) -> bool {
        self.for_each_term(hay, buf, |_| true) || self.phrases.iter().any(|p| has(hay, p, true))
    }

    fn all(&self, hay: &str, buf: &mut String, seen: &mut Vec<bool>) -> bool {
        if !self.phrases.iter().all(|p| has(hay, p, true)) {
            return false;
        }
        seen.clear();
        seen.resize(self.terms.len(), false);
        let mut found = 0;
        let need = self.terms.len();
        if need == 0 {
            return true;
        }
        self.for_each_term(hay, buf, |idx| {
            if !seen[idx] {
                seen[idx] = true;
                found += 1;
            }
            found == need
        })
    }
}

fn invoke_has_any(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let list = StrList::new(&args[1])?;
    let mut buf = String::new();
    if let StrList::Scalar(items) = &list {
        let tl = TermList::new(items);
        return Ok(build_bool(n, |i| Some(tl.any(s.get(i), &mut buf))));
    }
    Ok(build_bool(n, |i| {
        let h = s.get(i);
        Some(list.get(i).iter().any(|x| has(h, x, true)))
    }))
}

fn invoke_has_all(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let list = StrList::new(&args[1])?;
    // Empty list: true (vacuous). // unverified against ADX
    let mut buf = String::new();
    let mut seen = Vec::new();
    if let StrList::Scalar(items) = &list
        && !items.iter().any(String::is_empty)
    {
        let tl = TermList::new(items);
        return Ok(build_bool(n, |i| {
            Some(tl.all(s.get(i), &mut buf, &mut seen))
        }));
    }
    Ok(build_bool(n, |i| {
        let h = s.get(i);
        Some(list.get(i).iter().all(|x| has(h, x, true)))
    }))
}

fn invoke_in_ci(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let list = StrList::new(&args[1])?;
    Ok(build_bool(n, |i| {
        let h = s.get(i);
        Some(list.get(i).iter().any(|x| equals_ci(h, x)))
    }))
}

kql_udf!(
    /// KQL: `L has_any (list)` - `has` against any element; `list` is `List<T>` or dynamic
    /// JSON text (an array; elements converted with `tostring`). Empty list → false.
    kql_has_any, "kql_has_any", STR_ANY, 2, ret_bool, invoke_has_any
);
kql_udf!(
    /// KQL: `L has_all (list)` - `has` against every element (same list forms as
    /// `has_any`). Empty list → true.
    kql_has_all, "kql_has_all", STR_ANY, 2, ret_bool, invoke_has_all
);
kql_udf!(
    /// KQL: `L in~ (list)` - equal to an element ignoring ASCII case (same list forms as
    /// `has_any`; the planner flattens literal lists into one `List<Utf8>` or JSON array).
    kql_in_ci, "kql_in_ci", STR_ANY, 2, ret_bool, invoke_in_ci
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::invoke_udf;
    use datafusion::arrow::array::{Array, AsArray, StringArray};
    use datafusion::common::ScalarValue;
    use std::sync::Arc;

    // https://learn.microsoft.com/kusto/query/datatypes-string-operators (examples yielding true)
    #[test]
    fn documented_operator_examples() {
        assert!(equals_ci("abc", "ABC"));
        assert!(!equals_ci("aBc", "xyz"));
        assert!(contains("FabriKam", "BRik", true));
        assert!(!contains("Fabrikam", "xyz", true));
        assert!(contains("FabriKam", "Kam", false));
        assert!(!contains("Fabrikam", "Kam", false));
        assert!(endswith("Fabrikam", "Kam", true));
        assert!(!endswith("Fabrikam", "brik", true));
        assert!(endswith("Fabrikam", "kam", false));
        assert!(has("North America", "america", true));
        assert!(!has("North America", "amer", true));
        assert!(has("North America", "America", false));
        assert!(!has("North America", "amer", false));
        assert!(hasprefix("North America", "ame", true));
        assert!(!hasprefix("North America", "mer", true));
        assert!(hasprefix("North America", "Ame", false));
        assert!(!hasprefix("North America", "CA", false));
        assert!(hassuffix("North America", "ICA", true));
        assert!(!hassuffix("North America", "americ", true));
        assert!(hassuffix("North America", "ica", false));
        assert!(!hassuffix("North America", "icA", false));
        assert!(startswith("Fabrikam", "fab", true));
        assert!(!startswith("Fabrikam", "kam", true));
        assert!(startswith("Fabrikam", "Fab", false));
        assert!(!startswith("Fabrikam", "fab", false));
        assert!(!has("KustoExplorerQueryRun", "Explorer", true));
        assert!(contains("KustoExplorerQueryRun", "Explorer", true));
        let s = "Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun";
        for t in [
            "Kusto",
            "ad67d136",
            "c1db",
            "4f9f",
            "88ef",
            "d94f3b6b0b5a",
            "KustoExplorerQueryRun",
        ] {
            assert!(has(s, t, true), "{t}");
        }
        assert!(!has(s, "d136", true));
    }

    // kql-semantics §9.2 phrase rule // unverified against ADX
    #[test]
    fn phrase_rule() {
        assert!(has("src=10.1.2.3 port", "10.1.2.3", true));
        assert!(!has("src=110.1.2.3 port", "10.1.2.3", true));
        assert!(!has("src=10.1.2.34", "10.1.2.3", true));
        assert!(has("user svc-acct logged", "svc-acct", true));
        assert!(has("x-svc-acct", "-svc", true)); // needle starts with '-': no left check
        assert!(has("ba-a-a", "a-a", true)); // overlapping occurrences are all tried
        assert!(!has("abc", "", true));
        assert!(contains("abc", "", true));
        assert!(has("ÄrgerX über", "über", true));
        assert!(!has("Überall", "über", true)); // ASCII-only folding
        assert!(has("naïve test", "TEST", true));
        assert!(!has("", "a", true));
        assert!(has("TCP", "tcp", true));
    }

    #[test]
    fn udf_has_scalar_and_array() {
        let hay = Arc::new(StringArray::from(vec!["North America", "amer", ""])) as ArrayRef;
        let r = invoke_udf(
            &kql_has(),
            vec![
                ColumnarValue::Array(hay),
                ColumnarValue::Scalar(ScalarValue::Utf8(Some("AMERICA".into()))),
            ],
        )
        .unwrap();
        let r = r.as_boolean();
        assert_eq!(r.len(), 3);
        assert!(r.value(0));
        assert!(!r.value(1));
        assert!(!r.value(2));
        assert_eq!(r.null_count(), 0);
    }

    // https://learn.microsoft.com/kusto/query/has-any-operator
    #[test]
    fn udf_has_any_all_in() {
        let hay = Arc::new(StringArray::from(vec![
            "NORTH CAROLINA",
            "NEW YORK",
            "TEXAS",
        ])) as ArrayRef;
        let list =
            ColumnarValue::Scalar(ScalarValue::Utf8(Some(r#"["south","north","new"]"#.into())));
        let r = invoke_udf(
            &kql_has_any(),
            vec![ColumnarValue::Array(Arc::clone(&hay)), list],
        )
        .unwrap();
        let r = r.as_boolean();
        assert!(r.value(0) && r.value(1) && !r.value(2));

        let list = ColumnarValue::Scalar(ScalarValue::Utf8(Some(r#"["north","carolina"]"#.into())));
        let r = invoke_udf(
            &kql_has_all(),
            vec![ColumnarValue::Array(Arc::clone(&hay)), list],
        )
        .unwrap();
        let r = r.as_boolean();
        assert!(r.value(0) && !r.value(1) && !r.value(2));

        let list = ColumnarValue::Scalar(ScalarValue::Utf8(Some("[]".into())));
        let r = invoke_udf(
            &kql_has_any(),
            vec![ColumnarValue::Array(Arc::clone(&hay)), list],
        )
        .unwrap();
        assert_eq!(r.as_boolean().true_count(), 0);

        let list = ColumnarValue::Scalar(ScalarValue::List(ScalarValue::new_list_nullable(
            &[ScalarValue::Utf8(Some("texas".into()))],
            &datafusion::arrow::datatypes::DataType::Utf8,
        )));
        let r = invoke_udf(&kql_in_ci(), vec![ColumnarValue::Array(hay), list]).unwrap();
        let r = r.as_boolean();
        assert!(!r.value(0) && !r.value(1) && r.value(2));
    }

    /// The literal-list fast path agrees with the per-element `has` definition.
    #[test]
    fn term_list_matches_has() {
        let lists: Vec<Vec<String>> = vec![
            vec!["north".into(), "10.1.2.3".into(), "TCP".into()],
            vec!["a".into(), "a".into(), "b-c".into()],
            vec![],
            vec!["".into(), "x".into()],
            vec!["über".into(), "Kusto".into()],
        ];
        let hays = [
            "North America",
            "src=10.1.2.3:80",
            "tcp/udp",
            "",
            "a b-c",
            "b-cd a",
            "x",
            "Über Kusto",
            "kustoexplorer",
            "aaa a",
            "über",
        ];
        for l in &lists {
            let tl = TermList::new(l);
            let mut buf = String::new();
            let mut seen = Vec::new();
            for h in hays {
                assert_eq!(
                    tl.any(h, &mut buf),
                    l.iter().any(|x| has(h, x, true)),
                    "{l:?} {h}"
                );
                if !l.iter().any(String::is_empty) {
                    assert_eq!(
                        tl.all(h, &mut buf, &mut seen),
                        l.iter().all(|x| has(h, x, true)),
                        "{l:?} {h}"
                    );
                }
            }
        }
    }

    #[test]
    fn udf_matches_regex() {
        let hay = Arc::new(StringArray::from(vec!["abc123", "xyz"])) as ArrayRef;
        let r = invoke_udf(
            &kql_matches_regex(),
            vec![
                ColumnarValue::Array(hay.clone()),
                ColumnarValue::Scalar(ScalarValue::Utf8(Some(r"\d+".into()))),
            ],
        )
        .unwrap();
        let r = r.as_boolean();
        assert!(r.value(0) && !r.value(1));
        let err = invoke_udf(
            &kql_matches_regex(),
            vec![
                ColumnarValue::Array(hay),
                ColumnarValue::Scalar(ScalarValue::Utf8(Some("(".into()))),
            ],
        );
        assert!(err.is_err());
    }
}

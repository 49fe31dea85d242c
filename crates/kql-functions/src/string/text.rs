//! Plain string functions: `split`, `strcat`, `strcat_delim`, `strcat_array`, `substring`,
//! `strlen`, `string_size`, `reverse`, `strrep`, `strcmp`, `tolower`, `toupper`,
//! `translate`, `indexof`, `countof`, `replace_string`.
//!
//! Positions and lengths count Unicode code points. String arguments of other types are
//! converted with `tostring` rules (the documented "forcibly casts to string").

use crate::convert::kit::{
    Arg, Ints, RegexCache, Strs, build_i64, build_list_utf8, build_utf8, kql_udf, ret_i64,
    ret_list_utf8, ret_utf8,
};
use crate::dynamic::value::StrList;
use datafusion::arrow::array::ArrayRef;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ColumnarValue;

const STR1: &[Arg] = &[Arg::Str];
const STR2: &[Arg] = &[Arg::Str, Arg::Str];

// ---------------------------------------------------------------------------------------
// split

/// KQL `split(s, delim)`: literal delimiter; `""` → `[""]`; empty delimiter → `[s]`
/// (unverified against ADX).
pub fn split<'a>(s: &'a str, delim: &str) -> Vec<&'a str> {
    if delim.is_empty() {
        return vec![s];
    }
    s.split(delim).collect()
}

fn invoke_split(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let d = Strs::new(&args[1])?;
    let idx = match args.get(2) {
        Some(c) => Some(Ints::new(c)?),
        None => None,
    };
    // The parts borrow from the input: no string is allocated per part.
    Ok(build_list_utf8(n, |i| {
        let parts = split(s.get(i), d.get(i));
        match &idx {
            None => Some(parts),
            Some(ix) => match ix.get(i) {
                // Out-of-range or negative index → empty array. // unverified against ADX
                Some(k) if k >= 0 && (k as u64) < parts.len() as u64 => {
                    Some(vec![parts[k as usize]])
                }
                Some(_) => Some(Vec::new()),
                None => None,
            },
        }
    }))
}

kql_udf!(
    /// KQL: `split(source, delimiter [, requestedIndex])` - split on a literal delimiter →
    /// `List<Utf8>`; with an index, a one-element list (`[]` when out of range).
    kql_split, "kql_split", &[Arg::Str, Arg::Str, Arg::Int], 2, ret_list_utf8, invoke_split
);

// ---------------------------------------------------------------------------------------
// strcat family

fn invoke_strcat(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let parts = args.iter().map(Strs::new).collect::<Result<Vec<_>>>()?;
    Ok(build_utf8(n, |i, out| {
        for p in &parts {
            out.push_str(p.get(i));
        }
    }))
}

kql_udf!(
    /// KQL: `strcat(a1, a2, ...)` - concatenation of 1–64 values converted with `tostring`
    /// rules. Dynamic JSON-text arguments must be passed through `kql_dynamic_to(x,
    /// 'string')` by the planner.
    kql_strcat, "kql_strcat", &[], 1, ret_utf8, invoke_strcat, variadic(Arg::Str)
);

fn invoke_strcat_delim(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let d = Strs::new(&args[0])?;
    let parts = args[1..]
        .iter()
        .map(Strs::new)
        .collect::<Result<Vec<_>>>()?;
    Ok(build_utf8(n, |i, out| {
        let delim = d.get(i);
        for (k, p) in parts.iter().enumerate() {
            if k > 0 {
                out.push_str(delim);
            }
            out.push_str(p.get(i));
        }
    }))
}

kql_udf!(
    /// KQL: `strcat_delim(delimiter, a1, a2, ...)` - concatenation with a delimiter.
    kql_strcat_delim, "kql_strcat_delim", &[Arg::Str], 2, ret_utf8, invoke_strcat_delim,
    variadic(Arg::Str)
);

fn invoke_strcat_array(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let list = StrList::new(&args[0])?;
    let d = Strs::new(&args[1])?;
    Ok(build_utf8(n, |i, out| {
        out.push_str(&list.get(i).join(d.get(i)));
    }))
}

kql_udf!(
    /// KQL: `strcat_array(array, delimiter)` - join the elements (converted with `tostring`)
    /// of a `List<T>` or dynamic JSON array; null → `""`.
    kql_strcat_array, "kql_strcat_array", &[Arg::Any, Arg::Str], 2, ret_utf8,
    invoke_strcat_array
);

// ---------------------------------------------------------------------------------------
// substring, strlen, string_size, reverse, strrep, strcmp, case mapping, translate

/// KQL `substring(s, start[, length])` on code points: a negative start counts from the end
/// (clamped to 0); out-of-range parts are clipped; a negative length gives `""`.
/// // unverified against ADX for the clamping cases
pub fn substring(s: &str, start: i64, length: Option<i64>) -> &str {
    let count = s.chars().count() as i64;
    let mut st = if start < 0 { count + start } else { start };
    st = st.clamp(0, count);
    let end = match length {
        Some(l) if l < 0 => return "",
        Some(l) => st.saturating_add(l).min(count),
        None => count,
    };
    let byte_at = |k: i64| -> usize {
        s.char_indices()
            .nth(k as usize)
            .map(|(b, _)| b)
            .unwrap_or(s.len())
    };
    let (b0, b1) = (byte_at(st), byte_at(end));
    s.get(b0..b1).unwrap_or("")
}

fn invoke_substring(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let st = Ints::new(&args[1])?;
    let len = match args.get(2) {
        Some(c) => Some(Ints::new(c)?),
        None => None,
    };
    Ok(build_utf8(n, |i, out| {
        let Some(start) = st.get(i) else { return };
        let l = match &len {
            Some(l) => match l.get(i) {
                Some(v) => Some(v),
                None => return,
            },
            None => None,
        };
        out.push_str(substring(s.get(i), start, l));
    }))
}

kql_udf!(
    /// KQL: `substring(source, startingIndex [, length])` - code-point based; negative start
    /// counts from the end; clipped to the string. `(Utf8, Int64[, Int64]) → Utf8`.
    kql_substring, "kql_substring", &[Arg::Str, Arg::Int, Arg::Int], 2, ret_utf8,
    invoke_substring
);

fn invoke_strlen(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_i64(n, |i| Some(s.get(i).chars().count() as i64)))
}

kql_udf!(
    /// KQL: `strlen(s)` - number of Unicode code points (`Int64`).
    kql_strlen, "kql_strlen", STR1, 1, ret_i64, invoke_strlen
);

fn invoke_string_size(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_i64(n, |i| Some(s.get(i).len() as i64)))
}

kql_udf!(
    /// KQL: `string_size(s)` - number of UTF-8 bytes (`Int64`).
    kql_string_size, "kql_string_size", STR1, 1, ret_i64, invoke_string_size
);

fn invoke_reverse(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| out.extend(s.get(i).chars().rev())))
}

kql_udf!(
    /// KQL: `reverse(value)` - characters in reverse order (non-strings via `tostring`).
    kql_reverse, "kql_reverse", STR1, 1, ret_utf8, invoke_reverse
);

/// Upper bound on the size of a `strrep` result (bytes).
const MAX_STRREP_BYTES: usize = 64 << 20;
/// Documented maximum multiplier of `strrep`.
const MAX_STRREP_MULTIPLIER: i64 = 67_108_864;

fn invoke_strrep(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let m = Ints::new(&args[1])?;
    let d = Strs::opt(args, 2, "")?;
    let mut err = None;
    let out = build_utf8(n, |i, out| {
        let Some(mult) = m.get(i) else { return };
        // Multipliers < 1 give "". // unverified against ADX
        let mult = mult.min(MAX_STRREP_MULTIPLIER);
        if mult < 1 {
            return;
        }
        let (v, delim) = (s.get(i), d.get(i));
        let size = (v.len() + delim.len()).saturating_mul(mult as usize);
        if size > MAX_STRREP_BYTES {
            err = Some(size);
            return;
        }
        for k in 0..mult {
            if k > 0 {
                out.push_str(delim);
            }
            out.push_str(v);
        }
    });
    if let Some(size) = err {
        return exec_err!(
            "strrep: result of {size} bytes exceeds the {MAX_STRREP_BYTES}-byte limit"
        );
    }
    Ok(out)
}

kql_udf!(
    /// KQL: `strrep(value, multiplier [, delimiter])` - repeat `value` (1 ≤ multiplier ≤
    /// 67108864) joined by `delimiter`.
    kql_strrep, "kql_strrep", &[Arg::Str, Arg::Int, Arg::Str], 2, ret_utf8, invoke_strrep
);

fn invoke_strcmp(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = Strs::new(&args[0])?;
    let b = Strs::new(&args[1])?;
    Ok(build_i64(n, |i| {
        Some(match a.get(i).cmp(b.get(i)) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        })
    }))
}

kql_udf!(
    /// KQL: `strcmp(a, b)` - ordinal comparison → -1, 0 or 1 (`Int64`).
    kql_strcmp, "kql_strcmp", STR2, 2, ret_i64, invoke_strcmp
);

/// Invariant lower-casing with simple (one-to-one) case mapping, like .NET
/// `ToLowerInvariant`.
pub fn to_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars()
        .map(|c| {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) => x,
                (Some(x), Some(_)) => x,
                _ => c,
            }
        })
        .collect()
}

/// Invariant upper-casing with simple case mapping (`ß` stays `ß`).
pub fn to_upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    s.chars()
        .map(|c| {
            let mut u = c.to_uppercase();
            match (u.next(), u.next()) {
                (Some(x), None) => x,
                _ => c,
            }
        })
        .collect()
}

fn invoke_tolower(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| out.push_str(&to_lower(s.get(i)))))
}

fn invoke_toupper(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| out.push_str(&to_upper(s.get(i)))))
}

kql_udf!(
    /// KQL: `tolower(s)` - invariant lower case.
    kql_tolower, "kql_tolower", STR1, 1, ret_utf8, invoke_tolower
);
kql_udf!(
    /// KQL: `toupper(s)` - invariant upper case.
    kql_toupper, "kql_toupper", STR1, 1, ret_utf8, invoke_toupper
);

/// KQL `translate(searchList, replacementList, source)`: per-character mapping; a shorter
/// replacement list repeats its last character; an empty one deletes the characters.
pub fn translate(search: &str, repl: &str, source: &str) -> String {
    let from: Vec<char> = search.chars().collect();
    let to: Vec<char> = repl.chars().collect();
    source
        .chars()
        .filter_map(|c| match from.iter().position(|&f| f == c) {
            None => Some(c),
            Some(k) => {
                if to.is_empty() {
                    None
                } else {
                    Some(to[k.min(to.len() - 1)])
                }
            }
        })
        .collect()
}

fn invoke_translate(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let f = Strs::new(&args[0])?;
    let t = Strs::new(&args[1])?;
    let s = Strs::new(&args[2])?;
    Ok(build_utf8(n, |i, out| {
        out.push_str(&translate(f.get(i), t.get(i), s.get(i)))
    }))
}

kql_udf!(
    /// KQL: `translate(searchList, replacementList, source)` - per-character replacement.
    kql_translate, "kql_translate", &[Arg::Str, Arg::Str, Arg::Str], 3, ret_utf8,
    invoke_translate
);

// ---------------------------------------------------------------------------------------
// indexof, countof, replace_string

/// KQL `indexof(s, lookup, start, length, occurrence)` on code points.
///
/// Semantics inferred from the documented examples
/// (https://learn.microsoft.com/kusto/query/indexof-function): a negative `start` counts
/// from the end; `length` -1 means unlimited; the match must lie within
/// `[start, start + length]` (inclusive end: `indexof("abcdefgabcdefg","cde",1,10,2)` = 9
/// while `indexof("abcdefg","cde",1,2)` = -1). Null when `start` (after adjustment) < 0,
/// `length` < -1 or `occurrence` < 1 (0: unverified against ADX).
pub fn indexof(s: &str, lookup: &str, start: i64, length: i64, occurrence: i64) -> Option<i64> {
    if length < -1 || occurrence < 1 {
        return None;
    }
    let hay: Vec<char> = s.chars().collect();
    let needle: Vec<char> = lookup.chars().collect();
    let count = hay.len() as i64;
    let st = if start < 0 { count + start } else { start };
    if st < 0 {
        return None;
    }
    if st > count {
        return Some(-1);
    }
    let end = if length == -1 {
        count
    } else {
        st.saturating_add(length).saturating_add(1).min(count)
    };
    let (st, end) = (st as usize, end as usize);
    if needle.is_empty() {
        return Some(st as i64);
    }
    let mut seen = 0;
    let mut p = st;
    while p + needle.len() <= end {
        if hay[p..p + needle.len()] == needle[..] {
            seen += 1;
            if seen == occurrence {
                return Some(p as i64);
            }
        }
        p += 1;
    }
    Some(-1)
}

fn invoke_indexof(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let l = Strs::new(&args[1])?;
    let st = Ints::opt(args, 2, Some(0))?;
    let len = Ints::opt(args, 3, Some(-1))?;
    let occ = Ints::opt(args, 4, Some(1))?;
    Ok(build_i64(n, |i| {
        indexof(s.get(i), l.get(i), st.get(i)?, len.get(i)?, occ.get(i)?)
    }))
}

kql_udf!(
    /// KQL: `indexof(string, match [, start [, length [, occurrence]]])` - zero-based
    /// code-point index of the occurrence, -1 if absent, null for invalid arguments
    /// (`Int64`).
    kql_indexof, "kql_indexof", &[Arg::Str, Arg::Str, Arg::Int, Arg::Int, Arg::Int], 2,
    ret_i64, invoke_indexof
);

/// KQL `countof(s, search)` with kind `normal`: overlapping occurrences; `""` → 0
/// (unverified against ADX).
pub fn countof_plain(s: &str, search: &str) -> i64 {
    if search.is_empty() {
        return 0;
    }
    let (h, n) = (s.as_bytes(), search.as_bytes());
    if n.len() > h.len() {
        return 0;
    }
    (0..=h.len() - n.len())
        .filter(|&i| &h[i..i + n.len()] == n)
        .count() as i64
}

fn invoke_countof(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let p = Strs::new(&args[1])?;
    let kind = Strs::opt(args, 2, "normal")?;
    let mut cache = RegexCache::default();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let k = kind.get(i);
        if k.eq_ignore_ascii_case("regex") {
            let re = cache.get("countof", p.get(i))?;
            out.push(Some(re.find_iter(s.get(i)).count() as i64));
        } else if k.eq_ignore_ascii_case("normal") || k.is_empty() {
            out.push(Some(countof_plain(s.get(i), p.get(i))));
        } else {
            return exec_err!("countof: kind must be 'normal' or 'regex', got {k:?}");
        }
    }
    Ok(build_i64(n, |i| out.get(i).copied().flatten()))
}

kql_udf!(
    /// KQL: `countof(source, search [, kind])` - occurrences of `search` (`normal`:
    /// overlapping literal matches; `regex`: non-overlapping regex matches) (`Int64`).
    kql_countof, "kql_countof", &[Arg::Str, Arg::Str, Arg::Str], 2, ret_i64, invoke_countof
);

fn invoke_replace_string(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let l = Strs::new(&args[1])?;
    let r = Strs::new(&args[2])?;
    Ok(build_utf8(n, |i, out| {
        let (text, lookup) = (s.get(i), l.get(i));
        if lookup.is_empty() {
            // Nothing to replace. // unverified against ADX
            out.push_str(text);
        } else {
            out.push_str(&text.replace(lookup, r.get(i)));
        }
    }))
}

kql_udf!(
    /// KQL: `replace_string(text, lookup, rewrite)` - replace every non-overlapping literal
    /// occurrence (case-sensitive).
    kql_replace_string, "kql_replace_string", &[Arg::Str, Arg::Str, Arg::Str], 3, ret_utf8,
    invoke_replace_string
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::invoke_udf;
    use datafusion::arrow::array::{Array, AsArray, Int64Array, StringArray};
    use datafusion::common::ScalarValue;
    use std::sync::Arc;

    fn s(v: &str) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Utf8(Some(v.to_string())))
    }
    fn i(v: i64) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Int64(Some(v)))
    }
    fn str_of(udf: &datafusion::logical_expr::ScalarUDF, args: Vec<ColumnarValue>) -> String {
        let r = invoke_udf(udf, args).unwrap();
        r.as_string::<i32>().value(0).to_string()
    }
    fn list_of(udf: &datafusion::logical_expr::ScalarUDF, args: Vec<ColumnarValue>) -> Vec<String> {
        let r = invoke_udf(udf, args).unwrap();
        let l = r.as_list::<i32>();
        let v = l.value(0);
        let v = v.as_string::<i32>();
        (0..v.len()).map(|k| v.value(k).to_string()).collect()
    }
    fn long_of(udf: &datafusion::logical_expr::ScalarUDF, args: Vec<ColumnarValue>) -> Option<i64> {
        let r = invoke_udf(udf, args).unwrap();
        let r = r.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
        if r.is_null(0) { None } else { Some(r.value(0)) }
    }

    // https://learn.microsoft.com/kusto/query/split-function
    #[test]
    fn split_docs() {
        assert_eq!(
            list_of(&kql_split(), vec![s("aa_bb"), s("_")]),
            ["aa", "bb"]
        );
        assert_eq!(
            list_of(&kql_split(), vec![s("aaa_bbb_ccc"), s("_"), i(1)]),
            ["bbb"]
        );
        assert_eq!(list_of(&kql_split(), vec![s(""), s("_")]), [""]);
        assert_eq!(
            list_of(&kql_split(), vec![s("a__b"), s("_")]),
            ["a", "", "b"]
        );
        assert_eq!(
            list_of(&kql_split(), vec![s("aabbcc"), s("bb")]),
            ["aa", "cc"]
        );
        // kql-semantics §7.8
        assert_eq!(
            list_of(&kql_split(), vec![s("80, 443"), s(",")]),
            ["80", " 443"]
        );
        // unverified against ADX
        assert!(list_of(&kql_split(), vec![s("a_b"), s("_"), i(5)]).is_empty());
        assert_eq!(list_of(&kql_split(), vec![s("a_b"), s("")]), ["a_b"]);
    }

    #[test]
    fn split_array_input() {
        let a = Arc::new(StringArray::from(vec!["80,443", "", "22"])) as ArrayRef;
        let r = invoke_udf(&kql_split(), vec![ColumnarValue::Array(a), s(",")]).unwrap();
        let l = r.as_list::<i32>();
        assert_eq!(l.len(), 3);
        assert_eq!(l.value(0).len(), 2);
        assert_eq!(l.value(1).len(), 1);
    }

    // https://learn.microsoft.com/kusto/query/substring-function
    #[test]
    fn substring_docs() {
        assert_eq!(str_of(&kql_substring(), vec![s("123456"), i(1)]), "23456");
        assert_eq!(
            str_of(&kql_substring(), vec![s("123456"), i(2), i(2)]),
            "34"
        );
        assert_eq!(str_of(&kql_substring(), vec![s("ABCD"), i(0), i(2)]), "AB");
        assert_eq!(
            str_of(&kql_substring(), vec![s("123456"), i(-2), i(2)]),
            "56"
        );
        // clipping // unverified against ADX
        assert_eq!(str_of(&kql_substring(), vec![s("123456"), i(10)]), "");
        assert_eq!(
            str_of(&kql_substring(), vec![s("123456"), i(-10), i(2)]),
            "12"
        );
        assert_eq!(
            str_of(&kql_substring(), vec![s("123456"), i(4), i(100)]),
            "56"
        );
        assert_eq!(
            str_of(&kql_substring(), vec![s("héllo"), i(1), i(3)]),
            "éll"
        );
        assert_eq!(str_of(&kql_substring(), vec![s("abc"), i(1), i(-1)]), "");
    }

    // https://learn.microsoft.com/kusto/query/indexof-function
    #[test]
    fn indexof_docs() {
        let f = kql_indexof();
        assert_eq!(long_of(&f, vec![s("abcdefg"), s("cde")]), Some(2));
        assert_eq!(
            long_of(&f, vec![s("abcdefg"), s("cde"), i(1), i(4)]),
            Some(2)
        );
        assert_eq!(
            long_of(&f, vec![s("abcdefg"), s("cde"), i(1), i(2)]),
            Some(-1)
        );
        assert_eq!(
            long_of(&f, vec![s("abcdefg"), s("cde"), i(3), i(4)]),
            Some(-1)
        );
        assert_eq!(long_of(&f, vec![s("abcdefg"), s("cde"), i(-5)]), Some(2));
        let num = ColumnarValue::Scalar(ScalarValue::Int64(Some(1234567)));
        assert_eq!(long_of(&f, vec![num, i(5), i(1), i(4)]), Some(4));
        assert_eq!(
            long_of(&f, vec![s("abcdefg"), s("cde"), i(2), i(-1)]),
            Some(2)
        );
        assert_eq!(
            long_of(&f, vec![s("abcdefgabcdefg"), s("cde"), i(1), i(10), i(2)]),
            Some(9)
        );
        assert_eq!(
            long_of(&f, vec![s("abcdefgabcdefg"), s("cde"), i(1), i(-1), i(3)]),
            Some(-1)
        );
        assert_eq!(long_of(&f, vec![s("abc"), s("b"), i(0), i(-2)]), None);
        assert_eq!(
            long_of(&f, vec![s("abc"), s("b"), i(0), i(-1), i(-1)]),
            None
        );
    }

    // https://learn.microsoft.com/kusto/query/countof-function
    #[test]
    fn countof_docs() {
        let f = kql_countof();
        assert_eq!(long_of(&f, vec![s("aaa"), s("a")]), Some(3));
        assert_eq!(long_of(&f, vec![s("aaaa"), s("aa")]), Some(3));
        assert_eq!(long_of(&f, vec![s("ababa"), s("ab"), s("normal")]), Some(2));
        assert_eq!(long_of(&f, vec![s("ababa"), s("aba")]), Some(2));
        assert_eq!(long_of(&f, vec![s("ababa"), s("aba"), s("regex")]), Some(1));
        assert_eq!(
            long_of(&f, vec![s("abcabc"), s("a.c"), s("regex")]),
            Some(2)
        );
        assert!(invoke_udf(&f, vec![s("a"), s("a"), s("bogus")]).is_err());
        assert!(invoke_udf(&f, vec![s("a"), s("("), s("regex")]).is_err());
    }

    // https://learn.microsoft.com/kusto/query/strrep-function
    #[test]
    fn strrep_docs() {
        assert_eq!(str_of(&kql_strrep(), vec![s("ABC"), i(2)]), "ABCABC");
        assert_eq!(
            str_of(&kql_strrep(), vec![i(123), i(3), s(".")]),
            "123.123.123"
        );
        let three_s = ColumnarValue::Scalar(ScalarValue::DurationNanosecond(Some(3_000_000_000)));
        assert_eq!(
            str_of(&kql_strrep(), vec![three_s, i(2), s(" ")]),
            "00:00:03 00:00:03"
        );
        assert_eq!(str_of(&kql_strrep(), vec![s("x"), i(0)]), "");
        assert!(invoke_udf(&kql_strrep(), vec![s("xxxxxxxxxxxxxxxx"), i(67_108_864)]).is_err());
    }

    // https://learn.microsoft.com/kusto/query/strcmp-function
    #[test]
    fn strcmp_docs() {
        let f = kql_strcmp();
        assert_eq!(long_of(&f, vec![s("ABC"), s("ABC")]), Some(0));
        assert_eq!(long_of(&f, vec![s("abc"), s("ABC")]), Some(1));
        assert_eq!(long_of(&f, vec![s("ABC"), s("abc")]), Some(-1));
        assert_eq!(long_of(&f, vec![s("abcde"), s("abc")]), Some(1));
    }

    // https://learn.microsoft.com/kusto/query/reverse-function
    #[test]
    fn reverse_docs() {
        assert_eq!(
            str_of(&kql_reverse(), vec![s("ABCDEFGHIJKLMNOPQRSTUVWXYZ")]),
            "ZYXWVUTSRQPONMLKJIHGFEDCBA"
        );
        assert_eq!(str_of(&kql_reverse(), vec![i(12345)]), "54321");
        let d = ColumnarValue::Scalar(ScalarValue::Float64(Some(123.45)));
        assert_eq!(str_of(&kql_reverse(), vec![d]), "54.321");
        let dt = ColumnarValue::Scalar(ScalarValue::TimestampNanosecond(
            Some(1_508_068_800_000_000_000),
            Some("UTC".into()),
        ));
        assert_eq!(
            str_of(&kql_reverse(), vec![dt]),
            "Z0000000.00:00:21T51-01-7102"
        );
        let ts =
            ColumnarValue::Scalar(ScalarValue::DurationNanosecond(Some(3 * 3_600_000_000_000)));
        assert_eq!(str_of(&kql_reverse(), vec![ts]), "00:00:30");
    }

    // https://learn.microsoft.com/kusto/query/translate-function
    #[test]
    fn translate_docs() {
        assert_eq!(translate("abc", "x", "abc"), "xxx");
        assert_eq!(translate("abc", "", "ab"), "");
        assert_eq!(translate("krasp", "otsku", "spark"), "kusto");
    }

    // https://learn.microsoft.com/kusto/query/strcat-array-function
    #[test]
    fn strcat_family() {
        assert_eq!(
            str_of(&kql_strcat_array(), vec![s("[1,2,3]"), s("->")]),
            "1->2->3"
        );
        assert_eq!(
            str_of(&kql_strcat_array(), vec![s("[1,2,3]"), s("\"")]),
            "1\"2\"3"
        );
        assert_eq!(
            str_of(&kql_strcat_array(), vec![s("[\"a\",null,1.0]"), s(",")]),
            "a,,1"
        );
        assert_eq!(str_of(&kql_strcat(), vec![s("a"), i(1), s("b")]), "a1b");
        assert_eq!(
            str_of(&kql_strcat_delim(), vec![s("-"), s("a"), i(1), s("b")]),
            "a-1-b"
        );
    }

    #[test]
    fn misc() {
        assert_eq!(long_of(&kql_strlen(), vec![s("héllo")]), Some(5));
        assert_eq!(long_of(&kql_string_size(), vec![s("héllo")]), Some(6));
        assert_eq!(str_of(&kql_tolower(), vec![s("ABC Ä")]), "abc ä");
        assert_eq!(str_of(&kql_toupper(), vec![s("abc ß")]), "ABC ß");
        assert_eq!(
            str_of(
                &kql_replace_string(),
                vec![
                    s("A magic trick can turn a cat into a dog"),
                    s("cat"),
                    s("hamster")
                ]
            ),
            "A magic trick can turn a hamster into a dog"
        );
        assert_eq!(
            str_of(&kql_replace_string(), vec![s("abc"), s(""), s("x")]),
            "abc"
        );
        let a = Arc::new(Int64Array::from(vec![Some(1), None])) as ArrayRef;
        let r = invoke_udf(&kql_strlen(), vec![ColumnarValue::Array(a)]).unwrap();
        assert_eq!(
            r.as_primitive::<datafusion::arrow::datatypes::Int64Type>()
                .value(1),
            0
        );
    }
}

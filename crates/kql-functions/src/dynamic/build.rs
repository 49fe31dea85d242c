//! Building dynamic values: `pack_array`, `bag_pack`/`pack`, `bag_merge`,
//! `bag_remove_keys`, `bag_set_key`, `zip`. Results are JSON text.
//!
//! Value arguments are dynamic positions: `Utf8` is JSON text (wrap KQL strings in
//! `kql_to_json`), other physical types are converted with `to_json` rules.

use crate::convert::kit::{Arg, Strs, build_utf8_opt, kql_udf, ret_utf8};
use crate::dynamic::access::{PathStep, parse_json_path};
use crate::dynamic::json::to_canonical;
use crate::dynamic::value::{DynArg, StrList};
use datafusion::arrow::array::ArrayRef;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ColumnarValue;
use serde_json::{Map, Value};

fn invoke_pack_array(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let vals = args.iter().map(DynArg::new).collect::<Result<Vec<_>>>()?;
    Ok(build_utf8_opt(n, |i| {
        Some(to_canonical(&Value::Array(
            vals.iter().map(|d| d.value(i).into_owned()).collect(),
        )))
    }))
}

kql_udf!(
    /// KQL: `pack_array(v1, v2, ...)` - dynamic array of the arguments (JSON text). Arguments
    /// are dynamic positions (`Utf8` = JSON text: wrap KQL strings in `kql_to_json`). For
    /// arguments of one scalar type the planner may build `List<T>` instead (make_array).
    kql_pack_array, "kql_pack_array", &[], 1, ret_utf8, invoke_pack_array, variadic(Arg::Any)
);

fn invoke_bag_pack(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    if !args.len().is_multiple_of(2) {
        return exec_err!("bag_pack: expects an even number of arguments (key, value pairs)");
    }
    let mut keys = Vec::new();
    let mut vals = Vec::new();
    for pair in args.chunks(2) {
        keys.push(Strs::new(&pair[0])?);
        vals.push(DynArg::new(&pair[1])?);
    }
    Ok(build_utf8_opt(n, |i| {
        let mut m = Map::new();
        for (k, v) in keys.iter().zip(vals.iter()) {
            // Duplicate keys: the last value wins. // unverified against ADX
            m.insert(k.get(i).to_string(), v.value(i).into_owned());
        }
        Some(to_canonical(&Value::Object(m)))
    }))
}

kql_udf!(
    /// KQL: `bag_pack(k1, v1, k2, v2, ...)` / `pack(...)` - property bag from key/value pairs
    /// (JSON text). Keys are strings; values are dynamic positions (`Utf8` = JSON text).
    kql_bag_pack, "kql_bag_pack", &[], 2, ret_utf8, invoke_bag_pack, variadic(Arg::Any)
);

fn invoke_bag_merge(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let bags = args.iter().map(DynArg::new).collect::<Result<Vec<_>>>()?;
    Ok(build_utf8_opt(n, |i| {
        let mut m = Map::new();
        for b in &bags {
            if let Value::Object(o) = &*b.value(i) {
                for (k, v) in o {
                    // The first bag holding a key wins (documented example keeps A1:12).
                    if !m.contains_key(k) {
                        m.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        Some(to_canonical(&Value::Object(m)))
    }))
}

kql_udf!(
    /// KQL: `bag_merge(b1, b2, ...)` - merged property bag (JSON text); for a key present in
    /// several bags the first one's value is kept; non-bag arguments are ignored.
    kql_bag_merge, "kql_bag_merge", &[], 2, ret_utf8, invoke_bag_merge, variadic(Arg::Any)
);

/// Removes the value at `path` (a JSONPath subset) from `v`; array steps are not
/// supported (documented) and leave `v` unchanged.
fn remove_path(v: &mut Value, path: &[PathStep]) {
    match path {
        [] => {}
        [PathStep::Key(k)] => {
            if let Value::Object(m) = v {
                m.shift_remove(k);
            }
        }
        [PathStep::Key(k), rest @ ..] => {
            if let Value::Object(m) = v
                && let Some(child) = m.get_mut(k)
            {
                remove_path(child, rest);
            }
        }
        [PathStep::Index(_), ..] => {}
    }
}

fn invoke_bag_remove_keys(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let bag = DynArg::new(&args[0])?;
    let keys = StrList::new(&args[1])?;
    Ok(build_utf8_opt(n, |i| {
        let mut v = bag.value(i).into_owned();
        if !v.is_object() {
            // Non-bags → null. // unverified against ADX
            return None;
        }
        for k in keys.get(i).iter() {
            if let Some(path) = parse_json_path(k) {
                remove_path(&mut v, &path);
            }
        }
        Some(to_canonical(&v))
    }))
}

kql_udf!(
    /// KQL: `bag_remove_keys(bag, keys)` - the bag without the given keys (`keys`: `List<Utf8>`
    /// or JSON array; entries may be JSONPath like `$.a.b`). Non-bags → null.
    kql_bag_remove_keys, "kql_bag_remove_keys", &[Arg::Any, Arg::Any], 2, ret_utf8,
    invoke_bag_remove_keys
);

fn set_path(v: &mut Value, path: &[PathStep], value: Value) {
    match path {
        [] => *v = value,
        [PathStep::Key(k), rest @ ..] => {
            if !v.is_object() {
                *v = Value::Object(Map::new());
            }
            if let Value::Object(m) = v {
                let child = m.entry(k.clone()).or_insert(Value::Null);
                set_path(child, rest, value);
            }
        }
        [PathStep::Index(_), ..] => {}
    }
}

fn invoke_bag_set_key(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let bag = DynArg::new(&args[0])?;
    let key = Strs::new(&args[1])?;
    let val = DynArg::new(&args[2])?;
    Ok(build_utf8_opt(n, |i| {
        let mut v = bag.value(i).into_owned();
        if !v.is_object() {
            return None;
        }
        let path = parse_json_path(key.get(i))?;
        if path.iter().any(|s| matches!(s, PathStep::Index(_))) {
            return None;
        }
        set_path(&mut v, &path, val.value(i).into_owned());
        Some(to_canonical(&v))
    }))
}

kql_udf!(
    /// KQL: `bag_set_key(bag, key, value)` - the bag with `key` (or JSONPath `$.a.b`, creating
    /// nested bags) set to `value` (a dynamic position). Non-bags → null.
    kql_bag_set_key, "kql_bag_set_key", &[Arg::Any, Arg::Str, Arg::Any], 3, ret_utf8,
    invoke_bag_set_key
);

fn invoke_zip(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let arrs = args.iter().map(DynArg::new).collect::<Result<Vec<_>>>()?;
    Ok(build_utf8_opt(n, |i| {
        let rows: Vec<Vec<Value>> = arrs
            .iter()
            .map(|d| match d.value(i).into_owned() {
                Value::Array(a) => a,
                // Non-arrays count as empty. // unverified against ADX
                _ => Vec::new(),
            })
            .collect();
        let len = rows.iter().map(Vec::len).max().unwrap_or(0);
        let out: Vec<Value> = (0..len)
            .map(|k| {
                Value::Array(
                    rows.iter()
                        .map(|r| r.get(k).cloned().unwrap_or(Value::Null))
                        .collect(),
                )
            })
            .collect();
        Some(to_canonical(&Value::Array(out)))
    }))
}

kql_udf!(
    /// KQL: `zip(a1, a2, ...)` - array of tuples (arrays) built element-wise, padded with
    /// null to the longest input (JSON text). Inputs: `List<T>` or JSON arrays.
    kql_zip, "kql_zip", &[], 2, ret_utf8, invoke_zip, variadic(Arg::Any)
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::invoke_udf;
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ScalarUDF;

    fn s(v: &str) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Utf8(Some(v.to_string())))
    }
    fn l(v: i64) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Int64(Some(v)))
    }
    fn out(udf: &ScalarUDF, args: Vec<ColumnarValue>) -> Option<String> {
        let r = invoke_udf(udf, args).unwrap();
        let a = r.as_string::<i32>();
        if a.is_null(0) {
            None
        } else {
            Some(a.value(0).to_string())
        }
    }

    // https://learn.microsoft.com/kusto/query/zip-function
    #[test]
    fn zip_docs() {
        assert_eq!(
            out(&kql_zip(), vec![s("[1,3,5]"), s("[2,4,6]")]).as_deref(),
            Some("[[1,2],[3,4],[5,6]]")
        );
        assert_eq!(
            out(&kql_zip(), vec![s(r#"["A", 1, 1.5]"#), s(r#"[{}, "B"]"#)]).as_deref(),
            Some(r#"[["A",{}],[1,"B"],[1.5,null]]"#)
        );
    }

    // https://learn.microsoft.com/kusto/query/bag-merge-function
    #[test]
    fn bag_merge_docs() {
        assert_eq!(
            out(
                &kql_bag_merge(),
                vec![
                    s(r#"{"A1":12, "B1":2, "C1":3}"#),
                    s(r#"{"A2":81, "B2":82, "A1":1}"#)
                ]
            )
            .as_deref(),
            Some(r#"{"A1":12,"B1":2,"C1":3,"A2":81,"B2":82}"#)
        );
    }

    // https://learn.microsoft.com/kusto/query/bag-remove-keys-function
    #[test]
    fn bag_remove_keys_docs() {
        assert_eq!(
            out(
                &kql_bag_remove_keys(),
                vec![s(r#"{"key1":123,"key2":"abc"}"#), s(r#"["key2","key4"]"#)]
            )
            .as_deref(),
            Some(r#"{"key1":123}"#)
        );
        assert_eq!(
            out(
                &kql_bag_remove_keys(),
                vec![
                    s(r#"{"key1":"value","key3":42.0}"#),
                    s(r#"["key2","key4"]"#)
                ]
            )
            .as_deref(),
            Some(r#"{"key1":"value","key3":42.0}"#)
        );
        assert_eq!(
            out(
                &kql_bag_remove_keys(),
                vec![
                    s(r#"{"key1":123,"key2":{"prop1":"abc","prop2":"xyz"},"key3":[100,200]}"#),
                    s(r#"["$.key2.prop1","key3"]"#),
                ]
            )
            .as_deref(),
            Some(r#"{"key1":123,"key2":{"prop2":"xyz"}}"#)
        );
        assert_eq!(
            out(&kql_bag_remove_keys(), vec![s("[1]"), s(r#"["a"]"#)]),
            None
        );
    }

    #[test]
    fn pack_family() {
        assert_eq!(
            out(
                &kql_pack_array(),
                vec![
                    l(1),
                    s(r#""a""#),
                    s("[2]"),
                    ColumnarValue::Scalar(ScalarValue::Float64(Some(1.0)))
                ]
            )
            .as_deref(),
            Some(r#"[1,"a",[2],1.0]"#)
        );
        assert_eq!(
            out(
                &kql_bag_pack(),
                vec![s("a"), l(1), s("b"), s(r#"{"c":true}"#)]
            )
            .as_deref(),
            Some(r#"{"a":1,"b":{"c":true}}"#)
        );
        assert!(invoke_udf(&kql_bag_pack(), vec![s("a"), l(1), s("b")]).is_err());
        assert_eq!(
            out(&kql_bag_set_key(), vec![s(r#"{"a":1}"#), s("$.b.c"), l(2)]).as_deref(),
            Some(r#"{"a":1,"b":{"c":2}}"#)
        );
        assert_eq!(
            out(&kql_bag_set_key(), vec![s(r#"{"a":1}"#), s("a"), s("null")]).as_deref(),
            Some(r#"{"a":null}"#)
        );
    }
}

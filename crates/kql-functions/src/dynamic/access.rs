//! Reading dynamic values: accessors (`d.key`, `d["key"]`, `d[i]`), `array_length`,
//! `bag_keys`, `bag_has_key`, and the `mv-expand` preparation UDF.

use crate::convert::kit::{
    Arg, Strs, array_i64, build_bool, build_i64, build_list_utf8, build_utf8_opt, kql_udf,
    ret_bool, ret_i64, ret_list_utf8,
};
use crate::dynamic::json::to_canonical;
use crate::dynamic::value::DynArg;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, UInt64Array};
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ColumnarValue;
use serde_json::{Map, Value};

/// One step of an accessor path.
#[derive(Clone, Debug, PartialEq)]
pub enum PathStep {
    Key(String),
    Index(i64),
}

/// Applies one accessor step: missing key, out-of-range index or wrong shape → `None`
/// (dynamic null). Negative indices count from the end.
pub fn get_step<'a>(v: &'a Value, step: &PathStep) -> Option<&'a Value> {
    match (v, step) {
        (Value::Object(m), PathStep::Key(k)) => m.get(k),
        (Value::Array(a), PathStep::Index(i)) => {
            let len = a.len() as i64;
            let k = if *i < 0 { len + i } else { *i };
            if (0..len).contains(&k) {
                a.get(k as usize)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Parses the JSONPath subset used by `bag_has_key`/`bag_remove_keys`: `$.a.b`,
/// `$['a']["b"]`, `$.a[0]`; a text not starting with `$` is a single top-level key.
pub fn parse_json_path(p: &str) -> Option<Vec<PathStep>> {
    let Some(rest) = p.strip_prefix('$') else {
        return Some(vec![PathStep::Key(p.to_string())]);
    };
    let b: Vec<char> = rest.chars().collect();
    let mut k = 0;
    let mut steps = Vec::new();
    while k < b.len() {
        match b[k] {
            '.' => {
                k += 1;
                let start = k;
                while k < b.len() && b[k] != '.' && b[k] != '[' {
                    k += 1;
                }
                if start == k {
                    return None;
                }
                steps.push(PathStep::Key(b[start..k].iter().collect()));
            }
            '[' => {
                k += 1;
                if k < b.len() && (b[k] == '\'' || b[k] == '"') {
                    let q = b[k];
                    k += 1;
                    let start = k;
                    while k < b.len() && b[k] != q {
                        k += 1;
                    }
                    if k >= b.len() {
                        return None;
                    }
                    steps.push(PathStep::Key(b[start..k].iter().collect()));
                    k += 1;
                } else {
                    let start = k;
                    while k < b.len() && b[k] != ']' {
                        k += 1;
                    }
                    let t: String = b[start..k].iter().collect();
                    steps.push(PathStep::Index(t.trim().parse().ok()?));
                }
                if k >= b.len() || b[k] != ']' {
                    return None;
                }
                k += 1;
            }
            _ => return None,
        }
    }
    Some(steps)
}

fn key_step(a: &dyn Array, i: usize) -> Option<PathStep> {
    if a.is_null(i) {
        return None;
    }
    match a.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            Some(PathStep::Key(crate::convert::format::value_to_string(a, i)))
        }
        t if t.is_integer() || *t == DataType::Boolean => array_i64(a, i).map(PathStep::Index),
        _ => None,
    }
}

fn dyn_get_return(types: &[DataType]) -> Result<DataType> {
    match types.first() {
        Some(DataType::List(f)) | Some(DataType::LargeList(f)) => Ok(f.data_type().clone()),
        _ => Ok(DataType::Utf8),
    }
}

fn invoke_dyn_get(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let keys = args[1].clone().into_array(n)?;
    let first_type = args[0].data_type();
    if let DataType::List(_) = first_type {
        let lists = args[0].clone().into_array(n)?;
        let l = lists.as_list::<i32>();
        let offsets = l.value_offsets();
        let idx: UInt64Array = (0..n)
            .map(|i| {
                if l.is_null(i) {
                    return None;
                }
                let start = offsets[i] as i64;
                let len = (offsets[i + 1] - offsets[i]) as i64;
                let k = match key_step(keys.as_ref(), i)? {
                    PathStep::Index(k) => k,
                    PathStep::Key(_) => return None,
                };
                let k = if k < 0 { len + k } else { k };
                if (0..len).contains(&k) {
                    Some((start + k) as u64)
                } else {
                    None
                }
            })
            .collect();
        return Ok(take(l.values().as_ref(), &idx, None)?);
    }
    if let DataType::LargeList(_) = first_type {
        return exec_err!("kql_dyn_get: LargeList input is not supported");
    }
    let d = DynArg::new(&args[0])?;
    Ok(build_utf8_opt(n, |i| {
        let step = key_step(keys.as_ref(), i)?;
        let v = d.value(i);
        match get_step(&v, &step)? {
            Value::Null => None,
            x => Some(to_canonical(x)),
        }
    }))
}

kql_udf!(
    /// KQL: `d.key`, `d["key"]`, `d[i]`, `d[-1]` - element access. `d` is dynamic JSON text
    /// (→ JSON text of the element) or `List<T>` (integer index → `T`). Missing key,
    /// out-of-range index or wrong shape → null. The key is `Utf8` (property) or an integer
    /// (index); chain calls for `d.a.b`.
    kql_dyn_get, "kql_dyn_get", &[Arg::Any, Arg::Any], 2, dyn_get_return, invoke_dyn_get
);

fn invoke_array_length(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    match args[0].data_type() {
        DataType::List(_) => {
            let a = args[0].clone().into_array(n)?;
            let l = a.as_list::<i32>();
            Ok(build_i64(n, |i| {
                if l.is_null(i) {
                    None
                } else {
                    Some(l.value_length(i) as i64)
                }
            }))
        }
        DataType::LargeList(_) => {
            let a = args[0].clone().into_array(n)?;
            let l = a.as_list::<i64>();
            Ok(build_i64(n, |i| {
                if l.is_null(i) {
                    None
                } else {
                    Some(l.value_length(i))
                }
            }))
        }
        _ => {
            let d = DynArg::new(&args[0])?;
            Ok(build_i64(n, |i| match &*d.value(i) {
                Value::Array(a) => Some(a.len() as i64),
                _ => None,
            }))
        }
    }
}

kql_udf!(
    /// KQL: `array_length(a)` - number of elements (`Int64`) of a `List<T>` or JSON array;
    /// non-arrays → null.
    kql_array_length, "kql_array_length", &[Arg::Any], 1, ret_i64, invoke_array_length
);

fn invoke_bag_keys(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let d = DynArg::new(&args[0])?;
    Ok(build_list_utf8(n, |i| match &*d.value(i) {
        Value::Object(m) => Some(m.keys().cloned().collect()),
        _ => None,
    }))
}

kql_udf!(
    /// KQL: `bag_keys(bag)` - the root keys of a property bag → `List<Utf8>`; non-bags →
    /// null.
    kql_bag_keys, "kql_bag_keys", &[Arg::Any], 1, ret_list_utf8, invoke_bag_keys
);

fn invoke_bag_has_key(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let d = DynArg::new(&args[0])?;
    let k = Strs::new(&args[1])?;
    Ok(build_bool(n, |i| {
        let v = d.value(i);
        if !v.is_object() {
            // Non-bags → null. // unverified against ADX
            return None;
        }
        let path = parse_json_path(k.get(i))?;
        let mut cur: &Value = &v;
        for step in &path {
            match get_step(cur, step) {
                Some(x) => cur = x,
                None => return Some(false),
            }
        }
        Some(true)
    }))
}

kql_udf!(
    /// KQL: `bag_has_key(bag, key)` - whether the key (or JSONPath like `$.a.b`) exists.
    kql_bag_has_key, "kql_bag_has_key", &[Arg::Any, Arg::Str], 2, ret_bool, invoke_bag_has_key
);

fn invoke_extract_json(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let p = Strs::new(&args[0])?;
    let d = Strs::new(&args[1])?;
    let mut rows: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let path_text = p.get(i);
        let path = match path_text
            .starts_with('$')
            .then(|| parse_json_path(path_text))
        {
            Some(Some(p)) => p,
            _ => {
                return exec_err!(
                    "extract_json: unsupported or invalid JSONPath {path_text:?} (supported: $, .key, ['key'], [index])"
                );
            }
        };
        // The document is parsed strictly: invalid JSON yields "".
        let doc: Value = serde_json::from_str(d.get(i)).unwrap_or(Value::Null);
        let mut cur = Some(&doc);
        for step in &path {
            cur = cur.and_then(|v| get_step(v, step));
        }
        rows.push(match cur {
            None | Some(Value::Null) => String::new(),
            Some(v) => crate::dynamic::json::display_value(v),
        });
    }
    Ok(crate::convert::kit::build_utf8(n, |i, out| {
        out.push_str(&rows[i])
    }))
}

kql_udf!(
    /// KQL: `extract_json(jsonPath, dataSource)` / `extractjson` - the element at a JSONPath
    /// (`$`, `.key`, `['key']`, `[index]`) of a JSON string, as a string (strings raw, other
    /// values compact JSON, missing/invalid → `""`). With `typeof(T)` the planner applies
    /// the `to<T>` conversion. Unsupported paths (`*`, `..`, filters) → execution error.
    kql_extract_json, "kql_extract_json", &[Arg::Str, Arg::Str], 2, crate::convert::kit::ret_utf8,
    invoke_extract_json
);

/// The elements `mv-expand` produces for one dynamic value (kql-semantics §4.7): an array's
/// elements; a bag's entries as single-key bags (`kind=bag`) or `[key, value]` pairs
/// (`kind=array`); any other non-null value as itself; null as one null element. Elements
/// are canonical JSON text (`None` = dynamic null).
pub fn mv_expand_elements(v: &Value, kind_array: bool) -> Vec<Option<String>> {
    match v {
        Value::Null => vec![None],
        Value::Array(items) => items
            .iter()
            .map(|x| match x {
                Value::Null => None,
                other => Some(to_canonical(other)),
            })
            .collect(),
        Value::Object(m) => m
            .iter()
            .map(|(k, x)| {
                if kind_array {
                    Some(to_canonical(&Value::Array(vec![
                        Value::String(k.clone()),
                        x.clone(),
                    ])))
                } else {
                    let mut one = Map::new();
                    one.insert(k.clone(), x.clone());
                    Some(to_canonical(&Value::Object(one)))
                }
            })
            .collect(),
        other => vec![Some(to_canonical(other))],
    }
}

fn invoke_mv_expand_prepare(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let d = DynArg::new(&args[0])?;
    let kind = Strs::opt(args, 1, "bag")?;
    let mut b =
        datafusion::arrow::array::ListBuilder::new(datafusion::arrow::array::StringBuilder::new());
    for i in 0..n {
        let kind_array = match kind.get(i).to_ascii_lowercase().as_str() {
            "bag" | "" => false,
            "array" => true,
            other => return exec_err!("mv-expand: kind must be 'bag' or 'array', got {other:?}"),
        };
        for e in mv_expand_elements(&d.value(i), kind_array) {
            b.values().append_option(e);
        }
        b.append(true);
    }
    Ok(std::sync::Arc::new(b.finish()))
}

kql_udf!(
    /// KQL: `mv-expand [kind=bag|array] d` for a dynamic `d` held as JSON text: → `List<Utf8>`
    /// of element JSON texts (still dynamic), to be unnested by the planner (null dynamic →
    /// one null element; empty array/bag → empty list; scalar → one element). Never a null
    /// list. `List<T>` columns need no preparation (unnest directly).
    kql_mv_expand_prepare, "kql_mv_expand_prepare", &[Arg::Any, Arg::Str], 1, ret_list_utf8,
    invoke_mv_expand_prepare
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::invoke_udf;
    use datafusion::arrow::array::{Int64Array, ListArray, StringArray};
    use datafusion::arrow::datatypes::Int64Type;
    use datafusion::common::ScalarValue;
    use std::sync::Arc;

    fn s(v: &str) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Utf8(Some(v.to_string())))
    }
    fn l(v: i64) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Int64(Some(v)))
    }
    fn text(r: &ArrayRef, i: usize) -> Option<String> {
        let a = r.as_string::<i32>();
        if a.is_null(i) {
            None
        } else {
            Some(a.value(i).to_string())
        }
    }

    // https://learn.microsoft.com/kusto/query/scalar-data-types/dynamic (accessors)
    #[test]
    fn dyn_get_json() {
        let g = |d: &str, k: ColumnarValue| {
            text(&invoke_udf(&kql_dyn_get(), vec![s(d), k]).unwrap(), 0)
        };
        assert_eq!(g("[100,101,102]", l(0)).as_deref(), Some("100"));
        assert_eq!(g("[100,101,102]", l(-1)).as_deref(), Some("102"));
        assert_eq!(g("[100,101,102]", l(3)), None);
        assert_eq!(
            g(r#"{"a1":100, "a b c":"2015-01-01"}"#, s("a b c")).as_deref(),
            Some(r#""2015-01-01""#)
        );
        assert_eq!(
            g(r#"{"a":{"b":[1]}}"#, s("a")).as_deref(),
            Some(r#"{"b":[1]}"#)
        );
        assert_eq!(g(r#"{"a":1}"#, s("missing")), None);
        assert_eq!(g(r#"{"a":null}"#, s("a")), None);
        assert_eq!(g("[1]", s("a")), None);
        assert_eq!(g(r#"{"0":1}"#, l(0)), None);
        assert_eq!(g("5", l(0)), None);
    }

    #[test]
    fn dyn_get_list() {
        let list = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
            Some(vec![Some(1), Some(2), Some(3)]),
            None,
            Some(vec![]),
        ]);
        let a = Arc::new(list) as ArrayRef;
        let r = invoke_udf(
            &kql_dyn_get(),
            vec![ColumnarValue::Array(Arc::clone(&a)), l(-1)],
        )
        .unwrap();
        let r = r.as_primitive::<Int64Type>();
        assert_eq!(r.len(), 3);
        assert_eq!(r.value(0), 3);
        assert!(r.is_null(1) && r.is_null(2));
        let idx = Arc::new(Int64Array::from(vec![0, 0, 0])) as ArrayRef;
        let r = invoke_udf(
            &kql_dyn_get(),
            vec![ColumnarValue::Array(a), ColumnarValue::Array(idx)],
        )
        .unwrap();
        assert_eq!(r.as_primitive::<Int64Type>().value(0), 1);
    }

    // https://learn.microsoft.com/kusto/query/array-length-function
    #[test]
    fn array_length_forms() {
        let len = |c: ColumnarValue| {
            let r = invoke_udf(&kql_array_length(), vec![c]).unwrap();
            let r = r.as_primitive::<Int64Type>();
            if r.is_null(0) { None } else { Some(r.value(0)) }
        };
        assert_eq!(len(s("[1, 2, 3]")), Some(3));
        assert_eq!(len(s(r#"["a","b"]"#)), Some(2));
        assert_eq!(len(s("[]")), Some(0));
        assert_eq!(len(s(r#"{"a":1}"#)), None);
        assert_eq!(len(s("\"abc\"")), None);
        assert_eq!(len(ColumnarValue::Scalar(ScalarValue::Utf8(None))), None);
        let list = ScalarValue::List(ScalarValue::new_list_nullable(
            &[ScalarValue::Utf8(Some("x".into()))],
            &DataType::Utf8,
        ));
        assert_eq!(len(ColumnarValue::Scalar(list)), Some(1));
    }

    #[test]
    fn bag_keys_and_has_key() {
        let r = invoke_udf(&kql_bag_keys(), vec![s(r#"{"a":1,"c":{"d":2},"b":[]}"#)]).unwrap();
        let v = r.as_list::<i32>().value(0);
        let v = v.as_string::<i32>();
        assert_eq!((v.value(0), v.value(1), v.value(2)), ("a", "c", "b"));
        let has = |b: &str, k: &str| {
            let r = invoke_udf(&kql_bag_has_key(), vec![s(b), s(k)]).unwrap();
            let r = r.as_boolean();
            if r.is_null(0) { None } else { Some(r.value(0)) }
        };
        let bag = r#"{"key1":1,"key2":{"prop1":"abc"},"key3":[100,200]}"#;
        assert_eq!(has(bag, "key1"), Some(true));
        assert_eq!(has(bag, "nope"), Some(false));
        assert_eq!(has(bag, "$.key2.prop1"), Some(true));
        assert_eq!(has(bag, "$['key2']['prop2']"), Some(false));
        assert_eq!(has(bag, "$.key3[1]"), Some(true));
        assert_eq!(has("[1]", "a"), None);
    }

    // kql-semantics §4.7
    #[test]
    fn mv_expand_prepare_rules() {
        let prep = |d: ColumnarValue, kind: &str| -> Vec<Option<String>> {
            let r = invoke_udf(&kql_mv_expand_prepare(), vec![d, s(kind)]).unwrap();
            let l = r.as_list::<i32>();
            assert!(!l.is_null(0));
            let v = l.value(0);
            let v = v.as_string::<i32>();
            (0..v.len())
                .map(|k| {
                    if v.is_null(k) {
                        None
                    } else {
                        Some(v.value(k).to_string())
                    }
                })
                .collect()
        };
        let some = |x: &str| Some(x.to_string());
        assert_eq!(
            prep(s(r#"[1,"a",null,{"b":2}]"#), "bag"),
            vec![some("1"), some("\"a\""), None, some(r#"{"b":2}"#)]
        );
        assert_eq!(
            prep(s(r#"{"a":1,"b":[2]}"#), "bag"),
            vec![some(r#"{"a":1}"#), some(r#"{"b":[2]}"#)]
        );
        assert_eq!(
            prep(s(r#"{"a":1,"b":[2]}"#), "array"),
            vec![some(r#"["a",1]"#), some(r#"["b",[2]]"#)]
        );
        assert_eq!(prep(s("5"), "bag"), vec![some("5")]);
        assert_eq!(
            prep(ColumnarValue::Scalar(ScalarValue::Utf8(None)), "bag"),
            vec![None]
        );
        assert!(prep(s("[]"), "bag").is_empty());
        assert!(prep(s("{}"), "array").is_empty());
        let col = Arc::new(StringArray::from(vec![Some("[1,2]"), None, Some("[]")])) as ArrayRef;
        let r = invoke_udf(&kql_mv_expand_prepare(), vec![ColumnarValue::Array(col)]).unwrap();
        let l = r.as_list::<i32>();
        assert_eq!(
            (l.value_length(0), l.value_length(1), l.value_length(2)),
            (2, 1, 0)
        );
        assert!(invoke_udf(&kql_mv_expand_prepare(), vec![s("[1]"), s("zip")]).is_err());
    }

    // https://learn.microsoft.com/kusto/query/extract-json-function
    #[test]
    fn extract_json_docs() {
        let x = |p: &str, j: &str| {
            let r = invoke_udf(&kql_extract_json(), vec![s(p), s(j)]).unwrap();
            r.as_string::<i32>().value(0).to_string()
        };
        let json =
            r#"{"name": "John", "age": 30, "city": "New York", "a": {"b": [1, {"c": 2.0}]}}"#;
        assert_eq!(x("$.name", json), "John");
        assert_eq!(x("$.age", json), "30");
        assert_eq!(x("$.a.b[1]", json), r#"{"c":2}"#);
        assert_eq!(x("$['a']['b'][0]", json), "1");
        assert_eq!(x("$.missing", json), "");
        assert_eq!(x("$.name", "not json"), "");
        assert!(invoke_udf(&kql_extract_json(), vec![s("$..name"), s(json)]).is_err());
        assert!(invoke_udf(&kql_extract_json(), vec![s("name"), s(json)]).is_err());
    }

    #[test]
    fn json_paths() {
        assert_eq!(parse_json_path("a"), Some(vec![PathStep::Key("a".into())]));
        assert_eq!(
            parse_json_path("$.a['b c'][2]"),
            Some(vec![
                PathStep::Key("a".into()),
                PathStep::Key("b c".into()),
                PathStep::Index(2)
            ])
        );
        assert_eq!(parse_json_path("$.a[x]"), None);
        assert_eq!(parse_json_path("$."), None);
        assert_eq!(parse_json_path("$['a"), None);
    }
}

//! Array functions over `List<T>` and JSON arrays: `array_concat`, `array_slice`,
//! `array_reverse`, `array_sort_asc/desc`, `array_index_of`, `array_sum`, `array_iff`,
//! `set_union`, `set_intersect`, `set_difference`, `set_has_element`.
//!
//! Result form: when every array argument is `List<T>` with the same element type `T`
//! (one of bool, int, long, real, string, datetime, timespan), functions that return
//! elements of their inputs return `List<T>`; otherwise JSON text. Non-array inputs give a
//! null result (unverified against ADX).

use crate::convert::kit::{
    Arg, Ints, build_bool, build_f64, build_i64, build_utf8_opt, kql_udf, list_of, ret_bool,
    ret_f64, ret_i64, ret_utf8,
};
use crate::dynamic::convert::{KqlScalarType, values_to_list};
use crate::dynamic::json::to_canonical;
use crate::dynamic::value::{DynArg, ScalarArg};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, UInt32Array};
use datafusion::arrow::compute::{SortOptions, sort_to_indices, take};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ColumnarValue;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::Arc;

/// The canonical element type when every listed argument type is `List<T>` of the same
/// supported `T`.
fn common_list_type(types: &[DataType]) -> Option<KqlScalarType> {
    let mut found: Option<KqlScalarType> = None;
    for t in types {
        let DataType::List(f) = t else { return None };
        let k = match f.data_type() {
            DataType::Boolean => KqlScalarType::Bool,
            DataType::Int32 => KqlScalarType::Int,
            DataType::Int64 => KqlScalarType::Long,
            DataType::Float64 => KqlScalarType::Real,
            DataType::Utf8 => KqlScalarType::String,
            DataType::Timestamp(_, _) => KqlScalarType::Datetime,
            DataType::Duration(_) => KqlScalarType::Timespan,
            _ => return None,
        };
        match found {
            None => found = Some(k),
            Some(prev) if prev == k => {}
            Some(_) => return None,
        }
    }
    found
}

fn ret_for(types: &[DataType]) -> DataType {
    match common_list_type(types) {
        Some(t) => list_of(t.data_type()),
        None => DataType::Utf8,
    }
}

/// Return type from the leading `k` arguments (the arrays).
fn ret_first(types: &[DataType]) -> Result<DataType> {
    Ok(ret_for(&types[..types.len().min(1)]))
}

fn ret_all(types: &[DataType]) -> Result<DataType> {
    Ok(ret_for(types))
}

/// Emits per-row results (`None` = null) in the form announced by the return type.
fn emit(rows: Vec<Option<Vec<Value>>>, ty: Option<KqlScalarType>) -> Result<ArrayRef> {
    match ty {
        Some(t) => values_to_list(&rows, t),
        None => {
            let n = rows.len();
            let mut rows = rows;
            Ok(build_utf8_opt(n, |i| {
                rows[i].take().map(|v| to_canonical(&Value::Array(v)))
            }))
        }
    }
}

fn arg_types(args: &[ColumnarValue]) -> Vec<DataType> {
    args.iter().map(|a| a.data_type()).collect()
}

fn as_array(v: Value) -> Option<Vec<Value>> {
    match v {
        Value::Array(a) => Some(a),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// concat, slice, reverse

fn invoke_array_concat(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let ty = common_list_type(&arg_types(args));
    let arrs = args.iter().map(DynArg::new).collect::<Result<Vec<_>>>()?;
    let rows = (0..n)
        .map(|i| {
            let mut out = Vec::new();
            for d in &arrs {
                out.extend(as_array(d.value(i).into_owned())?);
            }
            Some(out)
        })
        .collect();
    emit(rows, ty)
}

kql_udf!(
    /// KQL: `array_concat(a1, a2, ...)` - concatenation (`List<T>` when all inputs are
    /// `List<T>`, else JSON text).
    kql_array_concat, "kql_array_concat", &[], 1, ret_all, invoke_array_concat,
    variadic(Arg::Any)
);

fn invoke_array_slice(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let ty = common_list_type(&arg_types(&args[..1]));
    let d = DynArg::new(&args[0])?;
    let st = Ints::new(&args[1])?;
    let en = Ints::new(&args[2])?;
    let rows = (0..n)
        .map(|i| {
            let a = as_array(d.value(i).into_owned())?;
            let len = a.len() as i64;
            let (s, e) = (st.get(i)?, en.get(i)?);
            let s = if s < 0 { len + s } else { s }.max(0);
            let e = if e < 0 { len + e } else { e }.min(len - 1);
            if s > e {
                return Some(Vec::new());
            }
            Some(a[s as usize..=e as usize].to_vec())
        })
        .collect();
    emit(rows, ty)
}

kql_udf!(
    /// KQL: `array_slice(a, start, end)` - elements `start..=end` (negative = from the end;
    /// out-of-range indices clipped).
    kql_array_slice, "kql_array_slice", &[Arg::Any, Arg::Int, Arg::Int], 3, ret_first,
    invoke_array_slice
);

fn invoke_array_reverse(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let ty = common_list_type(&arg_types(args));
    let d = DynArg::new(&args[0])?;
    let rows = (0..n)
        .map(|i| {
            let mut a = as_array(d.value(i).into_owned())?;
            a.reverse();
            Some(a)
        })
        .collect();
    emit(rows, ty)
}

kql_udf!(
    /// KQL: `array_reverse(a)` - elements in reverse order.
    kql_array_reverse, "kql_array_reverse", &[Arg::Any], 1, ret_first, invoke_array_reverse
);

// ---------------------------------------------------------------------------------------
// sort

/// Sort class of mixed-type arrays (docs: numeric/datetime/timespan, then strings, then
/// guids, then the rest). Datetimes and guids are strings in JSON text.
fn class(v: &Value) -> u8 {
    match v {
        Value::Number(_) => 0,
        Value::String(_) => 1,
        Value::Null => 3,
        _ => 2,
    }
}

fn cmp_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (fx, fy) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            match (x.as_i64(), y.as_i64()) {
                (Some(i), Some(j)) => i.cmp(&j),
                _ => fx.total_cmp(&fy),
            }
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => class(a).cmp(&class(b)),
    }
}

fn sort_values(a: &mut [Value], desc: bool, nulls_last: bool) {
    a.sort_by(|x, y| match (x.is_null(), y.is_null()) {
        (true, true) => Ordering::Equal,
        (true, false) => {
            if nulls_last {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (false, true) => {
            if nulls_last {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        _ => {
            let c = class(x).cmp(&class(y)).then_with(|| cmp_values(x, y));
            if desc { c.reverse() } else { c }
        }
    });
}

/// Sorts each list of a `List<T>` column with Arrow's sort kernel (keeps `T`).
fn sort_typed_lists(list: &ListArray, desc: &[bool], nulls_last: &[bool]) -> Result<ArrayRef> {
    let offsets = list.value_offsets();
    let values = list.values();
    let mut idx: Vec<u32> = Vec::with_capacity(values.len());
    for i in 0..list.len() {
        let (s, e) = (offsets[i] as usize, offsets[i + 1] as usize);
        let part = values.slice(s, e - s);
        let opts = SortOptions {
            descending: desc[i],
            nulls_first: !nulls_last[i],
        };
        let local = sort_to_indices(part.as_ref(), Some(opts), None)?;
        idx.extend(local.values().iter().map(|&k| k + s as u32));
    }
    let sorted = take(values.as_ref(), &UInt32Array::from(idx), None)?;
    let field = match list.data_type() {
        DataType::List(f) => Arc::clone(f),
        _ => return datafusion::common::exec_err!("array sort: not a list"),
    };
    // Rows are re-packed contiguously in the same order, so the offsets are unchanged
    // relative to the (possibly sliced) input when the values start at 0.
    let base = offsets[0];
    let new_offsets: Vec<i32> = offsets.iter().map(|o| o - base).collect();
    Ok(Arc::new(ListArray::try_new(
        field,
        datafusion::arrow::buffer::OffsetBuffer::new(new_offsets.into()),
        sorted,
        list.nulls().cloned(),
    )?))
}

fn invoke_sort(args: &[ColumnarValue], n: usize, desc: bool) -> Result<ArrayRef> {
    let nulls = match args.get(1) {
        Some(c) => Some(c.clone().into_array(n)?),
        None => None,
    };
    let nulls_last: Vec<bool> = (0..n)
        .map(|i| match &nulls {
            Some(a) if a.data_type() == &DataType::Boolean && a.is_valid(i) => {
                a.as_boolean().value(i)
            }
            _ => true,
        })
        .collect();
    if common_list_type(&arg_types(&args[..1])).is_some() {
        let a = args[0].clone().into_array(n)?;
        let l = a.as_list::<i32>();
        return sort_typed_lists(l, &vec![desc; n], &nulls_last);
    }
    let d = DynArg::new(&args[0])?;
    let rows = (0..n)
        .map(|i| {
            let mut a = as_array(d.value(i).into_owned())?;
            sort_values(&mut a, desc, nulls_last[i]);
            Some(a)
        })
        .collect();
    emit(rows, None)
}

fn invoke_sort_asc(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_sort(args, n, false)
}
fn invoke_sort_desc(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_sort(args, n, true)
}

kql_udf!(
    /// KQL: `array_sort_asc(a [, nulls_last])` - ascending sort (numbers < strings < others;
    /// nulls last unless `nulls_last` is false). Single-array form only; the multi-array
    /// form (`array_sort_asc(a1, a2, ...)`) is not supported.
    kql_array_sort_asc, "kql_array_sort_asc", &[Arg::Any, Arg::Any], 1, ret_first,
    invoke_sort_asc
);
kql_udf!(
    /// KQL: `array_sort_desc(a [, nulls_last])` - descending sort (single-array form).
    kql_array_sort_desc, "kql_array_sort_desc", &[Arg::Any, Arg::Any], 1, ret_first,
    invoke_sort_desc
);

// ---------------------------------------------------------------------------------------
// index_of, set_has_element, sum, iff

/// Element equality used by `array_index_of`/`set_has_element`: numbers compare
/// numerically, everything else structurally.
fn elem_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        _ => a == b,
    }
}

/// KQL `array_index_of` on a vector of values: `length` counts elements from `start`
/// (exclusive end, per the documented examples), -1 = unlimited.
pub fn array_index_of(
    a: &[Value],
    v: &Value,
    start: i64,
    length: i64,
    occurrence: i64,
) -> Option<i64> {
    if length < -1 || occurrence < 1 {
        return None;
    }
    let len = a.len() as i64;
    let s = if start < 0 { len + start } else { start };
    if s < 0 {
        return None;
    }
    let e = if length == -1 {
        len
    } else {
        s.saturating_add(length).min(len)
    };
    let mut seen = 0;
    let mut k = s;
    while k < e {
        if elem_eq(&a[k as usize], v) {
            seen += 1;
            if seen == occurrence {
                return Some(k);
            }
        }
        k += 1;
    }
    Some(-1)
}

fn invoke_array_index_of(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let d = DynArg::new(&args[0])?;
    let v = ScalarArg::new(&args[1])?;
    let st = Ints::opt(args, 2, Some(0))?;
    let len = Ints::opt(args, 3, Some(-1))?;
    let occ = Ints::opt(args, 4, Some(1))?;
    Ok(build_i64(n, |i| {
        let a = as_array(d.value(i).into_owned())?;
        array_index_of(&a, &v.value(i), st.get(i)?, len.get(i)?, occ.get(i)?)
    }))
}

kql_udf!(
    /// KQL: `array_index_of(a, value [, start [, length [, occurrence]]])` - index of the
    /// occurrence of `value` (a KQL scalar: `Utf8` is a string), -1 if absent, null for
    /// invalid arguments or a non-array (`Int64`).
    kql_array_index_of, "kql_array_index_of",
    &[Arg::Any, Arg::Any, Arg::Int, Arg::Int, Arg::Int], 2, ret_i64, invoke_array_index_of
);

fn invoke_set_has_element(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let d = DynArg::new(&args[0])?;
    let v = ScalarArg::new(&args[1])?;
    Ok(build_bool(n, |i| {
        let a = as_array(d.value(i).into_owned())?;
        let x = v.value(i);
        Some(a.iter().any(|e| elem_eq(e, &x)))
    }))
}

kql_udf!(
    /// KQL: `set_has_element(a, value)` - whether `value` (a KQL scalar) is in the array;
    /// non-arrays → null.
    kql_set_has_element, "kql_set_has_element", &[Arg::Any, Arg::Any], 2, ret_bool,
    invoke_set_has_element
);

fn invoke_array_sum(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let d = DynArg::new(&args[0])?;
    Ok(build_f64(n, |i| {
        let a = as_array(d.value(i).into_owned())?;
        let mut sum = 0.0;
        for e in &a {
            match e {
                Value::Number(x) => sum += x.as_f64()?,
                // Null elements are skipped. // unverified against ADX
                Value::Null => {}
                _ => return None,
            }
        }
        Some(sum)
    }))
}

kql_udf!(
    /// KQL: `array_sum(a)` - sum of the elements as real; any non-numeric element → null.
    kql_array_sum, "kql_array_sum", &[Arg::Any], 1, ret_f64, invoke_array_sum
);

fn invoke_array_iff(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let c = DynArg::new(&args[0])?;
    let t = DynArg::new(&args[1])?;
    let f = DynArg::new(&args[2])?;
    Ok(build_utf8_opt(n, |i| {
        let conds = as_array(c.value(i).into_owned())?;
        let (tv, fv) = (t.value(i).into_owned(), f.value(i).into_owned());
        let pick = |src: &Value, k: usize| match src {
            Value::Array(a) => a.get(k).cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        let out: Vec<Value> = conds
            .iter()
            .enumerate()
            .map(|(k, cv)| {
                let b = match cv {
                    Value::Bool(b) => Some(*b),
                    Value::Number(x) => x.as_f64().map(|v| v != 0.0),
                    _ => None,
                };
                match b {
                    Some(true) => pick(&tv, k),
                    Some(false) => pick(&fv, k),
                    None => Value::Null,
                }
            })
            .collect();
        Some(to_canonical(&Value::Array(out)))
    }))
}

kql_udf!(
    /// KQL: `array_iff(condition_array, when_true, when_false)` / `array_iif` - element-wise
    /// choice (JSON text). `when_true`/`when_false` are arrays or scalars in dynamic positions
    /// (`Utf8` = JSON text: wrap KQL strings in `kql_to_json`).
    kql_array_iff, "kql_array_iff", &[Arg::Any, Arg::Any, Arg::Any], 3, ret_utf8,
    invoke_array_iff
);

// ---------------------------------------------------------------------------------------
// set functions

#[derive(Clone, Copy)]
enum SetOp {
    Union,
    Intersect,
    Difference,
}

fn set_op(arrays: Vec<Vec<Value>>, op: SetOp) -> Vec<Value> {
    let key = |v: &Value| to_canonical(v);
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    match op {
        SetOp::Union => {
            for a in arrays {
                for v in a {
                    if seen.insert(key(&v)) {
                        out.push(v);
                    }
                }
            }
        }
        SetOp::Intersect | SetOp::Difference => {
            let mut it = arrays.into_iter();
            let first = it.next().unwrap_or_default();
            let others: Vec<HashSet<String>> = it.map(|a| a.iter().map(key).collect()).collect();
            for v in first {
                let k = key(&v);
                let keep = match op {
                    SetOp::Intersect => others.iter().all(|o| o.contains(&k)),
                    _ => !others.iter().any(|o| o.contains(&k)),
                };
                if keep && seen.insert(k) {
                    out.push(v);
                }
            }
        }
    }
    out
}

fn invoke_set(args: &[ColumnarValue], n: usize, op: SetOp) -> Result<ArrayRef> {
    let ty = common_list_type(&arg_types(args));
    let arrs = args.iter().map(DynArg::new).collect::<Result<Vec<_>>>()?;
    let rows = (0..n)
        .map(|i| {
            let vs = arrs
                .iter()
                .map(|d| as_array(d.value(i).into_owned()))
                .collect::<Option<Vec<_>>>()?;
            Some(set_op(vs, op))
        })
        .collect();
    emit(rows, ty)
}

fn invoke_set_union(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_set(args, n, SetOp::Union)
}
fn invoke_set_intersect(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_set(args, n, SetOp::Intersect)
}
fn invoke_set_difference(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_set(args, n, SetOp::Difference)
}

kql_udf!(
    /// KQL: `set_union(a1, a2, ...)` - distinct values of all arrays (first-seen order).
    kql_set_union, "kql_set_union", &[], 2, ret_all, invoke_set_union, variadic(Arg::Any)
);
kql_udf!(
    /// KQL: `set_intersect(a1, a2, ...)` - distinct values present in every array.
    kql_set_intersect, "kql_set_intersect", &[], 2, ret_all, invoke_set_intersect,
    variadic(Arg::Any)
);
kql_udf!(
    /// KQL: `set_difference(a1, a2, ...)` - distinct values of `a1` not in the others.
    kql_set_difference, "kql_set_difference", &[], 2, ret_all, invoke_set_difference,
    variadic(Arg::Any)
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::invoke_udf;
    use datafusion::arrow::array::StringArray;
    use datafusion::arrow::datatypes::{Float64Type, Int64Type};
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
    fn long_list(v: Vec<Option<i64>>) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::List(ScalarValue::new_list_nullable(
            &v.into_iter().map(ScalarValue::Int64).collect::<Vec<_>>(),
            &DataType::Int64,
        )))
    }
    fn longs(r: &ArrayRef) -> Vec<Option<i64>> {
        let v = r.as_list::<i32>().value(0);
        let v = v.as_primitive::<Int64Type>();
        (0..v.len())
            .map(|k| if v.is_null(k) { None } else { Some(v.value(k)) })
            .collect()
    }

    // https://learn.microsoft.com/kusto/query/array-concat-function
    #[test]
    fn concat_docs() {
        assert_eq!(
            out(&kql_array_concat(), vec![s("[1,2,4]"), s("[1,2]")]).as_deref(),
            Some("[1,2,4,1,2]")
        );
        let r = invoke_udf(
            &kql_array_concat(),
            vec![long_list(vec![Some(2)]), long_list(vec![Some(4), None])],
        )
        .unwrap();
        assert_eq!(longs(&r), vec![Some(2), Some(4), None]);
        assert_eq!(out(&kql_array_concat(), vec![s("[1]"), s("5")]), None);
    }

    // https://learn.microsoft.com/kusto/query/array-slice-function
    #[test]
    fn slice_docs() {
        assert_eq!(
            out(&kql_array_slice(), vec![s("[1,2,3]"), l(1), l(2)]).as_deref(),
            Some("[2,3]")
        );
        assert_eq!(
            out(&kql_array_slice(), vec![s("[1,2,3,4,5]"), l(2), l(-1)]).as_deref(),
            Some("[3,4,5]")
        );
        assert_eq!(
            out(&kql_array_slice(), vec![s("[1,2,3,4,5]"), l(-3), l(-2)]).as_deref(),
            Some("[3,4]")
        );
        assert_eq!(
            out(&kql_array_slice(), vec![s("[1,2,3]"), l(2), l(10)]).as_deref(),
            Some("[3]")
        );
        assert_eq!(
            out(&kql_array_slice(), vec![s("[1,2,3]"), l(2), l(1)]).as_deref(),
            Some("[]")
        );
        assert_eq!(
            out(&kql_array_slice(), vec![s("[]"), l(0), l(0)]).as_deref(),
            Some("[]")
        );
        let r = invoke_udf(
            &kql_array_slice(),
            vec![long_list(vec![Some(1), Some(2), Some(3)]), l(-2), l(-1)],
        )
        .unwrap();
        assert_eq!(longs(&r), vec![Some(2), Some(3)]);
    }

    // https://learn.microsoft.com/kusto/query/array-sort-asc-function
    #[test]
    fn sort_docs() {
        assert_eq!(
            out(&kql_array_sort_asc(), vec![s("[1,3,4,5,2]")]).as_deref(),
            Some("[1,2,3,4,5]")
        );
        assert_eq!(
            out(
                &kql_array_sort_asc(),
                vec![s(r#"[null,"blue","yellow","green",null]"#)]
            )
            .as_deref(),
            Some(r#"["blue","green","yellow",null,null]"#)
        );
        let f = ColumnarValue::Scalar(ScalarValue::Boolean(Some(false)));
        assert_eq!(
            out(
                &kql_array_sort_asc(),
                vec![s(r#"[null,"blue","yellow","green",null]"#), f]
            )
            .as_deref(),
            Some(r#"[null,null,"blue","green","yellow"]"#)
        );
        assert_eq!(
            out(&kql_array_sort_desc(), vec![s(r#"["a",2,null,1.5,true]"#)]).as_deref(),
            Some(r#"[true,"a",2,1.5,null]"#)
        );
        let r = invoke_udf(
            &kql_array_sort_desc(),
            vec![long_list(vec![Some(1), None, Some(3)])],
        )
        .unwrap();
        assert_eq!(longs(&r), vec![Some(3), Some(1), None]);
        // strings split then sorted (doc example 2)
        let names = ScalarValue::List(ScalarValue::new_list_nullable(
            &["John", "Paul", "George", "Ringo"].map(|x| ScalarValue::Utf8(Some(x.into()))),
            &DataType::Utf8,
        ));
        let r = invoke_udf(&kql_array_sort_asc(), vec![ColumnarValue::Scalar(names)]).unwrap();
        let v = r.as_list::<i32>().value(0);
        let v = v.as_string::<i32>();
        assert_eq!((v.value(0), v.value(3)), ("George", "Ringo"));
    }

    #[test]
    fn sort_typed_column_with_offsets() {
        let list = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
            Some(vec![Some(3), Some(1)]),
            None,
            Some(vec![Some(9), Some(7), Some(8)]),
        ]);
        let sliced = Arc::new(list.slice(1, 2)) as ArrayRef;
        let r = invoke_udf(&kql_array_sort_asc(), vec![ColumnarValue::Array(sliced)]).unwrap();
        let l = r.as_list::<i32>();
        assert_eq!(l.len(), 2);
        assert!(l.is_null(0));
        let v = l.value(1);
        let v = v.as_primitive::<Int64Type>();
        assert_eq!((v.value(0), v.value(1), v.value(2)), (7, 8, 9));
    }

    // https://learn.microsoft.com/kusto/query/array-index-of-function
    #[test]
    fn index_of_docs() {
        let arr = r#"["this", "is", "an", "example", "an", "example"]"#;
        let f = kql_array_index_of();
        let idx = |args: Vec<ColumnarValue>| {
            let r = invoke_udf(&f, args).unwrap();
            let r = r.as_primitive::<Int64Type>();
            if r.is_null(0) { None } else { Some(r.value(0)) }
        };
        assert_eq!(idx(vec![s(arr), s("an")]), Some(2));
        assert_eq!(idx(vec![s(arr), s("example"), l(1), l(3)]), Some(3));
        assert_eq!(idx(vec![s(arr), s("example"), l(1), l(2)]), Some(-1));
        assert_eq!(idx(vec![s(arr), s("is"), l(2), l(4)]), Some(-1));
        assert_eq!(idx(vec![s(arr), s("example"), l(2), l(-1)]), Some(3));
        assert_eq!(idx(vec![s(arr), s("an"), l(1), l(-1), l(2)]), Some(4));
        assert_eq!(idx(vec![s(arr), s("an"), l(1), l(-1), l(3)]), Some(-1));
        assert_eq!(idx(vec![s(arr), s("an"), l(-3)]), Some(4));
        assert_eq!(idx(vec![s(arr), s("is"), l(-4)]), Some(-1));
        assert_eq!(idx(vec![s(arr), s("is"), l(0), l(-2)]), None);
        assert_eq!(idx(vec![s("[1,2,3]"), l(3)]), Some(2));
        assert_eq!(idx(vec![s("[\"1\"]"), s("1")]), Some(0));
    }

    // https://learn.microsoft.com/kusto/query/set-union-function
    #[test]
    fn set_docs() {
        assert_eq!(
            out(&kql_set_union(), vec![s("[1,2,1,4]"), s("[1,2]"), s("[8]")]).as_deref(),
            Some("[1,2,4,8]")
        );
        assert_eq!(
            out(
                &kql_set_union(),
                vec![s(r#"["A4","A2","A7","A2"]"#), s(r#"["A4","A2","A7","A2"]"#)]
            )
            .as_deref(),
            Some(r#"["A4","A2","A7"]"#)
        );
        assert_eq!(
            out(
                &kql_set_intersect(),
                vec![s("[1,2,3]"), s("[3,2,9]"), s("[2,3]")]
            )
            .as_deref(),
            Some("[2,3]")
        );
        assert_eq!(
            out(
                &kql_set_difference(),
                vec![s("[1,2,3,1]"), s("[2]"), s("[5]")]
            )
            .as_deref(),
            Some("[1,3]")
        );
        let has = |a: &str, v: ColumnarValue| {
            invoke_udf(&kql_set_has_element(), vec![s(a), v])
                .unwrap()
                .as_boolean()
                .value(0)
        };
        assert!(has(r#"["a","b"]"#, s("b")));
        assert!(!has(r#"["a","b"]"#, s("c")));
        assert!(has("[1,2]", l(2)));
        let r = invoke_udf(
            &kql_set_union(),
            vec![
                long_list(vec![Some(1), Some(2)]),
                long_list(vec![Some(2), Some(3)]),
            ],
        )
        .unwrap();
        assert_eq!(longs(&r), vec![Some(1), Some(2), Some(3)]);
    }

    // https://learn.microsoft.com/kusto/query/array-sum-function
    #[test]
    fn sum_docs() {
        let sum = |a: &str| {
            let r = invoke_udf(&kql_array_sum(), vec![s(a)]).unwrap();
            let r = r.as_primitive::<Float64Type>();
            if r.is_null(0) { None } else { Some(r.value(0)) }
        };
        assert_eq!(sum("[1,2,3,4]"), Some(10.0));
        assert_eq!(sum("[1,\"a\"]"), None);
        assert_eq!(sum("[]"), Some(0.0));
        assert_eq!(sum("5"), None);
    }

    // https://learn.microsoft.com/kusto/query/array-iff-function
    #[test]
    fn iff_docs() {
        assert_eq!(
            out(
                &kql_array_iff(),
                vec![s("[true,false,true]"), s("[1,2,3]"), s("[4,5,6]")]
            )
            .as_deref(),
            Some("[1,5,3]")
        );
        assert_eq!(
            out(
                &kql_array_iff(),
                vec![s("[1,0,50]"), s(r#""yes""#), s(r#""no""#)]
            )
            .as_deref(),
            Some(r#"["yes","no","yes"]"#)
        );
        assert_eq!(
            out(
                &kql_array_iff(),
                vec![
                    s(r#"["some string value","2022-01-01T00:00:00.0000000Z",null]"#),
                    l(1),
                    l(0)
                ]
            )
            .as_deref(),
            Some("[null,null,null]")
        );
        assert_eq!(
            out(
                &kql_array_iff(),
                vec![s("[true,true,true]"), s("[1,2]"), s("[3,4]")]
            )
            .as_deref(),
            Some("[1,2,null]")
        );
    }

    #[test]
    fn reverse_forms() {
        assert_eq!(
            out(&kql_array_reverse(), vec![s(r#"["a",1,{"b":2}]"#)]).as_deref(),
            Some(r#"[{"b":2},1,"a"]"#)
        );
        let col = Arc::new(StringArray::from(vec![Some("[1,2]"), None])) as ArrayRef;
        let r = invoke_udf(&kql_array_reverse(), vec![ColumnarValue::Array(col)]).unwrap();
        assert_eq!(r.as_string::<i32>().value(0), "[2,1]");
        assert!(r.is_null(1));
    }
}

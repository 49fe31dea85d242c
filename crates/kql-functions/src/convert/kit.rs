//! Plumbing shared by the `string`, `convert` and `dynamic` UDFs: one generic UDF struct
//! driven by a function pointer, argument accessors that accept scalars and arrays of any
//! reasonable physical type, and small builders.
//!
//! The accessors never panic: a value of an unexpected type is converted with KQL `tostring`
//! rules (for string parameters) or becomes null (for numeric parameters).

use crate::convert::format::array_to_strings;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, BooleanBuilder, Float64Array, Float64Builder,
    Int32Builder, Int64Array, Int64Builder, LargeStringArray, ListBuilder, StringArray,
    StringBuilder, StringViewArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Field, FieldRef, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};
use regex::Regex;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Defines `pub fn $fname() -> Arc<ScalarUDF>` building a [`KqlUdf`]; the doc comment given
/// first documents the UDF (`/// KQL: ...`). Extra builder calls may follow, e.g.
/// `variadic(Arg::Any)` or `with_return_field(f)`.
macro_rules! kql_udf {
    ($(#[$m:meta])* $fname:ident, $name:literal, $params:expr, $min:expr, $ret:expr, $invoke:expr
     $(, $extra:ident($e:expr))* $(,)?) => {
        $(#[$m])*
        pub fn $fname() -> std::sync::Arc<datafusion::logical_expr::ScalarUDF> {
            $crate::convert::kit::KqlUdf::new($name, $params, $min, $ret, $invoke)
                $(.$extra($e))*
                .build()
        }
    };
}
pub(crate) use kql_udf;

/// Declared kind of a UDF parameter; drives `coerce_types`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Arg {
    /// A KQL string (`Utf8`); other types are accepted and converted with `tostring` rules.
    Str,
    /// An integer (`Int64`); every integer width is widened to `Int64`.
    Int,
    /// Anything (dynamic JSON text, `List<T>`, typed scalars...): passed through as is.
    Any,
}

/// Computes the result for `n` rows (`n` is 1 when every argument is a scalar).
pub(crate) type InvokeFn = fn(&[ColumnarValue], usize) -> Result<ArrayRef>;
/// Like [`InvokeFn`], also given the planned result type (for UDFs whose result type
/// depends on literal arguments).
pub(crate) type TypedInvokeFn = fn(&[ColumnarValue], usize, &DataType) -> Result<ArrayRef>;
/// The result type for the given argument types.
pub(crate) type ReturnFn = fn(&[DataType]) -> Result<DataType>;
/// The result type when it depends on literal argument values.
pub(crate) type ReturnFieldFn = fn(&ReturnFieldArgs) -> Result<DataType>;

/// A KQL scalar UDF: name, parameter kinds, result type and an invoke function.
pub(crate) struct KqlUdf {
    name: &'static str,
    params: &'static [Arg],
    min_args: usize,
    /// Kind of the repeated trailing parameters of a variadic function.
    variadic: Option<Arg>,
    ret: ReturnFn,
    ret_field: Option<ReturnFieldFn>,
    invoke: InvokeFn,
    invoke_typed: Option<TypedInvokeFn>,
    signature: Signature,
}

impl KqlUdf {
    /// A UDF with `params.len()` parameters, the last `params.len() - min_args` optional.
    pub(crate) fn new(
        name: &'static str,
        params: &'static [Arg],
        min_args: usize,
        ret: ReturnFn,
        invoke: InvokeFn,
    ) -> Self {
        KqlUdf {
            name,
            params,
            min_args,
            variadic: None,
            ret,
            ret_field: None,
            invoke,
            invoke_typed: None,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }

    /// Any number (≥ `min_args`) of trailing arguments of kind `kind` after `params`.
    pub(crate) fn variadic(mut self, kind: Arg) -> Self {
        self.variadic = Some(kind);
        self
    }

    /// The result type depends on literal arguments.
    pub(crate) fn with_return_field(mut self, f: ReturnFieldFn) -> Self {
        self.ret_field = Some(f);
        self
    }

    /// Invoke with the planned result type instead of the plain invoke function.
    pub(crate) fn typed(mut self, f: TypedInvokeFn) -> Self {
        self.invoke_typed = Some(f);
        self
    }

    pub(crate) fn build(self) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(self))
    }

    fn check_arity(&self, n: usize) -> Result<()> {
        let max = if self.variadic.is_some() {
            usize::MAX
        } else {
            self.params.len()
        };
        if n < self.min_args || n > max {
            if self.variadic.is_some() {
                return plan_err!(
                    "{} expects at least {} argument(s), got {n}",
                    self.name,
                    self.min_args
                );
            }
            return plan_err!(
                "{} expects {} to {} argument(s), got {n}",
                self.name,
                self.min_args,
                self.params.len()
            );
        }
        Ok(())
    }
}

impl fmt::Debug for KqlUdf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KqlUdf").field("name", &self.name).finish()
    }
}

impl PartialEq for KqlUdf {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for KqlUdf {}

impl Hash for KqlUdf {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

fn coerce_one(kind: Arg, t: &DataType) -> DataType {
    match (kind, t) {
        (_, DataType::Dictionary(_, v)) => coerce_one(kind, v),
        (Arg::Str, DataType::Null) => DataType::Utf8,
        (Arg::Int, t) if t.is_integer() || *t == DataType::Null => DataType::Int64,
        (_, t) => t.clone(),
    }
}

impl ScalarUDFImpl for KqlUdf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        (self.ret)(arg_types)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let t = match self.ret_field {
            Some(f) => f(&args)?,
            None => {
                let types: Vec<DataType> = args
                    .arg_fields
                    .iter()
                    .map(|f| f.data_type().clone())
                    .collect();
                (self.ret)(&types)?
            }
        };
        Ok(Arc::new(Field::new(self.name, t, true)))
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.check_arity(arg_types.len())?;
        Ok(arg_types
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let kind = self
                    .params
                    .get(i)
                    .copied()
                    .or(self.variadic)
                    .unwrap_or(Arg::Any);
                coerce_one(kind, t)
            })
            .collect())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        self.check_arity(args.args.len())?;
        let all_scalar = args
            .args
            .iter()
            .all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let n = if all_scalar { 1 } else { args.number_rows };
        let out = match self.invoke_typed {
            Some(f) => f(&args.args, n, args.return_field.data_type())?,
            None => (self.invoke)(&args.args, n)?,
        };
        if out.len() != n {
            return exec_err!("{}: internal error: {} rows for {n}", self.name, out.len());
        }
        if all_scalar {
            Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?))
        } else {
            Ok(ColumnarValue::Array(out))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Result-type helpers

pub(crate) fn ret_utf8(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Utf8)
}
pub(crate) fn ret_bool(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Boolean)
}
pub(crate) fn ret_i64(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Int64)
}
pub(crate) fn ret_i32(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Int32)
}
pub(crate) fn ret_f64(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Float64)
}
pub(crate) fn ret_list_utf8(_: &[DataType]) -> Result<DataType> {
    Ok(list_of(DataType::Utf8))
}

/// `List<t>` with the standard nullable `item` field.
pub(crate) fn list_of(t: DataType) -> DataType {
    DataType::List(Arc::new(Field::new_list_field(t, true)))
}

// ---------------------------------------------------------------------------------------
// Argument accessors

/// Converts any array to `Utf8` (string types are cast; other types formatted with KQL
/// `tostring` rules, nulls kept as nulls).
pub(crate) fn to_utf8_array(arr: &ArrayRef) -> Result<StringArray> {
    match arr.data_type() {
        DataType::Utf8 => Ok(arr.as_string::<i32>().clone()),
        DataType::LargeUtf8 | DataType::Utf8View => {
            let c = cast(arr, &DataType::Utf8)?;
            Ok(c.as_string::<i32>().clone())
        }
        DataType::Dictionary(_, v) if v.is_string() => {
            let c = cast(arr, &DataType::Utf8)?;
            Ok(c.as_string::<i32>().clone())
        }
        _ => array_to_strings(arr.as_ref()),
    }
}

/// A string argument: a scalar or an array, read row by row. `Utf8`, `Utf8View` and
/// `LargeUtf8` columns are read in place; other types are formatted with `tostring` rules.
pub(crate) enum Strs {
    Scalar(Option<String>),
    Array(StringArray),
    View(StringViewArray),
    Large(LargeStringArray),
}

impl Strs {
    pub(crate) fn new(c: &ColumnarValue) -> Result<Strs> {
        match c {
            ColumnarValue::Scalar(s) => match s {
                ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v) => {
                    Ok(Strs::Scalar(v.clone()))
                }
                ScalarValue::Null => Ok(Strs::Scalar(None)),
                other => {
                    let a = to_utf8_array(&other.to_array_of_size(1)?)?;
                    Ok(Strs::Scalar(if a.is_null(0) {
                        None
                    } else {
                        Some(a.value(0).to_string())
                    }))
                }
            },
            ColumnarValue::Array(a) => Ok(match a.data_type() {
                DataType::Utf8View => Strs::View(a.as_string_view().clone()),
                DataType::LargeUtf8 => Strs::Large(a.as_string::<i64>().clone()),
                _ => Strs::Array(to_utf8_array(a)?),
            }),
        }
    }

    /// The optional argument `i` of `args`, or a scalar `default` when it is absent.
    pub(crate) fn opt(args: &[ColumnarValue], i: usize, default: &str) -> Result<Strs> {
        match args.get(i) {
            Some(c) => Strs::new(c),
            None => Ok(Strs::Scalar(Some(default.to_string()))),
        }
    }

    /// Row `i`; null (which a KQL string cannot be) reads as `""`.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> &str {
        self.get_opt(i).unwrap_or("")
    }

    /// Row `i`, `None` for null (used where the argument is dynamic JSON text).
    #[inline]
    pub(crate) fn get_opt(&self, i: usize) -> Option<&str> {
        match self {
            Strs::Scalar(v) => v.as_deref(),
            Strs::Array(a) => (i < a.len() && a.is_valid(i)).then(|| a.value(i)),
            Strs::View(a) => (i < a.len() && a.is_valid(i)).then(|| a.value(i)),
            Strs::Large(a) => (i < a.len() && a.is_valid(i)).then(|| a.value(i)),
        }
    }

    /// The value when the argument is a literal.
    pub(crate) fn scalar(&self) -> Option<&str> {
        match self {
            Strs::Scalar(v) => Some(v.as_deref().unwrap_or("")),
            Strs::Array(_) | Strs::View(_) | Strs::Large(_) => None,
        }
    }
}

/// Reads row `i` of an integer-like array as `i64` (reals truncated toward zero when in
/// range, booleans as 0/1); anything else is `None`.
pub(crate) fn array_i64(a: &dyn Array, i: usize) -> Option<i64> {
    if i >= a.len() || a.is_null(i) {
        return None;
    }
    match a.data_type() {
        DataType::Int64 => Some(a.as_primitive::<Int64Type>().value(i)),
        DataType::Int32 => Some(i64::from(a.as_primitive::<Int32Type>().value(i))),
        DataType::Int16 => Some(i64::from(a.as_primitive::<Int16Type>().value(i))),
        DataType::Int8 => Some(i64::from(a.as_primitive::<Int8Type>().value(i))),
        DataType::UInt8 => Some(i64::from(a.as_primitive::<UInt8Type>().value(i))),
        DataType::UInt16 => Some(i64::from(a.as_primitive::<UInt16Type>().value(i))),
        DataType::UInt32 => Some(i64::from(a.as_primitive::<UInt32Type>().value(i))),
        DataType::UInt64 => i64::try_from(a.as_primitive::<UInt64Type>().value(i)).ok(),
        DataType::Float64 => f64_to_i64(a.as_primitive::<Float64Type>().value(i)),
        DataType::Float32 => f64_to_i64(f64::from(a.as_primitive::<Float32Type>().value(i))),
        DataType::Float16 => f64_to_i64(f64::from(a.as_primitive::<Float16Type>().value(i))),
        DataType::Boolean => Some(i64::from(a.as_boolean().value(i))),
        _ => None,
    }
}

/// Truncates toward zero; `None` for NaN, infinities and values outside the `i64` range.
pub(crate) fn f64_to_i64(x: f64) -> Option<i64> {
    if !x.is_finite() {
        return None;
    }
    let t = x.trunc();
    // 2^63 is exactly representable; every f64 below it converts without overflow.
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t) {
        Some(t as i64)
    } else {
        None
    }
}

/// An integer argument (scalar or array).
pub(crate) enum Ints {
    Scalar(Option<i64>),
    Array(ArrayRef),
}

impl Ints {
    pub(crate) fn new(c: &ColumnarValue) -> Result<Ints> {
        match c {
            ColumnarValue::Scalar(s) => {
                let a = s.to_array_of_size(1)?;
                Ok(Ints::Scalar(array_i64(a.as_ref(), 0)))
            }
            ColumnarValue::Array(a) => Ok(Ints::Array(Arc::clone(a))),
        }
    }

    /// The optional argument `i`, or the scalar `default` when absent.
    pub(crate) fn opt(args: &[ColumnarValue], i: usize, default: Option<i64>) -> Result<Ints> {
        match args.get(i) {
            Some(c) => Ints::new(c),
            None => Ok(Ints::Scalar(default)),
        }
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<i64> {
        match self {
            Ints::Scalar(v) => *v,
            Ints::Array(a) => array_i64(a.as_ref(), i),
        }
    }
}

/// Argument `i` as an array of `n` rows (scalars broadcast).
pub(crate) fn arg_array(args: &[ColumnarValue], i: usize, n: usize) -> Result<ArrayRef> {
    match args.get(i) {
        Some(c) => c.clone().into_array(n),
        None => exec_err!("missing argument {i}"),
    }
}

// ---------------------------------------------------------------------------------------
// Builders

/// Builds a `Utf8` array of `n` rows from a per-row function (never null).
pub(crate) fn build_utf8(n: usize, mut f: impl FnMut(usize, &mut String)) -> ArrayRef {
    let mut b = StringBuilder::with_capacity(n, n * 8);
    let mut buf = String::new();
    for i in 0..n {
        buf.clear();
        f(i, &mut buf);
        b.append_value(&buf);
    }
    Arc::new(b.finish())
}

/// Builds a nullable `Utf8` array of `n` rows.
pub(crate) fn build_utf8_opt(n: usize, mut f: impl FnMut(usize) -> Option<String>) -> ArrayRef {
    let mut b = StringBuilder::with_capacity(n, n * 8);
    for i in 0..n {
        b.append_option(f(i));
    }
    Arc::new(b.finish())
}

pub(crate) fn build_bool(n: usize, mut f: impl FnMut(usize) -> Option<bool>) -> ArrayRef {
    let mut b = BooleanBuilder::with_capacity(n);
    for i in 0..n {
        b.append_option(f(i));
    }
    let a: BooleanArray = b.finish();
    Arc::new(a)
}

pub(crate) fn build_i64(n: usize, mut f: impl FnMut(usize) -> Option<i64>) -> ArrayRef {
    let mut b = Int64Builder::with_capacity(n);
    for i in 0..n {
        b.append_option(f(i));
    }
    let a: Int64Array = b.finish();
    Arc::new(a)
}

pub(crate) fn build_i32(n: usize, mut f: impl FnMut(usize) -> Option<i32>) -> ArrayRef {
    let mut b = Int32Builder::with_capacity(n);
    for i in 0..n {
        b.append_option(f(i));
    }
    Arc::new(b.finish())
}

pub(crate) fn build_f64(n: usize, mut f: impl FnMut(usize) -> Option<f64>) -> ArrayRef {
    let mut b = Float64Builder::with_capacity(n);
    for i in 0..n {
        b.append_option(f(i));
    }
    let a: Float64Array = b.finish();
    Arc::new(a)
}

/// Builds a `List<Utf8>` of `n` rows; `f` returns `None` for a null list.
pub(crate) fn build_list_utf8<S: AsRef<str>>(
    n: usize,
    mut f: impl FnMut(usize) -> Option<Vec<S>>,
) -> ArrayRef {
    let mut b = ListBuilder::new(StringBuilder::new());
    for i in 0..n {
        match f(i) {
            Some(items) => {
                for s in items {
                    b.values().append_value(s.as_ref());
                }
                b.append(true);
            }
            None => b.append(false),
        }
    }
    Arc::new(b.finish())
}

// ---------------------------------------------------------------------------------------
// Regex cache

/// Compiles each distinct pattern once per invocation. Invalid patterns are an execution
/// error with a clear message (never a panic).
#[derive(Default)]
pub(crate) struct RegexCache {
    map: HashMap<String, Regex>,
}

/// Distinct patterns kept per invocation before the cache is reset.
const REGEX_CACHE_LIMIT: usize = 64;

impl RegexCache {
    pub(crate) fn get(&mut self, fname: &str, pattern: &str) -> Result<&Regex> {
        self.get_with(fname, pattern, |p| p.to_string())
    }

    /// Compiles `wrap(pattern)` (e.g. anchored forms), keyed by the original pattern.
    pub(crate) fn get_with(
        &mut self,
        fname: &str,
        pattern: &str,
        wrap: impl Fn(&str) -> String,
    ) -> Result<&Regex> {
        if !self.map.contains_key(pattern) {
            if self.map.len() >= REGEX_CACHE_LIMIT {
                self.map.clear();
            }
            let re = compile_regex(fname, &wrap(pattern), pattern)?;
            self.map.insert(pattern.to_string(), re);
        }
        match self.map.get(pattern) {
            Some(r) => Ok(r),
            None => exec_err!("{fname}: regex cache error"),
        }
    }
}

/// Compiles a KQL (RE2-syntax) regular expression with the Rust `regex` crate.
pub(crate) fn compile_regex(fname: &str, full: &str, original: &str) -> Result<Regex> {
    regex::RegexBuilder::new(full)
        .size_limit(1 << 24)
        .build()
        .or_else(|e| exec_err!("{fname}: invalid regular expression {original:?}: {e}"))
}

/// Invokes `udf` like DataFusion does after planning: the result type comes from
/// `return_field_from_args` with the literal arguments (for tests; `common::invoke_udf`
/// uses `return_type` only).
#[cfg(test)]
pub(crate) fn invoke_planned(udf: &ScalarUDF, args: Vec<ColumnarValue>) -> Result<ArrayRef> {
    let rows = args
        .iter()
        .find_map(|a| match a {
            ColumnarValue::Array(x) => Some(x.len()),
            ColumnarValue::Scalar(_) => None,
        })
        .unwrap_or(1);
    let fields: Vec<_> = args
        .iter()
        .enumerate()
        .map(|(k, a)| Arc::new(Field::new(format!("a{k}"), a.data_type(), true)))
        .collect();
    let scalars: Vec<Option<&ScalarValue>> = args
        .iter()
        .map(|a| match a {
            ColumnarValue::Scalar(s) => Some(s),
            ColumnarValue::Array(_) => None,
        })
        .collect();
    let rf = udf.return_field_from_args(ReturnFieldArgs {
        arg_fields: &fields,
        scalar_arguments: &scalars,
    })?;
    let r = udf.invoke_with_args(ScalarFunctionArgs {
        args,
        arg_fields: fields.clone(),
        number_rows: rows,
        return_field: rf,
        config_options: Arc::new(datafusion::config::ConfigOptions::default()),
    })?;
    r.into_array(rows)
}

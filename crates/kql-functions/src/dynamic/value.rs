//! Reading dynamic arguments: JSON text (`Utf8`), typed lists (`List<T>`) and typed scalars,
//! as scalars (parsed once) or arrays (parsed per row).

use crate::convert::kit::Strs;
use crate::dynamic::json::{arrow_to_json, display_value, parse_dynamic};
use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::ColumnarValue;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::Arc;

/// `true` for the physical types that hold dynamic JSON text.
pub(crate) fn is_json_type(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    ) || matches!(t, DataType::Dictionary(_, v) if v.is_string())
}

/// A dynamic argument.
pub(crate) enum DynArg {
    /// A literal, parsed once.
    Scalar(Value),
    /// A column of JSON text.
    Json(Strs),
    /// A typed column (`List<T>`, typed scalars), converted per row.
    Typed(ArrayRef),
}

impl DynArg {
    pub(crate) fn new(c: &ColumnarValue) -> Result<DynArg> {
        match c {
            ColumnarValue::Scalar(s) => Ok(DynArg::Scalar(scalar_to_value(s)?)),
            ColumnarValue::Array(a) => {
                if is_json_type(a.data_type()) {
                    Ok(DynArg::Json(Strs::new(c)?))
                } else {
                    Ok(DynArg::Typed(Arc::clone(a)))
                }
            }
        }
    }

    /// Row `i` as a JSON value.
    pub(crate) fn value(&self, i: usize) -> Cow<'_, Value> {
        match self {
            DynArg::Scalar(v) => Cow::Borrowed(v),
            DynArg::Json(a) => Cow::Owned(parse_dynamic(a.get_opt(i))),
            DynArg::Typed(a) => Cow::Owned(arrow_to_json(a.as_ref(), i)),
        }
    }
}

/// A dynamic literal as a JSON value (`Utf8` literals are JSON text).
pub(crate) fn scalar_to_value(s: &ScalarValue) -> Result<Value> {
    match s {
        ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v) => {
            Ok(parse_dynamic(v.as_deref()))
        }
        ScalarValue::Null => Ok(Value::Null),
        other => {
            let a = other.to_array_of_size(1)?;
            Ok(arrow_to_json(a.as_ref(), 0))
        }
    }
}

/// The elements of a dynamic array as strings (`tostring` of each element: strings raw,
/// null `""`, others compact JSON). A non-array non-null value is a one-element list; null
/// is empty. Used by `has_any`, `has_all`, `in~`, `strcat_array`.
pub(crate) fn value_to_strings(v: &Value) -> Vec<String> {
    match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().map(display_value).collect(),
        other => vec![display_value(other)],
    }
}

/// A list-of-strings argument, precomputed when it is a literal.
pub(crate) enum StrList {
    Scalar(Vec<String>),
    Rows(DynArg),
}

impl StrList {
    pub(crate) fn new(c: &ColumnarValue) -> Result<StrList> {
        let d = DynArg::new(c)?;
        Ok(match d {
            DynArg::Scalar(v) => StrList::Scalar(value_to_strings(&v)),
            other => StrList::Rows(other),
        })
    }

    pub(crate) fn get(&self, i: usize) -> Cow<'_, [String]> {
        match self {
            StrList::Scalar(v) => Cow::Borrowed(v.as_slice()),
            StrList::Rows(d) => Cow::Owned(value_to_strings(&d.value(i))),
        }
    }
}

/// A KQL *scalar* argument in a dynamic function (e.g. the value of `set_has_element`):
/// `Utf8` is a KQL string here, not JSON text.
pub(crate) enum ScalarArg {
    Scalar(Value),
    Array(ArrayRef),
}

impl ScalarArg {
    pub(crate) fn new(c: &ColumnarValue) -> Result<ScalarArg> {
        match c {
            ColumnarValue::Scalar(s) => {
                let a = s.to_array_of_size(1)?;
                Ok(ScalarArg::Scalar(arrow_to_json(a.as_ref(), 0)))
            }
            ColumnarValue::Array(a) => Ok(ScalarArg::Array(Arc::clone(a))),
        }
    }

    pub(crate) fn value(&self, i: usize) -> Cow<'_, Value> {
        match self {
            ScalarArg::Scalar(v) => Cow::Borrowed(v),
            ScalarArg::Array(a) => Cow::Owned(arrow_to_json(a.as_ref(), i)),
        }
    }
}

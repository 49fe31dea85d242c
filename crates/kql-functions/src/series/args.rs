//! Argument access for the series UDFs: series columns (typed `List<T>` or JSON text) and
//! per-row scalar parameters.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, ListArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Float64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::ColumnarValue;
use serde_json::Value;
use std::sync::Arc;

/// True for the Arrow types accepted as a series argument.
pub(crate) fn is_series_type(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(_, _)
            | DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Null
    )
}

/// Element type of a list type (`None` for JSON text / null).
pub(crate) fn list_element_type(dt: &DataType) -> Option<&DataType> {
    match dt {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            Some(f.data_type())
        }
        _ => None,
    }
}

/// A series column: one series (or null) per row.
pub(crate) enum SeriesColumn {
    /// Typed list, values cast to Float64.
    List {
        list: ListArray,
        values: Float64Array,
    },
    /// Dynamic JSON text (`[1,2,null]`); anything that is not an array is a null series.
    Json(ArrayRef),
    /// All rows null.
    Null,
}

impl SeriesColumn {
    /// Wraps argument `arg` (broadcast to `rows` rows).
    pub(crate) fn new(arg: &ColumnarValue, rows: usize) -> Result<Self> {
        let arr = arg.clone().into_array(rows)?;
        Self::from_array(&arr)
    }

    /// Wraps an array of series.
    pub(crate) fn from_array(arr: &ArrayRef) -> Result<Self> {
        match arr.data_type() {
            DataType::Null => Ok(SeriesColumn::Null),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                Ok(SeriesColumn::Json(cast(arr, &DataType::Utf8)?))
            }
            dt @ (DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _)) => {
                let elem = list_element_type(dt).cloned().unwrap_or(DataType::Null);
                let target = DataType::List(Arc::new(Field::new_list_field(elem, true)));
                let arr = if arr.data_type() == &target {
                    arr.clone()
                } else {
                    cast(arr, &target)?
                };
                let list = arr.as_list::<i32>().clone();
                let values = cast(list.values(), &DataType::Float64)?;
                let values = values.as_primitive::<Float64Type>().clone();
                Ok(SeriesColumn::List { list, values })
            }
            other => exec_err!("expected a series (dynamic array), got {other}"),
        }
    }

    /// Row `row` as `Option` elements (`None` = null or non-numeric); `None` for a null row.
    pub(crate) fn row_opt(&self, row: usize) -> Option<Vec<Option<f64>>> {
        match self {
            SeriesColumn::Null => None,
            SeriesColumn::List { list, values } => {
                if list.is_null(row) {
                    return None;
                }
                let offs = list.value_offsets();
                let (start, end) = (offs[row] as usize, offs[row + 1] as usize);
                Some(
                    (start..end)
                        .map(|j| {
                            if values.is_null(j) {
                                None
                            } else {
                                Some(values.value(j))
                            }
                        })
                        .collect(),
                )
            }
            SeriesColumn::Json(arr) => {
                let s = arr.as_string::<i32>();
                if s.is_null(row) {
                    return None;
                }
                parse_json_series(s.value(row))
            }
        }
    }

    /// Row `row` with nulls as NaN; `None` for a null row.
    pub(crate) fn row_f64(&self, row: usize) -> Option<Vec<f64>> {
        self.row_opt(row)
            .map(|v| v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
    }
}

/// Parses dynamic JSON text as a numeric array; `None` if it is not an array.
pub(crate) fn parse_json_series(text: &str) -> Option<Vec<Option<f64>>> {
    match serde_json::from_str::<Value>(text).ok()? {
        Value::Array(items) => Some(items.iter().map(Value::as_f64).collect()),
        _ => None,
    }
}

/// Parameter `i` at `row`: `None` when the argument is absent (use the KQL default).
pub(crate) fn param(args: &[ColumnarValue], i: usize, row: usize) -> Result<Option<ScalarValue>> {
    match args.get(i) {
        None => Ok(None),
        Some(ColumnarValue::Scalar(s)) => Ok(Some(s.clone())),
        Some(ColumnarValue::Array(a)) => Ok(Some(ScalarValue::try_from_array(a, row)?)),
    }
}

/// A numeric scalar as f64 (`None` for null / non-numeric).
pub(crate) fn sv_f64(v: &ScalarValue) -> Option<f64> {
    if v.is_null() {
        return None;
    }
    match v {
        ScalarValue::Utf8(Some(s))
        | ScalarValue::LargeUtf8(Some(s))
        | ScalarValue::Utf8View(Some(s)) => serde_json::from_str::<Value>(s).ok()?.as_f64(),
        ScalarValue::Boolean(_) => None,
        _ => match v.cast_to(&DataType::Float64).ok()? {
            ScalarValue::Float64(x) => x,
            _ => None,
        },
    }
}

/// A numeric scalar as i64 (reals truncated).
pub(crate) fn sv_i64(v: &ScalarValue) -> Option<i64> {
    match v {
        ScalarValue::Int64(x) => *x,
        ScalarValue::Int32(x) => x.map(i64::from),
        _ => {
            let f = sv_f64(v)?;
            if f.is_finite() && f.abs() < 9.2e18 {
                Some(f.trunc() as i64)
            } else {
                None
            }
        }
    }
}

/// A boolean scalar.
pub(crate) fn sv_bool(v: &ScalarValue) -> Option<bool> {
    match v {
        ScalarValue::Boolean(b) => *b,
        _ => sv_f64(v).map(|f| f != 0.0),
    }
}

/// A string scalar.
pub(crate) fn sv_str(v: &ScalarValue) -> Option<String> {
    match v {
        ScalarValue::Utf8(s) | ScalarValue::LargeUtf8(s) | ScalarValue::Utf8View(s) => s.clone(),
        _ => None,
    }
}

/// A series given as a scalar (filter coefficients): list scalar or JSON text.
pub(crate) fn sv_series(v: &ScalarValue) -> Result<Option<Vec<Option<f64>>>> {
    if v.is_null() {
        return Ok(None);
    }
    let arr = v.to_array()?;
    Ok(SeriesColumn::from_array(&arr)?.row_opt(0))
}

/// Optional parameter with a default: absent or null → `default`.
pub(crate) fn f64_or(args: &[ColumnarValue], i: usize, row: usize, default: f64) -> Result<f64> {
    Ok(param(args, i, row)?
        .as_ref()
        .and_then(sv_f64)
        .unwrap_or(default))
}

/// Optional integer parameter with a default.
pub(crate) fn i64_or(args: &[ColumnarValue], i: usize, row: usize, default: i64) -> Result<i64> {
    Ok(param(args, i, row)?
        .as_ref()
        .and_then(sv_i64)
        .unwrap_or(default))
}

/// Optional string parameter with a default.
pub(crate) fn str_or(
    args: &[ColumnarValue],
    i: usize,
    row: usize,
    default: &str,
) -> Result<String> {
    Ok(param(args, i, row)?
        .as_ref()
        .and_then(sv_str)
        .unwrap_or_else(|| default.to_string()))
}

/// Optional boolean parameter: `None` when absent or null.
pub(crate) fn bool_opt(args: &[ColumnarValue], i: usize, row: usize) -> Result<Option<bool>> {
    Ok(param(args, i, row)?.as_ref().and_then(sv_bool))
}

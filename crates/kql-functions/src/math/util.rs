//! Small helpers shared by the `datetime`, `ip`, `math` and `aggregate` modules (brief B).
//!
//! They live here rather than in `common.rs` (owned by another brief). Everything is
//! `pub(crate)`.

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, TimeUnit};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::ColumnarValue;
use std::sync::Arc;

/// The canonical KQL `datetime` type.
pub(crate) fn dt_type() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

/// The canonical KQL `timespan` type.
pub(crate) fn ts_type() -> DataType {
    DataType::Duration(TimeUnit::Nanosecond)
}

/// `List<item>` with a nullable item field named `item` (DataFusion's convention).
#[allow(dead_code)]
pub(crate) fn list_of(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("item", item, true)))
}

pub(crate) fn is_int(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64
    )
}

pub(crate) fn is_float(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Float16 | DataType::Float32 | DataType::Float64 | DataType::Decimal128(_, _)
    )
}

pub(crate) fn is_numeric(t: &DataType) -> bool {
    is_int(t) || is_float(t) || matches!(t, DataType::Null)
}

pub(crate) fn is_string(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    )
}

pub(crate) fn is_timestamp(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64
    )
}

pub(crate) fn is_duration(t: &DataType) -> bool {
    matches!(t, DataType::Duration(_))
}

/// Converts every argument to an array of `n` rows and casts argument `i` to `types[i]`.
pub(crate) fn arrays_as(
    args: &[ColumnarValue],
    types: &[DataType],
    n: usize,
) -> Result<Vec<ArrayRef>> {
    if args.len() != types.len() {
        return exec_err!(
            "internal error: {} arguments but {} target types",
            args.len(),
            types.len()
        );
    }
    args.iter()
        .zip(types)
        .map(|(a, t)| {
            let arr = a.clone().into_array(n)?;
            if arr.data_type() == t {
                Ok(arr)
            } else {
                Ok(cast(&arr, t)?)
            }
        })
        .collect()
}

/// True when every argument is a scalar (the result may then be returned as a scalar).
pub(crate) fn all_scalar(args: &[ColumnarValue]) -> bool {
    args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)))
}

/// Wraps a computed array as the UDF result: a scalar when all inputs were scalars.
pub(crate) fn finish(result: ArrayRef, scalar: bool) -> Result<ColumnarValue> {
    if scalar && result.len() == 1 {
        Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(
            &result, 0,
        )?))
    } else {
        Ok(ColumnarValue::Array(result))
    }
}

/// A string argument as a `Utf8` array (casting `Utf8View`/`LargeUtf8`/`Null`).
pub(crate) fn as_utf8(arr: &ArrayRef) -> Result<ArrayRef> {
    if arr.data_type() == &DataType::Utf8 {
        Ok(Arc::clone(arr))
    } else {
        Ok(cast(arr, &DataType::Utf8)?)
    }
}

/// The value of row `i` of a `Utf8` array, `None` when null.
pub(crate) fn str_at(arr: &ArrayRef, i: usize) -> Option<&str> {
    let a = arr.as_string_opt::<i32>()?;
    if a.is_null(i) { None } else { Some(a.value(i)) }
}

/// Normalises the target type for "integer" arguments: any integer or null → Int64.
pub(crate) fn coerce_int(t: &DataType, fname: &str) -> Result<DataType> {
    if is_int(t) || matches!(t, DataType::Null) {
        Ok(DataType::Int64)
    } else {
        datafusion::common::plan_err!("{fname}: expected an integer argument, got {t}")
    }
}

/// Normalises a "real" argument: any number or null → Float64.
pub(crate) fn coerce_real(t: &DataType, fname: &str) -> Result<DataType> {
    if is_numeric(t) {
        Ok(DataType::Float64)
    } else {
        datafusion::common::plan_err!("{fname}: expected a numeric argument, got {t}")
    }
}

/// Normalises a string argument → Utf8.
pub(crate) fn coerce_str(t: &DataType, fname: &str) -> Result<DataType> {
    if is_string(t) {
        Ok(DataType::Utf8)
    } else {
        datafusion::common::plan_err!("{fname}: expected a string argument, got {t}")
    }
}

/// Normalises a datetime argument → Timestamp(ns, UTC).
pub(crate) fn coerce_dt(t: &DataType, fname: &str) -> Result<DataType> {
    if is_timestamp(t) || matches!(t, DataType::Null) {
        Ok(dt_type())
    } else {
        datafusion::common::plan_err!("{fname}: expected a datetime argument, got {t}")
    }
}

/// Normalises a timespan argument → Duration(ns).
pub(crate) fn coerce_ts(t: &DataType, fname: &str) -> Result<DataType> {
    if is_duration(t) || matches!(t, DataType::Null) {
        Ok(ts_type())
    } else {
        datafusion::common::plan_err!("{fname}: expected a timespan argument, got {t}")
    }
}

/// Checks the argument count is within `min..=max`.
pub(crate) fn check_arity(fname: &str, n: usize, min: usize, max: usize) -> Result<()> {
    if n < min || n > max {
        if min == max {
            return datafusion::common::plan_err!("{fname} expects {min} argument(s), got {n}");
        }
        return datafusion::common::plan_err!("{fname} expects {min} to {max} arguments, got {n}");
    }
    Ok(())
}

/// Iterates `(is_valid, value)` helpers are not needed: arrow's `PrimitiveArray::iter`
/// already yields `Option<T>`. This returns a `Vec<Option<i64>>` view of any Int64-like
/// primitive array (Int64, Timestamp(ns), Duration(ns)).
pub(crate) fn i64_values(arr: &ArrayRef) -> Result<Vec<Option<i64>>> {
    use datafusion::arrow::datatypes::{
        DurationNanosecondType, Int64Type, TimestampNanosecondType,
    };
    Ok(match arr.data_type() {
        DataType::Int64 => arr.as_primitive::<Int64Type>().iter().collect(),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => arr
            .as_primitive::<TimestampNanosecondType>()
            .iter()
            .collect(),
        DataType::Duration(TimeUnit::Nanosecond) => arr
            .as_primitive::<DurationNanosecondType>()
            .iter()
            .collect(),
        DataType::Null => vec![None; arr.len()],
        other => return exec_err!("internal error: expected a 64-bit array, got {other}"),
    })
}

/// A `Vec<Option<f64>>` view of a Float64 array.
pub(crate) fn f64_values(arr: &ArrayRef) -> Result<Vec<Option<f64>>> {
    use datafusion::arrow::datatypes::Float64Type;
    Ok(match arr.data_type() {
        DataType::Float64 => arr.as_primitive::<Float64Type>().iter().collect(),
        DataType::Null => vec![None; arr.len()],
        other => return exec_err!("internal error: expected Float64, got {other}"),
    })
}

/// A family of scalar functions implemented by one `enum` (one variant per KQL function).
///
/// `coerce` maps the argument types DataFusion sees onto the canonical physical types the
/// kernel expects (the arrays are cast to them before `invoke`); `return_type` receives the
/// coerced types.
pub(crate) trait KqlFn:
    std::fmt::Debug + Copy + PartialEq + Eq + std::hash::Hash + Send + Sync + 'static
{
    fn udf_name(&self) -> &'static str;
    fn coerce(&self, args: &[DataType]) -> Result<Vec<DataType>>;
    fn return_type(&self, args: &[DataType]) -> Result<DataType>;
    /// `arrays` are the coerced arguments (length `n`); `raw` the original arguments (to
    /// see which ones are literals).
    fn invoke(&self, arrays: &[ArrayRef], n: usize, raw: &[ColumnarValue]) -> Result<ArrayRef>;
}

/// The `ScalarUDFImpl` shared by every [`KqlFn`] family.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct KqlScalar<K: KqlFn> {
    kind: K,
    signature: datafusion::logical_expr::Signature,
}

impl<K: KqlFn> KqlScalar<K> {
    pub(crate) fn udf(kind: K) -> Arc<datafusion::logical_expr::ScalarUDF> {
        Arc::new(datafusion::logical_expr::ScalarUDF::new_from_impl(Self {
            kind,
            signature: datafusion::logical_expr::Signature::user_defined(
                datafusion::logical_expr::Volatility::Immutable,
            ),
        }))
    }
}

impl<K: KqlFn> datafusion::logical_expr::ScalarUDFImpl for KqlScalar<K> {
    fn name(&self) -> &str {
        self.kind.udf_name()
    }

    fn signature(&self) -> &datafusion::logical_expr::Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.kind.coerce(arg_types)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let coerced = self.kind.coerce(arg_types)?;
        self.kind.return_type(&coerced)
    }

    fn invoke_with_args(
        &self,
        args: datafusion::logical_expr::ScalarFunctionArgs,
    ) -> Result<ColumnarValue> {
        let types: Vec<DataType> = args.args.iter().map(|a| a.data_type()).collect();
        let target = self.kind.coerce(&types)?;
        let scalar = all_scalar(&args.args);
        let n = if scalar { 1 } else { args.number_rows };
        let arrays = arrays_as(&args.args, &target, n)?;
        let out = self.kind.invoke(&arrays, n, &args.args)?;
        finish(out, scalar)
    }
}

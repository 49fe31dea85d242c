//! Helpers shared by the UDF implementations: argument access and test utilities.

use datafusion::arrow::array::{ArrayRef, new_null_array};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, ScalarValue};
use datafusion::config::ConfigOptions;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF};
use std::sync::Arc;

/// Converts every argument to an array of `number_rows` rows (scalars are broadcast).
pub fn args_to_arrays(args: &[ColumnarValue], number_rows: usize) -> Result<Vec<ArrayRef>> {
    args.iter()
        .map(|a| a.clone().into_array(number_rows))
        .collect()
}

/// The literal value of argument `i` when it is a scalar (e.g. a regex pattern), else `None`.
pub fn scalar_arg(args: &[ColumnarValue], i: usize) -> Option<&ScalarValue> {
    match args.get(i) {
        Some(ColumnarValue::Scalar(s)) => Some(s),
        _ => None,
    }
}

/// An all-null array of `data_type` and `len` rows.
pub fn nulls(data_type: &DataType, len: usize) -> ArrayRef {
    new_null_array(data_type, len)
}

/// Invokes a scalar UDF directly on `args` (scalars or arrays), the way DataFusion's
/// executor does; for unit tests. `number_rows` is taken from the first array argument
/// (1 if all arguments are scalars). The result is always returned as an array.
pub fn invoke_udf(udf: &ScalarUDF, args: Vec<ColumnarValue>) -> Result<ArrayRef> {
    let number_rows = args
        .iter()
        .find_map(|a| match a {
            ColumnarValue::Array(arr) => Some(arr.len()),
            ColumnarValue::Scalar(_) => None,
        })
        .unwrap_or(1);
    let arg_fields: Vec<_> = args
        .iter()
        .enumerate()
        .map(|(i, a)| Arc::new(Field::new(format!("a{i}"), a.data_type(), true)))
        .collect();
    let arg_types: Vec<DataType> = args.iter().map(|a| a.data_type()).collect();
    let return_type = udf.return_type(&arg_types)?;
    let result = udf.invoke_with_args(ScalarFunctionArgs {
        args,
        arg_fields,
        number_rows,
        return_field: Arc::new(Field::new("r", return_type, true)),
        config_options: Arc::new(ConfigOptions::default()),
    })?;
    result.into_array(number_rows)
}

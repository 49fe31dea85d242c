//! KQL `series_*` functions as DataFusion scalar UDFs, wrapping the `kql-series` kernels.
//!
//! Every function is registered as `kql_<kql name>` and takes the KQL arguments in KQL
//! order; trailing optional arguments may be omitted (KQL defaults apply; a null parameter
//! also means "default", except for fill placeholders/constants where null is a value).
//!
//! * Series arguments: `List<T>` of any numeric `T` (also `LargeList`/`FixedSizeList`) or
//!   dynamic JSON text (`Utf8`); a null series gives a null result; null elements are NaN
//!   for the numeric kernels.
//! * Array outputs are `List<Float64>` (`ad_flag` is `List<Int64>`; fill functions keep the
//!   input element type: `Int32` → `Int32`, other integers → `Int64`, everything else and
//!   JSON input → `Float64`; comparisons give `List<Boolean>`).
//! * Tuple-returning functions return a `Struct` whose fields are the KQL tuple members in
//!   KQL order ([`series_output_members`]).
//! * Parameters are normally literals; per-row parameter columns are accepted too.
//! * Invalid parameters (unknown trend name, percentiles outside [2, 98], …) are execution
//!   errors; data problems give null / NaN / zeros as documented in `kql-series`.

pub(crate) mod args;
mod invoke;

use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use std::sync::Arc;

/// Element-wise binary operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `series_add`
    Add,
    /// `series_subtract`
    Subtract,
    /// `series_multiply`
    Multiply,
    /// `series_divide` (real division)
    Divide,
    /// `series_pow`
    Pow,
    /// `series_greater`
    Greater,
    /// `series_greater_equals`
    GreaterEquals,
    /// `series_less`
    Less,
    /// `series_less_equals`
    LessEquals,
    /// `series_equals`
    Equals,
    /// `series_not_equals`
    NotEquals,
}

impl BinOp {
    fn is_comparison(self) -> bool {
        !matches!(
            self,
            BinOp::Add | BinOp::Subtract | BinOp::Multiply | BinOp::Divide | BinOp::Pow
        )
    }
}

/// Element-wise unary math functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `series_abs`
    Abs,
    /// `series_sign`
    Sign,
    /// `series_ceiling`
    Ceiling,
    /// `series_floor`
    Floor,
    /// `series_exp`
    Exp,
    /// `series_log` (natural logarithm)
    Log,
    /// `series_sin`
    Sin,
    /// `series_cos`
    Cos,
    /// `series_tan`
    Tan,
    /// `series_asin`
    Asin,
    /// `series_acos`
    Acos,
    /// `series_atan`
    Atan,
}

/// Every series function this module implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeriesFn {
    /// `series_decompose_anomalies(series, threshold, seasonality, trend, test_points, ad_method, seasonality_threshold)`
    DecomposeAnomalies,
    /// `series_decompose(series, seasonality, trend, test_points, seasonality_threshold)`
    Decompose,
    /// `series_decompose_forecast(series, points, seasonality, trend, seasonality_threshold)`
    DecomposeForecast,
    /// `series_outliers(series, kind, ignore_val, min_percentile, max_percentile, test_points)`
    Outliers,
    /// `series_seasonal(series, period, test_points)`
    Seasonal,
    /// `series_periods_detect(series, min_period, max_period, num_periods)`
    PeriodsDetect,
    /// `series_periods_validate(series, period1, …, period16)`
    PeriodsValidate,
    /// `series_fit_line(series)`
    FitLine,
    /// `series_fit_line_dynamic(series)` (JSON bag)
    FitLineDynamic,
    /// `series_fit_2lines(series)`
    Fit2Lines,
    /// `series_fit_2lines_dynamic(series)` (JSON bag)
    Fit2LinesDynamic,
    /// `series_stats(series, ignore_nonfinite)`
    Stats,
    /// `series_stats_dynamic(series, ignore_nonfinite)` (JSON bag)
    StatsDynamic,
    /// `series_fill_forward(series, missing_value_placeholder)`
    FillForward,
    /// `series_fill_backward(series, missing_value_placeholder)`
    FillBackward,
    /// `series_fill_const(series, constant_value, missing_value_placeholder)`
    FillConst,
    /// `series_fill_linear(series, missing_value_placeholder, fill_edges, constant_value)`
    FillLinear,
    /// `series_fir(series, filter, normalize, center)`
    Fir,
    /// `series_iir(series, numerators, denominators)`
    Iir,
    /// Element-wise binary operation.
    Binary(BinOp),
    /// Element-wise unary function.
    Unary(UnOp),
    /// `series_dot_product(series1, series2)`
    DotProduct,
    /// `series_magnitude(series)`
    Magnitude,
    /// `series_sum(series)`
    Sum,
    /// `series_cosine_similarity(series1, series2)`
    CosineSimilarity,
    /// `series_pearson_correlation(series1, series2)`
    PearsonCorrelation,
    /// `array_sum(array)`
    ArraySum,
}

/// (KQL name, function, min args, max args)
const TABLE: &[(&str, SeriesFn, usize, usize)] = &[
    (
        "series_decompose_anomalies",
        SeriesFn::DecomposeAnomalies,
        1,
        7,
    ),
    ("series_decompose", SeriesFn::Decompose, 1, 5),
    (
        "series_decompose_forecast",
        SeriesFn::DecomposeForecast,
        2,
        5,
    ),
    ("series_outliers", SeriesFn::Outliers, 1, 6),
    ("series_seasonal", SeriesFn::Seasonal, 1, 3),
    ("series_periods_detect", SeriesFn::PeriodsDetect, 4, 4),
    ("series_periods_validate", SeriesFn::PeriodsValidate, 2, 17),
    ("series_fit_line", SeriesFn::FitLine, 1, 1),
    ("series_fit_line_dynamic", SeriesFn::FitLineDynamic, 1, 1),
    ("series_fit_2lines", SeriesFn::Fit2Lines, 1, 1),
    (
        "series_fit_2lines_dynamic",
        SeriesFn::Fit2LinesDynamic,
        1,
        1,
    ),
    ("series_stats", SeriesFn::Stats, 1, 2),
    ("series_stats_dynamic", SeriesFn::StatsDynamic, 1, 2),
    ("series_fill_forward", SeriesFn::FillForward, 1, 2),
    ("series_fill_backward", SeriesFn::FillBackward, 1, 2),
    ("series_fill_const", SeriesFn::FillConst, 1, 3),
    ("series_fill_linear", SeriesFn::FillLinear, 1, 4),
    ("series_fir", SeriesFn::Fir, 2, 4),
    ("series_iir", SeriesFn::Iir, 3, 3),
    ("series_add", SeriesFn::Binary(BinOp::Add), 2, 2),
    ("series_subtract", SeriesFn::Binary(BinOp::Subtract), 2, 2),
    ("series_multiply", SeriesFn::Binary(BinOp::Multiply), 2, 2),
    ("series_divide", SeriesFn::Binary(BinOp::Divide), 2, 2),
    ("series_pow", SeriesFn::Binary(BinOp::Pow), 2, 2),
    ("series_greater", SeriesFn::Binary(BinOp::Greater), 2, 2),
    (
        "series_greater_equals",
        SeriesFn::Binary(BinOp::GreaterEquals),
        2,
        2,
    ),
    ("series_less", SeriesFn::Binary(BinOp::Less), 2, 2),
    (
        "series_less_equals",
        SeriesFn::Binary(BinOp::LessEquals),
        2,
        2,
    ),
    ("series_equals", SeriesFn::Binary(BinOp::Equals), 2, 2),
    (
        "series_not_equals",
        SeriesFn::Binary(BinOp::NotEquals),
        2,
        2,
    ),
    ("series_abs", SeriesFn::Unary(UnOp::Abs), 1, 1),
    ("series_sign", SeriesFn::Unary(UnOp::Sign), 1, 1),
    ("series_ceiling", SeriesFn::Unary(UnOp::Ceiling), 1, 1),
    ("series_floor", SeriesFn::Unary(UnOp::Floor), 1, 1),
    ("series_exp", SeriesFn::Unary(UnOp::Exp), 1, 1),
    ("series_log", SeriesFn::Unary(UnOp::Log), 1, 1),
    ("series_sin", SeriesFn::Unary(UnOp::Sin), 1, 1),
    ("series_cos", SeriesFn::Unary(UnOp::Cos), 1, 1),
    ("series_tan", SeriesFn::Unary(UnOp::Tan), 1, 1),
    ("series_asin", SeriesFn::Unary(UnOp::Asin), 1, 1),
    ("series_acos", SeriesFn::Unary(UnOp::Acos), 1, 1),
    ("series_atan", SeriesFn::Unary(UnOp::Atan), 1, 1),
    ("series_dot_product", SeriesFn::DotProduct, 2, 2),
    ("series_magnitude", SeriesFn::Magnitude, 1, 1),
    ("series_sum", SeriesFn::Sum, 1, 1),
    ("series_cosine_similarity", SeriesFn::CosineSimilarity, 2, 2),
    (
        "series_pearson_correlation",
        SeriesFn::PearsonCorrelation,
        2,
        2,
    ),
];

/// The KQL tuple member names (in KQL order) of a tuple-returning series function, e.g.
/// `series_decompose_anomalies` → `["ad_flag", "ad_score", "baseline"]`. These are also the
/// field names of the UDF's `Struct` result. Accepts the KQL name with or without the
/// `kql_` prefix; `None` for functions returning a single value.
pub fn series_output_members(kql_name: &str) -> Option<&'static [&'static str]> {
    let name = kql_name.strip_prefix("kql_").unwrap_or(kql_name);
    Some(match name {
        "series_decompose_anomalies" => &["ad_flag", "ad_score", "baseline"],
        "series_decompose" => &["baseline", "seasonal", "trend", "residual"],
        "series_fit_line" => &[
            "rsquare",
            "slope",
            "variance",
            "rvariance",
            "interception",
            "line_fit",
        ],
        "series_fit_2lines" => &[
            "rsquare",
            "split_idx",
            "variance",
            "rvariance",
            "line_fit",
            "right_rsquare",
            "right_slope",
            "right_interception",
            "right_variance",
            "right_rvariance",
            "left_rsquare",
            "left_slope",
            "left_interception",
            "left_variance",
            "left_rvariance",
        ],
        "series_periods_detect" | "series_periods_validate" => &["periods", "scores"],
        "series_stats" => &[
            "min", "min_idx", "max", "max_idx", "avg", "stdev", "variance",
        ],
        _ => return None,
    })
}

fn list_of(dt: DataType) -> DataType {
    DataType::new_list(dt, true)
}

fn struct_of(fields: &[(&str, DataType)]) -> DataType {
    DataType::Struct(Fields::from(
        fields
            .iter()
            .map(|(n, t)| Field::new(*n, t.clone(), true))
            .collect::<Vec<_>>(),
    ))
}

/// The `Struct` type of a tuple-returning function.
fn tuple_type(kql_name: &str) -> Option<DataType> {
    let members = series_output_members(kql_name)?;
    let f64l = list_of(DataType::Float64);
    let fields: Vec<(&str, DataType)> = members
        .iter()
        .map(|&m| {
            let t = match m {
                "ad_flag" => list_of(DataType::Int64),
                "ad_score" | "baseline" | "seasonal" | "trend" | "residual" | "line_fit"
                | "periods" | "scores" => f64l.clone(),
                "split_idx" | "min_idx" | "max_idx" => DataType::Int64,
                _ => DataType::Float64,
            };
            (m, t)
        })
        .collect();
    Some(struct_of(&fields))
}

/// Output element type of the fill functions for a series argument type.
pub(crate) fn fill_element_type(series_type: &DataType) -> DataType {
    match args::list_element_type(series_type) {
        Some(DataType::Int32) => DataType::Int32,
        Some(
            DataType::Int8
            | DataType::Int16
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64,
        ) => DataType::Int64,
        _ => DataType::Float64,
    }
}

/// One KQL series function as a DataFusion scalar UDF.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SeriesUdf {
    name: String,
    kql_name: &'static str,
    func: SeriesFn,
    min_args: usize,
    max_args: usize,
    signature: Signature,
}

impl SeriesUdf {
    /// The UDF for a KQL series function name (`series_decompose_anomalies`, …).
    pub fn new(kql_name: &str) -> Option<Self> {
        let &(kql, func, min_args, max_args) = TABLE.iter().find(|(n, ..)| *n == kql_name)?;
        Some(SeriesUdf {
            name: format!("kql_{kql}"),
            kql_name: kql,
            func,
            min_args,
            max_args,
            signature: Signature::variadic_any(Volatility::Immutable),
        })
    }

    /// The function this UDF computes.
    pub fn func(&self) -> SeriesFn {
        self.func
    }
}

impl ScalarUDFImpl for SeriesUdf {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let n = arg_types.len();
        if n < self.min_args || n > self.max_args {
            return plan_err!(
                "{} takes {} to {} arguments, got {n}",
                self.kql_name,
                self.min_args,
                self.max_args
            );
        }
        let series_args: &[usize] = match self.func {
            SeriesFn::Binary(_) => &[],
            SeriesFn::DotProduct | SeriesFn::CosineSimilarity | SeriesFn::PearsonCorrelation => {
                &[0, 1]
            }
            _ => &[0],
        };
        for &i in series_args {
            if !args::is_series_type(&arg_types[i]) {
                return plan_err!(
                    "{}: argument {} must be a dynamic array, got {}",
                    self.kql_name,
                    i + 1,
                    arg_types[i]
                );
            }
        }
        if let Some(t) = tuple_type(self.kql_name) {
            return Ok(t);
        }
        Ok(match self.func {
            SeriesFn::FillForward
            | SeriesFn::FillBackward
            | SeriesFn::FillConst
            | SeriesFn::FillLinear => list_of(fill_element_type(&arg_types[0])),
            SeriesFn::Binary(op) if op.is_comparison() => list_of(DataType::Boolean),
            SeriesFn::FitLineDynamic | SeriesFn::Fit2LinesDynamic | SeriesFn::StatsDynamic => {
                DataType::Utf8
            }
            SeriesFn::DotProduct
            | SeriesFn::Magnitude
            | SeriesFn::Sum
            | SeriesFn::CosineSimilarity
            | SeriesFn::PearsonCorrelation
            | SeriesFn::ArraySum => DataType::Float64,
            _ => list_of(DataType::Float64),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        invoke::invoke(
            self.func,
            &args.args,
            args.number_rows,
            args.return_field.data_type(),
        )
    }
}

/// Every scalar UDF of this module (`kql_series_*`; `array_sum` lives in `dynamic`).
pub fn scalar_udfs() -> Vec<Arc<ScalarUDF>> {
    TABLE
        .iter()
        .filter_map(|(n, ..)| SeriesUdf::new(n))
        .map(|u| Arc::new(ScalarUDF::new_from_impl(u)))
        .collect()
}

/// The KQL names of every function of this module.
pub fn kql_names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(n, ..)| *n)
}

#[cfg(test)]
mod tests;

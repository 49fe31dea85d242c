//! The error type of the series kernels.

use thiserror::Error;

/// An invalid parameter given to a series function.
///
/// Kernels only fail on parameters that are wrong independently of the data (an unknown
/// trend name, percentiles outside [2, 98], a negative number of test points, ...). Data
/// problems (empty series, nulls, constant series, huge values) never produce an error: they
/// produce the documented "empty" values (NaN, zeros, nulls) instead.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SeriesError {
    /// A parameter has a value outside its allowed domain.
    #[error("{function}: invalid value for parameter '{parameter}': {message}")]
    InvalidParameter {
        /// The KQL function name (e.g. `series_outliers`).
        function: &'static str,
        /// The KQL parameter name (e.g. `min_percentile`).
        parameter: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl SeriesError {
    /// Builds an [`SeriesError::InvalidParameter`].
    pub fn invalid(
        function: &'static str,
        parameter: &'static str,
        message: impl Into<String>,
    ) -> Self {
        SeriesError::InvalidParameter {
            function,
            parameter,
            message: message.into(),
        }
    }
}

/// Result alias of the series kernels.
pub type Result<T> = std::result::Result<T, SeriesError>;

//! `kql-series`: the numeric kernels of KQL's `series_*` functions, over plain slices.
//!
//! No Arrow, no DataFusion: `kql-functions` wraps these kernels as UDFs. All maths is f64;
//! unless a function says otherwise a null element is represented as `f64::NAN`. The fill
//! functions and the element-wise helpers take `Option` elements because they must tell a
//! null from a value. Kernels never panic; invalid *parameters* (an unknown trend name,
//! percentiles outside [2, 98], …) give a [`SeriesError`].
//!
//! The algorithms, their evidence and their status (EXACT / DOC / RECON / GUESS) are
//! described in `../shared/spec/series-algorithms.md`; the period detector is a
//! reconstruction behind one swappable trait ([`periods::PeriodDetector`]).

pub mod decompose;
pub mod elementwise;
pub mod error;
pub mod fill;
pub mod filters;
pub mod fit;
pub mod outliers;
pub mod periods;
pub mod seasonal;
pub mod stats;
pub mod util;

pub use decompose::{
    Anomalies, Decomposition, Trend, series_decompose, series_decompose_anomalies,
    series_decompose_forecast,
};
pub use error::{Result, SeriesError};
pub use fill::{
    FillElement, series_fill_backward, series_fill_const, series_fill_forward, series_fill_linear,
};
pub use filters::{series_fir, series_iir};
pub use fit::{LineFit, TwoLinesFit, series_fit_2lines, series_fit_line};
pub use outliers::{CTUKEY_10_90_FACTOR, OutlierKind, series_outliers};
pub use periods::{
    PeriodDetector, Periods, detect_seasonality, detector, series_periods_detect,
    series_periods_validate,
};
pub use seasonal::series_seasonal;
pub use stats::{Stats, series_stats};

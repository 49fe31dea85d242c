//! KQL math functions whose semantics differ from DataFusion's built-ins.
//!
//! DataFusion built-ins that already match KQL (the planner maps onto them directly):
//! * `exp(x)` → DataFusion `exp` (Float64).
//! * `abs(x)` → DataFusion `abs` (type preserved; note: `abs(long_min)` is an error there).
//! * `ceiling(x)` → DataFusion `ceil`.
//! * `max_of(a, ...)` / `min_of(a, ...)` → DataFusion `greatest` / `least` (nulls are skipped,
//!   null only when every argument is null — exactly KQL's rule).
//! * `pi()` → DataFusion `pi`.
//!
//! Implemented here (KQL semantics differ): `round` (default digits, long stays long),
//! `log`/`log10`/`log2`/`sqrt` (negative → null, DataFusion gives NaN), `pow` (always real;
//! DataFusion `power(long, long)` is an integer power), `exp2`, `exp10`, `sign`, `isnan`,
//! `isinf`, `isfinite`, `%` (`kql_mod`, never negative) and integer `/` (`kql_div_int`,
//! by zero → null).

pub(crate) mod util;

use datafusion::arrow::array::{ArrayRef, BooleanArray, Float64Array, Int64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use std::sync::Arc;
use util::{
    KqlFn, KqlScalar, check_arity, coerce_int, coerce_real, f64_values, i64_values, is_float,
    is_int, is_numeric,
};

/// One row of the function table a module exports for the planner's function registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionDoc {
    /// KQL function (or operator) name.
    pub kql: &'static str,
    /// DataFusion UDF name.
    pub udf: &'static str,
    /// Physical argument types the UDF expects, in KQL order.
    pub args: &'static str,
    /// Physical return type.
    pub returns: &'static str,
    /// What the planner must know.
    pub notes: &'static str,
}

/// The math functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MathFn {
    /// KQL: `round(x [, digits])` - half away from zero on the scaled value; long stays long.
    Round,
    /// KQL: `log(x)` - natural log; negative → null.
    Log,
    /// KQL: `log10(x)` - base-10 log; negative → null.
    Log10,
    /// KQL: `log2(x)` - base-2 log; negative → null.
    Log2,
    /// KQL: `sqrt(x)` - square root; negative → null.
    Sqrt,
    /// KQL: `pow(base, exp)` - always real.
    Pow,
    /// KQL: `exp2(x)` - 2^x.
    Exp2,
    /// KQL: `exp10(x)` - 10^x.
    Exp10,
    /// KQL: `sign(x)` - -1, 0 or 1 (long for integers, real for reals).
    Sign,
    /// KQL: `isnan(x)`.
    IsNan,
    /// KQL: `isinf(x)`.
    IsInf,
    /// KQL: `isfinite(x)`.
    IsFinite,
    /// KQL: `a % b` - result in `[0, |b|)`; integer modulo by zero → null.
    Mod,
    /// KQL: `a / b` on integers - truncating; by zero → null.
    DivInt,
}

impl MathFn {
    const ALL: [MathFn; 14] = [
        MathFn::Round,
        MathFn::Log,
        MathFn::Log10,
        MathFn::Log2,
        MathFn::Sqrt,
        MathFn::Pow,
        MathFn::Exp2,
        MathFn::Exp10,
        MathFn::Sign,
        MathFn::IsNan,
        MathFn::IsInf,
        MathFn::IsFinite,
        MathFn::Mod,
        MathFn::DivInt,
    ];
}

/// Type of a "number" argument that keeps integers integral: ints → Int64, others → Float64.
fn int_or_real(t: &DataType, fname: &str) -> Result<DataType> {
    if is_int(t) {
        Ok(DataType::Int64)
    } else if is_float(t) || matches!(t, DataType::Null) {
        Ok(DataType::Float64)
    } else {
        plan_err!("{fname}: expected a numeric argument, got {t}")
    }
}

impl KqlFn for MathFn {
    fn udf_name(&self) -> &'static str {
        match self {
            MathFn::Round => "kql_round",
            MathFn::Log => "kql_log",
            MathFn::Log10 => "kql_log10",
            MathFn::Log2 => "kql_log2",
            MathFn::Sqrt => "kql_sqrt",
            MathFn::Pow => "kql_pow",
            MathFn::Exp2 => "kql_exp2",
            MathFn::Exp10 => "kql_exp10",
            MathFn::Sign => "kql_sign",
            MathFn::IsNan => "kql_isnan",
            MathFn::IsInf => "kql_isinf",
            MathFn::IsFinite => "kql_isfinite",
            MathFn::Mod => "kql_mod",
            MathFn::DivInt => "kql_div_int",
        }
    }

    fn coerce(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.udf_name();
        match self {
            MathFn::Round => {
                check_arity(name, args.len(), 1, 2)?;
                let mut v = vec![int_or_real(&args[0], name)?];
                if args.len() == 2 {
                    v.push(coerce_int(&args[1], name)?);
                }
                Ok(v)
            }
            MathFn::Log
            | MathFn::Log10
            | MathFn::Log2
            | MathFn::Sqrt
            | MathFn::Exp2
            | MathFn::Exp10
            | MathFn::IsNan
            | MathFn::IsInf
            | MathFn::IsFinite => {
                check_arity(name, args.len(), 1, 1)?;
                Ok(vec![coerce_real(&args[0], name)?])
            }
            MathFn::Pow => {
                check_arity(name, args.len(), 2, 2)?;
                Ok(vec![
                    coerce_real(&args[0], name)?,
                    coerce_real(&args[1], name)?,
                ])
            }
            MathFn::Sign => {
                check_arity(name, args.len(), 1, 1)?;
                Ok(vec![int_or_real(&args[0], name)?])
            }
            MathFn::Mod => {
                check_arity(name, args.len(), 2, 2)?;
                if !is_numeric(&args[0]) || !is_numeric(&args[1]) {
                    return plan_err!("{name}: expected numeric arguments, got {args:?}");
                }
                let t = if is_float(&args[0]) || is_float(&args[1]) {
                    DataType::Float64
                } else {
                    DataType::Int64
                };
                Ok(vec![t.clone(), t])
            }
            MathFn::DivInt => {
                check_arity(name, args.len(), 2, 2)?;
                Ok(vec![
                    coerce_int(&args[0], name)?,
                    coerce_int(&args[1], name)?,
                ])
            }
        }
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match self {
            MathFn::Round | MathFn::Sign | MathFn::Mod => args[0].clone(),
            MathFn::IsNan | MathFn::IsInf | MathFn::IsFinite => DataType::Boolean,
            MathFn::DivInt => DataType::Int64,
            _ => DataType::Float64,
        })
    }

    fn invoke(&self, a: &[ArrayRef], _n: usize, _raw: &[ColumnarValue]) -> Result<ArrayRef> {
        let f1 = |f: fn(f64) -> Option<f64>| -> Result<ArrayRef> {
            let x = f64_values(&a[0])?;
            Ok(Arc::new(
                x.into_iter()
                    .map(|v| v.and_then(f))
                    .collect::<Float64Array>(),
            ))
        };
        let b1 = |f: fn(f64) -> bool| -> Result<ArrayRef> {
            let x = f64_values(&a[0])?;
            Ok(Arc::new(
                x.into_iter().map(|v| v.map(f)).collect::<BooleanArray>(),
            ))
        };
        match self {
            MathFn::Round => {
                let digits: Vec<Option<i64>> = match a.get(1) {
                    Some(d) => i64_values(d)?,
                    None => vec![Some(0); a[0].len()],
                };
                if a[0].data_type() == &DataType::Int64 {
                    let x = i64_values(&a[0])?;
                    Ok(Arc::new(
                        x.into_iter()
                            .zip(digits)
                            .map(|(v, d)| round_i64(v?, d?))
                            .collect::<Int64Array>(),
                    ))
                } else {
                    let x = f64_values(&a[0])?;
                    Ok(Arc::new(
                        x.into_iter()
                            .zip(digits)
                            .map(|(v, d)| Some(round_f64(v?, d?)))
                            .collect::<Float64Array>(),
                    ))
                }
            }
            MathFn::Log => f1(|x| if x < 0.0 { None } else { Some(x.ln()) }),
            MathFn::Log10 => f1(|x| if x < 0.0 { None } else { Some(x.log10()) }),
            MathFn::Log2 => f1(|x| if x < 0.0 { None } else { Some(x.log2()) }),
            MathFn::Sqrt => f1(|x| if x < 0.0 { None } else { Some(x.sqrt()) }),
            MathFn::Exp2 => f1(|x| Some(x.exp2())),
            MathFn::Exp10 => f1(|x| Some(10f64.powf(x))),
            MathFn::Pow => {
                let x = f64_values(&a[0])?;
                let y = f64_values(&a[1])?;
                Ok(Arc::new(
                    x.into_iter()
                        .zip(y)
                        .map(|(b, e)| Some(b?.powf(e?)))
                        .collect::<Float64Array>(),
                ))
            }
            MathFn::Sign => {
                if a[0].data_type() == &DataType::Int64 {
                    let x = i64_values(&a[0])?;
                    Ok(Arc::new(
                        x.into_iter()
                            .map(|v| v.map(i64::signum))
                            .collect::<Int64Array>(),
                    ))
                } else {
                    f1(|x| {
                        Some(if x.is_nan() {
                            f64::NAN
                        } else if x > 0.0 {
                            1.0
                        } else if x < 0.0 {
                            -1.0
                        } else {
                            0.0
                        })
                    })
                }
            }
            MathFn::IsNan => b1(f64::is_nan),
            MathFn::IsInf => b1(f64::is_infinite),
            MathFn::IsFinite => b1(f64::is_finite),
            MathFn::Mod => {
                if a[0].data_type() == &DataType::Int64 {
                    let x = i64_values(&a[0])?;
                    let y = i64_values(&a[1])?;
                    Ok(Arc::new(
                        x.into_iter()
                            .zip(y)
                            .map(|(n, d)| kql_mod_i64(n?, d?))
                            .collect::<Int64Array>(),
                    ))
                } else {
                    let x = f64_values(&a[0])?;
                    let y = f64_values(&a[1])?;
                    Ok(Arc::new(
                        x.into_iter()
                            .zip(y)
                            .map(|(n, d)| Some(kql_mod_f64(n?, d?)))
                            .collect::<Float64Array>(),
                    ))
                }
            }
            MathFn::DivInt => {
                let x = i64_values(&a[0])?;
                let y = i64_values(&a[1])?;
                Ok(Arc::new(
                    x.into_iter()
                        .zip(y)
                        .map(|(n, d)| {
                            let (n, d) = (n?, d?);
                            if d == 0 {
                                None
                            } else {
                                Some(n.wrapping_div(d))
                            }
                        })
                        .collect::<Int64Array>(),
                ))
            }
        }
    }
}

/// `round(x, digits)` on reals: `(x·10^d).round() / 10^d` (Rust's `round` is half away
/// from zero). This is the formula that reproduces every documented example (2.15 → 2.2,
/// -50.55 at -2 → -100, 21.5 at -1 → 20). Extreme digit counts are clamped so the result
/// is never NaN for a finite input.
pub fn round_f64(x: f64, digits: i64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    if digits > 308 {
        return x;
    }
    if digits < -308 {
        return 0.0 * x.signum();
    }
    let d = digits as i32;
    let factor = 10f64.powi(d);
    if factor == 0.0 || !factor.is_finite() {
        return x;
    }
    let scaled = x * factor;
    if !scaled.is_finite() {
        return x;
    }
    let r = scaled.round() / factor;
    if r.is_finite() { r } else { x }
}

/// `round(x, digits)` on longs: unchanged for `digits >= 0`, else half away from zero to a
/// multiple of `10^-digits` (null when the result does not fit a long).
pub fn round_i64(x: i64, digits: i64) -> Option<i64> {
    if digits >= 0 {
        return Some(x);
    }
    if digits < -19 {
        return Some(0);
    }
    let p: i128 = 10i128.pow((-digits) as u32);
    let v = x as i128;
    let mut q = v / p;
    let r = v % p;
    if 2 * r.abs() >= p {
        q += v.signum();
    }
    i64::try_from(q * p).ok()
}

/// KQL integer modulo: result in `[0, |d|)`; by zero → null.
pub fn kql_mod_i64(n: i64, d: i64) -> Option<i64> {
    if d == 0 {
        return None;
    }
    // checked_rem_euclid only fails for i64::MIN % -1, whose remainder is 0.
    Some(n.checked_rem_euclid(d).unwrap_or(0))
}

/// KQL real modulo: result in `[0, |d|)` (`rem_euclid`); by zero → NaN.
pub fn kql_mod_f64(n: f64, d: f64) -> f64 {
    n.rem_euclid(d)
}

/// The scalar UDFs of this module.
pub fn scalar_udfs() -> Vec<Arc<ScalarUDF>> {
    MathFn::ALL.iter().map(|k| KqlScalar::udf(*k)).collect()
}

/// The KQL functions this module implements (for the planner's function registry).
pub const FUNCTIONS: &[FunctionDoc] = &[
    FunctionDoc {
        kql: "round",
        udf: "kql_round",
        args: "Int64|Float64 [, Int64 digits]",
        returns: "same as arg 0 (Int64 or Float64)",
        notes: "digits optional (default 0); int args are widened to Int64",
    },
    FunctionDoc {
        kql: "log",
        udf: "kql_log",
        args: "Float64",
        returns: "Float64",
        notes: "negative → null, 0 → -inf",
    },
    FunctionDoc {
        kql: "log10",
        udf: "kql_log10",
        args: "Float64",
        returns: "Float64",
        notes: "negative → null",
    },
    FunctionDoc {
        kql: "log2",
        udf: "kql_log2",
        args: "Float64",
        returns: "Float64",
        notes: "negative → null",
    },
    FunctionDoc {
        kql: "sqrt",
        udf: "kql_sqrt",
        args: "Float64",
        returns: "Float64",
        notes: "negative → null",
    },
    FunctionDoc {
        kql: "pow",
        udf: "kql_pow",
        args: "Float64, Float64",
        returns: "Float64",
        notes: "always real (DataFusion `power(long,long)` is integral)",
    },
    FunctionDoc {
        kql: "exp2",
        udf: "kql_exp2",
        args: "Float64",
        returns: "Float64",
        notes: "",
    },
    FunctionDoc {
        kql: "exp10",
        udf: "kql_exp10",
        args: "Float64",
        returns: "Float64",
        notes: "",
    },
    FunctionDoc {
        kql: "sign",
        udf: "kql_sign",
        args: "Int64|Float64",
        returns: "same as arg",
        notes: "",
    },
    FunctionDoc {
        kql: "isnan",
        udf: "kql_isnan",
        args: "Float64",
        returns: "Boolean",
        notes: "null → null (unverified)",
    },
    FunctionDoc {
        kql: "isinf",
        udf: "kql_isinf",
        args: "Float64",
        returns: "Boolean",
        notes: "null → null (unverified)",
    },
    FunctionDoc {
        kql: "isfinite",
        udf: "kql_isfinite",
        args: "Float64",
        returns: "Boolean",
        notes: "null → null (unverified)",
    },
    FunctionDoc {
        kql: "%",
        udf: "kql_mod",
        args: "Int64, Int64 | Float64, Float64",
        returns: "Int64 | Float64",
        notes: "operator `%`: result in [0, |d|); integer % 0 → null; planner lowers every `%` to it",
    },
    FunctionDoc {
        kql: "/ (integers)",
        udf: "kql_div_int",
        args: "Int64, Int64",
        returns: "Int64",
        notes: "operator `/` when both sides are int/long: truncating, by zero → null (DataFusion errors)",
    },
    FunctionDoc {
        kql: "exp",
        udf: "exp",
        args: "Float64",
        returns: "Float64",
        notes: "DataFusion built-in matches KQL",
    },
    FunctionDoc {
        kql: "abs",
        udf: "abs",
        args: "Int64|Float64",
        returns: "same",
        notes: "DataFusion built-in matches KQL",
    },
    FunctionDoc {
        kql: "max_of",
        udf: "greatest",
        args: "T, T, ...",
        returns: "T",
        notes: "DataFusion built-in matches KQL (nulls ignored); planner unifies arg types",
    },
    FunctionDoc {
        kql: "min_of",
        udf: "least",
        args: "T, T, ...",
        returns: "T",
        notes: "DataFusion built-in matches KQL (nulls ignored); planner unifies arg types",
    },
    FunctionDoc {
        kql: "ceiling",
        udf: "ceil",
        args: "Float64",
        returns: "Float64",
        notes: "DataFusion built-in",
    },
    FunctionDoc {
        kql: "pi",
        udf: "pi",
        args: "",
        returns: "Float64",
        notes: "DataFusion built-in",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::invoke_udf;
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::datatypes::{Float64Type, Int64Type};
    use datafusion::common::ScalarValue;

    fn udf(k: MathFn) -> Arc<ScalarUDF> {
        KqlScalar::udf(k)
    }

    fn f(k: MathFn, args: Vec<ScalarValue>) -> Option<f64> {
        let r = invoke_udf(
            &udf(k),
            args.into_iter().map(ColumnarValue::Scalar).collect(),
        )
        .unwrap();
        let a = r.as_primitive::<Float64Type>();
        if a.is_null(0) { None } else { Some(a.value(0)) }
    }

    fn i(k: MathFn, args: Vec<ScalarValue>) -> Option<i64> {
        let r = invoke_udf(
            &udf(k),
            args.into_iter().map(ColumnarValue::Scalar).collect(),
        )
        .unwrap();
        let a = r.as_primitive::<Int64Type>();
        if a.is_null(0) { None } else { Some(a.value(0)) }
    }

    fn fv(x: f64) -> ScalarValue {
        ScalarValue::Float64(Some(x))
    }
    fn iv(x: i64) -> ScalarValue {
        ScalarValue::Int64(Some(x))
    }

    // https://learn.microsoft.com/kusto/query/round-function
    #[test]
    fn round_documented() {
        assert_eq!(f(MathFn::Round, vec![fv(2.98765), iv(3)]), Some(2.988));
        assert_eq!(f(MathFn::Round, vec![fv(2.15), iv(1)]), Some(2.2));
        assert_eq!(f(MathFn::Round, vec![fv(2.15)]), Some(2.0));
        assert_eq!(f(MathFn::Round, vec![fv(-50.55), iv(-2)]), Some(-100.0));
        assert_eq!(f(MathFn::Round, vec![fv(21.5), iv(-1)]), Some(20.0));
    }

    // unverified against ADX
    #[test]
    fn round_edges() {
        assert_eq!(i(MathFn::Round, vec![iv(1234), iv(-2)]), Some(1200));
        assert_eq!(i(MathFn::Round, vec![iv(-1250), iv(-2)]), Some(-1300));
        assert_eq!(i(MathFn::Round, vec![iv(7), iv(3)]), Some(7));
        assert_eq!(i(MathFn::Round, vec![iv(i64::MAX), iv(-1)]), None);
        assert_eq!(i(MathFn::Round, vec![iv(i64::MIN), iv(-30)]), Some(0));
        assert_eq!(f(MathFn::Round, vec![fv(1.5), iv(400)]), Some(1.5));
        assert_eq!(f(MathFn::Round, vec![fv(1.5), iv(-400)]), Some(0.0));
        assert_eq!(f(MathFn::Round, vec![fv(1e308), iv(5)]), Some(1e308));
        assert_eq!(
            f(MathFn::Round, vec![fv(2.5), ScalarValue::Int64(None)]),
            None
        );
        assert!(f(MathFn::Round, vec![fv(f64::NAN)]).unwrap().is_nan());
        // int32 input is widened
        let r = invoke_udf(
            &udf(MathFn::Round),
            vec![ColumnarValue::Scalar(ScalarValue::Int32(Some(5)))],
        )
        .unwrap();
        assert_eq!(r.data_type(), &DataType::Int64);
    }

    // https://learn.microsoft.com/kusto/query/log-function (log(5) = 1.6094379124341003)
    // https://learn.microsoft.com/kusto/query/sqrt-function (negative → null)
    #[test]
    fn logs_and_sqrt() {
        assert_eq!(f(MathFn::Log, vec![fv(5.0)]), Some(1.6094379124341003));
        assert_eq!(f(MathFn::Log, vec![fv(-1.0)]), None);
        assert_eq!(f(MathFn::Log10, vec![fv(1000.0)]), Some(3.0));
        assert_eq!(f(MathFn::Log2, vec![fv(8.0)]), Some(3.0));
        assert_eq!(f(MathFn::Log2, vec![fv(-8.0)]), None);
        assert_eq!(f(MathFn::Sqrt, vec![fv(-4.0)]), None);
        assert_eq!(f(MathFn::Sqrt, vec![iv(16)]), Some(4.0));
        assert_eq!(f(MathFn::Log, vec![ScalarValue::Float64(None)]), None);
        // unverified against ADX: log(0) = -inf (docs only say negative → null)
        assert_eq!(f(MathFn::Log, vec![fv(0.0)]), Some(f64::NEG_INFINITY));
    }

    // https://learn.microsoft.com/kusto/query/pow-function
    // https://learn.microsoft.com/kusto/query/sign-function
    #[test]
    fn pow_sign_exp() {
        assert_eq!(f(MathFn::Pow, vec![iv(2), iv(3)]), Some(8.0));
        assert_eq!(f(MathFn::Pow, vec![iv(2), iv(-1)]), Some(0.5));
        assert_eq!(i(MathFn::Sign, vec![iv(-42)]), Some(-1));
        assert_eq!(i(MathFn::Sign, vec![iv(0)]), Some(0));
        assert_eq!(f(MathFn::Sign, vec![fv(11.2)]), Some(1.0));
        assert_eq!(f(MathFn::Exp2, vec![fv(3.0)]), Some(8.0));
        assert_eq!(f(MathFn::Exp10, vec![fv(2.0)]), Some(100.0));
    }

    // https://learn.microsoft.com/kusto/query/isnan-function
    #[test]
    fn classification() {
        let b = |k: MathFn, x: f64| {
            let r = invoke_udf(&udf(k), vec![ColumnarValue::Scalar(fv(x))]).unwrap();
            r.as_boolean().value(0)
        };
        assert!(b(MathFn::IsNan, f64::NAN));
        assert!(!b(MathFn::IsNan, -1.0));
        assert!(b(MathFn::IsInf, f64::INFINITY));
        assert!(!b(MathFn::IsInf, 1.0));
        assert!(b(MathFn::IsFinite, 1.0));
        assert!(!b(MathFn::IsFinite, f64::NAN));
    }

    // https://learn.microsoft.com/kusto/query/numerical-operators (modulo note)
    #[test]
    fn modulo() {
        assert_eq!(i(MathFn::Mod, vec![iv(14), iv(12)]), Some(2));
        assert_eq!(i(MathFn::Mod, vec![iv(-14), iv(12)]), Some(10));
        assert_eq!(i(MathFn::Mod, vec![iv(14), iv(-12)]), Some(2));
        assert_eq!(i(MathFn::Mod, vec![iv(-14), iv(-12)]), Some(10));
        // unverified against ADX: integer modulo by zero → null; i64::MIN % -1 → 0
        assert_eq!(i(MathFn::Mod, vec![iv(5), iv(0)]), None);
        assert_eq!(i(MathFn::Mod, vec![iv(i64::MIN), iv(-1)]), Some(0));
        // unverified against ADX: reals follow the same "never negative" rule
        assert_eq!(f(MathFn::Mod, vec![fv(-1.5), iv(1)]), Some(0.5));
    }

    // unverified against ADX: integer division by zero → null (kql-semantics §1.4)
    #[test]
    fn div_int() {
        assert_eq!(i(MathFn::DivInt, vec![iv(1), iv(2)]), Some(0));
        assert_eq!(i(MathFn::DivInt, vec![iv(-7), iv(2)]), Some(-3));
        assert_eq!(i(MathFn::DivInt, vec![iv(7), iv(0)]), None);
        assert_eq!(
            i(MathFn::DivInt, vec![iv(i64::MIN), iv(-1)]),
            Some(i64::MIN)
        );
    }

    #[test]
    fn arrays_and_nulls() {
        let x: ArrayRef = Arc::new(Int64Array::from(vec![Some(-14), None, Some(30)]));
        let r = invoke_udf(
            &udf(MathFn::Mod),
            vec![
                ColumnarValue::Array(x),
                ColumnarValue::Scalar(ScalarValue::Int64(Some(12))),
            ],
        )
        .unwrap();
        let r = r.as_primitive::<Int64Type>();
        assert_eq!(r.len(), 3);
        assert_eq!(r.value(0), 10);
        assert!(r.is_null(1));
        assert_eq!(r.value(2), 6);
    }

    #[test]
    fn bad_types_are_plan_errors() {
        let u = udf(MathFn::Log);
        assert!(u.return_type(&[DataType::Utf8]).is_err());
        assert!(u.return_type(&[]).is_err());
    }
}

#[cfg(test)]
mod registry_tests {
    use std::collections::HashSet;

    /// Every `kql_*` UDF named in the FUNCTIONS tables of brief B's modules is registered,
    /// and every registered brief-B UDF is documented.
    #[test]
    fn function_tables_match_registrations() {
        let scalars: HashSet<String> = crate::scalar_udfs()
            .iter()
            .map(|u| u.name().to_string())
            .collect();
        let aggs: HashSet<String> = crate::aggregate_udfs()
            .iter()
            .map(|u| u.name().to_string())
            .collect();
        let tables = [
            super::FUNCTIONS,
            crate::datetime::FUNCTIONS,
            crate::ip::FUNCTIONS,
            crate::aggregate::FUNCTIONS,
        ];
        let mut documented = HashSet::new();
        for t in tables {
            for f in t {
                documented.insert(f.udf.to_string());
                if f.udf.starts_with("kql_") {
                    assert!(
                        scalars.contains(f.udf) || aggs.contains(f.udf),
                        "{} is not registered",
                        f.udf
                    );
                }
            }
        }
        let agg_names: Vec<String> = crate::aggregate::aggregate_udfs()
            .iter()
            .map(|u| u.name().to_string())
            .collect();
        let mine = super::scalar_udfs()
            .into_iter()
            .chain(crate::datetime::scalar_udfs())
            .chain(crate::ip::scalar_udfs())
            .map(|u| u.name().to_string())
            .chain(agg_names);
        for name in mine {
            assert!(name.starts_with("kql_"), "{name}");
            assert!(documented.contains(&name), "{name} missing from FUNCTIONS");
        }
    }
}

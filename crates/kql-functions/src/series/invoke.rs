//! Row-by-row evaluation of the series UDFs.

use super::args::{SeriesColumn, bool_opt, f64_or, i64_or, param, str_or, sv_f64, sv_series};
use super::{BinOp, SeriesFn, UnOp, fill_element_type};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanBuilder, Float64Builder, Int32Builder, Int64Builder,
    ListBuilder, StringBuilder, StructArray,
};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int32Type, Int64Type};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::ColumnarValue;
use kql_series as ks;
use serde_json::{Map, Value, json};
use std::sync::Arc;

fn kerr(e: ks::SeriesError) -> DataFusionError {
    DataFusionError::Execution(e.to_string())
}

/// A list column builder for `List<Float64>`.
#[derive(Default)]
struct F64Lists(ListBuilder<Float64Builder>);

impl F64Lists {
    fn push(&mut self, v: Option<&[f64]>) {
        match v {
            Some(v) => {
                self.0.values().append_slice(v);
                self.0.append(true);
            }
            None => self.0.append_null(),
        }
    }
    fn push_opt(&mut self, v: Option<&[Option<f64>]>) {
        match v {
            Some(v) => {
                for x in v {
                    self.0.values().append_option(*x);
                }
                self.0.append(true);
            }
            None => self.0.append_null(),
        }
    }
    fn finish(mut self) -> ArrayRef {
        Arc::new(self.0.finish())
    }
}

/// Builds a struct array from named children; `valid[i] == false` makes row i null.
fn make_struct(
    return_type: &DataType,
    children: Vec<ArrayRef>,
    valid: &[bool],
) -> Result<ArrayRef> {
    let DataType::Struct(fields) = return_type else {
        return exec_err!("internal: expected a struct return type, got {return_type}");
    };
    let nulls = NullBuffer::from(valid.to_vec());
    Ok(Arc::new(StructArray::try_new(
        fields.clone(),
        children,
        Some(nulls),
    )?))
}

fn f64_col(v: Vec<Option<f64>>) -> ArrayRef {
    let mut b = Float64Builder::with_capacity(v.len());
    for x in v {
        b.append_option(x);
    }
    Arc::new(b.finish())
}

fn i64_col(v: Vec<Option<i64>>) -> ArrayRef {
    let mut b = Int64Builder::with_capacity(v.len());
    for x in v {
        b.append_option(x);
    }
    Arc::new(b.finish())
}

fn json_num(v: f64) -> Value {
    // JSON has no NaN/inf: non-finite values become null
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Evaluates `func` over `rows` rows.
pub(crate) fn invoke(
    func: SeriesFn,
    args: &[ColumnarValue],
    rows: usize,
    return_type: &DataType,
) -> Result<ColumnarValue> {
    let out: ArrayRef = match func {
        SeriesFn::DecomposeAnomalies => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let (mut flag, mut score, mut base) = (
                ListBuilder::new(Int64Builder::new()),
                F64Lists::default(),
                F64Lists::default(),
            );
            let mut valid = Vec::with_capacity(rows);
            for r in 0..rows {
                let threshold = f64_or(args, 1, r, 1.5)?;
                let seasonality = i64_or(args, 2, r, -1)?;
                let trend = str_or(args, 3, r, "avg")?;
                let test_points = i64_or(args, 4, r, 0)?;
                let method = str_or(args, 5, r, "ctukey")?;
                let thr = f64_or(args, 6, r, 0.6)?;
                match s.row_f64(r) {
                    Some(y) => {
                        let a = ks::series_decompose_anomalies(
                            &y,
                            threshold,
                            seasonality,
                            &trend,
                            test_points,
                            &method,
                            thr,
                        )
                        .map_err(kerr)?;
                        flag.values().append_slice(&a.ad_flag);
                        flag.append(true);
                        score.push(Some(&a.ad_score));
                        base.push(Some(&a.baseline));
                        valid.push(true);
                    }
                    None => {
                        flag.append_null();
                        score.push(None);
                        base.push(None);
                        valid.push(false);
                    }
                }
            }
            make_struct(
                return_type,
                vec![Arc::new(flag.finish()), score.finish(), base.finish()],
                &valid,
            )?
        }
        SeriesFn::Decompose => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let mut b: [F64Lists; 4] = Default::default();
            let mut valid = Vec::with_capacity(rows);
            for r in 0..rows {
                let seasonality = i64_or(args, 1, r, -1)?;
                let trend = str_or(args, 2, r, "avg")?;
                let test_points = i64_or(args, 3, r, 0)?;
                let thr = f64_or(args, 4, r, 0.6)?;
                match s.row_f64(r) {
                    Some(y) => {
                        let d = ks::series_decompose(&y, seasonality, &trend, test_points, thr)
                            .map_err(kerr)?;
                        b[0].push(Some(&d.baseline));
                        b[1].push(Some(&d.seasonal));
                        b[2].push(Some(&d.trend));
                        b[3].push(Some(&d.residual));
                        valid.push(true);
                    }
                    None => {
                        b.iter_mut().for_each(|x| x.push(None));
                        valid.push(false);
                    }
                }
            }
            let children = b.into_iter().map(F64Lists::finish).collect();
            make_struct(return_type, children, &valid)?
        }
        SeriesFn::DecomposeForecast => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let mut out = F64Lists::default();
            for r in 0..rows {
                let points = i64_or(args, 1, r, 0)?;
                let seasonality = i64_or(args, 2, r, -1)?;
                let trend = str_or(args, 3, r, "avg")?;
                let thr = f64_or(args, 4, r, 0.6)?;
                match s.row_f64(r) {
                    Some(y) => out.push(Some(
                        &ks::series_decompose_forecast(&y, points, seasonality, &trend, thr)
                            .map_err(kerr)?,
                    )),
                    None => out.push(None),
                }
            }
            out.finish()
        }
        SeriesFn::Outliers => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let mut out = F64Lists::default();
            for r in 0..rows {
                let kind = str_or(args, 1, r, "ctukey")?;
                let ignore = param(args, 2, r)?.as_ref().and_then(sv_f64);
                let lo = f64_or(args, 3, r, 10.0)?;
                let hi = f64_or(args, 4, r, 90.0)?;
                let tp = i64_or(args, 5, r, 0)?;
                match s.row_f64(r) {
                    Some(y) => out.push(Some(
                        &ks::series_outliers(&y, &kind, ignore, lo, hi, tp).map_err(kerr)?,
                    )),
                    None => out.push(None),
                }
            }
            out.finish()
        }
        SeriesFn::Seasonal => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let mut out = F64Lists::default();
            for r in 0..rows {
                let period = i64_or(args, 1, r, -1)?;
                let tp = i64_or(args, 2, r, 0)?;
                match s.row_f64(r) {
                    Some(y) => out.push(Some(&ks::series_seasonal(&y, period, tp).map_err(kerr)?)),
                    None => out.push(None),
                }
            }
            out.finish()
        }
        SeriesFn::PeriodsDetect | SeriesFn::PeriodsValidate => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let (mut ps, mut sc) = (F64Lists::default(), F64Lists::default());
            let mut valid = Vec::with_capacity(rows);
            for r in 0..rows {
                let y = s.row_f64(r);
                let result = match (&y, func) {
                    (None, _) => None,
                    (Some(y), SeriesFn::PeriodsDetect) => {
                        let lo = f64_or(args, 1, r, 0.0)?;
                        let hi = f64_or(args, 2, r, y.len() as f64 / 2.0)?;
                        let num = i64_or(args, 3, r, 1)?;
                        Some(ks::series_periods_detect(y, lo, hi, num).map_err(kerr)?)
                    }
                    (Some(y), _) => {
                        let mut periods = Vec::new();
                        for i in 1..args.len() {
                            periods.push(f64_or(args, i, r, f64::NAN)?);
                        }
                        Some(ks::series_periods_validate(y, &periods).map_err(kerr)?)
                    }
                };
                ps.push(result.as_ref().map(|p| p.periods.as_slice()));
                sc.push(result.as_ref().map(|p| p.scores.as_slice()));
                valid.push(result.is_some());
            }
            make_struct(return_type, vec![ps.finish(), sc.finish()], &valid)?
        }
        SeriesFn::FitLine | SeriesFn::FitLineDynamic => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let fits: Vec<Option<ks::LineFit>> = (0..rows)
                .map(|r| s.row_f64(r).map(|y| ks::series_fit_line(&y)))
                .collect();
            if func == SeriesFn::FitLineDynamic {
                let mut b = StringBuilder::new();
                for f in &fits {
                    match f {
                        Some(f) => b.append_value(
                            json!({
                                "rsquare": json_num(f.rsquare),
                                "slope": json_num(f.slope),
                                "variance": json_num(f.variance),
                                "rvariance": json_num(f.rvariance),
                                "interception": json_num(f.interception),
                                "line_fit": f.line_fit.iter().map(|v| json_num(*v)).collect::<Vec<_>>(),
                            })
                            .to_string(),
                        ),
                        None => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            } else {
                let get = |g: fn(&ks::LineFit) -> f64| {
                    f64_col(fits.iter().map(|f| f.as_ref().map(g)).collect())
                };
                let mut lf = F64Lists::default();
                for f in &fits {
                    lf.push(f.as_ref().map(|f| f.line_fit.as_slice()));
                }
                let valid: Vec<bool> = fits.iter().map(Option::is_some).collect();
                make_struct(
                    return_type,
                    vec![
                        get(|f| f.rsquare),
                        get(|f| f.slope),
                        get(|f| f.variance),
                        get(|f| f.rvariance),
                        get(|f| f.interception),
                        lf.finish(),
                    ],
                    &valid,
                )?
            }
        }
        SeriesFn::Fit2Lines | SeriesFn::Fit2LinesDynamic => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let fits: Vec<Option<ks::TwoLinesFit>> = (0..rows)
                .map(|r| s.row_f64(r).map(|y| ks::series_fit_2lines(&y)))
                .collect();
            type G = fn(&ks::TwoLinesFit) -> f64;
            let scalars: [(&str, G); 13] = [
                ("rsquare", |f| f.rsquare),
                ("variance", |f| f.variance),
                ("rvariance", |f| f.rvariance),
                ("right_rsquare", |f| f.right_rsquare),
                ("right_slope", |f| f.right_slope),
                ("right_interception", |f| f.right_interception),
                ("right_variance", |f| f.right_variance),
                ("right_rvariance", |f| f.right_rvariance),
                ("left_rsquare", |f| f.left_rsquare),
                ("left_slope", |f| f.left_slope),
                ("left_interception", |f| f.left_interception),
                ("left_variance", |f| f.left_variance),
                ("left_rvariance", |f| f.left_rvariance),
            ];
            if func == SeriesFn::Fit2LinesDynamic {
                let mut b = StringBuilder::new();
                for f in &fits {
                    match f {
                        Some(f) => {
                            let mut m = Map::new();
                            for (name, g) in &scalars[..3] {
                                m.insert((*name).to_string(), json_num(g(f)));
                            }
                            m.insert("split_idx".into(), json!(f.split_idx));
                            m.insert(
                                "line_fit".into(),
                                Value::Array(f.line_fit.iter().map(|v| json_num(*v)).collect()),
                            );
                            for (name, g) in &scalars[3..] {
                                m.insert((*name).to_string(), json_num(g(f)));
                            }
                            b.append_value(Value::Object(m).to_string());
                        }
                        None => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            } else {
                let col = |g: G| f64_col(fits.iter().map(|f| f.as_ref().map(g)).collect());
                let mut lf = F64Lists::default();
                for f in &fits {
                    lf.push(f.as_ref().map(|f| f.line_fit.as_slice()));
                }
                let mut children = vec![
                    col(scalars[0].1),
                    i64_col(
                        fits.iter()
                            .map(|f| f.as_ref().map(|f| f.split_idx))
                            .collect(),
                    ),
                    col(scalars[1].1),
                    col(scalars[2].1),
                    lf.finish(),
                ];
                children.extend(scalars[3..].iter().map(|(_, g)| col(*g)));
                let valid: Vec<bool> = fits.iter().map(Option::is_some).collect();
                make_struct(return_type, children, &valid)?
            }
        }
        SeriesFn::Stats | SeriesFn::StatsDynamic => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let mut stats = Vec::with_capacity(rows);
            for r in 0..rows {
                let ignore = bool_opt(args, 1, r)?.unwrap_or(false);
                stats.push(s.row_f64(r).map(|y| ks::series_stats(&y, ignore)));
            }
            if func == SeriesFn::StatsDynamic {
                let mut b = StringBuilder::new();
                let o = |v: Option<f64>| v.map_or(Value::Null, json_num);
                for st in &stats {
                    match st {
                        Some(st) => b.append_value(
                            json!({
                                "min": o(st.min), "min_idx": st.min_idx, "max": o(st.max),
                                "max_idx": st.max_idx, "avg": o(st.avg), "stdev": o(st.stdev),
                                "variance": o(st.variance), "sum": o(st.sum), "len": st.len,
                            })
                            .to_string(),
                        ),
                        None => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            } else {
                let f = |g: fn(&ks::Stats) -> Option<f64>| {
                    f64_col(stats.iter().map(|s| s.as_ref().and_then(g)).collect())
                };
                let i = |g: fn(&ks::Stats) -> Option<i64>| {
                    i64_col(stats.iter().map(|s| s.as_ref().and_then(g)).collect())
                };
                let valid: Vec<bool> = stats.iter().map(Option::is_some).collect();
                make_struct(
                    return_type,
                    vec![
                        f(|s| s.min),
                        i(|s| s.min_idx),
                        f(|s| s.max),
                        i(|s| s.max_idx),
                        f(|s| s.avg),
                        f(|s| s.stdev),
                        f(|s| s.variance),
                    ],
                    &valid,
                )?
            }
        }
        SeriesFn::FillForward
        | SeriesFn::FillBackward
        | SeriesFn::FillConst
        | SeriesFn::FillLinear => fill(func, args, rows)?,
        SeriesFn::Fir | SeriesFn::Iir => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let mut out = F64Lists::default();
            let coeffs = |i: usize, r: usize| -> Result<Option<Vec<f64>>> {
                Ok(match param(args, i, r)? {
                    Some(v) => sv_series(&v)?
                        .map(|c| c.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect()),
                    None => None,
                })
            };
            for r in 0..rows {
                let Some(y) = s.row_f64(r) else {
                    out.push(None);
                    continue;
                };
                let res = if func == SeriesFn::Fir {
                    let normalize = bool_opt(args, 2, r)?;
                    let center = bool_opt(args, 3, r)?.unwrap_or(false);
                    coeffs(1, r)?.and_then(|f| ks::series_fir(&y, &f, normalize, center))
                } else {
                    match (coeffs(1, r)?, coeffs(2, r)?) {
                        (Some(b), Some(a)) => ks::series_iir(&y, &b, &a),
                        _ => None,
                    }
                };
                out.push(res.as_deref());
            }
            out.finish()
        }
        SeriesFn::Binary(op) => binary(op, args, rows)?,
        SeriesFn::Unary(op) => {
            let s = SeriesColumn::new(&args[0], rows)?;
            let f: fn(f64) -> f64 = match op {
                UnOp::Abs => f64::abs,
                UnOp::Sign => ks::elementwise::sign,
                UnOp::Ceiling => f64::ceil,
                UnOp::Floor => f64::floor,
                UnOp::Exp => f64::exp,
                UnOp::Log => f64::ln,
                UnOp::Sin => f64::sin,
                UnOp::Cos => f64::cos,
                UnOp::Tan => f64::tan,
                UnOp::Asin => f64::asin,
                UnOp::Acos => f64::acos,
                UnOp::Atan => f64::atan,
            };
            let mut out = F64Lists::default();
            for r in 0..rows {
                out.push_opt(
                    s.row_opt(r)
                        .map(|v| ks::elementwise::unary(&v, f))
                        .as_deref(),
                );
            }
            out.finish()
        }
        SeriesFn::DotProduct | SeriesFn::CosineSimilarity | SeriesFn::PearsonCorrelation => {
            let a = SeriesColumn::new(&args[0], rows)?;
            let b = SeriesColumn::new(&args[1], rows)?;
            let g = match func {
                SeriesFn::DotProduct => ks::elementwise::dot_product,
                SeriesFn::CosineSimilarity => ks::elementwise::cosine_similarity,
                _ => ks::elementwise::pearson_correlation,
            };
            f64_col(
                (0..rows)
                    .map(|r| match (a.row_opt(r), b.row_opt(r)) {
                        (Some(x), Some(y)) => g(&x, &y),
                        _ => None,
                    })
                    .collect(),
            )
        }
        SeriesFn::Magnitude | SeriesFn::Sum | SeriesFn::ArraySum => {
            let s = SeriesColumn::new(&args[0], rows)?;
            f64_col(
                (0..rows)
                    .map(|r| {
                        let v = s.row_opt(r)?;
                        if func == SeriesFn::Magnitude {
                            ks::elementwise::magnitude(&v)
                        } else {
                            Some(ks::elementwise::sum(&v))
                        }
                    })
                    .collect(),
            )
        }
    };
    Ok(ColumnarValue::Array(out))
}

/// A per-row operand: `(Some(series), _)` or `(None, number)`.
type RowOperand = (Option<Vec<Option<f64>>>, Option<f64>);

/// A per-row operand (series or number) as a kernel operand.
fn to_op(x: &RowOperand) -> ks::elementwise::Operand<'_> {
    match &x.0 {
        Some(v) => ks::elementwise::Operand::Series(v),
        None => ks::elementwise::Operand::Scalar(x.1),
    }
}

/// One operand of an element-wise binary operation, per row.
enum Operand {
    Series(SeriesColumn),
    Number(ArrayRef),
}

fn operand(arg: &ColumnarValue, rows: usize) -> Result<Operand> {
    let arr = arg.clone().into_array(rows)?;
    Ok(match arr.data_type() {
        dt if super::args::is_series_type(dt) => Operand::Series(SeriesColumn::from_array(&arr)?),
        _ => Operand::Number(cast(&arr, &DataType::Float64)?),
    })
}

fn binary(op: BinOp, args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let a = operand(&args[0], rows)?;
    let b = operand(&args[1], rows)?;
    let num_at = |arr: &ArrayRef, r: usize| -> Option<f64> {
        let p = arr.as_primitive::<datafusion::arrow::datatypes::Float64Type>();
        if p.is_null(r) { None } else { Some(p.value(r)) }
    };
    // For JSON text operands a scalar JSON number is also accepted.
    let get = |o: &Operand, r: usize| -> Option<RowOperand> {
        match o {
            Operand::Series(s) => match s.row_opt(r) {
                Some(v) => Some((Some(v), None)),
                None => match s {
                    SeriesColumn::Json(arr) => {
                        let t = arr.as_string::<i32>();
                        if t.is_null(r) {
                            None
                        } else {
                            serde_json::from_str::<Value>(t.value(r))
                                .ok()
                                .and_then(|v| v.as_f64())
                                .map(|x| (None, Some(x)))
                        }
                    }
                    _ => None,
                },
            },
            Operand::Number(arr) => num_at(arr, r).map(|x| (None, Some(x))),
        }
    };
    if op.is_comparison() {
        let mut out = ListBuilder::new(BooleanBuilder::new());
        for r in 0..rows {
            match (get(&a, r), get(&b, r)) {
                (Some(x), Some(y)) if x.0.is_some() || y.0.is_some() => {
                    let f: fn(f64, f64) -> bool = match op {
                        BinOp::Greater => |p, q| p > q,
                        BinOp::GreaterEquals => |p, q| p >= q,
                        BinOp::Less => |p, q| p < q,
                        BinOp::LessEquals => |p, q| p <= q,
                        BinOp::Equals => |p, q| p == q,
                        _ => |p, q| p != q,
                    };
                    for v in ks::elementwise::binary(to_op(&x), to_op(&y), f) {
                        out.values().append_option(v);
                    }
                    out.append(true);
                }
                _ => out.append_null(),
            }
        }
        Ok(Arc::new(out.finish()))
    } else {
        let mut out = F64Lists::default();
        for r in 0..rows {
            match (get(&a, r), get(&b, r)) {
                (Some(x), Some(y)) if x.0.is_some() || y.0.is_some() => {
                    let f: fn(f64, f64) -> f64 = match op {
                        BinOp::Add => |p, q| p + q,
                        BinOp::Subtract => |p, q| p - q,
                        BinOp::Multiply => |p, q| p * q,
                        BinOp::Divide => |p, q| p / q,
                        _ => f64::powf,
                    };
                    out.push_opt(Some(&ks::elementwise::binary(to_op(&x), to_op(&y), f)));
                }
                _ => out.push(None),
            }
        }
        Ok(out.finish())
    }
}

/// The fill functions, preserving the element type.
fn fill(func: SeriesFn, args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let arr = args[0].clone().into_array(rows)?;
    let elem = fill_element_type(arr.data_type());
    // (placeholder index, constant index, fill_edges index)
    let (ph_i, c_i, edges_i) = match func {
        SeriesFn::FillConst => (Some(2), Some(1), None),
        SeriesFn::FillLinear => (Some(1), Some(3), Some(2)),
        _ => (Some(1), None, None),
    };
    let scalar_param = |i: Option<usize>, r: usize, default: Option<f64>| -> Result<Option<f64>> {
        Ok(match i.map(|i| param(args, i, r)).transpose()?.flatten() {
            None => default,
            Some(v) => sv_f64(&v),
        })
    };
    macro_rules! typed {
        ($t:ty, $builder:expr, $rows_of:expr) => {{
            let mut out = ListBuilder::new($builder);
            for r in 0..rows {
                let Some(s) = $rows_of(r) else {
                    out.append_null();
                    continue;
                };
                let s: Vec<Option<$t>> = s;
                let ph = scalar_param(ph_i, r, None)?.and_then(<$t as ks::FillElement>::from_f64);
                let c =
                    scalar_param(c_i, r, Some(0.0))?.and_then(<$t as ks::FillElement>::from_f64);
                let edges = match edges_i {
                    Some(i) => bool_opt(args, i, r)?.unwrap_or(true),
                    None => true,
                };
                let filled = match func {
                    SeriesFn::FillForward => ks::series_fill_forward(&s, ph),
                    SeriesFn::FillBackward => ks::series_fill_backward(&s, ph),
                    SeriesFn::FillConst => ks::series_fill_const(&s, c, ph),
                    _ => ks::series_fill_linear(&s, ph, edges, c),
                };
                for v in filled {
                    out.values().append_option(v);
                }
                out.append(true);
            }
            Arc::new(out.finish()) as ArrayRef
        }};
    }
    Ok(match elem {
        DataType::Float64 => {
            let s = SeriesColumn::from_array(&arr)?;
            typed!(f64, Float64Builder::new(), |r| s.row_opt(r))
        }
        DataType::Int32 => {
            let list = cast(&arr, &DataType::new_list(DataType::Int32, true))?;
            let list = list.as_list::<i32>();
            let vals = list.values().as_primitive::<Int32Type>().clone();
            let offs = list.value_offsets().to_vec();
            typed!(i32, Int32Builder::new(), |r: usize| if list.is_null(r) {
                None
            } else {
                Some(
                    (offs[r] as usize..offs[r + 1] as usize)
                        .map(|j| {
                            if vals.is_null(j) {
                                None
                            } else {
                                Some(vals.value(j))
                            }
                        })
                        .collect(),
                )
            })
        }
        _ => {
            let list = cast(&arr, &DataType::new_list(DataType::Int64, true))?;
            let list = list.as_list::<i32>();
            let vals = list.values().as_primitive::<Int64Type>().clone();
            let offs = list.value_offsets().to_vec();
            typed!(i64, Int64Builder::new(), |r: usize| if list.is_null(r) {
                None
            } else {
                Some(
                    (offs[r] as usize..offs[r + 1] as usize)
                        .map(|j| {
                            if vals.is_null(j) {
                                None
                            } else {
                                Some(vals.value(j))
                            }
                        })
                        .collect(),
                )
            })
        }
    })
}

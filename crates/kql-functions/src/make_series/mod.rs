//! `make-series` aggregates: UDAFs that fill a fixed-length bin array in one pass.
//!
//! Interface (the planner does the rest): for each input row the planner computes the bin
//! index `idx` (Int64; rows outside `[from, to)` are filtered out beforehand, so
//! `0 <= idx < nbins`; other indexes are ignored defensively) and passes `nbins` (an Int64
//! literal) and `default` (a literal of the output element type, possibly null) as the last
//! two arguments. `*if` variants are the aggregate `FILTER` clause. Each UDAF returns a
//! `List<T>` of exactly `nbins` elements; bins without any (non-null) value hold `default`.
//!
//! | UDAF | arguments | element type |
//! |---|---|---|
//! | `kql_ms_count` | `(idx, nbins, default)` | Int64 |
//! | `kql_ms_sum` | `(value, idx, nbins, default)` | Int64 for integer input, else Float64 |
//! | `kql_ms_avg` / `kql_ms_stdev` / `kql_ms_variance` | `(value, idx, nbins, default)` | Float64 |
//! | `kql_ms_min` / `kql_ms_max` / `kql_ms_take_any` | `(value, idx, nbins, default)` | input type |
//! | `kql_ms_dcount` | `(value, idx, nbins, default)` | Int64 (exact distinct count) |
//! | `kql_ms_percentile` | `(value, pct, idx, nbins, default)` | input type (nearest rank) |
//!
//! `stdev`/`variance` are the sample statistics (n−1), 0 for a single value, like KQL's
//! `stdev()`/`variance()`. `percentile` uses the nearest-rank definition of the KQL docs:
//! the value at rank `ceil(pct/100 · N)` (clamped to [1, N]) of the sorted bin values;
//! `pct` must be a literal in [0, 100]. Null values are ignored (a bin with only null values
//! is empty). All state is per bin and merges exactly, so partial aggregation on several
//! partitions gives the same result.

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Int64Array, ListArray, RecordBatch,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Field, FieldRef, Float64Type, Int64Type, Schema, UInt64Type,
};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, EmitTo, GroupsAccumulator,
    Signature, Volatility,
};
use datafusion::physical_expr::PhysicalExpr;
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// Largest accepted `nbins` (KQL's array size cap, 2^20).
pub const MAX_BINS: i64 = 1 << 20;

/// The aggregate a make-series UDAF computes per bin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MsAgg {
    /// `count()` / `countif()`
    Count,
    /// `sum()` / `sumif()`
    Sum,
    /// `avg()` / `avgif()`
    Avg,
    /// `min()` / `minif()`
    Min,
    /// `max()` / `maxif()`
    Max,
    /// `dcount()` / `dcountif()` (exact)
    DCount,
    /// `stdev()` / `stdevif()` (sample)
    Stdev,
    /// `variance()` / `varianceif()` (sample)
    Variance,
    /// `take_any()`
    TakeAny,
    /// `percentile(x, p)` (nearest rank)
    Percentile,
}

const AGGS: &[(&str, MsAgg)] = &[
    ("kql_ms_count", MsAgg::Count),
    ("kql_ms_sum", MsAgg::Sum),
    ("kql_ms_avg", MsAgg::Avg),
    ("kql_ms_min", MsAgg::Min),
    ("kql_ms_max", MsAgg::Max),
    ("kql_ms_dcount", MsAgg::DCount),
    ("kql_ms_stdev", MsAgg::Stdev),
    ("kql_ms_variance", MsAgg::Variance),
    ("kql_ms_take_any", MsAgg::TakeAny),
    ("kql_ms_percentile", MsAgg::Percentile),
];

impl MsAgg {
    /// Position of the bin index argument.
    fn idx_pos(self) -> usize {
        match self {
            MsAgg::Count => 0,
            MsAgg::Percentile => 2,
            _ => 1,
        }
    }
    fn has_value(self) -> bool {
        self != MsAgg::Count
    }
}

/// How values are stored while aggregating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Integers, booleans, datetimes, timespans (as i64).
    I64,
    /// Reals and decimals (as f64).
    F64,
    /// Anything else (only `dcount`, hashed as text).
    Other,
}

fn class_of(dt: &DataType) -> Class {
    match dt {
        DataType::Float16 | DataType::Float32 | DataType::Float64 => Class::F64,
        DataType::Decimal32(..)
        | DataType::Decimal64(..)
        | DataType::Decimal128(..)
        | DataType::Decimal256(..) => Class::F64,
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Boolean
        | DataType::Timestamp(..)
        | DataType::Duration(_)
        | DataType::Date32
        | DataType::Date64
        | DataType::Null => Class::I64,
        _ => Class::Other,
    }
}

fn storage_type(c: Class) -> DataType {
    match c {
        Class::F64 => DataType::Float64,
        _ => DataType::Int64,
    }
}

/// Output element type of `agg` for a value of type `value`.
fn output_element(agg: MsAgg, value: Option<&DataType>) -> Result<DataType> {
    Ok(match agg {
        MsAgg::Count | MsAgg::DCount => DataType::Int64,
        MsAgg::Avg | MsAgg::Stdev | MsAgg::Variance => DataType::Float64,
        MsAgg::Sum => match value.map(class_of) {
            Some(Class::I64) => DataType::Int64,
            _ => DataType::Float64,
        },
        MsAgg::Min | MsAgg::Max | MsAgg::TakeAny | MsAgg::Percentile => match value {
            Some(DataType::Null) | None => DataType::Int64,
            Some(dt) if class_of(dt) != Class::Other => dt.clone(),
            Some(dt) => return plan_err!("make-series: unsupported value type {dt}"),
        },
    })
}

/// One make-series aggregate as a DataFusion UDAF.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct MakeSeriesUdaf {
    name: &'static str,
    agg: MsAgg,
    signature: Signature,
}

impl MakeSeriesUdaf {
    /// The UDAF registered as `name` (`kql_ms_count`, …).
    pub fn new(name: &str) -> Option<Self> {
        let &(name, agg) = AGGS.iter().find(|(n, _)| *n == name)?;
        Some(MakeSeriesUdaf {
            name,
            agg,
            signature: Signature::variadic_any(Volatility::Immutable),
        })
    }

    /// The aggregate computed.
    pub fn agg(&self) -> MsAgg {
        self.agg
    }

    fn arity(&self) -> usize {
        self.agg.idx_pos() + 3
    }
}

/// Evaluates a constant physical expression (literal) to its value.
fn literal_value(expr: &Arc<dyn PhysicalExpr>, what: &str) -> Result<ScalarValue> {
    let batch = RecordBatch::new_empty(Arc::new(Schema::empty()));
    match expr.evaluate(&batch) {
        Ok(ColumnarValue::Scalar(s)) => Ok(s),
        _ => plan_err!("make-series: {what} must be a literal"),
    }
}

impl AggregateUDFImpl for MakeSeriesUdaf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if arg_types.len() != self.arity() {
            return plan_err!(
                "{} takes {} arguments, got {}",
                self.name,
                self.arity(),
                arg_types.len()
            );
        }
        let value = self.agg.has_value().then(|| &arg_types[0]);
        Ok(DataType::new_list(output_element(self.agg, value)?, true))
    }

    fn accumulator(&self, acc_args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(MsAccumulator::new(&self.params(&acc_args)?)))
    }

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(MsGroups {
            params: self.params(&args)?,
            accs: Vec::new(),
            dyn_items: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let class = if self.agg.has_value() {
            class_of(args.input_fields[0].data_type())
        } else {
            Class::I64
        };
        let st = storage_type(class);
        let l = |n: &str, t: DataType| -> FieldRef {
            Arc::new(Field::new(
                format!("{}[{n}]", args.name),
                DataType::new_list(t, true),
                true,
            ))
        };
        Ok(match self.agg {
            MsAgg::Count => vec![l("count", DataType::Int64)],
            MsAgg::Sum => vec![l("sum", st), l("count", DataType::Int64)],
            MsAgg::Avg => vec![l("sum", DataType::Float64), l("count", DataType::Int64)],
            MsAgg::Min | MsAgg::Max | MsAgg::TakeAny => vec![l("value", st)],
            MsAgg::DCount => vec![l("bin", DataType::Int64), l("hash", DataType::UInt64)],
            MsAgg::Stdev | MsAgg::Variance => vec![
                l("count", DataType::Int64),
                l("mean", DataType::Float64),
                l("m2", DataType::Float64),
            ],
            MsAgg::Percentile => vec![l("bin", DataType::Int64), l("value", st)],
        })
    }
}

impl MakeSeriesUdaf {
    /// Reads the literal arguments (nbins, default, percentile) and the value type.
    fn params(&self, acc_args: &AccumulatorArgs) -> Result<MsParams> {
        let ip = self.agg.idx_pos();
        let nbins = match literal_value(&acc_args.exprs[ip + 1], "the number of bins")? {
            v if v.is_null() => return plan_err!("make-series: nbins is null"),
            v => match v.cast_to(&DataType::Int64)? {
                ScalarValue::Int64(Some(n)) if (0..=MAX_BINS).contains(&n) => n as usize,
                other => return plan_err!("make-series: invalid number of bins {other}"),
            },
        };
        let value_type = if self.agg.has_value() {
            Some(acc_args.expr_fields[0].data_type().clone())
        } else {
            None
        };
        let out_elem = output_element(self.agg, value_type.as_ref())?;
        let default = literal_value(&acc_args.exprs[ip + 2], "the default value")?;
        let default = if default.is_null() {
            ScalarValue::try_from(&out_elem)?
        } else {
            default.cast_to(&out_elem)?
        };
        let pct = if self.agg == MsAgg::Percentile {
            let p = literal_value(&acc_args.exprs[1], "the percentile")?;
            match p.cast_to(&DataType::Float64)? {
                ScalarValue::Float64(Some(p)) if (0.0..=100.0).contains(&p) => p,
                other => return plan_err!("make-series: invalid percentile {other}"),
            }
        } else {
            0.0
        };
        let class = value_type.as_ref().map_or(Class::I64, class_of);
        Ok(MsParams {
            agg: self.agg,
            nbins,
            default,
            out_elem,
            class,
            pct,
        })
    }
}

/// The constant parameters of one make-series aggregate.
#[derive(Debug, Clone)]
struct MsParams {
    agg: MsAgg,
    nbins: usize,
    default: ScalarValue,
    out_elem: DataType,
    class: Class,
    pct: f64,
}

/// Per-bin state of one group.
#[derive(Debug)]
struct MsAccumulator {
    agg: MsAgg,
    nbins: usize,
    default: ScalarValue,
    out_elem: DataType,
    class: Class,
    pct: f64,
    count: Vec<i64>,
    sum_i: Vec<i64>,
    sum_f: Vec<f64>,
    mean: Vec<f64>,
    m2: Vec<f64>,
    val_i: Vec<Option<i64>>,
    val_f: Vec<Option<f64>>,
    sets: Vec<HashSet<u64>>,
    samples_i: Vec<Vec<i64>>,
    samples_f: Vec<Vec<f64>>,
}

fn hash_of<T: Hash>(v: T) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn f64_key(v: f64) -> u64 {
    if v == 0.0 {
        0f64.to_bits()
    } else if v.is_nan() {
        f64::NAN.to_bits()
    } else {
        v.to_bits()
    }
}

impl MsAccumulator {
    fn new(p: &MsParams) -> Self {
        let (agg, nbins, class, pct) = (p.agg, p.nbins, p.class, p.pct);
        let (default, out_elem) = (p.default.clone(), p.out_elem.clone());
        let n = nbins;
        let f = class == Class::F64;
        let sized = |want: bool| if want { n } else { 0 };
        MsAccumulator {
            agg,
            nbins,
            default,
            out_elem,
            class,
            pct,
            count: vec![
                0;
                sized(matches!(
                    agg,
                    MsAgg::Count | MsAgg::Sum | MsAgg::Avg | MsAgg::Stdev | MsAgg::Variance
                ))
            ],
            sum_i: vec![0; sized(agg == MsAgg::Sum && !f)],
            sum_f: vec![0.0; sized((agg == MsAgg::Sum && f) || agg == MsAgg::Avg)],
            mean: vec![0.0; sized(matches!(agg, MsAgg::Stdev | MsAgg::Variance))],
            m2: vec![0.0; sized(matches!(agg, MsAgg::Stdev | MsAgg::Variance))],
            val_i: vec![None; sized(matches!(agg, MsAgg::Min | MsAgg::Max | MsAgg::TakeAny) && !f)],
            val_f: vec![None; sized(matches!(agg, MsAgg::Min | MsAgg::Max | MsAgg::TakeAny) && f)],
            sets: vec![HashSet::new(); sized(agg == MsAgg::DCount)],
            samples_i: vec![Vec::new(); sized(agg == MsAgg::Percentile && !f)],
            samples_f: vec![Vec::new(); sized(agg == MsAgg::Percentile && f)],
        }
    }

    fn bin_of(&self, idx: &Int64Array, row: usize) -> Option<usize> {
        if idx.is_null(row) {
            return None;
        }
        let b = idx.value(row);
        (b >= 0 && (b as u64) < self.nbins as u64).then_some(b as usize)
    }

    fn add_i(&mut self, b: usize, v: i64) {
        match self.agg {
            MsAgg::Sum => {
                self.sum_i[b] = self.sum_i[b].wrapping_add(v);
                self.count[b] += 1;
            }
            MsAgg::Min => self.val_i[b] = Some(self.val_i[b].map_or(v, |c| c.min(v))),
            MsAgg::Max => self.val_i[b] = Some(self.val_i[b].map_or(v, |c| c.max(v))),
            MsAgg::TakeAny => {
                if self.val_i[b].is_none() {
                    self.val_i[b] = Some(v)
                }
            }
            MsAgg::Percentile => self.samples_i[b].push(v),
            _ => self.add_f(b, v as f64),
        }
    }

    fn add_f(&mut self, b: usize, v: f64) {
        match self.agg {
            MsAgg::Sum | MsAgg::Avg => {
                self.sum_f[b] += v;
                self.count[b] += 1;
            }
            MsAgg::Stdev | MsAgg::Variance => {
                // Welford
                self.count[b] += 1;
                let d = v - self.mean[b];
                self.mean[b] += d / self.count[b] as f64;
                self.m2[b] += d * (v - self.mean[b]);
            }
            MsAgg::Min => {
                if !v.is_nan() {
                    self.val_f[b] = Some(self.val_f[b].map_or(v, |c| c.min(v)))
                }
            }
            MsAgg::Max => {
                if !v.is_nan() {
                    self.val_f[b] = Some(self.val_f[b].map_or(v, |c| c.max(v)))
                }
            }
            MsAgg::TakeAny => {
                if self.val_f[b].is_none() {
                    self.val_f[b] = Some(v)
                }
            }
            MsAgg::Percentile => {
                if !v.is_nan() {
                    self.samples_f[b].push(v)
                }
            }
            MsAgg::Count | MsAgg::DCount => {}
        }
    }

    /// Adds row `r` of a prepared batch.
    fn update_row(&mut self, p: &Prepared, r: usize) {
        let Some(b) = self.bin_of(&p.idx, r) else {
            return;
        };
        match &p.vals {
            Vals::None => self.count[b] += 1,
            Vals::Keys(k) => {
                if let Some(k) = k[r] {
                    self.sets[b].insert(k);
                }
            }
            Vals::F(a) => {
                if !a.is_null(r) {
                    self.add_f(b, a.value(r));
                }
            }
            Vals::I(a) => {
                if !a.is_null(r) {
                    self.add_i(b, a.value(r));
                }
            }
        }
    }

    /// Merges row `row` of the state columns (one partial accumulator) into this one.
    fn merge_row(&mut self, states: &[ArrayRef], row: usize) {
        let f = self.class == Class::F64;
        let cols: Option<Vec<(ArrayRef, usize, usize)>> =
            states.iter().map(|s| list_row(s, row)).collect();
        let Some(cols) = cols else { return };
        let n = self.nbins;
        let pos = |c: &(ArrayRef, usize, usize)| c.1..c.2;
        match self.agg {
            MsAgg::Count | MsAgg::Sum | MsAgg::Avg => {
                let counts = cols.last().map(|c| c.0.as_primitive::<Int64Type>().clone());
                let Some(counts) = counts else { return };
                let (_, s, e) = cols[cols.len() - 1];
                for (b, j) in (s..e).enumerate().take(n) {
                    self.count[b] += counts.value(j);
                }
                if self.agg != MsAgg::Count {
                    let (ref vals, s, e) = cols[0];
                    if self.agg == MsAgg::Sum && !f {
                        let v = vals.as_primitive::<Int64Type>();
                        for (b, j) in (s..e).enumerate().take(n) {
                            self.sum_i[b] = self.sum_i[b].wrapping_add(v.value(j));
                        }
                    } else {
                        let v = vals.as_primitive::<Float64Type>();
                        for (b, j) in (s..e).enumerate().take(n) {
                            self.sum_f[b] += v.value(j);
                        }
                    }
                }
            }
            MsAgg::Min | MsAgg::Max | MsAgg::TakeAny => {
                let (ref vals, s, e) = cols[0];
                for (b, j) in (s..e).enumerate().take(n) {
                    if vals.is_null(j) {
                        continue;
                    }
                    if f {
                        self.add_f(b, vals.as_primitive::<Float64Type>().value(j));
                    } else {
                        self.add_i(b, vals.as_primitive::<Int64Type>().value(j));
                    }
                }
            }
            MsAgg::DCount => {
                let bins = cols[0].0.as_primitive::<Int64Type>().clone();
                let hashes = cols[1].0.as_primitive::<UInt64Type>().clone();
                for (j, k) in pos(&cols[0]).zip(pos(&cols[1])) {
                    let b = bins.value(j);
                    if b >= 0 && (b as usize) < n {
                        self.sets[b as usize].insert(hashes.value(k));
                    }
                }
            }
            MsAgg::Stdev | MsAgg::Variance => {
                let c = cols[0].0.as_primitive::<Int64Type>().clone();
                let m = cols[1].0.as_primitive::<Float64Type>().clone();
                let q = cols[2].0.as_primitive::<Float64Type>().clone();
                let (s0, s1, s2) = (cols[0].1, cols[1].1, cols[2].1);
                for b in 0..n.min(cols[0].2 - s0) {
                    let (nb, mb, qb) = (c.value(s0 + b), m.value(s1 + b), q.value(s2 + b));
                    if nb == 0 {
                        continue;
                    }
                    let na = self.count[b];
                    if na == 0 {
                        self.count[b] = nb;
                        self.mean[b] = mb;
                        self.m2[b] = qb;
                        continue;
                    }
                    // Chan et al. parallel combination
                    let (naf, nbf) = (na as f64, nb as f64);
                    let tot = naf + nbf;
                    let d = mb - self.mean[b];
                    self.mean[b] += d * nbf / tot;
                    self.m2[b] += qb + d * d * naf * nbf / tot;
                    self.count[b] = na + nb;
                }
            }
            MsAgg::Percentile => {
                let bins = cols[0].0.as_primitive::<Int64Type>().clone();
                for (j, k) in pos(&cols[0]).zip(pos(&cols[1])) {
                    let b = bins.value(j);
                    if b < 0 || (b as usize) >= n {
                        continue;
                    }
                    if f {
                        self.samples_f[b as usize]
                            .push(cols[1].0.as_primitive::<Float64Type>().value(k));
                    } else {
                        self.samples_i[b as usize]
                            .push(cols[1].0.as_primitive::<Int64Type>().value(k));
                    }
                }
            }
        }
    }

    /// The finished value of bin `b` in the output element type (`None` = empty bin).
    fn bin_value(&mut self, b: usize) -> Result<Option<ScalarValue>> {
        let f = self.class == Class::F64;
        let v = match self.agg {
            MsAgg::Count => (self.count[b] > 0).then(|| ScalarValue::Int64(Some(self.count[b]))),
            MsAgg::DCount => (!self.sets[b].is_empty())
                .then(|| ScalarValue::Int64(Some(self.sets[b].len() as i64))),
            MsAgg::Sum if f => {
                (self.count[b] > 0).then(|| ScalarValue::Float64(Some(self.sum_f[b])))
            }
            MsAgg::Sum => (self.count[b] > 0).then(|| ScalarValue::Int64(Some(self.sum_i[b]))),
            MsAgg::Avg => (self.count[b] > 0)
                .then(|| ScalarValue::Float64(Some(self.sum_f[b] / self.count[b] as f64))),
            MsAgg::Stdev | MsAgg::Variance => (self.count[b] > 0).then(|| {
                let n = self.count[b];
                let var = if n > 1 {
                    self.m2[b] / (n - 1) as f64
                } else {
                    0.0
                };
                let v = if self.agg == MsAgg::Stdev {
                    var.sqrt()
                } else {
                    var
                };
                ScalarValue::Float64(Some(v))
            }),
            MsAgg::Min | MsAgg::Max | MsAgg::TakeAny if f => {
                self.val_f[b].map(|v| ScalarValue::Float64(Some(v)))
            }
            MsAgg::Min | MsAgg::Max | MsAgg::TakeAny => {
                self.val_i[b].map(|v| ScalarValue::Int64(Some(v)))
            }
            MsAgg::Percentile => {
                let rank = |n: usize| -> usize {
                    let r = (self.pct / 100.0 * n as f64).ceil() as usize;
                    r.clamp(1, n) - 1
                };
                if f {
                    let s = &mut self.samples_f[b];
                    if s.is_empty() {
                        None
                    } else {
                        s.sort_by(f64::total_cmp);
                        Some(ScalarValue::Float64(Some(s[rank(s.len())])))
                    }
                } else {
                    let s = &mut self.samples_i[b];
                    if s.is_empty() {
                        None
                    } else {
                        s.sort_unstable();
                        Some(ScalarValue::Int64(Some(s[rank(s.len())])))
                    }
                }
            }
        };
        v.map(|v| {
            if v.data_type() == self.out_elem {
                Ok(v)
            } else {
                v.cast_to(&self.out_elem)
            }
        })
        .transpose()
    }
}

fn list_scalar<T: Into<ScalarValue> + Clone>(vals: &[T], dt: &DataType) -> ScalarValue {
    let sv: Vec<ScalarValue> = vals.iter().cloned().map(Into::into).collect();
    ScalarValue::List(ScalarValue::new_list_nullable(&sv, dt))
}

fn opt_list_scalar<T>(vals: &[Option<T>], dt: &DataType) -> ScalarValue
where
    Option<T>: Into<ScalarValue>,
    T: Clone,
{
    let sv: Vec<ScalarValue> = vals.iter().cloned().map(Into::into).collect();
    ScalarValue::List(ScalarValue::new_list_nullable(&sv, dt))
}

/// Row `row` of a list state column as (values array, range).
fn list_row(a: &ArrayRef, row: usize) -> Option<(ArrayRef, usize, usize)> {
    let l: &ListArray = a.as_list::<i32>();
    if l.is_null(row) {
        return None;
    }
    let o = l.value_offsets();
    Some((l.values().clone(), o[row] as usize, o[row + 1] as usize))
}

impl Accumulator for MsAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let p = prepare(self.agg, self.class, values)?;
        for r in 0..p.idx.len() {
            self.update_row(&p, r);
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut vals = Vec::with_capacity(self.nbins);
        for b in 0..self.nbins {
            vals.push(self.bin_value(b)?.unwrap_or_else(|| self.default.clone()));
        }
        Ok(ScalarValue::List(ScalarValue::new_list_nullable(
            &vals,
            &self.out_elem,
        )))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + self.count.capacity() * 8
            + self.sum_i.capacity() * 8
            + self.sum_f.capacity() * 8
            + self.mean.capacity() * 8
            + self.m2.capacity() * 8
            + self.val_i.capacity() * 16
            + self.val_f.capacity() * 16
            + self
                .sets
                .iter()
                .map(|s| s.capacity() * 16 + 48)
                .sum::<usize>()
            + self
                .samples_i
                .iter()
                .map(|s| s.capacity() * 8 + 24)
                .sum::<usize>()
            + self
                .samples_f
                .iter()
                .map(|s| s.capacity() * 8 + 24)
                .sum::<usize>()
            + self.default.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let f = self.class == Class::F64;
        let i64t = DataType::Int64;
        let f64t = DataType::Float64;
        Ok(match self.agg {
            MsAgg::Count => vec![list_scalar(&self.count, &i64t)],
            MsAgg::Sum if f => vec![
                list_scalar(&self.sum_f, &f64t),
                list_scalar(&self.count, &i64t),
            ],
            MsAgg::Sum => vec![
                list_scalar(&self.sum_i, &i64t),
                list_scalar(&self.count, &i64t),
            ],
            MsAgg::Avg => vec![
                list_scalar(&self.sum_f, &f64t),
                list_scalar(&self.count, &i64t),
            ],
            MsAgg::Min | MsAgg::Max | MsAgg::TakeAny if f => {
                vec![opt_list_scalar(&self.val_f, &f64t)]
            }
            MsAgg::Min | MsAgg::Max | MsAgg::TakeAny => vec![opt_list_scalar(&self.val_i, &i64t)],
            MsAgg::DCount => {
                let (mut bins, mut hashes) = (Vec::new(), Vec::new());
                for (b, s) in self.sets.iter().enumerate() {
                    for h in s {
                        bins.push(b as i64);
                        hashes.push(*h);
                    }
                }
                vec![
                    list_scalar(&bins, &i64t),
                    list_scalar(&hashes, &DataType::UInt64),
                ]
            }
            MsAgg::Stdev | MsAgg::Variance => vec![
                list_scalar(&self.count, &i64t),
                list_scalar(&self.mean, &f64t),
                list_scalar(&self.m2, &f64t),
            ],
            MsAgg::Percentile => {
                let mut bins = Vec::new();
                if f {
                    let mut vals = Vec::new();
                    for (b, s) in self.samples_f.iter().enumerate() {
                        bins.extend(std::iter::repeat_n(b as i64, s.len()));
                        vals.extend_from_slice(s);
                    }
                    vec![list_scalar(&bins, &i64t), list_scalar(&vals, &f64t)]
                } else {
                    let mut vals = Vec::new();
                    for (b, s) in self.samples_i.iter().enumerate() {
                        bins.extend(std::iter::repeat_n(b as i64, s.len()));
                        vals.extend_from_slice(s);
                    }
                    vec![list_scalar(&bins, &i64t), list_scalar(&vals, &i64t)]
                }
            }
        })
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(first) = states.first() else {
            return exec_err!("make-series: empty state");
        };
        for row in 0..first.len() {
            self.merge_row(states, row);
        }
        Ok(())
    }
}

/// The value columns of one input batch, cast once.
enum Vals {
    /// `count`: no value.
    None,
    /// `dcount`: hashed values.
    Keys(Vec<Option<u64>>),
    /// Values stored as f64.
    F(Float64Array),
    /// Values stored as i64.
    I(Int64Array),
}

/// An input batch prepared for row-wise accumulation.
struct Prepared {
    idx: Int64Array,
    vals: Vals,
}

fn prepare(agg: MsAgg, class: Class, values: &[ArrayRef]) -> Result<Prepared> {
    let idx = cast(&values[agg.idx_pos()], &DataType::Int64)?;
    let idx = idx.as_primitive::<Int64Type>().clone();
    let rows = idx.len();
    let vals = if agg == MsAgg::Count {
        Vals::None
    } else if agg == MsAgg::DCount {
        let v = &values[0];
        Vals::Keys(match class {
            Class::F64 => {
                let a = cast(v, &DataType::Float64)?;
                let a = a.as_primitive::<Float64Type>();
                (0..rows)
                    .map(|r| (!a.is_null(r)).then(|| hash_of(f64_key(a.value(r)))))
                    .collect()
            }
            Class::I64 => {
                let a = cast(v, &DataType::Int64)?;
                let a = a.as_primitive::<Int64Type>();
                (0..rows)
                    .map(|r| (!a.is_null(r)).then(|| hash_of(a.value(r))))
                    .collect()
            }
            Class::Other => {
                let a = cast(v, &DataType::Utf8)?;
                let a = a.as_string::<i32>();
                (0..rows)
                    .map(|r| (!a.is_null(r)).then(|| hash_of(a.value(r))))
                    .collect()
            }
        })
    } else if class == Class::F64 || matches!(agg, MsAgg::Avg | MsAgg::Stdev | MsAgg::Variance) {
        Vals::F(
            cast(&values[0], &DataType::Float64)?
                .as_primitive::<Float64Type>()
                .clone(),
        )
    } else {
        Vals::I(
            cast(&values[0], &DataType::Int64)?
                .as_primitive::<Int64Type>()
                .clone(),
        )
    };
    Ok(Prepared { idx, vals })
}

/// The groups accumulator: one [`MsAccumulator`] per group, fed row by row (no per-group
/// slicing of the input batches).
#[derive(Debug)]
struct MsGroups {
    params: MsParams,
    accs: Vec<MsAccumulator>,
    /// Number of set entries / samples added (for `size`).
    dyn_items: usize,
}

impl MsGroups {
    fn ensure(&mut self, total: usize) {
        while self.accs.len() < total {
            self.accs.push(MsAccumulator::new(&self.params));
        }
    }

    fn counts_dyn(&self) -> bool {
        matches!(self.params.agg, MsAgg::DCount | MsAgg::Percentile)
    }
}

fn passes(filter: Option<&BooleanArray>, r: usize) -> bool {
    filter.is_none_or(|f| f.is_valid(r) && f.value(r))
}

/// Turns one `Vec<ScalarValue>` per accumulator into one array per state field.
fn states_to_arrays(states: Vec<Vec<ScalarValue>>, nfields: usize) -> Result<Vec<ArrayRef>> {
    let mut cols: Vec<Vec<ScalarValue>> = vec![Vec::with_capacity(states.len()); nfields];
    for st in states {
        for (i, v) in st.into_iter().enumerate() {
            if let Some(c) = cols.get_mut(i) {
                c.push(v);
            }
        }
    }
    cols.into_iter().map(ScalarValue::iter_to_array).collect()
}

fn state_field_count(agg: MsAgg) -> usize {
    match agg {
        MsAgg::Count | MsAgg::Min | MsAgg::Max | MsAgg::TakeAny => 1,
        MsAgg::Stdev | MsAgg::Variance => 3,
        _ => 2,
    }
}

impl GroupsAccumulator for MsGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.ensure(total_num_groups);
        let p = prepare(self.params.agg, self.params.class, values)?;
        let dynamic = self.counts_dyn();
        for (r, &g) in group_indices.iter().enumerate() {
            if !passes(opt_filter, r) {
                continue;
            }
            if let Some(acc) = self.accs.get_mut(g) {
                acc.update_row(&p, r);
                if dynamic {
                    self.dyn_items += 1;
                }
            }
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let taken = emit_to.take_needed(&mut self.accs);
        let mut vals = Vec::with_capacity(taken.len());
        for mut acc in taken {
            vals.push(acc.evaluate()?);
        }
        if vals.is_empty() {
            return Ok(datafusion::arrow::array::new_empty_array(
                &DataType::new_list(self.params.out_elem.clone(), true),
            ));
        }
        ScalarValue::iter_to_array(vals)
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let taken = emit_to.take_needed(&mut self.accs);
        let n = state_field_count(self.params.agg);
        if taken.is_empty() {
            let mut proto = MsAccumulator::new(&self.params);
            let st = proto.state()?;
            return Ok(st
                .iter()
                .map(|v| datafusion::arrow::array::new_empty_array(&v.data_type()))
                .collect());
        }
        let mut states = Vec::with_capacity(taken.len());
        for mut acc in taken {
            states.push(acc.state()?);
        }
        states_to_arrays(states, n)
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.ensure(total_num_groups);
        for (r, &g) in group_indices.iter().enumerate() {
            if let Some(acc) = self.accs.get_mut(g) {
                acc.merge_row(values, r);
            }
        }
        if self.counts_dyn() {
            self.dyn_items += values.get(1).map_or(0, |v| {
                v.as_list_opt::<i32>().map_or(0, |l| l.values().len())
            });
        }
        Ok(())
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        let p = prepare(self.params.agg, self.params.class, values)?;
        let mut states = Vec::with_capacity(p.idx.len());
        for r in 0..p.idx.len() {
            let mut acc = MsAccumulator::new(&self.params);
            if passes(opt_filter, r) {
                acc.update_row(&p, r);
            }
            states.push(acc.state()?);
        }
        states_to_arrays(states, state_field_count(self.params.agg))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + self.accs.capacity() * std::mem::size_of::<MsAccumulator>()
            + self.accs.len() * self.params.nbins * 24
            + self.dyn_items * 16
    }
}

/// Every make-series UDAF (`kql_ms_*`).
pub fn aggregate_udfs() -> Vec<Arc<AggregateUDF>> {
    AGGS.iter()
        .filter_map(|(n, _)| MakeSeriesUdaf::new(n))
        .map(|u| Arc::new(AggregateUDF::new_from_impl(u)))
        .collect()
}

#[cfg(test)]
mod tests;

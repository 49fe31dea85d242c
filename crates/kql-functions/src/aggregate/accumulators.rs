//! Accumulators of the KQL aggregates. Every one implements `state`/`merge_batch` so that
//! partial aggregation across partitions gives the same result as a single pass.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, StructArray, new_empty_array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Int8Type, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::Accumulator;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::Arc;

/// A one-row `List<item>` scalar holding `values` (an empty list when `values` is empty).
pub fn list_scalar(values: &[ScalarValue], item: &DataType) -> Result<ScalarValue> {
    let arr: ArrayRef = if values.is_empty() {
        new_empty_array(item)
    } else {
        let a = ScalarValue::iter_to_array(values.iter().cloned())?;
        if a.data_type() == item {
            a
        } else {
            cast(&a, item)?
        }
    };
    let field = Arc::new(Field::new("item", item.clone(), true));
    let offsets = OffsetBuffer::from_lengths([arr.len()]);
    let list = ListArray::try_new(field, offsets, arr, None)?;
    Ok(ScalarValue::List(Arc::new(list)))
}

/// The elements of row `i` of a list array (empty when the row is null).
fn list_elements(arr: &ArrayRef, i: usize) -> Result<Vec<ScalarValue>> {
    let Some(l) = arr.as_list_opt::<i32>() else {
        return exec_err!(
            "internal error: expected a list state, got {}",
            arr.data_type()
        );
    };
    if l.is_null(i) {
        return Ok(Vec::new());
    }
    let v = l.value(i);
    (0..v.len())
        .map(|j| ScalarValue::try_from_array(&v, j))
        .collect()
}

fn null_of(t: &DataType) -> ScalarValue {
    ScalarValue::try_from(t).unwrap_or(ScalarValue::Null)
}

fn struct_scalar(types: &[DataType], values: &[ScalarValue]) -> Result<ScalarValue> {
    let fields = super::struct_fields(types);
    let arrays = values
        .iter()
        .zip(types)
        .map(|(v, t)| {
            let a = v.to_array_of_size(1)?;
            Ok(if a.data_type() == t { a } else { cast(&a, t)? })
        })
        .collect::<Result<Vec<ArrayRef>>>()?;
    Ok(ScalarValue::Struct(Arc::new(StructArray::try_new(
        fields, arrays, None,
    )?)))
}

// ---------------------------------------------------------------------------------------

/// `make_list`, `make_list_with_nulls`, `make_set`.
#[derive(Debug)]
pub struct ListAcc {
    item: DataType,
    max: usize,
    distinct: bool,
    skip_nulls: bool,
    flatten: bool,
    values: Vec<ScalarValue>,
    seen: HashSet<ScalarValue>,
}

impl ListAcc {
    pub fn new(
        item: DataType,
        max: usize,
        distinct: bool,
        skip_nulls: bool,
        flatten: bool,
    ) -> Self {
        Self {
            item,
            max,
            distinct,
            skip_nulls,
            flatten,
            values: Vec::new(),
            seen: HashSet::new(),
        }
    }

    fn push(&mut self, v: ScalarValue) {
        if self.skip_nulls && v.is_null() {
            return;
        }
        if self.values.len() >= self.max {
            return;
        }
        if self.distinct {
            if self.seen.insert(v.clone()) {
                self.values.push(v);
            }
        } else {
            self.values.push(v);
        }
    }
}

impl Accumulator for ListAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let arr = &values[0];
        for i in 0..arr.len() {
            if self.values.len() >= self.max {
                break;
            }
            if self.flatten {
                for v in list_elements(arr, i)? {
                    self.push(v);
                }
            } else {
                self.push(ScalarValue::try_from_array(arr, i)?);
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        list_scalar(&self.values, &self.item)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + ScalarValue::size_of_vec(&self.values)
            + self.seen.iter().map(ScalarValue::size).sum::<usize>()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![list_scalar(&self.values, &self.item)?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for i in 0..states[0].len() {
            for v in list_elements(&states[0], i)? {
                self.push(v);
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

/// `make_list` / `make_set` over dynamic JSON text: elements are kept as compact JSON.
#[derive(Debug)]
pub struct DynListAcc {
    max: usize,
    distinct: bool,
    values: Vec<String>,
    seen: HashSet<String>,
}

impl DynListAcc {
    pub fn new(max: usize, distinct: bool) -> Self {
        Self {
            max,
            distinct,
            values: Vec::new(),
            seen: HashSet::new(),
        }
    }

    fn push(&mut self, json: String) {
        if self.values.len() >= self.max {
            return;
        }
        if !self.distinct || self.seen.insert(json.clone()) {
            self.values.push(json);
        }
    }

    fn push_value(&mut self, v: Value) {
        match v {
            Value::Null => {}
            Value::Array(items) if self.distinct => {
                for x in items {
                    if !x.is_null() {
                        self.push(x.to_string());
                    }
                }
            }
            other => self.push(other.to_string()),
        }
    }

    fn text(&self) -> String {
        format!("[{}]", self.values.join(","))
    }
}

fn parse_json_or_string(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()))
}

impl Accumulator for DynListAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(arr) = values[0].as_string_opt::<i32>() else {
            return exec_err!("internal error: expected Utf8 JSON input");
        };
        for s in arr.iter().flatten() {
            if self.values.len() >= self.max {
                break;
            }
            self.push_value(parse_json_or_string(s));
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Utf8(Some(self.text())))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.values.iter().map(String::capacity).sum::<usize>() * 2
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let v: Vec<ScalarValue> = self
            .values
            .iter()
            .map(|s| ScalarValue::Utf8(Some(s.clone())))
            .collect();
        Ok(vec![list_scalar(&v, &DataType::Utf8)?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for i in 0..states[0].len() {
            for v in list_elements(&states[0], i)? {
                if let ScalarValue::Utf8(Some(s)) = v {
                    self.push(s);
                }
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

/// `make_bag`: merges JSON property bags; the first value of a key wins.
#[derive(Debug)]
pub struct BagAcc {
    max: usize,
    map: serde_json::Map<String, Value>,
    bags: i64,
}

impl BagAcc {
    pub fn new(max: usize) -> Self {
        Self {
            max,
            map: serde_json::Map::new(),
            bags: 0,
        }
    }

    fn merge_obj(&mut self, obj: serde_json::Map<String, Value>) {
        for (k, v) in obj {
            if self.map.len() >= self.max {
                break;
            }
            self.map.entry(k).or_insert(v);
        }
    }
}

impl Accumulator for BagAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(arr) = values[0].as_string_opt::<i32>() else {
            return exec_err!("internal error: expected Utf8 JSON input");
        };
        for s in arr.iter().flatten() {
            if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(s) {
                self.bags += 1;
                self.merge_obj(o);
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let text = if self.bags == 0 {
            // documented default of an empty make_bag (summarize "default values" table)
            "[]".to_string()
        } else {
            Value::Object(self.map.clone()).to_string()
        };
        Ok(ScalarValue::Utf8(Some(text)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.map.len() * 64
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![
            ScalarValue::Utf8(Some(Value::Object(self.map.clone()).to_string())),
            ScalarValue::Int64(Some(self.bags)),
        ])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let (Some(bags), Some(rows)) = (
            states[0].as_string_opt::<i32>(),
            states[1].as_primitive_opt::<Int64Type>(),
        ) else {
            return exec_err!("internal error: bad make_bag state");
        };
        for i in 0..bags.len() {
            if rows.is_null(i) || rows.value(i) == 0 || bags.is_null(i) {
                continue;
            }
            self.bags += rows.value(i);
            if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(bags.value(i)) {
                self.merge_obj(o);
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

/// Rank of the row an [`ArgExtremeAcc`] / [`TakeAnyAcc`] holds: 0 none, 1 fallback, 2 good.
fn ranks(arr: &ArrayRef) -> Result<Vec<i8>> {
    let Some(a) = arr.as_primitive_opt::<Int8Type>() else {
        return exec_err!("internal error: bad rank state");
    };
    Ok(a.iter().map(|v| v.unwrap_or(0)).collect())
}

/// `arg_max` / `arg_min`: values of the row with the largest/smallest non-null `by`.
/// With no non-null `by`, the first row seen is kept (documented null handling).
#[derive(Debug)]
pub struct ArgExtremeAcc {
    types: Vec<DataType>,
    max: bool,
    best: Vec<ScalarValue>,
    rank: i8,
}

impl ArgExtremeAcc {
    pub fn new(types: Vec<DataType>, max: bool) -> Self {
        let best = types.iter().map(null_of).collect();
        Self {
            types,
            max,
            best,
            rank: 0,
        }
    }

    fn better(&self, by: &ScalarValue) -> bool {
        let want = if self.max {
            Ordering::Greater
        } else {
            Ordering::Less
        };
        by.partial_cmp(&self.best[0]) == Some(want)
    }

    /// Offers row `i` of `cols` (rank of the offer: 2 when `by` is not null).
    fn offer(&mut self, cols: &[ArrayRef], i: usize, offered_rank: i8) -> Result<()> {
        if offered_rank == 0 {
            return Ok(());
        }
        let by = ScalarValue::try_from_array(&cols[0], i)?;
        let rank = if by.is_null() { 1 } else { offered_rank };
        let take = match (self.rank, rank) {
            (_, 2) => self.rank < 2 || self.better(&by),
            (0, 1) => true,
            _ => false,
        };
        if take {
            self.best = cols
                .iter()
                .map(|c| ScalarValue::try_from_array(c, i))
                .collect::<Result<_>>()?;
            self.rank = rank;
        }
        Ok(())
    }
}

impl Accumulator for ArgExtremeAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for i in 0..values[0].len() {
            self.offer(values, i, 2)?;
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        struct_scalar(&self.types, &self.best)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + ScalarValue::size_of_vec(&self.best)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let mut v = self.best.clone();
        v.push(ScalarValue::Int8(Some(self.rank)));
        Ok(v)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = self.types.len();
        let r = ranks(&states[n])?;
        for (i, rank) in r.into_iter().enumerate() {
            self.offer(&states[..n], i, rank)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

/// `take_any`: one argument prefers a non-null, non-empty value; several arguments take
/// all values from one (the first seen) row.
#[derive(Debug)]
pub struct TakeAnyAcc {
    types: Vec<DataType>,
    best: Vec<ScalarValue>,
    rank: i8,
}

impl TakeAnyAcc {
    pub fn new(types: Vec<DataType>) -> Self {
        let best = types.iter().map(null_of).collect();
        Self {
            types,
            best,
            rank: 0,
        }
    }

    fn row_rank(&self, cols: &[ArrayRef], i: usize) -> Result<i8> {
        if self.types.len() > 1 {
            return Ok(2);
        }
        let v = ScalarValue::try_from_array(&cols[0], i)?;
        let empty = v.is_null()
            || matches!(&v, ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) if s.is_empty());
        Ok(if empty { 1 } else { 2 })
    }

    fn offer(&mut self, cols: &[ArrayRef], i: usize, rank: i8) -> Result<()> {
        if rank > self.rank {
            self.best = cols
                .iter()
                .map(|c| ScalarValue::try_from_array(c, i))
                .collect::<Result<_>>()?;
            self.rank = rank;
        }
        Ok(())
    }
}

impl Accumulator for TakeAnyAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for i in 0..values[0].len() {
            if self.rank == 2 {
                break;
            }
            let r = self.row_rank(values, i)?;
            self.offer(values, i, r)?;
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        if self.types.len() == 1 {
            Ok(self.best[0].clone())
        } else {
            struct_scalar(&self.types, &self.best)
        }
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + ScalarValue::size_of_vec(&self.best)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let mut v = self.best.clone();
        v.push(ScalarValue::Int8(Some(self.rank)));
        Ok(v)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = self.types.len();
        let r = ranks(&states[n])?;
        for (i, rank) in r.into_iter().enumerate() {
            self.offer(&states[..n], i, rank)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

/// `dcount`: exact number of distinct non-null values.
#[derive(Debug)]
pub struct DcountAcc {
    item: DataType,
    seen: HashSet<ScalarValue>,
}

impl DcountAcc {
    pub fn new(item: DataType) -> Self {
        Self {
            item,
            seen: HashSet::new(),
        }
    }
}

impl Accumulator for DcountAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let arr = &values[0];
        for i in 0..arr.len() {
            if arr.is_valid(i) {
                self.seen.insert(ScalarValue::try_from_array(arr, i)?);
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(self.seen.len() as i64)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.seen.iter().map(ScalarValue::size).sum::<usize>()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let v: Vec<ScalarValue> = self.seen.iter().cloned().collect();
        Ok(vec![list_scalar(&v, &self.item)?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for i in 0..states[0].len() {
            for v in list_elements(&states[0], i)? {
                if !v.is_null() {
                    self.seen.insert(v);
                }
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

/// `percentile` / `percentiles`: exact nearest-rank percentiles.
#[derive(Debug)]
pub struct PercentileAcc {
    item: DataType,
    ps: Vec<f64>,
    multi: bool,
    values: Vec<ScalarValue>,
}

impl PercentileAcc {
    pub fn new(item: DataType, ps: Vec<f64>, multi: bool) -> Self {
        Self {
            item,
            ps,
            multi,
            values: Vec::new(),
        }
    }
}

/// Nearest-rank index (0-based) of percentile `p` (0..=100) among `n > 0` sorted values:
/// the smallest value with at least `p`% of the data ≤ it; `p = 0` is the minimum.
pub fn nearest_rank(p: f64, n: usize) -> usize {
    if p <= 0.0 {
        return 0;
    }
    // p·n/100 (rather than p/100·n) keeps integral results exact
    let r = (p * n as f64 / 100.0).ceil();
    (r.max(1.0) as usize).min(n) - 1
}

impl Accumulator for PercentileAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let arr = &values[0];
        for i in 0..arr.len() {
            if arr.is_valid(i) {
                self.values.push(ScalarValue::try_from_array(arr, i)?);
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.values
            .sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
        let n = self.values.len();
        let pick: Vec<ScalarValue> = self
            .ps
            .iter()
            .map(|&p| {
                if n == 0 {
                    null_of(&self.item)
                } else {
                    self.values[nearest_rank(p, n)].clone()
                }
            })
            .collect();
        if self.multi {
            list_scalar(&pick, &self.item)
        } else {
            Ok(pick
                .into_iter()
                .next()
                .unwrap_or_else(|| null_of(&self.item)))
        }
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + ScalarValue::size_of_vec(&self.values)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![list_scalar(&self.values, &self.item)?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for i in 0..states[0].len() {
            for v in list_elements(&states[0], i)? {
                if !v.is_null() {
                    self.values.push(v);
                }
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

fn f64_col(arr: &ArrayRef) -> Result<&datafusion::arrow::array::Float64Array> {
    match arr.as_primitive_opt::<Float64Type>() {
        Some(a) => Ok(a),
        None => exec_err!("internal error: expected Float64, got {}", arr.data_type()),
    }
}

/// `stdev`, `stdevp`, `variance`, `variancep` (Welford; Chan's merge).
#[derive(Debug)]
pub struct StatsAcc {
    std: bool,
    sample: bool,
    n: f64,
    mean: f64,
    m2: f64,
}

impl StatsAcc {
    pub fn new(std: bool, sample: bool) -> Self {
        Self {
            std,
            sample,
            n: 0.0,
            mean: 0.0,
            m2: 0.0,
        }
    }

    fn combine(&mut self, n: f64, mean: f64, m2: f64) {
        if n <= 0.0 {
            return;
        }
        let total = self.n + n;
        let delta = mean - self.mean;
        self.mean += delta * n / total;
        self.m2 += m2 + delta * delta * self.n * n / total;
        self.n = total;
    }
}

impl Accumulator for StatsAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for x in f64_col(&values[0])?.iter().flatten() {
            self.combine(1.0, x, 0.0);
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let denom = if self.sample { self.n - 1.0 } else { self.n };
        let var = if denom <= 0.0 { 0.0 } else { self.m2 / denom };
        Ok(ScalarValue::Float64(Some(if self.std {
            var.sqrt()
        } else {
            var
        })))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![
            ScalarValue::Float64(Some(self.n)),
            ScalarValue::Float64(Some(self.mean)),
            ScalarValue::Float64(Some(self.m2)),
        ])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let (n, mean, m2) = (
            f64_col(&states[0])?,
            f64_col(&states[1])?,
            f64_col(&states[2])?,
        );
        for i in 0..n.len() {
            if n.is_valid(i) && mean.is_valid(i) && m2.is_valid(i) {
                self.combine(n.value(i), mean.value(i), m2.value(i));
            }
        }
        Ok(())
    }
}

/// `avg`: NaN for an empty (or all-null) group.
#[derive(Debug, Default)]
pub struct AvgAcc {
    sum: f64,
    count: i64,
}

impl Accumulator for AvgAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for x in f64_col(&values[0])?.iter().flatten() {
            self.sum += x;
            self.count += 1;
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(Some(if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        })))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![
            ScalarValue::Float64(Some(self.sum)),
            ScalarValue::Int64(Some(self.count)),
        ])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let s = f64_col(&states[0])?;
        let Some(c) = states[1].as_primitive_opt::<Int64Type>() else {
            return exec_err!("internal error: bad avg state");
        };
        for i in 0..s.len() {
            if s.is_valid(i) && c.is_valid(i) {
                self.sum += s.value(i);
                self.count += c.value(i);
            }
        }
        Ok(())
    }
}

//! KQL aggregate functions (DataFusion `AggregateUDFImpl`s).
//!
//! Every aggregate has a partial state that merges correctly (DataFusion runs partial and
//! final aggregation across partitions) and an **empty-group value** matching KQL:
//! `make_list/make_set/...` → `[]`, `dcount`/`stdev`/`variance` → 0, `avg` → NaN, the rest
//! → null. `*_if` variants are the same UDAFs with an aggregate `FILTER` (a filtered-out
//! group still evaluates to its empty value, see the tests).
//!
//! DataFusion built-ins that the planner should use directly (not reimplemented):
//! `count()` → `count(*)`/`count(lit(1))`, `count(x)` → `count(x)`, `countif(p)` →
//! `count(*) FILTER (p)`, `count_distinct(x)` → `count(DISTINCT x)`, `min`/`max` (type
//! preserved, empty → null as in KQL), `sum(x)` → **`coalesce(sum(x), 0)`** (DataFusion
//! returns null on empty/all-null input, KQL 0; `sum` has a fast groups accumulator).

mod accumulators;

use crate::math::FunctionDoc;
use crate::math::util::{is_numeric, is_string, list_of};
use accumulators::{
    ArgExtremeAcc, AvgAcc, BagAcc, DcountAcc, DynListAcc, ListAcc, PercentileAcc, StatsAcc,
    TakeAnyAcc,
};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};
use datafusion::physical_expr::expressions::{CastExpr, Literal, TryCastExpr};
use std::sync::Arc;

/// Default and maximum `maxSize` of `make_list`/`make_set`/`make_bag`.
pub const MAX_LIST_SIZE: usize = 1_048_576;

/// The aggregate functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggFn {
    MakeList,
    MakeListWithNulls,
    MakeSet,
    MakeListDynamic,
    MakeSetDynamic,
    MakeBag,
    ArgMax,
    ArgMin,
    TakeAny,
    Dcount,
    Percentile,
    Percentiles,
    Stdev,
    Stdevp,
    Variance,
    Variancep,
    Avg,
}

impl AggFn {
    const ALL: [AggFn; 17] = [
        AggFn::MakeList,
        AggFn::MakeListWithNulls,
        AggFn::MakeSet,
        AggFn::MakeListDynamic,
        AggFn::MakeSetDynamic,
        AggFn::MakeBag,
        AggFn::ArgMax,
        AggFn::ArgMin,
        AggFn::TakeAny,
        AggFn::Dcount,
        AggFn::Percentile,
        AggFn::Percentiles,
        AggFn::Stdev,
        AggFn::Stdevp,
        AggFn::Variance,
        AggFn::Variancep,
        AggFn::Avg,
    ];

    pub fn udf_name(&self) -> &'static str {
        match self {
            AggFn::MakeList => "kql_make_list",
            AggFn::MakeListWithNulls => "kql_make_list_with_nulls",
            AggFn::MakeSet => "kql_make_set",
            AggFn::MakeListDynamic => "kql_make_list_dynamic",
            AggFn::MakeSetDynamic => "kql_make_set_dynamic",
            AggFn::MakeBag => "kql_make_bag",
            AggFn::ArgMax => "kql_arg_max",
            AggFn::ArgMin => "kql_arg_min",
            AggFn::TakeAny => "kql_take_any",
            AggFn::Dcount => "kql_dcount",
            AggFn::Percentile => "kql_percentile",
            AggFn::Percentiles => "kql_percentiles",
            AggFn::Stdev => "kql_stdev",
            AggFn::Stdevp => "kql_stdevp",
            AggFn::Variance => "kql_variance",
            AggFn::Variancep => "kql_variancep",
            AggFn::Avg => "kql_avg",
        }
    }

    fn is_stats(&self) -> bool {
        matches!(
            self,
            AggFn::Stdev | AggFn::Stdevp | AggFn::Variance | AggFn::Variancep
        )
    }
}

/// The `AggregateUDFImpl` of every [`AggFn`].
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct KqlAggregate {
    kind: AggFn,
    signature: Signature,
}

impl KqlAggregate {
    pub fn new(kind: AggFn) -> Self {
        Self {
            kind,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

/// Normalises string-like types to `Utf8`; other types are kept.
fn norm(t: &DataType) -> DataType {
    match t {
        DataType::Utf8View | DataType::LargeUtf8 => DataType::Utf8,
        other => other.clone(),
    }
}

fn arity(name: &str, n: usize, min: usize, max: usize) -> Result<()> {
    if n < min || n > max {
        return plan_err!("{name}: wrong number of arguments ({n})");
    }
    Ok(())
}

/// Struct fields `c0..cN` of `arg_max`/`arg_min`/multi-column `take_any` results.
fn struct_fields(types: &[DataType]) -> Fields {
    types
        .iter()
        .enumerate()
        .map(|(i, t)| Field::new(format!("c{i}"), t.clone(), true))
        .collect()
}

/// The element type of `make_set` over a typed array input (arrays are flattened).
fn set_item(t: &DataType) -> DataType {
    match t {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            norm(f.data_type())
        }
        other => norm(other),
    }
}

impl AggregateUDFImpl for KqlAggregate {
    fn name(&self) -> &str {
        self.kind.udf_name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.name();
        let n = arg_types.len();
        let int_lit = |t: &DataType| -> Result<DataType> {
            if is_numeric(t) {
                Ok(DataType::Int64)
            } else {
                plan_err!("{name}: expected an integer literal, got {t}")
            }
        };
        match self.kind {
            AggFn::MakeList | AggFn::MakeSet => {
                arity(name, n, 1, 2)?;
                let mut v = vec![norm(&arg_types[0])];
                if n == 2 {
                    v.push(int_lit(&arg_types[1])?);
                }
                Ok(v)
            }
            AggFn::MakeListDynamic | AggFn::MakeSetDynamic | AggFn::MakeBag => {
                arity(name, n, 1, 2)?;
                if !is_string(&arg_types[0]) {
                    return plan_err!(
                        "{name}: expects dynamic JSON text (Utf8), got {}",
                        arg_types[0]
                    );
                }
                let mut v = vec![DataType::Utf8];
                if n == 2 {
                    v.push(int_lit(&arg_types[1])?);
                }
                Ok(v)
            }
            AggFn::MakeListWithNulls => {
                arity(name, n, 1, 1)?;
                Ok(vec![norm(&arg_types[0])])
            }
            AggFn::ArgMax | AggFn::ArgMin => {
                arity(name, n, 2, 1024)?;
                Ok(arg_types.iter().map(norm).collect())
            }
            AggFn::TakeAny => {
                arity(name, n, 1, 1024)?;
                Ok(arg_types.iter().map(norm).collect())
            }
            AggFn::Dcount => {
                arity(name, n, 1, 2)?;
                let mut v = vec![norm(&arg_types[0])];
                if n == 2 {
                    v.push(int_lit(&arg_types[1])?);
                }
                Ok(v)
            }
            AggFn::Percentile | AggFn::Percentiles => {
                arity(name, n, 2, 1024)?;
                let x = norm(&arg_types[0]);
                let orderable = is_numeric(&x)
                    || matches!(x, DataType::Timestamp(_, _) | DataType::Duration(_));
                if !orderable {
                    return plan_err!("{name}: expects a number, datetime or timespan, got {x}");
                }
                let mut v = vec![x];
                for t in &arg_types[1..] {
                    if !is_numeric(t) {
                        return plan_err!("{name}: percentiles must be numeric literals, got {t}");
                    }
                    v.push(DataType::Float64);
                }
                if self.kind == AggFn::Percentile && n != 2 {
                    return plan_err!("{name}: expects exactly one percentile");
                }
                Ok(v)
            }
            AggFn::Stdev | AggFn::Stdevp | AggFn::Variance | AggFn::Variancep | AggFn::Avg => {
                arity(name, n, 1, 1)?;
                if !is_numeric(&arg_types[0]) {
                    return plan_err!("{name}: expects a number, got {}", arg_types[0]);
                }
                Ok(vec![DataType::Float64])
            }
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        // validates the arguments too (DataFusion may call this before coercion)
        let t = self.coerce_types(arg_types)?;
        let Some(first) = t.first().cloned() else {
            return plan_err!("{}: missing argument", self.name());
        };
        Ok(match self.kind {
            AggFn::MakeList | AggFn::MakeListWithNulls => list_of(first),
            AggFn::MakeSet => list_of(set_item(&first)),
            AggFn::MakeListDynamic | AggFn::MakeSetDynamic | AggFn::MakeBag => DataType::Utf8,
            AggFn::ArgMax | AggFn::ArgMin => DataType::Struct(struct_fields(&t)),
            AggFn::TakeAny => {
                if t.len() == 1 {
                    first
                } else {
                    DataType::Struct(struct_fields(&t))
                }
            }
            AggFn::Dcount => DataType::Int64,
            AggFn::Percentile => first,
            AggFn::Percentiles => list_of(first),
            AggFn::Stdev | AggFn::Stdevp | AggFn::Variance | AggFn::Variancep | AggFn::Avg => {
                DataType::Float64
            }
        })
    }

    fn accumulator(&self, acc_args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let name = self.name();
        let types: Vec<DataType> = acc_args
            .expr_fields
            .iter()
            .map(|f| norm(f.data_type()))
            .collect();
        let Some(first) = types.first().cloned() else {
            return plan_err!("{name}: missing argument");
        };
        let max_size = |i: usize| -> Result<usize> {
            match acc_args.exprs.get(i) {
                None => Ok(MAX_LIST_SIZE),
                Some(e) => {
                    let v = literal_f64(e.as_ref(), name)?;
                    match v {
                        Some(v) if v >= 0.0 => Ok((v as usize).min(MAX_LIST_SIZE)),
                        Some(_) => plan_err!("{name}: maxSize must not be negative"),
                        None => Ok(MAX_LIST_SIZE),
                    }
                }
            }
        };
        Ok(match self.kind {
            AggFn::MakeList => Box::new(ListAcc::new(first, max_size(1)?, false, true, false)),
            AggFn::MakeListWithNulls => {
                Box::new(ListAcc::new(first, MAX_LIST_SIZE, false, false, false))
            }
            AggFn::MakeSet => {
                let flatten = set_item(&first) != first;
                Box::new(ListAcc::new(
                    set_item(&first),
                    max_size(1)?,
                    true,
                    true,
                    flatten,
                ))
            }
            AggFn::MakeListDynamic => Box::new(DynListAcc::new(max_size(1)?, false)),
            AggFn::MakeSetDynamic => Box::new(DynListAcc::new(max_size(1)?, true)),
            AggFn::MakeBag => Box::new(BagAcc::new(max_size(1)?)),
            AggFn::ArgMax => Box::new(ArgExtremeAcc::new(types, true)),
            AggFn::ArgMin => Box::new(ArgExtremeAcc::new(types, false)),
            AggFn::TakeAny => Box::new(TakeAnyAcc::new(types)),
            AggFn::Dcount => Box::new(DcountAcc::new(first)),
            AggFn::Percentile | AggFn::Percentiles => {
                let mut ps = Vec::new();
                for e in &acc_args.exprs[1..] {
                    match literal_f64(e.as_ref(), name)? {
                        Some(p) if (0.0..=100.0).contains(&p) => ps.push(p),
                        Some(p) => {
                            return plan_err!("{name}: percentile {p} is outside [0, 100]");
                        }
                        None => return plan_err!("{name}: percentile must not be null"),
                    }
                }
                Box::new(PercentileAcc::new(
                    first,
                    ps,
                    self.kind == AggFn::Percentiles,
                ))
            }
            AggFn::Stdev => Box::new(StatsAcc::new(true, true)),
            AggFn::Stdevp => Box::new(StatsAcc::new(true, false)),
            AggFn::Variance => Box::new(StatsAcc::new(false, true)),
            AggFn::Variancep => Box::new(StatsAcc::new(false, false)),
            AggFn::Avg => Box::new(AvgAcc::default()),
        })
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let name = args.name;
        let types: Vec<DataType> = args
            .input_fields
            .iter()
            .map(|f| norm(f.data_type()))
            .collect();
        let first = types.first().cloned().unwrap_or(DataType::Null);
        let f = |s: &str, t: DataType| Arc::new(Field::new(format_state_name(name, s), t, true));
        Ok(match self.kind {
            AggFn::MakeList | AggFn::MakeListWithNulls => vec![f("values", list_of(first))],
            AggFn::MakeSet => vec![f("values", list_of(set_item(&first)))],
            AggFn::Dcount | AggFn::Percentile | AggFn::Percentiles => {
                vec![f("values", list_of(first))]
            }
            AggFn::MakeListDynamic | AggFn::MakeSetDynamic => {
                vec![f("values", list_of(DataType::Utf8))]
            }
            AggFn::MakeBag => vec![f("bag", DataType::Utf8), f("rows", DataType::Int64)],
            AggFn::ArgMax | AggFn::ArgMin | AggFn::TakeAny => {
                let mut v: Vec<FieldRef> = types
                    .iter()
                    .enumerate()
                    .map(|(i, t)| f(&format!("c{i}"), t.clone()))
                    .collect();
                v.push(f("rank", DataType::Int8));
                v
            }
            AggFn::Stdev | AggFn::Stdevp | AggFn::Variance | AggFn::Variancep => vec![
                f("count", DataType::Float64),
                f("mean", DataType::Float64),
                f("m2", DataType::Float64),
            ],
            AggFn::Avg => vec![f("sum", DataType::Float64), f("count", DataType::Int64)],
        })
    }

    fn default_value(&self, data_type: &DataType) -> Result<ScalarValue> {
        Ok(match self.kind {
            AggFn::MakeList | AggFn::MakeListWithNulls | AggFn::MakeSet => match data_type {
                DataType::List(f) => accumulators::list_scalar(&[], f.data_type())?,
                other => ScalarValue::try_from(other)?,
            },
            AggFn::MakeListDynamic | AggFn::MakeSetDynamic | AggFn::MakeBag => {
                ScalarValue::Utf8(Some("[]".to_string()))
            }
            AggFn::Dcount => ScalarValue::Int64(Some(0)),
            k if k.is_stats() => ScalarValue::Float64(Some(0.0)),
            AggFn::Avg => ScalarValue::Float64(Some(f64::NAN)),
            _ => ScalarValue::try_from(data_type)?,
        })
    }
}

/// The value of a literal argument as f64 (`None` for a null literal); anything else is a
/// planning error.
fn literal_f64(e: &dyn datafusion::physical_expr::PhysicalExpr, name: &str) -> Result<Option<f64>> {
    // A literal, possibly wrapped in the cast that type coercion adds (when the optimizer
    // has not folded it).
    let lit = match e.downcast_ref::<Literal>() {
        Some(l) => l,
        None => {
            let inner = e
                .downcast_ref::<CastExpr>()
                .map(|c| c.expr())
                .or_else(|| e.downcast_ref::<TryCastExpr>().map(|c| c.expr()));
            match inner.and_then(|i| i.downcast_ref::<Literal>()) {
                Some(l) => l,
                None => return plan_err!("{name}: this argument must be a constant"),
            }
        }
    };
    let v = lit.value();
    if v.is_null() {
        return Ok(None);
    }
    match v.cast_to(&DataType::Float64)? {
        ScalarValue::Float64(Some(f)) => Ok(Some(f)),
        other => exec_err!("{name}: cannot use {other} as a number"),
    }
}

/// The aggregate UDFs of this module.
pub fn aggregate_udfs() -> Vec<Arc<AggregateUDF>> {
    AggFn::ALL
        .iter()
        .map(|k| Arc::new(AggregateUDF::new_from_impl(KqlAggregate::new(*k))))
        .collect()
}

/// The KQL functions this module implements (for the planner's function registry).
pub const FUNCTIONS: &[FunctionDoc] = &[
    FunctionDoc {
        kql: "make_list / make_list_if",
        udf: "kql_make_list",
        args: "T [, Int64 literal maxSize]",
        returns: "List<T>",
        notes: "nulls skipped; empty → []; _if = same UDAF with FILTER; for dynamic JSON-text input use kql_make_list_dynamic",
    },
    FunctionDoc {
        kql: "make_list_with_nulls",
        udf: "kql_make_list_with_nulls",
        args: "T",
        returns: "List<T>",
        notes: "nulls kept",
    },
    FunctionDoc {
        kql: "make_set / make_set_if",
        udf: "kql_make_set",
        args: "T | List<T> [, Int64 literal maxSize]",
        returns: "List<T>",
        notes: "distinct values, nulls skipped, array inputs are flattened (documented); empty → []; which elements survive the cap is unspecified",
    },
    FunctionDoc {
        kql: "make_list / make_list_if (dynamic JSON-text input)",
        udf: "kql_make_list_dynamic",
        args: "Utf8 JSON [, Int64 literal maxSize]",
        returns: "Utf8 JSON array",
        notes: "elements kept as JSON values (bags stay bags)",
    },
    FunctionDoc {
        kql: "make_set / make_set_if (dynamic JSON-text input)",
        udf: "kql_make_set_dynamic",
        args: "Utf8 JSON [, Int64 literal maxSize]",
        returns: "Utf8 JSON array",
        notes: "JSON arrays are flattened; distinct by compact JSON text",
    },
    FunctionDoc {
        kql: "make_bag / make_bag_if",
        udf: "kql_make_bag",
        args: "Utf8 JSON bag [, Int64 literal maxSize]",
        returns: "Utf8 JSON object",
        notes: "non-bag values skipped; duplicate keys: first value wins (docs: arbitrary); no bag at all → \"[]\" (documented default)",
    },
    FunctionDoc {
        kql: "arg_max",
        udf: "kql_arg_max",
        args: "by, ret1, ret2, ...",
        returns: "Struct{c0: by, c1: ret1, ...}",
        notes: "planner unpacks with get_field(c_i) and names columns; `*` = planner expands columns; null `by` ignored, but a group whose `by` are all null still returns one row's values with c0 null (documented); ties: first seen",
    },
    FunctionDoc {
        kql: "arg_min",
        udf: "kql_arg_min",
        args: "by, ret1, ret2, ...",
        returns: "Struct{c0: by, c1: ret1, ...}",
        notes: "as arg_max",
    },
    FunctionDoc {
        kql: "take_any / any",
        udf: "kql_take_any",
        args: "x | x1, x2, ...",
        returns: "T for one argument, else Struct{c0, c1, ...}",
        notes: "one argument: prefers a non-null, non-empty value; several: all values come from one row",
    },
    FunctionDoc {
        kql: "dcount / dcountif",
        udf: "kql_dcount",
        args: "T [, Int64 accuracy (ignored)]",
        returns: "Int64",
        notes: "exact distinct count (ADX estimates with HLL); nulls ignored; empty → 0. DataFusion `count(DISTINCT x)` is equivalent",
    },
    FunctionDoc {
        kql: "percentile",
        udf: "kql_percentile",
        args: "T (number|datetime|timespan), Float64 literal p",
        returns: "T",
        notes: "exact nearest-rank (ADX estimates with t-digest); empty → null; column name percentile_x_95 is the planner's",
    },
    FunctionDoc {
        kql: "percentiles / percentiles_array",
        udf: "kql_percentiles",
        args: "T, Float64 literal p1, p2, ...",
        returns: "List<T>",
        notes: "percentiles(): planner extracts element i into column percentile_x_<p>; percentiles_array(): the list itself; empty → list of nulls",
    },
    FunctionDoc {
        kql: "stdev / stdevif",
        udf: "kql_stdev",
        args: "Float64",
        returns: "Float64",
        notes: "sample (n-1); empty or one value → 0",
    },
    FunctionDoc {
        kql: "stdevp",
        udf: "kql_stdevp",
        args: "Float64",
        returns: "Float64",
        notes: "population; empty → 0",
    },
    FunctionDoc {
        kql: "variance / varianceif",
        udf: "kql_variance",
        args: "Float64",
        returns: "Float64",
        notes: "sample (n-1); empty or one value → 0",
    },
    FunctionDoc {
        kql: "variancep",
        udf: "kql_variancep",
        args: "Float64",
        returns: "Float64",
        notes: "population; empty → 0",
    },
    FunctionDoc {
        kql: "avg / avgif",
        udf: "kql_avg",
        args: "Float64",
        returns: "Float64",
        notes: "empty or all-null → NaN (kql-semantics §5.1); DataFusion avg gives null",
    },
    FunctionDoc {
        kql: "sum / sumif",
        udf: "sum",
        args: "Int64|Float64",
        returns: "Int64|Float64",
        notes: "use coalesce(sum(x), 0) (DataFusion built-in; int → Int64)",
    },
    FunctionDoc {
        kql: "count / countif / count_distinct",
        udf: "count",
        args: "-",
        returns: "Int64",
        notes: "DataFusion built-in; countif = count(*) FILTER; count_distinct = count(DISTINCT x)",
    },
    FunctionDoc {
        kql: "min / max / minif / maxif",
        udf: "min / max",
        args: "T",
        returns: "T",
        notes: "DataFusion built-ins match KQL (nulls ignored, empty → null)",
    },
];

#[cfg(test)]
mod tests;

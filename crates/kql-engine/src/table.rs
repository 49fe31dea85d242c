//! Table sources and their normalisation into KQL's physical representation: strings never
//! null, datetimes as `Timestamp(ns, UTC)`, small integers widened, declared schema types
//! applied.

use crate::schema_file::TableSchema;
use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use datafusion::catalog::TableProvider;
use datafusion::common::{Column, DFSchema};
use datafusion::datasource::provider_as_source;
use datafusion::functions::expr_fn::coalesce;
use datafusion::logical_expr::{
    EmptyRelation, Expr, LogicalPlan, LogicalPlanBuilder, ScalarUDF, cast, lit,
};
use kql_planner::{CatalogError, Col, KqlType, Rel};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a table's rows come from.
#[derive(Clone, Debug)]
pub enum TableSource {
    /// A Parquet file or a directory of Parquet files.
    Parquet(PathBuf),
    /// No data: an empty table with a declared schema (`kql check --schemas`).
    SchemaOnly(TableSchema),
}

/// Builds the normalised relation over `provider`. `declared` gives KQL types from a schema
/// file (they override what the Arrow types say).
pub(crate) fn provider_rel(
    name: &str,
    provider: Arc<dyn TableProvider>,
    declared: Option<&TableSchema>,
    udfs: &HashMap<String, Arc<ScalarUDF>>,
) -> Result<Rel, CatalogError> {
    let schema = provider.schema();
    let plan = LogicalPlanBuilder::scan(name, provider_as_source(provider), None)
        .and_then(|b| b.build())
        .map_err(|e| CatalogError::data(format!("cannot scan `{name}`: {e}")))?;
    let declared: HashMap<&str, KqlType> = declared
        .map(|d| d.columns.iter().map(|(n, t)| (n.as_str(), *t)).collect())
        .unwrap_or_default();
    let mut exprs = Vec::new();
    let mut cols = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let (qualifier, f) = plan.schema().qualified_field(i);
        let col = Expr::Column(Column::new(qualifier.cloned(), f.name()));
        let ty = declared
            .get(field.name().as_str())
            .copied()
            .unwrap_or_else(|| KqlType::from_field(field));
        let e = normalise(col, field.data_type(), ty, udfs).map_err(|m| {
            CatalogError::data(format!("table `{name}`, column `{}`: {m}", field.name()))
        })?;
        exprs.push(e.alias(field.name()));
        cols.push(Col::new(field.name().clone(), ty));
    }
    let plan = LogicalPlanBuilder::from(plan)
        .project(exprs)
        .and_then(|b| b.build())
        .map_err(|e| CatalogError::data(format!("cannot read `{name}`: {e}")))?;
    Ok(Rel::new(plan, cols))
}

/// The expression turning a stored column of type `dt` into KQL type `ty`'s representation.
fn normalise(
    col: Expr,
    dt: &DataType,
    ty: KqlType,
    udfs: &HashMap<String, Arc<ScalarUDF>>,
) -> Result<Expr, String> {
    let udf = |name: &str| {
        udfs.get(name)
            .cloned()
            .ok_or_else(|| format!("function {name} is not available"))
    };
    Ok(match ty {
        KqlType::String | KqlType::Guid => {
            let s = match dt {
                DataType::Utf8 => col,
                DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..) => {
                    cast(col, DataType::Utf8)
                }
                _ => udf("kql_tostring")?.call(vec![col]),
            };
            coalesce(vec![s, lit("")])
        }
        KqlType::DateTime => match dt {
            DataType::Timestamp(TimeUnit::Nanosecond, Some(tz)) if tz.as_ref() == "UTC" => col,
            DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 => cast(col, ty.arrow()),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                udf("kql_todatetime")?.call(vec![cast(col, DataType::Utf8)])
            }
            other => return Err(format!("cannot read {other} as datetime")),
        },
        KqlType::TimeSpan => match dt {
            DataType::Duration(TimeUnit::Nanosecond) => col,
            DataType::Duration(_) => cast(col, ty.arrow()),
            // Integers are taken as 100 ns ticks, KQL's timespan unit.
            DataType::Int64 | DataType::Int32 => {
                cast(cast(col, DataType::Int64) * lit(100i64), ty.arrow())
            }
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                udf("kql_totimespan")?.call(vec![cast(col, DataType::Utf8)])
            }
            other => return Err(format!("cannot read {other} as timespan")),
        },
        KqlType::Bool | KqlType::Int | KqlType::Long | KqlType::Real | KqlType::Decimal => {
            let target = ty.arrow();
            if dt == &target {
                col
            } else if dt.is_numeric()
                || matches!(dt, DataType::Boolean)
                || matches!(ty, KqlType::Decimal)
            {
                cast(col, target)
            } else if matches!(
                dt,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) {
                let f = match ty {
                    KqlType::Bool => "kql_tobool",
                    KqlType::Int => "kql_toint",
                    KqlType::Long => "kql_tolong",
                    _ => "kql_todouble",
                };
                udf(f)?.call(vec![cast(col, DataType::Utf8)])
            } else {
                return Err(format!("cannot read {dt} as {ty}"));
            }
        }
        KqlType::Dynamic => match dt {
            DataType::Utf8 => col,
            DataType::LargeUtf8 | DataType::Utf8View => cast(col, DataType::Utf8),
            DataType::List(f) if is_list_element(f.data_type()) => col,
            DataType::List(_)
            | DataType::LargeList(_)
            | DataType::Struct(_)
            | DataType::Map(..)
            | DataType::FixedSizeList(..) => udf("kql_to_json")?.call(vec![col]),
            _ => col,
        },
    })
}

/// Element types kept as typed arrays.
fn is_list_element(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Boolean
            | DataType::Int32
            | DataType::Int64
            | DataType::Float64
            | DataType::Utf8
            | DataType::Timestamp(TimeUnit::Nanosecond, _)
            | DataType::Duration(TimeUnit::Nanosecond)
    )
}

/// An empty relation with the declared schema.
pub(crate) fn schema_only_rel(schema: &TableSchema) -> Result<Rel, CatalogError> {
    let fields: Vec<Field> = schema
        .columns
        .iter()
        .map(|(n, t)| Field::new(n, t.arrow(), true))
        .collect();
    let df = DFSchema::try_from(Schema::new(fields))
        .map_err(|e| CatalogError::data(format!("schema of `{}`: {e}", schema.name)))?;
    let plan = LogicalPlan::EmptyRelation(EmptyRelation {
        produce_one_row: false,
        schema: Arc::new(df),
    });
    let cols = schema
        .columns
        .iter()
        .map(|(n, t)| Col::new(n.clone(), *t))
        .collect();
    Ok(Rel::new(plan, cols))
}

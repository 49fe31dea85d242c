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
use std::collections::{HashMap, HashSet};
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

/// The top-level columns that hold no null in any of the Parquet `files`, according to the
/// files' footers: every row group of every file has the column with a null count of 0 in
/// its statistics. A column missing from a file, or without null counts, is not included
/// (the scan fills missing columns with nulls). Unreadable files give an empty set: the
/// answer only ever removes work (the `coalesce(col, '')` of string columns), never changes
/// results.
pub(crate) fn non_null_columns(files: &[PathBuf]) -> HashSet<String> {
    use datafusion::parquet::file::metadata::ParquetMetaDataReader;
    let mut result: Option<HashSet<String>> = None;
    for path in files {
        let Ok(file) = std::fs::File::open(path) else {
            return HashSet::new();
        };
        let Ok(meta) = ParquetMetaDataReader::new().parse_and_finish(&file) else {
            return HashSet::new();
        };
        let descr = meta.file_metadata().schema_descr();
        // Flat (single-part path) leaf columns of this file.
        let mut here: HashSet<String> = (0..descr.num_columns())
            .filter_map(|i| {
                let column = descr.column(i);
                let parts = column.path().parts();
                (parts.len() == 1).then(|| parts[0].clone())
            })
            .collect();
        for rg in meta.row_groups() {
            for c in rg.columns() {
                let parts = c.column_path().parts();
                if parts.len() != 1 {
                    continue;
                }
                let no_nulls = c
                    .statistics()
                    .and_then(|s| s.null_count_opt())
                    .is_some_and(|n| n == 0);
                if !no_nulls {
                    here.remove(&parts[0]);
                }
            }
        }
        result = Some(match result {
            None => here,
            Some(prev) => prev.intersection(&here).cloned().collect(),
        });
    }
    result.unwrap_or_default()
}

/// Builds the normalised relation over `provider`. `declared` gives KQL types from a schema
/// file (they override what the Arrow types say). String columns named in `non_null` are
/// known to hold no null (see [`non_null_columns`]) and skip the `coalesce(col, '')` that
/// keeps KQL strings non-null: it costs a pass over every value and hides the column from
/// Parquet pruning (row-group statistics, page index) when a filter is pushed into the
/// scan.
pub(crate) fn provider_rel(
    name: &str,
    provider: Arc<dyn TableProvider>,
    declared: Option<&TableSchema>,
    udfs: &HashMap<String, Arc<ScalarUDF>>,
    non_null: &HashSet<String>,
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
        let nullable = !non_null.contains(field.name().as_str());
        let e = normalise(col, field.data_type(), ty, udfs, nullable).map_err(|m| {
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
/// `nullable`: the column may hold nulls (strings then need `coalesce(col, '')`).
fn normalise(
    col: Expr,
    dt: &DataType,
    ty: KqlType,
    udfs: &HashMap<String, Arc<ScalarUDF>>,
    nullable: bool,
) -> Result<Expr, String> {
    let udf = |name: &str| {
        udfs.get(name)
            .cloned()
            .ok_or_else(|| format!("function {name} is not available"))
    };
    Ok(match ty {
        KqlType::String | KqlType::Guid => {
            let (s, may_be_null) = match dt {
                DataType::Utf8 => (col, nullable),
                DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..) => {
                    (cast(col, DataType::Utf8), nullable)
                }
                // kql_tostring of a null value is null.
                _ => (udf("kql_tostring")?.call(vec![col]), true),
            };
            if may_be_null {
                coalesce(vec![s, lit("")])
            } else {
                s
            }
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

#[cfg(test)]
mod tests {
    use super::non_null_columns;
    use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray};
    use datafusion::arrow::record_batch::RecordBatch;
    use datafusion::parquet::arrow::ArrowWriter;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn write(name: &str, cols: Vec<(&str, ArrayRef)>) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kql-engine-nonnull-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let p = dir.join(name);
        let batch = RecordBatch::try_from_iter(cols).expect("batch");
        let f = std::fs::File::create(&p).expect("create");
        let mut w = ArrowWriter::try_new(f, batch.schema(), None).expect("writer");
        w.write(&batch).expect("write");
        w.close().expect("close");
        p
    }

    #[test]
    fn null_free_columns_come_from_every_file() {
        let strs = |v: Vec<Option<&str>>| Arc::new(StringArray::from(v)) as ArrayRef;
        let a = write(
            "a.parquet",
            vec![
                ("full", strs(vec![Some("x"), Some("")])),
                ("holes", strs(vec![Some("x"), None])),
                ("later", strs(vec![Some("x"), Some("y")])),
                ("n", Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef),
            ],
        );
        let b = write(
            "b.parquet",
            vec![
                ("full", strs(vec![Some("z")])),
                ("holes", strs(vec![Some("z")])),
                ("later", strs(vec![None])),
            ],
        );
        let one = non_null_columns(std::slice::from_ref(&a));
        let mut got: Vec<&str> = one.iter().map(String::as_str).collect();
        got.sort();
        assert_eq!(got, ["full", "later", "n"]);
        // `later` has a null in b; `n` is missing from b (the scan fills it with nulls).
        let both = non_null_columns(&[a.clone(), b.clone()]);
        let mut got: Vec<&str> = both.iter().map(String::as_str).collect();
        got.sort();
        assert_eq!(got, ["full"]);
        // An unreadable file: nothing is known.
        assert!(non_null_columns(&[a, b, PathBuf::from("/nonexistent/x.parquet")]).is_empty());
    }
}

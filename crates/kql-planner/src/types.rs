//! KQL scalar types, their canonical Arrow representation, and the typing rules the binder
//! needs (numeric promotion, names used in union type-conflict columns).
//!
//! The planner, not Arrow, is the source of truth for a column's KQL type (see
//! `docs/design.md`): a `Utf8` column may be a `string`, a `guid` or a JSON-text `dynamic`.

use datafusion::arrow::datatypes::{DataType, Field, TimeUnit};
use kql_syntax::ast::TypeName;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Arrow field-metadata key holding the KQL type name of a column.
pub const KQL_TYPE_KEY: &str = "kql_type";

/// A KQL scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KqlType {
    /// `bool`
    Bool,
    /// `int` (32-bit)
    Int,
    /// `long` (64-bit)
    Long,
    /// `real` (f64)
    Real,
    /// `decimal`
    Decimal,
    /// `datetime`
    DateTime,
    /// `timespan`
    TimeSpan,
    /// `string` (never null)
    String,
    /// `guid`
    Guid,
    /// `dynamic`
    Dynamic,
}

impl KqlType {
    /// The KQL spelling (`long`, `datetime`, ...), as printed by `getschema` and used in
    /// union type-conflict column names (`x_long`).
    pub fn name(self) -> &'static str {
        match self {
            KqlType::Bool => "bool",
            KqlType::Int => "int",
            KqlType::Long => "long",
            KqlType::Real => "real",
            KqlType::Decimal => "decimal",
            KqlType::DateTime => "datetime",
            KqlType::TimeSpan => "timespan",
            KqlType::String => "string",
            KqlType::Guid => "guid",
            KqlType::Dynamic => "dynamic",
        }
    }

    /// Parses a KQL type name or a Sentinel schema type name (`String`, `DateTime`, `Int`,
    /// `Long`, `Double`, `Real`, `Boolean`, `Bool`, `Dynamic`, `Guid`, `TimeSpan`, any case).
    pub fn parse(name: &str) -> Option<KqlType> {
        let lower = name
            .trim()
            .trim_end_matches([',', ';'])
            .trim()
            .to_ascii_lowercase();
        Some(match lower.as_str() {
            "bool" | "boolean" => KqlType::Bool,
            // Spellings seen in Sentinel's schema files.
            "int" | "int32" | "integer" | "sbyte" | "byte" | "int16" | "short" => KqlType::Int,
            "long" | "int64" | "bigint" => KqlType::Long,
            "real" | "double" | "float" => KqlType::Real,
            "decimal" => KqlType::Decimal,
            "datetime" | "date" | "date/time" | "timestamp" => KqlType::DateTime,
            "timespan" | "time" => KqlType::TimeSpan,
            "string" => KqlType::String,
            "guid" | "uniqueid" => KqlType::Guid,
            "dynamic" | "object" => KqlType::Dynamic,
            _ => return None,
        })
    }

    /// The canonical Arrow type of this KQL type (dynamic: JSON text).
    pub fn arrow(self) -> DataType {
        match self {
            KqlType::Bool => DataType::Boolean,
            KqlType::Int => DataType::Int32,
            KqlType::Long => DataType::Int64,
            KqlType::Real => DataType::Float64,
            KqlType::Decimal => DataType::Decimal128(38, 18),
            KqlType::DateTime => timestamp_type(),
            KqlType::TimeSpan => DataType::Duration(TimeUnit::Nanosecond),
            KqlType::String | KqlType::Guid | KqlType::Dynamic => DataType::Utf8,
        }
    }

    /// The KQL type Arrow data of type `dt` has when nothing else is known.
    pub fn from_arrow(dt: &DataType) -> KqlType {
        match dt {
            DataType::Boolean => KqlType::Bool,
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::UInt8
            | DataType::UInt16 => KqlType::Int,
            DataType::Int64 | DataType::UInt32 | DataType::UInt64 => KqlType::Long,
            DataType::Float16 | DataType::Float32 | DataType::Float64 => KqlType::Real,
            DataType::Decimal32(..)
            | DataType::Decimal64(..)
            | DataType::Decimal128(..)
            | DataType::Decimal256(..) => KqlType::Decimal,
            DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 => KqlType::DateTime,
            DataType::Duration(_)
            | DataType::Interval(_)
            | DataType::Time32(_)
            | DataType::Time64(_) => KqlType::TimeSpan,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => KqlType::String,
            DataType::Dictionary(_, v) => KqlType::from_arrow(v),
            _ => KqlType::Dynamic,
        }
    }

    /// The KQL type recorded in field metadata, else derived from the Arrow type.
    pub fn from_field(field: &Field) -> KqlType {
        field
            .metadata()
            .get(KQL_TYPE_KEY)
            .and_then(|t| KqlType::parse(t))
            .unwrap_or_else(|| KqlType::from_arrow(field.data_type()))
    }

    /// True for `int`, `long`, `real`, `decimal`.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            KqlType::Int | KqlType::Long | KqlType::Real | KqlType::Decimal
        )
    }

    /// True for `int` and `long`.
    pub fn is_integer(self) -> bool {
        matches!(self, KqlType::Int | KqlType::Long)
    }

    /// True for types whose values are text (`string`, `guid`).
    pub fn is_stringlike(self) -> bool {
        matches!(self, KqlType::String | KqlType::Guid)
    }
}

impl fmt::Display for KqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<TypeName> for KqlType {
    fn from(t: TypeName) -> Self {
        match t {
            TypeName::Bool => KqlType::Bool,
            TypeName::Int => KqlType::Int,
            TypeName::Long => KqlType::Long,
            TypeName::Real => KqlType::Real,
            TypeName::Decimal => KqlType::Decimal,
            TypeName::DateTime => KqlType::DateTime,
            TypeName::TimeSpan => KqlType::TimeSpan,
            TypeName::String => KqlType::String,
            TypeName::Guid => KqlType::Guid,
            TypeName::Dynamic => KqlType::Dynamic,
        }
    }
}

/// `Timestamp(Nanosecond, "UTC")`, the Arrow type of KQL `datetime`.
pub fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some(Arc::from("UTC")))
}

/// The result type of arithmetic between two numeric KQL types: `int op int` is `long`,
/// anything with `real` is `real` (kql-semantics §1.4).
pub fn numeric_result(a: KqlType, b: KqlType) -> KqlType {
    use KqlType::*;
    match (a, b) {
        (Real, _) | (_, Real) => Real,
        (Decimal, _) | (_, Decimal) => Decimal,
        _ => Long,
    }
}

/// The common type of two values compared with `==`, `<`, `in`, ...: numeric types
/// promote, identical types stay, otherwise `None` (a type error).
pub fn comparable(a: KqlType, b: KqlType) -> Option<KqlType> {
    use KqlType::*;
    if a == b {
        return Some(a);
    }
    match (a, b) {
        (x, y) if x.is_numeric() && y.is_numeric() => Some(numeric_result(x, y).max_int_long(x, y)),
        (String, Guid) | (Guid, String) => Some(String),
        (Dynamic, _) | (_, Dynamic) => Some(Dynamic),
        _ => None,
    }
}

impl KqlType {
    /// For comparisons `int` vs `long` promote to `long`, not the arithmetic rule.
    fn max_int_long(self, a: KqlType, b: KqlType) -> KqlType {
        if a.is_integer() && b.is_integer() {
            KqlType::Long
        } else {
            self
        }
    }
}

/// Field metadata carrying the KQL type name.
pub fn type_metadata(t: KqlType) -> HashMap<String, String> {
    HashMap::from([(KQL_TYPE_KEY.to_string(), t.name().to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sentinel_type_names_in_any_case() {
        assert_eq!(KqlType::parse("DateTime"), Some(KqlType::DateTime));
        assert_eq!(KqlType::parse("Double"), Some(KqlType::Real));
        assert_eq!(KqlType::parse("boolean"), Some(KqlType::Bool));
        assert_eq!(KqlType::parse("GUID"), Some(KqlType::Guid));
        assert_eq!(KqlType::parse("TimeSpan"), Some(KqlType::TimeSpan));
        assert_eq!(KqlType::parse("nonsense"), None);
    }

    #[test]
    fn int_arithmetic_promotes_to_long() {
        assert_eq!(numeric_result(KqlType::Int, KqlType::Int), KqlType::Long);
        assert_eq!(numeric_result(KqlType::Int, KqlType::Real), KqlType::Real);
        assert_eq!(comparable(KqlType::Int, KqlType::Long), Some(KqlType::Long));
        assert_eq!(comparable(KqlType::String, KqlType::Long), None);
    }
}

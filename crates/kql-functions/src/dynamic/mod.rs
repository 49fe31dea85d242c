//! KQL dynamic functions over the JSON-text and typed-list forms of `dynamic` (design.md).
//!
//! Argument conventions:
//! * a **dynamic position** accepts JSON text (`Utf8`; an Arrow null is the dynamic null),
//!   `List<T>`, or a typed scalar. `Utf8` there is always JSON text: a KQL string must be
//!   wrapped in `kql_to_json` first (the lenient parser would otherwise read `"123"` as a
//!   number);
//! * a **scalar position** (keys, indices, the value of `set_has_element`) takes KQL
//!   scalars: `Utf8` is a string.
//!
//! A *typed-scalar* dynamic of physical type `Utf8` (an element unnested from `List<Utf8>`,
//! e.g. after `mv-expand` of `split(...)`) is **not** JSON text: for conversions treat it
//! as a string (`kql_toint`, no `tostring` call needed), and wrap it in `kql_to_json` before
//! passing it to a dynamic position. The planner must track which of the two `Utf8` forms
//! a dynamic column has.
//!
//! Plain-Rust API: [`json::value_to_json`], [`json::json_to_display`] (what `tostring` and
//! result output show for a dynamic cell), [`json::parse_json_lenient`].

use datafusion::logical_expr::ScalarUDF;
use std::sync::Arc;

pub mod access;
pub mod arrays;
pub mod build;
pub mod convert;
pub mod json;
pub(crate) mod value;

pub use crate::convert::FunctionDoc;
pub use access::*;
pub use arrays::*;
pub use build::*;
pub use convert::*;
pub use json::{json_to_display, value_to_json};

/// The scalar UDFs of this module.
pub fn scalar_udfs() -> Vec<Arc<ScalarUDF>> {
    vec![
        kql_to_json(),
        kql_parse_json(),
        kql_dynamic_to(),
        kql_gettype(),
        kql_isempty_dynamic(),
        kql_json_to_list_f64(),
        kql_json_to_list_i64(),
        kql_json_to_list_str(),
        kql_json_to_list_bool(),
        kql_json_to_list_ts(),
        kql_json_to_list_dur(),
        kql_dyn_get(),
        kql_array_length(),
        kql_bag_keys(),
        kql_bag_has_key(),
        kql_mv_expand_prepare(),
        kql_extract_json(),
        kql_pack_array(),
        kql_bag_pack(),
        kql_bag_merge(),
        kql_bag_remove_keys(),
        kql_bag_set_key(),
        kql_zip(),
        kql_array_concat(),
        kql_array_slice(),
        kql_array_reverse(),
        kql_array_sort_asc(),
        kql_array_sort_desc(),
        kql_array_index_of(),
        kql_set_has_element(),
        kql_array_sum(),
        kql_array_iff(),
        kql_set_union(),
        kql_set_intersect(),
        kql_set_difference(),
    ]
}

const DYN: &str = "dynamic: Utf8 JSON text | List<T> | typed scalar";
const TYPED_OR_JSON: &str = "List<T> when every array argument is List<T> of one T (bool/int/long/real/string/datetime/timespan), else Utf8 JSON text";

/// Every dynamic function of this module.
pub const FUNCTIONS: &[FunctionDoc] = &[
    FunctionDoc {
        kql: "(to dynamic)",
        udf: "kql_to_json",
        args: "any physical type (Utf8 = KQL string)",
        returns: "Utf8 JSON text",
        notes: "use to put a string/typed value into a dynamic position; design.md's to_json",
    },
    FunctionDoc {
        kql: "parse_json/todynamic/parsejson/toobject",
        udf: "kql_parse_json",
        args: "Utf8 | List<T>",
        returns: "Utf8 JSON text",
        notes: "invalid JSON → JSON string; \"\" → null; idempotent on JSON text (the planner may skip it for dynamic input)",
    },
    FunctionDoc {
        kql: "toint/tolong/todouble/tobool/todatetime/totimespan/tostring/toguid/todecimal (dynamic arg); mv-expand to typeof(T)",
        udf: "kql_dynamic_to",
        args: "(dynamic, Utf8 literal type name[, Utf8 literal 'convert'|'cast'])",
        returns: "the named type's canonical physical type",
        notes: "type name must be a literal ('int','long','real','bool','datetime','timespan','string','guid','decimal'); 'cast' for mv-expand to typeof",
    },
    FunctionDoc {
        kql: "gettype",
        udf: "kql_gettype",
        args: DYN,
        returns: "Utf8",
        notes: "for statically typed non-dynamic expressions the planner can fold the name (string, guid...); JSON strings holding datetimes report 'string'",
    },
    FunctionDoc {
        kql: "isempty/isnotempty (dynamic arg)",
        udf: "kql_isempty_dynamic",
        args: DYN,
        returns: "Boolean",
        notes: "isnotempty = NOT; [] and {} are not empty",
    },
    FunctionDoc {
        kql: "(internal)",
        udf: "kql_json_to_list_f64",
        args: DYN,
        returns: "List<Float64>",
        notes: "dynamic literal → typed series input; non-array → null",
    },
    FunctionDoc {
        kql: "(internal)",
        udf: "kql_json_to_list_i64",
        args: DYN,
        returns: "List<Int64>",
        notes: "",
    },
    FunctionDoc {
        kql: "(internal)",
        udf: "kql_json_to_list_str",
        args: DYN,
        returns: "List<Utf8>",
        notes: "elements via tostring; JSON null stays null",
    },
    FunctionDoc {
        kql: "(internal)",
        udf: "kql_json_to_list_bool",
        args: DYN,
        returns: "List<Boolean>",
        notes: "",
    },
    FunctionDoc {
        kql: "(internal)",
        udf: "kql_json_to_list_ts",
        args: DYN,
        returns: "List<Timestamp(ns, UTC)>",
        notes: "",
    },
    FunctionDoc {
        kql: "(internal)",
        udf: "kql_json_to_list_dur",
        args: DYN,
        returns: "List<Duration(ns)>",
        notes: "",
    },
    FunctionDoc {
        kql: "d.key, d[\"key\"], d[i], d[-1]",
        udf: "kql_dyn_get",
        args: "(dynamic, Utf8 key | integer index)",
        returns: "Utf8 JSON text for JSON input; T for List<T> input",
        notes: "chain for paths; missing → null",
    },
    FunctionDoc {
        kql: "array_length",
        udf: "kql_array_length",
        args: DYN,
        returns: "Int64",
        notes: "non-array → null",
    },
    FunctionDoc {
        kql: "bag_keys",
        udf: "kql_bag_keys",
        args: DYN,
        returns: "List<Utf8>",
        notes: "non-bag → null",
    },
    FunctionDoc {
        kql: "bag_has_key",
        udf: "kql_bag_has_key",
        args: "(dynamic, Utf8 key or JSONPath)",
        returns: "Boolean",
        notes: "non-bag → null",
    },
    FunctionDoc {
        kql: "mv-expand (JSON-text column)",
        udf: "kql_mv_expand_prepare",
        args: "(dynamic[, Utf8 'bag'|'array'])",
        returns: "List<Utf8> of element JSON texts",
        notes: "then unnest (zip several columns, pad with null); List<T> columns unnest directly; kind default 'bag'",
    },
    FunctionDoc {
        kql: "extract_json/extractjson",
        udf: "kql_extract_json",
        args: "(Utf8 JSONPath, Utf8 JSON string)",
        returns: "Utf8",
        notes: "with typeof(T) apply the to<T> conversion; pass the path as a literal",
    },
    FunctionDoc {
        kql: "pack_array",
        udf: "kql_pack_array",
        args: "(dynamic, ...)",
        returns: "Utf8 JSON text",
        notes: "wrap KQL strings in kql_to_json; same-typed scalars may use make_array (List<T>) instead",
    },
    FunctionDoc {
        kql: "bag_pack/pack",
        udf: "kql_bag_pack",
        args: "(Utf8 key, dynamic value, ...)",
        returns: "Utf8 JSON text",
        notes: "wrap KQL string values in kql_to_json; pack_all is planner work (build kql_bag_pack over the row's columns)",
    },
    FunctionDoc {
        kql: "bag_merge",
        udf: "kql_bag_merge",
        args: "(dynamic, dynamic, ...)",
        returns: "Utf8 JSON text",
        notes: "first value of a duplicated key wins",
    },
    FunctionDoc {
        kql: "bag_remove_keys",
        udf: "kql_bag_remove_keys",
        args: "(dynamic bag, List<Utf8> | JSON array of keys/JSONPaths)",
        returns: "Utf8 JSON text",
        notes: "",
    },
    FunctionDoc {
        kql: "bag_set_key",
        udf: "kql_bag_set_key",
        args: "(dynamic bag, Utf8 key/JSONPath, dynamic value)",
        returns: "Utf8 JSON text",
        notes: "",
    },
    FunctionDoc {
        kql: "zip",
        udf: "kql_zip",
        args: "(dynamic array, dynamic array, ...)",
        returns: "Utf8 JSON text",
        notes: "",
    },
    FunctionDoc {
        kql: "array_concat",
        udf: "kql_array_concat",
        args: "(dynamic array, ...)",
        returns: TYPED_OR_JSON,
        notes: "",
    },
    FunctionDoc {
        kql: "array_slice",
        udf: "kql_array_slice",
        args: "(dynamic array, Int64, Int64)",
        returns: TYPED_OR_JSON,
        notes: "",
    },
    FunctionDoc {
        kql: "array_reverse",
        udf: "kql_array_reverse",
        args: "(dynamic array)",
        returns: TYPED_OR_JSON,
        notes: "",
    },
    FunctionDoc {
        kql: "array_sort_asc",
        udf: "kql_array_sort_asc",
        args: "(dynamic array[, Boolean nulls_last])",
        returns: TYPED_OR_JSON,
        notes: "single-array form only",
    },
    FunctionDoc {
        kql: "array_sort_desc",
        udf: "kql_array_sort_desc",
        args: "(dynamic array[, Boolean nulls_last])",
        returns: TYPED_OR_JSON,
        notes: "single-array form only",
    },
    FunctionDoc {
        kql: "array_index_of",
        udf: "kql_array_index_of",
        args: "(dynamic array, scalar value[, Int64[, Int64[, Int64]]])",
        returns: "Int64",
        notes: "value is a KQL scalar (Utf8 = string)",
    },
    FunctionDoc {
        kql: "set_has_element",
        udf: "kql_set_has_element",
        args: "(dynamic array, scalar value)",
        returns: "Boolean",
        notes: "value is a KQL scalar (Utf8 = string)",
    },
    FunctionDoc {
        kql: "array_sum",
        udf: "kql_array_sum",
        args: "(dynamic array)",
        returns: "Float64",
        notes: "",
    },
    FunctionDoc {
        kql: "array_iff/array_iif",
        udf: "kql_array_iff",
        args: "(dynamic array, dynamic, dynamic)",
        returns: "Utf8 JSON text",
        notes: "wrap KQL string branches in kql_to_json",
    },
    FunctionDoc {
        kql: "set_union",
        udf: "kql_set_union",
        args: "(dynamic array, dynamic array, ...)",
        returns: TYPED_OR_JSON,
        notes: "",
    },
    FunctionDoc {
        kql: "set_intersect",
        udf: "kql_set_intersect",
        args: "(dynamic array, dynamic array, ...)",
        returns: TYPED_OR_JSON,
        notes: "",
    },
    FunctionDoc {
        kql: "set_difference",
        udf: "kql_set_difference",
        args: "(dynamic array, dynamic array, ...)",
        returns: TYPED_OR_JSON,
        notes: "",
    },
];

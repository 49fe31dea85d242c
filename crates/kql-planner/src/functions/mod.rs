//! The KQL function registry: KQL name → how to lower a call.
//!
//! Three kinds of entries, in the manner of Sail's table-driven registry:
//! * [`SIMPLE`]: a row per function that maps 1:1 onto a `kql_*` UDF, with a compact
//!   argument spec (how each argument is converted) and the KQL result type;
//! * `special`: functions whose lowering needs custom code (`iff`, `case`, `toscalar`,
//!   `strcat`, `bin`, `column_ifexists`, conversions, ...);
//! * aggregates (valid only in `summarize`/`make-series`), and [`known::UNSUPPORTED`]: known
//!   KQL names that give "not supported yet" instead of "unknown function".

pub(crate) mod aggregate;
mod known;
mod series;
mod special;
mod window;

use crate::error::{self, PResult, err};
use crate::expr::{ExprCtx, Typed};
use crate::planner::Planner;
use crate::types::KqlType;
use kql_syntax::ast::{self, Arg, Span};

/// A call being lowered.
pub(crate) struct CallSite<'a> {
    /// The function name as written.
    pub name: &'a str,
    /// Span of the name.
    pub name_span: &'a Span,
    /// The arguments.
    pub args: &'a [Arg],
    /// Span of the whole call.
    pub span: &'a Span,
}

/// Lowers a call to a scalar function.
pub(crate) type Builder = fn(&Planner, &ExprCtx, &CallSite) -> PResult<Typed>;

/// What a function name is.
pub(crate) enum FnDef {
    /// A scalar function with its lowering.
    Scalar(Builder),
    /// An aggregation function (only valid in aggregation contexts).
    Aggregate,
    /// A known KQL function that is not supported yet.
    Unsupported,
}

/// Looks up a KQL function name.
pub(crate) fn lookup(name: &str) -> Option<FnDef> {
    if name.starts_with("series_") && KQL_UDF_NAMES.contains(&format!("kql_{name}")) {
        return Some(FnDef::Scalar(series::lower_series));
    }
    if let Some(b) = special::lookup(name) {
        return Some(FnDef::Scalar(b));
    }
    if let Some(b) = window::lookup(name) {
        return Some(FnDef::Scalar(b));
    }
    if simple(name).is_some() {
        return Some(FnDef::Scalar(lower_simple));
    }
    if aggregate::is_aggregate(name) {
        return Some(FnDef::Aggregate);
    }
    if known::UNSUPPORTED.contains(&name) {
        return Some(FnDef::Unsupported);
    }
    None
}

/// Names of every scalar UDF of kql-functions (computed once).
static KQL_UDF_NAMES: std::sync::LazyLock<std::collections::HashSet<String>> =
    std::sync::LazyLock::new(|| {
        kql_functions::scalar_udfs()
            .iter()
            .map(|u| u.name().to_string())
            .collect()
    });

/// Every function name the registry knows (for suggestions).
pub(crate) fn known_names() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = SIMPLE.iter().map(|s| s.kql).collect();
    v.extend(special::NAMES);
    v.extend(window::NAMES);
    v.extend(aggregate::NAMES);
    v.extend(known::UNSUPPORTED);
    v
}

/// Every supported function name (for completion).
pub(crate) fn supported_names() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = SIMPLE.iter().map(|s| s.kql).collect();
    v.extend(special::NAMES);
    v.extend(window::NAMES);
    v.extend(aggregate::NAMES);
    v.extend(
        KQL_UDF_NAMES
            .iter()
            .filter_map(|n| n.strip_prefix("kql_"))
            .filter(|n| n.starts_with("series_")),
    );
    v
}

/// The result type of a simple function.
#[derive(Clone, Copy)]
pub(crate) enum Ret {
    /// A fixed KQL type.
    T(KqlType),
    /// The KQL type of argument `i` (after conversion).
    Arg(usize),
}

/// A function that maps 1:1 onto a UDF.
pub(crate) struct Simple {
    /// KQL name.
    pub kql: &'static str,
    /// UDF name.
    pub udf: &'static str,
    /// Argument spec, one character per argument: `s` string, `l` long, `i` int, `r` real,
    /// `n` number (any numeric, unchanged), `d` datetime, `t` timespan, `b` bool, `y` dynamic
    /// in any physical form, `j` dynamic as JSON text, `a` any value unchanged. `?` makes the
    /// following arguments optional; a trailing `*` repeats the previous spec.
    pub args: &'static str,
    /// Result type.
    pub ret: Ret,
}

use KqlType as K;
use Ret::T;

macro_rules! simple {
    ($($kql:literal => $udf:literal ($args:literal) -> $ret:expr;)*) => {
        /// The table of simple functions.
        pub(crate) static SIMPLE: &[Simple] = &[$(Simple { kql: $kql, udf: $udf, args: $args, ret: $ret }),*];
    };
}

simple! {
    // strings
    "strlen" => "kql_strlen" ("s") -> T(K::Long);
    "string_size" => "kql_string_size" ("s") -> T(K::Long);
    "substring" => "kql_substring" ("sl?l") -> T(K::String);
    "tolower" => "kql_tolower" ("s") -> T(K::String);
    "toupper" => "kql_toupper" ("s") -> T(K::String);
    "trim" => "kql_trim" ("ss") -> T(K::String);
    "trim_start" => "kql_trim_start" ("ss") -> T(K::String);
    "trim_end" => "kql_trim_end" ("ss") -> T(K::String);
    "replace_string" => "kql_replace_string" ("sss") -> T(K::String);
    "replace_regex" => "kql_replace_regex" ("sss") -> T(K::String);
    "replace" => "kql_replace" ("sss") -> T(K::String);
    "indexof" => "kql_indexof" ("ss?lll") -> T(K::Long);
    "countof" => "kql_countof" ("ss?s") -> T(K::Long);
    "reverse" => "kql_reverse" ("s") -> T(K::String);
    "strrep" => "kql_strrep" ("sl?s") -> T(K::String);
    "strcmp" => "kql_strcmp" ("ss") -> T(K::Long);
    "split" => "kql_split" ("ss?l") -> T(K::Dynamic);
    "extract_all" => "kql_extract_all" ("s?aa") -> T(K::Dynamic);
    "extractall" => "kql_extract_all" ("s?aa") -> T(K::Dynamic);
    "url_encode" => "kql_url_encode" ("s") -> T(K::String);
    "url_decode" => "kql_url_decode" ("s") -> T(K::String);
    "base64_encode_tostring" => "kql_base64_encode_tostring" ("s") -> T(K::String);
    "base64_decode_tostring" => "kql_base64_decode_tostring" ("s") -> T(K::String);
    "base64_encodestring" => "kql_base64_encode_tostring" ("s") -> T(K::String);
    "base64_decodestring" => "kql_base64_decode_tostring" ("s") -> T(K::String);
    "hash_sha256" => "kql_hash_sha256" ("s") -> T(K::String);
    "hash_sha1" => "kql_hash_sha1" ("s") -> T(K::String);
    "hash_md5" => "kql_hash_md5" ("s") -> T(K::String);
    "parse_url" => "kql_parse_url" ("s") -> T(K::Dynamic);
    "parseurl" => "kql_parse_url" ("s") -> T(K::Dynamic);
    "parse_urlquery" => "kql_parse_urlquery" ("s") -> T(K::Dynamic);
    "parse_path" => "kql_parse_path" ("s") -> T(K::Dynamic);
    "parse_command_line" => "kql_parse_command_line" ("ss") -> T(K::Dynamic);
    "translate" => "kql_translate" ("sss") -> T(K::String);
    "tohex" => "kql_tohex" ("n?l") -> T(K::String);
    "format_bytes" => "kql_format_bytes" ("r?ls") -> T(K::String);
    // dynamic
    "array_length" => "kql_array_length" ("y") -> T(K::Long);
    "bag_keys" => "kql_bag_keys" ("y") -> T(K::Dynamic);
    "bag_merge" => "kql_bag_merge" ("yy*") -> T(K::Dynamic);
    "bag_remove_keys" => "kql_bag_remove_keys" ("yy") -> T(K::Dynamic);
    "bag_has_key" => "kql_bag_has_key" ("ys") -> T(K::Bool);
    "set_union" => "kql_set_union" ("yy*") -> T(K::Dynamic);
    "set_intersect" => "kql_set_intersect" ("yy*") -> T(K::Dynamic);
    "set_difference" => "kql_set_difference" ("yy*") -> T(K::Dynamic);
    "set_has_element" => "kql_set_has_element" ("ya") -> T(K::Bool);
    "array_concat" => "kql_array_concat" ("yy*") -> T(K::Dynamic);
    "array_slice" => "kql_array_slice" ("yll") -> T(K::Dynamic);
    "array_index_of" => "kql_array_index_of" ("ya?lll") -> T(K::Long);
    "array_reverse" => "kql_array_reverse" ("y") -> T(K::Dynamic);
    "array_sort_asc" => "kql_array_sort_asc" ("y?b") -> T(K::Dynamic);
    "array_sort_desc" => "kql_array_sort_desc" ("y?b") -> T(K::Dynamic);
    "array_sum" => "kql_array_sum" ("y") -> T(K::Real);
    "zip" => "kql_zip" ("yy*") -> T(K::Dynamic);
    "strcat_array" => "kql_strcat_array" ("ys") -> T(K::String);
    "regex_quote" => "kql_regex_quote" ("s") -> T(K::String);
    "extract_json" => "kql_extract_json" ("ss") -> T(K::String);
    "extractjson" => "kql_extract_json" ("ss") -> T(K::String);
    "bag_set_key" => "kql_bag_set_key" ("ysy") -> T(K::Dynamic);
    "array_iff" => "kql_array_iff" ("yyy") -> T(K::Dynamic);
    "array_iif" => "kql_array_iff" ("yyy") -> T(K::Dynamic);
    "url_encode_component" => "kql_url_encode_component" ("s") -> T(K::String);
    // datetime
    "datetime_add" => "kql_datetime_add" ("sld") -> T(K::DateTime);
    "datetime_diff" => "kql_datetime_diff" ("sdd") -> T(K::Long);
    "datetime_part" => "kql_datetime_part" ("sd") -> T(K::Int);
    "startofday" => "kql_startofday" ("d?l") -> T(K::DateTime);
    "startofweek" => "kql_startofweek" ("d?l") -> T(K::DateTime);
    "startofmonth" => "kql_startofmonth" ("d?l") -> T(K::DateTime);
    "startofyear" => "kql_startofyear" ("d?l") -> T(K::DateTime);
    "endofday" => "kql_endofday" ("d?l") -> T(K::DateTime);
    "endofweek" => "kql_endofweek" ("d?l") -> T(K::DateTime);
    "endofmonth" => "kql_endofmonth" ("d?l") -> T(K::DateTime);
    "endofyear" => "kql_endofyear" ("d?l") -> T(K::DateTime);
    "dayofweek" => "kql_dayofweek" ("d") -> T(K::TimeSpan);
    "dayofmonth" => "kql_dayofmonth" ("d") -> T(K::Int);
    "dayofyear" => "kql_dayofyear" ("d") -> T(K::Int);
    "weekofyear" => "kql_week_of_year" ("d") -> T(K::Int);
    "week_of_year" => "kql_week_of_year" ("d") -> T(K::Int);
    "monthofyear" => "kql_monthofyear" ("d") -> T(K::Int);
    "getmonth" => "kql_monthofyear" ("d") -> T(K::Int);
    "getyear" => "kql_getyear" ("d") -> T(K::Int);
    "hourofday" => "kql_hourofday" ("d") -> T(K::Int);
    "format_datetime" => "kql_format_datetime" ("ds") -> T(K::String);
    "format_timespan" => "kql_format_timespan" ("ts") -> T(K::String);
    "make_datetime" => "kql_make_datetime" ("nn?nnnn") -> T(K::DateTime);
    "make_timespan" => "kql_make_timespan" ("nn?nn") -> T(K::TimeSpan);
    "unixtime_seconds_todatetime" => "kql_unixtime_seconds_todatetime" ("n") -> T(K::DateTime);
    "unixtime_milliseconds_todatetime" => "kql_unixtime_milliseconds_todatetime" ("n") -> T(K::DateTime);
    "unixtime_microseconds_todatetime" => "kql_unixtime_microseconds_todatetime" ("n") -> T(K::DateTime);
    "unixtime_nanoseconds_todatetime" => "kql_unixtime_nanoseconds_todatetime" ("n") -> T(K::DateTime);
    // ip
    "ipv4_is_private" => "kql_ipv4_is_private" ("s") -> T(K::Bool);
    "ipv4_is_in_range" => "kql_ipv4_is_in_range" ("ss") -> T(K::Bool);
    "ipv4_is_in_any_range" => "kql_ipv4_is_in_any_range" ("sy*") -> T(K::Bool);
    "ipv4_is_match" => "kql_ipv4_is_match" ("ss?l") -> T(K::Bool);
    "ipv4_compare" => "kql_ipv4_compare" ("ss?l") -> T(K::Long);
    "parse_ipv4" => "kql_parse_ipv4" ("s") -> T(K::Long);
    "parse_ipv4_mask" => "kql_parse_ipv4_mask" ("sl") -> T(K::Long);
    "format_ipv4" => "kql_format_ipv4" ("a?l") -> T(K::String);
    "format_ipv4_mask" => "kql_format_ipv4_mask" ("a?l") -> T(K::String);
    "ipv4_netmask_suffix" => "kql_ipv4_netmask_suffix" ("s") -> T(K::Int);
    "has_ipv4" => "kql_has_ipv4" ("ss") -> T(K::Bool);
    "has_ipv4_prefix" => "kql_has_ipv4_prefix" ("ss") -> T(K::Bool);
    "has_any_ipv4" => "kql_has_any_ipv4" ("sy*") -> T(K::Bool);
    "has_any_ipv4_prefix" => "kql_has_any_ipv4_prefix" ("sy*") -> T(K::Bool);
    "ipv6_compare" => "kql_ipv6_compare" ("ss?l") -> T(K::Long);
    "ipv6_is_match" => "kql_ipv6_is_match" ("ss?l") -> T(K::Bool);
    "parse_ipv6" => "kql_parse_ipv6" ("s") -> T(K::String);
    "parse_ipv6_mask" => "kql_parse_ipv6_mask" ("sl") -> T(K::String);
    "ipv6_is_in_range" => "kql_ipv6_is_in_range" ("ss") -> T(K::Bool);
    "ipv6_is_in_any_range" => "kql_ipv6_is_in_any_range" ("sy*") -> T(K::Bool);
    // math
    "round" => "kql_round" ("n?l") -> Ret::Arg(0);
    "abs" => "abs" ("n") -> Ret::Arg(0);
    "sign" => "kql_sign" ("n") -> Ret::Arg(0);
    "sqrt" => "kql_sqrt" ("r") -> T(K::Real);
    "exp" => "exp" ("r") -> T(K::Real);
    "exp2" => "kql_exp2" ("r") -> T(K::Real);
    "exp10" => "kql_exp10" ("r") -> T(K::Real);
    "log" => "kql_log" ("r") -> T(K::Real);
    "log2" => "kql_log2" ("r") -> T(K::Real);
    "log10" => "kql_log10" ("r") -> T(K::Real);
    "pow" => "kql_pow" ("rr") -> T(K::Real);
    "isnan" => "kql_isnan" ("r") -> T(K::Bool);
    "isinf" => "kql_isinf" ("r") -> T(K::Bool);
    "isfinite" => "kql_isfinite" ("r") -> T(K::Bool);
    "ceiling" => "ceil" ("n") -> Ret::Arg(0);
    "pi" => "pi" ("") -> T(K::Real);
    "cos" => "cos" ("r") -> T(K::Real);
    "sin" => "sin" ("r") -> T(K::Real);
    "tan" => "tan" ("r") -> T(K::Real);
    "acos" => "acos" ("r") -> T(K::Real);
    "asin" => "asin" ("r") -> T(K::Real);
    "atan" => "atan" ("r") -> T(K::Real);
    "atan2" => "atan2" ("rr") -> T(K::Real);
    "degrees" => "degrees" ("r") -> T(K::Real);
    "radians" => "radians" ("r") -> T(K::Real);
    "bin_at" => "kql_bin_at" ("aaa") -> Ret::Arg(0);
}

/// The simple-function row for `name`.
pub(crate) fn simple(name: &str) -> Option<&'static Simple> {
    SIMPLE.iter().find(|s| s.kql == name)
}

/// Lowers a call to a simple function by its table row.
fn lower_simple(p: &Planner, ctx: &ExprCtx, site: &CallSite) -> PResult<Typed> {
    let Some(s) = simple(site.name) else {
        return Err(err(
            error::INTERNAL,
            format!(
                "internal planner error: `{}` is not a simple function",
                site.name
            ),
            site.span,
        ));
    };
    let args = p.lower_args_by_spec(ctx, site, s.args)?;
    let ret = match s.ret {
        Ret::T(t) => t,
        Ret::Arg(i) => args.get(i).map_or(KqlType::Dynamic, |a| a.ty),
    };
    let udf = p.udf(s.udf, site.name_span)?;
    Ok(Typed::new(
        udf.call(args.into_iter().map(|a| a.expr).collect()),
        ret,
    ))
}

/// Expands an argument spec (see [`Simple::args`]) into (min, max, spec per position).
fn spec_for(spec: &str, n: usize) -> (usize, usize, Vec<char>) {
    let mut min = 0;
    let mut optional = false;
    let mut chars = Vec::new();
    let mut repeat = false;
    for c in spec.chars() {
        match c {
            '?' => optional = true,
            '*' => repeat = true,
            c => {
                chars.push(c);
                if !optional {
                    min += 1;
                }
            }
        }
    }
    let max = if repeat { usize::MAX } else { chars.len() };
    let mut per = Vec::with_capacity(n);
    for i in 0..n {
        per.push(*chars.get(i).or(chars.last()).unwrap_or(&'a'));
    }
    (min, max, per)
}

impl<'c> Planner<'c> {
    /// Lowers call arguments according to an argument spec (see [`Simple::args`]),
    /// checking the count. Named arguments are not allowed for built-in functions.
    pub(crate) fn lower_args_by_spec(
        &self,
        ctx: &ExprCtx,
        site: &CallSite,
        spec: &str,
    ) -> PResult<Vec<Typed>> {
        let (min, max, per) = spec_for(spec, site.args.len());
        arity(site, min, max)?;
        let vctx = ctx.value();
        site.args
            .iter()
            .zip(per)
            .map(|(a, c)| {
                // `f(Name = expr)`: a named expression (it names the result column, see
                // naming.rs); the value is the argument.
                let t = self.lower_expr(&vctx, &a.value)?;
                self.apply_arg_spec(&vctx, t, c, site.name, &a.value.span)
            })
            .collect()
    }

    /// Converts one argument according to its spec character.
    pub(crate) fn apply_arg_spec(
        &self,
        ctx: &ExprCtx,
        t: Typed,
        c: char,
        fname: &str,
        span: &Span,
    ) -> PResult<Typed> {
        let want = |k: KqlType| -> PResult<Typed> {
            if t.ty == k {
                return Ok(t.clone());
            }
            if t.ty.is_numeric() && k.is_numeric() {
                return Ok(self.promote(t.clone(), k));
            }
            if let Some(v) = self.const_eval(&t.expr)
                && v.is_null()
            {
                return Ok(Typed::null(k));
            }
            if t.ty == KqlType::Dynamic || (k == KqlType::String) {
                return self.convert(ctx, t.clone(), k, span);
            }
            Err(err(
                error::TYPE_MISMATCH,
                format!(
                    "function `{fname}` expects a {k} argument here, but this is a {}",
                    t.ty
                ),
                span,
            ))
        };
        match c {
            's' => self.stringish(ctx, t, span),
            'l' => want(KqlType::Long),
            'i' => want(KqlType::Int),
            'r' => want(KqlType::Real),
            'd' => want(KqlType::DateTime),
            't' => want(KqlType::TimeSpan),
            'b' => want(KqlType::Bool),
            'n' => {
                if t.ty.is_numeric() {
                    Ok(t)
                } else {
                    want(KqlType::Real)
                }
            }
            'y' => {
                if t.ty == KqlType::Dynamic {
                    Ok(t)
                } else {
                    self.to_dynamic(ctx, t, span)
                }
            }
            'j' => {
                let t = if t.ty == KqlType::Dynamic {
                    t
                } else {
                    self.to_dynamic(ctx, t, span)?
                };
                self.dyn_json(ctx, t, span)
            }
            _ => Ok(t),
        }
    }
}

/// The argument expressions of a built-in function call. `f(Name = expr)` is a named
/// expression (Kusto names the result column after it); its value is the argument.
pub(crate) fn positional<'a>(site: &'a CallSite) -> PResult<Vec<&'a ast::Expr>> {
    Ok(site.args.iter().map(|a| &a.value).collect())
}

/// Checks the argument count of a call.
pub(crate) fn arity(site: &CallSite, min: usize, max: usize) -> PResult<()> {
    let n = site.args.len();
    if n < min || n > max {
        let expected = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return Err(err(
            error::BAD_ARGUMENTS,
            format!(
                "function `{}` takes {expected} argument(s), but {n} were given",
                site.name
            ),
            site.span,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::EmptyCatalog;

    /// Every simple function maps onto a registered UDF (a typo here would only surface as
    /// "not supported" at query time).
    #[test]
    fn every_simple_function_has_an_implementation() {
        let cat = EmptyCatalog;
        let p = Planner::new(&cat, crate::planner::PlannerOptions::default());
        let missing: Vec<String> = SIMPLE
            .iter()
            .filter(|s| !p.udfs.contains_key(s.udf))
            .map(|s| format!("{} -> {}", s.kql, s.udf))
            .collect();
        assert!(missing.is_empty(), "missing UDFs: {missing:#?}");
    }
}

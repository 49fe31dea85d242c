//! KQL IPv4/IPv6 functions.
//!
//! IP-prefix notation (`10.1.0.0/16`) is accepted wherever KQL accepts it; comparisons use
//! the combined (smallest) prefix of both operands and the optional prefix argument.
//! IPv4 text inside IPv6 functions is mapped to `::ffff:a.b.c.d` (prefix + 96), as in
//! the documented `ipv6_compare` examples. Unparsable input gives null (`""` for string
//! results); the `has_*ipv4*` text predicates give false.

pub mod parse;

use crate::math::FunctionDoc;
use crate::math::util::{
    KqlFn, KqlScalar, as_utf8, check_arity, coerce_int, coerce_str, i64_values, is_int, is_string,
    str_at,
};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Int64Array, ListArray, StringArray,
};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use parse::{
    format_v4, format_v6, ipv4_in_text, is_private_v4, mask_v4, mask_v6, parse_v4, parse_v4_addr,
    parse_v4_text_prefix, parse_v6,
};
use std::cmp::Ordering;
use std::sync::Arc;

/// The IP functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IpFn {
    Ipv4IsPrivate,
    Ipv4IsInRange,
    Ipv4IsInAnyRange,
    Ipv4IsMatch,
    Ipv4Compare,
    ParseIpv4,
    ParseIpv4Mask,
    FormatIpv4,
    FormatIpv4Mask,
    Ipv4NetmaskSuffix,
    HasIpv4,
    HasIpv4Prefix,
    HasAnyIpv4,
    HasAnyIpv4Prefix,
    Ipv6Compare,
    Ipv6IsMatch,
    Ipv6IsInRange,
    Ipv6IsInAnyRange,
    ParseIpv6,
    ParseIpv6Mask,
}

impl IpFn {
    const ALL: [IpFn; 20] = [
        IpFn::Ipv4IsPrivate,
        IpFn::Ipv4IsInRange,
        IpFn::Ipv4IsInAnyRange,
        IpFn::Ipv4IsMatch,
        IpFn::Ipv4Compare,
        IpFn::ParseIpv4,
        IpFn::ParseIpv4Mask,
        IpFn::FormatIpv4,
        IpFn::FormatIpv4Mask,
        IpFn::Ipv4NetmaskSuffix,
        IpFn::HasIpv4,
        IpFn::HasIpv4Prefix,
        IpFn::HasAnyIpv4,
        IpFn::HasAnyIpv4Prefix,
        IpFn::Ipv6Compare,
        IpFn::Ipv6IsMatch,
        IpFn::Ipv6IsInRange,
        IpFn::Ipv6IsInAnyRange,
        IpFn::ParseIpv6,
        IpFn::ParseIpv6Mask,
    ];

    fn variadic_lists(&self) -> bool {
        matches!(
            self,
            IpFn::Ipv4IsInAnyRange
                | IpFn::HasAnyIpv4
                | IpFn::HasAnyIpv4Prefix
                | IpFn::Ipv6IsInAnyRange
        )
    }
}

/// A list-of-strings argument: `Utf8` (one value, or a JSON array text) or `List<Utf8>`.
fn coerce_list_arg(t: &DataType, fname: &str) -> Result<DataType> {
    match t {
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _) => Ok(
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
        ),
        t if is_string(t) => Ok(DataType::Utf8),
        _ => plan_err!("{fname}: expected a string or a dynamic array of strings, got {t}"),
    }
}

impl KqlFn for IpFn {
    fn udf_name(&self) -> &'static str {
        match self {
            IpFn::Ipv4IsPrivate => "kql_ipv4_is_private",
            IpFn::Ipv4IsInRange => "kql_ipv4_is_in_range",
            IpFn::Ipv4IsInAnyRange => "kql_ipv4_is_in_any_range",
            IpFn::Ipv4IsMatch => "kql_ipv4_is_match",
            IpFn::Ipv4Compare => "kql_ipv4_compare",
            IpFn::ParseIpv4 => "kql_parse_ipv4",
            IpFn::ParseIpv4Mask => "kql_parse_ipv4_mask",
            IpFn::FormatIpv4 => "kql_format_ipv4",
            IpFn::FormatIpv4Mask => "kql_format_ipv4_mask",
            IpFn::Ipv4NetmaskSuffix => "kql_ipv4_netmask_suffix",
            IpFn::HasIpv4 => "kql_has_ipv4",
            IpFn::HasIpv4Prefix => "kql_has_ipv4_prefix",
            IpFn::HasAnyIpv4 => "kql_has_any_ipv4",
            IpFn::HasAnyIpv4Prefix => "kql_has_any_ipv4_prefix",
            IpFn::Ipv6Compare => "kql_ipv6_compare",
            IpFn::Ipv6IsMatch => "kql_ipv6_is_match",
            IpFn::Ipv6IsInRange => "kql_ipv6_is_in_range",
            IpFn::Ipv6IsInAnyRange => "kql_ipv6_is_in_any_range",
            IpFn::ParseIpv6 => "kql_parse_ipv6",
            IpFn::ParseIpv6Mask => "kql_parse_ipv6_mask",
        }
    }

    fn coerce(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.udf_name();
        if self.variadic_lists() {
            check_arity(name, args.len(), 2, 65)?;
            let mut v = vec![coerce_str(&args[0], name)?];
            for t in &args[1..] {
                v.push(coerce_list_arg(t, name)?);
            }
            return Ok(v);
        }
        let (min, max, n_str) = match self {
            IpFn::Ipv4IsPrivate | IpFn::ParseIpv4 | IpFn::Ipv4NetmaskSuffix | IpFn::ParseIpv6 => {
                (1, 1, 1)
            }
            IpFn::Ipv4IsInRange | IpFn::HasIpv4 | IpFn::HasIpv4Prefix | IpFn::Ipv6IsInRange => {
                (2, 2, 2)
            }
            IpFn::Ipv4IsMatch | IpFn::Ipv4Compare | IpFn::Ipv6Compare | IpFn::Ipv6IsMatch => {
                (2, 3, 2)
            }
            IpFn::ParseIpv4Mask | IpFn::ParseIpv6Mask => (2, 2, 1),
            IpFn::FormatIpv4 | IpFn::FormatIpv4Mask => (1, 2, 0),
            _ => (0, 0, 0),
        };
        check_arity(name, args.len(), min, max)?;
        let mut v = Vec::with_capacity(args.len());
        for (i, t) in args.iter().enumerate() {
            if i < n_str {
                v.push(coerce_str(t, name)?);
            } else if i == 0 {
                // format_ipv4(ip): a string or a long
                if is_int(t) {
                    v.push(DataType::Int64);
                } else {
                    v.push(coerce_str(t, name)?);
                }
            } else {
                v.push(coerce_int(t, name)?);
            }
        }
        Ok(v)
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(match self {
            IpFn::Ipv4IsPrivate
            | IpFn::Ipv4IsInRange
            | IpFn::Ipv4IsInAnyRange
            | IpFn::Ipv4IsMatch
            | IpFn::HasIpv4
            | IpFn::HasIpv4Prefix
            | IpFn::HasAnyIpv4
            | IpFn::HasAnyIpv4Prefix
            | IpFn::Ipv6IsMatch
            | IpFn::Ipv6IsInRange
            | IpFn::Ipv6IsInAnyRange => DataType::Boolean,
            IpFn::Ipv4Compare
            | IpFn::ParseIpv4
            | IpFn::ParseIpv4Mask
            | IpFn::Ipv4NetmaskSuffix
            | IpFn::Ipv6Compare => DataType::Int64,
            IpFn::FormatIpv4 | IpFn::FormatIpv4Mask | IpFn::ParseIpv6 | IpFn::ParseIpv6Mask => {
                DataType::Utf8
            }
        })
    }

    fn invoke(&self, a: &[ArrayRef], n: usize, raw: &[ColumnarValue]) -> Result<ArrayRef> {
        let s0 = as_utf8(&a[0]);
        let col = |i: usize| -> Result<ArrayRef> { as_utf8(&a[i]) };
        // optional prefix argument (index 2) for compare/match
        let opt_prefix =
            |i: usize| -> Result<Option<Vec<Option<i64>>>> { a.get(i).map(i64_values).transpose() };
        match self {
            IpFn::Ipv4IsPrivate => {
                let s = s0?;
                Ok(bools(n, |i| {
                    let (a, p) = parse_v4(str_at(&s, i)?)?;
                    Some(is_private_v4(a, p))
                }))
            }
            IpFn::ParseIpv4 => {
                let s = s0?;
                Ok(longs(n, |i| {
                    let (a, p) = parse_v4(str_at(&s, i)?)?;
                    Some(i64::from(a & mask_v4(p)))
                }))
            }
            IpFn::ParseIpv4Mask => {
                let s = s0?;
                let pr = i64_values(&a[1])?;
                Ok(longs(n, |i| {
                    let (a, p) = parse_v4(str_at(&s, i)?)?;
                    let p = combine_prefix(p, pr[i]?, 32)?;
                    Some(i64::from(a & mask_v4(p)))
                }))
            }
            IpFn::Ipv4NetmaskSuffix => {
                let s = s0?;
                Ok(longs(n, |i| {
                    parse_v4(str_at(&s, i)?).map(|(_, p)| i64::from(p))
                }))
            }
            IpFn::FormatIpv4 | IpFn::FormatIpv4Mask => {
                let with_mask = *self == IpFn::FormatIpv4Mask;
                let pr = opt_prefix(1)?;
                let ip: Vec<Option<(u32, u32)>> = if a[0].data_type() == &DataType::Int64 {
                    i64_values(&a[0])?
                        .into_iter()
                        .map(|v| Some((u32::try_from(v?).ok()?, 32)))
                        .collect()
                } else {
                    let s = s0?;
                    (0..n).map(|i| parse_v4(str_at(&s, i)?)).collect()
                };
                Ok(strings(n, |i| {
                    let (a, p) = ip[i]?;
                    let p = apply_prefix(p, &pr, i, 32)?;
                    let text = format_v4(a & mask_v4(p));
                    Some(if with_mask {
                        format!("{text}/{p}")
                    } else {
                        text
                    })
                }))
            }
            IpFn::Ipv4IsMatch | IpFn::Ipv4Compare => {
                let (x, y) = (s0?, col(1)?);
                let pr = opt_prefix(2)?;
                let cmp = |i: usize| -> Option<Ordering> {
                    let (a, pa) = parse_v4(str_at(&x, i)?)?;
                    let (b, pb) = parse_v4(str_at(&y, i)?)?;
                    let p = apply_prefix(pa.min(pb), &pr, i, 32)?;
                    let m = mask_v4(p);
                    Some((a & m).cmp(&(b & m)))
                };
                Ok(if *self == IpFn::Ipv4IsMatch {
                    bools(n, |i| cmp(i).map(|o| o == Ordering::Equal))
                } else {
                    longs(n, |i| cmp(i).map(ord_to_i64))
                })
            }
            IpFn::Ipv4IsInRange => {
                let (x, y) = (s0?, col(1)?);
                Ok(bools(n, |i| {
                    let ip = parse_v4(str_at(&x, i)?)?;
                    let range = parse_v4(str_at(&y, i)?)?;
                    Some(v4_in_range(ip, range))
                }))
            }
            IpFn::Ipv6Compare | IpFn::Ipv6IsMatch => {
                let (x, y) = (s0?, col(1)?);
                let pr = opt_prefix(2)?;
                let cmp = |i: usize| -> Option<Ordering> {
                    let (a, pa) = parse_v6(str_at(&x, i)?)?;
                    let (b, pb) = parse_v6(str_at(&y, i)?)?;
                    let p = apply_prefix(pa.min(pb), &pr, i, 128)?;
                    let m = mask_v6(p);
                    Some((a & m).cmp(&(b & m)))
                };
                Ok(if *self == IpFn::Ipv6IsMatch {
                    bools(n, |i| cmp(i).map(|o| o == Ordering::Equal))
                } else {
                    longs(n, |i| cmp(i).map(ord_to_i64))
                })
            }
            IpFn::Ipv6IsInRange => {
                let (x, y) = (s0?, col(1)?);
                Ok(bools(n, |i| {
                    let ip = parse_v6(str_at(&x, i)?)?;
                    let range = parse_v6(str_at(&y, i)?)?;
                    Some(v6_in_range(ip, range))
                }))
            }
            IpFn::ParseIpv6 => {
                let s = s0?;
                Ok(strings(n, |i| {
                    let (a, p) = parse_v6(str_at(&s, i)?)?;
                    Some(format_v6(a & mask_v6(p)))
                }))
            }
            IpFn::ParseIpv6Mask => {
                let s = s0?;
                let pr = i64_values(&a[1])?;
                Ok(strings(n, |i| {
                    // the prefix argument counts IPv6 bits, also for IPv4 text
                    let (a, p) = parse_v6(str_at(&s, i)?)?;
                    let p = combine_prefix(p, pr[i]?, 128)?;
                    Some(format_v6(a & mask_v6(p)))
                }))
            }
            IpFn::HasIpv4 => {
                let (src, ip) = (s0?, col(1)?);
                Ok(bools(n, |i| {
                    let want = str_at(&ip, i).and_then(parse_v4_addr);
                    let text = str_at(&src, i).unwrap_or("");
                    Some(want.is_some_and(|w| ipv4_in_text(text).any(|a| a == w)))
                }))
            }
            IpFn::HasIpv4Prefix => {
                let (src, pre) = (s0?, col(1)?);
                Ok(bools(n, |i| {
                    let want = str_at(&pre, i).and_then(parse_v4_text_prefix);
                    let text = str_at(&src, i).unwrap_or("");
                    Some(want.is_some_and(|w| ipv4_in_text(text).any(|a| has_octets(a, &w))))
                }))
            }
            IpFn::HasAnyIpv4 | IpFn::HasAnyIpv4Prefix => {
                let src = s0?;
                let lists = ListArgs::new(&a[1..], &raw[1..])?;
                let prefix_mode = *self == IpFn::HasAnyIpv4Prefix;
                Ok(bools(n, |i| {
                    let text = str_at(&src, i).unwrap_or("");
                    let pats: Vec<Vec<u8>> = lists
                        .row(i)
                        .into_iter()
                        .filter_map(|s| {
                            if prefix_mode {
                                parse_v4_text_prefix(&s)
                            } else {
                                parse_v4_addr(&s).map(|a| a.to_be_bytes().to_vec())
                            }
                        })
                        .collect();
                    if pats.is_empty() {
                        return Some(false);
                    }
                    Some(ipv4_in_text(text).any(|a| pats.iter().any(|p| has_octets(a, p))))
                }))
            }
            IpFn::Ipv4IsInAnyRange | IpFn::Ipv6IsInAnyRange => {
                let ips = s0?;
                let lists = ListArgs::new(&a[1..], &raw[1..])?;
                let v6 = *self == IpFn::Ipv6IsInAnyRange;
                Ok(bools(n, |i| {
                    let text = str_at(&ips, i)?;
                    let mut any_invalid = false;
                    if v6 {
                        let ip = parse_v6(text)?;
                        for r in lists.row(i) {
                            match parse_v6(&r) {
                                Some(range) if v6_in_range(ip, range) => return Some(true),
                                Some(_) => {}
                                None => any_invalid = true,
                            }
                        }
                    } else {
                        let ip = parse_v4(text)?;
                        for r in lists.row(i) {
                            match parse_v4(&r) {
                                Some(range) if v4_in_range(ip, range) => return Some(true),
                                Some(_) => {}
                                None => any_invalid = true,
                            }
                        }
                    }
                    // "null: if conversion for one of the IPv4 strings wasn't successful"
                    if any_invalid { None } else { Some(false) }
                }))
            }
        }
    }
}

fn ord_to_i64(o: Ordering) -> i64 {
    match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

/// Applies the optional prefix argument column `pr` at row `i` (absent → `inner`).
fn apply_prefix(inner: u32, pr: &Option<Vec<Option<i64>>>, i: usize, max: u32) -> Option<u32> {
    match pr {
        Some(v) => combine_prefix(inner, v[i]?, max),
        None => Some(inner),
    }
}

/// `min(inner, arg)` where the prefix argument must be within `0..=max` (else null).
fn combine_prefix(inner: u32, arg: i64, max: u32) -> Option<u32> {
    if arg < 0 || arg > i64::from(max) {
        return None;
    }
    Some(inner.min(arg as u32))
}

fn v4_in_range((ip, pi): (u32, u32), (r, pr): (u32, u32)) -> bool {
    let ip = ip & mask_v4(pi);
    pi >= pr && ip & mask_v4(pr) == r & mask_v4(pr)
}

fn v6_in_range((ip, pi): (u128, u32), (r, pr): (u128, u32)) -> bool {
    let ip = ip & mask_v6(pi);
    pi >= pr && ip & mask_v6(pr) == r & mask_v6(pr)
}

/// The address starts with the given octets.
fn has_octets(addr: u32, octets: &[u8]) -> bool {
    addr.to_be_bytes().iter().zip(octets).all(|(a, b)| a == b)
}

fn bools(n: usize, f: impl Fn(usize) -> Option<bool>) -> ArrayRef {
    Arc::new((0..n).map(f).collect::<BooleanArray>())
}

fn longs(n: usize, f: impl Fn(usize) -> Option<i64>) -> ArrayRef {
    Arc::new((0..n).map(f).collect::<Int64Array>())
}

/// String results are never null: failures become `""`.
fn strings(n: usize, f: impl Fn(usize) -> Option<String>) -> ArrayRef {
    Arc::new(
        (0..n)
            .map(|i| Some(f(i).unwrap_or_default()))
            .collect::<StringArray>(),
    )
}

/// The trailing list arguments of `has_any_ipv4*` / `*_is_in_any_range`: each is a string,
/// a JSON array text, or a `List<Utf8>`. Literal (scalar) arguments are decoded once.
struct ListArgs {
    cols: Vec<ListCol>,
}

enum ListCol {
    Const(Vec<String>),
    Utf8(ArrayRef),
    List(ListArray),
}

fn split_json_or_single(s: &str) -> Vec<String> {
    let t = s.trim_start();
    if t.starts_with('[') {
        match serde_json::from_str::<serde_json::Value>(t) {
            Ok(serde_json::Value::Array(items)) => items
                .into_iter()
                .filter_map(|v| match v {
                    serde_json::Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
            _ => vec![s.to_string()],
        }
    } else {
        vec![s.to_string()]
    }
}

fn list_row(l: &ListArray, i: usize) -> Vec<String> {
    if l.is_null(i) {
        return Vec::new();
    }
    let v = l.value(i);
    match v.as_string_opt::<i32>() {
        Some(s) => s.iter().flatten().map(str::to_string).collect(),
        None => Vec::new(),
    }
}

impl ListArgs {
    fn new(arrays: &[ArrayRef], raw: &[ColumnarValue]) -> Result<ListArgs> {
        let mut cols = Vec::with_capacity(arrays.len());
        for (arr, r) in arrays.iter().zip(raw) {
            let literal = matches!(r, ColumnarValue::Scalar(_)) && !arr.is_empty();
            let col = match arr.data_type() {
                DataType::List(_) => {
                    let l = arr.as_list::<i32>().clone();
                    if literal {
                        ListCol::Const(list_row(&l, 0))
                    } else {
                        ListCol::List(l)
                    }
                }
                _ => {
                    let s = as_utf8(arr)?;
                    if literal {
                        ListCol::Const(str_at(&s, 0).map(split_json_or_single).unwrap_or_default())
                    } else {
                        ListCol::Utf8(s)
                    }
                }
            };
            cols.push(col);
        }
        Ok(ListArgs { cols })
    }

    fn row(&self, i: usize) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.cols {
            match c {
                ListCol::Const(v) => out.extend(v.iter().cloned()),
                ListCol::Utf8(a) => {
                    if let Some(s) = str_at(a, i) {
                        out.extend(split_json_or_single(s));
                    }
                }
                ListCol::List(l) => out.extend(list_row(l, i)),
            }
        }
        out
    }
}

/// The scalar UDFs of this module.
pub fn scalar_udfs() -> Vec<Arc<ScalarUDF>> {
    IpFn::ALL.iter().map(|k| KqlScalar::udf(*k)).collect()
}

const LIST_ARGS: &str = "Utf8 source, then 1..64 × (Utf8 | JSON-array Utf8 | List<Utf8>)";

/// The KQL functions this module implements (for the planner's function registry).
pub const FUNCTIONS: &[FunctionDoc] = &[
    FunctionDoc {
        kql: "ipv4_is_private",
        udf: "kql_ipv4_is_private",
        args: "Utf8",
        returns: "Boolean",
        notes: "10/8, 172.16/12, 192.168/16 only (127.0.0.1 is false); prefix notation allowed; invalid → null",
    },
    FunctionDoc {
        kql: "ipv4_is_in_range",
        udf: "kql_ipv4_is_in_range",
        args: "Utf8 ip, Utf8 range",
        returns: "Boolean",
        notes: "invalid → null",
    },
    FunctionDoc {
        kql: "ipv4_is_in_any_range",
        udf: "kql_ipv4_is_in_any_range",
        args: "Utf8 ip, then ranges as for has_any_ipv4",
        returns: "Boolean",
        notes: "true if any range matches; else null if a range is invalid; else false",
    },
    FunctionDoc {
        kql: "ipv4_is_match",
        udf: "kql_ipv4_is_match",
        args: "Utf8, Utf8 [, Int64 prefix]",
        returns: "Boolean",
        notes: "combined prefix = min(prefixes); prefix outside 0..32 → null",
    },
    FunctionDoc {
        kql: "ipv4_compare",
        udf: "kql_ipv4_compare",
        args: "Utf8, Utf8 [, Int64 prefix]",
        returns: "Int64 (-1/0/1)",
        notes: "",
    },
    FunctionDoc {
        kql: "parse_ipv4",
        udf: "kql_parse_ipv4",
        args: "Utf8",
        returns: "Int64",
        notes: "masked by the prefix; invalid → null",
    },
    FunctionDoc {
        kql: "parse_ipv4_mask",
        udf: "kql_parse_ipv4_mask",
        args: "Utf8, Int64 prefix",
        returns: "Int64",
        notes: "",
    },
    FunctionDoc {
        kql: "format_ipv4",
        udf: "kql_format_ipv4",
        args: "Utf8|Int64 [, Int64 prefix]",
        returns: "Utf8",
        notes: "invalid → \"\"",
    },
    FunctionDoc {
        kql: "format_ipv4_mask",
        udf: "kql_format_ipv4_mask",
        args: "Utf8|Int64 [, Int64 prefix]",
        returns: "Utf8",
        notes: "a.b.c.d/p; invalid → \"\"",
    },
    FunctionDoc {
        kql: "ipv4_netmask_suffix",
        udf: "kql_ipv4_netmask_suffix",
        args: "Utf8",
        returns: "Int64",
        notes: "32 when no prefix; invalid → null",
    },
    FunctionDoc {
        kql: "has_ipv4",
        udf: "kql_has_ipv4",
        args: "Utf8 source, Utf8 ip",
        returns: "Boolean",
        notes: "IPv4 must be delimited by non-alphanumerics; never null",
    },
    FunctionDoc {
        kql: "has_ipv4_prefix",
        udf: "kql_has_ipv4_prefix",
        args: "Utf8 source, Utf8 prefix",
        returns: "Boolean",
        notes: "prefix = full address or 1-3 octets ending with '.'; never null",
    },
    FunctionDoc {
        kql: "has_any_ipv4",
        udf: "kql_has_any_ipv4",
        args: LIST_ARGS,
        returns: "Boolean",
        notes: "pass a dynamic array as List<Utf8> or JSON text; literals are decoded once",
    },
    FunctionDoc {
        kql: "has_any_ipv4_prefix",
        udf: "kql_has_any_ipv4_prefix",
        args: LIST_ARGS,
        returns: "Boolean",
        notes: "ASIM srcipaddr_has_any_prefix; empty list → false",
    },
    FunctionDoc {
        kql: "ipv6_compare",
        udf: "kql_ipv6_compare",
        args: "Utf8, Utf8 [, Int64 prefix]",
        returns: "Int64 (-1/0/1)",
        notes: "IPv4 text is ::ffff:a.b.c.d with prefix+96; prefix argument in IPv6 bits",
    },
    FunctionDoc {
        kql: "ipv6_is_match",
        udf: "kql_ipv6_is_match",
        args: "Utf8, Utf8 [, Int64 prefix]",
        returns: "Boolean",
        notes: "",
    },
    FunctionDoc {
        kql: "ipv6_is_in_range",
        udf: "kql_ipv6_is_in_range",
        args: "Utf8 ip, Utf8 range",
        returns: "Boolean",
        notes: "",
    },
    FunctionDoc {
        kql: "ipv6_is_in_any_range",
        udf: "kql_ipv6_is_in_any_range",
        args: "Utf8 ip, then ranges as for has_any_ipv4",
        returns: "Boolean",
        notes: "",
    },
    FunctionDoc {
        kql: "parse_ipv6",
        udf: "kql_parse_ipv6",
        args: "Utf8",
        returns: "Utf8",
        notes: "canonical 8×4 hex groups, masked; invalid → \"\"",
    },
    FunctionDoc {
        kql: "parse_ipv6_mask",
        udf: "kql_parse_ipv6_mask",
        args: "Utf8, Int64 prefix",
        returns: "Utf8",
        notes: "",
    },
];

#[cfg(test)]
mod tests;

//! Encodings and hashes: `url_encode`, `url_encode_component`, `url_decode`,
//! `base64_encode_tostring`, `base64_decode_tostring`, `hash`, `hash_sha256`, `hash_sha1`,
//! `hash_md5`, `tohex`, `format_bytes`.

use crate::convert::format::{NANOS_PER_TICK, duration_ns, timestamp_ns, write_real};
use crate::convert::kit::{
    Arg, Ints, Strs, arg_array, build_i64, build_utf8, kql_udf, ret_i64, ret_utf8,
};
use crate::convert::parse::EPOCH_TICKS;
use crate::convert::udfs::to_real_at;
use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use datafusion::common::Result;
use datafusion::logical_expr::ColumnarValue;
use md5::Md5;
use sha2::{Digest, Sha256};
use std::fmt::Write;

const STR1: &[Arg] = &[Arg::Str];

// ---------------------------------------------------------------------------------------
// URL encoding

fn hex_lower(b: u8) -> [char; 2] {
    const H: &[u8; 16] = b"0123456789abcdef";
    [H[(b >> 4) as usize] as char, H[(b & 15) as usize] as char]
}

/// .NET `HttpUtility.UrlEncode`: unreserved `A-Z a-z 0-9 - _ . ! * ( )` kept, space → `+`
/// (or `%20` for the component form), other UTF-8 bytes → lower-case `%xx`.
pub fn url_encode(s: &str, space_plus: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'*'
            | b'('
            | b')' => out.push(b as char),
            b' ' if space_plus => out.push('+'),
            _ => {
                out.push('%');
                out.extend(hex_lower(b));
            }
        }
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// .NET `HttpUtility.UrlDecode`: `+` → space, `%xx` → byte, `%uXXXX` → UTF-16 unit; malformed
/// escapes are kept literally; invalid UTF-8 becomes U+FFFD.
pub fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut bytes: Vec<u8> = Vec::with_capacity(b.len());
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'+' => {
                bytes.push(b' ');
                k += 1;
            }
            b'%' => {
                if k + 6 <= b.len() && (b[k + 1] == b'u' || b[k + 1] == b'U') {
                    let h: Option<u32> = b[k + 2..k + 6]
                        .iter()
                        .try_fold(0u32, |acc, &c| hex_val(c).map(|v| acc * 16 + u32::from(v)));
                    if let Some(cp) = h.and_then(char::from_u32) {
                        let mut buf = [0u8; 4];
                        bytes.extend_from_slice(cp.encode_utf8(&mut buf).as_bytes());
                        k += 6;
                        continue;
                    }
                }
                match (
                    b.get(k + 1).and_then(|&c| hex_val(c)),
                    b.get(k + 2).and_then(|&c| hex_val(c)),
                ) {
                    (Some(h), Some(l)) => {
                        bytes.push(h * 16 + l);
                        k += 3;
                    }
                    _ => {
                        bytes.push(b'%');
                        k += 1;
                    }
                }
            }
            c => {
                bytes.push(c);
                k += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn invoke_url_encode(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| {
        out.push_str(&url_encode(s.get(i), true))
    }))
}

fn invoke_url_encode_component(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| {
        out.push_str(&url_encode(s.get(i), false))
    }))
}

fn invoke_url_decode(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| out.push_str(&url_decode(s.get(i)))))
}

kql_udf!(
    /// KQL: `url_encode(url)` - percent-encoding with `+` for spaces and lower-case hex.
    kql_url_encode, "kql_url_encode", STR1, 1, ret_utf8, invoke_url_encode
);
kql_udf!(
    /// KQL: `url_encode_component(url)` - like `url_encode` but spaces become `%20`.
    kql_url_encode_component, "kql_url_encode_component", STR1, 1, ret_utf8,
    invoke_url_encode_component
);
kql_udf!(
    /// KQL: `url_decode(encoded_url)` - percent-decoding (`+` → space).
    kql_url_decode, "kql_url_decode", STR1, 1, ret_utf8, invoke_url_decode
);

// ---------------------------------------------------------------------------------------
// base64

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 decoding like .NET `Convert.FromBase64String`: white space ignored,
/// length a multiple of 4, `=` padding only at the end. `None` when malformed.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let chars: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !chars.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let nchunks = chars.len() / 4;
    for (ci, chunk) in chars.chunks(4).enumerate() {
        let mut v: u32 = 0;
        let mut pad = 0;
        for (k, &c) in chunk.iter().enumerate() {
            let d = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' if ci + 1 == nchunks && k >= 2 => {
                    pad += 1;
                    0
                }
                _ => return None,
            };
            if pad > 0 && c != b'=' {
                return None;
            }
            v = (v << 6) | u32::from(d);
        }
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

fn invoke_base64_encode(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| {
        out.push_str(&base64_encode(s.get(i).as_bytes()))
    }))
}

fn invoke_base64_decode(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| {
        // Invalid base64 or invalid UTF-8 → "" (the documented "null" string).
        if let Some(bytes) = base64_decode(s.get(i))
            && let Ok(text) = std::str::from_utf8(&bytes)
        {
            out.push_str(text);
        }
    }))
}

kql_udf!(
    /// KQL: `base64_encode_tostring(s)` - base64 of the UTF-8 bytes of `s`.
    kql_base64_encode_tostring, "kql_base64_encode_tostring", STR1, 1, ret_utf8,
    invoke_base64_encode
);
kql_udf!(
    /// KQL: `base64_decode_tostring(s)` - base64 → UTF-8 string; `""` when the input is not
    /// base64 or the bytes are not valid UTF-8.
    kql_base64_decode_tostring, "kql_base64_decode_tostring", STR1, 1, ret_utf8,
    invoke_base64_decode
);

// ---------------------------------------------------------------------------------------
// hashes

/// The bytes `hash()` feeds to xxHash64 for row `i`, `None` for null.
///
/// Verified (https://learn.microsoft.com/kusto/query/hash-function): strings hash their
/// UTF-8 bytes (`hash("World")`), datetimes the little-endian `i64` tick count since
/// 0001-01-01 (`hash(datetime("2015-01-01"))`). Other types (unverified against ADX): long
/// and timespan ticks as 8 bytes LE, int as 4 bytes LE, real as its 8 IEEE bytes LE, bool as
/// one byte, everything else (dynamic, lists) as its `tostring` text.
fn hash_bytes(a: &dyn Array, i: usize) -> Option<Vec<u8>> {
    if a.is_null(i) {
        return None;
    }
    Some(match a.data_type() {
        DataType::Utf8 => a.as_string::<i32>().value(i).as_bytes().to_vec(),
        DataType::LargeUtf8 => a.as_string::<i64>().value(i).as_bytes().to_vec(),
        DataType::Utf8View => a.as_string_view().value(i).as_bytes().to_vec(),
        DataType::Int64 => a
            .as_primitive::<Int64Type>()
            .value(i)
            .to_le_bytes()
            .to_vec(),
        DataType::Int32 => a
            .as_primitive::<Int32Type>()
            .value(i)
            .to_le_bytes()
            .to_vec(),
        DataType::Int16 => i32::from(a.as_primitive::<Int16Type>().value(i))
            .to_le_bytes()
            .to_vec(),
        DataType::Int8 => i32::from(a.as_primitive::<Int8Type>().value(i))
            .to_le_bytes()
            .to_vec(),
        DataType::UInt8 => i32::from(a.as_primitive::<UInt8Type>().value(i))
            .to_le_bytes()
            .to_vec(),
        DataType::UInt16 => i32::from(a.as_primitive::<UInt16Type>().value(i))
            .to_le_bytes()
            .to_vec(),
        DataType::UInt32 => i64::from(a.as_primitive::<UInt32Type>().value(i))
            .to_le_bytes()
            .to_vec(),
        DataType::UInt64 => a
            .as_primitive::<UInt64Type>()
            .value(i)
            .to_le_bytes()
            .to_vec(),
        DataType::Float64 => a
            .as_primitive::<Float64Type>()
            .value(i)
            .to_le_bytes()
            .to_vec(),
        DataType::Float32 => f64::from(a.as_primitive::<Float32Type>().value(i))
            .to_le_bytes()
            .to_vec(),
        DataType::Boolean => vec![u8::from(a.as_boolean().value(i))],
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 => {
            let ns = timestamp_ns(a, i)?;
            (ns.div_euclid(NANOS_PER_TICK) + EPOCH_TICKS)
                .to_le_bytes()
                .to_vec()
        }
        DataType::Duration(_) => (duration_ns(a, i)? / NANOS_PER_TICK).to_le_bytes().to_vec(),
        _ => crate::convert::format::value_to_string(a, i).into_bytes(),
    })
}

/// xxHash64 (seed 0) of `bytes`, as KQL `hash()` returns it (a long).
pub fn xxhash64(bytes: &[u8]) -> u64 {
    twox_hash::XxHash64::oneshot(0, bytes)
}

fn invoke_hash(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = arg_array(args, 0, n)?;
    let m = Ints::opt(args, 1, None)?;
    let has_mod = args.len() > 1;
    Ok(build_i64(n, |i| {
        let h = xxhash64(&hash_bytes(a.as_ref(), i)?);
        if has_mod {
            let md = m.get(i)?;
            if md <= 0 {
                // Non-positive modulo → null. // unverified against ADX
                return None;
            }
            Some((h % md as u64) as i64)
        } else {
            // The u64 hash reinterpreted as a long. // unverified against ADX
            Some(h as i64)
        }
    }))
}

kql_udf!(
    /// KQL: `hash(source [, mod])` - xxHash64 of the value's serialisation (see
    /// `hash_bytes`), optionally modulo `mod` (`Int64`).
    kql_hash, "kql_hash", &[Arg::Any, Arg::Int], 1, ret_i64, invoke_hash
);

fn to_hex_str(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.extend(hex_lower(b));
    }
    s
}

/// SHA-1 (FIPS 180-4) of `data`.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for t in 0..16 {
            w[t] = u32::from_be_bytes([
                block[4 * t],
                block[4 * t + 1],
                block[4 * t + 2],
                block[4 * t + 3],
            ]);
        }
        for t in 16..80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (t, &wt) in w.iter().enumerate() {
            let (f, k) = match t {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let tmp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(wt);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = tmp;
        }
        h[0] = h[0].wrapping_add(a);
        h[1] = h[1].wrapping_add(b);
        h[2] = h[2].wrapping_add(c);
        h[3] = h[3].wrapping_add(d);
        h[4] = h[4].wrapping_add(e);
    }
    let mut out = [0u8; 20];
    for (k, v) in h.iter().enumerate() {
        out[4 * k..4 * k + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

/// Which cryptographic digest.
#[derive(Clone, Copy)]
enum Digester {
    Sha256,
    Sha1,
    Md5,
}

/// Hex digest of the `tostring` text of each row; null input → `""`.
/// Verified for strings and datetimes (`hash_sha256(datetime(2020-01-01))` hashes
/// `"2020-01-01T00:00:00.0000000Z"`).
fn invoke_digest(args: &[ColumnarValue], n: usize, d: Digester) -> Result<ArrayRef> {
    let a = arg_array(args, 0, n)?;
    Ok(build_utf8(n, |i, out| {
        if a.is_null(i) {
            return;
        }
        let text = crate::convert::format::value_to_string(a.as_ref(), i);
        let bytes = text.as_bytes();
        let hex = match d {
            Digester::Sha256 => to_hex_str(Sha256::digest(bytes).as_slice()),
            Digester::Md5 => to_hex_str(Md5::digest(bytes).as_slice()),
            Digester::Sha1 => to_hex_str(&sha1(bytes)),
        };
        out.push_str(&hex);
    }))
}

fn invoke_sha256(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_digest(args, n, Digester::Sha256)
}
fn invoke_sha1(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_digest(args, n, Digester::Sha1)
}
fn invoke_md5(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    invoke_digest(args, n, Digester::Md5)
}

kql_udf!(
    /// KQL: `hash_sha256(source)` - SHA-256 of the `tostring` text, lower-case hex.
    kql_hash_sha256, "kql_hash_sha256", &[Arg::Any], 1, ret_utf8, invoke_sha256
);
kql_udf!(
    /// KQL: `hash_sha1(source)` - SHA-1 of the `tostring` text, lower-case hex.
    kql_hash_sha1, "kql_hash_sha1", &[Arg::Any], 1, ret_utf8, invoke_sha1
);
kql_udf!(
    /// KQL: `hash_md5(source)` - MD5 of the `tostring` text, lower-case hex.
    kql_hash_md5, "kql_hash_md5", &[Arg::Any], 1, ret_utf8, invoke_md5
);

// ---------------------------------------------------------------------------------------
// tohex, format_bytes

fn invoke_tohex(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = arg_array(args, 0, n)?;
    let min = Ints::opt(args, 1, Some(0))?;
    Ok(build_utf8(n, |i, out| {
        if a.is_null(i) {
            return;
        }
        let hex = match a.data_type() {
            DataType::Int32 => format!("{:x}", a.as_primitive::<Int32Type>().value(i) as u32),
            DataType::Int16 => format!(
                "{:x}",
                i32::from(a.as_primitive::<Int16Type>().value(i)) as u32
            ),
            DataType::Int8 => format!(
                "{:x}",
                i32::from(a.as_primitive::<Int8Type>().value(i)) as u32
            ),
            DataType::Int64 => format!("{:x}", a.as_primitive::<Int64Type>().value(i) as u64),
            DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
                match crate::convert::kit::array_i64(a.as_ref(), i) {
                    Some(v) => format!("{:x}", v as u64),
                    None => return,
                }
            }
            // Non-integers: conversion fails → "". // unverified against ADX
            _ => return,
        };
        let width = min.get(i).unwrap_or(0).clamp(0, 16) as usize;
        let _ = write!(out, "{hex:0>width$}");
    }))
}

kql_udf!(
    /// KQL: `tohex(value [, minLength])` - lower-case hex; negative ints use 32-bit and longs
    /// 64-bit two's complement; zero-padded to `minLength` (≤ 16). The value must keep its
    /// `Int32`/`Int64` type (not widened).
    kql_tohex, "kql_tohex", &[Arg::Any, Arg::Int], 1, ret_utf8, invoke_tohex
);

const BYTE_UNITS: [&str; 7] = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];

/// Rounds half away from zero to `precision` decimals.
fn round_half_away(x: f64, precision: i64) -> f64 {
    let p = 10f64.powi(precision.clamp(0, 15) as i32);
    let r = (x * p).abs().round() / p;
    if x < 0.0 { -r } else { r }
}

/// KQL `format_bytes(size, precision, units)`: 1024-based units; auto-selected when
/// `units` is empty; `None` for an unknown unit name.
pub fn format_bytes(size: f64, precision: i64, units: &str) -> Option<String> {
    let k = if units.is_empty() {
        let mut k = 0;
        let mut v = size.abs();
        while v >= 1024.0 && k < BYTE_UNITS.len() - 1 {
            v /= 1024.0;
            k += 1;
        }
        k
    } else {
        BYTE_UNITS
            .iter()
            .position(|u| u.eq_ignore_ascii_case(units))?
    };
    let v = size / 1024f64.powi(k as i32);
    let mut s = String::new();
    // Integral results print without a fraction ("19 MB"). // unverified against ADX
    write_real(&mut s, round_half_away(v, precision));
    s.push(' ');
    s.push_str(BYTE_UNITS[k]);
    Some(s)
}

fn invoke_format_bytes(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let a = arg_array(args, 0, n)?;
    let p = Ints::opt(args, 1, Some(0))?;
    let u = Strs::opt(args, 2, "")?;
    Ok(build_utf8(n, |i, out| {
        let (Some(size), Some(prec)) = (to_real_at(a.as_ref(), i), p.get(i)) else {
            return;
        };
        if let Some(s) = format_bytes(size, prec, u.get(i)) {
            out.push_str(&s);
        }
    }))
}

kql_udf!(
    /// KQL: `format_bytes(size [, precision [, units]])` - data size text such as `"10.1 KB"`
    /// (1024-based; units `Bytes, KB, MB, GB, TB, PB, EB`, auto when empty).
    kql_format_bytes, "kql_format_bytes", &[Arg::Any, Arg::Int, Arg::Str], 1, ret_utf8,
    invoke_format_bytes
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::invoke_udf;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ScalarUDF;

    fn s(v: &str) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Utf8(Some(v.to_string())))
    }
    fn l(v: i64) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Int64(Some(v)))
    }
    fn str_of(udf: &ScalarUDF, args: Vec<ColumnarValue>) -> String {
        let r = invoke_udf(udf, args).unwrap();
        r.as_string::<i32>().value(0).to_string()
    }
    fn long_of(udf: &ScalarUDF, args: Vec<ColumnarValue>) -> Option<i64> {
        let r = invoke_udf(udf, args).unwrap();
        let r = r.as_primitive::<Int64Type>();
        if r.is_null(0) { None } else { Some(r.value(0)) }
    }
    fn dt(ns: i64) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::TimestampNanosecond(
            Some(ns),
            Some("UTC".into()),
        ))
    }

    // https://learn.microsoft.com/kusto/query/hash-function
    #[test]
    fn hash_docs() {
        assert_eq!(
            long_of(&kql_hash(), vec![s("World")]),
            Some(1846988464401551951)
        );
        assert_eq!(long_of(&kql_hash(), vec![s("World"), l(100)]), Some(51));
        assert_eq!(
            long_of(&kql_hash(), vec![dt(1_420_070_400_000_000_000)]),
            Some(1380966698541616202)
        );
        assert_eq!(long_of(&kql_hash(), vec![s("World"), l(0)]), None);
        let null = ColumnarValue::Scalar(ScalarValue::Int64(None));
        assert_eq!(long_of(&kql_hash(), vec![null]), None);
    }

    // https://learn.microsoft.com/kusto/query/hash-sha256-function
    #[test]
    fn sha256_docs() {
        assert_eq!(
            str_of(&kql_hash_sha256(), vec![s("World")]),
            "78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524"
        );
        assert_eq!(
            str_of(&kql_hash_sha256(), vec![dt(1_577_836_800_000_000_000)]),
            "ba666752dc1a20eb750b0eb64e780cc4c968bc9fb8813461c1d7e750f302d71d"
        );
        assert_eq!(
            str_of(&kql_hash_sha256(), vec![s("TEXAS")]),
            "9087f20f23f91b5a77e8406846117049029e6798ebbd0d38aea68da73a00ca37"
        );
    }

    // https://learn.microsoft.com/kusto/query/hash-md5-function
    #[test]
    fn md5_docs() {
        assert_eq!(
            str_of(&kql_hash_md5(), vec![s("World")]),
            "f5a7924e621e84c9280a9a27e1bcb7f6"
        );
        assert_eq!(
            str_of(&kql_hash_md5(), vec![dt(1_577_836_800_000_000_000)]),
            "786c530672d1f8db31fee25ea8a9390b"
        );
        assert_eq!(
            str_of(&kql_hash_md5(), vec![s("TEXAS")]),
            "3b00dbe6e07e7485a1c12d36c8e9910a"
        );
    }

    #[test]
    fn sha1_vectors() {
        // FIPS 180 test vectors
        assert_eq!(
            to_hex_str(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            to_hex_str(&sha1(b"")),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
        assert_eq!(
            to_hex_str(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            str_of(&kql_hash_sha1(), vec![s("abc")]),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    // https://learn.microsoft.com/kusto/query/url-encode-function and url-decode-function
    #[test]
    fn url_docs() {
        assert_eq!(
            str_of(
                &kql_url_encode(),
                vec![s("https://www.bing.com/hello world")]
            ),
            "https%3a%2f%2fwww.bing.com%2fhello+world"
        );
        assert_eq!(
            str_of(&kql_url_decode(), vec![s("https%3a%2f%2fwww.bing.com%2f")]),
            "https://www.bing.com/"
        );
        assert_eq!(str_of(&kql_url_encode_component(), vec![s("a b")]), "a%20b");
        assert_eq!(url_decode("a+b%zz%4"), "a b%zz%4");
        assert_eq!(url_decode("%C3%A9%u00e9%"), "éé%");
        assert_eq!(url_decode("%ff"), "\u{fffd}");
        assert_eq!(url_encode("é", true), "%c3%a9");
    }

    // https://learn.microsoft.com/kusto/query/base64-decode-tostring-function
    #[test]
    fn base64_docs() {
        assert_eq!(
            str_of(&kql_base64_decode_tostring(), vec![s("S3VzdG8=")]),
            "Kusto"
        );
        assert_eq!(
            str_of(
                &kql_base64_decode_tostring(),
                vec![s("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")]
            ),
            ""
        );
        assert_eq!(
            str_of(&kql_base64_encode_tostring(), vec![s("Kusto")]),
            "S3VzdG8="
        );
        assert_eq!(
            str_of(&kql_base64_decode_tostring(), vec![s("S3VzdG8")]),
            ""
        );
        assert_eq!(str_of(&kql_base64_decode_tostring(), vec![s("!!!!")]), "");
        for t in ["", "a", "ab", "abc", "abcd", "héllo wörld"] {
            assert_eq!(
                base64_decode(&base64_encode(t.as_bytes())).unwrap(),
                t.as_bytes()
            );
        }
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert!(base64_decode("Y=Q=").is_none());
        assert!(base64_decode("====").is_none());
    }

    // https://learn.microsoft.com/kusto/query/tohex-function
    #[test]
    fn tohex_docs() {
        assert_eq!(str_of(&kql_tohex(), vec![l(256)]), "100");
        assert_eq!(str_of(&kql_tohex(), vec![l(-256)]), "ffffffffffffff00");
        let int = ColumnarValue::Scalar(ScalarValue::Int32(Some(-256)));
        assert_eq!(str_of(&kql_tohex(), vec![int, l(8)]), "ffffff00");
        assert_eq!(str_of(&kql_tohex(), vec![l(256), l(8)]), "00000100");
        assert_eq!(str_of(&kql_tohex(), vec![l(256), l(2)]), "100");
        assert_eq!(str_of(&kql_tohex(), vec![l(1), l(40)]), "0000000000000001");
    }

    // https://learn.microsoft.com/kusto/query/format-bytes-function
    #[test]
    fn format_bytes_docs() {
        let r = |v: f64| ColumnarValue::Scalar(ScalarValue::Float64(Some(v)));
        assert_eq!(str_of(&kql_format_bytes(), vec![l(564)]), "564 Bytes");
        assert_eq!(
            str_of(&kql_format_bytes(), vec![r(10332.0), l(1)]),
            "10.1 KB"
        );
        assert_eq!(str_of(&kql_format_bytes(), vec![l(20010332)]), "19 MB");
        assert_eq!(
            str_of(&kql_format_bytes(), vec![l(20010332), l(2)]),
            "19.08 MB"
        );
        assert_eq!(
            str_of(&kql_format_bytes(), vec![l(20010332), l(0), s("KB")]),
            "19541 KB"
        );
        assert_eq!(
            str_of(&kql_format_bytes(), vec![l(1), l(0), s("bogus")]),
            ""
        );
    }
}

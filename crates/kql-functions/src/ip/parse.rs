//! IPv4/IPv6 text parsing, masking and text scanning (pure functions, no Arrow).

use std::net::Ipv6Addr;
use std::str::FromStr;

/// Parses dotted-quad IPv4 text (four decimal octets of 1-3 digits, each ≤ 255).
pub fn parse_v4_addr(s: &str) -> Option<u32> {
    let mut out: u32 = 0;
    let mut count = 0;
    for part in s.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u32 = part.parse().ok()?;
        if v > 255 {
            return None;
        }
        out = (out << 8) | v;
        count += 1;
        if count > 4 {
            return None;
        }
    }
    if count == 4 { Some(out) } else { None }
}

/// Parses the decimal prefix length after a `/` (at most `max`).
fn parse_prefix(s: &str, max: u32) -> Option<u32> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: u32 = s.parse().ok()?;
    if v > max { None } else { Some(v) }
}

/// IPv4 text with optional IP-prefix notation (`a.b.c.d[/n]`) → (address, prefix).
pub fn parse_v4(s: &str) -> Option<(u32, u32)> {
    match s.split_once('/') {
        Some((a, p)) => Some((parse_v4_addr(a)?, parse_prefix(p, 32)?)),
        None => Some((parse_v4_addr(s)?, 32)),
    }
}

/// The 32-bit mask of a prefix length (0..=32).
pub fn mask_v4(prefix: u32) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix.min(32))
    }
}

/// The 128-bit mask of a prefix length (0..=128).
pub fn mask_v6(prefix: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix.min(128))
    }
}

/// IPv6 or IPv4 text with optional prefix → (128-bit address, prefix in IPv6 bits).
///
/// IPv4 text maps to `::ffff:a.b.c.d` with its prefix shifted by 96. Per the documented
/// `parse_ipv6_mask` examples, `::a.b.c.d[/n]` (and `::ffff:a.b.c.d[/n]`) are IPv4
/// addresses too: mapped, with an IPv4 prefix.
pub fn parse_v6(s: &str) -> Option<(u128, u32)> {
    let v4_mapped = |a: u32, p: u32| (0xffff_u128 << 32 | u128::from(a), 96 + p);
    if let Some((a, p)) = parse_v4(s) {
        return Some(v4_mapped(a, p));
    }
    for lead in ["::", "::ffff:", "::FFFF:"] {
        if let Some(rest) = s.strip_prefix(lead)
            && rest.contains('.')
            && let Some((a, p)) = parse_v4(rest)
        {
            return Some(v4_mapped(a, p));
        }
    }
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, parse_prefix(p, 128)?),
        None => (s, 128),
    };
    // std accepts exactly the RFC 4291 text forms (incl. `::` and embedded IPv4).
    let a = Ipv6Addr::from_str(addr).ok()?;
    Some((u128::from(a), prefix))
}

/// Canonical KQL IPv6 text: eight 4-digit lower-case hex groups.
pub fn format_v6(a: u128) -> String {
    let mut s = String::with_capacity(39);
    for i in 0..8 {
        if i > 0 {
            s.push(':');
        }
        let g = (a >> (112 - 16 * i)) & 0xffff;
        s.push_str(&format!("{g:04x}"));
    }
    s
}

pub fn format_v4(a: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        a >> 24,
        (a >> 16) & 0xff,
        (a >> 8) & 0xff,
        a & 0xff
    )
}

/// `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`.
pub fn is_private_v4(addr: u32, prefix: u32) -> bool {
    const BLOCKS: [(u32, u32); 3] = [(0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16)];
    let a = addr & mask_v4(prefix);
    BLOCKS
        .iter()
        .any(|&(net, p)| prefix >= p && a & mask_v4(p) == net)
}

/// A valid `has_ipv4_prefix` pattern: a full address, or 1-3 octets each followed by a dot
/// (`192.`, `192.168.`, `192.168.1.`). Returns the octets.
pub fn parse_v4_text_prefix(s: &str) -> Option<Vec<u8>> {
    if let Some(a) = parse_v4_addr(s) {
        return Some(a.to_be_bytes().to_vec());
    }
    let body = s.strip_suffix('.')?;
    let mut out = Vec::new();
    for part in body.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u32 = part.parse().ok()?;
        out.push(u8::try_from(v).ok()?);
    }
    if (1..=3).contains(&out.len()) {
        Some(out)
    } else {
        None
    }
}

/// Every IPv4 address that occurs in `text` delimited by non-alphanumeric characters.
///
/// A candidate is a maximal run of digits and dots whose neighbours are not alphanumeric;
/// leading/trailing dots are treated as delimiters, and the rest must be a valid dotted
/// quad (so `1.2.3.4.5` and `54127.0.0.1` contain no address).
pub fn ipv4_in_text(text: &str) -> impl Iterator<Item = u32> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            if !(b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let end = i;
            let before_ok = start == 0 || !is_alnum_before(text, start);
            let after_ok = end == b.len() || !is_alnum_at(text, end);
            if !(before_ok && after_ok) {
                continue;
            }
            let run = text[start..end].trim_matches('.');
            if let Some(a) = parse_v4_addr(run) {
                return Some(a);
            }
        }
        None
    })
}

fn is_alnum_at(text: &str, byte_pos: usize) -> bool {
    text[byte_pos..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

fn is_alnum_before(text: &str, byte_pos: usize) -> bool {
    text[..byte_pos]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4() {
        assert_eq!(parse_v4("192.168.1.1"), Some((3232235777, 32)));
        assert_eq!(parse_v4("192.168.1.1/24"), Some((3232235777, 24)));
        assert_eq!(parse_v4("192.168.1.256"), None);
        assert_eq!(parse_v4("192.168.1"), None);
        assert_eq!(parse_v4("1.2.3.4.5"), None);
        assert_eq!(parse_v4("1.2.3.4/33"), None);
        assert_eq!(parse_v4("1.2.3.4/"), None);
        assert_eq!(parse_v4(""), None);
        assert_eq!(parse_v4(" 1.2.3.4"), None);
        assert_eq!(parse_v4("１.2.3.4"), None);
        assert_eq!(mask_v4(0), 0);
        assert_eq!(mask_v4(32), u32::MAX);
    }

    #[test]
    fn v6() {
        let (a, p) = parse_v6("fe80::85d:e82c:9446:7994/120").unwrap();
        assert_eq!(p, 120);
        assert_eq!(format_v6(a), "fe80:0000:0000:0000:085d:e82c:9446:7994");
        assert_eq!(parse_v6("::1/129"), None);
        assert_eq!(parse_v6("fe80::1%eth0"), None);
        assert_eq!(mask_v6(0), 0);
        assert_eq!(mask_v6(128), u128::MAX);
    }

    #[test]
    fn text_scan() {
        let f = |t: &str| ipv4_in_text(t).map(format_v4).collect::<Vec<_>>();
        assert_eq!(
            f("These requests came from: 192.168.1.1, 10.1.1.115 and 10.1.1.201"),
            vec!["192.168.1.1", "10.1.1.115", "10.1.1.201"]
        );
        assert_eq!(
            f("05:04:54 127.0.0.1 GET /favicon.ico 404"),
            vec!["127.0.0.1"]
        );
        assert!(f("05:04:54127.0.0.1 GET").is_empty());
        assert!(f("a1.2.3.4").is_empty());
        assert!(f("1.2.3.4b").is_empty());
        assert_eq!(f("end 1.2.3.4."), vec!["1.2.3.4"]);
        assert_eq!(f("é1.2.3.4é"), Vec::<String>::new());
        assert_eq!(f("_1.2.3.4_"), vec!["1.2.3.4"]);
        assert!(f("").is_empty());
    }
}

//! Time arithmetic on nanoseconds since the Unix epoch (no date library needed for the
//! few conversions the generator makes).

/// Nanoseconds per second.
pub const SEC: i64 = 1_000_000_000;
/// Nanoseconds per millisecond.
pub const MS: i64 = 1_000_000;
/// Nanoseconds per minute.
pub const MIN: i64 = 60 * SEC;
/// Nanoseconds per hour.
pub const HOUR: i64 = 60 * MIN;
/// Nanoseconds per day.
pub const DAY: i64 = 24 * HOUR;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(y, m, d)` of a day number (inverse of [`days_from_civil`]).
pub const fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A UTC instant from its parts.
pub const fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64, ms: i64) -> i64 {
    days_from_civil(y, mo, d) * DAY + h * HOUR + mi * MIN + s * SEC + ms * MS
}

/// `floor(t / step) * step` (for non-negative `step`).
pub const fn floor_to(t: i64, step: i64) -> i64 {
    t.div_euclid(step) * step
}

/// RFC 3339 text with milliseconds, e.g. `2025-03-10T12:34:56.789Z`.
pub fn rfc3339(t: i64) -> String {
    let days = t.div_euclid(DAY);
    let rem = t.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / HOUR,
        rem % HOUR / MIN,
        rem % MIN / SEC,
        rem % SEC / MS
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        // 2025-03-10T12:34:56.789Z = 1741610096.789 s since the epoch (date -d ... +%s).
        assert_eq!(utc(2025, 3, 10, 12, 34, 56, 789), 1_741_610_096_789 * MS);
        assert_eq!(
            rfc3339(utc(2025, 3, 10, 12, 34, 56, 789)),
            "2025-03-10T12:34:56.789Z"
        );
        assert_eq!(
            rfc3339(utc(2024, 2, 29, 0, 0, 0, 5)),
            "2024-02-29T00:00:00.005Z"
        );
    }
}

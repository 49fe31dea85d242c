//! Proleptic-Gregorian calendar arithmetic on nanoseconds since the Unix epoch.
//!
//! Pure integer code (no chrono) so every input value is handled without panics; results
//! that do not fit the `i64` nanosecond range (≈ 1677-09-21 … 2262-04-11) become `None`.

/// Nanoseconds per 100 ns tick.
pub const TICK_NS: i64 = 100;
/// Nanoseconds per second / minute / hour / day.
pub const NS_PER_SEC: i64 = 1_000_000_000;
pub const NS_PER_MIN: i64 = 60 * NS_PER_SEC;
pub const NS_PER_HOUR: i64 = 60 * NS_PER_MIN;
pub const NS_PER_DAY: i64 = 24 * NS_PER_HOUR;
/// Nanoseconds from 0001-01-01T00:00:00 to 1970-01-01T00:00:00 (KQL's tick origin).
pub const ORIGIN_NS: i128 = 621_355_968_000_000_000i128 * 100;

/// Days since 1970-01-01 of the civil date `y-m-d` (month 1..=12, day 1..=31, any year).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of `days` since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if is_leap(y) {
                29
            } else {
                28
            }
        }
    }
}

/// A broken-down UTC instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// Nanoseconds within the second (0..1e9).
    pub nanos: u32,
    /// Days since 1970-01-01.
    pub days: i64,
    /// Nanoseconds since midnight.
    pub ns_of_day: i64,
}

impl Civil {
    pub fn from_ns(ns: i64) -> Civil {
        let days = ns.div_euclid(NS_PER_DAY);
        let ns_of_day = ns.rem_euclid(NS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (ns_of_day / NS_PER_HOUR) as u32,
            minute: ((ns_of_day % NS_PER_HOUR) / NS_PER_MIN) as u32,
            second: ((ns_of_day % NS_PER_MIN) / NS_PER_SEC) as u32,
            nanos: (ns_of_day % NS_PER_SEC) as u32,
            days,
            ns_of_day,
        }
    }

    /// Day of week, Sunday = 0.
    pub fn weekday(&self) -> i64 {
        // 1970-01-01 was a Thursday.
        (self.days + 4).rem_euclid(7)
    }

    /// Day of the year, 1-based.
    pub fn day_of_year(&self) -> i64 {
        self.days - days_from_civil(self.year, 1, 1) + 1
    }
}

/// `days * NS_PER_DAY + ns_of_day` if it fits an i64.
pub fn ns_from_days(days: i64, ns_of_day: i64) -> Option<i64> {
    let v = i128::from(days) * i128::from(NS_PER_DAY) + i128::from(ns_of_day);
    i64::try_from(v).ok()
}

/// Adds `months` calendar months (.NET `AddMonths`: the day is clamped to the target
/// month's length; the time of day is kept).
pub fn add_months(ns: i64, months: i64) -> Option<i64> {
    let c = Civil::from_ns(ns);
    let total = i128::from(c.year) * 12 + i128::from(c.month - 1) + i128::from(months);
    let y = i64::try_from(total.div_euclid(12)).ok()?;
    // Keep far away from the calendar code's own overflow limits.
    if !(-1_000_000..=1_000_000).contains(&y) {
        return None;
    }
    let m = (total.rem_euclid(12) + 1) as u32;
    let d = c.day.min(days_in_month(y, m));
    ns_from_days(days_from_civil(y, m, d), c.ns_of_day)
}

/// ISO-8601 week number (weeks start on Monday, week 1 holds the year's first Thursday).
pub fn iso_week(c: &Civil) -> i64 {
    // Monday = 1 .. Sunday = 7
    let wd = (c.days + 3).rem_euclid(7) + 1;
    let doy = c.day_of_year();
    let w = (doy - wd + 10).div_euclid(7);
    if w < 1 {
        weeks_in_year(c.year - 1)
    } else if w > weeks_in_year(c.year) {
        1
    } else {
        w
    }
}

fn weeks_in_year(y: i64) -> i64 {
    // A year has 53 ISO weeks when Jan 1 is a Thursday, or a Wednesday in a leap year.
    let jan1 = days_from_civil(y, 1, 1);
    let wd = (jan1 + 3).rem_euclid(7) + 1; // Monday = 1
    if wd == 4 || (wd == 3 && is_leap(y)) {
        53
    } else {
        52
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_days() {
        for days in [
            -1_000_000i64,
            -719_468,
            -1,
            0,
            1,
            59,
            365,
            10_957,
            2_932_896,
        ] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        // 0001-01-01 is ORIGIN days before the epoch
        assert_eq!(
            i128::from(-days_from_civil(1, 1, 1)) * i128::from(NS_PER_DAY),
            ORIGIN_NS
        );
    }

    #[test]
    fn months() {
        let jan31 = days_from_civil(2017, 1, 31) * NS_PER_DAY;
        let feb28 = days_from_civil(2017, 2, 28) * NS_PER_DAY;
        assert_eq!(add_months(jan31, 1), Some(feb28));
        assert_eq!(add_months(jan31, i64::MAX), None);
        assert_eq!(add_months(jan31, i64::MIN), None);
    }
}

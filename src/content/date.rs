//! Dates in front matter: a TOML date (`2025-10-10`), a TOML date-time
//! (`2025-10-10T09:00:00+08:00`) or the same written as a string. Validated
//! once (a 13th month is an error at its line) and then trusted.

use serde::Serialize;
use std::cmp::Ordering;

/// The months in English, January first.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    /// Hour, minute, second when given.
    pub time: Option<(u8, u8, u8)>,
    /// `+08:00`, `Z`…; `None` for a local time or a plain date.
    pub offset: Option<String>,
}

impl Date {
    pub fn from_toml(value: &toml::Value) -> Result<Date, String> {
        match value {
            toml::Value::Datetime(dt) => Date::from_datetime(dt),
            toml::Value::String(s) => s
                .trim()
                .parse::<toml::value::Datetime>()
                .map_err(|_| format!("`{s}` is not a date"))
                .and_then(|dt| Date::from_datetime(&dt)),
            other => Err(format!("expected a date, found {}", other.type_str())),
        }
    }

    fn from_datetime(dt: &toml::value::Datetime) -> Result<Date, String> {
        let Some(d) = dt.date else {
            return Err("a time without a date".into());
        };
        if !(1..=12).contains(&d.month) {
            return Err(format!("month {} does not exist", d.month));
        }
        if d.day == 0 || d.day > days_in_month(d.year, d.month) {
            return Err(format!("{}-{:02} has no day {}", d.year, d.month, d.day));
        }
        Ok(Date {
            year: d.year,
            month: d.month,
            day: d.day,
            time: dt.time.map(|t| (t.hour, t.minute, t.second)),
            offset: dt.offset.map(|o| o.to_string()),
        })
    }

    /// Today in China Standard Time, or `ANXIN_TODAY` (2025-10-10) when set,
    /// so that tests and reproducible builds can fix the day. Only lints and
    /// the split of events into upcoming and past depend on it.
    pub fn today() -> Date {
        if let Some(fixed) = std::env::var("ANXIN_TODAY")
            .ok()
            .and_then(|s| Date::from_toml(&toml::Value::String(s)).ok())
        {
            return fixed;
        }
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days(days_since_epoch_cst(seconds))
    }

    /// Days since 1970-01-01 of this date (its calendar day, ignoring time).
    pub fn days(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date {
            year,
            month,
            day,
            time: None,
            offset: None,
        }
    }

    /// Seconds since 1970-01-01T00:00:00Z: midnight when no time is given,
    /// China Standard Time when no offset is.
    pub fn unix_seconds(&self) -> i64 {
        let (h, m, s) = self.time.unwrap_or((0, 0, 0));
        let local = self.days() * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s);
        local - offset_seconds(self.offset.as_deref().unwrap_or("+08:00"))
    }

    /// `2025-10-10`
    pub fn ymd(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// A full RFC 3339 timestamp for feeds and sitemaps. A date without a time
    /// is taken as midnight, and without an offset as China Standard Time,
    /// the zone every user of anxin publishes in.
    pub fn rfc3339(&self) -> String {
        let (h, m, s) = self.time.unwrap_or((0, 0, 0));
        let offset = self.offset.as_deref().unwrap_or("+08:00");
        format!("{}T{h:02}:{m:02}:{s:02}{offset}", self.ymd())
    }

    fn sort_key(&self) -> (u16, u8, u8, (u8, u8, u8)) {
        (
            self.year,
            self.month,
            self.day,
            self.time.unwrap_or((0, 0, 0)),
        )
    }
}

impl From<Date> for String {
    /// The form templates see as `page.date`: the date as written, which tera's
    /// `date` filter reads.
    fn from(d: Date) -> String {
        match d.time {
            None => d.ymd(),
            Some(_) if d.offset.is_none() => {
                let full = d.rfc3339();
                full[..19].to_string()
            }
            Some(_) => d.rfc3339(),
        }
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

/// `+08:00` → 28800, `-05:30` → -19800, `Z` → 0.
fn offset_seconds(offset: &str) -> i64 {
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits = offset.trim_start_matches(['+', '-']);
    let (h, m) = digits.split_once(':').unwrap_or((digits, "0"));
    sign * (h.parse::<i64>().unwrap_or(0) * 3600 + m.parse::<i64>().unwrap_or(0) * 60)
}

fn days_since_epoch_cst(unix_seconds: i64) -> i64 {
    (unix_seconds + 8 * 3600).div_euclid(86_400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Date, String> {
        Date::from_toml(&toml::Value::String(s.into()))
    }

    #[test]
    fn reads_dates_and_datetimes() {
        let d = parse("2025-10-10").unwrap();
        assert_eq!(String::from(d.clone()), "2025-10-10");
        assert_eq!(d.rfc3339(), "2025-10-10T00:00:00+08:00");
        let t = parse("2025-10-10T09:30:00+08:00").unwrap();
        assert_eq!(String::from(t.clone()), "2025-10-10T09:30:00+08:00");
        assert!(t > d);
    }

    #[test]
    fn converts_to_unix_time_with_the_offset() {
        assert_eq!(
            parse("2025-10-10T09:00:00+08:00").unwrap().unix_seconds(),
            1_760_058_000
        );
        assert_eq!(
            parse("2025-10-10T01:00:00Z").unwrap().unix_seconds(),
            1_760_058_000
        );
        assert_eq!(
            parse("2025-10-10T09:00:00").unwrap().unix_seconds(),
            1_760_058_000
        );
    }

    #[test]
    fn counts_days_both_ways() {
        let d = parse("2025-10-10").unwrap();
        assert_eq!(d.days(), 20_371);
        assert_eq!(Date::from_days(20_371), d);
        assert_eq!(Date::from_days(0).ymd(), "1970-01-01");
        assert_eq!(
            parse("2024-03-01").unwrap().days() - parse("2024-02-28").unwrap().days(),
            2
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(parse("2025-02-29").is_err());
        assert!(parse("2025-13-01").is_err());
        assert!(parse("2024-02-29").is_ok());
        assert!(parse("10/10/2025").is_err());
        assert!(Date::from_toml(&toml::Value::Integer(3)).is_err());
    }
}

//! Dates in front matter: a TOML date (`2025-10-10`), a TOML date-time
//! (`2025-10-10T09:00:00+08:00`) or the same written as a string. Validated
//! once (a 13th month is an error at its line) and then trusted.

use serde::Serialize;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    fn rejects_impossible_dates() {
        assert!(parse("2025-02-29").is_err());
        assert!(parse("2025-13-01").is_err());
        assert!(parse("2024-02-29").is_ok());
        assert!(parse("10/10/2025").is_err());
        assert!(Date::from_toml(&toml::Value::Integer(3)).is_err());
    }
}

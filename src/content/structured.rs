//! Structured front matter: `[event]` makes a page a campaign event,
//! `[policy]` a policy explainer. Both are checked field by field (an unknown
//! key is an error with a suggestion, a date must be a date) and become typed
//! values that the theme, the calendar file and the JSON-LD are made from.

use super::date::Date;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// `[event]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventMeta {
    pub start: Spanned<toml::Value>,
    pub end: Option<Spanned<toml::Value>>,
    pub venue: Option<String>,
    #[serde(default)]
    pub organizers: Vec<String>,
    /// The activity report, filled in after the event.
    #[serde(default)]
    pub report: Vec<ReportLine>,
}

/// One figure of an activity report: `{ item = "发放宣传资料", count = 3200, unit = "份" }`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportLine {
    pub item: String,
    pub count: u64,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Event {
    pub start: Date,
    pub end: Option<Date>,
    pub venue: Option<String>,
    pub organizers: Vec<String>,
    pub report: Vec<ReportLine>,
}

/// `[policy]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyMeta {
    pub issuer: Option<String>,
    pub document: Option<String>,
    pub effective: Option<Spanned<toml::Value>>,
    /// When the explainer was last checked against the policy.
    pub reviewed: Option<Spanned<toml::Value>>,
    /// When the policy ends: after it, every build warns.
    pub expires: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub eligibility: Vec<String>,
    #[serde(default)]
    pub benefits: Vec<String>,
    #[serde(default)]
    pub steps: Vec<String>,
    #[serde(default)]
    pub documents: Vec<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Policy {
    pub issuer: Option<String>,
    pub document: Option<String>,
    pub effective: Option<Date>,
    pub reviewed: Option<Date>,
    pub expires: Option<Date>,
    pub eligibility: Vec<String>,
    pub benefits: Vec<String>,
    pub steps: Vec<String>,
    pub documents: Vec<String>,
    pub contact: Option<String>,
}

const WEEKDAYS: [&str; 7] = [
    "星期日",
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
];

/// `2025年10月10日（星期五）`
pub fn chinese_date(d: &Date) -> String {
    let weekday = WEEKDAYS[(d.days() + 4).rem_euclid(7) as usize];
    format!("{}年{}月{}日（{weekday}）", d.year, d.month, d.day)
}

const WEEKDAYS_EN: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
/// `Friday 10 October 2025`.
pub fn english_date(d: &Date) -> String {
    let weekday = WEEKDAYS_EN[(d.days() + 4).rem_euclid(7) as usize];
    let month = super::date::MONTHS_EN[usize::from(d.month.clamp(1, 12)) - 1];
    format!("{weekday} {} {month} {}", d.day, d.year)
}

/// The event's time the Chinese way: `2025年10月10日（星期五）09:00—12:00`,
/// or with both dates when it runs over several days.
pub fn chinese_time_range(start: &Date, end: Option<&Date>) -> String {
    time_range("zh-CN", start, end)
}

/// The event's time in language `lang`: Chinese as above, any other
/// language the English way, `Friday 10 October 2025, 09:00–12:00`.
pub fn time_range(lang: &str, start: &Date, end: Option<&Date>) -> String {
    let chinese = lang.starts_with("zh");
    let (date, before_clock, dash): (fn(&Date) -> String, &str, char) = if chinese {
        (chinese_date, " ", '—')
    } else {
        (english_date, ", ", '–')
    };
    let clock = |d: &Date| d.time.map(|(h, m, _)| format!("{h:02}:{m:02}"));
    let mut text = date(start);
    if let Some(t) = clock(start) {
        text.push_str(before_clock);
        text.push_str(&t);
    }
    if let Some(end) = end {
        let same_day = (end.year, end.month, end.day) == (start.year, start.month, start.day);
        text.push(dash);
        if !same_day {
            text.push_str(&date(end));
            if clock(end).is_some() {
                text.push_str(before_clock);
            }
        }
        if let Some(t) = clock(end) {
            text.push_str(&t);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::from_toml(&toml::Value::String(s.into())).unwrap()
    }

    #[test]
    fn writes_event_times_the_english_way() {
        let start = date("2025-10-10T09:00:00+08:00");
        let end = date("2025-10-10T12:00:00+08:00");
        assert_eq!(
            time_range("en", &start, Some(&end)),
            "Friday 10 October 2025, 09:00–12:00"
        );
        assert_eq!(
            time_range("en", &date("2025-10-10"), Some(&date("2025-10-12"))),
            "Friday 10 October 2025–Sunday 12 October 2025"
        );
    }

    #[test]
    fn writes_event_times_the_chinese_way() {
        let start = date("2025-10-10T09:00:00+08:00");
        let end = date("2025-10-10T12:00:00+08:00");
        assert_eq!(
            chinese_time_range(&start, Some(&end)),
            "2025年10月10日（星期五） 09:00—12:00"
        );
        assert_eq!(
            chinese_time_range(&date("2025-10-10"), Some(&date("2025-10-12"))),
            "2025年10月10日（星期五）—2025年10月12日（星期日）"
        );
        assert_eq!(
            chinese_date(&date("2026-11-23")),
            "2026年11月23日（星期一）"
        );
    }
}

//! Opening hours of a hotline: `24/7` or a small subset of OpenStreetMap's
//! `opening_hours` (`Mo-Fr 08:30-17:30; Sa 09:00-12:00; PH off`), parsed once
//! and rendered in Chinese and English.
//!
//! OpenStreetMap's syntax is used because it is documented, compact and
//! already known to the people who map services; only the part a hotline
//! needs is accepted, and anything else is an error with the format shown.

use super::Problem;

/// Parsed opening hours.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hours {
    /// Open round the clock, every day: the "24 hours" badge.
    pub always: bool,
    /// Empty when `always`.
    pub rules: Vec<Rule>,
    /// "全天24小时", "周一至周五 08:30–17:30；周六 09:00–12:00"
    pub text_zh: String,
    /// "24 hours, every day", "Mon–Fri 08:30–17:30; Sat 09:00–12:00"
    pub text_en: String,
    /// In OpenStreetMap's syntax (Chinese day names written the OSM way),
    /// e.g. for schema.org `openingHours`, which uses the same syntax.
    pub source: String,
}

impl Hours {
    /// The text for a page in `lang`.
    pub fn text(&self, lang: &str) -> &str {
        if lang.starts_with("zh") {
            &self.text_zh
        } else {
            &self.text_en
        }
    }
}

/// One `;`-separated part: on these days, at these times.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    /// Empty: every day (`08:00-20:00` without days).
    pub days: Vec<Days>,
    /// Empty: closed on these days (`PH off`).
    pub times: Vec<TimeRange>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Days {
    One(Weekday),
    /// Inclusive; may wrap past Sunday (`Fr-Mo`).
    Range(Weekday, Weekday),
    /// `PH`: public holidays (节假日).
    PublicHolidays,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Mo,
    Tu,
    We,
    Th,
    Fr,
    Sa,
    Su,
}

const WEEK: [(Weekday, &str, &str, &str); 7] = [
    (Weekday::Mo, "Mo", "周一", "Mon"),
    (Weekday::Tu, "Tu", "周二", "Tue"),
    (Weekday::We, "We", "周三", "Wed"),
    (Weekday::Th, "Th", "周四", "Thu"),
    (Weekday::Fr, "Fr", "周五", "Fri"),
    (Weekday::Sa, "Sa", "周六", "Sat"),
    (Weekday::Su, "Su", "周日", "Sun"),
];

impl Weekday {
    fn parse(s: &str) -> Option<Weekday> {
        WEEK.iter().find(|w| w.1 == s).map(|w| w.0)
    }

    fn zh(self) -> &'static str {
        WEEK[self as usize].2
    }

    fn en(self) -> &'static str {
        WEEK[self as usize].3
    }
}

/// Minutes after midnight. An end before the start runs overnight into the
/// next day; an end of 1440 is 24:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeRange {
    pub start: u16,
    pub end: u16,
}

impl TimeRange {
    pub fn overnight(&self) -> bool {
        self.end < self.start
    }
}

const FORMAT: &str = "write `24/7`, or days and times such as \"Mo-Fr 08:30-17:30; Sa 09:00-12:00\" \
or \"周一至周五 08:30-17:30；周六 09:00-12:00\" (days Mo Tu We Th Fr Sa Su or 周一…周日, \
PH or 节假日 for public holidays; `PH off` or 节假日休息 when closed)";

/// Chinese day names and punctuation, in OpenStreetMap's words and signs.
const CHINESE: [(&str, &str); 27] = [
    ("法定节假日", "PH"),
    ("节假日", "PH"),
    ("星期一", "Mo"),
    ("星期二", "Tu"),
    ("星期三", "We"),
    ("星期四", "Th"),
    ("星期五", "Fr"),
    ("星期六", "Sa"),
    ("星期日", "Su"),
    ("星期天", "Su"),
    ("周一", "Mo"),
    ("周二", "Tu"),
    ("周三", "We"),
    ("周四", "Th"),
    ("周五", "Fr"),
    ("周六", "Sa"),
    ("周日", "Su"),
    ("周天", "Su"),
    ("休息", " off"),
    ("至", "-"),
    ("到", "-"),
    ("～", "-"),
    ("；", ";"),
    ("，", ","),
    ("、", ","),
    ("：", ":"),
    ("　", " "),
];

/// `周一至周五 08:30-17:30；周六 09:00-12:00` as `Mo-Fr 08:30-17:30;Sa 09:00-12:00`.
/// Text without Chinese is left as written, so its mistakes are named as typed.
fn from_chinese(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        return text.into();
    }
    let mut out = text.to_string();
    for (zh, osm) in CHINESE {
        out = out.replace(zh, osm);
    }
    // Dashes people type between times, once the text is known to be Chinese.
    out.replace(['–', '—', '~'], "-").into()
}

/// Parses the `hours` value of a hotline.
pub fn parse(written: &str) -> Result<Hours, Problem> {
    let trimmed = written.trim();
    if looks_like_round_the_clock(trimmed) {
        return Err(Problem::new(
            format!("`{trimmed}` is not in the hours format"),
            "write hours = \"24/7\" for a line that is open round the clock",
        ));
    }
    let source = from_chinese(written);
    let source = source.as_ref();
    let trimmed = source.trim();
    if trimmed == "24/7" {
        return Ok(always(source));
    }
    if trimmed.is_empty() {
        return Err(Problem::new("the hours are empty", FORMAT));
    }
    let parts: Vec<&str> = trimmed.split(';').map(str::trim).collect();
    let mut rules = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        // A trailing `;` is harmless; an empty rule in the middle is a slip.
        if part.is_empty() && i + 1 == parts.len() && i > 0 {
            continue;
        }
        rules.push(rule(part)?);
    }
    let every_day_all_day = matches!(rules.as_slice(),
        [Rule { days, times }] if covers_week(days) && times == &[TimeRange { start: 0, end: 1440 }]);
    if every_day_all_day {
        return Ok(always(source));
    }
    Ok(Hours {
        always: false,
        text_zh: rules.iter().map(rule_zh).collect::<Vec<_>>().join("；"),
        text_en: rules.iter().map(rule_en).collect::<Vec<_>>().join("; "),
        rules,
        source: source.to_string(),
    })
}

fn always(source: &str) -> Hours {
    Hours {
        always: true,
        rules: Vec::new(),
        text_zh: "全天24小时".into(),
        text_en: "24 hours, every day".into(),
        source: source.to_string(),
    }
}

/// What people write in Chinese or English for 24/7.
fn looks_like_round_the_clock(s: &str) -> bool {
    let lower = s.to_lowercase();
    [
        "24小时",
        "二十四小时",
        "全天",
        "24h",
        "24 h",
        "24 hours",
        "24x7",
        "24*7",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

fn covers_week(days: &[Days]) -> bool {
    days.is_empty() || days.contains(&Days::Range(Weekday::Mo, Weekday::Su))
}

/// `Mo-Fr,Sa 08:30-12:00,14:00-17:30`, `08:00-20:00`, `PH off`.
fn rule(part: &str) -> Result<Rule, Problem> {
    if part.is_empty() {
        return Err(Problem::new("an empty rule between two `;`", FORMAT));
    }
    // Days are letters, times begin with a digit: splitting there also
    // forgives spaces inside the day list ("Mo - Fr").
    let split = part
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(part.len());
    let (days_text, times_text) = part.split_at(split);
    let days_text = days_text.trim();
    let (days_text, closed) = match days_text.strip_suffix("off") {
        Some(rest) if times_text.is_empty() => (rest.trim(), true),
        _ => (days_text, false),
    };
    let days = days(days_text)?;
    if closed {
        if days.is_empty() {
            return Err(Problem::new(
                "`off` needs the days it applies to, e.g. `PH off`",
                FORMAT,
            ));
        }
        return Ok(Rule {
            days,
            times: Vec::new(),
        });
    }
    if times_text.trim().is_empty() {
        return Err(Problem::new(
            format!("`{part}` gives days but no times"),
            FORMAT,
        ));
    }
    let times = times_text
        .split(',')
        .map(|t| time_range(t.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rule { days, times })
}

fn days(text: &str) -> Result<Vec<Days>, Problem> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Ok(Vec::new());
    }
    compact
        .split(',')
        .map(|item| {
            if item == "PH" {
                return Ok(Days::PublicHolidays);
            }
            let day = |s: &str| {
                Weekday::parse(s).ok_or_else(|| {
                    Problem::new(format!("`{s}` is not a day in the hours format"), FORMAT)
                })
            };
            match item.split_once('-') {
                Some((from, to)) => Ok(Days::Range(day(from)?, day(to)?)),
                None => Ok(Days::One(day(item)?)),
            }
        })
        .collect()
}

/// `08:30-17:30`, `20:00-08:00` (overnight), `00:00-24:00`.
fn time_range(text: &str) -> Result<TimeRange, Problem> {
    let bad = |why: String| Problem::new(why, FORMAT);
    if text.contains(char::is_whitespace) {
        return Err(bad(format!(
            "`{text}`: separate opening times with a comma, e.g. 08:30-12:00,14:00-17:30"
        )));
    }
    let Some((from, to)) = text.split_once('-') else {
        let why = if text.contains(['–', '—', '~', '～', '至', '到']) {
            format!("`{text}`: join the opening and closing time with a plain hyphen -")
        } else {
            format!("`{text}` is not a time range such as 08:30-17:30")
        };
        return Err(bad(why));
    };
    let start = clock(from.trim(), false).ok_or_else(|| bad(bad_time(from)))?;
    let end = clock(to.trim(), true).ok_or_else(|| bad(bad_time(to)))?;
    if start == end {
        return Err(bad(format!("`{text}` opens and closes at the same time")));
    }
    Ok(TimeRange { start, end })
}

fn bad_time(text: &str) -> String {
    format!(
        "`{}` is not a time of day; write hours and minutes such as 08:30",
        text.trim()
    )
}

/// `HH:MM` as minutes after midnight; 24:00 only as a closing time.
fn clock(text: &str, closing: bool) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if !(1..=2).contains(&h.len()) || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    match (h, m) {
        (24, 0) if closing => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn days_text(
    days: &[Days],
    day: fn(Weekday) -> &'static str,
    words: (&str, &str, &str, &str),
) -> String {
    let (every_day, through, holidays, list) = words;
    if days.is_empty() {
        return every_day.to_string();
    }
    days.iter()
        .map(|d| match *d {
            Days::One(w) => day(w).to_string(),
            Days::Range(a, b) if a == b => day(a).to_string(),
            Days::Range(a, b) => format!("{}{through}{}", day(a), day(b)),
            Days::PublicHolidays => holidays.to_string(),
        })
        .collect::<Vec<_>>()
        .join(list)
}

fn rule_zh(rule: &Rule) -> String {
    let days = days_text(&rule.days, Weekday::zh, ("每天", "至", "节假日", "、"));
    if rule.times.is_empty() {
        return format!("{days}休息");
    }
    let times: Vec<String> = rule
        .times
        .iter()
        .map(|t| {
            let next_day = if t.overnight() { "次日" } else { "" };
            format!("{}–{next_day}{}", hhmm(t.start), hhmm(t.end))
        })
        .collect();
    format!("{days} {}", times.join("、"))
}

fn rule_en(rule: &Rule) -> String {
    let days = days_text(
        &rule.days,
        Weekday::en,
        ("Daily", "–", "public holidays", ", "),
    );
    // Capitalised only where it starts the rule: "Public holidays closed",
    // but "Mon–Fri, public holidays 08:00–12:00".
    let days = match days.strip_prefix("public") {
        Some(rest) => format!("Public{rest}"),
        None => days,
    };
    if rule.times.is_empty() {
        return format!("{days} closed");
    }
    let times: Vec<String> = rule
        .times
        .iter()
        .map(|t| {
            let next_day = if t.overnight() { " (next day)" } else { "" };
            format!("{}–{}{next_day}", hhmm(t.start), hhmm(t.end))
        })
        .collect();
    format!("{days} {}", times.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_hours_in_chinese_and_english() {
        let cases = [
            ("24/7", "全天24小时", "24 hours, every day"),
            (" 24/7 ", "全天24小时", "24 hours, every day"),
            ("Mo-Su 00:00-24:00", "全天24小时", "24 hours, every day"),
            ("00:00-24:00", "全天24小时", "24 hours, every day"),
            (
                "Mo-Fr 08:30-17:30; Sa 09:00-12:00",
                "周一至周五 08:30–17:30；周六 09:00–12:00",
                "Mon–Fri 08:30–17:30; Sat 09:00–12:00",
            ),
            (
                "Mo-Fr 08:30-12:00,14:00-17:30",
                "周一至周五 08:30–12:00、14:00–17:30",
                "Mon–Fri 08:30–12:00, 14:00–17:30",
            ),
            (
                "Mo,We 09:00-11:00",
                "周一、周三 09:00–11:00",
                "Mon, Wed 09:00–11:00",
            ),
            (
                "Mo - Fr 8:30-17:30;",
                "周一至周五 08:30–17:30",
                "Mon–Fri 08:30–17:30",
            ),
            (
                "Mo-Fr 08:00-17:00; PH off",
                "周一至周五 08:00–17:00；节假日休息",
                "Mon–Fri 08:00–17:00; Public holidays closed",
            ),
            (
                "Sa,Su,PH 09:00-12:00",
                "周六、周日、节假日 09:00–12:00",
                "Sat, Sun, public holidays 09:00–12:00",
            ),
            (
                "20:00-08:00",
                "每天 20:00–次日08:00",
                "Daily 20:00–08:00 (next day)",
            ),
            (
                "Fr-Mo 18:00-24:00",
                "周五至周一 18:00–24:00",
                "Fri–Mon 18:00–24:00",
            ),
        ];
        for (source, zh, en) in cases {
            let h = parse(source).unwrap_or_else(|p| panic!("{source}: {p:?}"));
            assert_eq!(
                (h.text_zh.as_str(), h.text_en.as_str()),
                (zh, en),
                "{source}"
            );
            assert_eq!(h.always, zh == "全天24小时", "{source}");
            assert_eq!(h.source, source);
        }
    }

    #[test]
    fn keeps_the_rules_for_machines() {
        let h = parse("Mo-Fr 08:30-17:30; Sa 20:00-02:00").unwrap();
        assert_eq!(
            h.rules,
            [
                Rule {
                    days: vec![Days::Range(Weekday::Mo, Weekday::Fr)],
                    times: vec![TimeRange {
                        start: 510,
                        end: 1050
                    }],
                },
                Rule {
                    days: vec![Days::One(Weekday::Sa)],
                    times: vec![TimeRange {
                        start: 1200,
                        end: 120
                    }],
                },
            ]
        );
        assert!(h.rules[1].times[0].overnight());
        assert_eq!(
            h.text("zh-CN"),
            "周一至周五 08:30–17:30；周六 20:00–次日02:00"
        );
        assert_eq!(
            h.text("en"),
            "Mon–Fri 08:30–17:30; Sat 20:00–02:00 (next day)"
        );
    }

    #[test]
    fn rejects_what_is_not_in_the_format_and_says_why() {
        let cases = [
            ("", "the hours are empty"),
            ("Mo-Fr 08:30-17:30;; Sa 09:00-12:00", "an empty rule"),
            ("工作日 08:30-17:30", "`工作日` is not a day"),
            ("Mon-Fri 08:30-17:30", "`Mon` is not a day"),
            ("Mo-Fr", "gives days but no times"),
            ("Mo-Fr 08:30~17:30", "plain hyphen"),
            ("Mo-Fr 8-17", "`8` is not a time of day"),
            ("Mo-Fr 08:30-25:00", "`25:00` is not a time of day"),
            ("Mo-Fr 24:00-08:00", "`24:00` is not a time of day"),
            ("Mo-Fr 08:60-17:00", "`08:60` is not a time of day"),
            ("Mo-Fr 08:00-08:00", "opens and closes at the same time"),
            ("Mo-Fr 0830", "not a time range"),
            (
                "Mo-Fr 08:30-12:00 14:00-17:30",
                "separate opening times with a comma",
            ),
            ("off", "needs the days"),
        ];
        for (source, expected) in cases {
            let p = parse(source).expect_err(source);
            assert!(p.message.contains(expected), "{source}: {}", p.message);
            assert!(p.hint.contains("Mo-Fr 08:30-17:30"), "{source}: {}", p.hint);
        }
    }

    #[test]
    fn points_chinese_round_the_clock_wording_to_24_7() {
        for source in ["24小时", "全天", "全天24小时", "24 hours", "24h"] {
            let p = parse(source).expect_err(source);
            assert!(p.hint.contains("\"24/7\""), "{source}: {}", p.hint);
        }
    }

    #[test]
    fn chinese_days_and_punctuation_are_read_as_written_in_chinese() {
        let h = parse("周一至周五 08:30-17:30；周六 09:00-12:00").expect("Chinese hours");
        assert_eq!(h.text_zh, "周一至周五 08:30–17:30；周六 09:00–12:00");
        assert_eq!(h.text_en, "Mon–Fri 08:30–17:30; Sat 09:00–12:00");
        assert_eq!(h.source, "Mo-Fr 08:30-17:30;Sa 09:00-12:00");
        let h =
            parse("星期一、星期三 8:00～12:00，14:00至17:00；节假日休息").expect("Chinese hours");
        assert_eq!(h.source, "Mo,We 8:00-12:00,14:00-17:00;PH off");
        assert!(parse("周一至周五 全天").is_err());
        assert!(parse("工作日 08:30-17:30").is_err());
    }
}

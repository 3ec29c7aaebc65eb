//! Periods of indicator data: a year `2025`, a quarter `2025Q3` or a month
//! `2025-09`.

use super::definitions::Aggregation;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// The derived ordering groups by kind first and is not chronological across
/// kinds; sort by [`Period::sort_key`] for time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Year(u16),
    Quarter(u16, u8),
    Month(u16, u8),
}

const FORMS: &str = "write a year `2025`, a quarter `2025Q3` or a month `2025-09`";
const FIRST_YEAR: u16 = 1900;
const LAST_YEAR: u16 = 2100;

use crate::content::date::MONTHS_EN;

impl Period {
    /// Reads `2025`, `2025Q3` (or `2025q3`) or `2025-09`. See [`parse`].
    pub fn parse(text: &str) -> Result<Period, String> {
        parse(text)
    }

    /// How readers see the period: `2025年第3季度`, `Q3 2025`.
    pub fn label(&self, lang: &str) -> String {
        let zh = lang.starts_with("zh");
        match *self {
            Period::Year(y) if zh => format!("{y}年"),
            Period::Year(y) => y.to_string(),
            Period::Quarter(y, q) if zh => format!("{y}年第{q}季度"),
            Period::Quarter(y, q) => format!("Q{q} {y}"),
            Period::Month(y, m) if zh => format!("{y}年{m}月"),
            Period::Month(y, m) => {
                let name = MONTHS_EN
                    .get(usize::from(m).wrapping_sub(1))
                    .copied()
                    .unwrap_or("?");
                format!("{name} {y}")
            }
        }
    }

    pub fn year(&self) -> u16 {
        match *self {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// The first month the period covers, as (year, month 1–12).
    pub fn start_month(&self) -> (u16, u8) {
        match *self {
            Period::Year(y) => (y, 1),
            Period::Quarter(y, q) => (y, q.saturating_mul(3).saturating_sub(2)),
            Period::Month(y, m) => (y, m),
        }
    }

    /// The last month the period covers, as (year, month 1–12).
    pub fn end_month(&self) -> (u16, u8) {
        match *self {
            Period::Year(y) => (y, 12),
            Period::Quarter(y, q) => (y, q.saturating_mul(3)),
            Period::Month(y, m) => (y, m),
        }
    }

    /// Shorter periods rank lower, so that of periods ending in the same month
    /// the month comes before its quarter and the quarter before its year.
    pub fn kind_rank(&self) -> u8 {
        match self {
            Period::Month(..) => 0,
            Period::Quarter(..) => 1,
            Period::Year(..) => 2,
        }
    }

    /// Chronological order by the end of the period: (end year, end month,
    /// [`Period::kind_rank`]).
    pub fn sort_key(&self) -> (u16, u8, u8) {
        let (year, month) = self.end_month();
        (year, month, self.kind_rank())
    }

    /// Whether `other` lies wholly within this period (a month within its
    /// quarter or year, a period within itself).
    pub fn contains(&self, other: &Period) -> bool {
        self.start_month() <= other.start_month() && other.end_month() <= self.end_month()
    }
}

/// One period of the data made of others: a sum of the shorter periods of
/// one kind that tile it (its quarters, its months), or equal to the one
/// shorter period that ends with it (its Q4, its December), by `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composition {
    pub kind: Aggregation,
    /// By index into the periods.
    pub total: usize,
    /// For `EndOfPeriod`, the one period that ends with the total.
    pub parts: Vec<usize>,
}

/// Every way one of `periods` is made of others of them.
pub fn compositions(periods: &[Period]) -> Vec<Composition> {
    let months = |q: &Period| {
        let ((y1, m1), (y2, m2)) = (q.start_month(), q.end_month());
        (y2 as u32 * 12 + m2 as u32) - (y1 as u32 * 12 + m1 as u32) + 1
    };
    let mut found = Vec::new();
    for (t, total) in periods.iter().enumerate() {
        for rank in 0..total.kind_rank() {
            let within: Vec<usize> = (0..periods.len())
                .filter(|&q| periods[q].kind_rank() == rank && total.contains(&periods[q]))
                .collect();
            let covered: u32 = within.iter().map(|&q| months(&periods[q])).sum();
            if !within.is_empty() && covered == months(total) {
                found.push(Composition {
                    kind: Aggregation::Sum,
                    total: t,
                    parts: within.clone(),
                });
            }
            if let Some(&last) = within
                .iter()
                .find(|&&q| periods[q].end_month() == total.end_month())
            {
                found.push(Composition {
                    kind: Aggregation::EndOfPeriod,
                    total: t,
                    parts: vec![last],
                });
            }
        }
    }
    found
}

/// Reads `2025`, `2025Q3` (or `2025q3`) or `2025-09`.
///
/// The error says what is wrong without repeating the text, to follow
/// "`2025Q5` is not a period: ": a number out of range ("a quarter is Q1–Q4"),
/// the form to write where the intent is clear (`2025/09`, `2025年第3季度`),
/// or else the three forms.
pub fn parse(text: &str) -> Result<Period, String> {
    let text = text.trim();
    match parse_canonical(text) {
        Ok(Some(period)) => Ok(period),
        Err(problem) => Err(problem),
        Ok(None) => Err(match suggestion(text) {
            Some(Ok(period)) => format!("write `{period}`"),
            Some(Err(problem)) => problem,
            None => FORMS.to_string(),
        }),
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Period::parse(text)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).map_err(|e| serde::de::Error::custom(format!("`{text}` is not a period: {e}")))
    }
}

/// `Ok(None)` when `text` is not in one of the three forms at all; `Err` when
/// it is in a form but a number is out of range.
fn parse_canonical(text: &str) -> Result<Option<Period>, String> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .and_then(|_| text.get(range))
            .and_then(|d| d.parse::<u16>().ok())
    };
    let Some(year) = digits(0..4) else {
        return Ok(None);
    };
    let period = match (b.len(), b.get(4)) {
        (4, _) => Period::Year(year),
        (6, Some(b'Q' | b'q')) => match digits(5..6) {
            Some(q @ 1..=4) => Period::Quarter(year, q as u8),
            Some(_) => return Err("a quarter is Q1–Q4".into()),
            None => return Ok(None),
        },
        (7, Some(b'-')) => match digits(5..7) {
            Some(m @ 1..=12) => Period::Month(year, m as u8),
            Some(_) => return Err("a month is 01–12".into()),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(format!(
            "the year {year} is outside {FIRST_YEAR}–{LAST_YEAR}"
        ));
    }
    Ok(Some(period))
}

/// What a period written another way (`2025/9`, `2025年9月`, `2025-09-01`,
/// `2025年第三季度`, `Q3 2025`, `202509`) most likely means.
fn suggestion(text: &str) -> Option<Result<Period, String>> {
    // Chinese input methods readily produce full-width digits and letters.
    let text: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect();
    let numbers: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let is_quarter = text.contains(['Q', 'q', '季']);

    let (year, rest): (&str, Vec<&str>) = match numbers.as_slice() {
        [one] if one.len() == 6 && !is_quarter => (&one[..4], vec![&one[4..]]),
        [one] if one.len() == 8 && !is_quarter => (&one[..4], vec![&one[4..6], &one[6..]]),
        _ => {
            let year = *numbers.iter().find(|n| n.len() == 4)?;
            let rest = numbers.iter().copied().filter(|n| *n != year).collect();
            (year, rest)
        }
    };

    let candidate = if is_quarter {
        let quarter = match rest.as_slice() {
            [q] => q.to_string(),
            [] => chinese_numeral_before_quarter(&text)?.to_string(),
            _ => return None,
        };
        format!("{year}Q{quarter}")
    } else {
        match rest.as_slice() {
            [] => year.to_string(),
            [month] | [month, _] if month.len() <= 2 => {
                format!("{year}-{:0>2}", month)
            }
            _ => return None,
        }
    };
    let day_given = !is_quarter && rest.len() == 2;
    match parse_canonical(&candidate) {
        Ok(Some(period)) if day_given => Some(Err(format!(
            "a period is a year, a quarter or a month, not a day: write `{period}` for the month"
        ))),
        Ok(Some(period)) => Some(Ok(period)),
        Ok(None) => None,
        Err(problem) => Some(Err(problem)),
    }
}

fn chinese_numeral_before_quarter(text: &str) -> Option<u8> {
    let before = &text[..text.find('季')?];
    match before.chars().last()? {
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn err(s: &str) -> String {
        Period::parse(s).expect_err(s)
    }

    #[test]
    fn reads_the_three_forms() {
        assert_eq!(p("2025"), Period::Year(2025));
        assert_eq!(p("2025Q3"), Period::Quarter(2025, 3));
        assert_eq!(p("2025q1"), Period::Quarter(2025, 1));
        assert_eq!(p("2025-09"), Period::Month(2025, 9));
        assert_eq!(p(" 2025-12 "), Period::Month(2025, 12));
        assert_eq!("1900".parse::<Period>(), Ok(Period::Year(1900)));
        assert_eq!("2100Q4".parse::<Period>(), Ok(Period::Quarter(2100, 4)));
    }

    #[test]
    fn writes_the_canonical_form() {
        for s in ["2025", "2025Q3", "2025-09", "2024-12"] {
            assert_eq!(p(s).to_string(), s);
        }
        assert_eq!(p("2025q2").to_string(), "2025Q2");
        assert_eq!(
            serde_json::to_string(&[p("2025-01"), p("2025Q1")]).unwrap(),
            r#"["2025-01","2025Q1"]"#
        );
        let back: Vec<Period> = serde_json::from_str(r#"["2025","2025-03"]"#).unwrap();
        assert_eq!(back, vec![Period::Year(2025), Period::Month(2025, 3)]);
    }

    #[test]
    fn out_of_range_numbers_are_explained() {
        assert!(err("2025Q5").contains("a quarter is Q1–Q4"));
        assert!(err("2025Q0").contains("a quarter is Q1–Q4"));
        assert!(err("2025-13").contains("a month is 01–12"));
        assert!(err("2025-00").contains("a month is 01–12"));
        assert!(err("1899").contains("outside 1900–2100"));
        assert!(err("2101-01").contains("outside 1900–2100"));
        assert!(err("2025年第5季度").contains("a quarter is Q1–Q4"));
        assert!(err("2025/13").contains("a month is 01–12"));
    }

    #[test]
    fn other_ways_of_writing_suggest_the_form() {
        for (written, meant) in [
            ("2025/09", "2025-09"),
            ("2025/9", "2025-09"),
            ("2025-9", "2025-09"),
            ("2025.09", "2025-09"),
            ("2025年9月", "2025-09"),
            ("２０２５年９月", "2025-09"),
            ("202509", "2025-09"),
            ("2025年第3季度", "2025Q3"),
            ("2025年第三季度", "2025Q3"),
            ("2025年3季度", "2025Q3"),
            ("2025 Q3", "2025Q3"),
            ("2025-Q3", "2025Q3"),
            ("Q3 2025", "2025Q3"),
            ("2025年", "2025"),
            ("2025-09x", "2025-09"),
        ] {
            let e = err(written);
            assert!(e.contains(&format!("write `{meant}`")), "{written}: {e}");
        }
    }

    #[test]
    fn a_day_is_not_a_period() {
        for written in ["2025-09-01", "2025/9/1", "2025年9月1日", "20250901"] {
            let e = err(written);
            assert!(e.contains("not a day"), "{written}: {e}");
            assert!(e.contains("`2025-09`"), "{written}: {e}");
        }
    }

    #[test]
    fn unrecognisable_text_lists_the_forms() {
        for written in ["", "last year", "Q3", "25Q3", "二〇二五年", "2025-2-3-4"] {
            let e = err(written);
            assert!(e.contains("`2025Q3`"), "{written}: {e}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_canonical_form_reads_back(y in 1900u16..=2100, q in 1u8..=4, m in 1u8..=12) {
            for period in [Period::Year(y), Period::Quarter(y, q), Period::Month(y, m)] {
                proptest::prop_assert_eq!(parse(&period.to_string()), Ok(period));
            }
        }
    }

    #[test]
    fn labels_in_both_languages() {
        assert_eq!(p("2025").label("zh-CN"), "2025年");
        assert_eq!(p("2025Q3").label("zh-CN"), "2025年第3季度");
        assert_eq!(p("2025-09").label("zh"), "2025年9月");
        assert_eq!(p("2025").label("en"), "2025");
        assert_eq!(p("2025Q3").label("en"), "Q3 2025");
        assert_eq!(p("2025-09").label("en-GB"), "September 2025");
    }

    #[test]
    fn months_covered() {
        assert_eq!(p("2025").start_month(), (2025, 1));
        assert_eq!(p("2025").end_month(), (2025, 12));
        assert_eq!(p("2025Q3").start_month(), (2025, 7));
        assert_eq!(p("2025Q3").end_month(), (2025, 9));
        assert_eq!(p("2025-02").start_month(), (2025, 2));
        assert_eq!(p("2025-02").end_month(), (2025, 2));
        assert!(p("2025").contains(&p("2025Q3")));
        assert!(p("2025Q3").contains(&p("2025-09")));
        assert!(!p("2025Q3").contains(&p("2025-10")));
        assert!(!p("2025-09").contains(&p("2025Q3")));
    }

    #[test]
    fn sort_key_is_chronological_by_end() {
        let mut list: Vec<Period> = [
            "2025", "2025Q4", "2025-12", "2024", "2025Q1", "2025-03", "2025-01",
        ]
        .into_iter()
        .map(p)
        .collect();
        list.sort_by_key(Period::sort_key);
        let shown: Vec<String> = list.iter().map(Period::to_string).collect();
        assert_eq!(
            shown,
            [
                "2024", "2025-01", "2025-03", "2025Q1", "2025-12", "2025Q4", "2025"
            ]
        );
    }
}

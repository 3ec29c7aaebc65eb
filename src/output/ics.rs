//! One campaign event as an RFC 5545 iCalendar file (`.ics`), so that a
//! resident can put a World Mental Health Day event into their phone's
//! calendar with one tap.
//!
//! Choices a reader of the file might wonder about:
//! - Times are written in UTC (`…Z`), converted from the front matter's offset
//!   (China Standard Time when none is given). UTC needs no `VTIMEZONE` block,
//!   which many phone calendars parse badly, and means the same instant
//!   everywhere.
//! - An event with a start time but no end has no `DTEND`. RFC 5545 (3.6.1)
//!   reads that as "starts at this time"; inventing `DURATION:PT1H` would
//!   tell residents an end time the organisers never gave.
//! - Organisers are named in `DESCRIPTION`, not in `ORGANIZER`: that property
//!   holds a calendar address (a `mailto:` URI), and a county office publishing
//!   a leaflet has none to give. A made-up `noreply@invalid` would make some
//!   clients offer to send replies into the void.
//! - `DTSTAMP` comes from the caller (the page's date), never the clock, so a
//!   rebuild gives the same bytes.

use crate::content::date::Date;

/// What the calendar file says about one event. Borrowed from the page so that
/// building it costs nothing.
#[derive(Debug, Clone, Copy)]
pub struct CalendarEvent<'a> {
    /// Stable across builds, unique across sites: the page permalink without
    /// its scheme plus `@anxin`, e.g. `example.org/campaigns/wmhd/@anxin`.
    pub uid: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// The page's permalink, where the full notice lives.
    pub url: &'a str,
    /// A date alone makes an all-day event.
    pub start: &'a Date,
    /// Inclusive: `end = 2025-10-12` means the event runs through the 12th.
    pub end: Option<&'a Date>,
    pub location: Option<&'a str>,
    pub organizers: &'a [String],
    /// The words of the description, in the page's language (the theme's
    /// i18n): `主办单位：`, `详情：` and the list separator `、`.
    pub words: CalendarWords<'a>,
    /// `DTSTAMP`: the page's date, or the start when the page has none.
    pub stamp: &'a Date,
}

/// Labels of the description, from the theme's i18n.
#[derive(Debug, Clone, Copy)]
pub struct CalendarWords<'a> {
    pub organized_by: &'a str,
    pub details: &'a str,
    pub list_separator: &'a str,
}

/// The whole `.ics` file for one event, CRLF line endings, folded at 75
/// octets. `product` is the `PRODID` text, e.g. `-//anxin//anxin 0.1.0//ZH`.
pub fn calendar(event: &CalendarEvent, product: &str) -> String {
    let mut out = String::with_capacity(1024);
    let mut line = |text: &str| push_line(&mut out, text);

    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!("PRODID:{}", escape_text(product)));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line("BEGIN:VEVENT");
    line(&format!("UID:{}", escape_text(event.uid)));
    line(&format!("DTSTAMP:{}", utc(event.stamp)));
    for property in start_and_end(event.start, event.end) {
        line(&property);
    }
    line(&format!("SUMMARY:{}", escape_text(event.title)));
    line(&format!("DESCRIPTION:{}", escape_text(&description(event))));
    if let Some(location) = event.location {
        line(&format!("LOCATION:{}", escape_text(location)));
    }
    // URL is a URI, not TEXT: it is percent-encoded rather than escaped, so a
    // Chinese path stays a valid URI.
    line(&format!("URL:{}", super::encode_url(event.url)));
    line("END:VEVENT");
    line("END:VCALENDAR");
    out
}

/// `DTSTART` and, where the event has a known end, `DTEND`.
fn start_and_end(start: &Date, end: Option<&Date>) -> Vec<String> {
    if start.time.is_none() {
        // All day: DTEND is exclusive in RFC 5545, so the day after the last
        // day. An end before the start (validation's business, not ours)
        // still gives a valid one-day event rather than a broken file.
        let last = end.map_or(start.days(), |e| e.days().max(start.days()));
        return vec![
            format!("DTSTART;VALUE=DATE:{}", basic_date(start)),
            format!(
                "DTEND;VALUE=DATE:{}",
                basic_date(&Date::from_days(last + 1))
            ),
        ];
    }
    let mut properties = vec![format!("DTSTART:{}", utc(start))];
    if let Some(end) = end {
        let end_seconds = match end.time {
            Some(_) => end.unix_seconds(),
            // A timed start with a date-only end: the event runs to the end
            // of that day, China Standard Time.
            None => Date::from_days(end.days() + 1).unix_seconds(),
        };
        // RFC 5545 requires DTEND after DTSTART; a backwards end is dropped
        // rather than written into a file that calendars reject.
        if end_seconds > start.unix_seconds() {
            properties.push(format!("DTEND:{}", utc_from_seconds(end_seconds)));
        }
    }
    properties
}

/// The description as readers see it in their calendar app: the page's
/// description, who organises it, and where to read more (Google Calendar
/// does not show the `URL` property).
fn description(event: &CalendarEvent) -> String {
    let mut parts = Vec::new();
    if let Some(d) = event.description.filter(|d| !d.trim().is_empty()) {
        parts.push(d.trim().to_string());
    }
    if !event.organizers.is_empty() {
        let words = &event.words;
        let organizers = event.organizers.join(words.list_separator);
        parts.push(format!("{}{organizers}", words.organized_by));
    }
    parts.push(format!("{}{}", event.words.details, event.url));
    parts.join("\n")
}

/// `20251010T010000Z`: the instant `date` names, in UTC.
fn utc(date: &Date) -> String {
    utc_from_seconds(date.unix_seconds())
}

/// Seconds since the epoch as an RFC 5545 UTC date-time. Day, month and year
/// rollover fall out of `Date::from_days` (days-from-civil inverted).
fn utc_from_seconds(seconds: i64) -> String {
    let day = Date::from_days(seconds.div_euclid(86_400));
    let in_day = seconds.rem_euclid(86_400);
    format!(
        "{}T{:02}{:02}{:02}Z",
        basic_date(&day),
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

/// `20251010`
fn basic_date(date: &Date) -> String {
    format!("{:04}{:02}{:02}", date.year, date.month, date.day)
}

/// Escapes a TEXT value (RFC 5545 3.3.11). Other control characters are not
/// allowed in a content line at all, so they are dropped.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF is one line break, not two.
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no physical line exceeds 75
/// octets (RFC 5545 3.1). Continuation lines start with a space, which counts
/// towards their 75. Folds fall between characters, never inside a UTF-8
/// sequence, so a Chinese character (3 octets) is never split.
fn push_line(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > LIMIT {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::from_toml(&toml::Value::String(s.into())).unwrap()
    }

    #[test]
    fn converts_offsets_to_utc_with_rollover() {
        assert_eq!(utc(&date("2025-10-10T09:00:00+08:00")), "20251010T010000Z");
        assert_eq!(utc(&date("2025-10-10T09:00:00")), "20251010T010000Z");
        assert_eq!(utc(&date("2025-10-10T01:00:00Z")), "20251010T010000Z");
        // Back across a year boundary.
        assert_eq!(utc(&date("2026-01-01T07:59:59+08:00")), "20251231T235959Z");
        // Forward across a month boundary, half-hour offset.
        assert_eq!(utc(&date("2025-02-28T20:00:00-05:30")), "20250301T013000Z");
        assert_eq!(utc(&date("2024-02-28T20:00:00-05:30")), "20240229T013000Z");
        // A date alone is midnight in China.
        assert_eq!(utc(&date("2025-10-10")), "20251009T160000Z");
    }

    #[test]
    fn all_day_events_end_the_day_after_their_last_day() {
        let start = date("2025-10-10");
        assert_eq!(
            start_and_end(&start, None),
            ["DTSTART;VALUE=DATE:20251010", "DTEND;VALUE=DATE:20251011"]
        );
        assert_eq!(
            start_and_end(&start, Some(&date("2025-10-12")))[1],
            "DTEND;VALUE=DATE:20251013"
        );
        assert_eq!(
            start_and_end(&date("2025-12-31"), None)[1],
            "DTEND;VALUE=DATE:20260101"
        );
        // A backwards end still gives a one-day event.
        assert_eq!(
            start_and_end(&start, Some(&date("2025-10-01")))[1],
            "DTEND;VALUE=DATE:20251011"
        );
    }

    #[test]
    fn timed_events_without_an_end_have_no_dtend() {
        let start = date("2025-10-10T09:00:00+08:00");
        assert_eq!(start_and_end(&start, None), ["DTSTART:20251010T010000Z"]);
        // A date-only end means the end of that day.
        assert_eq!(
            start_and_end(&start, Some(&date("2025-10-11")))[1],
            "DTEND:20251011T160000Z"
        );
        // An end before the start is dropped.
        assert_eq!(
            start_and_end(&start, Some(&date("2025-10-10T08:00:00+08:00"))).len(),
            1
        );
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\u{7}g"),
            "a\\\\b\\;c\\,d\\ne\\nfg"
        );
        assert_eq!(escape_text("县疾控中心，县民政局"), "县疾控中心，县民政局");
    }

    #[test]
    fn folds_between_characters_at_75_octets() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", "心".repeat(60));
        push_line(&mut out, &text);
        for physical in out.split_terminator("\r\n") {
            assert!(
                physical.len() <= 75,
                "{physical:?} is {} octets",
                physical.len()
            );
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{text}\r\n"));
        // An ASCII line of exactly 75 octets is not folded.
        let mut out = String::new();
        push_line(&mut out, &"x".repeat(75));
        assert_eq!(out, format!("{}\r\n", "x".repeat(75)));
    }
}

//! The machine-readable outputs of event and policy pages, read back the way
//! their consumers read them: `.ics` files through a real iCalendar parser,
//! JSON-LD through a JSON parser, QR codes as markup.

use anxin::content::date::Date;
use anxin::output::ics::{CalendarEvent, CalendarWords, calendar};
use anxin::output::jsonld::{self, EventLd, ServiceLd};
use anxin::output::qr;
use icalendar::{
    CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike, parser,
};
use serde_json::Value;

const PRODUCT: &str = "-//anxin//anxin 0.1.0//ZH";

fn date(s: &str) -> Date {
    Date::from_toml(&toml::Value::String(s.into())).unwrap()
}

fn organizers() -> Vec<String> {
    vec!["县疾控中心".into(), "县民政局".into()]
}

/// The demo campaign, with a description long enough to be folded.
fn campaign(start: &Date, end: Option<&Date>, organizers: &[String]) -> String {
    let stamp = date("2025-09-20");
    calendar(
        &CalendarEvent {
            uid: "example.org/campaigns/2025-world-mental-health-day/@anxin",
            title: "2025年世界精神卫生日宣传活动：心理健康，人人共享",
            description: Some(
                "现场提供心理健康咨询、严重精神障碍患者免费服药政策解读；\n\
                 发放宣传资料，欢迎居民朋友参加, 关注心理健康。",
            ),
            url: "https://example.org/campaigns/2025-world-mental-health-day/",
            start,
            end,
            location: Some("县政协门口宣传点"),
            organizers,
            words: CalendarWords {
                organized_by: "主办单位：",
                details: "详情：",
                list_separator: "、",
            },
            stamp: &stamp,
        },
        PRODUCT,
    )
}

fn parse_event(ics: &str) -> icalendar::Event {
    let calendar: icalendar::Calendar = ics.parse().expect("a valid calendar");
    let mut events = calendar.components.into_iter().filter_map(|c| match c {
        CalendarComponent::Event(e) => Some(e),
        _ => None,
    });
    let event = events.next().expect("one VEVENT");
    assert!(events.next().is_none(), "only one VEVENT");
    event
}

fn utc(value: Option<DatePerhapsTime>) -> String {
    match value {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => {
            t.format("%Y%m%dT%H%M%SZ").to_string()
        }
        other => panic!("expected a UTC date-time, found {other:?}"),
    }
}

fn day(value: Option<DatePerhapsTime>) -> String {
    match value {
        Some(DatePerhapsTime::Date(d)) => d.format("%Y%m%d").to_string(),
        other => panic!("expected a date, found {other:?}"),
    }
}

#[test]
fn calendars_carry_start_and_end_in_utc() {
    let start = date("2025-10-10T09:00:00+08:00");
    let end = date("2025-10-10T12:00:00+08:00");
    let event = parse_event(&campaign(&start, Some(&end), &organizers()));
    assert_eq!(utc(event.get_start()), "20251010T010000Z");
    assert_eq!(utc(event.get_end()), "20251010T040000Z");
    assert_eq!(event.get_location(), Some("县政协门口宣传点"));
    assert_eq!(
        event.get_url(),
        Some("https://example.org/campaigns/2025-world-mental-health-day/")
    );
}

#[test]
fn calendars_convert_other_offsets_across_day_and_year_boundaries() {
    let start = date("2025-12-31T20:00:00-05:30");
    let end = date("2026-01-01T11:30:00+08:00");
    let event = parse_event(&campaign(&start, Some(&end), &[]));
    assert_eq!(utc(event.get_start()), "20260101T013000Z");
    assert_eq!(utc(event.get_end()), "20260101T033000Z");
    // Local times without an offset are China Standard Time.
    let event = parse_event(&campaign(&date("2026-01-01T03:00:00"), None, &[]));
    assert_eq!(utc(event.get_start()), "20251231T190000Z");
    assert!(event.get_end().is_none(), "an unknown end is left out");
}

#[test]
fn all_day_events_end_the_day_after_their_last_day() {
    let event = parse_event(&campaign(&date("2025-10-10"), None, &[]));
    assert_eq!(day(event.get_start()), "20251010");
    assert_eq!(day(event.get_end()), "20251011");
    let event = parse_event(&campaign(
        &date("2025-10-10"),
        Some(&date("2025-10-12")),
        &[],
    ));
    assert_eq!(day(event.get_end()), "20251013");
}

#[test]
fn uid_and_dtstamp_are_the_same_on_every_build() {
    let start = date("2025-10-10T09:00:00+08:00");
    let first = campaign(&start, None, &organizers());
    let second = campaign(&start, None, &organizers());
    assert_eq!(first, second);
    let event = parse_event(&first);
    assert_eq!(
        event.get_uid(),
        Some("example.org/campaigns/2025-world-mental-health-day/@anxin")
    );
    let stamp = event.get_timestamp().expect("a DTSTAMP");
    // The page's date, midnight in China, in UTC.
    assert_eq!(
        stamp.format("%Y%m%dT%H%M%SZ").to_string(),
        "20250919T160000Z"
    );
}

#[test]
fn calendar_lines_are_crlf_and_at_most_75_octets() {
    let ics = campaign(&date("2025-10-10T09:00:00+08:00"), None, &organizers());
    assert!(ics.ends_with("\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains(['\r', '\n']),
        "a bare CR or LF"
    );
    for line in ics.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
    }
    let unfolded = parser::unfold(&ics);
    for required in [
        "BEGIN:VCALENDAR\r\n",
        "VERSION:2.0\r\n",
        &format!("PRODID:{PRODUCT}\r\n"),
        "CALSCALE:GREGORIAN\r\n",
        "METHOD:PUBLISH\r\n",
        "BEGIN:VEVENT\r\n",
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
    ] {
        assert!(unfolded.contains(required), "missing {required:?}");
    }
}

#[test]
fn chinese_text_folds_between_characters_and_unfolds_to_the_original() {
    let ics = campaign(&date("2025-10-10"), None, &organizers());
    assert!(
        ics.lines().filter(|l| l.starts_with(' ')).count() >= 2,
        "the long Chinese lines are folded"
    );
    // A fold splits no character: each physical line ends on a whole one, so
    // a reader that decodes line by line sees no broken UTF-8.
    let mut bytes = ics.as_bytes();
    while let Some(at) = bytes.windows(2).position(|w| w == b"\r\n") {
        assert!(std::str::from_utf8(&bytes[..at]).is_ok());
        bytes = &bytes[at + 2..];
    }
    let unfolded = parser::unfold(&ics);
    let calendar = parser::read_calendar(&unfolded).expect("parses");
    let event = &calendar.components[0];
    let text = |name: &str| {
        event
            .find_prop(name)
            .map(|p| p.val.clone().unescape_text().as_str().to_string())
    };
    assert_eq!(
        text("SUMMARY").as_deref(),
        Some("2025年世界精神卫生日宣传活动：心理健康，人人共享")
    );
    assert_eq!(
        text("DESCRIPTION").as_deref(),
        Some(
            "现场提供心理健康咨询、严重精神障碍患者免费服药政策解读；\n\
             发放宣传资料，欢迎居民朋友参加, 关注心理健康。\n\
             主办单位：县疾控中心、县民政局\n\
             详情：https://example.org/campaigns/2025-world-mental-health-day/"
        )
    );
    // The ASCII comma in the description went out escaped.
    assert!(unfolded.contains("参加\\, 关注"));
}

fn script_json(html: &str) -> Value {
    let json = html
        .strip_prefix("<script type=\"application/ld+json\">")
        .and_then(|rest| rest.strip_suffix("</script>"))
        .expect("a JSON-LD script element");
    serde_json::from_str(json).expect("JSON")
}

#[test]
fn event_json_ld_parses_and_is_a_schema_org_event() {
    let start = date("2025-10-10T09:00:00");
    let end = date("2025-10-10T12:00:00+08:00");
    let organizers = organizers();
    let value = jsonld::event(&EventLd {
        name: "2025年世界精神卫生日宣传活动",
        description: Some("现场咨询 <免费> & 义诊"),
        url: "https://example.org/campaigns/2025-world-mental-health-day/",
        start: &start,
        end: Some(&end),
        venue: Some("县政协门口宣传点"),
        organizers: &organizers,
        language: "zh-CN",
    });
    let parsed = script_json(&jsonld::script(&value));
    assert_eq!(parsed, value);
    assert_eq!(parsed["@context"], "https://schema.org");
    assert_eq!(parsed["@type"], "Event");
    assert_eq!(parsed["startDate"], "2025-10-10T09:00:00+08:00");
    assert_eq!(parsed["endDate"], "2025-10-10T12:00:00+08:00");
    assert_eq!(parsed["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(
        parsed["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(parsed["location"]["@type"], "Place");
    assert_eq!(parsed["organizer"][1]["name"], "县民政局");
    assert_eq!(parsed["description"], "现场咨询 <免费> & 义诊");
}

#[test]
fn policy_json_ld_parses_and_is_a_government_service() {
    let eligibility = vec!["本县户籍".to_string()];
    let value = jsonld::government_service(&ServiceLd {
        name: "严重精神障碍患者监护人以奖代补",
        description: None,
        url: "https://example.org/policies/guardian-subsidy/",
        service_type: Some("监护补贴"),
        provider: Some("县综治办等六部门"),
        area: Some("示例县"),
        eligibility: &eligibility,
        clause_separator: "；",
        document: Some("〔2025〕3号"),
        telephone: Some("0000-12345678"),
    });
    let parsed = script_json(&jsonld::script(&value));
    assert_eq!(parsed["@type"], "GovernmentService");
    assert_eq!(parsed["provider"]["@type"], "GovernmentOrganization");
    assert_eq!(parsed["audience"]["@type"], "Audience");
    assert_eq!(parsed["termsOfService"], "〔2025〕3号");
    assert_eq!(parsed["availableChannel"]["@type"], "ServiceChannel");
    assert_eq!(
        parsed["availableChannel"]["servicePhone"]["@type"],
        "ContactPoint"
    );
}

#[test]
fn faq_json_ld_parses_and_is_a_faq_page() {
    let value = jsonld::faq_page(&[
        ("谁可以申请？".into(), "在册患者的监护人。".into()),
        (
            "去哪里办？".into(),
            "<p>乡镇卫生院 & 社区卫生服务中心</p>".into(),
        ),
    ]);
    let html = jsonld::script(&value);
    assert_eq!(html.matches("</script>").count(), 1);
    let parsed = script_json(&html);
    assert_eq!(parsed["@type"], "FAQPage");
    assert_eq!(parsed["mainEntity"][0]["@type"], "Question");
    assert_eq!(parsed["mainEntity"][1]["acceptedAnswer"]["@type"], "Answer");
    assert_eq!(
        parsed["mainEntity"][1]["acceptedAnswer"]["text"],
        "<p>乡镇卫生院 & 社区卫生服务中心</p>"
    );
}

#[test]
fn qr_codes_are_labelled_svg_and_the_same_on_every_build() {
    let url = "https://example.org/campaigns/2025-world-mental-health-day/";
    let first = qr::svg(url, "扫码打开本页").unwrap();
    assert_eq!(first, qr::svg(url, "扫码打开本页").unwrap());
    assert!(first.starts_with("<svg "));
    assert!(first.ends_with("</svg>"));
    assert!(first.contains("<title>扫码打开本页</title>"));
    assert!(first.contains("role=\"img\""));
    assert!(first.contains("aria-label=\"扫码打开本页\""));
    assert!(!first.contains("href"), "no external references");
    assert_eq!(first.matches("<path ").count(), 1);
}

#[test]
fn a_typical_page_address_makes_a_small_code() {
    // 61 bytes at level M fit version 4: 33 modules, plus 4 of quiet zone on
    // each side, so the SVG is 41 modules wide.
    let url = "https://example.org/campaigns/2025-world-mental-health-day/";
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).unwrap();
    assert_eq!(code.width(), 33);
    assert!(
        qr::svg(url, "本页")
            .unwrap()
            .contains("viewBox=\"0 0 41 41\"")
    );
}

#[test]
fn qr_codes_of_chinese_addresses_hold_the_percent_encoded_url() {
    let svg = qr::svg("https://example.org/tags/心理健康/", "标签").unwrap();
    let encoded = "https://example.org/tags/%E5%BF%83%E7%90%86%E5%81%A5%E5%BA%B7/";
    let code = qrcode::QrCode::with_error_correction_level(encoded, qrcode::EcLevel::M).unwrap();
    let size = code.width() + 8;
    assert!(svg.contains(&format!("viewBox=\"0 0 {size} {size}\"")));
}

//! The hotline directory as the library reads it from a site: one fixture site
//! per validation error under tests/fixtures/invalid/hotline-*/, each failing
//! with its message at the file, line and column of the offending value, and
//! tests/fixtures/hotlines-stale/ for the warning about an old verification.

mod common;
use common::*;

use anxin::content::date::Date;
use anxin::data::{areas, hotlines};
use anxin::diagnostics::{Diagnostic, Position};
use std::path::Path;

/// The fixtures are checked against a fixed day, so they do not go stale
/// while the calendar moves on.
fn today() -> Date {
    Date::from_toml(&toml::Value::String("2026-10-10".into())).expect("a date")
}

fn load(name: &str) -> (Vec<hotlines::Hotline>, Vec<Diagnostic>) {
    let root = fixture(name);
    let (areas, area_errors) = areas::load(&root);
    assert!(area_errors.is_empty(), "{name}: {area_errors:?}");
    hotlines::load(&root, &areas, &today(), 180)
}

/// The one error of an invalid fixture, at `line`:`column` of data/hotlines.toml.
fn the_error(name: &str, line: usize, column: usize) -> Diagnostic {
    let (_, diagnostics) = load(&format!("invalid/{name}"));
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{name}: {diagnostics:#?}");
    let d = errors[0].clone();
    assert_eq!(
        d.file.as_deref(),
        Some(Path::new("data/hotlines.toml")),
        "{name}"
    );
    assert_eq!(d.position, Some(Position { line, column }), "{name}: {d}");
    d
}

fn hint(d: &Diagnostic) -> &str {
    d.hint.as_deref().unwrap_or("")
}

#[test]
fn errors_on_a_landline_without_area_code() {
    let d = the_error("hotline-bad-number", 12, 10);
    assert_eq!(d.message, "`8888 8888` is a landline without its area code");
    assert!(hint(&d).contains("\"0571-8888 8888\""), "{d}");
    assert_eq!(d.source_line.as_deref(), Some("number = \"8888 8888\""));
}

#[test]
fn errors_on_hours_not_in_the_format() {
    let d = the_error("hotline-bad-hours", 13, 9);
    assert_eq!(d.message, "`工作日` is not a day in the hours format");
    assert!(
        hint(&d).contains("\"Mo-Fr 08:30-17:30; Sa 09:00-12:00\""),
        "{d}"
    );
}

#[test]
fn errors_on_a_number_listed_twice_naming_the_first() {
    let d = the_error("hotline-duplicate", 12, 10);
    assert_eq!(d.message, "the number 12356 is listed twice");
    assert_eq!(
        hint(&d),
        "the entry at line 2 has it already; keep one of the two"
    );
}

#[test]
fn errors_on_an_unknown_area_with_a_suggestion() {
    let d = the_error("hotline-unknown-area", 14, 8);
    assert_eq!(d.message, "there is no area `contry`");
    assert_eq!(hint(&d), "did you mean \"county\"?");
}

#[test]
fn errors_on_a_verified_date_in_the_future() {
    let d = the_error("hotline-future-verified", 15, 12);
    assert_eq!(
        d.message,
        "verified 2099-01-01 is in the future (today is 2026-10-10)"
    );
    assert_eq!(
        hint(&d),
        "write the day someone last called the number and checked it"
    );
}

#[test]
fn errors_on_an_unknown_key_with_a_suggestion() {
    let d = the_error("hotline-unknown-key", 15, 1);
    assert_eq!(d.message, "unknown hotline key `organisation`");
    assert_eq!(hint(&d), "did you mean `organization`?");
}

#[test]
fn invalid_fixtures_keep_their_valid_entries() {
    // Only the entry in error is dropped, so the rest of the file is still
    // checked (and a duplicate of a valid entry is still found).
    let (hotlines, _) = load("invalid/hotline-bad-number");
    let numbers: Vec<&str> = hotlines.iter().map(|h| h.display.as_str()).collect();
    assert_eq!(numbers, ["12356"]);
}

#[test]
fn warns_about_a_number_not_verified_for_long() {
    let (hotlines, diagnostics) = load("hotlines-stale");
    assert_eq!(hotlines.len(), 1, "a stale number is still listed");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert!(!d.is_error(), "{d}");
    assert_eq!(
        d.message,
        "hotline 12356 not verified since 2020-01-01, 2474 days ago"
    );
    assert_eq!(d.file.as_deref(), Some(Path::new("data/hotlines.toml")));
    assert_eq!(
        d.position,
        Some(Position {
            line: 9,
            column: 12
        })
    );
    assert!(
        hint(d).starts_with("call the number, then update verified"),
        "{d}"
    );
}

#[test]
fn a_site_without_hotlines_has_an_empty_directory() {
    let (hotlines, diagnostics) = load("basic");
    assert!(hotlines.is_empty() && diagnostics.is_empty());
}

#[test]
fn lists_the_directory_as_json_in_file_order() {
    let (hotlines, _) = load("hotlines-stale");
    let json = hotlines::to_json(&hotlines, "zh-CN", "zh-CN", &|id: &str| {
        if id == "national" {
            "全国".into()
        } else {
            id.into()
        }
    });
    assert_eq!(
        json,
        serde_json::json!({ "hotlines": [{
            "name": "全国心理援助热线",
            "number": "12356",
            "digits": "12356",
            "kind": "service",
            "display": "12356",
            "tel": "tel:12356",
            "hours": "全天24小时",
            "opening_hours": "24/7",
            "always_open": true,
            "area": "national",
            "area_name": "全国",
            "services": ["心理援助", "危机干预"],
            "languages": ["普通话"],
            "organization": null,
            "verified": "2020-01-01",
            "stale": true,
            "source": null,
            "example": false,
        }]})
    );
}

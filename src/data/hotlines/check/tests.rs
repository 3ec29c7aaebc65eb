//! Tests of checking data/hotlines.toml entry by entry.

use super::*;
use crate::data::hotlines::{HOTLINES_FILE, to_json};

const AREAS: &str = "[[area]]\nid = \"county\"\nname = \"示例县\"\n\n[[area]]\nid = \"town-a\"\nname = \"城关镇\"\nparent = \"county\"\n";

fn today() -> Date {
    Date::from_toml(&toml::Value::String("2026-10-10".into())).unwrap()
}

fn check(text: &str) -> (Vec<Hotline>, Vec<Diagnostic>) {
    let (areas, errors) = crate::data::areas::parse(Path::new("data/areas.toml"), AREAS);
    assert!(errors.is_empty(), "{errors:?}");
    check_file(Path::new(HOTLINES_FILE), text, &areas, &today(), 180)
}

fn entry(fields: &str) -> String {
    format!(
        "[[hotline]]\nname = \"热线\"\nnumber = \"12356\"\nhours = \"24/7\"\narea = \"national\"\nverified = 2026-10-01\n{fields}"
    )
}

#[test]
fn reads_a_complete_entry() {
    let text = "# 热线\n\n[[hotline]]\nname = { \"zh-CN\" = \"心理热线\", en = \"Counselling line\" }\nnumber = \"0571-8888 8888\"\nhours = \"Mo-Fr 08:30-17:30; Sa 09:00-12:00\"\narea = \"town-a\"\nservices = [\"心理援助\"]\nlanguages = [\"普通话\"]\norganization = \"城关镇卫生院\"\nverified = 2026-09-01\nsource = \"https://example.org/notice\"\n";
    let (hotlines, diagnostics) = check(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let h = &hotlines[0];
    assert_eq!(h.line, 3);
    assert_eq!(h.number, "0571-8888 8888");
    assert_eq!(h.display, "0571-8888 8888");
    assert_eq!(h.tel.as_deref(), Some("tel:057188888888"));
    assert_eq!(h.kind, NumberKind::Landline);
    assert_eq!(h.hours.text_zh, "周一至周五 08:30–17:30；周六 09:00–12:00");
    assert_eq!(h.verified.ymd(), "2026-09-01");

    let area_name = |id: &str| format!("<{id}>");
    let v = h.value("en", "zh-CN", &area_name);
    assert_eq!(v["name"], "Counselling line");
    assert_eq!(v["hours"], "Mon–Fri 08:30–17:30; Sat 09:00–12:00");
    assert_eq!(v["area_name"], "<town-a>");
    assert_eq!(v["verified"], "2026-09-01");
    assert_eq!(v["always_open"], false);
    let all = to_json(&hotlines, "zh-CN", "zh-CN", &area_name);
    assert_eq!(all["hotlines"][0]["name"], "心理热线");
    assert_eq!(
        all["hotlines"][0]["hours"],
        "周一至周五 08:30–17:30；周六 09:00–12:00"
    );
}

#[test]
fn a_missing_file_section_is_an_empty_directory() {
    let (hotlines, diagnostics) = check("# 暂无热线\n");
    assert!(hotlines.is_empty() && diagnostics.is_empty());
}

#[test]
fn reports_every_problem_of_the_file_at_its_value() {
    let text = [
        entry(""),
        entry(""),
        entry("").replace("24/7", "全天").replace("12356", "12320"),
        entry("")
            .replace("\"national\"", "\"contry\"")
            .replace("12356", "120"),
        entry("numbr = \"1\"\n"),
        entry("")
            .replace("2026-10-01", "2027-01-01")
            .replace("12356", "110"),
        entry("")
            .replace("\"热线\"", "\"\"")
            .replace("12356", "119"),
    ]
    .concat();
    let (hotlines, diagnostics) = check(&text);
    let found: Vec<(usize, usize, &str)> = diagnostics
        .iter()
        .map(|d| {
            let p = d.position.unwrap();
            (p.line, p.column, d.message.as_str())
        })
        .collect();
    assert_eq!(
        found,
        [
            (9, 10, "the number 12356 is listed twice"),
            (16, 9, "`全天` is not in the hours format"),
            (23, 8, "there is no area `contry`"),
            (31, 1, "unknown hotline key `numbr`"),
            (
                37,
                12,
                "verified 2027-01-01 is in the future (today is 2026-10-10)"
            ),
            (39, 8, "a hotline needs a name"),
        ]
    );
    assert_eq!(hotlines.len(), 1);
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some("the entry at line 1 has it already; keep one of the two")
    );
    assert_eq!(
        diagnostics[2].hint.as_deref(),
        Some("did you mean \"county\"?")
    );
    assert_eq!(
        diagnostics[3].hint.as_deref(),
        Some("did you mean `number`?")
    );
}

#[test]
fn reports_a_missing_key_at_its_entry() {
    let text = format!(
        "{}\n[[hotline]]\nname = \"x\"\nnumber = \"120\"\n",
        entry("")
    );
    let (_, diagnostics) = check(&text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0]
            .message
            .contains("missing the required key `hours`"),
        "{diagnostics:?}"
    );
    assert_eq!(diagnostics[0].position.unwrap().line, 8);
}

#[test]
fn asks_for_numbers_in_quotes() {
    let (_, diagnostics) = check(&entry("").replace("\"12356\"", "12356"));
    assert_eq!(
        diagnostics[0].message,
        "`number` must be text in quotes, not integer"
    );
}

#[test]
fn example_entries_need_zeros_and_are_never_dialled_or_stale() {
    let text = entry("example = true\n")
        .replace("\"12356\"", "\"0000-0000000\"")
        .replace("2026-10-01", "2020-01-01");
    let (hotlines, diagnostics) = check(&format!("{text}\n{text}"));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(hotlines[0].display, "0000-0000000");
    assert_eq!(hotlines[0].tel, None);
    assert_eq!(hotlines[0].kind, NumberKind::Example);

    let (_, diagnostics) = check(&entry("example = true\n"));
    assert!(
        diagnostics[0]
            .message
            .starts_with("an example entry must not carry a number that could be real")
    );
}

#[test]
fn warns_about_numbers_not_verified_for_long() {
    let (hotlines, diagnostics) = check(&entry("").replace("2026-10-01", "2026-01-01"));
    assert_eq!(hotlines.len(), 1);
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert!(!d.is_error());
    assert_eq!(
        d.message,
        "hotline 12356 not verified since 2026-01-01, 282 days ago"
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap_or("")
            .starts_with("call the number, then update verified")
    );
    assert_eq!(d.position.unwrap().line, 6);
}

#[test]
fn reads_the_inline_array_form() {
    let text = "hotline = [\n  { name = \"热线\", number = \"12356\", hours = \"24/7\", area = \"national\", verified = 2026-10-01 },\n  { name = \"急救\", number = \"120\", hours = \"24/7\", area = \"county\", verified = 2026-10-01 },\n]\n";
    let (hotlines, diagnostics) = check(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(hotlines.iter().map(|h| h.line).collect::<Vec<_>>(), [2, 3]);
    let (_, diagnostics) = check(&text.replace("\"county\"", "\"town-b\""));
    assert_eq!(diagnostics[0].message, "there is no area `town-b`");
    assert_eq!(diagnostics[0].position.unwrap().line, 3);
}

#[test]
fn misspelt_table_name_suggests_hotline() {
    let (_, diagnostics) = check(&entry("").replace("[[hotline]]", "[[hotlines]]"));
    assert_eq!(
        diagnostics[0].message,
        "unknown hotlines.toml key `hotlines`"
    );
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some("did you mean `hotline`?")
    );
}

//! A bilingual county campaign site as an officer writes it (issue #20): a
//! translated past event, a Chinese-only future event, a policy whose FAQ
//! answer calls a shortcode, Chinese bold beside punctuation, and a
//! directory of twelve hotlines in five groups.

mod common;

use common::*;
use std::path::Path;

/// Builds the campaign fixture on a fixed day, so "upcoming" is stable.
fn built() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temporary folder");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_anxin"))
        .args(["build", "--root"])
        .arg(fixture("campaign"))
        .arg("--output")
        .arg(out.path())
        .env("ANXIN_TODAY", "2026-12-01")
        .output()
        .expect("run anxin");
    assert!(
        status.status.success(),
        "build failed:\n{}",
        stderr(&status)
    );
    out
}

/// Every `<ul class="page-list event-list">` on a page, whole.
fn event_lists(dir: &Path, page: &str) -> Vec<String> {
    let html = read(dir, page);
    html.split("<ul class=\"page-list event-list\">")
        .skip(1)
        .map(|rest| rest.split("</ul>").next().unwrap_or("").trim().to_string())
        .collect()
}

fn item(href: &str, title: &str, when: &str, datetime: &str, venue: &str) -> String {
    format!(
        "<li>\n    <a href=\"{href}\">{title}</a>\n    <p><time datetime=\"{datetime}\">{when}</time> · {venue}</p>\n  </li>"
    )
}

#[test]
fn event_lists_hold_only_their_own_language() {
    let out = built();
    let wmhd_zh = item(
        "https://example.org/campaigns/wmhd-2025/",
        "2025年世界精神卫生日宣传",
        "2025年10月10日（星期五） 09:00—12:00",
        "2025-10-10T09:00:00+08:00",
        "示例县人民广场（示例）",
    );
    let spring_zh = item(
        "https://example.org/campaigns/spring-2099/",
        "2099年春季乡镇义诊",
        "2099年3月21日（星期六） 09:00—11:30",
        "2099-03-21T09:00:00+08:00",
        "石桥乡卫生院（示例）",
    );
    let wmhd_en = item(
        "https://example.org/en/campaigns/wmhd-2025/",
        "World Mental Health Day 2025",
        "Friday 10 October 2025, 09:00–12:00",
        "2025-10-10T09:00:00+08:00",
        "People&#39;s Square, Example County (example)",
    );
    // Upcoming, then past: each event once, in the page's language.
    assert_eq!(
        event_lists(out.path(), "campaigns/index.html"),
        vec![spring_zh.clone(), wmhd_zh]
    );
    assert_eq!(
        event_lists(out.path(), "en/campaigns/index.html"),
        vec![wmhd_en]
    );
    // The English home has no upcoming English event, so no list at all.
    assert_eq!(
        event_lists(out.path(), "en/index.html"),
        Vec::<String>::new()
    );
    assert_eq!(event_lists(out.path(), "index.html"), vec![spring_zh]);
}

#[test]
fn faq_json_ld_carries_what_a_reader_sees_of_a_shortcode() {
    let out = built();
    let html = read(out.path(), "policies/free-medication/index.html");
    let faq = html
        .split("<script type=\"application/ld+json\">")
        .filter_map(|s| s.split("</script>").next())
        .find(|s| s.contains("FAQPage"))
        .expect("FAQPage JSON-LD");
    assert_eq!(
        faq,
        r#"{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[{"@type":"Question","acceptedAnswer":{"@type":"Answer","text":"请拨打 全国心理援助热线 12356，全天有人接听。"},"name":"夜里心里难受找谁？"},{"@type":"Question","acceptedAnswer":{"@type":"Answer","text":"带上身份证和医保卡。"},"name":"要带什么？"}]}"#
    );
    for file in tree(out.path()) {
        let bytes = std::fs::read(out.path().join(&file)).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains('\u{E000}') && !text.contains('\u{E001}'),
            "{file} carries a shortcode placeholder"
        );
    }
}

#[test]
fn chinese_bold_beside_punctuation_is_bold() {
    let out = built();
    let html = read(out.path(), "campaigns/wmhd-2025/index.html");
    let prose = html
        .split("<div class=\"prose\">")
        .nth(1)
        .and_then(|s| s.split("</div>").next())
        .expect("prose");
    assert_eq!(
        prose.trim(),
        "<p><strong>注意：</strong>请携带身份证。到现场领取<strong>《免费服药卡》</strong>到村卫生室登记，了解<strong>监护补贴（以奖代补）</strong>的申请办法。</p>"
    );
}

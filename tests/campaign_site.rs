//! A bilingual county campaign site as an officer writes it (issue #20): a
//! translated past event, a Chinese-only future event, a policy whose FAQ
//! answer calls a shortcode, Chinese bold beside punctuation, and a
//! directory of twelve hotlines in five groups.

mod common;

use common::*;
use std::path::Path;

/// Builds the campaign fixture on a fixed day, so "upcoming" is stable.
fn built() -> tempfile::TempDir {
    let (run, out) = build_on(&fixture("campaign"), "2026-12-01");
    assert!(run.status.success(), "build failed:\n{}", stderr(&run));
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
        r#"{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[{"@type":"Question","acceptedAnswer":{"@type":"Answer","text":"请拨打 全国心理援助热线 12356，全天有人接听。"},"name":"夜里心里难受找谁？"},{"@type":"Question","acceptedAnswer":{"@type":"Answer","text":"带上身份证和医保卡，不清楚的可以先打 示例县疾控中心精神卫生科（示例） 0000-00000000 示例 问一问。"},"name":"要带什么？"}]}"#
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

/// The build's stderr and the output folder, run on `root` on `today`.
fn build_on(root: &Path, today: &str) -> (std::process::Output, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("temporary folder");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_anxin"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.path())
        .env("ANXIN_TODAY", today)
        .output()
        .expect("run anxin");
    (run, out)
}

/// The quoted value after each `prefix` in `html` (`<a href="` gives
/// every link), in order.
fn values_after(html: &str, prefix: &str) -> Vec<String> {
    html.split(prefix)
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The `id` of every hotline card on a page, in order.
fn card_ids(html: &str) -> Vec<String> {
    values_after(html, "<li class=\"hotline-card\" id=\"")
}

#[test]
fn example_numbers_work_in_shortcodes_and_keep_their_cards_apart() {
    let out = built();
    let ids = card_ids(&read(out.path(), "hotlines/index.html"));
    assert_eq!(
        ids,
        [
            "hotline-12356",
            "hotline-110",
            "hotline-120",
            "hotline-0000-0000000",
            "hotline-0000-00000000",
            "hotline-000-00000000-8001",
            "hotline-000-0000000",
            "hotline-00000000",
            "hotline-0000000",
            "hotline-0000-000000",
            "hotline-000000000",
            "hotline-0000000000",
        ]
    );
    let html = read(out.path(), "policies/free-medication/index.html");
    assert!(
        html.contains("<span class=\"hotline-inline\">示例县疾控中心精神卫生科（示例） <span class=\"hotline-number\">0000-00000000</span> <span class=\"badge badge-example\">示例</span></span>"),
        "the example number's shortcode shows the example entry:\n{html}"
    );
}

#[test]
fn a_stale_number_is_marked_for_residents() {
    // 2028: every real number was last checked more than 180 days ago.
    let (run, out) = build_on(&fixture("campaign"), "2028-01-01");
    assert!(run.status.success(), "{}", stderr(&run));
    let html = read(out.path(), "hotlines/index.html");
    let card = |id: &str| {
        html.split(&format!("id=\"hotline-{id}\">"))
            .nth(1)
            .and_then(|s| s.split("</li>").next())
            .unwrap_or_else(|| panic!("no card {id}"))
            .to_string()
    };
    let stale = card("12356");
    assert!(
        stale.ends_with("<dt>最近核实</dt>\n    <dd><time datetime=\"2026-11-01\">2026年11月1日</time> <strong class=\"badge badge-stale\">久未核实</strong></dd>\n  </dl>\n  <p class=\"hotline-stale\">这个号码已较长时间没有核实，可能已经变更；打不通时请拨打上方的全国热线。</p>\n"),
        "{stale}"
    );
    // Nobody can check a placeholder: it is never stale.
    assert!(!card("0000-0000000").contains("badge-stale"));
    let en = read(out.path(), "en/hotlines/index.html");
    assert!(en.contains("<strong class=\"badge badge-stale\">Not checked recently</strong>"));
    let json = read(out.path(), "hotlines.json");
    assert!(json.contains("\"stale\": true"), "{json}");
}

#[test]
fn one_bad_hotline_field_is_reported_once_without_its_consequences() {
    let site = copy_fixture("campaign");
    let file = site.path().join("data/hotlines.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    // The first entry (12356) gets a date in the future.
    std::fs::write(
        &file,
        text.replacen("verified = 2026-11-01", "verified = 2027-06-01", 1),
    )
    .expect("write");
    let (run, _out) = build_on(site.path(), "2026-12-01");
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(
        errors,
        ["error: verified 2027-06-01 is in the future (today is 2026-12-01)"],
        "{err}"
    );
    assert!(!err.contains("there is no hotline"), "{err}");
}

#[test]
fn a_leaflet_printed_from_the_preview_leads_to_the_published_site() {
    let server = serve(&fixture("campaign"));
    let (status, page) = server.get("/campaigns/wmhd-2025/");
    assert_eq!(status, 200);
    let aside = page
        .split("<aside class=\"print-qr\"")
        .nth(1)
        .and_then(|s| s.split("</aside>").next())
        .expect("the QR code's aside");
    assert!(
        aside.contains("https://example.org/campaigns/wmhd-2025/"),
        "{aside}"
    );
    // The preview's own links stay relative, so it works at any address.
    assert!(page.contains("href=\"/campaigns/\""), "{page}");
    let (status, ics) = server.get("/campaigns/wmhd-2025/event.ics");
    assert_eq!(status, 200);
    assert!(
        ics.contains("URL:https://example.org/campaigns/wmhd-2025/"),
        "{ics}"
    );
}

/// Whether `text` has a Han character or Chinese punctuation.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| {
        anxin::content::markdown::is_han(c)
            || ('\u{3000}'..='\u{303f}').contains(&c)
            || ('\u{ff00}'..='\u{ffef}').contains(&c)
    })
}

#[test]
fn english_calendar_files_and_search_engine_data_are_in_english() {
    let out = built();
    let ics = read(out.path(), "en/campaigns/wmhd-2025/event.ics");
    assert!(!has_chinese(&ics), "{ics}");
    assert!(
        ics.contains(
            "DESCRIPTION:Organised by: Example County Health Bureau\\, Example County CDC"
        ),
        "{ics}"
    );
    let zh = read(out.path(), "campaigns/wmhd-2025/event.ics");
    assert!(
        zh.contains("主办单位：示例县卫生健康局、示例县疾控中心"),
        "{zh}"
    );
    for page in [
        "en/campaigns/wmhd-2025/index.html",
        "en/policies/free-medication/index.html",
    ] {
        let Ok(html) = std::fs::read_to_string(out.path().join(page)) else {
            continue;
        };
        for script in html.split("<script type=\"application/ld+json\">").skip(1) {
            let json = script.split("</script>").next().unwrap_or("");
            assert!(!has_chinese(json), "{page}: {json}");
        }
    }
}

#[test]
fn chinese_opening_hours_and_an_extension_are_read_and_shown() {
    let out = built();
    let html = read(out.path(), "hotlines/index.html");
    assert!(
        html.contains("<dd>周一至周五 08:30–12:00、14:30–17:30；周六 09:00–12:00</dd>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"hotline-number\">000-00000000 转 8001</span>"),
        "{html}"
    );
    let en = read(out.path(), "en/hotlines/index.html");
    assert!(
        en.contains("<dd>Mon–Fri 08:30–12:00, 14:30–17:30; Sat 09:00–12:00</dd>"),
        "{en}"
    );
    let json = read(out.path(), "hotlines.json");
    assert!(
        json.contains("\"opening_hours\": \"Mo-Fr 08:30-12:00,14:30-17:30;Sa 09:00-12:00\""),
        "{json}"
    );
}

#[test]
fn a_new_site_is_verified_the_day_it_is_made_and_passes_check_strict() {
    for today in ["2024-01-05", "2031-07-01"] {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let site = tmp.path().join("site");
        let run = |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_anxin"))
                .args(args)
                .env("ANXIN_TODAY", today)
                .output()
                .expect("run anxin")
        };
        let made = run(&["new", site.to_str().expect("utf-8 path")]);
        assert!(made.status.success(), "{}", stderr(&made));
        let hotlines = std::fs::read_to_string(site.join("data/hotlines.toml")).expect("read");
        assert!(
            hotlines.contains(&format!("verified = {today}\n")),
            "{hotlines}"
        );
        let checked = run(&[
            "check",
            "--strict",
            "--root",
            site.to_str().expect("utf-8 path"),
        ]);
        assert!(checked.status.success(), "{today}: {}", stderr(&checked));
    }
}

/// The `href` of every link in the term list of a taxonomy's page.
fn term_links(html: &str) -> Vec<String> {
    let list = html
        .split("<ul class=\"term-list\">")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .unwrap_or("");
    values_after(list, "<a href=\"")
}

#[test]
fn a_taxonomy_of_the_sites_own_gets_its_lists_in_each_language() {
    let out = built();
    assert_eq!(
        term_links(&read(out.path(), "categories/index.html")),
        [
            "https://example.org/categories/%E4%B8%96%E7%95%8C%E7%B2%BE%E7%A5%9E%E5%8D%AB%E7%94%9F%E6%97%A5/",
            "https://example.org/categories/%E4%B9%89%E8%AF%8A/",
        ]
        .map(anxin::content::markdown::percent_decode)
    );
    assert_eq!(
        term_links(&read(out.path(), "en/categories/index.html")),
        ["https://example.org/en/categories/free-consultations/"]
    );
    let term = read(out.path(), "categories/义诊/index.html");
    assert!(term.contains("<h1>分类：义诊</h1>"), "{term}");
    // Both events of the term, newest first.
    let spring = term.find("2099年春季乡镇义诊").expect("the spring event");
    let wmhd = term
        .find("2025年世界精神卫生日宣传")
        .expect("the WMHD event");
    assert!(spring < wmhd);
    let page = read(out.path(), "campaigns/wmhd-2025/index.html");
    assert!(page.contains("<p class=\"tags\">分类："), "{page}");
    assert!(out.path().join("tags/宣传活动/index.html").is_file());
}

#[test]
fn the_site_wide_feed_lists_every_dated_page_of_its_language() {
    let out = built();
    let entries = |feed: &str| -> Vec<String> {
        feed.split("<entry>")
            .skip(1)
            .filter_map(|e| {
                e.split("<title>")
                    .nth(1)?
                    .split("</title>")
                    .next()
                    .map(str::to_string)
            })
            .collect()
    };
    assert_eq!(
        entries(&read(out.path(), "atom.xml")),
        [
            "2099年春季乡镇义诊",
            "2025年世界精神卫生日宣传",
            "免费基本服药"
        ]
    );
    assert_eq!(
        entries(&read(out.path(), "en/atom.xml")),
        ["World Mental Health Day 2025", "Free basic medication"]
    );
    let home = read(out.path(), "en/index.html");
    assert!(
        home.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Example County Mental Health\" href=\"https://example.org/en/atom.xml\">"),
        "{home}"
    );
}

#[test]
fn an_undeclared_taxonomy_is_an_error_at_its_line() {
    let site = copy_fixture("campaign");
    let file = site.path().join("content/campaigns/spring-2099/index.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace("categories = [\"义诊\"]", "categorys = [\"义诊\"]"),
    )
    .expect("write");
    let (run, _out) = build_on(site.path(), "2026-12-01");
    assert_eq!(run.status.code(), Some(1));
    assert_golden("undeclared-taxonomy.txt", &stderr(&run));
}

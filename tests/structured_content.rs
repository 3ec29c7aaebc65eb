//! Hotlines, events and policies as residents and other programs see them:
//! the directory page and its JSON, shortcodes, calendar files, JSON-LD, the
//! QR code for print, lints with dates, and an error for each kind of mistake.

mod common;
use common::*;
use std::path::Path;

fn built() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let root = fixture("structured");
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_anxin"))
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ])
        .env("ANXIN_TODAY", "2026-11-23")
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    (tmp, out, stderr(&result))
}

/// The JSON of every `<script type="application/ld+json">` of a page.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let json = &rest[..rest.find("</script>").expect("closed script")];
            serde_json::from_str(json).unwrap_or_else(|e| panic!("invalid JSON-LD {e}: {json}"))
        })
        .collect()
}

#[test]
fn the_hotline_directory_groups_numbers_by_area_with_tap_to_call_links() {
    let (_tmp, out, _) = built();
    let page = read(&out, "hotlines/index.html");
    let national = page.find("全国").expect("national group");
    let county = page.find("测试县").expect("county group");
    let town = page.find("甲镇").expect("town group");
    assert!(
        national < county && county < town,
        "national, then county, then township"
    );
    assert!(page.contains("href=\"tel:12356\""));
    assert!(page.contains("href=\"tel:057187654321\""), "{page}");
    assert!(
        page.contains("0571-8765 4321"),
        "numbers are written in readable groups"
    );
    assert!(page.contains("24小时"));
    assert!(page.contains("示例"), "the example entry is marked");
    assert!(
        !page.contains("tel:00000"),
        "nobody can dial an example number"
    );
    let menu = read(&out, "index.html");
    assert!(
        menu.contains("href=\"https://structured.example.org/hotlines/\""),
        "the directory is in the navigation"
    );

    let json: serde_json::Value = serde_json::from_str(&read(&out, "hotlines.json")).unwrap();
    let list = json["hotlines"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["number"], "12356");
    assert_eq!(list[1]["area_name"], "甲镇");
}

#[test]
fn the_hotline_shortcode_links_the_number_in_prose() {
    let (_tmp, out, _) = built();
    let home = read(&out, "index.html");
    assert!(
        home.contains("<a class=\"hotline-inline\" href=\"tel:12356\">全国心理援助热线"),
        "{home}"
    );
}

#[test]
fn events_get_a_calendar_file_json_ld_and_a_place_in_upcoming_or_past() {
    let (_tmp, out, _) = built();
    let ics = read(&out, "events/future-day/event.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains("DTSTART:20991010T010000Z"), "{ics}");
    assert!(ics.contains("DTEND:20991010T040000Z"));
    let page = read(&out, "events/future-day/index.html");
    assert!(
        page.contains("2099年10月10日（星期六） 09:00—12:00"),
        "the time the Chinese way"
    );
    let ld = json_ld(&page);
    assert!(
        ld.iter().any(|v| v["@type"] == "Event"
            && v["startDate"]
                .as_str()
                .unwrap()
                .starts_with("2099-10-10T09:00")),
        "{ld:?}"
    );
    assert!(page.contains("<svg"), "a QR code for the printed leaflet");

    let past = read(&out, "events/past-day/index.html");
    assert!(
        past.contains("发放宣传资料") && past.contains("3200"),
        "the activity report table"
    );
    let home = read(&out, "index.html");
    let upcoming = &home[home
        .find("id=\"home-upcoming\"")
        .expect("an upcoming block")..];
    let upcoming = &upcoming[..upcoming.find("</section>").unwrap()];
    assert!(
        upcoming.contains("未来的义诊"),
        "upcoming events are on the home page"
    );
    assert!(
        !upcoming.contains("已经举行的宣传日"),
        "past events are not upcoming"
    );
}

#[test]
fn policies_get_a_summary_faq_and_government_service_json_ld() {
    let (_tmp, out, warnings) = built();
    let page = read(&out, "policies/subsidy/index.html");
    assert!(page.contains("政策要点") && page.contains("测〔2025〕9号"));
    assert!(
        page.contains("<ol><li>提出申请</li>"),
        "steps as an ordered list"
    );
    let ld = json_ld(&page);
    assert!(
        ld.iter().any(|v| v["@type"] == "GovernmentService"),
        "{ld:?}"
    );
    let faq = ld
        .iter()
        .find(|v| v["@type"] == "FAQPage")
        .expect("FAQPage");
    assert_eq!(faq["mainEntity"].as_array().unwrap().len(), 2);
    assert_eq!(faq["mainEntity"][0]["name"], "谁可以申请？");
    assert!(
        warnings.contains("this policy expired on 2020-12-31"),
        "{warnings}"
    );
    assert!(
        warnings.contains("content/policies/subsidy.md:10:"),
        "{warnings}"
    );
}

#[test]
fn every_html_page_of_the_demo_has_the_crisis_banner_first() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&repo_root(), &out, &[]);
    let mut pages = 0;
    for file in tree(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out, file);
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        pages += 1;
        let body = &html[html.find("<body>").expect("body")..];
        let skip = body
            .find("class=\"skip-link\"")
            .unwrap_or_else(|| panic!("{file}: skip link"));
        let crisis = body
            .find("class=\"crisis\"")
            .unwrap_or_else(|| panic!("{file}: crisis banner"));
        assert!(
            skip < crisis && crisis < body.find("<header").unwrap(),
            "{file}"
        );
        assert!(body[crisis..].contains("href=\"tel:12356\""), "{file}");
    }
    assert!(pages >= 15, "checked {pages} pages");
}

fn failed(root: &Path) -> String {
    let out = anxin(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stderr(&out)
}

#[test]
fn each_hotline_mistake_fails_the_build_at_its_line() {
    for (name, expected) in [
        ("hotline-bad-number", "data/hotlines.toml:"),
        ("hotline-bad-hours", "data/hotlines.toml:"),
        ("hotline-duplicate", "data/hotlines.toml:"),
        ("hotline-unknown-area", "data/hotlines.toml:"),
        ("hotline-future-verified", "data/hotlines.toml:"),
        ("hotline-unknown-key", "data/hotlines.toml:"),
    ] {
        let text = failed(&fixture(&format!("invalid/{name}")));
        assert!(
            text.contains(expected) && text.contains("error:"),
            "{name}:\n{text}"
        );
    }
}

#[test]
fn a_stale_hotline_warns_in_build_and_fails_check_strict() {
    let root = fixture("hotlines-stale");
    let tmp = tempfile::tempdir().unwrap();
    let out = anxin(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        tmp.path().join("p").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning:"), "{}", stderr(&out));
    let strict = anxin(&["check", "--strict", "--root", root.to_str().unwrap()]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn shortcode_and_structured_front_matter_mistakes_are_errors_at_their_line() {
    let site = copy_fixture("structured");
    let root = site.path();
    std::fs::write(
        root.join("content/events/broken.md"),
        "+++\ntitle = \"坏\"\n\n[event]\nstart = 2025-10-10T09:00:00+08:00\nvenu = \"广场\"\n+++\n\n拨打{{ hotline(number=\"99999\") }}或{{ hotlne(number=\"12356\") }}\n",
    )
    .unwrap();
    let text = failed(root);
    assert!(
        text.contains("unknown front-matter key `venu`") && text.contains("did you mean `venue`?"),
        "{text}"
    );
    std::fs::write(
        root.join("content/events/broken.md"),
        "+++\ntitle = \"坏\"\n+++\n\n拨打{{ hotline(number=\"99999\") }}或{{ hotlne(number=\"12356\") }}\n",
    )
    .unwrap();
    let text = failed(root);
    assert!(
        text.contains("there is no hotline with the number 99999"),
        "{text}"
    );
    assert!(text.contains("--> content/events/broken.md:5:3"), "{text}");
    assert!(
        text.contains("unknown shortcode `hotlne`") && text.contains("did you mean `hotline`?"),
        "{text}"
    );
}

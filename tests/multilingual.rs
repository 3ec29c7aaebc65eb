//! A site in two languages (tests/fixtures/multilingual): Chinese, the
//! default, at `/`, and English translations (`page.en.md`) under `/en/`.

mod common;

use common::{anxin, broken_links, build, copy_fixture, fixture, read, stderr, tree, try_build};

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let out = tmp.path().join("public");
    build(&fixture("multilingual"), &out, &[]);
    (tmp, out)
}

#[test]
fn translations_are_published_under_their_language() {
    let (_tmp, out) = built();
    let files = tree(&out);
    for path in [
        "en/index.html",
        "en/policies/index.html",
        "en/policies/guardian-subsidy/index.html",
        "en/hotlines/index.html",
        "en/tags/subsidy/index.html",
        "policies/guardian-subsidy/index.html",
        "news/training/index.html",
    ] {
        assert!(
            files.contains(&path.to_string()),
            "{path} missing from {files:?}"
        );
    }
    let english = read(&out, "en/policies/guardian-subsidy/index.html");
    assert!(english.contains("<html lang=\"en\""));
    assert!(english.contains("<title>Guardian subsidy - Example County Mental Health</title>"));
    assert!(
        english.contains("Mental health helpline 12356"),
        "crisis text in English"
    );
    let chinese = read(&out, "policies/guardian-subsidy/index.html");
    assert!(chinese.contains("<html lang=\"zh-CN\""));
    assert!(chinese.contains("<title>监护人以奖代补 - 示例县心理健康</title>"));
}

#[test]
fn a_page_only_in_chinese_is_not_in_the_english_site() {
    let (_tmp, out) = built();
    let english: Vec<String> = tree(&out)
        .into_iter()
        .filter(|f| f.starts_with("en/"))
        .collect();
    assert!(
        english
            .iter()
            .all(|f| !f.contains("news") && !f.contains("free-medication")),
        "{english:?}"
    );
    // The English home lists English pages only, and its menu English sections only.
    let home = read(&out, "en/index.html");
    assert!(
        !home.contains("/news/"),
        "English home links to the Chinese news"
    );
    assert!(home.contains("https://example.org/en/policies/"));
    assert!(home.contains("https://example.org/en/hotlines/"));
    // The English tag lists the English page, the Chinese tag the Chinese ones.
    let subsidy = read(&out, "en/tags/subsidy/index.html");
    assert!(subsidy.contains("/en/policies/guardian-subsidy/"));
    assert!(!subsidy.contains("\"https://example.org/policies/"));
    let tag = read(&out, "tags/补贴/index.html");
    assert!(
        tag.contains("/policies/free-medication/") && tag.contains("/policies/guardian-subsidy/")
    );
    assert!(
        !tag.contains("/en/policies/"),
        "the Chinese tag lists an English page"
    );
}

#[test]
fn no_link_of_either_language_is_broken() {
    let (_tmp, out) = built();
    let broken = broken_links(&out, "https://example.org/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn names_are_shown_in_the_page_language() {
    let (_tmp, out) = built();
    let english = read(&out, "en/hotlines/index.html");
    assert!(
        english.contains("National Mental Health Helpline"),
        "{english}"
    );
    let chinese = read(&out, "hotlines/index.html");
    assert!(chinese.contains("全国心理援助热线"));
    assert!(!chinese.contains("National Mental Health Helpline"));
}

#[test]
fn check_reports_a_link_to_a_translation_that_does_not_exist() {
    let site = copy_fixture("multilingual");
    let page = site.path().join("content/policies/guardian-subsidy.en.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("(free-medication.md)", "(free-medication.en.md)"),
    )
    .unwrap();
    let out = anxin(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/policies/free-medication.en.md does not exist"),
        "{err}"
    );
    assert!(
        err.contains("content/policies/guardian-subsidy.en.md:8:1"),
        "the error points at the link's line: {err}"
    );
    assert!(
        err.contains("has no en translation")
            && err.contains("link to content/policies/free-medication.md"),
        "{err}"
    );
}

#[test]
fn a_translated_page_links_to_its_translation_and_back() {
    let (_tmp, out) = built();
    let english = read(&out, "en/policies/guardian-subsidy/index.html");
    let chinese = read(&out, "policies/guardian-subsidy/index.html");
    for html in [&english, &chinese] {
        for alternate in [
            "<link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.org/policies/guardian-subsidy/\">",
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/policies/guardian-subsidy/\">",
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/policies/guardian-subsidy/\">",
        ] {
            assert!(html.contains(alternate), "{alternate} missing");
        }
    }
    // The switcher goes to the same page in the other language, named in it.
    assert!(english.contains(
        "<a href=\"https://example.org/policies/guardian-subsidy/\" lang=\"zh-CN\" hreflang=\"zh-CN\">中文</a>"
    ));
    assert!(chinese.contains(
        "<a href=\"https://example.org/en/policies/guardian-subsidy/\" lang=\"en\" hreflang=\"en\">English</a>"
    ));
    // A page only in Chinese has no alternates, and its switcher goes to the
    // English home rather than to a page that does not exist.
    let news = read(&out, "news/training/index.html");
    assert!(
        !news.contains("hreflang=\"en\" href"),
        "no alternate for a missing page"
    );
    assert!(
        news.contains(
            "<a href=\"https://example.org/en/\" lang=\"en\" hreflang=\"en\">English</a>"
        )
    );
}

#[test]
fn dates_are_written_the_way_of_the_page_language() {
    let (_tmp, out) = built();
    let english = read(&out, "en/policies/guardian-subsidy/index.html");
    assert!(english.contains("10 October 2025"), "{english}");
    assert!(!english.contains("2025年10月10日"));
    let chinese = read(&out, "policies/guardian-subsidy/index.html");
    assert!(chinese.contains("2025年10月10日"));
    // The theme's own words are in the page's language too.
    assert!(
        english.contains(">Skip to main content<"),
        "skip link in English"
    );
    assert!(chinese.contains(">跳到正文<"));
}

#[test]
fn a_site_template_may_call_the_theme_macros_without_a_language() {
    // Written before the theme had languages: no `lang` argument.
    let site = copy_fixture("multilingual");
    let templates = site.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("page.html"),
        "{% import \"macros.html\" as m %}<!DOCTYPE html><html lang=\"{{ lang }}\"><title>{{ page.title }}</title>\
         <main><h1>{{ page.title }}</h1>{% if page.date %}{{ m::date(value=page.date) }}{% endif %}</main></html>",
    )
    .unwrap();
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    assert!(read(&out, "policies/guardian-subsidy/index.html").contains("2025年10月10日"));
}

#[test]
fn english_may_be_the_default_language_with_chinese_under_its_prefix() {
    // Every file names its language here, the default's too (`x.en.md`).
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("multilingual-en-default"), &out, &[]);
    let english = read(&out, "policies/guardian-subsidy/index.html");
    assert!(english.contains("<html lang=\"en\""));
    assert!(english.contains(
        "<link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.org/zh-CN/policies/guardian-subsidy/\">"
    ));
    assert!(english.contains("10 October 2025"));
    let chinese = read(&out, "zh-CN/policies/guardian-subsidy/index.html");
    assert!(chinese.contains("<html lang=\"zh-CN\""));
    assert!(chinese.contains("2025年10月10日"));
    assert!(tree(&out).contains(&"zh-CN/news/training/index.html".to_string()));
    assert!(
        !tree(&out).iter().any(|f| f.starts_with("news/")),
        "Chinese-only news is not in the English site"
    );
    let broken = broken_links(&out, "https://example.org/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_default_language_file_written_twice_is_an_error_that_says_why() {
    let site = copy_fixture("multilingual-en-default");
    // `about.md` is English here, as `about.en.md` is.
    std::fs::write(
        site.path().join("content/about.md"),
        "+++\ntitle = \"About\"\n+++\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/about.en.md"),
        "+++\ntitle = \"About\"\n+++\n",
    )
    .unwrap();
    let out = try_build(site.path(), &site.path().join("public"), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("two outputs have the URL /about/"), "{err}");
    assert!(err.contains("default language (en)"), "{err}");
}

#[test]
fn a_language_the_theme_has_no_words_in_is_a_warning() {
    let site = copy_fixture("multilingual");
    let config = site.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace(
            "languages = [\"zh-CN\", \"en\"]",
            "languages = [\"zh-CN\", \"en\", \"bo\"]",
        ),
    )
    .unwrap();
    let out = site.path().join("public");
    let built = build(site.path(), &out, &[]);
    let err = stderr(&built);
    assert!(err.contains("the theme has no words in `bo`"), "{err}");
    assert!(err.contains("i18n/bo.toml"), "{err}");
    // The Tibetan site still builds, with the default language's words.
    assert!(tree(&out).contains(&"bo/index.html".to_string()));
}

#[test]
fn the_switcher_of_a_page_made_from_data_goes_to_the_same_page() {
    // The English data pages exist (data/_index.en.md in the demo): the
    // switcher on one goes to the same indicator in Chinese, not to a home.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&common::repo_root(), &out, &[]);
    let english = read(&out, "en/data/management_rate/index.html");
    assert!(
        english.contains("<a href=\"https://example.org/data/management_rate/\" lang=\"zh-CN\" hreflang=\"zh-CN\">中文</a>"),
        "{english}"
    );
    let chinese = read(&out, "search/index.html");
    assert!(chinese.contains(
        "<a href=\"https://example.org/en/search/\" lang=\"en\" hreflang=\"en\">English</a>"
    ));
    // The Chinese tags list: English has tags too in the demo.
    let tags = read(&out, "tags/index.html");
    assert!(tags.contains(
        "<a href=\"https://example.org/en/tags/\" lang=\"en\" hreflang=\"en\">English</a>"
    ));
}

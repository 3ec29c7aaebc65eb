//! The search index as a built site ships it: what a resident finds with
//! the queries of the issue, run through the Rust twin of the page's script
//! (`anxin::search::search`) against the files the build made.

mod common;

use anxin::build::{BuildOptions, build_in_memory};
use anxin::output::OutputFile;
use anxin::search::{EntryKind, search, search_traced};

fn built(site: &str) -> Vec<OutputFile> {
    let options = BuildOptions {
        root: common::fixture(site),
        output: None,
        base_url: None,
        drafts: false,
    };
    build_in_memory(&options).expect("the fixture builds").files
}

#[test]
fn chinese_phrases_find_pages_that_contain_them() {
    let files = built("multilingual");
    for query in ["心理援助", "援助", "全国心理援助热线"] {
        let hits = search(&files, "search/zh-CN", query, 10);
        assert!(
            hits.iter()
                .any(|h| h.url == "/" && h.kind == EntryKind::Page),
            "{query}: {hits:#?}"
        );
        // The Chinese index holds Chinese pages only.
        assert!(hits.iter().all(|h| !h.url.starts_with("/en/")), "{hits:#?}");
    }
    // Title matches first: the page titled 以奖代补 before pages that only mention it.
    let hits = search(&files, "search/zh-CN", "以奖代补", 10);
    assert_eq!(hits[0].url, "/policies/guardian-subsidy/", "{hits:#?}");
}

#[test]
fn a_number_finds_its_hotline() {
    let files = built("multilingual");
    let hits = search(&files, "search/zh-CN", "12356", 10);
    let hotline = hits
        .iter()
        .find(|h| h.kind == EntryKind::Hotline)
        .unwrap_or_else(|| panic!("no hotline for 12356: {hits:#?}"));
    assert_eq!(hotline.url, "/hotlines/#hotline-12356");
    assert_eq!(hotline.title, "全国心理援助热线");
    // In English, the English directory and the English name.
    let hits = search(&files, "search/en", "12356", 10);
    let hotline = hits
        .iter()
        .find(|h| h.kind == EntryKind::Hotline)
        .expect("English hotline");
    assert_eq!(hotline.url, "/en/hotlines/#hotline-12356");
    assert_eq!(hotline.title, "National Mental Health Helpline");
}

#[test]
fn an_english_word_finds_the_english_policy_page() {
    let files = built("multilingual");
    for query in ["subsidy", "Subsidy", "guardian subsidy"] {
        let hits = search(&files, "search/en", query, 10);
        assert_eq!(
            hits.first().map(|h| h.url.as_str()),
            Some("/en/policies/guardian-subsidy/"),
            "{query}: {hits:#?}"
        );
    }
}

#[test]
fn a_query_without_a_match_returns_nothing_after_a_few_files() {
    let files = built("multilingual");
    let traced = search_traced(&files, "search/zh-CN", "量子物理", 10);
    assert!(traced.hits.is_empty(), "{:#?}", traced.hits);
    // meta.json and the shards of its three pairs at most: no fragment.
    assert!(traced.fetched.len() <= 4, "{:?}", traced.fetched);
    assert!(
        traced.fetched.iter().all(|f| !f.contains("/f/")),
        "{:?}",
        traced.fetched
    );
}

#[test]
fn every_language_has_a_search_page_and_a_list_of_all_pages() {
    let files = built("multilingual");
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for path in [
        "search/index.html",
        "en/search/index.html",
        "sitemap/index.html",
        "en/sitemap/index.html",
        "search/zh-CN/meta.json",
        "search/en/meta.json",
    ] {
        assert!(paths.contains(&path), "{path} missing");
    }
    let text = |path: &str| {
        let f = files.iter().find(|f| f.path == path).expect("file");
        String::from_utf8(f.contents.read().expect("readable").into_owned()).expect("utf-8")
    };
    let all = text("en/sitemap/index.html");
    assert!(all.contains("https://example.org/en/policies/guardian-subsidy/"));
    assert!(
        !all.contains("https://example.org/news/"),
        "English list shows a Chinese page"
    );
    let all = text("sitemap/index.html");
    assert!(all.contains("https://example.org/news/training/"));
}

#[test]
fn the_demo_finds_its_policy_pages_first() {
    let options = BuildOptions {
        root: common::repo_root(),
        output: None,
        base_url: None,
        drafts: false,
    };
    let files = build_in_memory(&options).expect("the demo builds").files;
    for (query, first) in [
        ("补贴", "/policies/guardian-subsidy/"),
        ("以奖代补", "/policies/guardian-subsidy/"),
        ("免费服药", "/policies/free-medication/"),
        ("心理援助", "/hotlines/#hotline-12356"),
    ] {
        let hits = search(&files, "search/zh-CN", query, 10);
        assert_eq!(
            hits.first().map(|h| h.url.as_str()),
            Some(first),
            "{query}: {hits:#?}"
        );
    }
}

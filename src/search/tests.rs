//! What a resident finds: queries run through the Rust twin of the browser
//! client against indexes built from small corpora.

use super::format::{meta_path, shard_of, shard_path};
use super::index::build_sized;
use super::tokenize::query_terms;
use super::*;
use crate::output::OutputFile;

const DIR: &str = "search/zh-CN";

/// Tiny shards, so that even these few entries spread over many of them and
/// the fetch assertions mean something.
const TINY_SHARDS: usize = 200;

fn entry(kind: EntryKind, url: &str, title: &str, body: &str) -> Entry {
    Entry {
        url: url.into(),
        kind,
        title: title.into(),
        body: body.into(),
        ..Entry::default()
    }
}

fn page(url: &str, title: &str, body: &str) -> Entry {
    entry(EntryKind::Page, url, title, body)
}

fn corpus() -> Vec<Entry> {
    vec![
        page(
            "/news/community-day/",
            "社区开放日",
            "活动现场向居民介绍了全国心理援助热线，并发放了宣传册。",
        ),
        entry(
            EntryKind::Hotline,
            "/hotlines/#hotline-12356",
            "全国统一心理援助热线 12356",
            "拨打 12356，24小时有人接听。",
        ),
        entry(
            EntryKind::Hotline,
            "/hotlines/#hotline-hangzhou",
            "杭州市心理咨询热线",
            "电话 0571-8888 8888（24小时）",
        ),
        page(
            "/en/policy/subsidy/",
            "Guardian subsidy",
            "Guardians of registered patients can apply every year.",
        ),
        page(
            "/news/report/",
            "工作简报",
            "本季度共发放补贴132万元，覆盖在册患者家庭。",
        ),
        page(
            "/policy/subsidy/",
            "以奖代补补贴申领指南",
            "监护人每年可领取2400元。",
        ),
        {
            let mut e = page(
                "/news/script/",
                "代码示例",
                "<script>alert(1)</script> 免费服药",
            );
            e.description = "页面作者写的代码".into();
            e
        },
    ]
}

fn build(entries: &[Entry]) -> Vec<OutputFile> {
    build_sized(entries.len(), |i| entries[i].clone(), DIR, TINY_SHARDS)
}

fn urls(files: &[OutputFile], query: &str) -> Vec<String> {
    search(files, DIR, query, PAGE_SIZE)
        .into_iter()
        .map(|h| h.url)
        .collect()
}

#[test]
fn finds_han_text_by_any_unbroken_piece() {
    let files = build(&corpus());
    let found = urls(&files, "心理援助");
    assert!(
        found.contains(&"/news/community-day/".to_string()),
        "{found:?}"
    );
    assert!(urls(&files, "援助").contains(&"/news/community-day/".to_string()));
    assert!(urls(&files, "援").contains(&"/news/community-day/".to_string()));
}

#[test]
fn characters_that_are_not_adjacent_find_nothing() {
    // 心援 is no pair of 全国心理援助热线, and there is no fallback to
    // single characters; typed apart, the two characters are found.
    let files = build(&corpus());
    assert!(urls(&files, "心援").is_empty());
    assert!(urls(&files, "心 援").contains(&"/news/community-day/".to_string()));
}

#[test]
fn finds_hotlines_by_number_with_or_without_spaces() {
    let files = build(&corpus());
    let hits = search(&files, DIR, "12356", PAGE_SIZE);
    assert_eq!(hits[0].url, "/hotlines/#hotline-12356");
    assert_eq!(hits[0].kind, EntryKind::Hotline);
    for query in [
        "057188888888",
        "0571-8888 8888",
        "88888888",
        "０５７１８８８８８８８８",
    ] {
        assert_eq!(
            urls(&files, query),
            ["/hotlines/#hotline-hangzhou"],
            "{query}"
        );
    }
}

#[test]
fn finds_english_words_in_any_case_and_while_typing() {
    let files = build(&corpus());
    for query in [
        "subsidy",
        "Subsidy",
        "SUBSIDY",
        "ｓｕｂｓｉｄｙ",
        "subsid",
        "guardian subs",
    ] {
        assert_eq!(urls(&files, query), ["/en/policy/subsidy/"], "{query}");
    }
    // A finished word (followed by a space) is not expanded.
    assert!(urls(&files, "subsid ").is_empty());
    assert!(urls(&files, "guardians").contains(&"/en/policy/subsidy/".to_string()));
}

#[test]
fn title_matches_rank_above_body_matches() {
    // The body-only match comes first in entry order; the title wins.
    let files = build(&corpus());
    assert_eq!(urls(&files, "补贴"), ["/policy/subsidy/", "/news/report/"]);
}

#[test]
fn exact_phrases_rank_above_scattered_tokens() {
    let entries = vec![
        page("/a/", "甲", "援助热心人士，热线已开通。"),
        page("/b/", "乙", "请拨打援助热线。"),
        page("/c/", "Notes", "The guardian may ask. A subsidy is paid."),
        page("/d/", "More notes", "Ask about the guardian subsidy."),
    ];
    let files = build(&entries);
    // /a/ holds 援助, 助热 and 热线, but not 援助热线.
    assert_eq!(urls(&files, "援助热线"), ["/b/", "/a/"]);
    assert_eq!(urls(&files, "guardian subsidy"), ["/d/", "/c/"]);
}

#[test]
fn snippets_mark_the_match_in_the_stored_text() {
    let files = build(&corpus());
    let hits = search(&files, DIR, "心理援助", PAGE_SIZE);
    let day = hits.iter().find(|h| h.url == "/news/community-day/");
    let snippet = day.map(|h| h.snippet.clone()).unwrap_or_default();
    assert_eq!(snippet.before, "活动现场向居民介绍了全国");
    assert_eq!(snippet.matched, "心理援助");
    assert_eq!(snippet.after, "热线，并发放了宣传册。");
    // Text written as code stays text: the Hit carries it, the page shows it
    // with textContent.
    let hits = search(&files, DIR, "免费服药", PAGE_SIZE);
    assert!(hits[0].snippet.before.contains("<script>"));
}

#[test]
fn a_query_without_matches_fetches_only_its_own_shards() {
    let entries = corpus();
    let files = build(&entries);
    let shard_files = files.iter().filter(|f| f.path.contains("/t/")).count();
    assert!(shard_files > 8, "only {shard_files} shards");
    for query in ["不存在的词语", "nothing here", "心援"] {
        let traced = search_traced(&files, DIR, query, PAGE_SIZE);
        assert!(traced.hits.is_empty(), "{query}");
        let mut expected = vec![meta_path(DIR)];
        for token in query_terms(query).tokens {
            let path = shard_path(DIR, shard_of(&token, shard_files as u32));
            if !expected.contains(&path) {
                expected.push(path);
            }
        }
        assert_eq!(traced.fetched, expected, "{query}");
    }
}

#[test]
fn a_query_without_tokens_fetches_nothing() {
    let files = build(&corpus());
    for query in ["", "   ", "，。！？", "😀"] {
        assert_eq!(
            search_traced(&files, DIR, query, PAGE_SIZE),
            Traced::default()
        );
    }
}

#[test]
fn fetches_fragments_only_for_the_results_shown() {
    let files = build(&corpus());
    let traced = search_traced(&files, DIR, "热线", 1);
    assert_eq!(traced.hits.len(), 1);
    let fragments = traced.fetched.iter().filter(|p| p.contains("/f/")).count();
    assert_eq!(fragments, 1);
}

#[test]
fn builds_the_same_bytes_from_the_same_entries() {
    let a = build_index(&corpus(), DIR);
    let b = build_index(&corpus(), DIR);
    assert_eq!(a, b);
    assert!(a.iter().all(|f| f.path.starts_with("search/zh-CN/")));
    assert_eq!(a[0].path, "search/zh-CN/meta.json");
}

#[test]
fn the_build_digest_changes_with_the_content() {
    let meta = |files: &[OutputFile]| files[0].contents.read().map(|b| b.to_vec()).ok();
    let mut other = corpus();
    other[0].body.push('。');
    assert_ne!(meta(&build(&corpus())), meta(&build(&other)));
}

#[test]
fn reports_the_files_and_bytes_a_query_costs() {
    let files = build(&corpus());
    let report = size_report(&files, DIR, &["心理援助", "没有"]);
    assert_eq!(report.fragments, corpus().len());
    assert_eq!(report.files, 1 + report.shards + report.fragments);
    let first = &report.queries[0];
    assert_eq!(first.fetched[0].0, "meta.json");
    assert_eq!(
        first.bytes,
        first.fetched.iter().map(|f| f.1).sum::<usize>()
    );
    assert!(first.hits >= 2);
    assert_eq!(report.queries[1].hits, 0);
    let text = report.to_string();
    assert!(text.contains("query \"心理援助\""), "{text}");
}

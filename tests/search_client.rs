//! The browser's search client finds what the Rust twin finds: the same
//! index is queried by `themes/default/static/search.js` under Node
//! (`tests/search/parity.mjs`) and by `anxin::search::search_traced`, and
//! the results, their order, their snippets and the files fetched must
//! agree. Needs Node.js; skipped without it, except on CI (`CI=true`).

mod common;
use anxin::search::{Entry, EntryKind, PAGE_SIZE, build_index, search_traced};
use common::repo_root;
use serde_json::Value;
use std::process::Command;

const DIR: &str = "search/zh-CN";

const QUERIES: &[&str] = &[
    "心理援助",
    "援助",
    "心援",
    "心 援",
    "补贴",
    "免费服药",
    "12356",
    "12356热线",
    "057188888888",
    "0571-8888 8888",
    "８８８８８８８８",
    "subsidy",
    "Subsidy",
    "subsid",
    "subsid ",
    "guardian subsidy",
    "GUARDIAN",
    "援助热线",
    "热",
    "script",
    "Ärzte",
    "",
    "，。",
    "😀",
    "不存在的词语",
    // Longer than a word the index keeps (32 characters): both sides cut it.
    "supercalifragilisticexpialidocious-word",
    "supercalifragilisticexpialidociousness",
    "ＳＵＰＥＲＣＡＬＩＦＲＡＧＩＬＩＳＴＩＣＥＸＰＩＡＬＩＤＯＣＩＯＵＳ",
];

fn entry(kind: EntryKind, url: &str, title: &str, description: &str, body: &str) -> Entry {
    Entry {
        url: url.into(),
        kind,
        title: title.into(),
        description: description.into(),
        headings: vec!["常见问题".into(), "How to apply".into()],
        tags: vec!["心理健康".into()],
        body: body.into(),
    }
}

/// Enough entries for several shards and more than a page of results, with
/// long bodies so that snippets are cut.
fn corpus() -> Vec<Entry> {
    let mut entries = vec![
        entry(
            EntryKind::Hotline,
            "/hotlines/#hotline-12356",
            "全国统一心理援助热线 12356",
            "",
            "拨打 12356，24小时有人接听。",
        ),
        entry(
            EntryKind::Hotline,
            "/hotlines/#hotline-hangzhou",
            "杭州市心理咨询热线",
            "杭州市卫健委设立",
            "电话 0571-8888 8888（24小时）",
        ),
        entry(
            EntryKind::Page,
            "/en/policy/subsidy/",
            "Guardian subsidy",
            "Who can apply and how",
            "Guardians of registered patients can apply for the guardian subsidy every year. Ärzte and doctors help.",
        ),
        entry(
            EntryKind::Page,
            "/news/code/",
            "代码示例",
            "",
            "<script>alert('心理援助')</script> subsidies script",
        ),
        entry(
            EntryKind::Indicator,
            "/data/rate/",
            "规律服药率",
            "免费服药的覆盖情况",
            "按季度统计。",
        ),
        entry(
            EntryKind::Page,
            "/long-word/",
            "Supercalifragilisticexpialidocious",
            "",
            "supercalifragilisticexpialidocious-word",
        ),
    ];
    // Text from a pool of characters, enough distinct pairs for several
    // shards (a shard holds about 16 kB).
    let pool: Vec<char> =
        "社区医生定期开展随访管理提高居民知晓率监护人领取补贴免费服药心理援助热线开通"
            .chars()
            .collect();
    let mut seed: u64 = 7;
    for i in 0..300 {
        let text: String = (0..200)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                pool[(seed >> 33) as usize % pool.len()]
            })
            .collect();
        entries.push(entry(
            EntryKind::Page,
            &format!("/notes/{i}/"),
            &format!("随记{i}"),
            "",
            &text,
        ));
    }
    for i in 0..40 {
        let filler = "社区医生定期开展随访管理，提高居民知晓率。".repeat(i % 7 + 1);
        let body = match i % 4 {
            0 => format!("{filler}请拨打全国心理援助热线12356。{filler}"),
            1 => format!("{filler}援助热心人士，热线已开通，监护人可领取补贴。"),
            2 => format!("The guardian may ask. A subsidy is paid. {filler}免费服药"),
            _ => format!("{filler}免费、服药、心理、援助"),
        };
        entries.push(entry(
            EntryKind::Page,
            &format!("/news/{i}/"),
            &format!("第{i}期工作简报"),
            if i % 3 == 0 { "每月一期" } else { "" },
            &body,
        ));
    }
    entries
}

fn node_available() -> bool {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let on_ci = matches!(std::env::var("CI").as_deref(), Ok("true" | "1"));
    assert!(
        ok || !on_ci,
        "cannot run the search client test on CI: no `node`"
    );
    if !ok {
        eprintln!("skipping the search client test: `node` is not installed or not on PATH");
    }
    ok
}

#[test]
fn the_browser_client_finds_what_the_rust_twin_finds() {
    if !node_available() {
        return;
    }
    let files = build_index(&corpus(), DIR);
    let tmp = tempfile::tempdir().expect("temporary folder");
    for f in &files {
        let path = tmp.path().join(&f.path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create a folder");
        std::fs::write(&path, f.contents.read().expect("in memory")).expect("write");
    }
    let queries = tmp.path().join("queries.json");
    std::fs::write(&queries, serde_json::to_string(QUERIES).expect("json")).expect("write");

    let out = Command::new("node")
        .current_dir(repo_root())
        .arg("tests/search/parity.mjs")
        .arg(tmp.path().join(DIR))
        .arg(&queries)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON from parity.mjs");

    for (query, js) in QUERIES.iter().zip(&js) {
        let rust = search_traced(&files, DIR, query, PAGE_SIZE);
        let rust_hits: Vec<Value> = rust
            .hits
            .iter()
            .map(|h| {
                serde_json::json!({
                    "url": h.url,
                    "title": h.title,
                    "kind": format!("{:?}", h.kind).to_lowercase(),
                    "snippet": [h.snippet.before, h.snippet.matched, h.snippet.after],
                })
            })
            .collect();
        assert_eq!(js["hits"], Value::from(rust_hits), "results of {query:?}");

        let mut rust_fetched: Vec<String> = rust
            .fetched
            .iter()
            .map(|p| p.trim_start_matches(&format!("{DIR}/")).to_string())
            .collect();
        let mut js_fetched: Vec<String> = js["fetched"]
            .as_array()
            .expect("fetched")
            .iter()
            .map(|p| p.as_str().unwrap_or_default().to_string())
            .collect();
        // The browser fetches a round's files at once, so only the sets
        // must agree.
        rust_fetched.sort();
        js_fetched.sort();
        assert_eq!(js_fetched, rust_fetched, "files fetched for {query:?}");
    }
    // The corpus exercises what it should: several shards, a second page.
    assert!(files.iter().filter(|f| f.path.contains("/t/")).count() > 1);
    assert!(js[0]["matches"].as_u64().unwrap_or(0) > PAGE_SIZE as u64);
    assert_eq!(js[0]["hits"].as_array().map(Vec::len), Some(PAGE_SIZE));
    let cut = js
        .iter()
        .flat_map(|q| q["hits"].as_array().cloned().unwrap_or_default())
        .any(|h| h["snippet"][0].as_str().is_some_and(|s| s.starts_with('…')));
    assert!(cut, "no snippet was cut at its start");
}

//! The demo site at the repository root builds completely: every non-draft
//! page of content/ has its output, each HTML page has one h1 and a language,
//! and nothing is loaded from another host.

mod common;
use anxin::config::Config;
use anxin::content::load;
use anxin::output::index_file;
use common::*;

fn built_demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&repo_root(), &out, &[]);
    (tmp, out)
}

#[test]
fn every_non_draft_page_of_the_demo_has_its_output() {
    let (_tmp, out) = built_demo();
    let root = repo_root();
    let config = Config::from_file(&root).unwrap();
    let (content, diagnostics) = load::load(&root, &config, false);
    assert!(!diagnostics.has_errors(), "{diagnostics}");
    assert!(content.pages.len() >= 7, "the demo has its pages");
    for path in content
        .pages
        .iter()
        .map(|p| &p.doc.path)
        .chain(content.sections.iter().map(|s| &s.doc.path))
    {
        assert!(out.join(index_file(path)).is_file(), "no output for {path}");
    }
    assert!(
        out.join("campaigns/2025-world-mental-health-day/poster.svg")
            .is_file()
    );
    assert!(out.join("news/atom.xml").is_file());
}

#[test]
fn demo_pages_have_one_h1_a_language_and_no_outside_requests() {
    let (_tmp, out) = built_demo();
    let base = "https://example.org/";
    for file in tree(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out, file);
        assert!(html.starts_with("<!DOCTYPE html>"), "{file}");
        let lang = if file.starts_with("en/") {
            "en"
        } else {
            "zh-CN"
        };
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{file}: lang"
        );
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        assert_eq!(html.matches("<h1").count(), 1, "{file}: exactly one h1");
        for attr in ["src=\"", "<link rel=\"stylesheet\" href=\"", "<script"] {
            for (at, _) in html.match_indices(attr) {
                let url = &html[at + attr.len()..];
                let is_remote = url.starts_with("http") || url.starts_with("//");
                assert!(
                    !is_remote || url.starts_with(base),
                    "{file}: loads from another host: {}",
                    &url[..60.min(url.len())]
                );
            }
        }
        // JSON-LD is data for search engines, not a script that runs; the
        // one script is the large-text switch, which only remembers a choice
        // the page also offers without it (and search.js on the search page).
        let scripts = html.matches("<script").count();
        let data = html
            .matches("<script type=\"application/ld+json\">")
            .count();
        let text_size = html.matches("<script id=\"anxin-text-size\">").count();
        // Search is the one enhancement that needs JavaScript (DESIGN.md).
        let search = html.matches("/search.js\" defer></script>").count();
        assert_eq!(
            search,
            usize::from(file.ends_with("search/index.html")),
            "{file}: search.js on the search page only"
        );
        assert_eq!(
            scripts,
            data + text_size + search,
            "{file}: the theme needs no other JavaScript"
        );
        assert_eq!(
            text_size, 1,
            "{file}: the large-text switch is on every page"
        );
    }
}

#[test]
fn demo_content_is_marked_as_sample() {
    let root = repo_root();
    for file in tree(&root.join("content"))
        .iter()
        .filter(|f| f.ends_with(".md"))
    {
        let text = read(&root.join("content"), file);
        if text.contains("示例县") {
            assert!(
                text.contains("示例内容") || text.contains("示例数据"),
                "{file} does not say it is sample content"
            );
        }
    }
}

#[test]
fn the_demo_has_the_pages_the_issue_asks_for() {
    let (_tmp, out) = built_demo();
    let campaign = read(&out, "campaigns/2025-world-mental-health-day/index.html");
    assert!(campaign.contains("人人享有心理健康服务"));
    assert!(campaign.contains("活动安排") && campaign.contains("活动总结"));
    assert!(read(&out, "policies/free-medication/index.html").contains("政策要点"));
    assert!(read(&out, "policies/guardian-subsidy/index.html").contains("以奖代补"));
    let news = tree(&out)
        .into_iter()
        .filter(|f| f.starts_with("news/") && f.ends_with("/index.html") && !f.contains("page/"))
        .count();
    assert!(news >= 4, "news section and three posts");
}

#[test]
fn the_demo_has_english_versions_of_the_key_pages_and_no_broken_link() {
    let (_tmp, out) = built_demo();
    for (path, english) in [
        ("en/index.html", "Example County"),
        ("en/hotlines/index.html", "National Mental Health Helpline"),
        ("en/policies/guardian-subsidy/index.html", "subsidy"),
        ("en/data/index.html", "sample data"),
    ] {
        let html = read(&out, path);
        assert!(html.contains("<html lang=\"en\">"), "{path}");
        assert!(html.contains(english), "{path} lacks {english}");
    }
    // Every English data page says the figures are made up, in both words.
    for file in tree(&out)
        .iter()
        .filter(|f| f.starts_with("en/data/") && f.ends_with(".html"))
    {
        assert!(read(&out, file).contains("示例数据"), "{file}");
    }
    let broken = broken_links(&out, "https://example.org/");
    assert!(broken.is_empty(), "{broken:#?}");
}

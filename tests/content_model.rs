//! Building a site with sections, bundles, drafts, pagination, tags, aliases
//! and summaries gives the pages a Zola or Hugo user expects.

mod common;
use common::*;

fn built_basic(extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("basic"), &out, extra);
    (tmp, out)
}

#[test]
fn builds_every_section_and_page() {
    let (_tmp, out) = built_basic(&[]);
    for path in [
        "index.html",
        "about/index.html",
        "news/index.html",
        "news/post-1/index.html",
        "news/post-2/index.html",
        "news/post-3/index.html",
        "guides/index.html",
        "guides/leaflet/index.html",
        "guides/b-guide/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "style.css",
        "humans.txt",
    ] {
        assert!(out.join(path).is_file(), "missing {path}");
    }
    let post = read(&out, "news/post-2/index.html");
    assert!(post.contains("<h1>第2条新闻</h1>"), "{post}");
    assert_eq!(post.matches("<h1").count(), 1);
    assert!(post.contains("<html lang=\"zh-CN\">"));
}

#[test]
fn copies_page_bundle_assets_beside_the_page() {
    let (_tmp, out) = built_basic(&[]);
    assert!(out.join("guides/leaflet/thumb.svg").is_file());
    assert_eq!(read(&out, "guides/leaflet/leaflet.pdf"), "%PDF-1.4 fake\n");
    let page = read(&out, "guides/leaflet/index.html");
    assert!(page.contains("src=\"thumb.svg\""), "{page}");
}

#[test]
fn leaves_out_drafts_unless_asked() {
    let (_tmp, out) = built_basic(&[]);
    assert!(!out.join("news/draft-post").exists());
    assert!(!out.join("drafts-section").exists());
    assert!(!read(&out, "sitemap.xml").contains("draft-post"));

    let (_tmp2, out2) = built_basic(&["--drafts"]);
    assert!(out2.join("news/draft-post/index.html").is_file());
    assert!(out2.join("drafts-section/hidden/index.html").is_file());
}

#[test]
fn paginates_sections_newest_first() {
    let (_tmp, out) = built_basic(&[]);
    let first = read(&out, "news/index.html");
    let second = read(&out, "news/page/2/index.html");
    let p3 = first.find("第3条新闻").expect("post 3 on page 1");
    let p2 = first.find("第2条新闻").expect("post 2 on page 1");
    assert!(p3 < p2, "newest first");
    assert!(!first.contains("第1条新闻"));
    assert!(second.contains("第1条新闻"));
    assert!(second.contains("rel=\"prev\""));
    // /page/1/ sends readers to the section itself, as in Zola.
    assert!(
        read(&out, "news/page/1/index.html").contains("url=https://test.example.org/cdc/news/")
    );
}

#[test]
fn orders_by_weight_when_asked() {
    let (_tmp, out) = built_basic(&[]);
    let guides = read(&out, "guides/index.html");
    assert!(guides.find("宣传单页").unwrap() < guides.find("乙指南").unwrap());
}

#[test]
fn builds_tag_pages_with_chinese_urls() {
    let (_tmp, out) = built_basic(&[]);
    let list = read(&out, "tags/index.html");
    assert!(
        list.contains("培训") && list.contains("Mental Health"),
        "{list}"
    );
    let tag = read(&out, "tags/培训/index.html");
    for title in ["第1条新闻", "第2条新闻", "第3条新闻", "宣传单页"] {
        assert!(tag.contains(title), "{title} missing from tag page");
    }
    assert!(out.join("tags/mental-health/index.html").is_file());
    let post = read(&out, "news/post-1/index.html");
    assert!(
        post.contains("href=\"https://test.example.org/cdc/tags/培训/\""),
        "{post}"
    );
}

#[test]
fn aliases_redirect_to_the_page() {
    let (_tmp, out) = built_basic(&[]);
    for alias in ["old-about/index.html", "legacy/about.html"] {
        let html = read(&out, alias);
        assert!(
            html.contains("url=https://test.example.org/cdc/about/"),
            "{html}"
        );
        assert!(html.contains("rel=\"canonical\""));
    }
}

#[test]
fn summaries_stop_at_the_more_marker_and_feeds_use_them() {
    let (_tmp, out) = built_basic(&[]);
    let feed = read(&out, "news/atom.xml");
    assert!(feed.starts_with("<?xml"));
    assert!(
        feed.contains("<summary type=\"html\">&lt;p&gt;第3条新闻的开头。&lt;/p&gt;</summary>"),
        "{feed}"
    );
    assert!(feed.contains("<updated>2025-03-15T00:00:00+08:00</updated>"));
    assert!(!feed.contains("草稿"));
    assert!(read(&out, "news/index.html").contains("news/atom.xml"));
}

#[test]
fn links_between_pages_become_urls_and_headings_get_unique_ids() {
    let (_tmp, out) = built_basic(&[]);
    let post = read(&out, "news/post-1/index.html");
    assert!(
        post.contains("href=\"https://test.example.org/cdc/about/#联系我们-1\""),
        "{post}"
    );
    assert!(post.contains("href=\"https://test.example.org/cdc/guides/leaflet/#下载\""));
    let about = read(&out, "about/index.html");
    assert!(about.contains("<h2 id=\"联系我们\">"));
    assert!(about.contains("<h2 id=\"联系我们-1\">"));
}

#[test]
fn sitemap_and_robots_list_the_site() {
    let (_tmp, out) = built_basic(&[]);
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://test.example.org/cdc/news/post-1/</loc>"));
    assert!(sitemap.contains("<lastmod>2025-01-15</lastmod>"));
    assert!(
        sitemap.contains("/tags/%E5%9F%B9%E8%AE%AD/"),
        "Chinese URLs are percent-encoded"
    );
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://test.example.org/cdc/sitemap.xml\n"
    );
}

#[test]
fn every_page_has_the_skip_link_then_the_crisis_banner() {
    let (_tmp, out) = built_basic(&[]);
    for file in tree(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out, file);
        if html.contains("http-equiv=\"refresh\"") {
            continue; // redirects are not read by people
        }
        let body = &html[html.find("<body>").expect("body")..];
        let skip = body
            .find("class=\"skip-link\"")
            .unwrap_or_else(|| panic!("{file}: no skip link"));
        let crisis = body
            .find("class=\"crisis\"")
            .unwrap_or_else(|| panic!("{file}: no crisis banner"));
        let first_other = body.find("<header").expect("header");
        assert!(
            skip < crisis && crisis < first_other,
            "{file}: order is skip link, crisis, header"
        );
        assert!(body.contains("href=\"tel:12356\""), "{file}");
    }
}

#[test]
fn reading_time_counts_chinese_characters_and_english_words() {
    let (_tmp, out) = built_basic(&[]);
    let page = read(&out, "guides/b-guide/index.html");
    assert!(page.contains("阅读约 1 分钟"), "{page}");
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&fixture("basic"), &a, &[]);
    build(&fixture("basic"), &b, &[]);
    assert_eq!(snapshot(&a), snapshot(&b));
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(
        &fixture("basic"),
        &out,
        &["--base-url", "http://127.0.0.1:8080"],
    );
    assert!(read(&out, "about/index.html").contains("href=\"http://127.0.0.1:8080/style.css\""));
}

#[test]
fn tag_pages_list_twenty_pages_each() {
    let site = copy_fixture("basic");
    for n in 1..=22 {
        std::fs::write(
            site.path().join(format!("content/news/extra-{n:02}.md")),
            format!(
                "+++\ntitle = \"补充{n:02}\"\ndate = 2024-01-{n:02}\ntags = [\"培训\"]\n+++\n正文\n"
            ),
        )
        .unwrap();
    }
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    // 3 news posts + the leaflet + 22 extra pages = 26 pages with the tag.
    let first = read(&out, "tags/培训/index.html");
    let second = read(&out, "tags/培训/page/2/index.html");
    assert_eq!(first.matches("<li>\n    <a href=").count(), 20, "{first}");
    assert_eq!(second.matches("<li>\n    <a href=").count(), 6, "{second}");
    assert!(first.contains("共 26 篇"), "the count is of all pages");
    assert!(second.contains("补充01"), "oldest last");
    assert!(first.contains("rel=\"next\""));
    assert!(
        read(&out, "tags/培训/page/1/index.html")
            .contains("url=https://test.example.org/cdc/tags/培训/")
    );
    assert!(read(&out, "sitemap.xml").contains("/tags/%E5%9F%B9%E8%AE%AD/page/2/"));
}

//! Tests of reading one markdown file: addresses, languages, errors at
//! their place.

use super::*;

fn config() -> Config {
    Config::parse(
        Path::new("site.toml"),
        "title = \"t\"\nbase_url = \"/\"\nlanguages = [\"en\"]\n",
    )
    .unwrap()
}

fn page(rel: &str, text: &str) -> Page {
    match parse_file(rel, text, &config()).unwrap() {
        Some(Parsed::Page(p)) => p,
        other => panic!("not a page: {other:?}"),
    }
}

#[test]
fn an_empty_page_is_refused_but_an_empty_section_is_a_section() {
    let err = parse_file("news/a.md", " \n", &config()).expect_err("refused");
    assert!(
        err.message.starts_with("this page is empty"),
        "{}",
        err.message
    );
    assert!(matches!(
        parse_file("news/_index.md", "", &config()),
        Ok(Some(Parsed::Section(_)))
    ));
}

#[test]
fn urls_follow_the_file_layout() {
    assert_eq!(page("news/a.md", "正文").doc.path, "/news/a/");
    let bundle = page("campaigns/wmhd-2025/index.md", "正文");
    assert_eq!(bundle.doc.path, "/campaigns/wmhd-2025/");
    assert_eq!(bundle.bundle_dir.as_deref(), Some("campaigns/wmhd-2025"));
    assert_eq!(
        page("about.md", "+++\nslug = \"About Us\"\n+++\n").doc.path,
        "/about-us/"
    );
}

#[test]
fn translations_live_under_their_language() {
    let about = page("about.en.md", "正文");
    assert_eq!((about.doc.path.as_str(), about.doc.lang), ("/en/about/", 1));
    assert_eq!(about.doc.rel, "about.en.md");
    let bundle = page("campaigns/wmhd/index.en.md", "正文");
    assert_eq!(bundle.doc.path, "/en/campaigns/wmhd/");
    assert_eq!(bundle.bundle_dir.as_deref(), Some("campaigns/wmhd"));
    match parse_file("hotlines/_index.en.md", "", &config()).unwrap() {
        Some(Parsed::Section(s)) => {
            assert_eq!(
                (s.doc.path.as_str(), s.dir.as_str(), s.doc.lang),
                ("/en/hotlines/", "hotlines", 1)
            )
        }
        other => panic!("not a section: {other:?}"),
    }
    // Not a language of the site: an ordinary page.
    assert_eq!(page("v1.fr.md", "正文").doc.path, "/v1fr/");
}

#[test]
fn bad_date_is_reported_at_its_line() {
    let err = parse_file(
        "news/a.md",
        "+++\ntitle = \"a\"\ndate = \"2025-13-01\"\n+++\n",
        &config(),
    )
    .unwrap_err();
    assert!(err.message.starts_with("invalid date"), "{}", err.message);
    assert_eq!(err.position.unwrap().line, 3);
    assert_eq!(err.file.as_deref(), Some(Path::new("content/news/a.md")));
}

#[test]
fn link_sites_point_at_the_link_line() {
    let p = page(
        "news/a.md",
        "+++\ntitle = \"a\"\n+++\n\n第一段。\n\n见[补贴](../b.md)。\n",
    );
    assert_eq!(p.doc.link_sites.len(), 1);
    let pos = p.doc.link_sites[0].position.unwrap();
    assert_eq!((pos.line, pos.column), (7, 2));
}

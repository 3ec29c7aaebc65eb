//! A Zola user's templates work: `page.title`, `section.pages`,
//! `paginator.pages`, `get_section`, `get_url(path="@/…")`, `page.extra`,
//! the `date` filter, and a site's `templates/` overriding the theme.

mod common;
use common::*;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("zola-templates"), &out, &[]);
    (tmp, out)
}

#[test]
fn page_variables_work_as_in_zola() {
    let (_tmp, out) = built();
    let page = read(&out, "blog/p1/index.html");
    assert!(
        page.contains("<h1 class=\"zola-page\">Post 1</h1>"),
        "{page}"
    );
    assert!(page.contains("<p class=\"mood\">calm-1</p>"));
    assert!(page.contains("<p class=\"date\">01 January 2025</p>"));
    assert!(page.contains("<p>Body 1.</p>"));
    // In the section's order (by weight): p1, p2, p3, then p4.
    assert!(
        page.contains("<p class=\"neighbours\"> lower=Post 2</p>"),
        "{page}"
    );
    let second = read(&out, "blog/p2/index.html");
    assert!(
        second.contains("<p class=\"neighbours\">higher=Post 1 lower=Post 3</p>"),
        "{second}"
    );
}

#[test]
fn paginator_pages_and_links_work_as_in_zola() {
    let (_tmp, out) = built();
    let first = read(&out, "blog/index.html");
    assert!(
        first.contains("<ul class=\"pager\"><li>Post 1</li><li>Post 2</li></ul>"),
        "{first}"
    );
    assert!(first.contains("1/2 next=https://zola.example.org/blog/page/2/"));
    let second = read(&out, "blog/page/2/index.html");
    assert!(
        second.contains("<li>Post 3</li><li>Custom</li>"),
        "{second}"
    );
    assert!(second.contains("prev=https://zola.example.org/blog/"));
}

#[test]
fn section_pages_and_template_functions_work_as_in_zola() {
    let (_tmp, out) = built();
    let home = read(&out, "index.html");
    assert!(
        home.contains(
            "<ul class=\"all\"><li>Post 1</li><li>Post 2</li><li>Post 3</li><li>Custom</li></ul>"
        ),
        "{home}"
    );
    assert!(home.contains("href=\"https://zola.example.org/blog/p2/\""));
    assert!(home.contains("<p class=\"base\">https://zola.example.org</p>"));
}

/// Listed pages leave out their body and what only their own page shows;
/// `get_page` gives the body too (docs/site-format.md).
#[test]
fn listed_pages_leave_out_their_body_and_own_page_fields_and_get_page_has_the_body() {
    let (_tmp, out) = built();
    let home = read(&out, "index.html");
    assert!(
        home.contains("<p class=\"listed\"> title summary permalink date tags</p>"),
        "{home}"
    );
    assert!(
        home.contains("<p class=\"whole\"> title content toc</p>"),
        "{home}"
    );
}

#[test]
fn a_page_can_choose_its_template() {
    let (_tmp, out) = built();
    let page = read(&out, "blog/p4/index.html");
    assert!(
        page.contains("<p class=\"special\">Custom via special.html in Zola port</p>"),
        "{page}"
    );
}

#[test]
fn theme_templates_not_overridden_still_come_from_the_built_in_theme() {
    let (_tmp, out) = built();
    let not_found = read(&out, "404.html");
    assert!(not_found.contains("找不到这个页面"));
    assert!(out.join("style.css").is_file());
}

//! What `check` promises to find (issue #20, item 7): addresses in markdown
//! that name no output, missing images, empty pages, and Zola shortcodes with
//! a body, each at its file and line.

mod common;

use common::*;

#[test]
fn addresses_and_images_that_name_no_output_fail_check_strict_at_their_lines() {
    let root = fixture("check-addresses");
    let root = root.to_str().expect("utf-8 path");
    let strict = anxin(&["check", "--strict", "--root", root]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert_golden("check-addresses.strict.txt", &stderr(&strict));

    // The same three are warnings in a build, which still publishes.
    let out = tempfile::tempdir().expect("temporary folder");
    let built = build(&fixture("check-addresses"), out.path(), &[]);
    let warnings = stderr(&built);
    assert_eq!(warnings.matches("warning: `").count(), 3, "{warnings}");
    assert!(out.path().join("news/visit/photo.png").is_file());
}

#[test]
fn an_empty_page_and_a_shortcode_with_a_body_are_refused_at_their_lines() {
    let site = copy_fixture("check-addresses");
    let news = site.path().join("content/news");
    std::fs::write(news.join("empty.md"), "").expect("write");
    std::fs::write(
        news.join("note.md"),
        "+++\ntitle = \"提示\"\n+++\n第一段。\n\n{% note(kind=\"tip\") %}\n请按时服药。\n{% end %}\n",
    )
    .expect("write");
    // An empty `_index.md` still declares a section, as in Zola.
    std::fs::create_dir_all(site.path().join("content/about")).expect("mkdir");
    std::fs::write(site.path().join("content/about/_index.md"), "").expect("write");
    let root = site.path().to_str().expect("utf-8 path");
    for command in ["build", "check"] {
        let out = anxin(&[command, "--root", root]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert_golden("empty-page-and-body-shortcode.txt", &stderr(&out));
    }
    assert!(
        !site.path().join("public").exists(),
        "nothing was published"
    );
}

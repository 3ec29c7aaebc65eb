//! Each kind of input error fails the build with exit status 1 and a message
//! that names the file, line and column, quotes the line and gives a hint.
//! One fixture per kind under tests/fixtures/invalid/.

mod common;
use common::*;

/// Builds the invalid fixture `name` and returns what anxin printed.
fn failed_build(name: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let root = fixture(&format!("invalid/{name}"));
    let out = anxin(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        tmp.path().join("public").to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name} should fail with status 1:\n{}",
        stderr(&out)
    );
    assert!(
        !tmp.path().join("public").exists(),
        "{name}: nothing is written on error"
    );
    stderr(&out)
}

fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "expected {part:?} in:\n{text}");
    }
}

#[test]
fn errors_on_bad_toml_in_front_matter() {
    assert_contains(
        &failed_build("bad-toml"),
        &[
            "error: invalid front-matter",
            "--> content/page.md:2:",
            "2 | title = \"没有结束的引号",
            "help: each line is `key = value`",
        ],
    );
}

#[test]
fn errors_on_unknown_front_matter_key_with_a_suggestion() {
    assert_contains(
        &failed_build("unknown-front-matter-key"),
        &[
            "error: unknown front-matter key `titel`",
            "--> content/page.md:3:1",
            "3 | titel = \"拼错了\"",
            "  | ^^^^^",
            "help: did you mean `title`?",
        ],
    );
}

#[test]
fn errors_on_unknown_site_toml_key_with_a_suggestion() {
    assert_contains(
        &failed_build("unknown-site-key"),
        &[
            "error: unknown site.toml key `titel`",
            "--> site.toml:1:1",
            "help: did you mean `title`?",
        ],
    );
}

#[test]
fn errors_on_missing_link_target_at_the_link() {
    assert_contains(
        &failed_build("missing-link-target"),
        &[
            "error: content/policies/guardian-subsidy.md does not exist",
            "--> content/news/a.md:7:3",
            "7 | 请看[补贴政策](../policies/guardian-subsidy.md)。",
            "help: links are relative to this file's folder",
        ],
    );
}

#[test]
fn errors_on_missing_heading_with_the_closest_one() {
    assert_contains(
        &failed_build("missing-heading"),
        &[
            "error: content/subsidy.md has no heading with the id `申请条件`",
            "--> content/news.md:5:2",
            "help: did you mean #申请?",
        ],
    );
}

#[test]
fn errors_on_unknown_template_at_the_template_key() {
    assert_contains(
        &failed_build("unknown-template"),
        &[
            "error: there is no template named `campain.html`",
            "--> content/event.md:3:12",
            "3 | template = \"campain.html\"",
            "help: did you mean \"campaign.html\"?",
        ],
    );
}

#[test]
fn errors_on_duplicate_url() {
    assert_contains(
        &failed_build("duplicate-url"),
        &[
            "error: two outputs have the URL /about/: content/about.md and content/about/index.md",
            "help: rename one of the files, or give one a different `slug`",
        ],
    );
}

#[test]
fn errors_on_bad_date_at_the_value() {
    assert_contains(
        &failed_build("bad-date"),
        &[
            "error: invalid date: `2025-13-45` is not a date",
            "--> content/page.md:3:8",
            "help: write dates as 2025-10-10",
        ],
    );
}

#[test]
fn errors_on_template_syntax_naming_the_template_file_and_line() {
    assert_contains(
        &failed_build("template-syntax-error"),
        &[
            "error: template error",
            "--> templates/page.html:4:",
            "4 | <h1>{{ page.title </h1>",
        ],
    );
}

#[test]
fn errors_on_unknown_template_variable_naming_the_template_line() {
    assert_contains(
        &failed_build("template-unknown-variable"),
        &[
            "error: template error while rendering content/page.md: Variable `page.titel` not found",
            "--> templates/page.html:4:1",
            "4 | <h1>{{ page.titel }}</h1>",
        ],
    );
}

#[test]
fn reports_every_error_of_a_build_together() {
    let text = failed_build("several-errors");
    assert_contains(
        &text,
        &[
            "--> content/one.md:3:1",
            "--> content/two.md:3:8",
            "--> content/three.md:5:1",
            "3 errors",
        ],
    );
}

#[test]
fn check_reports_the_same_errors_without_writing() {
    let root = fixture("invalid/several-errors");
    let out = anxin(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("3 errors"), "{}", stderr(&out));
    assert!(!root.join("public").exists());
}

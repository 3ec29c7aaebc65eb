//! The command line as a user meets it: `new`, `build`, `check`, help text,
//! exit statuses, and the guarantee that a failed build leaves the published
//! site untouched.

mod common;
use common::*;

#[test]
fn new_then_build_gives_a_working_site_without_a_themes_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    let out = anxin(&["new", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("site.toml").is_file());
    assert!(!site.join("themes").exists());
    let out = anxin(&["build", "--root", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.join("public");
    let home = read(&public, "index.html");
    assert!(home.contains("<html lang=\"zh-CN\">"));
    assert!(home.contains("href=\"tel:12356\""));
    assert!(public.join("news/first-post/index.html").is_file());
    assert!(public.join("about/index.html").is_file());
    assert!(public.join("news/atom.xml").is_file());
    assert!(
        site.join("data/hotlines.toml").is_file(),
        "the starter has data too"
    );
    assert!(read(&public, "hotlines/index.html").contains("href=\"tel:12356\""));
    assert!(stdout(&out).contains("Built "));
    // A second build keeps the first as the spare, which git is told to leave out.
    let out = anxin(&["build", "--root", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join(".public.anxin-spare/index.html").is_file());
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "public/"), "{ignored}");
    assert!(
        ignored.lines().any(|l| l == ".public.anxin-*/"),
        "{ignored}"
    );
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let out = anxin(&["new", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists and is not empty"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn usage_errors_exit_with_status_2() {
    assert_eq!(anxin(&["bild"]).status.code(), Some(2));
    assert_eq!(anxin(&["build", "--nope"]).status.code(), Some(2));
    assert_eq!(anxin(&[]).status.code(), Some(2));
}

#[test]
fn help_explains_the_commands_in_plain_words() {
    let out = anxin(&["--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    for part in [
        "new",
        "build",
        "check",
        "content/",
        "public/",
        "Exit status",
    ] {
        assert!(help.contains(part), "{part} missing from --help:\n{help}");
    }
    let build_help = stdout(&anxin(&["build", "--help"]));
    for flag in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(build_help.contains(flag), "{flag} missing:\n{build_help}");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = copy_fixture("basic");
    let public = site.path().join("public");
    build(site.path(), &public, &[]);
    let before = snapshot(&public);

    std::fs::write(
        site.path().join("content/news/post-2.md"),
        "+++\ntitle = \"坏\"\ndate = 2025-02-15\ntags = [\"培训\"\n+++\n正文\n",
    )
    .unwrap();
    let out = anxin(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/news/post-2.md:4:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&public), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("anxin-"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folders are left behind");
}

/// Outputs are written while the site renders: an error found then (a
/// template that breaks on one page, two outputs with one path) must still
/// leave the published site exactly as it was, and no staging folder.
#[test]
fn an_error_found_while_writing_leaves_the_previous_output_byte_for_byte() {
    let site = copy_fixture("basic");
    let public = site.path().join("public");
    build(site.path(), &public, &[]);
    let before = snapshot(&public);
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(site.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("anxin-") && n != ".public.anxin-spare")
            .collect()
    };
    let run = || {
        anxin(&[
            "build",
            "--root",
            site.path().to_str().unwrap(),
            "--output",
            public.to_str().unwrap(),
        ])
    };

    // A template that fails at render time, on one page of many.
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/broken.html"),
        "{{ page.title }} {{ page.no_such_field.x }}\n",
    )
    .unwrap();
    let post = site.path().join("content/news/post-3.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(
        &post,
        text.replacen("+++\n", "+++\ntemplate = \"broken.html\"\n", 1),
    )
    .unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("broken.html"), "{}", stderr(&out));
    assert_eq!(snapshot(&public), before);
    assert!(leftovers().is_empty(), "{:?}", leftovers());

    // A static file with the path of a page.
    std::fs::write(&post, &text).unwrap();
    std::fs::create_dir_all(site.path().join("static/news/post-1")).unwrap();
    std::fs::write(site.path().join("static/news/post-1/index.html"), "x").unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("two outputs would both write news/post-1/index.html"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&public), before);
    assert!(leftovers().is_empty(), "{:?}", leftovers());
}

#[test]
fn a_rebuild_replaces_the_output_and_drops_stale_files() {
    let site = copy_fixture("basic");
    let public = site.path().join("public");
    build(site.path(), &public, &[]);
    std::fs::remove_file(site.path().join("content/guides/b-guide.md")).unwrap();
    build(site.path(), &public, &[]);
    assert!(!public.join("guides/b-guide").exists());
    assert!(public.join("guides/leaflet/index.html").is_file());
}

#[test]
fn build_refuses_to_write_over_the_site_itself() {
    let site = copy_fixture("basic");
    let out = anxin(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("refusing to use"), "{}", stderr(&out));
    assert!(site.path().join("site.toml").is_file());
}

#[test]
fn check_passes_a_good_site_and_writes_nothing() {
    let site = copy_fixture("basic");
    let out = anxin(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("No errors"));
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_missing_site_toml_says_how_to_start() {
    let tmp = tempfile::tempdir().unwrap();
    let out = anxin(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("cannot read site.toml") && err.contains("anxin new"),
        "{err}"
    );
}

#[test]
fn an_image_without_alt_text_warns_in_build_and_fails_check_strict() {
    let site = copy_fixture("warnings");
    let root = site.path().to_str().unwrap();
    let out = anxin(&["build", "--root", root]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: this image has no alt text"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--> content/_index.md:7:1"));

    let out = anxin(&["check", "--root", root]);
    assert!(out.status.success());
    let out = anxin(&["check", "--strict", "--root", root]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: this image has no alt text"),
        "{}",
        stderr(&out)
    );
}

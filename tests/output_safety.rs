//! The output folder is anxin's alone, and nothing is written outside it:
//! each way a build could lose a user's files or reach past its output
//! (issue #22), tried through the binary on temporary folders. Every test
//! checks that the files outside the output are byte for byte as they were.

mod common;
use common::*;
use std::path::Path;
use std::process::Output;

/// A new site from the starter, at `dir`.
fn new_site(dir: &Path) {
    let out = anxin(&["new", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn run(args: &[&str]) -> Output {
    anxin(args)
}

/// stderr with the temporary folder written as `$TMP`, so that whole
/// messages can be compared.
fn errors(out: &Output, tmp: &Path) -> String {
    let real = std::fs::canonicalize(tmp).unwrap();
    stderr(out)
        .replace(real.to_str().unwrap(), "$TMP")
        .replace(tmp.to_str().unwrap(), "$TMP")
}

fn build_into(root: &Path, output: &Path) -> Output {
    run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ])
}

#[cfg(unix)]
#[test]
fn an_output_linked_to_the_sites_content_is_refused_by_build_and_watch() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    new_site(&site);
    let link = tmp.path().join("out");
    std::os::unix::fs::symlink(site.join("content"), &link).unwrap();
    let before = snapshot(&site);
    for _ in 0..2 {
        let out = build_into(&site, &link);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            errors(&out, tmp.path()),
            "error: refusing to use $TMP/out as the output folder: it lies in the site's content, \
             which the build would delete (through a link, it is $TMP/s/content)\n  \
             = help: pass --output with a separate folder, e.g. --output public\n\n1 error\n"
        );
        let out = run(&[
            "watch",
            "--root",
            site.to_str().unwrap(),
            "--output",
            link.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("refusing to use"), "{}", stderr(&out));
    }
    assert_eq!(snapshot(&site), before, "the site's files are untouched");
}

#[test]
fn an_output_inside_another_sites_sources_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, other) = (tmp.path().join("s"), tmp.path().join("other"));
    new_site(&site);
    new_site(&other);
    let before = snapshot(&other);
    for target in ["content", "content/news", "data", "."] {
        let out = build_into(&site, &other.join(target));
        assert_eq!(out.status.code(), Some(1), "{target}");
        assert!(
            errors(&out, tmp.path()).contains("another site ($TMP/other)"),
            "{target}: {}",
            stderr(&out)
        );
    }
    assert_eq!(snapshot(&other), before);
    // Its output folder is fine: it is not a source.
    let out = build_into(&site, &other.join("public"));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_folder_anxin_did_not_make_is_never_emptied() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    new_site(&site);
    let mine = tmp.path().join("mine");
    std::fs::create_dir_all(mine.join("sub")).unwrap();
    std::fs::write(mine.join("thesis.docx"), "my thesis").unwrap();
    std::fs::write(mine.join("sub/photo.jpg"), "a photo").unwrap();
    // A hidden folder with the spare's name that is not anxin's is left too.
    let spare = tmp.path().join(".mine.anxin-spare");
    std::fs::create_dir_all(&spare).unwrap();
    std::fs::write(spare.join("notes.txt"), "notes").unwrap();
    let (before, spare_before) = (snapshot(&mine), snapshot(&spare));
    for _ in 0..2 {
        let out = build_into(&site, &mine);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            errors(&out, tmp.path()).starts_with(
                "error: refusing to use $TMP/mine as the output folder: it is not empty and anxin did not make it"
            ),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(snapshot(&mine), before);
    assert_eq!(snapshot(&spare), spare_before);
}

#[test]
fn a_file_put_into_the_output_stops_the_next_build_and_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    new_site(&site);
    let public = site.join("public");
    build(&site, &public, &[]);
    build(&site, &public, &[]);
    assert!(
        read(&public, ".anxin-output").contains("\nindex.html\n"),
        "the manifest lists what anxin wrote"
    );
    std::fs::write(public.join("other-app.php"), "<?php").unwrap();
    std::fs::create_dir_all(public.join("news/mine")).unwrap();
    std::fs::write(public.join("news/mine/draft.txt"), "mine").unwrap();
    let before = snapshot(&public);
    let out = build_into(&site, &public);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        errors(&out, tmp.path()),
        "error: refusing to use $TMP/s/public as the output folder: it holds 2 file(s) that anxin did not write: \
         news/mine/draft.txt, other-app.php\n  \
         = help: every build replaces the whole folder: move files you want published into the site's static/ folder, \
         and others out of the output folder, then build again\n\n1 error\n"
    );
    assert_eq!(snapshot(&public), before);
    // Moved away, the build goes on.
    std::fs::remove_file(public.join("other-app.php")).unwrap();
    std::fs::remove_dir_all(public.join("news/mine")).unwrap();
    build(&site, &public, &[]);
}

#[cfg(unix)]
#[test]
fn a_public_link_to_a_deploy_folder_is_written_through_and_stays_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    new_site(&site);
    let www = tmp.path().join("www");
    std::fs::create_dir(&www).unwrap();
    std::os::unix::fs::symlink("../www", site.join("public")).unwrap();
    let root = site.to_str().unwrap();
    let mut trees = Vec::new();
    for _ in 0..3 {
        let out = run(&["build", "--root", root]);
        assert!(out.status.success(), "{}", stderr(&out));
        let link = std::fs::symlink_metadata(site.join("public")).unwrap();
        assert!(link.file_type().is_symlink(), "public is still a link");
        assert_eq!(
            std::fs::read_link(site.join("public")).unwrap(),
            Path::new("../www")
        );
        trees.push(snapshot(&www));
    }
    assert!(www.join("index.html").is_file());
    assert_eq!(trees[0], trees[1], "every build reaches the deploy folder");
    assert_eq!(trees[1], trees[2]);
    // Another app's file in the deploy folder stops the build.
    std::fs::write(www.join("other-app.php"), "<?php").unwrap();
    let out = run(&["build", "--root", root]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("other-app.php"), "{}", stderr(&out));
    assert_eq!(read(&www, "other-app.php"), "<?php");
}

#[test]
fn aliases_that_leave_the_site_are_errors_at_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    new_site(&site);
    let victim = tmp.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("index.html"), "keep me").unwrap();
    let page = site.join("content/about.md");
    let text = std::fs::read_to_string(&page).unwrap();
    for (alias, why) in [
        (
            "/../../victim/",
            "an alias may not hold `.` or `..` parts or an empty part: it would point outside the site",
        ),
        (
            "/../../victim2.html",
            "an alias may not hold `.` or `..` parts or an empty part: it would point outside the site",
        ),
        (
            "a/./b",
            "an alias may not hold `.` or `..` parts or an empty part: it would point outside the site",
        ),
        (
            "https://other.host/x/",
            "an alias is an old address on this site, not a link to another one",
        ),
        ("/old?x=1", "an alias is a path: it may not hold `?` or `#`"),
    ] {
        std::fs::write(
            &page,
            text.replacen("+++\n", &format!("+++\naliases = [\"{alias}\"]\n"), 1),
        )
        .unwrap();
        for command in ["build", "check"] {
            let out = run(&[command, "--root", site.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(1), "{alias}");
            let column = "aliases = [".len() + 1;
            let underline = "^".repeat(alias.len() + 2);
            let pad = " ".repeat(column - 1);
            assert_eq!(
                stderr(&out),
                format!(
                    "error: {why}\n  --> content/about.md:2:{column}\n  |\n2 | aliases = [\"{alias}\"]\n  | {pad}{underline}\n  \
                     = help: write the old address from the site root, e.g. aliases = [\"/news/old-name/\"]\n\n1 error\n"
                ),
                "{command} {alias}"
            );
        }
    }
    assert_eq!(read(&victim, "index.html"), "keep me");
    assert!(!tmp.path().join("victim2.html").exists());
    assert!(!site.join("public").exists());
}

#[test]
fn long_tags_and_slugs_are_shortened_not_an_os_error() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    new_site(&site);
    let tag = "心理健康宣传".repeat(20);
    let slug = "a".repeat(400);
    std::fs::write(
        site.join("content/news/long.md"),
        format!("+++\ntitle = \"长\"\nslug = \"{slug}\"\ntags = [\"{tag}\"]\n+++\n\n正文\n"),
    )
    .unwrap();
    let public = site.join("public");
    build(&site, &public, &[]);
    let tags: Vec<String> = std::fs::read_dir(public.join("tags"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("心理健康宣传"))
        .collect();
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert!(tags[0].len() <= 180, "{}", tags[0].len());
    assert!(
        public
            .join("tags")
            .join(&tags[0])
            .join("index.html")
            .is_file()
    );
    let pages: Vec<String> = std::fs::read_dir(public.join("news"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("aaaa"))
        .collect();
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(pages[0].len() <= 180);
    // The same input, the same names.
    let first = tree(&public);
    build(&site, &public, &[]);
    assert_eq!(tree(&public), first);
}

#[cfg(unix)]
#[test]
fn links_in_the_site_are_skipped_with_a_warning_and_serve_never_reads_through_them() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    new_site(&site);
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("secret.md"),
        "+++\ntitle = \"外面的文件\"\n+++\n\nOUTSIDE-TEXT\n",
    )
    .unwrap();
    std::fs::write(outside.join("secret.txt"), "OUTSIDE-STATIC").unwrap();
    std::os::unix::fs::symlink(&outside, site.join("content/linked")).unwrap();
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), site.join("static/secret.txt")).unwrap();
    let root = site.to_str().unwrap();
    let warned = |out: &Output| {
        let err = stderr(out);
        for link in ["content/linked", "static/secret.txt"] {
            let warning = format!(
                "warning: {link} is a symbolic link: anxin does not follow links, so it is left out\n  --> {link}\n  \
                 = help: copy the file or folder into the site instead of linking to it\n"
            );
            assert_eq!(err.matches(&warning).count(), 1, "{link}:\n{err}");
        }
    };
    let out = run(&["build", "--root", root]);
    assert!(out.status.success(), "{}", stderr(&out));
    warned(&out);
    warned(&run(&["check", "--root", root]));
    let public = site.join("public");
    assert!(!public.join("linked").exists());
    assert!(!public.join("secret.txt").exists());

    let server = serve(&site);
    let get = |path: &str| server.get(path);
    assert_eq!(get("/linked/secret/").0, 404);
    // An edit through the link, then a new page in a folder linked later:
    // the preview reads neither, as the build would not.
    std::fs::write(
        outside.join("secret.md"),
        "+++\ntitle = \"外面的文件\"\n+++\n\nOUTSIDE-EDITED\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, site.join("content/later")).unwrap();
    std::fs::write(
        outside.join("second.md"),
        "+++\ntitle = \"第二\"\n+++\n\nOUTSIDE-2\n",
    )
    .unwrap();
    // A real edit after them, to know the preview has caught up.
    let about = site.join("content/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, format!("{text}\nCAUGHT-UP\n")).unwrap();
    server.wait_for("/about/", |body| body.contains("CAUGHT-UP"));
    for path in [
        "/linked/secret/",
        "/later/secret/",
        "/later/second/",
        "/secret.txt",
    ] {
        let (status, body) = get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("OUTSIDE"), "{path}");
    }
}

#[test]
fn base_url_and_round_to_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    new_site(&site);
    let config = site.join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("base_url"))
        .unwrap()
        + 1;
    let root = site.to_str().unwrap();
    for (url, why) in [
        (
            "https://e.org/\\\"><script>alert(1)</script>",
            "`\"` may not appear in its path",
        ),
        (
            "javascript:alert(1)//",
            "it must start with https:// or http://",
        ),
        ("//other.host/", "it must start with https:// or http://"),
    ] {
        let changed: String = text
            .lines()
            .map(|l| {
                if l.starts_with("base_url") {
                    format!("base_url = \"{url}\"\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(&config, changed).unwrap();
        let out = run(&["build", "--root", root]);
        assert_eq!(out.status.code(), Some(1), "{url}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: base_url `")
                && err.contains(why)
                && err.contains(&format!("--> site.toml:{line}:1")),
            "{url}: {err}"
        );
    }
    std::fs::write(&config, &text).unwrap();
    for url in ["javascript:alert(1)//", "https://e.org/\"x", "ftp://e.org/"] {
        let out = run(&["build", "--root", root, "--base-url", url]);
        assert_eq!(out.status.code(), Some(1), "{url}");
        assert!(
            stderr(&out).starts_with("error: --base-url: base_url `"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!site.join("public").exists(), "nothing was written");
    let out = run(&[
        "build",
        "--root",
        root,
        "--base-url",
        "https://test.example.org/sub/",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        read(&site.join("public"), "index.html")
            .contains("href=\"https://test.example.org/sub/style.css\"")
    );

    std::fs::write(
        &config,
        text.replacen(
            "[privacy]\n",
            "[privacy]\nround_to = 9223372036854775807\n",
            1,
        ),
    )
    .unwrap();
    let out = run(&["check", "--root", root]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(
            "error: round_to = 9223372036854775807 is larger than 100: every count would be published as 0 or a multiple of 9223372036854775807\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn names_and_tags_without_letters_are_errors_not_paths_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    new_site(&site);
    std::fs::create_dir_all(site.join("content/news/!!!")).unwrap();
    std::fs::write(
        site.join("content/news/!!!/a.md"),
        "+++\ntitle = \"x\"\n+++\n",
    )
    .unwrap();
    std::fs::write(
        site.join("content/news/b.md"),
        "+++\ntitle = \"b\"\ntags = [\"ok\", \"。。\"]\n+++\n",
    )
    .unwrap();
    let out = run(&["build", "--root", site.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: the name `!!!` has no letters or digits to make this page's address from\n  \
         --> content/news/!!!/a.md\n  \
         = help: rename the file or folder with letters or digits (Chinese is fine), or give the page a slug\n\n\
         error: a tag has no letters or digits to make its address from\n  \
         --> content/news/b.md:3:8\n  |\n3 | tags = [\"ok\", \"。。\"]\n  |        ^^^^^^^^^^^^^^\n  \
         = help: write each tag with letters or digits (Chinese is fine), e.g. tags = [\"世界精神卫生日\"]\n\n2 errors\n"
    );
}

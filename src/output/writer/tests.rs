//! The writer's tests: atomic replacement, the spare, and what is never
//! touched.

use super::*;

#[test]
fn replaces_the_output_and_keeps_the_old_one_as_the_spare() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    std::fs::create_dir_all(out.join("stale")).unwrap();
    std::fs::write(out.join("stale/old.html"), "old").unwrap();
    let files = vec![
        OutputFile::text("index.html", "home".into()),
        OutputFile::text("news/a/index.html", "a".into()),
    ];
    write_atomically(&out, &files).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("news/a/index.html")).unwrap(),
        "a"
    );
    assert!(!out.join("stale").exists());
    // The previous tree is deleted in the background: soon, not at once.
    let siblings = || -> Vec<std::ffi::OsString> {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect()
    };
    let mut siblings = siblings();
    siblings.sort();
    assert_eq!(siblings, [".public.anxin-spare", "public"]);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(".public.anxin-spare/stale/old.html")).unwrap(),
        "old",
        "the replaced site is kept as the spare for the next build"
    );
}

fn text(pairs: &[(&str, &str)]) -> Vec<OutputFile> {
    pairs
        .iter()
        .map(|(p, t)| OutputFile::text(*p, t.to_string()))
        .collect()
}

fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[cfg(unix)]
#[test]
fn a_later_build_recycles_the_spare_without_touching_the_published_site() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let spare = tmp.path().join(".public.anxin-spare");
    write_atomically(
        &out,
        &text(&[("a.html", "same"), ("b.html", "v1"), ("c/index.html", "c")]),
    )
    .unwrap();
    // No spare yet: unchanged files are linked from the output, so the
    // published tree and the spare share them.
    write_atomically(
        &out,
        &text(&[("a.html", "same"), ("b.html", "v2"), ("c/index.html", "c")]),
    )
    .unwrap();
    let published = tree(&out);
    let a = std::fs::metadata(out.join("a.html")).unwrap().ino();
    // The third build starts from the spare (the first site).
    write_atomically(
        &out,
        &text(&[("a.html", "same"), ("b.html", "v3"), ("d/x.html", "new")]),
    )
    .unwrap();
    assert_eq!(
        tree(&out),
        [
            ("a.html".to_string(), "same".to_string()),
            ("b.html".to_string(), "v3".to_string()),
            ("d/x.html".to_string(), "new".to_string()),
        ],
        "changed file replaced, stale file and its folder gone"
    );
    assert!(!out.join("c").exists());
    assert_eq!(
        std::fs::metadata(out.join("a.html")).unwrap().ino(),
        a,
        "unchanged: kept"
    );
    assert_eq!(tree(&spare), published, "the site it replaced is untouched");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("anxin-new") || n.contains("anxin-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_recycled_spare_gives_way_where_files_and_folders_swap() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    write_atomically(&out, &text(&[("x/index.html", "folder"), ("y", "file")])).unwrap();
    write_atomically(&out, &text(&[("z.html", "z")])).unwrap();
    // The spare is the first site: `x` is a folder there, `y` a file.
    write_atomically(
        &out,
        &text(&[("x", "now a file"), ("y/index.html", "now a folder")]),
    )
    .unwrap();
    assert_eq!(
        tree(&out),
        [
            ("x".to_string(), "now a file".to_string()),
            ("y/index.html".to_string(), "now a folder".to_string()),
        ]
    );
}

#[test]
fn a_failed_build_keeps_its_files_as_the_spare() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    write_atomically(&out, &text(&[("a.html", "a")])).unwrap();
    let staging = Staging::begin(&out).unwrap();
    staging
        .put(&OutputFile::text("b.html", "b".into()))
        .unwrap();
    drop(staging);
    assert_eq!(tree(&out), [("a.html".to_string(), "a".to_string())]);
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| n == "public" || n == ".public.anxin-spare"),
        "{names:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_files_and_writes_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let first = vec![
        OutputFile::text("a/index.html", "same".into()),
        OutputFile::text("b/index.html", "old".into()),
    ];
    write_atomically(&out, &first).unwrap();
    let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
    let (a, b) = (inode("a/index.html"), inode("b/index.html"));
    let second = vec![
        OutputFile::text("a/index.html", "same".into()),
        OutputFile::text("b/index.html", "new".into()),
    ];
    write_atomically(&out, &second).unwrap();
    assert_eq!(inode("a/index.html"), a, "unchanged: linked, not written");
    assert_ne!(inode("b/index.html"), b);
    assert_eq!(
        std::fs::read_to_string(out.join("b/index.html")).unwrap(),
        "new"
    );
}

#[test]
fn writes_only_changes_and_removes_what_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    write_atomically(
        &out,
        &[
            OutputFile::text("a/index.html", "a".into()),
            OutputFile::text("b/index.html", "b".into()),
        ],
    )
    .unwrap();
    let changed = OutputFile::text("a/index.html", "a2".into());
    write_changes(&out, &[&changed], &["b/index.html".to_string()]).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("a/index.html")).unwrap(),
        "a2"
    );
    assert!(!out.join("b").exists());
    assert_eq!(
        std::fs::read_dir(out.join("a")).unwrap().count(),
        1,
        "no temporary left"
    );
}

#[test]
fn a_failed_write_leaves_the_old_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("index.html"), "old").unwrap();
    let files = vec![OutputFile {
        path: "x.png".into(),
        contents: Contents::Copy(tmp.path().join("missing.png")),
    }];
    assert!(write_atomically(&out, &files).is_err());
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "old"
    );
    let others: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "public" && n != ".public.anxin-spare")
        .collect();
    assert!(others.is_empty(), "{others:?}");
}

#[test]
fn every_tree_lists_what_it_holds_in_its_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let listed =
        |dir: &Path| -> Vec<String> { folder::read_manifest(dir).unwrap().into_iter().collect() };
    write_atomically(&out, &text(&[("b.html", "b"), ("a/index.html", "a")])).unwrap();
    assert_eq!(listed(&out), ["a/index.html", "b.html"]);
    write_atomically(&out, &text(&[("c.html", "c")])).unwrap();
    // The third build recycles the first tree: its manifest is made anew.
    write_atomically(&out, &text(&[("d.html", "d")])).unwrap();
    assert_eq!(listed(&out), ["d.html"]);
    let changed = OutputFile::text("e/index.html", "e".into());
    write_changes(&out, &[&changed], &["d.html".to_string()]).unwrap();
    assert_eq!(listed(&out), ["e/index.html"]);
    assert_eq!(tree(&out), [("e/index.html".to_string(), "e".to_string())]);
}

#[test]
fn a_hidden_folder_anxin_did_not_make_is_never_recycled_or_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    for name in [".public.anxin-spare", ".public.anxin-new-1"] {
        std::fs::create_dir_all(tmp.path().join(name)).unwrap();
        std::fs::write(tmp.path().join(name).join("thesis.docx"), "mine").unwrap();
    }
    for round in ["1", "2", "3"] {
        write_atomically(&out, &text(&[("index.html", round)])).unwrap();
    }
    assert_eq!(tree(&out), [("index.html".to_string(), "3".to_string())]);
    for name in [".public.anxin-spare", ".public.anxin-new-1"] {
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(name).join("thesis.docx")).unwrap(),
            "mine"
        );
    }
}

#[test]
fn paths_that_leave_the_output_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site/public");
    for bad in [
        "../victim/index.html",
        "/tmp/x.html",
        "a/../../b.html",
        MARKER,
    ] {
        let staging = Staging::begin(&out).unwrap();
        assert!(
            matches!(
                staging.put(&OutputFile::text(bad, "x".into())),
                Err(PutError::Outside(_))
            ),
            "{bad}"
        );
        let file = OutputFile::text(bad, "x".into());
        assert!(write_changes(&out, &[&file], &[]).is_err(), "{bad}");
    }
    assert!(!tmp.path().join("victim").exists());
    assert!(!tmp.path().join("site/b.html").exists());
}

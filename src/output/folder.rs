//! Whose folder the output is. `build` and `watch` replace their output
//! folder whole, so they write only into a folder that is anxin's alone: a
//! new one, an empty one, or one that anxin made, which it marks with a
//! manifest file (`.anxin-output`) listing every file it wrote there. A file
//! that is not in the manifest was put there by someone else, and the build
//! stops rather than delete it. Every path is resolved through symbolic links
//! before it is compared, so no link can point a build at the site's own
//! sources; a `public` link to a deploy folder is written through, and stays
//! a link.

use crate::diagnostics::Diagnostic;
use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The manifest anxin keeps at the top of every output tree it writes.
pub const MARKER: &str = ".anxin-output";

const HEADER: &str = "# anxin output folder: made by anxin (安心), replaced whole by every build.\n\
# Put files you want published in the site's static/ folder, not here.\n\
# The files anxin wrote here, one a line:\n";

/// The manifest of a tree holding `files` (output paths, any order).
pub fn manifest<'a>(files: impl IntoIterator<Item = &'a String>) -> String {
    let sorted: BTreeSet<&String> = files.into_iter().collect();
    let mut text = String::with_capacity(HEADER.len() + sorted.len() * 32);
    text.push_str(HEADER);
    for path in sorted {
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// The files a manifest lists; `None` when `dir` has no manifest.
pub fn read_manifest(dir: &Path) -> Option<BTreeSet<String>> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    text.starts_with("# anxin output folder").then(|| {
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    })
}

/// Whether anxin may delete `dir` and everything in it: a folder it made
/// (with a manifest), or an empty one. Used for its own hidden working
/// folders beside the output (the spare, leftovers of a killed build).
pub fn is_anxins(dir: &Path) -> bool {
    let Ok(meta) = dir.symlink_metadata() else {
        return false;
    };
    meta.is_dir() && (read_manifest(dir).is_some() || is_empty_dir(dir))
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// `path` made absolute with every symbolic link in it followed, as far as
/// it exists; the parts that do not exist yet are appended as written, and
/// a `..` after them goes back one part.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut resolved = PathBuf::new();
    let mut exists = true;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if exists && resolved.symlink_metadata().is_ok() {
                    resolved = std::fs::canonicalize(&resolved).map_err(|e| {
                        io::Error::new(
                            e.kind(),
                            format!("{} cannot be followed: {e}", resolved.display()),
                        )
                    })?;
                } else {
                    exists = false;
                }
            }
        }
    }
    Ok(resolved)
}

/// Checks that `output` may be replaced by a build of the site at `root`
/// whose sources are the folders `sources` (and `site.toml`), and returns
/// the real folder to write: `output` with its links followed.
pub fn claim(root: &Path, output: &Path, sources: &[&str]) -> Result<PathBuf, Diagnostic> {
    let refuse = |why: String, hint: &str| {
        Diagnostic::error(format!(
            "refusing to use {} as the output folder: {why}",
            output.display()
        ))
        .with_hint(hint.to_string())
    };
    let unreadable = |e: io::Error| {
        refuse(
            format!("its path cannot be resolved ({e})"),
            "pass --output with a folder you may write to, e.g. --output public",
        )
    };
    let real = resolve(output).map_err(unreadable)?;
    let site = resolve(root).map_err(unreadable)?;
    let separate = "pass --output with a separate folder, e.g. --output public";
    if site.starts_with(&real) {
        return Err(refuse(
            "it holds the site itself, which the build would delete".into(),
            separate,
        ));
    }
    for source in sources.iter().copied().chain([crate::config::CONFIG_FILE]) {
        let Ok(source_real) = resolve(&root.join(source)) else {
            continue;
        };
        let relation = if real.starts_with(&source_real) {
            "lies in"
        } else if source_real.starts_with(&real) {
            "holds"
        } else {
            continue;
        };
        return Err(refuse(
            format!(
                "it {relation} the site's {source}, which the build would delete{}",
                through_link(output, &real)
            ),
            separate,
        ));
    }
    if let Some(other) = other_sites_sources(&real, sources) {
        return Err(refuse(
            format!(
                "it lies in the sources of another site ({})",
                other.display()
            ),
            separate,
        ));
    }
    let Ok(meta) = real.symlink_metadata() else {
        return Ok(real);
    };
    if !meta.is_dir() {
        return Err(refuse(
            "it is a file, not a folder".into(),
            "pass --output with a folder's name; anxin creates it",
        ));
    }
    if is_empty_dir(&real) {
        return Ok(real);
    }
    let Some(listed) = read_manifest(&real) else {
        return Err(refuse(
            format!(
                "it is not empty and anxin did not make it{} (it has no {MARKER} file)",
                through_link(output, &real)
            ),
            "anxin replaces its output folder on every build, so it writes only into a new or empty folder, or one it made; \
             pass --output with a new folder, or move the files out of this one. \
             A folder written by an anxin older than this check has no such file: delete it once and build again",
        ));
    };
    let foreign = foreign_files(&real, &listed).map_err(|e| {
        refuse(
            format!("its files cannot be listed ({e})"),
            "check that you may read the folder",
        )
    })?;
    if !foreign.is_empty() {
        let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
        let more = match foreign.len() {
            n if n > 5 => format!(" and {} more", n - 5),
            _ => String::new(),
        };
        return Err(refuse(
            format!(
                "it holds {} file(s) that anxin did not write: {}{more}",
                foreign.len(),
                shown.join(", ")
            ),
            "every build replaces the whole folder: move files you want published into the site's static/ folder, \
             and others out of the output folder, then build again",
        ));
    }
    Ok(real)
}

/// `(a link to /real/path)` when `output` is not its own real path.
fn through_link(output: &Path, real: &Path) -> String {
    match std::path::absolute(output) {
        Ok(absolute) if absolute != real => format!(" (through a link, it is {})", real.display()),
        _ => String::new(),
    }
}

/// The site root above `folder` whose source folder holds it, if any: an
/// `--output` inside another site's `content/` would empty it.
fn other_sites_sources(folder: &Path, sources: &[&str]) -> Option<PathBuf> {
    if folder.join(crate::config::CONFIG_FILE).exists() {
        return Some(folder.to_path_buf());
    }
    let mut below = folder;
    for ancestor in folder.ancestors().skip(1) {
        let top = below
            .strip_prefix(ancestor)
            .ok()
            .and_then(|rel| rel.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if ancestor.join(crate::config::CONFIG_FILE).is_file()
            && top.is_some_and(|top| sources.contains(&top.as_str()))
        {
            return Some(ancestor.to_path_buf());
        }
        below = ancestor;
    }
    None
}

/// The files (and links) in `dir` that its manifest does not list: put there
/// by someone else since the last build.
fn foreign_files(dir: &Path, listed: &BTreeSet<String>) -> io::Result<Vec<String>> {
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = super::slash_path(rel);
        // A temporary of a write that was stopped midway is anxin's too.
        let temporary = rel
            .rsplit('/')
            .next()
            .is_some_and(|n| n.starts_with('.') && n.ends_with(".anxin-tmp"));
        if rel != MARKER && !temporary && !listed.contains(&rel) {
            foreign.push(rel);
        }
    }
    Ok(foreign)
}

/// Whether an output path stays inside the output folder once joined to
/// it: relative, `/`-separated, no empty, `.` or `..` part, no backslash or
/// control character (which would also break the manifest's lines), and
/// not the manifest itself.
pub fn is_contained(path: &str) -> bool {
    path != MARKER
        && !path.chars().any(|c| c == '\\' || c.is_control())
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &[&str] = &["content", "data", "static"];

    fn site(dir: &Path) -> PathBuf {
        let root = dir.join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.toml"), "").unwrap();
        std::fs::write(root.join("content/a.md"), "a").unwrap();
        root
    }

    fn refused(root: &Path, output: &Path) -> String {
        match claim(root, output, SOURCES) {
            Ok(real) => panic!("{} was accepted as {}", output.display(), real.display()),
            Err(d) => d.message,
        }
    }

    #[test]
    fn accepts_a_new_or_empty_folder_and_one_anxin_made() {
        let tmp = tempfile::tempdir().unwrap();
        let root = site(tmp.path());
        let public = root.join("public");
        assert_eq!(
            claim(&root, &public, SOURCES).unwrap(),
            resolve(&public).unwrap()
        );
        std::fs::create_dir(&public).unwrap();
        assert!(claim(&root, &public, SOURCES).is_ok());
        std::fs::write(public.join("index.html"), "x").unwrap();
        std::fs::write(public.join(MARKER), manifest([&"index.html".to_string()])).unwrap();
        assert!(claim(&root, &public, SOURCES).is_ok());
    }

    #[test]
    fn refuses_a_folder_anxin_did_not_make_or_with_files_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        let root = site(tmp.path());
        let mine = tmp.path().join("mine");
        std::fs::create_dir_all(mine.join("sub")).unwrap();
        std::fs::write(mine.join("thesis.docx"), "x").unwrap();
        assert!(refused(&root, &mine).contains("anxin did not make it"));
        std::fs::write(mine.join(MARKER), manifest([&"sub/a.html".to_string()])).unwrap();
        std::fs::write(mine.join("sub/a.html"), "x").unwrap();
        assert_eq!(
            refused(&root, &mine),
            format!(
                "refusing to use {} as the output folder: it holds 1 file(s) that anxin did not write: thesis.docx",
                mine.display()
            )
        );
    }

    #[test]
    fn refuses_the_sources_and_the_site_and_another_sites_sources() {
        let tmp = tempfile::tempdir().unwrap();
        let root = site(tmp.path());
        assert!(refused(&root, &root).contains("holds the site itself"));
        assert!(refused(&root, tmp.path()).contains("holds the site itself"));
        assert!(refused(&root, &root.join("content")).contains("lies in the site's content"));
        assert!(refused(&root, &root.join("content/new")).contains("lies in the site's content"));
        assert!(refused(&root, &root.join("site.toml")).contains("site.toml"));
        let other = tmp.path().join("other");
        std::fs::create_dir_all(other.join("content")).unwrap();
        std::fs::write(other.join("site.toml"), "").unwrap();
        assert!(refused(&root, &other.join("content")).contains("another site"));
        assert!(refused(&root, &other.join("static/x")).contains("another site"));
        assert!(refused(&root, &other).contains("another site"));
        assert!(claim(&root, &other.join("public"), SOURCES).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn follows_links_before_it_compares() {
        let tmp = tempfile::tempdir().unwrap();
        let root = site(tmp.path());
        let link = tmp.path().join("out");
        std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
        let message = refused(&root, &link);
        assert!(message.contains("the site's content"), "{message}");
        assert!(message.contains("through a link"), "{message}");
        // A link to an empty deploy folder is written through.
        let www = tmp.path().join("www");
        std::fs::create_dir(&www).unwrap();
        let public = root.join("public");
        std::os::unix::fs::symlink("../www", &public).unwrap();
        assert_eq!(
            claim(&root, &public, SOURCES).unwrap(),
            resolve(&www).unwrap()
        );
        // …and `..` after a link goes up from where the link leads.
        let via = root.join("public/../site/content");
        assert!(refused(&root, &via).contains("the site's content"));
    }

    #[test]
    fn output_paths_must_stay_inside() {
        for good in [
            "index.html",
            "news/a/index.html",
            "tags/心理/index.html",
            "a..b/x",
        ] {
            assert!(is_contained(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "a//b",
            "a\\..\\b",
            "a/\nb",
            "x/",
            MARKER,
        ] {
            assert!(!is_contained(bad), "{bad:?}");
        }
    }
}

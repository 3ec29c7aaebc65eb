//! Writes the built site so that the output folder is never half old and
//! half new: the new site is assembled in a hidden sibling folder and swapped
//! in with renames only once every file is written. A failed build, or one
//! killed midway, leaves the previous output as it was.
//!
//! Rebuilding over an existing output is most of the cost on a disk: a file
//! that did not change is hard-linked from the previous output instead of
//! written again, and the previous tree is deleted by a background process
//! after the swap (deleting 10,000 files takes seconds on a slow disk), or by
//! the next build if that one was interrupted.

use super::{Contents, OutputFile};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Writes `files` into `output`, replacing what was there.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> io::Result<()> {
    let staging = Staging::begin(output)?;
    files.par_iter().try_for_each(|f| match staging.put(f) {
        Ok(()) => Ok(()),
        Err(PutError::Io(e)) => Err(e),
        Err(PutError::Duplicate(path)) => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("two outputs would both write {path}"),
        )),
    })?;
    staging.commit()
}

/// Why [`Staging::put`] refused a file.
#[derive(Debug)]
pub enum PutError {
    /// Another output of this build already wrote this path.
    Duplicate(String),
    Io(io::Error),
}

/// A new output tree, written file by file beside the published one while
/// the site renders, so that no build holds the whole site in memory, and
/// swapped in by [`Staging::commit`]. Dropped without a commit (an error,
/// a panic), it deletes itself and the published output stays as it was.
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    /// The published output, whose unchanged files are linked, not written.
    previous: Option<PathBuf>,
    written: Mutex<HashSet<String>>,
    committed: bool,
}

impl Staging {
    /// Makes the empty staging folder beside `output`, after removing what
    /// an interrupted build left there.
    pub fn begin(output: &Path) -> io::Result<Staging> {
        let (parent, name) = split_output(output)?;
        std::fs::create_dir_all(&parent)?;
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.anxin-new-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            previous: output.is_dir().then(|| output.to_path_buf()),
            parent,
            name,
            dir,
            written: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Writes one file of the new tree; safe to call from many threads.
    pub fn put(&self, file: &OutputFile) -> Result<(), PutError> {
        let first = self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(file.path.clone());
        if !first {
            return Err(PutError::Duplicate(file.path.clone()));
        }
        let dest = self.dir.join(&file.path);
        if let Some(folder) = dest.parent() {
            std::fs::create_dir_all(folder).map_err(PutError::Io)?;
        }
        if let Some(previous) = &self.previous {
            let old = previous.join(&file.path);
            if unchanged(&old, &file.contents) && std::fs::hard_link(&old, &dest).is_ok() {
                return Ok(());
            }
        }
        let result = match &file.contents {
            Contents::Bytes(b) => std::fs::write(&dest, b),
            Contents::Static(b) => std::fs::write(&dest, b),
            Contents::Copy(src) => std::fs::copy(src, &dest).map(|_| ()),
        };
        result.map_err(|e| {
            PutError::Io(io::Error::new(
                e.kind(),
                format!("cannot write {}: {e}", dest.display()),
            ))
        })
    }

    /// How many files have been put.
    pub fn len(&self) -> usize {
        self.written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Publishes the new tree in place of the old one.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        let result = swap_in(&self.output, &self.dir, &self.parent, &self.name);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes only what changed into an existing output folder (for `watch`):
/// each file is written beside its final name and renamed over it, so a
/// reader never sees half a file; files no longer produced are removed.
pub fn write_changes(output: &Path, changed: &[&OutputFile], removed: &[String]) -> io::Result<()> {
    changed.par_iter().try_for_each(|f| {
        let dest = output.join(&f.path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temporary = dest.with_file_name(format!(
            ".{}.anxin-tmp",
            dest.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        let written = match &f.contents {
            Contents::Bytes(b) => std::fs::write(&temporary, b),
            Contents::Static(b) => std::fs::write(&temporary, b),
            Contents::Copy(src) => std::fs::copy(src, &temporary).map(|_| ()),
        };
        written
            .and_then(|()| std::fs::rename(&temporary, &dest))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temporary);
                io::Error::new(e.kind(), format!("cannot write {}: {e}", dest.display()))
            })
    })?;
    for path in removed {
        let dest = output.join(path);
        match std::fs::remove_file(&dest) {
            Ok(()) => remove_empty_parents(output, &dest),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Folders emptied by removing pages go too, up to the output folder.
fn remove_empty_parents(output: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == output || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

fn split_output(output: &Path) -> io::Result<(PathBuf, String)> {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            io::Error::other(format!("{} cannot be an output folder", output.display()))
        })?;
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((parent, name))
}

/// Folders left by a build that was killed before it could clean up.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.anxin-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether `old` holds exactly `contents`: then it can be linked, not written.
fn unchanged(old: &Path, contents: &Contents) -> bool {
    let Ok(meta) = std::fs::metadata(old) else {
        return false;
    };
    let same = |bytes: &[u8]| {
        meta.len() == bytes.len() as u64 && std::fs::read(old).is_ok_and(|b| b == bytes)
    };
    match contents {
        Contents::Bytes(b) => same(b),
        Contents::Static(b) => same(b),
        Contents::Copy(src) => {
            std::fs::metadata(src).is_ok_and(|m| m.len() == meta.len())
                && std::fs::read(src).is_ok_and(|b| same(&b))
        }
    }
}

fn swap_in(output: &Path, staging: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if !output.exists() {
        return std::fs::rename(staging, output);
    }
    if !output.is_dir() {
        let _ = std::fs::remove_dir_all(staging);
        return Err(io::Error::other(format!(
            "{} exists and is not a folder",
            output.display()
        )));
    }
    let old = parent.join(format!(".{name}.anxin-old-{}", std::process::id()));
    std::fs::rename(output, &old)?;
    if let Err(e) = std::fs::rename(staging, output) {
        // Put the previous site back rather than leave nothing published.
        let _ = std::fs::rename(&old, output);
        let _ = std::fs::remove_dir_all(staging);
        return Err(e);
    }
    remove_in_background(&old);
    Ok(())
}

/// Deletes a previous output tree without making the build wait for it: a
/// detached `rm -rf` outlives this process. Where that cannot start, the
/// tree is deleted here and now. Whatever is left is removed by the next
/// build (see [`remove_leftovers`]).
fn remove_in_background(tree: &Path) {
    let spawned = cfg!(unix)
        && std::process::Command::new("rm")
            .arg("-rf")
            .arg("--")
            .arg(tree)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            // A long-running `watch` reaps it; a build exits and leaves it
            // to finish on its own.
            .map(|mut child| std::thread::spawn(move || child.wait()))
            .is_ok();
    if !spawned {
        let _ = std::fs::remove_dir_all(tree);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_output_and_leaves_nothing_behind() {
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
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while siblings().len() > 1 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(siblings(), vec![std::ffi::OsString::from("public")]);
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
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}

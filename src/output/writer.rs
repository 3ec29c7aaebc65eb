//! Writes the built site so that the output folder is never half old and
//! half new: the new site is assembled in a hidden sibling folder and swapped
//! in with renames only once every file is written. A failed build, or one
//! killed midway, leaves the previous output as it was.
//!
//! Rebuilding over an existing output is most of the cost on a disk, where
//! creating and deleting 10,000 files takes seconds. So the output that a
//! build replaces is not deleted: it is kept beside the new one as the spare
//! (`.public.anxin-spare`), and the next build assembles its site in the
//! spare, writing only the files whose bytes changed and deleting only those
//! no longer produced. A file is always replaced by renaming a new file over
//! it, never rewritten in place, so a tree never changes a file it shares
//! with another. Without a spare (the first rebuild), a file that did not
//! change is hard-linked from the published output instead of written.
//!
//! Every tree carries the manifest of [`super::folder`]: what it lists is
//! what anxin may delete there. The caller has claimed the output folder
//! ([`super::folder::claim`]) before anything is written; here, hidden
//! working folders are recycled or removed only when they are anxin's, and a
//! path that would leave the output folder is refused.

use super::folder::{self, MARKER};
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
        Err(PutError::Outside(path)) => Err(outside(&path)),
    })?;
    staging.commit()
}

/// Why [`Staging::put`] refused a file.
#[derive(Debug)]
pub enum PutError {
    /// Another output of this build already wrote this path.
    Duplicate(String),
    /// The path would leave the output folder (see [`folder::is_contained`]).
    Outside(String),
    Io(io::Error),
}

fn outside(path: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{path:?} is not a path inside the output folder"),
    )
}

/// A new output tree, written file by file beside the published one while
/// the site renders, so that no build holds the whole site in memory, and
/// swapped in by [`Staging::commit`]. Dropped without a commit (an error,
/// a panic), it goes back to being the spare, and the published output stays
/// as it was.
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    /// The published output, whose unchanged files are linked, not written,
    /// when there was no spare to start from.
    previous: Option<PathBuf>,
    /// Whether `dir` started as the spare: it holds an older site, whose
    /// files are kept where unchanged and deleted where no longer produced.
    recycled: bool,
    written: Mutex<HashSet<String>>,
    committed: bool,
}

impl Staging {
    /// Starts a new tree beside `output`: the spare when there is one,
    /// otherwise an empty folder. Leftovers of a killed build are removed.
    pub fn begin(output: &Path) -> io::Result<Staging> {
        let (parent, name) = split_output(output)?;
        std::fs::create_dir_all(&parent)?;
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.anxin-new-{}", std::process::id()));
        let spare = spare_of(&parent, &name);
        let recycled = folder::is_anxins(&spare) && std::fs::rename(&spare, &dir).is_ok();
        if !recycled {
            std::fs::create_dir_all(&dir)?;
            // Marked at once, so that a build killed now leaves a folder
            // the next one knows it may remove.
            std::fs::write(dir.join(MARKER), folder::manifest([]))?;
        }
        Ok(Staging {
            output: output.to_path_buf(),
            previous: (!recycled && output.is_dir()).then(|| output.to_path_buf()),
            parent,
            name,
            dir,
            recycled,
            written: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Writes one file of the new tree; safe to call from many threads.
    pub fn put(&self, file: &OutputFile) -> Result<(), PutError> {
        if !folder::is_contained(&file.path) {
            return Err(PutError::Outside(file.path.clone()));
        }
        let first = self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(file.path.clone());
        if !first {
            return Err(PutError::Duplicate(file.path.clone()));
        }
        let dest = self.dir.join(&file.path);
        let io_error = |e: io::Error| {
            PutError::Io(io::Error::new(
                e.kind(),
                format!("cannot write {}: {e}", dest.display()),
            ))
        };
        if self.recycled && unchanged(&dest, &file.contents) {
            return Ok(());
        }
        if let Some(folder) = dest.parent() {
            let made = std::fs::create_dir_all(folder);
            if made.is_err() && self.recycled {
                // An older site had a file where this one has a folder.
                make_room(&self.dir, &dest);
                std::fs::create_dir_all(folder).map_err(io_error)?;
            } else {
                made.map_err(io_error)?;
            }
        }
        if self.recycled && dest.is_dir() {
            // …or a folder where this one has a file.
            let _ = std::fs::remove_dir_all(&dest);
        }
        if let Some(previous) = &self.previous {
            let old = previous.join(&file.path);
            if unchanged(&old, &file.contents) && std::fs::hard_link(&old, &dest).is_ok() {
                return Ok(());
            }
        }
        if self.recycled && dest.symlink_metadata().is_ok() {
            // The old file may be shared with the published tree: a new file
            // is renamed over it rather than the old one rewritten.
            let temporary = temporary_beside(&dest);
            return write_contents(&temporary, &file.contents)
                .and_then(|()| std::fs::rename(&temporary, &dest))
                .map_err(|e| {
                    let _ = std::fs::remove_file(&temporary);
                    io_error(e)
                });
        }
        write_contents(&dest, &file.contents).map_err(io_error)
    }

    /// Whether a file of `path` has been put.
    pub fn has(&self, path: &str) -> bool {
        self.written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(path)
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

    /// Publishes the new tree in place of the old one, which becomes the
    /// spare for the next build.
    pub fn commit(mut self) -> io::Result<()> {
        let written = std::mem::take(
            &mut *self
                .written
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        if self.recycled {
            remove_unwritten(&self.dir, &written)?;
        }
        replace_file(
            &self.dir.join(MARKER),
            folder::manifest(&written).as_bytes(),
        )?;
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
        if self.committed {
            return;
        }
        // Its files are still good to compare against: kept as the spare
        // rather than deleted file by file.
        let spare = spare_of(&self.parent, &self.name);
        if std::fs::rename(&self.dir, &spare).is_err() {
            remove_in_background(&self.dir);
        }
    }
}

/// Removes the files of an older site that stand where `dest` needs folders.
fn make_room(dir: &Path, dest: &Path) {
    let Ok(rel) = dest.strip_prefix(dir) else {
        return;
    };
    let mut path = dir.to_path_buf();
    for component in rel.parent().into_iter().flat_map(Path::components) {
        path.push(component);
        if path.is_file() {
            let _ = std::fs::remove_file(&path);
            return;
        }
    }
}

/// Where the output a build replaced is kept for the next build.
fn spare_of(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.anxin-spare"))
}

fn temporary_beside(dest: &Path) -> PathBuf {
    dest.with_file_name(format!(
        ".{}.anxin-tmp",
        dest.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ))
}

fn write_contents(dest: &Path, contents: &Contents) -> io::Result<()> {
    match contents {
        Contents::Bytes(b) => std::fs::write(dest, b),
        Contents::Static(b) => std::fs::write(dest, b),
        Contents::Copy(src) => std::fs::copy(src, dest).map(|_| ()),
    }
}

/// Deletes the files of a recycled tree that this build did not write, and
/// the folders that leaves empty.
fn remove_unwritten(dir: &Path, written: &HashSet<String>) -> io::Result<()> {
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
            continue;
        }
        let rel = super::slash_path(rel);
        if rel != MARKER && !written.contains(&rel) {
            std::fs::remove_file(entry.path())?;
        }
    }
    // Deepest first, so a folder emptied of folders goes too.
    for folder in folders.iter().rev() {
        let _ = std::fs::remove_dir(folder);
    }
    Ok(())
}

/// Writes only what changed into an existing output folder (for `watch`):
/// each file is written beside its final name and renamed over it, so a
/// reader never sees half a file; files no longer produced are removed.
pub fn write_changes(output: &Path, changed: &[&OutputFile], removed: &[String]) -> io::Result<()> {
    if let Some(bad) = changed
        .iter()
        .map(|f| &f.path)
        .chain(removed)
        .find(|p| !folder::is_contained(p))
    {
        return Err(outside(bad));
    }
    // The manifest is brought up to date first with what will be there, so
    // that a watch stopped midway leaves nothing anxin would not own.
    let mut listed = folder::read_manifest(output).unwrap_or_default();
    listed.extend(changed.iter().map(|f| f.path.clone()));
    replace_file(&output.join(MARKER), folder::manifest(&listed).as_bytes())?;
    changed.par_iter().try_for_each(|f| {
        let dest = output.join(&f.path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temporary = temporary_beside(&dest);
        write_contents(&temporary, &f.contents)
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
        listed.remove(path);
    }
    if !removed.is_empty() {
        replace_file(&output.join(MARKER), folder::manifest(&listed).as_bytes())?;
    }
    Ok(())
}

/// Writes `bytes` beside `dest` and renames it over: a reader sees the old
/// file or the new one, never half of one.
fn replace_file(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = temporary_beside(dest);
    std::fs::write(&temporary, bytes)
        .and_then(|()| std::fs::rename(&temporary, dest))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
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

/// Folders left by a build that was killed before it could clean up (the
/// spare stays). They are deleted in the background, like an old tree.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.anxin-");
    let spare = spare_of(parent, name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for (n, entry) in entries.flatten().enumerate() {
        let path = entry.path();
        // Only what anxin made: a folder of someone else's that happens to
        // have such a name is left alone.
        if entry.file_name().to_string_lossy().starts_with(&prefix)
            && path != spare
            && (is_trash(&entry.file_name().to_string_lossy(), name) || folder::is_anxins(&path))
        {
            // Renamed first, so that a build started meanwhile sees none of it.
            let doomed = parent.join(format!(".{name}.anxin-old-{}-{n}", std::process::id()));
            if std::fs::rename(&path, &doomed).is_ok() {
                remove_in_background(&doomed);
            } else {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

/// A fresh name for a tree to delete: [`is_trash`] knows it.
fn trash_name(parent: &Path, name: &str) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    parent.join(format!(".{name}.anxin-old-{}-t{n}", std::process::id()))
}

/// A tree anxin renamed to be deleted: its name says so, and a deletion
/// stopped midway may have taken its manifest already.
fn is_trash(file_name: &str, name: &str) -> bool {
    file_name.starts_with(&format!(".{name}.anxin-old-"))
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
    // One atomic step where the system has it: whoever reads the output at
    // any moment sees the old site or the new one, never none.
    if exchange(staging, output).is_ok() {
        // `staging` now holds the old site: the spare, unless a spare is
        // there already (another build's), when it goes in the background.
        // Killed before this rename, it is a leftover the next build removes.
        let spare = spare_of(parent, name);
        if spare.exists() || std::fs::rename(staging, &spare).is_err() {
            // Renamed first: the next build of this process starts a tree
            // of the staging folder's name, which a late `rm` must not hit.
            let doomed = trash_name(parent, name);
            match std::fs::rename(staging, &doomed) {
                Ok(()) => remove_in_background(&doomed),
                Err(_) => {
                    let _ = std::fs::remove_dir_all(staging);
                }
            }
        }
        return Ok(());
    }
    // The fallback (no renameat2, or a file system without RENAME_EXCHANGE):
    // two renames, with a moment between them when the output is missing.
    // The replaced site becomes the spare; if another build made a spare
    // meanwhile, it is deleted in the background instead.
    let spare = spare_of(parent, name);
    let old = if spare.exists() {
        parent.join(format!(".{name}.anxin-old-{}", std::process::id()))
    } else {
        spare
    };
    std::fs::rename(output, &old)?;
    if let Err(e) = std::fs::rename(staging, output) {
        // Put the previous site back rather than leave nothing published.
        let _ = std::fs::rename(&old, output);
        let _ = std::fs::remove_dir_all(staging);
        return Err(e);
    }
    if old != spare_of(parent, name) {
        remove_in_background(&old);
    }
    Ok(())
}

/// Swaps two folders in one step: `renameat2(RENAME_EXCHANGE)`, Linux 3.15
/// and later, on ext4, xfs, btrfs, tmpfs and most local file systems.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path with a NUL byte"))
    };
    let (a, b) = (c_path(a)?, c_path(b)?);
    // SAFETY: both paths are NUL-terminated C strings that outlive the call,
    // and AT_FDCWD makes them relative to the working folder like rename(2).
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
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
        let listed = |dir: &Path| -> Vec<String> {
            folder::read_manifest(dir).unwrap().into_iter().collect()
        };
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
}

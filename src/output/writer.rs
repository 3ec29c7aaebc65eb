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
use super::swap::{remove_in_background, remove_leftovers, spare_of, swap_in};
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

#[cfg(test)]
mod tests;

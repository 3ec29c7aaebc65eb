//! Publishing a new output tree in place of the old one in one step, and
//! cleaning up what builds leave beside it: the one spare tree kept for the
//! next build, and trees of killed or finished builds to delete.

use super::folder;
use std::io;
use std::path::{Path, PathBuf};

/// Where the output a build replaced is kept for the next build.
pub(super) fn spare_of(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.anxin-spare"))
}

/// Folders left by a build that was killed before it could clean up (the
/// spare stays). They are deleted in the background, like an old tree.
pub(super) fn remove_leftovers(parent: &Path, name: &str) {
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
pub(super) fn trash_name(parent: &Path, name: &str) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    parent.join(format!(".{name}.anxin-old-{}-t{n}", std::process::id()))
}

/// A tree anxin renamed to be deleted: its name says so, and a deletion
/// stopped midway may have taken its manifest already.
pub(super) fn is_trash(file_name: &str, name: &str) -> bool {
    file_name.starts_with(&format!(".{name}.anxin-old-"))
}

pub(super) fn swap_in(output: &Path, staging: &Path, parent: &Path, name: &str) -> io::Result<()> {
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
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
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
pub(super) fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Deletes a previous output tree without making the build wait for it: a
/// detached `rm -rf` outlives this process. Where that cannot start, the
/// tree is deleted here and now. Whatever is left is removed by the next
/// build (see [`remove_leftovers`]).
pub(super) fn remove_in_background(tree: &Path) {
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

//! The starter site written by `anxin new`: a site.toml and a few pages that
//! show the format. The theme is not copied: it is built into anxin.

use crate::cmd::new::folder_error;
use crate::diagnostics::Diagnostic;
use include_dir::{Dir, include_dir};
use std::path::Path;

static STARTER: Dir = include_dir!("$CARGO_MANIFEST_DIR/starter");

pub fn create(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists() {
        let empty = dir
            .read_dir()
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !dir.is_dir() || !empty {
            return Err(folder_error(dir, "it already exists and is not empty"));
        }
    }
    write_dir(&STARTER, dir).map_err(|e| folder_error(dir, &e.to_string()))
}

fn write_dir(source: &Dir, dest: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dest.join(source.path()))?;
    for file in source.files() {
        std::fs::write(dest.join(file.path()), file.contents())?;
    }
    for sub in source.dirs() {
        write_dir(sub, dest)?;
    }
    Ok(())
}

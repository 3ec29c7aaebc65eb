//! `anxin new DIR`

use crate::diagnostics::{Diagnostic, Diagnostics};
use std::path::Path;

pub fn execute(dir: &Path) -> Result<(), Diagnostics> {
    crate::starter::create(dir).map_err(Diagnostics::from)?;
    println!("Created a new site in {}", dir.display());
    println!(
        "Next: edit {}/site.toml and the pages in {}/content/,",
        dir.display(),
        dir.display()
    );
    println!("then run: anxin build --root {}", dir.display());
    Ok(())
}

pub fn folder_error(dir: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(format!("cannot create a site in {}: {why}", dir.display()))
        .with_hint("choose a new folder name, e.g. anxin new my-site")
}

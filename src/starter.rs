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
    let today = crate::content::date::Date::today().ymd();
    write_dir(&STARTER, dir, &today).map_err(|e| folder_error(dir, &e.to_string()))
}

fn write_dir(source: &Dir, dest: &Path, today: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dest.join(source.path()))?;
    for file in source.files() {
        let contents = match file.path().to_str() {
            Some(HOTLINES) => verified_on(file.contents_utf8().unwrap_or(""), today).into_bytes(),
            _ => file.contents().to_vec(),
        };
        std::fs::write(dest.join(file.path()), contents)?;
    }
    for sub in source.dirs() {
        write_dir(sub, dest, today)?;
    }
    Ok(())
}

const HOTLINES: &str = "data/hotlines.toml";

/// The starter's hotlines, verified the day the site is made: a fixed date
/// in the starter would make a fresh site's numbers stale (and `check
/// --strict` fail) half a year after a release, and a future one fail.
fn verified_on(text: &str, today: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("verified = ") {
            Some(_) => format!("verified = {today}\n"),
            None => format!("{line}\n"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_starters_numbers_are_verified_the_day_it_is_made() {
        let text = super::STARTER
            .get_file(super::HOTLINES)
            .and_then(|f| f.contents_utf8())
            .expect("the starter has hotlines");
        let written = super::verified_on(text, "2031-02-03");
        let dates: Vec<&str> = written
            .lines()
            .filter(|l| l.starts_with("verified"))
            .collect();
        assert!(!dates.is_empty());
        assert!(
            dates.iter().all(|l| *l == "verified = 2031-02-03"),
            "{dates:?}"
        );
        assert_eq!(written.lines().count(), text.lines().count());
    }
}

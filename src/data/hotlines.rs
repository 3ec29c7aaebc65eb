//! `data/hotlines.toml`: the hotline directory. Every entry is checked where
//! it is read — number, hours, area, verification date, duplicates — and every
//! problem of the file is reported at its value, so that the directory pages,
//! `/hotlines.json` and the `hotline` shortcode only ever see numbers that work.

mod check;
pub mod hours;
pub mod number;

pub use hours::Hours;
pub use number::NumberKind;

use crate::content::date::Date;
use crate::data::areas::Areas;
use crate::diagnostics::Diagnostic;
use crate::localized::Localized;
use serde_json::{Value, json};
use std::path::Path;

pub const HOTLINES_FILE: &str = "data/hotlines.toml";

/// A checked hotline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hotline {
    pub name: Localized,
    /// As written in the file.
    pub number: String,
    /// Only the digits, as dialled inside China; what duplicates and the
    /// `hotline` shortcode compare, and the card's id (`hotline-12356`). An
    /// example entry keeps its groups joined by `-` (`0000-0000000`), so
    /// placeholders of different shapes stay apart.
    pub digits: String,
    pub kind: NumberKind,
    /// Readable groups: "12356", "138 0013 8000", "0571-8888 8888", "400-123-4567".
    pub display: String,
    /// `tel:057188888888`; `None` for an example entry, so nobody dials a placeholder.
    pub tel: Option<String>,
    pub hours: Hours,
    /// `national` or an area id of data/areas.toml.
    pub area: String,
    pub services: Vec<String>,
    pub languages: Vec<String>,
    pub organization: Option<String>,
    /// The day someone last called the number and checked it.
    pub verified: Date,
    /// Not verified within `[hotlines] stale_after_days`: residents are told.
    pub stale: bool,
    pub source: Option<String>,
    /// A placeholder in a demo or starter site, shown as 示例.
    pub example: bool,
    /// 1-based line of the entry's `[[hotline]]` header, for later diagnostics.
    pub line: usize,
}

impl Hotline {
    /// The entry as templates, the shortcode and `/hotlines.json` see it.
    pub fn value(
        &self,
        lang: &str,
        default_lang: &str,
        area_name: &dyn Fn(&str) -> String,
    ) -> Value {
        json!({
            "name": self.name.get(lang, default_lang),
            "number": self.number,
            "digits": self.digits,
            "kind": self.kind.as_str(),
            "display": self.display,
            "tel": self.tel,
            "hours": self.hours.text(lang),
            "opening_hours": self.hours.source.trim(),
            "always_open": self.hours.always,
            "area": self.area,
            "area_name": area_name(&self.area),
            "services": self.services,
            "languages": self.languages,
            "organization": self.organization,
            "verified": self.verified.ymd(),
            "stale": self.stale,
            "source": self.source,
            "example": self.example,
        })
    }
}

/// `/hotlines.json`: `{"hotlines": [ … ]}` in the order of the file.
pub fn to_json(
    hotlines: &[Hotline],
    lang: &str,
    default_lang: &str,
    area_name: &dyn Fn(&str) -> String,
) -> Value {
    let list: Vec<Value> = hotlines
        .iter()
        .map(|h| h.value(lang, default_lang, area_name))
        .collect();
    json!({ "hotlines": list })
}

/// What is wrong with one value and how to fix it; the caller knows where
/// the value is and turns it into a [`Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Reads data/hotlines.toml under `root`. A site without the file has no
/// directory, which is not an error.
pub fn load(
    root: &Path,
    areas: &Areas,
    today: &Date,
    stale_after_days: u32,
) -> (Vec<Hotline>, Vec<Diagnostic>) {
    use crate::text_file::{self, TextError};
    match text_file::read(&root.join(HOTLINES_FILE), Path::new(HOTLINES_FILE)) {
        Ok(text) => parse(
            Path::new(HOTLINES_FILE),
            &text,
            areas,
            today,
            stale_after_days,
        ),
        Err(TextError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            (Vec::new(), Vec::new())
        }
        Err(e) => (
            Vec::new(),
            vec![e.into_diagnostic(|e| {
                Diagnostic::error(format!("cannot read this file: {e}"))
                    .in_file(HOTLINES_FILE)
                    .with_hint("check that you may read it")
            })],
        ),
    }
}

pub use check::check_file as parse;

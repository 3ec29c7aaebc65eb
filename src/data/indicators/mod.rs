//! Indicator data: `data/indicators/definitions.toml` and the count tables
//! beside it, validated, turned into rates and put through disclosure control
//! before anything else of the build can see them.
//!
//! load (table) → validate (counts) → disclosure → [`IndicatorData`]: the
//! true counts live only inside [`load`]; what it returns holds published
//! figures and the audit of what was hidden.

pub mod chart;
pub mod counts;
pub mod definitions;
pub mod disclosure;
pub mod period;
pub mod personal;
pub mod table;

use crate::config::Privacy;
use crate::data::areas::Areas;
use crate::diagnostics::Diagnostic;
use definitions::{DEFINITIONS_FILE, Definitions};
use disclosure::{Figures, Suppression};
use period::Period;
use std::path::{Path, PathBuf};

pub const INDICATORS_DIR: &str = "data/indicators";

/// Published indicator data: nothing in it may not be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorData {
    pub definitions: Definitions,
    /// Chronological.
    pub periods: Vec<Period>,
    pub figures: Figures,
    /// What was suppressed and why: for `anxin check`, never rendered.
    pub audit: Vec<Suppression>,
    /// Area ids in tree order (the indices of `figures`).
    pub area_ids: Vec<String>,
    /// The parent of each area, by index.
    pub parents: Vec<Option<usize>>,
    pub privacy: Privacy,
    /// The data files read, as the user knows them.
    pub files: Vec<PathBuf>,
}

impl IndicatorData {
    /// The most recent period.
    pub fn latest(&self) -> Option<usize> {
        self.periods.len().checked_sub(1)
    }

    /// The periods of a trend: those of the same kind (quarters, months,
    /// years) as the latest, in order, so one axis never mixes them.
    pub fn trend_periods(&self) -> Vec<usize> {
        let Some(latest) = self.latest() else {
            return Vec::new();
        };
        let kind = self.periods[latest].kind_rank();
        (0..self.periods.len())
            .filter(|&p| self.periods[p].kind_rank() == kind)
            .collect()
    }

    pub fn period(&self, id: &str) -> Option<usize> {
        self.periods.iter().position(|p| p.to_string() == id)
    }

    pub fn area(&self, id: &str) -> Option<usize> {
        self.area_ids.iter().position(|a| a == id)
    }

    pub fn children(&self, area: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.area_ids.len()).filter(move |&c| self.parents[c] == Some(area))
    }

    /// The top area of the data: the first area without a parent.
    pub fn top(&self) -> Option<usize> {
        self.parents.iter().position(Option::is_none)
    }
}

/// Reads, validates and protects the indicator data of the site at `root`.
/// A site without `data/indicators/` has none; that is no error.
pub fn load(
    root: &Path,
    areas: &Areas,
    privacy: &Privacy,
) -> (Option<IndicatorData>, Vec<Diagnostic>) {
    let dir = root.join(INDICATORS_DIR);
    if !dir.is_dir() {
        return (None, Vec::new());
    }
    let mut errors = Vec::new();
    let (files, listing_errors) = data_files(&dir);
    errors.extend(listing_errors);
    let definitions = match std::fs::read_to_string(root.join(DEFINITIONS_FILE)) {
        Ok(text) => {
            let (definitions, found) = definitions::parse(Path::new(DEFINITIONS_FILE), &text);
            errors.extend(found);
            definitions
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if files.is_empty() {
                return (None, errors);
            }
            errors.push(
                Diagnostic::error("the data files have no definitions.toml beside them")
                    .in_file(DEFINITIONS_FILE)
                    .with_hint("add data/indicators/definitions.toml with a [[measure]] for each count column and the [[indicator]]s to compute"),
            );
            return (None, errors);
        }
        Err(e) => {
            errors.push(
                Diagnostic::error(format!("cannot read this file: {e}")).in_file(DEFINITIONS_FILE),
            );
            return (None, errors);
        }
    };
    if privacy.min_count == 0 {
        errors.push(
            Diagnostic::error("[privacy] min_count = 0 would publish every small count")
                .in_file(crate::config::CONFIG_FILE)
                .with_hint("use min_count = 5 or more, as health statistics agencies do"),
        );
    }

    let mut tables = Vec::new();
    for (shown, path) in &files {
        match read_tables(shown, path) {
            Ok(found) => tables.extend(found),
            Err(d) => errors.push(d),
        }
    }
    let (counts, found) = counts::validate(&tables, &definitions, areas);
    errors.extend(found);
    if errors.iter().any(Diagnostic::is_error) {
        return (None, errors);
    }
    if counts.periods.is_empty() {
        // Definitions written before the first figures arrive: a valid site,
        // without data pages until there is something to show.
        errors.push(
            Diagnostic::warning(
                "data/indicators/ has no rows of data yet, so the site has no data pages",
            )
            .in_file(INDICATORS_DIR)
            .with_hint("add a CSV or .xlsx file with a row per area and period"),
        );
        return (None, errors);
    }
    let area_ids: Vec<String> = areas.iter().map(|a| a.id.clone()).collect();
    let parents: Vec<Option<usize>> = areas
        .iter()
        .map(|a| a.parent.as_deref().and_then(|p| areas.position(p)))
        .collect();
    let (figures, audit) = disclosure::apply(&counts, &definitions, &parents, privacy);
    let data = IndicatorData {
        definitions,
        periods: counts.periods.clone(),
        figures,
        audit,
        area_ids,
        parents,
        privacy: privacy.clone(),
        files: files.into_iter().map(|(shown, _)| shown).collect(),
    };
    (Some(data), errors)
}

/// The data files under `dir`, sorted: `(as shown, on disk)`.
fn data_files(dir: &Path) -> (Vec<(PathBuf, PathBuf)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        // Excel keeps `~$name.xlsx` beside a workbook it has open.
        if name.starts_with('.') || name.starts_with("~$") || !entry.file_type().is_file() {
            continue;
        }
        let shown = Path::new(INDICATORS_DIR).join(&name);
        let extension = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match extension.as_str() {
            "csv" | "xlsx" => files.push((shown, entry.path().to_path_buf())),
            "xls" | "et" | "ods" | "numbers" => errors.push(
                Diagnostic::error(format!("anxin cannot read .{extension} files"))
                    .in_file(shown)
                    .with_hint("save it as .xlsx (Excel Workbook) or as CSV UTF-8"),
            ),
            _ => {}
        }
    }
    (files, errors)
}

fn read_tables(shown: &Path, path: &Path) -> Result<Vec<table::Table>, Diagnostic> {
    if shown
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return table::read_xlsx(shown, path);
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read this file: {e}")).in_file(shown))?;
    table::read_csv_bytes(shown, &bytes).map(|t| vec![t])
}

/// The audit `anxin check` prints: every suppressed figure and why, with a
/// summary first. It names figures, never their values.
pub fn audit_report(data: &IndicatorData) -> String {
    use disclosure::{FigureKind, Reason};
    use std::fmt::Write as _;
    let privacy = &data.privacy;
    let count = |f: &dyn Fn(&Suppression) -> bool| data.audit.iter().filter(|s| f(s)).count();
    let primary = count(&|s| matches!(s.reason, Reason::SmallCount | Reason::Zero));
    let secondary = count(&|s| matches!(s.reason, Reason::Secondary { .. }));
    let rates = count(&|s| matches!(s.reason, Reason::RatePart | Reason::SmallDenominator));
    let mut out = format!(
        "Disclosure control (min_count = {}, min_denominator = {}{}{}): {} figure(s) suppressed\n  primary: {primary} count(s)\n  secondary: {secondary} count(s)\n  rate rule: {rates} rate(s)\n",
        privacy.min_count,
        privacy.min_denominator,
        if privacy.suppress_zero {
            ", suppress_zero"
        } else {
            ""
        },
        privacy
            .round_to
            .map(|b| format!(", round_to = {b}"))
            .unwrap_or_default(),
        data.audit.len(),
    );
    let area_id = |a: usize| data.area_ids[a].clone();
    for s in &data.audit {
        let figure = match s.figure {
            FigureKind::Measure(m) => format!("count `{}`", data.definitions.measures[m].id),
            FigureKind::Indicator(i) => format!("rate `{}`", data.definitions.indicators[i].id),
        };
        let _ = writeln!(
            out,
            "  {} {} {}: {}",
            data.periods[s.period],
            data.area_ids[s.area],
            figure,
            s.reason.describe(privacy, &area_id)
        );
    }
    out
}

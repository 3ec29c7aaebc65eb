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
    /// What the audit added, and how long it took.
    pub audit_summary: disclosure::AuditSummary,
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

    /// The most recent period with a figure of `figure` for any area: a site
    /// may report one indicator monthly and the others quarterly.
    pub fn latest_for(&self, figure: disclosure::FigureKind) -> Option<usize> {
        (0..self.periods.len()).rev().find(|&p| {
            (0..self.area_ids.len()).any(|a| match figure {
                disclosure::FigureKind::Measure(m) => {
                    self.figures.count(p, a, m) != disclosure::Count::Missing
                }
                disclosure::FigureKind::Indicator(i) => {
                    self.figures.rate(p, a, i) != disclosure::Rate::Missing
                }
            })
        })
    }

    /// The periods of the kind of period `p`, up to it, in order.
    pub fn periods_like(&self, p: usize) -> Vec<usize> {
        let kind = self.periods[p].kind_rank();
        (0..=p)
            .filter(|&q| self.periods[q].kind_rank() == kind)
            .collect()
    }

    /// The periods of indicator `i`'s trend: those of the kind (months,
    /// quarters, years) of its latest figure, in order, so one axis never
    /// mixes them.
    pub fn trend_periods(&self, i: usize) -> Vec<usize> {
        let Some(latest) = self.latest_for(disclosure::FigureKind::Indicator(i)) else {
            return Vec::new();
        };
        let kind = self.periods[latest].kind_rank();
        (0..=latest)
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
    let definitions_ok;
    use crate::text_file::{self, TextError};
    let read = text_file::read(&root.join(DEFINITIONS_FILE), Path::new(DEFINITIONS_FILE));
    let definitions = match read {
        Ok(text) => {
            let (definitions, found) = definitions::parse(Path::new(DEFINITIONS_FILE), &text);
            definitions_ok = found.is_empty();
            errors.extend(found);
            definitions
        }
        Err(TextError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
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
            errors.push(e.into_diagnostic(|e| {
                Diagnostic::error(format!("cannot read this file: {e}")).in_file(DEFINITIONS_FILE)
            }));
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

    errors.extend(rounding_clash(root, privacy));

    let mut tables = Vec::new();
    for (shown, path) in &files {
        match read_tables(shown, path) {
            Ok(found) => tables.extend(found),
            Err(d) => errors.push(d),
        }
    }
    let (counts, found) = counts::validate(&tables, &definitions, areas, definitions_ok);
    errors.extend(found);
    // Whatever went wrong, no message may repeat personal data in full: not
    // the cell's own error, not another error quoting the same line.
    for d in errors.iter_mut().filter(|d| {
        d.file
            .as_deref()
            .is_some_and(|f| f.starts_with(INDICATORS_DIR) && !f.ends_with("definitions.toml"))
    }) {
        d.message = personal::scrub(&d.message);
        d.hint = d.hint.as_deref().map(personal::scrub);
        d.source_line = d.source_line.as_deref().map(personal::scrub);
    }
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
    errors.extend(missing_populations(&counts, &definitions, areas));
    let area_ids: Vec<String> = areas.iter().map(|a| a.id.clone()).collect();
    let parents: Vec<Option<usize>> = areas
        .iter()
        .map(|a| a.parent.as_deref().and_then(|p| areas.position(p)))
        .collect();
    let protected = disclosure::apply(&counts, &definitions, &parents, privacy);
    errors.extend(audit_warnings(
        &protected.summary,
        &counts,
        &definitions,
        &area_ids,
        &parents,
    ));
    let data = IndicatorData {
        definitions,
        periods: counts.periods.clone(),
        figures: protected.figures,
        audit: protected.suppressions,
        audit_summary: protected.summary,
        area_ids,
        parents,
        privacy: privacy.clone(),
        files: files.into_iter().map(|(shown, _)| shown).collect(),
    };
    (Some(data), errors)
}

/// Warnings about what the audit had to do: hide a top area's total, or
/// leave a figure it could not protect. Each names the rows involved,
/// never a value.
fn audit_warnings(
    summary: &disclosure::AuditSummary,
    counts: &counts::Counts,
    definitions: &Definitions,
    area_ids: &[String],
    parents: &[Option<usize>],
) -> Vec<Diagnostic> {
    // The rows of a place: its own, or for a total anxin added up, those of
    // the areas under it.
    let rows_of = |place: &disclosure::Place| -> Vec<&counts::RowOrigin> {
        if let Some(origin) = counts.origins.get(&(place.period, place.area)) {
            return vec![origin];
        }
        let mut rows: Vec<&counts::RowOrigin> = (0..area_ids.len())
            .filter(|&a| parents[a] == Some(place.area))
            .filter_map(|a| counts.origins.get(&(place.period, a)))
            .collect();
        rows.sort_by_key(|o| (o.file.clone(), o.line));
        rows
    };
    let name = |place: &disclosure::Place| {
        let measure = &definitions.measures[place.measure].id;
        let figure = match place.minus {
            Some(minus) => format!("`{measure}` − `{}`", definitions.measures[minus].id),
            None => format!("`{measure}`"),
        };
        format!(
            "{figure} of `{}` in {}",
            area_ids[place.area], counts.periods[place.period]
        )
    };
    let at = |d: Diagnostic, places: &[&disclosure::Place]| {
        let origins: Vec<&counts::RowOrigin> = places.iter().flat_map(|p| rows_of(p)).collect();
        let mut rows: Vec<String> = origins
            .iter()
            .map(|o| format!("{}:{}", o.file.display(), o.line))
            .collect();
        rows.sort();
        rows.dedup();
        match origins.first() {
            Some(origin) => {
                let mut d = d.in_file(origin.file.to_path_buf());
                d.position = Some(crate::diagnostics::Position {
                    line: origin.line,
                    column: 1,
                });
                d.message = format!("{} (rows: {})", d.message, rows.join(", "));
                d
            }
            None => d.in_file(INDICATORS_DIR),
        }
    };
    let mut warnings = Vec::new();
    const SHOWN: usize = 20;
    for (total, figure) in summary.top_totals.iter().take(SHOWN) {
        warnings.push(at(
            Diagnostic::warning(format!(
                "to keep {} from being worked out, the total {} is not published either",
                name(figure),
                name(total)
            ))
            .with_hint("nothing smaller would protect it; publishing the figures of a larger area or of a longer period usually lets the total be shown"),
            &[figure, total],
        ));
    }
    for figure in summary.unprotected.iter().take(SHOWN) {
        warnings.push(at(
            Diagnostic::warning(format!(
                "{} could not be protected: every figure around it is already withheld",
                name(figure)
            ))
            .with_hint("check the figures of this row; a very small area is best merged into its neighbour in data/areas.toml"),
            &[figure],
        ));
    }
    let more =
        (summary.top_totals.len() + summary.unprotected.len()).saturating_sub(warnings.len());
    if more > 0 {
        warnings.push(
            Diagnostic::warning(format!(
                "{more} more such warning(s) about the disclosure audit"
            ))
            .in_file(INDICATORS_DIR)
            .with_hint("`anxin check` lists every withheld figure and why"),
        );
    }
    warnings
}

/// A warning where `round_to` and `min_count` do not fit together: a count
/// just above the threshold would round below it, so anxin publishes it as
/// the next multiple of the base instead, which readers may find odd.
fn rounding_clash(root: &Path, privacy: &Privacy) -> Option<Diagnostic> {
    let base = privacy.round_to.filter(|&b| b > 1)?;
    let k = privacy.min_count;
    let rounded = k.saturating_add(base / 2) / base * base;
    if rounded >= k {
        return None;
    }
    let lowest = disclosure::published_count(k, privacy);
    let file = crate::config::CONFIG_FILE;
    let mut warning = Diagnostic::warning(format!(
        "round_to = {base} does not fit min_count = {k}: rounded, a count of {k} would read {rounded}, below the threshold, so counts from {k} up are published as {lowest} or more"
    ))
    .in_file(file)
    .with_hint(format!(
        "make min_count a multiple of round_to, e.g. min_count = {}",
        k.div_ceil(base) * base
    ));
    if let Ok(text) = std::fs::read_to_string(root.join(file))
        && let Some(line) = text
            .lines()
            .position(|l| l.trim_start().starts_with("round_to"))
    {
        warning = warning.at_line(&text, line + 1);
    }
    Some(warning)
}

/// A warning for each area whose rates per population cannot be computed:
/// it has counts for them but no population anywhere.
fn missing_populations(
    counts: &counts::Counts,
    definitions: &Definitions,
    areas: &Areas,
) -> Vec<Diagnostic> {
    let per_population: Vec<&definitions::Indicator> = definitions
        .indicators
        .iter()
        .filter(|i| i.denominator == definitions::Denominator::Population)
        .collect();
    let mut warnings = Vec::new();
    for (a, area) in areas.iter().enumerate() {
        let lacking: Vec<&str> = per_population
            .iter()
            .filter(|i| {
                (0..counts.periods.len()).any(|p| {
                    counts.get(p, a, i.numerator).is_some() && counts.population(p, a).is_none()
                })
            })
            .map(|i| i.id.as_str())
            .collect();
        if !lacking.is_empty() {
            warnings.push(
                Diagnostic::warning(format!(
                    "the area `{}` has no population, so its {} cannot be computed",
                    area.id,
                    lacking.join(", ")
                ))
                .in_file(crate::data::areas::AREAS_FILE)
                .with_hint(format!(
                    "add population = … to the area `{}`, or a population column to the data file",
                    area.id
                )),
            );
        }
    }
    warnings
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
        if entry.path_is_symlink() && !name.starts_with('.') {
            errors.push(Diagnostic::skipped_link(
                &Path::new(INDICATORS_DIR).join(&name),
            ));
            continue;
        }
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
    use disclosure::{Count, FigureKind, Rate, Reason};
    use std::fmt::Write as _;
    let privacy = &data.privacy;
    let count = |f: &dyn Fn(&Suppression) -> bool| data.audit.iter().filter(|s| f(s)).count();
    let primary = count(&|s| matches!(s.reason, Reason::SmallCount | Reason::Zero));
    let secondary = count(&|s| matches!(s.reason, Reason::Secondary { .. }));
    let audited = count(&|s| matches!(s.reason, Reason::Audit));
    let rates = count(&|s| matches!(s.reason, Reason::RatePart | Reason::SmallDenominator));
    let figures = &data.figures;
    let mut published = 0;
    for p in 0..data.periods.len() {
        for a in 0..data.area_ids.len() {
            published += (0..figures.measure_count)
                .filter(|&m| matches!(figures.count(p, a, m), Count::Published(_)))
                .count();
            published += (0..figures.indicator_count)
                .filter(|&i| matches!(figures.rate(p, a, i), Rate::Published { .. }))
                .count();
        }
    }
    let summary = &data.audit_summary;
    let mut out = format!(
        "Disclosure control (min_count = {}, min_denominator = {}, protection = {}{}{}{}): {published} figure(s) published, {} withheld\n  primary: {primary} count(s)\n  secondary: {secondary} count(s)\n  audit: {audited} count(s) ({} linear programs)\n  rate rule: {rates} rate(s)\n",
        privacy.min_count,
        privacy.min_denominator,
        privacy.protection(),
        if privacy.suppress_zero {
            ", suppress_zero"
        } else {
            ""
        },
        if privacy.protect_complements {
            ""
        } else {
            ", protect_complements = false"
        },
        privacy
            .round_to
            .map(|b| format!(", round_to = {b}"))
            .unwrap_or_default(),
        data.audit.len(),
        summary.solves,
    );
    let area_id = |a: usize| data.area_ids[a].clone();
    for s in &data.audit {
        let figure = match s.figure {
            FigureKind::Measure(m) => format!("count `{}`", data.definitions.measures[m].id),
            FigureKind::Indicator(i) => format!("rate `{}`", data.definitions.indicators[i].id),
        };
        // How wide the range a reader can work out is, never where it lies.
        let range = match s.range.map(|r| r.width()) {
            Some(Some(width)) => {
                format!(" [a reader cannot narrow it to fewer than {width} values]")
            }
            Some(None) => " [a reader cannot bound it]".to_string(),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "  {} {} {}: {}{range}",
            data.periods[s.period],
            data.area_ids[s.area],
            figure,
            s.reason.describe(privacy, &area_id)
        );
    }
    out
}

//! The validate stage of indicator data: tables of cell texts → [`Counts`],
//! the true counts per period, area and measure, with every parent total
//! either checked against its children or computed from them.
//!
//! `Counts` never leaves the data module: disclosure control
//! ([`super::disclosure`]) consumes it and hands the rest of the build only
//! what may be published.

mod checks;

use super::definitions::{
    AREA_COLUMN, AREA_NAME_COLUMN, Definitions, Denominator, PERIOD_COLUMN, POPULATION,
};
use super::period::{self, Period};
use super::personal;
use super::table::Table;
use crate::data::areas::Areas;
use crate::diagnostics::{Diagnostic, closest};
use checks::{check_parts, check_periods};
use std::collections::HashMap;

/// True counts, dense: `[period][area][measure]`, areas in tree order.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// Chronological (by end, a month before the quarter it ends).
    pub periods: Vec<Period>,
    pub area_count: usize,
    pub measure_count: usize,
    values: Vec<Option<u64>>,
    /// `[period][area]`: the population a `population` denominator uses.
    population: Vec<Option<u64>>,
    /// Where the row of each (period, area) that a file gave was read.
    pub origins: HashMap<(usize, usize), RowOrigin>,
}

/// A row of a data file, for warnings about it.
#[derive(Debug, Clone, PartialEq)]
pub struct RowOrigin {
    pub file: std::sync::Arc<std::path::Path>,
    pub line: usize,
}

impl Counts {
    pub fn new(periods: Vec<Period>, area_count: usize, measure_count: usize) -> Counts {
        Counts {
            values: vec![None; periods.len() * area_count * measure_count],
            population: vec![None; periods.len() * area_count],
            periods,
            area_count,
            measure_count,
            origins: HashMap::new(),
        }
    }

    fn at(&self, period: usize, area: usize, measure: usize) -> usize {
        (period * self.area_count + area) * self.measure_count + measure
    }

    /// Every count, dense: `[period][area][measure]`.
    pub fn values(&self) -> &[Option<u64>] {
        &self.values
    }

    pub fn get(&self, period: usize, area: usize, measure: usize) -> Option<u64> {
        self.values[self.at(period, area, measure)]
    }

    pub fn set(&mut self, period: usize, area: usize, measure: usize, value: Option<u64>) {
        let i = self.at(period, area, measure);
        self.values[i] = value;
    }

    pub fn population(&self, period: usize, area: usize) -> Option<u64> {
        self.population[period * self.area_count + area]
    }

    pub fn set_population(&mut self, period: usize, area: usize, value: Option<u64>) {
        self.population[period * self.area_count + area] = value;
    }
}

/// Where a figure was read, for errors found after reading.
#[derive(Debug, Clone, Copy)]
struct Origin {
    table: usize,
    row: usize,
    column: usize,
}

/// What each column of a table holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Period,
    Area,
    Measure(usize),
    Population,
    Ignored,
}

/// The figures of one area and period, from one row or, when the measures
/// are split over several files, merged from several.
struct ParsedRow {
    period: Period,
    area: usize,
    values: Vec<Option<u64>>,
    population: Option<u64>,
    /// Where each measure's figure was read.
    sources: Vec<Option<Origin>>,
    population_source: Option<Origin>,
}

/// Validates every table against the definitions and the areas; all errors
/// are returned together, each at its file, line and column.
/// With `definitions_ok` false (definitions.toml has errors of its own), the
/// measure columns cannot be checked: the tables are still read for
/// personal data, periods and areas, so one typo does not hide the rest.
pub fn validate(
    tables: &[Table],
    definitions: &Definitions,
    areas: &Areas,
    definitions_ok: bool,
) -> (Counts, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut rows: Vec<ParsedRow> = Vec::new();
    let mut seen: HashMap<(Period, usize), usize> = HashMap::new();
    for (t, table) in tables.iter().enumerate() {
        let Some(columns) = read_header(table, definitions, definitions_ok, &mut errors) else {
            continue;
        };
        for (r, row) in table.rows.iter().enumerate() {
            let Some(parsed) = read_row(
                table,
                (t, r),
                row,
                &columns,
                definitions,
                areas,
                &mut errors,
            ) else {
                continue;
            };
            let key = (parsed.period, parsed.area);
            let Some(&earlier) = seen.get(&key) else {
                seen.insert(key, rows.len());
                rows.push(parsed);
                continue;
            };
            // Measures may be split over files; the same figure twice is an error.
            let first = &mut rows[earlier];
            let twice: Vec<usize> = (0..parsed.values.len())
                .filter(|&m| parsed.values[m].is_some() && first.values[m].is_some())
                .collect();
            let mut names: Vec<String> = twice
                .iter()
                .map(|&m| format!("`{}`", definitions.measures[m].id))
                .collect();
            let mut places = twice
                .first()
                .map(|&m| (parsed.sources[m], first.sources[m]));
            if parsed.population.is_some() && first.population.is_some() {
                names.push(format!("`{POPULATION}`"));
                places = places.or(Some((parsed.population_source, first.population_source)));
            }
            if let Some(places) = places {
                if let (Some(at), Some(was)) = places {
                    errors.push(
                        table
                            .diagnostic(
                                Some(r),
                                at.column,
                                format!(
                                    "{} of `{}` in {} is given twice",
                                    names.join(", "),
                                    area_id(areas, parsed.area),
                                    parsed.period
                                ),
                            )
                            .with_hint(format!(
                                "it is already in {} line {}; keep one figure per measure, area and period",
                                tables[was.table].file.display(),
                                tables[was.table].rows[was.row].line
                            )),
                    );
                }
                continue;
            }
            for m in 0..parsed.values.len() {
                if parsed.values[m].is_some() {
                    first.values[m] = parsed.values[m];
                    first.sources[m] = parsed.sources[m];
                }
            }
            if parsed.population.is_some() {
                first.population = parsed.population;
                first.population_source = parsed.population_source;
            }
        }
    }
    for row in &rows {
        check_parts(row, tables, definitions, areas, &mut errors);
    }

    let mut periods: Vec<Period> = rows.iter().map(|r| r.period).collect();
    periods.sort_by_key(|p| p.sort_key());
    periods.dedup();
    let period_index: HashMap<Period, usize> =
        periods.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let area_list: Vec<&crate::data::areas::Area> = areas.iter().collect();
    let mut counts = Counts::new(periods, area_list.len(), definitions.measures.len());
    let files: Vec<std::sync::Arc<std::path::Path>> =
        tables.iter().map(|t| t.file.as_path().into()).collect();
    let mut given: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let p = period_index[&row.period];
        for (m, v) in row.values.iter().enumerate() {
            counts.set(p, row.area, m, *v);
        }
        counts.set_population(p, row.area, row.population);
        given.insert((p, row.area), i);
        if let Some(at) = row.sources.iter().flatten().next() {
            let table = &tables[at.table];
            counts.origins.insert(
                (p, row.area),
                RowOrigin {
                    file: files[at.table].clone(),
                    line: table.rows[at.row].line,
                },
            );
        }
    }

    // Children before parents, so a parent's sum uses its children's sums.
    let parent_of: Vec<Option<usize>> = area_list
        .iter()
        .map(|a| a.parent.as_deref().and_then(|p| areas.position(p)))
        .collect();
    for a in (0..area_list.len()).rev() {
        let children: Vec<usize> = (0..area_list.len())
            .filter(|&c| parent_of[c] == Some(a))
            .collect();
        for p in 0..counts.periods.len() {
            if counts.population(p, a).is_none() {
                let from_children = if children.is_empty() {
                    None
                } else {
                    children
                        .iter()
                        .map(|&c| counts.population(p, c))
                        .sum::<Option<u64>>()
                };
                counts.set_population(p, a, area_list[a].population.or(from_children));
            }
            if children.is_empty() {
                continue;
            }
            for m in 0..counts.measure_count {
                let Some(sum) = children
                    .iter()
                    .map(|&c| counts.get(p, c, m))
                    .sum::<Option<u64>>()
                else {
                    // A child without the figure: the parent's own total, if
                    // any, stands, but never below what the others add up to.
                    let present: u64 = children.iter().filter_map(|&c| counts.get(p, c, m)).sum();
                    let source = given.get(&(p, a)).and_then(|&i| rows[i].sources[m]);
                    if let (Some(total), Some(source)) = (counts.get(p, a, m), source)
                        && total < present
                    {
                        errors.push(
                            tables[source.table]
                                .diagnostic(
                                    Some(source.row),
                                    source.column,
                                    format!(
                                        "`{}` of `{}` in {} is {total}, but the areas under it that have the figure already add up to {present}",
                                        definitions.measures[m].id, area_list[a].id, counts.periods[p]
                                    ),
                                )
                                .with_hint("correct the total or the figures of the areas under it"),
                        );
                    }
                    continue;
                };
                match counts.get(p, a, m) {
                    None => counts.set(p, a, m, Some(sum)),
                    Some(total) if total != sum => {
                        let source = given.get(&(p, a)).and_then(|&i| rows[i].sources[m]);
                        let Some(source) = source else {
                            continue;
                        };
                        let (table, row_index, column) =
                            (&tables[source.table], source.row, source.column);
                        let parts: Vec<String> = children
                            .iter()
                            .map(|&c| {
                                format!("{} {}", area_list[c].id, counts.get(p, c, m).unwrap_or(0))
                            })
                            .collect();
                        errors.push(
                            table
                                .diagnostic(
                                    Some(row_index),
                                    column,
                                    format!(
                                        "`{}` of `{}` in {} is {total}, but the {} areas under it add up to {sum} ({})",
                                        definitions.measures[m].id,
                                        area_list[a].id,
                                        counts.periods[p],
                                        children.len(),
                                        parts.join(" + ")
                                    ),
                                )
                                .with_hint(
                                    "correct the total, or leave this row out: anxin adds up the areas under it",
                                ),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }
    check_periods(
        &counts,
        &given,
        &rows,
        tables,
        definitions,
        areas,
        &mut errors,
    );
    (counts, errors)
}

fn area_id(areas: &Areas, index: usize) -> String {
    areas.at(index).map(|a| a.id.clone()).unwrap_or_default()
}

fn read_header(
    table: &Table,
    definitions: &Definitions,
    definitions_ok: bool,
    errors: &mut Vec<Diagnostic>,
) -> Option<Vec<Column>> {
    // Notes from reading the file (a skipped sheet) go out with its errors.
    errors.extend(table.notes.iter().cloned());
    let mut columns = Vec::with_capacity(table.header.len());
    let mut ok = true;
    for (c, name) in table.header.iter().enumerate() {
        let column = match name.as_str() {
            PERIOD_COLUMN => Column::Period,
            AREA_COLUMN => Column::Area,
            POPULATION => Column::Population,
            AREA_NAME_COLUMN => Column::Ignored,
            "" => {
                if table.rows.iter().any(|r| !r.cells[c].is_empty()) {
                    errors.push(
                        table
                            .diagnostic(None, c, "this column has no name".into())
                            .with_hint(
                                "write the id of a measure in the header, or delete the column",
                            ),
                    );
                }
                Column::Ignored
            }
            name => {
                let kind = personal::header_kind(name).or_else(|| personal::value_kind(name));
                if let Some(kind) = kind {
                    errors.push(
                        table
                            .diagnostic(
                                None,
                                c,
                                format!(
                                    "the column `{}` looks like personal data ({}); indicator data must never hold it",
                                    personal::shown(name),
                                    kind.describe()
                                ),
                            )
                            .with_hint(format!(
                                "delete this column: only counts per area and period belong here ({}); declaring it as a [[measure]] does not make it one",
                                kind.law()
                            )),
                    );
                    Column::Ignored
                } else if let Some(m) = definitions.measure(name) {
                    Column::Measure(m)
                } else if !definitions_ok {
                    // definitions.toml has its own errors: which columns it
                    // would know cannot be told yet.
                    Column::Ignored
                } else {
                    let known = definitions.measures.iter().map(|m| m.id.as_str());
                    let shown = personal::shown(name);
                    let hint = match closest(name, known) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!(
                            "add a [[measure]] with id = \"{shown}\" to data/indicators/definitions.toml, or delete the column"
                        ),
                    };
                    errors.push(
                        table
                            .diagnostic(None, c, format!("`{shown}` is not a measure"))
                            .with_hint(hint),
                    );
                    Column::Ignored
                }
            }
        };
        if column != Column::Ignored && columns.contains(&column) {
            errors.push(
                table
                    .diagnostic(
                        None,
                        c,
                        format!("the column `{}` appears twice", personal::shown(name)),
                    )
                    .with_hint("keep one column per measure"),
            );
            columns.push(Column::Ignored);
            continue;
        }
        columns.push(column);
    }
    for (needed, what) in [(Column::Period, PERIOD_COLUMN), (Column::Area, AREA_COLUMN)] {
        if !columns.contains(&needed) {
            errors.push(
                table
                    .diagnostic(None, 0, format!("the header has no `{what}` column"))
                    .with_hint(
                        "the first row names the columns: period,area, then one column per measure",
                    ),
            );
            ok = false;
        }
    }
    ok.then_some(columns)
}

fn read_row(
    table: &Table,
    (t, r): (usize, usize),
    row: &super::table::TableRow,
    columns: &[Column],
    definitions: &Definitions,
    areas: &Areas,
    errors: &mut Vec<Diagnostic>,
) -> Option<ParsedRow> {
    let origin = |column| Origin {
        table: t,
        row: r,
        column,
    };
    let before = errors.len();
    // Personal data first: a cell that holds it is reported masked and
    // read no further, so no later message can repeat it. A count column
    // also refuses dates and record numbers, which a period or an area
    // column would not hold by mistake.
    let mut personal_cells = vec![false; row.cells.len()];
    for (c, text) in row.cells.iter().enumerate() {
        let in_count_column = matches!(columns.get(c), Some(Column::Measure(_)));
        // An area written by its name (江北, 黄山) is no person: it gets the
        // "use the area's id" hint below instead.
        let names_an_area = || {
            areas
                .iter()
                .any(|a| a.name.get("zh-CN", "zh-CN") == text || a.name.get("en", "en") == text)
        };
        let kind = personal::value_kind(text).or_else(|| {
            in_count_column
                .then(|| personal::count_cell_kind(text))
                .flatten()
        });
        if let Some(kind) = kind
            && !(kind == personal::PersonalKind::Name && names_an_area())
        {
            personal_cells[c] = true;
            let masked = personal::mask(text);
            let mut diagnostic = table
                .diagnostic(
                    Some(r),
                    c,
                    format!(
                        "this cell looks like personal data ({}): “{}”",
                        kind.describe(),
                        masked
                    ),
                )
                .with_hint(format!(
                    "indicator data holds counts only; remove it from the file ({})",
                    kind.law()
                ));
            // The quoted line of the file would repeat the value in full.
            diagnostic.source_line = diagnostic
                .source_line
                .map(|line| line.replace(text.as_str(), &masked));
            errors.push(diagnostic);
        }
    }
    let mut period = None;
    let mut area = None;
    let mut values = vec![None; definitions.measures.len()];
    let mut sources = vec![None; definitions.measures.len()];
    let mut population = None;
    let mut population_source = None;
    for (c, column) in columns.iter().enumerate() {
        if personal_cells[c] {
            continue;
        }
        let text = row.cells[c].as_str();
        // For messages: a cell that is not personal data by the checks above
        // may still be part of some (a name the checks miss beside a number).
        let shown = personal::shown(text);
        match column {
            Column::Period => match period::parse(text) {
                Ok(p) => period = Some(p),
                Err(message) => errors.push(
                    table
                        .diagnostic(Some(r), c, format!("`{shown}` is not a period: {}", personal::scrub(&message)))
                        .with_hint("write a year 2025, a quarter 2025Q3 or a month 2025-09"),
                ),
            },
            Column::Area => match areas.position(text) {
                Some(a) => area = Some(a),
                None => {
                    let by_name = areas
                        .iter()
                        .find(|a| a.name.get("zh-CN", "zh-CN") == text || a.name.get("en", "en") == text);
                    let hint = match by_name {
                        Some(a) => format!("use the area's id: `{}`", a.id),
                        None => match closest(text, areas.iter().map(|a| a.id.as_str())) {
                            Some(near) => format!("did you mean `{near}`?"),
                            None if areas.len() <= 12 => format!(
                                "the areas are: {}",
                                areas.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                            None => "the area must be the id of an area in data/areas.toml".into(),
                        },
                    };
                    errors.push(
                        table
                            .diagnostic(Some(r), c, format!("there is no area `{shown}`"))
                            .with_hint(hint),
                    );
                }
            },
            Column::Measure(m) => {
                sources[*m] = Some(origin(c));
                match parse_count(text) {
                    Ok(v) => values[*m] = v,
                    Err(why) => errors.push(
                        table
                            .diagnostic(Some(r), c, format!("`{}`: {why}", definitions.measures[*m].id))
                            .with_hint("write a whole number of 0 or more, or leave the cell empty when there is no figure"),
                    ),
                }
            }
            Column::Population => match parse_count(text) {
                Ok(v) => {
                    population = v;
                    population_source = Some(origin(c));
                }
                Err(why) => errors.push(
                    table
                        .diagnostic(Some(r), c, format!("`population`: {why}"))
                        .with_hint("write the population as a whole number, or leave the cell empty to use data/areas.toml"),
                ),
            },
            Column::Ignored => {}
        }
    }
    if errors.len() > before {
        return None;
    }
    for (m, value) in values.iter().enumerate() {
        if value.is_none() {
            sources[m] = None;
        }
    }
    Some(ParsedRow {
        period: period?,
        area: area?,
        values,
        population,
        sources,
        population_source,
    })
}

/// A count cell: a whole number of 0 or more, or empty for "no figure".
fn parse_count(text: &str) -> Result<Option<u64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        // No count of people reaches ten digits; a longer number is an ID,
        // a phone number or a typing slip, and is never repeated.
        return match text.parse::<u64>() {
            Ok(v) if text.len() <= 10 => Ok(Some(v)),
            _ => Err(format!(
                "{} is too large to be a count of people",
                personal::mask(text)
            )),
        };
    }
    let shown = personal::shown(text);
    Err(if text.starts_with('-') {
        format!("a count cannot be negative ({shown})")
    } else if text.contains(',') || text.contains('，') {
        format!("{shown} has a thousands separator")
    } else if text.parse::<f64>().is_ok() {
        format!("{shown} is not a whole number; data files hold counts, never rates")
    } else if text.ends_with('%') || text.ends_with('‰') {
        format!("{shown} is a rate; anxin computes rates from the counts")
    } else {
        format!("`{shown}` is not a count")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_whole_numbers_or_empty() {
        assert_eq!(parse_count("212"), Ok(Some(212)));
        assert_eq!(parse_count(""), Ok(None));
        assert!(parse_count("-3").unwrap_err().contains("negative"));
        assert!(parse_count("3.5").unwrap_err().contains("whole number"));
        assert!(parse_count("95.2%").unwrap_err().contains("rate"));
        assert!(parse_count("1,234").unwrap_err().contains("separator"));
        assert!(parse_count("abc").is_err());
    }
}

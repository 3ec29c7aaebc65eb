//! Checks of the counts against each other that need every row read: a
//! part never above its whole, a declared aggregation over time kept.

use super::{
    Areas, Counts, Definitions, Denominator, Diagnostic, ParsedRow, Table, area_id, period,
};
use std::collections::HashMap;

/// No count exceeds the count it is a share of (nor the area's population).
pub(super) fn check_parts(
    row: &ParsedRow,
    tables: &[Table],
    definitions: &Definitions,
    areas: &Areas,
    errors: &mut Vec<Diagnostic>,
) {
    for indicator in &definitions.indicators {
        let (Some(numerator), Some(at)) = (
            row.values[indicator.numerator],
            row.sources[indicator.numerator],
        ) else {
            continue;
        };
        let (denominator, what) = match indicator.denominator {
            Denominator::Measure(d) => (row.values[d], format!("`{}`", definitions.measures[d].id)),
            Denominator::Population => (
                row.population
                    .or(areas.at(row.area).and_then(|a| a.population)),
                "the area's population".to_string(),
            ),
        };
        if let Some(denominator) = denominator
            && numerator > denominator
        {
            errors.push(
                tables[at.table]
                    .diagnostic(
                        Some(at.row),
                        at.column,
                        format!(
                            "`{}` ({numerator}) is more than {what} ({denominator}), its denominator in `{}`",
                            definitions.measures[indicator.numerator].id, indicator.id
                        ),
                    )
                    .with_hint("a count can never exceed the count it is a share of; check both cells"),
            );
        }
    }
    for (m, measure) in definitions.measures.iter().enumerate() {
        let (Some(w), Some(value), Some(at)) = (measure.within, row.values[m], row.sources[m])
        else {
            continue;
        };
        if let Some(whole) = row.values[w]
            && value > whole
        {
            errors.push(
                tables[at.table]
                    .diagnostic(
                        Some(at.row),
                        at.column,
                        format!(
                            "`{}` ({value}) is more than `{}` ({whole}), the measure it is declared within",
                            measure.id, definitions.measures[w].id
                        ),
                    )
                    .with_hint("check both cells, or the `within` of this measure in definitions.toml"),
            );
        }
    }
}

/// A measure declared to add up over time (or to be its last period's)
/// does, wherever a file gives a period and the periods in it.
pub(super) fn check_periods(
    counts: &Counts,
    given: &HashMap<(usize, usize), usize>,
    rows: &[ParsedRow],
    tables: &[Table],
    definitions: &Definitions,
    areas: &Areas,
    errors: &mut Vec<Diagnostic>,
) {
    use crate::data::indicators::definitions::Aggregation;
    let mut keys: Vec<(usize, usize)> = given.keys().copied().collect();
    keys.sort_unstable();
    let periods = &counts.periods;
    for composition in period::compositions(periods) {
        let (t, parts) = (composition.total, &composition.parts);
        let expected = match composition.kind {
            Aggregation::Sum => "the sum of",
            Aggregation::EndOfPeriod => "the figure of",
        };
        for (m, measure) in definitions.measures.iter().enumerate() {
            if measure.aggregation != Some(composition.kind) {
                continue;
            }
            for &(p, a) in keys.iter().filter(|(p, _)| *p == t) {
                let Some(source) = rows[given[&(p, a)]].sources[m] else {
                    continue;
                };
                let (Some(value), Some(sum)) = (
                    counts.get(t, a, m),
                    parts
                        .iter()
                        .map(|&q| counts.get(q, a, m))
                        .sum::<Option<u64>>(),
                ) else {
                    continue;
                };
                if sum == value {
                    continue;
                }
                let names: Vec<String> = parts.iter().map(|&q| periods[q].to_string()).collect();
                errors.push(
                    tables[source.table]
                        .diagnostic(
                            Some(source.row),
                            source.column,
                            format!(
                                "`{}` of `{}` in {} is {value}, but {expected} {} is {sum}",
                                measure.id,
                                area_id(areas, a),
                                periods[t],
                                names.join(" + ")
                            ),
                        )
                        .with_hint(format!(
                            "correct the figures, or the measure's aggregation = \"{}\" in definitions.toml",
                            composition.kind.id()
                        )),
                );
            }
        }
    }
}

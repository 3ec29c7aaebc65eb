//! `data/indicators/definitions.toml`: the measures (count columns of the data
//! files) and the indicators (rates computed from two measures).

use crate::diagnostics::{Diagnostic, closest};
use crate::localized::Localized;
use crate::toml_input;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

pub const DEFINITIONS_FILE: &str = "data/indicators/definitions.toml";

/// The denominator that means "the area's population".
pub const POPULATION: &str = "population";

/// Columns of a data file that are not measures.
pub const PERIOD_COLUMN: &str = "period";
pub const AREA_COLUMN: &str = "area";
/// A readable label officials like to keep beside the id; never checked or published.
pub const AREA_NAME_COLUMN: &str = "area_name";

/// Indicator ids that would collide with the other pages under `/data/`.
const RESERVED_INDICATOR_IDS: [&str; 2] = ["areas", "downloads"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    measure: Vec<RawMeasure>,
    #[serde(default)]
    indicator: Vec<RawIndicator>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    id: Spanned<String>,
    name: Localized,
    #[serde(default)]
    description: Option<Localized>,
    #[serde(default)]
    aggregation: Option<Spanned<String>>,
    #[serde(default)]
    within: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: Spanned<String>,
    name: Localized,
    numerator: Spanned<String>,
    denominator: Spanned<String>,
    unit: Spanned<String>,
    #[serde(default)]
    target: Option<Spanned<f64>>,
    #[serde(default = "yes")]
    higher_is_better: bool,
    #[serde(default)]
    decimals: Option<Spanned<i64>>,
    #[serde(default)]
    definition: Option<Localized>,
    #[serde(default)]
    source: Option<Localized>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: String,
    pub name: Localized,
    pub description: Option<Localized>,
    /// How a longer period's figure follows from the periods in it; `None`
    /// when definitions.toml does not say, and the data show it.
    pub aggregation: Option<Aggregation>,
    /// The measure (by index) whose patients these are a subset of:
    /// `standard_managed` within `managed`, so never more than it.
    pub within: Option<usize>,
}

/// How a measure's figure for a year (or quarter) follows from its figures
/// for the quarters (or months) in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// A flow, such as new cases: the year is the sum of its quarters.
    Sum,
    /// A stock, such as registered patients: the year is its last quarter.
    EndOfPeriod,
}

impl Aggregation {
    pub fn id(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::EndOfPeriod => "end_of_period",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Percent,
    Permille,
    Per100k,
}

impl Unit {
    /// What a rate is multiplied by: a share of 1 is 100 %, 1000 ‰, 100 000 per 100k.
    pub fn factor(self) -> u64 {
        match self {
            Unit::Percent => 100,
            Unit::Permille => 1000,
            Unit::Per100k => 100_000,
        }
    }

    /// The id written in definitions.toml and in the downloads.
    pub fn id(self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::Permille => "permille",
            Unit::Per100k => "per100k",
        }
    }

    /// The symbol written after a value: `95.75%`, `4.64‰`, `12.3/10万`.
    pub fn symbol(self, lang: &str) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::Permille => "‰",
            Unit::Per100k if lang.starts_with("zh") => "/10万",
            Unit::Per100k => " per 100,000",
        }
    }
}

/// What an indicator divides by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denominator {
    /// A measure, by index into [`Definitions::measures`].
    Measure(usize),
    /// The area's population.
    Population,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub name: Localized,
    /// Index into [`Definitions::measures`].
    pub numerator: usize,
    pub denominator: Denominator,
    pub unit: Unit,
    pub target: Option<f64>,
    pub higher_is_better: bool,
    pub decimals: u32,
    pub definition: Option<Localized>,
    pub source: Option<Localized>,
}

impl Indicator {
    /// Whether `value` (in the indicator's unit) meets the target, if there is one.
    pub fn meets_target(&self, value: f64) -> Option<bool> {
        let target = self.target?;
        Some(if self.higher_is_better {
            value >= target
        } else {
            value <= target
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Definitions {
    pub measures: Vec<Measure>,
    pub indicators: Vec<Indicator>,
}

impl Definitions {
    pub fn measure(&self, id: &str) -> Option<usize> {
        self.measures.iter().position(|m| m.id == id)
    }

    pub fn indicator(&self, id: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.id == id)
    }

    pub fn is_empty(&self) -> bool {
        self.measures.is_empty() && self.indicators.is_empty()
    }
}

pub fn parse(file: &Path, text: &str) -> (Definitions, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawFile = match toml_input::parse(file, text, text, 0, "definitions.toml") {
        Ok(raw) => raw,
        Err(d) => return (Definitions::default(), vec![d]),
    };
    let mut errors = Vec::new();
    let at = |span, message, hint| Diagnostic::error_in(file, text, span, message, hint);

    let mut measure_index: HashMap<&str, usize> = HashMap::new();
    let mut measures = Vec::with_capacity(raw.measure.len());
    for m in &raw.measure {
        let id = m.id.get_ref().as_str();
        if !crate::data::is_url_id(id) {
            errors.push(at(
                m.id.span(),
                format!("the measure id `{id}` cannot be a column name of the data files"),
                "use at most 64 lower-case letters, digits, - and _, e.g. id = \"standard_managed\"; the name can be Chinese".into(),
            ));
        } else if [POPULATION, PERIOD_COLUMN, AREA_COLUMN, AREA_NAME_COLUMN].contains(&id) {
            errors.push(at(
                m.id.span(),
                format!("`{id}` is a column anxin already knows and cannot be a measure"),
                "choose another id".into(),
            ));
        } else if measure_index.contains_key(id) {
            errors.push(at(
                m.id.span(),
                format!("the measure id `{id}` is used twice"),
                "each [[measure]] needs its own id".into(),
            ));
        } else {
            let aggregation = match m.aggregation.as_ref().map(|a| (a, a.get_ref().as_str())) {
                None => None,
                Some((_, "sum")) => Some(Aggregation::Sum),
                Some((_, "end_of_period")) => Some(Aggregation::EndOfPeriod),
                Some((a, other)) => {
                    errors.push(at(
                        a.span(),
                        format!("`{other}` is not a way figures add up over time"),
                        "use aggregation = \"sum\" for a flow such as new cases (a year is the sum of its quarters), or \"end_of_period\" for a stock such as registered patients (a year is its last quarter)".into(),
                    ));
                    None
                }
            };
            measure_index.insert(id, measures.len());
            measures.push(Measure {
                id: id.to_string(),
                name: m.name.clone(),
                description: m.description.clone(),
                aggregation,
                within: None,
            });
        }
    }
    // `within` names a measure that may come later in the file.
    for m in &raw.measure {
        let (Some(within), Some(&index)) = (&m.within, measure_index.get(m.id.get_ref().as_str()))
        else {
            continue;
        };
        let target = within.get_ref().as_str();
        match measure_index.get(target) {
            Some(&w) if w == index => errors.push(at(
                within.span(),
                format!("the measure `{target}` cannot be within itself"),
                "name the measure whose patients these are a part of, e.g. within = \"registered\""
                    .into(),
            )),
            Some(&w) => measures[index].within = Some(w),
            None => {
                let hint = match closest(target, measure_index.keys().copied()) {
                    Some(near) => format!("did you mean \"{near}\"?"),
                    None => "within must be the id of a [[measure]] in this file".into(),
                };
                errors.push(at(
                    within.span(),
                    format!("`{target}` is not a measure"),
                    hint,
                ));
            }
        }
    }
    // A chain of `within` that comes back to where it started says each
    // measure is at most the next: they could only all be equal.
    for (start, m) in raw.measure.iter().enumerate() {
        let Some(&first) = measure_index.get(m.id.get_ref().as_str()) else {
            continue;
        };
        let (mut at_measure, mut steps) = (measures.get(first).and_then(|x| x.within), 0);
        while let Some(next) = at_measure {
            if next == first {
                if let Some(within) = &raw.measure[start].within {
                    errors.push(at(
                        within.span(),
                        format!(
                            "`within` goes round in a circle back to `{}`",
                            measures[first].id
                        ),
                        "each measure is within a larger one: remove one `within` of the circle"
                            .into(),
                    ));
                }
                measures[first].within = None;
                break;
            }
            steps += 1;
            if steps > measures.len() {
                break;
            }
            at_measure = measures[next].within;
        }
    }

    let measure_ref = |name: &Spanned<String>, role: &str, errors: &mut Vec<Diagnostic>| {
        let id = name.get_ref().as_str();
        match measure_index.get(id) {
            Some(&i) => Some(i),
            None => {
                let hint = match closest(id, measure_index.keys().copied()) {
                    Some(near) => format!("did you mean \"{near}\"?"),
                    None => format!("the {role} must be the id of a [[measure]] in this file"),
                };
                errors.push(at(
                    name.span(),
                    format!("the {role} `{id}` is not a measure"),
                    hint,
                ));
                None
            }
        }
    };

    let mut indicators: Vec<Indicator> = Vec::with_capacity(raw.indicator.len());
    for r in &raw.indicator {
        let id = r.id.get_ref().as_str();
        let mut ok = true;
        if !crate::data::is_url_id(id) {
            errors.push(at(
                r.id.span(),
                format!("the indicator id `{id}` cannot be used in a web address"),
                "use at most 64 lower-case letters, digits, - and _, e.g. id = \"management_rate\""
                    .into(),
            ));
            ok = false;
        } else if RESERVED_INDICATOR_IDS.contains(&id) {
            errors.push(at(
                r.id.span(),
                format!("`{id}` is reserved: /data/{id}/ holds other pages"),
                "choose another id for this indicator".into(),
            ));
            ok = false;
        } else if indicators.iter().any(|i| i.id == id) {
            errors.push(at(
                r.id.span(),
                format!("the indicator id `{id}` is used twice"),
                "each [[indicator]] needs its own id".into(),
            ));
            ok = false;
        }
        let numerator = measure_ref(&r.numerator, "numerator", &mut errors);
        let denominator = if r.denominator.get_ref() == POPULATION {
            Some(Denominator::Population)
        } else {
            measure_ref(&r.denominator, "denominator", &mut errors).map(Denominator::Measure)
        };
        let unit = match r.unit.get_ref().as_str() {
            "percent" => Some(Unit::Percent),
            "permille" => Some(Unit::Permille),
            "per100k" => Some(Unit::Per100k),
            other => {
                errors.push(at(
                    r.unit.span(),
                    format!("`{other}` is not a unit anxin knows"),
                    "use unit = \"percent\" (%), \"permille\" (‰) or \"per100k\" (per 100,000)"
                        .into(),
                ));
                None
            }
        };
        let decimals = match &r.decimals {
            None => Some(2),
            Some(d) if (0..=6).contains(d.get_ref()) => Some(*d.get_ref() as u32),
            Some(d) => {
                errors.push(at(
                    d.span(),
                    format!("decimals = {} is out of range", d.get_ref()),
                    "use a whole number from 0 to 6; the default is 2".into(),
                ));
                None
            }
        };
        let target = match &r.target {
            Some(t) if !t.get_ref().is_finite() || *t.get_ref() < 0.0 => {
                errors.push(at(
                    t.span(),
                    "the target must be a number of 0 or more".into(),
                    "write it in the indicator's unit, e.g. target = 90.0 for 90%".into(),
                ));
                None
            }
            t => t.as_ref().map(|t| *t.get_ref()),
        };
        if let (true, Some(numerator), Some(denominator), Some(unit), Some(decimals)) =
            (ok, numerator, denominator, unit, decimals)
        {
            indicators.push(Indicator {
                id: id.to_string(),
                name: r.name.clone(),
                numerator,
                denominator,
                unit,
                target,
                higher_is_better: r.higher_is_better,
                decimals,
                definition: r.definition.clone(),
                source: r.source.clone(),
            });
        }
    }
    (
        Definitions {
            measures,
            indicators,
        },
        errors,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Definitions, Vec<Diagnostic>) {
        parse(Path::new(DEFINITIONS_FILE), text)
    }

    const GOOD: &str = r#"
[[measure]]
id = "registered"
name = "在册患者数"

[[measure]]
id = "standard_managed"
name = "规范管理患者数"

[[indicator]]
id = "standard_management_rate"
name = { "zh-CN" = "规范管理率", en = "Standardised management rate" }
numerator = "standard_managed"
denominator = "registered"
unit = "percent"
target = 80.0
definition = "按规范管理的患者占在册患者的比例"

[[indicator]]
id = "detection_rate"
name = "检出率"
numerator = "registered"
denominator = "population"
unit = "permille"
decimals = 3
"#;

    #[test]
    fn reads_measures_and_indicators_with_defaults() {
        let (d, errors) = parse_str(GOOD);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(d.measures.len(), 2);
        let rate = &d.indicators[0];
        assert_eq!(rate.numerator, 1);
        assert_eq!(rate.denominator, Denominator::Measure(0));
        assert_eq!(rate.decimals, 2);
        assert!(rate.higher_is_better);
        assert_eq!(rate.meets_target(80.0), Some(true));
        assert_eq!(rate.meets_target(79.99), Some(false));
        assert_eq!(rate.name.get("en", "zh-CN"), "Standardised management rate");
        assert_eq!(d.indicators[1].denominator, Denominator::Population);
        assert_eq!(d.indicators[1].decimals, 3);
        assert_eq!(d.indicators[1].meets_target(1.0), None);
    }

    #[test]
    fn reports_unknown_measures_units_and_reserved_ids_with_lines() {
        let (_, errors) = parse_str(
            r#"[[measure]]
id = "registered"
name = "在册"

[[indicator]]
id = "areas"
name = "x"
numerator = "registred"
denominator = "registered"
unit = "percentage"
decimals = 9
"#,
        );
        let found = |needle: &str| {
            errors
                .iter()
                .find(|e| e.message.contains(needle))
                .unwrap_or_else(|| panic!("no error about {needle}: {errors:?}"))
        };
        assert_eq!(found("reserved").position.unwrap().line, 6);
        let unknown = found("`registred` is not a measure");
        assert_eq!(unknown.position.unwrap().line, 8);
        assert_eq!(
            unknown.hint.as_deref(),
            Some("did you mean \"registered\"?")
        );
        assert_eq!(found("percentage").position.unwrap().line, 10);
        assert_eq!(found("decimals").position.unwrap().line, 11);
    }

    #[test]
    fn refuses_unknown_keys_and_duplicate_ids() {
        let (_, errors) = parse_str("[[measure]]\nid = \"a\"\nname = \"甲\"\nunit = \"x\"\n");
        assert!(
            errors[0]
                .message
                .contains("unknown definitions.toml key `unit`"),
            "{errors:?}"
        );
        let (_, errors) = parse_str(
            "[[measure]]\nid = \"a\"\nname = \"甲\"\n[[measure]]\nid = \"a\"\nname = \"乙\"\n[[measure]]\nid = \"area\"\nname = \"丙\"\n",
        );
        assert!(errors.iter().any(|e| e.message.contains("used twice")));
        assert!(errors.iter().any(|e| e.message.contains("already knows")));
    }

    #[test]
    fn reads_aggregation_and_within_and_refuses_bad_ones_at_their_line() {
        let (d, errors) = parse_str(
            "[[measure]]\nid = \"registered\"\nname = \"在册\"\naggregation = \"end_of_period\"\n\n[[measure]]\nid = \"managed\"\nname = \"在管\"\nwithin = \"registered\"\n\n[[measure]]\nid = \"new_cases\"\nname = \"新发现\"\naggregation = \"sum\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(d.measures[0].aggregation, Some(Aggregation::EndOfPeriod));
        assert_eq!(d.measures[1].within, Some(0));
        assert_eq!(d.measures[1].aggregation, None);
        assert_eq!(d.measures[2].aggregation, Some(Aggregation::Sum));

        let (d, errors) = parse_str(
            "[[measure]]\nid = \"a\"\nname = \"甲\"\nwithin = \"b\"\n[[measure]]\nid = \"b\"\nname = \"乙\"\nwithin = \"a\"\n[[measure]]\nid = \"c\"\nname = \"丙\"\nwithin = \"c\"\naggregation = \"flow\"\n",
        );
        let lines: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.position.map_or(0, |p| p.line), e.message.as_str()))
            .collect();
        assert!(
            lines.contains(&(4, "`within` goes round in a circle back to `a`")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&(12, "the measure `c` cannot be within itself")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&(13, "`flow` is not a way figures add up over time")),
            "{lines:?}"
        );
        // The circle is broken, so nothing downstream loops.
        assert!(d.measures[0].within.is_none() || d.measures[1].within.is_none());
    }
}

//! The open-data downloads under `/data/downloads/`: `indicators.csv` and
//! `indicators.json`, tidy (one row a figure), and a Frictionless Data
//! Package (v2) `datapackage.json` that describes them.
//!
//! Rows are made from published figures only: a suppressed figure has an
//! empty value, numerator and denominator and `suppressed = true`; a figure
//! that was never given has no row.

use crate::config::Config;
use crate::data::areas::Areas;
use crate::data::indicators::IndicatorData;
use crate::data::indicators::definitions::Denominator;
use crate::data::indicators::disclosure::{Count, Rate, format_scaled};
use serde_json::{Value, json};

/// The columns of `indicators.csv`, in order.
pub const COLUMNS: [&str; 11] = [
    "period",
    "area",
    "area_name",
    "kind",
    "id",
    "name",
    "value",
    "unit",
    "numerator",
    "denominator",
    "suppressed",
];

/// One figure of the downloads.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub period: String,
    pub area: String,
    pub area_name: String,
    /// `measure` for a count, `indicator` for a rate.
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    /// The count, or the rate in its unit written with its decimals.
    pub value: Option<String>,
    pub unit: &'static str,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub suppressed: bool,
}

/// Every published figure: by period, then area in tree order, measures
/// before indicators, each in the order of definitions.toml. An iterator: a
/// national data set has millions of figures, written straight to the file.
pub fn records<'a>(
    data: &'a IndicatorData,
    areas: &'a Areas,
    lang: &'a str,
    default_lang: &'a str,
) -> impl Iterator<Item = Record> + 'a {
    let defs = &data.definitions;
    (0..data.periods.len()).flat_map(move |p| {
        let period = data.periods[p].to_string();
        (0..data.area_ids.len()).flat_map(move |a| {
            let period = period.clone();
            let area = &data.area_ids[a];
            let area_name = areas.name(area, lang, default_lang);
            let record = move |kind, id: &str, name: &str, unit| Record {
                period: period.clone(),
                area: area.clone(),
                area_name: area_name.clone(),
                kind,
                id: id.to_string(),
                name: name.to_string(),
                value: None,
                unit,
                numerator: None,
                denominator: None,
                suppressed: false,
            };
            let counts = defs.measures.iter().enumerate().filter_map({
                let record = record.clone();
                move |(m, measure)| {
                    let base = record(
                        "measure",
                        &measure.id,
                        measure.name.get(lang, default_lang),
                        "count",
                    );
                    match data.figures.count(p, a, m) {
                        Count::Missing => None,
                        Count::Suppressed => Some(Record {
                            suppressed: true,
                            ..base
                        }),
                        Count::Published(v) => Some(Record {
                            value: Some(v.to_string()),
                            ..base
                        }),
                    }
                }
            });
            let rates = defs
                .indicators
                .iter()
                .enumerate()
                .filter_map(move |(i, ind)| {
                    let base = record(
                        "indicator",
                        &ind.id,
                        ind.name.get(lang, default_lang),
                        ind.unit.id(),
                    );
                    match data.figures.rate(p, a, i) {
                        Rate::Missing => None,
                        Rate::Suppressed => Some(Record {
                            suppressed: true,
                            ..base
                        }),
                        Rate::Published {
                            scaled,
                            numerator,
                            denominator,
                        } => Some(Record {
                            value: Some(format_scaled(scaled, ind.decimals)),
                            numerator: Some(numerator),
                            denominator: Some(denominator),
                            ..base
                        }),
                    }
                });
            counts.chain(rates)
        })
    })
}

pub fn csv(records: impl IntoIterator<Item = Record>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail but for a bug; an empty file says so loudly.
    let _ = writer.write_record(COLUMNS);
    for r in records {
        let numerator = r.numerator.map(|v| v.to_string()).unwrap_or_default();
        let denominator = r.denominator.map(|v| v.to_string()).unwrap_or_default();
        let _ = writer.write_record([
            r.period.as_str(),
            &r.area,
            &r.area_name,
            r.kind,
            &r.id,
            &r.name,
            r.value.as_deref().unwrap_or(""),
            r.unit,
            &numerator,
            &denominator,
            if r.suppressed { "true" } else { "false" },
        ]);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// `{"records": [...]}`, one record a line: readable, and written without
/// building a JSON tree of millions of values first.
pub fn json(records: impl IntoIterator<Item = Record>) -> String {
    use std::fmt::Write as _;
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let number = |v: Option<u64>| v.map_or_else(|| "null".to_string(), |v| v.to_string());
    let mut out = String::from("{\"records\": [");
    for (i, r) in records.into_iter().enumerate() {
        // A value is written as the number it is: `95.75`, `1224`, never a string.
        let value = r
            .value
            .as_deref()
            .map_or("null", |v| v.trim_start_matches('+'));
        let _ = write!(
            out,
            "{}\n{{\"period\":{},\"area\":{},\"area_name\":{},\"kind\":{},\"id\":{},\"name\":{},\"value\":{},\"unit\":{},\"numerator\":{},\"denominator\":{},\"suppressed\":{}}}",
            if i == 0 { "" } else { "," },
            quote(&r.period),
            quote(&r.area),
            quote(&r.area_name),
            quote(r.kind),
            quote(&r.id),
            quote(&r.name),
            value,
            quote(r.unit),
            number(r.numerator),
            number(r.denominator),
            r.suppressed
        );
    }
    out.push_str("\n]}\n");
    out
}

/// A licence's page, for the common ids a publisher uses.
fn license_path(id: &str) -> Option<&'static str> {
    Some(match id {
        "CC-BY-4.0" => "https://creativecommons.org/licenses/by/4.0/",
        "CC-BY-SA-4.0" => "https://creativecommons.org/licenses/by-sa/4.0/",
        "CC0-1.0" => "https://creativecommons.org/publicdomain/zero/1.0/",
        "ODC-BY-1.0" => "https://opendatacommons.org/licenses/by/1-0/",
        "PDDL-1.0" => "https://opendatacommons.org/licenses/pddl/1-0/",
        _ => return None,
    })
}

/// The Frictionless Data Package (v2) describing both downloads.
pub fn datapackage(data: &IndicatorData, config: &Config, lang: &str) -> String {
    let default = &config.default_language;
    let defs = &data.definitions;
    let privacy = &data.privacy;
    // What the build guarantees, and no more (docs/site-format.md, "The
    // threat model").
    let rule = format!(
        "Counts from 1 to {small} are suppressed{zeros}. So are further counts wherever a small one could otherwise be worked out: every build solves, by linear programming, the smallest and largest value each suppressed count can have given every published figure and what a reader knows (an area is the sum of the areas under it, a year the sum or the last of its quarters, a part never exceeds its whole, no count exceeds the population), and suppresses more until each range holds at least {protection} whole numbers{complements}. A rate is suppressed when its numerator or denominator is, or when its denominator is below {min_denominator}{rounding}. Suppressed figures have an empty value, numerator and denominator and suppressed = true, whatever the reason. The audit covers the figures of this build; it does not compare them with earlier builds.",
        small = privacy.min_count.saturating_sub(1),
        zeros = if privacy.suppress_zero {
            ", and so are zeros"
        } else {
            ""
        },
        protection = privacy.protection(),
        complements = if privacy.protect_complements {
            ", and no small difference between a rate's denominator and numerator (or a measure and the one it lies within) can be narrowed to fewer"
        } else {
            ""
        },
        min_denominator = privacy.min_denominator,
        rounding = match privacy.round_to {
            Some(b) if b > 1 => format!(
                "; published counts are rounded to a multiple of {b}, never to a number from 1 to {}, and rates are computed from the rounded counts",
                privacy.min_count.saturating_sub(1)
            ),
            _ => String::new(),
        }
    );
    let licenses: Vec<Value> = config
        .data
        .license
        .iter()
        .map(|id| match license_path(id) {
            Some(path) => json!({ "name": id, "path": path }),
            None => json!({ "name": id }),
        })
        .collect();
    let publisher = config.data.publisher.clone();
    let indicators: Vec<Value> = defs
        .indicators
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "name": i.name.get(lang, default),
                "unit": i.unit.id(),
                "decimals": i.decimals,
                "numerator": defs.measures[i.numerator].id,
                "denominator": match i.denominator {
                    Denominator::Measure(m) => defs.measures[m].id.clone(),
                    Denominator::Population => "population".into(),
                },
                "target": i.target,
                "higher_is_better": i.higher_is_better,
                "definition": i.definition.as_ref().map(|d| d.get(lang, default)),
                "source": i.source.as_ref().map(|d| d.get(lang, default)),
            })
        })
        .collect();
    let measures: Vec<Value> = defs
        .measures
        .iter()
        .map(|m| json!({ "id": m.id, "name": m.name.get(lang, default) }))
        .collect();
    let field = |name: &str, kind: &str, description: &str| json!({ "name": name, "type": kind, "description": description });
    let mut fields = vec![
        field(
            "period",
            "string",
            "2025 (year), 2025Q3 (quarter) or 2025-09 (month)",
        ),
        field("area", "string", "area id, as in data/areas.toml"),
        field("area_name", "string", "area name"),
        field("kind", "string", "measure (a count) or indicator (a rate)"),
        field("id", "string", "measure or indicator id"),
        field("name", "string", "measure or indicator name"),
        field(
            "value",
            "number",
            "the count, or the rate in its unit rounded to the indicator's decimals; empty when suppressed",
        ),
        field("unit", "string", "count, percent, permille or per100k"),
        field(
            "numerator",
            "integer",
            "the rate's numerator (published, so rounded when counts are); empty for counts and suppressed rates",
        ),
        field(
            "denominator",
            "integer",
            "the rate's denominator; empty for counts and suppressed rates",
        ),
        field(
            "suppressed",
            "boolean",
            "true when the figure is withheld to protect patients' privacy",
        ),
    ];
    fields[3]["constraints"] = json!({ "enum": ["measure", "indicator"] });
    fields[7]["constraints"] = json!({ "enum": ["count", "percent", "permille", "per100k"] });
    fields[10]["trueValues"] = json!(["true"]);
    fields[10]["falseValues"] = json!(["false"]);
    let sources: Vec<Value> = publisher.iter().map(|p| json!({ "title": p })).collect();
    let contributors: Vec<Value> = publisher
        .iter()
        .map(|p| json!({ "title": p, "roles": ["publisher"] }))
        .collect();
    let package = json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "indicators",
        "title": format!("{} – indicators", config.title.get(lang, default)),
        "description": if config.data.sample {
            format!("示例数据 (sample data: every figure is made up). {rule}")
        } else {
            rule
        },
        "homepage": config.permalink("/data/"),
        "licenses": licenses,
        "sources": sources,
        "contributors": contributors,
        "keywords": ["mental health", "严重精神障碍", "indicators"],
        "resources": [
            {
                "name": "indicators",
                "type": "table",
                "path": "indicators.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": { "$schema": "https://datapackage.org/profiles/2.0/tabledialect.json", "header": true, "delimiter": "," },
                "schema": {
                    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
                    "fields": fields,
                    "missingValues": [""],
                    "primaryKey": ["period", "area", "kind", "id"],
                },
            },
            {
                "name": "indicators-json",
                "path": "indicators.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "description": "The same records as indicators.csv, as {\"records\": [...]} with null for empty values.",
            },
        ],
        "anxin:suppression": {
            "min_count": privacy.min_count,
            "min_denominator": privacy.min_denominator,
            "suppress_zero": privacy.suppress_zero,
            "round_to": privacy.round_to,
            "protection": privacy.protection(),
            "protect_complements": privacy.protect_complements,
        },
        "anxin:measures": measures,
        "anxin:indicators": indicators,
    });
    serde_json::to_string_pretty(&package).unwrap_or_default() + "\n"
}

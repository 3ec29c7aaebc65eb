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
/// before indicators, each in the order of definitions.toml.
pub fn records(data: &IndicatorData, areas: &Areas, lang: &str, default_lang: &str) -> Vec<Record> {
    let defs = &data.definitions;
    let mut out = Vec::new();
    for (p, period) in data.periods.iter().enumerate() {
        let period = period.to_string();
        for (a, area) in data.area_ids.iter().enumerate() {
            let area_name = areas.name(area, lang, default_lang);
            let record = |kind, id: &str, name: &str, unit| Record {
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
            for (m, measure) in defs.measures.iter().enumerate() {
                let base = record(
                    "measure",
                    &measure.id,
                    measure.name.get(lang, default_lang),
                    "count",
                );
                match data.figures.count(p, a, m) {
                    Count::Missing => {}
                    Count::Suppressed => out.push(Record {
                        suppressed: true,
                        ..base
                    }),
                    Count::Published(v) => out.push(Record {
                        value: Some(v.to_string()),
                        ..base
                    }),
                }
            }
            for (i, ind) in defs.indicators.iter().enumerate() {
                let base = record(
                    "indicator",
                    &ind.id,
                    ind.name.get(lang, default_lang),
                    ind.unit.id(),
                );
                match data.figures.rate(p, a, i) {
                    Rate::Missing => {}
                    Rate::Suppressed => out.push(Record {
                        suppressed: true,
                        ..base
                    }),
                    Rate::Published {
                        scaled,
                        numerator,
                        denominator,
                    } => out.push(Record {
                        value: Some(format_scaled(scaled, ind.decimals)),
                        numerator: Some(numerator),
                        denominator: Some(denominator),
                        ..base
                    }),
                }
            }
        }
    }
    out
}

pub fn csv(records: &[Record]) -> String {
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

pub fn json(records: &[Record]) -> String {
    let list: Vec<Value> = records
        .iter()
        .map(|r| {
            let value = r.value.as_deref().map(|v| {
                // Counts are integers; rates keep their decimals as numbers.
                v.parse::<u64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| v.parse::<f64>().map(Value::from).unwrap_or(Value::Null))
            });
            json!({
                "period": r.period,
                "area": r.area,
                "area_name": r.area_name,
                "kind": r.kind,
                "id": r.id,
                "name": r.name,
                "value": value,
                "unit": r.unit,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "suppressed": r.suppressed,
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "records": list })).unwrap_or_default() + "\n"
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
    let rule = format!(
        "Counts from 1 to {} are suppressed{}; a rate is suppressed when its numerator or denominator is suppressed or its denominator is below {}; where a parent area's figure is published, a second figure among its sub-areas is suppressed so that none can be recovered by subtraction{}. Suppressed figures have an empty value, numerator and denominator and suppressed = true.",
        privacy.min_count.saturating_sub(1),
        if privacy.suppress_zero {
            ", and so are zeros"
        } else {
            ""
        },
        privacy.min_denominator,
        match privacy.round_to {
            Some(b) if b > 1 => format!(
                "; published counts are rounded to the nearest {b} (rates are computed from unrounded counts)"
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
            "shown_as": format!("<{}", privacy.min_count),
        },
        "anxin:measures": measures,
        "anxin:indicators": indicators,
    });
    serde_json::to_string_pretty(&package).unwrap_or_default() + "\n"
}

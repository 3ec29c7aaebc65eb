//! What the templates see of the indicator data: published figures written
//! with their units, periods and areas with their names and addresses, and
//! the charts. Everything here reads [`IndicatorData`], which holds nothing
//! unpublishable, so no template can reach a suppressed value.

use crate::config::Config;
use crate::data::areas::Areas;
use crate::data::indicators::IndicatorData;
use crate::data::indicators::chart::{self, Chart, ChartPoint};
use crate::data::indicators::definitions::{Denominator, Indicator};
use crate::data::indicators::disclosure::{Count, FigureKind, Rate, format_scaled};
use crate::render::i18n::I18n;
use serde_json::{Value, json};
use std::cell::Cell;

/// The folder of the data pages.
pub const DATA_DIR: &str = "data";
pub const DOWNLOADS_PATH: &str = "/data/downloads/";

pub fn indicator_path(id: &str) -> String {
    format!("/data/{id}/")
}

pub fn area_path(id: &str) -> String {
    format!("/data/areas/{id}/")
}

/// Builds template values for one output, remembering whether any of them
/// shows a suppressed figure (the output then carries the footnote).
pub struct Figures<'a> {
    pub data: &'a IndicatorData,
    pub areas: &'a Areas,
    pub config: &'a Config,
    pub lang: &'a str,
    /// The theme's words: every suppressed figure reads as one of them.
    words: &'a I18n,
    /// `""`, or `/en` on the English data pages.
    prefix: String,
    shows_suppressed: Cell<bool>,
}

impl<'a> Figures<'a> {
    pub fn new(
        data: &'a IndicatorData,
        areas: &'a Areas,
        config: &'a Config,
        lang: &'a str,
        words: &'a I18n,
    ) -> Self {
        let index = config.languages.iter().position(|l| l == lang).unwrap_or(0);
        Figures {
            data,
            areas,
            config,
            lang,
            words,
            prefix: config.language_prefix(index),
            shows_suppressed: Cell::new(false),
        }
    }

    /// An indicator's page in this output's language.
    fn indicator_path(&self, id: &str) -> String {
        format!("{}{}", self.prefix, indicator_path(id))
    }

    /// An area's data page in this output's language.
    fn area_path(&self, id: &str) -> String {
        format!("{}{}", self.prefix, area_path(id))
    }

    pub fn shows_suppressed(&self) -> bool {
        self.shows_suppressed.get()
    }

    fn default_lang(&self) -> &str {
        &self.config.default_language
    }

    /// How every suppressed figure reads, whether it is small or was hidden
    /// so that a small one cannot be worked out: one neutral word, never
    /// "<5", which would be false of the second kind.
    pub fn suppressed_text(&self) -> String {
        self.word("figure_withheld").to_string()
    }

    /// The theme's text of `key` in this output's language.
    fn word<'k>(&'k self, key: &'k str) -> &'k str {
        self.words.text(key, self.lang).unwrap_or(key)
    }

    /// The footnote of an output that shows a suppressed figure: both
    /// reasons a figure is withheld.
    pub fn footnote(&self) -> String {
        let p = &self.data.privacy;
        self.word("withheld_note")
            .replace("{min_count}", &p.min_count.to_string())
            .replace("{min_denominator}", &p.min_denominator.to_string())
    }

    pub fn period(&self, p: usize) -> Value {
        let period = &self.data.periods[p];
        json!({ "id": period.to_string(), "label": period.label(self.lang) })
    }

    pub fn area(&self, a: usize) -> Value {
        let id = &self.data.area_ids[a];
        let parent = self.data.parents[a].map(|p| {
            let pid = &self.data.area_ids[p];
            json!({
                "id": pid,
                "name": self.areas.name(pid, self.lang, self.default_lang()),
                "permalink": self.config.permalink(&self.area_path(pid)),
            })
        });
        json!({
            "id": id,
            "name": self.areas.name(id, self.lang, self.default_lang()),
            "path": self.area_path(id),
            "permalink": self.config.permalink(&self.area_path(id)),
            "depth": self.areas.get(id).map_or(0, |x| x.depth),
            "parent": parent,
            "population": self.areas.get(id).and_then(|x| x.population),
        })
    }

    pub fn indicator(&self, i: usize) -> Value {
        let d = &self.data.definitions;
        let ind = &d.indicators[i];
        let (lang, default) = (self.lang, self.default_lang());
        let numerator = &d.measures[ind.numerator];
        let denominator = match ind.denominator {
            Denominator::Measure(m) => json!({
                "id": d.measures[m].id,
                "name": d.measures[m].name.get(lang, default),
            }),
            Denominator::Population => json!({
                "id": "population",
                "name": if lang.starts_with("zh") { "常住人口数" } else { "Population" },
            }),
        };
        json!({
            "id": ind.id,
            "name": ind.name.get(lang, default),
            "unit": ind.unit.id(),
            "unit_symbol": ind.unit.symbol(lang),
            "decimals": ind.decimals,
            "target": ind.target,
            "target_display": ind.target.map(|t| self.format_rate_number(t, ind)),
            "higher_is_better": ind.higher_is_better,
            "definition": ind.definition.as_ref().map(|x| x.get(lang, default)),
            "source": ind.source.as_ref().map(|x| x.get(lang, default)),
            "numerator": { "id": numerator.id, "name": numerator.name.get(lang, default) },
            "denominator": denominator,
            "path": self.indicator_path(&ind.id),
            "permalink": self.config.permalink(&self.indicator_path(&ind.id)),
            // Its latest figures' period: an indicator reported monthly on a
            // site of quarters shows its own.
            "period": self.data.latest_for(FigureKind::Indicator(i)).map(|p| self.period(p)),
        })
    }

    pub fn measure(&self, m: usize) -> Value {
        let measure = &self.data.definitions.measures[m];
        json!({
            "id": measure.id,
            "name": measure.name.get(self.lang, self.default_lang()),
            "description": measure.description.as_ref().map(|x| x.get(self.lang, self.default_lang())),
        })
    }

    fn format_rate_number(&self, value: f64, ind: &Indicator) -> String {
        format!(
            "{:.*}{}",
            ind.decimals as usize,
            value,
            ind.unit.symbol(self.lang)
        )
    }

    fn count_text(&self, count: Count) -> (Value, String) {
        match count {
            Count::Published(v) => (v.into(), group_digits(v)),
            Count::Suppressed => {
                self.shows_suppressed.set(true);
                (Value::Null, self.suppressed_text())
            }
            Count::Missing => (Value::Null, "—".into()),
        }
    }

    /// A count: `{value, display, suppressed, missing}`.
    pub fn count(&self, p: usize, a: usize, m: usize) -> Value {
        let count = self.data.figures.count(p, a, m);
        let (value, display) = self.count_text(count);
        json!({
            "kind": "measure",
            "id": self.data.definitions.measures[m].id,
            "value": value,
            "display": display,
            "suppressed": count == Count::Suppressed,
            "missing": count == Count::Missing,
        })
    }

    /// A rate: `{value, display, suppressed, missing, numerator, denominator, met}`.
    pub fn rate(&self, p: usize, a: usize, i: usize) -> Value {
        let ind = &self.data.definitions.indicators[i];
        let rate = self.data.figures.rate(p, a, i);
        let part = |v: u64| json!({ "value": v, "display": group_digits(v) });
        match rate {
            Rate::Published {
                scaled,
                numerator,
                denominator,
            } => {
                let number = format_scaled(scaled, ind.decimals);
                let value: f64 = number.parse().unwrap_or(0.0);
                json!({
                    "kind": "indicator",
                    "id": ind.id,
                    "value": value,
                    "number": number,
                    "display": format!("{number}{}", ind.unit.symbol(self.lang)),
                    "suppressed": false,
                    "missing": false,
                    "numerator": part(numerator),
                    "denominator": part(denominator),
                    "met": ind.meets_target(value),
                })
            }
            Rate::Suppressed | Rate::Missing => {
                let suppressed = rate == Rate::Suppressed;
                let display = if suppressed {
                    self.shows_suppressed.set(true);
                    self.suppressed_text()
                } else {
                    "—".into()
                };
                json!({
                    "kind": "indicator",
                    "id": ind.id,
                    "value": null,
                    "number": null,
                    "display": display,
                    "suppressed": suppressed,
                    "missing": !suppressed,
                    "numerator": null,
                    "denominator": null,
                    "met": null,
                })
            }
        }
    }

    fn chart_point(&self, label: String, p: usize, a: usize, i: usize) -> ChartPoint {
        let v = self.rate(p, a, i);
        ChartPoint {
            label,
            value: v["value"].as_f64(),
            display: v["display"].as_str().unwrap_or("—").to_string(),
        }
    }

    fn chart(
        &self,
        id: String,
        title: String,
        i: usize,
        period: Option<usize>,
        points: Vec<ChartPoint>,
    ) -> Chart {
        let ind = &self.data.definitions.indicators[i];
        Chart {
            id,
            title,
            period: period.map(|p| self.data.periods[p].label(self.lang)),
            name: ind.name.get(self.lang, self.default_lang()).to_string(),
            unit_symbol: ind.unit.symbol(self.lang).trim().to_string(),
            points,
            target: ind.target,
            target_display: ind.target.map(|t| self.format_rate_number(t, ind)),
            higher_is_better: ind.higher_is_better,
            lang: self.lang.to_string(),
        }
    }

    /// The trend of indicator `i` in area `a` across the trend periods, up
    /// to and including `until`: `{svg, summary, rows}`.
    pub fn trend(&self, i: usize, a: usize, until: Option<usize>) -> Value {
        let periods: Vec<usize> = self
            .data
            .trend_periods(i)
            .into_iter()
            .filter(|&p| until.is_none_or(|u| p <= u))
            .collect();
        let ind = &self.data.definitions.indicators[i];
        let area_name = self
            .areas
            .name(&self.data.area_ids[a], self.lang, self.default_lang());
        let name = ind.name.get(self.lang, self.default_lang());
        let title = if self.lang.starts_with("zh") {
            format!("{area_name}{name}趋势")
        } else {
            format!("{name} in {area_name} over time")
        };
        let points = periods
            .iter()
            .map(|&p| self.chart_point(self.data.periods[p].label(self.lang), p, a, i))
            .collect();
        let chart = self.chart(
            format!("trend-{}-{}", ind.id, self.data.area_ids[a]),
            title.clone(),
            i,
            None,
            points,
        );
        let rows: Vec<Value> = periods
            .iter()
            .map(|&p| json!({ "period": self.period(p), "figure": self.rate(p, a, i) }))
            .collect();
        json!({
            "title": title,
            "svg": chart::trend_svg(&chart),
            "summary": chart::trend_summary(&chart),
            "rows": rows,
        })
    }

    /// The areas under `parent` ranked by indicator `i` in period `p`, best
    /// first; suppressed and missing figures last: `{svg, summary, rows}`.
    pub fn ranking(&self, i: usize, parent: usize, p: usize) -> Value {
        let ind = &self.data.definitions.indicators[i];
        let mut areas: Vec<(usize, Option<u64>)> = self
            .data
            .children(parent)
            .map(|a| match self.data.figures.rate(p, a, i) {
                Rate::Published { scaled, .. } => (a, Some(scaled)),
                _ => (a, None),
            })
            .collect();
        areas.sort_by(|x, y| match (x.1, y.1) {
            (Some(a), Some(b)) if ind.higher_is_better => b.cmp(&a).then(x.0.cmp(&y.0)),
            (Some(a), Some(b)) => a.cmp(&b).then(x.0.cmp(&y.0)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => x.0.cmp(&y.0),
        });
        let name = ind.name.get(self.lang, self.default_lang());
        let parent_name =
            self.areas
                .name(&self.data.area_ids[parent], self.lang, self.default_lang());
        let period_label = self.data.periods[p].label(self.lang);
        let title = if self.lang.starts_with("zh") {
            format!("{period_label}{parent_name}各地区{name}")
        } else {
            format!("{name} by area, {parent_name}, {period_label}")
        };
        let points = areas
            .iter()
            .map(|&(a, _)| {
                let label = self
                    .areas
                    .name(&self.data.area_ids[a], self.lang, self.default_lang());
                self.chart_point(label, p, a, i)
            })
            .collect();
        let chart = self.chart(
            format!("ranking-{}-{}", ind.id, self.data.area_ids[parent]),
            title.clone(),
            i,
            Some(p),
            points,
        );
        let rows: Vec<Value> = areas
            .iter()
            .map(|&(a, _)| json!({ "area": self.area(a), "figure": self.rate(p, a, i) }))
            .collect();
        json!({
            "title": title,
            "period": self.period(p),
            "svg": chart::ranking_svg(&chart),
            "summary": chart::ranking_summary(&chart),
            "rows": rows,
        })
    }

    /// Everything data pages share.
    pub fn common(&self) -> Value {
        let latest = self.data.latest();
        let periods: Vec<Value> = (0..self.data.periods.len())
            .map(|p| self.period(p))
            .collect();
        let downloads = |name: &str| self.config.permalink(&format!("{DOWNLOADS_PATH}{name}"));
        json!({
            "period": latest.map(|p| self.period(p)),
            "periods": periods,
            "sample": self.config.data.sample,
            "publisher": self.config.data.publisher,
            "license": self.config.data.license,
            "min_count": self.data.privacy.min_count,
            "min_denominator": self.data.privacy.min_denominator,
            "suppressed_text": self.suppressed_text(),
            "overview_permalink": self.config.permalink("/data/"),
            "downloads": {
                "csv": downloads("indicators.csv"),
                "json": downloads("indicators.json"),
                "datapackage": downloads("datapackage.json"),
            },
        })
    }

    /// A rate at the indicator's own latest period (missing when it has none).
    fn latest_rate(&self, a: usize, i: usize) -> Value {
        match self.data.latest_for(FigureKind::Indicator(i)) {
            Some(p) => self.rate(p, a, i),
            None => {
                json!({ "kind": "indicator", "value": null, "display": "—", "suppressed": false, "missing": true })
            }
        }
    }

    /// A table of every indicator, each at its latest period, for `rows` of areas.
    pub fn area_table(&self, rows: &[usize]) -> Value {
        let rows: Vec<Value> = rows
            .iter()
            .map(|&a| {
                let figures: Vec<Value> = (0..self.data.definitions.indicators.len())
                    .map(|i| self.latest_rate(a, i))
                    .collect();
                json!({ "area": self.area(a), "figures": figures })
            })
            .collect();
        Value::Array(rows)
    }

    /// The indicators of area `a`, each with its figure of its latest period.
    pub fn indicators_of(&self, a: usize) -> Value {
        let list: Vec<Value> = (0..self.data.definitions.indicators.len())
            .map(|i| {
                let mut v = self.indicator(i);
                v["figure"] = self.latest_rate(a, i);
                v
            })
            .collect();
        Value::Array(list)
    }

    /// The measures of area `a`, each with its count of its latest period.
    pub fn measures_of(&self, a: usize) -> Value {
        let list: Vec<Value> = (0..self.data.definitions.measures.len())
            .map(|m| {
                let mut v = self.measure(m);
                v["figure"] = match self.data.latest_for(FigureKind::Measure(m)) {
                    Some(p) => self.count(p, a, m),
                    None => json!({ "value": null, "display": "—", "suppressed": false, "missing": true }),
                };
                v
            })
            .collect();
        Value::Array(list)
    }
}

/// `263843` → `263,843`, as Chinese statistical tables write counts.
pub fn group_digits(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A shortcode argument as text: `period=2025` may come as a number.
fn text_arg(call: &crate::content::shortcodes::ShortcodeCall, name: &str) -> Option<String> {
    match call.args.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn unknown(what: &str, given: &str, known: Vec<&str>) -> (String, String) {
    let hint = match crate::diagnostics::closest(given, known.iter().copied()) {
        Some(near) => format!("did you mean \"{near}\"?"),
        None if known.is_empty() => format!("the indicator data has no {what} yet"),
        None if known.len() <= 12 => format!("use one of: {}", known.join(", ")),
        None => format!("see data/indicators/ for the {what}s"),
    };
    (
        format!("there is no {what} `{given}` in the indicator data"),
        hint,
    )
}

impl Figures<'_> {
    fn area_arg(
        &self,
        call: &crate::content::shortcodes::ShortcodeCall,
    ) -> Result<usize, (String, String)> {
        match text_arg(call, "area") {
            None => self.data.top().ok_or_else(|| {
                (
                    "the indicator data has no areas".into(),
                    "add data/areas.toml".into(),
                )
            }),
            Some(id) => self.data.area(&id).ok_or_else(|| {
                unknown(
                    "area",
                    &id,
                    self.data.area_ids.iter().map(String::as_str).collect(),
                )
            }),
        }
    }

    fn period_arg(
        &self,
        call: &crate::content::shortcodes::ShortcodeCall,
    ) -> Result<Option<usize>, (String, String)> {
        match text_arg(call, "period") {
            None => Ok(None),
            Some(id) => {
                let ids: Vec<String> = self.data.periods.iter().map(|p| p.to_string()).collect();
                self.data
                    .period(&id)
                    .map(Some)
                    .ok_or_else(|| unknown("period", &id, ids.iter().map(String::as_str).collect()))
            }
        }
    }

    /// `{{ figure(indicator=…, area=…, period=…) }}`: one published figure,
    /// an indicator's rate or a measure's count. Area and period default to
    /// the top area and the latest period.
    pub fn figure_shortcode(
        &self,
        call: &crate::content::shortcodes::ShortcodeCall,
    ) -> Result<Value, (String, String)> {
        let Some(id) = text_arg(call, "indicator") else {
            return Err((
                "the figure shortcode needs the indicator to show".into(),
                "write it as {{ figure(indicator=\"management_rate\", area=\"county\", period=\"2025Q4\") }}".into(),
            ));
        };
        let defs = &self.data.definitions;
        let figure = match (defs.indicator(&id), defs.measure(&id)) {
            (Some(i), _) => FigureKind::Indicator(i),
            (None, Some(m)) => FigureKind::Measure(m),
            (None, None) => {
                let known = defs
                    .indicators
                    .iter()
                    .map(|i| i.id.as_str())
                    .chain(defs.measures.iter().map(|m| m.id.as_str()))
                    .collect();
                return Err(unknown("indicator", &id, known));
            }
        };
        let a = self.area_arg(call)?;
        let p = match self.period_arg(call)? {
            Some(p) => p,
            None => self.data.latest_for(figure).ok_or_else(|| {
                (
                    format!("the data files give no figure of `{id}` yet"),
                    "add a column for it to a data file".into(),
                )
            })?,
        };
        let mut value = match figure {
            FigureKind::Indicator(i) => {
                let mut v = self.rate(p, a, i);
                v["indicator"] = self.indicator(i);
                v
            }
            FigureKind::Measure(m) => {
                let mut v = self.count(p, a, m);
                v["measure"] = self.measure(m);
                v
            }
        };
        if value["missing"] == true {
            // "—" in a sentence reads as a figure; the author meant one.
            let with_data: Vec<String> = (0..self.data.periods.len())
                .filter(|&q| match figure {
                    FigureKind::Indicator(i) => self.data.figures.rate(q, a, i) != Rate::Missing,
                    FigureKind::Measure(m) => self.data.figures.count(q, a, m) != Count::Missing,
                })
                .map(|q| self.data.periods[q].to_string())
                .collect();
            return Err((
                format!(
                    "the data files give no figure of `{id}` for `{}` in {}",
                    self.data.area_ids[a], self.data.periods[p]
                ),
                if with_data.is_empty() {
                    format!("no period has a figure of `{id}` for this area")
                } else {
                    format!("periods with a figure: {}", with_data.join(", "))
                },
            ));
        }
        value["area"] = self.area(a);
        value["period"] = self.period(p);
        Ok(value)
    }

    /// `{{ chart(indicator=…, kind="trend"|"ranking", period=…, area=…) }}`:
    /// a trend of the area up to the period, or a ranking of the areas under
    /// it in the period.
    pub fn chart_shortcode(
        &self,
        call: &crate::content::shortcodes::ShortcodeCall,
    ) -> Result<Value, (String, String)> {
        let defs = &self.data.definitions;
        let i = match text_arg(call, "indicator") {
            None => {
                return Err((
                    "the chart shortcode needs the indicator to draw".into(),
                    "write it as {{ chart(indicator=\"management_rate\", kind=\"trend\") }}".into(),
                ));
            }
            Some(id) => defs.indicator(&id).ok_or_else(|| {
                unknown(
                    "indicator",
                    &id,
                    defs.indicators.iter().map(|i| i.id.as_str()).collect(),
                )
            })?,
        };
        let a = self.area_arg(call)?;
        let p = self.period_arg(call)?;
        let kind = text_arg(call, "kind").unwrap_or_else(|| "trend".into());
        let mut value = match kind.as_str() {
            "trend" => self.trend(i, a, p),
            "ranking" => {
                if self.data.children(a).next().is_none() {
                    return Err((
                        format!(
                            "the area `{}` has no areas under it to rank",
                            self.data.area_ids[a]
                        ),
                        "give area= an area with sub-areas, e.g. the county".into(),
                    ));
                }
                let latest = self.data.latest_for(FigureKind::Indicator(i)).unwrap_or(0);
                self.ranking(i, a, p.unwrap_or(latest))
            }
            other => {
                return Err((
                    format!("`{other}` is not a kind of chart"),
                    "use kind=\"trend\" or kind=\"ranking\"".into(),
                ));
            }
        };
        let rows = value["rows"].as_array().map_or(&[][..], Vec::as_slice);
        if rows.iter().all(|r| r["figure"]["missing"] == true) {
            return Err((
                format!(
                    "the data files give no figure of `{}` to draw for `{}`",
                    self.data.definitions.indicators[i].id, self.data.area_ids[a]
                ),
                "check the indicator, area= and period=".into(),
            ));
        }
        value["kind"] = kind.into();
        value["indicator"] = self.indicator(i);
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits_in_threes() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(263_843), "263,843");
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }
}

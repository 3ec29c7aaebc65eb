//! Property tests of disclosure control (`data::indicators::disclosure`) and
//! of everything that shows its result: the open-data downloads and the
//! values templates see.
//!
//! Each case is a small random area tree (1–4 levels, 1–12 areas), 1–3
//! periods, 2–4 measures, indicators over random pairs of measures plus one
//! over the population, true counts with most of them small, and random
//! privacy settings. Parent counts are what the validate stage leaves: the
//! exact sum of the children where every child has the figure, otherwise the
//! parent's own total (given or missing).

use anxin::config::{Config, Privacy};
use anxin::data::areas::{self, Areas};
use anxin::data::indicators::IndicatorData;
use anxin::data::indicators::counts::Counts;
use anxin::data::indicators::definitions::{Definitions, Denominator, Indicator, Measure, Unit};
use anxin::data::indicators::disclosure::{
    self, Count, FigureKind, Rate, Reason, Relation, format_scaled, scaled_rate,
};
use anxin::data::indicators::period::Period;
use anxin::output::opendata::{self, COLUMNS, Record};
use anxin::render::indicators::{Figures as TemplateFigures, group_digits};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

// ---------------------------------------------------------------- the cases

/// The raw, shrinkable input of one case. Everything else is derived from it
/// by [`World::new`].
#[derive(Debug, Clone)]
struct Case {
    /// For area 1.. in the order of areas.toml: the parent, picked among the
    /// earlier areas less than 3 deep, or none (another top area).
    tree: Vec<(Index, bool)>,
    periods: usize,
    measures: usize,
    /// (numerator, denominator, unit, decimals), denominator ≠ numerator.
    indicators: Vec<(usize, usize, Unit, u32)>,
    /// The population indicator: (numerator, unit, decimals).
    per_population: (usize, Unit, u32),
    /// `[period][area][measure]` in the order of areas.toml: (given, value).
    /// Leaves use it as their count; a parent whose children do not all have
    /// the figure uses it as its own total.
    cells: Vec<(bool, u64)>,
    /// Whether figures may be missing at all (otherwise every leaf is given).
    gaps: bool,
    /// `[period][area]`.
    population: Vec<Option<u64>>,
    privacy: Privacy,
}

/// A count, mostly small: 0..10 most of the time.
fn small_count() -> impl Strategy<Value = u64> {
    prop_oneof![
        12 => 0u64..10,
        4 => 10u64..60,
        2 => 60u64..2_000,
    ]
}

fn population() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![
        1 => Just(None),
        3 => (0u64..60).prop_map(Some),
        4 => (60u64..300_000).prop_map(Some),
    ]
}

fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![
        Just(Unit::Percent),
        Just(Unit::Permille),
        Just(Unit::Per100k)
    ]
}

fn privacy() -> impl Strategy<Value = Privacy> {
    (
        2u64..=10,
        0u64..=50,
        any::<bool>(),
        prop_oneof![Just(None), Just(Some(1)), Just(Some(5)), Just(Some(10))],
    )
        .prop_map(
            |(min_count, min_denominator, suppress_zero, round_to)| Privacy {
                min_count,
                min_denominator,
                suppress_zero,
                round_to,
                ..Privacy::default()
            },
        )
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..=12, 1usize..=3, 2usize..=4).prop_flat_map(|(areas, periods, measures)| {
        let indicator = (0..measures, 1..measures, unit(), 0u32..=6).prop_map(
            move |(n, offset, unit, decimals)| (n, (n + offset) % measures, unit, decimals),
        );
        (
            prop::collection::vec((any::<Index>(), prop::bool::weighted(0.08)), areas - 1),
            Just(periods),
            Just(measures),
            prop::collection::vec(indicator, 1..=3),
            (0..measures, unit(), 0u32..=6),
            prop::collection::vec(
                (prop::bool::weighted(0.85), small_count()),
                periods * areas * measures,
            ),
            prop::bool::weighted(0.35),
            prop::collection::vec(population(), periods * areas),
            privacy(),
        )
            .prop_map(
                |(
                    tree,
                    periods,
                    measures,
                    indicators,
                    per_population,
                    cells,
                    gaps,
                    population,
                    privacy,
                )| {
                    Case {
                        tree,
                        periods,
                        measures,
                        indicators,
                        per_population,
                        cells,
                        gaps,
                        population,
                        privacy,
                    }
                },
            )
    })
}

// ---------------------------------------------------------------- the world

/// Names that test the quoting of the downloads.
const AREA_NAMES: [&str; 5] = ["城关镇", "Town, \"A\"", "乡\n村", "X;Y", "示例县"];
const MEASURE_NAMES: [&str; 4] = ["登记,人数", "managed \"ok\"", "随访\r\n人数", "m"];

/// One case put through disclosure control, with what it started from.
struct World {
    areas: Areas,
    parents: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    counts: Counts,
    data: IndicatorData,
    config: Config,
    words: anxin::render::i18n::I18n,
}

impl World {
    fn new(case: &Case) -> World {
        let n = case.tree.len() + 1;

        // The tree, written as areas.toml and read back in tree order.
        let mut depth = vec![0usize];
        let mut raw_parent: Vec<Option<usize>> = vec![None];
        for (i, (pick, top)) in case.tree.iter().enumerate() {
            let area = i + 1;
            if *top {
                raw_parent.push(None);
                depth.push(0);
            } else {
                let candidates: Vec<usize> = (0..area).filter(|&a| depth[a] < 3).collect();
                let p = candidates[pick.index(candidates.len())];
                raw_parent.push(Some(p));
                depth.push(depth[p] + 1);
            }
        }
        let mut toml_text = String::new();
        for a in 0..n {
            let name = toml::Value::String(AREA_NAMES[a % AREA_NAMES.len()].to_string());
            let _ = writeln!(toml_text, "[[area]]\nid = \"a{a}\"\nname = {name}");
            if let Some(p) = raw_parent[a] {
                let _ = writeln!(toml_text, "parent = \"a{p}\"");
            }
        }
        let (areas, errors) = areas::parse(Path::new("data/areas.toml"), &toml_text);
        assert!(errors.is_empty(), "{toml_text}\n{errors:?}");
        assert_eq!(areas.len(), n);
        let area_ids: Vec<String> = areas.iter().map(|a| a.id.clone()).collect();
        let parents: Vec<Option<usize>> = areas
            .iter()
            .map(|a| a.parent.as_deref().and_then(|p| areas.position(p)))
            .collect();
        let mut children = vec![Vec::new(); n];
        for (a, p) in parents.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(a);
            }
        }
        // Tree position → index in the order of areas.toml (`a{k}`).
        let raw_index: Vec<usize> = area_ids.iter().map(|id| id[1..].parse().unwrap()).collect();

        // The true counts, as the validate stage leaves them.
        let periods: Vec<Period> = (0..case.periods)
            .map(|p| Period::Quarter(2025, p as u8 + 1))
            .collect();
        let measures = case.measures;
        let mut counts = Counts::new(periods.clone(), n, measures);
        for p in 0..case.periods {
            // Children come after their parent in tree order.
            for a in (0..n).rev() {
                let raw = raw_index[a];
                for m in 0..measures {
                    let (given, value) = case.cells[(p * n + raw) * measures + m];
                    let own = (given || !case.gaps).then_some(value);
                    let sum = if children[a].is_empty() {
                        None
                    } else {
                        children[a]
                            .iter()
                            .map(|&c| counts.get(p, c, m))
                            .sum::<Option<u64>>()
                    };
                    counts.set(p, a, m, sum.or(own));
                }
                counts.set_population(p, a, case.population[p * n + raw]);
            }
        }

        let measure_list: Vec<Measure> = (0..measures)
            .map(|m| Measure {
                id: format!("m{m}"),
                name: MEASURE_NAMES[m].into(),
                description: None,
                aggregation: None,
                within: None,
            })
            .collect();
        let indicator = |k: usize, numerator, denominator, unit, decimals| Indicator {
            id: format!("i{k}"),
            name: format!("指标,{k}").as_str().into(),
            numerator,
            denominator,
            unit,
            target: None,
            higher_is_better: true,
            decimals,
            definition: None,
            source: None,
        };
        let mut indicators: Vec<Indicator> = case
            .indicators
            .iter()
            .enumerate()
            .map(|(k, &(num, den, unit, decimals))| {
                indicator(k, num, Denominator::Measure(den), unit, decimals)
            })
            .collect();
        let (num, unit, decimals) = case.per_population;
        indicators.push(indicator(
            indicators.len(),
            num,
            Denominator::Population,
            unit,
            decimals,
        ));
        let definitions = Definitions {
            measures: measure_list,
            indicators,
        };

        let protected = disclosure::apply(&counts, &definitions, &parents, &case.privacy);
        let data = IndicatorData {
            definitions,
            periods,
            figures: protected.figures,
            audit: protected.suppressions,
            audit_summary: protected.summary,
            area_ids,
            parents: parents.clone(),
            privacy: case.privacy.clone(),
            files: Vec::new(),
        };
        let config = Config::parse(
            Path::new("site.toml"),
            "title = \"t\"\nbase_url = \"https://x.org\"\n",
        )
        .unwrap();
        let words = anxin::theme::Theme::load(Path::new("/nonexistent-anxin-site"), &config)
            .expect("the built-in theme loads")
            .i18n;
        World {
            areas,
            parents,
            children,
            counts,
            data,
            config,
            words,
        }
    }

    fn privacy(&self) -> &Privacy {
        &self.data.privacy
    }

    fn periods(&self) -> usize {
        self.data.periods.len()
    }

    fn area_count(&self) -> usize {
        self.data.area_ids.len()
    }

    fn measures(&self) -> usize {
        self.data.definitions.measures.len()
    }

    fn indicators(&self) -> &[Indicator] {
        &self.data.definitions.indicators
    }

    fn count(&self, p: usize, a: usize, m: usize) -> Count {
        self.data.figures.count(p, a, m)
    }

    fn rate(&self, p: usize, a: usize, i: usize) -> Rate {
        self.data.figures.rate(p, a, i)
    }

    /// The true denominator of indicator `i`.
    fn true_denominator(&self, p: usize, a: usize, i: usize) -> Option<u64> {
        match self.indicators()[i].denominator {
            Denominator::Measure(d) => self.counts.get(p, a, d),
            Denominator::Population => self.counts.population(p, a),
        }
    }

    /// The whole case as a table, for failure messages.
    fn describe(&self) -> String {
        let mut out = format!("{:?}\n", self.privacy());
        for (i, ind) in self.indicators().iter().enumerate() {
            let _ = writeln!(
                out,
                "i{i} = m{} / {:?} ({:?}, {} decimals)",
                ind.numerator, ind.denominator, ind.unit, ind.decimals
            );
        }
        for p in 0..self.periods() {
            let _ = writeln!(out, "period {p} ({})", self.data.periods[p]);
            for a in 0..self.area_count() {
                let depth = self.areas.iter().nth(a).map_or(0, |x| x.depth);
                let _ = write!(
                    out,
                    "  {}[{a}] {} parent {:?} pop {:?}:",
                    "  ".repeat(depth),
                    self.data.area_ids[a],
                    self.parents[a],
                    self.counts.population(p, a)
                );
                for m in 0..self.measures() {
                    let _ = write!(
                        out,
                        " m{m}={:?}→{:?}",
                        self.counts.get(p, a, m),
                        self.count(p, a, m)
                    );
                }
                for i in 0..self.indicators().len() {
                    let _ = write!(out, " i{i}→{:?}", self.rate(p, a, i));
                }
                out.push('\n');
            }
        }
        out
    }
}

/// `v` rounded half-up to a multiple of `base`, never 0 unless `v` is.
fn rounded(v: u64, base: u64) -> u64 {
    if v == 0 {
        return 0;
    }
    let r = v % base;
    let down = v - r;
    let nearest = if 2 * r >= base { down + base } else { down };
    nearest.max(base)
}

/// What `round_to` makes of a true count.
fn published_value(v: u64, privacy: &Privacy) -> u64 {
    match privacy.round_to {
        // Never into 1..min_count−1: a true count at or above the threshold
        // that would round below it reads as the next multiple above it.
        Some(base) if base > 1 => {
            let r = rounded(v, base);
            if r < privacy.min_count && v >= privacy.min_count {
                privacy.min_count.div_ceil(base) * base
            } else {
                r
            }
        }
        _ => v,
    }
}

/// `FigureKind` is not `Hash`: (is a rate, index).
fn figure_key(figure: FigureKind) -> (bool, usize) {
    match figure {
        FigureKind::Measure(m) => (false, m),
        FigureKind::Indicator(i) => (true, i),
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // ANXIN_PROPTEST_CASES=4096 for a long run before a release.
        cases: std::env::var("ANXIN_PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
        // No regression files beside the tests: a failure prints its case.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- the properties

proptest! {
    #![proptest_config(config())]

    /// 1. No published count has a true value in 1..min_count−1, nor is
    ///    published (rounded) as one, and no zero is published under
    ///    `suppress_zero`.
    #[test]
    fn no_small_count_is_published(case in case()) {
        let w = World::new(&case);
        let privacy = w.privacy();
        for p in 0..w.periods() {
            for a in 0..w.area_count() {
                for m in 0..w.measures() {
                    if let Count::Published(shown) = w.count(p, a, m) {
                        let truth = w.counts.get(p, a, m);
                        prop_assert!(
                            truth.is_some_and(|v| v == 0 || v >= privacy.min_count),
                            "period {p} area {a} m{m}: true {truth:?} published as {shown}\n{}",
                            w.describe()
                        );
                        prop_assert!(
                            !(privacy.suppress_zero && truth == Some(0)),
                            "period {p} area {a} m{m}: a zero published under suppress_zero\n{}",
                            w.describe()
                        );
                        // Rounding included: no page or download reads as a small count.
                        prop_assert!(
                            shown == 0 || shown >= privacy.min_count,
                            "period {p} area {a} m{m}: true {truth:?} published as {shown}\n{}",
                            w.describe()
                        );
                    }
                }
            }
        }
    }

    /// 2. A published rate has published parts and a (true) denominator of at
    ///    least min_denominator, and its value is the rate of the true counts;
    ///    every rate is in the state the rules give it.
    #[test]
    fn published_rates_rest_on_published_parts(case in case()) {
        let w = World::new(&case);
        let privacy = w.privacy();
        for p in 0..w.periods() {
            for a in 0..w.area_count() {
                for (i, ind) in w.indicators().iter().enumerate() {
                    let rate = w.rate(p, a, i);
                    let num_count = w.count(p, a, ind.numerator);
                    let den_count = match ind.denominator {
                        Denominator::Measure(d) => w.count(p, a, d),
                        // A population is public and published as it is.
                        Denominator::Population => w
                            .counts
                            .population(p, a)
                            .map_or(Count::Missing, Count::Published),
                    };
                    let n = w.counts.get(p, a, ind.numerator);
                    let d = w.true_denominator(p, a, i);
                    let at = format!("period {p} area {a} i{i}: {rate:?}, numerator {n:?}→{num_count:?}, denominator {d:?}→{den_count:?}");
                    if let Rate::Published { scaled, numerator, denominator } = rate {
                        prop_assert_eq!(num_count, Count::Published(numerator), "{}\n{}", at, w.describe());
                        prop_assert_eq!(den_count, Count::Published(denominator), "{}\n{}", at, w.describe());
                        let (Some(n), Some(d)) = (n, d) else {
                            return Err(TestCaseError::fail(format!("{at}: published without true parts\n{}", w.describe())));
                        };
                        prop_assert!(d >= privacy.min_denominator && d > 0, "{}\n{}", at, w.describe());
                        // Computed from the published parts: with round_to, a
                        // rate must not give back the count rounding hid.
                        let _ = n;
                        prop_assert_eq!(
                            scaled,
                            scaled_rate(numerator, denominator, ind.unit.factor(), ind.decimals),
                            "{}\n{}", at, w.describe()
                        );
                    }
                    let expected = match (num_count, den_count) {
                        (Count::Missing, _) | (_, Count::Missing) => "missing",
                        (Count::Suppressed, _) | (_, Count::Suppressed) => "suppressed",
                        _ if d.unwrap() < privacy.min_denominator => "suppressed",
                        _ if d == Some(0) => "missing",
                        _ => "published",
                    };
                    let state = match rate {
                        Rate::Missing => "missing",
                        Rate::Suppressed => "suppressed",
                        Rate::Published { .. } => "published",
                    };
                    prop_assert_eq!(state, expected, "{}\n{}", at, w.describe());
                }
            }
        }
    }

    /// 3. Where a parent's count is published, a suppressed child is never
    ///    its only unknown one (it could be recovered by subtraction), and the
    ///    unknown children (suppressed or without a figure) never add up to
    ///    1..min_count−1 (two hidden 1s would both be known).
    #[test]
    fn no_lone_suppressed_child_under_a_published_parent(case in case()) {
        let w = World::new(&case);
        for p in 0..w.periods() {
            for m in 0..w.measures() {
                for (parent, kids) in w.children.iter().enumerate() {
                    if kids.is_empty() || !matches!(w.count(p, parent, m), Count::Published(_)) {
                        continue;
                    }
                    let suppressed: Vec<usize> = kids
                        .iter()
                        .copied()
                        .filter(|&c| w.count(p, c, m) == Count::Suppressed)
                        .collect();
                    let missing = kids.iter().filter(|&&c| w.count(p, c, m) == Count::Missing).count();
                    let left: u64 = w.counts.get(p, parent, m).unwrap_or(0).saturating_sub(kids
                            .iter()
                            .filter(|&&c| matches!(w.count(p, c, m), Count::Published(_)))
                            .map(|&c| w.counts.get(p, c, m).unwrap_or(0))
                            .sum::<u64>());
                    prop_assert!(
                        suppressed.is_empty() && missing == 0 || left == 0 || left >= w.data.privacy.min_count
                            // Several unknown children sharing a small total
                            // each range over 0..=left: wide enough by the
                            // audit's rule (tests/disclosure_audit.rs).
                            || (suppressed.len() + missing >= 2 && left + 1 >= w.data.privacy.protection()),
                        "period {p} m{m}: parent {parent}: unknown children add up to {left}\n{}",
                        w.describe()
                    );
                    prop_assert!(
                        suppressed.len() != 1 || missing > 0,
                        "period {p} m{m}: parent {parent} published, only child {suppressed:?} of {kids:?} suppressed\n{}",
                        w.describe()
                    );
                }
            }
        }
    }

    /// 4. A published count is the true count, rounded half-up to `round_to`
    ///    when that is above 1 (a non-zero count never to 0); a count is
    ///    missing exactly when there is no true count.
    #[test]
    fn published_counts_are_the_true_counts(case in case()) {
        let w = World::new(&case);
        let privacy = w.privacy();
        for p in 0..w.periods() {
            for a in 0..w.area_count() {
                for m in 0..w.measures() {
                    let truth = w.counts.get(p, a, m);
                    let count = w.count(p, a, m);
                    let at = format!("period {p} area {a} m{m}: true {truth:?} → {count:?}");
                    prop_assert_eq!(truth.is_none(), count == Count::Missing, "{}\n{}", at, w.describe());
                    if let (Count::Published(shown), Some(v)) = (count, truth) {
                        prop_assert_eq!(shown, published_value(v, privacy), "{}\n{}", at, w.describe());
                        prop_assert!(v == 0 || shown > 0, "{}\n{}", at, w.describe());
                        if let Some(base) = privacy.round_to.filter(|&b| b > 1) {
                            prop_assert_eq!(shown % base, 0, "{}\n{}", at, w.describe());
                        }
                    }
                }
            }
        }
    }

    /// 5. The downloads hold one record per figure that is not missing, in
    ///    the model's state, and the CSV and JSON read back to the records;
    ///    no suppressed record carries a number.
    #[test]
    fn downloads_agree_with_the_model(case in case()) {
        let w = World::new(&case);
        let (lang, default) = ("zh-CN", "zh-CN");
        let records: Vec<Record> = opendata::records(&w.data, &w.areas, lang, default).collect();
        let defs = &w.data.definitions;

        // What the model says, in the documented order.
        let mut expected: Vec<Record> = Vec::new();
        for p in 0..w.periods() {
            for a in 0..w.area_count() {
                let id = &w.data.area_ids[a];
                let base = |kind, fid: String, name: &str, unit| Record {
                    period: w.data.periods[p].to_string(),
                    area: id.clone(),
                    area_name: w.areas.name(id, lang, default),
                    kind,
                    id: fid,
                    name: name.to_string(),
                    value: None,
                    unit,
                    numerator: None,
                    denominator: None,
                    suppressed: false,
                };
                for (m, measure) in defs.measures.iter().enumerate() {
                    let r = base("measure", measure.id.clone(), measure.name.get(lang, default), "count");
                    match w.count(p, a, m) {
                        Count::Missing => {}
                        Count::Suppressed => expected.push(Record { suppressed: true, ..r }),
                        Count::Published(v) => expected.push(Record { value: Some(v.to_string()), ..r }),
                    }
                }
                for (i, ind) in defs.indicators.iter().enumerate() {
                    let r = base("indicator", ind.id.clone(), ind.name.get(lang, default), ind.unit.id());
                    match w.rate(p, a, i) {
                        Rate::Missing => {}
                        Rate::Suppressed => expected.push(Record { suppressed: true, ..r }),
                        Rate::Published { scaled, numerator, denominator } => expected.push(Record {
                            value: Some(format_scaled(scaled, ind.decimals)),
                            numerator: Some(numerator),
                            denominator: Some(denominator),
                            ..r
                        }),
                    }
                }
            }
        }
        prop_assert_eq!(records.len(), expected.len(), "{}", w.describe());
        for (got, want) in records.iter().zip(&expected) {
            prop_assert_eq!(got, want, "{}", w.describe());
            if got.suppressed {
                prop_assert!(
                    got.value.is_none() && got.numerator.is_none() && got.denominator.is_none(),
                    "a suppressed record with a number: {:?}\n{}", got, w.describe()
                );
            } else {
                prop_assert!(got.value.is_some(), "{:?}", got);
            }
        }

        // The CSV reads back to the records.
        let text = opendata::csv(records.iter().cloned());
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        prop_assert_eq!(header, COLUMNS.to_vec());
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(rows.len(), records.len(), "{}", text);
        let number = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        for (row, r) in rows.iter().zip(&records) {
            let want = [
                r.period.clone(),
                r.area.clone(),
                r.area_name.clone(),
                r.kind.to_string(),
                r.id.clone(),
                r.name.clone(),
                r.value.clone().unwrap_or_default(),
                r.unit.to_string(),
                number(r.numerator),
                number(r.denominator),
                r.suppressed.to_string(),
            ];
            let got: Vec<&str> = row.iter().collect();
            prop_assert_eq!(&got[..], &want.iter().map(String::as_str).collect::<Vec<_>>()[..], "{}", text);
            if r.suppressed {
                prop_assert!(got[6].is_empty() && got[8].is_empty() && got[9].is_empty(), "{:?}", got);
            }
        }

        // The JSON reads back to the records.
        let json: Value = serde_json::from_str(&opendata::json(records.iter().cloned())).unwrap();
        let list = json["records"].as_array().unwrap();
        prop_assert_eq!(list.len(), records.len());
        for (v, r) in list.iter().zip(&records) {
            let text_field = |k: &str| v[k].as_str().map(str::to_string);
            prop_assert_eq!(text_field("period"), Some(r.period.clone()));
            prop_assert_eq!(text_field("area"), Some(r.area.clone()));
            prop_assert_eq!(text_field("area_name"), Some(r.area_name.clone()));
            prop_assert_eq!(text_field("kind"), Some(r.kind.to_string()));
            prop_assert_eq!(text_field("id"), Some(r.id.clone()));
            prop_assert_eq!(text_field("name"), Some(r.name.clone()));
            prop_assert_eq!(text_field("unit"), Some(r.unit.to_string()));
            prop_assert_eq!(v["suppressed"].as_bool(), Some(r.suppressed));
            prop_assert_eq!(v["numerator"].as_u64(), r.numerator, "{}", v);
            prop_assert_eq!(v["denominator"].as_u64(), r.denominator, "{}", v);
            prop_assert_eq!(v["numerator"].is_null(), r.numerator.is_none(), "{}", v);
            prop_assert_eq!(v["denominator"].is_null(), r.denominator.is_none(), "{}", v);
            match &r.value {
                None => prop_assert!(v["value"].is_null(), "{}", v),
                Some(text) => {
                    let want: f64 = text.parse().unwrap();
                    prop_assert_eq!(v["value"].as_f64(), Some(want), "{} vs {}", v, text);
                    if r.kind == "measure" {
                        prop_assert_eq!(v["value"].as_u64().map(|n| n.to_string()), Some(text.clone()), "{}", v);
                    }
                }
            }
            if r.suppressed {
                for k in ["value", "numerator", "denominator"] {
                    prop_assert!(v[k].is_null(), "a suppressed record with a number: {}", v);
                }
            }
        }
    }

    /// 6. The values templates see agree with the model, in both languages.
    #[test]
    fn template_values_agree_with_the_model(case in case()) {
        let w = World::new(&case);
        let withheld = |lang: &str| if lang == "en" { "withheld" } else { "不公布" };
        for lang in ["zh-CN", "en"] {
            let f = TemplateFigures::new(&w.data, &w.areas, &w.config, lang, &w.words);
            let mut any_suppressed = false;
            for p in 0..w.periods() {
                for a in 0..w.area_count() {
                    for (i, ind) in w.indicators().iter().enumerate() {
                        let rate = w.rate(p, a, i);
                        let v = f.rate(p, a, i);
                        let at = format!("{lang} period {p} area {a} i{i}: {rate:?} → {v}");
                        prop_assert_eq!(v["suppressed"].as_bool(), Some(rate == Rate::Suppressed), "{}", at);
                        prop_assert_eq!(v["missing"].as_bool(), Some(rate == Rate::Missing), "{}", at);
                        let display = v["display"].as_str().unwrap_or_default();
                        match rate {
                            Rate::Suppressed => {
                                any_suppressed = true;
                                prop_assert_eq!(display, withheld(lang), "{}", at);
                            }
                            Rate::Missing => prop_assert_eq!(display, "—", "{}", at),
                            Rate::Published { scaled, numerator, denominator } => {
                                let number = format_scaled(scaled, ind.decimals);
                                prop_assert!(display.starts_with(&number), "{}", at);
                                prop_assert_eq!(display, format!("{number}{}", ind.unit.symbol(lang)), "{}", at);
                                prop_assert_eq!(v["number"].as_str(), Some(number.as_str()), "{}", at);
                                prop_assert_eq!(v["numerator"]["value"].as_u64(), Some(numerator), "{}", at);
                                prop_assert_eq!(v["denominator"]["value"].as_u64(), Some(denominator), "{}", at);
                                prop_assert!(v["value"].is_number(), "{}", at);
                            }
                        }
                        if !matches!(rate, Rate::Published { .. }) {
                            for k in ["value", "number", "numerator", "denominator"] {
                                prop_assert!(v[k].is_null(), "{}: {} is not null", at, k);
                            }
                        }
                    }
                    for m in 0..w.measures() {
                        let count = w.count(p, a, m);
                        let v = f.count(p, a, m);
                        let at = format!("{lang} period {p} area {a} m{m}: {count:?} → {v}");
                        prop_assert_eq!(v["suppressed"].as_bool(), Some(count == Count::Suppressed), "{}", at);
                        prop_assert_eq!(v["missing"].as_bool(), Some(count == Count::Missing), "{}", at);
                        let display = v["display"].as_str().unwrap_or_default();
                        match count {
                            Count::Suppressed => {
                                any_suppressed = true;
                                prop_assert_eq!(display, withheld(lang), "{}", at);
                                prop_assert!(v["value"].is_null(), "{}", at);
                            }
                            Count::Missing => {
                                prop_assert_eq!(display, "—", "{}", at);
                                prop_assert!(v["value"].is_null(), "{}", at);
                            }
                            Count::Published(n) => {
                                prop_assert_eq!(display, group_digits(n), "{}", at);
                                prop_assert_eq!(v["value"].as_u64(), Some(n), "{}", at);
                            }
                        }
                    }
                }
            }
            // Having shown a suppressed figure, the output carries the footnote.
            prop_assert_eq!(f.shows_suppressed(), any_suppressed);
        }
    }

    /// 7. Every suppressed count and rate has exactly one audit entry, every
    ///    audit entry a suppressed figure, and each entry the right reason.
    #[test]
    fn the_audit_lists_every_suppressed_figure_once(case in case()) {
        let w = World::new(&case);
        let privacy = w.privacy();
        let mut entries: HashMap<(usize, usize, (bool, usize)), Vec<Reason>> = HashMap::new();
        for s in &w.data.audit {
            entries.entry((s.period, s.area, figure_key(s.figure))).or_default().push(s.reason);
        }
        let mut suppressed = 0;
        for p in 0..w.periods() {
            for a in 0..w.area_count() {
                for m in 0..w.measures() {
                    let key = (p, a, figure_key(FigureKind::Measure(m)));
                    let reasons = entries.get(&key).cloned().unwrap_or_default();
                    let count = w.count(p, a, m);
                    let truth = w.counts.get(p, a, m);
                    let at = format!("period {p} area {a} m{m}: true {truth:?} → {count:?}, audit {reasons:?}");
                    if count != Count::Suppressed {
                        prop_assert!(reasons.is_empty(), "{}\n{}", at, w.describe());
                        continue;
                    }
                    suppressed += 1;
                    prop_assert_eq!(reasons.len(), 1, "{}\n{}", at, w.describe());
                    let v = truth.unwrap();
                    let primary = v > 0 && v < privacy.min_count;
                    match reasons[0] {
                        Reason::SmallCount => prop_assert!(primary, "{}", at),
                        Reason::Zero => prop_assert!(v == 0 && privacy.suppress_zero, "{}", at),
                        Reason::Secondary { relation } => {
                            let zero = v == 0 && privacy.suppress_zero;
                            prop_assert!(!(primary || zero), "a primary suppression audited as secondary: {}", at);
                            match relation {
                                // The parent itself, or one of its children.
                                Relation::Areas { parent } => prop_assert!(
                                    parent == a || w.parents[a] == Some(parent),
                                    "{}: relation of {}\n{}", at, parent, w.describe()
                                ),
                                Relation::Complement { indicator } => prop_assert_eq!(
                                    w.indicators()[indicator].numerator, m, "{}", at
                                ),
                                Relation::Periods { .. } => {}
                            }
                        }
                        // The audit hides published counts only.
                        Reason::Audit => {
                            let zero = v == 0 && privacy.suppress_zero;
                            prop_assert!(!(primary || zero), "a primary suppression audited as audit: {}", at);
                        }
                        other => prop_assert!(false, "{}: a count with {:?}", at, other),
                    }
                }
                for (i, ind) in w.indicators().iter().enumerate() {
                    let key = (p, a, figure_key(FigureKind::Indicator(i)));
                    let reasons = entries.get(&key).cloned().unwrap_or_default();
                    let rate = w.rate(p, a, i);
                    let at = format!("period {p} area {a} i{i}: {rate:?}, audit {reasons:?}");
                    if rate != Rate::Suppressed {
                        prop_assert!(reasons.is_empty(), "{}\n{}", at, w.describe());
                        continue;
                    }
                    suppressed += 1;
                    prop_assert_eq!(reasons.len(), 1, "{}\n{}", at, w.describe());
                    let part_hidden = w.count(p, a, ind.numerator) == Count::Suppressed
                        || matches!(ind.denominator, Denominator::Measure(d) if w.count(p, a, d) == Count::Suppressed);
                    match reasons[0] {
                        Reason::RatePart => prop_assert!(part_hidden, "{}", at),
                        Reason::SmallDenominator => prop_assert!(
                            !part_hidden
                                && w.true_denominator(p, a, i).is_some_and(|d| d < privacy.min_denominator),
                            "{}", at
                        ),
                        other => prop_assert!(false, "{}: a rate with {:?}", at, other),
                    }
                }
            }
        }
        prop_assert_eq!(w.data.audit.len(), suppressed, "{}", w.describe());
    }
}

// ---------------------------------------------------------------- beyond the rules

/// The rank of `rows` (each of `width` coefficients), by Gaussian elimination.
fn rank(mut rows: Vec<Vec<f64>>, width: usize) -> usize {
    let mut rank = 0;
    for col in 0..width {
        let Some(pivot) =
            (rank..rows.len()).max_by(|&x, &y| rows[x][col].abs().total_cmp(&rows[y][col].abs()))
        else {
            break;
        };
        if rows[pivot][col].abs() < 1e-9 {
            continue;
        }
        rows.swap(rank, pivot);
        let pivot_row = rows[rank].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r != rank {
                let f = row[col] / pivot_row[col];
                for (x, y) in row.iter_mut().zip(&pivot_row) {
                    *x -= f * y;
                }
            }
        }
        rank += 1;
    }
    rank
}

proptest! {
    #![proptest_config(config())]

    /// 8 (beyond the module doc's rules). No suppressed count follows from
    /// the published counts by the sums parent = Σ children, at any depth.
    /// Ignored: it fails — a secondary suppression may hide a parent whose
    /// own children are all published, and their sum gives it back; see
    /// `a_secondary_partner_is_recovered_from_its_children`.
    #[test]
    fn no_suppressed_count_follows_from_the_published_ones(mut case in case()) {
        // Rounded counts only bound the sums; this asks about exact ones.
        case.privacy.round_to = None;
        let w = World::new(&case);
        for p in 0..w.periods() {
            for m in 0..w.measures() {
                let unknowns: Vec<usize> = (0..w.area_count()).filter(|&a| w.count(p, a, m) == Count::Suppressed).collect();
                let col = |a: usize| unknowns.iter().position(|&u| u == a);
                let mut rows = Vec::new();
                for (parent, kids) in w.children.iter().enumerate() {
                    if kids.is_empty() || kids.iter().any(|&c| w.counts.get(p, c, m).is_none()) {
                        continue;
                    }
                    let mut row = vec![0.0; unknowns.len()];
                    if let Some(c) = col(parent) { row[c] += 1.0; }
                    for &k in kids { if let Some(c) = col(k) { row[c] -= 1.0; } }
                    if row.iter().any(|&x| x != 0.0) { rows.push(row); }
                }
                let base = rank(rows.clone(), unknowns.len());
                for (i, &a) in unknowns.iter().enumerate() {
                    let mut with = rows.clone();
                    let mut e = vec![0.0; unknowns.len()];
                    e[i] = 1.0;
                    with.push(e);
                    prop_assert!(
                        rank(with, unknowns.len()) > base,
                        "period {p} m{m}: the suppressed count of area {a} (true {:?}) follows from the published ones\n{}",
                        w.counts.get(p, a, m),
                        w.describe()
                    );
                }
            }
        }
    }
}

/// The smallest known case of property 8: county 103 = town-1 100 + town-2 3,
/// town-1 100 = village-1 50 + village-2 50. Town-2's 3 is suppressed; the
/// county publishes, so its partner town-1 is suppressed too — but both
/// villages are published, so town-1 = 50 + 50 and town-2 = 103 − 100 = 3.
#[test]
fn a_secondary_partner_is_recovered_from_its_children() {
    // Tree order: county, town-1, village-1, village-2, town-2.
    let parents = vec![None, Some(0), Some(1), Some(1), Some(0)];
    let mut counts = Counts::new(vec![Period::Quarter(2025, 3)], 5, 1);
    for (a, v) in [103, 100, 50, 50, 3].into_iter().enumerate() {
        counts.set(0, a, 0, Some(v));
    }
    let definitions = Definitions {
        measures: vec![Measure {
            id: "m".into(),
            name: "m".into(),
            description: None,
            aggregation: None,
            within: None,
        }],
        indicators: vec![],
    };
    let f = disclosure::apply(&counts, &definitions, &parents, &Privacy::default()).figures;
    let shown: Vec<Count> = (0..5).map(|a| f.count(0, a, 0)).collect();
    assert_eq!(shown[4], Count::Suppressed);
    let recovered = match (shown[0], shown[2], shown[3]) {
        (Count::Published(county), Count::Published(v1), Count::Published(v2)) => {
            Some(county - v1 - v2)
        }
        _ => None,
    };
    assert_eq!(recovered, None, "town-2 is recovered from {shown:?}");
}

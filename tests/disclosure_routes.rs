//! One minimal site for each way a reader could work a withheld count out
//! of the published ones (tests/fixtures/disclosure-routes/), built through
//! the binary. Each test writes the attack out; the site's published
//! `indicators.csv` is then attacked by an integer linear program of this
//! file's own, knowing what every reader knows, and every withheld count,
//! and every small difference of a rate's parts, must keep a range of at
//! least `protection` (here 4) whole numbers. The withheld pattern itself
//! is compared whole with a golden file.

mod common;

use common::{assert_golden, build, fixture, stderr};
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::BTreeMap;
use std::path::Path;

const PROTECTION: i64 = 4;

/// What a reader knows besides the figures: orders of measures (small,
/// large), flows (a year is the sum of its quarters; the other measures are
/// stocks, a year is its Q4), and the differences whose small values matter.
struct Knows<'a> {
    orders: &'a [(&'a str, &'a str)],
    flows: &'a [&'a str],
    differences: &'a [(&'a str, &'a str)],
}

/// A published count: `Some(value)`, or `None` when withheld.
type Published = BTreeMap<(String, String, String), Option<i64>>;

fn published(public: &Path) -> Published {
    let mut reader =
        csv::Reader::from_path(public.join("data/downloads/indicators.csv")).expect("the CSV");
    let mut out = Published::new();
    for record in reader.records() {
        let r = record.expect("a record");
        if &r[3] != "measure" {
            continue;
        }
        let value = if &r[10] == "true" {
            None
        } else {
            Some(r[6].parse().expect("a count"))
        };
        out.insert(
            (r[0].to_string(), r[1].to_string(), r[4].to_string()),
            value,
        );
    }
    out
}

/// The area tree of a fixture: (id, parent, population).
fn areas(site: &Path) -> Vec<(String, Option<String>, i64)> {
    let text = std::fs::read_to_string(site.join("data/areas.toml")).expect("areas.toml");
    let value: toml::Table = toml::from_str(&text).expect("toml");
    value["area"]
        .as_array()
        .expect("areas")
        .iter()
        .map(|a| {
            (
                a["id"].as_str().expect("id").to_string(),
                a.get("parent").and_then(|p| p.as_str()).map(String::from),
                a["population"].as_integer().expect("population"),
            )
        })
        .collect()
}

/// The smallest and largest value of `plus − minus` a reader can work out.
fn attack(
    site: &Path,
    figures: &Published,
    knows: &Knows,
    plus: &(String, String, String),
    minus: Option<&(String, String, String)>,
) -> (i64, i64) {
    let areas = areas(site);
    let periods: Vec<String> = {
        let mut p: Vec<String> = figures.keys().map(|k| k.0.clone()).collect();
        p.dedup();
        p.sort();
        p.dedup();
        p
    };
    let measures: Vec<String> = {
        let mut m: Vec<String> = figures.keys().map(|k| k.2.clone()).collect();
        m.sort();
        m.dedup();
        m
    };
    let solve = |direction| {
        let mut problem = Problem::new(direction);
        let mut var = BTreeMap::new();
        for p in &periods {
            for (a, _, population) in &areas {
                for m in &measures {
                    let key = (p.clone(), a.clone(), m.clone());
                    let objective = if &key == plus {
                        1.0
                    } else if Some(&key) == minus {
                        -1.0
                    } else {
                        0.0
                    };
                    let bounds = match figures.get(&key) {
                        Some(Some(v)) => (*v as i32, *v as i32),
                        _ => (0, *population as i32),
                    };
                    var.insert(key, problem.add_integer_var(objective, bounds));
                }
            }
        }
        let v = |p: &str, a: &str, m: &str| var[&(p.to_string(), a.to_string(), m.to_string())];
        for p in &periods {
            for m in &measures {
                for (parent, _, _) in &areas {
                    let kids: Vec<&String> = areas
                        .iter()
                        .filter(|(_, up, _)| up.as_deref() == Some(parent.as_str()))
                        .map(|(id, _, _)| id)
                        .collect();
                    if kids.is_empty() {
                        continue;
                    }
                    let mut terms = vec![(v(p, parent, m), 1.0)];
                    terms.extend(kids.iter().map(|k| (v(p, k, m), -1.0)));
                    problem.add_constraint(terms, ComparisonOp::Eq, 0.0);
                }
            }
            for (a, _, _) in &areas {
                for (small, large) in knows.orders {
                    problem.add_constraint(
                        [(v(p, a, small), 1.0), (v(p, a, large), -1.0)],
                        ComparisonOp::Le,
                        0.0,
                    );
                }
            }
        }
        // A year and its quarters.
        for year in periods.iter().filter(|p| p.len() == 4) {
            let quarters: Vec<String> = (1..=4).map(|q| format!("{year}Q{q}")).collect();
            let all = quarters.iter().all(|q| periods.contains(q));
            for (a, _, _) in &areas {
                for m in &measures {
                    let mut terms = vec![(v(year, a, m), 1.0)];
                    if knows.flows.contains(&m.as_str()) && all {
                        terms.extend(quarters.iter().map(|q| (v(q, a, m), -1.0)));
                    } else if !knows.flows.contains(&m.as_str()) && periods.contains(&quarters[3]) {
                        terms.push((v(&quarters[3], a, m), -1.0));
                    } else {
                        continue;
                    }
                    problem.add_constraint(terms, ComparisonOp::Eq, 0.0);
                }
            }
        }
        let solution = problem.solve().expect("the attack solves");
        solution.solution().expect("a solution").objective().round() as i64
    };
    (
        solve(OptimizationDirection::Minimize),
        solve(OptimizationDirection::Maximize),
    )
}

/// Builds the route's site, attacks what it published, and compares the
/// withheld pattern with its golden file.
fn route(name: &str, knows: Knows) {
    let site = fixture("disclosure-routes").join(name);
    let tmp = tempfile::tempdir().expect("tempdir");
    let public = tmp.path().join("public");
    let out = build(&site, &public, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let figures = published(&public);
    let mut pattern = String::new();
    for ((p, a, m), value) in &figures {
        let shown = value.map_or("withheld".to_string(), |v| v.to_string());
        pattern.push_str(&format!("{p} {a} {m}: {shown}\n"));
        if value.is_none() {
            let key = (p.clone(), a.clone(), m.clone());
            let (lo, hi) = attack(&site, &figures, &knows, &key, None);
            assert!(
                hi - lo + 1 >= PROTECTION,
                "{name}: {p} {a} {m} narrowed to {lo}..={hi}\n{pattern}"
            );
        }
    }
    // The true counts of the fixture, to know which differences are small.
    let truth = true_counts(&site);
    for ((p, a, large), value) in &truth {
        for (l, s) in knows.differences {
            if large != l {
                continue;
            }
            let Some(small) = truth.get(&(p.clone(), a.clone(), s.to_string())) else {
                continue;
            };
            let difference = value - small;
            if !(1..5).contains(&difference) {
                continue;
            }
            let plus = (p.clone(), a.clone(), l.to_string());
            let minus = (p.clone(), a.clone(), s.to_string());
            let (lo, hi) = attack(&site, &figures, &knows, &plus, Some(&minus));
            assert!(
                hi - lo + 1 >= PROTECTION,
                "{name}: {p} {a} {l} − {s} (true {difference}) narrowed to {lo}..={hi}\n{pattern}"
            );
        }
    }
    assert_golden(&format!("disclosure-routes/{name}.txt"), &pattern);
}

/// The counts of a fixture's data files, as written (rows of leaf areas).
fn true_counts(site: &Path) -> BTreeMap<(String, String, String), i64> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(site.join("data/indicators")).expect("data") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let mut reader = csv::Reader::from_path(&path).expect("csv");
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        for record in reader.records() {
            let r = record.expect("record");
            for (c, name) in header.iter().enumerate().skip(2) {
                if let Ok(v) = r[c].parse::<i64>() {
                    out.insert((r[0].to_string(), r[1].to_string(), name.clone()), v);
                }
            }
        }
    }
    out
}

/// 甲 30/3/0, 乙 50/50/50, 丙 110/100/90 (registered/managed/standard).
/// 甲's managed 3 is withheld, and 乙's as its partner. A reader knows
/// standard ≤ managed ≤ registered: 乙's 50 ≤ managed ≤ 50 pins it, and
/// 甲 = 153 − 100 − 50 = 3.
#[test]
fn bounds_a_partner_pinned_between_its_own_row() {
    route(
        "bounds",
        Knows {
            orders: &[("managed", "registered"), ("standard_managed", "managed")],
            flows: &[],
            differences: &[
                ("registered", "managed"),
                ("registered", "standard_managed"),
            ],
        },
    );
}

/// visited ≤ managed ≤ registered, though no indicator ties visited to
/// managed. a 79/77/70, b 3/3/3 and e 4/4/4 (withheld), c 80/70/60,
/// d 100/90/85. a's 79 − 77 = 2 unmanaged patients hide a's managed, which
/// the county's sum alone leaves open (a + b + e = 84). But registered
/// b + e = 266 − 79 − 80 − 100 = 7 and visited b + e = 222 − 70 − 60 − 85 =
/// 7, so managed b + e = 7, managed a = 84 − 7 = 77, and a has 2
/// unmanaged patients.
#[test]
fn nesting_an_order_of_measures_no_indicator_declares() {
    route(
        "nesting",
        Knows {
            orders: &[("managed", "registered"), ("visited", "managed")],
            flows: &[],
            differences: &[("registered", "managed"), ("registered", "visited")],
        },
    );
}

/// A stock's year is its Q4. In 2025Q4 the county's 76 is published with
/// a (3) withheld and b (12) as its partner; the year's table has no county
/// row and no row for a, so b's 12 would be published there — and a =
/// 76 − 61 − 12 = 3.
#[test]
fn periods_a_year_end_stock_equals_its_fourth_quarter() {
    route(
        "periods",
        Knows {
            orders: &[],
            flows: &[],
            differences: &[],
        },
    );
}

/// A flow's year is the sum of its quarters: a's Q1 new cases (2) withheld
/// with a partner quarter would come back as 23 − 7 − 6 − 8, or through
/// the county's quarter, if the year's row were published whole.
#[test]
fn flows_a_year_is_the_sum_of_its_quarters() {
    route(
        "flows",
        Knows {
            orders: &[("new_cases", "registered")],
            flows: &["new_cases"],
            differences: &[],
        },
    );
}

/// The county's row is given (143/129) and township b sent none: with a
/// and c published, b = 143 − 60 − 80 = 3 registered and 129 − 55 − 71 = 3
/// managed — a small count nobody published, read off the sums.
#[test]
fn missing_row_a_given_total_with_one_township_absent() {
    route(
        "missing-row",
        Knows {
            orders: &[("managed", "registered")],
            flows: &[],
            differences: &[("registered", "managed")],
        },
    );
    let site = fixture("disclosure-routes").join("missing-row");
    let tmp = tempfile::tempdir().expect("tempdir");
    let public = tmp.path().join("public");
    build(&site, &public, &[]);
    let figures = published(&public);
    let b = |m: &str| {
        attack(
            &site,
            &figures,
            &Knows {
                orders: &[("managed", "registered")],
                flows: &[],
                differences: &[],
            },
            &("2025Q3".into(), "b".into(), m.into()),
            None,
        )
    };
    for m in ["registered", "managed"] {
        let (lo, hi) = b(m);
        assert!(hi - lo + 1 >= PROTECTION, "b's {m} narrowed to {lo}..={hi}");
    }
}

/// a 45/43: both counts are large, but 45 − 43 = 2 patients of a are not
/// managed — a count as small as any that is withheld.
#[test]
fn complements_a_small_difference_of_two_published_counts() {
    route(
        "complements",
        Knows {
            orders: &[("managed", "registered")],
            flows: &[],
            differences: &[("registered", "managed")],
        },
    );
}

/// Under suppress_zero: a and b readmitted 0 are withheld, but the county's
/// 7 and c's 7 would leave a + b = 0, so both are 0.
#[test]
fn zeros_hidden_zeros_add_up_to_nothing() {
    route(
        "zeros",
        Knows {
            orders: &[("readmitted", "registered")],
            flows: &[],
            differences: &[],
        },
    );
}

/// check prints the audit: each withheld count with the rule that hid it and
/// the width of its range, never its value.
#[test]
fn check_prints_each_withheld_figure_with_its_rule_and_range() {
    let site = fixture("disclosure-routes").join("bounds");
    let out = common::anxin(&["check", "--root", site.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden("disclosure-routes/check-bounds.txt", &common::stdout(&out));
}

/// With `round_to = 3` and `min_count = 10`, a true 10 rounds to 9: a count
/// below the threshold, which gives the 10 back (8 and 9 are withheld). It
/// is published as 12, and the build warns about the settings at their line.
#[test]
fn rounding_never_reads_as_a_small_count_and_a_clash_is_warned_about() {
    let site = common::copy_fixture("disclosure-routes/complements");
    std::fs::write(
        site.path().join("site.toml"),
        "title = \"取整\"\nbase_url = \"https://test.example.org\"\n\n[privacy]\nmin_count = 10\nround_to = 3\n",
    )
    .expect("site.toml");
    std::fs::write(
        site.path().join("data/indicators/2025.csv"),
        "period,area,registered,managed\n2025Q3,a,45,10\n2025Q3,b,60,48\n2025Q3,c,80,71\n",
    )
    .expect("csv");
    let public = site.path().join("public");
    let out = build(site.path(), &public, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("site.toml:6:")
            && err.contains(
                "round_to = 3 does not fit min_count = 10: rounded, a count of 10 would read 9"
            ),
        "{err}"
    );
    for value in published(&public).values().flatten() {
        assert!(*value == 0 || *value >= 10, "{value} published");
    }
}

/// a 70/60/57, b 50/40/40, c 90/80/80 (registered/managed/standard, standard
/// within managed): the county's 180 − 177 = 3 managed patients without
/// standardised management would be read off two published totals. Only
/// the county's own figures can protect it, so the build withholds one and
/// says so at the rows it added up.
#[test]
fn a_top_total_withheld_to_protect_it_is_warned_about_at_its_rows() {
    route(
        "top-total",
        Knows {
            orders: &[("managed", "registered"), ("standard_managed", "managed")],
            flows: &[],
            differences: &[("registered", "managed"), ("managed", "standard_managed")],
        },
    );
    let site = fixture("disclosure-routes").join("top-total");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = build(&site, &tmp.path().join("public"), &[]);
    let err = stderr(&out);
    assert!(
        err.contains("warning: to keep `managed` − `standard_managed` of `county` in 2025Q3 from being worked out, the total `standard_managed` of `county` in 2025Q3 is not published either (rows: data/indicators/2025.csv:2, data/indicators/2025.csv:3, data/indicators/2025.csv:4)")
            && err.contains("--> data/indicators/2025.csv:2:1"),
        "{err}"
    );
}

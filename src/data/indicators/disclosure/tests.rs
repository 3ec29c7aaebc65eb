use super::*;
use crate::data::indicators::definitions::{Indicator, Measure, Unit};
use crate::data::indicators::period::Period;

fn definitions() -> Definitions {
    let measure = |id: &str| Measure {
        id: id.into(),
        name: id.into(),
        description: None,
        aggregation: None,
        within: None,
    };
    Definitions {
        measures: vec![measure("registered"), measure("managed")],
        indicators: vec![Indicator {
            id: "management_rate".into(),
            name: "管理率".into(),
            numerator: 1,
            denominator: Denominator::Measure(0),
            unit: Unit::Percent,
            target: None,
            higher_is_better: true,
            decimals: 2,
            definition: None,
            source: None,
        }],
    }
}

fn run(c: &Counts, parents: &[Option<usize>], privacy: &Privacy) -> (Figures, Vec<Suppression>) {
    let protected = apply(c, &definitions(), parents, privacy);
    (protected.figures, protected.suppressions)
}

/// County 0 with towns 1..=n; `values[town]` = (registered, managed).
fn counts(values: &[(u64, u64)]) -> (Counts, Vec<Option<usize>>) {
    let mut c = Counts::new(vec![Period::Quarter(2025, 3)], values.len() + 1, 2);
    let (mut r, mut m) = (0, 0);
    for (i, &(reg, man)) in values.iter().enumerate() {
        c.set(0, i + 1, 0, Some(reg));
        c.set(0, i + 1, 1, Some(man));
        r += reg;
        m += man;
    }
    c.set(0, 0, 0, Some(r));
    c.set(0, 0, 1, Some(m));
    let mut parents = vec![None];
    parents.extend(std::iter::repeat_n(Some(0), values.len()));
    (c, parents)
}

#[test]
fn rates_round_half_up_exactly() {
    assert_eq!(scaled_rate(1, 8, 100, 2), 1250);
    assert_eq!(scaled_rate(1, 800, 100, 2), 13); // 0.125 → 0.13
    assert_eq!(format_scaled(13, 2), "0.13");
    assert_eq!(format_scaled(9575, 2), "95.75");
    assert_eq!(format_scaled(464, 2), "4.64");
    assert_eq!(format_scaled(7, 0), "7");
    assert_eq!(scaled_rate(1224, 263_843, 1000, 2), 464);
}

#[test]
fn a_lone_small_count_takes_the_next_smallest_sibling_with_it() {
    let (c, parents) = counts(&[(212, 205), (30, 3), (60, 30), (0, 0)]);
    let (f, audit) = run(&c, &parents, &Privacy::default());
    assert_eq!(f.count(0, 2, 1), Count::Suppressed);
    // The zero is not a useful partner: 30 is the next smallest non-zero.
    assert_eq!(f.count(0, 3, 1), Count::Suppressed);
    assert_eq!(f.count(0, 4, 1), Count::Published(0));
    assert_eq!(f.count(0, 0, 1), Count::Published(238));
    assert!(audit.iter().any(|s| s.period == 0
        && s.area == 3
        && s.figure == FigureKind::Measure(1)
        && s.reason
            == Reason::Secondary {
                relation: Relation::Areas { parent: 0 }
            }));
    // The rates of both are suppressed with their numerators.
    assert_eq!(f.rate(0, 2, 0), Rate::Suppressed);
    assert_eq!(f.rate(0, 3, 0), Rate::Suppressed);
    assert_eq!(
        f.rate(0, 1, 0),
        Rate::Published {
            scaled: 9670,
            numerator: 205,
            denominator: 212
        }
    );
}

#[test]
fn hidden_parts_adding_up_to_a_small_count_take_another_with_them() {
    // Two hidden 1s under a published total: 2 left means both are 1.
    let (c, parents) = counts(&[(100, 50), (50, 1), (50, 1), (80, 70)]);
    let (f, _) = run(&c, &parents, &Privacy::default());
    assert_eq!(f.count(0, 2, 1), Count::Suppressed);
    assert_eq!(f.count(0, 3, 1), Count::Suppressed);
    assert_eq!(
        f.count(0, 1, 1),
        Count::Suppressed,
        "50, the smallest other"
    );
    assert_eq!(f.count(0, 4, 1), Count::Published(70));
}

#[test]
fn a_given_total_with_an_unreported_part_does_not_give_that_part_away() {
    let (mut c, parents) = counts(&[(100, 90), (3, 2)]);
    // The county's row was given; the second town sent none.
    c.set(0, 2, 0, None);
    c.set(0, 2, 1, None);
    let (f, _) = run(&c, &parents, &Privacy::default());
    let shown = |a| matches!(f.count(0, a, 0), Count::Published(_));
    assert!(
        !(shown(0) && shown(1)),
        "103 − 100 would be the missing town's 3"
    );
}

#[test]
fn a_quarter_that_adds_up_its_months_protects_them() {
    let periods = vec![
        Period::Month(2025, 7),
        Period::Month(2025, 8),
        Period::Month(2025, 9),
        Period::Quarter(2025, 3),
    ];
    let run = |quarter: u64| {
        let mut c = Counts::new(periods.clone(), 1, 2);
        for (p, v) in [20, 3, 25, quarter].into_iter().enumerate() {
            c.set(p, 0, 0, Some(v + 100));
            c.set(p, 0, 1, Some(v));
        }
        run(&c, &[None], &Privacy::default()).0
    };
    // New cases add up over time: 48 − 20 − 25 would give the 3 away.
    let flow = run(48);
    assert_eq!(flow.count(1, 0, 1), Count::Suppressed);
    assert_eq!(flow.count(0, 0, 1), Count::Suppressed);
    // Patients registered at the quarter's end are no sum of months.
    let stock = run(30);
    assert_eq!(stock.count(1, 0, 1), Count::Suppressed);
    assert_eq!(stock.count(0, 0, 1), Count::Published(20));
}

#[test]
fn a_rate_whose_parts_differ_by_a_small_count_hides_its_numerator() {
    // 14 registered and 13 managed would show one unmanaged patient.
    let (c, parents) = counts(&[(14, 13), (200, 150), (210, 160)]);
    let (f, audit) = run(&c, &parents, &Privacy::default());
    assert_eq!(f.count(0, 1, 0), Count::Published(14));
    assert_eq!(f.count(0, 1, 1), Count::Suppressed);
    assert!(audit.iter().any(|s| s.area == 1
        && s.reason
            == Reason::Secondary {
                relation: Relation::Complement { indicator: 0 }
            }));
}

#[test]
fn a_lone_child_hides_its_parent_and_small_denominators_hide_rates() {
    let (c, parents) = counts(&[(12, 3)]);
    let (f, _) = run(&c, &parents, &Privacy::default());
    assert_eq!(f.count(0, 1, 1), Count::Suppressed);
    assert_eq!(f.count(0, 0, 1), Count::Suppressed);
    // 12 registered is published but below min_denominator 20.
    assert_eq!(f.count(0, 1, 0), Count::Published(12));
    assert_eq!(f.rate(0, 1, 0), Rate::Suppressed);
}

#[test]
fn rounds_published_counts_and_suppresses_zero_when_asked() {
    let (c, parents) = counts(&[(212, 0), (38, 30)]);
    let privacy = Privacy {
        round_to: Some(5),
        suppress_zero: true,
        ..Privacy::default()
    };
    let (f, _) = run(&c, &parents, &privacy);
    assert_eq!(f.count(0, 1, 0), Count::Published(210));
    assert_eq!(f.count(0, 2, 0), Count::Published(40));
    assert_eq!(f.count(0, 1, 1), Count::Suppressed);
    // The zero's sibling goes with it.
    assert_eq!(f.count(0, 2, 1), Count::Suppressed);
}

#[test]
fn rounding_never_publishes_a_count_below_the_threshold() {
    let privacy = |round_to, min_count| Privacy {
        round_to: Some(round_to),
        min_count,
        ..Privacy::default()
    };
    assert_eq!(published_count(10, &privacy(3, 10)), 12, "not 9");
    assert_eq!(published_count(11, &privacy(3, 10)), 12);
    assert_eq!(published_count(7, &privacy(5, 7)), 10, "not 5");
    assert_eq!(published_count(12, &privacy(5, 5)), 10);
    assert_eq!(published_count(1, &privacy(5, 1)), 5, "never 0");
    assert_eq!(published_count(0, &privacy(5, 5)), 0);
}

/// The smallest case of the review: county 190/153/140, 乙 50/–/50,
/// 丙 110/100/90 (registered/managed/standard). Secondary suppression hides
/// 乙's managed beside 甲's 3; but 50 ≤ 乙 ≤ 50 pins it, and 甲 = 153 − 100 − 50.
#[test]
fn the_audit_protects_a_count_that_its_row_pins() {
    let measure = |id: &str| Measure {
        id: id.into(),
        name: id.into(),
        description: None,
        aggregation: None,
        within: None,
    };
    let mut definitions = definitions();
    definitions.measures.push(measure("standard_managed"));
    let mut c = Counts::new(vec![Period::Quarter(2025, 3)], 4, 3);
    for (a, row) in [[190, 153, 140], [30, 3, 0], [50, 50, 50], [110, 100, 90]]
        .into_iter()
        .enumerate()
    {
        for (m, v) in row.into_iter().enumerate() {
            c.set(0, a, m, Some(v));
        }
    }
    let parents = [None, Some(0), Some(0), Some(0)];
    let protected = apply(&c, &definitions, &parents, &Privacy::default());
    let f = &protected.figures;
    assert_eq!(f.count(0, 1, 1), Count::Suppressed);
    assert_eq!(f.count(0, 2, 1), Count::Suppressed);
    // 乙's managed is no longer pinned between two published 50s.
    assert!(
        f.count(0, 2, 0) == Count::Suppressed || f.count(0, 2, 2) == Count::Suppressed,
        "{f:?}"
    );
    assert!(protected.summary.hidden > 0);
    assert!(
        protected
            .suppressions
            .iter()
            .all(|s| s.range.is_none_or(|r| r.width().is_none_or(|w| w >= 4))),
        "{:?}",
        protected.suppressions
    );
}

/// A stock's year is its Q4: a count withheld in Q4 and published in the
/// year would give it back, so it is withheld there too.
#[test]
fn a_year_end_stock_is_withheld_with_its_fourth_quarter() {
    let periods = vec![Period::Quarter(2025, 4), Period::Year(2025)];
    let mut c = Counts::new(periods, 1, 2);
    for p in 0..2 {
        c.set(p, 0, 0, Some(40));
        c.set(p, 0, 1, Some(3));
    }
    let (f, _) = run(&c, &[None], &Privacy::default());
    assert_eq!(f.count(0, 0, 1), Count::Suppressed);
    assert_eq!(f.count(1, 0, 1), Count::Suppressed);
}

//! Disclosure control: the true counts in, only what may be published out.
//!
//! - primary: a count in 1..`min_count`−1 (and 0 under `suppress_zero`);
//! - secondary: counts are tied by additive relations, and no relation may
//!   let a hidden count be worked out:
//!   - an area and the areas under it (the parent is the sum of its children;
//!     a child with no figure is unknown to readers too);
//!   - a period and the periods in it, for a measure whose figures add up
//!     (a quarter that is exactly the sum of its three months: a flow such as
//!     new cases, not a stock such as registered patients);
//!   - a rate's denominator and numerator: their difference is a count of its
//!     own (registered − managed = unmanaged patients), never published but
//!     readable from the two.
//!
//!   A published total with exactly one hidden part gives that part away; so
//!   does a total whose hidden parts add up to less than `min_count` (two
//!   hidden parts adding up to 2 are both 1). Then the smallest other
//!   published part is hidden too, preferring a non-zero one (a hidden zero
//!   adds nothing to the unknown total), or the total when there is none. A
//!   hidden total whose parts are all published is found by adding them up:
//!   its smallest part is hidden. This repeats until nothing changes, since
//!   each new suppression can break another relation;
//! - rates: suppressed when a part is suppressed or the (true) denominator is
//!   below `min_denominator`; rounded half-up;
//! - `round_to`: published counts rounded to a base (a count that is not zero
//!   never rounds to zero), and rates computed from the rounded counts, so a
//!   rate cannot give back the count rounding hid (a population is exact).
//!
//! The result holds no unsuppressed value; the audit of what was hidden and
//! why is kept beside it for `anxin check` and never rendered.

use super::counts::Counts;
use super::definitions::{Definitions, Denominator};
use crate::config::Privacy;

/// A count as it may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// No figure was given (or could be added up).
    Missing,
    Suppressed,
    /// The count, rounded to `round_to` when that is set.
    Published(u64),
}

/// A rate as it may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    Missing,
    Suppressed,
    Published {
        /// The rate in its unit times 10^decimals, rounded half-up.
        scaled: u64,
        /// The published numerator and denominator (rounded like every
        /// published count; a population is published as it is).
        numerator: u64,
        denominator: u64,
    },
}

/// Why a figure was suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A count in 1..min_count−1.
    SmallCount,
    /// A zero, under `suppress_zero`.
    Zero,
    /// Hidden so that no count of `relation` can be worked out from the others.
    Secondary { relation: Relation },
    /// A rate whose numerator or denominator is suppressed.
    RatePart,
    /// A rate whose denominator is below `min_denominator`.
    SmallDenominator,
}

impl Reason {
    /// One line for the audit `anxin check` prints.
    pub fn describe(self, privacy: &Privacy, area_id: &dyn Fn(usize) -> String) -> String {
        match self {
            Reason::SmallCount => format!("primary: a count below {}", privacy.min_count),
            Reason::Zero => "primary: a zero (suppress_zero = true)".into(),
            Reason::Secondary {
                relation: Relation::Areas { parent },
            } => format!(
                "secondary: so that no count of `{}` and the areas under it can be worked out from the others",
                area_id(parent)
            ),
            Reason::Secondary {
                relation: Relation::Periods { .. },
            } => "secondary: so that no count of this period and the periods within it can be worked out from the others".into(),
            Reason::Secondary {
                relation: Relation::Complement { .. },
            } => format!(
                "secondary: the rate's denominator minus its numerator would be a count below {}",
                privacy.min_count
            ),
            Reason::RatePart => "rate rule: its numerator or denominator is suppressed".into(),
            Reason::SmallDenominator => {
                format!(
                    "rate rule: its denominator is below {}",
                    privacy.min_denominator
                )
            }
        }
    }
}

/// An additive relation between counts of one measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// An area (by index) is the sum of the areas under it.
    Areas { parent: usize },
    /// A period (by index) is the sum of the periods within it.
    Periods { total: usize },
    /// An indicator's (by index) denominator is its numerator plus the
    /// count it leaves out.
    Complement { indicator: usize },
}

/// A total and its parts, as places in the dense table of states.
struct Tie {
    relation: Relation,
    total: usize,
    parts: Vec<usize>,
    /// Parts that are never published at all (a rate's complement).
    implicit: usize,
}

/// What a figure is: a measure's count or an indicator's rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKind {
    Measure(usize),
    Indicator(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suppression {
    pub period: usize,
    pub area: usize,
    pub figure: FigureKind,
    pub reason: Reason,
}

/// The published figures, dense like [`Counts`]: `[period][area][measure]`
/// and `[period][area][indicator]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub area_count: usize,
    pub measure_count: usize,
    pub indicator_count: usize,
    pub period_count: usize,
    counts: Vec<Count>,
    rates: Vec<Rate>,
}

impl Figures {
    pub fn count(&self, period: usize, area: usize, measure: usize) -> Count {
        self.counts[(period * self.area_count + area) * self.measure_count + measure]
    }

    pub fn rate(&self, period: usize, area: usize, indicator: usize) -> Rate {
        self.rates[(period * self.area_count + area) * self.indicator_count + indicator]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Missing,
    Published(u64),
    Suppressed(Reason),
}

/// Applies disclosure control. `parents[a]` is the parent of area `a`.
pub fn apply(
    counts: &Counts,
    definitions: &Definitions,
    parents: &[Option<usize>],
    privacy: &Privacy,
) -> (Figures, Vec<Suppression>) {
    let (areas, measures) = (counts.area_count, counts.measure_count);
    let periods = counts.periods.len();
    let index = |p: usize, a: usize, m: usize| (p * areas + a) * measures + m;

    let mut states = Vec::with_capacity(periods * areas * measures);
    for p in 0..periods {
        for a in 0..areas {
            for m in 0..measures {
                states.push(match counts.get(p, a, m) {
                    None => State::Missing,
                    Some(0) if privacy.suppress_zero => State::Suppressed(Reason::Zero),
                    Some(v) if v > 0 && v < privacy.min_count => {
                        State::Suppressed(Reason::SmallCount)
                    }
                    Some(v) => State::Published(v),
                });
            }
        }
    }

    let ties = ties(counts, definitions, parents, index);
    let value = |i: usize| counts.get(i / (areas * measures), (i / measures) % areas, i % measures);
    loop {
        let mut changed = false;
        for tie in &ties {
            let hidden = |i: usize| matches!(states[i], State::Suppressed(_));
            if matches!(states[tie.total], State::Missing) {
                continue;
            }
            let published: Vec<usize> = tie
                .parts
                .iter()
                .copied()
                .filter(|&i| matches!(states[i], State::Published(_)))
                .collect();
            let hidden_parts = tie.parts.iter().filter(|&&i| hidden(i)).count();
            let unknown = tie.parts.len() - published.len() + tie.implicit;
            let gives_away = if hidden(tie.total) {
                // The parts add up to it.
                unknown == 0
            } else {
                let total = value(tie.total).unwrap_or(0);
                let known: u64 = published.iter().map(|&i| value(i).unwrap_or(0)).sum();
                let left = total.saturating_sub(known);
                match unknown {
                    0 => false,
                    1 if hidden_parts == 1 => true,
                    _ => left > 0 && left < privacy.min_count,
                }
            };
            if !gives_away {
                continue;
            }
            let partner = published
                .iter()
                .map(|&i| (value(i) == Some(0), value(i).unwrap_or(0), i))
                .min()
                .map(|(_, _, i)| i);
            let hide = match partner {
                Some(i) => i,
                None if !hidden(tie.total) => tie.total,
                None => continue,
            };
            states[hide] = State::Suppressed(Reason::Secondary {
                relation: tie.relation,
            });
            changed = true;
        }
        if !changed {
            break;
        }
    }

    let mut audit = Vec::new();
    let published_count = |v: u64| match privacy.round_to {
        Some(base) if base > 1 && v > 0 => (v.saturating_add(base / 2) / base * base).max(base),
        _ => v,
    };
    let mut published = Vec::with_capacity(states.len());
    for (i, state) in states.iter().enumerate() {
        published.push(match *state {
            State::Missing => Count::Missing,
            State::Published(v) => Count::Published(published_count(v)),
            State::Suppressed(reason) => {
                let (p, rest) = (i / (areas * measures), i % (areas * measures));
                audit.push(Suppression {
                    period: p,
                    area: rest / measures,
                    figure: FigureKind::Measure(rest % measures),
                    reason,
                });
                Count::Suppressed
            }
        });
    }

    let indicators = definitions.indicators.len();
    let mut rates = Vec::with_capacity(periods * areas * indicators);
    for p in 0..periods {
        for a in 0..areas {
            for (k, indicator) in definitions.indicators.iter().enumerate() {
                let numerator = states[index(p, a, indicator.numerator)];
                let (denominator, is_population) = match indicator.denominator {
                    Denominator::Measure(d) => (states[index(p, a, d)], false),
                    // A population is public: never suppressed, never rounded.
                    Denominator::Population => (
                        counts
                            .population(p, a)
                            .map_or(State::Missing, State::Published),
                        true,
                    ),
                };
                let rate = match (numerator, denominator) {
                    (State::Missing, _) | (_, State::Missing) => Rate::Missing,
                    (State::Suppressed(_), _) | (_, State::Suppressed(_)) => {
                        Rate::Suppressed.audited(&mut audit, p, a, k, Reason::RatePart)
                    }
                    (State::Published(_), State::Published(d)) if d < privacy.min_denominator => {
                        Rate::Suppressed.audited(&mut audit, p, a, k, Reason::SmallDenominator)
                    }
                    (State::Published(_), State::Published(0)) => Rate::Missing,
                    (State::Published(n), State::Published(d)) => {
                        let (n, d) = (
                            published_count(n),
                            if is_population { d } else { published_count(d) },
                        );
                        Rate::Published {
                            scaled: scaled_rate(n, d, indicator.unit.factor(), indicator.decimals),
                            numerator: n,
                            denominator: d,
                        }
                    }
                };
                rates.push(rate);
            }
        }
    }
    audit.sort_by_key(|s| {
        (
            s.period,
            s.area,
            matches!(s.figure, FigureKind::Indicator(_)),
        )
    });
    (
        Figures {
            area_count: areas,
            measure_count: measures,
            indicator_count: indicators,
            period_count: periods,
            counts: published,
            rates,
        },
        audit,
    )
}

/// Every additive relation of the data.
fn ties(
    counts: &Counts,
    definitions: &Definitions,
    parents: &[Option<usize>],
    index: impl Fn(usize, usize, usize) -> usize,
) -> Vec<Tie> {
    let (areas, measures) = (counts.area_count, counts.measure_count);
    let periods = &counts.periods;
    let mut ties = Vec::new();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); areas];
    for (a, parent) in parents.iter().enumerate() {
        if let Some(p) = parent {
            children[*p].push(a);
        }
    }
    for p in 0..periods.len() {
        for m in 0..measures {
            for (parent, kids) in children.iter().enumerate().filter(|(_, k)| !k.is_empty()) {
                ties.push(Tie {
                    relation: Relation::Areas { parent },
                    total: index(p, parent, m),
                    parts: kids.iter().map(|&c| index(p, c, m)).collect(),
                    implicit: 0,
                });
            }
        }
    }
    // A period and the periods of one finer kind that tile it, where the
    // figures show the measure adds up over time.
    for (t, total) in periods.iter().enumerate() {
        for rank in 0..total.kind_rank() {
            let within: Vec<usize> = (0..periods.len())
                .filter(|&q| periods[q].kind_rank() == rank && total.contains(&periods[q]))
                .collect();
            let months = |q: &super::period::Period| {
                let ((y1, m1), (y2, m2)) = (q.start_month(), q.end_month());
                (y2 as u32 * 12 + m2 as u32) - (y1 as u32 * 12 + m1 as u32) + 1
            };
            let covered: u32 = within.iter().map(|&q| months(&periods[q])).sum();
            if within.is_empty() || covered != months(total) {
                continue;
            }
            for a in 0..areas {
                for m in 0..measures {
                    let sum: Option<u64> = within.iter().map(|&q| counts.get(q, a, m)).sum();
                    if sum.is_some() && sum == counts.get(t, a, m) {
                        ties.push(Tie {
                            relation: Relation::Periods { total: t },
                            total: index(t, a, m),
                            parts: within.iter().map(|&q| index(q, a, m)).collect(),
                            implicit: 0,
                        });
                    }
                }
            }
        }
    }
    for (k, indicator) in definitions.indicators.iter().enumerate() {
        let Denominator::Measure(d) = indicator.denominator else {
            continue;
        };
        for p in 0..periods.len() {
            for a in 0..areas {
                ties.push(Tie {
                    relation: Relation::Complement { indicator: k },
                    total: index(p, a, d),
                    parts: vec![index(p, a, indicator.numerator)],
                    implicit: 1,
                });
            }
        }
    }
    ties
}

impl Rate {
    fn audited(
        self,
        audit: &mut Vec<Suppression>,
        period: usize,
        area: usize,
        indicator: usize,
        reason: Reason,
    ) -> Rate {
        audit.push(Suppression {
            period,
            area,
            figure: FigureKind::Indicator(indicator),
            reason,
        });
        self
    }
}

/// `numerator / denominator × factor`, times 10^decimals, rounded half-up,
/// in integers so that 0.125 at 2 decimals is always 0.13.
pub fn scaled_rate(numerator: u64, denominator: u64, factor: u64, decimals: u32) -> u64 {
    let scale = 10u128.pow(decimals);
    let n = numerator as u128 * factor as u128 * scale;
    let d = denominator as u128;
    let rounded = (2 * n + d) / (2 * d);
    u64::try_from(rounded).unwrap_or(u64::MAX)
}

/// A scaled rate written with its decimals: `9575, 2` → `95.75`.
pub fn format_scaled(scaled: u64, decimals: u32) -> String {
    if decimals == 0 {
        return scaled.to_string();
    }
    let scale = 10u64.pow(decimals);
    format!(
        "{}.{:0width$}",
        scaled / scale,
        scaled % scale,
        width = decimals as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::indicators::definitions::{Indicator, Measure, Unit};
    use crate::data::indicators::period::Period;

    fn definitions() -> Definitions {
        let measure = |id: &str| Measure {
            id: id.into(),
            name: id.into(),
            description: None,
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
        let (f, audit) = apply(&c, &definitions(), &parents, &Privacy::default());
        assert_eq!(f.count(0, 2, 1), Count::Suppressed);
        // The zero is not a useful partner: 30 is the next smallest non-zero.
        assert_eq!(f.count(0, 3, 1), Count::Suppressed);
        assert_eq!(f.count(0, 4, 1), Count::Published(0));
        assert_eq!(f.count(0, 0, 1), Count::Published(238));
        assert!(audit.contains(&Suppression {
            period: 0,
            area: 3,
            figure: FigureKind::Measure(1),
            reason: Reason::Secondary {
                relation: Relation::Areas { parent: 0 }
            }
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
        let (f, _) = apply(&c, &definitions(), &parents, &Privacy::default());
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
        let (f, _) = apply(&c, &definitions(), &parents, &Privacy::default());
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
            apply(&c, &definitions(), &[None], &Privacy::default()).0
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
        let (f, audit) = apply(&c, &definitions(), &parents, &Privacy::default());
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
        let (f, _) = apply(&c, &definitions(), &parents, &Privacy::default());
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
        let (f, _) = apply(&c, &definitions(), &parents, &privacy);
        assert_eq!(f.count(0, 1, 0), Count::Published(210));
        assert_eq!(f.count(0, 2, 0), Count::Published(40));
        assert_eq!(f.count(0, 1, 1), Count::Suppressed);
        // The zero's sibling goes with it.
        assert_eq!(f.count(0, 2, 1), Count::Suppressed);
    }
}

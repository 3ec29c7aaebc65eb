//! Disclosure control: the true counts in, only what may be published out.
//!
//! - primary: a count in 1..`min_count`−1 (and 0 under `suppress_zero`);
//! - secondary: a parent and its children (parent = Σ children) never have
//!   exactly one suppressed count among them, since it could be recovered by
//!   adding or subtracting the others. With one hidden child, the smallest
//!   other published child is hidden too, preferring a non-zero one (hiding a
//!   zero beside a small count protects little), or the parent when there is
//!   none; with only the parent hidden (say, as another family's partner), its
//!   smallest child is. Repeated over every period and measure until nothing
//!   changes, since each new suppression can leave another family, above or
//!   below, with one;
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
    /// Hidden so that the suppressed count of `protects` (an area index)
    /// cannot be recovered by subtraction from the parent's total.
    Secondary { protects: usize },
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
            Reason::Secondary { protects } => format!(
                "secondary: protects the suppressed count of `{}` from subtraction",
                area_id(protects)
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

    let mut children: Vec<Vec<usize>> = vec![Vec::new(); areas];
    for (a, parent) in parents.iter().enumerate() {
        if let Some(p) = parent {
            children[*p].push(a);
        }
    }
    let families: Vec<(usize, &Vec<usize>)> = children
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .collect();
    loop {
        let mut changed = false;
        for p in 0..periods {
            for m in 0..measures {
                for &(parent, kids) in &families {
                    // parent = Σ children: with exactly one of them hidden,
                    // it is recovered by adding or subtracting the others.
                    let is_hidden =
                        |a: usize| matches!(states[index(p, a, m)], State::Suppressed(_));
                    let parent_hidden = is_hidden(parent);
                    if matches!(states[index(p, parent, m)], State::Missing) {
                        continue;
                    }
                    let mut hidden_kids = kids.iter().copied().filter(|&c| is_hidden(c));
                    let lone = match (parent_hidden, hidden_kids.next(), hidden_kids.next()) {
                        (false, Some(child), None) => child,
                        (true, None, _) => parent,
                        _ => continue,
                    };
                    let next = kids
                        .iter()
                        .filter_map(|&c| match states[index(p, c, m)] {
                            State::Published(v) => Some((v == 0, v, c)),
                            _ => None,
                        })
                        .min();
                    let hide = match next {
                        Some((_, _, c)) => c,
                        None if !parent_hidden => parent,
                        // A hidden parent whose children all lack a figure
                        // cannot be recovered from them.
                        None => continue,
                    };
                    states[index(p, hide, m)] =
                        State::Suppressed(Reason::Secondary { protects: lone });
                    changed = true;
                }
            }
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
        let (c, parents) = counts(&[(212, 205), (30, 3), (25, 24), (0, 0)]);
        let (f, audit) = apply(&c, &definitions(), &parents, &Privacy::default());
        assert_eq!(f.count(0, 2, 1), Count::Suppressed);
        // The zero is not a useful partner: 24 is the next smallest non-zero.
        assert_eq!(f.count(0, 3, 1), Count::Suppressed);
        assert_eq!(f.count(0, 4, 1), Count::Published(0));
        assert_eq!(f.count(0, 0, 1), Count::Published(232));
        assert!(audit.contains(&Suppression {
            period: 0,
            area: 3,
            figure: FigureKind::Measure(1),
            reason: Reason::Secondary { protects: 2 }
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
        let (c, parents) = counts(&[(212, 0), (38, 36)]);
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

//! Disclosure control: the true counts in, only what may be published out.
//!
//! 1. primary: a count in 1..`min_count`−1 (and 0 under `suppress_zero`);
//! 2. secondary ([`secondary`]): no sum a reader knows ([`knowledge`]) may
//!    give a hidden count away by subtraction;
//! 3. the audit ([`audit`]): for every hidden count, and for every small
//!    difference of two counts (registered − managed), the range a reader
//!    can work out by linear programming from everything published must
//!    hold `[privacy] protection` whole numbers; more is hidden until it does;
//! 4. rates: suppressed when a part is suppressed or the (true) denominator
//!    is below `min_denominator`; rounded half-up;
//! 5. `round_to`: published counts rounded to a base, never into
//!    1..`min_count`−1 (a count that is not zero never rounds to zero), and
//!    rates computed from the rounded counts, so a rate cannot give back the
//!    count rounding hid (a population is exact).
//!
//! The result holds no unsuppressed value; the audit of what was hidden and
//! why is kept beside it for `anxin check` and never rendered.

pub mod audit;
pub mod knowledge;
mod secondary;
mod simplex;

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
    /// Hidden by the audit, so that the range a reader can work out for a
    /// hidden figure, or a small difference of two, stays wide.
    Audit,
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
            Reason::Audit => format!(
                "audit: so that no hidden figure, nor a difference of two counts, can be narrowed to fewer than {} values",
                privacy.protection()
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
    /// A period (by index) is the sum of the periods within it, or equal to
    /// the last of them (a stock's year and its Q4).
    Periods { total: usize },
    /// An indicator's (by index) denominator is its numerator plus the
    /// count it leaves out.
    Complement { indicator: usize },
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
    /// For a count: the whole numbers a reader can narrow it to, by the
    /// audit's last look. Never published.
    pub range: Option<audit::Range>,
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

/// What the audit did, for the build's summary line and its warnings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditSummary {
    /// Counts hidden by the audit beyond secondary suppression.
    pub hidden: usize,
    pub elapsed: std::time::Duration,
    /// Linear programs solved.
    pub solves: usize,
    /// Figures the audit could not protect: nothing was left to hide.
    pub unprotected: Vec<Place>,
    /// A top area's total hidden to protect a figure: (total, figure).
    pub top_totals: Vec<(Place, Place)>,
}

/// A count, or the difference of two counts of one area and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub period: usize,
    pub area: usize,
    pub measure: usize,
    /// The measure subtracted, for a difference.
    pub minus: Option<usize>,
}

/// Everything disclosure control hands on.
#[derive(Debug, Clone, PartialEq)]
pub struct Protected {
    pub figures: Figures,
    /// Every suppressed figure and why.
    pub suppressions: Vec<Suppression>,
    pub summary: AuditSummary,
}

/// Applies disclosure control. `parents[a]` is the parent of area `a`.
pub fn apply(
    counts: &Counts,
    definitions: &Definitions,
    parents: &[Option<usize>],
    privacy: &Privacy,
) -> Protected {
    let (areas, measures) = (counts.area_count, counts.measure_count);
    let periods = counts.periods.len();
    let index = |p: usize, a: usize, m: usize| (p * areas + a) * measures + m;
    let place = |cell: u32, minus: Option<u32>| {
        let cell = cell as usize;
        Place {
            period: cell / (areas * measures),
            area: (cell / measures) % areas,
            measure: cell % measures,
            minus: minus.map(|m| m as usize % measures),
        }
    };
    let values = counts.values();

    let mut states: Vec<State> = values
        .iter()
        .map(|v| match *v {
            None => State::Missing,
            Some(v) if privacy.is_small(v) => State::Suppressed(if v == 0 {
                Reason::Zero
            } else {
                Reason::SmallCount
            }),
            Some(v) => State::Published(v),
        })
        .collect();

    let knowledge = knowledge::knowledge(counts, definitions, parents);
    let mut complements = Vec::new();
    let mut differences = Vec::new();
    for (k, indicator) in definitions.indicators.iter().enumerate() {
        if let Denominator::Measure(d) = indicator.denominator
            && d != indicator.numerator
        {
            for p in 0..periods {
                for a in 0..areas {
                    complements.push((index(p, a, d), index(p, a, indicator.numerator), k));
                }
            }
        }
    }
    if privacy.protect_complements {
        let mut pairs: Vec<(usize, usize)> = complements
            .iter()
            .map(|&(d, n, _)| (d % measures, n % measures))
            .collect();
        for (m, measure) in definitions.measures.iter().enumerate() {
            if let Some(w) = measure.within {
                pairs.push((w, m));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        for (large, small) in pairs {
            for p in 0..periods {
                for a in 0..areas {
                    differences.push((index(p, a, large) as u32, index(p, a, small) as u32));
                }
            }
        }
    }
    secondary::apply(&knowledge, &complements, values, &mut states, privacy);

    let started = std::time::Instant::now();
    let is_top = |cell: usize| parents[(cell / measures) % areas].is_none();
    let outcome = audit::run(
        &audit::Input {
            knowledge: &knowledge,
            values,
            differences: &differences,
            is_top: &is_top,
            privacy,
        },
        &mut states,
    );
    let summary = AuditSummary {
        hidden: outcome.hidden,
        elapsed: started.elapsed(),
        solves: outcome.solves,
        unprotected: outcome
            .unprotected
            .iter()
            .map(|t| place(t.plus, t.minus))
            .collect(),
        top_totals: outcome
            .top_totals
            .iter()
            .map(|(cell, t)| (place(*cell, None), place(t.plus, t.minus)))
            .collect(),
    };

    let mut audit = Vec::new();
    let mut published = Vec::with_capacity(states.len());
    for (i, state) in states.iter().enumerate() {
        published.push(match *state {
            State::Missing => Count::Missing,
            State::Published(v) => Count::Published(published_count(v, privacy)),
            State::Suppressed(reason) => {
                let (p, rest) = (i / (areas * measures), i % (areas * measures));
                audit.push(Suppression {
                    period: p,
                    area: rest / measures,
                    figure: FigureKind::Measure(rest % measures),
                    reason,
                    range: outcome.ranges.get(&(i as u32)).copied(),
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
                            published_count(n, privacy),
                            if is_population {
                                d
                            } else {
                                published_count(d, privacy)
                            },
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
    Protected {
        figures: Figures {
            area_count: areas,
            measure_count: measures,
            indicator_count: indicators,
            period_count: periods,
            counts: published,
            rates,
        },
        suppressions: audit,
        summary,
    }
}

/// A count as published: rounded to `round_to` (half up), but never to 0
/// and never into 1..min_count−1, where it would read as a small count and,
/// with the counts around it hidden, give the true count back: with base 3
/// and min_count 10, 10 is published as 12, not 9.
pub fn published_count(v: u64, privacy: &Privacy) -> u64 {
    match privacy.round_to {
        Some(base) if base > 1 && v > 0 => {
            let rounded = (v.saturating_add(base / 2) / base * base).max(base);
            if rounded < privacy.min_count && v >= privacy.min_count {
                privacy.min_count.div_ceil(base) * base
            } else {
                rounded
            }
        }
        _ => v,
    }
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
            range: None,
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
mod tests;

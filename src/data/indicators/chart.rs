//! Charts as SVG, drawn at build time: a line chart of a trend and a
//! horizontal bar chart of a ranking.
//!
//! Pure functions of a [`Chart`]: no I/O, no JavaScript, and the same chart
//! always gives the same bytes. Colours come only from CSS classes (the
//! `charts` block of the theme's `style.css`); sizes are in the units of a
//! `viewBox` 560 wide, so the picture scales with the column it is put in.
//!
//! What is drawn is read from [`ChartPoint::value`] alone; what is written is
//! [`ChartPoint::display`] as the caller formatted it (`"95.75%"`, `"<5"`,
//! `"—"`). A point without a finite value is a gap: no line runs across it,
//! no bar is drawn for it, and its `display` stands where it would have been.
//!
//! Each chart carries its text alternative: `<title>` (the chart's title) and
//! `<desc>` (the one sentence of [`trend_summary`] / [`ranking_summary`]),
//! named by `aria-labelledby` on an `<svg role="img">`.

use crate::html::escape;
use std::fmt::Write;

/// One value of a chart: a period of a trend or an area of a ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    /// "2025年第3季度" or "城关镇" (already human-readable).
    pub label: String,
    /// `None` when the figure is suppressed or missing; NaN and infinities
    /// are taken as missing too.
    pub value: Option<f64>,
    /// How the value is written, e.g. "95.75%", "4.64‰", "<5" (suppressed),
    /// "—" (missing).
    pub display: String,
}

/// A trend (points in chronological order) or a ranking (rows in the order
/// they are to be shown; the caller sorts).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Id fragment, unique on the page, e.g. "trend-management_rate". The
    /// ids of the SVG are `chart-{id}-title` and `chart-{id}-desc`
    /// (characters other than ASCII letters, digits, `-` and `_` become `-`).
    pub id: String,
    /// E.g. "规范管理率趋势（示例县）": the `<title>` of the SVG.
    pub title: String,
    /// The indicator's name, e.g. "规范管理率", for the summary sentence and
    /// the legend.
    pub name: String,
    /// The period a ranking is of, e.g. "2025年第4季度", for its summary
    /// sentence. Not used by the trend (its periods are the points' labels).
    pub period: Option<String>,
    /// "%", "‰" or "/10万": the unit written on the axis labels.
    pub unit_symbol: String,
    pub points: Vec<ChartPoint>,
    /// Target line (trend) / target marker (ranking).
    pub target: Option<f64>,
    /// E.g. "80.00%". When `None` while there is a target, the target is
    /// written with two decimals and `unit_symbol`.
    pub target_display: Option<String>,
    pub higher_is_better: bool,
    /// "zh-CN", "en", ...: the language of the summary sentence and of the
    /// few words drawn ("目标" / "Target"); Chinese for any tag starting "zh".
    pub lang: String,
}

impl ChartPoint {
    fn finite(&self) -> Option<f64> {
        self.value.filter(|v| v.is_finite())
    }
}

/* ---------------------------------------------------------------- layout */

/// Width of every chart in viewBox units: a little narrower than the column
/// of a laptop, so the text is not too small on a 360px phone, where the
/// chart shrinks to about 0.58 of these units (18 → 10.4px).
const WIDTH: f64 = 560.0;
/// Font size of the text in viewBox units.
const FONT: f64 = 18.0;
/// Smaller text where room is short (two-line area names, gaps' words).
const FONT_SMALL: f64 = 16.0;
/// Period labels under the trend.
const X_FONT: f64 = FONT;
/// Offset from a line's y to the baseline of text centred on it.
const MID: f64 = 6.0;
/// Widest period label on one line before the labels are wrapped.
const X_LABEL_MAX: f64 = 5.0 * X_FONT;
/// Widest line of a period label: longer ones are cut with "…".
const X_LINE_MAX: f64 = 7.0 * X_FONT;

fn is_zh(lang: &str) -> bool {
    lang.trim().to_ascii_lowercase().starts_with("zh")
}

impl Chart {
    fn zh(&self) -> bool {
        is_zh(&self.lang)
    }

    fn target_value(&self) -> Option<f64> {
        self.target.filter(|t| t.is_finite())
    }

    fn target_text(&self) -> Option<String> {
        let t = self.target_value()?;
        Some(match &self.target_display {
            Some(d) if !d.trim().is_empty() => d.trim().to_string(),
            _ => format!("{}{}", fmt_fixed(t, 2), self.unit_symbol),
        })
    }

    fn target_label(&self) -> Option<String> {
        let text = self.target_text()?;
        Some(if self.zh() {
            format!("目标 {text}")
        } else {
            format!("Target {text}")
        })
    }

    fn meets(&self, value: f64, target: f64) -> bool {
        if self.higher_is_better {
            value >= target
        } else {
            value <= target
        }
    }
}

/// Rough width of `text` drawn at `size`: Han characters and other wide
/// characters one em, ASCII about half. Errs on the wide side.
fn text_width(text: &str, size: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'i' | 'l' | 'j' => 0.3,
            ' ' => 0.3,
            '%' => 0.9,
            'M' | 'W' | 'm' | 'w' => 0.85,
            'A'..='Z' => 0.68,
            '0'..='9' => 0.58,
            c if c.is_ascii() => 0.56,
            _ => 1.0,
        })
        .sum();
    ems * size
}

/// A coordinate, written with at most one decimal and never as `-0`.
fn num(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let s = format!("{:.1}", x);
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    if s == "-0" { "0".to_string() } else { s }
}

fn fmt_fixed(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x);
    // "-0", "-0.0": a negative zero after rounding.
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// The fragment used in ids: ASCII letters, digits, `-` and `_`.
fn id_fragment(id: &str) -> String {
    let frag: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if frag.is_empty() {
        "chart".to_string()
    } else {
        frag
    }
}

/// An axis: from `lo` to `lo + intervals * step`, one gridline a step.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scale {
    lo: f64,
    step: f64,
    intervals: usize,
    /// False when there was nothing to scale: the gridlines carry no numbers.
    labelled: bool,
}

impl Scale {
    const EMPTY: Scale = Scale {
        lo: 0.0,
        step: 0.25,
        intervals: 4,
        labelled: false,
    };

    fn hi(&self) -> f64 {
        self.lo + self.step * self.intervals as f64
    }

    fn ticks(&self) -> Vec<f64> {
        (0..=self.intervals)
            .map(|i| self.lo + self.step * i as f64)
            .collect()
    }

    /// Where `v` falls between 0 (at `lo`) and 1 (at `hi`), clamped.
    fn fraction(&self, v: f64) -> f64 {
        let span = self.hi() - self.lo;
        let f = (v - self.lo) / span;
        if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    fn decimals(&self) -> usize {
        (0..6)
            .find(|&d| {
                let scaled = self.step * 10f64.powi(d as i32);
                (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
            })
            .unwrap_or(6)
    }

    fn tick_label(&self, v: f64, unit: &str) -> String {
        format!("{}{}", fmt_fixed(v, self.decimals()), unit)
    }

    /// A nice axis over `values` and `target` with at most `max_intervals`
    /// gridline intervals. From 0 unless `truncate` and the values all lie
    /// far above 0 (the smallest above 70% of the largest), then from a
    /// round number below the smallest.
    fn nice(values: &[f64], target: Option<f64>, truncate: bool, max_intervals: usize) -> Scale {
        let all: Vec<f64> = values
            .iter()
            .copied()
            .chain(target)
            .filter(|v| v.is_finite())
            .collect();
        if all.is_empty() {
            return Scale::EMPTY;
        }
        let min = all.iter().copied().fold(f64::INFINITY, f64::min);
        let max = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (mut d0, mut d1) = if min >= 0.0 {
            if truncate && min > 0.0 && max > min && min > 0.7 * max {
                ((min - 0.05 * (max - min)).max(0.0), max)
            } else {
                (0.0, max)
            }
        } else {
            (min, max.max(0.0))
        };
        if d1 <= d0 {
            // All zero (or one negative value at 0): show 0 to 1.
            if d0 == 0.0 {
                d1 = 1.0;
            } else {
                d1 = 0.0;
                d0 = d0.min(-1.0);
            }
        }
        let max_intervals = max_intervals.max(1);
        let span = d1 - d0;
        let raw = span / max_intervals as f64;
        if !(raw.is_finite() && raw > 0.0) {
            return Scale::EMPTY;
        }
        let mag = 10f64.powf(raw.log10().floor());
        if !(mag.is_finite() && mag > 0.0) {
            return Scale::EMPTY;
        }
        for m in [1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0] {
            let step = m * mag;
            let lo = (d0 / step).floor() * step;
            let hi = (d1 / step).ceil() * step;
            let count = ((hi - lo) / step).round();
            if !(lo.is_finite() && hi.is_finite() && count.is_finite()) {
                return Scale::EMPTY;
            }
            if count >= 1.0 && count <= max_intervals as f64 {
                return Scale {
                    lo,
                    step,
                    intervals: count as usize,
                    labelled: true,
                };
            }
        }
        Scale::EMPTY
    }
}

/// Splits a period label over two lines where it is long, or where `force`
/// (some other label of the chart is long, and all are to look alike):
/// after "年" ("2025年" / "第3季度"); for a long label without one, at the
/// space nearest the middle, else in half.
fn wrap_label(label: &str, size: f64, max_width: f64, force: bool) -> Vec<String> {
    let label = label.trim();
    let fits = text_width(label, size) <= max_width;
    if fits && !force {
        return vec![label.to_string()];
    }
    if let Some(i) = label.find('年') {
        let cut = i + '年'.len_utf8();
        if cut < label.len() {
            return vec![label[..cut].to_string(), label[cut..].trim().to_string()];
        }
    }
    if fits {
        return vec![label.to_string()];
    }
    let chars: Vec<char> = label.chars().collect();
    let middle = chars.len() / 2;
    let space = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(middle));
    match space {
        Some(i) => vec![
            chars[..i].iter().collect::<String>().trim().to_string(),
            chars[i + 1..].iter().collect::<String>().trim().to_string(),
        ],
        None => vec![
            chars[..middle].iter().collect(),
            chars[middle..].iter().collect(),
        ],
    }
}

/// `text` cut with "…" to fit `max_width` at `size`.
fn ellipsize(text: &str, size: f64, max_width: f64) -> String {
    let text = text.trim();
    if text_width(text, size) <= max_width {
        return text.to_string();
    }
    let mut cut: String = text.chars().collect();
    while !cut.is_empty() && text_width(&cut, size) + text_width("…", size) > max_width {
        cut.pop();
    }
    cut.push('…');
    cut
}

/// Fits `text` into `max_width` at `size` on at most two lines, cutting it
/// with "…" beyond that.
fn fit_two_lines(text: &str, size: f64, max_width: f64) -> Vec<String> {
    let text = text.trim();
    if text_width(text, size) <= max_width {
        return vec![text.to_string()];
    }
    let mut lines = vec![String::new()];
    for c in text.chars() {
        let mut candidate = lines.last().cloned().unwrap_or_default();
        candidate.push(c);
        if text_width(&candidate, size) <= max_width || candidate.chars().count() == 1 {
            if let Some(last) = lines.last_mut() {
                *last = candidate;
            }
        } else if lines.len() < 2 {
            lines.push(c.to_string());
        } else {
            // Out of room: end the second line with an ellipsis.
            if let Some(last) = lines.last_mut() {
                while !last.is_empty() && text_width(&format!("{last}…"), size) > max_width {
                    last.pop();
                }
                last.push('…');
            }
            break;
        }
    }
    lines
}

/* ----------------------------------------------------------- svg writing */

macro_rules! w {
    ($out:expr, $($arg:tt)*) => {
        {
            let _ = write!($out, $($arg)*);
        }
    };
}

/// The opening of the `<svg>` with its title and description.
fn open_svg(out: &mut String, chart: &Chart, class: &str, height: f64, summary: &str) {
    let frag = id_fragment(&chart.id);
    let title_id = format!("chart-{frag}-title");
    let desc_id = format!("chart-{frag}-desc");
    w!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" role=\"img\" \
         aria-labelledby=\"{title_id} {desc_id}\" focusable=\"false\" \
         viewBox=\"0 0 {} {}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" \
         font-size=\"{}\"",
        num(WIDTH),
        num(height),
        num(FONT)
    );
    let lang = chart.lang.trim();
    if !lang.is_empty() {
        w!(out, " lang=\"{}\"", escape(lang));
    }
    out.push_str(">\n");
    w!(
        out,
        "<title id=\"{title_id}\">{}</title>\n",
        escape(chart.title.trim())
    );
    w!(out, "<desc id=\"{desc_id}\">{}</desc>\n", escape(summary));
}

fn text(out: &mut String, class: &str, x: f64, y: f64, anchor: &str, content: &str) {
    w!(
        out,
        "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>\n",
        num(x),
        num(y),
        escape(content)
    );
}

fn line(out: &mut String, class: &str, x1: f64, y1: f64, x2: f64, y2: f64) {
    w!(
        out,
        "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>\n",
        num(x1),
        num(y1),
        num(x2),
        num(y2),
        // Dashed even where the stylesheet is missing.
        if class == "chart-target" {
            " stroke-dasharray=\"8 6\""
        } else {
            ""
        }
    );
}

fn no_data(out: &mut String, chart: &Chart, y: f64) {
    let words = if chart.zh() {
        "暂无数据"
    } else {
        "No data"
    };
    text(
        out,
        "chart-label chart-suppressed",
        WIDTH / 2.0,
        y,
        "middle",
        words,
    );
}

/* ----------------------------------------------------------------- trend */

/// A line chart of `chart.points` in the order given (chronological).
pub fn trend_svg(chart: &Chart) -> String {
    let summary = trend_summary(chart);
    let values: Vec<Option<f64>> = chart.points.iter().map(ChartPoint::finite).collect();
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let target = chart.target_value();
    let unit = chart.unit_symbol.trim();
    let n = values.len();
    let mut out = String::with_capacity(4096 + 400 * n);

    if n == 0 {
        open_svg(&mut out, chart, "chart-trend", 80.0, &summary);
        no_data(&mut out, chart, 46.0);
        out.push_str("</svg>\n");
        return out;
    }

    let scale = Scale::nice(&present, target, true, 5);
    let truncated = scale.labelled && scale.lo > 0.0;
    let tick_labels: Vec<String> = scale
        .ticks()
        .iter()
        .map(|&t| {
            if scale.labelled {
                scale.tick_label(t, unit)
            } else {
                String::new()
            }
        })
        .collect();
    let tick_width = tick_labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max);

    // Period labels: one or two lines at the small size.
    let wrap_all = chart
        .points
        .iter()
        .any(|p| text_width(p.label.trim(), X_FONT) > X_LABEL_MAX);
    let x_labels: Vec<Vec<String>> = chart
        .points
        .iter()
        .map(|p| {
            wrap_label(&p.label, X_FONT, X_LABEL_MAX, wrap_all)
                .iter()
                .map(|l| ellipsize(l, X_FONT, X_LINE_MAX))
                .collect()
        })
        .collect();
    let x_label_width = x_labels
        .iter()
        .flatten()
        .map(|l| text_width(l, X_FONT))
        .fold(0.0, f64::max);
    let x_label_lines = x_labels.iter().map(Vec::len).max().unwrap_or(1).max(1);

    let left = (tick_width + 14.0).max(x_label_width / 2.0 + 4.0).max(40.0);
    let right = (x_label_width / 2.0 + 4.0).max(16.0);
    let plot_w = (WIDTH - left - right).max(1.0);
    let band = plot_w / n as f64;
    let x_of = |i: usize| left + band * (i as f64 + 0.5);

    // Legend: one row, or two when the target's words do not fit beside
    // the name.
    let zh = chart.zh();
    let name = chart.name.trim();
    let name = if name.is_empty() {
        if zh { "数值" } else { "Value" }
    } else {
        name
    };
    let name = ellipsize(name, FONT, WIDTH - left - 40.0);
    let target_label = chart
        .target_label()
        .map(|t| ellipsize(&t, FONT, WIDTH - left - 40.0));
    let legend_name_end = left + 36.0 + text_width(&name, FONT);
    let target_legend_x = legend_name_end + 24.0;
    let target_on_second_row = target_label
        .as_ref()
        .is_some_and(|t| target_legend_x + 36.0 + text_width(t, FONT) > WIDTH - 4.0);
    let legend_rows = if target_on_second_row { 2.0 } else { 1.0 };

    let plot_top = 40.0 + 26.0 * legend_rows;
    let plot_h = 250.0;
    let plot_bottom = plot_top + plot_h;
    let x_label_top = plot_bottom + 26.0;
    let height = x_label_top + 22.0 * (x_label_lines as f64 - 1.0) + 14.0;
    let y_of = |v: f64| plot_bottom - scale.fraction(v) * plot_h;

    open_svg(&mut out, chart, "chart-trend", height, &summary);

    // Legend.
    let ly = 16.0;
    line(&mut out, "chart-line", left, ly, left + 28.0, ly);
    w!(
        out,
        "<circle class=\"chart-point\" cx=\"{}\" cy=\"{}\" r=\"5\"/>\n",
        num(left + 14.0),
        num(ly)
    );
    text(
        &mut out,
        "chart-label",
        left + 36.0,
        ly + MID,
        "start",
        &name,
    );
    if let Some(label) = &target_label {
        let (tx, ty) = if target_on_second_row {
            (left, ly + 26.0)
        } else {
            (target_legend_x, ly)
        };
        line(&mut out, "chart-target", tx, ty, tx + 28.0, ty);
        text(
            &mut out,
            "chart-target-label",
            tx + 36.0,
            ty + MID,
            "start",
            label,
        );
    }

    // Gridlines and their labels; the lowest is the axis.
    out.push_str("<g class=\"chart-grid-lines\">\n");
    for (i, (&t, label)) in scale.ticks().iter().zip(&tick_labels).enumerate() {
        let y = y_of(t);
        let class = if i == 0 { "chart-axis" } else { "chart-grid" };
        line(&mut out, class, left, y, WIDTH - right, y);
        if !label.is_empty() {
            text(&mut out, "chart-tick", left - 8.0, y + MID, "end", label);
        }
    }
    if truncated {
        // The axis does not start at 0: a break mark on it.
        w!(
            out,
            "<path class=\"chart-axis-break\" d=\"M{} {}L{} {}M{} {}L{} {}\"/>\n",
            num(left + 2.0),
            num(plot_bottom + 7.0),
            num(left + 10.0),
            num(plot_bottom - 7.0),
            num(left + 8.0),
            num(plot_bottom + 7.0),
            num(left + 16.0),
            num(plot_bottom - 7.0)
        );
    }
    out.push_str("</g>\n");

    // Target line.
    if let Some(t) = target {
        let y = y_of(t);
        line(&mut out, "chart-target", left, y, WIDTH - right, y);
    }

    // The line: one subpath per run of consecutive present points, so a gap
    // is never bridged.
    let mut d = String::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64)>, d: &mut String| {
        if run.len() >= 2 {
            for (k, (x, y)) in run.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{} {}",
                    if k == 0 { 'M' } else { 'L' },
                    num(*x),
                    num(*y)
                );
            }
        }
        run.clear();
    };
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => run.push((x_of(i), y_of(*v))),
            None => flush(&mut run, &mut d),
        }
    }
    flush(&mut run, &mut d);
    if !d.is_empty() {
        w!(
            out,
            "<path class=\"chart-line\" fill=\"none\" d=\"{d}\"/>\n"
        );
    }

    // Markers, and the gaps' words at the baseline.
    // Dense points: small markers without the halo, which would cut the
    // line into what looks like dashes.
    let (radius, point_class) = if band < 18.0 {
        (3.0, "chart-point chart-point-dense")
    } else {
        (5.0, "chart-point")
    };
    let last_present = values.iter().rposition(Option::is_some);
    let label_all = n <= 6;
    for (i, (v, p)) in values.iter().zip(&chart.points).enumerate() {
        let x = x_of(i);
        match v {
            Some(v) => {
                let y = y_of(*v);
                w!(
                    out,
                    "<circle class=\"{point_class}\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>\n",
                    num(x),
                    num(y),
                    num(radius)
                );
                if label_all || Some(i) == last_present {
                    // Above the point (the plot has room above its top),
                    // kept inside the picture at either end.
                    let words = p.display.trim();
                    let half = text_width(words, FONT) / 2.0;
                    let anchor = if x + half > WIDTH - 2.0 {
                        "end"
                    } else if x - half < 2.0 {
                        "start"
                    } else {
                        "middle"
                    };
                    let ly = y - 12.0;
                    text(&mut out, "chart-value", x, ly, anchor, words);
                }
            }
            None => {
                let words = p.display.trim();
                if !words.is_empty() && text_width(words, FONT_SMALL) + 4.0 <= band {
                    w!(
                        out,
                        "<text class=\"chart-suppressed\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\">{}</text>\n",
                        num(x),
                        num(plot_bottom - 10.0),
                        num(FONT_SMALL),
                        escape(words)
                    );
                }
            }
        }
    }
    // Where the periods are too narrow for their gap's words: the words once
    // over each run of gaps written alike, and a tick on the axis for each
    // period of the run.
    let mut i = 0;
    while i < n {
        let words = chart.points[i].display.trim();
        if values[i].is_some() || words.is_empty() || text_width(words, FONT_SMALL) + 4.0 <= band {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < n && values[j + 1].is_none() && chart.points[j + 1].display.trim() == words {
            j += 1;
        }
        for g in i..=j {
            let x = x_of(g);
            line(
                &mut out,
                "chart-gap-tick",
                x,
                plot_bottom - 6.0,
                x,
                plot_bottom,
            );
        }
        w!(
            out,
            "<text class=\"chart-suppressed\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\">{}</text>\n",
            num((x_of(i) + x_of(j)) / 2.0),
            num(plot_bottom - 12.0),
            num(FONT_SMALL),
            escape(words)
        );
        i = j + 1;
    }

    // Period labels: every k-th, counted back from the latest so the latest
    // is always named.
    let k = (((x_label_width + 10.0) / band).ceil() as usize).max(1);
    for (i, lines) in x_labels.iter().enumerate() {
        if !(n - 1 - i).is_multiple_of(k) {
            continue;
        }
        let x = x_of(i);
        for (j, l) in lines.iter().enumerate() {
            w!(
                out,
                "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\">{}</text>\n",
                num(x),
                num(x_label_top + 22.0 * j as f64),
                num(X_FONT),
                escape(l)
            );
        }
    }

    out.push_str("</svg>\n");
    out
}

/* --------------------------------------------------------------- ranking */

/// Horizontal bars, one row per point in the order given (the caller sorts).
pub fn ranking_svg(chart: &Chart) -> String {
    let summary = ranking_summary(chart);
    let values: Vec<Option<f64>> = chart.points.iter().map(ChartPoint::finite).collect();
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let target = chart.target_value();
    let unit = chart.unit_symbol.trim();
    let n = values.len();
    let mut out = String::with_capacity(4096 + 400 * n);

    if n == 0 {
        open_svg(&mut out, chart, "chart-ranking", 80.0, &summary);
        no_data(&mut out, chart, 46.0);
        out.push_str("</svg>\n");
        return out;
    }

    const ROW: f64 = 44.0;
    const BAR: f64 = 26.0;
    const LABEL_MAX: f64 = 9.0 * FONT; // eight Han characters and room
    let label_col = chart
        .points
        .iter()
        .map(|p| text_width(p.label.trim(), FONT))
        .fold(0.0, f64::max)
        .clamp(2.0 * FONT, LABEL_MAX);
    let plot_left = label_col + 16.0;
    let value_w = chart
        .points
        .iter()
        .map(|p| text_width(p.display.trim(), FONT))
        .fold(0.0, f64::max);
    let plot_right = (WIDTH - value_w - 14.0)
        .max(plot_left + 120.0)
        .min(WIDTH - 16.0);
    let plot_w = plot_right - plot_left;

    // As many gridlines as their labels have room for.
    let mut scale = Scale::nice(&present, target, false, 5);
    for max in (2..=4).rev() {
        let widest = scale
            .ticks()
            .iter()
            .map(|&t| text_width(&scale.tick_label(t, unit), FONT))
            .fold(0.0, f64::max);
        if !scale.labelled || (widest + 12.0) * scale.intervals as f64 <= plot_w {
            break;
        }
        scale = Scale::nice(&present, target, false, max);
    }
    let x_of = |v: f64| plot_left + scale.fraction(v) * plot_w;

    let target_label = chart.target_label();
    let top = if target_label.is_some() { 40.0 } else { 8.0 };
    let rows_bottom = top + ROW * n as f64;
    let height = rows_bottom + 40.0;

    open_svg(&mut out, chart, "chart-ranking", height, &summary);

    // Gridlines, labelled under the rows; the zero line is the axis.
    out.push_str("<g class=\"chart-grid-lines\">\n");
    for &t in &scale.ticks() {
        let x = x_of(t);
        let class = if t == 0.0 { "chart-axis" } else { "chart-grid" };
        line(&mut out, class, x, top, x, rows_bottom);
        if scale.labelled {
            text(
                &mut out,
                "chart-tick",
                x,
                rows_bottom + 26.0,
                "middle",
                &scale.tick_label(t, unit),
            );
        }
    }
    if scale.lo < 0.0 || !scale.labelled {
        let x = x_of(0.0);
        line(&mut out, "chart-axis", x, top, x, rows_bottom);
    }
    out.push_str("</g>\n");

    // Rows.
    let zero = x_of(0.0);
    for (i, (v, p)) in values.iter().zip(&chart.points).enumerate() {
        let cy = top + ROW * (i as f64 + 0.5);
        let lines = fit_two_lines(&p.label, FONT, LABEL_MAX);
        if lines.len() == 1 {
            text(
                &mut out,
                "chart-label",
                plot_left - 10.0,
                cy + MID,
                "end",
                &lines[0],
            );
        } else {
            let lines = fit_two_lines(&p.label, FONT_SMALL, LABEL_MAX);
            for (j, l) in lines.iter().enumerate() {
                w!(
                    out,
                    "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"{}\">{}</text>\n",
                    num(plot_left - 10.0),
                    num(cy - 3.0 + 18.0 * j as f64),
                    num(FONT_SMALL),
                    escape(l)
                );
            }
        }
        match v {
            Some(v) => {
                let end = x_of(*v);
                let (x, width) = if end >= zero {
                    (zero, end - zero)
                } else {
                    (end, zero - end)
                };
                w!(
                    out,
                    "<rect class=\"chart-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
                    num(x),
                    num(cy - BAR / 2.0),
                    num(width),
                    num(BAR)
                );
                text(
                    &mut out,
                    "chart-value",
                    end.max(zero) + 6.0,
                    cy + MID,
                    "start",
                    p.display.trim(),
                );
            }
            None => {
                let words = p.display.trim();
                if !words.is_empty() {
                    text(
                        &mut out,
                        "chart-value chart-suppressed",
                        zero + 6.0,
                        cy + MID,
                        "start",
                        words,
                    );
                }
            }
        }
    }

    // Target: a dashed line across the rows, labelled above them.
    if let (Some(t), Some(label)) = (target, &target_label) {
        let x = x_of(t);
        line(&mut out, "chart-target", x, top - 8.0, x, rows_bottom);
        let half = text_width(label, FONT) / 2.0;
        let lx = x.clamp(half + 2.0, (WIDTH - half - 2.0).max(half + 2.0));
        text(
            &mut out,
            "chart-target-label",
            lx,
            top - 16.0,
            "middle",
            label,
        );
    }

    out.push_str("</svg>\n");
    out
}

/* ------------------------------------------------------------- summaries */

/// "A", "A and B", "A, B and C", "A, B, C and 2 more".
fn join_en(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [a] => a.to_string(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        [a, b, c, rest @ ..] => format!("{a}, {b}, {c} and {} more", rest.len()),
    }
}

/// "甲", "甲、乙", "甲、乙、丙", "甲、乙、丙等5个地区".
fn join_zh(names: &[&str]) -> String {
    if names.len() <= 3 {
        names.join("、")
    } else {
        format!("{}等{}个地区", names[..3].join("、"), names.len())
    }
}

/// One sentence on a trend: the periods it covers, the first and latest
/// published figures, the target and whether the latest period meets it,
/// and how many periods have no published figure.
pub fn trend_summary(chart: &Chart) -> String {
    let zh = chart.zh();
    let name = chart.name.trim();
    let name = if name.is_empty() {
        if zh { "该指标" } else { "the indicator" }
    } else {
        name
    };
    let points = &chart.points;
    let n = points.len();
    if n == 0 {
        return if zh {
            format!("{name}暂无数据。")
        } else {
            format!("No data for {name}.")
        };
    }
    let present: Vec<(usize, &ChartPoint, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.finite().map(|v| (i, p, v)))
        .collect();
    let missing = n - present.len();
    let first = points[0].label.trim();
    let last = points[n - 1].label.trim();
    let target = chart.target_value().zip(chart.target_text());

    if present.is_empty() {
        return match (zh, n) {
            (true, 1) => format!("{first}，{name}数据未公布。"),
            (true, _) => format!("{first}至{last}，{name}各期数据均未公布。"),
            (false, 1) => format!("In {first}, no figure for {name} is published."),
            (false, _) => format!(
                "From {first} to {last}, no figure for {name} is published for any of the {n} periods."
            ),
        };
    }

    let (i, a, va) = present[0];
    let (j, b, vb) = present[present.len() - 1];
    let (ad, bd) = (a.display.trim(), b.display.trim());
    let latest = points[n - 1].finite();

    if zh {
        let mut s = if n == 1 {
            format!("{first}，{name}为{ad}")
        } else if present.len() == 1 {
            format!(
                "{first}至{last}，{name}仅{}有公布数据（{ad}）",
                a.label.trim()
            )
        } else if i == 0 && j == n - 1 {
            if va == vb {
                format!("{first}至{last}，{name}首末两期均为{ad}")
            } else {
                format!("{first}至{last}，{name}从{ad}变为{bd}")
            }
        } else if va == vb {
            format!(
                "{first}至{last}，{name}在{}和{}均为{ad}",
                a.label.trim(),
                b.label.trim()
            )
        } else {
            format!(
                "{first}至{last}，{name}从{}的{ad}变为{}的{bd}",
                a.label.trim(),
                b.label.trim()
            )
        };
        if let Some((t, td)) = &target {
            let _ = write!(s, "，目标为{td}");
            let status = match latest {
                Some(v) if chart.meets(v, *t) => "达到目标",
                Some(_) => "未达到目标",
                None => "数据未公布",
            };
            if n == 1 {
                let _ = write!(s, "，{}{status}", if latest.is_some() { "已" } else { "" });
            } else {
                let _ = write!(s, "，最新一期{status}");
            }
        }
        if missing > 0 {
            let _ = write!(s, "；其中{missing}期数据未公布");
        }
        s.push('。');
        s
    } else {
        let mut s = if n == 1 {
            format!("In {first}, {name} was {ad}")
        } else if present.len() == 1 {
            format!(
                "From {first} to {last}, {name} was published only for {} ({ad})",
                a.label.trim()
            )
        } else if i == 0 && j == n - 1 {
            if va == vb {
                format!(
                    "From {first} to {last}, {name} was {ad} in both the first and the latest period"
                )
            } else {
                format!("From {first} to {last}, {name} went from {ad} to {bd}")
            }
        } else if va == vb {
            format!(
                "From {first} to {last}, {name} was {ad} in both {} and {}",
                a.label.trim(),
                b.label.trim()
            )
        } else {
            format!(
                "From {first} to {last}, {name} went from {ad} in {} to {bd} in {}",
                a.label.trim(),
                b.label.trim()
            )
        };
        if let Some((t, td)) = &target {
            let status = match (latest, n) {
                (Some(v), 1) if chart.meets(v, *t) => "which it meets",
                (Some(_), 1) => "which it does not meet",
                (Some(v), _) if chart.meets(v, *t) => "and the latest period meets it",
                (Some(_), _) => "and the latest period does not meet it",
                (None, _) => "and the latest period is not published",
            };
            let _ = write!(s, "; the target is {td}, {status}");
        }
        if missing > 0 {
            let _ = write!(
                s,
                "; {} not published",
                if missing == 1 {
                    "1 period is".to_string()
                } else {
                    format!("{missing} periods are")
                }
            );
        }
        s.push('.');
        s
    }
}

/// One sentence on a ranking: the highest and lowest published figures and
/// their areas, how many areas meet the target, and how many areas have no
/// published figure.
pub fn ranking_summary(chart: &Chart) -> String {
    let zh = chart.zh();
    let name = chart.name.trim();
    let name = if name.is_empty() {
        if zh { "该指标" } else { "the indicator" }
    } else {
        name
    };
    let period = chart
        .period
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let points = &chart.points;
    let n = points.len();
    let present: Vec<(&ChartPoint, f64)> = points
        .iter()
        .filter_map(|p| p.finite().map(|v| (p, v)))
        .collect();
    let missing = n - present.len();
    let target = chart.target_value().zip(chart.target_text());
    let meeting = target
        .as_ref()
        .map(|(t, _)| present.iter().filter(|(_, v)| chart.meets(*v, *t)).count());

    if zh {
        let pre = period.map(|p| format!("{p}，")).unwrap_or_default();
        if n == 0 {
            return format!("{pre}{name}暂无地区数据。");
        }
        if present.is_empty() {
            return if n == 1 {
                format!("{pre}{}的{name}数据未公布。", points[0].label.trim())
            } else {
                format!("{pre}{n}个地区的{name}数据均未公布。")
            };
        }
        let mut s = if present.len() == 1 {
            let (p, _) = present[0];
            if n == 1 {
                format!("{pre}{}的{name}为{}", p.label.trim(), p.display.trim())
            } else {
                format!(
                    "{pre}{name}仅{}有公布数据（{}）",
                    p.label.trim(),
                    p.display.trim()
                )
            }
        } else {
            let (hi, lo) = extremes(&present);
            let area = if period.is_some() {
                format!("{}各地区", pre.trim_end_matches('，'))
            } else {
                "各地区".to_string()
            };
            if hi.value == lo.value {
                format!("{area}{name}均为{}", hi.display)
            } else {
                let tied = |names: &[&str]| if names.len() > 1 { "并列" } else { "" };
                format!(
                    "{area}{name}中，{}{}最高（{}），{}{}最低（{}）",
                    join_zh(&hi.names),
                    tied(&hi.names),
                    hi.display,
                    join_zh(&lo.names),
                    tied(&lo.names),
                    lo.display
                )
            }
        };
        if let (Some((_, td)), Some(k)) = (&target, meeting) {
            if present.len() == 1 {
                let _ = write!(
                    s,
                    "，目标为{td}，{}达到目标",
                    if k == 1 { "已" } else { "未" }
                );
            } else {
                let m = present.len();
                let _ = match k {
                    0 => write!(s, "；公布数据的{m}个地区均未达到目标（{td}）"),
                    k if k == m => write!(s, "；公布数据的{m}个地区均达到目标（{td}）"),
                    k => write!(s, "；公布数据的{m}个地区中有{k}个达到目标（{td}）"),
                };
            }
        }
        if missing > 0 {
            let _ = write!(s, "；{missing}个地区数据未公布");
        }
        s.push('。');
        s
    } else {
        let pre = period.map(|p| format!("In {p}, ")).unwrap_or_default();
        let cap = |s: String| {
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => s,
            }
        };
        if n == 0 {
            return cap(format!("{pre}no area has data for {name}."));
        }
        if present.is_empty() {
            return cap(if n == 1 {
                format!(
                    "{pre}no figure for {name} is published for {}.",
                    points[0].label.trim()
                )
            } else {
                format!("{pre}no figure for {name} is published for any of the {n} areas.")
            });
        }
        let mut s = if present.len() == 1 {
            let (p, _) = present[0];
            if n == 1 {
                format!("{pre}{name} in {} was {}", p.label.trim(), p.display.trim())
            } else {
                format!(
                    "{pre}{name} was published only for {} ({})",
                    p.label.trim(),
                    p.display.trim()
                )
            }
        } else {
            let (hi, lo) = extremes(&present);
            if hi.value == lo.value {
                format!(
                    "{pre}{name} was {} in all {} areas with published figures",
                    hi.display,
                    present.len()
                )
            } else {
                format!(
                    "{pre}the highest {name} was in {} ({}) and the lowest in {} ({})",
                    join_en(&hi.names),
                    hi.display,
                    join_en(&lo.names),
                    lo.display
                )
            }
        };
        if let (Some((_, td)), Some(k)) = (&target, meeting) {
            if present.len() == 1 {
                let _ = write!(
                    s,
                    "; the target is {td}, which it {}",
                    if k == 1 { "meets" } else { "does not meet" }
                );
            } else {
                let m = present.len();
                let _ = match k {
                    0 => write!(
                        s,
                        "; none of the {m} areas with published figures meets the target ({td})"
                    ),
                    k if k == m => write!(
                        s,
                        "; all {m} areas with published figures meet the target ({td})"
                    ),
                    1 => write!(
                        s,
                        "; 1 of the {m} areas with published figures meets the target ({td})"
                    ),
                    k => write!(
                        s,
                        "; {k} of the {m} areas with published figures meet the target ({td})"
                    ),
                };
            }
        }
        if missing > 0 {
            let _ = write!(
                s,
                "; {} not published",
                if missing == 1 {
                    "1 area is".to_string()
                } else {
                    format!("{missing} areas are")
                }
            );
        }
        s.push('.');
        cap(s)
    }
}

struct Extreme<'a> {
    value: f64,
    display: &'a str,
    names: Vec<&'a str>,
}

/// The highest and the lowest of `present` (not empty), each with all the
/// areas sharing it, in the order given.
fn extremes<'a>(present: &[(&'a ChartPoint, f64)]) -> (Extreme<'a>, Extreme<'a>) {
    let max = present
        .iter()
        .map(|(_, v)| *v)
        .fold(f64::NEG_INFINITY, f64::max);
    let min = present
        .iter()
        .map(|(_, v)| *v)
        .fold(f64::INFINITY, f64::min);
    let pick = |value: f64| {
        let names: Vec<&'a str> = present
            .iter()
            .filter(|(_, v)| *v == value)
            .map(|(p, _)| p.label.trim())
            .collect();
        let display = present
            .iter()
            .find(|(_, v)| *v == value)
            .map(|(p, _)| p.display.trim())
            .unwrap_or("");
        Extreme {
            value,
            display,
            names,
        }
    };
    (pick(max), pick(min))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(label: &str, value: Option<f64>, display: &str) -> ChartPoint {
        ChartPoint {
            label: label.to_string(),
            value,
            display: display.to_string(),
        }
    }

    fn pct(label: &str, value: f64) -> ChartPoint {
        point(label, Some(value), &format!("{value:.2}%"))
    }

    fn chart(points: Vec<ChartPoint>) -> Chart {
        Chart {
            id: "trend-management_rate".to_string(),
            title: "规范管理率趋势（示例县）".to_string(),
            name: "规范管理率".to_string(),
            period: None,
            unit_symbol: "%".to_string(),
            points,
            target: Some(80.0),
            target_display: Some("80.00%".to_string()),
            higher_is_better: true,
            lang: "zh-CN".to_string(),
        }
    }

    fn quarters(values: &[Option<f64>]) -> Vec<ChartPoint> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let label = format!("{}年第{}季度", 2024 + (i + 2) / 4, (i + 2) % 4 + 1);
                match v {
                    Some(v) if v.is_finite() => pct(&label, *v),
                    Some(_) => point(&label, *v, "—"),
                    None => point(&label, None, "<5"),
                }
            })
            .collect()
    }

    fn ranking(points: Vec<ChartPoint>) -> Chart {
        Chart {
            id: "ranking-management_rate".to_string(),
            title: "各乡镇规范管理率（2025年第4季度）".to_string(),
            period: Some("2025年第4季度".to_string()),
            ..chart(points)
        }
    }

    /// A small XML well-formedness check: tags balanced, one root, every
    /// `&` an entity, no raw `<` or `>` in text or attribute values, every
    /// attribute quoted and not repeated.
    fn check_xml(xml: &str) -> Result<(), String> {
        fn check_entities(s: &str) -> Result<(), String> {
            let mut rest = s;
            while let Some(i) = rest.find('&') {
                let after = &rest[i..];
                let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| after.starts_with(e));
                if !ok {
                    return Err(format!("bare & in {s:?}"));
                }
                rest = &after[1..];
            }
            if s.contains('>') {
                return Err(format!("raw > in {s:?}"));
            }
            Ok(())
        }
        let mut stack: Vec<String> = Vec::new();
        let mut roots = 0;
        let mut rest = xml;
        while !rest.is_empty() {
            let Some(open) = rest.find('<') else {
                check_entities(rest)?;
                if !rest.trim().is_empty() && stack.is_empty() {
                    return Err("text outside the root".into());
                }
                break;
            };
            let text = &rest[..open];
            check_entities(text)?;
            if !text.trim().is_empty() && stack.is_empty() {
                return Err("text outside the root".into());
            }
            let close = rest[open..].find('>').ok_or("unclosed tag")? + open;
            let tag = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if tag.contains('<') {
                return Err(format!("raw < in tag {tag:?}"));
            }
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(top) if top == name.trim() => {}
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
                continue;
            }
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
            let name = &body[..name_end];
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-')
            {
                return Err(format!("bad tag name {name:?}"));
            }
            // Attributes: name="value" ...
            let mut attrs = body[name_end..].trim();
            let mut seen = Vec::new();
            while !attrs.is_empty() {
                let eq = attrs
                    .find('=')
                    .ok_or(format!("attribute without value in {tag:?}"))?;
                let attr = attrs[..eq].trim();
                if attr.is_empty() || attr.contains(char::is_whitespace) || seen.contains(&attr) {
                    return Err(format!("bad attribute {attr:?} in {tag:?}"));
                }
                seen.push(attr);
                let after = &attrs[eq + 1..];
                let value = after
                    .strip_prefix('"')
                    .ok_or(format!("unquoted attribute in {tag:?}"))?;
                let end = value.find('"').ok_or("unterminated attribute")?;
                check_entities(&value[..end])?;
                attrs = value[end + 1..].trim_start();
            }
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name.to_string());
            }
        }
        if !stack.is_empty() {
            return Err(format!("unclosed {stack:?}"));
        }
        if roots != 1 {
            return Err(format!("{roots} roots"));
        }
        Ok(())
    }

    fn attr<'a>(svg: &'a str, element: &str, name: &str) -> Option<&'a str> {
        let start = svg.find(&format!("<{element} "))?;
        let tag = &svg[start..start + svg[start..].find('>')?];
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        Some(&tag[at..at + tag[at..].find('"')?])
    }

    fn path_d(svg: &str) -> Option<&str> {
        let start = svg.find("<path class=\"chart-line\"")?;
        attr(&svg[start..], "path", "d")
    }

    fn assert_accessible(svg: &str, class: &str) {
        check_xml(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        assert!(svg.starts_with("<svg "), "{svg}");
        assert_eq!(attr(svg, "svg", "role"), Some("img"));
        assert_eq!(attr(svg, "svg", "class"), Some(class));
        assert_eq!(attr(svg, "svg", "width"), Some("100%"));
        let view_box = attr(svg, "svg", "viewBox").unwrap();
        assert!(view_box.starts_with(&format!("0 0 {WIDTH} ")), "{view_box}");
        let labelled = attr(svg, "svg", "aria-labelledby").unwrap();
        let ids: Vec<&str> = labelled.split(' ').collect();
        assert_eq!(ids.len(), 2);
        assert_eq!(attr(svg, "title", "id"), Some(ids[0]));
        assert_eq!(attr(svg, "desc", "id"), Some(ids[1]));
        // Title and desc come first and are not empty.
        let title_at = svg.find("<title ").unwrap();
        assert!(title_at < svg.find("<desc ").unwrap());
        assert!(!svg.contains("></title>") && !svg.contains("></desc>"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }

    fn typical() -> Chart {
        chart(quarters(&[
            Some(85.2),
            Some(87.0),
            Some(88.4),
            Some(89.9),
            Some(91.3),
            Some(90.1),
        ]))
    }

    #[test]
    fn trend_is_well_formed_and_labelled() {
        let c = typical();
        let svg = trend_svg(&c);
        assert_accessible(&svg, "chart chart-trend");
        assert!(svg.contains(
            "<title id=\"chart-trend-management_rate-title\">规范管理率趋势（示例县）</title>"
        ));
        assert!(svg.contains(&format!(
            "<desc id=\"chart-trend-management_rate-desc\">{}</desc>",
            trend_summary(&c)
        )));
        assert!(svg.contains("lang=\"zh-CN\""));
        // One continuous line through six points, six markers, target drawn.
        let d = path_d(&svg).unwrap();
        assert_eq!(d.matches('M').count(), 1);
        assert_eq!(d.matches('L').count(), 5);
        assert_eq!(svg.matches("<circle class=\"chart-point\"").count(), 6 + 1);
        assert!(svg.contains(">目标 80.00%</text>"));
        assert_eq!(svg.matches("class=\"chart-target\"").count(), 2);
        // Values and period labels written; the year wrapped onto its own line.
        assert!(svg.contains(">90.10%</text>"));
        assert!(svg.contains(">2024年</text>") && svg.contains(">第3季度</text>"));
        // 80–91%: the axis starts above 0, marked with a break.
        assert!(svg.contains("chart-axis-break"));
        assert!(!svg.contains(">0%</text>"));
        assert!(svg.contains(">100%</text>") || svg.contains(">95%</text>"));
    }

    #[test]
    fn trend_axis_from_zero_when_values_spread() {
        let c = chart(quarters(&[Some(12.0), Some(40.0), Some(66.0)]));
        let svg = trend_svg(&c);
        assert!(svg.contains(">0%</text>"));
        assert!(
            svg.contains(">80%</text>"),
            "target within the axis:\n{svg}"
        );
        assert!(!svg.contains("chart-axis-break"));
    }

    #[test]
    fn gaps_split_the_line_and_have_no_coordinates() {
        let c = chart(quarters(&[
            Some(85.0),
            Some(86.0),
            None,
            Some(88.0),
            Some(89.0),
            None,
        ]));
        let svg = trend_svg(&c);
        assert_accessible(&svg, "chart chart-trend");
        let d = path_d(&svg).unwrap();
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('L').count(), 2, "{d}");
        // Four markers (plus the legend's), no more.
        assert_eq!(svg.matches("<circle class=\"chart-point\"").count(), 4 + 1);
        // The gaps' x positions appear in no point and no segment of the line.
        let x_of = |i: usize| {
            let texts: Vec<&str> = svg
                .match_indices("class=\"chart-suppressed\" x=\"")
                .map(|(at, m)| {
                    let s = &svg[at + m.len()..];
                    &s[..s.find('"').unwrap()]
                })
                .collect();
            texts[i].to_string()
        };
        let gap_x = x_of(0);
        assert!(
            !d.contains(&format!("M{gap_x} ")) && !d.contains(&format!("L{gap_x} ")),
            "{d}"
        );
        assert!(!svg.contains(&format!("cx=\"{gap_x}\"")));
        // Each gap is marked with its escaped display text.
        assert_eq!(svg.matches(">&lt;5</text>").count(), 2);
        assert!(!svg.contains("<5"));
    }

    #[test]
    fn isolated_point_gets_a_marker_but_no_line() {
        let c = chart(quarters(&[
            Some(85.0),
            None,
            Some(86.0),
            None,
            Some(87.0),
            Some(88.0),
        ]));
        let svg = trend_svg(&c);
        let d = path_d(&svg).unwrap();
        assert_eq!(d.matches('M').count(), 1, "{d}");
        assert_eq!(svg.matches("<circle class=\"chart-point\"").count(), 4 + 1);
    }

    #[test]
    fn text_is_escaped() {
        let mut c = typical();
        c.title = "A & B <趋势> \"x\"".to_string();
        c.name = "R&D".to_string();
        c.id = "a b&c".to_string();
        c.points[1] = point("Q<2> & \"x\"", None, "<5");
        c.points[2].display = "a&b".to_string();
        let svg = trend_svg(&c);
        assert_accessible(&svg, "chart chart-trend");
        assert!(svg.contains(">A &amp; B &lt;趋势&gt; &quot;x&quot;</title>"));
        assert!(svg.contains("R&amp;D"));
        assert!(svg.contains("&lt;5"));
        assert!(svg.contains("chart-a-b-c-title"));
        let mut r = ranking(vec![
            point("城关镇 & 郊区", Some(90.0), "90.00%"),
            point("<青山乡>", None, "<5"),
        ]);
        r.target_display = Some("≥80% & more".to_string());
        let svg = ranking_svg(&r);
        assert_accessible(&svg, "chart chart-ranking");
        assert!(svg.contains(">城关镇 &amp; 郊区</text>"));
        assert!(svg.contains(">&lt;青山乡&gt;</text>"));
        assert!(svg.contains(">&lt;5</text>"));
        assert!(svg.contains("目标 ≥80% &amp; more"));
    }

    #[test]
    fn output_is_deterministic() {
        let c = chart(quarters(&[Some(85.2), None, Some(88.4), Some(89.9)]));
        assert_eq!(trend_svg(&c), trend_svg(&c.clone()));
        let r = ranking(vec![
            pct("城关镇", 95.1),
            point("青山乡", None, "<5"),
            pct("河西村", 80.2),
        ]);
        assert_eq!(ranking_svg(&r), ranking_svg(&r.clone()));
        assert_eq!(trend_summary(&c), trend_summary(&c));
    }

    #[test]
    fn no_panic_on_odd_input() {
        let odd_values = [
            vec![],
            vec![None],
            vec![None, None, None],
            vec![Some(f64::NAN)],
            vec![Some(f64::INFINITY), Some(f64::NEG_INFINITY), Some(f64::NAN)],
            vec![Some(0.0)],
            vec![Some(0.0), Some(0.0)],
            vec![Some(-5.0), Some(3.0)],
            vec![Some(-5.0)],
            vec![Some(1e-300), Some(2e-300)],
            vec![Some(f64::MAX), Some(f64::MIN_POSITIVE)],
            vec![Some(f64::MAX), Some(-f64::MAX)],
            vec![Some(150.0), Some(230.5)],
            vec![Some(5e-324)],
        ];
        let targets = [
            None,
            Some(80.0),
            Some(f64::NAN),
            Some(0.0),
            Some(f64::INFINITY),
            Some(-1.0),
        ];
        for values in &odd_values {
            for target in targets {
                for lang in ["zh-CN", "en", ""] {
                    let mut c = chart(quarters(values));
                    c.target = target;
                    c.lang = lang.to_string();
                    let t = trend_svg(&c);
                    assert_accessible(&t, "chart chart-trend");
                    let r = ranking_svg(&c);
                    assert_accessible(&r, "chart chart-ranking");
                    for s in [trend_summary(&c), ranking_summary(&c)] {
                        assert!(!s.is_empty());
                        assert!(s.ends_with('。') || s.ends_with('.'), "{s}");
                    }
                }
            }
        }
        // Many points, empty strings everywhere.
        let mut c = chart(
            (0..40)
                .map(|i| point("", if i % 7 == 3 { None } else { Some(i as f64) }, ""))
                .collect(),
        );
        c.id = String::new();
        c.name = String::new();
        c.title = String::new();
        c.unit_symbol = String::new();
        c.target_display = None;
        let t = trend_svg(&c);
        check_xml(&t).unwrap();
        assert!(t.contains("chart-chart-title"));
        check_xml(&ranking_svg(&c)).unwrap();
    }

    /// Pseudo-random charts (a fixed linear congruential sequence, so the
    /// test is repeatable): well-formed, accessible, never a gap bridged.
    #[test]
    fn random_charts_are_well_formed() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            seed >> 33
        };
        let labels = [
            "城关镇",
            "2025年第3季度",
            "2025年12月",
            "A & B",
            "<x>",
            "",
            "一二三四五六七八九十",
        ];
        for _ in 0..300 {
            let n = (next() % 45) as usize;
            let points: Vec<ChartPoint> = (0..n)
                .map(|_| {
                    let label = labels[(next() % labels.len() as u64) as usize];
                    let value = match next() % 8 {
                        0 => None,
                        1 => Some(f64::NAN),
                        2 => Some(0.0),
                        3 => Some((next() % 100_000) as f64 / 7.0),
                        _ => Some(80.0 + (next() % 2000) as f64 / 100.0),
                    };
                    let display = match value {
                        Some(v) if v.is_finite() => format!("{v:.2}%"),
                        _ => "<5".to_string(),
                    };
                    point(label, value, &display)
                })
                .collect();
            let mut c = chart(points);
            c.target = match next() % 3 {
                0 => None,
                1 => Some(90.0),
                _ => Some((next() % 300) as f64),
            };
            c.higher_is_better = next() % 2 == 0;
            c.lang = if next() % 2 == 0 { "zh-CN" } else { "en" }.to_string();
            let t = trend_svg(&c);
            assert_accessible(&t, "chart chart-trend");
            if let Some(d) = path_d(&t) {
                let runs = c
                    .points
                    .windows(2)
                    .filter(|w| w[0].finite().is_some() && w[1].finite().is_some())
                    .count();
                assert_eq!(d.matches('L').count(), runs, "{d}");
            }
            let r = ranking_svg(&c);
            assert_accessible(&r, "chart chart-ranking");
            let bars = c.points.iter().filter(|p| p.finite().is_some()).count();
            assert_eq!(r.matches("<rect class=\"chart-bar\"").count(), bars);
        }
    }

    #[test]
    fn nan_is_a_gap() {
        let c = chart(quarters(&[Some(85.0), Some(f64::NAN), Some(86.0)]));
        let svg = trend_svg(&c);
        assert!(path_d(&svg).is_none(), "no run of two points:\n{svg}");
        assert_eq!(svg.matches("<circle class=\"chart-point\"").count(), 2 + 1);
        assert!(trend_summary(&c).contains("其中1期数据未公布"));
    }

    #[test]
    fn many_periods_label_every_kth_ending_with_the_latest() {
        let values: Vec<Option<f64>> = (0..40).map(|i| Some(85.0 + (i % 5) as f64)).collect();
        let c = chart(quarters(&values));
        let svg = trend_svg(&c);
        assert_accessible(&svg, "chart chart-trend");
        let years = svg.matches("年</text>").count();
        assert!(years > 3 && years < 14, "{years} labels");
        let last = &c.points[39].label;
        let (year, quarter) = last.split_at(last.find('年').unwrap() + '年'.len_utf8());
        let tail = svg.rfind("class=\"chart-label\"").unwrap();
        assert!(svg[..tail].contains(&format!(">{year}</text>")));
        assert!(svg[tail..].contains(&format!(">{quarter}</text>")));
        // Only the latest value is written.
        assert_eq!(svg.matches("class=\"chart-value\"").count(), 1);
    }

    #[test]
    fn nice_scales() {
        let s = Scale::nice(&[85.2, 98.0], Some(80.0), true, 5);
        assert!(
            s.lo <= 80.0 && s.lo > 0.0 && s.hi() >= 98.0 && s.hi() <= 100.0,
            "{s:?}"
        );
        assert!((3..=5).contains(&s.intervals), "{s:?}");
        let s = Scale::nice(&[12.0, 66.0], Some(80.0), true, 5);
        assert_eq!((s.lo, s.hi()), (0.0, 80.0));
        let s = Scale::nice(&[4.2, 4.8], None, true, 5);
        assert!(s.lo > 0.0 && s.lo <= 4.2 && s.hi() >= 4.8, "{s:?}");
        assert_eq!(s.tick_label(s.lo, "‰").chars().last(), Some('‰'));
        let s = Scale::nice(&[95.0], None, true, 5);
        assert_eq!((s.lo, s.hi()), (0.0, 100.0));
        let s = Scale::nice(&[0.0, 0.0], None, true, 5);
        assert_eq!((s.lo, s.hi(), s.labelled), (0.0, 1.0, true));
        let s = Scale::nice(&[150.0, 230.5], Some(100.0), false, 5);
        assert!(s.lo == 0.0 && s.hi() >= 230.5 && s.hi() <= 300.0, "{s:?}");
        assert_eq!(Scale::nice(&[], None, true, 5), Scale::EMPTY);
        let s = Scale::nice(&[0.0, 12.5], None, false, 5);
        assert_eq!(s.tick_label(2.5, "/10万"), "2.5/10万");
    }

    #[test]
    fn trend_summary_wording() {
        assert_eq!(
            trend_summary(&typical()),
            "2024年第3季度至2025年第4季度，规范管理率从85.20%变为90.10%，目标为80.00%，最新一期达到目标。"
        );
        let mut c = typical();
        c.points[5] = pct("2025年第4季度", 75.0);
        assert!(trend_summary(&c).ends_with("最新一期未达到目标。"));
        c.higher_is_better = false;
        assert!(trend_summary(&c).ends_with("最新一期达到目标。"));

        let c = chart(quarters(&[None, Some(86.0), None, Some(88.0), None]));
        assert_eq!(
            trend_summary(&c),
            "2024年第3季度至2025年第3季度，规范管理率从2024年第4季度的86.00%变为2025年第2季度的88.00%，目标为80.00%，最新一期数据未公布；其中3期数据未公布。"
        );
        let c = chart(quarters(&[Some(90.1)]));
        assert_eq!(
            trend_summary(&c),
            "2024年第3季度，规范管理率为90.10%，目标为80.00%，已达到目标。"
        );
        let mut c = chart(quarters(&[Some(0.0), Some(0.0)]));
        c.target = None;
        assert_eq!(
            trend_summary(&c),
            "2024年第3季度至2024年第4季度，规范管理率首末两期均为0.00%。"
        );
        let c = chart(quarters(&[None, None]));
        assert_eq!(
            trend_summary(&c),
            "2024年第3季度至2024年第4季度，规范管理率各期数据均未公布。"
        );
        let c = chart(quarters(&[None]));
        assert_eq!(trend_summary(&c), "2024年第3季度，规范管理率数据未公布。");
        let c = chart(vec![]);
        assert_eq!(trend_summary(&c), "规范管理率暂无数据。");
        let c = chart(quarters(&[None, Some(120.5), None]));
        assert_eq!(
            trend_summary(&c),
            "2024年第3季度至2025年第1季度，规范管理率仅2024年第4季度有公布数据（120.50%），目标为80.00%，最新一期数据未公布；其中2期数据未公布。"
        );

        let mut c = chart(vec![
            pct("2024 Q3", 85.2),
            point("2024 Q4", None, "<5"),
            pct("2025 Q1", 90.1),
        ]);
        c.lang = "en".to_string();
        c.name = "the management rate".to_string();
        assert_eq!(
            trend_summary(&c),
            "From 2024 Q3 to 2025 Q1, the management rate went from 85.20% to 90.10%; the target is 80.00%, and the latest period meets it; 1 period is not published."
        );
        c.target = None;
        c.points.truncate(1);
        assert_eq!(
            trend_summary(&c),
            "In 2024 Q3, the management rate was 85.20%."
        );
        c.points.clear();
        assert_eq!(trend_summary(&c), "No data for the management rate.");
        // No summary is more than one sentence.
        for c in [typical(), chart(quarters(&[None, Some(1.0), None]))] {
            let s = trend_summary(&c);
            assert_eq!(s.matches('。').count(), 1, "{s}");
        }
    }

    #[test]
    fn ranking_is_well_formed_with_gaps_and_target() {
        let r = ranking(vec![
            pct("城关镇", 95.1),
            pct("新华街道办事处", 90.0),
            pct("青山乡", 80.2),
            point("河西村", None, "<5"),
            point("东风镇", None, "—"),
            pct("南湖乡", 0.0),
        ]);
        let svg = ranking_svg(&r);
        assert_accessible(&svg, "chart chart-ranking");
        assert!(svg.contains(&format!(
            "<desc id=\"chart-ranking-management_rate-desc\">{}</desc>",
            ranking_summary(&r)
        )));
        // Bars for the four published rows only, each followed by its value.
        assert_eq!(svg.matches("<rect class=\"chart-bar\"").count(), 4);
        for d in ["95.10%", "90.00%", "80.20%", "0.00%"] {
            let at = svg.find(&format!(">{d}</text>")).expect(d);
            let element = &svg[svg[..at].rfind("<text ").unwrap()..at];
            assert!(
                element.starts_with("<text class=\"chart-value\""),
                "{element}"
            );
        }
        assert!(
            svg.contains("class=\"chart-value chart-suppressed\"")
                && svg.contains(">&lt;5</text>")
                && svg.contains(">—</text>")
        );
        // The long label is kept whole on one line.
        assert!(svg.contains(">新华街道办事处</text>"));
        // The target: a line and its words.
        assert!(svg.contains("<line class=\"chart-target\""));
        assert!(svg.contains(">目标 80.00%</text>"));
        // Zero bar has zero width; bars never wider than the plot.
        assert!(svg.contains("width=\"0\" height=\"26\""));
        for (at, _) in svg.match_indices("<rect ") {
            let rect = &svg[at..];
            let x: f64 = attr(rect, "rect", "x").unwrap().parse().unwrap();
            let w: f64 = attr(rect, "rect", "width").unwrap().parse().unwrap();
            assert!(x >= 0.0 && w >= 0.0 && x + w <= WIDTH);
        }
    }

    #[test]
    fn ranking_long_labels_are_wrapped_not_lost() {
        let r = ranking(vec![
            pct("示例县某某某某某某某某某某某某乡镇街道", 90.0),
            pct("甲", 10.0),
        ]);
        let svg = ranking_svg(&r);
        assert_accessible(&svg, "chart chart-ranking");
        assert_eq!(svg.matches("font-size=\"16\">示例县").count(), 1, "{svg}");
        // Eight Han characters fit on one line.
        let r = ranking(vec![pct("一二三四五六七八", 90.0)]);
        assert!(ranking_svg(&r).contains(">一二三四五六七八</text>"));
    }

    #[test]
    fn ranking_summary_wording() {
        let r = ranking(vec![
            pct("城关镇", 95.1),
            pct("东风镇", 88.0),
            pct("青山乡", 80.2),
            point("河西村", None, "<5"),
            point("南湖乡", None, "—"),
        ]);
        assert_eq!(
            ranking_summary(&r),
            "2025年第4季度各地区规范管理率中，城关镇最高（95.10%），青山乡最低（80.20%）；公布数据的3个地区均达到目标（80.00%）；2个地区数据未公布。"
        );
        let mut partly = r.clone();
        partly.target = Some(90.0);
        partly.target_display = Some("90.00%".to_string());
        assert!(
            ranking_summary(&partly).contains("；公布数据的3个地区中有1个达到目标（90.00%）；")
        );
        partly.target = Some(99.0);
        assert!(ranking_summary(&partly).contains("；公布数据的3个地区均未达到目标"));
        partly.higher_is_better = false;
        assert!(ranking_summary(&partly).contains("；公布数据的3个地区均达到目标"));
        let mut r2 = r.clone();
        r2.target = None;
        r2.period = None;
        r2.points.truncate(3);
        r2.points[1] = pct("东风镇", 95.1);
        assert_eq!(
            ranking_summary(&r2),
            "各地区规范管理率中，城关镇、东风镇并列最高（95.10%），青山乡最低（80.20%）。"
        );
        let r3 = ranking(vec![pct("城关镇", 95.1)]);
        assert_eq!(
            ranking_summary(&r3),
            "2025年第4季度，城关镇的规范管理率为95.10%，目标为80.00%，已达到目标。"
        );
        let r4 = ranking(vec![
            point("城关镇", None, "<5"),
            point("青山乡", None, "<5"),
        ]);
        assert_eq!(
            ranking_summary(&r4),
            "2025年第4季度，2个地区的规范管理率数据均未公布。"
        );
        let r5 = ranking(vec![]);
        assert_eq!(
            ranking_summary(&r5),
            "2025年第4季度，规范管理率暂无地区数据。"
        );
        let mut r6 = ranking(vec![pct("甲", 0.0), pct("乙", 0.0)]);
        r6.target = None;
        assert_eq!(
            ranking_summary(&r6),
            "2025年第4季度各地区规范管理率均为0.00%。"
        );
        let r7 = ranking(vec![pct("甲", 50.0), point("乙", None, "<5")]);
        assert_eq!(
            ranking_summary(&r7),
            "2025年第4季度，规范管理率仅甲有公布数据（50.00%），目标为80.00%，未达到目标；1个地区数据未公布。"
        );

        let mut e = r.clone();
        e.lang = "en-GB".to_string();
        e.name = "management rate".to_string();
        e.period = Some("2025 Q4".to_string());
        e.points[0].label = "Chengguan".to_string();
        e.points[2].label = "Qingshan".to_string();
        assert_eq!(
            ranking_summary(&e),
            "In 2025 Q4, the highest management rate was in Chengguan (95.10%) and the lowest in Qingshan (80.20%); all 3 areas with published figures meet the target (80.00%); 2 areas are not published."
        );
        e.target = Some(90.0);
        e.target_display = Some("90.00%".to_string());
        assert!(
            ranking_summary(&e)
                .contains("; 1 of the 3 areas with published figures meets the target (90.00%);")
        );
        e.target = Some(99.0);
        assert!(ranking_summary(&e).contains("; none of the 3 areas"));
        e.points.clear();
        e.period = None;
        assert_eq!(ranking_summary(&e), "No area has data for management rate.");
    }

    #[test]
    fn english_words_in_the_chart() {
        let mut c = typical();
        c.lang = "en".to_string();
        assert!(trend_svg(&c).contains(">Target 80.00%</text>"));
        assert!(ranking_svg(&c).contains(">Target 80.00%</text>"));
        c.points.clear();
        assert!(trend_svg(&c).contains(">No data</text>"));
    }

    /// Writes example charts for a look in a browser:
    /// `ANXIN_CHART_EXAMPLES=/tmp cargo test --lib chart -- write_examples`.
    #[test]
    fn write_examples() {
        let Some(dir) = std::env::var_os("ANXIN_CHART_EXAMPLES") else {
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        let mut trend = chart(quarters(&[
            Some(85.2),
            Some(86.4),
            None,
            Some(88.4),
            Some(89.9),
            Some(91.3),
            Some(90.6),
            Some(92.8),
            Some(93.1),
            Some(90.1),
        ]));
        trend.target = Some(90.0);
        trend.target_display = Some("90.00%".to_string());
        let ranking = ranking(vec![
            pct("城关镇", 95.1),
            pct("新华街道办事处", 93.4),
            pct("东风镇", 90.0),
            pct("南湖乡", 86.75),
            pct("青山乡", 80.2),
            point("河西村", None, "<5"),
            point("白马镇", None, "—"),
        ]);
        std::fs::write(dir.join("chart-trend.svg"), trend_svg(&trend)).unwrap();
        std::fs::write(dir.join("chart-ranking.svg"), ranking_svg(&ranking)).unwrap();
    }
}

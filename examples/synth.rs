//! Synthetic site generator for benchmarking anxin.
//!
//! ```text
//! cargo run --release --example synth -- --pages N --out DIR [--seed S] [--sections K] [--force]
//!                                         [--data-areas N | --province [--counties C] [--townships T]]
//!                                         [--quarters Q]
//! ```
//!
//! Writes a complete anxin site into DIR:
//!
//! - `DIR/site.toml`
//! - `DIR/content/_index.md` (the home section, linking to every section)
//! - `DIR/content/sec-XX/_index.md` for K sections (every 5th one generates a feed)
//! - `DIR/content/sec-XX/page-NNNNN.md` for N pages, dealt round-robin over the sections
//!
//! Pages carry TOML front matter (title, date, description, tags, sometimes weight)
//! and 300–900 words' worth of mixed Chinese and English markdown: paragraphs,
//! 2–4 headings, a bullet list, an ordered list, sometimes a table, emphasis,
//! inline code, and 1–3 relative links to other generated pages or sections, some
//! with an `#anchor` that names a heading of the target page.
//!
//! Heading ids follow the site-format rule: ASCII letters lowercased, each run of
//! whitespace replaced by `-`, every character that is neither alphanumeric
//! (`char::is_alphanumeric`) nor `-` nor `_` removed. Headings within a page are
//! unique, so no `-1` suffixes arise.
//!
//! With `--data-areas N` (N > 0) it also writes indicator data at national scale
//! (N = 2800 is about the number of counties in China), and adds `[privacy]`
//! (`min_count = 5`, `min_denominator = 20`) and `[data]` to `site.toml`:
//!
//! - `DIR/data/areas.toml`: the root `cn` (全国示例), up to 31 provinces `p01`…,
//!   up to 310 cities `p01-c01`… (about 10 per province) and the N counties
//!   `p01-c01-d01`… dealt over the cities in uneven shares; each county has
//!   50,000–1,500,000 people, except about 1% of remote ones with 2,000–3,800
//!   whose counts of 1–4 exercise primary suppression; a parent's population is
//!   the sum of its children's.
//! - `DIR/data/indicators/definitions.toml`: the 11 measures and 10 indicators of
//!   the demo site (its `data/indicators/definitions.toml`, compiled in).
//! - `DIR/data/indicators/q-YYYY.csv`, one file per year: a row per county and
//!   quarter for Q quarters ending with 2025Q4 (Q = 40: 2016Q1–2025Q4), the 11
//!   counts as columns, every numerator at most its denominator, the rates
//!   improving gently over time. Only counties have rows: the engine sums the
//!   provinces, cities and the country.
//!
//! With `--province` it writes indicator data at province scale instead (not
//! together with `--data-areas`): one province, C counties (`--counties`, default
//! 100) of T townships each (`--townships`, default 15), rows per township; and
//! adds the same `[privacy]` and `[data]` to `site.toml`, with `sample = true`.
//! `--province --quarters 40` gives 1 + 100 + 1,500 = 1,601 areas and 60,000 rows:
//!
//! - `DIR/data/areas.toml`: the root `prov` (合成示例省), the counties `c001`…
//!   (示例县001…) and their townships `c001-t01`… (示例镇001-01…). A township has
//!   8,000–80,000 people, except about 10% of small ones (示例山乡…) with 600–7,000
//!   people and 1–30 registered patients; a parent's population is the sum of its
//!   children's.
//! - `DIR/data/indicators/definitions.toml`: 4 measures (registered, managed,
//!   standard_managed, on_medication) and the demo's 4 indicators on them:
//!   management_rate, standard_management_rate, medication_rate (percent) and
//!   detection_rate (registered / population, permille).
//! - `DIR/data/indicators/q-YYYY.csv`, one file per year: a row per township and
//!   quarter, standard_managed ≤ managed ≤ registered and on_medication ≤ managed
//!   in every row. Most townships have 20–400 registered; the small ones give
//!   counts of 1–4 (and registered − managed of 1–4, as do many ordinary
//!   townships) in most quarters. Counties and the province have no rows.
//!
//! Everything a linker needs to know about a page (its section, title and headings)
//! is a pure function of `(seed, page index)`, so links and anchors always resolve.
//! Each page's body has its own PRNG stream derived from `(seed, page index)`, so the
//! output is byte-identical for the same arguments regardless of thread scheduling.
//! The indicator data likewise has a stream per county (or township) and per
//! county (or township) and quarter.
//!
//! Only the standard library is used.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[path = "common/mod.rs"]
mod common;
use common::rng::Rng;
use common::vocab::*;

// Stream purposes.
const P_META: u64 = 1; // title + headings (recomputed by linkers)
const P_BODY: u64 = 2; // everything else of a page
const P_SECTION: u64 = 3;
const P_HOME: u64 = 4;

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

const SECTION_THEMES: &[(&str, &str)] = &[
    ("心理健康宣传", "Mental Health Publicity"),
    ("随访管理", "Follow-up Management"),
    ("社区康复", "Community Rehabilitation"),
    ("服药指导", "Medication Guidance"),
    ("监护人支持", "Guardian Support"),
    ("筛查与评估", "Screening and Assessment"),
    ("热线服务", "Hotline Services"),
    ("危机干预", "Crisis Intervention"),
    ("政策解读", "Policy Explainers"),
    ("活动报道", "Activity Reports"),
    ("青少年心理", "Youth Mental Health"),
    ("老年心理", "Mental Health in Later Life"),
    ("职场心理", "Workplace Wellbeing"),
    ("睡眠健康", "Sleep Health"),
    ("家庭护理", "Family Care"),
    ("双向转诊", "Referral Pathways"),
    ("数据公开", "Open Data"),
    ("志愿服务", "Volunteering"),
    ("消除病耻感", "Reducing Stigma"),
    ("学校心理", "School Mental Health"),
];

/// Heading topics: the Chinese parts are pairwise distinct and contain only CJK
/// characters; the English parts contain only letters, digits, spaces, `-`, `'`, `/`.
const HEADING_TOPICS: &[(&str, &str)] = &[
    ("随访管理", "Follow-up visits"),
    ("服药指导", "Medication guidance"),
    ("社区康复", "Community rehabilitation"),
    ("监护人职责", "Guardian responsibilities"),
    ("筛查流程", "Screening workflow"),
    ("热线服务", "Hotline services"),
    ("危机干预", "Crisis intervention"),
    ("以奖代补", "Guardian subsidy"),
    ("一站式结算", "One-stop settlement"),
    ("免费服药", "Free medication"),
    ("健康教育", "Health education"),
    ("家庭护理", "Family care"),
    ("消除病耻感", "Reducing stigma"),
    ("同伴支持", "Peer support"),
    ("风险评估", "Risk assessment"),
    ("个案管理", "Case management"),
    ("双向转诊", "Two-way referral"),
    ("隐私保护", "Privacy safeguards"),
    ("数据质量", "Data quality"),
    ("睡眠健康", "Sleep health"),
    ("压力管理", "Stress management"),
    ("青少年心理", "Children's mental health"),
    ("老年关爱", "Care for older people"),
    ("就业支持", "Supported employment"),
    ("志愿服务", "Volunteering"),
    ("常见问题", "Frequently asked questions"),
    ("办理流程", "How to apply"),
    ("联系方式", "24/7 contacts"),
    ("工作背景", "Background"),
    ("下一步工作", "Next steps"),
    ("工作成效", "Results so far"),
    ("经验做法", "Lessons learned"),
];

const TITLE_KINDS: &[(&str, &str)] = &[
    ("工作简报", "Brief"),
    ("宣传活动", "Campaign"),
    ("知识问答", "Questions and Answers"),
    ("政策解读", "Explainer"),
    ("经验交流", "Field Notes"),
    ("培训通知", "Training Notice"),
    ("服务指南", "Service Guide"),
    ("进展报告", "Progress Report"),
    ("活动回顾", "Event Review"),
];

/// Chinese term with its English gloss, for mixed sentences.
const PAIRS: &[(&str, &str)] = &[
    ("随访", "follow-up"),
    ("服药依从性", "medication adherence"),
    ("社区康复", "community rehabilitation"),
    ("监护人", "guardian"),
    ("筛查", "screening"),
    ("热线", "hotline"),
    ("病耻感", "stigma"),
    ("危机干预", "crisis intervention"),
    ("以奖代补", "reward instead of subsidy"),
    ("一站式结算", "one-stop settlement"),
    ("规范管理率", "standardised management rate"),
    ("检出率", "detection rate"),
    ("心理健康", "mental health"),
    ("宣传", "publicity"),
];

const CODES: &[&str] = &[
    "12356",
    "12320",
    "site.toml",
    "paginate_by = 10",
    "服药率 = 服药人数 / 在册人数",
    "min_count = 5",
    "2025Q3",
    "tel:12356",
    "规范管理率",
    "anxin build",
];

const BULLETS_ZH: &[&str] = &[
    "携带身份证和医保卡",
    "到乡镇卫生院填写申请表",
    "由精防医生审核并登记",
    "签订监护协议",
    "按季度领取补贴",
    "预约下一次随访时间",
    "保管好用药记录",
    "出现紧急情况立即拨打热线",
    "参加家属学习班",
    "关注情绪与睡眠变化",
];
const BULLETS_EN: &[&str] = &[
    "bring the resident's ID card",
    "fill in the application at the township centre",
    "ask the doctor about side effects",
    "keep a simple medication diary",
    "call the hotline in a crisis",
    "join a peer support group",
    "check the opening hours before you travel",
    "tell the guardian about changes in sleep",
];

// ---------------------------------------------------------------------------
// Derived, recomputable page facts
// ---------------------------------------------------------------------------

/// 1-based section of 1-based page `i`.
fn section_of(i: u64, k: u64) -> u64 {
    (i - 1) % k + 1
}

fn sec_dir(s: u64) -> String {
    format!("sec-{s:02}")
}

fn page_file(i: u64) -> String {
    format!("page-{i:05}.md")
}

/// The heading id rule of the site format.
fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_ws = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_ws {
                out.push('-');
                in_ws = true;
            }
            continue;
        }
        in_ws = false;
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

struct Meta {
    title: String,
    /// (level, text, id)
    headings: Vec<(u8, String, String)>,
}

fn page_meta(seed: u64, i: u64) -> Meta {
    let mut r = Rng::stream(seed, i, P_META);

    let (tzh, ten) = *r.pick_t(HEADING_TOPICS);
    let (kzh, ken) = *r.pick_t(TITLE_KINDS);
    let place = r.pick(TITLE_PLACES);
    let title = match r.below(3) {
        0 => format!("{place}{tzh}{kzh} {ten} {ken}"),
        1 => format!("{}年{tzh}{kzh}：{ten}", r.range(2020, 2025)),
        _ => format!("{ten} {ken} · {place}{tzh}"),
    };

    let n = r.range(2, 4) as usize;
    let picks = r.distinct(HEADING_TOPICS.len(), n);
    let mut headings: Vec<(u8, String, String)> = Vec::with_capacity(n);
    for (pos, &t) in picks.iter().enumerate() {
        let (zh, en) = HEADING_TOPICS[t];
        let level = if pos == 0 || r.chance(50) { 2 } else { 3 };
        let mut text = match r.below(4) {
            0 => format!("{zh} {en}"),
            1 => format!("{zh}：{en}"),
            2 => format!("{}. {zh} ({en})", pos + 1),
            _ => format!("{en} — {zh}"),
        };
        let mut id = slugify(&text);
        // Cannot happen with distinct Chinese parts, but keep ids unique regardless.
        let mut extra = 2;
        while headings.iter().any(|h| h.2 == id) {
            text = format!("{text} {extra}");
            id = slugify(&text);
            extra += 1;
        }
        headings.push((level, text, id));
    }
    Meta { title, headings }
}

fn section_title(s: u64) -> String {
    let (zh, en) = SECTION_THEMES[((s - 1) as usize) % SECTION_THEMES.len()];
    let round = (s - 1) / SECTION_THEMES.len() as u64;
    if round == 0 {
        format!("{zh} {en}")
    } else {
        format!("{zh} {en} {}", round + 1)
    }
}

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

/// TOML basic-string escaping.
fn toml_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Word-equivalents of a string: ASCII words plus one per two CJK characters.
fn units(s: &str) -> usize {
    let mut words = 0;
    let mut cjk = 0;
    let mut in_word = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if !in_word {
                words += 1;
                in_word = true;
            }
        } else {
            in_word = false;
            if !c.is_ascii() && c.is_alphanumeric() {
                cjk += 1;
            }
        }
    }
    words + cjk / 2
}

fn capitalize(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
        None => String::new(),
    }
}

/// Optionally wraps a phrase in emphasis or strong emphasis.
fn emph(r: &mut Rng, s: &str) -> String {
    match r.below(10) {
        0 => format!("*{s}*"),
        1 => format!("**{s}**"),
        _ => s.to_string(),
    }
}

fn zh_sentence(r: &mut Rng, out: &mut String) {
    match r.below(7) {
        0 => {
            let (s, a, v, o) = (
                r.pick(SUBJ_ZH),
                r.pick(ADV_ZH),
                r.pick(VERB_ZH),
                r.pick(OBJ_ZH),
            );
            let o = emph(r, o);
            let _ = write!(out, "{s}{a}{v}{o}，{}。", r.pick(CLAUSE_ZH));
        }
        1 => {
            let _ = write!(
                out,
                "{}，{}{}{}{}次，覆盖{}约{}人。",
                r.pick(TIME_ZH),
                r.pick(SUBJ_ZH),
                r.pick(VERB_ZH),
                r.pick(OBJ_ZH),
                r.range(2, 60),
                r.pick(GROUP_ZH),
                r.range(30, 9000)
            );
        }
        2 => {
            let (zh, en) = *r.pick_t(PAIRS);
            let _ = write!(
                out,
                "针对{}，{}{}{}{}（{en}），{}。",
                r.pick(GROUP_ZH),
                r.pick(SUBJ_ZH),
                r.pick(ADV_ZH),
                r.pick(VERB_ZH),
                zh,
                r.pick(CLAUSE_ZH)
            );
        }
        3 => {
            let a = r.pick(OBJ_ZH);
            let b = r.pick(OBJ_ZH);
            let c = r.pick(OBJ_ZH);
            let _ = write!(
                out,
                "{}是{}的重要环节，{}应当{}{}。",
                emph(r, a),
                b,
                r.pick(SUBJ_ZH),
                r.pick(VERB_ZH),
                c
            );
        }
        4 => {
            let _ = write!(
                out,
                "如遇情绪困扰，可拨打 `{}` 心理援助热线，{}。",
                if r.chance(70) { "12356" } else { "12320" },
                r.pick(CLAUSE_ZH)
            );
        }
        5 => {
            let _ = write!(
                out,
                "截至{}年底，{}{}达到{}.{}%，{}。",
                r.range(2020, 2025),
                r.pick(GROUP_ZH),
                r.pick(&["管理率", "规范管理率", "规律服药率", "面访率"]),
                r.range(60, 99),
                r.below(10),
                r.pick(CLAUSE_ZH)
            );
        }
        _ => {
            let _ = write!(
                out,
                "{}要{}{}，配合{}做好`{}`相关工作。",
                r.pick(SUBJ_ZH),
                r.pick(ADV_ZH),
                r.pick(VERB_ZH),
                r.pick(SUBJ_ZH),
                r.pick(CODES)
            );
        }
    }
}

fn en_sentence(r: &mut Rng, out: &mut String) {
    match r.below(5) {
        0 => {
            let o = r.pick(OBJ_EN);
            let _ = write!(
                out,
                "{} {} {} {}.",
                r.pick(SUBJ_EN),
                r.pick(VERB_EN),
                emph(r, o),
                r.pick(ADVL_EN)
            );
        }
        1 => {
            let (zh, en) = *r.pick_t(PAIRS);
            let _ = write!(
                out,
                "{} {} {en} ({zh}) {}.",
                r.pick(SUBJ_EN),
                r.pick(VERB_EN),
                r.pick(CLAUSE_EN)
            );
        }
        2 => {
            let _ = write!(
                out,
                "In {}, {} {} {} {}.",
                r.range(2020, 2025),
                r.range(12, 4800),
                r.pick(&[
                    "residents",
                    "families",
                    "students",
                    "older people",
                    "patients"
                ]),
                r.pick(&[
                    "were screened",
                    "received follow-up visits",
                    "joined a workshop",
                    "called the hotline"
                ]),
                r.pick(ADVL_EN)
            );
        }
        3 => {
            let _ = write!(
                out,
                "Anyone in distress can call `{}` at any hour, {}.",
                if r.chance(70) { "12356" } else { "12320" },
                r.pick(CLAUSE_EN)
            );
        }
        _ => {
            let o = r.pick(OBJ_EN);
            let _ = write!(
                out,
                "Work on {} is part of the plan, and the setting `{}` shows how it is published.",
                o,
                r.pick(CODES)
            );
        }
    }
}

/// One paragraph of 3–6 sentences, optionally holding a link sentence; returns the
/// word-equivalents written.
fn paragraph(r: &mut Rng, out: &mut String, link: Option<&Link>) -> usize {
    let start = out.len();
    let lang = r.below(100); // <55 Chinese, <80 English, else alternating
    let sentences = r.range(3, 6);
    let link_at = link.map(|_| r.below(sentences + 1));
    let mut prev_english: Option<bool> = None; // None: nothing written yet
    // A space between sentences when either side is English.
    let sep = |out: &mut String, prev: Option<bool>, english: bool| {
        if prev.is_some_and(|p| p || english) {
            out.push(' ');
        }
    };
    for s in 0..=sentences {
        if link_at == Some(s) {
            let english = (55..80).contains(&lang);
            sep(out, prev_english, english);
            write_link_sentence(r, out, link.unwrap(), english);
            prev_english = Some(english);
        }
        if s == sentences {
            break;
        }
        let english = if lang < 55 {
            false
        } else if lang < 80 {
            true
        } else {
            s % 2 == 1
        };
        sep(out, prev_english, english);
        prev_english = Some(english);
        if english {
            en_sentence(r, out);
        } else {
            zh_sentence(r, out);
        }
    }
    let n = units(&out[start..]);
    out.push_str("\n\n");
    n
}

struct Link {
    text: String,
    target: String, // relative path, with optional #anchor
}

fn write_link_sentence(r: &mut Rng, out: &mut String, l: &Link, english: bool) {
    if english {
        let _ = write!(
            out,
            "{} [{}]({}).",
            r.pick(&["See also", "For details, read", "Related:", "Compare with"]),
            l.text,
            l.target
        );
    } else {
        let _ = write!(
            out,
            "{}[{}]({})。",
            r.pick(&["详见", "更多内容请参阅", "另见", "可参考"]),
            l.text,
            l.target
        );
    }
}

fn bullet_list(r: &mut Rng, out: &mut String) -> usize {
    let start = out.len();
    let n = r.range(3, 6);
    for _ in 0..n {
        match r.below(4) {
            0 => {
                let _ = writeln!(out, "- **{}**：{}", r.pick(OBJ_ZH), r.pick(CLAUSE_ZH));
            }
            1 => {
                let _ = writeln!(out, "- {}；", r.pick(BULLETS_ZH));
            }
            2 => {
                let _ = writeln!(out, "- {}", capitalize(r.pick(BULLETS_EN)));
            }
            _ => {
                let (zh, en) = *r.pick_t(PAIRS);
                let _ = writeln!(out, "- {zh}（*{en}*）：`{}`", r.pick(CODES));
            }
        }
    }
    out.push('\n');
    units(&out[start..])
}

fn ordered_list(r: &mut Rng, out: &mut String) -> usize {
    let start = out.len();
    let n = r.range(3, 5);
    let english = r.chance(30);
    for k in 1..=n {
        if english {
            let _ = writeln!(out, "{k}. {}.", capitalize(r.pick(BULLETS_EN)));
        } else {
            let _ = writeln!(out, "{k}. {}；", r.pick(BULLETS_ZH));
        }
    }
    out.push('\n');
    units(&out[start..])
}

fn table(r: &mut Rng, out: &mut String) -> usize {
    let start = out.len();
    let y = r.range(2021, 2025);
    let _ = writeln!(out, "| 指标 Indicator | {} | {} | 目标 Target |", y - 1, y);
    out.push_str("| --- | ---: | ---: | ---: |\n");
    let nrows = r.range(2, 4) as usize;
    let rows = r.distinct(INDICATORS.len(), nrows);
    for i in rows {
        let _ = writeln!(
            out,
            "| {} | {}.{}% | {}.{}% | {}% |",
            INDICATORS[i],
            r.range(55, 95),
            r.below(10),
            r.range(60, 99),
            r.below(10),
            r.pick(&["80", "85", "90"])
        );
    }
    out.push('\n');
    units(&out[start..])
}

// ---------------------------------------------------------------------------
// Page, section and home generation
// ---------------------------------------------------------------------------

fn days_in_month(y: u64, m: u64) -> u64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) {
                29
            } else {
                28
            }
        }
    }
}

struct Plan {
    seed: u64,
    pages: u64,
    sections: u64,
}

impl Plan {
    /// A random link target for page `i` (other than itself).
    fn pick_link(&self, r: &mut Rng, i: u64) -> Link {
        let k = self.sections;
        let s = section_of(i, k);
        let roll = r.below(100);
        if self.pages >= 2 && roll < 90 {
            // Same section when possible (40%), otherwise any other page.
            let in_sec = if self.pages >= s {
                (self.pages - s) / k + 1
            } else {
                0
            };
            let j = if roll < 40 && in_sec >= 2 {
                loop {
                    let j = s + r.below(in_sec) * k;
                    if j != i {
                        break j;
                    }
                }
            } else {
                loop {
                    let j = r.range(1, self.pages);
                    if j != i {
                        break j;
                    }
                }
            };
            let t = section_of(j, k);
            let mut target = if t == s {
                page_file(j)
            } else {
                format!("../{}/{}", sec_dir(t), page_file(j))
            };
            let meta = page_meta(self.seed, j);
            let text = if r.chance(50) {
                let (_, htext, id) = r.pick_t(&meta.headings);
                target.push('#');
                target.push_str(id);
                htext.clone()
            } else {
                meta.title
            };
            Link { text, target }
        } else {
            // A section index: own or another.
            let t = r.range(1, k);
            let target = if t == s {
                "_index.md".to_string()
            } else {
                format!("../{}/_index.md", sec_dir(t))
            };
            Link {
                text: section_title(t),
                target,
            }
        }
    }

    fn page(&self, i: u64, out: &mut String) {
        let meta = page_meta(self.seed, i);
        let mut r = Rng::stream(self.seed, i, P_BODY);

        // Front matter.
        out.push_str("+++\ntitle = ");
        toml_str(out, &meta.title);
        let y = r.range(2020, 2025);
        let m = r.range(1, 12);
        let d = r.range(1, days_in_month(y, m));
        let _ = write!(out, "\ndate = {y}-{m:02}-{d:02}\ndescription = ");
        let (pzh, pen) = *r.pick_t(PAIRS);
        let desc = format!(
            "{}关于{pzh}的{}，介绍{}的做法。A note on {pen} for residents and families.",
            r.pick(TITLE_PLACES),
            r.pick(&["说明", "工作动态", "经验总结", "服务信息"]),
            r.pick(OBJ_ZH)
        );
        toml_str(out, &desc);
        out.push_str("\ntags = [");
        let ntags = r.range(2, 3) as usize;
        for (n, t) in r.distinct(TAGS.len(), ntags).into_iter().enumerate() {
            if n > 0 {
                out.push_str(", ");
            }
            toml_str(out, TAGS[t]);
        }
        out.push(']');
        if r.chance(25) {
            let _ = write!(out, "\nweight = {}", r.range(1, 100));
        }
        out.push_str("\n+++\n\n");

        // Body plan.
        let target_units = r.range(300, 900) as usize;
        let nh = meta.headings.len();
        let blocks = nh + 1; // intro + one block per heading
        let mut total_written = 0usize;
        let bullet_block = r.below(blocks as u64) as usize;
        let ordered_block = r.below(blocks as u64) as usize;
        let table_block = if r.chance(35) {
            Some(1 + r.below(nh as u64) as usize)
        } else {
            None
        };

        let nlinks = r.range(1, 3);
        let mut links: Vec<Link> = (0..nlinks).map(|_| self.pick_link(&mut r, i)).collect();
        links.reverse(); // pop() in generation order

        for b in 0..blocks {
            if b > 0 {
                let (level, text, _) = &meta.headings[b - 1];
                for _ in 0..*level {
                    out.push('#');
                }
                out.push(' ');
                out.push_str(text);
                out.push_str("\n\n");
            }
            let block_target = target_units.saturating_sub(total_written) / (blocks - b);
            let mut written = 0usize;
            let mut extras: Vec<u8> = Vec::new();
            if b == bullet_block {
                extras.push(0);
            }
            if b == ordered_block {
                extras.push(1);
            }
            if table_block == Some(b) {
                extras.push(2);
            }
            // First a paragraph, then interleave the extras with further paragraphs.
            loop {
                let link = if !links.is_empty() && r.chance(35) {
                    links.pop()
                } else {
                    None
                };
                written += paragraph(&mut r, out, link.as_ref());
                if let Some(e) = extras.pop() {
                    written += match e {
                        0 => bullet_list(&mut r, out),
                        1 => ordered_list(&mut r, out),
                        _ => table(&mut r, out),
                    };
                    continue;
                }
                // Stop when one more paragraph (~40-90 units) would mostly overshoot.
                if written + 45 >= block_target {
                    break;
                }
            }
            total_written += written;
        }
        // Links not placed yet go into a closing "related reading" line.
        if !links.is_empty() {
            out.push_str("相关阅读 Related reading：");
            let mut first = true;
            while let Some(l) = links.pop() {
                if !first {
                    out.push('；');
                }
                first = false;
                let _ = write!(out, "[{}]({})", l.text, l.target);
            }
            out.push_str("。\n");
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
    }

    fn section(&self, s: u64) -> String {
        let mut r = Rng::stream(self.seed, s, P_SECTION);
        let mut out = String::with_capacity(1024);
        out.push_str("+++\ntitle = ");
        toml_str(&mut out, &section_title(s));
        out.push_str("\ndescription = ");
        let (zh, en) = SECTION_THEMES[((s - 1) as usize) % SECTION_THEMES.len()];
        toml_str(
            &mut out,
            &format!(
                "{zh}相关的工作动态、政策解读与服务信息。News and guidance on {}.",
                en.to_lowercase()
            ),
        );
        out.push_str("\nsort_by = \"date\"\npaginate_by = 10\n");
        if s.is_multiple_of(5) {
            out.push_str("generate_feed = true\n");
        }
        out.push_str("+++\n\n");
        paragraph(&mut r, &mut out, None);
        out.push_str("返回[首页 Home](../_index.md)。\n");
        out
    }

    fn home(&self) -> String {
        let mut r = Rng::stream(self.seed, 0, P_HOME);
        let mut out = String::with_capacity(4096);
        out.push_str("+++\ntitle = \"安心 · 合成基准站点 Synthetic benchmark site\"\n");
        out.push_str(
            "description = \"为性能测试生成的心理健康宣传示例内容。Generated content for benchmarking anxin.\"\n+++\n\n",
        );
        paragraph(&mut r, &mut out, None);
        out.push_str("## 栏目 Sections\n\n");
        for s in 1..=self.sections {
            let _ = writeln!(out, "- [{}]({}/_index.md)", section_title(s), sec_dir(s));
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Indicator data at national scale (--data-areas N)
// ---------------------------------------------------------------------------

const P_AREAS: u64 = 5; // the shape of the area tree
const P_COUNTY: u64 = 6; // a county's population and its level on every rate
const P_ROW: u64 = 7; // one county's noise in one quarter (purpose P_ROW + quarter)

/// The demo site's definitions (11 measures, 10 indicators); the generated site
/// gets the same text without the demo's leading comment.
const DEMO_DEFINITIONS: &str = include_str!("../data/indicators/definitions.toml");

/// The count columns of the data files, in order.
const MEASURES: [&str; 11] = [
    "registered",
    "managed",
    "standard_managed",
    "visited",
    "examined",
    "on_medication",
    "regular_medication",
    "schizophrenia_managed",
    "schizophrenia_on_medication",
    "stable",
    "rehab_participants",
];

/// One share per derived measure, in percent of its base (see `county_row`):
/// (level in 2025Q4, spread of a county's level around it, gain per quarter).
const SHARES: [(f64, f64, f64); 10] = [
    (96.0, 2.5, 0.15),  // managed / registered
    (91.0, 4.0, 0.35),  // standard_managed / registered
    (88.0, 5.0, 0.40),  // visited / managed
    (64.0, 10.0, 0.60), // examined / managed
    (89.0, 4.0, 0.30),  // on_medication / managed
    (78.0, 6.0, 0.50),  // regular_medication / managed
    (60.0, 6.0, 0.0),   // schizophrenia_managed / managed
    (92.0, 3.0, 0.25),  // schizophrenia_on_medication / schizophrenia_managed
    (87.0, 4.0, 0.30),  // stable / managed
    (50.0, 12.0, 0.70), // rehab_participants / registered
];

/// The last quarter generated, as `year * 4 + quarter - 1`.
const LAST_QUARTER: u64 = 2025 * 4 + 3;

const PROVINCES: u64 = 31;
const CITIES_PER_PROVINCE: u64 = 10;

impl Rng {
    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[-1, 1)`.
    fn signed(&mut self) -> f64 {
        self.unit() * 2.0 - 1.0
    }
}

/// `total` split into `parts` parts of at least 1 each, in proportion to random
/// weights of 2..=6.
fn split(r: &mut Rng, total: u64, parts: u64) -> Vec<u64> {
    let w: Vec<u64> = (0..parts).map(|_| r.range(2, 6)).collect();
    let sum: u64 = w.iter().sum();
    let rest = total - parts;
    let mut out: Vec<u64> = w.iter().map(|&x| 1 + rest * x / sum).collect();
    let mut left = total - out.iter().sum::<u64>();
    let mut i = 0;
    while left > 0 {
        out[i] += 1;
        left -= 1;
        i += 1;
    }
    out
}

fn digits(n: u64) -> usize {
    n.to_string().len().max(2)
}

/// A county of the generated tree.
struct County {
    id: String,
    population: u64,
    /// Detection rate in 2025Q4, ‰.
    detection: f64,
    /// The county's level on each of `SHARES`, in percent.
    shares: [f64; 10],
}

struct DataStats {
    provinces: u64,
    cities: u64,
    counties: u64,
    small_counties: u64,
    population: u64,
    quarters: u64,
    first_period: String,
    rows: u64,
    /// Counts in 1..=4 (primary suppression at min_count = 5).
    small_cells: u64,
    areas_bytes: u64,
    definitions_bytes: u64,
    csv_files: u64,
    csv_bytes: u64,
}

impl DataStats {
    fn summary(&self) -> String {
        format!(
            "synth: indicator data: {} counties ({} with about 3,000 people) in {} cities and {} provinces, population {}; \
                     {} quarters {}–2025Q4, {} rows, {} counts of 1–4; \
                     data/areas.toml {} bytes, definitions.toml {} bytes, {} CSV files {} bytes ({:.1} MiB)",
            self.counties,
            self.small_counties,
            self.cities,
            self.provinces,
            self.population,
            self.quarters,
            self.first_period,
            self.rows,
            self.small_cells,
            self.areas_bytes,
            self.definitions_bytes,
            self.csv_files,
            self.csv_bytes,
            self.csv_bytes as f64 / (1024.0 * 1024.0)
        )
    }
}

fn round(x: f64) -> u64 {
    x.round().max(0.0) as u64
}

/// The 11 counts of county `k` in quarter `q` (absolute, see `LAST_QUARTER`).
/// Every numerator is at most its denominator.
fn county_row(seed: u64, k: u64, c: &County, q: u64) -> [u64; 11] {
    let back = (LAST_QUARTER - q) as f64;
    let mut r = Rng::stream(seed, k, P_ROW + q);
    let mut share = |i: usize| -> f64 {
        let (_, _, gain) = SHARES[i];
        (c.shares[i] - gain * back + r.signed() * 0.8).clamp(5.0, 99.5) / 100.0
    };
    let detection = (c.detection - 0.025 * back).max(1.0);
    let registered = round(c.population as f64 * detection / 1000.0);
    let reg = registered as f64;
    let managed = round(reg * share(0)).min(registered);
    let standard_managed = round(reg * share(1)).min(managed);
    let m = managed as f64;
    let visited = round(m * share(2));
    let examined = round(m * share(3));
    let on_medication = round(m * share(4));
    let regular_medication = round(m * share(5)).min(on_medication);
    let schizophrenia_managed = round(m * share(6));
    let schizophrenia_on_medication =
        round(schizophrenia_managed as f64 * share(7)).min(on_medication);
    let stable = round(m * share(8));
    let rehab_participants = round(reg * share(9)).min(managed);
    [
        registered,
        managed,
        standard_managed,
        visited,
        examined,
        on_medication,
        regular_medication,
        schizophrenia_managed,
        schizophrenia_on_medication,
        stable,
        rehab_participants,
    ]
}

fn area_entry(out: &mut String, id: &str, name: &str, parent: Option<&str>, population: u64) {
    let _ = write!(out, "\n[[area]]\nid = \"{id}\"\nname = ");
    toml_str(out, name);
    if let Some(p) = parent {
        let _ = write!(out, "\nparent = \"{p}\"");
    }
    let _ = writeln!(out, "\npopulation = {population}");
}

fn period_name(q: u64) -> String {
    format!("{}Q{}", q / 4, q % 4 + 1)
}

/// Writes `data/areas.toml`, `data/indicators/definitions.toml` and
/// `data/indicators/q-YYYY.csv` for `n` counties and `quarters` quarters.
fn write_data(out: &Path, seed: u64, n: u64, quarters: u64) -> Result<DataStats, String> {
    for m in MEASURES {
        if !DEMO_DEFINITIONS.contains(&format!("id = \"{m}\"")) {
            return Err(format!(
                "data/indicators/definitions.toml of the demo site defines no measure {m:?}"
            ));
        }
    }

    // The tree: provinces, cities, counties, with the counties' populations.
    let mut r = Rng::stream(seed, 0, P_AREAS);
    let cities = n.min(PROVINCES * CITIES_PER_PROVINCE);
    let provinces = cities.min(PROVINCES);
    let cities_of = split(&mut r, cities, provinces);
    let counties_of = split(&mut r, n, cities);
    let cw = digits(*cities_of.iter().max().unwrap_or(&1));
    let kw = digits(*counties_of.iter().max().unwrap_or(&1));

    let mut counties: Vec<County> = Vec::with_capacity(n as usize);
    // (province id, province name, [(city id, city name, county range)])
    type CityPlan = (String, String, std::ops::Range<usize>);
    let mut plan: Vec<(String, String, Vec<CityPlan>)> = Vec::new();
    let mut city_index = 0usize;
    let mut small_counties = 0;
    for (p, &nc) in cities_of.iter().enumerate() {
        let pid = format!("p{:02}", p + 1);
        let mut cs = Vec::with_capacity(nc as usize);
        for c in 0..nc as usize {
            let cid = format!("{pid}-c{:0cw$}", c + 1);
            let start = counties.len();
            for d in 0..counties_of[city_index] as usize {
                let k = counties.len() as u64;
                let mut cr = Rng::stream(seed, k, P_COUNTY);
                // About 1% are remote counties of about 3,000 people with few
                // patients, few of them with schizophrenia and hardly any
                // rehabilitation on offer: counts of 1–4 (primary suppression)
                // in most quarters.
                let small = cr.chance(1);
                let population = if small {
                    small_counties += 1;
                    cr.range(2_000, 3_800)
                } else {
                    let x = 50_000.0 * (cr.unit() * 30f64.ln()).exp();
                    round(x).clamp(50_000, 1_500_000)
                };
                let detection = if small {
                    3.0 + 1.2 * cr.unit()
                } else {
                    3.6 + 2.0 * cr.unit()
                };
                let mut shares = [0.0; 10];
                for (s, &(level, spread, _)) in shares.iter_mut().zip(SHARES.iter()) {
                    *s = level + spread * cr.signed();
                }
                if small {
                    shares[6] = 35.0 + 10.0 * cr.unit();
                    shares[9] = 15.0 + 15.0 * cr.unit();
                }
                counties.push(County {
                    id: format!("{cid}-d{:0kw$}", d + 1),
                    population,
                    detection,
                    shares,
                });
            }
            city_index += 1;
            cs.push((
                cid,
                format!("示例市{:02}-{:02}", p + 1, c + 1),
                start..counties.len(),
            ));
        }
        plan.push((pid, format!("示例省{:02}", p + 1), cs));
    }

    // data/areas.toml, in tree order: each area followed by its children.
    let pop_of = |range: &std::ops::Range<usize>| -> u64 {
        counties[range.clone()].iter().map(|c| c.population).sum()
    };
    let total: u64 = counties.iter().map(|c| c.population).sum();
    let mut areas = String::with_capacity(n as usize * 96 + 4096);
    let _ = writeln!(
        areas,
        "# 合成基准站点的行政区划：{provinces} 个省、{cities} 个市、{n} 个县，名称和人口均为虚构。\n\
         # A parent's counts are the sum of its children's; its population is the sum of theirs."
    );
    area_entry(&mut areas, "cn", "全国示例", None, total);
    for (pid, pname, cs) in &plan {
        let ppop: u64 = cs.iter().map(|(_, _, range)| pop_of(range)).sum();
        area_entry(&mut areas, pid, pname, Some("cn"), ppop);
        for (cid, cname, range) in cs {
            area_entry(&mut areas, cid, cname, Some(pid), pop_of(range));
            for (k, county) in counties[range.clone()].iter().enumerate() {
                let name = format!("示例县{}-{:02}", &cname["示例市".len()..], k + 1);
                area_entry(&mut areas, &county.id, &name, Some(cid), county.population);
            }
        }
    }

    // data/indicators/definitions.toml: the demo's, without its leading comment.
    let body_at = DEMO_DEFINITIONS
        .find("[[")
        .unwrap_or(DEMO_DEFINITIONS.len());
    let definitions = format!(
        "# 合成基准站点的指标定义（与演示站点相同）；数据均为虚构。\n\
         # Synthetic benchmark data: the same measures and indicators as the demo site.\n\n{}",
        &DEMO_DEFINITIONS[body_at..]
    );

    let data = out.join("data");
    let ind = data.join("indicators");
    fs::create_dir_all(&ind).map_err(|e| format!("cannot create {}: {e}", ind.display()))?;
    write_file(&data.join("areas.toml"), &areas)?;
    write_file(&ind.join("definitions.toml"), &definitions)?;

    // data/indicators/q-YYYY.csv: one row per county and quarter.
    let first = LAST_QUARTER + 1 - quarters;
    let mut header = String::from("period,area");
    for m in MEASURES {
        header.push(',');
        header.push_str(m);
    }
    header.push('\n');
    let per_quarter = n as usize * 72;
    let (mut rows, mut small_cells, mut csv_files, mut csv_bytes) = (0u64, 0u64, 0u64, 0u64);
    for year in first / 4..=LAST_QUARTER / 4 {
        let qs = (year * 4).max(first)..=(year * 4 + 3).min(LAST_QUARTER);
        let mut csv = String::with_capacity(header.len() + 4 * per_quarter);
        csv.push_str(&header);
        for q in qs {
            let period = period_name(q);
            for (k, c) in counties.iter().enumerate() {
                let row = county_row(seed, k as u64, c, q);
                csv.push_str(&period);
                csv.push(',');
                csv.push_str(&c.id);
                for v in row {
                    let _ = write!(csv, ",{v}");
                    small_cells += u64::from((1..=4).contains(&v));
                }
                csv.push('\n');
                rows += 1;
            }
        }
        write_file(&ind.join(format!("q-{year}.csv")), &csv)?;
        csv_files += 1;
        csv_bytes += csv.len() as u64;
    }

    Ok(DataStats {
        provinces,
        cities,
        counties: n,
        small_counties,
        population: total,
        quarters,
        first_period: period_name(first),
        rows,
        small_cells,
        areas_bytes: areas.len() as u64,
        definitions_bytes: definitions.len() as u64,
        csv_files,
        csv_bytes,
    })
}

// ---------------------------------------------------------------------------
// Indicator data at province scale (--province)
// ---------------------------------------------------------------------------

const P_PROVINCE_COUNTY: u64 = 8; // a county's level on every rate
const P_TOWNSHIP: u64 = 9; // a township's population and its level on every rate
/// One township's noise in one quarter (purpose `P_TOWNSHIP_ROW + quarter`), far
/// from every other purpose.
const P_TOWNSHIP_ROW: u64 = 1 << 32;

/// The count columns of the province data files, in order.
const PROVINCE_MEASURES: [&str; 4] = ["registered", "managed", "standard_managed", "on_medication"];

/// The indicators of the province site, defined as in the demo site.
const PROVINCE_INDICATORS: [&str; 4] = [
    "detection_rate",
    "management_rate",
    "standard_management_rate",
    "medication_rate",
];

/// One share per derived measure of the province data, in percent of its base
/// (see `township_row`): (level in 2025Q4, spread of a county's level around
/// it, spread of a township's level around its county's, gain per quarter).
const PROVINCE_SHARES: [(f64, f64, f64, f64); 3] = [
    (95.0, 2.5, 2.0, 0.15), // managed / registered
    (89.0, 4.0, 3.0, 0.35), // standard_managed / registered
    (87.0, 5.0, 3.0, 0.40), // on_medication / managed
];

/// A township of the province tree.
struct Township {
    id: String,
    population: u64,
    /// One of the about 10% small townships (1–30 registered).
    small: bool,
    /// Detection rate in 2025Q4, ‰.
    detection: f64,
    /// The township's level on each of `PROVINCE_SHARES`, in percent.
    shares: [f64; 3],
}

/// The 4 counts of township `k` in quarter `q` (absolute, see `LAST_QUARTER`):
/// standard_managed ≤ managed ≤ registered and on_medication ≤ managed.
fn township_row(seed: u64, k: u64, t: &Township, q: u64) -> [u64; 4] {
    let back = (LAST_QUARTER - q) as f64;
    let mut r = Rng::stream(seed, k, P_TOWNSHIP_ROW + q);
    let noise = if t.small { 4.0 } else { 1.0 };
    let mut share = |i: usize| -> f64 {
        let (_, _, _, gain) = PROVINCE_SHARES[i];
        (t.shares[i] - gain * back + r.signed() * noise).clamp(5.0, 100.0) / 100.0
    };
    let (s0, s1, s2) = (share(0), share(1), share(2));
    let detection = (t.detection - 0.02 * back).max(0.5) * (1.0 + 0.03 * r.signed());
    let mut registered = round(t.population as f64 * detection / 1000.0).max(1);
    if t.small {
        registered = registered.min(30);
    }
    let reg = registered as f64;
    let managed = round(reg * s0).min(registered);
    let standard_managed = round(reg * s1).min(managed);
    let on_medication = round(managed as f64 * s2).min(managed);
    [registered, managed, standard_managed, on_medication]
}

/// The demo site's definitions of `ids` (measures and indicators), in the
/// demo's order, without its leading comment.
fn demo_definitions_of(ids: &[&str]) -> Result<String, String> {
    let body_at = DEMO_DEFINITIONS
        .find("[[")
        .unwrap_or(DEMO_DEFINITIONS.len());
    let body = &DEMO_DEFINITIONS[body_at..];
    let mut starts: Vec<usize> = body.match_indices("\n[[").map(|(i, _)| i + 1).collect();
    starts.insert(0, 0);
    starts.push(body.len());
    let mut kept = Vec::new();
    let mut found = vec![false; ids.len()];
    for w in starts.windows(2) {
        let block = &body[w[0]..w[1]];
        if let Some(i) = ids
            .iter()
            .position(|id| block.contains(&format!("\nid = \"{id}\"\n")))
        {
            found[i] = true;
            kept.push(block.trim_end());
        }
    }
    if let Some(i) = found.iter().position(|f| !f) {
        return Err(format!(
            "data/indicators/definitions.toml of the demo site defines no {:?}",
            ids[i]
        ));
    }
    Ok(kept.join("\n\n") + "\n")
}

struct ProvinceStats {
    counties: u64,
    townships: u64,
    small_townships: u64,
    population: u64,
    quarters: u64,
    first_period: String,
    rows: u64,
    /// Rows with fewer than 20 registered (min_denominator).
    small_denominators: u64,
    /// Counts of managed, standard_managed or on_medication in 1..=4.
    small_cells: u64,
    /// Rows whose registered − managed is in 1..=4.
    small_differences: u64,
    areas_bytes: u64,
    definitions_bytes: u64,
    csv_files: u64,
    csv_bytes: u64,
}

impl ProvinceStats {
    fn summary(&self) -> String {
        format!(
            "synth: indicator data: 1 province, {} counties, {} townships ({} small), {} areas, population {}; \
             {} quarters {}–2025Q4, {} rows ({} with registered < 20), {} counts of 1–4 in managed/standard_managed/on_medication, \
             {} rows with registered − managed in 1–4; \
             data/areas.toml {} bytes, definitions.toml {} bytes, {} CSV files {} bytes ({:.1} MiB)",
            self.counties,
            self.townships,
            self.small_townships,
            1 + self.counties + self.townships,
            self.population,
            self.quarters,
            self.first_period,
            self.rows,
            self.small_denominators,
            self.small_cells,
            self.small_differences,
            self.areas_bytes,
            self.definitions_bytes,
            self.csv_files,
            self.csv_bytes,
            self.csv_bytes as f64 / (1024.0 * 1024.0)
        )
    }
}

/// Writes `data/areas.toml`, `data/indicators/definitions.toml` and
/// `data/indicators/q-YYYY.csv` for one province of `counties` counties of
/// `townships` townships each, and `quarters` quarters.
fn write_province_data(
    out: &Path,
    seed: u64,
    counties: u64,
    townships: u64,
    quarters: u64,
) -> Result<ProvinceStats, String> {
    let mut ids: Vec<&str> = PROVINCE_MEASURES.to_vec();
    ids.extend(PROVINCE_INDICATORS);
    let definitions = format!(
        "# 合成基准站点（省级规模）的指标定义，取自演示站点；数据均为虚构的示例数据。\n\
         # Synthetic benchmark data (province scale): 4 measures and 4 indicators of the demo site.\n\n{}",
        demo_definitions_of(&ids)?
    );

    // The tree: the province, its counties, their townships.
    let cw = digits(counties).max(3);
    let tw = digits(townships);
    // (county id, county name, township range)
    let mut plan: Vec<(String, String, std::ops::Range<usize>)> = Vec::new();
    let mut towns: Vec<Township> = Vec::with_capacity((counties * townships) as usize);
    let mut small_townships = 0;
    for c in 0..counties {
        let cid = format!("c{:0cw$}", c + 1);
        let mut cr = Rng::stream(seed, c, P_PROVINCE_COUNTY);
        let county_detection = 3.5 + 1.2 * cr.unit();
        let mut county_shares = [0.0; 3];
        for (s, &(level, spread, _, _)) in county_shares.iter_mut().zip(PROVINCE_SHARES.iter()) {
            *s = level + spread * cr.signed();
        }
        let start = towns.len();
        for t in 0..townships {
            let k = towns.len() as u64;
            let mut tr = Rng::stream(seed, k, P_TOWNSHIP);
            // About 10% are small, remote townships of 600–7,000 people with
            // 1–30 registered patients: counts of 1–4 (primary suppression) and
            // denominators under 20 in most quarters.
            let small = tr.chance(10);
            let (population, detection) = if small {
                small_townships += 1;
                let p = 600.0 * (tr.unit() * (7_000.0f64 / 600.0).ln()).exp();
                (round(p).clamp(600, 7_000), 2.0 + 2.5 * tr.unit())
            } else {
                let p = 8_000.0 * (tr.unit() * 10f64.ln()).exp();
                (
                    round(p).clamp(8_000, 80_000),
                    (county_detection + 0.5 * tr.signed()).max(3.0),
                )
            };
            let widen = if small { 2.5 } else { 1.0 };
            let mut shares = [0.0; 3];
            for ((s, &cs), &(_, _, spread, _)) in shares
                .iter_mut()
                .zip(county_shares.iter())
                .zip(PROVINCE_SHARES.iter())
            {
                *s = cs + widen * spread * tr.signed();
            }
            towns.push(Township {
                id: format!("{cid}-t{:0tw$}", t + 1),
                population,
                small,
                detection,
                shares,
            });
        }
        plan.push((cid, format!("示例县{:0cw$}", c + 1), start..towns.len()));
    }

    // data/areas.toml, in tree order: each area followed by its children.
    let total: u64 = towns.iter().map(|t| t.population).sum();
    let mut areas = String::with_capacity(towns.len() * 96 + 4096);
    let _ = writeln!(
        areas,
        "# 合成基准站点（省级规模）的行政区划：1 个省、{counties} 个县、{} 个乡镇，名称和人口均为虚构的示例数据。\n\
         # Synthetic: a parent's counts are the sum of its children's; its population is the sum of theirs.",
        towns.len()
    );
    area_entry(&mut areas, "prov", "合成示例省", None, total);
    for (c, (cid, cname, range)) in plan.iter().enumerate() {
        let cpop: u64 = towns[range.clone()].iter().map(|t| t.population).sum();
        area_entry(&mut areas, cid, cname, Some("prov"), cpop);
        for (t, town) in towns[range.clone()].iter().enumerate() {
            let kind = if town.small { "山乡" } else { "镇" };
            let name = format!("示例{kind}{:0cw$}-{:0tw$}", c + 1, t + 1);
            area_entry(&mut areas, &town.id, &name, Some(cid), town.population);
        }
    }

    let data = out.join("data");
    let ind = data.join("indicators");
    fs::create_dir_all(&ind).map_err(|e| format!("cannot create {}: {e}", ind.display()))?;
    write_file(&data.join("areas.toml"), &areas)?;
    write_file(&ind.join("definitions.toml"), &definitions)?;

    // data/indicators/q-YYYY.csv: one row per township and quarter.
    let first = LAST_QUARTER + 1 - quarters;
    let mut header = String::from("period,area");
    for m in PROVINCE_MEASURES {
        header.push(',');
        header.push_str(m);
    }
    header.push('\n');
    let per_quarter = towns.len() * 40;
    let mut stats = ProvinceStats {
        counties,
        townships: towns.len() as u64,
        small_townships,
        population: total,
        quarters,
        first_period: period_name(first),
        rows: 0,
        small_denominators: 0,
        small_cells: 0,
        small_differences: 0,
        areas_bytes: areas.len() as u64,
        definitions_bytes: definitions.len() as u64,
        csv_files: 0,
        csv_bytes: 0,
    };
    for year in first / 4..=LAST_QUARTER / 4 {
        let qs = (year * 4).max(first)..=(year * 4 + 3).min(LAST_QUARTER);
        let mut csv = String::with_capacity(header.len() + 4 * per_quarter);
        csv.push_str(&header);
        for q in qs {
            let period = period_name(q);
            for (k, t) in towns.iter().enumerate() {
                let row = township_row(seed, k as u64, t, q);
                let _ = writeln!(
                    csv,
                    "{period},{},{},{},{},{}",
                    t.id, row[0], row[1], row[2], row[3]
                );
                stats.rows += 1;
                stats.small_denominators += u64::from(row[0] < 20);
                stats.small_cells +=
                    row[1..].iter().filter(|v| (1..=4).contains(*v)).count() as u64;
                stats.small_differences += u64::from((1..=4).contains(&(row[0] - row[1])));
            }
        }
        write_file(&ind.join(format!("q-{year}.csv")), &csv)?;
        stats.csv_files += 1;
        stats.csv_bytes += csv.len() as u64;
    }
    Ok(stats)
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

const USAGE: &str = "usage: synth --pages N --out DIR [--seed S] [--sections K] [--force]
             [--data-areas N | --province [--counties C] [--townships T]] [--quarters Q]

Generates a synthetic anxin site for benchmarking.

  --pages N        number of pages to generate (required)
  --out DIR        output folder; must not exist or be empty (required)
  --seed S         PRNG seed, an unsigned integer (default 42)
  --sections K     number of sections, at least 1 (default 20)
  --force          delete DIR first if it exists and is not empty
  --data-areas N   also write indicator data for N counties under ~31 provinces
                   and ~310 cities (2800 is the national scale; default 0: none)
  --province       write indicator data for one province instead (not with
                   --data-areas): C counties of T townships each, about 10% of
                   them small, a row per township and quarter
                   (--quarters 40: 1,601 areas, 60,000 rows)
  --counties C     counties of the province, 1..=9999 (default 100)
  --townships T    townships per county, 1..=999 (default 15)
  --quarters Q     quarters of indicator data, ending with 2025Q4, 1..=400
                   (default 8)
  -h, --help       show this help";

struct Args {
    pages: u64,
    out: PathBuf,
    seed: u64,
    sections: u64,
    force: bool,
    data_areas: u64,
    /// `Some((counties, townships))` with `--province`.
    province: Option<(u64, u64)>,
    quarters: u64,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut pages = None;
    let mut out = None;
    let mut seed = 42u64;
    let mut sections = 20u64;
    let mut force = false;
    let mut data_areas = 0u64;
    let mut quarters = 8u64;
    let mut province = false;
    let mut counties = None;
    let mut townships = None;
    let mut it = std::env::args_os().skip(1);
    while let Some(raw) = it.next() {
        let raw = raw
            .into_string()
            .map_err(|a| format!("argument is not valid UTF-8: {a:?}"))?;
        let (flag, inline) = match raw.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (raw.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it
                    .next()
                    .and_then(|v| v.into_string().ok())
                    .ok_or_else(|| format!("{name} needs a value")),
            }
        };
        let num = |name: &str, v: String| -> Result<u64, String> {
            v.trim()
                .parse::<u64>()
                .map_err(|_| format!("{name} expects an unsigned integer, got {v:?}"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--pages" => pages = Some(num("--pages", value("--pages")?)?),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => seed = num("--seed", value("--seed")?)?,
            "--sections" => sections = num("--sections", value("--sections")?)?,
            "--force" if inline.is_none() => force = true,
            "--data-areas" => data_areas = num("--data-areas", value("--data-areas")?)?,
            "--quarters" => quarters = num("--quarters", value("--quarters")?)?,
            "--province" if inline.is_none() => province = true,
            "--counties" => counties = Some(num("--counties", value("--counties")?)?),
            "--townships" => townships = Some(num("--townships", value("--townships")?)?),
            _ => return Err(format!("unknown argument {raw:?}")),
        }
    }
    let pages = pages.ok_or("--pages N is required")?;
    let out = out.ok_or("--out DIR is required")?;
    if sections == 0 {
        return Err("--sections must be at least 1".into());
    }
    if pages > 99_999_999 {
        return Err("--pages must be at most 99999999".into());
    }
    if data_areas > 1_000_000 {
        return Err("--data-areas must be at most 1000000".into());
    }
    if !(1..=400).contains(&quarters) {
        return Err("--quarters must be between 1 and 400".into());
    }
    if !province && (counties.is_some() || townships.is_some()) {
        return Err("--counties and --townships need --province".into());
    }
    if province && data_areas > 0 {
        return Err("--province and --data-areas exclude each other".into());
    }
    let counties = counties.unwrap_or(100);
    let townships = townships.unwrap_or(15);
    if !(1..=9999).contains(&counties) {
        return Err("--counties must be between 1 and 9999".into());
    }
    if !(1..=999).contains(&townships) {
        return Err("--townships must be between 1 and 999".into());
    }
    Ok(Some(Args {
        pages,
        out,
        seed,
        sections,
        force,
        data_areas,
        province: province.then_some((counties, townships)),
        quarters,
    }))
}

/// Ensures `dir` exists and is empty. Err((exit code, message)).
fn prepare_out(dir: &Path, force: bool) -> Result<(), (u8, String)> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err((1, format!("cannot inspect {}: {e}", dir.display()))),
        Ok(md) if !md.is_dir() => {
            return Err((
                2,
                format!(
                    "{} exists and is not a directory; refusing to touch it",
                    dir.display()
                ),
            ));
        }
        Ok(_) => {
            let non_empty = fs::read_dir(dir)
                .map_err(|e| (1, format!("cannot read {}: {e}", dir.display())))?
                .next()
                .is_some();
            if non_empty {
                if !force {
                    return Err((
                        2,
                        format!(
                            "output folder {} exists and is not empty; choose another --out or pass --force to delete it first",
                            dir.display()
                        ),
                    ));
                }
                // Guard against deleting something precious by accident.
                let canon =
                    fs::canonicalize(dir).map_err(|e| (1, format!("{}: {e}", dir.display())))?;
                let cwd = std::env::current_dir()
                    .ok()
                    .and_then(|c| fs::canonicalize(c).ok());
                if canon.parent().is_none()
                    || cwd.as_ref().is_some_and(|c| c.starts_with(&canon))
                    || canon.join(".git").exists()
                {
                    return Err((
                        2,
                        format!(
                            "refusing to --force delete {}: it is a filesystem root, contains the current directory, or is a git repository",
                            canon.display()
                        ),
                    ));
                }
                fs::remove_dir_all(dir)
                    .map_err(|e| (1, format!("cannot delete {}: {e}", dir.display())))?;
            }
        }
    }
    fs::create_dir_all(dir).map_err(|e| (1, format!("cannot create {}: {e}", dir.display())))?;
    Ok(())
}

fn write_file(path: &Path, data: &str) -> Result<(), String> {
    fs::write(path, data).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Bytes of the pages (and site.toml), and a line on what the indicator data
/// came to.
fn run(args: Args) -> Result<(u64, Option<String>), (u8, String)> {
    prepare_out(&args.out, args.force)?;
    let io = |e: String| (1u8, e);
    let plan = Plan {
        seed: args.seed,
        pages: args.pages,
        sections: args.sections,
    };
    let content = args.out.join("content");
    fs::create_dir_all(&content)
        .map_err(|e| (1, format!("cannot create {}: {e}", content.display())))?;
    let mut total: u64 = 0;

    let mut site = "title = \"安心合成基准站点 Synthetic benchmark site\"\n\
         base_url = \"https://example.org\"\n\
         default_language = \"zh-CN\"\n\
         \n\
         [crisis]\n\
         number = \"12356\"\n\
         text = \"心理援助热线 12356（24小时）\"\n"
        .to_string();
    if args.data_areas > 0 || args.province.is_some() {
        site.push_str(
            "\n[privacy]\n\
             min_count = 5\n\
             min_denominator = 20\n\
             suppress_zero = false\n\
             \n\
             [data]\n\
             publisher = \"安心合成基准站点（示例）\"\n\
             license = \"CC-BY-4.0\"\n",
        );
    }
    if args.province.is_some() {
        // The figures are made up: every data page says so.
        site.push_str("sample = true\n");
    }
    write_file(&args.out.join("site.toml"), &site).map_err(io)?;
    total += site.len() as u64;

    let home = plan.home();
    write_file(&content.join("_index.md"), &home).map_err(io)?;
    total += home.len() as u64;

    let sec_paths: Vec<PathBuf> = (1..=plan.sections)
        .map(|s| content.join(sec_dir(s)))
        .collect();
    for (n, p) in sec_paths.iter().enumerate() {
        fs::create_dir(p).map_err(|e| (1, format!("cannot create {}: {e}", p.display())))?;
        let sec = plan.section(n as u64 + 1);
        write_file(&p.join("_index.md"), &sec).map_err(io)?;
        total += sec.len() as u64;
    }

    // Pages, in parallel; every page has its own PRNG stream so the result does not
    // depend on the number of threads or on scheduling.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16) as u64;
    let results: Vec<Result<u64, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|w| {
                let plan = &plan;
                let sec_paths = &sec_paths;
                scope.spawn(move || -> Result<u64, String> {
                    let mut buf = String::with_capacity(16 * 1024);
                    let mut bytes = 0u64;
                    let mut i = w + 1;
                    while i <= plan.pages {
                        buf.clear();
                        plan.page(i, &mut buf);
                        let s = section_of(i, plan.sections);
                        let path = sec_paths[(s - 1) as usize].join(page_file(i));
                        write_file(&path, &buf)?;
                        bytes += buf.len() as u64;
                        i += threads;
                    }
                    Ok(bytes)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("worker thread panicked".into()))
            })
            .collect()
    });
    for r in results {
        total += r.map_err(io)?;
    }

    let data = if let Some((counties, townships)) = args.province {
        Some(
            write_province_data(&args.out, args.seed, counties, townships, args.quarters)
                .map_err(io)?
                .summary(),
        )
    } else if args.data_areas > 0 {
        Some(
            write_data(&args.out, args.seed, args.data_areas, args.quarters)
                .map_err(io)?
                .summary(),
        )
    } else {
        None
    };
    Ok((total, data))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("synth: error: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let (pages, sections, out) = (args.pages, args.sections, args.out.clone());
    match run(args) {
        Ok((bytes, data)) => {
            println!(
                "synth: {pages} pages, {sections} sections, {bytes} bytes ({:.1} MiB) written to {} in {:.2}s",
                bytes as f64 / (1024.0 * 1024.0),
                out.display(),
                started.elapsed().as_secs_f64()
            );
            if let Some(d) = data {
                println!("{d}");
            }
            ExitCode::SUCCESS
        }
        Err((code, msg)) => {
            eprintln!("synth: error: {msg}");
            ExitCode::from(code)
        }
    }
}

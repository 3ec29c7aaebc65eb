//! What the search index weighs on a large site and what typical queries
//! cost a phone, on a synthetic corpus of mixed Chinese and English entries.
//!
//! ```text
//! cargo run --release --example search_size -- [N] [--gzip] [--out DIR]
//! cargo run --release --example search_size -- --site PUBLIC [--lang en] [--gzip]
//! ```
//!
//! With `--site`, the index a build wrote (PUBLIC/search/<lang>/, `zh-CN`
//! unless `--lang`) instead of a synthetic one.
//!
//! N entries (default 10,000): about 1% hotlines with grouped phone numbers,
//! 1% indicators, the rest pages, one in five of them in English. Bodies
//! are 300–900 words' worth of sentences built from the vocabulary of
//! `examples/synth.rs`, plus place and person names drawn from 500 common
//! characters so that the index has the long tail of rare pairs real text
//! has. The same N gives the same corpus, byte for byte.
//!
//! `--gzip` also measures each fetched file, and the whole index, with the
//! system's `gzip -6` (what a static host typically serves); `--out` writes
//! the index files under DIR to look at or serve.

use anxin::output::OutputFile;
use anxin::search::{Entry, EntryKind, build_index, size_report};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::LazyLock;
use std::time::Instant;

#[path = "common/mod.rs"]
mod common;
use common::rng::Rng;
use common::vocab::*;

const DEFAULT_DIR: &str = "search/zh-CN";
/// The corpus's seed: the same N gives the same entries.
const SEED: u64 = 42;
const QUERIES: &[&str] = &[
    "心理援助",
    "补贴",
    "12356",
    "subsidy",
    "免费服药",
    "subsid",
    "0571-8888 8888",
    "如何申请监护人以奖代补",
    "不存在的词",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let gzip = args.iter().any(|a| a == "--gzip");
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1));

    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let lang = value_of("--lang").map_or("zh-CN", String::as_str);
    let dir_owned = format!("search/{lang}");
    let (files, dir) = match value_of("--site") {
        Some(site) => (built_index(site, &dir_owned), dir_owned.as_str()),
        None => {
            let entries: Vec<Entry> = (0..n as u64).map(synthetic_entry).collect();
            let text_bytes: usize = entries.iter().map(|e| e.body.len()).sum();
            let started = Instant::now();
            let files = build_index(&entries, DEFAULT_DIR);
            println!(
                "{n} entries, {:.1} MB of body text; index built in {:.2} s",
                text_bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            (files, DEFAULT_DIR)
        }
    };
    let report = size_report(&files, dir, QUERIES);
    print!("{report}");

    if gzip {
        let by_path = |p: &str| files.iter().find(|f| f.path == format!("{dir}/{p}"));
        for q in &report.queries {
            let zipped: usize = q
                .fetched
                .iter()
                .filter_map(|(p, _)| by_path(p).and_then(gzipped))
                .sum();
            println!(
                "query {:?}: {:.1} kB gzip ({:.1} kB raw)",
                q.query,
                zipped as f64 / 1000.0,
                q.bytes as f64 / 1000.0
            );
        }
        let total: usize = files.iter().filter_map(gzipped).sum();
        println!("index: {:.1} kB gzip", total as f64 / 1000.0);
    }
    if let Some(out_dir) = out {
        for f in &files {
            let path = std::path::Path::new(out_dir).join(&f.path);
            let bytes = f.contents.read().expect("index files are in memory");
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("create a folder");
            std::fs::write(&path, &bytes).expect("write an index file");
        }
        println!("wrote {} files under {out_dir}/{dir}/", files.len());
    }
}

/// The index files a build wrote under `site/dir`, with their paths in the
/// site, as the size report reads them.
fn built_index(site: &str, dir: &str) -> Vec<OutputFile> {
    let root = std::path::Path::new(site);
    let mut files: Vec<OutputFile> = walkdir::WalkDir::new(root.join(dir))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).expect("inside the site");
            let text = std::fs::read_to_string(e.path()).expect("an index file is UTF-8 text");
            OutputFile::text(anxin::output::slash_path(rel), text)
        })
        .collect();
    assert!(
        !files.is_empty(),
        "no index under {}/{dir}: build the site first",
        root.display()
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Size of a file after `gzip -6`, or nothing without a working gzip.
fn gzipped(file: &OutputFile) -> Option<usize> {
    let bytes = file.contents.read().ok()?;
    let mut child = Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    Some(output.stdout.len())
}

impl Rng {
    /// A name of `len` characters from the common-character pool.
    fn name(&mut self, len: u64) -> String {
        static POOL: LazyLock<Vec<char>> = LazyLock::new(|| COMMON.chars().collect());
        (0..len)
            .map(|_| POOL[self.below(POOL.len() as u64) as usize])
            .collect()
    }
}

fn synthetic_entry(i: u64) -> Entry {
    let mut r = Rng::stream(SEED, i, 0);
    match i % 100 {
        7 => hotline(&mut r, i),
        42 => indicator(&mut r, i),
        n if n % 5 == 3 => page(&mut r, i, true),
        _ => page(&mut r, i, false),
    }
}

fn page(r: &mut Rng, i: u64, english: bool) -> Entry {
    let mut body = String::new();
    let target = r.range(300, 900) as usize * if english { 6 } else { 2 };
    let mut headings = Vec::new();
    // Characters written so far, kept as it grows: counting the whole body
    // each round would be quadratic.
    let mut chars = 0;
    while chars < target {
        let start = body.len();
        if r.chance(15) {
            let (zh, en) = HEADINGS[r.below(HEADINGS.len() as u64) as usize];
            let h = if english { en } else { zh };
            headings.push(h.to_string());
            body.push_str(h);
            body.push('\n');
        }
        if english {
            en_sentence(r, &mut body);
        } else {
            zh_sentence(r, &mut body);
        }
        body.push(if r.chance(20) { '\n' } else { ' ' });
        chars += body[start..].chars().count();
    }
    let place = r.pick(TITLE_PLACES);
    let (kind_zh, kind_en) = KINDS[r.below(KINDS.len() as u64) as usize];
    let (topic_zh, topic_en) = HEADINGS[r.below(HEADINGS.len() as u64) as usize];
    let title = if english {
        format!("{topic_en}: {kind_en} {}", r.range(2020, 2025))
    } else {
        format!("{place}{topic_zh}{kind_zh}")
    };
    let tags = (0..r.range(1, 4))
        .map(|_| r.pick(TAGS).to_string())
        .collect();
    let description = if r.chance(60) {
        body.chars().take(80).collect()
    } else {
        String::new()
    };
    Entry {
        url: format!(
            "{}/sec-{:02}/page-{i:05}/",
            if english { "/en" } else { "" },
            i % 20
        ),
        kind: EntryKind::Page,
        title,
        description,
        headings,
        tags,
        body,
    }
}

fn hotline(r: &mut Rng, i: u64) -> Entry {
    let city = format!("{}市", r.name(2));
    // The first hotline has the number the report's query looks for.
    let number = if i == 7 {
        "0571-8888 8888".to_string()
    } else if r.chance(20) {
        "12356".to_string()
    } else {
        format!(
            "0{}-{} {}",
            r.range(100, 999),
            r.range(1000, 9999),
            r.range(1000, 9999)
        )
    };
    Entry {
        url: format!("/hotlines/#hotline-{i}"),
        kind: EntryKind::Hotline,
        title: format!("{city}心理援助热线 {number}"),
        description: format!("{city}卫生健康委员会设立，免费、保密。"),
        headings: Vec::new(),
        tags: vec!["热线".into()],
        body: format!(
            "电话 {number}。服务时间：{}。提供心理疏导、危机干预和转介服务。",
            r.pick(&["24小时", "每天8:00-22:00", "工作日9:00-17:00"])
        ),
    }
}

fn indicator(r: &mut Rng, i: u64) -> Entry {
    let name = r.pick(INDICATORS);
    Entry {
        url: format!("/data/indicator-{i}/"),
        kind: EntryKind::Indicator,
        title: name.to_string(),
        description: format!("{name}的定义、口径和各地数据。"),
        headings: vec!["定义".into(), "数据".into()],
        tags: vec!["数据".into()],
        body: format!(
            "{name}按季度统计。截至2025年底，全县{name}为{}.{}%。",
            r.range(60, 99),
            r.below(10)
        ),
    }
}

fn zh_sentence(r: &mut Rng, out: &mut String) {
    let s = match r.below(6) {
        0 => format!(
            "{}{}{}{}，{}。",
            r.pick(SUBJ_ZH),
            r.pick(ADV_ZH),
            r.pick(VERB_ZH),
            r.pick(OBJ_ZH),
            r.pick(CLAUSE_ZH)
        ),
        1 => format!(
            "{}，{}{}{}{}次，覆盖{}约{}人。",
            r.pick(TIME_ZH),
            r.pick(SUBJ_ZH),
            r.pick(VERB_ZH),
            r.pick(OBJ_ZH),
            r.range(2, 60),
            r.pick(GROUP_ZH),
            r.range(30, 9000)
        ),
        2 => format!(
            "{}{}的{}同志介绍，{}{}{}。",
            r.name(2),
            r.pick(&["镇", "村", "社区", "街道"]),
            r.name(2),
            r.pick(SUBJ_ZH),
            r.pick(VERB_ZH),
            r.pick(OBJ_ZH)
        ),
        3 => format!(
            "如遇情绪困扰，可拨打{}心理援助热线，{}。",
            if r.chance(70) { "12356" } else { "12320" },
            r.pick(CLAUSE_ZH)
        ),
        4 => format!(
            "符合条件的监护人每年可领取{}元补贴，{}。",
            r.range(5, 30) * 100,
            r.pick(CLAUSE_ZH)
        ),
        _ => format!(
            "{}在{}{}，{}。",
            r.pick(GROUP_ZH),
            r.name(3),
            r.pick(&["参加活动", "接受随访", "领取药品", "咨询政策"]),
            r.pick(CLAUSE_ZH)
        ),
    };
    out.push_str(&s);
}

fn en_sentence(r: &mut Rng, out: &mut String) {
    let s = match r.below(4) {
        0 => format!(
            "{} {} {} {}.",
            r.pick(SUBJ_EN),
            r.pick(VERB_EN),
            r.pick(OBJ_EN),
            r.pick(ADVL_EN)
        ),
        1 => format!(
            "In {}, {} residents {} {}.",
            r.range(2020, 2025),
            r.range(12, 4800),
            r.pick(&[
                "were screened",
                "received follow-up visits",
                "called the hotline"
            ]),
            r.pick(ADVL_EN)
        ),
        2 => format!(
            "Anyone in distress can call {} at any hour, {}.",
            if r.chance(70) { "12356" } else { "12320" },
            r.pick(CLAUSE_EN)
        ),
        _ => format!(
            "Guardians in {} can claim a subsidy of {} yuan a year.",
            r.pick(&["Qingshi", "Liuxi", "Hekou", "Nanshan", "Beiping"]),
            r.range(5, 30) * 100
        ),
    };
    out.push_str(&s);
}

// ---------------------------------------------------------------------------
// Vocabulary (from examples/synth.rs, trimmed)
// ---------------------------------------------------------------------------

const COMMON: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车";

const KINDS: &[(&str, &str)] = &[
    ("工作简报", "Brief"),
    ("宣传活动", "Campaign"),
    ("知识问答", "Questions and Answers"),
    ("政策解读", "Explainer"),
    ("培训通知", "Training Notice"),
    ("服务指南", "Service Guide"),
    ("进展报告", "Progress Report"),
];
const HEADINGS: &[(&str, &str)] = &[
    ("随访管理", "Follow-up visits"),
    ("服药指导", "Medication guidance"),
    ("社区康复", "Community rehabilitation"),
    ("监护人职责", "Guardian responsibilities"),
    ("热线服务", "Hotline services"),
    ("危机干预", "Crisis intervention"),
    ("以奖代补", "Guardian subsidy"),
    ("一站式结算", "One-stop settlement"),
    ("免费服药", "Free medication"),
    ("健康教育", "Health education"),
    ("同伴支持", "Peer support"),
    ("风险评估", "Risk assessment"),
    ("常见问题", "Frequently asked questions"),
    ("办理流程", "How to apply"),
];

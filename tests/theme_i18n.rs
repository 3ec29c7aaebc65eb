//! The default theme in more than one language: every text a template asks
//! `trans` for is in both i18n files and every text in them is used, so the
//! files cannot drift apart; no Chinese is left written into a template; and
//! base.html's language links follow the context the render stage gives.

use anxin::config::Config;
use anxin::render::functions::{GetUrl, Lookup};
use anxin::render::i18n::Trans;
use anxin::theme::Theme;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

const LANGUAGES: [&str; 2] = ["zh-CN", "en"];

fn theme_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")
}

/// Every template of the theme: its name and text.
fn templates() -> Vec<(String, String)> {
    let dir = theme_dir().join("templates");
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("readable theme"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(&dir).unwrap().display().to_string();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The keys of every `trans(key="…"` (or `key='…'`, inside an attribute)
/// in the templates, with where each is used.
fn used_keys() -> BTreeMap<String, BTreeSet<String>> {
    const CALL: &str = "trans(key=";
    let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, text) in templates() {
        for (at, _) in text.match_indices(CALL) {
            let rest = &text[at + CALL.len()..];
            let quote = rest.chars().next().expect("a quoted key");
            assert!(
                quote == '"' || quote == '\'',
                "{name}: a key must be quoted"
            );
            let rest = &rest[1..];
            let key = &rest[..rest.find(quote).expect("a closing quote")];
            used.entry(key.to_string())
                .or_default()
                .insert(name.clone());
        }
    }
    // What Rust writes for readers outside the templates (a QR code's
    // label, a calendar file's description) asks `Lang::word("…")`.
    const WORD: &str = ".word(\"";
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.expect("readable source");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let name = entry
            .path()
            .strip_prefix(&src)
            .unwrap()
            .display()
            .to_string();
        for (at, _) in text.match_indices(WORD) {
            let rest = &text[at + WORD.len()..];
            let key = &rest[..rest.find('"').expect("a closing quote")];
            used.entry(key.to_string())
                .or_default()
                .insert(name.clone());
        }
    }
    used
}

fn file_keys(lang: &str) -> BTreeSet<String> {
    let path = theme_dir().join(format!("i18n/{lang}.toml"));
    let table: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for (key, value) in &table {
        assert!(value.is_str(), "{lang}.toml: `{key}` is not a text");
    }
    table.keys().cloned().collect()
}

#[test]
fn every_text_the_templates_use_is_in_both_languages_and_every_text_is_used() {
    let used = used_keys();
    assert!(used.len() > 50, "the scan found too few keys: {used:?}");
    let used_names: BTreeSet<String> = used.keys().cloned().collect();
    for lang in LANGUAGES {
        let known = file_keys(lang);
        let missing: Vec<String> = used_names
            .difference(&known)
            .map(|k| format!("{k} (used in {:?})", used[k]))
            .collect();
        assert!(missing.is_empty(), "not in i18n/{lang}.toml: {missing:?}");
        let unused: Vec<&String> = known.difference(&used_names).collect();
        assert!(
            unused.is_empty(),
            "in i18n/{lang}.toml but in no template: {unused:?}"
        );
    }
}

/// Han characters and Chinese punctuation (、。（）：，“”), which in a template
/// mean a word that English pages would show untranslated.
fn is_chinese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}' | '“' | '”')
}

#[test]
fn the_templates_hold_no_chinese_words_of_their_own() {
    for (name, text) in templates() {
        // Comments are for the theme's maintainers, not its readers.
        let mut shown = String::new();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("{#") {
            shown.push_str(&rest[..start]);
            rest = rest[start..]
                .split_once("#}")
                .map_or("", |(_, after)| after);
        }
        shown.push_str(rest);
        for (number, line) in shown.lines().enumerate() {
            assert!(
                !line.chars().any(is_chinese),
                "{name} has text of its own, not from trans(), on about line {}: {line}",
                number + 1
            );
        }
    }
}

/// Renders `404.html` (base.html's header and head with little else) of the
/// built-in theme, with the template functions as the renderer registers them.
fn render_404(context: Value) -> String {
    let site = tempfile::tempdir().unwrap();
    let config = Config::parse(
        Path::new("site.toml"),
        "title = \"示例\"\nbase_url = \"https://example.org\"\nlanguages = [\"zh-CN\", \"en\"]\n",
    )
    .unwrap();
    let theme = Arc::new(Theme::load(site.path(), &config).unwrap());
    let mut tera = anxin::render::templates::parse_templates(&theme).unwrap();
    let lookup = Lookup {
        base_url: config.base_url.clone(),
        default_language: config.default_language.clone(),
        languages: config.languages.clone(),
        ..Lookup::default()
    };
    tera.register_function("trans", Trans(Arc::clone(&theme)));
    tera.register_function("get_url", GetUrl(Arc::new(RwLock::new(Arc::new(lookup)))));
    let mut ctx = json!({
        "config": {
            "title": "示例",
            "base_url": "https://example.org",
            "default_language": "zh-CN",
            "languages": LANGUAGES,
            "extra": {},
        },
        "crisis": { "number": "12356", "text": "12356", "tel": "tel:12356" },
        "menu": [],
        "lang": "zh-CN",
        "current_path": "/",
        "current_url": "https://example.org/",
    });
    if let (Value::Object(ctx), Value::Object(more)) = (&mut ctx, context) {
        ctx.extend(more);
    }
    tera.render("404.html", &tera::Context::from_value(ctx).unwrap())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn both_languages() -> Value {
    json!({
        "translations": [
            { "lang": "zh-CN", "permalink": "https://example.org/", "title": "首页" },
            { "lang": "en", "permalink": "https://example.org/en/", "title": "Home" },
        ],
    })
}

#[test]
fn an_english_page_links_its_translations_and_switches_language() {
    let mut ctx = both_languages();
    ctx["lang"] = "en".into();
    ctx["lang_home_path"] = "/en/".into();
    ctx["current_path"] = "/en/".into();
    ctx["language_links"] = json!([
        { "lang": "zh-CN", "permalink": "https://example.org/", "current": false },
        { "lang": "en", "permalink": "https://example.org/en/", "current": true },
    ]);
    let html = render_404(ctx);
    for expected in [
        "<html lang=\"en\">",
        "<link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.org/\">",
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/\">",
        "<a class=\"skip-link\" href=\"#main\">Skip to main content</a>",
        "<a class=\"site-title\" href=\"https://example.org/en/\" aria-current=\"page\">",
        "<nav class=\"language-switcher\" aria-label=\"Language\">",
        "<li><a href=\"https://example.org/\" lang=\"zh-CN\" hreflang=\"zh-CN\">中文</a></li>",
        "<li><span lang=\"en\" aria-current=\"true\">English</span></li>",
        "<h1>Page not found</h1>",
        "<a href=\"https://example.org/en/\">Go to the home page</a>",
    ] {
        assert!(html.contains(expected), "no {expected} in:\n{html}");
    }
}

#[test]
fn a_chinese_page_links_english_under_its_own_name() {
    let mut ctx = both_languages();
    ctx["lang_home_path"] = "/".into();
    ctx["current_path"] = "/404.html".into();
    ctx["language_links"] = json!([
        { "lang": "zh-CN", "permalink": "https://example.org/", "current": true },
        { "lang": "en", "permalink": "https://example.org/en/", "current": false },
    ]);
    let html = render_404(ctx);
    for expected in [
        "<nav class=\"language-switcher\" aria-label=\"语言\">",
        "<li><span lang=\"zh-CN\" aria-current=\"true\">中文</span></li>",
        "<li><a href=\"https://example.org/en/\" lang=\"en\" hreflang=\"en\">English</a></li>",
        "<a class=\"site-title\" href=\"https://example.org/\">",
    ] {
        assert!(html.contains(expected), "no {expected} in:\n{html}");
    }
}

#[test]
fn a_page_in_one_language_has_no_language_links() {
    let without = render_404(json!({}));
    let one = render_404(json!({
        "translations": [{ "lang": "zh-CN", "permalink": "https://example.org/", "title": "首页" }],
        "language_links": [{ "lang": "zh-CN", "permalink": "https://example.org/", "current": true }],
        "lang_home_path": "/",
    }));
    assert_eq!(without, one);
    assert!(!without.contains("hreflang"), "{without}");
    assert!(!without.contains("language-switcher"), "{without}");
    // Without `lang_home_path` the default language's home is still `/`.
    assert!(
        without.contains(
            "<a class=\"site-title\" href=\"https://example.org/\" aria-current=\"page\">"
        )
    );
}

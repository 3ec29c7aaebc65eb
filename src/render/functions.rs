//! Template functions, under Zola's names: `get_url`, `get_page`,
//! `get_section`, `get_taxonomy_url`. They read the site through a shared
//! [`Lookup`] that the renderer replaces before each render pass, and record
//! which documents each output asked for, so the incremental engine knows to
//! render that output again when one of them changes.

use super::context::PageValue;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};
use tera::{Function, Result};

/// What the functions can see of the current site.
#[derive(Debug, Default, Clone)]
pub struct Lookup {
    pub base_url: String,
    /// The language whose addresses carry no `/<lang>/` prefix.
    pub default_language: String,
    /// Every language of the site, the default first.
    pub languages: Vec<String>,
    /// Permalinks of pages and sections by relative path (`news/a.md`).
    pub permalinks: HashMap<String, String>,
    pub pages: HashMap<String, Arc<PageValue>>,
    /// Each section's value without its pages, and its pages in order.
    pub sections: HashMap<String, (Arc<Value>, Vec<Arc<PageValue>>)>,
    /// `slug` for the default language's tags, `en/slug` for another's.
    pub tag_slugs: HashSet<String>,
    /// The taxonomies' names, `tags` first.
    pub taxonomies: Vec<String>,
    /// Event pages by start time.
    pub events: Vec<Event>,
    /// Midnight of the build's day: events ending before it are past.
    pub today_start: i64,
}

/// One event page, as `get_events` sorts and filters it.
#[derive(Debug, Clone)]
pub struct Event {
    pub start: i64,
    /// The end, or the start when it has none (as seconds).
    pub end: i64,
    pub rel: String,
    /// The page's language code.
    pub lang: String,
    pub value: Arc<PageValue>,
}

pub type SharedLookup = Arc<RwLock<Arc<Lookup>>>;

fn current(lookup: &SharedLookup) -> Arc<Lookup> {
    // A poisoned lock only means another render panicked; the data is whole.
    match lookup.read() {
        Ok(guard) => Arc::clone(&guard),
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    }
}

thread_local! {
    /// Documents the output being rendered on this thread asked for. Each
    /// render runs start to finish on one thread, so this is per output.
    static DEPENDENCIES: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Starts recording what the functions are asked for on this thread.
pub fn start_recording() {
    DEPENDENCIES.with(|d| *d.borrow_mut() = Some(Vec::new()));
}

/// Stops recording and returns the documents asked for, sorted, each once.
pub fn finish_recording() -> Vec<String> {
    let mut deps = DEPENDENCIES
        .with(|d| d.borrow_mut().take())
        .unwrap_or_default();
    deps.sort_unstable();
    deps.dedup();
    deps
}

fn record(kind: &str, rel: &str) {
    DEPENDENCIES.with(|d| {
        if let Some(list) = d.borrow_mut().as_mut() {
            list.push(format!("{kind}:{rel}"));
        }
    });
}

fn string_arg<'a>(args: &'a HashMap<String, Value>, name: &str, function: &str) -> Result<&'a str> {
    args.get(name).and_then(Value::as_str).ok_or_else(|| {
        format!("{function}() needs a `{name}` text argument, e.g. {function}({name}=\"…\")").into()
    })
}

/// `get_url(path="@/news/a.md")` gives the page's permalink;
/// `get_url(path="style.css")` gives the file's address under base_url.
/// With `lang="en"` (as in Zola) the first gives the permalink of the page's
/// English translation, `news/a.en.md`, and the second the address under
/// `/en/`; the default language's addresses have no prefix.
pub struct GetUrl(pub SharedLookup);

impl Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let lookup = current(&self.0);
        let path = string_arg(args, "path", "get_url")?;
        let lang = match args.get("lang") {
            None => None,
            Some(v) => {
                let lang = v
                    .as_str()
                    .ok_or("get_url: `lang` must be a language code such as \"en\"")?;
                other_language(&lookup, lang, "get_url")?
            }
        };
        if let Some(rel) = path.strip_prefix("@/") {
            let (file, anchor) = rel
                .split_once('#')
                .map_or((rel, None), |(f, a)| (f, Some(a)));
            let wanted = match lang {
                Some(lang) => translation_file(file, lang),
                None => file.to_string(),
            };
            let url = lookup.permalinks.get(&wanted).ok_or_else(|| match lang {
                Some(lang) if lookup.permalinks.contains_key(file) => format!(
                    "get_url: content/{file} has no {lang} translation: content/{wanted} does not exist"
                ),
                _ => format!("get_url: content/{file} does not exist"),
            })?;
            return Ok(attribute(match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url.clone(),
            }));
        }
        let prefix = lang.map(|l| format!("{l}/")).unwrap_or_default();
        Ok(attribute(format!(
            "{}{prefix}{}",
            lookup.base_url,
            path.trim_start_matches('/')
        )))
    }

    /// The address is escaped here (see [`attribute`]), not by tera, whose
    /// escape would write every `/` as `&#x2F;`.
    fn is_safe(&self) -> bool {
        true
    }
}

/// An address as it may stand in a quoted HTML attribute: `& < > " '`
/// escaped, whatever a file name or a template argument put in it.
fn attribute(url: String) -> Value {
    Value::String(crate::html::escape(&url))
}

/// `lang` when it is a language of the site other than the default, `None`
/// for the default (whose addresses have no prefix); an error for a language
/// the site does not have, which is most likely a typo.
fn other_language<'a>(lookup: &Lookup, lang: &'a str, function: &str) -> Result<Option<&'a str>> {
    if lang == lookup.default_language {
        return Ok(None);
    }
    if lookup.languages.iter().any(|l| l == lang) {
        return Ok(Some(lang));
    }
    Err(format!(
        "{function}: `{lang}` is not a language of this site; site.toml has languages = [{}]",
        lookup
            .languages
            .iter()
            .map(|l| format!("\"{l}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .into())
}

/// The file of a page's translation: `news/a.en.md` for `news/a.md`, and
/// `news/_index.en.md` for a section.
fn translation_file(file: &str, lang: &str) -> String {
    match file.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{lang}.md"),
        None => format!("{file}.{lang}"),
    }
}

/// `get_page(path="news/a.md")`.
pub struct GetPage(pub SharedLookup);

impl Function for GetPage {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let path = string_arg(args, "path", "get_page")?.trim_start_matches("@/");
        record("page", path);
        let lookup = current(&self.0);
        lookup
            .pages
            .get(path)
            .map(|v| v.with_body())
            .ok_or_else(|| format!("get_page: there is no page content/{path}").into())
    }
}

/// `get_section(path="news/_index.md")`, with its pages, as in Zola.
pub struct GetSection(pub SharedLookup);

impl Function for GetSection {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let path = string_arg(args, "path", "get_section")?.trim_start_matches("@/");
        // anxin's addition: `limit=3` gives only the first pages, so a home
        // page listing the latest news neither copies nor depends on the rest.
        let limit = match args.get("limit") {
            None => None,
            Some(v) => Some(
                v.as_u64()
                    .ok_or("get_section: `limit` must be a whole number")? as usize,
            ),
        };
        match limit {
            Some(n) => record("section-head", &format!("{n}:{path}")),
            None => record("section", path),
        }
        let lookup = current(&self.0);
        let (section, pages) = lookup
            .sections
            .get(path)
            .ok_or_else(|| format!("get_section: there is no section content/{path}"))?;
        let mut value = Value::clone(section);
        if let Value::Object(map) = &mut value {
            let listed = pages
                .iter()
                .take(limit.unwrap_or(usize::MAX))
                .map(|p| p.listed())
                .collect();
            map.insert("pages".into(), Value::Array(listed));
        }
        Ok(value)
    }
}

/// `get_events(upcoming=true, limit=3, lang="en")`: event pages of one
/// language not yet over, soonest first; `upcoming=false` gives those that
/// are over, latest first. Without `lang`, the default language's events: a
/// page of one language never lists another's.
pub struct GetEvents(pub SharedLookup);

impl Function for GetEvents {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let upcoming = match args.get("upcoming") {
            None => true,
            Some(v) => v
                .as_bool()
                .ok_or("get_events: `upcoming` must be true or false")?,
        };
        let limit = match args.get("limit") {
            None => usize::MAX,
            Some(v) => {
                v.as_u64()
                    .ok_or("get_events: `limit` must be a whole number")? as usize
            }
        };
        record("events", "");
        let lookup = current(&self.0);
        let lang = match args.get("lang") {
            None => lookup.default_language.as_str(),
            Some(v) => {
                let lang = v
                    .as_str()
                    .ok_or("get_events: `lang` must be a language code such as \"en\"")?;
                other_language(&lookup, lang, "get_events")?;
                lang
            }
        };
        let chosen = lookup
            .events
            .iter()
            .filter(|e| e.lang == lang && (e.end >= lookup.today_start) == upcoming);
        let values: Vec<Value> = if upcoming {
            chosen.take(limit).map(|e| e.value.listed()).collect()
        } else {
            chosen.rev().take(limit).map(|e| e.value.listed()).collect()
        };
        Ok(Value::Array(values))
    }
}

/// `get_taxonomy_url(kind="tags", name="培训")`, as in Zola.
pub struct GetTaxonomyUrl(pub SharedLookup);

impl Function for GetTaxonomyUrl {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let kind = string_arg(args, "kind", "get_taxonomy_url")?;
        let name = string_arg(args, "name", "get_taxonomy_url")?;
        let lookup = current(&self.0);
        if !lookup.taxonomies.iter().any(|t| t == kind) {
            return Err(format!(
                "get_taxonomy_url: the site has no taxonomy `{kind}`; it has {} (declared in site.toml)",
                lookup.taxonomies.join(", ")
            )
            .into());
        }
        // Keys are `kind/slug`, and `lang/kind/slug` in another language.
        let slug = format!("{kind}/{}", crate::content::slug::slugify(name));
        // Each language has its own tags, under its prefix: `en/tags/…`.
        // Without `lang`, the default language's tag, else the one language
        // that has a tag of that name (a theme written for one language
        // keeps working on a translated page).
        let prefix = match args.get("lang").and_then(Value::as_str) {
            Some(lang) if lang != lookup.default_language => format!("{lang}/"),
            Some(_) => String::new(),
            None if lookup.tag_slugs.contains(&slug) => String::new(),
            None => lookup
                .tag_slugs
                .iter()
                .filter_map(|key| key.strip_suffix(slug.as_str())?.strip_suffix('/'))
                .min()
                .map(|lang| format!("{lang}/"))
                .unwrap_or_default(),
        };
        if !lookup.tag_slugs.contains(&format!("{prefix}{slug}")) {
            return Err(format!("get_taxonomy_url: no page has the {kind} term `{name}`").into());
        }
        Ok(attribute(format!("{}{prefix}{slug}/", lookup.base_url)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup() -> SharedLookup {
        let mut lookup = Lookup {
            base_url: "https://example.org/".into(),
            default_language: "zh-CN".into(),
            languages: vec!["zh-CN".into(), "en".into()],
            ..Lookup::default()
        };
        for (rel, url) in [
            ("_index.md", "https://example.org/"),
            ("_index.en.md", "https://example.org/en/"),
            ("news/a.md", "https://example.org/news/a/"),
            ("news/a.en.md", "https://example.org/en/news/a/"),
            ("news/b.md", "https://example.org/news/b/"),
        ] {
            lookup.permalinks.insert(rel.into(), url.into());
        }
        Arc::new(RwLock::new(Arc::new(lookup)))
    }

    fn get_url(pairs: &[(&str, &str)]) -> std::result::Result<String, String> {
        let args: HashMap<String, Value> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::from(*v)))
            .collect();
        match GetUrl(lookup()).call(&args) {
            Ok(Value::String(url)) => Ok(url),
            Ok(other) => Err(format!("not a string: {other}")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn addresses_are_escaped_for_an_attribute_whatever_their_parts_hold() {
        assert_eq!(
            get_url(&[("path", "a\"><script>x</script>&'.css")]).unwrap(),
            "https://example.org/a&quot;&gt;&lt;script&gt;x&lt;/script&gt;&amp;&#39;.css"
        );
    }

    #[test]
    fn plain_paths_get_the_language_prefix_except_the_default() {
        assert_eq!(
            get_url(&[("path", "/"), ("lang", "en")]).unwrap(),
            "https://example.org/en/"
        );
        assert_eq!(
            get_url(&[("path", "/hotlines/"), ("lang", "en")]).unwrap(),
            "https://example.org/en/hotlines/"
        );
        assert_eq!(
            get_url(&[("path", "/"), ("lang", "zh-CN")]).unwrap(),
            "https://example.org/"
        );
        assert_eq!(
            get_url(&[("path", "style.css")]).unwrap(),
            "https://example.org/style.css"
        );
    }

    #[test]
    fn content_paths_give_the_translation_in_the_language_asked_for() {
        assert_eq!(
            get_url(&[("path", "@/news/a.md"), ("lang", "en")]).unwrap(),
            "https://example.org/en/news/a/"
        );
        assert_eq!(
            get_url(&[("path", "@/news/a.md#apply"), ("lang", "en")]).unwrap(),
            "https://example.org/en/news/a/#apply"
        );
        assert_eq!(
            get_url(&[("path", "@/_index.md"), ("lang", "en")]).unwrap(),
            "https://example.org/en/"
        );
        assert_eq!(
            get_url(&[("path", "@/news/a.md"), ("lang", "zh-CN")]).unwrap(),
            "https://example.org/news/a/"
        );
    }

    #[test]
    fn a_missing_translation_or_language_is_an_error() {
        let err = get_url(&[("path", "@/news/b.md"), ("lang", "en")]).unwrap_err();
        assert!(
            err.contains(
                "content/news/b.md has no en translation: content/news/b.en.md does not exist"
            ),
            "{err}"
        );
        let err = get_url(&[("path", "@/news/c.md"), ("lang", "en")]).unwrap_err();
        assert!(err.contains("content/news/c.md does not exist"), "{err}");
        let err = get_url(&[("path", "/"), ("lang", "EN")]).unwrap_err();
        assert!(
            err.contains(
                "`EN` is not a language of this site; site.toml has languages = [\"zh-CN\", \"en\"]"
            ),
            "{err}"
        );
    }
}

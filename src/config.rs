//! `site.toml` → a checked [`Config`]: raw TOML is deserialised with every key
//! known (an unknown key is an error with a suggestion), then defaults and
//! cross-checks are applied once so the rest of the build can trust it.

use crate::diagnostics::Diagnostic;
use crate::localized::Localized;
use crate::toml_input;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Localized,
    base_url: String,
    #[serde(default)]
    description: Option<Localized>,
    #[serde(default = "default_language")]
    default_language: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    crisis: Option<Crisis>,
    #[serde(default)]
    privacy: Privacy,
    #[serde(default)]
    data: DataMeta,
    #[serde(default)]
    hotlines: HotlineSettings,
    #[serde(default = "yes")]
    build_search_index: bool,
    /// Zola's site-wide feed: `/atom.xml` of every dated page.
    #[serde(default = "yes")]
    generate_feeds: bool,
    /// Zola's `taxonomies = [{ name = "categories" }]`; `tags` is always one.
    #[serde(default)]
    taxonomies: Vec<RawTaxonomy>,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: String,
    /// What readers see as its heading: `{ "zh-CN" = "分类", en = "Categories" }`.
    #[serde(default)]
    title: Option<Localized>,
}

/// A way of grouping pages besides sections: `tags`, or one the site names.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    pub name: String,
    /// `None` for `tags`, whose heading is the theme's word.
    pub title: Option<Localized>,
}

/// The taxonomy every site has.
pub const TAGS: &str = "tags";

/// Folders of the output a taxonomy's name would collide with.
const RESERVED_FOLDERS: [&str; 5] = ["data", "hotlines", "search", "sitemap", "page"];

fn yes() -> bool {
    true
}

fn default_language() -> String {
    "zh-CN".into()
}

fn default_theme() -> String {
    "default".into()
}

/// The crisis line shown on every page, before the main content.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Crisis {
    pub number: String,
    /// May be given per language, like every name shown to readers.
    pub text: Localized,
}

impl Default for Crisis {
    fn default() -> Self {
        Crisis {
            number: "12356".into(),
            text: Localized::ByLanguage(
                [
                    (
                        "zh-CN".to_string(),
                        "心理援助热线 12356（24小时）".to_string(),
                    ),
                    (
                        "en".to_string(),
                        "Mental health helpline 12356 (24 hours)".to_string(),
                    ),
                ]
                .into(),
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Privacy {
    pub min_count: u64,
    pub min_denominator: u64,
    pub suppress_zero: bool,
    pub round_to: Option<u64>,
    /// The fewest whole numbers the range a reader can work out for a hidden
    /// figure must hold; see [`Privacy::protection`].
    pub protection: Option<u64>,
    /// Whether a rate's denominator minus its numerator (registered −
    /// managed: the unmanaged patients) is protected like a count.
    pub protect_complements: bool,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            min_count: 5,
            min_denominator: 20,
            suppress_zero: false,
            round_to: None,
            protection: None,
            protect_complements: true,
        }
    }
}

impl Privacy {
    /// How many whole numbers a hidden figure's range must hold: by default
    /// `min_count − 1`, as many as "fewer than min_count" leaves open
    /// (1, 2, 3, 4 for 5), so working the sums out never tells a reader more
    /// than a small-count label would; and never fewer than 2, so no hidden
    /// figure is ever pinned.
    pub fn protection(&self) -> u64 {
        self.protection
            .unwrap_or(self.min_count.saturating_sub(1))
            .max(2)
    }

    /// Whether `value` is a count that may not be published: 1..min_count−1,
    /// and 0 under `suppress_zero`.
    pub fn is_small(&self, value: u64) -> bool {
        (value > 0 && value < self.min_count) || (value == 0 && self.suppress_zero)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataMeta {
    pub publisher: Option<String>,
    pub license: Option<String>,
    /// The figures are made up (a demo or a training site): every data page
    /// says so.
    pub sample: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HotlineSettings {
    pub stale_after_days: u32,
}

impl Default for HotlineSettings {
    fn default() -> Self {
        HotlineSettings {
            stale_after_days: 180,
        }
    }
}

/// The checked site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: Localized,
    pub description: Option<Localized>,
    /// Always ends with `/`, so `base_url + path` never doubles or drops a slash.
    pub base_url: String,
    /// Where the site is published, for what leaves the browser: QR codes on
    /// printed leaflets and calendar files. The same as `base_url`, except
    /// in a preview, whose links are written from `/` while a leaflet printed
    /// from it must still lead to the published site.
    pub published_url: String,
    pub default_language: String,
    /// All languages of the site, the default first.
    pub languages: Vec<String>,
    pub theme: String,
    pub crisis: Crisis,
    pub privacy: Privacy,
    pub data: DataMeta,
    pub hotlines: HotlineSettings,
    /// Zola's name: a search page and index per language (default true).
    pub build_search_index: bool,
    /// `/atom.xml` (and `/en/atom.xml` …): the newest dated pages of each
    /// language's whole site.
    pub generate_feeds: bool,
    /// The taxonomies, `tags` first: `/tags/`, `/categories/`.
    pub taxonomies: Vec<Taxonomy>,
    pub extra: toml::Table,
}

impl Config {
    pub fn from_file(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = crate::text_file::read(&path, Path::new(CONFIG_FILE)).map_err(|e| {
            e.into_diagnostic(|e| {
                Diagnostic::error(format!("cannot read {CONFIG_FILE}: {e}"))
                    .in_file(CONFIG_FILE)
                    .with_hint(format!(
                        "run anxin in a site folder (one with {CONFIG_FILE}), pass --root DIR, or create a site with `anxin new DIR`"
                    ))
            })
        })?;
        Config::parse(Path::new(CONFIG_FILE), &text)
    }

    pub fn parse(file: &Path, text: &str) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawConfig = toml_input::parse(file, text, text, 0, CONFIG_FILE)?;
        Config::check(file, text, raw)
    }

    fn check(file: &Path, text: &str, raw: RawConfig) -> Result<Config, Diagnostic> {
        let at_key = |key: &str, message: String, hint: &str| {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|i| i + 1)
                .unwrap_or(1);
            Diagnostic::error(message)
                .in_file(file)
                .at_line(text, line)
                .with_hint(hint.to_string())
        };
        let base_url = checked_base_url(&raw.base_url)
            .map_err(|why| at_key("base_url", why, BASE_URL_HINT))?;
        if let Some(why) = privacy_problem(&raw.privacy) {
            let key = if why.starts_with("protection") {
                "protection"
            } else {
                "round_to"
            };
            return Err(at_key(key, why, PRIVACY_HINT));
        }
        let mut languages = vec![raw.default_language.clone()];
        for l in raw.languages {
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
        // A language code becomes part of file names (page.en.md) and URLs (/en/).
        if let Some(bad) = languages.iter().find(|l| !is_language_code(l)) {
            let key = if *bad == raw.default_language {
                "default_language"
            } else {
                "languages"
            };
            return Err(at_key(
                key,
                format!("`{bad}` is not a language code"),
                "write a language tag such as \"zh-CN\", \"en\" or \"bo\" (letters, then parts after -)",
            ));
        }
        let mut taxonomies = vec![Taxonomy {
            name: TAGS.to_string(),
            title: None,
        }];
        for t in raw.taxonomies {
            let name = t.name.trim();
            let valid = crate::data::is_url_id(name) && !RESERVED_FOLDERS.contains(&name);
            if !valid {
                return Err(at_key(
                    "taxonomies",
                    format!("`{name}` cannot be a taxonomy's name"),
                    "a taxonomy's name is its address (/categories/): lower-case letters, digits, - and _, and not data, hotlines, search, sitemap or page",
                ));
            }
            match taxonomies.iter_mut().find(|known| known.name == name) {
                Some(known) => known.title = t.title.or(known.title.take()),
                None => taxonomies.push(Taxonomy {
                    name: name.to_string(),
                    title: t.title,
                }),
            }
        }
        let crisis = raw.crisis.unwrap_or_default();
        if crisis.number.trim().is_empty() {
            return Err(at_key(
                "number",
                "[crisis] number is empty".into(),
                "every page shows the crisis line: use the national 12356 unless a local line is verified",
            ));
        }
        Ok(Config {
            title: raw.title,
            description: raw.description,
            published_url: base_url.clone(),
            base_url,
            default_language: raw.default_language,
            languages,
            theme: raw.theme,
            crisis,
            privacy: raw.privacy,
            data: raw.data,
            hotlines: raw.hotlines,
            build_search_index: raw.build_search_index,
            generate_feeds: raw.generate_feeds,
            taxonomies,
            extra: raw.extra,
        })
    }

    /// The same configuration published at another address (`--base-url`).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Config, Diagnostic> {
        self.base_url = checked_base_url(base_url).map_err(|why| {
            Diagnostic::error(format!("--base-url: {why}")).with_hint(BASE_URL_HINT)
        })?;
        // A relative address (the preview's `/`) publishes nowhere.
        if self.base_url.contains("://") {
            self.published_url = self.base_url.clone();
        }
        Ok(self)
    }

    /// The code of language `lang` (an index into `languages`; 0 is the default).
    pub fn language(&self, lang: usize) -> &str {
        self.languages
            .get(lang)
            .map_or(&self.default_language, String::as_str)
    }

    /// Where a language's site lives: `""` for the default language, `/en`
    /// for the others (so its home is `/en/`).
    pub fn language_prefix(&self, lang: usize) -> String {
        if lang == 0 {
            String::new()
        } else {
            format!("/{}", self.language(lang))
        }
    }

    /// The language of a markdown file name's stem: `about.en` is
    /// (`about`, index of `en`) when `en` is one of the site's languages
    /// (the default one too: `about.en.md` on an English site is `about.md`);
    /// anything else is the default language's file.
    pub fn split_language<'a>(&self, stem: &'a str) -> (&'a str, usize) {
        if let Some((base, code)) = stem.rsplit_once('.')
            && let Some(i) = self.languages.iter().position(|l| l == code)
        {
            return (base, i);
        }
        (stem, 0)
    }

    /// The absolute URL of a site path such as `/news/a/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// The address of a site path on the published site, even in a preview.
    pub fn published_permalink(&self, path: &str) -> String {
        format!("{}{}", self.published_url, path.trim_start_matches('/'))
    }
}

const BASE_URL_HINT: &str = "write the address the site will be published at, e.g. base_url = \"https://example.org\" or \"https://example.org/mental-health/\"";

/// `base_url` with a `/` at its end, or why it is not an address a site can
/// be published at. It goes into every link of every page, in attributes,
/// scripts' data and feeds, so it is held to what an address needs:
/// `http://` or `https://`, a host name (or IP address) with an optional
/// port, and a path of letters, digits and `-._~!$*+,;=:@%/`. Quotes, angle
/// brackets, spaces, `?` and `#` are refused, which also keeps it from
/// breaking out of an attribute whatever a template does with it. A path
/// from the root, `/` or `/sub/`, is accepted for sites previewed or served
/// without a host name.
pub fn checked_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let not_an_address = |why: &str| format!("base_url `{url}` is not a web address: {why}");
    let rest = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !name.ends_with(']') || host.starts_with('[') => {
                (name, Some(port))
            }
            _ => (host, None),
        };
        let name_ok = if let Some(ip6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            !ip6.is_empty()
                && ip6
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        } else {
            !name.is_empty()
                && name.split('.').all(|label| {
                    !label.is_empty()
                        && !label.starts_with('-')
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        };
        if !name_ok {
            return Err(not_an_address(
                "the host name may hold only letters, digits, - and .",
            ));
        }
        if port.is_some_and(|p| p.parse::<u16>().is_err() || p == "0") {
            return Err(not_an_address("the port must be a number from 1 to 65535"));
        }
        path
    } else if url.starts_with('/') && !url.starts_with("//") {
        url
    } else {
        return Err(not_an_address("it must start with https:// or http://"));
    };
    let bad = rest
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || "-._~!$*+,;=:@%/".contains(c)));
    if let Some(c) = bad {
        return Err(not_an_address(&format!("`{c}` may not appear in its path")));
    }
    let bytes = rest.as_bytes();
    let percent_ok = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !percent_ok || rest.split('/').any(|part| part == "." || part == "..") {
        return Err(not_an_address("its path must be plain folder names"));
    }
    let mut base = url.to_string();
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok(base)
}

/// The largest `round_to`: NHS Digital rounds to 5, some offices to 10; a
/// base above this publishes every county's count as 0 or the base itself.
pub const MAX_ROUND_TO: u64 = 100;

const PRIVACY_HINT: &str = "the usual settings are min_count = 5 and, if figures are rounded, round_to = 5 or 10 (at most 100)";

/// Why `[privacy]` would publish nonsense or identify patients, if it would.
fn privacy_problem(privacy: &Privacy) -> Option<String> {
    match privacy.round_to {
        Some(0) => {
            return Some(
                "round_to = 0 rounds to nothing: leave it out, or give a base such as 5".into(),
            );
        }
        Some(r) if r > MAX_ROUND_TO => {
            return Some(format!(
                "round_to = {r} is larger than {MAX_ROUND_TO}: every count would be published as 0 or a multiple of {r}"
            ));
        }
        _ => {}
    }
    if let Some(p) = privacy.protection
        && p < 2
    {
        return Some(format!(
            "protection = {p} would let a reader work a hidden figure out exactly: it must be 2 or more"
        ));
    }
    None
}

/// `zh-CN`, `en`, `bo`, `zh-Hant-TW`: letters first, then `-` parts of
/// letters and digits.
fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("site.toml"), text)
    }

    #[test]
    fn applies_defaults() {
        let c = parse("title = \"示例\"\nbase_url = \"https://example.org\"\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/");
        assert_eq!(c.default_language, "zh-CN");
        assert_eq!(c.crisis.number, "12356");
        assert_eq!(c.privacy.min_count, 5);
        assert_eq!(c.hotlines.stale_after_days, 180);
        assert_eq!(c.permalink("/news/a/"), "https://example.org/news/a/");
    }

    #[test]
    fn unknown_key_names_the_closest_known_key() {
        let err = parse("titel = \"示例\"\nbase_url = \"https://example.org\"\n").unwrap_err();
        assert_eq!(err.message, "unknown site.toml key `titel`");
        assert_eq!(err.hint.as_deref(), Some("did you mean `title`?"));
        let err = parse("title = \"x\"\nbase_url = \"/\"\n[privacy]\nmin_cont = 3\n").unwrap_err();
        assert_eq!(err.hint.as_deref(), Some("did you mean `min_count`?"));
        assert_eq!(err.position.unwrap().line, 4);
    }

    #[test]
    fn languages_put_the_default_first_and_split_file_names() {
        let c =
            parse("title = \"x\"\nbase_url = \"/\"\nlanguages = [\"en\", \"zh-CN\"]\n").unwrap();
        assert_eq!(c.languages, ["zh-CN", "en"]);
        assert_eq!(c.split_language("about.en"), ("about", 1));
        assert_eq!(c.split_language("about"), ("about", 0));
        assert_eq!(c.split_language("about.zh-CN"), ("about", 0));
        assert_eq!(c.split_language("v1.2"), ("v1.2", 0));
        assert_eq!(c.language_prefix(1), "/en");
        assert_eq!(c.language_prefix(0), "");
        let err = parse("title = \"x\"\nbase_url = \"/\"\nlanguages = [\"en/us\"]\n").unwrap_err();
        assert!(
            err.message.contains("not a language code"),
            "{}",
            err.message
        );
        assert_eq!(err.position.unwrap().line, 3);
    }

    #[test]
    fn a_base_url_is_an_http_address_of_plain_characters() {
        for (good, kept) in [
            ("https://example.org", "https://example.org/"),
            ("http://127.0.0.1:8080/sub", "http://127.0.0.1:8080/sub/"),
            ("https://[::1]:1111/", "https://[::1]:1111/"),
            (
                "https://xn--fiq.example/%E5%BF%83/",
                "https://xn--fiq.example/%E5%BF%83/",
            ),
            ("/", "/"),
            ("/mental-health/", "/mental-health/"),
        ] {
            assert_eq!(checked_base_url(good).as_deref(), Ok(kept), "{good}");
        }
        for bad in [
            "javascript:alert(1)//",
            "//other.host/",
            "https://e.org/\"><script>",
            "https://e.org/'x",
            "https://e.org/a b",
            "https://e.org/?q=1",
            "https://e.org/#x",
            "https://e.org/../x",
            "https://e.org/%zz",
            "https://-e.org/",
            "https://e..org/",
            "https://e.org:0/",
            "https://e.org:65536/",
            "https://",
            "ftp://e.org/",
            "e.org",
        ] {
            assert!(checked_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejects_a_round_to_that_would_publish_nonsense() {
        let site = |round_to: &str| {
            parse(&format!(
                "title = \"x\"\nbase_url = \"/\"\n[privacy]\nround_to = {round_to}\n"
            ))
        };
        assert!(site("5").is_ok());
        assert!(site("100").is_ok());
        for bad in ["0", "101", "9223372036854775807"] {
            let err = site(bad).unwrap_err();
            assert_eq!(err.position.map(|p| p.line), Some(4), "{bad}");
        }
    }

    #[test]
    fn rejects_a_base_url_that_is_not_an_address() {
        let err = parse("title = \"x\"\nbase_url = \"example.org\"\n").unwrap_err();
        assert!(err.message.contains("not a web address"));
        assert_eq!(err.position.unwrap().line, 2);
    }
}

//! The theme's words in each language and `trans(key, lang)`, Zola's function
//! for them. The texts come from `i18n/<lang>.toml` files in layers (see
//! [`crate::theme`]); a later layer replaces single keys, as in Hugo, so a site
//! rewords one label without copying the theme's file.
//!
//! A text missing in one language falls back to the default language's: a
//! half-finished translation then shows a Chinese label rather than failing the
//! build. A key missing in both is an error, because a blank where a label
//! should be is worse than either.

use crate::diagnostics::{Diagnostic, closest};
use crate::theme::Theme;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use tera::{Function, Result};

/// Texts by language, then by key.
#[derive(Debug, Clone, Default)]
pub struct I18n {
    default_language: String,
    texts: BTreeMap<String, BTreeMap<String, String>>,
}

impl I18n {
    pub fn new(default_language: &str) -> I18n {
        I18n {
            default_language: default_language.to_string(),
            texts: BTreeMap::new(),
        }
    }

    /// Lays one file's texts over those already known for `lang`.
    pub fn add(&mut self, lang: &str, texts: BTreeMap<String, String>) {
        self.texts
            .entry(lang.to_string())
            .or_default()
            .extend(texts);
    }

    /// The text of `key` in `lang`, else in the default language. The error
    /// names the key, the file to add it to, and a close key when there is one.
    /// Whether any layer gave texts in `lang`.
    pub fn has_language(&self, lang: &str) -> bool {
        self.texts.contains_key(lang)
    }

    pub fn text(&self, key: &str, lang: &str) -> std::result::Result<&str, String> {
        let default = self.default_language.as_str();
        if let Some(text) = [lang, default]
            .into_iter()
            .find_map(|l| self.texts.get(l)?.get(key))
        {
            return Ok(text);
        }
        let searched = if lang == default {
            format!("i18n/{lang}.toml")
        } else {
            format!("i18n/{lang}.toml nor in i18n/{default}.toml")
        };
        let known: BTreeSet<&str> = [lang, default]
            .into_iter()
            .filter_map(|l| self.texts.get(l))
            .flat_map(|t| t.keys().map(String::as_str))
            .collect();
        let near = match closest(key, known) {
            Some(near) => format!("did you mean `{near}`? If it is new, "),
            None => String::new(),
        };
        let translation = if lang == default {
            String::new()
        } else {
            format!(" and its {lang} text to i18n/{lang}.toml")
        };
        Err(format!(
            "trans: the text `{key}` is not in {searched}; {near}add `{key} = \"…\"` \
             to the site's i18n/{default}.toml{translation}"
        ))
    }
}

/// Reads one i18n file: a flat table of `key = "text"`. `file` is the path
/// shown in errors, which point at the line and column of the fault.
pub fn parse(file: &Path, text: &str) -> std::result::Result<BTreeMap<String, String>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    crate::toml_input::parse(file, text, text, 0, "translation file").map_err(|d| {
        // The general hint speaks of dates and lists, which have no place here.
        if d.message.contains(" must be ") {
            d.with_hint("every value is a text in double quotes, e.g. home = \"首页\"; tables and lists are not read")
        } else {
            d
        }
    })
}

/// `trans(key="skip_link", lang=lang)`: the theme's text for `key`. Without
/// `lang`, the default language's. The text is escaped like any value, so a
/// translation can never break the page's markup.
pub struct Trans(pub Arc<Theme>);

impl Function for Trans {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let key = args
            .get("key")
            .and_then(Value::as_str)
            .ok_or("trans() needs the key of the text, e.g. trans(key=\"skip_link\", lang=lang)")?;
        let i18n = &self.0.i18n;
        let lang = match args.get("lang") {
            None => i18n.default_language.as_str(),
            Some(v) => v
                .as_str()
                .ok_or("trans: `lang` must be a language code such as \"en\"")?,
        };
        Ok(Value::String(i18n.text(key, lang)?.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn sample() -> I18n {
        let mut i18n = I18n::new("zh-CN");
        i18n.add(
            "zh-CN",
            table(&[
                ("skip_link", "跳到正文"),
                ("home", "首页"),
                ("tags", "标签"),
            ]),
        );
        i18n.add("en", table(&[("skip_link", "Skip to main content")]));
        i18n
    }

    #[test]
    fn looks_up_the_text_of_the_language_asked_for() {
        let i18n = sample();
        assert_eq!(i18n.text("skip_link", "en"), Ok("Skip to main content"));
        assert_eq!(i18n.text("skip_link", "zh-CN"), Ok("跳到正文"));
    }

    #[test]
    fn falls_back_to_the_default_language() {
        let i18n = sample();
        assert_eq!(i18n.text("home", "en"), Ok("首页"));
        // A language with no file at all falls back too.
        assert_eq!(i18n.text("home", "fr"), Ok("首页"));
    }

    #[test]
    fn an_unknown_key_names_the_files_and_the_closest_key() {
        let i18n = sample();
        let err = i18n.text("skip_lnk", "en").unwrap_err();
        assert_eq!(
            err,
            "trans: the text `skip_lnk` is not in i18n/en.toml nor in i18n/zh-CN.toml; \
             did you mean `skip_link`? If it is new, add `skip_lnk = \"…\"` to the site's \
             i18n/zh-CN.toml and its en text to i18n/en.toml"
        );
        let err = i18n.text("crisis_banner", "zh-CN").unwrap_err();
        assert_eq!(
            err,
            "trans: the text `crisis_banner` is not in i18n/zh-CN.toml; \
             add `crisis_banner = \"…\"` to the site's i18n/zh-CN.toml"
        );
    }

    #[test]
    fn a_later_layer_replaces_single_keys() {
        let mut i18n = sample();
        i18n.add("zh-CN", table(&[("home", "网站首页")]));
        assert_eq!(i18n.text("home", "zh-CN"), Ok("网站首页"));
        assert_eq!(i18n.text("tags", "zh-CN"), Ok("标签"));
        assert_eq!(i18n.text("home", "en"), Ok("网站首页"));
    }

    #[test]
    fn trans_defaults_to_the_default_language() {
        let theme = Theme {
            i18n: sample(),
            ..Theme::default()
        };
        let trans = Trans(Arc::new(theme));
        let args = |pairs: &[(&str, &str)]| -> HashMap<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect()
        };
        let call = |pairs| trans.call(&args(pairs)).map_err(|e| e.to_string());
        assert_eq!(call(&[("key", "home")]), Ok(Value::from("首页")));
        assert_eq!(
            call(&[("key", "skip_link"), ("lang", "en")]),
            Ok(Value::from("Skip to main content"))
        );
        assert!(call(&[("lang", "en")]).is_err());
    }

    #[test]
    fn a_file_is_a_flat_table_of_texts() {
        let texts = parse(Path::new("i18n/en.toml"), "# header\nhome = \"Home\"\n").unwrap();
        assert_eq!(texts, table(&[("home", "Home")]));
        let err = parse(
            Path::new("i18n/en.toml"),
            "home = \"Home\"\npage_count = 3\n",
        )
        .unwrap_err();
        assert_eq!(err.file.as_deref(), Some(Path::new("i18n/en.toml")));
        let at = err.position.unwrap();
        assert_eq!((at.line, at.column), (2, 14), "{err}");
        assert!(err.hint.unwrap().contains("double quotes"));
    }
}

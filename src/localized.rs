//! Names shown to readers that may be given per language:
//! `name = "规范管理率"` or `name = { "zh-CN" = "规范管理率", en = "…" }`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Localized {
    Plain(String),
    ByLanguage(BTreeMap<String, String>),
}

impl Localized {
    /// The text for `lang`, falling back to `default_lang`, then to any language
    /// given (in a stable order), so a reader never sees an empty name.
    pub fn get<'a>(&'a self, lang: &str, default_lang: &str) -> &'a str {
        match self {
            Localized::Plain(s) => s,
            Localized::ByLanguage(map) => map
                .get(lang)
                .or_else(|| map.get(default_lang))
                .or_else(|| map.values().next())
                .map(String::as_str)
                .unwrap_or(""),
        }
    }
}

impl Default for Localized {
    fn default() -> Self {
        Localized::Plain(String::new())
    }
}

impl From<&str> for Localized {
    fn from(s: &str) -> Self {
        Localized::Plain(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_default_language() {
        let t: Localized = toml::from_str::<BTreeMap<String, Localized>>(
            "name = { \"zh-CN\" = \"规范管理率\", en = \"Standardised management rate\" }",
        )
        .unwrap()
        .remove("name")
        .unwrap();
        assert_eq!(t.get("en", "zh-CN"), "Standardised management rate");
        assert_eq!(t.get("fr", "zh-CN"), "规范管理率");
        assert_eq!(Localized::from("x").get("en", "zh-CN"), "x");
    }
}

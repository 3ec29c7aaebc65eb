//! `data/areas.toml`: the area hierarchy (county, townships …). A parent's
//! counts are the sum of its children's; hotlines are grouped by it.

use crate::diagnostics::{Diagnostic, closest};
use crate::localized::Localized;
use crate::toml_input;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

pub const AREAS_FILE: &str = "data/areas.toml";

/// The area id hotlines use for numbers that serve the whole country.
pub const NATIONAL: &str = "national";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    area: Vec<RawArea>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    id: Spanned<String>,
    name: Localized,
    parent: Option<Spanned<String>>,
    population: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub id: String,
    pub name: Localized,
    pub parent: Option<String>,
    pub population: Option<u64>,
    /// 0 for a top area, 1 for its children …
    pub depth: usize,
}

/// The areas in tree order: each area followed by its children, siblings in
/// the order of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Areas {
    list: Vec<Area>,
    index: HashMap<String, usize>,
}

impl Areas {
    pub fn get(&self, id: &str) -> Option<&Area> {
        self.index.get(id).map(|&i| &self.list[i])
    }

    /// The area's place in tree order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The area at a place in tree order.
    pub fn at(&self, position: usize) -> Option<&Area> {
        self.list.get(position)
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Area> {
        self.list.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Area> + 'a {
        self.list
            .iter()
            .filter(move |a| a.parent.as_deref() == Some(id))
    }

    /// The name of an area for `lang`, or the id itself for an unknown one.
    pub fn name(&self, id: &str, lang: &str, default_lang: &str) -> String {
        if id == NATIONAL {
            return if lang.starts_with("zh") {
                "全国".into()
            } else {
                "National".into()
            };
        }
        self.get(id)
            .map(|a| a.name.get(lang, default_lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }
}

pub fn load(root: &Path) -> (Areas, Vec<Diagnostic>) {
    let path = root.join(AREAS_FILE);
    use crate::text_file::{self, TextError};
    match text_file::read(&path, Path::new(AREAS_FILE)) {
        Ok(text) => parse(Path::new(AREAS_FILE), &text),
        Err(TextError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            (Areas::default(), Vec::new())
        }
        Err(e) => (
            Areas::default(),
            vec![e.into_diagnostic(|e| {
                Diagnostic::error(format!("cannot read this file: {e}")).in_file(AREAS_FILE)
            })],
        ),
    }
}

/// Parses and checks the areas: ids usable in URLs and unique, parents that
/// exist, no cycles.
pub fn parse(file: &Path, text: &str) -> (Areas, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawFile = match toml_input::parse(file, text, text, 0, "areas.toml") {
        Ok(raw) => raw,
        Err(d) => return (Areas::default(), vec![d]),
    };
    let mut errors = Vec::new();
    let at = |span, message, hint| Diagnostic::error_in(file, text, span, message, hint);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, a) in raw.area.iter().enumerate() {
        let id = a.id.get_ref().as_str();
        let usable = crate::data::is_url_id(id);
        if !usable {
            errors.push(at(
                a.id.span(),
                format!("the area id `{id}` cannot be used in a web address"),
                "use at most 64 lower-case letters, digits and -, e.g. id = \"town-a\"; the name can be Chinese".into(),
            ));
        } else if id == NATIONAL || id == "downloads" {
            errors.push(at(
                a.id.span(),
                format!("`{id}` is reserved"),
                "choose another id for this area".into(),
            ));
        } else if let Some(&first) = seen.get(id) {
            errors.push(at(
                a.id.span(),
                format!("the area id `{id}` is used twice"),
                format!(
                    "it is already the id of area number {} in this file",
                    first + 1
                ),
            ));
        } else {
            seen.insert(id, i);
        }
    }
    for a in &raw.area {
        if let Some(parent) = &a.parent
            && !seen.contains_key(parent.get_ref().as_str())
        {
            let hint = match closest(parent.get_ref(), seen.keys().copied()) {
                Some(near) => format!("did you mean \"{near}\"?"),
                None => "parent must be the id of another area in this file".into(),
            };
            errors.push(at(
                parent.span(),
                format!("there is no area `{}`", parent.get_ref()),
                hint,
            ));
        }
    }
    if !errors.is_empty() {
        return (Areas::default(), errors);
    }

    // Tree order; an area whose parents never reach a top area is in a cycle.
    let mut list = Vec::with_capacity(raw.area.len());
    let mut placed = vec![false; raw.area.len()];
    fn place(
        raw: &[RawArea],
        parent: Option<&str>,
        depth: usize,
        placed: &mut Vec<bool>,
        list: &mut Vec<Area>,
    ) {
        for (i, a) in raw.iter().enumerate() {
            if placed[i] || a.parent.as_ref().map(|p| p.get_ref().as_str()) != parent {
                continue;
            }
            placed[i] = true;
            list.push(Area {
                id: a.id.get_ref().clone(),
                name: a.name.clone(),
                parent: parent.map(str::to_string),
                population: a.population,
                depth,
            });
            place(raw, Some(a.id.get_ref()), depth + 1, placed, list);
        }
    }
    place(&raw.area, None, 0, &mut placed, &mut list);
    for (i, a) in raw.area.iter().enumerate() {
        if !placed[i] {
            errors.push(at(
                a.id.span(),
                format!("the area `{}` is its own ancestor", a.id.get_ref()),
                "follow the parent ids: one of them must lead to an area without a parent".into(),
            ));
        }
    }
    let index = list
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    (Areas { list, index }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Areas, Vec<Diagnostic>) {
        parse(Path::new(AREAS_FILE), text)
    }

    #[test]
    fn orders_areas_as_a_tree() {
        let (areas, errors) = parse_str(
            "[[area]]\nid = \"town-a\"\nname = \"城关镇\"\nparent = \"county\"\n\n[[area]]\nid = \"county\"\nname = \"示例县\"\npopulation = 263843\n\n[[area]]\nid = \"village\"\nname = \"村\"\nparent = \"town-a\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let ids: Vec<(&str, usize)> = areas.iter().map(|a| (a.id.as_str(), a.depth)).collect();
        assert_eq!(ids, [("county", 0), ("town-a", 1), ("village", 2)]);
        assert_eq!(areas.name("county", "zh-CN", "zh-CN"), "示例县");
        assert_eq!(areas.children("county").count(), 1);
    }

    #[test]
    fn reports_unknown_parents_duplicates_bad_ids_and_cycles() {
        let (_, errors) = parse_str(
            "[[area]]\nid = \"a\"\nname = \"甲\"\nparent = \"contry\"\n[[area]]\nid = \"a\"\nname = \"乙\"\n[[area]]\nid = \"城关\"\nname = \"丙\"\n",
        );
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            messages.contains(&"the area id `a` is used twice"),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("cannot be used in a web address"))
        );
        assert!(messages.contains(&"there is no area `contry`"));
        assert_eq!(
            errors
                .iter()
                .find(|e| e.message.contains("contry"))
                .unwrap()
                .position
                .unwrap()
                .line,
            4
        );

        let (_, errors) = parse_str(
            "[[area]]\nid = \"a\"\nname = \"甲\"\nparent = \"b\"\n[[area]]\nid = \"b\"\nname = \"乙\"\nparent = \"a\"\n",
        );
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("its own ancestor")),
            "{errors:?}"
        );
    }
}

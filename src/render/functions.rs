//! Template functions, under Zola's names: `get_url`, `get_page`, `get_section`.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Function, Result};

fn string_arg<'a>(args: &'a HashMap<String, Value>, name: &str, function: &str) -> Result<&'a str> {
    args.get(name).and_then(Value::as_str).ok_or_else(|| {
        format!("{function}() needs a `{name}` text argument, e.g. {function}({name}=\"…\")").into()
    })
}

/// `get_url(path="@/news/a.md")` gives the page's permalink;
/// `get_url(path="style.css")` gives the file's address under base_url.
pub struct GetUrl {
    pub base_url: String,
    pub permalinks: Arc<HashMap<String, String>>,
}

impl Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let path = string_arg(args, "path", "get_url")?;
        if let Some(rel) = path.strip_prefix("@/") {
            let (file, anchor) = rel
                .split_once('#')
                .map_or((rel, None), |(f, a)| (f, Some(a)));
            let url = self
                .permalinks
                .get(file)
                .ok_or_else(|| format!("get_url: content/{file} does not exist"))?;
            return Ok(Value::String(match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url.clone(),
            }));
        }
        Ok(Value::String(format!(
            "{}{}",
            self.base_url,
            path.trim_start_matches('/')
        )))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `get_page(path="news/a.md")` and `get_section(path="news/_index.md")`.
pub struct GetDocument {
    pub kind: &'static str,
    pub values: Arc<HashMap<String, Value>>,
}

impl Function for GetDocument {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let name = if self.kind == "page" {
            "get_page"
        } else {
            "get_section"
        };
        let path = string_arg(args, "path", name)?.trim_start_matches("@/");
        self.values
            .get(path)
            .cloned()
            .ok_or_else(|| format!("{name}: there is no {} content/{path}", self.kind).into())
    }
}

/// `get_taxonomy_url(kind="tags", name="培训")`, as in Zola.
pub struct GetTaxonomyUrl {
    pub base_url: String,
    pub known: Arc<std::collections::HashSet<String>>,
}

impl Function for GetTaxonomyUrl {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let kind = string_arg(args, "kind", "get_taxonomy_url")?;
        let name = string_arg(args, "name", "get_taxonomy_url")?;
        if kind != "tags" {
            return Err(
                format!("get_taxonomy_url: the only taxonomy is `tags`, not `{kind}`").into(),
            );
        }
        let slug = crate::content::slug::slugify(name);
        if !self.known.contains(&slug) {
            return Err(format!("get_taxonomy_url: no page has the tag `{name}`").into());
        }
        Ok(Value::String(format!("{}tags/{slug}/", self.base_url)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

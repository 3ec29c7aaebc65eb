//! Lints that look at the resolved site as a whole and need today's date:
//! warnings in `build`, errors under `check --strict`.

use crate::content::date::Date;
use crate::content::resolve::Resolved;
use crate::diagnostics::{Diagnostic, Severity};

pub fn lint(site: &Resolved, today: &Date) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for page in &site.pages {
        let Some(expires) = page.policy.as_ref().and_then(|p| p.expires.as_ref()) else {
            continue;
        };
        if expires.days() < today.days() {
            let at = page
                .expires_at
                .clone()
                .unwrap_or_else(|| Diagnostic::error("").in_file(&page.doc.file));
            warnings.push(
                Diagnostic {
                    severity: Severity::Warning,
                    message: format!(
                        "this policy expired on {}: residents may be reading rules that no longer apply",
                        expires.ymd()
                    ),
                    ..at
                }
                .with_hint("update the explainer to the policy now in force and its new `expires`, or mark the page as a draft"),
            );
        }
    }
    warnings
}

/// Every address a page's markdown writes for a file of this site (`/news/`,
/// `family.html`, `![](poster.png)`) that names no file the build wrote:
/// `exists` answers for an output path (`news/a/index.html`). Warnings in
/// `build` and `serve`, errors under `check --strict`.
pub fn addresses(
    site: &Resolved,
    base_url: &str,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    // A site published under a path (`https://example.org/county/`) holds
    // only the addresses under that path.
    let base_path = base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let docs = site
        .pages
        .iter()
        .map(|p| &p.doc)
        .chain(site.sections.iter().map(|s| &s.doc));
    let mut warnings = Vec::new();
    for doc in docs {
        for address in &doc.addresses {
            let written = address.value.as_str();
            let found = match site_path(&doc.path, written, base_path) {
                Some(path) => output_candidates(&path).iter().any(|p| exists(p)),
                None => false,
            };
            if !found {
                warnings.push(
                    Diagnostic {
                        severity: Severity::Warning,
                        message: format!("`{written}` names no page or file of this site"),
                        ..address.at.clone()
                    }
                    .with_hint(
                        "link to a page by its markdown file, e.g. [补贴](../policies/guardian-subsidy.md); \
                         put images and files beside index.md or in static/, and check the spelling",
                    ),
                );
            }
        }
    }
    warnings
}

/// The path inside the site (`news/a/family.html`) that `written`, on the
/// page at URL path `page` (`/news/a/`), names; `None` when it leaves the
/// site (`..` above the root, or outside the base path).
fn site_path(page: &str, written: &str, base_path: &str) -> Option<String> {
    let path = written.split(['#', '?']).next().unwrap_or("");
    let path = crate::content::markdown::percent_decode(path);
    let joined = if path.is_empty() {
        page.to_string()
    } else if path.starts_with('/') {
        format!("/{}", path.strip_prefix(base_path)?)
    } else {
        format!("{page}{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let trailing = joined.ends_with('/') || parts.is_empty();
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The output files a web server would answer `path` with.
fn output_candidates(path: &str) -> Vec<String> {
    if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.to_string(), format!("{path}/index.html")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_resolve_like_a_browser_inside_the_site() {
        assert_eq!(
            site_path("/news/a/", "family.html", "/").as_deref(),
            Some("news/a/family.html")
        );
        assert_eq!(
            site_path("/news/a/", "../b/", "/").as_deref(),
            Some("news/b/")
        );
        assert_eq!(
            site_path("/news/a/", "/hotlines/#x", "/").as_deref(),
            Some("hotlines/")
        );
        assert_eq!(site_path("/news/a/", "/", "/").as_deref(), Some(""));
        assert_eq!(
            site_path("/a/", "%E6%B5%B7%E6%8A%A5.png?v=1", "/").as_deref(),
            Some("a/海报.png")
        );
        assert_eq!(site_path("/a/", "../../x", "/"), None);
        assert_eq!(site_path("/a/", "/news/", "/county/"), None);
        assert_eq!(
            site_path("/a/", "/county/news/", "/county/").as_deref(),
            Some("news/")
        );
        assert_eq!(output_candidates("news/"), ["news/index.html"]);
        assert_eq!(output_candidates("news"), ["news", "news/index.html"]);
    }
}

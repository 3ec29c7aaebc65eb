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

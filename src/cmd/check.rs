//! `anxin check`: everything `build` validates, without writing anything.

use crate::build::{BuildOptions, build_in_memory};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use std::io::Write as _;

pub fn execute(options: &BuildOptions, strict: bool) -> Result<(), Diagnostics> {
    let built = build_in_memory(options)?;
    if strict && !built.warnings.is_empty() {
        let as_errors: Vec<Diagnostic> = built
            .warnings
            .into_vec()
            .into_iter()
            .map(|d| Diagnostic {
                severity: Severity::Error,
                ..d
            })
            .collect();
        let mut all = Diagnostics::new();
        all.extend(as_errors);
        return Err(all);
    }
    if !built.warnings.is_empty() {
        eprint!("{}", built.warnings);
    }
    // The audit goes to the terminal only: it is never part of the site. At
    // national scale it runs to thousands of lines, often piped into a
    // pager that may quit early: a closed pipe ends the output quietly.
    if let Some(indicators) = &built.indicators {
        let report = crate::data::indicators::audit_report(indicators);
        if let Err(e) = std::io::stdout().lock().write_all(report.as_bytes())
            && e.kind() == std::io::ErrorKind::BrokenPipe
        {
            return Ok(());
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "No errors: {} pages and {} sections checked, {} warning(s)",
        built.stats.pages,
        built.stats.sections,
        built.warnings.warning_count()
    );
    Ok(())
}

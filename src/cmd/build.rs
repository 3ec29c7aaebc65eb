//! `anxin build`

use crate::build::{BuildOptions, build};
use crate::diagnostics::Diagnostics;

pub fn execute(options: &BuildOptions) -> Result<(), Diagnostics> {
    let (built, output) = build(options)?;
    if !built.warnings.is_empty() {
        eprint!("{}", built.warnings);
    }
    // For profiling: ANXIN_TIMINGS=1 shows how long each stage took.
    if std::env::var_os("ANXIN_TIMINGS").is_some() {
        for (stage, took) in &built.stats.timings {
            eprintln!("{stage:>12}: {:>7.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    if let Some(data) = &built.indicators {
        let audit = &data.audit_summary;
        println!(
            "Disclosure audit: {} count(s) hidden beyond secondary suppression ({} ms, {} linear programs)",
            audit.hidden,
            audit.elapsed.as_millis(),
            audit.solves
        );
    }
    let total: std::time::Duration = built.stats.timings.iter().map(|(_, d)| *d).sum();
    let data_pages = built.indicators.as_ref().map_or(String::new(), |d| {
        format!(
            ", {} indicator and {} area pages",
            d.definitions.indicators.len(),
            d.area_ids.len()
        )
    });
    println!(
        "Built {} pages and {} sections{data_pages} ({} files) into {} in {} ms",
        built.stats.pages,
        built.stats.sections,
        built.stats.files,
        output.display(),
        total.as_millis()
    );
    Ok(())
}

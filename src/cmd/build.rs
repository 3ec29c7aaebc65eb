//! `anxin build`

use crate::build::{BuildOptions, build};
use crate::diagnostics::Diagnostics;

pub fn execute(options: &BuildOptions) -> Result<(), Diagnostics> {
    let (built, output) = build(options)?;
    if !built.warnings.is_empty() {
        eprint!("{}", built.warnings);
    }
    let total: std::time::Duration = built.stats.timings.iter().map(|(_, d)| *d).sum();
    println!(
        "Built {} pages and {} sections ({} files) into {} in {} ms",
        built.stats.pages,
        built.stats.sections,
        built.files.len(),
        output.display(),
        total.as_millis()
    );
    Ok(())
}

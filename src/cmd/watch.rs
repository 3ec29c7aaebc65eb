//! `anxin watch`: build to disk, then rebuild on every change, rewriting only
//! the files that changed. A failed rebuild leaves the output as it was.

use crate::build::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{OutputFile, writer};
use crate::serve::watcher;
use crate::site::Site;

pub fn execute(options: &BuildOptions) -> Result<(), Diagnostics> {
    let shown = options.output_dir();
    let output = crate::build::claim_output(options).map_err(Diagnostics::from)?;
    let (_watcher, plans) = watcher::watch(&options.root).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(format!("cannot watch the site folder for changes: {e}"))
                .with_hint("check that the folder exists and that you may read it"),
        )
    })?;
    let mut site = Site::load(options)?;
    site.refresh_search();
    let files: Vec<OutputFile> = site.outputs().cloned().collect();
    writer::write_atomically(&output, &files).map_err(|e| write_error(&output, e))?;
    println!(
        "Built {} files into {}; watching for changes (Ctrl+C to stop)",
        files.len(),
        shown.display()
    );
    for plan in plans {
        match site.apply(&plan) {
            Ok(mut rebuilt) => {
                // watch writes to disk: the index is made again at once.
                let index = site.refresh_search();
                rebuilt.changed.extend(index.changed);
                rebuilt.changed.sort();
                rebuilt.removed.extend(index.removed);
                rebuilt.took += index.took;
                if !site.warnings.is_empty() {
                    eprint!("{}", site.warnings);
                }
                let changed: Vec<&OutputFile> = site
                    .outputs()
                    .filter(|f| rebuilt.changed.binary_search(&f.path).is_ok())
                    .collect();
                match writer::write_changes(&output, &changed, &rebuilt.removed) {
                    Ok(()) => println!(
                        "Rebuilt in {} ms after {plan}: wrote {} file(s), removed {}",
                        rebuilt.took.as_millis(),
                        changed.len(),
                        rebuilt.removed.len()
                    ),
                    Err(e) => eprint!("{}", Diagnostics::from(write_error(&output, e))),
                }
            }
            Err(errors) => eprint!("{errors}"),
        }
    }
    Ok(())
}

fn write_error(output: &std::path::Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "cannot write the site to {}: {e}",
        output.display()
    ))
    .with_hint("check that the folder is writable and the disk is not full")
}

//! What the preview server serves: an immutable snapshot of the last good
//! build, plus the errors of the last failed rebuild, if any. The server swaps
//! in a new `Arc<Snapshot>` after each rebuild; requests in flight keep the
//! one they started with.

use crate::output::{Contents, OutputFile};
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Snapshot {
    /// Output files by their path in the site (`news/a/index.html`).
    pub files: HashMap<String, Contents>,
    /// Text of the errors of the last rebuild when it failed (the same text
    /// the terminal shows); `None` after a good build.
    pub errors: Option<String>,
    /// Changes with every successful rebuild; live reload compares it.
    pub build_id: u64,
}

impl Snapshot {
    /// A snapshot of the files in `outputs`, sharing their bytes.
    pub fn of<'a>(outputs: impl Iterator<Item = &'a OutputFile>, build_id: u64) -> Snapshot {
        Snapshot {
            files: outputs
                .map(|f| (f.path.clone(), f.contents.clone()))
                .collect(),
            errors: None,
            build_id,
        }
    }

    /// This snapshot with the changes of one rebuild applied: cheaper than
    /// a new snapshot of every file when a rebuild touched a few.
    pub fn updated<'a>(
        &self,
        changed: impl Iterator<Item = &'a OutputFile>,
        removed: &[String],
        build_id: u64,
    ) -> Snapshot {
        let mut files = self.files.clone();
        for path in removed {
            files.remove(path);
        }
        for f in changed {
            files.insert(f.path.clone(), f.contents.clone());
        }
        Snapshot {
            files,
            errors: None,
            build_id,
        }
    }

    /// The same files with the errors of a failed rebuild to show over them.
    pub fn with_errors(&self, errors: String) -> Snapshot {
        Snapshot {
            files: self.files.clone(),
            errors: Some(errors),
            build_id: self.build_id,
        }
    }

    pub fn get(&self, path: &str) -> Option<&Contents> {
        self.files.get(path)
    }
}

//! Data under `data/`: the area hierarchy, the hotline directory and (in a
//! later version) indicator data. Each file is validated into types the rest
//! of the build trusts.

pub mod areas;
pub mod hotlines;

use crate::diagnostics::Diagnostics;
use std::path::Path;

/// Everything read from `data/`.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub areas: areas::Areas,
    pub hotlines: Vec<hotlines::Hotline>,
}

impl Data {
    /// Reads `data/` under `root`. Missing files are empty data, not errors:
    /// a site without hotlines or figures is a valid site.
    pub fn load(
        root: &Path,
        config: &crate::config::Config,
        today: &crate::content::date::Date,
    ) -> (Data, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let (areas, area_errors) = areas::load(root);
        diagnostics.extend(area_errors);
        let (hotlines, hotline_diagnostics) =
            hotlines::load(root, &areas, today, config.hotlines.stale_after_days);
        diagnostics.extend(hotline_diagnostics);
        (Data { areas, hotlines }, diagnostics)
    }
}

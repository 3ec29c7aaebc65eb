//! Data under `data/`: the area hierarchy, the hotline directory and the
//! indicator data. Each file is validated into types the rest of the build
//! trusts.

pub mod areas;
pub mod hotlines;
pub mod indicators;

use crate::diagnostics::Diagnostics;
use std::path::Path;
use std::sync::Arc;

/// Whether an id from a data file can be used in a web address and as a
/// column header: lower-case ASCII letters, digits, `-` and `_`.
/// The longest id of an area, measure or indicator.
pub const MAX_ID_LEN: usize = 64;

pub fn is_url_id(id: &str) -> bool {
    // Ids become folder names (`/data/areas/town-a/`): a file name has room
    // for 255 bytes, a readable address for far fewer.
    (1..=MAX_ID_LEN).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Everything read from `data/`.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub areas: areas::Areas,
    pub hotlines: Vec<hotlines::Hotline>,
    /// Published indicator figures, when the site has `data/indicators/`.
    pub indicators: Option<Arc<indicators::IndicatorData>>,
    /// The indicator data has errors (reported already): shortcodes that
    /// show it stay quiet instead of adding an error each.
    pub indicators_failed: bool,
    /// data/hotlines.toml has errors (reported already), so an entry may be
    /// missing for them: `hotline` shortcodes that find no number stay quiet.
    pub hotlines_failed: bool,
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
        // Without a valid area tree every row of indicator data would be an
        // error of its own: report the areas alone first.
        let areas_ok = area_errors.is_empty();
        diagnostics.extend(area_errors);
        let (hotlines, hotline_diagnostics) =
            hotlines::load(root, &areas, today, config.hotlines.stale_after_days);
        let hotlines_failed = hotline_diagnostics.iter().any(|d| d.is_error());
        diagnostics.extend(hotline_diagnostics);
        let (indicators, indicator_diagnostics) = if areas_ok {
            indicators::load(root, &areas, &config.privacy)
        } else {
            (None, Vec::new())
        };
        let indicators_failed = !areas_ok || indicator_diagnostics.iter().any(|d| d.is_error());
        diagnostics.extend(indicator_diagnostics);
        let data = Data {
            areas,
            hotlines,
            hotlines_failed,
            indicators_failed,
            indicators: indicators.map(Arc::new),
        };
        (data, diagnostics)
    }
}

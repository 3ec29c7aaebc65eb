//! What the template functions (`get_page`, `get_events`, …) see: made for
//! a whole site, and patched after an edit.

use super::*;

impl Renderer {
    /// Shows the template functions the site of `model`.
    pub fn set_lookup(&self, model: &Model) {
        let site = model.site;
        let config = model.config;
        let mut lookup = Lookup {
            base_url: config.base_url.clone(),
            default_language: config.default_language.clone(),
            languages: config.languages.clone(),
            taxonomies: site.taxonomy_names.clone(),
            tag_slugs: site
                .tags
                .iter()
                .map(|t| {
                    let kind = &config.taxonomies[t.taxonomy].name;
                    match t.lang {
                        0 => format!("{kind}/{}", t.slug),
                        l => format!("{}/{kind}/{}", config.language(l), t.slug),
                    }
                })
                .collect(),
            events: event_list(model),
            today_start: crate::content::date::Date::today().unix_seconds(),
            ..Lookup::default()
        };
        for (i, p) in site.pages.iter().enumerate() {
            lookup
                .permalinks
                .insert(p.doc.rel.clone(), config.permalink(&p.doc.path));
            lookup
                .pages
                .insert(p.doc.rel.clone(), Arc::clone(&model.page_values[i]));
        }
        for (i, s) in site.sections.iter().enumerate() {
            lookup
                .permalinks
                .insert(s.doc.rel.clone(), config.permalink(&s.doc.path));
            let listed = site.section_pages[i]
                .iter()
                .map(|&p| Arc::clone(&model.page_values[p]))
                .collect();
            let lang = Lang::of(config, s.doc.lang, model.words);
            let value = Arc::new(context::section_value(site, i, &lang, Vec::new()));
            lookup.sections.insert(s.doc.rel.clone(), (value, listed));
        }
        match self.lookup.write() {
            Ok(mut guard) => *guard = Arc::new(lookup),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(lookup),
        }
    }

    /// Updates what the template functions see for pages and sections
    /// whose values changed in place (same address, same order).
    pub fn patch_lookup(&self, model: &Model, pages: &[usize], sections: &[usize]) {
        let site = model.site;
        let mut guard = match self.lookup.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        // No render is running, so nothing else holds the lookup: no copy.
        let lookup = Arc::make_mut(&mut guard);
        let mut listings: Vec<usize> = sections.to_vec();
        for &i in pages {
            lookup.pages.insert(
                site.pages[i].doc.rel.clone(),
                Arc::clone(&model.page_values[i]),
            );
            listings.push(site.page_section[i]);
        }
        if pages.iter().any(|&i| site.pages[i].event.is_some()) {
            lookup.events = event_list(model);
        }
        listings.sort_unstable();
        listings.dedup();
        for s in listings {
            let listed = site.section_pages[s]
                .iter()
                .map(|&p| Arc::clone(&model.page_values[p]))
                .collect();
            let lang = Lang::of(model.config, site.sections[s].doc.lang, model.words);
            let value = Arc::new(context::section_value(site, s, &lang, Vec::new()));
            lookup
                .sections
                .insert(site.sections[s].doc.rel.clone(), (value, listed));
        }
    }
}

/// Every event page, by start.
pub(super) fn event_list(model: &Model) -> Vec<functions::Event> {
    let mut events: Vec<functions::Event> = model
        .site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let e = p.event.as_ref()?;
            let end = e.end.as_ref().unwrap_or(&e.start);
            // A day-long event lasts until the end of its day.
            let end_seconds = if end.time.is_none() {
                end.unix_seconds() + 86_399
            } else {
                end.unix_seconds()
            };
            Some(functions::Event {
                start: e.start.unix_seconds(),
                end: end_seconds,
                rel: p.doc.rel.clone(),
                lang: model.config.language(p.doc.lang).to_string(),
                value: Arc::clone(&model.page_values[i]),
            })
        })
        .collect();
    events.sort_by(|a, b| (a.start, &a.rel).cmp(&(b.start, &b.rel)));
    events
}

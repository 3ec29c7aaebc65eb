//! The HTML outputs of a site as jobs: which there are, the address each
//! writes, its document and its counterpart in another language.

use super::indicators;
use crate::content::resolve::{Resolved, pager_path};
use crate::data::Data;

/// One HTML output to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Page(usize),
    /// Section index and pager number (1-based).
    Section(usize, usize),
    /// The list of a taxonomy's terms in a language: language index, then
    /// taxonomy index (0 is `tags`).
    TagList(usize, usize),
    /// Tag index and pager number (1-based).
    Tag(usize, usize),
    NotFound,
    /// `/data/<indicator>/`, by index into the definitions' indicators, in a
    /// language (`/en/data/<indicator>/`).
    DataIndicator(usize, usize),
    /// `/data/areas/<area>/`, by index into the areas, in a language.
    DataArea(usize, usize),
    /// The search page of a language, `/search/`.
    Search(usize),
    /// The list of every page of a language, `/sitemap/`: where the search
    /// page sends readers whose browser runs no script.
    AllPages(usize),
}

impl Job {
    /// The language the job's output is written in.
    pub fn lang(self, site: &Resolved) -> usize {
        match self {
            Job::Page(i) => site.pages[i].doc.lang,
            Job::Section(i, _) => site.sections[i].doc.lang,
            Job::TagList(lang, _)
            | Job::DataIndicator(_, lang)
            | Job::DataArea(_, lang)
            | Job::Search(lang)
            | Job::AllPages(lang) => lang,
            Job::Tag(t, _) => site.tags[t].lang,
            Job::NotFound => 0,
        }
    }
}

/// Every HTML output of the site, pages first.
pub fn jobs(site: &Resolved, data: &Data) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for i in 0..site.sections.len() {
        jobs.extend((1..=pager_count(site, i)).map(|k| Job::Section(i, k)));
    }
    jobs.extend(
        site.taxonomy_lists()
            .into_iter()
            .map(|(lang, taxonomy)| Job::TagList(lang, taxonomy)),
    );
    for (t, term) in site.tags.iter().enumerate() {
        jobs.extend((1..=term.pager_count()).map(|k| Job::Tag(t, k)));
    }
    jobs.push(Job::NotFound);
    if site.search {
        for lang in 0..site.roots.len() {
            jobs.push(Job::Search(lang));
            jobs.push(Job::AllPages(lang));
        }
    }
    if let Some(d) = &data.indicators {
        // The data pages of a language exist where its data section does.
        for lang in 0..site.roots.len() {
            if data_section(site, lang).is_some() {
                let indicators = 0..d.definitions.indicators.len();
                jobs.extend(indicators.map(|i| Job::DataIndicator(i, lang)));
                jobs.extend((0..d.area_ids.len()).map(|a| Job::DataArea(a, lang)));
            }
        }
    }
    jobs
}

/// `path` (a path of the default language's site) in language `lang`:
/// `/en/tags/` for `/tags/`.
pub fn in_language(site: &Resolved, lang: usize, path: &str) -> String {
    if lang == 0 {
        return path.to_string();
    }
    let home = site
        .roots
        .get(lang)
        .map_or("/", |&r| site.sections[r].doc.path.as_str());
    format!("{}{path}", home.trim_end_matches('/'))
}

pub(super) fn pager_count(site: &Resolved, section: usize) -> usize {
    match site.sections[section].paginate_by {
        Some(n) => site.section_pages[section].len().div_ceil(n).max(1),
        None => 1,
    }
}

/// The pages listed on one output of a section: a pager's slice, or all.
pub(super) fn listed_pages(site: &Resolved, section: usize, pager: usize) -> &[usize] {
    let listed = &site.section_pages[section];
    match site.sections[section].paginate_by {
        Some(n) => {
            let start = ((pager - 1) * n).min(listed.len());
            &listed[start..(start + n).min(listed.len())]
        }
        None => listed,
    }
}

/// The URL path a job writes.
pub fn job_path(site: &Resolved, data: &Data, job: Job) -> String {
    match job {
        Job::Page(i) => site.pages[i].doc.path.clone(),
        Job::Section(i, k) => pager_path(&site.sections[i].doc.path, k),
        Job::TagList(lang, taxonomy) => {
            let name = site
                .taxonomy_names
                .get(taxonomy)
                .map_or("tags", String::as_str);
            in_language(site, lang, &format!("/{name}/"))
        }
        Job::Tag(t, k) => pager_path(&site.tags[t].path, k),
        Job::NotFound => "/404.html".to_string(),
        Job::Search(lang) => crate::output::site_search::search_page_path(site, lang),
        Job::AllPages(lang) => crate::output::site_search::all_pages_path(site, lang),
        Job::DataIndicator(i, lang) => data.indicators.as_ref().map_or_else(String::new, |d| {
            in_language(
                site,
                lang,
                &indicators::indicator_path(&d.definitions.indicators[i].id),
            )
        }),
        Job::DataArea(a, lang) => data.indicators.as_ref().map_or_else(String::new, |d| {
            in_language(site, lang, &indicators::area_path(&d.area_ids[a]))
        }),
    }
}

/// The section that holds the data pages of a language, `/data/` (or
/// `/en/data/`).
pub fn data_section(site: &Resolved, lang: usize) -> Option<usize> {
    site.sections
        .iter()
        .position(|s| s.dir == indicators::DATA_DIR && s.doc.lang == lang)
}

/// The address of the same page in language `l`, for an output made from
/// the data rather than a document, where language `l`'s site has it (a
/// tag's page has the tags list: tags are not translated).
pub(super) fn counterpart(site: &Resolved, data: &Data, job: Job, l: usize) -> Option<String> {
    let same = match job {
        Job::TagList(_, taxonomy) => site
            .taxonomy_lists()
            .contains(&(l, taxonomy))
            .then_some(Job::TagList(l, taxonomy)),
        Job::Tag(t, _) => {
            let taxonomy = site.tags[t].taxonomy;
            site.taxonomy_lists()
                .contains(&(l, taxonomy))
                .then_some(Job::TagList(l, taxonomy))
        }
        Job::Search(_) => Some(Job::Search(l)),
        Job::AllPages(_) => Some(Job::AllPages(l)),
        Job::DataIndicator(i, _) => data_section(site, l).map(|_| Job::DataIndicator(i, l)),
        Job::DataArea(a, _) => data_section(site, l).map(|_| Job::DataArea(a, l)),
        Job::Page(_) | Job::Section(..) | Job::NotFound => None,
    }?;
    Some(job_path(site, data, same))
}

/// The page or section a job renders, if it renders one.
pub(super) fn job_document(site: &Resolved, job: Job) -> Option<&crate::content::Document> {
    match job {
        Job::Page(i) => Some(&site.pages[i].doc),
        Job::Section(i, _) => Some(&site.sections[i].doc),
        _ => None,
    }
}

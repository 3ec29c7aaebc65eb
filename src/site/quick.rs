//! The quick path of the incremental engine: a text edit that changes no
//! address, title, order, tag or heading is swapped in place and only the
//! outputs that show the document are rendered again.

use super::{DocRef, Quick, Rebuilt, Record, Site};
use crate::content::load::{self, Parsed};
use crate::content::resolve;
use crate::content::shortcodes::ShortcodeCall;
use crate::content::{Document, Page, Section};
use crate::diagnostics::Diagnostics;
use crate::output::OutputFile;
use crate::render::{self, Job, Model};
use crate::serve::changes::Plan;
use std::collections::HashMap;
use std::sync::Arc;

/// A document replaced in place by the quick path.
enum Replacement {
    Page(usize, Box<Page>),
    Section(usize, Box<Section>),
}

impl Replacement {
    fn doc_mut(&mut self) -> &mut Document {
        match self {
            Replacement::Page(_, p) => &mut p.doc,
            Replacement::Section(_, s) => &mut s.doc,
        }
    }
}

/// What other outputs see of a page besides its value: if none of it
/// changed, no listing moves, no link breaks, no menu or sitemap changes.
fn page_shape(p: &Page) -> impl PartialEq + '_ {
    (
        (
            &p.doc.path,
            &p.doc.title,
            &p.date,
            &p.updated,
            p.doc.weight,
            p.doc.draft,
        ),
        (
            &p.tags,
            p.doc.template.as_ref().map(|t| &t.value),
            p.doc.in_menu,
            &p.bundle_dir,
        ),
        (
            p.doc.aliases.iter().map(|a| &a.value).collect::<Vec<_>>(),
            &p.doc.body.anchors,
        ),
    )
}

fn section_shape(s: &Section) -> impl PartialEq + '_ {
    (
        (
            &s.doc.path,
            &s.doc.title,
            s.doc.weight,
            s.doc.draft,
            s.doc.in_menu,
        ),
        (
            s.doc.template.as_ref().map(|t| &t.value),
            s.page_template.as_ref().map(|t| &t.value),
        ),
        (
            s.sort_by,
            s.paginate_by,
            s.generate_feed,
            &s.dir,
            &s.doc.body.anchors,
        ),
        s.doc.aliases.iter().map(|a| &a.value).collect::<Vec<_>>(),
    )
}

impl Site {
    /// The quick path, for the usual edit: the text of pages or sections
    /// changed, but no address, title, date, order, tag or heading id. Then
    /// nothing is resolved again: the documents are swapped in place and only
    /// the outputs that show them are rendered. `None` when the change needs
    /// the full path (which also explains any error properly).
    pub(super) fn try_quick(&mut self, plan: &Plan) -> Option<Result<Rebuilt, Diagnostics>> {
        let only_content = Plan {
            content_files: plan.content_files.clone(),
            ..Plan::default()
        };
        if *plan != only_content || plan.content_files.is_empty() || !self.parse_errors.is_empty() {
            return None;
        }
        let quick = self.quick.as_ref()?;
        let mut replacements = Vec::new();
        for rel in &plan.content_files {
            let at = *quick.index.get(rel)?;
            // A file that became a link, say, takes the full path.
            let source = load::listed_source(&self.options.root, rel)?;
            let parsed = load::read_and_parse(rel, &source, &self.config).ok()??;
            match (at, parsed) {
                (DocRef::Page(i), Parsed::Page(new))
                    if page_shape(&self.resolved.pages[i]) == page_shape(&new) =>
                {
                    replacements.push(Replacement::Page(i, Box::new(new)));
                }
                (DocRef::Section(i), Parsed::Section(new))
                    if section_shape(&self.resolved.sections[i]) == section_shape(&new) =>
                {
                    replacements.push(Replacement::Section(i, Box::new(new)));
                }
                _ => return None,
            }
        }
        for replacement in &mut replacements {
            let doc = replacement.doc_mut();
            let mut targets = HashMap::new();
            for rel in resolve::link_targets(doc) {
                let rel = rel?;
                let target = if rel == doc.rel {
                    resolve::Target::of(doc, &self.config)
                } else {
                    match *quick.index.get(&rel)? {
                        DocRef::Page(i) => {
                            resolve::Target::of(&self.resolved.pages[i].doc, &self.config)
                        }
                        DocRef::Section(i) => {
                            resolve::Target::of(&self.resolved.sections[i].doc, &self.config)
                        }
                    }
                };
                targets.insert(rel, target);
            }
            let (renderer, config, data) = (&self.renderer, &self.config, &self.data);
            let shortcodes = |doc: &Document, call: &ShortcodeCall| {
                renderer.render_shortcode(config, data, doc, call)
            };
            if !resolve::finish_alone(doc, &targets, &self.config, &shortcodes).is_empty() {
                return None;
            }
        }

        // From here on the documents are in place; a failure leaves the full
        // path to the next change.
        let mut quick = self.quick.take()?;
        let (mut pages, mut sections) = (Vec::new(), Vec::new());
        for replacement in replacements {
            match replacement {
                Replacement::Page(i, page) => {
                    self.resolved.pages[i] = *page;
                    pages.push(i);
                }
                Replacement::Section(i, section) => {
                    self.resolved.sections[i] = *section;
                    sections.push(i);
                }
            }
        }
        Some(
            self.render_quick(&mut quick, &pages, &sections)
                .inspect(|_| self.quick = Some(quick)),
        )
    }

    fn render_quick(
        &mut self,
        quick: &mut Quick,
        pages: &[usize],
        sections: &[usize],
    ) -> Result<Rebuilt, Diagnostics> {
        let site = &self.resolved;
        quick.prints.refresh(site, pages, sections, quick.assets);
        for &i in pages {
            let lang = crate::render::context::Lang::of(
                &self.config,
                site.pages[i].doc.lang,
                &self.theme.i18n,
            );
            quick.page_values[i] = Arc::new(crate::render::context::page_values_of(site, i, &lang));
            self.values.insert(
                site.pages[i].doc.rel.clone(),
                (quick.prints.pages[i], Arc::clone(&quick.page_values[i])),
            );
        }

        // The outputs that can show what changed: the pages themselves, the
        // listing pages and tag pages that list them, and every output whose
        // template asked for them by name.
        let mut candidates: Vec<Job> = Vec::new();
        let mut touched_sections: Vec<usize> = sections.to_vec();
        for &i in pages {
            candidates.push(Job::Page(i));
            let s = site.page_section[i];
            touched_sections.push(s);
            if let Some(at) = site.section_pages[s].iter().position(|&p| p == i) {
                let per_page = site.sections[s].paginate_by.unwrap_or(usize::MAX);
                candidates.push(Job::Section(s, at / per_page + 1));
            }
            for tag in &site.pages[i].tags {
                let slug = crate::content::slug::slugify(tag);
                let lang = site.pages[i].doc.lang;
                if let Some(t) = site
                    .tags
                    .iter()
                    .position(|t| t.slug == slug && t.lang == lang)
                    && let Some(at) = site.tags[t].pages.iter().position(|&p| p == i)
                {
                    candidates.push(Job::Tag(t, at / resolve::TAG_PAGINATE_BY + 1));
                }
            }
        }
        for &s in sections {
            candidates.extend(
                quick
                    .jobs
                    .values()
                    .filter(|j| matches!(j, Job::Section(x, _) if *x == s)),
            );
        }
        touched_sections.sort_unstable();
        touched_sections.dedup();
        let mut keys: Vec<String> = pages
            .iter()
            .map(|&i| format!("page:{}", site.pages[i].doc.rel))
            .collect();
        let section_rels: Vec<&str> = touched_sections
            .iter()
            .map(|&s| site.sections[s].doc.rel.as_str())
            .collect();
        keys.extend(section_rels.iter().map(|rel| format!("section:{rel}")));
        if pages.iter().any(|&i| site.pages[i].event.is_some()) {
            keys.push("events:".into());
        }
        let touches = |dependency: &str| {
            keys.iter().any(|k| k == dependency)
                || dependency
                    .strip_prefix("section-head:")
                    .and_then(|head| head.split_once(':'))
                    .is_some_and(|(_, rel)| section_rels.contains(&rel))
        };
        for (path, record) in &self.records {
            if record.dependencies.iter().any(|d| touches(d))
                && let Some(&job) = quick.jobs.get(path)
            {
                candidates.push(job);
            }
        }
        let mut candidates: Vec<(String, Job)> = candidates
            .into_iter()
            .map(|job| {
                (
                    crate::output::index_file(&render::job_path(site, &self.data, job)),
                    job,
                )
            })
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        candidates.dedup_by(|a, b| a.0 == b.0);

        let mut to_render = Vec::new();
        for (path, job) in candidates {
            let template = self.renderer.template_of(site, job);
            let print = quick.prints.of_job(site, job, &template);
            let unchanged = self.records.get(&path).is_some_and(|r| {
                r.fingerprint == print
                    && r.dependencies_fingerprint == quick.prints.of_dependencies(&r.dependencies)
            });
            if !unchanged {
                to_render.push((job, path, print));
            }
        }
        let model = Model {
            site,
            config: &self.config,
            data: &self.data,
            page_values: &quick.page_values,
            words: &self.theme.i18n,
        };
        self.renderer.patch_lookup(&model, pages, &touched_sections);
        let jobs: Vec<Job> = to_render.iter().map(|(job, _, _)| *job).collect();
        let rendered = self.renderer.render(&model, &jobs)?;

        let mut rebuilt = Rebuilt {
            rendered: rendered.len(),
            ..Rebuilt::default()
        };
        let mut fresh: Vec<OutputFile> = Vec::new();
        for (r, (_, path, print)) in rendered.into_iter().zip(&to_render) {
            self.records.insert(
                path.clone(),
                Record {
                    fingerprint: *print,
                    dependencies_fingerprint: quick.prints.of_dependencies(&r.dependencies),
                    dependencies: r.dependencies,
                },
            );
            fresh.push(r.file);
        }
        for &s in &touched_sections {
            let is_home = site.roots.get(site.sections[s].doc.lang) == Some(&s);
            if site.sections[s].generate_feed && !(is_home && self.config.generate_feeds) {
                fresh.push(render::section_feed(site, s, &self.config));
            }
        }
        if self.config.generate_feeds {
            let mut languages: Vec<usize> = pages.iter().map(|&i| site.pages[i].doc.lang).collect();
            languages.sort_unstable();
            languages.dedup();
            for lang in languages {
                fresh.push(render::site_feed(site, lang, &self.config));
            }
        }
        for file in fresh {
            super::put_output(&mut self.outputs, file, &mut rebuilt);
        }
        rebuilt.changed.sort();
        let mut warnings = Diagnostics::new();
        for doc in site
            .pages
            .iter()
            .map(|p| &p.doc)
            .chain(site.sections.iter().map(|s| &s.doc))
        {
            warnings.extend(doc.warnings.iter().cloned());
        }
        // An edit may add or fix an address that names no output.
        let outputs = &self.outputs;
        warnings.extend(crate::check::addresses(
            site,
            &self.config.base_url,
            &|path| outputs.contains_key(path),
        ));
        self.warnings = warnings.sorted();
        rebuilt.parsed = pages.len() + sections.len();
        rebuilt.quick = true;
        let languages: Vec<usize> = pages
            .iter()
            .map(|&i| site.pages[i].doc.lang)
            .chain(sections.iter().map(|&s| site.sections[s].doc.lang))
            .collect();
        self.search_changed(languages);
        Ok(rebuilt)
    }
}

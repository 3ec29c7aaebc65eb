//! The incremental engine gives the same site as a full build after every
//! step of a sequence of edits, creations, deletions, renames, template,
//! static, i18n and config changes, and renders only what a change touches.

mod common;
use anxin::build::{BuildOptions, build_in_memory};
use anxin::serve::changes::Plan;
use anxin::site::Site;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        ..BuildOptions::default()
    }
}

fn files_of(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.outputs()
        .map(|f| (f.path.clone(), f.contents.read().unwrap().into_owned()))
        .collect()
}

fn full_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let built =
        build_in_memory(&options(root)).unwrap_or_else(|e| panic!("full build failed:\n{e}"));
    built
        .files
        .iter()
        .map(|f| (f.path.clone(), f.contents.read().unwrap().into_owned()))
        .collect()
}

fn assert_same_as_full_build(site: &mut Site, root: &Path, step: &str) {
    // What serve does once the changes stop coming.
    site.refresh_search();
    assert!(!site.search_is_stale(), "{step}: the index is up to date");
    let incremental = files_of(site);
    let full = full_build(root);
    let only_incremental: Vec<&String> = incremental
        .keys()
        .filter(|k| !full.contains_key(*k))
        .collect();
    let only_full: Vec<&String> = full
        .keys()
        .filter(|k| !incremental.contains_key(*k))
        .collect();
    assert!(
        only_incremental.is_empty() && only_full.is_empty(),
        "{step}: extra {only_incremental:?}, missing {only_full:?}"
    );
    for (path, bytes) in &full {
        assert!(
            incremental[path] == *bytes,
            "{step}: {path} differs from a full build:\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(&incremental[path]),
            String::from_utf8_lossy(bytes)
        );
    }
}

fn content(rel: &str) -> Plan {
    let mut plan = Plan::default();
    plan.content_files.insert(rel.to_string());
    plan
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn incremental_rebuilds_equal_full_builds_through_a_sequence_of_changes() {
    let tmp = copy_fixture("basic");
    let root = tmp.path();
    let mut site = Site::load(&options(root)).unwrap();
    assert_same_as_full_build(&mut site, root, "first build");

    // 1. Edit the body of one post.
    write(
        root,
        "content/news/post-2.md",
        "+++\ntitle = \"第2条新闻\"\ndate = 2025-02-15\ndescription = \"新闻2的摘要\"\ntags = [\"培训\", \"Mental Health\"]\n+++\n\n改过的开头。\n\n<!-- more -->\n\n## 详情\n\n新的正文。\n",
    );
    let r = site.apply(&content("news/post-2.md")).unwrap();
    assert_eq!(r.parsed, 1);
    assert!(r.changed.contains(&"news/post-2/index.html".to_string()));
    assert!(
        !r.changed.contains(&"about/index.html".to_string()),
        "unrelated pages are not rewritten"
    );
    // The post, the listing page that shows it, its two tags, and the home
    // page (which lists the news section through get_section).
    assert_eq!(
        r.rendered, 5,
        "only outputs that show the post are rendered"
    );
    assert_same_as_full_build(&mut site, root, "body edit");

    // 2. Change a title (neighbours, listings and tag pages show it).
    let text = std::fs::read_to_string(root.join("content/news/post-1.md")).unwrap();
    write(
        root,
        "content/news/post-1.md",
        &text.replace("第1条新闻", "第一条新闻（已更新）"),
    );
    site.apply(&content("news/post-1.md")).unwrap();
    assert_same_as_full_build(&mut site, root, "title change");

    // 3. A new post with a new tag, dated to land on the first listing page.
    write(
        root,
        "content/news/post-4.md",
        "+++\ntitle = \"第4条新闻\"\ndate = 2025-04-15\ntags = [\"新标签\"]\n+++\n\n第四条。参见[关于](../about.md)。\n",
    );
    site.apply(&content("news/post-4.md")).unwrap();
    assert!(files_of(&site).contains_key("tags/新标签/index.html"));
    assert_same_as_full_build(&mut site, root, "new post");

    // 4. Delete a post.
    std::fs::remove_file(root.join("content/news/post-3.md")).unwrap();
    let r = site.apply(&content("news/post-3.md")).unwrap();
    assert!(r.removed.contains(&"news/post-3/index.html".to_string()));
    assert_same_as_full_build(&mut site, root, "deleted post");

    // 5. A new section folder with pages (seen by a rescan), then renamed.
    write(
        root,
        "content/events/_index.md",
        "+++\ntitle = \"活动\"\n+++\n",
    );
    write(
        root,
        "content/events/day.md",
        "+++\ntitle = \"活动日\"\ndate = 2025-10-10\n+++\n\n## 安排\n",
    );
    site.apply(&Plan {
        content_rescan: true,
        ..Plan::default()
    })
    .unwrap();
    assert_same_as_full_build(&mut site, root, "new section");
    std::fs::rename(root.join("content/events"), root.join("content/activities")).unwrap();
    site.apply(&Plan {
        content_rescan: true,
        assets: true,
        ..Plan::default()
    })
    .unwrap();
    assert!(!files_of(&site).contains_key("events/index.html"));
    assert_same_as_full_build(&mut site, root, "renamed section");

    // 6. A link to a heading that is then renamed breaks the build; the last
    // good site stays; fixing the heading builds again.
    write(
        root,
        "content/activities/plan.md",
        "+++\ntitle = \"计划\"\n+++\n\n见[安排](day.md#安排)。\n",
    );
    site.apply(&content("activities/plan.md")).unwrap();
    let good = files_of(&site);
    write(
        root,
        "content/activities/day.md",
        "+++\ntitle = \"活动日\"\ndate = 2025-10-10\n+++\n\n## 日程\n",
    );
    let err = site.apply(&content("activities/day.md")).unwrap_err();
    assert!(
        err.to_string()
            .contains("has no heading with the id `安排`"),
        "{err}"
    );
    assert_eq!(
        files_of(&site),
        good,
        "a failed rebuild keeps the last good site"
    );
    write(
        root,
        "content/activities/day.md",
        "+++\ntitle = \"活动日\"\ndate = 2025-10-10\n+++\n\n## 安排\n\n改好了。\n",
    );
    site.apply(&content("activities/day.md")).unwrap();
    assert_same_as_full_build(&mut site, root, "fixed heading");

    // 7. Broken front matter fails; the fix recovers.
    let good = files_of(&site);
    write(
        root,
        "content/about.md",
        "+++\ntitle = \"关于\nweight = 5\n+++\n",
    );
    let err = site.apply(&content("about.md")).unwrap_err();
    assert!(err.to_string().contains("content/about.md:2:"), "{err}");
    assert_eq!(files_of(&site), good);
    write(
        root,
        "content/about.md",
        "+++\ntitle = \"关于我们\"\nweight = 5\n+++\n\n## 联系我们\n\n## 联系我们\n",
    );
    site.apply(&content("about.md")).unwrap();
    assert_same_as_full_build(&mut site, root, "fixed front matter");

    // 8. A template override: everything re-renders with it, nothing is re-parsed.
    write(
        root,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom\">{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}",
    );
    let r = site
        .apply(&Plan {
            templates: true,
            ..Plan::default()
        })
        .unwrap();
    assert_eq!(r.parsed, 0);
    assert!(
        String::from_utf8(files_of(&site)["about/index.html"].clone())
            .unwrap()
            .contains("class=\"custom\"")
    );
    assert_same_as_full_build(&mut site, root, "template change");

    // 9. A static file, then a bundle asset.
    write(root, "static/favicon.ico", "icon");
    site.apply(&Plan {
        static_files: true,
        ..Plan::default()
    })
    .unwrap();
    write(root, "content/guides/leaflet/extra.txt", "more");
    site.apply(&Plan {
        assets: true,
        ..Plan::default()
    })
    .unwrap();
    assert_same_as_full_build(&mut site, root, "static and assets");

    // 10. A draft, then published.
    write(
        root,
        "content/news/draft-post.md",
        "+++\ntitle = \"草稿\"\ndate = 2025-06-01\ndraft = false\n+++\n\n发布了。\n",
    );
    site.apply(&content("news/draft-post.md")).unwrap();
    assert_same_as_full_build(&mut site, root, "draft published");

    // 11. A config change rebuilds everything.
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    write(root, "site.toml", &config.replace("测试站点", "新名字"));
    site.apply(&Plan {
        config: true,
        ..Plan::default()
    })
    .unwrap();
    assert!(
        String::from_utf8(files_of(&site)["index.html"].clone())
            .unwrap()
            .contains("新名字")
    );
    assert_same_as_full_build(&mut site, root, "config change");
}

#[test]
fn a_broken_site_toml_keeps_the_last_site_until_it_is_fixed() {
    let tmp = copy_fixture("basic");
    let root = tmp.path();
    let mut site = Site::load(&options(root)).unwrap();
    let good = files_of(&site);
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    write(root, "site.toml", "titel = \"x\"\n");
    let err = site
        .apply(&Plan {
            config: true,
            ..Plan::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("unknown site.toml key `titel`"));
    assert_eq!(files_of(&site), good);
    // A content edit while site.toml is still broken does not hide the error.
    assert!(site.apply(&content("about.md")).is_err());
    write(root, "site.toml", &config);
    site.apply(&content("about.md")).unwrap();
    assert_same_as_full_build(&mut site, root, "fixed config");
}

#[test]
fn a_site_i18n_file_rewords_every_page_and_a_broken_one_keeps_the_last_site() {
    let tmp = copy_fixture("basic");
    let root = tmp.path();
    let mut site = Site::load(&options(root)).unwrap();
    // The plan the watcher would make for this file.
    let saved = || anxin::serve::changes::classify(root, [root.join("i18n/zh-CN.toml")]);
    write(root, "i18n/zh-CN.toml", "skip_link = \"直接看正文\"\n");
    let r = site.apply(&saved()).unwrap();
    assert_eq!(r.parsed, 0);
    let about = String::from_utf8(files_of(&site)["about/index.html"].clone()).unwrap();
    assert!(about.contains(">直接看正文</a>"), "{about}");
    assert_same_as_full_build(&mut site, root, "i18n change");

    let good = files_of(&site);
    write(root, "i18n/zh-CN.toml", "skip_link = 直接看正文\n");
    let err = site.apply(&saved()).unwrap_err();
    assert!(err.to_string().contains("i18n/zh-CN.toml:1:"), "{err}");
    assert_eq!(files_of(&site), good);
}

#[test]
fn text_edits_take_the_quick_path_and_still_equal_full_builds() {
    let tmp = copy_fixture("basic");
    let root = tmp.path();
    // A home page that shows another page's content by name (get_page).
    write(
        root,
        "templates/index.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ section.title }}</h1>{% set g = get_page(path=\"guides/b-guide.md\") %}<div class=\"picked\">{{ g.content | safe }}</div>{% endblock content %}",
    );
    let mut site = Site::load(&options(root)).unwrap();
    let edit = |site: &mut Site, rel: &str, from: &str, to: &str| {
        let path = root.join("content").join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        site.apply(&content(rel))
    };

    // serve makes the first index while it serves the first pages.
    assert!(site.search_is_stale());
    site.refresh_search();
    let index_before: BTreeMap<String, Vec<u8>> = files_of(&site)
        .into_iter()
        .filter(|(path, _)| path.starts_with("search/"))
        .collect();
    let r = edit(&mut site, "news/post-1.md", "正文", "改写的正文").unwrap();
    assert!(r.quick, "a text edit takes the quick path");
    // The page is new at once; the search index of the last build is kept
    // (and served) until the refresh, which changes the edited page's entry.
    assert!(site.search_is_stale());
    assert!(
        r.changed.iter().all(|p| !p.starts_with("search/")),
        "{:?}",
        r.changed
    );
    let index_kept: BTreeMap<String, Vec<u8>> = files_of(&site)
        .into_iter()
        .filter(|(path, _)| path.starts_with("search/"))
        .collect();
    assert_eq!(index_kept, index_before);
    let refreshed = site.refresh_search();
    assert!(
        !refreshed.changed.is_empty(),
        "the refresh rewrites the index"
    );
    assert!(
        refreshed
            .changed
            .iter()
            .all(|p| p.starts_with("search/zh-CN/"))
    );
    assert_same_as_full_build(&mut site, root, "quick body edit");

    let r = edit(
        &mut site,
        "news/_index.md",
        "新闻栏目。",
        "新闻栏目，改过了。",
    )
    .unwrap();
    assert!(r.quick);
    assert_same_as_full_build(&mut site, root, "quick section edit");

    let r = edit(&mut site, "guides/b-guide.md", "这是中文", "这是改过的中文").unwrap();
    assert!(r.quick);
    assert!(
        r.changed.contains(&"index.html".to_string()),
        "the page that asked for it by name follows"
    );
    assert_same_as_full_build(&mut site, root, "get_page dependency");

    let r = edit(
        &mut site,
        "news/post-2.md",
        "正文，",
        "正文，另见[下载](../guides/leaflet/index.md#下载)，",
    )
    .unwrap();
    assert!(r.quick, "a new link to an existing heading stays quick");
    assert_same_as_full_build(&mut site, root, "new link");

    let err = edit(&mut site, "news/post-2.md", "#下载", "#不存在").unwrap_err();
    assert!(
        err.to_string()
            .contains("has no heading with the id `不存在`"),
        "{err}"
    );
    let r = edit(&mut site, "news/post-2.md", "#不存在", "#下载").unwrap();
    assert!(!r.quick, "after a failed rebuild the full path runs once");
    assert_same_as_full_build(&mut site, root, "after an error");

    let r = edit(
        &mut site,
        "about.md",
        "第二个同名标题。",
        "第二个同名标题，改过。",
    )
    .unwrap();
    assert!(r.quick);
    let r = edit(
        &mut site,
        "news/post-3.md",
        "title = \"第3条新闻\"",
        "title = \"第三条\"",
    )
    .unwrap();
    assert!(
        !r.quick,
        "a title change goes the full way: listings and neighbours show it"
    );
    let err = edit(
        &mut site,
        "guides/leaflet/index.md",
        "## 下载",
        "## 下载地址",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("has no heading with the id `下载`"),
        "a renamed heading is checked against every link to it:\n{err}"
    );
    edit(
        &mut site,
        "guides/leaflet/index.md",
        "## 下载地址",
        "## 下载",
    )
    .unwrap();
    assert_same_as_full_build(&mut site, root, "end");
}

#[test]
fn indicator_data_changes_rebuild_pages_downloads_and_shortcodes() {
    let tmp = copy_fixture("indicators");
    let root = tmp.path();
    let mut site = Site::load(&options(root)).unwrap();
    let data = Plan {
        data: true,
        ..Plan::default()
    };
    let csv = "data/indicators/2025.csv";
    let text = std::fs::read_to_string(root.join(csv)).unwrap();

    // town-a's 2025Q4 standard_managed 215 → 220, and the county row with it.
    let edited = text
        .replace("2025Q4,town-a,232,215", "2025Q4,town-a,232,220")
        .replace("2025Q4,county,415,378", "2025Q4,county,415,383");
    write(root, csv, &edited);
    let r = site.apply(&data).unwrap();
    for changed in [
        "data/index.html",
        "data/downloads/indicators.csv",
        "reports/annual/index.html",
    ] {
        assert!(
            r.changed.contains(&changed.to_string()),
            "{changed} follows the data"
        );
    }
    assert_same_as_full_build(&mut site, root, "data edit");

    // A broken data file keeps the last good site; fixing it recovers.
    let good = files_of(&site);
    write(root, csv, &edited.replace("232,220", "232,x"));
    let err = site.apply(&data).unwrap_err();
    assert!(err.to_string().contains("2025.csv"), "{err}");
    assert_eq!(files_of(&site), good);
    write(root, csv, &text);
    site.apply(&data).unwrap();
    assert_same_as_full_build(&mut site, root, "data fixed");

    // A text edit of a page with figures takes the quick path.
    let page = root.join("content/reports/annual.md");
    let report = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        report.replace("全县规范管理率为", "全县的规范管理率为"),
    )
    .unwrap();
    let r = site.apply(&content("reports/annual.md")).unwrap();
    assert!(r.quick);
    assert_same_as_full_build(&mut site, root, "quick edit of a page with figures");
}

#[test]
fn an_index_made_from_an_older_site_is_not_put_in() {
    // serve makes the index on another thread while changes keep coming: an
    // index of the site as it was before the latest change must not win.
    let tmp = copy_fixture("basic");
    let root = tmp.path();
    let mut site = Site::load(&options(root)).unwrap();
    let edit = |site: &mut Site, from: &str, to: &str| {
        let path = root.join("content/news/post-1.md");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        site.apply(&content("news/post-1.md")).unwrap()
    };
    edit(&mut site, "正文", "第一次改写的正文");
    let job = site.search_job().expect("the edit made the index stale");
    assert!(!site.search_is_stale(), "taken by the job");
    edit(&mut site, "第一次改写的正文", "第二次改写的正文");
    let made = job.run();
    assert!(
        site.finish_search(made).is_none(),
        "made from the older site"
    );
    assert!(site.search_is_stale(), "due again");
    let job = site.search_job().expect("stale");
    let rebuilt = site
        .finish_search(job.run())
        .expect("made from the site as it is");
    assert!(!rebuilt.changed.is_empty());
    assert_same_as_full_build(&mut site, root, "after an index was let go");
}

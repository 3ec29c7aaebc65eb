//! The file watcher on a real temporary site: each test makes the changes an
//! editor or a user would make and checks the plans that arrive, with every
//! wait bounded.

use anxin::serve::changes::Plan;
use anxin::serve::watcher::{Debounce, Watcher, watch, watch_with};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The longest a plan may take to arrive.
const DEADLINE: Duration = Duration::from_secs(3);
/// How long to listen to be sure that nothing more arrives: longer than the
/// default debounce's longest wait (300 ms).
const SILENCE: Duration = Duration::from_millis(400);

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    fs::write(root.join("site.toml"), "title = \"t\"\nbase_url = \"/\"\n").expect("site.toml");
    fs::create_dir_all(root.join("content/news")).expect("content/");
    fs::write(root.join("content/_index.md"), "+++\n+++\n").expect("_index.md");
    fs::write(root.join("content/page.md"), "+++\ntitle = \"p\"\n+++\n").expect("page.md");
    fs::create_dir(root.join("data")).expect("data/");
    dir
}

fn started(root: &Path) -> (Watcher, Receiver<Plan>) {
    watch(root).expect("the watcher starts")
}

fn next_plan(plans: &Receiver<Plan>) -> Plan {
    plans
        .recv_timeout(DEADLINE)
        .expect("a plan within 3 seconds")
}

/// Every plan that arrives until none has come for [`SILENCE`].
fn plans_until_silence(plans: &Receiver<Plan>) -> Vec<Plan> {
    let mut all = Vec::new();
    let give_up = Instant::now() + DEADLINE;
    while Instant::now() < give_up {
        match plans.recv_timeout(SILENCE) {
            Ok(plan) => all.push(plan),
            Err(_) => break,
        }
    }
    all
}

fn merged(plans: Vec<Plan>) -> Plan {
    let mut all = Plan::default();
    for plan in plans {
        all.merge(plan);
    }
    all
}

fn pages(names: &[&str]) -> Plan {
    Plan {
        content_files: names.iter().map(|n| n.to_string()).collect(),
        ..Plan::default()
    }
}

fn assert_silent(plans: &Receiver<Plan>) {
    match plans.recv_timeout(SILENCE) {
        Err(RecvTimeoutError::Timeout) => {}
        Ok(plan) => panic!("expected no plan, got {plan:?}"),
        Err(RecvTimeoutError::Disconnected) => panic!("the watcher stopped"),
    }
}

#[test]
fn editing_a_page_gives_a_plan_naming_it() {
    let site = site();
    let (_watcher, plans) = started(site.path());
    fs::write(
        site.path().join("content/page.md"),
        "+++\ntitle = \"新\"\n+++\n",
    )
    .unwrap();
    assert_eq!(next_plan(&plans), pages(&["page.md"]));
}

#[test]
fn a_save_by_rename_names_the_page_and_not_the_temporary_file() {
    let site = site();
    let content = site.path().join("content");
    let (_watcher, plans) = started(site.path());
    fs::write(content.join(".page.md.swp"), "+++\ntitle = \"新\"\n+++\n").unwrap();
    fs::rename(content.join(".page.md.swp"), content.join("page.md")).unwrap();
    let first = next_plan(&plans);
    assert_eq!(first, pages(&["page.md"]));
    let mut rest = plans_until_silence(&plans);
    rest.push(first);
    assert_eq!(merged(rest), pages(&["page.md"]));
}

#[test]
fn a_vim_style_save_with_backup_names_only_the_page() {
    // vim's default on Linux: probe with 4913, move the old file to a
    // backup, write a new file, delete the backup.
    let site = site();
    let content = site.path().join("content");
    let (_watcher, plans) = started(site.path());
    fs::write(content.join("4913"), "").unwrap();
    fs::remove_file(content.join("4913")).unwrap();
    fs::rename(content.join("page.md"), content.join("page.md~")).unwrap();
    fs::write(content.join("page.md"), "+++\ntitle = \"新\"\n+++\n").unwrap();
    fs::remove_file(content.join("page.md~")).unwrap();
    let mut all = vec![next_plan(&plans)];
    all.extend(plans_until_silence(&plans));
    assert_eq!(merged(all), pages(&["page.md"]));
}

#[test]
fn creating_and_deleting_a_folder_under_content_asks_for_a_rescan() {
    let site = site();
    let folder = site.path().join("content/政策解读");
    let (_watcher, plans) = started(site.path());

    fs::create_dir(&folder).unwrap();
    assert!(next_plan(&plans).content_rescan, "after creating");
    assert!(plans_until_silence(&plans).iter().all(|p| p.content_rescan));

    fs::remove_dir(&folder).unwrap();
    assert!(next_plan(&plans).content_rescan, "after deleting");
}

#[test]
fn a_folder_with_a_dot_in_its_name_still_asks_for_a_rescan() {
    let site = site();
    let outside = tempfile::tempdir().unwrap();
    let moved = outside.path().join("2025.10-义诊");
    fs::create_dir(&moved).unwrap();
    fs::write(moved.join("index.md"), "+++\n+++\n").unwrap();
    let (_watcher, plans) = started(site.path());

    // Created in place: the event says it is a folder.
    fs::create_dir(site.path().join("content/2024.10")).unwrap();
    assert!(next_plan(&plans).content_rescan, "after creating");
    plans_until_silence(&plans);

    // Moved in from elsewhere (same file system): only a rename is seen,
    // and the page inside is never named.
    let target = site.path().join("content/2025.10-义诊");
    if fs::rename(&moved, &target).is_ok() {
        assert!(next_plan(&plans).content_rescan, "after moving in");
    }
}

#[test]
fn renaming_a_folder_under_content_asks_for_a_rescan() {
    let site = site();
    let content = site.path().join("content");
    let (_watcher, plans) = started(site.path());
    fs::rename(content.join("news"), content.join("新闻")).unwrap();
    assert!(next_plan(&plans).content_rescan);
}

#[test]
fn renaming_a_page_names_both_ends() {
    let site = site();
    let content = site.path().join("content");
    let (_watcher, plans) = started(site.path());
    fs::rename(content.join("page.md"), content.join("news/页面.md")).unwrap();
    let mut all = vec![next_plan(&plans)];
    all.extend(plans_until_silence(&plans));
    assert_eq!(merged(all), pages(&["news/页面.md", "page.md"]));
}

#[test]
fn pages_in_new_subfolders_are_seen() {
    let site = site();
    let folder = site.path().join("content/活动");
    let (_watcher, plans) = started(site.path());
    fs::create_dir(&folder).unwrap();
    next_plan(&plans);
    plans_until_silence(&plans);
    fs::write(folder.join("a.md"), "+++\n+++\n").unwrap();
    let plan = merged(vec![next_plan(&plans)]);
    assert!(plan.content_files.contains("活动/a.md"), "{plan:?}");
}

#[test]
fn editing_site_toml_gives_config() {
    let site = site();
    let (_watcher, plans) = started(site.path());
    fs::write(
        site.path().join("site.toml"),
        "title = \"新\"\nbase_url = \"/\"\n",
    )
    .unwrap();
    let plan = next_plan(&plans);
    assert!(plan.config, "{plan:?}");
    assert_eq!(
        plan,
        Plan {
            config: true,
            ..Plan::default()
        }
    );
}

#[test]
fn editing_data_gives_data() {
    let site = site();
    let (_watcher, plans) = started(site.path());
    fs::write(site.path().join("data/hotlines.toml"), "").unwrap();
    assert_eq!(
        next_plan(&plans),
        Plan {
            data: true,
            ..Plan::default()
        }
    );
}

#[test]
fn templates_created_after_the_start_are_watched() {
    let site = site();
    let templates = site.path().join("templates");
    let (_watcher, plans) = started(site.path());

    fs::create_dir(&templates).unwrap();
    assert!(next_plan(&plans).templates, "after creating the folder");
    plans_until_silence(&plans);

    fs::write(templates.join("page.html"), "{{ page.title }}").unwrap();
    assert_eq!(
        next_plan(&plans),
        Plan {
            templates: true,
            ..Plan::default()
        }
    );
}

#[test]
fn a_source_folder_deleted_and_made_again_is_still_watched() {
    let site = site();
    let data = site.path().join("data");
    let (_watcher, plans) = started(site.path());

    fs::remove_dir(&data).unwrap();
    assert!(next_plan(&plans).data, "after deleting");
    plans_until_silence(&plans);
    fs::create_dir(&data).unwrap();
    assert!(next_plan(&plans).data, "after creating again");
    plans_until_silence(&plans);

    fs::write(data.join("areas.toml"), "").unwrap();
    assert!(next_plan(&plans).data, "after writing inside");
}

#[test]
fn a_burst_of_quick_edits_gives_few_plans_naming_the_page() {
    let site = site();
    let page = site.path().join("content/page.md");
    let (_watcher, plans) = started(site.path());
    for i in 0..50 {
        fs::write(&page, format!("+++\ntitle = \"{i}\"\n+++\n")).unwrap();
    }
    let mut all = vec![next_plan(&plans)];
    all.extend(plans_until_silence(&plans));
    // One plan on an idle machine; a loaded one may pause the writer for
    // longer than the quiet period now and then.
    assert!(all.len() <= 10, "{} plans for 50 edits", all.len());
    for plan in &all {
        assert_eq!(*plan, pages(&["page.md"]));
    }
}

#[test]
fn a_long_stream_of_edits_still_sends_plans_before_it_ends() {
    let site = site();
    let page = site.path().join("content/page.md");
    let debounce = Debounce {
        quiet: Duration::from_millis(50),
        max_wait: Duration::from_millis(100),
    };
    let (_watcher, plans) = watch_with(site.path(), debounce).unwrap();
    let started = Instant::now();
    let mut got_one_early = false;
    // An edit every 10 ms for 600 ms never leaves 50 ms of quiet.
    while started.elapsed() < Duration::from_millis(600) {
        fs::write(&page, format!("{:?}", started.elapsed())).unwrap();
        std::thread::sleep(Duration::from_millis(10));
        got_one_early |= plans.try_recv().is_ok();
    }
    assert!(got_one_early, "no plan during 600 ms of edits");
}

#[test]
fn vims_probe_file_alone_gives_no_plan() {
    let site = site();
    let content = site.path().join("content");
    let (_watcher, plans) = started(site.path());
    fs::write(content.join("4913"), "").unwrap();
    fs::remove_file(content.join("4913")).unwrap();
    assert_silent(&plans);
}

#[test]
fn editor_temporaries_alone_give_no_plan() {
    let site = site();
    let content = site.path().join("content");
    let (_watcher, plans) = started(site.path());
    fs::write(content.join(".page.md.swp"), "x").unwrap();
    fs::write(content.join("page.md~"), "x").unwrap();
    fs::write(content.join("#page.md#"), "x").unwrap();
    fs::remove_file(content.join(".page.md.swp")).unwrap();
    assert_silent(&plans);
}

#[test]
fn output_and_target_folders_give_no_plan() {
    let site = site();
    let root = site.path();
    let (_watcher, plans) = started(root);
    fs::create_dir_all(root.join("public/news")).unwrap();
    fs::write(root.join("public/news/index.html"), "<p>").unwrap();
    fs::create_dir_all(root.join("public.tmp/x")).unwrap();
    fs::remove_dir_all(root.join("public")).unwrap();
    fs::rename(root.join("public.tmp"), root.join("public")).unwrap();
    fs::create_dir_all(root.join("target/debug")).unwrap();
    fs::write(root.join("target/debug/anxin"), "").unwrap();
    fs::write(root.join("README.md"), "").unwrap();
    assert_silent(&plans);
}

#[test]
fn reading_the_site_gives_no_plan() {
    // A rebuild reads every file; if reads counted, each rebuild would
    // trigger the next.
    let site = site();
    let (_watcher, plans) = started(site.path());
    for entry in walkdir::WalkDir::new(site.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            fs::read(entry.path()).unwrap();
        }
    }
    assert_silent(&plans);
}

#[test]
fn dropping_the_watcher_ends_it_and_closes_the_channel() {
    let site = site();
    let (watcher, plans) = started(site.path());
    let before = Instant::now();
    drop(watcher);
    assert!(
        before.elapsed() < DEADLINE,
        "stopping took {:?}",
        before.elapsed()
    );
    assert_eq!(
        plans.recv_timeout(DEADLINE),
        Err(RecvTimeoutError::Disconnected)
    );
}

#[test]
fn stopping_in_the_middle_of_a_burst_ends_promptly() {
    let site = site();
    let debounce = Debounce {
        quiet: Duration::from_secs(10),
        max_wait: Duration::from_secs(10),
    };
    let (watcher, _plans) = watch_with(site.path(), debounce).unwrap();
    fs::write(site.path().join("content/page.md"), "x").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    let before = Instant::now();
    watcher.stop();
    assert!(
        before.elapsed() < Duration::from_secs(1),
        "stopping took {:?}",
        before.elapsed()
    );
}

#[test]
fn a_missing_site_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(watch(&dir.path().join("nope")).is_err());
}

/// Not a check but a measurement: run with
/// `cargo test --release --test watcher -- --ignored --nocapture`.
#[test]
#[ignore]
fn reports_the_time_from_a_write_to_its_plan() {
    let site = site();
    let page = site.path().join("content/page.md");
    let (_watcher, plans) = started(site.path());
    let mut times = Vec::new();
    for i in 0..21 {
        let written = Instant::now();
        fs::write(&page, format!("+++\ntitle = \"{i}\"\n+++\n")).unwrap();
        let plan = next_plan(&plans);
        times.push(written.elapsed());
        assert_eq!(plan.content_files, BTreeSet::from(["page.md".to_string()]));
        std::thread::sleep(Duration::from_millis(100));
    }
    times.sort();
    println!(
        "write to plan: median {:?}, best {:?}, worst {:?} ({} edits)",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
}

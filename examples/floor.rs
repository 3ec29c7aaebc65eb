//! The floor of a static site build, for the benchmarks: read every markdown
//! file under `content/`, render it with pulldown-cmark, write the HTML —
//! nothing else (no front matter, templates, links or listings). anxin's
//! build time is compared with this program's on the same content.
//!
//! cargo run --release --example floor -- SITE_DIR OUT_DIR

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out] = args.as_slice() else {
        eprintln!("usage: floor SITE_DIR OUT_DIR");
        std::process::exit(2);
    };
    let content = Path::new(site).join("content");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let out = Path::new(out);
    let written: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read a markdown file");
            let mut page = String::with_capacity(text.len() * 3 / 2);
            let options =
                Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
            html::push_html(&mut page, Parser::new_ext(&text, options));
            let rel = path
                .strip_prefix(&content)
                .expect("inside content/")
                .with_extension("");
            let dest = out.join(rel).join("index.html");
            std::fs::create_dir_all(dest.parent().expect("a folder")).expect("create a folder");
            std::fs::write(&dest, page.as_bytes()).expect("write the page");
            page.len()
        })
        .sum();
    println!("floor: {} files, {written} bytes of HTML", files.len());
}

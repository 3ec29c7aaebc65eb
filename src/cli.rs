//! The command line, in words a publicity officer can follow.

use clap::{Parser, Subcommand};
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "anxin",
    version,
    about = "安心 anxin — builds a mental-health information website from a folder of markdown files",
    long_about = "安心 anxin builds a complete website from a site folder:\n\
  site.toml   the site's title, address and crisis line\n\
  content/    pages written in markdown (.md), one file per page\n\
  data/       hotlines and indicator figures\n\n\
Start with `anxin new my-site`, edit the files in content/, then run `anxin build --root my-site`.\n\
The finished website is written to my-site/public/, ready to upload.",
    after_help = "Exit status: 0 success, 1 a problem in the site's files (each is reported with file, line and a hint), 2 a mistake in the command."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site folder with example pages to start from
    New {
        /// The folder to create (must not exist yet, or be empty)
        dir: PathBuf,
    },
    /// Build the website into public/ (or the folder given with --output)
    Build {
        /// The site folder, the one that holds site.toml [default: the current folder]
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Where to write the website [default: public/ inside the site folder]
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Publish for another address than base_url in site.toml, e.g. https://test.example.org
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Also build pages marked `draft = true`
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site in a browser; pages reload by themselves when you save
    Serve {
        /// The site folder, the one that holds site.toml [default: the current folder]
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The port to listen on; if it is taken, the next free one is used
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Only this computer can see the preview
        /// unless you give another address, e.g. --bind 0.0.0.0 to test on a
        /// phone on the same network
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Also show pages marked `draft = true`
        #[arg(long)]
        drafts: bool,
    },
    /// Build the website, then rebuild it on disk every time a file changes
    Watch {
        /// The site folder, the one that holds site.toml [default: the current folder]
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Where to write the website [default: public/ inside the site folder]
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Also build pages marked `draft = true`
        #[arg(long)]
        drafts: bool,
    },
    /// Check the site for mistakes without writing anything
    Check {
        /// The site folder, the one that holds site.toml [default: the current folder]
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors (use before publishing)
        #[arg(long)]
        strict: bool,
        /// Also check pages marked `draft = true`
        #[arg(long)]
        drafts: bool,
    },
}

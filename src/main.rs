//! The `anxin` binary: parse the command line, run the command, print what
//! went wrong, set the exit status (0 ok, 1 input error, 2 usage error).

use anxin::build::BuildOptions;
use anxin::cli::{Cli, Command};
use anxin::cmd;
use clap::Parser;
use std::process::ExitCode;

// glibc's allocator spent a fifth of a 10,000-page build in malloc and free
// (many small strings and maps for the templates, freed from other threads);
// mimalloc's thread-local heaps make that a small fraction.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::New { dir } => cmd::new::execute(&dir),
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => cmd::build::execute(&BuildOptions {
            root,
            output,
            base_url,
            drafts,
        }),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
        } => cmd::serve::execute(&cmd::serve::ServeOptions {
            root,
            port,
            bind,
            drafts,
        }),
        Command::Watch {
            root,
            output,
            drafts,
        } => cmd::watch::execute(&BuildOptions {
            root,
            output,
            base_url: None,
            drafts,
        }),
        Command::Check {
            root,
            strict,
            drafts,
        } => cmd::check::execute(
            &BuildOptions {
                root,
                drafts,
                ..BuildOptions::default()
            },
            strict,
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            eprint!("{}", diagnostics.sorted());
            ExitCode::from(1)
        }
    }
}

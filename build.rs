//! The default theme and the starter site are embedded in the binary with
//! include_dir, which cargo does not know to watch: without this, editing a
//! template would leave a stale copy in the next build.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=starter");
}

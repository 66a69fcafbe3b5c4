//! Tells the corpus tests whether the development data is there: sets
//! `cfg(shared_data)` when `../shared/data` (beside the repository) exists,
//! so that the tests that read it run, or show as ignored with the reason in
//! the test summary when it does not. The build script of every crate whose
//! tests read `../shared/data` (`temporal`, `eval`): a test marks itself
//! `#[cfg_attr(not(shared_data), ignore = "../shared/data not found")]`.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_data)");
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let data = Path::new(&dir).join("../../../shared/data");
    if data.is_dir() {
        println!("cargo::rustc-cfg=shared_data");
        // a removed data directory is noticed on the next build
        println!("cargo::rerun-if-changed={}", data.display());
    } else {
        // watching a missing path would re-run this script (and rebuild the
        // crate) on every build; data added later needs a touch of build.rs
        println!("cargo::rerun-if-changed=build.rs");
    }
}

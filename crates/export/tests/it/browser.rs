//! Finding the headless browser the browser tests drive, shared by the
//! tests of `export` (the HTML report) and of `cli` (the serve UI, which
//! includes this file by path). A missing browser skips its test with a
//! printed reason, except where `EVENTLINE_REQUIRE_BROWSER` is set (CI's
//! `.ci/run` sets it after installing Chromium): there it fails the test,
//! so a broken install cannot pass as a skip.
// each includer uses a part (export has no chromedriver test)
#![allow(dead_code)]

use std::process::Command;

/// The launch flags that work here (headless, no sandbox, no network of
/// its own).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Chromium, when installed (see [`installed`]).
pub fn chromium() -> Option<&'static str> {
    installed(
        "chromium",
        &["chromium", "chromium-browser", "google-chrome"],
    )
}

/// chromedriver, when installed (see [`installed`]).
pub fn chromedriver() -> Option<&'static str> {
    installed("chromedriver", &["chromedriver"])
}

/// The first of `programs` that runs (`--version`). When none does, the
/// test is to skip: prints why and gives `None`; panics instead when
/// `EVENTLINE_REQUIRE_BROWSER` is set to anything but `0` or nothing.
pub fn installed(what: &str, programs: &[&'static str]) -> Option<&'static str> {
    let found = programs.iter().copied().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        let required =
            std::env::var("EVENTLINE_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0");
        assert!(
            !required,
            "no {what} installed ({programs:?}), and EVENTLINE_REQUIRE_BROWSER is set: \
             the browser tests must run here"
        );
        eprintln!("skipping: no {what} installed (EVENTLINE_REQUIRE_BROWSER=1 fails instead)");
    }
    found
}

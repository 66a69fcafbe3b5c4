//! Tidy: the rules ARCHITECTURE.md states, checked on the source tree (as
//! rust-analyzer's `tidy.rs` does), so that they cannot drift into prose
//! only. Reads the `Cargo.toml` files and sources of `crates/*`; runs in
//! milliseconds.
//!
//! - the crate graph is the one ARCHITECTURE.md lists under "Crate
//!   dependencies", in an order where every arrow points up (no cycle, no
//!   edge against the flow);
//! - no dependency is listed that the crate's code never names;
//! - only `cli` prints: no `println!`, `eprintln!`, `print!`, `eprint!` or
//!   `dbg!` in the non-test source of a library crate;
//! - each crate has at most one integration test binary (`tests/it/`), and
//!   a target that skips its test harness (`test = false`) has no tests;
//! - every crate takes the workspace lints (`missing_docs` for every public
//!   item; CI runs clippy with `-D warnings`), and `.ci/run` runs fmt and
//!   clippy.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// One workspace crate as its manifest declares it.
struct Crate {
    /// Directory name under `crates/` (`model`), the name ARCHITECTURE.md uses.
    dir: String,
    manifest: String,
    /// `[dependencies]` keys (package names).
    deps: Vec<String>,
    /// `[dev-dependencies]` and `[build-dependencies]` keys.
    dev_deps: Vec<String>,
}

/// The keys of a TOML table (`[dependencies]`), read line by line: the
/// manifests keep one dependency per line.
fn table_keys(manifest: &str, table: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == format!("[{table}]");
            continue;
        }
        if inside && !line.is_empty() && !line.starts_with('#') {
            let key = line.split('=').next().unwrap().trim().trim_matches('"');
            keys.push(key.to_string());
        }
    }
    keys
}

/// A value `key = "value"` of a table.
fn table_value(manifest: &str, table: &str, key: &str) -> Option<String> {
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == format!("[{table}]");
            continue;
        }
        if let Some((k, v)) = line.split_once('=')
            && inside
            && k.trim() == key
        {
            return Some(v.trim().trim_matches('"').to_string());
        }
    }
    None
}

fn crates() -> Vec<Crate> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root().join("crates")).expect("crates/") {
        let dir = e.expect("entry").path();
        let manifest_path = dir.join("Cargo.toml");
        if !manifest_path.is_file() {
            continue;
        }
        let manifest = read(&manifest_path);
        out.push(Crate {
            dir: dir.file_name().unwrap().to_string_lossy().into_owned(),
            deps: table_keys(&manifest, "dependencies"),
            dev_deps: [
                table_keys(&manifest, "dev-dependencies"),
                table_keys(&manifest, "build-dependencies"),
            ]
            .concat(),
            manifest,
        });
    }
    out.sort_by(|a, b| a.dir.cmp(&b.dir));
    assert!(out.len() >= 10, "found only {} crates", out.len());
    out
}

/// The package name of a workspace crate (`eventline-model`) -> its directory (`model`).
fn workspace_packages(crates: &[Crate]) -> BTreeMap<String, String> {
    crates
        .iter()
        .map(|c| {
            let name = table_value(&c.manifest, "package", "name").expect("package name");
            (name, c.dir.clone())
        })
        .collect()
}

/// The name code uses for a dependency: the `[lib] name` of a workspace
/// crate, else the package name with `-` as `_`.
fn code_name(dep: &str, crates: &[Crate], packages: &BTreeMap<String, String>) -> String {
    if let Some(dir) = packages.get(dep) {
        let c = crates.iter().find(|c| &c.dir == dir).unwrap();
        if let Some(lib) = table_value(&c.manifest, "lib", "name") {
            return lib;
        }
    }
    dep.replace('-', "_")
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The non-test part of a source file: a file that is a test module
/// (`tests.rs`) is left out, and a file is cut at its `#[cfg(test)]` module,
/// which the workspace keeps at the end of a file.
fn non_test_source(p: &Path) -> String {
    if p.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let s = read(p);
    match s.find("#[cfg(test)]") {
        Some(at) => s[..at].to_string(),
        None => s,
    }
}

/// Whether `name` is used as a crate path in `code` (`name::`, `use name`,
/// `name!`), on a word boundary.
fn names_crate(code: &str, name: &str) -> bool {
    let bytes = code.as_bytes();
    code.match_indices(name).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let word_start = before.is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'_'));
        let rest = &code[at + name.len()..];
        word_start && (rest.starts_with("::") || rest.starts_with(" as ") || rest.starts_with(';'))
    })
}

/// "Crate dependencies" in ARCHITECTURE.md: one line per crate,
/// `crate -> dep dep ...`, in an order where each crate names only crates
/// above it.
fn documented_graph() -> Vec<(String, BTreeSet<String>)> {
    let doc = read(&root().join("ARCHITECTURE.md"));
    let section = doc
        .split("## Crate dependencies")
        .nth(1)
        .expect("ARCHITECTURE.md has a \"Crate dependencies\" section");
    let block = section
        .split("```")
        .nth(1)
        .expect("the section holds a code block");
    block
        .lines()
        .filter(|l| l.contains("->"))
        .map(|l| {
            let (krate, deps) = l.split_once("->").unwrap();
            let deps = deps
                .split('#')
                .next()
                .unwrap()
                .split_whitespace()
                .map(String::from)
                .collect();
            (krate.trim().to_string(), deps)
        })
        .collect()
}

#[test]
fn crate_graph_is_the_documented_one_and_points_one_way() {
    let crates = crates();
    let packages = workspace_packages(&crates);
    let documented = documented_graph();
    let mut seen = BTreeSet::new();
    for (krate, deps) in &documented {
        for d in deps {
            assert!(
                seen.contains(d),
                "ARCHITECTURE.md: {krate} -> {d}, but {d} is not listed above {krate} \
                 (arrows must point up: no cycle, no edge against the flow)"
            );
        }
        seen.insert(krate.clone());
    }
    let actual: BTreeMap<String, BTreeSet<String>> = crates
        .iter()
        .map(|c| {
            let deps = c
                .deps
                .iter()
                .filter_map(|d| packages.get(d).cloned())
                .collect();
            (c.dir.clone(), deps)
        })
        .collect();
    let documented: BTreeMap<String, BTreeSet<String>> = documented.into_iter().collect();
    assert_eq!(
        actual, documented,
        "the crate graph of the Cargo.toml files (left) differs from ARCHITECTURE.md's \
         \"Crate dependencies\" (right): update one or the other"
    );
}

/// The absences ARCHITECTURE.md promises: `model` knows nothing of I/O,
/// `store` nothing of NLP, `export` nothing of NLP or SQLite, the server
/// reads the store through SQL only.
#[test]
fn crates_know_nothing_of_what_architecture_says_they_do_not() {
    let crates = crates();
    let deps = |dir: &str| -> BTreeSet<&str> {
        let c = crates.iter().find(|c| c.dir == dir).expect(dir);
        c.deps.iter().map(String::as_str).collect()
    };
    let nlp = [
        "eventline-nlp",
        "eventline-spacy",
        "eventline-temporal",
        "eventline-resolve",
    ];
    let model_deps = deps("model");
    assert!(
        model_deps
            .iter()
            .all(|d| ["chrono", "serde", "thiserror"].contains(d)),
        "model is plain data: {model_deps:?}"
    );
    for forbidden in nlp {
        assert!(!deps("store").contains(forbidden), "store -> {forbidden}");
        assert!(!deps("export").contains(forbidden), "export -> {forbidden}");
    }
    assert!(!deps("export").contains("rusqlite"), "export -> rusqlite");
    let server: Vec<&str> = deps("server")
        .into_iter()
        .filter(|d| d.starts_with("eventline-"))
        .collect();
    assert_eq!(
        server,
        ["eventline-store"],
        "server reads the store through SQL"
    );
}

#[test]
fn every_dependency_is_used() {
    let crates = crates();
    let packages = workspace_packages(&crates);
    let mut unused = Vec::new();
    for c in &crates {
        let dir = root().join("crates").join(&c.dir);
        let mut lib: String = rust_files(&dir.join("src"))
            .iter()
            .map(|p| read(p))
            .collect();
        if dir.join("build.rs").is_file() {
            lib.push_str(&read(&dir.join("build.rs")));
        }
        let mut all = lib.clone();
        for sub in ["tests", "benches", "examples"] {
            all.extend(rust_files(&dir.join(sub)).iter().map(|p| read(p)));
        }
        for d in &c.deps {
            // an optional dependency may serve an example behind a feature
            let optional = c
                .manifest
                .lines()
                .any(|l| l.starts_with(&format!("{d} =")) && l.contains("optional = true"));
            let code = if optional { &all } else { &lib };
            if !names_crate(code, &code_name(d, &crates, &packages)) {
                unused.push(format!("{}: [dependencies] {d}", c.dir));
            }
        }
        for d in &c.dev_deps {
            if !names_crate(&all, &code_name(d, &crates, &packages)) {
                unused.push(format!("{}: [dev-dependencies] {d}", c.dir));
            }
        }
    }
    assert!(
        unused.is_empty(),
        "dependencies no code of the crate names (remove them from Cargo.toml):\n{}",
        unused.join("\n")
    );
}

#[test]
fn only_cli_prints() {
    let mut found = Vec::new();
    for c in crates().iter().filter(|c| c.dir != "cli") {
        for p in rust_files(&root().join("crates").join(&c.dir).join("src")) {
            let code = non_test_source(&p);
            for (n, line) in code.lines().enumerate() {
                let code_part = line.split("//").next().unwrap();
                for mac in ["println!", "eprintln!", "print!", "eprint!", "dbg!"] {
                    let hit = code_part.match_indices(mac).any(|(at, _)| {
                        at == 0 || !code_part.as_bytes()[at - 1].is_ascii_alphanumeric()
                    });
                    if hit {
                        found.push(format!("{}:{}: {}", p.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "only cli prints (ARCHITECTURE.md); return the text or a diagnostic instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_crate_takes_the_workspace_lints_and_ci_enforces_them() {
    let workspace = read(&root().join("Cargo.toml"));
    assert!(
        table_value(&workspace, "workspace.lints.rust", "missing_docs").as_deref() == Some("warn")
            || table_value(&workspace, "workspace.lints.rust", "missing_docs").as_deref()
                == Some("deny"),
        "the workspace lints require docs on every public item"
    );
    let members = workspace.matches("\"crates/").count();
    let crates = crates();
    assert_eq!(members, crates.len(), "every crate is a workspace member");
    for c in &crates {
        assert_eq!(
            table_value(&c.manifest, "lints", "workspace").as_deref(),
            Some("true"),
            "crates/{}/Cargo.toml: add [lints] workspace = true",
            c.dir
        );
    }
    let ci = read(&root().join(".ci/run"));
    for command in [
        "cargo fmt --check",
        "cargo clippy --workspace --all-targets -- -D warnings",
        "cargo test --workspace",
    ] {
        assert!(
            ci.lines().any(|l| l.trim() == command),
            ".ci/run does not run `{command}`"
        );
    }
}

/// One integration test binary per crate: a new `tests/NAME.rs` would link
/// another binary (CI's time and disk); it goes into `tests/it/` as a
/// module. A target built without its test harness (`test = false`) must
/// have no `#[test]` to skip.
#[test]
fn one_test_binary_per_crate_and_no_test_left_unrun() {
    let mut wrong = Vec::new();
    for c in crates() {
        let dir = root().join("crates").join(&c.dir);
        if let Ok(entries) = std::fs::read_dir(dir.join("tests")) {
            for e in entries {
                let p = e.expect("entry").path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                if p.extension().is_some_and(|x| x == "rs")
                    || p.join("main.rs").is_file() && name != "it"
                {
                    wrong.push(format!(
                        "crates/{}/tests/{name}: move it into tests/it/",
                        c.dir
                    ));
                }
            }
        }
        if c.manifest
            .lines()
            .any(|l| l.trim().replace(' ', "") == "test=false")
        {
            for p in rust_files(&dir.join("src")) {
                if read(&p).contains("#[test]") {
                    wrong.push(format!(
                        "{}: a #[test] in a target with `test = false` never runs",
                        p.display()
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

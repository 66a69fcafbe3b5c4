//! Directory walk: "which entries under this path are articles to read, and
//! what was left out and why?"
//!
//! Only regular files are read. FIFOs, sockets and devices are skipped with
//! an error (opening a FIFO would block the run). Symbolic links inside a
//! directory are skipped with a notice unless
//! [`IngestOptions::follow_symlinks`] is set; when followed, a directory
//! already visited (a loop, or two links to one place) and a file already
//! listed are skipped with a notice. Hidden entries (names starting with `.`)
//! and files of extensions eventline does not read are summarised, one
//! notice per extension. The path given itself is read whatever its
//! extension (a link given explicitly is followed).

use crate::{ErrorKind, Format, IngestError, IngestOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Something ingest skipped or changed that is not a failure: reported, not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The path or stream concerned.
    pub origin: String,
    /// What was done.
    pub message: String,
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

/// One file to read and the id its article gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path to open.
    pub path: PathBuf,
    /// The id of a one-article file: the stem of a file given directly,
    /// else the path relative to the walked directory without extension.
    pub id: String,
}

/// The files under a path, and what was skipped.
#[derive(Debug, Default)]
pub struct Listing {
    /// Regular files to read, in byte order of their paths.
    pub files: Vec<InputFile>,
    /// Entries that are no regular files, unreadable directories, loops.
    pub errors: Vec<IngestError>,
    /// Skipped links, hidden entries and unknown extensions.
    pub notices: Vec<Notice>,
}

/// Deepest directory nesting walked.
const MAX_DEPTH: usize = 64;

/// Lists the files under `path` (see the module documentation).
pub fn list_inputs_noted(path: &Path, opts: &IngestOptions) -> Listing {
    let label = path.display().to_string();
    let mut listing = Listing::default();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            listing
                .errors
                .push(IngestError::file(&label, ErrorKind::Io(e.to_string())));
            return listing;
        }
    };
    if meta.is_file() {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| label.clone());
        listing.files.push(InputFile {
            path: path.to_path_buf(),
            id,
        });
        return listing;
    }
    if !meta.is_dir() {
        listing.errors.push(IngestError::file(
            &label,
            ErrorKind::NotAFile(format!("{} is not a regular file", kind_of(&meta))),
        ));
        return listing;
    }
    let mut w = Walker {
        opts,
        root: path,
        listing,
        seen_dirs: BTreeSet::new(),
        seen_files: BTreeSet::new(),
        unknown: BTreeMap::new(),
        hidden: 0,
    };
    if let Ok(c) = std::fs::canonicalize(path) {
        w.seen_dirs.insert(c);
    }
    w.walk(path, 0);
    for (ext, (n, first)) in std::mem::take(&mut w.unknown) {
        w.listing.notices.push(Notice {
            origin: first,
            message: if n == 1 {
                format!("skipped: extension {ext} is not a format eventline reads")
            } else {
                format!(
                    "skipped with {} other file(s) of extension {ext}: not a format eventline reads",
                    n - 1
                )
            },
        });
    }
    if w.hidden > 0 {
        w.listing.notices.push(Notice {
            origin: label,
            message: format!(
                "skipped {} hidden entr{} (names starting with '.')",
                w.hidden,
                if w.hidden == 1 { "y" } else { "ies" }
            ),
        });
    }
    w.listing
}

struct Walker<'a> {
    opts: &'a IngestOptions,
    root: &'a Path,
    listing: Listing,
    seen_dirs: BTreeSet<PathBuf>,
    seen_files: BTreeSet<PathBuf>,
    /// extension -> (files, first path)
    unknown: BTreeMap<String, (usize, String)>,
    hidden: usize,
}

impl Walker<'_> {
    fn error(&mut self, p: &Path, kind: ErrorKind) {
        self.listing
            .errors
            .push(IngestError::file(&p.display().to_string(), kind));
    }

    fn notice(&mut self, p: &Path, message: String) {
        self.listing.notices.push(Notice {
            origin: p.display().to_string(),
            message,
        });
    }

    fn walk(&mut self, dir: &Path, depth: usize) {
        if depth > MAX_DEPTH {
            self.error(
                dir,
                ErrorKind::NotAFile(format!("directories nested deeper than {MAX_DEPTH}")),
            );
            return;
        }
        let read = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.error(dir, ErrorKind::Io(e.to_string())),
        };
        let mut entries: Vec<(Vec<u8>, PathBuf)> = Vec::new();
        for e in read {
            match e {
                Ok(e) => entries_push(&mut entries, e.path()),
                Err(e) => self.error(dir, ErrorKind::Io(e.to_string())),
            }
        }
        entries.sort();
        for (_, p) in entries {
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                self.hidden += 1;
                continue;
            }
            self.entry(&p, depth);
        }
    }

    fn entry(&mut self, p: &Path, depth: usize) {
        let lmeta = match std::fs::symlink_metadata(p) {
            Ok(m) => m,
            Err(e) => return self.error(p, ErrorKind::Io(e.to_string())),
        };
        let meta = if lmeta.file_type().is_symlink() {
            if !self.opts.follow_symlinks {
                return self.notice(
                    p,
                    "skipped: symbolic link (not followed unless asked: --follow-links)".into(),
                );
            }
            match std::fs::metadata(p) {
                Ok(m) => m,
                Err(e) => {
                    return self.error(p, ErrorKind::Io(format!("broken symbolic link: {e}")));
                }
            }
        } else {
            lmeta
        };
        if meta.is_dir() {
            let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            if !self.seen_dirs.insert(canon.clone()) {
                return self.notice(
                    p,
                    format!(
                        "skipped: directory {} already walked (symbolic link loop or second link)",
                        canon.display()
                    ),
                );
            }
            self.walk(p, depth + 1);
        } else if meta.is_file() {
            if Format::from_path(p).is_none() {
                let ext = p
                    .extension()
                    .map(|e| format!(".{}", e.to_string_lossy().to_lowercase()))
                    .unwrap_or_else(|| "(none)".into());
                let slot = self
                    .unknown
                    .entry(ext)
                    .or_insert_with(|| (0, p.display().to_string()));
                slot.0 += 1;
                return;
            }
            let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            if !self.seen_files.insert(canon.clone()) {
                return self.notice(
                    p,
                    format!("skipped: the same file as {} already read", canon.display()),
                );
            }
            let id = relative_id(self.root, p);
            self.listing.files.push(InputFile {
                path: p.to_path_buf(),
                id,
            });
        } else {
            self.error(
                p,
                ErrorKind::NotAFile(format!(
                    "{} is not a regular file; not read",
                    kind_of(&meta)
                )),
            );
        }
    }
}

fn entries_push(entries: &mut Vec<(Vec<u8>, PathBuf)>, p: PathBuf) {
    let key = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned().into_bytes())
        .unwrap_or_default();
    entries.push((key, p));
}

/// The path of `p` relative to `root`, without extension, `/`-separated.
fn relative_id(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let rel = rel.with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_ids_keep_directories() {
        assert_eq!(
            relative_id(Path::new("coll"), Path::new("coll/b/story.txt")),
            "b/story"
        );
        assert_eq!(
            relative_id(Path::new("coll"), Path::new("coll/story.txt")),
            "story"
        );
    }
}

//! "Here is a bundled table, give me its rows": the tab-separated data files
//! (`data/*.tsv` of this crate and of `resolve`) read with the `csv` crate
//! (tab delimiter, `#` comment lines, no quoting, fields trimmed) and
//! deserialized with serde. A row that does not fit its type is an error
//! naming the file and the line, never silently dropped.

use serde::de::DeserializeOwned;

/// A malformed row of a tab-separated table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file} line {line}: {message}")]
pub struct TsvError {
    /// The table's file name (`labels.tsv`).
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// The rows of `text` (the contents of `file`) as `T`s, each with its
/// 1-based line number. Rows may have fewer fields than `T` only when the
/// missing ones are `Option`s or defaulted.
pub fn rows<T: DeserializeOwned>(file: &str, text: &str) -> Result<Vec<(u64, T)>, TsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .comment(Some(b'#'))
        .quoting(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut lines = Lines::default();
    for record in reader.records() {
        let error = |line: u64, message: String| TsvError {
            file: file.to_string(),
            line,
            message,
        };
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| lines.line_at(text, p));
            error(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| lines.line_at(text, p));
        // a line of blanks only is a blank line
        if record.iter().all(str::is_empty) {
            continue;
        }
        let row = record.deserialize(None).map_err(|e| {
            error(
                line,
                format!("{} tab-separated field(s): {e}", record.len()),
            )
        })?;
        out.push((line, row));
    }
    Ok(out)
}

/// Line numbers of records met in increasing byte order, counted from the
/// last record on (a table is read in one pass, not once per row).
#[derive(Default)]
struct Lines {
    /// Byte offset counted up to.
    at: usize,
    /// Line breaks before `at`.
    breaks: u64,
}

impl Lines {
    /// The 1-based line of a record at a position. The csv reader's position
    /// of a record that follows comment or empty lines is that of the first
    /// of them, and its line count leaves them out, so they are stepped over
    /// here.
    fn line_at(&mut self, text: &str, p: &csv::Position) -> u64 {
        let mut at = usize::try_from(p.byte()).map_or(text.len(), |b| b.min(text.len()));
        loop {
            let rest = &text[at..];
            if rest.starts_with('\n') {
                at += 1;
            } else if rest.starts_with("\r\n") {
                at += 2;
            } else if rest.starts_with('#')
                && let Some(n) = rest.find('\n')
            {
                at += n + 1;
            } else {
                break;
            }
        }
        if at < self.at {
            *self = Lines::default();
        }
        self.breaks += text.as_bytes()[self.at..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.at = at;
        1 + self.breaks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_skip_comments_and_blank_lines_and_name_the_bad_line() {
        let text = "# a comment\nalpha\t1\n\n  \nbeta\t2\t\n";
        let got: Vec<(u64, (String, u32))> = rows("t.tsv", text).unwrap();
        assert_eq!(got, vec![(2, ("alpha".into(), 1)), (5, ("beta".into(), 2))]);
        let err = rows::<(String, u32)>("t.tsv", "# c\nalpha\t1\nbeta\tx\n").unwrap_err();
        assert_eq!((err.file.as_str(), err.line), ("t.tsv", 3), "{err}");
        let err = rows::<(String, u32)>("t.tsv", "alpha\n").unwrap_err();
        assert_eq!(err.line, 1, "{err}");
        // empty lines before a row, after a comment, and at the start
        let text = "\n\n# c\n\nalpha\t1\n\n\nbeta\tx\n";
        let err = rows::<(String, u32)>("t.tsv", text).unwrap_err();
        assert_eq!(err.line, 8, "{err}");
        let got: Vec<(u64, (String, u32))> = rows("t.tsv", "\r\n\r\nalpha\t1\r\n").unwrap();
        assert_eq!(got, vec![(3, ("alpha".into(), 1))]);
    }
}

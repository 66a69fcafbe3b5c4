//! "Is this query string well-formed?": parsing and checking request
//! parameters, each failure naming the parameter.

use std::collections::BTreeMap;

/// Longest request URI accepted, in bytes.
pub(crate) const MAX_URI: usize = 8192;
/// Longest parameter value accepted, in bytes.
pub(crate) const MAX_VALUE: usize = 1000;
/// Default page size.
pub(crate) const DEFAULT_LIMIT: u32 = 50;
/// Largest page size.
pub(crate) const MAX_LIMIT: u32 = 1000;

/// The parameters of one request; unknown names are ignored.
#[derive(Debug, Default)]
pub(crate) struct Params(BTreeMap<String, String>);

impl Params {
    /// Parses a raw query string, refusing repeated known names and over-long values.
    pub(crate) fn parse(raw: Option<&str>, known: &[&str]) -> Result<Params, String> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| format!("malformed query string: {e}"))?;
        let mut map = BTreeMap::new();
        for (k, v) in pairs {
            if !known.contains(&k.as_str()) {
                continue;
            }
            if v.len() > MAX_VALUE {
                return Err(format!("{k}: longer than {MAX_VALUE} bytes"));
            }
            if v.contains('\0') {
                return Err(format!("{k}: contains a NUL character"));
            }
            if map.insert(k.clone(), v).is_some() {
                return Err(format!("{k}: given more than once"));
            }
        }
        Ok(Params(map))
    }

    /// A non-empty text value (an empty value counts as absent).
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    /// `limit` (default 50, 1 to 1000) and `offset` (default 0).
    pub(crate) fn page(&self) -> Result<(u32, u64), String> {
        let limit = match self.text("limit") {
            None => DEFAULT_LIMIT,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                Ok(_) => return Err(format!("limit: must be 1 to {MAX_LIMIT}, got {s}")),
                Err(_) => return Err(format!("limit: not a whole number: {s:?}")),
            },
        };
        let offset = match self.text("offset") {
            None => 0,
            Some(s) => s
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= i64::MAX as u64)
                .ok_or_else(|| format!("offset: not a whole number: {s:?}"))?,
        };
        Ok((limit, offset))
    }

    /// An ISO date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub(crate) fn date(&self, name: &str) -> Result<Option<String>, String> {
        match self.text(name) {
            None => Ok(None),
            Some(s) if is_iso_date(s) => Ok(Some(s.to_string())),
            Some(s) => Err(format!(
                "{name}: not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY): {s:?}"
            )),
        }
    }
}

/// Whether `s` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` naming a real day.
pub(crate) fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok())?
    };
    let Some(year) = parts.first().and_then(|p| num(p, 4)) else {
        return false;
    };
    let month = match parts.get(1) {
        None => return parts.len() == 1,
        Some(p) => match num(p, 2) {
            Some(m @ 1..=12) => m,
            _ => return false,
        },
    };
    let day = match parts.get(2) {
        None => return parts.len() == 2,
        Some(p) => match num(p, 2) {
            Some(d) => d,
            None => return false,
        },
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    parts.len() == 3 && (1..=days).contains(&day)
}

/// An FTS5 query matching every word of `q` as a prefix (`"word"*`), or
/// `None` when `q` has no word. Quoting keeps FTS5 syntax out of user input.
pub(crate) fn fts_words(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(32)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// An FTS5 trigram phrase matching `q` as a substring, quoted.
pub(crate) fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// A LIKE pattern matching `q` as a substring, escaped with `\`.
pub(crate) fn like_substring(q: &str) -> String {
    let mut s = String::from("%");
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        for (s, ok) in [
            ("2024-12-01", true),
            ("2024-02-29", true),
            ("2023-02-29", false),
            ("2024-12", true),
            ("2024", true),
            ("2024-13-01", false),
            ("2024-12-1", false),
            ("24-12-01", false),
            ("2024-12-01-", false),
            ("yesterday", false),
            ("", false),
        ] {
            assert_eq!(is_iso_date(s), ok, "{s}");
        }
    }

    #[test]
    fn search_words_are_quoted() {
        assert_eq!(
            fts_words("Assad's \"NEAR(x\" OR y*").as_deref(),
            Some("\"Assad\"* \"s\"* \"NEAR\"* \"x\"* \"OR\"* \"y\"*")
        );
        assert_eq!(fts_words(" -* ").as_deref(), None);
        assert_eq!(fts_phrase("a\"b"), "\"a\"\"b\"");
        assert_eq!(like_substring("5%_a\\"), "%5\\%\\_a\\\\%");
    }

    #[test]
    fn page_bounds() {
        let p = |q: &str| Params::parse(Some(q), &["limit", "offset"]).and_then(|p| p.page());
        assert_eq!(p("").unwrap(), (50, 0));
        assert_eq!(p("limit=1000&offset=5").unwrap(), (1000, 5));
        assert!(p("limit=1001").unwrap_err().starts_with("limit:"));
        assert!(p("limit=0").unwrap_err().starts_with("limit:"));
        assert!(p("limit=x").unwrap_err().starts_with("limit:"));
        assert!(p("offset=-1").unwrap_err().starts_with("offset:"));
        assert!(p("limit=1&limit=2").unwrap_err().contains("more than once"));
    }
}

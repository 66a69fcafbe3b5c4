//! Bytes to normalized text: "is this text at all, in which encoding, and
//! what does it look like once the byte order mark and carriage returns are
//! gone?"
//!
//! Normalization is deliberately small: a leading byte order mark is
//! dropped, CRLF and lone CR become LF, and a trace of NUL characters is
//! removed (with a note). Text that is not UTF-8 is converted: UTF-16 with a
//! byte order mark, and legacy single-byte encodings (Windows-1252, Latin-1,
//! ...) guessed by `chardetng`; each conversion is reported as a note.
//! Hard-wrapped text is unwrapped by [`unwrap_hard_wrapped`] (called when a
//! document is built), so stored text, and every offset into it, is the
//! unwrapped text.

use crate::ErrorKind;

/// Share of control characters (other than tab, newline, carriage return and
/// form feed) above which content is taken to be binary, in percent.
const MAX_CONTROL_PERCENT: usize = 2;
/// Fewer stray control characters than this never make a text binary.
const MIN_CONTROL_COUNT: usize = 3;

/// Decodes a whole input file (see [`decode_noted`]), dropping the notes.
pub fn decode(bytes: &[u8]) -> Result<String, ErrorKind> {
    decode_noted(bytes).map(|(t, _)| t)
}

/// Decodes a whole input file: UTF-8 (BOM stripped), UTF-16 with a BOM, or
/// a legacy encoding guessed from the bytes; removes a trace of NUL
/// characters; rejects binary content and control-character soup;
/// normalizes line ends to LF. Returns the text and notes on what was
/// converted or removed.
pub fn decode_noted(bytes: &[u8]) -> Result<(String, Vec<String>), ErrorKind> {
    let mut notes = Vec::new();
    let text: String = if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == encoding_rs::UTF_8 {
            utf8_or_legacy(body, &mut notes)?
        } else {
            let (t, had_errors) = enc.decode_without_bom_handling(body);
            if had_errors {
                return Err(ErrorKind::Binary(format!(
                    "{} byte order mark, but the bytes are not {}",
                    enc.name(),
                    enc.name()
                )));
            }
            notes.push(format!("converted from {} to UTF-8", enc.name()));
            t.into_owned()
        }
    } else {
        utf8_or_legacy(bytes, &mut notes)?
    };
    let text = remove_nuls(&text, &mut notes)?;
    check_controls(&text)?;
    Ok((normalize_newlines(&text), notes))
}

/// UTF-8 as is; otherwise (when the bytes are no binary) the legacy encoding
/// `chardetng` guesses, with a note.
fn utf8_or_legacy(bytes: &[u8], notes: &mut Vec<String>) -> Result<String, ErrorKind> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.to_owned()),
        Err(e) => {
            let nuls = bytes.iter().filter(|&&b| b == 0).count();
            if nuls * 100 > bytes.len() * MAX_CONTROL_PERCENT && nuls >= MIN_CONTROL_COUNT {
                return Err(ErrorKind::Binary(format!(
                    "{nuls} NUL bytes in {} bytes (UTF-16 without a byte order mark, or not text)",
                    bytes.len()
                )));
            }
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let enc = det.guess(None, chardetng::Utf8Detection::Deny);
            let (t, _, had_errors) = enc.decode(bytes);
            if had_errors || enc == encoding_rs::UTF_8 {
                let offset = e.valid_up_to();
                let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(ErrorKind::InvalidUtf8 { offset, line });
            }
            notes.push(format!(
                "not UTF-8 (first bad byte at offset {}): read as {} and converted to UTF-8",
                e.valid_up_to(),
                enc.name()
            ));
            Ok(t.into_owned())
        }
    }
}

/// Removes NUL characters when they are a trace; more is binary content.
fn remove_nuls(text: &str, notes: &mut Vec<String>) -> Result<String, ErrorKind> {
    let nuls = text.matches('\0').count();
    if nuls == 0 {
        return Ok(text.to_owned());
    }
    let total = text.chars().count();
    if nuls >= MIN_CONTROL_COUNT && nuls * 100 > total * MAX_CONTROL_PERCENT {
        return Err(ErrorKind::Binary(format!(
            "{nuls} NUL characters in {total} characters"
        )));
    }
    notes.push(format!("{nuls} NUL character(s) removed"));
    Ok(text.replace('\0', ""))
}

/// Removes NUL characters from a record field, with a note naming the field.
pub fn strip_nuls(field: &str, value: &mut String, notes: &mut Vec<String>) {
    if value.contains('\0') {
        let n = value.matches('\0').count();
        *value = value.replace('\0', "");
        notes.push(format!("{n} NUL character(s) removed from `{field}`"));
    }
}

/// Lines shorter than this never count as wrapped.
const MIN_WRAP_WIDTH: usize = 30;
/// Lines longer than this are no hard wrap (typed paragraphs are).
const MAX_WRAP_WIDTH: usize = 120;

/// Unwraps hard-wrapped paragraphs: when most lines that do not end a
/// paragraph end mid-sentence and reach a near-constant width, each such
/// line is joined to the next with a space (a line ending in a hyphen after
/// a letter is joined without one: `al-` + `Assad`). Returns the text and
/// the number of line breaks removed, or `None` when the text is not
/// hard-wrapped. Blank lines (paragraph breaks) are kept. Linear in the
/// length of the text.
pub fn unwrap_hard_wrapped(text: &str) -> Option<(String, usize)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let width = |l: &str| l.chars().count();
    // lines followed by another non-blank line: the candidates for a wrap
    let inner: Vec<&str> = lines
        .windows(2)
        .filter(|w| !w[0].trim().is_empty() && !w[1].trim().is_empty())
        .map(|w| w[0])
        .collect();
    if inner.len() < 3 {
        return None;
    }
    let mut widths: Vec<usize> = inner.iter().map(|l| width(l)).collect();
    widths.sort_unstable();
    let w = widths[widths.len() * 9 / 10];
    if !(MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&w) {
        return None;
    }
    let near = |l: &str| width(l) + 20 >= w && width(l) <= w + 2;
    let mid_sentence = |l: &str| {
        !l.trim_end()
            .ends_with(['.', '!', '?', ':', '"', '\u{201d}'])
    };
    let near_count = inner.iter().filter(|l| near(l)).count();
    let mid_count = inner.iter().filter(|l| mid_sentence(l)).count();
    if near_count * 10 < inner.len() * 7 || mid_count * 2 < inner.len() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut joined = 0;
    for (k, line) in lines.iter().enumerate() {
        out.push_str(line);
        let Some(next) = lines.get(k + 1) else { break };
        let starts_item = next.trim_start().starts_with(['-', '*', '\u{2022}']);
        if !line.trim().is_empty() && !next.trim().is_empty() && near(line) && !starts_item {
            let trimmed = out.trim_end().len();
            out.truncate(trimmed);
            let hyphen = out.ends_with('-')
                && out[..out.len() - 1]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphabetic);
            if !hyphen {
                out.push(' ');
            }
            joined += 1;
        } else {
            out.push('\n');
        }
    }
    Some((out, joined))
}

/// Rejects text where control characters are more than a trace.
pub fn check_controls(text: &str) -> Result<(), ErrorKind> {
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c') {
            controls += 1;
        }
    }
    if controls >= MIN_CONTROL_COUNT && controls * 100 > total * MAX_CONTROL_PERCENT {
        return Err(ErrorKind::Binary(format!(
            "{controls} control characters in {total} characters"
        )));
    }
    Ok(())
}

/// CRLF and lone CR become LF; a leading BOM character is dropped.
pub fn normalize_newlines(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_line_ends_are_normalized() {
        let t = decode(b"\xEF\xBB\xBFone\r\ntwo\rthree\n").unwrap();
        assert_eq!(t, "one\ntwo\nthree\n");
    }

    #[test]
    fn a_trace_of_nul_is_removed_but_nul_soup_is_binary() {
        let (t, notes) = decode_noted(b"ab\0cd and more words here").unwrap();
        assert_eq!(t, "abcd and more words here");
        assert_eq!(notes, ["1 NUL character(s) removed"]);
        assert!(matches!(decode(b"a\0b\0c\0d\0"), Err(ErrorKind::Binary(_))));
    }

    #[test]
    fn windows_1252_is_converted_with_a_note() {
        let (t, notes) =
            decode_noted(b"The caf\xE9 owner said the \x93new\x94 rules cost \x80200.").unwrap();
        assert_eq!(
            t,
            "The caf\u{e9} owner said the \u{201c}new\u{201d} rules cost \u{20ac}200."
        );
        assert!(notes[0].contains("windows-1252"), "{notes:?}");
    }

    #[test]
    fn hard_wrapped_paragraphs_are_unwrapped() {
        let wrapped = "The minister met Bashar al-\nAssad in Damascus on Monday and the two\nleaders discussed the reconstruction of the\nnorthern provinces after years of fighting.\n\nA second paragraph follows here, and it is\nwrapped at the same width as the first one\nwas wrapped by the sending program.";
        let (t, n) = unwrap_hard_wrapped(wrapped).unwrap();
        assert_eq!(
            t,
            "The minister met Bashar al-Assad in Damascus on Monday and the two leaders discussed the reconstruction of the northern provinces after years of fighting.\n\nA second paragraph follows here, and it is wrapped at the same width as the first one was wrapped by the sending program."
        );
        assert_eq!(n, 5);
        // one paragraph per line: nothing to do
        assert!(unwrap_hard_wrapped("One.\nTwo short lines.\nThree.\nFour.").is_none());
    }

    #[test]
    fn control_soup_is_binary_but_a_trace_is_not() {
        assert!(decode("a\u{1}b\u{2}c\u{3}d".as_bytes()).is_err());
        let mut long = "word ".repeat(200);
        long.push('\u{1f}');
        assert!(decode(long.as_bytes()).is_ok());
    }

    #[test]
    fn utf16_with_bom_is_converted() {
        let (t, notes) = decode_noted(b"\xFF\xFEa\0b\0\r\0\n\0").unwrap();
        assert_eq!(t, "ab\n");
        assert_eq!(notes, ["converted from UTF-16LE to UTF-8"]);
        let (t, _) = decode_noted(b"\xFE\xFF\0a\0b").unwrap();
        assert_eq!(t, "ab");
    }
}

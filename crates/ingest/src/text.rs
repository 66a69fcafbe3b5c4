//! Bytes to normalized text: "is this UTF-8 text at all, and what does it
//! look like once the byte order mark and carriage returns are gone?"
//!
//! Normalization is deliberately small: a leading UTF-8 byte order mark is
//! dropped, and CRLF and lone CR become LF. Nothing else is changed (no
//! Unicode normalization, no whitespace folding inside lines), so the stored
//! text is the input minus those bytes.

use crate::ErrorKind;

/// Share of control characters (other than tab, newline, carriage return and
/// form feed) above which content is taken to be binary, in percent.
const MAX_CONTROL_PERCENT: usize = 2;
/// Fewer stray control characters than this never make a text binary.
const MIN_CONTROL_COUNT: usize = 3;

/// Decodes a whole input file: rejects UTF-16, NUL bytes, invalid UTF-8 and
/// control-character soup; strips a UTF-8 BOM; normalizes line ends to LF.
pub fn decode(bytes: &[u8]) -> Result<String, ErrorKind> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ErrorKind::Binary(
            "UTF-16 text (byte order mark at the start); convert it to UTF-8".into(),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(ErrorKind::Binary(format!("NUL byte at offset {at}")));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        ErrorKind::InvalidUtf8 { offset, line }
    })?;
    check_controls(text)?;
    Ok(normalize_newlines(text))
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
    fn nul_byte_is_binary() {
        assert!(matches!(decode(b"ab\0cd"), Err(ErrorKind::Binary(_))));
    }

    #[test]
    fn invalid_utf8_reports_offset_and_line() {
        let err = decode(b"ok\nline two \xE9t\xE9").unwrap_err();
        assert_eq!(
            err,
            ErrorKind::InvalidUtf8 {
                offset: 12,
                line: 2
            }
        );
    }

    #[test]
    fn control_soup_is_binary_but_a_trace_is_not() {
        assert!(decode("a\u{1}b\u{2}c\u{3}d".as_bytes()).is_err());
        let mut long = "word ".repeat(200);
        long.push('\u{1f}');
        assert!(decode(long.as_bytes()).is_ok());
    }

    #[test]
    fn utf16_is_rejected() {
        assert!(decode(b"\xFF\xFEa\0b\0").is_err());
    }
}

//! Sentence segmentation: "where does each sentence of this news text begin and end?"
//!
//! A rule-based splitter for news English, in two passes:
//!
//! 1. **Blocks and lines.** A blank line always ends a sentence. Inside a
//!    block, a single newline ends a sentence too (a headline without final
//!    punctuation, a one-line paragraph), unless the block looks hard-wrapped
//!    (several lines of at most 100 characters, most of them long and ending
//!    mid-sentence), in which case newlines are plain spaces.
//! 2. **Punctuation.** A sentence ends after `.`, `!`, `?`, `…` or a run of
//!    them, plus any closing quotes and brackets (`he said." Next`), when
//!    whitespace and then a sentence start follow. It does not end:
//!    - before a lowercase word (but `iPhone`-style names start sentences), a comma, semicolon or colon;
//!    - after an ellipsis (`...`, `…`), which marks an omission;
//!    - inside numbers and dotted words (`3.5`, `1.000`, `U.S.A.`), where no space follows;
//!    - after a title that precedes names (`Mr.`, `Gen.`, `Sen.`, `Mt.`) or
//!      after `No.`/`Art.`/month abbreviations before a number;
//!    - after an initial (`J. R. R. Tolkien`), a dotted acronym (`U.S.`) or
//!      an abbreviation that can also end a sentence (`Inc.`, `Corp.`, `Jan.`,
//!      `St.`, `a.m.`), unless the next word is a typical sentence opener
//!      (`The`, `He`, `In`, `But`, ...).
//!
//! Spans are trimmed of surrounding whitespace and never empty. The rules
//! also tolerate pre-tokenized text with spaces before punctuation
//! (`Paris .`, `'' .`).

use model::{ByteSpan, Document, Layer, Sentence, Stage, StageError};

/// Titles written before names: a period after them never ends a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl",
    "pvt", "adm", "cmdr", "cdr", "gov", "sen", "rep", "reps", "sens", "rev", "fr", "hon", "pres",
    "amb", "supt", "insp", "det", "atty", "brig", "gens", "messrs", "mme", "mlle", "mt", "ft",
    "sra", "sr", "srta", "gov't",
];

/// Abbreviations that precede numbers (`No. 5`, `Art. 3`, `Dec. 2`).
const BEFORE_NUMBERS: &[&str] = &[
    "no", "nos", "art", "arts", "p", "pp", "vol", "vols", "ch", "fig", "sec", "para", "op", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "ca",
    "est", "tel", "ext", "rev", "ed", "eds", "nr",
];

/// Abbreviations that can also end a sentence: a sentence ends after them
/// only before a typical sentence opener.
const AMBIGUOUS: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "plc", "bros", "jr", "sr", "etc", "st", "ave", "blvd", "rd",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "dept", "univ", "assn", "al", "est", "govt", "intl", "natl", "mln", "bln", "pct",
];

/// Abbreviations that never end a sentence.
const NEVER_END: &[&str] = &["vs", "e.g", "i.e", "cf", "viz", "ibid", "approx"];

/// Words that typically open a sentence (used after ambiguous abbreviations).
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "In",
    "On",
    "At",
    "By",
    "For",
    "From",
    "With",
    "Without",
    "After",
    "Before",
    "During",
    "When",
    "While",
    "Where",
    "If",
    "As",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "However",
    "Meanwhile",
    "Also",
    "Although",
    "Though",
    "Since",
    "Because",
    "Despite",
    "According",
    "Last",
    "Next",
    "Some",
    "Many",
    "Most",
    "Several",
    "Both",
    "All",
    "Not",
    "One",
    "Other",
    "Another",
    "Such",
    "Now",
    "Then",
    "Still",
    "Earlier",
    "Later",
    "Today",
    "Yesterday",
    "Tomorrow",
    "What",
    "Who",
    "How",
    "Why",
    "Under",
    "Over",
    "Among",
    "Between",
    "Each",
    "Every",
    "No",
    "Neither",
    "None",
    "Nor",
    "Instead",
    "Thus",
    "Further",
    "Furthermore",
    "Moreover",
    "Asked",
    "Shares",
    "Officials",
];

const TERMINALS: &[char] = &['.', '!', '?', '…'];
const CLOSERS: &[char] = &['”', '’', ')', ']', '»', '}'];
const OPENING: &[char] = &['“', '‘', '"', '\'', '(', '[', '«', '`', '¿', '¡'];

/// A rule-based sentence splitter for news text.
#[derive(Debug, Clone, Default)]
pub struct Segmenter {
    _private: (),
}

impl Segmenter {
    /// The splitter with its built-in English rules.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sentence spans of `text`, in order, trimmed of whitespace, never empty.
    pub fn split(&self, text: &str) -> Vec<ByteSpan> {
        let mut out = Vec::new();
        for (start, end) in units(text) {
            split_unit(text, start, end, &mut out);
        }
        out
    }
}

/// Byte ranges that sentences never cross: blocks between blank lines, and
/// the lines of blocks that are not hard-wrapped.
fn units(text: &str) -> Vec<(usize, usize)> {
    // Lines with their byte ranges (without the newline).
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut s = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            lines.push((s, i));
            s = i + 1;
        }
    }
    lines.push((s, text.len()));
    let mut out = Vec::new();
    let mut block: Vec<(usize, usize)> = Vec::new();
    let flush = |block: &mut Vec<(usize, usize)>, out: &mut Vec<(usize, usize)>| {
        if block.is_empty() {
            return;
        }
        if is_wrapped(text, block) {
            out.push((block[0].0, block[block.len() - 1].1));
        } else {
            out.extend(block.iter().copied());
        }
        block.clear();
    };
    for &(a, b) in &lines {
        if text[a..b].trim().is_empty() {
            flush(&mut block, &mut out);
        } else {
            block.push((a, b));
        }
    }
    flush(&mut block, &mut out);
    out
}

/// A block is hard-wrapped when it has several short-ish lines (at most 100
/// characters) and most non-final lines are long and stop mid-sentence.
fn is_wrapped(text: &str, block: &[(usize, usize)]) -> bool {
    if block.len() < 2 {
        return false;
    }
    let len = |&(a, b): &(usize, usize)| text[a..b].trim().chars().count();
    if block.iter().any(|l| len(l) > 100) {
        return false;
    }
    let body = &block[..block.len() - 1];
    let mid = body
        .iter()
        .filter(|l| {
            let t = text[l.0..l.1].trim_end();
            len(l) >= 40 && !t.ends_with(TERMINALS) && !t.ends_with(['"', '”', ':'])
        })
        .count();
    mid * 2 >= body.len()
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<ByteSpan>) {
    let seg = &text[start..end];
    let lead = seg.len() - seg.trim_start().len();
    let trimmed = seg.trim();
    if !trimmed.is_empty() {
        out.push(ByteSpan::new(start + lead, start + lead + trimmed.len()));
    }
}

/// Splits one unit `text[start..end]` at sentence-final punctuation.
fn split_unit(text: &str, start: usize, end: usize, out: &mut Vec<ByteSpan>) {
    let unit = &text[start..end];
    let chars: Vec<(usize, char)> = unit.char_indices().collect();
    let n = chars.len();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let byte = |k: usize| chars.get(k).map_or(unit.len(), |&(b, _)| b);
    let mut sent_start = 0usize; // byte offset in unit
    let mut open_dq = false; // inside a straight double quote
    let mut open_tq = 0i32; // `` ... '' depth
    let mut paren = 0i32;
    let mut k = 0usize;
    while k < n {
        let c = chars[k].1;
        match c {
            '"' => open_dq = !open_dq,
            '(' | '[' => paren += 1,
            ')' | ']' => paren = (paren - 1).max(0),
            '`' if at(k + 1) == Some('`') => {
                open_tq += 1;
                k += 2;
                continue;
            }
            '\'' if at(k + 1) == Some('\'') => {
                open_tq = (open_tq - 1).max(0);
                k += 2;
                continue;
            }
            _ => {}
        }
        if !TERMINALS.contains(&c) {
            k += 1;
            continue;
        }
        // The run of terminal punctuation.
        let run_start = k;
        let mut j = k;
        while j < n && TERMINALS.contains(&chars[j].1) {
            j += 1;
        }
        let run: String = chars[run_start..j].iter().map(|&(_, c)| c).collect();
        // Closing quotes and brackets, directly attached or space-separated
        // (pre-tokenized text) when they close something open.
        loop {
            let mut m = j;
            while m < n && chars[m].1 == ' ' {
                m += 1;
            }
            let spaced = m > j;
            match at(m) {
                Some(q) if CLOSERS.contains(&q) && (!spaced || q != '’') => {
                    if q == ')' || q == ']' {
                        if paren == 0 {
                            break;
                        }
                        paren -= 1;
                    }
                    j = m + 1;
                }
                Some('"') if open_dq || (!spaced && is_space_or_end(at(m + 1))) => {
                    open_dq = false;
                    j = m + 1;
                }
                Some('\'') if at(m + 1) == Some('\'') => {
                    open_tq = (open_tq - 1).max(0);
                    j = m + 2;
                }
                Some('\'') if !spaced && is_space_or_end(at(m + 1)) => j = m + 1,
                _ => break,
            }
        }
        // What follows.
        let mut m = j;
        if m < n && !chars[m].1.is_whitespace() {
            // No space: a boundary only before an opening quote and a capital (`said.“Next`).
            let ok = matches!(at(m), Some('“')) && at(m + 1).is_some_and(char::is_uppercase);
            if !ok {
                k = j.max(k + 1);
                continue;
            }
        }
        while m < n && chars[m].1.is_whitespace() {
            m += 1;
        }
        if m >= n {
            break; // the unit's end closes the sentence
        }
        if is_boundary(unit, &chars, run_start, &run, m) {
            push_trimmed(text, start + sent_start, start + byte(j), out);
            sent_start = byte(m);
            paren = 0;
        }
        k = j.max(k + 1);
    }
    push_trimmed(text, start + sent_start, end, out);
}

fn is_space_or_end(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// Decides whether the terminal run starting at char `run_start` ends a
/// sentence, given that the next non-space char is at `next`.
fn is_boundary(
    unit: &str,
    chars: &[(usize, char)],
    run_start: usize,
    run: &str,
    next: usize,
) -> bool {
    let n = chars.len();
    // Skip opening quotes/brackets to the first word character.
    let mut w = next;
    while w < n && (OPENING.contains(&chars[w].1) || chars[w].1 == ' ') && w < next + 4 {
        w += 1;
    }
    let Some(&(wb, first)) = chars.get(w) else {
        return true;
    };
    let next_word: &str = {
        let rest = &unit[wb..];
        let e = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .unwrap_or(rest.len());
        &rest[..e]
    };
    // A lowercase word does not start a sentence, unless it is a
    // lowercase-first name such as `iPhone` or `eBay`.
    let camel = next_word.chars().skip(1).any(char::is_uppercase);
    if (first.is_lowercase() && !camel) || matches!(chars[next].1, ',' | ';' | ':' | '%') {
        return false;
    }
    if run == "..." || run == "…" {
        // An ellipsis marks an omission, mostly inside a sentence or quote.
        return false;
    }
    if run != "." {
        // `!`, `?` and mixed runs: any non-lowercase start is a new sentence.
        return true;
    }
    // The word before the period, dots included (`U.S`, `e.g`, `Mr`).
    let end_b = chars[run_start].0;
    let before = &unit[..end_b];
    let word_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '’' || c == '-'))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = before[word_start..].trim_start_matches(['.', '-']);
    if word.is_empty() {
        return true; // a detached period (`Paris .`)
    }
    let lower = word.to_lowercase();
    let opener = OPENERS.contains(&next_word);
    if first.is_ascii_digit() {
        return !BEFORE_NUMBERS.contains(&lower.as_str()) && !TITLES.contains(&lower.as_str());
    }
    if NEVER_END.contains(&lower.as_str()) {
        return false;
    }
    if TITLES.contains(&lower.as_str()) && word.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    let is_dotted = word.contains('.') && word.chars().any(char::is_alphabetic);
    if is_initial || is_dotted || AMBIGUOUS.contains(&lower.as_str()) {
        return opener;
    }
    true
}

/// The segmenter as a pipeline stage: fills [`Layer::Sentences`].
#[derive(Debug, Clone, Default)]
pub struct SentenceStage {
    segmenter: Segmenter,
}

impl SentenceStage {
    /// A stage with the default segmenter.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Stage for SentenceStage {
    fn name(&self) -> &'static str {
        "sentences"
    }

    fn requires(&self) -> &[Layer] {
        &[]
    }

    fn provides(&self) -> &[Layer] {
        &[Layer::Sentences]
    }

    fn run(&self, doc: &mut Document) -> Result<(), StageError> {
        doc.layers.sentences = self
            .segmenter
            .split(&doc.text)
            .into_iter()
            .map(|span| Sentence { span })
            .collect();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let spans = Segmenter::new().split(text);
        for s in &spans {
            let t = &text[s.range()];
            assert_eq!(t, t.trim(), "untrimmed span {t:?}");
            assert!(!t.is_empty());
        }
        spans.iter().map(|s| &text[s.range()]).collect()
    }

    /// (input, expected sentences)
    const CASES: &[(&str, &[&str])] = &[
        ("One. Two.", &["One.", "Two."]),
        (
            "Mr. Smith met Gen. Jones in the U.S. Senate. They talked.",
            &[
                "Mr. Smith met Gen. Jones in the U.S. Senate.",
                "They talked.",
            ],
        ),
        (
            "He moved to the U.S. The move was quick.",
            &["He moved to the U.S.", "The move was quick."],
        ),
        (
            "Acme Inc. said profit rose. Acme Inc. The end.",
            &["Acme Inc. said profit rose.", "Acme Inc.", "The end."],
        ),
        (
            "The book by J. R. R. Tolkien sold well. Readers agreed.",
            &["The book by J. R. R. Tolkien sold well.", "Readers agreed."],
        ),
        (
            "\"We will win,\" he said. \"We must.\" Then he left.",
            &["\"We will win,\" he said.", "\"We must.\"", "Then he left."],
        ),
        (
            "He said: “It is over.” Next, the vote.",
            &["He said: “It is over.”", "Next, the vote."],
        ),
        (
            "\"Stop!\" he shouted. Nobody did.",
            &["\"Stop!\" he shouted.", "Nobody did."],
        ),
        (
            "DAMASCUS, Syria (AP) — Syrian troops withdrew. Rebels advanced.",
            &[
                "DAMASCUS, Syria (AP) — Syrian troops withdrew.",
                "Rebels advanced.",
            ],
        ),
        (
            "Growth was 3.5 percent, or 1.000 units. Prices fell.",
            &["Growth was 3.5 percent, or 1.000 units.", "Prices fell."],
        ),
        (
            "He waited... and waited. \"We are disappointed... Once we know more, we will act.\" Fine.",
            &[
                "He waited... and waited.",
                "\"We are disappointed... Once we know more, we will act.\"",
                "Fine.",
            ],
        ),
        (
            "Apple unveiled a phone. iPhone sales rose. eBay fell.",
            &[
                "Apple unveiled a phone.",
                "iPhone sales rose.",
                "eBay fell.",
            ],
        ),
        (
            "He said : \" We will go . It is over . \" Then he left .",
            &[
                "He said : \" We will go .",
                "It is over . \"",
                "Then he left .",
            ],
        ),
        (
            "Resolution No. 5 passed on Dec. 2 at 10 a.m. in Geneva. It was close.",
            &[
                "Resolution No. 5 passed on Dec. 2 at 10 a.m. in Geneva.",
                "It was close.",
            ],
        ),
        (
            "Assad vows to fight on\nPresident Assad said the army would fight.",
            &[
                "Assad vows to fight on",
                "President Assad said the army would fight.",
            ],
        ),
        (
            "First paragraph without a stop\n\nSecond paragraph.",
            &["First paragraph without a stop", "Second paragraph."],
        ),
        (
            "Was it true? Yes! It was.",
            &["Was it true?", "Yes!", "It was."],
        ),
        (
            "The talks (held in Doha.) ended. Both sides left.",
            &["The talks (held in Doha.) ended.", "Both sides left."],
        ),
        (
            "The antiabortion activist wanted for questioning may have fled to\nMexico, according to a newspaper report which was published on Friday.\nThe man, 44, of Vermont, was seen in the car of a female associate\ncrossing the border days after the shooting, the report said.",
            &[
                "The antiabortion activist wanted for questioning may have fled to\nMexico, according to a newspaper report which was published on Friday.",
                "The man, 44, of Vermont, was seen in the car of a female associate\ncrossing the border days after the shooting, the report said.",
            ],
        ),
        (
            "Prices rose in Paris . Officials in the U.S. . They said `` no . '' Later it ended .",
            &[
                "Prices rose in Paris .",
                "Officials in the U.S. .",
                "They said `` no . ''",
                "Later it ended .",
            ],
        ),
        (
            "He cited e.g. Reuters and AFP. And more.",
            &["He cited e.g. Reuters and AFP.", "And more."],
        ),
        ("   ", &[]),
        ("No final stop", &["No final stop"]),
    ];

    #[test]
    fn segment_case_table() {
        for &(text, want) in CASES {
            assert_eq!(split(text), want, "input {text:?}");
        }
    }

    #[test]
    fn stage_fills_sentences_with_valid_spans() {
        let mut d = Document::new("d", "Araghchi met Assad. He left on Monday.");
        SentenceStage::new().run(&mut d).unwrap();
        assert_eq!(d.layers.sentences.len(), 2);
        assert!(d.check_spans().is_ok());
        assert_eq!(
            d.span_text(d.layers.sentences[1].span),
            "He left on Monday."
        );
    }

    #[test]
    fn multibyte_text_keeps_char_boundaries() {
        let t = "Assad’s remarks… “Fine.” Next — über. Ça va.";
        let spans = Segmenter::new().split(t);
        assert!(spans.iter().all(|s| t.is_char_boundary(s.start as usize) && t.is_char_boundary(s.end as usize)));
    }
}

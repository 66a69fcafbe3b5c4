//! "Which way does this sentence look?": the tense of the clause an
//! expression attaches to, read from the dependency parse when the tokens
//! carry one ([`head_tense`]), else from the nearest Penn tag or word cue
//! ([`tense_near`]); and a fallback sentence splitter for callers without a
//! sentence layer.

use model::{ByteSpan, Token};

/// The temporal direction of the clause around an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Present,
    Future,
    Unknown,
}

/// Splits text into sentences on `.`, `!`, `?` followed by whitespace and an
/// uppercase letter, digit or quote, and on blank lines. Spans exclude
/// surrounding whitespace.
pub(crate) fn split_sentences(text: &str) -> Vec<ByteSpan> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < b.len() {
        let c = b[i];
        let mut cut = None;
        if matches!(c, b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < b.len() && matches!(b[j], b'"' | b'\'' | b')') {
                j += 1;
            }
            let mut k = j;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            if k > j
                && (k == b.len()
                    || b[k].is_ascii_uppercase()
                    || b[k].is_ascii_digit()
                    || matches!(b[k], b'"' | b'\'' | b'(' | 0xE2))
                && !abbreviation_before(text, i)
            {
                cut = Some((j, k));
            }
        } else if c == b'\n' && b.get(i + 1) == Some(&b'\n') {
            let mut k = i;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            cut = Some((i, k));
        }
        if let Some((end, next)) = cut {
            push_trimmed(text, start, end, &mut out);
            start = next;
            i = next;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start, b.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<ByteSpan>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if start + lead < end - trail {
        out.push(ByteSpan::new(start + lead, end - trail));
    }
}

/// True when the period at `dot` ends a common abbreviation (month names,
/// titles, single initials), which does not end a sentence.
fn abbreviation_before(text: &str, dot: usize) -> bool {
    if text.as_bytes()[dot] != b'.' {
        return false;
    }
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric() && c != '.')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    const ABBR: &[&str] = &[
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mr",
        "Mrs", "Ms", "Dr", "St", "Gen", "Gov", "Sen", "Rep", "Lt", "Col", "Capt", "Prof", "Inc",
        "Corp", "Co", "Jr", "Sr", "vs", "U.S", "U.N", "U.K", "a.m", "p.m", "No",
    ];
    word.chars().count() == 1 || ABBR.contains(&word) || word.contains('.')
}

/// Words that mark the future.
const FUTURE_WORDS: &[&str] = &[
    "will",
    "'ll",
    "shall",
    "wo",
    "would",
    "going",
    "plans",
    "planned",
    "plan",
    "scheduled",
    "expected",
    "expects",
    "expect",
    "due",
    "upcoming",
    "intends",
    "hopes",
    "aims",
    "set",
];

/// Irregular past-tense forms (the regular ones end in -ed).
const PAST_WORDS: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "said",
    "told",
    "met",
    "went",
    "came",
    "made",
    "took",
    "gave",
    "held",
    "began",
    "fell",
    "rose",
    "left",
    "saw",
    "got",
    "sent",
    "found",
    "won",
    "lost",
    "paid",
    "sold",
    "bought",
    "brought",
    "built",
    "caught",
    "chose",
    "cut",
    "drew",
    "drove",
    "fled",
    "flew",
    "fought",
    "forgot",
    "grew",
    "hit",
    "hung",
    "kept",
    "knew",
    "led",
    "lent",
    "meant",
    "ran",
    "rang",
    "sank",
    "sat",
    "shot",
    "shut",
    "slid",
    "spent",
    "spoke",
    "stood",
    "stole",
    "struck",
    "swore",
    "taught",
    "thought",
    "threw",
    "understood",
    "woke",
    "wore",
    "wrote",
    "became",
    "broke",
    "felt",
    "heard",
    "ate",
    "beat",
    "bit",
    "bled",
    "blew",
    "dealt",
    "dug",
    "fed",
    "forbade",
    "froze",
    "gave",
    "hid",
    "lay",
    "laid",
    "lit",
    "overtook",
    "quit",
    "rode",
    "sought",
    "swept",
    "tore",
    "withdrew",
    "ago",
    "last",
    "yesterday",
    "earlier",
];

const PRESENT_WORDS: &[&str] = &[
    "is", "are", "am", "has", "have", "does", "do", "says", "now",
];

/// Words ending in -ed that are not past-tense verbs.
const NOT_PAST_ED: &[&str] = &[
    "need",
    "speed",
    "seed",
    "feed",
    "bed",
    "red",
    "shed",
    "hundred",
    "united",
    "indeed",
    "breed",
    "creed",
    "greed",
    "proceed",
    "exceed",
    "succeed",
    "steed",
    "weed",
    "bred",
    "fled",
    "wed",
    "embed",
    "based",
    "limited",
    "related",
    "interested",
    "concerned",
    "advanced",
    "detailed",
    "expected",
    "scheduled",
    "planned",
];

/// The tense cue nearest to the expression at `span` in the sentence `sent`
/// (byte offsets into `text`). `toks` are the sentence's tokens (may be empty).
pub(crate) fn tense_near(text: &str, sent: ByteSpan, span: ByteSpan, toks: &[Token]) -> Tense {
    let mut cues: Vec<(usize, Tense)> = Vec::new();
    let tagged = toks.iter().any(|t| !t.tag.is_empty());
    if tagged {
        for (i, t) in toks.iter().enumerate() {
            if span.contains(t.span) {
                continue;
            }
            let w = text[t.span.range()].to_ascii_lowercase();
            let prev = |k: usize| -> String {
                i.checked_sub(k)
                    .map(|j| text[toks[j].span.range()].to_ascii_lowercase())
                    .unwrap_or_default()
            };
            let tense = match t.tag.as_str() {
                "MD" if matches!(w.as_str(), "will" | "'ll" | "shall" | "wo" | "would") => {
                    Some(Tense::Future)
                }
                "VBD" => Some(Tense::Past),
                "VBN" => {
                    let p = [prev(1), prev(2)];
                    if p.iter()
                        .any(|x| matches!(x.as_str(), "had" | "has" | "have"))
                        && !p.iter().any(|x| x == "been" || x == "be")
                    {
                        Some(Tense::Past)
                    } else {
                        None
                    }
                }
                "VBG" if w == "going" => Some(Tense::Future),
                "VBZ" | "VBP" => Some(Tense::Present),
                _ => None,
            };
            if let Some(x) = tense {
                cues.push((t.span.start as usize, x));
            }
        }
    } else {
        let s = &text[sent.range()];
        let mut prev: Option<&str> = None;
        for (off, w) in words(s) {
            let abs = sent.start as usize + off;
            if abs >= span.start as usize && abs < span.end as usize {
                prev = Some(w);
                continue;
            }
            let lw = w.to_ascii_lowercase();
            let after_aux = prev.is_some_and(|p| {
                matches!(
                    p.to_ascii_lowercase().as_str(),
                    "be" | "been" | "being" | "to" | "will" | "would" | "is" | "are" | "get"
                )
            });
            let tense = if FUTURE_WORDS.contains(&lw.as_str()) {
                // "would have left": a modal perfect looks back
                let next = s[off + w.len()..].split_whitespace().next().unwrap_or("");
                Some(
                    if matches!(next.to_ascii_lowercase().as_str(), "have" | "'ve") {
                        Tense::Past
                    } else {
                        Tense::Future
                    },
                )
            } else if PRESENT_WORDS.contains(&lw.as_str()) {
                Some(Tense::Present)
            } else if !after_aux
                && (PAST_WORDS.contains(&lw.as_str())
                    || (lw.len() >= 5 && lw.ends_with("ed") && !NOT_PAST_ED.contains(&lw.as_str())))
            {
                Some(Tense::Past)
            } else {
                None
            };
            if let Some(x) = tense {
                cues.push((abs, x));
            }
            prev = Some(w);
        }
    }
    let dist = |p: usize| {
        if p < span.start as usize {
            span.start as usize - p
        } else {
            p.saturating_sub(span.end as usize)
        }
    };
    let strong = cues
        .iter()
        .filter(|c| c.1 != Tense::Present)
        .min_by_key(|c| dist(c.0));
    match strong {
        Some(&(_, t)) => t,
        None if cues.is_empty() => Tense::Unknown,
        None => Tense::Present,
    }
}

/// Verbs (lemmas) that put the event they govern ahead of the time of
/// speaking, whatever their own tense: "planned to leave on Thursday",
/// "is scheduled to close Monday", "were expected to vote Friday".
const PLAN_LEMMAS: &[&str] = &[
    "plan", "schedule", "expect", "intend", "aim", "hope", "want", "agree", "promise", "vow",
    "pledge", "threaten", "prepare", "propose", "decide", "seek", "wish", "set", "due", "likely",
    "ready", "poise", "slate", "going",
];

/// Modal auxiliaries that look ahead ("will", "would", "could", "may").
const FUTURE_MODALS: &[&str] = &[
    "will", "'ll", "wo", "shall", "would", "'d", "may", "might", "should", "must",
];

fn is_verb(t: &Token) -> bool {
    t.tag.starts_with("VB") || t.tag == "MD"
}

/// The tense of the clause an expression attaches to, read from the
/// dependency parse: from the expression's head token up to the first verb,
/// then that verb's tag, its auxiliaries, and, for an infinitive, the verb
/// that governs it ("planned to leave on Thursday" looks ahead). `None` when
/// the tokens carry no parse or no verb governs the expression.
pub(crate) fn head_tense(
    text: &str,
    span: ByteSpan,
    tokens: &[Token],
    lo: usize,
    hi: usize,
) -> Option<Tense> {
    if tokens[lo..hi].iter().all(|t| t.dep.is_empty()) {
        return None;
    }
    let inside = |i: usize| span.contains(tokens[i].span);
    let root = (lo..hi).find(|&i| {
        inside(i) && {
            let h = tokens[i].head as usize;
            h == i || h >= tokens.len() || !inside(h)
        }
    })?;
    // "Wednesday's ruling", "a June agreement": the noun's own time, not the clause's
    if matches!(
        tokens[root].dep.as_str(),
        "poss" | "compound" | "nmod" | "amod"
    ) {
        return Some(Tense::Past);
    }
    let mut cur = root;
    let mut verb = None;
    for _ in 0..8 {
        let h = tokens[cur].head as usize;
        if h == cur || h >= tokens.len() {
            break;
        }
        cur = h;
        // "payable Dec. 7", "due Friday", "effective June 1": a date set ahead
        let adj = text[tokens[cur].span.range()].to_ascii_lowercase();
        if matches!(adj.as_str(), "payable" | "due" | "effective") {
            return Some(Tense::Future);
        }
        if is_verb(&tokens[cur]) && !inside(cur) {
            verb = Some(cur);
            break;
        }
    }
    verb_tense(text, tokens, lo, hi, verb?, 0, span.start)
}

fn verb_tense(
    text: &str,
    tokens: &[Token],
    lo: usize,
    hi: usize,
    v: usize,
    depth: u8,
    at: u32,
) -> Option<Tense> {
    let word = |i: usize| text[tokens[i].span.range()].to_ascii_lowercase();
    let t = &tokens[v];
    let lemma = if t.lemma.is_empty() {
        word(v)
    } else {
        t.lemma.to_ascii_lowercase()
    };
    // the auxiliaries and infinitive marker attached to the verb
    let auxes: Vec<usize> = (lo..hi)
        .filter(|&j| {
            j != v
                && tokens[j].head as usize == v
                && matches!(tokens[j].dep.as_str(), "aux" | "auxpass")
        })
        .collect();
    let aux_words: Vec<String> = auxes.iter().map(|&j| word(j)).collect();
    if aux_words
        .iter()
        .any(|w| FUTURE_MODALS.contains(&w.as_str()))
    {
        // "may have been", "would have left": a modal perfect looks back
        let perfect = t.tag == "VBN" && aux_words.iter().any(|w| w == "have" || w == "'ve");
        return Some(if perfect { Tense::Past } else { Tense::Future });
    }
    if aux_words.iter().any(|w| w == "going") {
        return Some(Tense::Future);
    }
    let infinitive = t.tag == "VB" && aux_words.iter().any(|w| w == "to");
    if infinitive {
        // "to have met" is past; otherwise the governor decides
        if aux_words.iter().any(|w| w == "have") {
            return Some(Tense::Past);
        }
        let g = tokens[v].head as usize;
        if g != v && g < tokens.len() && depth < 3 {
            let gt = &tokens[g];
            let glemma = if gt.lemma.is_empty() {
                word(g)
            } else {
                gt.lemma.to_ascii_lowercase()
            };
            // "On Friday, the government planned to pay ...": a time put
            // before the planning verb dates the planning
            if at < gt.span.start && gt.tag == "VBD" {
                return Some(Tense::Past);
            }
            if PLAN_LEMMAS.contains(&glemma.as_str()) {
                // "had been due to expire Friday": a plan overtaken by events
                // ("due" hangs on "been", which carries the auxiliary)
                let mut heads = vec![g];
                if matches!(tokens[g].dep.as_str(), "acomp" | "attr") {
                    heads.push(tokens[g].head as usize);
                }
                let past_perfect = (lo..hi).any(|j| {
                    heads.contains(&(tokens[j].head as usize))
                        && tokens[j].dep.starts_with("aux")
                        && word(j) == "had"
                });
                return Some(if past_perfect {
                    Tense::Past
                } else {
                    Tense::Future
                });
            }
            if is_verb(gt) || gt.tag.starts_with("JJ") {
                return match verb_tense(text, tokens, lo, hi, g, depth + 1, at) {
                    // "agreed to sell ... on Friday": the sale follows the agreement
                    Some(Tense::Present) => Some(Tense::Future),
                    other => other,
                };
            }
        }
        return Some(Tense::Future);
    }
    if matches!(lemma.as_str(), "plan" | "schedule" | "intend")
        && (at > t.span.start || t.tag != "VBD")
    {
        return Some(Tense::Future);
    }
    let has = |ws: &[&str]| aux_words.iter().any(|w| ws.contains(&w.as_str()));
    match t.tag.as_str() {
        "VBD" => Some(Tense::Past),
        "VBN" => {
            if has(&["has", "have", "had", "'ve", "'s", "was", "were", "been"]) {
                Some(Tense::Past)
            } else if has(&["is", "are", "'re", "am", "be", "being"]) {
                Some(Tense::Present)
            } else {
                // a participle modifying a noun: "the decision, announced Wednesday"
                Some(Tense::Past)
            }
        }
        "VBG" => {
            if has(&["was", "were"]) {
                Some(Tense::Past)
            } else if has(&["is", "are", "'re", "am", "'s"]) {
                // "are meeting on Monday": the present progressive of an arrangement
                Some(Tense::Future)
            } else {
                // a participial clause takes the tense of the verb it hangs on
                let g = tokens[v].head as usize;
                if g != v && g < tokens.len() && depth < 3 && is_verb(&tokens[g]) {
                    verb_tense(text, tokens, lo, hi, g, depth + 1, at)
                } else {
                    None
                }
            }
        }
        "VBZ" | "VBP" => Some(Tense::Present),
        "VB" => {
            if has(&["did"]) {
                Some(Tense::Past)
            } else if has(&["do", "does"]) {
                Some(Tense::Present)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Words of a string with their byte offsets (letters, digits, apostrophes).
pub(crate) fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let inside = c.is_alphanumeric() || c == '\'';
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, &s[st..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_sentence_punctuation() {
        let t = "He met them on Dec. 2 in Rome. They will travel on Sunday.\n\nNew para";
        let s: Vec<&str> = split_sentences(t)
            .into_iter()
            .map(|x| &t[x.range()])
            .collect();
        assert_eq!(
            s,
            [
                "He met them on Dec. 2 in Rome.",
                "They will travel on Sunday.",
                "New para"
            ]
        );
    }

    #[test]
    fn word_cues_give_tense() {
        let t = "They will travel on Sunday.";
        let s = ByteSpan::new(0, t.len());
        let x = ByteSpan::new(20, 26);
        assert_eq!(tense_near(t, s, x, &[]), Tense::Future);
        let t = "They met on Sunday.";
        let x = ByteSpan::new(12, 18);
        assert_eq!(
            tense_near(t, ByteSpan::new(0, t.len()), x, &[]),
            Tense::Past
        );
    }
}

//! Pronoun antecedents for event arguments: which entity mention a "he",
//! "its" or "they" stands for.
//!
//! Conservative by design (an unresolved pronoun is better than a wrong one):
//! - **he/him/his/she/her**: a fronted phrase's pronoun whose clause subject
//!   follows is that subject ("After his talks with X, Y said"). Otherwise the
//!   nearest preceding subject that is a PERSON mention (or a personal pronoun
//!   resolved the same way) in the same or the previous two sentences; an
//!   object pronoun never stands for its own clause's subject ("X praised
//!   him"). Without a subject, a preceding PERSON only when the window holds
//!   one person.
//! - **its**: the nearest preceding ORG or GPE mention in the same or the
//!   previous sentence. A bare "it" is left alone (often expletive).
//! - **they/them/their**: the persons of the previous sentence when it names
//!   two or three and the pronoun's own sentence names none before it.

use super::tree::Tree;

/// Which kind of antecedent a pronoun wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Person,
    Thing,
    Plural,
}

fn class(word: &str) -> Option<Class> {
    match word {
        "he" | "him" | "his" | "she" | "her" => Some(Class::Person),
        "its" => Some(Class::Thing),
        "they" | "them" | "their" => Some(Class::Plural),
        _ => None,
    }
}

/// Entity-mention indices a personal pronoun token stands for (empty when unresolved
/// or not a personal pronoun).
pub(crate) fn antecedents(t: &Tree, p: usize) -> Vec<usize> {
    if !matches!(t.tag(p), "PRP" | "PRP$") {
        return Vec::new();
    }
    match class(&t.text(p).to_lowercase()) {
        Some(Class::Person) => person(t, p, 3).into_iter().collect(),
        Some(Class::Thing) => thing(t, p).into_iter().collect(),
        Some(Class::Plural) => plural(t, p),
        None => Vec::new(),
    }
}

fn label<'a>(t: &Tree<'a>, m: usize) -> &'a str {
    t.doc.layers.entities[m].label.as_str()
}

/// The entity key of a mention: its resolved id, else its text.
fn key(t: &Tree, m: usize) -> String {
    let e = &t.doc.layers.entities[m];
    e.entity
        .clone()
        .unwrap_or_else(|| t.doc.span_text(e.span).to_string())
}

fn sentence_of(t: &Tree, i: usize) -> usize {
    t.sentence_tokens
        .iter()
        .position(|r| r.contains(&i))
        .unwrap_or(0)
}

fn is_subject(t: &Tree, i: usize) -> bool {
    matches!(t.dep(i), "nsubj" | "nsubjpass")
}

/// The verb whose subject or object `i` is, if any.
fn clause_verb(t: &Tree, i: usize) -> Option<usize> {
    if t.is_root(i) {
        return None;
    }
    let mut h = t.head(i);
    if t.dep(i) == "pobj" && !t.is_root(h) {
        h = t.head(h);
    }
    t.is_verb(h).then_some(h)
}

/// The person mention a third-person singular pronoun stands for.
fn person(t: &Tree, p: usize, depth: u8) -> Option<usize> {
    if depth == 0 {
        return None;
    }
    let person_at = |i: usize| t.mention_of[i].filter(|&m| label(t, m) == "PERSON");
    // cataphora: "Following his meeting with X, Y traveled"
    let mut top = p;
    while !t.is_root(top) && !t.is_root(t.head(top)) {
        top = t.head(top);
    }
    if !t.is_root(top) && !is_subject(t, top) {
        let root = t.head(top);
        if let Some(s) = t
            .kids(root, &["nsubj", "nsubjpass"])
            .find(|&s| s > p && top < s)
        {
            return person_at(s);
        }
    }
    // an object pronoun is not its own clause's subject
    let bound: Vec<usize> = if is_subject(t, p) {
        Vec::new()
    } else {
        clause_verb(t, p)
            .map(|v| t.kids(v, &["nsubj", "nsubjpass"]).collect())
            .unwrap_or_default()
    };
    let is_he =
        |i: usize| t.tag(i) == "PRP" && class(&t.text(i).to_lowercase()) == Some(Class::Person);
    let bound_keys: Vec<String> = bound
        .iter()
        .filter_map(|&b| {
            if is_he(b) {
                person(t, b, depth - 1)
            } else {
                person_at(b)
            }
        })
        .map(|m| key(t, m))
        .collect();
    let si = sentence_of(t, p);
    if !bound.is_empty() {
        // an object pronoun: the one other person of this and the previous sentence
        let first = t.sentence_tokens[si.saturating_sub(1)].start;
        let mut found: Vec<(String, usize)> = (first..p)
            .filter_map(person_at)
            .map(|m| (key(t, m), m))
            .filter(|(k, _)| !bound_keys.contains(k))
            .collect();
        found.sort();
        found.dedup_by(|a, b| a.0 == b.0);
        return (found.len() == 1).then(|| found[0].1);
    }
    let first = t.sentence_tokens[si.saturating_sub(2)].start;
    let mut persons = Vec::new();
    let mut excluded = bound_keys;
    for i in (first..p).rev() {
        if let Some(m) = person_at(i)
            && !persons.contains(&m)
        {
            persons.push(m);
        }
        if !is_subject(t, i) || bound.contains(&i) {
            continue;
        }
        let found = if is_he(i) {
            let f = person(t, i, depth - 1);
            if gender(&t.text(i).to_lowercase()) != gender(&t.text(p).to_lowercase()) {
                // "She ... his": another person than hers
                excluded.extend(f.map(|m| key(t, m)));
                continue;
            }
            f
        } else {
            person_at(i)
        };
        if let Some(m) = found.filter(|&m| !excluded.contains(&key(t, m))) {
            return Some(m);
        }
    }
    persons.retain(|&m| !excluded.contains(&key(t, m)));
    let mut keys: Vec<String> = persons.iter().map(|&m| key(t, m)).collect();
    keys.sort();
    keys.dedup();
    (keys.len() == 1).then(|| persons[0])
}

/// 'm' or 'f' for a third-person singular pronoun.
fn gender(word: &str) -> Option<char> {
    match word {
        "he" | "him" | "his" => Some('m'),
        "she" | "her" => Some('f'),
        _ => None,
    }
}

/// The organization or place an "its" stands for.
fn thing(t: &Tree, p: usize) -> Option<usize> {
    let si = sentence_of(t, p);
    let first = t.sentence_tokens[si.saturating_sub(1)].start;
    (first..p)
        .rev()
        .find_map(|i| t.mention_of[i].filter(|&m| matches!(label(t, m), "ORG" | "GPE")))
}

/// The persons a "they" stands for.
fn plural(t: &Tree, p: usize) -> Vec<usize> {
    let si = sentence_of(t, p);
    let own = t.sentence_tokens[si].start..p;
    if own
        .clone()
        .any(|i| t.mention_of[i].is_some_and(|m| label(t, m) == "PERSON"))
        || si == 0
    {
        return Vec::new();
    }
    let mut out: Vec<usize> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for i in t.sentence_tokens[si - 1].clone() {
        if let Some(m) = t.mention_of[i].filter(|&m| label(t, m) == "PERSON") {
            let k = key(t, m);
            if !keys.contains(&k) {
                keys.push(k);
                out.push(m);
            }
        }
    }
    if (2..=3).contains(&out.len()) {
        out
    } else {
        Vec::new()
    }
}

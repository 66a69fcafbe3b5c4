//! Event mentions from the dependency parse: who did what to whom, when and where.
//!
//! A trigger is a token whose lemma (plus an optional dependent word, the
//! *frame*) is in the trigger lexicon `data/triggers.tsv` (the other word lists
//! the rules consult are in `data/event_words.txt`); verbs and nouns
//! ("talks", "visit", "ceasefire") both trigger. Arguments come from the
//! parse: subjects (through `xcomp`/`conj` chains), passive by-agents,
//! objects, "with X", "between X and Y", "against X", possessors of nominal
//! triggers, light-verb subjects ("X held talks"), and conjunctions (compound
//! actors). An argument resolves to the entity mention its head lies in, or to
//! a named apposition or compound of it.
//!
//! - **Nominal triggers** take their actor from their own phrase only: a
//!   possessor ("Russia's support", "its battle"), a named modifier ("Russian
//!   support"), "by X", a light noun's possessor ("the rebels' launch of an
//!   offensive", which also dates the offensive), or the subject of a light
//!   verb ("held talks") or support verb ("pledged support", "expressed
//!   solidarity"); never the subject of a clause they merely sit in. "for X"
//!   is the recipient of support and aid, "against X" the target of a battle.
//! - **Pronouns** ("he", "its", "they") resolve conservatively to an earlier
//!   entity mention (`events/coref.rs`): the argument's `span` stays on the
//!   pronoun's words and its `mention` is the antecedent's index. Relative
//!   pronouns stand for the noun their clause modifies; an untagged surname
//!   for the earlier full name.
//! - **Groups** without a name ("Islamist-led rebels", "the army") are
//!   arguments with `mention: None`, spanning the noun and its modifiers.
//!
//! Decisions (documented here, tested in `tests/it/events.rs`):
//! - **Statements.** PLOVER has no STATEMENT type: reporting verbs ("say",
//!   "announce", "reiterate") give type `OTHER` with mode `statement`, the
//!   speaker as actor and the complement (or the quotation) as `quote`. Typed
//!   speech acts keep their PLOVER type and also carry a quote: accuse →
//!   `ACCUSE`, warn/threaten → `THREATEN`, reject/deny → `REJECT`,
//!   urge/appeal/call for → `REQUEST`, praise → `SUPPORT`. A reporting verb
//!   whose complement says someone "must"/"should" do something is a demand:
//!   `REQUEST`.
//! - **Negation.** A negated event ("did not attack", "denied meeting",
//!   "refused to meet", "no talks") did not occur and is **dropped**; the
//!   denial or refusal itself, when in the lexicon, is its own event (`REJECT`).
//! - **Status.** `planned`: future or modal auxiliary (will, would, may),
//!   complement of plan/expect/set/schedule/agree-type verbs, "upcoming
//!   visit", or a date after the article date. `claimed`: the complement of a
//!   reporting verb or speech act whose speaker is not a news medium (verbs
//!   flagged `attr` — report, confirm — and news-medium speakers keep
//!   `occurred`), or words inside quotation marks. `ongoing`: present
//!   progressive. Otherwise `occurred`.
//! - **Time.** A calendar time expression attached to the trigger (through
//!   prepositions, `npadvmod`, or the trigger's light verb) dates the mention,
//!   inherited along `xcomp`/`conj` chains. Without one, `timex` is `None`,
//!   `date` is the **article date** and `date_precision` is `Unknown`: the
//!   text does not say when; the merger treats such a date as "on or shortly
//!   before the article date", never as a day-precision date.
//! - **Place.** "in/at X" (and "to X" for visits and travel) where X is a
//!   GPE, LOC or FAC mention. The dateline is used by the merger, not here.

mod coref;
mod lexicon;
mod time;
mod tree;
mod words;

pub use lexicon::{Entry, Flags, Lexicon, PosClass};
pub use time::TimeValue;

use model::{
    Argument, ByteSpan, DatePrecision, Document, EventMention, EventStatus, EventType, Layer,
    Stage, StageError,
};
use tree::Tree;
use words::WORDS;

/// Adds event mentions to a document (requires sentences, tokens, parse, entities, timexes).
#[derive(Debug, Clone, Copy)]
pub struct EventStage {
    lexicon: &'static Lexicon,
}

impl EventStage {
    /// A stage with the bundled trigger lexicon.
    pub fn new() -> Self {
        Self {
            lexicon: Lexicon::builtin(),
        }
    }

    /// A stage with another lexicon (leaked once; lexicons live for the program).
    pub fn with_lexicon(lexicon: Lexicon) -> Self {
        Self {
            lexicon: Box::leak(Box::new(lexicon)),
        }
    }
}

impl Default for EventStage {
    fn default() -> Self {
        Self::new()
    }
}

impl Stage for EventStage {
    fn name(&self) -> &'static str {
        "events"
    }

    fn requires(&self) -> &[Layer] {
        &[
            Layer::Sentences,
            Layer::Tokens,
            Layer::Parse,
            Layer::Entities,
            Layer::Timexes,
        ]
    }

    fn provides(&self) -> &[Layer] {
        &[Layer::Events]
    }

    fn run(&self, doc: &mut Document) -> Result<(), StageError> {
        doc.layers.events = extract_with(doc, self.lexicon);
        Ok(())
    }
}

/// Event mentions of a parsed document, in text order of their trigger, using the bundled lexicon.
pub fn extract(doc: &Document) -> Vec<EventMention> {
    extract_with(doc, Lexicon::builtin())
}

/// One trigger found in the parse, before its arguments are read.
struct Candidate<'l> {
    tok: usize,
    entry: &'l Entry,
    class: PosClass,
    /// The verb that carries tense, subject and time for the trigger (itself for verbs).
    anchor: usize,
    /// A light verb's subject is the actor ("X held talks").
    light: bool,
    suppressed: bool,
}

/// Event mentions of a parsed document with the given lexicon.
pub fn extract_with(doc: &Document, lex: &Lexicon) -> Vec<EventMention> {
    let t = Tree::new(doc);
    let mut out = Vec::new();
    for (si, range) in t.sentence_tokens.iter().enumerate() {
        let mut cands: Vec<Candidate> = Vec::new();
        for i in range.clone() {
            if let Some(c) = candidate(&t, lex, i) {
                cands.push(c);
            }
        }
        // light verbs and event-subject verbs hand their clause to a nominal trigger
        let mut suppress = Vec::new();
        for c in cands.iter_mut() {
            if c.class != PosClass::Noun {
                if c.class == PosClass::Adj && !t.is_root(c.tok) && t.dep(c.tok) == "acomp" {
                    c.anchor = t.head(c.tok);
                }
                continue;
            }
            if let Some(ln) = light_noun(&t, c.tok) {
                c.anchor = ln;
                continue;
            }
            let h = t.head(c.tok);
            if h == c.tok || !t.is_verb(h) {
                continue;
            }
            let hl = t.lemma(h);
            // "called the offensive a plot" names, it does not hold: no light verb
            // when the verb has a second predicate
            let naming = t.kids(h, &["oprd", "ccomp", "xcomp"]).next().is_some();
            match t.dep(c.tok) {
                "dobj" | "attr" if WORDS.light_verbs.contains(&hl.as_str()) && !naming => {
                    c.anchor = h;
                    c.light = true;
                    suppress.push(h);
                }
                "nsubj" | "nsubjpass" if WORDS.event_subject_verbs.contains(&hl.as_str()) => {
                    c.anchor = h;
                }
                _ => {}
            }
            if t.dep(c.tok) == "pobj" {
                let p = t.head(c.tok);
                let v = t.head(p);
                if t.is_verb(v)
                    && ["remain", "stay", "put", "place", "go", "be"].contains(&t.lemma(v).as_str())
                {
                    c.anchor = v;
                    c.light = true;
                }
            }
        }
        // "in a phone call with X, they discussed ...": the verb tells of the
        // event its "in/during" nominal names; the nominal carries it
        let mut framed_by_nominal = Vec::new();
        for c in &cands {
            if c.class != PosClass::Noun || !c.entry.flags.symmetric || t.dep(c.tok) != "pobj" {
                continue;
            }
            let p = t.head(c.tok);
            if t.is_root(p) || !matches!(t.lemma(p).as_str(), "in" | "during" | "at") {
                continue;
            }
            let v = t.head(p);
            if let Some(k) = cands.iter().position(|x| x.tok == v)
                && cands[k].entry.kind == c.entry.kind
                && cands[k].entry.flags.symmetric
            {
                framed_by_nominal.push(v);
            }
        }
        for c in cands.iter_mut() {
            if framed_by_nominal.contains(&c.tok) {
                c.suppressed = true;
            }
            // a light verb that is itself a trigger yields to its object noun,
            // except typed verbs that code the act themselves (sign a treaty)
            if suppress.contains(&c.tok)
                && (c.entry.flags.say || WORDS.light_verbs.contains(&c.entry.lemma.as_str()))
                && !matches!(c.entry.lemma.as_str(), "sign" | "agree")
            {
                c.suppressed = true;
            }
        }
        for c in cands.iter().filter(|c| !c.suppressed) {
            if let Some(m) = mention(&t, &cands, c, si) {
                out.push(m);
            }
        }
    }
    out.sort_by_key(|m| (m.trigger.start, m.trigger.end));
    out
}

fn pos_class(t: &Tree, i: usize) -> Option<PosClass> {
    let tag = t.tag(i);
    if tag.starts_with("VB") {
        Some(PosClass::Verb)
    } else if tag == "NN" || tag == "NNS" {
        Some(PosClass::Noun)
    } else if tag.starts_with("JJ") {
        Some(PosClass::Adj)
    } else {
        None
    }
}

fn candidate<'l>(t: &Tree, lex: &'l Lexicon, i: usize) -> Option<Candidate<'l>> {
    if t.mention_of[i].is_some() {
        return None;
    }
    let class = pos_class(t, i)?;
    if class == PosClass::Verb && t.dep(i) == "amod" {
        return None;
    }
    if class == PosClass::Adj && !(t.dep(i) == "acomp" || t.is_root(i)) {
        return None;
    }
    let mut deps: Vec<String> = Vec::new();
    // "the report released by X": the modified noun frames a participle as its object would
    if t.dep(i) == "acl" && !t.is_root(i) {
        deps.push(t.lemma(t.head(i)));
    }
    for &c in t.children(i) {
        deps.push(t.lemma(c));
        if matches!(t.dep(c), "prep" | "agent") {
            deps.extend(t.kids(c, &["pobj"]).map(|o| t.lemma(o)));
        }
    }
    let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
    let entry = lex.lookup(&t.lemma(i), class, &deps)?;
    Some(Candidate {
        tok: i,
        entry,
        class,
        anchor: i,
        light: false,
        suppressed: false,
    })
}

fn is_candidate(cands: &[Candidate], i: usize) -> Option<usize> {
    cands.iter().position(|c| c.tok == i && !c.suppressed)
}

fn mention(t: &Tree, cands: &[Candidate], c: &Candidate, si: usize) -> Option<EventMention> {
    let doc = t.doc;
    if negated(t, c) {
        return None;
    }
    let entry = c.entry;
    let mut kind = entry.kind?;
    let mut mode = entry.mode.clone();
    let sym = entry.flags.symmetric;

    // --- arguments
    let mut actors: Vec<usize> = Vec::new();
    let mut recipients: Vec<usize> = Vec::new();
    let mut targets: Vec<usize> = Vec::new();
    let (subj, patients, agents) = subjects(t, c.anchor);
    if c.class == PosClass::Noun && !c.light {
        // nominal trigger: its own phrase's possessor, named modifiers, "by X";
        // a light noun's ("the rebels' launch of an offensive")
        let mut phrase = vec![c.tok];
        if c.anchor != c.tok && !t.is_verb(c.anchor) {
            phrase.push(c.anchor);
        }
        for &x in &phrase {
            actors.extend(t.kids(x, &["poss"]));
            actors.extend(
                t.kids(x, &["compound", "amod", "nmod"])
                    .filter(|&m| t.mention_of[m].is_some()),
            );
            actors.extend(t.prep_objects(x, &["by"]).into_iter().map(|(_, o)| o));
        }
        let head_prep = (t.dep(c.tok) == "pobj" && !t.is_root(t.head(c.tok)))
            .then(|| (t.head(c.tok), t.head(t.head(c.tok))));
        if let Some((p, v)) = head_prep
            && sym
            && kind == EventType::Consult
            && t.is_verb(v)
        {
            // "In a call with X, Y discussed ...", "during the meeting, Y said ...";
            // "Y traveled to Z for talks with X"
            let moving = is_candidate(cands, v).is_some_and(|k| {
                matches!(cands[k].entry.mode.as_deref(), Some("visit" | "travel"))
            });
            if t.lemma(p) == "for" && moving {
                actors.extend(subjects(t, v).0);
            } else {
                actors.extend(t.kids(v, &["nsubj"]).filter(|&s| is_party(t, s)));
            }
        }
        // "X pledged support": the support verb's subject
        let h = t.head(c.tok);
        if actors.is_empty()
            && t.dep(c.tok) == "dobj"
            && WORDS.support_verbs.contains(&t.lemma(h).as_str())
        {
            actors.extend(subjects(t, h).0);
        }
    } else {
        actors.extend(subj);
        actors.extend(agents);
        recipients.extend(patients);
    }
    let own: &[usize] = if c.anchor != c.tok {
        &[c.tok, c.anchor]
    } else {
        &[c.tok]
    };
    for &x in own {
        let object_slot = if x == c.tok {
            c.class != PosClass::Noun
        } else {
            c.light
        };
        if object_slot {
            for o in t.kids(x, &["dobj", "dative"]).filter(|&o| o != c.tok) {
                // "praised Y's bravery", "condemned the army's conduct": Y, the army
                let owner = t.kids(o, &["poss"]).find(|&p| {
                    is_party(t, p) || is_group(t, p) || !coref::antecedents(t, p).is_empty()
                });
                if let Some(p) = owner
                    && (entry.flags.comm || matches!(kind, EventType::Support | EventType::Accuse))
                {
                    recipients.push(p);
                    continue;
                }
                // a meeting's or call's object is a participant only when it names one
                if !sym || is_party(t, o) {
                    recipients.push(o);
                }
            }
        }
        if x == c.tok
            && c.class == PosClass::Noun
            && matches!(kind, EventType::Support | EventType::Aid)
        {
            // "support for X", "aid to X"
            for (_, o) in t.prep_objects(x, &["for"]) {
                if is_party(t, o) || is_group(t, o) {
                    recipients.push(o);
                }
            }
        }
        for (_, o) in t.prep_objects(x, &["with", "between", "among"]) {
            if sym {
                actors.push(o);
            } else if kind == EventType::Cooperate {
                recipients.push(o);
            }
        }
        for (_, o) in t.prep_objects(x, &["against", "on", "of", "to", "from"]) {
            if is_place(t, o) || o == c.tok {
                continue;
            }
            let p = t.lemma(t.head(o));
            let wanted = match p.as_str() {
                "against" => true,
                "to" => {
                    entry.flags.comm
                        || entry.flags.say
                        || kind == EventType::Aid
                        || (kind == EventType::Agree && c.class == PosClass::Noun)
                }
                "on" => matches!(kind, EventType::Assault | EventType::Request),
                "of" => c.class == PosClass::Noun && !sym,
                "from" => matches!(kind, EventType::Request | EventType::Retreat),
                _ => false,
            };
            if !wanted {
                continue;
            }
            // "a battle against X": X is the target, not a side of a symmetric event
            if sym && p == "against" && kind == EventType::Assault {
                targets.push(o);
            } else {
                recipients.push(o);
            }
        }
    }
    let mut actor_args = arguments(t, &actors);
    let mut recipient_args = arguments(t, &recipients);
    if sym {
        actor_args.append(&mut recipient_args);
        dedup_args(&mut actor_args);
    }
    recipient_args.extend(arguments(t, &targets));
    dedup_args(&mut recipient_args);
    // nobody is their own recipient ("he praised his team")
    let entity_key = |a: &Argument| {
        a.mention.map(|m| {
            let e = &doc.layers.entities[m as usize];
            e.entity
                .clone()
                .unwrap_or_else(|| doc.span_text(e.span).to_string())
        })
    };
    let actor_keys: Vec<String> = actor_args.iter().filter_map(entity_key).collect();
    recipient_args.retain(|r| entity_key(r).is_none_or(|k| !actor_keys.contains(&k)));

    // --- place
    let place = place(t, c, entry);
    if let Some(p) = &place {
        actor_args.retain(|a| a.span != p.span);
        // a seized place is both what was taken and where
        if !entry.flags.site {
            recipient_args.retain(|a| a.span != p.span);
        }
    }

    // --- time
    let (timex, tv) = attached_time(t, cands, c);
    let dct = doc.meta.date;
    let (date, date_precision) = match &tv {
        Some(v) => (v.iso.clone(), v.precision),
        None => (
            dct.map(|d| d.format("%Y-%m-%d").to_string()),
            DatePrecision::Unknown,
        ),
    };

    // --- status
    let mut status = EventStatus::Occurred;
    if planned(t, c) || tv.as_ref().zip(dct).is_some_and(|(v, d)| v.lo > d) {
        status = EventStatus::Planned;
    } else if claimed(t, cands, c) {
        status = EventStatus::Claimed;
    } else if t.tag(c.anchor) == "VBG"
        && t.kids(c.anchor, &["aux"])
            .any(|a| t.lemma(a) == "be" && matches!(t.tag(a), "VBP" | "VBZ"))
    {
        status = EventStatus::Ongoing;
    }

    // --- statements and quotes
    let mut quote = None;
    if entry.flags.say || entry.flags.comm {
        quote = complement(t, c.tok).or_else(|| quotation(t, si));
        if entry.flags.say && demands(t, c.tok) {
            kind = EventType::Request;
            mode = None;
        }
    }

    let trigger = trigger_span(t, c);
    Some(EventMention {
        trigger,
        sentence: u32::try_from(si).unwrap_or(u32::MAX),
        kind,
        mode,
        status,
        actors: actor_args,
        recipients: recipient_args,
        place,
        timex: timex.map(|x| u32::try_from(x).unwrap_or(u32::MAX)),
        date,
        date_precision,
        quote,
    })
}

/// The trigger's words: the token, with a particle or compound frame word next to it.
fn trigger_span(t: &Tree, c: &Candidate) -> ByteSpan {
    let mut span = t.tok(c.tok).span;
    if let Some(f) = &c.entry.frame {
        for &k in t.children(c.tok) {
            if t.lemma(k) == *f && matches!(t.dep(k), "prt" | "compound" | "amod" | "dobj") {
                let ks = t.tok(k).span;
                if k + 2 >= c.tok && k <= c.tok + 2 {
                    span = ByteSpan {
                        start: span.start.min(ks.start),
                        end: span.end.max(ks.end),
                    };
                }
            }
        }
    }
    span
}

/// Subjects of the clause headed by `anchor`: (active subjects, passive subjects, by-agents).
fn subjects(t: &Tree, anchor: usize) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let mut cur = anchor;
    for _ in 0..6 {
        let act: Vec<usize> = t.kids(cur, &["nsubj"]).collect();
        let pass: Vec<usize> = t.kids(cur, &["nsubjpass"]).collect();
        let agents: Vec<usize> = t
            .prep_objects(cur, &["by"])
            .into_iter()
            .filter(|&(p, _)| t.dep(p) == "agent" || !pass.is_empty())
            .map(|(_, o)| o)
            .collect();
        // "Putin, who met Assad", "X, which is believed to back Y": the
        // relative pronoun stands for the noun its clause modifies
        let fix = |v: Vec<usize>| -> Vec<usize> {
            v.into_iter()
                .map(|s| {
                    if matches!(t.tag(s), "WP" | "WDT") && t.dep(cur) == "relcl" {
                        t.head(cur)
                    } else {
                        s
                    }
                })
                .collect()
        };
        if cur != anchor && act.is_empty() && !pass.is_empty() {
            // raising: "X is set to visit", "X is expected to meet"
            return (fix(pass), Vec::new(), Vec::new());
        }
        if !act.is_empty() || !pass.is_empty() {
            return (fix(act), fix(pass), agents);
        }
        if matches!(t.dep(cur), "xcomp" | "conj" | "acomp" | "advcl") && !t.is_root(cur) {
            let h = t.head(cur);
            // object control: "urged X to meet" -> X
            if t.dep(cur) == "xcomp"
                && let Some(o) = t.kids(h, &["dobj"]).next()
            {
                return (vec![o], Vec::new(), Vec::new());
            }
            cur = h;
        } else if t.dep(cur) == "acl" && !t.is_root(cur) {
            // "troops stationed in X" / "people killed": the noun is the patient
            return (Vec::new(), vec![t.head(cur)], agents);
        } else {
            break;
        }
    }
    (Vec::new(), Vec::new(), Vec::new())
}

/// True when the word names a participant: a person, organization, country or group mention
/// (directly, or through a possessor: "Assad's remarks").
fn is_party(t: &Tree, i: usize) -> bool {
    argument(t, i).is_some_and(|a| {
        a.mention.is_some_and(|m| {
            matches!(
                t.doc.layers.entities[m as usize].label.as_str(),
                "PERSON" | "ORG" | "GPE" | "NORP"
            )
        })
    })
}

/// True for a common noun naming a group or agent ("rebels", "the government").
fn is_group(t: &Tree, i: usize) -> bool {
    t.tag(i).starts_with("NN") && WORDS.group_nouns.contains(&t.lemma(i).as_str())
}

/// The light noun whose "of" object `i` is ("the launch of an offensive").
fn light_noun(t: &Tree, i: usize) -> Option<usize> {
    if t.dep(i) != "pobj" || t.is_root(i) {
        return None;
    }
    let p = t.head(i);
    if t.lemma(p) != "of" || t.is_root(p) {
        return None;
    }
    let n = t.head(p);
    (matches!(t.tag(n), "NN" | "NNS") && WORDS.light_nouns.contains(&t.lemma(n).as_str()))
        .then_some(n)
}

fn is_place(t: &Tree, i: usize) -> bool {
    t.mention_of[i].is_some_and(|m| {
        matches!(
            t.doc.layers.entities[m].label.as_str(),
            "GPE" | "LOC" | "FAC"
        )
    })
}

/// Argument heads (with their conjuncts) as arguments, in text order, without duplicates.
/// A personal pronoun resolves to its antecedent's mention with its own words as span
/// (see `coref`).
fn arguments(t: &Tree, heads: &[usize]) -> Vec<Argument> {
    let mut out = Vec::new();
    let mut pronouns = Vec::new();
    for &h in heads {
        for x in t.with_conjuncts(h) {
            if let Some(a) = argument(t, x) {
                out.push(a);
            }
            for m in coref::antecedents(t, x) {
                pronouns.push(Argument {
                    span: t.tok(x).span,
                    mention: u32::try_from(m).ok(),
                });
            }
        }
    }
    // a pronoun whose antecedent is already an argument adds nothing
    pronouns.retain(|p| !out.iter().any(|a| a.mention == p.mention));
    out.append(&mut pronouns);
    dedup_args(&mut out);
    out
}

fn dedup_args(v: &mut Vec<Argument>) {
    let mut seen = Vec::new();
    v.retain(|a| {
        let k = (a.span, a.mention);
        if seen.contains(&k) {
            false
        } else {
            seen.push(k);
            true
        }
    });
}

fn argument(t: &Tree, h: usize) -> Option<Argument> {
    if matches!(t.tag(h), "PRP" | "PRP$" | "WP" | "WDT" | "DT" | "EX" | "CD") {
        return None;
    }
    let ents = &t.doc.layers.entities;
    let of = |m: usize| Argument {
        span: ents[m].span,
        mention: u32::try_from(m).ok(),
    };
    // inside a time expression? (timexes in text order: binary search, short lookback)
    let tok_span = t.tok(h).span;
    let timexes = &t.doc.layers.timexes;
    let hi = timexes.partition_point(|x| x.span.start <= tok_span.start);
    if timexes[..hi]
        .iter()
        .rev()
        .take_while(|x| x.span.start.saturating_add(512) >= tok_span.start)
        .any(|x| x.span.contains(tok_span))
    {
        return None;
    }
    if let Some(m) = t.mention_of[h] {
        if WORDS.not_participants.contains(&ents[m].label.as_str()) {
            return None;
        }
        return Some(of(m));
    }
    // a surname the model did not tag, after the full name: "Abbas Lind ... Lind"
    if let Some(m) = surname_mention(t, h) {
        return Some(Argument {
            span: t.tok(h).span,
            mention: u32::try_from(m).ok(),
        });
    }
    // "Assad's remarks": the person whose words they are
    if let Some(m) = t
        .kids(h, &["poss"])
        .find_map(|c| t.mention_of[c].filter(|&m| ents[m].label == "PERSON"))
    {
        return Some(of(m));
    }
    // "the minister, Abbas X" / "Foreign Minister X" (title as head)
    for deps in [&["appos"][..], &["compound", "nmod", "amod"][..]] {
        if let Some(m) = t.kids(h, deps).find_map(|c| {
            t.mention_of[c]
                .filter(|&m| matches!(ents[m].label.as_str(), "PERSON" | "ORG" | "GPE" | "NORP"))
        }) {
            // a demonym modifier ("Syrian troops") is the argument only for
            // groups, and never as an apposition ("pirates (12 Somali ...)")
            if ents[m].label != "NORP" || (t.tag(h) == "NNS" && deps[0] != "appos") {
                return Some(of(m));
            }
        }
    }
    // "most of the city": the city
    if WORDS.partitives.contains(&t.lemma(h).as_str())
        && let Some((_, o)) = t.prep_objects(h, &["of"]).into_iter().next()
    {
        return argument(t, o);
    }
    if !(t.tag(h).starts_with("NN")) {
        return None;
    }
    // the head noun with its compounds, and for groups its modifiers
    // ("Islamist-led rebels", "pro-government forces")
    let mut lo = h;
    let mods: &[&str] = if is_group(t, h) {
        &["compound", "amod", "nmod"]
    } else {
        &["compound"]
    };
    let mut left: Vec<usize> = t.kids(h, mods).filter(|&c| c < h).collect();
    left.sort_unstable();
    for c in left.into_iter().rev() {
        let (a, b) = t.subtree(c);
        // only modifiers that reach the words before the head without a gap
        if b + 1 < lo && (b + 1..lo).any(|k| !matches!(t.dep(k), "compound" | "amod" | "nmod")) {
            break;
        }
        lo = lo.min(a);
    }
    Some(Argument {
        span: ByteSpan {
            start: t.tok(lo).span.start,
            end: t.tok(h).span.end,
        },
        mention: None,
    })
}

/// The earlier PERSON mention whose last word is this untagged one-word proper
/// noun, when all such mentions name one person.
fn surname_mention(t: &Tree, h: usize) -> Option<usize> {
    if t.tag(h) != "NNP" || t.kids(h, &["compound"]).next().is_some() {
        return None;
    }
    let word = t.text(h);
    let start = t.tok(h).span.start;
    let ents = &t.doc.layers.entities;
    let mut found: Option<(usize, String)> = None;
    for (m, e) in ents.iter().enumerate() {
        if e.span.end > start || e.label != "PERSON" {
            continue;
        }
        let text = t.doc.span_text(e.span);
        if text.split_whitespace().last() != Some(word) {
            continue;
        }
        let key = e.entity.clone().unwrap_or_else(|| text.to_string());
        match &found {
            Some((_, k)) if *k != key => return None,
            _ => found = Some((m, key)),
        }
    }
    found.map(|(m, _)| m)
}

fn place(t: &Tree, c: &Candidate, entry: &Entry) -> Option<Argument> {
    let mut preps = vec!["in", "at"];
    let moving = matches!(entry.mode.as_deref(), Some("visit" | "travel"));
    if moving {
        preps.push("to");
    }
    let mut heads = vec![c.tok];
    if c.anchor != c.tok {
        heads.push(c.anchor);
    }
    for &x in &heads {
        for (_, o) in t.prep_objects(x, &preps) {
            if is_place(t, o) {
                return argument(t, o);
            }
        }
        if moving && let Some(o) = t.kids(x, &["dobj", "npadvmod"]).find(|&o| is_place(t, o)) {
            return argument(t, o);
        }
    }
    // a seized or besieged place ("rebels captured Aleppo", "the siege of
    // Mariupol", "Mariupol was besieged")
    if entry.flags.site {
        for &x in &heads {
            let taken = t
                .kids(x, &["dobj", "nsubjpass"])
                .chain(t.prep_objects(x, &["of"]).into_iter().map(|(_, o)| o))
                .find(|&o| is_place(t, o));
            if let Some(o) = taken {
                return argument(t, o);
            }
        }
    }
    // "met with X in Damascus" parsed with the place under the object
    for &x in &heads {
        let objects: Vec<usize> = t
            .kids(x, &["dobj"])
            .chain(t.prep_objects(x, &["with"]).into_iter().map(|(_, o)| o))
            .filter(|&o| is_party(t, o))
            .collect();
        for o in objects {
            for (_, p) in t.prep_objects(o, &["in", "at"]) {
                if is_place(t, p) {
                    return argument(t, p);
                }
            }
        }
    }
    None
}

/// The nearest trigger or verb above `i` (excluding `i`), the clause a word belongs to.
fn attachment(t: &Tree, cands: &[Candidate], mut i: usize) -> usize {
    for _ in 0..16 {
        if t.is_root(i) {
            return i;
        }
        i = t.head(i);
        if t.is_verb(i)
            || is_candidate(cands, i).is_some()
            || cands.iter().any(|c| c.anchor == i && !c.suppressed)
        {
            return i;
        }
    }
    i
}

/// The calendar time expression dating a candidate, with its reading.
fn attached_time(
    t: &Tree,
    cands: &[Candidate],
    c: &Candidate,
) -> (Option<usize>, Option<TimeValue>) {
    let doc = t.doc;
    let sent = doc.layers.sentences[t.doc.sentence_at(t.tok(c.tok).span.start).unwrap_or(0)].span;
    // candidate owners: the trigger, its anchor, then up the xcomp/conj chain
    let mut owners = vec![c.tok, c.anchor];
    let mut cur = c.anchor;
    for _ in 0..4 {
        if matches!(t.dep(cur), "xcomp" | "conj" | "acomp") && !t.is_root(cur) {
            cur = t.head(cur);
            owners.push(cur);
        } else {
            break;
        }
    }
    let mut best: Option<(usize, usize, TimeValue)> = None; // (owner rank, timex, value)
    // only the sentence's time expressions (timexes are in text order): no
    // scan of the document per event mention
    let timexes = &doc.layers.timexes;
    let first = timexes.partition_point(|x| x.span.start < sent.start);
    for (xi, x) in timexes.iter().enumerate().skip(first) {
        if x.span.start >= sent.end {
            break;
        }
        if !sent.contains(x.span) {
            continue;
        }
        if !matches!(x.kind, model::TimexType::Date | model::TimexType::Time) {
            continue;
        }
        let Some(v) = TimeValue::parse(&x.value) else {
            continue;
        };
        let Some(head) = t.span_head(x.span) else {
            continue;
        };
        let att = attachment(t, cands, head);
        if let Some(rank) = owners.iter().position(|&o| o == att)
            && best.as_ref().is_none_or(|b| rank < b.0)
        {
            best = Some((rank, xi, v));
        }
    }
    match best {
        Some((_, xi, v)) => (Some(xi), Some(v)),
        None => (None, None),
    }
}

fn negated(t: &Tree, c: &Candidate) -> bool {
    let has_neg = |x: usize| t.kids(x, &["neg"]).next().is_some();
    if has_neg(c.tok) || has_neg(c.anchor) {
        return true;
    }
    if c.class == PosClass::Noun && t.kids(c.tok, &["det"]).any(|d| t.lemma(d) == "no") {
        return true;
    }
    // "denied meeting", "refused to attack", "cancelled the visit"
    for x in [c.tok, c.anchor] {
        if t.is_root(x) {
            continue;
        }
        let h = t.head(x);
        let via_prep = t.dep(x) == "pobj" && !t.is_root(h);
        let gov = if via_prep { t.head(h) } else { h };
        if matches!(t.dep(x), "xcomp" | "ccomp" | "dobj" | "pcomp" | "pobj")
            && WORDS.negating_verbs.contains(&t.lemma(gov).as_str())
            && gov != c.tok
        {
            return true;
        }
    }
    false
}

fn planned(t: &Tree, c: &Candidate) -> bool {
    let modal = |x: usize| {
        t.kids(x, &["aux"]).any(|a| {
            let l = t.lemma(a);
            matches!(
                l.as_str(),
                "will" | "would" | "shall" | "may" | "might" | "could" | "'ll"
            ) || (l == "go" && t.tag(a) == "VBG")
        })
    };
    if modal(c.anchor) || modal(c.tok) {
        return true;
    }
    if c.class == PosClass::Noun
        && t.kids(c.tok, &["amod", "compound"])
            .any(|m| WORDS.plan_modifiers.contains(&t.lemma(m).as_str()))
    {
        return true;
    }
    // "pledged assistance", "offered talks": promised, not yet given
    if c.class == PosClass::Noun
        && t.dep(c.tok) == "dobj"
        && matches!(
            t.lemma(t.head(c.tok)).as_str(),
            "offer" | "pledge" | "promise" | "vow" | "propose"
        )
    {
        return true;
    }
    // complement of a planning verb, possibly through the xcomp chain
    let mut cur = c.anchor;
    for _ in 0..4 {
        if t.is_root(cur) || !matches!(t.dep(cur), "xcomp" | "ccomp" | "pcomp" | "pobj") {
            return false;
        }
        let mut h = t.head(cur);
        if t.dep(cur) == "pobj" && !t.is_root(h) {
            h = t.head(h);
        }
        let hl = t.lemma(h);
        if WORDS.plan_verbs.contains(&hl.as_str()) && t.dep(cur) != "ccomp" {
            return true;
        }
        if modal(h) {
            return true;
        }
        if t.dep(cur) == "ccomp" {
            return false;
        }
        cur = h;
    }
    false
}

/// True when the subject of a reporting verb is a news medium.
fn news_speaker(t: &Tree, verb: usize) -> bool {
    t.kids(verb, &["nsubj"]).any(|s| {
        let mut words = vec![t.lemma(s)];
        words.extend(t.kids(s, &["compound", "amod"]).map(|m| t.lemma(m)));
        if let Some(m) = t.mention_of[s] {
            let text = t
                .doc
                .span_text(t.doc.layers.entities[m].span)
                .to_lowercase();
            words.extend(text.split_whitespace().map(str::to_string));
        }
        words.iter().any(|w| WORDS.news_words.contains(&w.as_str()))
    })
}

fn claimed(t: &Tree, cands: &[Candidate], c: &Candidate) -> bool {
    let mut cur = c.anchor;
    for _ in 0..8 {
        if t.is_root(cur) {
            break;
        }
        let dep = t.dep(cur).to_string();
        let h = t.head(cur);
        if matches!(
            dep.as_str(),
            "ccomp" | "parataxis" | "xcomp" | "pcomp" | "pobj"
        ) {
            let gov = if dep == "pobj" && !t.is_root(h) {
                t.head(h)
            } else {
                h
            };
            if let Some(k) = is_candidate(cands, gov) {
                let f = cands[k].entry.flags;
                if (f.say && dep != "xcomp") || f.comm {
                    return !(f.attribution || news_speaker(t, gov));
                }
            }
        }
        cur = h;
    }
    // inside quotation marks
    let start = t.tok(c.tok).span.start as usize;
    let sent = t
        .doc
        .sentence_at(start as u32)
        .map(|s| t.doc.layers.sentences[s].span);
    if let Some(s) = sent {
        let before = &t.doc.text[s.start as usize..start];
        let curly_open = before.matches('“').count();
        let curly_close = before.matches('”').count();
        let straight = before.matches('"').count();
        if curly_open > curly_close || straight % 2 == 1 {
            return true;
        }
    }
    false
}

/// The reported content of a statement: its clausal complement's words.
fn complement(t: &Tree, verb: usize) -> Option<ByteSpan> {
    let c = t.kids(verb, &["ccomp", "xcomp"]).next().or_else(|| {
        t.prep_objects(verb, &["of", "for", "that"])
            .into_iter()
            .map(|(_, o)| o)
            .next()
    })?;
    let (lo, hi) = t.subtree(c);
    let (mut lo, mut hi) = (lo, hi);
    while lo < hi && matches!(t.tag(lo), "``" | "''" | "," | "IN" | "TO") && t.head(lo) == c
        || (lo < hi && matches!(t.dep(lo), "mark" | "punct"))
    {
        lo += 1;
    }
    while hi > lo && matches!(t.dep(hi), "punct") {
        hi -= 1;
    }
    Some(ByteSpan {
        start: t.tok(lo).span.start,
        end: t.tok(hi).span.end,
    })
}

/// The first quotation in the sentence, without its marks.
fn quotation(t: &Tree, si: usize) -> Option<ByteSpan> {
    let s = t.doc.layers.sentences[si].span;
    let text = &t.doc.text[s.range()];
    let (open, close) = if let Some(a) = text.find('“') {
        (a + '“'.len_utf8(), text[a..].find('”').map(|b| a + b))
    } else {
        let a = text.find('"')?;
        (a + 1, text[a + 1..].find('"').map(|b| a + 1 + b))
    };
    let close = close?;
    (close > open).then(|| ByteSpan::new(s.start as usize + open, s.start as usize + close))
}

/// "said X must/should do Y": a demand.
fn demands(t: &Tree, verb: usize) -> bool {
    t.kids(verb, &["ccomp"]).any(|c| {
        t.kids(c, &["aux"])
            .any(|a| matches!(t.lemma(a).as_str(), "must" | "should"))
            || t.kids(c, &["xcomp"]).any(|_| t.lemma(c) == "have")
    })
}

/// The main event of a sentence, as an event coder would pick it: a typed
/// (non-statement) event closest to the root of the parse, else the first statement.
pub fn main_event<'m>(
    doc: &Document,
    mentions: &'m [EventMention],
    sentence: usize,
) -> Option<&'m EventMention> {
    let t = Tree::new(doc);
    let tok_of = |m: &EventMention| {
        doc.layers
            .tokens
            .iter()
            .position(|x| x.span.start == m.trigger.start || m.trigger.contains(x.span))
            .unwrap_or(0)
    };
    mentions
        .iter()
        .filter(|m| m.sentence as usize == sentence)
        .min_by_key(|m| {
            let statement = m.kind == EventType::Other;
            (statement, t.depth(tok_of(m)), m.trigger.start)
        })
}

/// The PLOVER code of a mention: PLOVER codes an announced cooperative act as
/// `AGREE` (intent to cooperate) and an announced coercive act as `THREATEN`.
pub fn plover_type(m: &EventMention) -> EventType {
    use EventType::*;
    if m.status == EventStatus::Planned {
        match m.kind {
            Consult | Support | Cooperate | Aid | Retreat | Concede => return Agree,
            Coerce | Assault | Sanction | Mobilize => return Threaten,
            _ => {}
        }
    }
    m.kind
}

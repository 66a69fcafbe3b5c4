//! "Add or drop mentions of a document's entity layer": the layer stays in
//! text order and the event arguments keep pointing at the same mentions.

use model::{ByteSpan, Document, EntityMention, MentionOrigin};
use std::collections::BTreeSet;

/// A mention the rules add (origin `Rule`).
pub(super) fn rule_mention(span: ByteSpan, lbl: &str) -> EntityMention {
    EntityMention {
        span,
        label: lbl.to_string(),
        entity: None,
        origin: MentionOrigin::Rule,
    }
}

/// Inserts mentions into a document's entity layer in text order (start, then
/// longer first), skipping exact duplicates, and keeps event arguments pointing
/// at the same mentions; an argument without a mention that lies inside (or
/// around) a new mention now points at it.
pub fn insert_mentions(doc: &mut Document, new: Vec<EntityMention>) {
    let old = std::mem::take(&mut doc.layers.entities);
    let n_old = old.len();
    let mut all: Vec<(EntityMention, Option<usize>)> = old
        .into_iter()
        .enumerate()
        .map(|(i, m)| (m, Some(i)))
        .collect();
    let mut spans: BTreeSet<ByteSpan> = all.iter().map(|(m, _)| m.span).collect();
    for m in new {
        if spans.insert(m.span) {
            all.push((m, None));
        }
    }
    all.sort_by(|a, b| {
        a.0.span
            .start
            .cmp(&b.0.span.start)
            .then(b.0.span.end.cmp(&a.0.span.end))
            .then(a.1.unwrap_or(usize::MAX).cmp(&b.1.unwrap_or(usize::MAX)))
    });
    let mut remap = vec![0u32; n_old];
    for (new_i, (_, old_i)) in all.iter().enumerate() {
        if let Some(o) = old_i {
            remap[*o] = new_i as u32;
        }
    }
    let added: Vec<(u32, ByteSpan)> = all
        .iter()
        .enumerate()
        .filter(|(_, (_, o))| o.is_none())
        .map(|(i, (m, _))| (i as u32, m.span))
        .collect();
    doc.layers.entities = all.into_iter().map(|(m, _)| m).collect();
    // `added` is in text order: only mentions starting up to MAX_LOOKBACK bytes
    // before the argument are tried (linear in long documents)
    const MAX_LOOKBACK: u32 = 512;
    let fix = |a: &mut model::Argument| match a.mention {
        Some(i) => a.mention = remap.get(i as usize).copied(),
        None => {
            let lo = added.partition_point(|(_, s)| s.start + MAX_LOOKBACK < a.span.start);
            if let Some((i, _)) = added[lo..]
                .iter()
                .take_while(|(_, s)| s.start <= a.span.end)
                .find(|(_, s)| s.contains(a.span) || a.span.contains(*s))
            {
                a.mention = Some(*i);
            }
        }
    };
    for e in &mut doc.layers.events {
        e.actors.iter_mut().for_each(fix);
        e.recipients.iter_mut().for_each(fix);
        if let Some(p) = e.place.as_mut() {
            fix(p);
        }
    }
}

/// Removes the mentions at the given indices; returns the old → new index map and
/// keeps event arguments consistent (an argument pointing at a removed mention loses it).
pub(super) fn remove_mentions(doc: &mut Document, dead: &BTreeSet<usize>) -> Vec<Option<usize>> {
    let old = std::mem::take(&mut doc.layers.entities);
    let mut remap = vec![None; old.len()];
    for (i, m) in old.into_iter().enumerate() {
        if !dead.contains(&i) {
            remap[i] = Some(doc.layers.entities.len());
            doc.layers.entities.push(m);
        }
    }
    let fix = |a: &mut model::Argument| {
        if let Some(i) = a.mention {
            a.mention = remap.get(i as usize).copied().flatten().map(|x| x as u32);
        }
    };
    for e in &mut doc.layers.events {
        e.actors.iter_mut().for_each(fix);
        e.recipients.iter_mut().for_each(fix);
        if let Some(p) = e.place.as_mut() {
            fix(p);
        }
    }
    remap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_keeps_text_order_and_event_arguments() {
        let mut d = Document::new("d", "Iran's top diplomat met Assad.");
        d.layers
            .entities
            .push(EntityMention::new(ByteSpan::new(0, 4), "GPE"));
        d.layers
            .entities
            .push(EntityMention::new(ByteSpan::new(24, 29), "PERSON"));
        d.layers.events.push(model::EventMention {
            trigger: ByteSpan::new(20, 23),
            sentence: 0,
            kind: model::EventType::Consult,
            mode: None,
            status: model::EventStatus::Occurred,
            actors: vec![
                model::Argument {
                    span: ByteSpan::new(11, 19),
                    mention: None,
                },
                model::Argument {
                    span: ByteSpan::new(24, 29),
                    mention: Some(1),
                },
            ],
            recipients: vec![],
            place: None,
            timex: None,
            date: None,
            date_precision: model::DatePrecision::Unknown,
            quote: None,
        });
        insert_mentions(&mut d, vec![rule_mention(ByteSpan::new(0, 19), "PERSON")]);
        let texts: Vec<&str> = d
            .layers
            .entities
            .iter()
            .map(|m| d.span_text(m.span))
            .collect();
        assert_eq!(texts, ["Iran's top diplomat", "Iran", "Assad"]);
        assert_eq!(d.layers.events[0].actors[0].mention, Some(0));
        assert_eq!(d.layers.events[0].actors[1].mention, Some(2));
    }
}

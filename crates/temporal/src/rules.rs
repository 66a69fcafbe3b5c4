//! "Which words are a time expression, and what value do they name?": the
//! declarative rule table. Each rule is a pattern (a regex over one sentence,
//! written with the word-class macros of [`crate::lexicon`]) plus a
//! normalization function that turns the match into a TIMEX3 value using the
//! article date, the tense around the match and the last mentioned date.
//! Fixed phrases with constant values (`now`, `recently`, `daily`) are a
//! separate table matched with one Aho-Corasick automaton.

use crate::context::Tense;
use crate::lexicon::{Quantity, month_num, ordinal, part_of_day, quantity, unit, weekday};
use crate::value::{
    self, TimexDate, Unit, give_up, shift_day, shift_point, truncate, underspecified, week_of,
    weekday_on_or_after, weekday_on_or_before,
};
use chrono::{Datelike, NaiveDate, Weekday};
use model::TimexType;
use model::timex_value::Season;

/// What a normalization function sees besides the match.
pub(crate) struct Ctx {
    /// The article date.
    pub dct: Option<NaiveDate>,
    /// Tense of the clause around the match.
    pub tense: Tense,
    /// The last date mentioned before this expression in the document.
    pub last: Option<TimexDate>,
    /// The last day-precision date mentioned.
    pub last_day: Option<NaiveDate>,
    /// The last quarter mentioned.
    pub last_quarter: Option<TimexDate>,
    /// The word after the match, lower case.
    pub next: String,
    /// The value of the previous expression in the same sentence.
    pub prev_in_sentence: Option<String>,
}

/// Named captures of one match.
pub(crate) struct Caps<'a>(pub regex::Captures<'a>);

impl Caps<'_> {
    /// Text of a named group, if it took part in the match.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.name(name).map(|m| m.as_str())
    }
    /// The whole match.
    pub(crate) fn all(&self) -> &str {
        self.0.get(0).map_or("", |m| m.as_str())
    }
    /// Lower-cased text of a named group.
    fn low(&self, name: &str) -> Option<String> {
        self.get(name).map(|s| s.to_ascii_lowercase())
    }
}

/// Turns a match into a TIMEX3 value, or rejects it (`None`).
pub(crate) type Norm = fn(&Caps<'_>, &Ctx) -> Option<String>;

/// Extra checks on the text around a match that a regex without look-around
/// cannot express.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Guard {
    /// No check.
    None,
    /// A bare number read as a year: not money, not a count, not a percentage.
    Year,
    /// A bare month name that is also an English word (`May`, `March`): needs a
    /// preposition or modifier before it.
    AmbiguousMonth,
    /// A bare plural unit (`years`): needs a quantifier or a preposition before it.
    BarePlural,
    /// A clock time written `h:mm`: not a ratio or a score.
    Clock,
    /// A length that is not an age ("five-year-old", "12 years old").
    NotAge,
    /// "the year"/"the week" alone: only after a preposition or before
    /// "ended"/"ending"/"'s".
    TheUnit,
    /// "two thousand" is a year only after "in"/"by"/"since"/"until"/"the year".
    TwoThousand,
}

/// One recognition rule.
pub(crate) struct Rule {
    /// Short name, for debugging.
    pub name: &'static str,
    /// Regex with `{MACRO}`s; matched case-insensitively except inside macros
    /// marked `(?-i:)`. A group named `x` narrows the reported extent to it
    /// ("April 24 and *25*").
    pub pattern: &'static str,
    /// TIMEX3 type (a value with a time part turns a DATE into a TIME).
    pub kind: TimexType,
    /// Normalization.
    pub norm: Norm,
    /// Context check.
    pub guard: Guard,
}

const fn rule(
    name: &'static str,
    pattern: &'static str,
    kind: TimexType,
    norm: Norm,
    guard: Guard,
) -> Rule {
    Rule {
        name,
        pattern,
        kind,
        norm,
        guard,
    }
}

use Guard as G;
use TimexType::{Date as D, Duration as DU, Set as S, Time as T};

/// The rule table. On overlapping matches the longest wins; on equal length,
/// the earlier rule.
pub(crate) static RULES: &[Rule] = &[
    // ---- explicit calendar dates ----
    rule(
        "iso-date",
        r"\b(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12][0-9]|3[01])(?:[T ](?P<hh>[01][0-9]|2[0-3]):(?P<mm>[0-5][0-9]))?\b",
        D,
        n_iso,
        G::None,
    ),
    rule(
        "compact-date",
        r"\b(?P<y>(?:19|20)[0-9]{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])\b",
        D,
        n_iso,
        G::None,
    ),
    rule(
        "slash-date",
        r"\b(?P<a>[0-3]?[0-9])[/.](?P<b>[0-3]?[0-9])[/.](?P<y>(?:19|20)[0-9]{2}|[0-9]{2})\b",
        D,
        n_slash,
        G::None,
    ),
    rule(
        "month-day-year",
        r"\b(?:(?P<wd>{WEEKDAY})\s*,?\s+)?(?:{EDGE})?(?P<m>{MONTH})\s*(?P<d>{DAY})\b(?:\s*,\s*|\s+)(?P<y>{YEAR}|'[0-9]{2})\b",
        D,
        n_mdy,
        G::None,
    ),
    rule(
        "day-month-year",
        r"\b(?:(?P<wd>{WEEKDAY})\s*,?\s+)?(?:the )?(?P<d>{DAY})(?: of)?\s+(?P<m>{MONTH})\s*,?\s*(?P<y>{YEAR})\b",
        D,
        n_mdy,
        G::None,
    ),
    rule(
        "month-day",
        r"\b(?:(?P<wd>{WEEKDAY})\s*,?\s+)?(?:(?P<rel>this|last|next) )?(?P<m>{MONTH})\s*(?P<d>{DAY})\b",
        D,
        n_md,
        G::None,
    ),
    rule(
        "month-day-conj",
        r"\b(?P<m>{MONTH})\s*{DAY}\s+(?:and|or|&)\s+(?P<x>(?P<d>{DAY}))\b",
        D,
        n_md,
        G::None,
    ),
    rule(
        "day-month",
        r"\b(?:(?P<wd>{WEEKDAY})\s*,?\s+)?(?:the )?(?P<d>{DAY})(?: of)?\s+(?P<m>{MONTHFULL}|(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)\b",
        D,
        n_md,
        G::None,
    ),
    rule(
        "week-of-date",
        r"\bthe week of (?:(?P<wd>{WEEKDAY})\s*,?\s+)?(?P<m>{MONTH})\s*(?P<d>{DAY})\b(?:(?:\s*,\s*|\s+)(?P<y>{YEAR}))?",
        D,
        n_week_of_date,
        G::None,
    ),
    rule(
        "and-a-half",
        r"\b(?:{APPROX})?(?P<n>{NUMDIG}|{NUMWORD}) (?:(?P<u>{UNIT}) and a half|and a half (?P<u2>{UNIT}))\b",
        DU,
        n_and_a_half,
        G::NotAge,
    ),
    rule(
        "month-year",
        r"\b(?:{EDGE})?(?P<m>{MONTH})\s*,?\s*(?:of )?(?P<y>{YEAR})\b",
        D,
        n_my,
        G::None,
    ),
    rule(
        "month-rel-year",
        r"\b(?:{EDGE})?(?P<m>{MONTHFULL}|(?-i:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)(?:\s+(?P<d>{DAY}))?(?: of)? (?P<rel>this|last|next|the previous|the following|the same) year\b",
        D,
        n_month_rel_year,
        G::None,
    ),
    rule(
        "month",
        r"\b(?:(?P<rel>this|last|next|past|early|late|mid|the end of|the beginning of|the start of|the middle of)[- ]|(?:{EDGE}))?(?P<m>{MONTHFULL}|(?-i:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)",
        D,
        n_month,
        G::AmbiguousMonth,
    ),
    // ---- years, decades, centuries ----
    rule(
        "year",
        r"\b(?:(?:the )?(?:{EDGE})?(?:(?P<fy>fiscal|calendar|model|the year|fiscal year|FY) )?)(?P<y>{YEAR})\b(?P<s>'s)?",
        D,
        n_year,
        G::Year,
    ),
    rule(
        "fy-short",
        r"\b(?-i:FY)\s?(?P<y>[0-9]{2}|[0-9]{4})\b",
        D,
        n_fy,
        G::None,
    ),
    rule(
        "decade",
        r"\b(?:the )?(?:(?:early|late|mid)[- ])?(?:(?P<c>1[5-9]|20)(?P<d>[0-9])0'?s|'(?P<d2>[0-9])0s)\b|\bthe (?:(?:early|late|mid)[- ])?(?P<d3>[1-9])0s\b",
        D,
        n_decade,
        G::None,
    ),
    // "the 70s and 80s": the second decade of a pair, written without "the"
    rule(
        "decade-conj",
        r"(?:\bthe (?:(?:early|late|mid)[- ])?'?[1-9]0s|'[0-9]0s|\b(?:1[5-9]|20)[0-9]0'?s)\s+(?:and|or|to|through|&)\s+(?:(?:early|late|mid)[- ])?(?P<x>'(?P<d2>[0-9])0s|(?P<d3>[1-9])0s)\b",
        D,
        n_decade,
        G::None,
    ),
    // "since '82", "the class of '75": a year written with two digits,
    // after a preposition (not a version: "iLife '11")
    rule(
        "year-apostrophe",
        r"\b(?:in|since|of|until|till|by|from|to|through|and|or|before|after|during|the)\s+(?P<x>'(?P<y>[0-9]{2}))\b",
        D,
        n_fy,
        G::None,
    ),
    rule(
        "decade-word",
        r"\b(?:the )?(?:(?:early|late|mid)[- ])?(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
        D,
        n_decade_word,
        G::None,
    ),
    rule(
        "century",
        r"\b(?:the )?(?:(?:early|late|mid)[- ])?(?P<o>{ORDANY}|this|last|next|past|previous)[- ]century\b",
        D,
        n_century,
        G::None,
    ),
    // ---- quarters, halves, seasons ----
    rule(
        "quarter",
        r"\b(?:(?P<rel>this|last|next|the|this year's|last year's|next year's|its|their|the company's|the fiscal|the same|(?:the )?(?:comparable |same )?(?:year-ago|year-earlier|prior-year|year-before))\s+)?(?:fiscal |calendar )?(?:(?P<y2>{YEAR})\s+)?(?P<o>{ORD})[- ](?:fiscal[- ])?(?:quarter|qtr\.?)\b(?:(?:\s*,\s*|\s+of\s+|\s+)(?:fiscal\s+)?(?P<y>{YEAR})|\s+(?:of\s+)?(?P<yrel>last|next|this) year\b)?",
        D,
        n_quarter,
        G::None,
    ),
    rule(
        "quarter-short",
        r"\b(?-i:Q(?P<o>[1-4]))(?:\s*(?P<y>{YEAR}))?\b",
        D,
        n_quarter,
        G::None,
    ),
    rule(
        "quarter-ref",
        r"\b(?:the|this|that) (?P<rel>latest|recent|most recent|current|past|same|year-ago|year-earlier|just-ended|just-completed|previous|preceding|prior|second|first|latest fiscal|recent fiscal)?[- ]?(?:fiscal )?quarter\b",
        D,
        n_quarter_ref,
        G::None,
    ),
    rule(
        "year-period",
        r"\b(?:the|that|its) (?P<y>{YEAR})(?: fiscal)? (?P<u>quarter|period)\b",
        D,
        n_year_period,
        G::None,
    ),
    rule(
        "the-unit-plain",
        r"\bthe (?:fiscal |calendar )?(?P<u>year|week|month|day)\b",
        D,
        n_the_unit_plain,
        G::TheUnit,
    ),
    rule(
        "the-units",
        r"\bthe (?:(?:early|following|ensuing|intervening|final|first) )?(?P<u>years|decades|months|weeks|days)\b",
        DU,
        n_the_units,
        G::TheUnit,
    ),
    rule(
        "period-ref",
        r"\b(?:the|this|that) (?P<rel>latest|recent|most recent|current|same|year-ago|year-earlier|comparable|just-ended|latest fiscal) (?:fiscal )?period\b",
        D,
        n_quarter_ref,
        G::None,
    ),
    rule(
        "weekend",
        r"\b(?:the|this|last|next|this past|this coming|the coming|the past) weekend\b",
        D,
        n_weekend,
        G::None,
    ),
    rule(
        "in-the-part",
        r"\b(?:(?:early|late) )?(?:in|during) (?P<x>the (?P<p>morning|afternoon|evening))\b",
        T,
        n_in_the_part,
        G::None,
    ),
    rule(
        "mid-part",
        r"\bmid[- ]?(?P<p>morning|afternoon)(?:\s+(?P<day>yesterday|today|tomorrow|{WEEKDAY}))?\b",
        T,
        n_mid_part,
        G::None,
    ),
    rule(
        "earlier-in-the",
        r"\b(?P<rel>earlier|later|early|late) in the (?P<u>year|month|week|day)\b",
        D,
        n_earlier_in_the,
        G::None,
    ),
    rule(
        "edge-of-the",
        r"\b(?:the )?(?:end|beginning|start|middle|close) of (?:the|this) (?P<u>year|month|week|decade|century)\b",
        D,
        n_earlier_in_the,
        G::None,
    ),
    rule(
        "spelled-year",
        r"\b(?:the year |(?P<m>{MONTHFULL})\s+|the (?P<s>{SEASON}) of\s+)?(?P<c>nineteen|twenty) (?:hundred(?: and)? )?(?P<n>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|oh[- ](?:one|two|three|four|five|six|seven|eight|nine))\b",
        D,
        n_spelled_year,
        G::None,
    ),
    rule(
        "two-thousand",
        r"\b(?:the year )?two thousand(?:(?: and)? (?P<n>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?\b",
        D,
        n_two_thousand,
        G::TwoThousand,
    ),
    rule(
        "military-time",
        r"\b(?P<h>[01][0-9]|2[0-3])(?P<m>[0-5][0-9])\s*(?P<tz>(?-i:UTC|GMT|Z|hours|hrs))\b",
        T,
        n_clock,
        G::None,
    ),
    rule(
        "half",
        r"\b(?:the )?(?P<o>first|second|1st|2nd|latter|last)[- ]half\b(?:\s+of\s+(?:(?:fiscal|the year)\s+)?(?P<y>{YEAR}))?",
        D,
        n_half,
        G::None,
    ),
    rule(
        "season",
        r"\b(?:(?P<rel>this|last|next|past|coming|early|late|mid|the|this past)[- ])?(?P<s>{SEASON})\b(?:\s*(?:of\s+)?(?P<y>{YEAR}))?",
        D,
        n_season,
        G::None,
    ),
    // ---- weekdays and deictic days ----
    rule(
        "weekday",
        r"\b(?:(?:the\s+)?(?P<rel>this|last|next|past|coming|previous|following|this past|this coming|early|late)\s+)?(?P<wd>{WEEKDAY})(?:\s+(?P<p>{PART}))?\b",
        D,
        n_weekday,
        G::None,
    ),
    rule(
        "deictic-day",
        r"\b(?:(?:early|late|earlier|later)\s+)?(?P<w>today|tomorrow|yesterday|tonight|the day before yesterday|the day after tomorrow)(?:\s+(?P<p>{PART}))?\b",
        D,
        n_deictic,
        G::None,
    ),
    rule(
        "this-part",
        r"\b(?:(?:early|late|earlier|later)\s+)?(?P<rel>this|last|that|the same) (?P<p>morning|afternoon|evening|night)\b",
        D,
        n_this_part,
        G::None,
    ),
    // ---- relative periods ----
    rule(
        "rel-unit",
        r"\b(?:(?:early|late|earlier|later|the end of|the start of|the beginning of|the middle of|the rest of|the remainder of|the balance of)\s+)?(?:the\s+)?(?P<rel>{REL}|this past|this coming)\s+(?P<u>week|weekend|month|year|decade|century|fiscal year|calendar year|school year)\b(?:\s+or\s+so\b)?",
        D,
        n_rel_unit,
        G::None,
    ),
    rule(
        "same-period-year-ago",
        r"\b(?:the\s+)?(?:same|corresponding|comparable|(?P<q>quarter|period|month|week))\s+(?:(?P<u>quarter|period|month|week)\s+)?(?:of\s+)?(?:a year (?:ago|earlier|before)|last year|the (?:previous|prior|last) year|the year before)\b",
        D,
        n_same_period_year_ago,
        G::None,
    ),
    rule(
        "rel-adj",
        r"\b(?P<rel>year|month|week|quarter)[- ](?:earlier|ago)\b(?:\s+(?P<u>quarter|period|month|year|level|levels))?",
        D,
        n_rel_adj,
        G::None,
    ),
    rule(
        "ago",
        r"\b{APPROX}?(?P<n>{NUMDIG}|{NUMWORD})[- ](?:more\s+)?(?P<u>{UNIT})(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from now|hence|back)\b",
        D,
        n_ago,
        G::None,
    ),
    rule(
        "ago-bare",
        r"\b(?P<u>years|months|weeks|days|decades)\s+(?P<dir>ago|earlier|later)\b",
        D,
        n_ago_bare,
        G::None,
    ),
    rule(
        "anaphoric",
        r"\b(?:(?:earlier|later|early|late)\s+)?(?:the\s+)?(?P<rel>next|following|previous|preceding|prior|same|that)\s+(?P<u>day|morning|afternoon|evening|night|week|weekend|month|year)\b",
        D,
        n_anaphoric,
        G::None,
    ),
    rule(
        "day-before",
        r"\bthe\s+(?P<u>day|week|month|year|night)\s+(?P<rel>before|after|earlier|later)\b",
        D,
        n_day_before,
        G::None,
    ),
    // ---- references ----
    rule(
        "vague-plural-ref",
        r"\b(?:the\s+)?(?P<rel>recent|coming|upcoming|next few|past few|last few|past several|last several)\s+(?P<u>days|weeks|months|years|decades|quarters)\b|\bthe (?P<u2>days|weeks|months|years) (?:ahead|to come)\b",
        DU,
        n_vague_ref,
        G::None,
    ),
    // ---- durations ----
    rule(
        "duration",
        r"\b(?:(?:{APPROX})?(?P<rel>the\s+(?:past|last|next|first|final|coming|previous|following|latest|same|full|entire|whole|remaining|initial|past several|past few|next several)|the|another|an additional|a further)\s+|{APPROX}|over\s+)?(?P<n>{NUMDIG}|{NUMWORD})\s*(?:(?:full|more|consecutive|straight|additional|long|calendar|fiscal|business|working|trading|successive|previous|years?)\s+)?(?P<u>{UNIT})\b(?:\s+or\s+so\b)?",
        DU,
        n_duration,
        G::NotAge,
    ),
    // "two to three weeks", "between 60 and 90 days": the first number of a
    // range is an amount of the unit named after the second
    rule(
        "range-first",
        r"\b(?P<x>(?P<n>[0-9]{1,3}(?:,[0-9]{3})*|{NUMEXACT}))\s*(?:to|and|or|-|–)\s*(?:[0-9]{1,3}(?:,[0-9]{3})*|{NUMEXACT})\s+(?P<u>{UNIT})\b",
        DU,
        n_duration,
        G::None,
    ),
    rule(
        "duration-adj",
        r"\b(?P<n>{NUMDIG}|{NUMWORD})-(?P<u>{UNITSG})(?:-long)?\b",
        DU,
        n_duration,
        G::NotAge,
    ),
    rule(
        "duration-long",
        r"\b(?P<u>decades|years|months|weeks|days|hours|centuries|century|decade|year|month|week|day|hour)-long\b",
        DU,
        n_duration_vague,
        G::None,
    ),
    rule(
        "duration-bare",
        r"\b(?:(?P<q>the past|the last|the next|the coming|the past several|the past few|the next several|the next few|the last several|the last few|over the past|many|several|a few|few|some)\s+)?(?P<u>seconds|minutes|hours|days|weeks|months|years|decades|centuries)\b",
        DU,
        n_duration_vague,
        G::BarePlural,
    ),
    rule(
        "the-unit",
        r"\b(?:the\s+)?(?P<p>full|entire|whole|same|fiscal|calendar)\s+(?P<u>year|month|week|quarter|period)\b",
        D,
        n_the_unit,
        G::None,
    ),
    // ---- sets ----
    rule(
        "every",
        r"\b(?P<q>every|each|per)\s+(?:(?P<n>other|{NUMDIG}|two|three|four|five|six)\s+)?(?P<u>{UNIT}|{WEEKDAY}|{PART}|{SEASON}|season|{MONTHFULL})\b",
        S,
        n_every,
        G::None,
    ),
    rule(
        "times-per",
        r"\b(?P<n>once|twice|thrice|(?:{NUMDIG}|{NUMWORD}) times) (?:a|an|per|each|every) (?P<u>{UNITSG})\b",
        S,
        n_times_per,
        G::None,
    ),
    rule(
        "weekday-parts",
        r"\b(?P<wd>{WEEKDAY})\s+(?P<p>mornings|afternoons|evenings|nights)\b",
        S,
        n_weekday_set,
        G::None,
    ),
    rule(
        "weekday-plural",
        r"\b(?P<wd>mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b",
        S,
        n_weekday_set,
        G::None,
    ),
    // ---- clock times ----
    rule(
        "clock-ampm",
        r"\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5][0-9]))?\s*(?P<ap>a\.\s?m\.?|p\.\s?m\.?|(?-i:am|pm|AM|PM))(?:\s+(?P<tz>(?-i:[ECMP][SD]T|GMT|UTC|local time)))?(?:\s*(?:,|on)?\s*(?:(?P<day>{WEEKDAY}|today|yesterday|tomorrow)|(?P<mo>{MONTH})\s*(?P<dd>{DAY})\b))?",
        T,
        n_clock,
        G::None,
    ),
    rule(
        "clock-24",
        r"\b(?P<h>[01]?[0-9]|2[0-3]):(?P<m>[0-5][0-9])(?:\s+(?P<tz>(?-i:[ECMP][SD]T|GMT|UTC|local time)))?\b(?:\s+(?:on\s+)?(?:(?P<day>{WEEKDAY}|today|yesterday|tomorrow)|(?P<mo>{MONTH})\s*(?P<dd>{DAY})\b))?",
        T,
        n_clock,
        G::Clock,
    ),
    rule(
        "clock-word",
        r"\b(?P<w>noon|midnight|midday)(?:\s+(?P<day>{WEEKDAY}|today|yesterday|tomorrow))?\b",
        T,
        n_clock_word,
        G::None,
    ),
    rule(
        "clock-in-the",
        r"\b(?P<h>1[0-2]|[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?: o'clock)? in the (?P<ap>morning|afternoon|evening|night)\b",
        T,
        n_clock,
        G::None,
    ),
    rule(
        "oclock",
        r"\b(?P<h>{NUMWORD}|1[0-2]|[1-9]) o'clock\b",
        T,
        n_clock,
        G::None,
    ),
    // ---- holidays ----
    rule(
        "holiday",
        r"\b(?:(?P<rel>last|next|this)\s+)?(?P<hol>Christmas Eve|Christmas Day|Christmas|New Year's Eve|New Year's Day|New Year|Independence Day|Thanksgiving Day|Thanksgiving|Halloween|Valentine's Day|Easter Sunday|Easter|Labor Day|Memorial Day|Boxing Day|May Day|Election Day)\b",
        D,
        n_holiday,
        G::None,
    ),
];

/// A fixed phrase with a constant value (or a value tied to the article date).
pub(crate) struct Phrase {
    /// The phrase, lower case.
    pub text: &'static str,
    /// TIMEX3 type.
    pub kind: TimexType,
    /// Value; `DCT` stands for the article date, `DCT-Y` for its year.
    pub value: &'static str,
}

const fn ph(text: &'static str, kind: TimexType, value: &'static str) -> Phrase {
    Phrase { text, kind, value }
}

/// Fixed phrases, matched case-insensitively on word boundaries.
pub(crate) static PHRASES: &[Phrase] = &[
    ph("now", D, "PRESENT_REF"),
    ph("just now", D, "PRESENT_REF"),
    ph("currently", D, "PRESENT_REF"),
    ph("current", D, "PRESENT_REF"),
    ph("then current", D, "PAST_REF"),
    ph("then-current", D, "PAST_REF"),
    ph("at present", D, "PRESENT_REF"),
    ph("presently", D, "PRESENT_REF"),
    ph("the present", D, "PRESENT_REF"),
    ph("nowadays", D, "PRESENT_REF"),
    ph("these days", D, "PRESENT_REF"),
    ph("this time", D, "PRESENT_REF"),
    ph("the moment", D, "PRESENT_REF"),
    ph("at the moment", D, "PRESENT_REF"),
    ph("recently", D, "PAST_REF"),
    ph("lately", D, "PAST_REF"),
    ph("the past", D, "PAST_REF"),
    ph("past years", D, "PAST_REF"),
    ph("past decades", D, "PAST_REF"),
    ph("the future", D, "FUTURE_REF"),
    ph("future", D, "FUTURE_REF"),
    ph("the near future", D, "FUTURE_REF"),
    ph("someday", D, "FUTURE_REF"),
    ph("some day", D, "FUTURE_REF"),
    ph("the near term", D, "FUTURE_REF"),
    ph("the short term", D, "FUTURE_REF"),
    ph("the long term", D, "FUTURE_REF"),
    ph("a later date", D, "FUTURE_REF"),
    ph("the time being", D, "PRESENT_REF"),
    ph("daily", S, "P1D"),
    ph("nightly", S, "P1D"),
    ph("weekly", S, "P1W"),
    ph("biweekly", S, "P2W"),
    ph("monthly", S, "P1M"),
    ph("yearly", S, "P1Y"),
    ph("annually", S, "P1Y"),
    ph("annual", DU, "P1Y"),
    ph("hourly", S, "PT1H"),
    ph("a day", S, "P1D"),
    ph("a year", S, "P1Y"),
    ph("year-end", D, "DCT-Y"),
    ph("year end", D, "DCT-Y"),
    ph("the end of the year", D, "DCT-Y"),
    ph("the end of this year", D, "DCT-Y"),
    ph("year-to-date", D, "DCT-Y"),
    ph("year's end", D, "DCT-Y"),
];

/// Phrases that are only time expressions in some contexts; the tagger checks
/// the neighbouring words before keeping them.
pub(crate) fn phrase_context_ok(phrase: &str, before: &str, after: &str) -> bool {
    let prev = before
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_ascii_lowercase();
    let next = after
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase();
    match phrase {
        // "a day", "a year" are sets only after a count ("twice a year", "$5 a day").
        "a day" | "a year" => {
            matches!(prev.as_str(), "once" | "twice" | "times" | "thrice")
                || prev.starts_with('$')
                || prev.ends_with("cents")
                || prev.ends_with("dollars")
        }
        // "earlier"/"later" alone: only as a sentence-final adverb ("as reported earlier").
        "earlier" | "later" => {
            after.trim_start().starts_with(['.', ',', ';']) && !matches!(prev.as_str(), "than")
        }
        // "the current crisis", "his current position": the present state
        // of something (not the electrical or sea "current", a noun)
        "current" => {
            after
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_alphabetic)
                && !matches!(
                    next.as_str(),
                    "account" | "accounts" | "affairs" | "events" | "of" | "and" | "is" | "was"
                )
                && !matches!(prev.as_str(), "then" | "electric" | "ocean" | "strong")
        }
        // "an annual profit", "annual sales": an amount over a year; not
        // the recurring event of "the annual meeting", "an annual parade"
        "annual" => matches!(
            next.as_str(),
            "profit"
                | "profits"
                | "loss"
                | "losses"
                | "earnings"
                | "income"
                | "revenue"
                | "revenues"
                | "sales"
                | "output"
                | "turnover"
        ),
        "recent" => !matches!(next.as_str(), "days" | "weeks" | "months" | "years"),
        "future" => matches!(prev.as_str(), "in" | "near" | "distant" | "foreseeable"),
        "the moment" | "this time" => matches!(prev.as_str(), "at" | "for"),
        "so far" => !matches!(next.as_str(), "as" | "from" | "away" | "removed" | "so"),
        _ => true,
    }
}

// ---------- normalization helpers ----------

fn int(s: Option<&str>) -> Option<i64> {
    let s = s?;
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn u(s: Option<&str>) -> Option<u32> {
    int(s).and_then(|v| u32::try_from(v).ok())
}

fn year4(s: &str, dct: Option<NaiveDate>) -> Option<i32> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let y: i32 = digits.parse().ok()?;
    Some(if digits.len() == 2 {
        // two-digit year: the century that puts it closest to the article date
        let base = dct.map_or(1900, |d| d.year() / 100 * 100);
        let cand = base + y;
        match dct {
            Some(d) if cand > d.year() + 20 => cand - 100,
            _ => cand,
        }
    } else {
        y
    })
}

fn date_value(y: i32, m: u32, d: u32) -> Option<String> {
    NaiveDate::from_ymd_opt(y, m, d).map(|x| TimexDate::Day(x).to_string())
}

/// Year for a month (and day) mentioned without one. "last"/"next" name the
/// most recent past / nearest future one; otherwise the article's year,
/// unless the date is far from the article date and the tense points the
/// other way (or it is more than half a year away: "in January" written in
/// December is the coming January).
fn infer_year(dct: NaiveDate, m: u32, d: Option<u32>, tense: Tense, rel: Option<&str>) -> i32 {
    let y = dct.year();
    let here = (dct.month(), dct.day());
    let there = (
        m,
        d.unwrap_or(if m == dct.month() { dct.day() } else { 15 }),
    );
    match rel {
        Some("last") | Some("past") => {
            return if there < here && (m != dct.month() || d.is_some()) {
                y
            } else {
                y - 1
            };
        }
        Some("next") => {
            return if there > here && (m != dct.month() || d.is_some()) {
                y
            } else {
                y + 1
            };
        }
        Some("this") => return y,
        _ => {}
    }
    if let Some(day) = d {
        // a day: its nearest occurrence, unless the clause points the other
        // way by more than a couple of months (past) or weeks (future)
        let mut near: Option<(i64, i32)> = None;
        for cand in [y - 1, y, y + 1] {
            if let Some(date) = NaiveDate::from_ymd_opt(cand, m, day) {
                let delta = (date - dct).num_days();
                if near.is_none_or(|(b, _)| delta.abs() < b.abs()) {
                    near = Some((delta, cand));
                }
            }
        }
        if let Some((delta, cand)) = near {
            return match tense {
                Tense::Past if delta > 60 => cand - 1,
                Tense::Future if delta < -14 => cand + 1,
                _ => cand,
            };
        }
    }
    let months_ahead = i64::from(m) - i64::from(dct.month());
    match tense {
        Tense::Past if months_ahead >= 2 => y - 1,
        Tense::Future if months_ahead <= -2 => y + 1,
        Tense::Past | Tense::Present | Tense::Unknown if months_ahead >= 7 => y - 1,
        Tense::Future | Tense::Present | Tense::Unknown if months_ahead <= -7 => y + 1,
        _ => y,
    }
}

fn with_time(day: String, hh: Option<u32>, mm: Option<u32>) -> String {
    match hh {
        Some(h) => format!("{day}T{h:02}:{:02}", mm.unwrap_or(0)),
        None => day,
    }
}

// ---------- normalization functions ----------

fn n_iso(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let y: i32 = c.get("y")?.parse().ok()?;
    let day = date_value(y, u(c.get("m"))?, u(c.get("d"))?)?;
    Some(with_time(day, u(c.get("hh")), u(c.get("mm"))))
}

fn n_slash(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let a = u(c.get("a"))?;
    let b = u(c.get("b"))?;
    let y = year4(c.get("y")?, x.dct)?;
    let (m, d) = match (a, b) {
        (a, b) if a > 12 && b <= 12 => (b, a),
        (a, b) if b > 12 && a <= 12 => (a, b),
        (a, b) if a == b => (a, b),
        // both readings possible: keep only the year
        (a, b) if a <= 12 && b <= 12 => return Some(format!("{y:04}-XX-XX")),
        _ => return None,
    };
    date_value(y, m, d)
}

fn n_mdy(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let y = year4(c.get("y")?, x.dct)?;
    date_value(y, month_num(c.get("m")?)?, u(c.get("d"))?)
}

fn n_md(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let m = month_num(c.get("m")?)?;
    let d = u(c.get("d"))?;
    if d == 0 || d > 31 {
        return None;
    }
    let rel = c.low("rel");
    let rel = rel
        .as_deref()
        .filter(|r| matches!(*r, "last" | "next" | "this"));
    match x.dct {
        Some(dct) => {
            let mut y = infer_year(dct, m, Some(d), x.tense, rel);
            // a weekday named with the date picks the year it fits
            if let Some(wd) = c.get("wd").and_then(weekday) {
                for cand in [y, y - 1, y + 1] {
                    if NaiveDate::from_ymd_opt(cand, m, d).is_some_and(|t| t.weekday() == wd) {
                        y = cand;
                        break;
                    }
                }
            }
            date_value(y, m, d)
        }
        None => Some(format!("XXXX-{m:02}-{d:02}")),
    }
}

fn n_week_of_date(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let m = month_num(c.get("m")?)?;
    let d = u(c.get("d"))?;
    let y = match c.get("y") {
        Some(y) => year4(y, x.dct)?,
        None => match x.dct {
            Some(dct) => infer_year(dct, m, Some(d), x.tense, None),
            None => return Some("XXXX-WXX".into()),
        },
    };
    Some(week_of(NaiveDate::from_ymd_opt(y, m, d)?).to_string())
}

/// "two and a half years", "a minute and a half".
fn n_and_a_half(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let n = match quantity(c.get("n")?)? {
        Quantity::Exact(v) => Quantity::Exact(v + 0.5),
        q => q,
    };
    let un = unit(&c.low("u").or(c.low("u2"))?)?;
    Some(duration_value(n, un))
}

fn n_my(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let y = year4(c.get("y")?, x.dct)?;
    Some(TimexDate::Month(y, month_num(c.get("m")?)?).to_string())
}

fn n_month_rel_year(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let m = month_num(c.get("m")?)?;
    let rel = c.low("rel")?;
    let y = match rel.as_str() {
        "the same" => x.last.and_then(TimexDate::year).or(x.dct.map(|d| d.year())),
        "the previous" => x
            .last
            .and_then(TimexDate::year)
            .or(x.dct.map(|d| d.year()))
            .map(|y| y - 1),
        "the following" => x
            .last
            .and_then(TimexDate::year)
            .or(x.dct.map(|d| d.year()))
            .map(|y| y + 1),
        r => x.dct.map(|d| match r {
            "last" => d.year() - 1,
            "next" => d.year() + 1,
            _ => d.year(),
        }),
    };
    let Some(y) = y else {
        return Some(format!("XXXX-{m:02}"));
    };
    match u(c.get("d")) {
        Some(d) => date_value(y, m, d),
        None => Some(TimexDate::Month(y, m).to_string()),
    }
}

fn n_month(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let m = month_num(c.get("m")?)?;
    let rel = c.low("rel");
    let rel = rel
        .as_deref()
        .filter(|r| matches!(*r, "last" | "next" | "this" | "past"));
    match x.dct {
        Some(dct) => Some(TimexDate::Month(infer_year(dct, m, None, x.tense, rel), m).to_string()),
        None => Some(format!("XXXX-{m:02}")),
    }
}

fn n_year(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let y: i32 = c.get("y")?.parse().ok()?;
    if c.get("s").is_some() && y % 10 == 0 && c.get("fy").is_none() {
        return Some(format!("{:03}", y / 10));
    }
    Some(TimexDate::Year(y).to_string())
}

fn n_fy(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    Some(TimexDate::Year(year4(c.get("y")?, x.dct)?).to_string())
}

fn n_decade(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    if let (Some(cent), Some(d)) = (c.get("c"), c.get("d")) {
        return Some(format!("{cent}{d}"));
    }
    let d = c.get("d2").or(c.get("d3"))?;
    let cent = x.dct.map_or(19, |t| {
        let c = t.year() / 100;
        // the '90s written in 2004 are still the 1990s
        if d.parse::<i32>().unwrap_or(0) * 10 > t.year() % 100 {
            c - 1
        } else {
            c
        }
    });
    Some(format!("{cent}{d}"))
}

fn n_decade_word(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let w = c.low("w")?;
    let d = [
        "twenties",
        "thirties",
        "forties",
        "fifties",
        "sixties",
        "seventies",
        "eighties",
        "nineties",
    ]
    .iter()
    .position(|s| *s == w)?
        + 2;
    let cent = x.dct.map_or(19, |t| {
        if i32::try_from(d).unwrap_or(0) * 10 > t.year() % 100 {
            t.year() / 100 - 1
        } else {
            t.year() / 100
        }
    });
    Some(format!("{cent}{d}"))
}

fn n_century(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let o = c.low("o")?;
    let base = x.dct.map(|d| d.year() / 100);
    let cent = match o.as_str() {
        "this" => base?,
        "last" | "past" | "previous" => base? - 1,
        "next" => base? + 1,
        o => i32::try_from(ordinal(o)?).ok()? - 1,
    };
    Some(format!("{cent:02}"))
}

fn n_quarter(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let o = c.low("o")?;
    let rel = c.low("rel").unwrap_or_default();
    let q = match o.as_str() {
        "final" | "last" if rel.is_empty() || rel == "the" || rel.contains("year") => 4,
        "final" | "last" => return None,
        o => ordinal(o)?,
    };
    if !(1..=4).contains(&q) {
        return None;
    }
    if let Some(y) = c.get("y") {
        return Some(TimexDate::Quarter(year4(y, x.dct)?, q).to_string());
    }
    let Some(dct) = x.dct else {
        return Some(format!("XXXX-Q{q}"));
    };
    if let Some(r) = c.low("yrel") {
        let y = dct.year()
            + match r.as_str() {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
        return Some(TimexDate::Quarter(y, q).to_string());
    }
    let cur = (dct.month() - 1) / 3 + 1;
    let mut y = dct.year();
    if rel.starts_with("last") || rel.contains("year-") || rel.contains("prior-year") {
        y -= 1;
    } else if rel.starts_with("next") {
        y += 1;
    } else if rel.starts_with("this") {
    } else if let Some(y2) = c.get("y2") {
        y = year4(y2, x.dct)?;
    } else if q > cur && x.tense != Tense::Future {
        y -= 1;
    }
    Some(TimexDate::Quarter(y, q).to_string())
}

fn n_quarter_ref(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let rel = c.low("rel").unwrap_or_default();
    let dct = x.dct;
    let latest_done = dct.map(|d| {
        let cur = truncate(d, Unit::Quarter);
        shift_point(cur, -1, Unit::Quarter).unwrap_or(cur)
    });
    let value = match rel.as_str() {
        "year-ago" | "year-earlier" => {
            let base = x.last_quarter.or(latest_done)?;
            shift_point(base, -1, Unit::Year)?
        }
        "current" => truncate(dct?, Unit::Quarter),
        "latest" | "recent" | "most recent" | "just-ended" | "just-completed" | "latest fiscal"
        | "recent fiscal" => latest_done?,
        "previous" | "preceding" | "prior" => {
            let base = x.last_quarter.or(latest_done)?;
            shift_point(base, -1, Unit::Quarter)?
        }
        "first" | "second" => return None,
        _ => x.last_quarter.or(latest_done)?,
    };
    Some(value.to_string())
}

fn n_year_period(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let y = year4(c.get("y")?, x.dct)?;
    let q = match x.last_quarter {
        Some(TimexDate::Quarter(_, q)) => q,
        _ => match x.dct {
            Some(d) => match shift_point(truncate(d, Unit::Quarter), -1, Unit::Quarter)? {
                TimexDate::Quarter(_, q) => q,
                _ => return None,
            },
            None => return Some(format!("{y:04}-QX")),
        },
    };
    Some(TimexDate::Quarter(y, q).to_string())
}

fn n_the_unit_plain(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let uw = c.low("u")?;
    if matches!(x.next.as_str(), "ended" | "ending" | "through" | "to") && uw == "year" {
        return Some("P1Y".into());
    }
    let un = unit(&uw)?;
    let base = match un {
        Unit::Day => x.last_day.or(x.dct).map(TimexDate::Day),
        _ => match x.last.and_then(value::anchor_day) {
            Some(d) if x.dct.is_none_or(|t| (t - d).num_days().abs() < 400) => {
                Some(truncate(d, un))
            }
            _ => x.dct.map(|d| truncate(d, un)),
        },
    };
    Some(match base {
        Some(p) => p.to_string(),
        None => underspecified(un).to_string(),
    })
}

fn n_weekend(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let text = c.all().to_ascii_lowercase();
    let Some(dct) = x.dct else {
        return Some("XXXX-WXX-WE".into());
    };
    let wd = dct.weekday().number_from_monday();
    let future = text.contains("next") || text.contains("coming") || x.tense == Tense::Future;
    let past = text.starts_with("last") || text.contains("past");
    let d = if wd >= 6 {
        dct
    } else if future && !past {
        value::add_days(dct, 7)?
    } else {
        value::add_days(dct, -7)?
    };
    match week_of(d) {
        TimexDate::Week(y, w) => Some(TimexDate::Weekend(y, w).to_string()),
        _ => None,
    }
}

fn n_in_the_part(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let p = part_of_day(c.get("p")?)?;
    Some(match x.last_day.or(x.dct) {
        Some(d) => format!("{}T{p}", TimexDate::Day(d)),
        None => format!("XXXX-XX-XXT{p}"),
    })
}

/// "mid-afternoon", "mid-morning yesterday".
fn n_mid_part(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let p = part_of_day(c.get("p")?)?;
    if c.get("day").is_none() {
        return n_in_the_part(c, x);
    }
    Some(format!("{}T{p}", day_for(c.low("day"), x)?))
}

fn n_earlier_in_the(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let un = unit(c.get("u")?)?;
    let base = match un {
        Unit::Day => x.last_day.or(x.dct),
        _ => x.dct,
    };
    Some(match base {
        Some(d) => truncate(d, un).to_string(),
        None => underspecified(un).to_string(),
    })
}

fn n_spelled_year(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let cent = match c.low("c")?.as_str() {
        "nineteen" => 19,
        _ => 20,
    };
    let n = c.low("n")?;
    let n = n
        .strip_prefix("oh")
        .map_or(n.as_str(), |r| r.trim_start_matches(['-', ' ']));
    let v = match quantity(n)? {
        Quantity::Exact(v) if (1.0..100.0).contains(&v) => v as i32,
        _ => return None,
    };
    let y = cent * 100 + v;
    if let Some(m) = c.get("m").and_then(month_num) {
        return Some(TimexDate::Month(y, m).to_string());
    }
    if let Some(season) = c.low("s") {
        return Some(TimexDate::Season(y, season_of(&season)).to_string());
    }
    Some(format!("{y}"))
}

fn n_two_thousand(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let v = match c.get("n") {
        Some(n) => match quantity(n)? {
            Quantity::Exact(v) => v as i32,
            Quantity::Vague => return None,
        },
        None => 0,
    };
    Some(format!("{}", 2000 + v))
}

fn n_half(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let o = c.low("o")?;
    // "the last half" of something other than a year is not a calendar half
    if o == "last" && c.get("y").is_none() {
        return None;
    }
    let h = match o.as_str() {
        "first" | "1st" => 1,
        _ => 2,
    };
    let y = match c.get("y") {
        Some(y) => year4(y, x.dct)?,
        None => match x.last {
            Some(p) if p.year().is_some() => p.year()?,
            _ => x.dct?.year(),
        },
    };
    Some(TimexDate::Half(y, h).to_string())
}

fn season_of(w: &str) -> Season {
    match w {
        "spring" => Season::Spring,
        "summer" => Season::Summer,
        "fall" | "autumn" => Season::Fall,
        _ => Season::Winter,
    }
}

fn n_season(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let word = c.low("s")?;
    let s = season_of(&word);
    let rel = c.low("rel").unwrap_or_default();
    if word == "fall" && rel.is_empty() && c.get("y").is_none() {
        return None; // "fall" alone is usually the verb or noun ("autumn" is not)
    }
    if let Some(y) = c.get("y") {
        return Some(TimexDate::Season(year4(y, x.dct)?, s).to_string());
    }
    let Some(dct) = x.dct else {
        return Some(format!("XXXX-{}", s.code()));
    };
    // seasons in order: a winter belongs to the year it starts in (December)
    let ord = |s: Season| s as i32;
    let cur = Season::of_month(dct.month());
    let cur_year = if dct.month() <= 2 {
        dct.year() - 1
    } else {
        dct.year()
    };
    let cur_idx = cur_year * 4 + ord(cur);
    let same_year = cur_year * 4 + ord(s);
    let y = match rel.as_str() {
        "last" | "past" | "this past" => (cur_idx - 1 - ord(s)).div_euclid(4),
        "next" | "coming" => (cur_idx + 1 - ord(s) + 3).div_euclid(4),
        "this" => dct.year(),
        _ => match x.tense {
            Tense::Past if same_year > cur_idx => cur_year - 1,
            Tense::Future if same_year < cur_idx => cur_year + 1,
            _ => dct.year(),
        },
    };
    Some(TimexDate::Season(y, s).to_string())
}

fn resolve_weekday(dct: NaiveDate, wd: Weekday, rel: &str, tense: Tense) -> Option<NaiveDate> {
    match rel {
        "last" | "past" | "this past" => weekday_on_or_before(dct, wd, true),
        "next" | "coming" | "this coming" => weekday_on_or_after(dct, wd, true),
        "this" => {
            if tense == Tense::Past {
                weekday_on_or_before(dct, wd, false)
            } else {
                weekday_on_or_after(dct, wd, false)
            }
        }
        _ => match tense {
            Tense::Future => weekday_on_or_after(dct, wd, false),
            _ => weekday_on_or_before(dct, wd, false),
        },
    }
}

fn part_suffix(p: Option<&str>) -> Option<&'static str> {
    p.and_then(part_of_day)
}

fn n_weekday(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let wd = weekday(c.get("wd")?)?;
    let rel = c.low("rel").unwrap_or_default();
    let part = part_suffix(c.get("p"));
    let day = match x.dct {
        Some(dct) => {
            match rel.as_str() {
                // "the previous Friday", "the following Monday": relative to
                // the day the narrative is on
                "previous" => {
                    TimexDate::Day(weekday_on_or_before(x.last_day.unwrap_or(dct), wd, true)?)
                }
                "following" => {
                    TimexDate::Day(weekday_on_or_after(x.last_day.unwrap_or(dct), wd, true)?)
                }
                _ => TimexDate::Day(resolve_weekday(dct, wd, &rel, x.tense)?),
            }
            .to_string()
        }
        None => format!("XXXX-WXX-{}", wd.number_from_monday()),
    };
    Some(match part {
        Some(p) => format!("{day}T{p}"),
        None => day,
    })
}

fn n_deictic(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let w = c.low("w")?;
    let (off, implied) = match w.as_str() {
        "today" => (0, None),
        "tonight" => (0, Some("NI")),
        "tomorrow" => (1, None),
        "yesterday" => (-1, None),
        "the day before yesterday" => (-2, None),
        "the day after tomorrow" => (2, None),
        _ => return None,
    };
    let part = part_suffix(c.get("p")).or(implied);
    let day = match x.dct {
        Some(d) => TimexDate::Day(value::add_days(d, off)?).to_string(),
        None => "XXXX-XX-XX".to_string(),
    };
    Some(match part {
        Some(p) => format!("{day}T{p}"),
        None => day,
    })
}

fn n_this_part(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let rel = c.low("rel")?;
    let p = part_of_day(c.get("p")?)?;
    let day = match rel.as_str() {
        "this" => x.dct,
        "last" => match x.dct {
            Some(d) if p == "NI" || p == "EV" => Some(value::add_days(d, -1)?),
            d => d,
        },
        _ => x.last_day.or(x.dct),
    };
    Some(match day {
        Some(d) => format!("{}T{p}", TimexDate::Day(d)),
        None => format!("XXXX-XX-XXT{p}"),
    })
}

fn unit_of(s: &str) -> Option<Unit> {
    match s {
        "fiscal year" | "calendar year" | "school year" => Some(Unit::Year),
        "weekend" => Some(Unit::Week),
        s => unit(s),
    }
}

fn n_rel_unit(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let rel = c.low("rel")?;
    let uword = c.low("u")?;
    let un = unit_of(&uword)?;
    let weekend = uword == "weekend";
    let off: i64 = match rel.as_str() {
        "this" | "current" | "present" => 0,
        "last" | "past" | "previous" | "preceding" | "this past" => -1,
        "next" | "coming" | "following" | "upcoming" | "this coming" => 1,
        "same" => return x.last.map(|p| p.to_string()),
        _ => return None,
    };
    // "the past decade", "the next century": a span of that length
    if matches!(un, Unit::Decade | Unit::Century) && off != 0 && rel != "last" {
        return Some(duration_value(Quantity::Exact(1.0), un));
    }
    let Some(dct) = x.dct else {
        return Some(if weekend {
            "XXXX-WXX-WE".to_string()
        } else {
            underspecified(un).to_string()
        });
    };
    // "the past year" in a sentence about a span is the twelve months up to now;
    // TIMEX3 annotators still give the previous calendar unit, as we do.
    let base = truncate(dct, un);
    let p = shift_point(base, off, un)?;
    Some(match (weekend, p) {
        (true, TimexDate::Week(y, w)) => TimexDate::Weekend(y, w).to_string(),
        _ => p.to_string(),
    })
}

fn n_rel_adj(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let un = unit(&c.low("rel")?)?;
    let dct = x.dct?;
    // "year-earlier quarter": the period under discussion a year before
    let base = match (un, c.low("u").as_deref(), x.last_quarter) {
        (Unit::Year, Some("quarter") | Some("period") | None, Some(q))
            if (q.year() == Some(dct.year()) || q.year() == Some(dct.year() - 1))
                && (c.get("u").is_some() || !compares_long_period(x)) =>
        {
            q
        }
        _ => truncate(dct, un),
    };
    shift_point(base, -1, un).map(|p| p.to_string())
}

/// "the same period last year", "the quarter a year ago": the period under
/// discussion (the last quarter or month mentioned, else the latest
/// completed quarter), one year back.
fn n_same_period_year_ago(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let uw = c.low("u").or(c.low("q"))?;
    let Some(dct) = x.dct else {
        return Some(
            match uw.as_str() {
                "month" => "XXXX-XX",
                "week" => "XXXX-WXX",
                _ => "XXXX-QX",
            }
            .to_string(),
        );
    };
    let latest_done = shift_point(truncate(dct, Unit::Quarter), -1, Unit::Quarter)?;
    let recent =
        |p: TimexDate| value::anchor_day(p).is_some_and(|d| (dct - d).num_days().abs() < 400);
    let base = match (uw.as_str(), x.last) {
        ("month", Some(p @ TimexDate::Month(..))) if recent(p) => p,
        ("month", _) => truncate(dct, Unit::Month),
        ("week", Some(p @ TimexDate::Week(..))) if recent(p) => p,
        ("week", _) => week_of(dct),
        (
            "period",
            Some(p @ (TimexDate::Month(..) | TimexDate::Quarter(..) | TimexDate::Half(..))),
        ) if recent(p) => p,
        _ => x.last_quarter.filter(|p| recent(*p)).unwrap_or(latest_done),
    };
    shift_point(base, -1, Unit::Year).map(|p| p.to_string())
}

fn signed_amount(q: Quantity) -> Option<i64> {
    match q {
        Quantity::Exact(v) if v.fract() == 0.0 => Some(v as i64),
        _ => None,
    }
}

fn n_ago(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let un = unit(c.get("u")?)?;
    let n = quantity(c.get("n")?)?;
    let dir = c.low("dir")?;
    let sign: i64 = match dir.as_str() {
        "ago" | "earlier" | "back" => -1,
        _ => 1,
    };
    let from_now = matches!(dir.as_str(), "ago" | "from now" | "hence" | "back");
    let anchor = if from_now {
        x.dct
    } else {
        x.last_day.or(x.dct)
    };
    let Some(anchor) = anchor else {
        return Some(underspecified(un).to_string());
    };
    let Some(k) = signed_amount(n) else {
        // "several years ago": somewhen before (or after) the anchor
        return Some(if sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.to_string());
    };
    // "a year earlier" after a quarter: the same quarter a year before
    // (unless the sentence compares a longer period: "the first nine months")
    if un == Unit::Year
        && !compares_long_period(x)
        && let Some(dct) = x.dct
        && let Some(q @ TimexDate::Quarter(qy, _)) = x.last_quarter
        && (qy == dct.year() || qy + 1 == dct.year() && dct.month() <= 3)
    {
        return shift_point(q, sign.checked_mul(k).or_else(give_up)?, Unit::Year)
            .map(|p| p.to_string());
    }
    let moved = shift_day(anchor, sign.checked_mul(k).or_else(give_up)?, un)?;
    // "a week ago", "two weeks later": that many days, a day
    if un == Unit::Week && k <= 2 {
        return Some(TimexDate::Day(moved).to_string());
    }
    Some(truncate(moved, un).to_string())
}

/// True when the sentence has just named a period of half a year or more
/// ("the first nine months", "the year", "1989"), so that "a year earlier"
/// compares years, not quarters.
fn compares_long_period(x: &Ctx) -> bool {
    let Some(v) = x.prev_in_sentence.as_deref() else {
        return false;
    };
    if let Some(m) = v.strip_prefix('P').and_then(|r| r.strip_suffix('M')) {
        return m.parse::<u32>().is_ok_and(|n| n >= 6);
    }
    v.starts_with("P") && v.ends_with('Y')
        || matches!(
            TimexDate::parse(v),
            Some(TimexDate::Year(_) | TimexDate::Half(..))
        )
}

fn n_ago_bare(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    Some(
        match c.low("dir")?.as_str() {
            "later" => "FUTURE_REF",
            _ => "PAST_REF",
        }
        .to_string(),
    )
}

fn n_anaphoric(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let rel = c.low("rel")?;
    let uw = c.low("u")?;
    let part = part_of_day(&uw);
    let un = if part.is_some() {
        Unit::Day
    } else if uw == "weekend" {
        Unit::Week
    } else {
        unit(&uw)?
    };
    let off: i64 = match rel.as_str() {
        "next" | "following" => 1,
        "previous" | "preceding" | "prior" => -1,
        "same" | "that" => 0,
        _ => return None,
    };
    let anchor = match un {
        Unit::Day => x.last_day.or(x.dct),
        _ => x.last.and_then(value::anchor_day).or(x.last_day).or(x.dct),
    };
    let Some(anchor) = anchor else {
        return Some(underspecified(un).to_string());
    };
    // "next week"-style deixis ("the next day" is anaphoric, "next month" is not)
    let moved = shift_day(anchor, off, un)?;
    let p = truncate(moved, un);
    let v = match (uw.as_str(), p) {
        ("weekend", TimexDate::Week(y, w)) => TimexDate::Weekend(y, w).to_string(),
        _ => p.to_string(),
    };
    Some(match part {
        Some(pc) if uw != "day" => format!("{v}T{pc}"),
        _ => v,
    })
}

fn n_day_before(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let un = unit(&c.low("u")?)?;
    let off = match c.low("rel")?.as_str() {
        "before" | "earlier" => -1,
        _ => 1,
    };
    let anchor = x.last_day.or(x.dct)?;
    Some(truncate(shift_day(anchor, off, un)?, un).to_string())
}

fn n_vague_ref(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    // "recent weeks", "the coming months": an unspecified number of units
    Some(duration_value(
        Quantity::Vague,
        unit(c.get("u").or(c.get("u2"))?)?,
    ))
}

/// `P{n}{unit}` for a quantity of units.
pub(crate) fn duration_value(n: Quantity, un: Unit) -> String {
    let (code, mult, time) = un.duration_code();
    let t = if time { "T" } else { "" };
    match n {
        Quantity::Vague => {
            let code = match un {
                Unit::Decade => "DE",
                Unit::Century => "CE",
                _ => code,
            };
            format!("P{t}X{code}")
        }
        Quantity::Exact(v) => {
            let v = v * f64::from(mult);
            if v.fract() == 0.0 {
                return format!("P{t}{}{code}", v as i64);
            }
            // a fraction goes to the next smaller unit: 2 1/2 years = P2Y6M
            let whole = v.trunc() as i64;
            let (small, per, small_time) = match un {
                Unit::Year | Unit::Decade | Unit::Century => ("M", 12.0, false),
                Unit::Quarter => ("M", 3.0, false),
                Unit::Month => ("D", 30.0, false),
                Unit::Week => ("D", 7.0, false),
                Unit::Day => ("H", 24.0, true),
                Unit::Hour => ("M", 60.0, true),
                Unit::Minute | Unit::Second => ("S", 60.0, true),
            };
            let rest = (v.fract() * per).round() as i64;
            let head = if whole > 0 {
                format!("{whole}{code}")
            } else {
                String::new()
            };
            match (time, small_time) {
                (false, true) => format!("P{head}T{rest}{small}"),
                (true, _) => format!("PT{head}{rest}{small}"),
                (false, false) => format!("P{head}{rest}{small}"),
            }
        }
    }
}

fn n_duration(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let mut n = quantity(c.get("n")?)?;
    let uw = c.low("u")?;
    if uw.starts_with("fortnight") {
        n = match n {
            Quantity::Exact(v) => Quantity::Exact(2.0 * v),
            q => q,
        };
    }
    let un = unit(&uw).or(uw.starts_with("fortnight").then_some(Unit::Week))?;
    // "the quarter" style singular without a number is handled elsewhere;
    // "a second" is often the ordinal ("a second time")
    if uw == "second" && matches!(c.low("n").as_deref(), Some("a") | Some("an")) {
        return None;
    }
    Some(duration_value(n, un))
}

fn n_duration_vague(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let uw = c.low("u")?;
    let un = unit(&uw)?;
    if uw.ends_with('s') || uw.ends_with("ies") {
        Some(duration_value(Quantity::Vague, un))
    } else {
        Some(duration_value(Quantity::Exact(1.0), un))
    }
}

/// "over the years", "in the years that followed": an unspecified number of
/// units. "The weeks before the shooting" is a period tied to an event, with
/// no value we can compute: not tagged.
fn n_the_units(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    if matches!(x.next.as_str(), "before" | "after" | "leading") {
        return None;
    }
    n_duration_vague(c, x)
}

fn n_the_unit(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let p = c.low("p")?;
    let uw = c.low("u")?;
    match (p.as_str(), uw.as_str()) {
        ("same", _) => x.last.map(|p| p.to_string()),
        // the year under discussion: a recently mentioned one, else the article's
        ("full" | "entire" | "whole", "year") => match (x.last.and_then(TimexDate::year), x.dct) {
            (Some(y), Some(d)) if (y - d.year()).abs() <= 1 => Some(y.to_string()),
            (Some(y), None) => Some(y.to_string()),
            (_, d) => d.map(|d| d.year().to_string()),
        },
        ("full" | "entire" | "whole", "month") => Some("P1M".into()),
        ("full" | "entire" | "whole", "week") => Some("P1W".into()),
        ("full" | "entire" | "whole", "quarter") => Some("P3M".into()),
        ("fiscal" | "calendar", "year") => x.dct.map(|d| d.year().to_string()),
        _ => None,
    }
}

fn n_every(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let uw = c.low("u")?;
    let k: u32 = match c.low("n").as_deref() {
        Some("other") => 2,
        Some(n) => match quantity(n)? {
            Quantity::Exact(v) if v >= 1.0 => v as u32,
            _ => return None,
        },
        None => 1,
    };
    if let Some(wd) = weekday(&uw).filter(|_| uw.ends_with("day") && uw.len() > 5) {
        return Some(format!("XXXX-WXX-{}", wd.number_from_monday()));
    }
    if let Some(p) = part_of_day(&uw) {
        return Some(format!("XXXX-XX-XXT{p}"));
    }
    if let Some(m) = c.get("u").filter(|w| w.len() > 3).and_then(month_num) {
        return Some(format!("XXXX-{m:02}"));
    }
    match uw.as_str() {
        "spring" => return Some("XXXX-SP".into()),
        "summer" => return Some("XXXX-SU".into()),
        "fall" | "autumn" => return Some("XXXX-FA".into()),
        "winter" => return Some("XXXX-WI".into()),
        "season" => return Some("P3M".into()),
        _ => {}
    }
    let un = unit(&uw)?;
    Some(duration_value(Quantity::Exact(f64::from(k)), un))
}

fn n_times_per(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let un = unit(c.get("u")?)?;
    Some(duration_value(Quantity::Exact(1.0), un))
}

fn n_weekday_set(c: &Caps<'_>, _: &Ctx) -> Option<String> {
    let wd = weekday(c.get("wd")?)?;
    // "Tuesday nights": every Tuesday night
    let part = c
        .low("p")
        .and_then(|p| part_of_day(p.trim_end_matches('s')))
        .map(|p| format!("T{p}"))
        .unwrap_or_default();
    Some(format!("XXXX-WXX-{}{part}", wd.number_from_monday()))
}

fn day_for(word: Option<String>, x: &Ctx) -> Option<String> {
    let Some(dct) = x.dct else {
        return Some("XXXX-XX-XX".into());
    };
    let d = match word.as_deref() {
        None => x.last_day.unwrap_or(dct),
        Some("today") => dct,
        Some("yesterday") => value::add_days(dct, -1)?,
        Some("tomorrow") => value::add_days(dct, 1)?,
        Some(w) => resolve_weekday(dct, weekday(w)?, "", x.tense)?,
    };
    Some(TimexDate::Day(d).to_string())
}

fn n_clock(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let mut h = match c.get("h") {
        Some(h) if h.chars().all(|ch| ch.is_ascii_digit()) => u(Some(h))?,
        Some(h) => match quantity(h)? {
            Quantity::Exact(v) if (1.0..=12.0).contains(&v) => v as u32,
            _ => return None,
        },
        None => return None,
    };
    let m = u(c.get("m")).unwrap_or(0);
    if let Some(ap) = c.low("ap") {
        let pm =
            ap.starts_with('p') || ap == "afternoon" || ap == "evening" || ap == "night" && h >= 6;
        if h == 12 {
            h = if pm { 12 } else { 0 };
        } else if pm {
            h += 12;
        }
    }
    if h > 23 {
        return None;
    }
    let day = match (c.get("mo").and_then(month_num), u(c.get("dd"))) {
        (Some(mo), Some(dd)) => match x.dct {
            Some(dct) => date_value(infer_year(dct, mo, Some(dd), x.tense, None), mo, dd)?,
            None => format!("XXXX-{mo:02}-{dd:02}"),
        },
        _ => day_for(c.low("day"), x)?,
    };
    let z = match c.get("tz") {
        Some("UTC") | Some("GMT") => "Z",
        _ => "",
    };
    Some(format!("{day}T{h:02}:{m:02}{z}"))
}

fn n_clock_word(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let t = match c.low("w")?.as_str() {
        "midnight" => "24:00",
        _ => "12:00",
    };
    let day = day_for(c.low("day"), x)?;
    Some(format!("{day}T{t}"))
}

/// Easter Sunday (anonymous Gregorian computus).
fn easter(y: i32) -> Option<NaiveDate> {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(y, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

fn nth_weekday(y: i32, m: u32, wd: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(y, m, wd, n)
}

fn last_weekday(y: i32, m: u32, wd: Weekday) -> Option<NaiveDate> {
    nth_weekday(y, m, wd, 5).or_else(|| nth_weekday(y, m, wd, 4))
}

fn n_holiday(c: &Caps<'_>, x: &Ctx) -> Option<String> {
    let hol = c.low("hol")?;
    let day_in = |y: i32| -> Option<NaiveDate> {
        match hol.as_str() {
            "christmas eve" => NaiveDate::from_ymd_opt(y, 12, 24),
            "christmas" | "christmas day" => NaiveDate::from_ymd_opt(y, 12, 25),
            "new year's eve" => NaiveDate::from_ymd_opt(y, 12, 31),
            "new year's day" | "new year" => NaiveDate::from_ymd_opt(y, 1, 1),
            "independence day" => NaiveDate::from_ymd_opt(y, 7, 4),
            "thanksgiving" | "thanksgiving day" => nth_weekday(y, 11, Weekday::Thu, 4),
            "halloween" => NaiveDate::from_ymd_opt(y, 10, 31),
            "valentine's day" => NaiveDate::from_ymd_opt(y, 2, 14),
            "easter" | "easter sunday" => easter(y),
            "labor day" => nth_weekday(y, 9, Weekday::Mon, 1),
            "memorial day" => last_weekday(y, 5, Weekday::Mon),
            "boxing day" => NaiveDate::from_ymd_opt(y, 12, 26),
            "may day" => NaiveDate::from_ymd_opt(y, 5, 1),
            // US federal elections: the Tuesday after the first Monday of November
            "election day" => nth_weekday(y, 11, Weekday::Mon, 1).and_then(|d| d.succ_opt()),
            _ => None,
        }
    };
    let Some(dct) = x.dct else {
        return day_in(2001).map(|d| format!("XXXX-{:02}-{:02}", d.month(), d.day()));
    };
    let this = day_in(dct.year())?;
    let rel = c.low("rel").unwrap_or_default();
    let d = match rel.as_str() {
        "last" => {
            if this < dct {
                this
            } else {
                day_in(dct.year() - 1)?
            }
        }
        "next" => {
            if this > dct {
                this
            } else {
                day_in(dct.year() + 1)?
            }
        }
        _ => {
            // the nearest occurrence; a past clause excludes ones well ahead, a future one past ones
            let mut best: Option<(i64, NaiveDate)> = None;
            for y in [dct.year() - 1, dct.year(), dct.year() + 1] {
                let Some(d) = day_in(y) else { continue };
                let dist = (d - dct).num_days();
                let ok = match x.tense {
                    Tense::Past => dist <= 7,
                    Tense::Future => dist >= 0,
                    _ => true,
                };
                if ok && best.is_none_or(|(b, _)| dist.abs() < b) {
                    best = Some((dist.abs(), d));
                }
            }
            best.map_or(this, |(_, d)| d)
        }
    };
    Some(TimexDate::Day(d).to_string())
}

/// Resolves a phrase value (`DCT-Y` is the article year).
pub(crate) fn phrase_value(p: &Phrase, dct: Option<NaiveDate>) -> String {
    match p.value {
        "DCT-Y" => dct.map_or_else(|| "XXXX".to_string(), |d| d.year().to_string()),
        v => v.to_string(),
    }
}

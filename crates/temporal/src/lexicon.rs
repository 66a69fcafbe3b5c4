//! "What does this word mean in time?": the word tables the rules share
//! (months, weekdays, number words, units, ordinals, parts of day) as regex
//! macros and as lookup functions.

use crate::value::Unit;
use chrono::Weekday;

/// Regex macros: `{NAME}` in a rule pattern expands to the text here.
/// Alternatives are listed longest first (the regex engine prefers the first).
pub(crate) const MACROS: &[(&str, &str)] = &[
    (
        "MONTHFULL",
        "(?-i:January|February|March|April|May|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)",
    ),
    (
        "MONTH",
        "(?-i:January|February|March|April|May|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|Sept\\.?|Jan\\.?|Feb\\.?|Mar\\.|Apr\\.?|Jun\\.|Jul\\.|Aug\\.?|Sep\\.?|Oct\\.?|Nov\\.?|Dec\\.?)",
    ),
    ("DAY", "(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"),
    ("YEAR", "(?:1[5-9][0-9][0-9]|20[0-9][0-9])"),
    (
        "WEEKDAY",
        "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    ),
    (
        "NUMWORD",
        "(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|a hundred|hundred|a dozen|dozen|a couple of|couple of|a couple|a few|few|several|some|many|a half|half an?|an?)",
    ),
    (
        "NUMEXACT",
        "(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten)",
    ),
    (
        "NUMDIG",
        "(?:[0-9]{1,3}(?:,[0-9]{3})*(?:\\.[0-9]+)?(?: [0-9]/[0-9])?)",
    ),
    (
        "UNIT",
        "(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|century|centuries|millenni(?:um|a))",
    ),
    (
        "UNITSG",
        "(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|century)",
    ),
    ("PART", "(?:morning|afternoon|evening|night|overnight)"),
    ("SEASON", "(?:spring|summer|fall|autumn|winter)"),
    (
        "APPROX",
        "(?:(?:about|around|nearly|almost|more than|less than|at least|at most|roughly|approximately|some|up to|just|only|fewer than|under|well over|no more than|not quite|a little over|a little more than|the better part of|upwards of) )",
    ),
    (
        "REL",
        "(?:this|last|next|past|coming|current|present|upcoming|same|recent)",
    ),
    (
        "EDGE",
        "(?:(?:the )?(?:end|beginning|start|middle|turn|close|rest|remainder|latter part|early part) of (?:the )?|(?:the )?(?:early|late|mid|earlier|later)[- ]|mid-)",
    ),
    (
        "ORD",
        "(?:first|second|third|fourth|1st|2nd|3rd|4th|final|last)",
    ),
    (
        "ORDANY",
        "(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first|[0-9]{1,2}(?:st|nd|rd|th))",
    ),
];

/// Month number from a month word or abbreviation.
pub(crate) fn month_num(s: &str) -> Option<u32> {
    let l = s.trim_end_matches('.').to_ascii_lowercase();
    let k = l.get(..3)?;
    Some(match k {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

/// Weekday from its name.
pub(crate) fn weekday(s: &str) -> Option<Weekday> {
    let l = s.to_ascii_lowercase();
    Some(match l.get(..3)? {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// A quantity: exact, or vague ("several", "a few").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Quantity {
    Exact(f64),
    Vague,
}

/// Reads a number written in digits or words.
pub(crate) fn quantity(s: &str) -> Option<Quantity> {
    let l = s.trim().to_ascii_lowercase();
    if l.is_empty() {
        return None;
    }
    if let Some((whole, frac)) = l.split_once(' ')
        && let (Ok(w), Some((a, b))) = (whole.parse::<f64>(), frac.split_once('/'))
        && let (Ok(a), Ok(b)) = (a.parse::<f64>(), b.parse::<f64>())
        && b > 0.0
    {
        return Some(Quantity::Exact(w + a / b));
    }
    if let Ok(v) = l.replace(',', "").parse::<f64>() {
        return Some(Quantity::Exact(v));
    }
    match l.as_str() {
        "a" | "an" => return Some(Quantity::Exact(1.0)),
        "a couple of" | "couple of" | "a couple" => return Some(Quantity::Exact(2.0)),
        "a few" | "few" | "several" | "some" | "many" | "numerous" => {
            return Some(Quantity::Vague);
        }
        "a dozen" | "dozen" => return Some(Quantity::Exact(12.0)),
        "a hundred" | "hundred" => return Some(Quantity::Exact(100.0)),
        "a half" | "half a" | "half an" => return Some(Quantity::Exact(0.5)),
        _ => {}
    }
    let mut total = 0.0;
    for part in l.split(['-', ' ']) {
        total += match part {
            "one" => 1.0,
            "two" => 2.0,
            "three" => 3.0,
            "four" => 4.0,
            "five" => 5.0,
            "six" => 6.0,
            "seven" => 7.0,
            "eight" => 8.0,
            "nine" => 9.0,
            "ten" => 10.0,
            "eleven" => 11.0,
            "twelve" => 12.0,
            "thirteen" => 13.0,
            "fourteen" => 14.0,
            "fifteen" => 15.0,
            "sixteen" => 16.0,
            "seventeen" => 17.0,
            "eighteen" => 18.0,
            "nineteen" => 19.0,
            "twenty" => 20.0,
            "thirty" => 30.0,
            "forty" => 40.0,
            "fifty" => 50.0,
            "sixty" => 60.0,
            "seventy" => 70.0,
            "eighty" => 80.0,
            "ninety" => 90.0,
            _ => return None,
        };
    }
    Some(Quantity::Exact(total))
}

/// Unit from a unit word (singular or plural).
pub(crate) fn unit(s: &str) -> Option<Unit> {
    let l = s.to_ascii_lowercase();
    let l = l.as_str();
    Some(if l.starts_with("sec") {
        Unit::Second
    } else if l.starts_with("min") {
        Unit::Minute
    } else if l.starts_with("hour") {
        Unit::Hour
    } else if l.starts_with("day") || l.starts_with("night") {
        Unit::Day
    } else if l.starts_with("week") {
        Unit::Week
    } else if l.starts_with("fortnight") {
        return None;
    } else if l.starts_with("month") {
        Unit::Month
    } else if l.starts_with("quarter") {
        Unit::Quarter
    } else if l.starts_with("year") {
        Unit::Year
    } else if l.starts_with("decade") {
        Unit::Decade
    } else if l.starts_with("centur") {
        Unit::Century
    } else {
        return None;
    })
}

/// Ordinal number from a word or digits with a suffix ("third", "21st").
pub(crate) fn ordinal(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    let digits: String = l.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    const ORD: &[&str] = &[
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "twenty-first",
    ];
    ORD.iter()
        .position(|o| *o == l)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// TIMEX3 part-of-day code.
pub(crate) fn part_of_day(s: &str) -> Option<&'static str> {
    Some(match s.to_ascii_lowercase().as_str() {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        "night" | "overnight" | "tonight" => "NI",
        "noon" | "midday" => "MI",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_as_numbers() {
        assert_eq!(quantity("twenty-five"), Some(Quantity::Exact(25.0)));
        assert_eq!(quantity("a"), Some(Quantity::Exact(1.0)));
        assert_eq!(quantity("several"), Some(Quantity::Vague));
        assert_eq!(quantity("2 1/2"), Some(Quantity::Exact(2.5)));
        assert_eq!(month_num("Sept."), Some(9));
        assert_eq!(ordinal("21st"), Some(21));
        assert_eq!(ordinal("third"), Some(3));
    }
}

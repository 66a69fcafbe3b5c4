//! Table-driven cases written from general English: (sentence, article date,
//! expected span text, expected type, expected TIMEX3 value). The article
//! date of most cases is Monday 2 December 2024 (ISO week 2024-W49).

use chrono::NaiveDate;
use model::TimexType::{self, Date as D, Duration as DU, Set as S, Time as T};
use temporal::TimexTagger;

const MON: &str = "2024-12-02";

/// (sentence, article date or "", expected span, type, value)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    TimexType,
    &'static str,
);

const CASES: &[Case] = &[
    // ---- explicit dates ----
    (
        "The talks opened on 2nd Dec, 2024 in Doha.",
        MON,
        "2nd Dec, 2024",
        D,
        "2024-12-02",
    ),
    (
        "The ceasefire began on December 2, 2024.",
        MON,
        "December 2, 2024",
        D,
        "2024-12-02",
    ),
    (
        "The report is dated 2024-12-02.",
        MON,
        "2024-12-02",
        D,
        "2024-12-02",
    ),
    (
        "He was born on 14 July 1961 in Lyon.",
        MON,
        "14 July 1961",
        D,
        "1961-07-14",
    ),
    (
        "The treaty of 3 March 1918 ended the war.",
        "",
        "3 March 1918",
        D,
        "1918-03-03",
    ),
    (
        "Voting took place on Nov. 5, 2024.",
        MON,
        "Nov. 5, 2024",
        D,
        "2024-11-05",
    ),
    (
        "Elections were held on Sunday, Nov. 24, 2024.",
        MON,
        "Sunday, Nov. 24, 2024",
        D,
        "2024-11-24",
    ),
    (
        "The letter was sent on 25/12/2023.",
        MON,
        "25/12/2023",
        D,
        "2023-12-25",
    ),
    (
        "The letter was sent on 12/25/2023.",
        MON,
        "12/25/2023",
        D,
        "2023-12-25",
    ),
    (
        "The form was signed on 12/02/2024.",
        MON,
        "12/02/2024",
        D,
        "2024-XX-XX",
    ),
    (
        "It was filed on 03/03/2021.",
        MON,
        "03/03/2021",
        D,
        "2021-03-03",
    ),
    (
        "The summit opened on 2 December 2024.",
        MON,
        "2 December 2024",
        D,
        "2024-12-02",
    ),
    (
        "The agreement of 20240115 was published.",
        MON,
        "20240115",
        D,
        "2024-01-15",
    ),
    (
        "The minister arrived on the 5th of November, 2024.",
        MON,
        "the 5th of November, 2024",
        D,
        "2024-11-05",
    ),
    (
        "The summit is planned for Dec. 12.",
        MON,
        "Dec. 12",
        D,
        "2024-12-12",
    ),
    (
        "The ministers met on Dec. 2.",
        MON,
        "Dec. 2",
        D,
        "2024-12-02",
    ),
    (
        "The bill passed on November 28.",
        MON,
        "November 28",
        D,
        "2024-11-28",
    ),
    (
        "Parliament will vote on January 15.",
        MON,
        "January 15",
        D,
        "2025-01-15",
    ),
    (
        "The talks will resume on Jan. 8.",
        MON,
        "Jan. 8",
        D,
        "2025-01-08",
    ),
    (
        "Protests broke out on October 7.",
        MON,
        "October 7",
        D,
        "2024-10-07",
    ),
    (
        "The deal was struck on 30 November.",
        MON,
        "30 November",
        D,
        "2024-11-30",
    ),
    (
        "Without a date, March 3 stays open.",
        "",
        "March 3",
        D,
        "XXXX-03-03",
    ),
    // ---- months and years ----
    (
        "Inflation rose in October 2024.",
        MON,
        "October 2024",
        D,
        "2024-10",
    ),
    ("Prices fell in March.", MON, "March", D, "2024-03"),
    (
        "The vote is due in February.",
        MON,
        "February",
        D,
        "2025-02",
    ),
    (
        "Talks stalled in late November.",
        MON,
        "late November",
        D,
        "2024-11",
    ),
    (
        "The plan was drafted in mid-September.",
        MON,
        "mid-September",
        D,
        "2024-09",
    ),
    (
        "The army withdrew in early 2015.",
        MON,
        "early 2015",
        D,
        "2015",
    ),
    ("The company has grown since 2020.", MON, "2020", D, "2020"),
    ("The mine closed in 2015.", MON, "2015", D, "2015"),
    (
        "The region prospered in the 1990s.",
        MON,
        "the 1990s",
        D,
        "199",
    ),
    (
        "The movement began in the late 1960s.",
        MON,
        "the late 1960s",
        D,
        "196",
    ),
    ("Music of the '80s is back.", MON, "the '80s", D, "198"),
    (
        "Violence peaked in the nineties.",
        MON,
        "the nineties",
        D,
        "199",
    ),
    (
        "The war shaped the 20th century.",
        MON,
        "the 20th century",
        D,
        "19",
    ),
    ("He was elected last May.", MON, "last May", D, "2024-05"),
    (
        "Elections are due next April.",
        MON,
        "next April",
        D,
        "2025-04",
    ),
    (
        "The law took effect in January this year.",
        MON,
        "January this year",
        D,
        "2024-01",
    ),
    (
        "Exports slowed in June last year.",
        MON,
        "June last year",
        D,
        "2023-06",
    ),
    (
        "In nineteen ninety-six the plant opened.",
        MON,
        "nineteen ninety-six",
        D,
        "1996",
    ),
    (
        "The bridge will open by the year two thousand and thirty.",
        MON,
        "the year two thousand",
        D,
        "2000",
    ),
    (
        "Sales in fiscal 2023 were weak.",
        MON,
        "fiscal 2023",
        D,
        "2023",
    ),
    ("Unemployment fell in May.", MON, "May", D, "2024-05"),
    // ---- weekdays by tense ----
    (
        "The ministers met in Cairo on Sunday.",
        MON,
        "Sunday",
        D,
        "2024-12-01",
    ),
    (
        "The ministers will travel to Cairo on Sunday.",
        MON,
        "Sunday",
        D,
        "2024-12-08",
    ),
    (
        "Officials said Friday that talks had failed.",
        MON,
        "Friday",
        D,
        "2024-11-29",
    ),
    (
        "The delegation arrived on Monday.",
        MON,
        "Monday",
        D,
        "2024-12-02",
    ),
    (
        "The committee will meet on Wednesday.",
        MON,
        "Wednesday",
        D,
        "2024-12-04",
    ),
    (
        "The strike ended last Friday.",
        MON,
        "last Friday",
        D,
        "2024-11-29",
    ),
    (
        "The vote is set for next Friday.",
        MON,
        "next Friday",
        D,
        "2024-12-06",
    ),
    (
        "Rebels attacked the town on Sunday.",
        "2024-12-01",
        "Sunday",
        D,
        "2024-12-01",
    ),
    (
        "The president spoke on Thursday.",
        MON,
        "Thursday",
        D,
        "2024-11-28",
    ),
    (
        "The team is going to fly home on Saturday.",
        MON,
        "Saturday",
        D,
        "2024-12-07",
    ),
    (
        "The envoy met him on Sunday evening.",
        MON,
        "Sunday evening",
        T,
        "2024-12-01TEV",
    ),
    (
        "Shelling resumed on Saturday night.",
        MON,
        "Saturday night",
        T,
        "2024-11-30TNI",
    ),
    (
        "They talked on Tuesday morning.",
        MON,
        "Tuesday morning",
        T,
        "2024-11-26TMO",
    ),
    (
        "He will leave on Friday afternoon.",
        MON,
        "Friday afternoon",
        T,
        "2024-12-06TAF",
    ),
    (
        "Without an article date, Friday stays open.",
        "",
        "Friday",
        D,
        "XXXX-WXX-5",
    ),
    (
        "The protest happened on Monday, Nov. 25.",
        MON,
        "Monday, Nov. 25",
        D,
        "2024-11-25",
    ),
    // ---- deictic days ----
    (
        "The minister resigned yesterday.",
        MON,
        "yesterday",
        D,
        "2024-12-01",
    ),
    ("The talks open today.", MON, "today", D, "2024-12-02"),
    ("The talks open tomorrow.", MON, "tomorrow", D, "2024-12-03"),
    (
        "Results are expected tonight.",
        MON,
        "tonight",
        T,
        "2024-12-02TNI",
    ),
    (
        "The blast happened last night.",
        MON,
        "last night",
        T,
        "2024-12-01TNI",
    ),
    (
        "The cabinet met this morning.",
        MON,
        "this morning",
        T,
        "2024-12-02TMO",
    ),
    (
        "Troops moved in yesterday morning.",
        MON,
        "yesterday morning",
        T,
        "2024-12-01TMO",
    ),
    (
        "Fighting stopped the day before yesterday.",
        MON,
        "the day before yesterday",
        D,
        "2024-11-30",
    ),
    (
        "The result will be known the day after tomorrow.",
        MON,
        "the day after tomorrow",
        D,
        "2024-12-04",
    ),
    (
        "Without a date, yesterday is open.",
        "",
        "yesterday",
        D,
        "XXXX-XX-XX",
    ),
    (
        "The decision came late yesterday.",
        MON,
        "late yesterday",
        D,
        "2024-12-01",
    ),
    // ---- relative weeks, months, years ----
    (
        "Talks collapsed last week.",
        MON,
        "last week",
        D,
        "2024-W48",
    ),
    (
        "The envoy visits this week.",
        MON,
        "this week",
        D,
        "2024-W49",
    ),
    (
        "The report is due next week.",
        MON,
        "next week",
        D,
        "2024-W50",
    ),
    ("Prices rose last month.", MON, "last month", D, "2024-11"),
    (
        "The law passed earlier this month.",
        MON,
        "earlier this month",
        D,
        "2024-12",
    ),
    (
        "Elections are due next month.",
        MON,
        "next month",
        D,
        "2025-01",
    ),
    ("Growth slowed last year.", MON, "last year", D, "2023"),
    ("Growth picked up this year.", MON, "this year", D, "2024"),
    ("Elections are due next year.", MON, "next year", D, "2025"),
    (
        "The plan was announced earlier this year.",
        MON,
        "earlier this year",
        D,
        "2024",
    ),
    (
        "The plant will open early next year.",
        MON,
        "early next year",
        D,
        "2025",
    ),
    (
        "The reform is expected later this year.",
        MON,
        "later this year",
        D,
        "2024",
    ),
    (
        "Trade grew over the past year.",
        MON,
        "the past year",
        D,
        "2023",
    ),
    (
        "Without a date, last week is open.",
        "",
        "last week",
        D,
        "XXXX-WXX",
    ),
    (
        "Without a date, next year is open.",
        "",
        "next year",
        D,
        "XXXX",
    ),
    (
        "The deal was signed last weekend.",
        MON,
        "last weekend",
        D,
        "2024-W48-WE",
    ),
    (
        "Thousands marched over the weekend.",
        MON,
        "the weekend",
        D,
        "2024-W48-WE",
    ),
    (
        "The rally is planned for next weekend.",
        MON,
        "next weekend",
        D,
        "2024-W50-WE",
    ),
    (
        "The museum reopened last spring.",
        MON,
        "last spring",
        D,
        "2024-SP",
    ),
    (
        "The offensive began last summer.",
        MON,
        "last summer",
        D,
        "2024-SU",
    ),
    (
        "The vote is expected next summer.",
        MON,
        "next summer",
        D,
        "2025-SU",
    ),
    (
        "Harvests failed in the summer of 2022.",
        MON,
        "the summer of 2022",
        D,
        "2022-SU",
    ),
    (
        "Troops left in the fall of 2021.",
        MON,
        "the fall of 2021",
        D,
        "2021-FA",
    ),
    (
        "Profit rose in the third quarter.",
        MON,
        "the third quarter",
        D,
        "2024-Q3",
    ),
    (
        "Third-quarter profit rose 5%.",
        MON,
        "Third-quarter",
        D,
        "2024-Q3",
    ),
    (
        "Sales fell in the first quarter of 2023.",
        MON,
        "the first quarter of 2023",
        D,
        "2023-Q1",
    ),
    (
        "Sales rose in the first half of 2024.",
        MON,
        "the first half of 2024",
        D,
        "2024-H1",
    ),
    (
        "Profit in the latest quarter was flat.",
        MON,
        "the latest quarter",
        D,
        "2024-Q3",
    ),
    (
        "The plan covers the second half.",
        MON,
        "the second half",
        D,
        "2024-H2",
    ),
    // ---- ago, earlier, later ----
    (
        "The clashes began two days ago.",
        MON,
        "two days ago",
        D,
        "2024-11-30",
    ),
    (
        "He left office three weeks ago.",
        MON,
        "three weeks ago",
        D,
        "2024-W46",
    ),
    (
        "The dam burst six months ago.",
        MON,
        "six months ago",
        D,
        "2024-06",
    ),
    (
        "The war began ten years ago.",
        MON,
        "ten years ago",
        D,
        "2014",
    ),
    (
        "The firm was founded a decade ago.",
        MON,
        "a decade ago",
        D,
        "201",
    ),
    (
        "The regime fell several years ago.",
        MON,
        "several years ago",
        D,
        "PAST_REF",
    ),
    (
        "They met on March 3, 2020. Two days later they signed the deal.",
        MON,
        "Two days later",
        D,
        "2020-03-05",
    ),
    (
        "They met on March 3, 2020. The next day they signed the deal.",
        MON,
        "The next day",
        D,
        "2020-03-04",
    ),
    (
        "They met on March 3, 2020. The following week talks resumed.",
        MON,
        "The following week",
        D,
        "2020-W11",
    ),
    (
        "Rebels seized the town on June 10, 2023. The day before, they had shelled it.",
        MON,
        "The day before",
        D,
        "2023-06-09",
    ),
    (
        "The strike began on May 1, 2022. A year later it was over.",
        MON,
        "A year later",
        D,
        "2023",
    ),
    (
        "The plant closed on 4 April 2019. That day, workers protested.",
        MON,
        "That day",
        D,
        "2019-04-04",
    ),
    (
        "The accord was signed on Oct. 1, 2024. Earlier that day, rockets hit the city.",
        MON,
        "Earlier that day",
        D,
        "2024-10-01",
    ),
    (
        "Profit was $5 million, up from $4 million a year earlier.",
        MON,
        "a year earlier",
        D,
        "2023",
    ),
    // ---- references ----
    ("The country is now at war.", MON, "now", D, "PRESENT_REF"),
    (
        "The minister is currently abroad.",
        MON,
        "currently",
        D,
        "PRESENT_REF",
    ),
    (
        "The embassy was recently closed.",
        MON,
        "recently",
        D,
        "PAST_REF",
    ),
    (
        "Relations may improve in the future.",
        MON,
        "the future",
        D,
        "FUTURE_REF",
    ),
    (
        "Such attacks were rare in the past.",
        MON,
        "the past",
        D,
        "PAST_REF",
    ),
    (
        "Nowadays the border is open.",
        MON,
        "Nowadays",
        D,
        "PRESENT_REF",
    ),
    (
        "The town is quiet at present.",
        MON,
        "at present",
        D,
        "PRESENT_REF",
    ),
    (
        "Prices have risen in recent weeks.",
        MON,
        "recent weeks",
        DU,
        "PXW",
    ),
    (
        "More talks are planned in the coming months.",
        MON,
        "the coming months",
        DU,
        "PXM",
    ),
    (
        "The current year has been hard.",
        MON,
        "The current year",
        D,
        "2024",
    ),
    // ---- durations ----
    ("The siege lasted for years.", MON, "years", DU, "PXY"),
    ("The talks lasted a month.", MON, "a month", DU, "P1M"),
    (
        "The trial lasted three weeks.",
        MON,
        "three weeks",
        DU,
        "P3W",
    ),
    ("He was held for 48 hours.", MON, "48 hours", DU, "PT48H"),
    (
        "The ceasefire held for ten days.",
        MON,
        "ten days",
        DU,
        "P10D",
    ),
    (
        "The journey took 2 1/2 years.",
        MON,
        "2 1/2 years",
        DU,
        "P2Y6M",
    ),
    (
        "The meeting lasted 90 minutes.",
        MON,
        "90 minutes",
        DU,
        "PT90M",
    ),
    (
        "The country has been at war for more than a decade.",
        MON,
        "more than a decade",
        DU,
        "P10Y",
    ),
    (
        "Output rose in the first nine months.",
        MON,
        "the first nine months",
        DU,
        "P9M",
    ),
    (
        "Sales grew over the past two years.",
        MON,
        "the past two years",
        DU,
        "P2Y",
    ),
    (
        "The minister signed a five-year deal.",
        MON,
        "five-year",
        DU,
        "P5Y",
    ),
    ("A 30-day truce was agreed.", MON, "30-day", DU, "P30D"),
    (
        "They waited for several months.",
        MON,
        "several months",
        DU,
        "PXM",
    ),
    (
        "It ended a decades-long feud.",
        MON,
        "decades-long",
        DU,
        "PXDE",
    ),
    (
        "The reform will take the next six months.",
        MON,
        "the next six months",
        DU,
        "P6M",
    ),
    (
        "The flight lasted half an hour.",
        MON,
        "half an hour",
        DU,
        "PT30M",
    ),
    (
        "The storm raged for two centuries of records.",
        MON,
        "two centuries",
        DU,
        "P200Y",
    ),
    (
        "The factory runs round the clock for a fortnight.",
        MON,
        "a fortnight",
        DU,
        "P2W",
    ),
    // ---- sets ----
    ("The paper is published daily.", MON, "daily", S, "P1D"),
    ("The council meets weekly.", MON, "weekly", S, "P1W"),
    ("Figures are released monthly.", MON, "monthly", S, "P1M"),
    (
        "The festival is held each season.",
        MON,
        "each season",
        S,
        "P3M",
    ),
    (
        "The market opens every Monday.",
        MON,
        "every Monday",
        S,
        "XXXX-WXX-1",
    ),
    (
        "Inspectors visit twice a year.",
        MON,
        "twice a year",
        S,
        "P1Y",
    ),
    ("The ferry sails every day.", MON, "every day", S, "P1D"),
    (
        "Elections are held every four years.",
        MON,
        "every four years",
        S,
        "P4Y",
    ),
    (
        "The fair takes place each July.",
        MON,
        "each July",
        S,
        "XXXX-07",
    ),
    (
        "The choir sings every morning.",
        MON,
        "every morning",
        S,
        "XXXX-XX-XXTMO",
    ),
    // ---- clock times ----
    (
        "The blast happened at 3 p.m.",
        MON,
        "3 p.m.",
        T,
        "2024-12-02T15:00",
    ),
    (
        "Polls closed at 8:30 pm on Sunday.",
        MON,
        "8:30 pm on Sunday",
        T,
        "2024-12-01T20:30",
    ),
    (
        "The curfew starts at 10 p.m. tomorrow.",
        MON,
        "10 p.m. tomorrow",
        T,
        "2024-12-03T22:00",
    ),
    (
        "The quake struck at 16:08 UTC.",
        MON,
        "16:08 UTC",
        T,
        "2024-12-02T16:08Z",
    ),
    (
        "The vote ended at noon.",
        MON,
        "noon",
        T,
        "2024-12-02T12:00",
    ),
    (
        "The deadline passed at midnight Friday.",
        MON,
        "midnight Friday",
        T,
        "2024-11-29T24:00",
    ),
    (
        "The plane landed at 6:45 a.m. yesterday.",
        MON,
        "6:45 a.m. yesterday",
        T,
        "2024-12-01T06:45",
    ),
    (
        "He will leave at 4 in the morning.",
        MON,
        "4 in the morning",
        T,
        "2024-12-02T04:00",
    ),
    // ---- holidays ----
    (
        "The ceasefire ended on Christmas Day.",
        "2024-12-27",
        "Christmas Day",
        D,
        "2024-12-25",
    ),
    (
        "Shops close on New Year's Day.",
        MON,
        "New Year's Day",
        D,
        "2025-01-01",
    ),
    (
        "Families gathered last Thanksgiving.",
        MON,
        "last Thanksgiving",
        D,
        "2024-11-28",
    ),
    (
        "Pilgrims will arrive for Easter.",
        "2024-03-20",
        "Easter",
        D,
        "2024-03-31",
    ),
    (
        "Sales rose in the third quarter from the same period last year.",
        MON,
        "the same period last year",
        D,
        "2023-Q3",
    ),
    (
        "Profit fell in the quarter a year ago.",
        MON,
        "the quarter a year ago",
        D,
        "2023-Q3",
    ),
    (
        "In the year-ago third quarter, the bank lost money.",
        MON,
        "the year-ago third quarter",
        D,
        "2023-Q3",
    ),
    (
        "The hearing is set for the week of March 6.",
        "2024-02-20",
        "the week of March 6",
        D,
        "2024-W10",
    ),
    (
        "The project is two and a half years late.",
        MON,
        "two and a half years",
        DU,
        "P2Y6M",
    ),
    (
        "A minute and a half later the pilot called.",
        MON,
        "A minute and a half",
        DU,
        "PT1M30S",
    ),
    (
        "Earnings will be lower for the last half of 2024.",
        MON,
        "the last half of 2024",
        D,
        "2024-H2",
    ),
    (
        "The rules should be in place by year's end.",
        MON,
        "year's end",
        D,
        "2024",
    ),
    (
        "Growth looks weak in the near term.",
        MON,
        "the near term",
        D,
        "FUTURE_REF",
    ),
    (
        "The shares will be sold at a later date.",
        MON,
        "a later date",
        D,
        "FUTURE_REF",
    ),
    (
        "Prices will stay high for the time being.",
        MON,
        "the time being",
        D,
        "PRESENT_REF",
    ),
    (
        "Shares were up at mid-afternoon yesterday.",
        MON,
        "mid-afternoon yesterday",
        T,
        "2024-12-01TAF",
    ),
    (
        "It was the coldest spell since January nineteen ninety-seven.",
        MON,
        "January nineteen ninety-seven",
        D,
        "1997-01",
    ),
    (
        "Oil was cheap in the winter of nineteen ninety-four.",
        MON,
        "the winter of nineteen ninety-four",
        D,
        "1994-WI",
    ),
    (
        "Hiring began to rise last fall.",
        "2024-02-06",
        "last fall",
        D,
        "2023-FA",
    ),
    (
        "Hiring began to rise last spring.",
        "2024-10-06",
        "last spring",
        D,
        "2024-SP",
    ),
    (
        "The board declared a dividend, payable Dec. 7.",
        "2024-10-27",
        "Dec. 7",
        D,
        "2024-12-07",
    ),
    (
        "The deal closed on Dec. 7.",
        "2024-03-10",
        "Dec. 7",
        D,
        "2023-12-07",
    ),
    (
        "The index rose 2% to end the day at 400.",
        MON,
        "the day",
        D,
        "2024-12-02",
    ),
    (
        "He resigned a week after the vote.",
        MON,
        "a week",
        DU,
        "P1W",
    ),
    (
        "The firm grew steadily over the years.",
        MON,
        "the years",
        DU,
        "PXY",
    ),
    (
        "Stocks fell on Friday, Nov. 29, after rising 2% from the previous Friday.",
        MON,
        "the previous Friday",
        D,
        "2024-11-22",
    ),
    (
        "Compared with a year earlier, sales in the first nine months rose.",
        MON,
        "a year earlier",
        D,
        "2023",
    ),
    (
        "Profit in the first nine months rose 5% from a year earlier.",
        MON,
        "a year earlier",
        D,
        "2023",
    ),
    (
        "The summit will be held on April 24 and 25.",
        MON,
        "25",
        D,
        "2025-04-25",
    ),
    (
        "The current crisis has hurt exports.",
        MON,
        "current",
        D,
        "PRESENT_REF",
    ),
    (
        "Holders may buy shares at the then current market price.",
        MON,
        "then current",
        D,
        "PAST_REF",
    ),
    (
        "The plant makes 10,000 units a year.",
        MON,
        "a year",
        S,
        "P1Y",
    ),
    (
        "The agency runs four flights a week to Bombay.",
        MON,
        "a week",
        S,
        "P1W",
    ),
    (
        "Islam will one day be the second largest religion here.",
        MON,
        "one day",
        D,
        "FUTURE_REF",
    ),
    (
        "She may come back someday.",
        MON,
        "someday",
        D,
        "FUTURE_REF",
    ),
    (
        "There were sell programs in past years, too.",
        MON,
        "past years",
        D,
        "PAST_REF",
    ),
    (
        "Flights leave on Tuesday nights.",
        MON,
        "Tuesday nights",
        S,
        "XXXX-WXX-2TNI",
    ),
    // "a week ago" and "two weeks later" name a day; longer counts a week
    (
        "The storm hit the coast a week ago.",
        MON,
        "a week ago",
        D,
        "2024-11-25",
    ),
    (
        "The deal closed on November 4. Two weeks later, the firm cut jobs.",
        MON,
        "Two weeks later",
        D,
        "2024-11-18",
    ),
    // the first number of a range is an amount of the unit after the second
    (
        "The repairs will take two to three weeks.",
        MON,
        "two",
        DU,
        "P2W",
    ),
    (
        "The repairs will take two to three weeks.",
        MON,
        "three weeks",
        DU,
        "P3W",
    ),
    (
        "The process would take between 60 and 90 days.",
        MON,
        "60",
        DU,
        "P60D",
    ),
    // "autumn" alone is the season (only "fall" alone is usually the verb)
    (
        "The bank holds its autumn meetings in Washington.",
        MON,
        "autumn",
        D,
        "2024-FA",
    ),
    // a 24-hour clock time with its day
    (
        "The court will rule at 14:30 GMT Thursday.",
        MON,
        "14:30 GMT Thursday",
        T,
        "2024-12-05T14:30Z",
    ),
    // ... or followed by the date it falls on
    (
        "The press conference began at 16:15 UTC, November 28, in Geneva.",
        MON,
        "16:15 UTC",
        T,
        "2024-11-28T16:15Z",
    ),
    // a focusing or approximating adverb is not part of the amount of time
    (
        "The car had been parked there for about two weeks.",
        MON,
        "two weeks",
        DU,
        "P2W",
    ),
    (
        "The minister spent only five hours in the capital.",
        MON,
        "five hours",
        DU,
        "PT5H",
    ),
    (
        "Right now the talks are stalled.",
        MON,
        "now",
        D,
        "PRESENT_REF",
    ),
    // "until" a day: the end of a state or a deadline, still ahead
    (
        "Officials postponed the vote until Friday.",
        MON,
        "Friday",
        D,
        "2024-12-06",
    ),
    (
        "The court gave the company until 9 a.m. Thursday to reply.",
        MON,
        "9 a.m. Thursday",
        T,
        "2024-12-05T09:00",
    ),
    // ... unless it looks back
    (
        "It was not until Friday that the results came in.",
        MON,
        "Friday",
        D,
        "2024-11-29",
    ),
    (
        "Until Thursday, the ministers had refused to meet.",
        MON,
        "Thursday",
        D,
        "2024-11-28",
    ),
    // the preposition before a part of the day is a signal, not part of it
    (
        "The talks resumed in the morning.",
        MON,
        "the morning",
        T,
        "2024-12-02TMO",
    ),
    // a determiner before a time word that modifies a noun belongs to the noun
    (
        "Many investors left the market after the 1987 crash.",
        MON,
        "1987",
        D,
        "1987",
    ),
    (
        "The company said its third-quarter earnings rose.",
        MON,
        "third-quarter",
        D,
        "2024-Q3",
    ),
    (
        "Analysts were disappointed by the third-quarter results.",
        MON,
        "third-quarter",
        D,
        "2024-Q3",
    ),
    (
        "The chain reported a loss for its fourth quarter.",
        MON,
        "fourth quarter",
        D,
        "2024-Q4",
    ),
    // a modal perfect looks back ("would have been"), not ahead
    (
        "The vote would have been on Wednesday.",
        MON,
        "Wednesday",
        D,
        "2024-11-27",
    ),
    // "or so" after the unit widens the amount; the expression keeps it
    (
        "The bakery closed a month or so ago.",
        MON,
        "a month or so ago",
        D,
        "2024-11",
    ),
    (
        "Rents should stay flat over the next year or so.",
        MON,
        "the next year or so",
        D,
        "2025",
    ),
    (
        "The repairs will take the next two years or so.",
        MON,
        "the next two years or so",
        DU,
        "P2Y",
    ),
    // the second decade of a pair needs no "the"
    (
        "Boxy cars of the 70s and 80s are back in fashion.",
        MON,
        "80s",
        D,
        "198",
    ),
    // a year written with two digits after a preposition
    (
        "Shares closed at their lowest level since '82.",
        MON,
        "'82",
        D,
        "1982",
    ),
    // "annual" before an amount: the amount over a year
    (
        "The carmaker posted an annual profit of $3 billion.",
        MON,
        "annual",
        DU,
        "P1Y",
    ),
];

fn date(s: &str) -> Option<NaiveDate> {
    (!s.is_empty()).then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("case date"))
}

#[test]
fn cases_from_general_english() {
    let tagger = TimexTagger::new();
    let mut failures = Vec::new();
    for &(sentence, dct, span, kind, value) in CASES {
        let got = tagger.tag(sentence, &[], &[], date(dct));
        for t in &got {
            assert!(
                sentence.is_char_boundary(t.span.start as usize)
                    && sentence.is_char_boundary(t.span.end as usize),
                "bad span in {sentence:?}"
            );
        }
        let found = got.iter().find(|t| &sentence[t.span.range()] == span);
        match found {
            Some(t) if t.kind == kind && t.value == value => {}
            _ => failures.push(format!(
                "{sentence:?} (dct {dct}): want {span:?} {kind:?} {value}; got {:?}",
                got.iter()
                    .map(|t| (&sentence[t.span.range()], t.kind, t.value.as_str()))
                    .collect::<Vec<_>>()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn not_time_expressions() {
    let tagger = TimexTagger::new();
    for s in [
        "She may leave the party.",
        "The troops will march on the capital.",
        "A 12-year-old boy was hurt.",
        "The quarter-to-quarter comparison improved.",
        "For the people of Poland, high noon has come.",
        "Police found Kopp's 1987 Chevrolet in a parking lot.",
        "He said so on the programme \"This Week\" on ABC.",
        "The ocean current was strong.",
        "Cars were spotted in the weeks before the shooting.",
        "He sold 2000 shares at $1999.50 each.",
        "The index closed at 2082.1 points.",
        "Prices rose 1,500 percent.",
        "The boy is five years old.",
        // ages, and a version number after a name
        "Both sisters are in their 70s and 80s.",
        "The studio still runs iLife '11 on its laptops.",
        // "annual" before a recurring event names no time
        "Shareholders voted at the annual meeting.",
        "Crowds lined the streets for the annual parade.",
    ] {
        let got = tagger.tag(s, &[], &[], date(MON));
        assert!(
            got.is_empty(),
            "{s:?} gave {:?}",
            got.iter()
                .map(|t| (&s[t.span.range()], t.value.as_str()))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn tags_mark_tense_when_present() {
    use model::{ByteSpan, Token};
    // "They leave on Sunday": present tense, but tagged MD "will" elsewhere is absent;
    // a VBD tag on "left" makes Sunday the past one.
    let text = "They left on Sunday";
    let mut toks = Vec::new();
    let mut pos = 0;
    for (w, tag) in [
        ("They", "PRP"),
        ("left", "VBD"),
        ("on", "IN"),
        ("Sunday", "NNP"),
    ] {
        let start = text[pos..].find(w).unwrap() + pos;
        let mut t = Token::new(ByteSpan::new(start, start + w.len()));
        t.tag = tag.into();
        toks.push(t);
        pos = start + w.len();
    }
    let sent = [ByteSpan::new(0, text.len())];
    let got = TimexTagger::new().tag(text, &sent, &toks, date("2024-12-04"));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].value, "2024-12-01");
    // the same words tagged as future
    toks[1].tag = "MD".into();
    let text2 = "They will on Sunday";
    let got = TimexTagger::new().tag(text2, &sent, &toks, date("2024-12-04"));
    assert_eq!(got[0].value, "2024-12-08");
}

#[test]
fn offsets_are_bytes_into_the_text() {
    let text = "Le ministre “a quitté” Paris — puis, le 3 mars 2021, il est revenu. Talks resumed on Dec. 2.";
    let got = TimexTagger::new().tag(text, &[], &[], date(MON));
    let spans: Vec<&str> = got.iter().map(|t| &text[t.span.range()]).collect();
    assert!(spans.contains(&"Dec. 2"), "{spans:?}");
}

/// Regression: "300,000 years ago" looped forever in `add_months`, and
/// "100,000,000 days ago" (and larger) panicked in chrono; "tomorrow" after
/// an article dated 9999-12-31 wrote `+10000-01-01`. Each now gives up on the
/// expression (no value outside the four-digit years) and tagging goes on.
#[test]
fn huge_offsets_neither_hang_nor_panic() {
    let tagger = TimexTagger::new();
    let cases = [
        ("The city was founded 300,000 years ago.", MON),
        ("It happened 100,000,000 days ago.", MON),
        ("It happened 20,000,000 weeks ago.", MON),
        ("It happened 1,000,000,000,000 days ago.", MON),
        ("It ends 5,000,000 centuries from now.", MON),
        ("The vote is tomorrow.", "9999-12-31"),
        ("The vote was yesterday.", "0000-01-01"),
        ("The vote is next week.", "9999-12-31"),
        ("The vote is next Friday.", "9999-12-31"),
    ];
    for (text, dct) in cases {
        let timexes = tagger.tag(text, &[], &[], date(dct));
        for t in &timexes {
            assert!(
                !t.value.starts_with('+') && !t.value.starts_with('-'),
                "{text}: value {} out of the four-digit years",
                t.value
            );
        }
    }
    // an expression that is fine next to one that gives up keeps its value
    let t = tagger.tag(
        "The city was founded 300,000 years ago and rebuilt in 2001.",
        &[],
        &[],
        date(MON),
    );
    assert!(t.iter().any(|t| t.value == "2001"), "{t:?}");
}

//! Golden end-to-end test: the real `eventline run` on the bundled example
//! articles, checked against the timeline read by hand from them.
//!
//! The three articles (Khaama Press, APP, and a third outlet) tell of Abbas
//! Araghchi meeting Bashar al-Assad in Damascus on Sunday 2024-12-01; the
//! third also tells of Assad's talks with Vladimir Putin in Moscow on Friday
//! 2024-11-29, his phone call with Mohammed Shia al-Sudani on Saturday
//! 2024-11-30 and his phone call with Mohammed bin Zayed al-Nahyan on Sunday;
//! two announce Araghchi's visit to Ankara. Names appear here, in the
//! expectations, never in the code or lexicon that produce the timeline.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn timeline() -> Value {
    let out = tempfile::tempdir().expect("temp dir");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    let status = Command::new(env!("CARGO_BIN_EXE_eventline"))
        .env_remove("EVENTLINE_MODEL")
        .current_dir(out.path())
        .arg("run")
        .arg(&seeds)
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("spawn eventline");
    assert!(
        status.status.success(),
        "eventline run failed:\n{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let text = std::fs::read_to_string(out.path().join("timeline.json")).expect("timeline.json");
    serde_json::from_str(&text).expect("timeline JSON")
}

/// The id of the entity with this display name.
fn id(t: &Value, name: &str) -> String {
    t["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no entity named {name}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn strs(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn events(t: &Value) -> &Vec<Value> {
    t["events"].as_array().unwrap()
}

/// CONSULT events whose actors include all of `who`.
fn consults<'t>(t: &'t Value, who: &[&str]) -> Vec<&'t Value> {
    let ids: Vec<String> = who.iter().map(|n| id(t, n)).collect();
    events(t)
        .iter()
        .filter(|e| e["type"] == "CONSULT")
        .filter(|e| {
            let a = strs(&e["actors"]);
            ids.iter().all(|i| a.contains(i))
        })
        .collect()
}

fn docs_of(e: &Value) -> BTreeSet<String> {
    e["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["doc"].as_str().unwrap().to_string())
        .collect()
}

fn sentences(e: &Value) -> Vec<String> {
    e["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sentence"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn seed_timeline_matches_the_hand_read_one() {
    let t = timeline();
    let all_docs: BTreeSet<String> = t["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(all_docs.len(), 3);

    // the Damascus meeting: one event, cited by all three articles
    let damascus = id(&t, "Damascus");
    let meetings: Vec<&Value> = consults(&t, &["Abbas Araghchi", "Bashar al-Assad"])
        .into_iter()
        .filter(|e| e["status"] == "occurred")
        .collect();
    assert_eq!(
        meetings.len(),
        1,
        "one Araghchi-Assad meeting: {meetings:#?}"
    );
    let m = meetings[0];
    assert_eq!(m["date"], "2024-12-01");
    assert_eq!(m["date_precision"], "day");
    assert_eq!(m["place"], damascus.as_str());
    assert_ne!(m["mode"], "phone");
    assert_eq!(docs_of(m), all_docs, "sources from all three articles");
    assert!(
        m["headline"]
            .as_str()
            .unwrap()
            .contains("meets Bashar al-Assad in Damascus"),
        "{}",
        m["headline"]
    );
    // no source sentence of the meeting is about one of the phone calls
    for s in sentences(m) {
        assert!(
            !s.contains("phone") && !s.contains("Sudani") && !s.contains("Kremlin"),
            "the meeting cites a sentence about another event: {s}"
        );
    }

    // Assad and Putin in Moscow on Friday: a separate event
    let moscow = id(&t, "Moscow");
    let putin = consults(&t, &["Vladimir Putin", "Bashar al-Assad"]);
    assert_eq!(putin.len(), 1, "{putin:#?}");
    let p = putin[0];
    assert_ne!(p["id"], m["id"]);
    assert_eq!(p["date"], "2024-11-29");
    assert_eq!(p["place"], moscow.as_str());
    for s in sentences(p) {
        assert!(
            s.contains("Putin") || s.starts_with("The discussions"),
            "the Moscow talks cite a sentence about another event: {s}"
        );
    }

    // the phone call with the Iraqi prime minister on Saturday
    let sudani = consults(&t, &["Mohammed Shia al-Sudani"]);
    assert_eq!(sudani.len(), 1, "{sudani:#?}");
    let s = sudani[0];
    assert_eq!(s["mode"], "phone");
    assert_eq!(s["date"], "2024-11-30");
    assert_ne!(s["id"], m["id"]);
    for x in sentences(s) {
        assert!(
            !x.contains("Araghchi") && !x.contains("Putin"),
            "the Sudani call cites a sentence about another event: {x}"
        );
    }

    // the phone call with the UAE president on Sunday: same day as the meeting, not merged
    let uae = consults(&t, &["Mohammed bin Zayed al-Nahyan", "Bashar al-Assad"]);
    assert_eq!(uae.len(), 1, "{uae:#?}");
    let u = uae[0];
    assert_eq!(u["mode"], "phone");
    assert_eq!(u["date"], "2024-12-01");
    assert_ne!(u["id"], m["id"]);

    // the visit to Ankara, announced by two outlets and told as done by the
    // third, is one event: it occurred, and all three outlets cite it
    let ankara = id(&t, "Ankara");
    let araghchi = id(&t, "Abbas Araghchi");
    let visits: Vec<&Value> = events(&t)
        .iter()
        .filter(|e| e["place"] == ankara.as_str() && e["type"] == "CONSULT")
        .filter(|e| strs(&e["actors"]).contains(&araghchi))
        .collect();
    assert_eq!(visits.len(), 1, "one Araghchi visit to Ankara: {visits:#?}");
    assert_eq!(visits[0]["status"], "occurred");
    let outlets: BTreeSet<&str> = visits[0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["doc"].as_str())
        .collect();
    assert_eq!(outlets.len(), 3, "{outlets:?}");

    // a passive "a general ... was killed" has no agent: nobody named kills
    for e in events(&t) {
        if e["type"] == "ASSAULT" && e["mode"] == "kill" {
            assert!(
                strs(&e["actors"]).is_empty(),
                "a killing with an invented agent: {e:#}"
            );
        }
    }
    // the dateline ("Tehran, ...") is where a story was filed, not where events happened
    let tehran = id(&t, "Tehran");
    assert!(
        events(&t).iter().all(|e| e["place"] != tehran.as_str()),
        "an event placed at a dateline"
    );
}

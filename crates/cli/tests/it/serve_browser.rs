//! The web UI of `eventline serve` in real headless Chromium: the timeline
//! renders, a filter narrows it and changes the URL (driven through
//! chromedriver), the example meeting's page shows its three outlets, and an
//! entity page lists its events. Skips with a message when Chromium (or
//! chromedriver, for the interactive test) is not installed, and fails then
//! under `EVENTLINE_REQUIRE_BROWSER` (`.ci/run` installs both and sets it).

use crate::serve_util;

use serve_util::{Driver, Server, chromium, dump_dom, export_json, store};

#[test]
fn timeline_renders_with_dates_in_words_and_outlet_names() {
    let Some(browser) = chromium() else {
        return;
    };
    let s = Server::start(store(), &["--addr", "127.0.0.1:0"]);
    let dom = dump_dom(browser, &s.url);
    assert!(
        dom.contains(r#"<body data-ready="1">"#),
        "page did not finish: {dom}"
    );
    assert!(dom.contains(r#"class="event-row""#), "{dom}");
    // filters given in the URL apply on load
    let dom = dump_dom(browser, &format!("{}?from=2024-12-01&to=2024-12-31", s.url));
    assert!(dom.contains(r#"class="event-row""#), "{dom}");
    assert!(dom.contains("December 2024"), "dates in words: {dom}");
    assert!(dom.contains("Khaama Press"), "outlet names: {dom}");
    assert!(!dom.contains("trigger_start"), "{dom}");
}

#[test]
fn a_filter_narrows_the_timeline_and_changes_the_url() {
    let Some(browser) = chromium() else {
        return;
    };
    let s = Server::start(store(), &["--addr", "127.0.0.1:0"]);
    let Some(d) = Driver::start(browser) else {
        return;
    };
    d.goto(&s.url);
    d.wait_ready();
    let total = |d: &Driver| {
        d.eval("return document.getElementById('summary').textContent")
            .as_str()
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse::<u64>()
            .unwrap_or(0)
    };
    let before = total(&d);
    assert!(before > 1);
    d.type_into("input[name=q]", "Damascus");
    d.click("button[type=submit]");
    d.wait_ready();
    let url = d.url();
    assert!(url.contains("q=Damascus"), "{url}");
    let after = total(&d);
    assert!(after >= 1 && after < before, "{after} of {before}");
    let rows = d.eval(
        "return [...document.querySelectorAll('.event-row .headline')].map(a => a.textContent)",
    );
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|h| h.as_str().unwrap().contains("Damascus")),
        "{rows}"
    );
    // the shared URL shows the same view
    d.goto(&url);
    d.wait_ready();
    assert_eq!(total(&d), after);
    // a second filter (type) narrows further and joins the URL
    d.eval("const s = document.querySelector('select[name=type]'); s.value = 'CONSULT'; return 1");
    d.click("button[type=submit]");
    d.wait_ready();
    let url = d.url();
    assert!(
        url.contains("type=CONSULT") && url.contains("q=Damascus"),
        "{url}"
    );
    assert!(total(&d) <= after);
}

#[test]
fn the_example_meeting_page_shows_three_outlets_and_its_participants_page_lists_it() {
    let Some(browser) = chromium() else {
        return;
    };
    let db = store();
    let t = export_json(db);
    // the meeting of the examples: the CONSULT event naming Assad with the most sources
    let m = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "CONSULT" && e["headline"].as_str().unwrap().contains("Assad"))
        .max_by_key(|e| e["sources"].as_array().unwrap().len())
        .unwrap()
        .clone();
    let id = m["id"].as_str().unwrap();
    let s = Server::start(db, &["--addr", "127.0.0.1:0"]);
    let dom = dump_dom(browser, &format!("{}event/{id}", s.url));
    assert!(dom.contains("Told by 3 outlets"), "{dom}");
    assert_eq!(
        dom.matches(r#"<article class="source">"#).count(),
        m["sources"].as_array().unwrap().len()
    );
    for outlet in ["Khaama Press", "APP"] {
        assert!(
            dom.contains(&format!(r#"<div class="outlet">{outlet}</div>"#)),
            "{outlet}: {dom}"
        );
    }
    assert!(dom.contains(r#"<mark class="trigger""#), "{dom}");
    assert!(dom.contains(r#"<mark class="actor""#), "{dom}");
    assert!(dom.contains(r#"<mark class="time""#), "{dom}");

    // an actor's entity page lists the meeting among its events
    let actor = m["actors"][0].as_str().unwrap();
    let dom = dump_dom(browser, &format!("{}entity/{actor}", s.url));
    assert!(dom.contains(r#"<ul id="entity-events">"#), "{dom}");
    assert!(dom.contains(&format!(r#"href="/event/{id}""#)), "{dom}");
    assert!(dom.contains("Names, per outlet"), "{dom}");
    // a geocoded place draws its map
    if let Some(place) = m["place"].as_str() {
        let geo = t["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == place)
            .unwrap()["geo"]
            .clone();
        let dom = dump_dom(browser, &format!("{}entity/{place}", s.url));
        assert_eq!(dom.contains(r#"class="map""#), !geo.is_null(), "{dom}");
    }
    // the document page marks its words and links back to the events
    let doc = m["sources"][0]["doc"].as_str().unwrap();
    let dom = dump_dom(browser, &format!("{}document/{doc}", s.url));
    assert!(
        dom.contains(r#"<div class="doctext">"#) && dom.contains(&format!(r#"href="/event/{id}""#)),
        "{dom}"
    );
}

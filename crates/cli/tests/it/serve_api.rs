//! `eventline serve`'s JSON API, on a real socket, against a store built by
//! the real binary: every route and parameter, agreement with `export
//! --format json`, errors, and what a hostile client might send.

use crate::serve_util;

use serde_json::Value;
use serve_util::{Server, bin, export_json, request, store};
use std::collections::BTreeSet;

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every event of `/api/events` with `filter`, paging through at 1000.
fn all_events(s: &Server, filter: &str) -> Vec<Value> {
    let mut out = Vec::new();
    loop {
        let v = s.ok(&format!(
            "/api/events?{filter}&limit=1000&offset={}",
            out.len()
        ));
        let page = v["events"].as_array().unwrap().clone();
        let total = v["total"].as_u64().unwrap() as usize;
        out.extend(page.iter().cloned());
        if page.is_empty() || out.len() >= total {
            assert_eq!(out.len(), total, "{filter}: total");
            return out;
        }
    }
}

/// The example meeting: the event of the examples told by the most outlets.
fn meeting(t: &Value) -> Value {
    t["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["headline"].as_str().unwrap().contains("Assad") && e["type"] == "CONSULT")
        .max_by_key(|e| e["sources"].as_array().unwrap().len())
        .expect("the meeting event")
        .clone()
}

#[test]
fn routes_agree_with_the_json_export() {
    let db = store();
    let t = export_json(db);
    let s = Server::start(db, &["--addr", "127.0.0.1:0"]);

    let stats = s.ok("/api/stats");
    let docs = t["documents"].as_array().unwrap();
    assert_eq!(stats["documents"], docs.len());
    assert_eq!(stats["entities"], t["entities"].as_array().unwrap().len());
    assert_eq!(stats["events"], t["events"].as_array().unwrap().len());
    let outlets: BTreeSet<&str> = docs.iter().filter_map(|d| d["outlet"].as_str()).collect();
    assert_eq!(stats["outlets"], outlets.len());

    // every event, field for field, in the export's order (timeline order)
    let events = all_events(&s, "");
    assert_eq!(&Value::Array(events.clone()), &t["events"]);

    // one event: the export's object plus the cited documents
    let m = meeting(&t);
    let id = m["id"].as_str().unwrap();
    let one = s.ok(&format!("/api/events/{}", enc(id)));
    for (k, v) in m.as_object().unwrap() {
        assert_eq!(&one[k], v, "field {k}");
    }
    let cited: BTreeSet<&str> = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["doc"].as_str().unwrap())
        .collect();
    let listed: BTreeSet<&str> = one["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(cited, listed);
    for d in one["documents"].as_array().unwrap() {
        let e = docs.iter().find(|x| x["id"] == d["id"]).unwrap();
        for k in ["date", "outlet", "title", "url"] {
            assert_eq!(d[k], e[k], "document field {k}");
        }
    }
    // highlights cut each sentence without losing a byte
    for (src, segs) in m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .zip(one["highlights"].as_array().unwrap())
    {
        let joined: String = segs
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["text"].as_str().unwrap())
            .collect();
        assert_eq!(joined, src["sentence"].as_str().unwrap());
        assert!(
            segs.as_array()
                .unwrap()
                .iter()
                .any(|x| x["kind"] == "trigger" && x["text"] == src["trigger"])
        );
    }

    // entities: total, order by mentions, objects as exported
    let ents = s.ok("/api/entities?limit=1000");
    assert_eq!(ents["total"], t["entities"].as_array().unwrap().len());
    let mut prev = u64::MAX;
    for e in ents["entities"].as_array().unwrap() {
        let x = t["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == e["id"])
            .unwrap();
        assert_eq!(e, x);
        let n = e["mentions"].as_u64().unwrap();
        assert!(n <= prev, "most-mentioned first");
        prev = n;
    }
    // one entity and its events in timeline order
    let actor = m["actors"][0].as_str().unwrap();
    let one = s.ok(&format!("/api/entities/{}", enc(actor)));
    let expected: Vec<String> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["actors"].as_array().unwrap().iter().any(|a| a == actor)
                || e["recipients"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a == actor)
                || e["place"] == actor
        })
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    let got: Vec<String> = one["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, expected);
    assert!(got.contains(&id.to_string()));
    assert!(!one["aliases_by_outlet"].as_array().unwrap().is_empty());

    // documents as exported, with the text cut into marked segments
    for d in docs.iter().take(5) {
        let v = s.ok(&format!(
            "/api/documents/{}",
            enc(d["id"].as_str().unwrap())
        ));
        for (k, x) in d.as_object().unwrap() {
            assert_eq!(&v[k], x, "document field {k}");
        }
        let joined: String = v["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["text"].as_str().unwrap())
            .collect();
        assert_eq!(joined, d["text"].as_str().unwrap());
    }

    // outlets and framing stories for the UI
    let o = s.ok("/api/outlets");
    assert_eq!(o["outlets"].as_array().unwrap().len(), outlets.len());
    let st = s.ok("/api/stories");
    assert_eq!(
        st["stories"].as_array().unwrap().len(),
        t["framing"].as_array().unwrap().len()
    );
    if let Some(first) = st["stories"].as_array().unwrap().first() {
        let v = s.ok(&format!(
            "/api/stories/{}",
            enc(first["id"].as_str().unwrap())
        ));
        assert!(!v["documents"].as_array().unwrap().is_empty());
    }
}

#[test]
fn every_filter_matches_a_reference_over_the_export() {
    let db = store();
    let t = export_json(db);
    let s = Server::start(db, &["--addr", "127.0.0.1:0"]);
    // the export's events, in timeline order
    let events: Vec<Value> = t["events"].as_array().unwrap().clone();
    let docs = t["documents"].as_array().unwrap();
    let m = meeting(&t);
    let check = |filter: &str, keep: &dyn Fn(&Value) -> bool| {
        let expected: Vec<String> = events
            .iter()
            .filter(|e| keep(e))
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        let got = all_events(&s, filter);
        assert_eq!(ids(&Value::Array(got)), expected, "filter {filter}");
        expected.len()
    };
    let has = |e: &Value, k: &str, id: &str| e[k].as_array().unwrap().iter().any(|x| x == id);

    let actor = m["actors"][0].as_str().unwrap();
    assert!(
        check(&format!("actor={}", enc(actor)), &|e| has(
            e, "actors", actor
        ) || has(
            e,
            "recipients",
            actor
        )) > 0
    );
    let place = m["place"].as_str().expect("the meeting has a place");
    assert!(check(&format!("place={}", enc(place)), &|e| e["place"] == place) > 0);
    assert!(
        check(&format!("entity={}", enc(place)), &|e| e["place"] == place
            || has(e, "actors", place)
            || has(e, "recipients", place))
            > 0
    );
    let outlet_of = |doc: &Value| docs.iter().find(|d| d["id"] == *doc).unwrap()["outlet"].clone();
    let outlet = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|x| outlet_of(&x["doc"]).as_str().map(str::to_string))
        .unwrap();
    assert!(
        check(&format!("outlet={}", enc(&outlet)), &|e| e["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| outlet_of(&x["doc"]) == outlet.as_str()))
            > 0
    );
    assert!(check("type=CONSULT", &|e| e["type"] == "CONSULT") > 0);
    check("status=planned", &|e| e["status"] == "planned");
    let day = m["date"].as_str().unwrap();
    let in_range = |e: &Value, from: &str, to: &str| {
        e["date"].as_str().is_some_and(|d| {
            let end = e["date_end"].as_str().unwrap_or(d);
            format!("{end}~").as_str() >= from && d <= format!("{to}~").as_str()
        })
    };
    assert!(check(&format!("from={day}&to={day}"), &|e| in_range(e, day, day)) > 0);
    check(&format!("from={day}"), &|e| in_range(e, day, "9999"));
    // AND of several
    assert!(
        check(
            &format!("actor={}&type=CONSULT&from={day}&to={day}", enc(actor)),
            &|e| {
                (has(e, "actors", actor) || has(e, "recipients", actor))
                    && e["type"] == "CONSULT"
                    && in_range(e, day, day)
            }
        ) >= 1
    );

    // full-text search over headlines and source sentences
    let hits = all_events(&s, "q=Damascus");
    assert!(ids(&Value::Array(hits.clone())).contains(&m["id"].as_str().unwrap().to_string()));
    for e in &hits {
        let text = std::iter::once(e["headline"].as_str().unwrap())
            .chain(
                e["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["sentence"].as_str().unwrap()),
            )
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        assert!(text.contains("damascus"), "{e}");
    }
    assert_eq!(s.ok("/api/events?q=zzqqxxnotaword")["total"], 0);
    // FTS syntax in q is taken as words, not an error
    assert_eq!(s.get("/api/events?q=%22NEAR(%20OR%20*").0, 200);

    // paging: a page is a slice of the whole, total counts all
    let whole = all_events(&s, "");
    let page = s.ok("/api/events?limit=3&offset=2");
    assert_eq!(page["total"], whole.len());
    assert_eq!(page["events"].as_array().unwrap()[..], whole[2..5]);
    assert_eq!(
        s.ok("/api/events")["events"].as_array().unwrap().len(),
        whole.len().min(50)
    );
    let beyond = s.ok(&format!("/api/events?offset={}", whole.len()));
    assert_eq!(beyond["events"].as_array().unwrap().len(), 0);
    assert_eq!(beyond["total"], whole.len());

    // entities: q by substring of a name or alias, any case; type; paging
    let name = "aSSad";
    let v = s.ok(&format!("/api/entities?q={name}&type=PERSON"));
    assert!(
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"].as_str().unwrap().contains("Assad"))
    );
    for e in v["entities"].as_array().unwrap() {
        assert_eq!(e["type"], "PERSON");
        let forms: Vec<String> = std::iter::once(&e["name"])
            .chain(e["aliases"].as_array().unwrap())
            .map(|x| x.as_str().unwrap().to_lowercase())
            .collect();
        assert!(forms.iter().any(|f| f.contains("assad")), "{e}");
    }
    let short = s.ok("/api/entities?q=ir&limit=1000");
    assert!(short["total"].as_u64().unwrap() >= 1);
    let p = s.ok("/api/entities?limit=2&offset=1");
    assert_eq!(p["entities"].as_array().unwrap().len(), 2);
}

#[test]
fn errors_are_json_with_the_right_status() {
    let s = Server::start(store(), &["--addr", "127.0.0.1:0"]);
    for (path, status, needle) in [
        ("/api/events?from=2024-13-01", 400, "from"),
        ("/api/events?to=yesterday", 400, "to"),
        ("/api/events?limit=1001", 400, "limit"),
        ("/api/events?limit=abc", 400, "limit"),
        ("/api/events?offset=-3", 400, "offset"),
        ("/api/events?type=A&type=B", 400, "type"),
        ("/api/entities?limit=5000", 400, "limit"),
        ("/api/events/no-such-event", 404, "no-such-event"),
        ("/api/entities/no-such-entity", 404, "no-such-entity"),
        ("/api/documents/no-such-doc", 404, "no-such-doc"),
        ("/api/stories/no-such-story", 404, "no-such-story"),
        ("/api/nothing", 404, "no such"),
        ("/nothing/here", 404, "no such"),
    ] {
        let (got, v) = s.get(path);
        assert_eq!(got, status, "{path}: {v}");
        assert!(v["error"].as_str().unwrap().contains(needle), "{path}: {v}");
    }
    let r = request(&s.addr, "GET", "/api/stats", &[], None);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let head = request(&s.addr, "HEAD", "/api/stats", &[], None);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn hostile_requests_are_refused() {
    let s = Server::start(store(), &["--addr", "127.0.0.1:0"]);
    // non-GET methods
    for m in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        for path in ["/api/events", "/", "/api/events/x"] {
            let r = request(&s.addr, m, path, &[], Some(b"{}"));
            assert_eq!(r.status, 405, "{m} {path}");
            assert!(r.text().contains("\"error\""), "{m} {path}");
        }
    }
    // path traversal on the static routes never reaches the file system
    for path in [
        "/assets/../Cargo.toml",
        "/assets/..%2F..%2F..%2FCargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/..\\..\\Cargo.toml",
        "/../../../../etc/passwd",
        "/assets/%2Fetc%2Fpasswd",
        "/assets/app.js%00.html",
        "/event/..%2F..%2Fetc%2Fpasswd/x",
    ] {
        let r = request(&s.addr, "GET", path, &[], None);
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
        assert!(
            !r.text().contains("[workspace]") && !r.text().contains("root:"),
            "{path}"
        );
    }
    assert_eq!(
        request(&s.addr, "GET", "/assets/app.js", &[], None).status,
        200
    );
    // oversized and malformed parameters
    let long = "a".repeat(5000);
    let (st, v) = s.get(&format!("/api/events?q={long}"));
    assert_eq!(st, 400, "{v}");
    assert!(v["error"].as_str().unwrap().starts_with("q:"));
    let r = request(
        &s.addr,
        "GET",
        &format!("/api/events?q={}", "b".repeat(20_000)),
        &[],
        None,
    );
    assert!(
        r.status == 414 || r.status == 400 || r.status == 431,
        "{}",
        r.status
    );
    assert_eq!(s.get("/api/events?q=%ZZ%").0, 200);
    assert_eq!(s.get("/api/events?actor=%00").0, 400);
    assert_eq!(s.ok("/api/events?actor='%20OR%201=1--")["total"], 0);
    // a loopback server answers only requests addressed to a loopback name (DNS rebinding)
    let r = request(
        &s.addr,
        "GET",
        "/api/stats",
        &[("Host", "evil.example:80")],
        None,
    );
    assert_eq!(r.status, 403);
    let r = request(&s.addr, "GET", "/api/stats", &[("Host", "localhost")], None);
    assert_eq!(r.status, 200);
}

#[test]
fn binds_loopback_unless_told_and_stops_on_ctrl_c() {
    let db = store();
    let help = bin().args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("127.0.0.1:8080"), "{help}");
    // the default address, when free here
    if std::net::TcpListener::bind("127.0.0.1:8080").is_ok() {
        let s = Server::start(db, &[]);
        assert_eq!(s.url, "http://127.0.0.1:8080/");
    } else {
        eprintln!("note: port 8080 is busy; the default-address check is skipped");
    }
    let s = Server::start(db, &["--addr", "127.0.0.1:0"]);
    assert!(s.url.starts_with("http://127.0.0.1:"));
    assert!(!s.banner.contains("reachable from other machines"));
    drop(s);
    // all interfaces only when asked, and said so
    let mut s = Server::start(db, &["--addr", "0.0.0.0:0"]);
    assert!(s.url.starts_with("http://0.0.0.0:"));
    assert!(
        s.banner.contains("reachable from other machines"),
        "{}",
        s.banner
    );
    // Ctrl-C: a graceful stop, exit status 0
    let pid = s.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = s.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

/// The date filters read the date index for events without an end date and
/// `events_date_end` for the others: events given end dates by hand are
/// found exactly as the export's dates say.
#[test]
fn events_with_an_end_date_meet_the_date_filters() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("spans.db");
    std::fs::copy(store(), &db).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let dated: Vec<(String, String)> = conn
        .prepare("SELECT id, date FROM events WHERE date IS NOT NULL ORDER BY date, id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(dated.len() >= 3, "events with dates: {}", dated.len());
    let (first, mid) = (&dated[0], &dated[dated.len() / 2]);
    conn.execute(
        "UPDATE events SET date_end = ?2 WHERE id = ?1",
        [&first.0, &mid.1],
    )
    .unwrap();
    conn.execute(
        "UPDATE events SET date_end = '9999' WHERE id = ?1",
        [&dated[1].0],
    )
    .unwrap();
    drop(conn);
    let t = export_json(&db);
    let s = Server::start(&db, &["--addr", "127.0.0.1:0"]);
    let by_end = |e: &Value, from: &str, to: &str| {
        e["date"].as_str().is_some_and(|d| {
            let end = e["date_end"].as_str().unwrap_or(d);
            format!("{end}~").as_str() >= from && d <= format!("{to}~").as_str()
        })
    };
    let day = mid.1.as_str();
    for (filter, from, to, spans) in [
        (format!("from={day}"), day, "9999", true),
        (format!("from={day}&to={day}"), day, day, true),
        (format!("from={}", &day[..4]), &day[..4], "9999", true),
        ("from=9999-12-31".to_string(), "9999-12-31", "9999", false),
    ] {
        let expected: Vec<String> = t["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| by_end(e, from, to))
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            expected.contains(&first.0),
            spans,
            "{filter}: the span reaches {day}"
        );
        assert!(expected.contains(&dated[1].0), "{filter}: open to 9999");
        let got = all_events(&s, &filter);
        assert_eq!(ids(&Value::Array(got)), expected, "filter {filter}");
    }
}

#[test]
fn a_missing_store_or_a_newer_schema_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    let out = bin()
        .arg("serve")
        .arg("--db")
        .arg(&missing)
        .args(["--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not found") && err.contains("eventline ingest"),
        "{err}"
    );
    assert!(!missing.exists(), "serve must not create the store");

    let newer = dir.path().join("newer.db");
    std::fs::copy(store(), &newer).unwrap();
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let out = bin()
        .arg("serve")
        .arg("--db")
        .arg(&newer)
        .args(["--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("schema version 999") && err.contains("newer"),
        "{err}"
    );
}

/// `export`'s filters agree with `/api/events`; the interchange formats hold
/// what they promise.
#[test]
fn export_filters_agree_with_the_api_and_interchange_formats_cite_sources() {
    let db = store();
    let t = export_json(db);
    let m = meeting(&t);
    let s = Server::start(db, &["--addr", "127.0.0.1:0"]);
    let actor = m["actors"][0].as_str().unwrap().to_string();
    let day = m["date"].as_str().unwrap().to_string();
    for (flags, query) in [
        (vec!["--actor", &actor], format!("actor={}", enc(&actor))),
        (
            vec!["--type", "CONSULT", "--from", &day],
            format!("type=CONSULT&from={day}"),
        ),
        (
            vec!["--q", "Damascus", "--status", "occurred"],
            "q=Damascus&status=occurred".into(),
        ),
    ] {
        let out = bin()
            .args(["export", "--format", "jsonl", "--db"])
            .arg(db)
            .args(&flags)
            .output()
            .unwrap();
        assert!(out.status.success());
        let mut got: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let mut api = ids(&Value::Array(all_events(&s, &query)));
        got.sort();
        api.sort();
        assert_eq!(got, api, "{flags:?}");
    }
    let export = |format: &str| {
        let out = bin()
            .args(["export", "--format", format, "--db"])
            .arg(db)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let events = t["events"].as_array().unwrap();
    let plover: Vec<Value> = export("plover")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(plover.len(), events.len());
    let rec = plover.iter().find(|r| r["id"] == m["id"]).unwrap();
    assert_eq!(rec["event"], "CONSULT");
    assert_eq!(
        rec["cite"].as_array().unwrap().len(),
        m["sources"].as_array().unwrap().len()
    );
    let geo: Value = serde_json::from_str(&export("geojson")).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    for f in geo["features"].as_array().unwrap() {
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(c[0].as_f64().unwrap().abs() <= 180.0 && c[1].as_f64().unwrap().abs() <= 90.0);
    }
    let tl: Value = serde_json::from_str(&export("timelinejs")).unwrap();
    let dated = events.iter().filter(|e| !e["date"].is_null()).count();
    assert_eq!(tl["events"].as_array().unwrap().len(), dated);
    // sources with a URL are linked
    if t["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| !d["url"].is_null())
    {
        assert!(tl.to_string().contains("<a href=\\\"https://"));
        assert!(export("csv").contains("https://"));
    }
}

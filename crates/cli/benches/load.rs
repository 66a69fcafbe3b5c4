//! Load benchmark of `eventline serve`: requests/s and p50/p99 latency of
//! `/api/events` without filters, with filters and with full-text search, at
//! 1 and 16 concurrent clients, on loopback, against the real binary.
//!
//! ```text
//! cargo bench -p eventline-pipeline --bench scale -- --sizes 20000 --keep DIR   # builds DIR/store-20000.db
//! cargo bench -p eventline-cli --bench load -- --db DIR/store-20000.db [--seconds 5] [--clients 1,16]
//! ```
//!
//! The queries are taken from the store itself (its most-mentioned entity,
//! the outlet of its first event, a word of the most-mentioned names, the
//! busiest month), so any store works. Every response must be `200` with a
//! `total` that agrees with the other routes (asserted), so a fast wrong
//! answer fails. Each client keeps one HTTP/1.1 connection open.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server under test, killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(db: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eventline"))
            .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn eventline serve");
        let mut err = BufReader::new(child.stderr.take().expect("stderr"));
        let addr = loop {
            let mut line = String::new();
            assert!(
                err.read_line(&mut line).expect("read stderr") > 0,
                "serve exited before listening"
            );
            if let Some(i) = line.find("http://") {
                break line[i + 7..]
                    .split_whitespace()
                    .next()
                    .expect("url")
                    .trim_end_matches('/')
                    .to_string();
            }
        };
        std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One kept-alive HTTP/1.1 connection.
struct Client {
    stream: BufReader<TcpStream>,
    addr: String,
}

impl Client {
    fn new(addr: &str) -> Client {
        let s = TcpStream::connect(addr).expect("connect");
        s.set_nodelay(true).expect("nodelay");
        s.set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        Client {
            stream: BufReader::new(s),
            addr: addr.to_string(),
        }
    }

    /// GETs `path`: the status and the body.
    fn get(&mut self, path: &str) -> (u16, Vec<u8>) {
        let req = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        self.stream
            .get_mut()
            .write_all(req.as_bytes())
            .expect("send");
        let mut status = 0;
        let mut len = 0usize;
        let mut first = true;
        loop {
            let mut line = String::new();
            assert!(
                self.stream.read_line(&mut line).expect("head") > 0,
                "closed"
            );
            let line = line.trim_end();
            if first {
                status = line
                    .split_whitespace()
                    .nth(1)
                    .and_then(|c| c.parse().ok())
                    .expect("status line");
                first = false;
            } else if line.is_empty() {
                break;
            } else if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().expect("content-length");
            }
        }
        let mut body = vec![0; len];
        self.stream.read_exact(&mut body).expect("body");
        (status, body)
    }

    /// GETs `path` and parses its JSON body; panics unless `200`.
    fn json(&mut self, path: &str) -> serde_json::Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).expect("JSON body")
    }
}

/// Percent-encodes a query parameter value.
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

/// The month (`YYYY-MM`) most of `events` fall in, the earliest on a tie.
fn busiest_month(events: &[serde_json::Value]) -> Option<String> {
    let mut months: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in events {
        if let Some(d) = e["date"].as_str().filter(|d| d.len() >= 7) {
            *months.entry(&d[..7]).or_default() += 1;
        }
    }
    let best = months.values().copied().max()?;
    months
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(m, _)| m.to_string())
}

/// The value at quantile `q` of sorted `v`.
fn quantile(v: &[Duration], q: f64) -> Duration {
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(db) = opt("--db") else {
        eprintln!(
            "skipping: no --db STORE given (build one with the scale bench's --keep DIR, see this file's doc)"
        );
        return;
    };
    assert!(PathBuf::from(&db).is_file(), "{db}: no such store");
    let seconds: f64 = opt("--seconds").map_or(5.0, |s| s.parse().expect("seconds"));
    let clients: Vec<usize> = opt("--clients")
        .unwrap_or_else(|| "1,16".into())
        .split(',')
        .map(|c| c.parse().expect("a client count"))
        .collect();

    let server = Server::start(&db);
    let mut c = Client::new(&server.addr);
    let stats = c.json("/api/stats");
    let n_events = stats["events"].as_u64().expect("events");
    assert!(n_events > 0, "the store has no events");

    // queries drawn from the store
    let top = c.json("/api/entities?limit=20");
    let entities = top["entities"].as_array().expect("entities");
    let entity = &entities[0];
    let id = entity["id"].as_str().expect("entity id").to_string();
    // a word for full-text search: the first word of four letters or more
    // in the most-mentioned entities' names
    let word = entities
        .iter()
        .filter_map(|e| e["name"].as_str())
        .flat_map(|n| n.split(|ch: char| !ch.is_alphanumeric()))
        .find(|w| w.chars().count() >= 4)
        .unwrap_or("said")
        .to_lowercase();
    let first = c.json("/api/events?limit=1");
    let ev = first["events"][0]["id"]
        .as_str()
        .expect("event id")
        .to_string();
    let one = c.json(&format!("/api/events/{ev}"));
    let outlet = one["documents"]
        .as_array()
        .and_then(|d| d.iter().find_map(|d| d["outlet"].as_str()))
        .map(str::to_string);
    let entity_events = c.json(&format!("/api/entities/{id}"))["events"]
        .as_array()
        .expect("entity events")
        .len() as u64;
    let by_entity = c.json(&format!("/api/events?entity={id}&limit=1"))["total"]
        .as_u64()
        .expect("total");
    assert_eq!(
        by_entity, entity_events,
        "events of entity {id}: /api/events?entity= and /api/entities/{{id}} disagree"
    );
    let all = c.json("/api/events?limit=1")["total"]
        .as_u64()
        .expect("total");
    assert_eq!(all, n_events, "/api/events total and /api/stats disagree");
    // date ranges: the busiest month of the timeline (sampled across it) and
    // the busiest month of the search word's events
    let mut sample = Vec::new();
    for i in 0..10 {
        let page = c.json(&format!(
            "/api/events?limit=100&offset={}",
            n_events * i / 10
        ));
        sample.extend(page["events"].as_array().expect("events").iter().cloned());
    }
    let month = busiest_month(&sample).unwrap_or_else(|| "2024-06".into());
    let hits = c.json(&format!("/api/events?q={}&limit=1000", enc(&word)));
    let q_month =
        busiest_month(hits["events"].as_array().expect("events")).unwrap_or_else(|| month.clone());
    let mut queries: Vec<(String, String)> = vec![
        ("no filter".into(), "/api/events".into()),
        ("actor".into(), format!("/api/events?actor={}", enc(&id))),
        (
            "month".into(),
            format!("/api/events?from={month}&to={month}"),
        ),
        ("type".into(), "/api/events?type=CONSULT".into()),
        ("q".into(), format!("/api/events?q={}", enc(&word))),
        (
            "q + month".into(),
            format!("/api/events?q={}&from={q_month}&to={q_month}", enc(&word)),
        ),
    ];
    if let Some(o) = &outlet {
        queries.push((
            "outlet + actor".into(),
            format!("/api/events?outlet={}&actor={}", enc(o), enc(&id)),
        ));
    }
    // each query's number of matches, checked against the store
    let mut matches = Vec::new();
    for (label, q) in &queries {
        let total = c.json(q)["total"].as_u64().expect("total");
        assert!(
            total <= n_events,
            "{label}: total {total} above the store's {n_events}"
        );
        matches.push(total);
    }
    // the unfiltered list, the busiest month and the search word's month
    // were drawn from the store's own events, so they match
    for label in ["no filter", "month", "q", "q + month"] {
        let i = queries.iter().position(|(l, _)| l == label).expect("query");
        assert!(matches[i] > 0, "{label} ({}): no match", queries[i].1);
    }
    drop(c);

    println!(
        "store {db}: {} documents, {n_events} events; {seconds} s per row; entity {id}, word {word:?}, months {month} and {q_month}",
        stats["documents"]
    );
    println!("| query | matches | clients | requests | req/s | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|---|");
    for ((label, q), total) in queries.iter().zip(&matches) {
        for &k in &clients {
            let t0 = Instant::now();
            let stop = t0 + Duration::from_secs_f64(seconds);
            let handles: Vec<_> = (0..k)
                .map(|_| {
                    let (addr, q) = (server.addr.clone(), q.clone());
                    std::thread::spawn(move || {
                        let mut c = Client::new(&addr);
                        let mut lat = Vec::new();
                        while Instant::now() < stop {
                            let t = Instant::now();
                            let (status, _) = c.get(&q);
                            lat.push(t.elapsed());
                            assert_eq!(status, 200, "{q}");
                        }
                        lat
                    })
                })
                .collect();
            let mut lat: Vec<Duration> = handles
                .into_iter()
                .flat_map(|h| h.join().expect("client"))
                .collect();
            let wall = t0.elapsed().as_secs_f64();
            lat.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            println!(
                "| {label} | {total} | {k} | {} | {:.0} | {:.1} | {:.1} | {:.1} |",
                lat.len(),
                lat.len() as f64 / wall,
                ms(quantile(&lat, 0.5)),
                ms(quantile(&lat, 0.99)),
                ms(*lat.last().expect("a request"))
            );
        }
    }
}

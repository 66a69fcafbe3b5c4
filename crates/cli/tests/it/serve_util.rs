//! Shared by the `serve` tests: a store built by the real binary, a running
//! `eventline serve`, a raw HTTP/1.1 client (so tests can send what a
//! browser would not), and a minimal WebDriver client for chromedriver.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_eventline"));
    c.env_remove("EVENTLINE_MODEL");
    c
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared` next to the repository, when present.
pub fn shared() -> Option<PathBuf> {
    let p = repo().join("../shared");
    p.join("data").is_dir().then_some(p)
}

/// How many TempEval-3 AQUAINT articles join the examples in the test store
/// (`EVENTLINE_SERVE_TEST_DOCS`, default 200: ingest is the slow part).
fn extra_docs() -> usize {
    std::env::var("EVENTLINE_SERVE_TEST_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// Outlet and URL for an AQUAINT article, from its wire-service id prefix.
fn aquaint_outlet(id: &str) -> Option<&'static str> {
    match id.get(..3) {
        Some("APW") => Some("Associated Press"),
        Some("NYT") => Some("The New York Times"),
        Some("XIE") => Some("Xinhua"),
        _ => None,
    }
}

/// The test store: the example articles plus AQUAINT articles as JSON Lines
/// (with outlets and URLs), ingested by the real binary. Built once per
/// binary version and cached under the target directory.
pub fn store() -> &'static Path {
    static STORE: OnceLock<PathBuf> = OnceLock::new();
    STORE.get_or_init(|| {
        let n = if shared().is_some() { extra_docs() } else { 0 };
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-store-{n}"));
        let db = dir.join("eventline.db");
        let exe = PathBuf::from(env!("CARGO_BIN_EXE_eventline"));
        let fresh = |p: &Path| {
            let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
            matches!((m(p), m(&exe)), (Some(a), Some(b)) if a > b)
        };
        if db.is_file() && fresh(&db) {
            return db;
        }
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut cmd = bin();
        cmd.arg("ingest").arg("--db").arg(&db).arg(repo().join("examples/seeds"));
        match shared() {
            Some(s) if n > 0 => {
                let docs = eval::timeml::read_timeml_dir(
                    &s.join("data/tempeval3-train/AQUAINT"),
                )
                .expect("read AQUAINT");
                let mut jsonl = String::new();
                for d in docs.iter().take(n) {
                    let outlet = aquaint_outlet(&d.id);
                    let rec = json!({
                        "id": d.id,
                        "date": d.dct.map(|x| x.to_string()),
                        "outlet": outlet,
                        "url": outlet.map(|_| format!("https://example.org/news/{}", d.id)),
                        "text": d.text,
                    });
                    jsonl.push_str(&rec.to_string());
                    jsonl.push('\n');
                }
                let path = dir.join("aquaint.jsonl");
                std::fs::write(&path, jsonl).unwrap();
                cmd.arg(&path);
            }
            _ => eprintln!(
                "note: ../shared/data is absent: the serve tests use a store of the three examples only"
            ),
        }
        let out = cmd.output().expect("run eventline ingest");
        assert!(
            out.status.success(),
            "ingest failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        db
    })
}

/// `eventline export --format json` over `db`.
pub fn export_json(db: &Path) -> Value {
    let out = bin()
        .args(["export", "--format", "json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A running `eventline serve`; killed when dropped.
pub struct Server {
    pub child: Child,
    /// `http://HOST:PORT/` as printed.
    pub url: String,
    /// `HOST:PORT`.
    pub addr: String,
    /// What it printed on stderr before and including the URL.
    pub banner: String,
}

impl Server {
    /// Starts `eventline serve --db db` with `args`, waiting for the URL line.
    pub fn start(db: &Path, args: &[&str]) -> Server {
        let mut child = bin()
            .arg("serve")
            .arg("--db")
            .arg(db)
            .args(args)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn eventline serve");
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut banner = String::new();
        let url = loop {
            let mut line = String::new();
            if err.read_line(&mut line).unwrap() == 0 {
                panic!("serve exited before listening: {banner}");
            }
            banner.push_str(&line);
            if let Some(i) = line.find("http://") {
                break line[i..].split_whitespace().next().unwrap().to_string();
            }
        };
        // keep draining stderr so the server never blocks on it
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut err, &mut std::io::sink());
        });
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        Server {
            child,
            url,
            addr,
            banner,
        }
    }

    /// GET `path`, returning status and JSON body.
    pub fn get(&self, path: &str) -> (u16, Value) {
        let r = request(&self.addr, "GET", path, &[], None);
        let v = serde_json::from_slice(&r.body)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {}", r.text()));
        (r.status, v)
    }

    /// GET `path`, which must answer 200 with JSON.
    pub fn ok(&self, path: &str) -> Value {
        let (status, v) = self.get(path);
        assert_eq!(status, 200, "{path}: {v}");
        v
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP answer.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one HTTP/1.1 request with `path` exactly as given (no normalization).
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or_default();
    if !body.is_empty() || method == "POST" || method == "PUT" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    // Read the head, then the body by its length: some servers (chromedriver)
    // keep the connection open despite `Connection: close`.
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let split = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "connection closed before the response head");
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut body = raw[split + 4..].to_vec();
    let length = header("content-length").and_then(|v| v.parse::<usize>().ok());
    let chunked = header("transfer-encoding").is_some_and(|v| v.contains("chunked"));
    if method == "HEAD" || status == 204 || status == 304 {
        body.clear();
    } else if let Some(n) = length {
        while body.len() < n {
            let k = s.read(&mut buf).unwrap();
            if k == 0 {
                break;
            }
            body.extend_from_slice(&buf[..k]);
        }
        body.truncate(n);
    } else if chunked {
        while !body.ends_with(b"0\r\n\r\n") {
            let k = s.read(&mut buf).unwrap();
            if k == 0 {
                break;
            }
            body.extend_from_slice(&buf[..k]);
        }
        body = dechunk(&body);
    } else {
        s.read_to_end(&mut body).unwrap();
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

/// Finding Chromium and chromedriver: `export`'s test helper, shared.
#[path = "../../../export/tests/it/browser.rs"]
mod browser;
pub use browser::{CHROMIUM_FLAGS, chromedriver, chromium};

/// The DOM of `url` after its scripts ran (`--dump-dom`, waiting for fetches).
pub fn dump_dom(browser: &str, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--virtual-time-budget=15000")
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A chromedriver process and one browser session, driven over the W3C
/// WebDriver protocol with the raw client above.
pub struct Driver {
    child: Child,
    addr: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    /// Starts chromedriver and a headless Chromium session; `None` when
    /// chromedriver is not installed (see `browser::installed`).
    pub fn start(browser: &str) -> Option<Driver> {
        let driver = chromedriver()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let start = Instant::now();
        while TcpStream::connect(&addr).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let which = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {browser}"))
            .output()
            .expect("sh");
        let binary = String::from_utf8_lossy(&which.stdout).trim().to_string();
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": binary, "args": args},
        }}});
        let mut d = Driver {
            child,
            addr,
            session: String::new(),
            _profile: profile,
        };
        let v = d.call("POST", "/session", Some(caps));
        d.session = v["sessionId"].as_str().expect("session id").to_string();
        Some(d)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let r = request(
            &self.addr,
            method,
            path,
            &[("Content-Type", "application/json")],
            body.as_deref().map(str::as_bytes),
        );
        let v: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        assert!(r.status < 300, "webdriver {method} {path}: {}", r.text());
        v["value"].clone()
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Opens `url`.
    pub fn goto(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({ "url": url })));
    }

    /// The current URL.
    pub fn url(&self) -> String {
        self.call("GET", &self.s("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs `script` (a function body) and returns its value.
    pub fn eval(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Waits until the UI says it finished drawing (`body[data-ready=1]`).
    pub fn wait_ready(&self) {
        let start = Instant::now();
        loop {
            let v = self.eval("return document.body.dataset.ready || ''");
            match v.as_str() {
                Some("1") => return,
                Some("error") => panic!(
                    "page failed: {}",
                    self.eval("return document.body.innerText")
                ),
                _ => {}
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "page never got ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.s("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    /// Types `text` into the element matching `css`.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/value")),
            Some(json!({ "text": text })),
        );
    }

    /// Clicks the element matching `css`.
    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/click")),
            Some(json!({})),
        );
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(&self.addr, "DELETE", &self.s(""), &[], None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

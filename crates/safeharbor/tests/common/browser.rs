//! A small WebDriver client for real-browser tests: Debian's Chromium driven by Debian's
//! chromedriver, spoken to over plain HTTP with `reqwest` and `serde_json`
//! (<https://www.w3.org/TR/webdriver2/>). Each `Browser` has its own chromedriver process (killed
//! when the `Browser` is dropped) and a fresh, empty profile folder that the test can read after
//! `quit`.
//!
//! Nothing is downloaded here: when Chromium or chromedriver is missing the test fails and says
//! how to install them. A browser test that quietly skipped could never fail.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

const INSTALL: &str = "install Debian's chromium and chromium-driver: \
                       apt-get install -y --no-install-recommends chromium chromium-driver \
                       (README.md, \"Run the tests\"; .ci/run does it)";

/// The WebDriver key code for Escape.
pub const ESCAPE: &str = "\u{E00C}";

/// The WebDriver key code for Tab.
pub const TAB: &str = "\u{E004}";

/// The key under which WebDriver names an element.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long a bounded wait polls before it gives up.
const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);

/// Window sizes the tests use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Desktop,
    Phone,
}

impl Size {
    pub fn name(self) -> &'static str {
        match self {
            Size::Desktop => "desktop",
            Size::Phone => "phone",
        }
    }

    pub fn width_height(self) -> (u32, u32) {
        match self {
            Size::Desktop => (1280, 900),
            Size::Phone => (390, 844),
        }
    }
}

/// An element on the current page, as WebDriver refers to it.
#[derive(Debug, Clone)]
pub struct Element(String);

#[derive(Debug)]
pub struct Browser {
    http: reqwest::Client,
    driver: Child,
    driver_addr: SocketAddr,
    session: Option<String>,
    /// Holds the profile folder (`profile/`); deleted when the browser is dropped.
    work: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a headless Chromium with a fresh
    /// profile.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Like [`Browser::start`], with JavaScript switched off, as some people keep it.
    pub async fn start_without_javascript() -> Self {
        Self::start_with(&["--blink-settings=scriptEnabled=false"]).await
    }

    async fn start_with(extra_args: &[&str]) -> Self {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing, so the real-browser tests cannot run: {INSTALL}"
            );
        }
        let work = tempfile::tempdir().expect("temp dir for the browser profile");
        let profile = work.path().join("profile");
        std::fs::create_dir(&profile).expect("profile folder");

        let driver_addr = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port for chromedriver");
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={}", driver_addr.port()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {CHROMEDRIVER}: {err}; {INSTALL}"));
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .expect("http client");
        let mut browser = Browser {
            http,
            driver,
            driver_addr,
            session: None,
            work,
        };
        browser.wait_for_driver().await;

        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            // Only loopback answers: anything else (the quick exit's everyday site, say) fails
            // at once instead of waiting on a network that is not there.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
                .to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        args.extend(extra_args.iter().map(|arg| (*arg).to_owned()));
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "timeouts": { "implicit": 0, "pageLoad": 30_000, "script": 60_000 },
                    "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
                }
            }
        });
        let created = browser.send("POST", "/session", Some(capabilities)).await;
        let id = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver made no session: {created}"))
            .to_owned();
        browser.session = Some(id);
        browser
    }

    /// Polls chromedriver's status until it is ready (bounded).
    async fn wait_for_driver(&mut self) {
        let url = format!("http://{}/status", self.driver_addr);
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!("{CHROMEDRIVER} stopped at start ({status}); {INSTALL}");
            }
            if let Ok(response) = self.http.get(&url).send().await
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{CHROMEDRIVER} did not become ready within {WAIT:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// One WebDriver command; panics with the driver's own message when it fails.
    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("http://{}{path}", self.driver_addr);
        let request = match method {
            "GET" => self.http.get(&url),
            "DELETE" => self.http.delete(&url),
            _ => self
                .http
                .post(&url)
                .json(&body.unwrap_or_else(|| json!({}))),
        };
        let response = request
            .send()
            .await
            .unwrap_or_else(|err| panic!("WebDriver {method} {path}: {err}"));
        let status = response.status();
        let reply: Value = response
            .json()
            .await
            .unwrap_or_else(|err| panic!("WebDriver {method} {path}: unreadable reply: {err}"));
        if !status.is_success() {
            panic!(
                "WebDriver {method} {path} failed ({status}): {} {}",
                reply["value"]["error"], reply["value"]["message"]
            );
        }
        reply["value"].clone()
    }

    /// A command on the current session.
    async fn session_send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let id = self
            .session
            .as_deref()
            .expect("the browser has already quit");
        self.send(method, &format!("/session/{id}{path}"), body)
            .await
    }

    /// Adds a virtual passkey authenticator (the WebDriver WebAuthn extension) that is present and
    /// verifies the person, as a security key with a PIN would.
    pub async fn add_virtual_authenticator(&self) {
        self.session_send(
            "POST",
            "/webauthn/authenticator",
            Some(json!({
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": true,
                "hasUserVerification": true,
                "isUserVerified": true,
                "automaticPresenceSimulation": true
            })),
        )
        .await;
    }

    /// The profile folder (`--user-data-dir`); Chromium's own files are under `Default/`.
    pub fn profile_dir(&self) -> PathBuf {
        self.work.path().join("profile")
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        self.session_send("POST", "/url", Some(json!({ "url": url })))
            .await;
    }

    pub async fn current_url(&self) -> String {
        value_string(self.session_send("GET", "/url", None).await)
    }

    pub async fn title(&self) -> String {
        value_string(self.session_send("GET", "/title", None).await)
    }

    pub async fn page_source(&self) -> String {
        value_string(self.session_send("GET", "/source", None).await)
    }

    /// The first element matching a CSS selector; panics if there is none.
    pub async fn find(&self, css: &str) -> Element {
        let found = self
            .session_send(
                "POST",
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await;
        element(&found)
    }

    /// Every element matching a CSS selector (perhaps none).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self
            .session_send(
                "POST",
                "/elements",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await;
        found
            .as_array()
            .map(|all| all.iter().map(element).collect())
            .unwrap_or_default()
    }

    pub async fn click(&self, element: &Element) {
        self.session_send("POST", &format!("/element/{}/click", element.0), None)
            .await;
    }

    /// Types `text` into a field, as keystrokes.
    pub async fn type_text(&self, element: &Element, text: &str) {
        self.session_send(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// Presses and releases one key (for example [`ESCAPE`]) on whatever has focus, through the
    /// Actions API, as a person's keyboard would.
    pub async fn press_key(&self, key: &str) {
        // Chrome drops input that arrives before a page has drawn its first frame (no person
        // can press a key on a page not yet shown): wait for two frames first.
        self.execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            json!([]),
        )
        .await;
        let actions = json!({ "actions": [{
            "type": "key",
            "id": "keyboard",
            "actions": [
                { "type": "keyDown", "value": key },
                { "type": "keyUp", "value": key },
            ],
        }]});
        self.session_send("POST", "/actions", Some(actions)).await;
        self.session_send("DELETE", "/actions", None).await;
    }

    /// The browser's Back button.
    pub async fn back(&self) {
        self.session_send("POST", "/back", None).await;
    }

    /// Runs `script` as the body of a function (arguments in `arguments`) and returns what it
    /// returns.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.session_send(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Like [`Browser::execute`], but the script reports by calling its last argument, so it
    /// may wait for promises.
    pub async fn execute_async(&self, script: &str, args: Value) -> Value {
        self.session_send(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Polls `script` (a function body returning true or false) until it returns true; panics
    /// after a bounded wait naming `what` was awaited.
    pub async fn wait_for(&self, what: &str, script: &str) {
        let deadline = std::time::Instant::now() + WAIT;
        while self.execute(script, json!([])).await != Value::Bool(true) {
            assert!(
                std::time::Instant::now() < deadline,
                "waited {WAIT:?} for {what}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Polls the address until `ok` accepts it (bounded); returns it.
    pub async fn wait_for_url(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let url = self.current_url().await;
            if ok(&url) {
                return url;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "waited {WAIT:?} for {what}; the address is still {url}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Opens a new tab with a history of its own and switches to it.
    pub async fn new_tab(&self) {
        let created = self
            .session_send("POST", "/window/new", Some(json!({ "type": "tab" })))
            .await;
        let handle = value_string(created["handle"].clone());
        self.session_send("POST", "/window", Some(json!({ "handle": handle })))
            .await;
    }

    /// Resizes the window so that the page gets exactly this size (the window's own frame is
    /// measured and added). A long page can take a moment to lay out again at a new size, so
    /// the page's size is read until it holds still before the frame is measured.
    pub async fn set_size(&self, size: Size) {
        let (width, height) = size.width_height();
        let wanted = (i64::from(width), i64::from(height));
        let (mut outer_width, mut outer_height) = wanted;
        for _ in 0..5 {
            self.session_send(
                "POST",
                "/window/rect",
                Some(json!({ "width": outer_width, "height": outer_height })),
            )
            .await;
            let (inner_width, inner_height) = self.settled_inner_size().await;
            if (inner_width, inner_height) == wanted {
                return;
            }
            outer_width += wanted.0 - inner_width;
            outer_height += wanted.1 - inner_height;
        }
        panic!("the page cannot be given {width}x{height} pixels");
    }

    /// The page's inner size once two readings 50 ms apart agree (or after a second).
    async fn settled_inner_size(&self) -> (i64, i64) {
        let mut last = None;
        for _ in 0..20 {
            let inner = self
                .execute("return [window.innerWidth, window.innerHeight];", json!([]))
                .await;
            let now = (
                inner[0].as_i64().unwrap_or_default(),
                inner[1].as_i64().unwrap_or_default(),
            );
            if last == Some(now) {
                return now;
            }
            last = Some(now);
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        last.unwrap_or_default()
    }

    /// Saves what the window shows now as a PNG file.
    pub async fn screenshot(&self, path: &Path) {
        let encoded = value_string(self.session_send("GET", "/screenshot", None).await);
        let png = decode_base64(&encoded);
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "the screenshot is not a PNG"
        );
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("screenshot folder");
        }
        std::fs::write(path, png)
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
    }

    /// Closes the browser the way a person would, so that it writes its history, cookies and
    /// other profile files to disk. The profile stays until the `Browser` is dropped.
    pub async fn quit(&mut self) {
        if self.session.is_some() {
            self.session_send("DELETE", "", None).await;
            self.session = None;
        }
    }
}

impl Drop for Browser {
    /// Asks chromedriver to shut down (which closes any browser still open), waits a bounded
    /// time, then kills it.
    fn drop(&mut self) {
        if let Ok(mut stream) =
            TcpStream::connect_timeout(&self.driver_addr, Duration::from_secs(1))
        {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = stream.write_all(
                b"GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            );
            let _ = stream.read_to_end(&mut Vec::new());
        }
        for _ in 0..100 {
            if matches!(self.driver.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(POLL);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn value_string(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => panic!("WebDriver answered {other}, not a string"),
    }
}

fn element(found: &Value) -> Element {
    Element(value_string(found[ELEMENT_KEY].clone()))
}

/// Standard base64 (as WebDriver sends screenshots), without pulling in a crate for it.
fn decode_base64(text: &str) -> Vec<u8> {
    fn sextet(c: u8) -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {:?}", char::from(c)),
        }
    }
    let symbols: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(symbols.len() * 3 / 4);
    for chunk in symbols.chunks(4) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &c)| acc | (sextet(c) << (18 - 6 * i)));
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// Whether `bytes` hold `text` in UTF-8 or in UTF-16 (Chromium's session files use both).
pub fn holds(bytes: &[u8], text: &str) -> bool {
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    [text.as_bytes(), &utf16[..]]
        .iter()
        .any(|needle| bytes.windows(needle.len()).any(|w| w == *needle))
}

/// Every file under `folder` (a browser profile) that [`holds`] `text`.
pub fn files_holding(folder: &Path, text: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("a profile folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if std::fs::read(&path).is_ok_and(|bytes| holds(&bytes, text)) {
                found.push(path);
            }
        }
    }
    found
}

/// axe-core's script, as `npm ci --prefix tests/browser` installs it.
pub fn axe_script() -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&file).unwrap_or_else(|err| {
        panic!(
            "{}: {err}. axe-core is missing: run `npm ci --prefix tests/browser --no-audit \
             --no-fund` (README.md, \"Run the tests\"; .ci/run does it)",
            file.display()
        )
    })
}

/// The WCAG 2.1 A and AA rules of axe-core.
pub const WCAG21: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// What axe-core finds on the current page under the WCAG 2.1 A and AA rules: serious and
/// critical violations as "rule (impact): targets" lines.
pub async fn axe_violations(b: &Browser, axe: &str) -> Vec<String> {
    axe_violations_of(b, axe, WCAG21).await
}

/// Like [`axe_violations`], under the rules with these axe-core tags.
pub async fn axe_violations_of(b: &Browser, axe: &str, tags: &[&str]) -> Vec<String> {
    b.execute(axe, json!([])).await;
    let result = b
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: arguments[0] },
                                 resultTypes: ['violations'] })
                .then(r => done({ violations: r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(' ')) })) }))
                .catch(e => done({ error: String(e) }));",
            json!([tags]),
        )
        .await;
    assert!(result["error"].is_null(), "axe failed: {}", result["error"]);
    result["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| {
            format!(
                "{} ({}): {} at {}",
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or_default(),
                v["help"].as_str().unwrap_or_default(),
                v["targets"]
            )
        })
        .collect()
}

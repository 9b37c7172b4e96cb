//! Running the real proxies (nginx, HAProxy, Apache httpd, Caddy) on 127.0.0.1 in front of
//! [`backend::Backend`], with the configuration blocks of `docs/proxies.md`, and driving them
//! with `curl --cert`.

pub mod backend;
pub mod pki;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pki::{Client, Pki};

/// How long a proxy may take to listen.
const START_LIMIT: Duration = Duration::from_secs(15);
/// How long a proxy may take to stop after SIGTERM before it is killed.
const STOP_LIMIT: Duration = Duration::from_secs(5);

/// The binary `name` (searched in `PATH`, then `/usr/sbin` and `/sbin`, where Debian puts
/// nginx, HAProxy and apache2). When it is missing: with `CI` set, a failure; otherwise the
/// test prints `skipped: <name> is missing` and gets `None`.
pub fn require(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        assert!(!ci, "{name} is missing (CI is set: .ci/run installs it)");
        eprintln!("skipped: {name} is missing");
    }
    found
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The one fenced code block of `docs/proxies.md` whose first line is `# file: <name>`; its
/// info string names the language (never empty or `rust`, which rustdoc would run as a
/// doctest: the file is part of the `proxy` module's documentation).
pub fn doc_block(name: &str) -> String {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/proxies.md"))
        .expect("read docs/proxies.md");
    let marker = format!("# file: {name}");
    // Fences start lines: the pieces between them alternate text, block, text, …
    let blocks: Vec<(&str, &str)> = doc
        .split("\n```")
        .skip(1)
        .step_by(2)
        .filter_map(|b| b.split_once('\n'))
        .filter(|(_, body)| body.lines().next().map(str::trim) == Some(marker.as_str()))
        .collect();
    match blocks[..] {
        [(info, body)] => {
            assert!(
                !matches!(info.trim(), "" | "rust"),
                "the block {marker:?} needs its language as info string, not {info:?}"
            );
            body.to_string()
        }
        _ => panic!(
            "docs/proxies.md has {} code blocks starting {marker:?}, not one",
            blocks.len()
        ),
    }
}

/// `template` with every `{{KEY}}` replaced by its value; every placeholder must have one.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{{{key}}}}}"), value);
    }
    if let Some(at) = out.find("{{") {
        let rest = &out[at..];
        panic!(
            "placeholder without a value: {}",
            &rest[..rest.find("}}").map_or(rest.len(), |e| e + 2)]
        );
    }
    out
}

/// A proxy process this test started; dropping it (also when the test panics) stops it by
/// its PID: SIGTERM (so a master process stops its workers), then SIGKILL after a limit.
#[derive(Debug)]
pub struct Daemon {
    name: String,
    dir: PathBuf,
    child: Child,
}

impl Daemon {
    /// Starts `command` (stdout and stderr into `<dir>/<name>.log`) and waits until every
    /// port in `ports` accepts connections; an error (with the log) when it exits first, as it
    /// does when another process took one of the ports, or when it takes too long.
    pub fn start(
        name: &str,
        mut command: Command,
        dir: &Path,
        ports: &[u16],
    ) -> Result<Self, String> {
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let mut daemon = Self {
            name: name.to_string(),
            dir: dir.to_path_buf(),
            child,
        };
        let deadline = Instant::now() + START_LIMIT;
        for port in ports {
            while TcpStream::connect(("127.0.0.1", *port)).is_err() {
                if Instant::now() > deadline {
                    return Err(format!(
                        "{name} is not listening on {port} after {START_LIMIT:?}"
                    ));
                }
                daemon.exited()?;
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        // A port another process listens on answers too: still running after a moment means
        // every port was ours to bind.
        std::thread::sleep(Duration::from_millis(100));
        daemon.exited()?;
        Ok(daemon)
    }

    fn exited(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Err(format!("{} exited ({status}):\n{}", self.name, self.log())),
            _ => Ok(()),
        }
    }

    /// What the proxy wrote so far: its output, and the `<name>-error.log` it was told to
    /// write.
    pub fn log(&self) -> String {
        [".log", "-error.log"]
            .map(|suffix| self.dir.join(format!("{}{suffix}", self.name)))
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let deadline = Instant::now() + STOP_LIMIT;
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if let Ok(None) = self.child.try_wait() {
                eprintln!("{} did not stop on SIGTERM: killing it", self.name);
                let _ = self.child.kill();
            }
        }
        let _ = self.child.wait();
    }
}

/// One request through a proxy: which certificate curl presents, which headers it adds.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `https://localhost:<port>/<route>`; `localhost` is 127.0.0.1 (`--resolve`).
    pub url: &'a str,
    /// The CA that issued the proxy's certificate.
    pub ca: &'a Path,
    /// The certificate curl presents (none: `None`).
    pub client: Option<&'a Client>,
    /// Client-sent header lines, `Name: value`.
    pub headers: &'a [String],
}

/// The backend's answer through the proxy, or what went wrong before it (curl's error, or the
/// proxy's own status and body).
pub fn curl(req: Request<'_>) -> String {
    let port = req
        .url
        .strip_prefix("https://localhost:")
        .and_then(|rest| rest.split('/').next())
        .expect("https://localhost:<port>/…");
    let mut cmd = Command::new("curl");
    cmd.args(["--silent", "--show-error", "--max-time", "10"])
        .args([
            "--resolve",
            &format!("localhost:{port}:127.0.0.1"),
            "--cacert",
        ])
        .arg(req.ca)
        .args(["--write-out", "\n%{http_code}"]);
    if let Some(c) = req.client {
        cmd.arg("--cert")
            .arg(&c.cert_path)
            .arg("--key")
            .arg(&c.key_path);
    }
    for h in req.headers {
        cmd.arg("--header").arg(h);
    }
    let out = cmd.arg(req.url).output().expect("run curl");
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return format!(
            "curl failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    match stdout.rsplit_once('\n') {
        Some((body, "200")) => body.trim().to_string(),
        Some((body, status)) => format!("proxy status {status}: {}", body.trim()),
        None => format!("no status from curl: {stdout}"),
    }
}

/// What the backend must answer for `client` through a configuration that forwards (or not)
/// the chain.
pub fn expected(client: Option<&Client>, chain_forwarded: bool) -> String {
    let Some(c) = client else {
        return "none".to_string();
    };
    let chain: &[Vec<u8>] = if chain_forwarded { &c.chain } else { &[] };
    let mut line = format!("thumbprint {} chain {}", c.thumbprint(), chain.len());
    for der in chain {
        line.push(' ');
        line.push_str(
            &rfc8705::Thumbprint::from_der(der)
                .expect("a certificate")
                .to_string(),
        );
    }
    line
}

/// One listener of a recommended configuration, and what the test expects of it.
#[derive(Debug)]
pub struct Listener<'a> {
    /// Names the configuration in failures.
    pub name: &'a str,
    /// `https://localhost:<port>/<route>`.
    pub url: String,
    /// The certificates curl presents through it (each must reach the backend exactly).
    pub clients: Vec<&'a Client>,
    /// Whether the proxy forwards the chain here.
    pub chain_forwarded: bool,
    /// Client-sent copies of every header the proxy uses here.
    pub forged: Vec<String>,
}

/// Checks a recommended configuration's listener; returns one line per wrong outcome:
/// (a) each client's thumbprint (and chain), (b) `none` without a certificate, (c) the same
/// with forged copies of the headers.
pub fn check_recommended(pki: &Pki, l: &Listener<'_>) -> Vec<String> {
    let mut failures = Vec::new();
    let cases = l.clients.iter().map(|c| Some(*c)).chain([None]);
    for client in cases {
        let want = expected(client, l.chain_forwarded);
        for headers in [&[][..], &l.forged[..]] {
            let got = curl(Request {
                url: &l.url,
                ca: &pki.ca,
                client,
                headers,
            });
            if got != want {
                failures.push(format!(
                    "{} with {}{}: got {got:?}, want {want:?}",
                    l.name,
                    client.map_or("no certificate", |c| c.name),
                    if headers.is_empty() {
                        ""
                    } else {
                        " and forged headers"
                    },
                ));
            }
        }
    }
    failures
}

/// Checks a misconfigured (appending) listener: with forged copies of the headers, the
/// forger's certificate is never the answer, whether the application sees the repeated lines
/// or one line joined from them; the correct outcome is an error.
pub fn check_misconfigured(pki: &Pki, l: &Listener<'_>) -> Vec<String> {
    let mut failures = Vec::new();
    let forged = pki.forger.thumbprint();
    let cases = l.clients.iter().map(|c| Some(*c)).chain([None]);
    let joined = format!("{}/joined", l.url);
    for (client, (url, view)) in
        cases.flat_map(|c| [(&l.url[..], "lines"), (&joined[..], "joined")].map(|u| (c, u)))
    {
        let got = curl(Request {
            url,
            ca: &pki.ca,
            client,
            headers: &l.forged,
        });
        let who = format!("{} ({view})", client.map_or("no certificate", |c| c.name));
        if got.contains(&forged) {
            failures.push(format!(
                "{} with {who}: the FORGED certificate won: {got:?}",
                l.name
            ));
        } else if !got.starts_with("error ") {
            failures.push(format!("{} with {who}: got {got:?}, want an error", l.name));
        }
    }
    failures
}

/// A certificate the verifying listener must refuse never reaches the backend as one.
pub fn check_refused(pki: &Pki, name: &str, url: &str, client: &Client) -> Vec<String> {
    let got = curl(Request {
        url,
        ca: &pki.ca,
        client: Some(client),
        headers: &[],
    });
    if got.starts_with("thumbprint ") {
        vec![format!(
            "{name}: {} reached the backend: {got:?}",
            client.name
        )]
    } else {
        Vec::new()
    }
}

/// Panics listing every failure, with the proxy's log.
pub fn assert_no_failures(failures: &[String], daemons: &[&Daemon]) {
    if failures.is_empty() {
        return;
    }
    let logs: Vec<String> = daemons
        .iter()
        .map(|d| format!("--- {} log:\n{}", d.name, d.log()))
        .collect();
    panic!(
        "{} wrong outcome(s):\n{}\n{}",
        failures.len(),
        failures.join("\n"),
        logs.join("\n")
    );
}

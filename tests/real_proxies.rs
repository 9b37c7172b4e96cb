//! The real proxies — nginx, HAProxy, Apache httpd (mod_ssl, mod_headers) and Caddy — on
//! 127.0.0.1, each running the configuration blocks of `docs/proxies.md` in front of a backend
//! that reads the forwarded certificate with `rfc8705::proxy::http`, driven by `curl --cert`.
//!
//! For every recommended configuration and each client certificate (EC P-256, RSA-2048, a
//! non-ASCII subject, URI SANs holding `, ; " =`, a leaf issued by two intermediates, RSA-4096,
//! and a self-signed one where the configuration accepts it): the backend answers exactly the
//! thumbprint curl's certificate has (and the chain where the proxy forwards one); without a
//! certificate it answers `none`; client-sent copies of every header the proxy uses (leaf and
//! chain, holding another valid certificate) change nothing. One misconfigured variant per
//! appending proxy (`add-header`, `RequestHeader add`, `header_up +…`) never yields the
//! forged certificate, whether the backend reads the repeated lines or one line joined from
//! them (RFC 9110 section 5.3): the backend must refuse.
//!
//! With `CI` set a missing proxy (or curl) fails the test; otherwise it prints
//! `skipped: <name> is missing`.

mod common;
#[path = "common/proxies/mod.rs"]
mod proxies;

use std::path::{Path, PathBuf};
use std::process::Command;

use http::HeaderName;
use proxies::backend::Backend;
use proxies::pki::{self, Client, Pki};
use proxies::{
    Daemon, Listener, Request, assert_no_failures, check_misconfigured, check_recommended,
    check_refused, curl, doc_block, fill, free_port, require,
};
use rfc8705::proxy::ProxyFormat;
use rfc8705::proxy::http::ForwardedHeader;

use common::encode;

/// One proxy's test: its directory, PKI and backend.
struct Bench {
    dir: tempfile::TempDir,
    pki: Pki,
    backend: Backend,
}

impl Bench {
    fn new(routes: Vec<(&'static str, ForwardedHeader)>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let pki = pki::generate(dir.path());
        Self {
            dir,
            pki,
            backend: Backend::start(routes),
        }
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Starts proxy `name` on `block` (a doc block or a variant of it): each placeholder of
    /// `listens` gets `<host>:<free port>`, `wrap` puts the process-level settings around the
    /// block, `command` runs the file it is written to. A free port was only free a moment
    /// ago: after a failed start, again on others (three times in all).
    fn start<const N: usize>(
        &self,
        name: &str,
        block: &str,
        (host, listens): (&str, [&'static str; N]),
        wrap: fn(&Path, &str, &str) -> String,
        command: &dyn Fn(&Path) -> Command,
    ) -> (Daemon, [u16; N]) {
        let mut failed = Vec::new();
        for _ in 0..3 {
            let ports = listens.map(|_| free_port());
            let mut values = vec![
                ("BACKEND", self.backend.addr()),
                ("SERVER_CERT", path(&self.pki.server_cert)),
                ("SERVER_KEY", path(&self.pki.server_key)),
                ("SERVER_CERT_AND_KEY", path(&self.pki.server_cert_and_key)),
                ("CLIENT_CA", path(&self.pki.ca)),
            ];
            let listen = |(k, p): (&&'static str, u16)| (*k, format!("{host}:{p}"));
            values.extend(listens.iter().zip(ports).map(listen));
            let file = self.dir().join(name);
            let conf = wrap(self.dir(), name, &fill(block, &values));
            std::fs::write(&file, conf).unwrap();
            match Daemon::start(name, command(&file), self.dir(), &ports) {
                Ok(daemon) => return (daemon, ports),
                Err(e) => failed.push(e),
            }
        }
        panic!("{name} did not start:\n{}", failed.join("\n"));
    }

    /// The CA-issued clients (verifying listeners).
    fn clients(&self) -> Vec<&Client> {
        self.pki.clients.iter().collect()
    }

    /// Every client, the self-signed one too (listeners that verify nothing).
    fn all_clients(&self) -> Vec<&Client> {
        self.pki
            .clients
            .iter()
            .chain([&self.pki.self_signed])
            .collect()
    }

    /// The pair of recommended listeners every proxy here has, on `route`: `names[0]` on
    /// `ports[0]` verifies clients against the test CA (every PKI client reaches the backend
    /// exactly; a self-signed certificate does not), `names[1]` on `ports[1]` verifies nothing
    /// (every client, the self-signed one too, reaches the backend exactly).
    fn verifying_and_self_signed(
        &self,
        failures: &mut Vec<String>,
        route: &str,
        names: [&str; 2],
        ports: [u16; 2],
        chain_forwarded: bool,
        forged: &[String],
    ) {
        let verifying = url(ports[0], route);
        for (name, port, clients) in [
            (names[0], ports[0], self.clients()),
            (names[1], ports[1], self.all_clients()),
        ] {
            let listener = Listener {
                name,
                url: url(port, route),
                clients,
                chain_forwarded,
                forged: forged.to_vec(),
            };
            self.listener(failures, check_recommended, listener);
        }
        let pki = &self.pki;
        failures.extend(check_refused(pki, names[0], &verifying, &pki.self_signed));
    }

    /// Runs `check` on `listener`, collecting its failures.
    fn listener(
        &self,
        failures: &mut Vec<String>,
        check: fn(&Pki, &Listener<'_>) -> Vec<String>,
        listener: Listener<'_>,
    ) {
        failures.extend(check(&self.pki, &listener));
    }
}

/// The binary `name` and curl, or `None` (skipped) when one is missing.
fn binaries(name: &str) -> Option<PathBuf> {
    let bin = require(name)?;
    require("curl")?;
    Some(bin)
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// `text` with `from` replaced by `to`, which must occur: a misconfigured variant of a doc
/// block.
fn misconfigure(text: &str, from: &str, to: &str) -> String {
    assert!(
        text.contains(from),
        "{from:?} is no longer in the doc block"
    );
    text.replace(from, to)
}

fn url(port: u16, route: &str) -> String {
    format!("https://localhost:{port}/{route}")
}

fn header(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}

/// The loopback listeners of the nginx and Apache blocks.
const TWO: (&str, [&str; 2]) = ("127.0.0.1", ["LISTEN", "LISTEN_SELF_SIGNED"]);

/// nginx's process-level settings around the doc block (inside `http`).
fn nginx_conf(d: &Path, name: &str, block: &str) -> String {
    format!(
        "pid {d}/{name}.pid;\nerror_log {d}/{name}-error.log warn;\nuser root root;\n\
         events {{}}\nhttp {{\naccess_log off;\nclient_body_temp_path {d}/body;\n\
         proxy_temp_path {d}/proxy;\nfastcgi_temp_path {d}/fastcgi;\n\
         uwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n{block}\n}}\n",
        d = d.display()
    )
}

#[test]
fn nginx() {
    let Some(bin) = binaries("nginx") else { return };
    let bench = Bench::new(vec![(
        "nginx",
        ForwardedHeader::new(ProxyFormat::EscapedPem, header("x-client-cert")),
    )]);
    let command = |file: &Path| {
        let mut cmd = Command::new(&bin);
        cmd.args(["-g", "daemon off;", "-p"])
            .arg(bench.dir())
            .arg("-c")
            .arg(file);
        cmd
    };
    let doc = doc_block("nginx.conf");
    let (nginx, [port, self_signed]) = bench.start("nginx", &doc, TWO, nginx_conf, &command);

    let forger = encode::pem(&bench.pki.forger.der);
    let forged = vec![format!(
        "X-Client-Cert: {}",
        encode::escaped_pem(forger.as_bytes())
    )];
    let mut failures = Vec::new();
    bench.verifying_and_self_signed(
        &mut failures,
        "nginx",
        [
            "nginx, ssl_verify_client optional",
            "nginx, ssl_verify_client optional_no_ca",
        ],
        [port, self_signed],
        false,
        &forged,
    );
    let pki = &bench.pki;

    // The deprecated `$ssl_client_cert` folds its lines (a tab after each line break): hyper
    // refuses the request, as docs/proxies.md says.
    let legacy = misconfigure(&doc, "$ssl_client_escaped_cert", "$ssl_client_cert");
    let (legacy, [port, _]) = bench.start("nginx-legacy", &legacy, TWO, nginx_conf, &command);
    let got = curl(Request {
        url: &url(port, "nginx"),
        ca: &pki.ca,
        client: Some(&pki.clients[0]),
        headers: &[],
    });
    // An empty body: hyper's 400 passed on, not nginx's own error page.
    if got != "proxy status 400: " {
        failures.push(format!(
            "nginx, $ssl_client_cert: got {got:?}, want hyper's 400"
        ));
    }
    assert_no_failures(&failures, &[&nginx, &legacy]);
}

/// HAProxy's `global`/`defaults` around the doc block.
fn haproxy_conf(d: &Path, name: &str, block: &str) -> String {
    format!(
        "global\n    pidfile {d}/{name}.pid\n\ndefaults\n    mode http\n    \
         timeout connect 5s\n    timeout client 10s\n    timeout server 10s\n\n{block}\n",
        d = d.display()
    )
}

#[test]
fn haproxy() {
    let Some(bin) = binaries("haproxy") else {
        return;
    };
    let bench = Bench::new(vec![
        (
            "haproxy",
            ForwardedHeader::new(ProxyFormat::BareDer, header("x-ssl-client-cert"))
                .with_chain(header("x-ssl-client-cert-chain"))
                .unwrap(),
        ),
        (
            "haproxy-rfc9440",
            ForwardedHeader::standard(ProxyFormat::ClientCert).unwrap(),
        ),
    ]);
    let command = |file: &Path| {
        let mut cmd = Command::new(&bin);
        cmd.arg("-db").arg("-f").arg(file);
        cmd
    };
    let listens = (
        "127.0.0.1",
        ["LISTEN", "LISTEN_RFC9440", "LISTEN_SELF_SIGNED"],
    );
    let doc = doc_block("haproxy.cfg");
    let (haproxy, [port, rfc9440, self_signed]) =
        bench.start("haproxy.cfg", &doc, listens, haproxy_conf, &command);

    let forger = &bench.pki.forger;
    let b64 = |der: &[u8]| encode::bare_der([der]);
    let forged = vec![
        format!("X-SSL-Client-Cert: {}", b64(&forger.der)),
        format!("X-SSL-Client-Cert-Chain: {}", b64(&forger.chain[0])),
    ];
    let forged_rfc9440 = vec![
        format!("Client-Cert: {}", encode::client_cert(&forger.der)),
        format!(
            "Client-Cert-Chain: {}",
            encode::client_cert(&forger.chain[0])
        ),
    ];
    let mut failures = Vec::new();
    bench.verifying_and_self_signed(
        &mut failures,
        "haproxy",
        [
            "haproxy, verify optional",
            "haproxy, ca-ignore-err all crt-ignore-err all",
        ],
        [port, self_signed],
        true,
        &forged,
    );
    bench.listener(
        &mut failures,
        check_recommended,
        Listener {
            name: "haproxy, RFC 9440",
            url: url(rfc9440, "haproxy-rfc9440"),
            clients: bench.clients(),
            chain_forwarded: false,
            forged: forged_rfc9440.clone(),
        },
    );

    // Misconfigured: add-header keeps the client's copy.
    let wrong = misconfigure(&doc, "http-request set-header", "http-request add-header");
    let (wrong, [port, rfc9440, _]) = bench.start(
        "haproxy-add-header.cfg",
        &wrong,
        listens,
        haproxy_conf,
        &command,
    );
    bench.listener(
        &mut failures,
        check_misconfigured,
        Listener {
            name: "haproxy, add-header (misconfigured)",
            url: url(port, "haproxy"),
            clients: bench.clients(),
            chain_forwarded: true,
            forged,
        },
    );
    bench.listener(
        &mut failures,
        check_misconfigured,
        Listener {
            name: "haproxy, RFC 9440 with add-header (misconfigured)",
            url: url(rfc9440, "haproxy-rfc9440"),
            clients: bench.clients(),
            chain_forwarded: false,
            forged: forged_rfc9440,
        },
    );
    assert_no_failures(&failures, &[&haproxy, &wrong]);
}

/// Apache's process-level settings around the doc block.
fn apache_conf(d: &Path, name: &str, block: &str) -> String {
    let modules = [
        "mpm_event",
        "authz_core",
        "ssl",
        "headers",
        "proxy",
        "proxy_http",
    ]
    .map(|m| format!("LoadModule {m}_module /usr/lib/apache2/modules/mod_{m}.so\n"))
    .concat();
    format!(
        "ServerRoot {d}\nDefaultRuntimeDir {d}\nPidFile {d}/{name}.pid\n\
         ErrorLog {d}/{name}-error.log\nLogLevel warn\nServerName 127.0.0.1\n\
         User www-data\nGroup www-data\nMutex posixsem\n{modules}\n{block}\n",
        d = d.display()
    )
}

#[test]
fn apache() {
    let Some(bin) = binaries("apache2") else {
        return;
    };
    let bench = Bench::new(vec![(
        "apache",
        ForwardedHeader::new(ProxyFormat::Apache, header("x-ssl-client-cert"))
            .with_numbered_chain("SSL_CLIENT_CERT_CHAIN", 4)
            .unwrap(),
    )]);
    let command = |file: &Path| {
        let mut cmd = Command::new(&bin);
        cmd.arg("-DFOREGROUND").arg("-f").arg(file);
        cmd
    };
    let doc = doc_block("apache2.conf");
    let (apache, [port, self_signed]) =
        bench.start("apache2.conf", &doc, TWO, apache_conf, &command);

    let forger = &bench.pki.forger;
    let apache_pem = |der: &[u8]| encode::apache(encode::pem(der).as_bytes());
    let mut forged = vec![format!("X-SSL-Client-Cert: {}", apache_pem(&forger.der))];
    // Every chain number the backend reads, and the one past its maximum.
    forged.extend((0..=4).map(|i| {
        format!(
            "SSL_CLIENT_CERT_CHAIN_{i}: {}",
            apache_pem(&forger.chain[0])
        )
    }));
    let mut failures = Vec::new();
    bench.verifying_and_self_signed(
        &mut failures,
        "apache",
        [
            "apache, SSLVerifyClient optional",
            "apache, SSLVerifyClient optional_no_ca",
        ],
        [port, self_signed],
        true,
        &forged,
    );

    // Misconfigured: RequestHeader add keeps the client's copy.
    let wrong = misconfigure(&doc, "RequestHeader set", "RequestHeader add");
    let (wrong, [port, _]) = bench.start("apache2-add.conf", &wrong, TWO, apache_conf, &command);
    bench.listener(
        &mut failures,
        check_misconfigured,
        Listener {
            name: "apache, RequestHeader add (misconfigured)",
            url: url(port, "apache"),
            clients: bench.clients(),
            chain_forwarded: true,
            forged,
        },
    );
    assert_no_failures(&failures, &[&apache, &wrong]);
}

/// Caddy's global options around the doc block: no admin endpoint, no automatic HTTPS,
/// storage in the test's directory, loopback only.
fn caddyfile(d: &Path, _: &str, block: &str) -> String {
    format!(
        "{{\n    admin off\n    auto_https off\n    storage file_system {d}/caddy\n    \
         default_bind 127.0.0.1\n}}\n\n{block}\n",
        d = d.display()
    )
}

#[test]
fn caddy() {
    let Some(bin) = binaries("caddy") else { return };
    let bench = Bench::new(vec![(
        "caddy",
        ForwardedHeader::new(ProxyFormat::BareDer, header("x-client-cert")),
    )]);
    let d = bench.dir();
    let command = |file: &Path| {
        let mut cmd = Command::new(&bin);
        cmd.args(["run", "--adapter", "caddyfile", "--config"])
            .arg(file)
            .env("HOME", d)
            .env("XDG_DATA_HOME", d.join("data"))
            .env("XDG_CONFIG_HOME", d.join("config"));
        cmd
    };
    // Caddy answers 421 when the SNI is not the Host: sites by name (bound to 127.0.0.1).
    let listens = ("localhost", ["LISTEN", "LISTEN_SELF_SIGNED"]);
    let doc = doc_block("Caddyfile");
    let (caddy, [port, self_signed]) = bench.start("Caddyfile", &doc, listens, caddyfile, &command);

    let forged = vec![format!(
        "X-Client-Cert: {}",
        encode::bare_der([&bench.pki.forger.der])
    )];
    let mut failures = Vec::new();
    bench.verifying_and_self_signed(
        &mut failures,
        "caddy",
        ["caddy, verify_if_given", "caddy, mode request"],
        [port, self_signed],
        false,
        &forged,
    );

    // Misconfigured: `header_up +Name` appends to the client's copy.
    let wrong = misconfigure(&doc, "header_up X-Client-Cert", "header_up +X-Client-Cert");
    let (wrong, [port, _]) = bench.start("Caddyfile-append", &wrong, listens, caddyfile, &command);
    bench.listener(
        &mut failures,
        check_misconfigured,
        Listener {
            name: "caddy, header_up + (misconfigured)",
            url: url(port, "caddy"),
            clients: bench.clients(),
            chain_forwarded: false,
            forged,
        },
    );
    assert_no_failures(&failures, &[&caddy, &wrong]);
}

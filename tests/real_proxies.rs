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
//! forged certificate: the backend must refuse.
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
    Daemon, Listener, assert_no_failures, check_misconfigured, check_recommended, check_refused,
    doc_block, fill, free_port, require,
};
use rfc8705::proxy::ProxyFormat;
use rfc8705::proxy::http::ForwardedHeader;

use common::encode;

/// The binary `name` and curl, or `None` (skipped) when one is missing.
fn binaries(name: &str) -> Option<PathBuf> {
    let bin = require(name)?;
    require("curl")?;
    Some(bin)
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// The `{{…}}` values every block uses, plus one `LISTEN…` per port.
fn values(pki: &Pki, backend: &Backend, listens: &[(&str, u16)]) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("BACKEND", backend.addr()),
        ("SERVER_CERT", path(&pki.server_cert)),
        ("SERVER_KEY", path(&pki.server_key)),
        ("SERVER_CERT_AND_KEY", path(&pki.server_cert_and_key)),
        ("CLIENT_CA", path(&pki.ca)),
    ];
    for (key, port) in listens {
        let key: &'static str = match *key {
            "LISTEN" => "LISTEN",
            "LISTEN_SELF_SIGNED" => "LISTEN_SELF_SIGNED",
            "LISTEN_RFC9440" => "LISTEN_RFC9440",
            other => panic!("unknown listen placeholder {other}"),
        };
        v.push((key, format!("127.0.0.1:{port}")));
    }
    v
}

/// `text` with `from` replaced by `to`, which must occur: a misconfigured variant of a doc
/// block.
fn misconfigure(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is no longer in the doc block");
    text.replace(from, to)
}

fn url(port: u16, route: &str) -> String {
    format!("https://localhost:{port}/{route}")
}

/// The CA-issued clients, and every client for a listener that verifies nothing.
fn clients(pki: &Pki) -> Vec<&Client> {
    pki.clients.iter().collect()
}

fn all_clients(pki: &Pki) -> Vec<&Client> {
    pki.clients.iter().chain([&pki.self_signed]).collect()
}

fn header(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}

fn forger_pem(pki: &Pki) -> (String, String) {
    (
        encode::pem(&pki.forger.der),
        encode::pem(&pki.forger.chain[0]),
    )
}

#[test]
fn nginx() {
    let Some(bin) = binaries("nginx") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pki = pki::generate(d);
    let backend = Backend::start(vec![(
        "nginx",
        ForwardedHeader::new(ProxyFormat::EscapedPem, header("x-client-cert")),
    )]);
    let doc = doc_block("nginx.conf");
    let start = |name: &str, block: &str| {
        let ports = [free_port(), free_port()];
        let block = fill(
            block,
            &values(
                &pki,
                &backend,
                &[("LISTEN", ports[0]), ("LISTEN_SELF_SIGNED", ports[1])],
            ),
        );
        let file = d.join(format!("{name}.conf"));
        std::fs::write(&file, nginx_conf(d, name, &block)).unwrap();
        let mut cmd = Command::new(&bin);
        cmd.args(["-g", "daemon off;", "-p"]).arg(d).arg("-c").arg(&file);
        (Daemon::start(name, cmd, d, &ports), ports)
    };
    let (nginx, [port, self_signed]) = start("nginx", &doc);

    let (pem, _) = forger_pem(&pki);
    let forged = vec![format!(
        "X-Client-Cert: {}",
        encode::escaped_pem(pem.as_bytes())
    )];
    let mut failures = check_recommended(
        &pki,
        &Listener {
            name: "nginx, ssl_verify_client optional",
            url: url(port, "nginx"),
            clients: clients(&pki),
            chain_forwarded: false,
            forged: forged.clone(),
        },
    );
    failures.extend(check_recommended(
        &pki,
        &Listener {
            name: "nginx, ssl_verify_client optional_no_ca",
            url: url(self_signed, "nginx"),
            clients: all_clients(&pki),
            chain_forwarded: false,
            forged,
        },
    ));
    failures.extend(check_refused(
        &pki,
        "nginx, ssl_verify_client optional",
        &url(port, "nginx"),
        &pki.self_signed,
    ));

    // The deprecated `$ssl_client_cert` folds its lines (a tab after each line break): hyper
    // refuses the request, as docs/proxies.md says.
    let (legacy, [port, _]) = start(
        "nginx-legacy",
        &misconfigure(&doc, "$ssl_client_escaped_cert", "$ssl_client_cert"),
    );
    let got = proxies::curl(proxies::Request {
        url: &url(port, "nginx"),
        ca: &pki.ca,
        client: Some(&pki.clients[0]),
        headers: &[],
    });
    // An empty body: hyper's 400 passed on, not nginx's own error page.
    if got != "proxy status 400: " {
        failures.push(format!("nginx, $ssl_client_cert: got {got:?}, want hyper's 400"));
    }
    assert_no_failures(&failures, &[&nginx, &legacy]);
}

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
    let Some(bin) = binaries("haproxy") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pki = pki::generate(d);
    let backend = Backend::start(vec![
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
    let doc = doc_block("haproxy.cfg");
    let start = |name: &str, block: &str| {
        let ports = [free_port(), free_port(), free_port()];
        let block = fill(
            block,
            &values(
                &pki,
                &backend,
                &[
                    ("LISTEN", ports[0]),
                    ("LISTEN_RFC9440", ports[1]),
                    ("LISTEN_SELF_SIGNED", ports[2]),
                ],
            ),
        );
        let file = d.join(format!("{name}.cfg"));
        std::fs::write(&file, haproxy_conf(d, name, &block)).unwrap();
        let mut cmd = Command::new(&bin);
        cmd.arg("-db").arg("-f").arg(&file);
        (Daemon::start(name, cmd, d, &ports), ports)
    };
    let (haproxy, [port, rfc9440, self_signed]) = start("haproxy", &doc);

    let b64 = |der: &[u8]| encode::bare_der([der]);
    let forged = vec![
        format!("X-SSL-Client-Cert: {}", b64(&pki.forger.der)),
        format!("X-SSL-Client-Cert-Chain: {}", b64(&pki.forger.chain[0])),
    ];
    let forged_rfc9440 = vec![
        format!("Client-Cert: {}", encode::client_cert(&pki.forger.der)),
        format!(
            "Client-Cert-Chain: {}",
            encode::client_cert(&pki.forger.chain[0])
        ),
    ];
    let mut failures = check_recommended(
        &pki,
        &Listener {
            name: "haproxy, verify optional",
            url: url(port, "haproxy"),
            clients: clients(&pki),
            chain_forwarded: true,
            forged: forged.clone(),
        },
    );
    failures.extend(check_recommended(
        &pki,
        &Listener {
            name: "haproxy, RFC 9440",
            url: url(rfc9440, "haproxy-rfc9440"),
            clients: clients(&pki),
            chain_forwarded: false,
            forged: forged_rfc9440.clone(),
        },
    ));
    failures.extend(check_recommended(
        &pki,
        &Listener {
            name: "haproxy, ca-ignore-err all crt-ignore-err all",
            url: url(self_signed, "haproxy"),
            clients: all_clients(&pki),
            chain_forwarded: true,
            forged: forged.clone(),
        },
    ));
    failures.extend(check_refused(
        &pki,
        "haproxy, verify optional",
        &url(port, "haproxy"),
        &pki.self_signed,
    ));

    // Misconfigured: add-header keeps the client's copy.
    let (wrong, [port, rfc9440, _]) = start(
        "haproxy-add-header",
        &misconfigure(&doc, "http-request set-header", "http-request add-header"),
    );
    failures.extend(check_misconfigured(
        &pki,
        &Listener {
            name: "haproxy, add-header (misconfigured)",
            url: url(port, "haproxy"),
            clients: clients(&pki),
            chain_forwarded: true,
            forged,
        },
    ));
    failures.extend(check_misconfigured(
        &pki,
        &Listener {
            name: "haproxy, RFC 9440 with add-header (misconfigured)",
            url: url(rfc9440, "haproxy-rfc9440"),
            clients: clients(&pki),
            chain_forwarded: false,
            forged: forged_rfc9440,
        },
    ));
    assert_no_failures(&failures, &[&haproxy, &wrong]);
}

/// Apache's process-level settings around the doc block.
fn apache_conf(d: &Path, name: &str, block: &str) -> String {
    let modules = ["mpm_event", "authz_core", "ssl", "headers", "proxy", "proxy_http"]
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
    let Some(bin) = binaries("apache2") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pki = pki::generate(d);
    let backend = Backend::start(vec![(
        "apache",
        ForwardedHeader::new(ProxyFormat::Apache, header("x-ssl-client-cert"))
            .with_numbered_chain("SSL_CLIENT_CERT_CHAIN", 4)
            .unwrap(),
    )]);
    let doc = doc_block("apache2.conf");
    let start = |name: &str, block: &str| {
        let ports = [free_port(), free_port()];
        let block = fill(
            block,
            &values(
                &pki,
                &backend,
                &[("LISTEN", ports[0]), ("LISTEN_SELF_SIGNED", ports[1])],
            ),
        );
        let file = d.join(format!("{name}.conf"));
        std::fs::write(&file, apache_conf(d, name, &block)).unwrap();
        let mut cmd = Command::new(&bin);
        cmd.arg("-DFOREGROUND").arg("-f").arg(&file);
        (Daemon::start(name, cmd, d, &ports), ports)
    };
    let (apache, [port, self_signed]) = start("apache2", &doc);

    let (pem, chain_pem) = forger_pem(&pki);
    let mut forged = vec![format!(
        "X-SSL-Client-Cert: {}",
        encode::apache(pem.as_bytes())
    )];
    forged.extend(
        (0..=4).map(|i| format!("SSL_CLIENT_CERT_CHAIN_{i}: {}", encode::apache(chain_pem.as_bytes()))),
    );
    let mut failures = check_recommended(
        &pki,
        &Listener {
            name: "apache, SSLVerifyClient optional",
            url: url(port, "apache"),
            clients: clients(&pki),
            chain_forwarded: true,
            forged: forged.clone(),
        },
    );
    failures.extend(check_recommended(
        &pki,
        &Listener {
            name: "apache, SSLVerifyClient optional_no_ca",
            url: url(self_signed, "apache"),
            clients: all_clients(&pki),
            chain_forwarded: true,
            forged: forged.clone(),
        },
    ));
    failures.extend(check_refused(
        &pki,
        "apache, SSLVerifyClient optional",
        &url(port, "apache"),
        &pki.self_signed,
    ));

    // Misconfigured: RequestHeader add keeps the client's copy.
    let (wrong, [port, _]) = start(
        "apache2-add",
        &misconfigure(&doc, "RequestHeader set", "RequestHeader add"),
    );
    failures.extend(check_misconfigured(
        &pki,
        &Listener {
            name: "apache, RequestHeader add (misconfigured)",
            url: url(port, "apache"),
            clients: clients(&pki),
            chain_forwarded: true,
            forged,
        },
    ));
    assert_no_failures(&failures, &[&apache, &wrong]);
}

/// Caddy's global options around the doc block: no admin endpoint, no automatic HTTPS,
/// storage in the test's directory, loopback only.
fn caddyfile(d: &Path, block: &str) -> String {
    format!(
        "{{\n    admin off\n    auto_https off\n    storage file_system {d}/caddy\n    \
         default_bind 127.0.0.1\n}}\n\n{block}\n",
        d = d.display()
    )
}

#[test]
fn caddy() {
    let Some(bin) = binaries("caddy") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pki = pki::generate(d);
    let backend = Backend::start(vec![(
        "caddy",
        ForwardedHeader::new(ProxyFormat::BareDer, header("x-client-cert")),
    )]);
    let doc = doc_block("Caddyfile");
    let start = |name: &str, block: &str| {
        let ports = [free_port(), free_port()];
        // Caddy answers 421 when the SNI is not the Host: sites by name.
        let mut values = values(&pki, &backend, &[]);
        values.push(("LISTEN", format!("localhost:{}", ports[0])));
        values.push(("LISTEN_SELF_SIGNED", format!("localhost:{}", ports[1])));
        let block = fill(block, &values);
        let file = d.join(name);
        std::fs::write(&file, caddyfile(d, &block)).unwrap();
        let mut cmd = Command::new(&bin);
        cmd.args(["run", "--adapter", "caddyfile", "--config"])
            .arg(&file)
            .env("HOME", d)
            .env("XDG_DATA_HOME", d.join("data"))
            .env("XDG_CONFIG_HOME", d.join("config"));
        (Daemon::start(name, cmd, d, &ports), ports)
    };
    let (caddy, [port, self_signed]) = start("Caddyfile", &doc);

    let forged = vec![format!(
        "X-Client-Cert: {}",
        encode::bare_der([&pki.forger.der])
    )];
    let mut failures = check_recommended(
        &pki,
        &Listener {
            name: "caddy, verify_if_given",
            url: url(port, "caddy"),
            clients: clients(&pki),
            chain_forwarded: false,
            forged: forged.clone(),
        },
    );
    failures.extend(check_recommended(
        &pki,
        &Listener {
            name: "caddy, mode request",
            url: url(self_signed, "caddy"),
            clients: all_clients(&pki),
            chain_forwarded: false,
            forged: forged.clone(),
        },
    ));
    failures.extend(check_refused(
        &pki,
        "caddy, verify_if_given",
        &url(port, "caddy"),
        &pki.self_signed,
    ));

    // Misconfigured: `header_up +Name` appends to the client's copy.
    let (wrong, [port, _]) = start(
        "Caddyfile-append",
        &misconfigure(&doc, "header_up X-Client-Cert", "header_up +X-Client-Cert"),
    );
    failures.extend(check_misconfigured(
        &pki,
        &Listener {
            name: "caddy, header_up + (misconfigured)",
            url: url(port, "caddy"),
            clients: clients(&pki),
            chain_forwarded: false,
            forged,
        },
    ));
    assert_no_failures(&failures, &[&caddy, &wrong]);
}

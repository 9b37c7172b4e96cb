//! Code shared by the examples (`authorization_server`, `resource_server`, `client`, `demo`)
//! and the flow tests. Each includes it with `#[path = "support/mod.rs"] mod support;`.
#![allow(dead_code)]

pub mod auth_server;
pub mod client;
pub mod pki;
pub mod resource_server;
pub mod tls;

use std::net::IpAddr;

/// The authorization server and the resource server, running in-process on free loopback
/// ports with the demo PKI.
pub struct Stack {
    /// The authorization server.
    pub auth: auth_server::AuthorizationServer,
    /// The resource server.
    pub resource: resource_server::ResourceServer,
}

impl Stack {
    /// Stops both servers.
    pub async fn shutdown(self) {
        self.resource.shutdown().await;
        self.auth.shutdown().await;
    }
}

/// Starts the AS (tokens valid `token_lifetime` seconds) and the RS (trusting `Client-Cert`
/// from `trusted_proxies`) with the files of `pki`.
pub async fn start_stack(
    pki: &pki::Pki,
    token_lifetime: i64,
    trusted_proxies: Vec<IpAddr>,
) -> Result<Stack, String> {
    let read = |p: &std::path::Path| {
        std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
    };
    let io = |e: std::io::Error| e.to_string();
    let (cert_pem, key_pem) = (read(&pki.server_cert_path)?, read(&pki.server_key_path)?);
    let rs_listener = tls::bind(0).await.map_err(io)?;
    let audience = resource_server::resource_identifier(&rs_listener).map_err(io)?;
    let auth = auth_server::start(auth_server::Config {
        public: tls::bind(0).await.map_err(io)?,
        mtls: tls::bind(0).await.map_err(io)?,
        cert_pem: cert_pem.clone(),
        key_pem: key_pem.clone(),
        client_ca_pem: pki.ca_pem.clone(),
        registry: auth_server::Registry::from_json(&read(&pki.registry_path)?)?,
        audience,
        token_lifetime,
        limits: tls::Limits::default(),
    })
    .await?;
    let resource = resource_server::start(resource_server::Config {
        listener: rs_listener,
        cert_pem,
        key_pem,
        issuer: auth.issuer.clone(),
        ca_pem: pki.ca_pem.clone(),
        trusted_proxies: trusted_proxies.into_iter().map(Into::into).collect(),
        limits: tls::Limits::default(),
    })
    .await?;
    Ok(Stack { auth, resource })
}

/// `--name value` command-line options.
pub struct Args(Vec<(String, String)>);

impl Args {
    /// Reads `--name value` pairs from the command line.
    pub fn parse(usage: &str) -> Result<Self, String> {
        let mut pairs = Vec::new();
        let mut args = std::env::args().skip(1);
        while let Some(name) = args.next() {
            let Some(name) = name.strip_prefix("--") else {
                return Err(format!("unexpected argument {name:?}\n{usage}"));
            };
            let value = args
                .next()
                .ok_or_else(|| format!("--{name} needs a value\n{usage}"))?;
            pairs.push((name.to_owned(), value));
        }
        Ok(Self(pairs))
    }

    /// The last value of `--name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `--name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value of a required `--name`.
    pub fn required(&self, name: &str, usage: &str) -> Result<&str, String> {
        self.get(name)
            .ok_or_else(|| format!("--{name} is required\n{usage}"))
    }

    /// The contents of the file named by a required `--name`.
    pub fn file(&self, name: &str, usage: &str) -> Result<String, String> {
        let path = self.required(name, usage)?;
        std::fs::read_to_string(path).map_err(|e| format!("--{name} {path}: {e}"))
    }

    /// A port number (`default` when absent).
    pub fn port(&self, name: &str, default: u16) -> Result<u16, String> {
        self.get(name).map_or(Ok(default), |p| {
            p.parse().map_err(|_| format!("--{name}: not a port: {p}"))
        })
    }
}

//! Code shared by the examples (`authorization_server`, `resource_server`, `client`, `demo`)
//! and the flow tests. Each includes it with `#[path = "support/mod.rs"] mod support;`.
#![allow(dead_code)]

pub mod auth_server;
pub mod client;
pub mod integration;
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
        trusted_proxies,
        limits: tls::Limits::default(),
    })
    .await?;
    Ok(Stack { auth, resource })
}

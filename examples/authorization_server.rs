//! An OAuth 2.0 authorization server with mutual-TLS client authentication and
//! certificate-bound access tokens (RFC 8705), for the client_credentials grant.
//!
//! ```text
//! cargo run --example demo -- --keep          # makes a PKI and a registry in a temp dir
//! cargo run --example authorization_server -- \
//!     --registry DIR/clients.json --cert DIR/server.crt --key DIR/server.key \
//!     --client-ca DIR/ca.crt --audience https://127.0.0.1:8443 [--port 8440] [--mtls-port 8441]
//! ```
//!
//! The conventional endpoints (metadata, JWKS, token, introspection) listen on `--port`, the
//! mutual-TLS aliases (token, introspection) on `--mtls-port`. The registry is a JSON file
//! `{"clients": [RFC 7591 client metadata, …], "resource_servers": [client_id, …]}` (see
//! `examples/data/clients.json`): the resource servers may introspect any token, the other
//! clients only their own. A failed client authentication is answered with a bare
//! `invalid_client`; why it failed is printed on standard error.
//! What it does and why is in `examples/support/auth_server.rs`.

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use support::{Args, auth_server, tls};

const USAGE: &str = "usage: authorization_server --registry clients.json --cert server.crt \
--key server.key --client-ca ca.crt --audience RESOURCE_URL [--port 8440] [--mtls-port 8441] \
[--token-lifetime SECONDS]";

async fn run() -> Result<(), String> {
    let args = Args::parse(USAGE)?;
    let io = |e: std::io::Error| e.to_string();
    let token_lifetime = args
        .get("token-lifetime")
        .map_or(Ok(300), str::parse)
        .map_err(|_| "--token-lifetime: not a number of seconds".to_string())?;
    let server = auth_server::start(auth_server::Config {
        public: tls::bind(args.port("port", 8440)?).await.map_err(io)?,
        mtls: tls::bind(args.port("mtls-port", 8441)?).await.map_err(io)?,
        cert_pem: args.file("cert", USAGE)?,
        key_pem: args.file("key", USAGE)?,
        client_ca_pem: args.file("client-ca", USAGE)?,
        registry: auth_server::Registry::from_json(&args.file("registry", USAGE)?)?,
        audience: args.required("audience", USAGE)?.to_owned(),
        token_lifetime,
        limits: tls::Limits::default(),
    })
    .await?;
    println!("issuer:   {}", server.issuer);
    println!("metadata: {}", server.metadata_url());
    println!("mTLS token endpoint: {}", server.mtls_token_endpoint());
    println!("Ctrl-C stops it.");
    tokio::signal::ctrl_c().await.map_err(io)?;
    server.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

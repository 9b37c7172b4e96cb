//! A resource server that accepts only access tokens bound to the client certificate of the
//! request (RFC 8705 section 3), and serves its RFC 9728 metadata.
//!
//! ```text
//! cargo run --example resource_server -- --cert DIR/server.crt --key DIR/server.key \
//!     --ca DIR/ca.crt --issuer https://127.0.0.1:8440 [--port 8443] [--trusted-proxy CIDR]...
//! ```
//!
//! With `--trusted-proxy` (`10.0.0.0/8`, `192.0.2.7/32`), requests whose immediate peer is in
//! that range are checked against
//! the RFC 9440 `Client-Cert` header the proxy sends, not the connection's certificate.
//! What it does and why is in `examples/support/resource_server.rs`.

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use support::{Args, resource_server, tls};

const USAGE: &str = "usage: resource_server --cert server.crt --key server.key --ca ca.crt \
--issuer ISSUER_URL [--port 8443] [--trusted-proxy CIDR]...";

async fn run() -> Result<(), String> {
    let args = Args::parse(USAGE)?;
    let trusted_proxies = args
        .all("trusted-proxy")
        .into_iter()
        .map(|ip| {
            ip.parse::<ipnet::IpNet>()
                .map_err(|_| format!("--trusted-proxy: not an address range: {ip}"))
        })
        .collect::<Result<_, _>>()?;
    let listener = tls::bind(args.port("port", 8443)?)
        .await
        .map_err(|e| e.to_string())?;
    let server = resource_server::start(resource_server::Config {
        listener,
        cert_pem: args.file("cert", USAGE)?,
        key_pem: args.file("key", USAGE)?,
        issuer: args.required("issuer", USAGE)?.to_owned(),
        ca_pem: args.file("ca", USAGE)?,
        trusted_proxies,
        limits: tls::Limits::default(),
    })
    .await?;
    println!("resource: {}", server.resource);
    println!("API:      {}", server.api_url());
    println!(
        "metadata: {}",
        rfc8705::metadata::protected_resource_metadata_url(&server.resource).unwrap_or_default()
    );
    println!("Ctrl-C stops it.");
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
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

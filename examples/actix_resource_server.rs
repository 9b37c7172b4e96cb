//! The resource server with actix-web: accepts only access tokens bound to the client
//! certificate of the request (RFC 8705 section 3), with actix-web's rustls acceptor and
//! `on_connect` (the certificate hashed once per connection) and the crate's one binding
//! check.
//!
//! ```text
//! cargo run --example actix_resource_server -- --cert DIR/server.crt --key DIR/server.key \
//!     --ca DIR/ca.crt --issuer https://127.0.0.1:8440 [--port 8444]
//! ```
//!
//! What it does and why is in `examples/support/actix.rs`.

#[path = "support/actix.rs"]
mod actix;
#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::sync::Arc;

use support::{Args, resource_server, tls};

const USAGE: &str = "usage: actix_resource_server --cert server.crt --key server.key \
--ca ca.crt --issuer ISSUER_URL [--port 8444]";

async fn run() -> Result<(), String> {
    let args = Args::parse(USAGE)?;
    let port = args.port("port", 8444)?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    let resource = format!(
        "https://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let issuer = args.required("issuer", USAGE)?.to_owned();
    let ca_pem = args.file("ca", USAGE)?;
    let verifier = Arc::new(resource_server::Verifier {
        keys: resource_server::fetch_keys(&issuer, &ca_pem).await?,
        issuer,
        metadata_url: rfc8705::metadata::protected_resource_metadata_url(&resource)
            .map_err(|e| e.to_string())?,
        resource: resource.clone(),
    });
    let tls = tls::server_config(
        args.file("cert", USAGE)?.as_bytes(),
        args.file("key", USAGE)?.as_bytes(),
        rfc8705::rustls::PossessionOnlyVerifier::optional(tls::provider()),
    )?;
    let server =
        actix::server(listener, Arc::unwrap_or_clone(tls), verifier).map_err(|e| e.to_string())?;
    println!("API: {resource}/api/hello");
    println!("Ctrl-C stops it.");
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        handle.stop(true).await;
    });
    server.await.map_err(|e| e.to_string())
}

#[actix_web::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

//! A gRPC resource server (tonic) over mutual TLS that accepts only access tokens bound to
//! the client certificate of the connection (RFC 8705 section 3).
//!
//! ```text
//! cargo run --example grpc_resource_server -- --cert DIR/server.crt --key DIR/server.key \
//!     --ca DIR/ca.crt --issuer https://127.0.0.1:8440 --resource https://127.0.0.1:8443 \
//!     [--port 8444]
//! ```
//!
//! `--resource` is the audience its tokens name. What it does and why is in
//! `examples/support/grpc.rs`; `cargo run --example demo` calls it.

#[path = "support/mod.rs"]
mod support;

#[path = "support/grpc.rs"]
mod grpc;

use std::process::ExitCode;
use std::sync::Arc;

use support::resource_server::{Verifier, fetch_keys};
use support::{Args, tls};

const USAGE: &str = "usage: grpc_resource_server --cert server.crt --key server.key --ca ca.crt \
--issuer ISSUER_URL --resource RESOURCE_URL [--port 8444]";

async fn run() -> Result<(), String> {
    let args = Args::parse(USAGE)?;
    let issuer = args.required("issuer", USAGE)?.to_owned();
    let resource = args.required("resource", USAGE)?.to_owned();
    let verifier = Arc::new(Verifier {
        keys: fetch_keys(&issuer, &args.file("ca", USAGE)?).await?,
        metadata_url: rfc8705::metadata::protected_resource_metadata_url(&resource)
            .map_err(|e| e.to_string())?,
        issuer,
        resource,
    });
    let listener = tls::bind(args.port("port", 8444)?)
        .await
        .map_err(|e| e.to_string())?;
    let server = grpc::start(
        listener,
        &args.file("cert", USAGE)?,
        &args.file("key", USAGE)?,
        verifier,
    )?;
    println!("gRPC: {} (rfc8705.demo.Greeter/Hello)", server.addr);
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

//! An OAuth client with a certificate: discovers the mutual-TLS token endpoint from the
//! authorization server's metadata, fetches a certificate-bound token with the
//! client_credentials grant and calls the API with it.
//!
//! ```text
//! cargo run --example client -- --issuer https://127.0.0.1:8440 --ca DIR/ca.crt \
//!     --cert DIR/dn-client.crt --key DIR/dn-client.key --client-id dn-client \
//!     --api https://127.0.0.1:8443/api/hello
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use support::Args;
use support::client::{self, call_api, discover, https_client, request_token};

const USAGE: &str = "usage: client --issuer ISSUER_URL --ca ca.crt --cert client.crt \
--key client.key --client-id ID --api API_URL";

async fn run() -> Result<bool, String> {
    let args = Args::parse(USAGE)?;
    let ca = args.file("ca", USAGE)?;
    let (cert, key) = (args.file("cert", USAGE)?, args.file("key", USAGE)?);
    let http = https_client(&ca, Some((&cert, &key)))?;
    let metadata = discover(&http, args.required("issuer", USAGE)?).await?;
    // RFC 8705 section 5: a client doing mutual TLS uses the alias when there is one.
    let token_endpoint = client::mtls_token_endpoint(&metadata)?;
    println!("token endpoint: {token_endpoint}");
    let reply = request_token(&http, &token_endpoint, args.required("client-id", USAGE)?).await?;
    println!("token response: HTTP {} {}", reply.status, reply.body);
    let Some(token) = reply.body["access_token"].as_str() else {
        return Ok(false);
    };
    if let Some(claims) = client::unverified_claims(token) {
        println!("token cnf: {}", claims["cnf"]);
    }
    let reply = call_api(&http, args.required("api", USAGE)?, token).await?;
    println!("API: HTTP {} {}", reply.status, reply.body);
    if let Some(challenge) = reply.www_authenticate {
        println!("WWW-Authenticate: {challenge}");
    }
    Ok(reply.status == 200)
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

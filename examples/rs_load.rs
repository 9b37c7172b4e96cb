//! Requests per second through the example axum resource server on loopback, with
//! `CertificateBindingLayer` and without it: the same TLS (mutual, keep-alive connections), the
//! same JWT verification, the same handler. The difference is the layer's cost.
//!
//! ```text
//! cargo run --release --example rs_load -- [--seconds 2] [--rounds 5] [--connections 8]
//! ```
//!
//! Rounds alternate between the two servers; the medians and their ratio are printed.

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rfc8705::cnf::BindingPolicy;
use rfc8705::tower::CertificateBindingLayer;
use support::resource_server::{self, Verifier};
use support::{Args, client, tls};

const USAGE: &str = "usage: rs_load [--seconds 2] [--rounds 5] [--connections 8]";

fn number(args: &Args, name: &str, default: u64) -> Result<u64, String> {
    args.get(name).map_or(Ok(default), |v| {
        v.parse()
            .map_err(|_| format!("--{name}: not a number\n{USAGE}"))
    })
}

/// Completed requests per second against `url` for `seconds`, over `connections` concurrent
/// keep-alive connections.
async fn measure(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    connections: u64,
    seconds: u64,
) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (http, url, token, done) =
            (http.clone(), url.to_owned(), token.to_owned(), done.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let Ok(r) = http.get(&url).bearer_auth(&token).send().await else {
                    continue;
                };
                if r.status() == 200 && r.bytes().await.is_ok() {
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    done.load(Ordering::Relaxed) as f64 / seconds as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or_default()
}

async fn run() -> Result<(), String> {
    let args = Args::parse(USAGE)?;
    let (seconds, rounds) = (number(&args, "seconds", 2)?, number(&args, "rounds", 5)?);
    let connections = number(&args, "connections", 8)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let pki = support::pki::generate(dir.path()).map_err(|e| e.to_string())?;
    let stack = support::start_stack(&pki, 3600, Vec::new()).await?;
    let owner = &pki.clients[0];
    let http = client::https_client(&pki.ca_pem, Some((&owner.cert_pem, &owner.key_pem)))?;
    let reply =
        client::request_token(&http, &stack.auth.mtls_token_endpoint(), &owner.client_id).await?;
    let token = reply.body["access_token"]
        .as_str()
        .ok_or("no token")?
        .to_owned();

    // Two more servers for the same resource: with the layer and without it.
    let resource = stack.resource.resource.clone();
    let verifier = Arc::new(Verifier {
        keys: resource_server::fetch_keys(&stack.auth.issuer, &pki.ca_pem).await?,
        issuer: stack.auth.issuer.clone(),
        metadata_url: rfc8705::metadata::protected_resource_metadata_url(&resource)
            .map_err(|e| e.to_string())?,
        resource,
    });
    let read = |p: &std::path::Path| std::fs::read_to_string(p).map_err(|e| e.to_string());
    let tls = tls::server_config(
        read(&pki.server_cert_path)?.as_bytes(),
        read(&pki.server_key_path)?.as_bytes(),
        rfc8705::rustls::PossessionOnlyVerifier::optional(tls::provider()),
    )?;
    let mut urls = Vec::new();
    let mut stops = Vec::new();
    for layer in [
        Some(CertificateBindingLayer::new(BindingPolicy::Required)),
        None,
    ] {
        let listener = tls::bind(0).await.map_err(|e| e.to_string())?;
        urls.push(format!(
            "https://{}/api/hello",
            listener.local_addr().map_err(|e| e.to_string())?
        ));
        let app = resource_server::router(verifier.clone(), layer);
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let limits = tls::Limits::default();
        tokio::spawn(resource_server::serve(
            listener,
            tls.clone(),
            app,
            limits,
            stopped,
        ));
        stops.push(stop);
    }
    // Warm up both (connections, TLS sessions).
    for url in &urls {
        measure(&http, url, &token, connections, 1).await;
    }
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which goes first, so drift in the machine's load hits both alike.
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let rps = measure(&http, &urls[i], &token, connections, seconds).await;
            if i == 0 {
                with.push(rps)
            } else {
                without.push(rps)
            }
        }
        println!(
            "round {}: with the layer {:.0} req/s, without {:.0} req/s",
            round + 1,
            with[round as usize],
            without[round as usize]
        );
    }
    // Each round's two measurements were taken back to back: their ratio is the least noisy.
    let paired = median(with.iter().zip(&without).map(|(w, wo)| w / wo).collect());
    println!("median of the rounds' ratios, with/without: {paired:.4}");
    let (w, wo) = (median(with), median(without));
    println!(
        "median: with the layer {w:.0} req/s, without {wo:.0} req/s; with/without = {:.4} ({:+.2}% overhead)",
        w / wo,
        (wo / w - 1.0) * 100.0
    );
    for stop in stops {
        let _ = stop.send(());
    }
    stack.shutdown().await;
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

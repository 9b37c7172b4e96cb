//! Requests per second through the example axum resource server on loopback, with
//! `CertificateBindingLayer` and without it. Every variant is the same server (the crate's
//! `MtlsAcceptor` under axum-server, mutual TLS with keep-alive connections, the same ES256 JWT
//! verification, the same handler); only what sits between token verification and the handler
//! differs:
//!
//! - `layer`: `CertificateBindingLayer` with policy `required` (what the example RS runs);
//! - `boxed`: the same layer behind one more box (the cost of a `route_layer` of its own);
//! - `off`: the same layer with policy `off` (its plumbing and response future, no check);
//! - `noop`: at the same place, a layer whose service passes the request on unchanged;
//! - `none`: nothing (the baseline; name it twice, `--variants none,layer,none`, for an A/A
//!   comparison of two identical servers).
//!
//! ```text
//! cargo run --release --example rs_load -- [--seconds 3] [--rounds 12] [--connections 8] \
//!     [--variants layer,off,noop,none] [--allocations 2000]
//! ```
//!
//! Each round measures every variant once, in an order rotated by one each round, so drift in
//! the machine's load hits all alike. Printed per variant: the median requests per second and
//! CPU time per request (the whole process, client included: on a shared machine the CPU time
//! varies less than the throughput), and the median, minimum and maximum over the rounds of
//! their ratios to the last variant in the same round. Then `--allocations N` sequential
//! requests per variant count the process's heap allocations per request (client included:
//! the differences are the server's).

#[path = "support/mod.rs"]
mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rfc8705::cnf::BindingPolicy;
use rfc8705::tower::CertificateBindingLayer;
use support::resource_server::{self, Verifier};
use support::{Args, client, tls};
use tower::ServiceBuilder;
use tower::layer::util::Identity;
use tower::util::{BoxCloneSyncService, MapRequestLayer};

const USAGE: &str = "usage: rs_load [--seconds 3] [--rounds 12] [--connections 8] \
[--variants layer,off,noop,none] [--allocations 2000]";

/// The system allocator, counting allocations while `COUNTING` is set (one relaxed load
/// otherwise).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

fn count_one() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the only addition is an atomic counter, which neither allocates nor
// unwinds.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: as above; `ptr` and `layout` come from this allocator, that is from `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn number(args: &Args, name: &str, default: u64) -> Result<u64, String> {
    args.get(name).map_or(Ok(default), |v| {
        v.parse()
            .map_err(|_| format!("--{name}: not a number\n{USAGE}"))
    })
}

/// The CPU time this process has used (user and system, all threads), in microseconds; on
/// Linux only (`/proc/self/stat`, in units of USER_HZ, 100 per second).
fn cpu_micros() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name in parentheses: state is field 3, utime 14, stime 15.
    let mut fields = stat.get(stat.rfind(')')? + 2..)?.split(' ');
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) * 10_000)
}

/// One variant in one round: completed requests per second, and the process's CPU time per
/// request in microseconds (client and server).
#[derive(Clone, Copy, Default)]
struct Sample {
    rps: f64,
    cpu: f64,
}

/// Requests against `url` for `seconds`, over `connections` concurrent keep-alive
/// connections.
async fn measure(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    connections: u64,
    seconds: u64,
) -> Sample {
    let cpu_before = cpu_micros();
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
    let done = done.load(Ordering::Relaxed) as f64;
    let cpu = cpu_micros()
        .zip(cpu_before)
        .map_or(f64::NAN, |(after, before)| {
            after.saturating_sub(before) as f64
        });
    Sample {
        rps: done / seconds as f64,
        cpu: cpu / done,
    }
}

/// Starts counting allocations. A function of its own, as is [`count_to`], so that callgrind
/// can count the instructions of the same requests: `valgrind --tool=callgrind
/// --zero-before='rs_load::count_from*' --dump-before='rs_load::count_to*'`.
#[inline(never)]
fn count_from() {
    ALLOCATIONS.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
}

/// Stops counting allocations; the count.
#[inline(never)]
fn count_to() -> u64 {
    COUNTING.store(false, Ordering::Relaxed);
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Heap allocations per request (the whole process) over `n` sequential requests.
async fn allocations(http: &reqwest::Client, url: &str, token: &str, n: u64) -> f64 {
    count_from();
    for _ in 0..n {
        if let Ok(r) = http.get(url).bearer_auth(token).send().await {
            let _ = r.bytes().await;
        }
    }
    count_to() as f64 / n.max(1) as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// `median [min, max]`.
fn summary(v: Vec<f64>) -> String {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{:.4} [{lo:.4}, {hi:.4}]", median(v))
}

/// The one-minute load average, for the record (Linux).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split(' ').next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

async fn run() -> Result<(), String> {
    let args = Args::parse(USAGE)?;
    let (seconds, rounds) = (number(&args, "seconds", 3)?, number(&args, "rounds", 12)?);
    let connections = number(&args, "connections", 8)?;
    let counted = number(&args, "allocations", 2000)?;
    let names: Vec<String> = args
        .get("variants")
        .unwrap_or("layer,off,noop,none")
        .split(',')
        .map(str::to_owned)
        .collect();
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

    // One more server per variant for the same resource, each started the same way.
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
    let mut servers = Vec::new();
    for name in &names {
        let listener = tls::bind(0).await.map_err(|e| e.to_string())?;
        let binding = CertificateBindingLayer::new;
        let app = match name.as_str() {
            "layer" => resource_server::router(verifier.clone(), binding(BindingPolicy::Required)),
            "off" => resource_server::router(verifier.clone(), binding(BindingPolicy::Off)),
            // The layer behind one more box, the cost of adding it with a `route_layer` of
            // its own (how the example RS added it before).
            "boxed" => resource_server::router(
                verifier.clone(),
                ServiceBuilder::new()
                    .layer(BoxCloneSyncService::layer())
                    .layer(binding(BindingPolicy::Required)),
            ),
            // A layer whose service passes the request on unchanged.
            "noop" => resource_server::router(
                verifier.clone(),
                MapRequestLayer::new(std::convert::identity::<axum::extract::Request>),
            ),
            "none" => resource_server::router(verifier.clone(), Identity::new()),
            other => return Err(format!("unknown variant {other:?}\n{USAGE}")),
        };
        let server = tls::spawn(listener, tls.clone(), app, tls::Limits::default())
            .map_err(|e| e.to_string())?;
        urls.push(format!("https://{}/api/hello", server.addr));
        servers.push(server);
    }
    println!("load average at start: {}", load());
    // Warm up every server (connections, TLS sessions).
    for url in &urls {
        measure(&http, url, &token, connections, 1).await;
        // And the one connection the sequential requests below use.
        let _ = http.get(url).bearer_auth(&token).send().await;
    }
    let n = urls.len();
    let mut samples = vec![Vec::new(); n];
    for round in 0..rounds as usize {
        let mut this = vec![Sample::default(); n];
        for i in (0..n).map(|i| (i + round) % n) {
            this[i] = measure(&http, &urls[i], &token, connections, seconds).await;
        }
        let line: Vec<String> = names
            .iter()
            .zip(&this)
            .map(|(name, s)| format!("{name} {:.0} req/s {:.0} µs", s.rps, s.cpu))
            .collect();
        println!("round {} (load {}): {}", round + 1, load(), line.join(", "));
        for (i, s) in this.into_iter().enumerate() {
            samples[i].push(s);
        }
    }
    // Ratios within a round: the variants measured back to back, under the same load.
    let base = names.len().saturating_sub(1);
    let ratios = |i: usize, of: fn(&Sample) -> f64| -> Vec<f64> {
        samples[i]
            .iter()
            .zip(&samples[base])
            .map(|(s, b)| of(s) / of(b))
            .collect()
    };
    println!(
        "per variant: median req/s, CPU µs per request (client and server); per-round ratios to {}: median [min, max]",
        names[base]
    );
    for (i, name) in names.iter().enumerate() {
        let rps = ratios(i, |s| s.rps);
        let cpu = ratios(i, |s| s.cpu);
        println!(
            "{name}: {:.0} req/s, {:.1} µs; req/s {}, CPU {}",
            median(samples[i].iter().map(|s| s.rps).collect()),
            median(samples[i].iter().map(|s| s.cpu).collect()),
            summary(rps),
            summary(cpu),
        );
    }
    if counted > 0 {
        for (name, url) in names.iter().zip(&urls) {
            let per = allocations(&http, url, &token, counted).await;
            println!("{name}: {per:.1} allocations per request (client and server)");
        }
    }
    for server in servers {
        server.shutdown().await;
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

//! The application behind the proxy: a small HTTP/1.1 server (hyper) that reads the forwarded
//! certificate with the crate and answers one line per request:
//! `thumbprint <x5t#S256> chain <n>` (followed by the `x5t#S256` of each chain certificate),
//! `none`, or `error <message>`.
//!
//! The request path names the [`ForwardedHeader`] to read (one per proxy configuration), so
//! that one backend serves every listener of a proxy; `/<route>/joined` reads the headers
//! after joining repeated lines into one (RFC 9110 section 5.3), as some HTTP libraries
//! deliver them.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::HeaderValue;
use hyper::{HeaderMap, Request, Response};
use hyper_util::rt::TokioIo;
use rfc8705::proxy::TrustedProxy;
use rfc8705::proxy::http::ForwardedHeader;

/// At most this many connections, then the accept loop ends.
const MAX_CONNECTIONS: usize = 10_000;

/// A running backend; dropping it stops it.
#[derive(Debug)]
pub struct Backend {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Backend {
    /// Starts the backend on 127.0.0.1 (a free port), reading `routes`: the first path
    /// segment picks the header configuration.
    pub fn start(routes: Vec<(&'static str, ForwardedHeader)>) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the backend");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("backend address");
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let routes = Arc::new(routes);
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("backend runtime");
            rt.block_on(serve(listener, routes, stopped));
        });
        Self {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `127.0.0.1:<port>`.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    routes: Arc<Vec<(&'static str, ForwardedHeader)>>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    for _ in 0..MAX_CONNECTIONS {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            _ = &mut stopped => return,
        };
        let routes = routes.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let line = answer(&routes, &req);
                async move { Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(line)))) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The one line the backend answers for `req`.
fn answer(routes: &[(&'static str, ForwardedHeader)], req: &Request<Incoming>) -> String {
    let path = req.uri().path().trim_start_matches('/');
    let (route, headers) = match path.strip_suffix("/joined") {
        Some(route) => (route, joined(req.headers())),
        None => (path, req.headers().clone()),
    };
    let Some((_, header)) = routes.iter().find(|(name, _)| *name == route) else {
        return format!("error no route {route:?}");
    };
    // The peer is the proxy: the backend listens on loopback only.
    match TrustedProxy::the_peer_is_my_proxy().certificate_from_headers(&headers, header) {
        Ok(Some(cert)) => {
            let mut line = format!(
                "thumbprint {} chain {}",
                cert.thumbprint(),
                cert.chain().len()
            );
            for der in cert.chain() {
                line.push(' ');
                line.push_str(&thumbprint(der));
            }
            line
        }
        Ok(None) => "none".to_string(),
        Err(e) => format!("error {e}"),
    }
}

/// `x5t#S256` of a chain certificate, or why it has none.
fn thumbprint(der: &[u8]) -> String {
    rfc8705::Thumbprint::from_der(der).map_or_else(|e| format!("({e})"), |t| t.to_string())
}

/// `headers` with the lines of each field joined into one, `, ` between them, as RFC 9110
/// section 5.3 lets any recipient do (and as some HTTP libraries hand them over).
fn joined(headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::new();
    for name in headers.keys() {
        let values: Vec<&[u8]> = headers.get_all(name).iter().map(|v| v.as_bytes()).collect();
        let value = HeaderValue::from_bytes(&values.join(&b", "[..])).expect("a header value");
        out.insert(name.clone(), value);
    }
    out
}

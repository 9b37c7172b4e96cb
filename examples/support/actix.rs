//! The resource server with actix-web instead of axum: the same protected API
//! (`GET /api/hello`), the same token verification, and the crate's one binding check
//! (`rfc8705::cnf::check_binding`) with the thumbprint hashed once per connection.
//!
//! 1. **accept**: actix-web's own rustls 0.23 acceptor, with its handshake timeout, connection
//!    limits and request timeout; its `on_connect` makes the connection's `PeerConnection`
//!    (peer address, certificate thumbprint, client chain) once and keeps it as connection data
//!    (`HttpRequest::conn_data`), which every request on the connection sees;
//! 2. **verify the token**: the JWT, as in the axum resource server;
//! 3. **check the binding**: `check_binding` with the connection's thumbprint; on failure, 401
//!    with the crate's challenge.
//!
//! Included next to `support` (`#[path = "support/actix.rs"] mod actix;`).

#![allow(dead_code)]

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use actix_tls::accept::rustls_0_23::TlsStream;
use actix_web::dev::{Extensions, Server};
use actix_web::rt::net::TcpStream;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use rfc8705::cnf::{Binding, BindingPolicy, Claims, check_binding};
use rfc8705::tower::PeerConnection;
use serde_json::json;

use crate::support::resource_server::Verifier;

/// actix-web's `on_connect`: once per connection, the [`PeerConnection`] of the finished
/// handshake, for every request on the connection.
pub fn on_connect(connection: &dyn Any, data: &mut Extensions) {
    let Some(tls) = connection.downcast_ref::<TlsStream<TcpStream>>() else {
        return;
    };
    let (tcp, session) = tls.get_ref();
    let Ok(peer) = tcp.peer_addr() else { return };
    match PeerConnection::from_rustls(peer, session) {
        Ok(connection) => {
            data.insert(connection);
        }
        Err(e) => eprintln!("[actix] client certificate of {peer}: {e}"),
    }
}

/// The protected API: a verified token bound to the connection's certificate.
async fn hello(request: HttpRequest, verifier: web::Data<Verifier>) -> HttpResponse {
    let authorization = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION);
    let claims = match verifier.verify(authorization.and_then(|v| v.to_str().ok())) {
        Ok((claims, _)) => claims,
        Err(challenge) => {
            return refuse(&(*challenge).resource_metadata(verifier.metadata_url.clone()));
        }
    };
    // RFC 8705 section 3: the token must be bound to the certificate on this connection.
    let thumbprint = request
        .conn_data::<PeerConnection>()
        .and_then(PeerConnection::thumbprint);
    let claims_cnf = Claims::Cnf(claims.cnf.as_ref());
    match check_binding(
        BindingPolicy::Required,
        claims_cnf,
        thumbprint.as_ref(),
        None,
    ) {
        Ok(Binding::Bound {
            certificate: Some(x5t),
            ..
        }) => HttpResponse::Ok().json(json!({
            "message": format!("hello, {}", claims.sub),
            "client_id": claims.client_id,
            "x5t#S256": x5t.to_string(),
        })),
        Ok(_) => HttpResponse::InternalServerError().finish(),
        Err(e) => {
            eprintln!("[actix] refused: {e}");
            refuse(&e.challenge().resource_metadata(&verifier.metadata_url))
        }
    }
}

/// The challenge as actix-web's response: its status and `WWW-Authenticate`, no body.
fn refuse(challenge: &rfc8705::Challenge<'_>) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(challenge.status())
        .unwrap_or(actix_web::http::StatusCode::UNAUTHORIZED);
    HttpResponse::build(status)
        .insert_header(("www-authenticate", challenge.to_string()))
        .finish()
}

/// The actix-web server on `listener` (not yet running: await it, or run it on a `System`).
pub fn server(
    listener: std::net::TcpListener,
    tls: rustls::ServerConfig,
    verifier: Arc<Verifier>,
) -> std::io::Result<Server> {
    let verifier = web::Data::from(verifier);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(verifier.clone())
            .route("/api/hello", web::get().to(hello))
    })
    .on_connect(on_connect)
    // actix-web's own limits: handshakes, requests, connections (per worker).
    .tls_handshake_timeout(Duration::from_secs(10))
    .client_request_timeout(Duration::from_secs(10))
    .max_connections(256)
    .max_connection_rate(64)
    .workers(2)
    .disable_signals()
    .listen_rustls_0_23(listener, tls)?
    .run())
}

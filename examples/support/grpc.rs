//! A gRPC resource server over mutual TLS with certificate-bound tokens (RFC 8705 section 3),
//! with tonic, and its client.
//!
//! The same three steps as the HTTP resource server, in tonic's terms:
//!
//! 1. **accept**: the crate's [`MtlsAcceptor::incoming`] (feature `tonic`; the resource
//!    server needs rustls' possession-only client verifier, which tonic's TLS settings cannot
//!    take) hands tonic connections whose connect info is the `PeerConnection`: tonic puts it
//!    in every request's extensions, and the certificate is hashed once per connection
//!    (tonic's own `Request::peer_certs()` needs its TLS features and would leave the hash to
//!    every request);
//! 2. **verify the token**: a tonic interceptor verifies the JWT from the `authorization`
//!    metadata and inserts [`TokenClaims`];
//! 3. **check the binding**: [`CertificateBindingLayer`] as a tonic server layer answers a
//!    token bound to another certificate with `UNAUTHENTICATED` and the RFC 6750 challenge in
//!    the `www-authenticate` metadata.
//!
//! The messages are prost derives and the service is written out (what `tonic-build`
//! generates, for one unary method), so neither protoc nor a build script is needed:
//!
//! ```text
//! package rfc8705.demo;
//! service Greeter { rpc Hello(HelloRequest) returns (HelloReply); }
//! message HelloRequest { string name = 1; }
//! message HelloReply { string message = 1; string x5t_s256 = 2; }
//! ```
//!
//! Included next to `support` (`#[path = "support/grpc.rs"] mod grpc;`).

#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_rustls::TlsConnector;
use tonic::codegen::BoxFuture;
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::{Request, Response, Status};
use tonic_prost::ProstCodec;

use crate::support::resource_server::Verifier;
use crate::support::tls;
use rfc8705::cnf::{Binding, BindingPolicy};
use rfc8705::tower::{CertificateBindingLayer, MtlsAcceptor};

/// `rfc8705.demo.HelloRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct HelloRequest {
    /// Who says hello.
    #[prost(string, tag = "1")]
    pub name: String,
}

/// `rfc8705.demo.HelloReply`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct HelloReply {
    /// The greeting, naming the token's subject.
    #[prost(string, tag = "1")]
    pub message: String,
    /// The thumbprint of the certificate the token is bound to.
    #[prost(string, tag = "2")]
    pub x5t_s256: String,
}

const HELLO: &str = "/rfc8705.demo.Greeter/Hello";

/// The `Greeter` service: its one method answers with the subject of the verified token and
/// the certificate it is bound to.
#[derive(Clone, Default)]
pub struct Greeter;

impl NamedService for Greeter {
    const NAME: &'static str = "rfc8705.demo.Greeter";
}

struct Hello;

impl UnaryService<HelloRequest> for Hello {
    type Response = HelloReply;
    type Future = BoxFuture<Response<HelloReply>, Status>;
    fn call(&mut self, request: Request<HelloRequest>) -> Self::Future {
        // Both are there: the interceptor put the claims, the binding layer the outcome.
        let sub = request
            .extensions()
            .get::<crate::support::auth_server::AccessClaims>()
            .map(|c| c.sub.clone());
        let binding = request.extensions().get::<Binding>().copied();
        Box::pin(async move {
            let (
                Some(sub),
                Some(Binding::Bound {
                    certificate: Some(x5t),
                    ..
                }),
            ) = (sub, binding)
            else {
                return Err(Status::internal("the server's layers are not in place"));
            };
            Ok(Response::new(HelloReply {
                message: format!("hello, {sub}"),
                x5t_s256: x5t.to_string(),
            }))
        })
    }
}

impl<B> tower::Service<http::Request<B>> for Greeter
where
    B: tonic::codegen::Body + Send + 'static,
    B::Error: Into<tonic::codegen::StdError> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Infallible>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        if request.uri().path() != HELLO {
            return Box::pin(async { Ok(Status::unimplemented("").into_http()) });
        }
        Box::pin(async move {
            let mut grpc = Grpc::new(ProstCodec::<HelloReply, HelloRequest>::default());
            Ok(grpc.unary(Hello, request).await)
        })
    }
}

/// A running gRPC resource server.
pub struct GrpcServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl GrpcServer {
    /// Stops it.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Serves `Greeter` on `listener` over mutual TLS: a client certificate is required, every
/// token must be bound to it.
pub fn start(
    listener: TcpListener,
    cert_pem: &str,
    key_pem: &str,
    verifier: Arc<Verifier>,
) -> Result<GrpcServer, String> {
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut config = rustls::ServerConfig::builder_with_provider(tls::provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(rfc8705::rustls::PossessionOnlyVerifier::mandatory(
            tls::provider(),
        ))
        .with_single_cert(
            tls::load_chain(cert_pem.as_bytes())?,
            tls::load_key(key_pem.as_bytes())?,
        )
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    // Each handshake in its own task, within the time limit; tonic gets the connections whose
    // handshake succeeded, each with its `PeerConnection` as connect info.
    let timeout = tls::Limits::default().handshake_timeout;
    let incoming = MtlsAcceptor::new(Arc::new(config), timeout).incoming(listener);

    let verify = move |mut request: Request<()>| {
        let authorization = request.metadata().get("authorization");
        match verifier.verify(authorization.and_then(|v| v.to_str().ok())) {
            Ok((claims, json)) => {
                request.extensions_mut().insert(json);
                request.extensions_mut().insert(claims);
                Ok(request)
            }
            Err(challenge) => {
                let mut status = Status::unauthenticated("invalid_token");
                if let Ok(value) = challenge.to_string().parse() {
                    status.metadata_mut().insert("www-authenticate", value);
                }
                Err(status)
            }
        }
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = tonic::transport::Server::builder()
            // Outside in: token verification, then the binding check.
            .layer(tonic::service::InterceptorLayer::new(verify)) // inserts TokenClaims
            .layer(CertificateBindingLayer::new(BindingPolicy::Required))
            .add_service(Greeter)
            .serve_with_incoming_shutdown(incoming, async {
                let _ = stopped.await;
            });
        let _ = served.await;
    });
    Ok(GrpcServer { addr, stop, task })
}

/// Calls `Hello` on the server at `addr` over mutual TLS with the client's certificate and
/// `token`: the reply, or the gRPC status (`UNAUTHENTICATED` with the challenge in
/// `www-authenticate` when the token is not bound to the certificate).
pub async fn call_hello(
    addr: SocketAddr,
    ca_pem: &str,
    client: (&str, &str),
    token: &str,
) -> Result<Result<HelloReply, Status>, String> {
    let mut roots = rustls::RootCertStore::empty();
    for ca in tls::load_chain(ca_pem.as_bytes())? {
        roots.add(ca).map_err(|e| e.to_string())?;
    }
    let mut config = rustls::ClientConfig::builder_with_provider(tls::provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_client_auth_cert(
            tls::load_chain(client.0.as_bytes())?,
            tls::load_key(client.1.as_bytes())?,
        )
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = TlsConnector::from(Arc::new(config));
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .map_err(|e| e.to_string())?
        .connect_with_connector(tower::service_fn(move |_: http::Uri| {
            let connector = connector.clone();
            async move {
                let tcp = TcpStream::connect(addr).await?;
                let name = ServerName::from(addr.ip());
                connector.connect(name, tcp).await.map(TokioIo::new)
            }
        }))
        .await
        .map_err(|e| format!("gRPC connect to {addr}: {e}"))?;
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.map_err(|e| e.to_string())?;
    let mut request = Request::new(HelloRequest {
        name: "demo".into(),
    });
    let bearer = format!("Bearer {token}").parse().map_err(|_| "token")?;
    request.metadata_mut().insert("authorization", bearer);
    let path = http::uri::PathAndQuery::from_static(HELLO);
    let codec = ProstCodec::<HelloRequest, HelloReply>::default();
    Ok(grpc
        .unary(request, path, codec)
        .await
        .map(Response::into_inner))
}

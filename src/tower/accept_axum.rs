//! [`MtlsAcceptor`] as axum-server's acceptor (feature `axum-server`).

use alloc::boxed::Box;
use core::future::Future;
use core::pin::Pin;
use std::io;

use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

use super::accept::{Accepted, MtlsAcceptor};

/// axum-server's accept step: the handshake within the time limit, then the connection's
/// service wrapped so that every request carries the [`PeerConnection`](super::PeerConnection).
/// An error closes this connection only (axum-server reports it to its
/// `accept_error_handler` and keeps accepting).
///
/// ```no_run
/// # async fn run(tls: std::sync::Arc<rustls::ServerConfig>, app: axum::Router) -> std::io::Result<()> {
/// use std::time::Duration;
/// use rfc8705::tower::MtlsAcceptor;
///
/// axum_server::bind(std::net::SocketAddr::from(([127, 0, 0, 1], 8443)))
///     .acceptor(MtlsAcceptor::new(tls, Duration::from_secs(10)))
///     .serve(app.into_make_service())
///     .await
/// # }
/// ```
impl<S> ::axum_server::accept::Accept<TcpStream, S> for MtlsAcceptor
where
    S: Send + 'static,
{
    type Stream = TlsStream<TcpStream>;
    type Service = Accepted<S>;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Self::Stream, Self::Service)>> + Send>>;

    fn accept(&self, tcp: TcpStream, service: S) -> Self::Future {
        let acceptor = self.clone();
        Box::pin(async move {
            let addr = tcp.peer_addr()?;
            let (tls, connection) = acceptor.handshake(tcp, addr).await?;
            Ok((
                tls,
                Accepted {
                    inner: service,
                    connection,
                },
            ))
        })
    }
}

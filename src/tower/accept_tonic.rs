//! [`MtlsAcceptor`] as tonic's incoming stream (feature `tonic`).

use core::convert::Infallible;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::io;

use futures_core::Stream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;

use super::PeerConnection;
use super::accept::{Accepted, MtlsAcceptor};

/// Handshakes finished but not yet taken by the server.
const QUEUE: usize = 64;

impl MtlsAcceptor {
    /// The connections accepted on `listener`, for tonic's `Server::serve_with_incoming`: each
    /// TCP connection's handshake runs in its own task within the time limit, and the stream
    /// yields the connections whose handshake succeeded. A failed accept (say, too many open
    /// files) or handshake is logged (`tracing`, target `rfc8705::tower`) and skipped: the
    /// stream never ends on an error. Accepting stops when the server drops the stream.
    ///
    /// Each item implements tonic's `Connected` with the [`PeerConnection`] as its connect
    /// info, so tonic puts it in every request's extensions.
    ///
    /// ```no_run
    /// # async fn run(tls: std::sync::Arc<rustls::ServerConfig>, routes: tonic::service::Routes) -> Result<(), tonic::transport::Error> {
    /// use std::time::Duration;
    /// use rfc8705::tower::MtlsAcceptor;
    ///
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:50051").await.unwrap();
    /// let incoming = MtlsAcceptor::new(tls, Duration::from_secs(10)).incoming(listener);
    /// tonic::transport::Server::builder()
    ///     .add_routes(routes)
    ///     .serve_with_incoming(incoming)
    ///     .await
    /// # }
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "tonic")))]
    pub fn incoming(
        self,
        listener: TcpListener,
    ) -> impl Stream<Item = Result<Accepted<TlsStream<TcpStream>>, Infallible>> + Send + 'static
    {
        Incoming::Start(Some((self, listener)))
    }
}

/// The stream: the accept loop starts on the first poll, inside the server's runtime.
enum Incoming {
    Start(Option<(MtlsAcceptor, TcpListener)>),
    Running(mpsc::Receiver<Accepted<TlsStream<TcpStream>>>),
}

impl Stream for Incoming {
    type Item = Result<Accepted<TlsStream<TcpStream>>, Infallible>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Incoming::Start(start) = this {
            let Some((acceptor, listener)) = start.take() else {
                return Poll::Ready(None);
            };
            let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                tracing::error!(target: "rfc8705::tower", "MtlsAcceptor::incoming needs a tokio runtime: not accepting");
                return Poll::Ready(None);
            };
            let (tx, rx) = mpsc::channel(QUEUE);
            runtime.spawn(accept_loop(acceptor, listener, tx));
            *this = Incoming::Running(rx);
        }
        match this {
            Incoming::Running(rx) => rx.poll_recv(cx).map(|next| next.map(Ok)),
            Incoming::Start(_) => Poll::Ready(None),
        }
    }
}

/// Accepts until the stream is dropped; one task per handshake, so a stalled client delays no
/// other.
async fn accept_loop(
    acceptor: MtlsAcceptor,
    listener: TcpListener,
    tx: mpsc::Sender<Accepted<TlsStream<TcpStream>>>,
) {
    loop {
        let accepted = tokio::select! {
            () = tx.closed() => return,
            accepted = listener.accept() => accepted,
        };
        let (tcp, addr) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(target: "rfc8705::tower", "accepting a TCP connection failed: {e}");
                // Do not spin while the listener keeps failing (EMFILE).
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let (acceptor, tx) = (acceptor.clone(), tx.clone());
        tokio::spawn(async move {
            match acceptor.handshake(tcp, addr).await {
                Ok((inner, connection)) => {
                    // Only fails when the server is gone; the connection closes with it.
                    let _ = tx.send(Accepted { inner, connection }).await;
                }
                Err(e) => {
                    tracing::debug!(target: "rfc8705::tower", peer = %addr, "TLS handshake failed: {e}");
                }
            }
        });
    }
}

impl<T> ::tonic::transport::server::Connected for Accepted<T> {
    type ConnectInfo = PeerConnection;

    fn connect_info(&self) -> PeerConnection {
        self.connection.clone()
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Accepted<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Accepted<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

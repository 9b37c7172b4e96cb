//! Client certificates forwarded by a TLS-terminating proxy (RFC 8705 section 6.5).
//!
//! Many authorization and resource servers sit behind a proxy that terminates TLS, verifies
//! the client certificate and forwards it to the application in a request header. This module
//! decodes those headers — it does no I/O — through one entry point per input:
//! [`TrustedProxy::decode`] for header values, and, with the `http` feature,
//! `TrustedProxy::certificate_from_headers` for an `http::HeaderMap`. Which peers are proxies
//! is [`TrustedProxy::if_peer_in`]'s decision, over CIDR ranges.
//!
//! # Formats
//!
//! | [`ProxyFormat`] | proxies | header | value |
//! |---|---|---|---|
//! | `client-cert` | RFC 9440 proxies; HAProxy `:%[ssl_c_der,base64]:`; CloudFront passthrough; Cloudflare's `cf.tls_client_auth.cert_rfc9440` | `Client-Cert` (+ `Client-Cert-Chain` where the proxy writes it) | `:<base64 DER>:`; `::` for no certificate |
//! | `xfcc` | Envoy | `x-forwarded-client-cert` | `…;Cert="<URL-encoded PEM>";…`: the `Cert` (and `Chain`) of the last element, read as Envoy writes it; a value whose split is ambiguous is refused (a mesh's earlier element is split where its own `Cert` proves its end) |
//! | `xfcc-json` | Envoy with the JSON `format` of `set_current_client_cert_details` | `x-forwarded-client-cert` | a JSON array, one object per hop: the `cert` (plain PEM) and `chain` (array of PEM) of the last object |
//! | `escaped-pem` | nginx `$ssl_client_escaped_cert` | deployment-chosen | URL-encoded PEM, leaf first |
//! | `alb` | AWS Application Load Balancer | `X-Amzn-Mtls-Clientcert-Leaf` (verify mode), `X-Amzn-Mtls-Clientcert` (passthrough: **unverified**) | URL-encoded PEM with `+` `=` `/` raw |
//! | `bare-der` | HAProxy `%[ssl_c_der,base64]`, Caddy `{http.request.tls.client.certificate_der_base64}` | deployment-chosen (+ HAProxy's `%[ssl_c_chain_der,base64]`) | base64 DER of one certificate, without armour; empty or Caddy's placeholder for no certificate |
//! | `traefik` | Traefik `passTLSClientCert` | `X-Forwarded-Tls-Client-Cert` | base64 DER without armour, `,`-separated, leaf first, `%XX`-escaped up to v2.9 |
//! | `apache` | Apache `mod_headers` + `%{SSL_CLIENT_CERT}s` | deployment-chosen (+ `…_CHAIN_0`, `…_1`, …) | PEM with spaces for line breaks, or `(null)` for no certificate |
//! | `cloudfront` | Amazon CloudFront viewer mTLS | `CloudFront-Viewer-Cert-Pem` (+ `CloudFront-Viewer-Cert-Sha256`) | URL-encoded PEM of the leaf alone |
//! | `azure` | Azure App Service; YARP's `ClientCert` transform | `X-ARR-ClientCert` / deployment-chosen | base64 DER of the leaf alone |
//! | `xfcc-hash` (hash-only) | Envoy without `Cert` (its minimal details; Istio's default) | `x-forwarded-client-cert` | the last element's `Hash`: a thumbprint, not a certificate |
//! | `fingerprint` (hash-only) | Cloudflare's `cf.tls_client_auth.cert_fingerprint_sha256` forwarded by a rule; Caddy `{http.request.tls.client.fingerprint}` | deployment-chosen | 64 hex digits, either case, optionally `:`-separated: a thumbprint, not a certificate |
//!
//! The hash-only formats serve the resource server's check, which needs only the thumbprint
//! ([`TrustedProxy::thumbprint`], the `tower` layer); [`TrustedProxy::decode`] refuses them, so
//! no subject, SAN or client authentication can come from a hash.
//!
//! The chain, where a format keeps it apart from the leaf, comes from its own headers:
//! `Client-Cert-Chain`, HAProxy's concatenated chain, or one header per chain certificate
//! (`…_0`, `…_1`, …, as Keycloak reads Apache's and HAProxy's) for the formats whose value
//! holds one certificate; see [`TrustedProxy::decode`].
//!
//! Every decoder accepts surrounding whitespace. The leniencies each proxy needs
//! (percent-decoding, Apache's spaces for line breaks, text around PEM blocks, RFC 8941's
//! optional padding and non-zero pad bits) are input preparation; the base64 is then
//! `base64-simd`'s, and the PEM the crate's one PEM reader's.
//!
//! A header is a singleton in every format: two field lines are refused, and so is one line
//! an HTTP library joined from two (`,` inside a value that holds one certificate, whatever
//! came first: a proxy that appends its value after a client-sent copy; `Client-Cert` holding
//! a list). Joined `xfcc` lines cannot be told from Envoy's own appending, and Traefik's list
//! is `,`-separated: there, only two field lines are caught. Each proxy's spelling of "no
//! certificate" (`::`, an empty value, Caddy's unreplaced placeholder, Apache's `(null)`) is
//! recognised as such, never decoded.
//!
//! # Limits
//!
//! | what | limit |
//! |---|---|
//! | a header value (all `Client-Cert-Chain` lines together) | 128 KiB (RFC 8941 section 3.3.5: "at least 16384 octets after decoding"; the rest is room for a URL-encoded PEM chain) |
//! | chain certificates after the leaf | 16 |
//! | XFCC elements or JSON objects (proxy hops) | 32 |
//! | key-value pairs in one XFCC element | 64 |
//!
//! Beyond a limit a value is refused ([`Reason::TooLarge`], [`Reason::TooManyCertificates`],
//! [`Reason::TooManyElements`], [`Reason::TooManyPairs`]).
//!
//! # Trust is explicit
//!
//! A forwarded-certificate header is, on the wire, an ordinary request header: any client
//! can send one. RFC 9440 section 4: "In order to prevent field injection, backend servers
//! MUST only accept the Client-Cert and Client-Cert-Chain header fields from a trusted TTRP
//! (or other proxy in a trusted path from the TTRP)." and the default "should be to not use
//! the header fields, thus requiring an "opt-in" to the functionality." So:
//!
//! * Every function that hands out a certificate from a header is a method of
//!   [`TrustedProxy`], a value that exists only because the caller wrote down its decision
//!   that the immediate peer is its proxy ([`TrustedProxy::the_peer_is_my_proxy`] or
//!   [`TrustedProxy::if_peer_in`]). The format decoders are private.
//! * A forwarded certificate is a [`ForwardedCertificate`], not a
//!   [`ClientCertificate`](crate::ClientCertificate). Take the request's certificate from
//!   exactly one place: the headers when the peer is a trusted proxy (its own connection
//!   certificate, if any, is the proxy's), else the connection.
//!
//! # The hot path
//!
//! A resource server checks a certificate-bound token by one SHA-256 over the DER. A trusted
//! proxy has already validated the certificate, so decoding a header does not parse X.509:
//! [`ForwardedCertificate::thumbprint`] hashes the decoded DER (checked only to be one
//! complete DER `SEQUENCE`); [`ClientCertificate::from_der`](crate::ClientCertificate::from_der)
//! on [`ForwardedCertificate::der`] parses it on demand, for subject DN and SAN matching.
//!
//! ```
//! use rfc8705::proxy::{ProxyFormat, TrustedProxy};
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! # let value = format!(":{}:", <base64ct::Base64 as base64ct::Encoding>::encode_string(&der));
//! // This listener only ever receives connections from our own proxy.
//! let proxy = TrustedProxy::the_peer_is_my_proxy();
//! let cert = proxy.decode(ProxyFormat::ClientCert, &value, &[])?; // the `Client-Cert` value
//! assert_eq!(cert.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
//! # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
//! ```
//!
//! # Errors and OAuth
//!
//! Every failure is a [`ForwardedCertificateError`]: the [`ProxyFormat`] and a precise
//! [`Reason`]. A malformed header from a trusted proxy is a misconfiguration of the server
//! side, not a client mistake: log it for the operator. Towards the client it means the
//! request carries no usable certificate: [`ResourceError`](crate::ResourceError)
//! answers `invalid_token` (RFC 6750 section 3.1) and
//! [`TokenEndpointError`](crate::endpoint::TokenEndpointError) `invalid_client` (RFC 8705
//! section 2: "If no certificate is presented … `invalid_client`").
//!
#![doc = include_str!("../../docs/proxies.md")]

mod alb;
mod apache;
mod azure;
mod bare_der;
mod base64;
mod client_cert;
mod cloudfront;
mod error;
mod escaped_pem;
mod fingerprint;
mod format;
mod forwarded;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
mod percent;
#[cfg(test)]
mod testing;
mod trusted;
mod xfcc;

pub use error::{ForwardedCertificateError, Reason};
pub use format::{ProxyFormat, UnknownProxyFormat};
pub use forwarded::ForwardedCertificate;
pub use trusted::TrustedProxy;

/// The longest header value any decoder here accepts, in bytes (see [the limits](self#limits)).
const MAX_FIELD_VALUE_LEN: usize = 128 * 1024;

/// The size limit of a forwarded header value of `len` bytes: the one check, made where a
/// value enters the decoders ([`TrustedProxy`]'s `decode_value`, for the certificate value and
/// each numbered chain header; HAProxy's chain header; the `Client-Cert-Chain` lines
/// together). The decoders themselves read values already bounded.
fn check_size(len: usize) -> Result<(), Reason> {
    if len > MAX_FIELD_VALUE_LEN {
        return Err(Reason::TooLarge { len });
    }
    Ok(())
}

/// The most certificates a forwarded chain may hold, leaf excluded.
const MAX_CHAIN_LEN: usize = 16;

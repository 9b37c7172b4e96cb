//! Client certificates forwarded by a TLS-terminating proxy (RFC 8705 section 6.5).
//!
//! Many authorization and resource servers sit behind a proxy that terminates TLS, verifies
//! the client certificate and forwards it to the application in a request header. This module
//! decodes those headers — it does no I/O — in the formats deployed today:
//!
//! | format (`ProxyFormat`) | header | module |
//! |---|---|---|
//! | RFC 9440 (`client-cert`; also CloudFront passthrough) | `Client-Cert: :<base64 DER>:` (+ `Client-Cert-Chain`) | [`client_cert`] |
//! | Envoy (`xfcc`) | `x-forwarded-client-cert: …;Cert="<URL-encoded PEM>";…` | [`xfcc`] |
//! | nginx `$ssl_client_escaped_cert`, Caddy (`escaped-pem`) | deployment-chosen name, URL-encoded PEM | [`escaped_pem`] |
//! | AWS Application Load Balancer (`alb`) | `X-Amzn-Mtls-Clientcert-Leaf` / `X-Amzn-Mtls-Clientcert` | [`alb`] |
//! | HAProxy `%[ssl_c_der,base64]`, Traefik `passTLSClientCert` (`bare-der`) | deployment-chosen name / `X-Forwarded-Tls-Client-Cert`, base64 DER without armour, `,`-separated | [`bare_der`] |
//! | Apache `mod_headers` + `%{SSL_CLIENT_CERT}s`, nginx legacy `$ssl_client_cert` (`apache`) | deployment-chosen name, PEM with spaces for line breaks, or `(null)` | [`apache`] |
//! | Amazon CloudFront viewer mTLS (`cloudfront`) | `CloudFront-Viewer-Cert-Pem` (+ `CloudFront-Viewer-Cert-Sha256`) | [`cloudfront`] |
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
//!   [`TrustedProxy::if_peer_in`]). The format parsers themselves ([`xfcc::Xfcc::parse`]) give
//!   out strings, never a certificate.
//! * A forwarded certificate is a [`ForwardedCertificate`], not a
//!   [`ClientCertificate`], and [`RequestCertificate`] holds
//!   exactly one of the connection's certificate or a forwarded one. With the `http` feature,
//!   [`http::CertificateSource`] takes the connection's certificate and the headers and
//!   picks one by the caller's per-listener policy: a direct listener never reads the headers,
//!   a proxied listener never uses the connection certificate (it is the proxy's own).
//!
//! # Configuring the proxy
//!
//! The header is only as trustworthy as the proxy that strips client-sent copies. RFC 9440
//! section 2.4: "Any occurrence of the Client-Cert or Client-Cert-Chain header fields in the
//! original incoming request MUST be removed or overwritten before forwarding the request."
//! Per proxy:
//!
//! * **RFC 9440 proxies**: enable `Client-Cert` (and optionally `Client-Cert-Chain`) output;
//!   the proxy must remove incoming copies, including on connections without a client
//!   certificate (section 2.4). If it cannot, strip both fields at the edge.
//! * **Envoy**: `forward_client_cert_details: SANITIZE_SET` on the edge listener's HTTP
//!   connection manager (replaces any incoming XFCC with this hop's element), with
//!   `set_current_client_cert_details: { cert: true }` (and `chain: true` for the chain).
//!   Never `FORWARD_ONLY`/`ALWAYS_FORWARD_ONLY` at the edge. With `APPEND_FORWARD` every
//!   earlier element may be client-written: this module reads only the last one. Envoy writes
//!   `uri` and `dns` details unquoted, so a value whose split they make uncertain is refused
//!   (see [`xfcc`]); leave them out of `set_current_client_cert_details` unless something
//!   else needs them.
//! * **nginx**: `proxy_set_header X-Client-Cert $ssl_client_escaped_cert;` in every
//!   `location` that proxies (it replaces a client-sent header of that name, and sends none
//!   when the variable is empty), with `ssl_verify_client on` (or `optional_no_ca` when the
//!   application verifies, e.g. `self_signed_tls_client_auth`). Pick a header name no other
//!   layer passes through. Caddy (`header_up`) likewise overwrites the header.
//! * **HAProxy**: `http-request set-header X-SSL-Client-Cert %[ssl_c_der,base64]` (`set-header`
//!   replaces a client-sent copy; with no client certificate the fetch fails and the value is
//!   empty, which reads as "no certificate"), with `verify required` (or `verify optional`) on
//!   the `bind` line. Never `add-header`, which keeps the client's copy as a second line.
//! * **Traefik**: the `passTLSClientCert` middleware with `pem: true` sets
//!   `X-Forwarded-Tls-Client-Cert` only when the client presented a certificate; the
//!   entry point removes client-sent copies unless the client's address is in
//!   `forwardedHeaders.trustedIPs` (traefik/traefik#5012). Never set
//!   `forwardedHeaders.insecure` on an internet-facing entry point, and use
//!   `clientAuth.clientAuthType: RequireAndVerifyClientCert` (or `VerifyClientCertIfGiven`).
//! * **Apache httpd**: `RequestHeader set X-SSL-Client-Cert "%{SSL_CLIENT_CERT}s"` (`set`
//!   replaces a client-sent copy and sends `(null)` when there is no certificate), with
//!   `SSLVerifyClient require` (or `optional`). `(null)` also means `mod_ssl` is not loaded for
//!   that virtual host: if every request reads as "no certificate", check that first.
//! * **Amazon CloudFront**: forward `CloudFront-Viewer-Cert-Pem` (and
//!   `CloudFront-Viewer-Cert-Sha256`) in the origin request policy, and make the origin
//!   reachable only through CloudFront (a VPC origin, or the CloudFront managed prefix list
//!   plus a secret origin header). The AWS documentation we found does not say whether a
//!   viewer-sent copy of these headers is removed when the viewer presents no certificate
//!   (*optional* mode): prefer *required* mode, or check that a request with a forged header
//!   and no certificate reaches the origin without it. The `-Sha256` cross-check catches
//!   inconsistent headers, not a forger who sets both.
//! * **AWS ALB**: *verify* mode sends the verified leaf in `X-Amzn-Mtls-Clientcert-Leaf` and
//!   overwrites client-sent `X-Amzn-Mtls-*` headers; *passthrough* mode sends the whole chain,
//!   **unverified**, in `X-Amzn-Mtls-Clientcert`: the application must then verify it. Only
//!   accept traffic from the load balancer (security group), never from the internet.
//!
//! # The hot path
//!
//! A resource server checks a certificate-bound token by one SHA-256 over the DER. A trusted
//! proxy has already validated the certificate, so decoding a header does not parse X.509:
//! [`ForwardedCertificate::thumbprint`] hashes the decoded DER (checked only to be one
//! complete DER `SEQUENCE`), and [`ForwardedCertificate::to_client_certificate`] parses it on
//! demand, for subject DN and SAN matching.
//!
//! ```
//! use rfc8705::proxy::TrustedProxy;
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! # let value = rfc8705::proxy::client_cert::encode(&der);
//! // This listener only ever receives connections from our own proxy.
//! let proxy = TrustedProxy::the_peer_is_my_proxy();
//! let cert = proxy.client_cert(&value)?; // the `Client-Cert` header value
//! assert_eq!(cert.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
//! # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
//! ```
//!
//! # Errors and OAuth
//!
//! A malformed header from a trusted proxy is a misconfiguration of the server side, not a
//! client mistake: log it for the operator. Towards the client it means the request carries
//! no usable certificate, so the error enums map to `invalid_token` (a resource server's
//! answer, RFC 6750 section 3.1); an authorization server answers `invalid_client` instead
//! (RFC 8705 section 2: "If no certificate is presented … `invalid_client`").

use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;
use core::str::FromStr;

use crate::cert::{CertificateError, ClientCertificate, check_der_framing};
use crate::error::{OAuthError, OAuthErrorCode};
use crate::thumbprint::Thumbprint;

pub mod alb;
pub mod apache;
pub mod bare_der;
mod base64;
pub mod client_cert;
pub mod cloudfront;
pub mod escaped_pem;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
mod pem_block;
pub mod xfcc;

pub use apache::ApachePemError;
pub use bare_der::BareDerError;
pub use client_cert::ClientCertFieldError;
pub use escaped_pem::EscapedPemError;
pub use xfcc::XfccError;

/// The longest header value any decoder here accepts, in bytes. RFC 8941 section 3.3.5:
/// "Parsers MUST support Byte Sequences with at least 16384 octets after decoding"; 128 KiB
/// leaves room for a URL-encoded PEM chain (every line feed costs three bytes).
pub const MAX_FIELD_VALUE_LEN: usize = 128 * 1024;

/// The most certificates a forwarded chain may hold (leaf excluded).
pub const MAX_CHAIN_LEN: usize = 16;

/// The caller's decision that the immediate peer of this connection is its TLS-terminating
/// proxy, which strips client-sent certificate headers and sets its own.
///
/// Every API that hands out a certificate from a header is a method of this type: without
/// one, headers are just untrusted strings. Create it where the connection is accepted, from
/// what you know about the peer (its address, or the certificate the proxy itself presented),
/// never from anything in the request.
///
/// ```
/// use core::net::{IpAddr, Ipv4Addr};
/// use rfc8705::proxy::TrustedProxy;
///
/// let proxies = [IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))];
/// assert!(TrustedProxy::if_peer_in("10.0.0.2".parse().unwrap(), &proxies).is_some());
/// assert!(TrustedProxy::if_peer_in("203.0.113.9".parse().unwrap(), &proxies).is_none());
/// ```
#[derive(Debug, Clone)]
pub struct TrustedProxy {
    _decided: (),
}

impl TrustedProxy {
    /// Records that the immediate peer is known to be the proxy, by means outside the
    /// request: the listener is reachable only from the proxy (a private network, a security
    /// group, a Unix socket), or the proxy authenticated itself with its own TLS certificate.
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// // The backend listens on 127.0.0.1 behind a sidecar proxy.
    /// let proxy = TrustedProxy::the_peer_is_my_proxy();
    /// ```
    pub fn the_peer_is_my_proxy() -> Self {
        Self { _decided: () }
    }

    /// Trusts the peer only if its address is one of `proxies`. Compare the address of the
    /// TCP peer, never an `X-Forwarded-For` value.
    ///
    /// An IPv4-mapped IPv6 peer address (`::ffff:10.0.0.2`, what a dual-stack socket reports)
    /// is compared as the IPv4 address.
    ///
    /// ```
    /// # use core::net::IpAddr;
    /// # use rfc8705::proxy::TrustedProxy;
    /// let proxies: [IpAddr; 1] = ["10.0.0.2".parse().unwrap()];
    /// let peer: IpAddr = "::ffff:10.0.0.2".parse().unwrap();
    /// assert!(TrustedProxy::if_peer_in(peer, &proxies).is_some());
    /// ```
    pub fn if_peer_in(peer: IpAddr, proxies: &[IpAddr]) -> Option<Self> {
        let peer = peer.to_canonical();
        proxies
            .iter()
            .any(|p| p.to_canonical() == peer)
            .then(Self::the_peer_is_my_proxy)
    }

    /// Decodes an RFC 9440 `Client-Cert` value. See [`client_cert::decode`].
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let value = rfc8705::proxy::client_cert::encode(&der);
    /// let cert = TrustedProxy::the_peer_is_my_proxy().client_cert(&value)?;
    /// assert_eq!(cert.der(), &der[..]);
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn client_cert(
        &self,
        value: impl AsRef<[u8]>,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        let der = client_cert::decode(value.as_ref())?;
        ForwardedCertificate::new(der, Vec::new(), ProxyFormat::ClientCert)
    }

    /// Decodes an RFC 9440 `Client-Cert` value and the `Client-Cert-Chain` field lines that
    /// came with it (zero or more; RFC 9440 section 2.3: it "MAY have a list of values or
    /// occur multiple times"). See [`client_cert::decode_chain`].
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let leaf = rfc8705::proxy::client_cert::encode(&der);
    /// let chain = format!("{leaf}, {leaf}"); // two (here: identical) issuers
    /// let cert = TrustedProxy::the_peer_is_my_proxy().client_cert_with_chain(&leaf, [&chain])?;
    /// assert_eq!(cert.chain().count(), 2);
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn client_cert_with_chain<I, V>(
        &self,
        value: impl AsRef<[u8]>,
        chain_lines: I,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError>
    where
        I: IntoIterator<Item = V>,
        V: AsRef<[u8]>,
    {
        let der = client_cert::decode(value.as_ref())?;
        let chain = client_cert::decode_chain(chain_lines)?;
        ForwardedCertificate::new(der, chain, ProxyFormat::ClientCert)
    }

    /// Decodes an Envoy `x-forwarded-client-cert` value: the `Cert` (and `Chain`) of its last
    /// element. See [`xfcc`].
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
    /// let cert = rfc8705::proxy::escaped_pem::encode(pem.as_bytes());
    /// let value = format!("By=spiffe://proxy;Cert=\"{cert}\";URI=spiffe://client");
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().xfcc(&value)?;
    /// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn xfcc(
        &self,
        value: impl AsRef<[u8]>,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        let (der, chain) = xfcc::decode_last(value.as_ref())?;
        ForwardedCertificate::new(der, chain, ProxyFormat::Xfcc)
    }

    /// Decodes a URL-encoded PEM value (nginx `$ssl_client_escaped_cert`, Caddy). See
    /// [`escaped_pem`] (which also accepts Traefik's bare base64 DER; [`bare_der`](Self::bare_der)
    /// is that format's own, stricter decoder).
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// let value = "-----BEGIN%20CERTIFICATE-----%0AMIIBBjCBrAIBAjAKBggqhkjOPQQDAjAPMQ0wCwYDVQQDDARtdGxzMB4XDTE4MTAx%0AODEyMzcwOVoXDTIyMDUwMjEyMzcwOVowDzENMAsGA1UEAwwEbXRsczBZMBMGByqG%0ASM49AgEGCCqGSM49AwEHA0IABNcnyxwqV6hY8QnhxxzFQ03C7HKW9OylMbnQZjjJ%0A%2FAu08%2FcoZwxS7LfA4vOLS9WuneIXhbGGWvsDSb0tH6IxLm8wCgYIKoZIzj0EAwID%0ASQAwRgIhAP0RC1E%2BvwJD%2FD1AGHGzuri%2BhlV%2FPpQEKTWUVeORWz83AiEA5x2eXZOV%0AbUlJSGQgjwD5vaUaKlLR50Q2DmFfQj1L%2BSY%3D%0A-----END%20CERTIFICATE-----%0A";
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().escaped_pem(value)?;
    /// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn escaped_pem(
        &self,
        value: impl AsRef<[u8]>,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        let (der, chain) = escaped_pem::decode(value.as_ref())?;
        ForwardedCertificate::new(der, chain, ProxyFormat::EscapedPem)
    }

    /// Decodes an AWS ALB `X-Amzn-Mtls-Clientcert-Leaf` or `X-Amzn-Mtls-Clientcert` value.
    /// See [`alb`].
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
    /// let value = rfc8705::proxy::alb::encode(pem.as_bytes());
    /// assert!(value.contains('+') && value.contains('/'));
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().alb(&value)?;
    /// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn alb(
        &self,
        value: impl AsRef<[u8]>,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        let (der, chain) = alb::decode(value.as_ref())?;
        ForwardedCertificate::new(der, chain, ProxyFormat::Alb)
    }

    /// Decodes a bare base64 DER value (HAProxy `%[ssl_c_der,base64]`, Traefik
    /// `X-Forwarded-Tls-Client-Cert`, escaped or not): the leaf, then its chain. See
    /// [`bare_der`].
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let value = rfc8705::proxy::bare_der::encode([&der]);
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().bare_der(&value)?;
    /// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn bare_der(
        &self,
        value: impl AsRef<[u8]>,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        let (der, chain) = bare_der::decode(value.as_ref())?;
        ForwardedCertificate::new(der, chain, ProxyFormat::BareDer)
    }

    /// Decodes HAProxy's pair of headers: the leaf from `%[ssl_c_der,base64]` and the chain
    /// from `%[ssl_c_chain_der,base64]` (the chain certificates' DER concatenated; empty for
    /// no chain). See [`bare_der::decode_concatenated_chain`].
    ///
    /// ```
    /// # use rfc8705::proxy::{bare_der, TrustedProxy};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let leaf = bare_der::encode([&der]);
    /// let chain = bare_der::encode([[der.clone(), der.clone()].concat()]);
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().bare_der_with_concatenated_chain(&leaf, &chain)?;
    /// assert_eq!(fwd.chain().count(), 2);
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn bare_der_with_concatenated_chain(
        &self,
        value: impl AsRef<[u8]>,
        chain: impl AsRef<[u8]>,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        let (der, listed) = bare_der::decode(value.as_ref())?;
        // The leaf header holds one certificate; its chain comes from the other header.
        if !listed.is_empty() {
            return Err(BareDerError::TooManyCertificates.into());
        }
        let chain = bare_der::decode_concatenated_chain(chain.as_ref())?;
        ForwardedCertificate::new(der, chain, ProxyFormat::BareDer)
    }

    /// Decodes an Apache `mod_headers` value (`%{SSL_CLIENT_CERT}s`): `Ok(None)` when it is
    /// `(null)`, Apache's "the client presented no certificate". See [`apache`].
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
    /// let proxy = TrustedProxy::the_peer_is_my_proxy();
    /// let value = rfc8705::proxy::apache::encode(pem.as_bytes());
    /// let fwd = proxy.apache(&value)?.expect("a certificate");
    /// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// assert!(proxy.apache("(null)")?.is_none());
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn apache(
        &self,
        value: impl AsRef<[u8]>,
    ) -> Result<Option<ForwardedCertificate>, ForwardedCertificateError> {
        match apache::decode(value.as_ref())? {
            None => Ok(None),
            Some((der, chain)) => {
                ForwardedCertificate::new(der, chain, ProxyFormat::Apache).map(Some)
            }
        }
    }

    /// Decodes an Amazon CloudFront `CloudFront-Viewer-Cert-Pem` value (the leaf alone). See
    /// [`cloudfront`].
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let pem = rfc8705::__doc_support::rfc8705_appendix_a_pem();
    /// let value = rfc8705::proxy::cloudfront::encode(pem.as_bytes());
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().cloudfront(&value)?;
    /// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn cloudfront(
        &self,
        value: impl AsRef<[u8]>,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        let der = cloudfront::decode(value.as_ref())?;
        ForwardedCertificate::new(der, Vec::new(), ProxyFormat::CloudFront)
    }

    /// Decodes `value` in `format`: the dispatching form of the methods above (for
    /// `Client-Cert`, without a chain). It always yields a certificate or an error, so
    /// Apache's `(null)` is the error [`ApachePemError::NoCertificate`] here (use
    /// [`apache`](Self::apache) to get it as `Ok(None)`).
    ///
    /// ```
    /// # use rfc8705::proxy::{ProxyFormat, TrustedProxy};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let format: ProxyFormat = "client-cert".parse()?;
    /// let value = rfc8705::proxy::client_cert::encode(&der);
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().decode(format, &value)?;
    /// assert_eq!(fwd.format(), ProxyFormat::ClientCert);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode(
        &self,
        format: ProxyFormat,
        value: impl AsRef<[u8]>,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        match format {
            ProxyFormat::ClientCert => self.client_cert(value),
            ProxyFormat::Xfcc => self.xfcc(value),
            ProxyFormat::EscapedPem => self.escaped_pem(value),
            ProxyFormat::Alb => self.alb(value),
            ProxyFormat::BareDer => self.bare_der(value),
            ProxyFormat::Apache => self.apache(value)?.ok_or(ForwardedCertificateError::Apache(
                ApachePemError::NoCertificate,
            )),
            ProxyFormat::CloudFront => self.cloudfront(value),
        }
    }
}

/// A header format a proxy forwards the client certificate in.
///
/// `FromStr`/`Display` use the names of `inspect --from`: `client-cert`, `xfcc`,
/// `escaped-pem`, `alb`, `bare-der`, `apache`, `cloudfront`.
///
/// ```
/// use rfc8705::proxy::ProxyFormat;
/// let f: ProxyFormat = "xfcc".parse()?;
/// assert_eq!(f, ProxyFormat::Xfcc);
/// assert_eq!(f.to_string(), "xfcc");
/// assert!("pem".parse::<ProxyFormat>().is_err());
/// # Ok::<(), rfc8705::proxy::UnknownProxyFormat>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProxyFormat {
    /// RFC 9440 `Client-Cert` / `Client-Cert-Chain`.
    ClientCert,
    /// Envoy `x-forwarded-client-cert`.
    Xfcc,
    /// URL-encoded PEM: nginx `$ssl_client_escaped_cert`, Caddy.
    EscapedPem,
    /// AWS Application Load Balancer `X-Amzn-Mtls-Clientcert(-Leaf)`.
    Alb,
    /// Base64 DER without PEM armour, `,`-separated: HAProxy `%[ssl_c_der,base64]`, Traefik
    /// `X-Forwarded-Tls-Client-Cert`.
    BareDer,
    /// Apache `mod_headers` `%{SSL_CLIENT_CERT}s`: PEM with spaces for line breaks, or
    /// `(null)`.
    Apache,
    /// Amazon CloudFront viewer mTLS `CloudFront-Viewer-Cert-Pem`.
    CloudFront,
}

impl ProxyFormat {
    /// Every format, in a stable order.
    ///
    /// ```
    /// # use rfc8705::proxy::ProxyFormat;
    /// assert_eq!(ProxyFormat::ALL.len(), 7);
    /// ```
    pub const ALL: [ProxyFormat; 7] = [
        Self::ClientCert,
        Self::Xfcc,
        Self::EscapedPem,
        Self::Alb,
        Self::BareDer,
        Self::Apache,
        Self::CloudFront,
    ];

    /// The name `FromStr` accepts and `Display` prints.
    ///
    /// ```
    /// # use rfc8705::proxy::ProxyFormat;
    /// assert_eq!(ProxyFormat::EscapedPem.as_str(), "escaped-pem");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ClientCert => "client-cert",
            Self::Xfcc => "xfcc",
            Self::EscapedPem => "escaped-pem",
            Self::Alb => "alb",
            Self::BareDer => "bare-der",
            Self::Apache => "apache",
            Self::CloudFront => "cloudfront",
        }
    }
}

impl fmt::Display for ProxyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of `client-cert`, `xfcc`, `escaped-pem`, `alb`, `bare-der`,
/// `apache`, `cloudfront`.
///
/// ```
/// # use rfc8705::proxy::ProxyFormat;
/// let err = "nginx".parse::<ProxyFormat>().unwrap_err();
/// assert!(err.to_string().contains("escaped-pem"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown proxy header format; use client-cert, xfcc, escaped-pem, alb, bare-der, apache or cloudfront"
)]
pub struct UnknownProxyFormat;

impl FromStr for ProxyFormat {
    type Err = UnknownProxyFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or(UnknownProxyFormat)
    }
}

/// A client certificate a trusted proxy forwarded: its exact DER (checked only to be one
/// complete DER `SEQUENCE`), the chain that came with it, and the format it arrived in.
///
/// Only [`TrustedProxy`] makes one. [`thumbprint`](Self::thumbprint) does not parse X.509;
/// [`to_client_certificate`](Self::to_client_certificate) does, on demand.
///
/// ```
/// # use rfc8705::proxy::TrustedProxy;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// # let value = rfc8705::proxy::client_cert::encode(&der);
/// let fwd = TrustedProxy::the_peer_is_my_proxy().client_cert(&value)?;
/// let cert = fwd.to_client_certificate()?; // parses, for DN/SAN matching
/// assert_eq!(cert.thumbprint(), fwd.thumbprint());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ForwardedCertificate {
    der: Vec<u8>,
    chain: Vec<Vec<u8>>,
    format: ProxyFormat,
}

impl fmt::Debug for ForwardedCertificate {
    /// Redacted to the thumbprint: certificates in logs are personal data (RFC 8705
    /// section 8).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ForwardedCertificate")
            .field("x5t#S256", &self.thumbprint())
            .field("der_len", &self.der.len())
            .field("chain_len", &self.chain.len())
            .field("format", &self.format)
            .finish()
    }
}

impl ForwardedCertificate {
    fn new(
        der: Vec<u8>,
        chain: Vec<Vec<u8>>,
        format: ProxyFormat,
    ) -> Result<Self, ForwardedCertificateError> {
        check_der_framing(&der).map_err(ForwardedCertificateError::Certificate)?;
        for (index, member) in chain.iter().enumerate() {
            check_der_framing(member)
                .map_err(|source| ForwardedCertificateError::ChainCertificate { index, source })?;
        }
        Ok(Self { der, chain, format })
    }

    /// The leaf certificate's DER, exactly as decoded from the header.
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let value = rfc8705::proxy::client_cert::encode(&der);
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().client_cert(&value)?;
    /// assert_eq!(fwd.der(), &der[..]);
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The `x5t#S256` thumbprint: one SHA-256 over [`der`](Self::der), no X.509 parsing.
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let value = rfc8705::proxy::client_cert::encode(&der);
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().client_cert(&value)?;
    /// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn thumbprint(&self) -> Thumbprint {
        Thumbprint::digest_of(&self.der)
    }

    /// The DER of each certificate of the forwarded chain after the leaf, in TLS order
    /// (issuer of the leaf first). Empty when the proxy sent none.
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let value = rfc8705::proxy::client_cert::encode(&der);
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().client_cert(&value)?;
    /// assert_eq!(fwd.chain().count(), 0);
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn chain(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.chain.iter().map(Vec::as_slice)
    }

    /// The header format the certificate arrived in.
    ///
    /// ```
    /// # use rfc8705::proxy::{ProxyFormat, TrustedProxy};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let value = rfc8705::proxy::client_cert::encode(&der);
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().client_cert(&value)?;
    /// assert_eq!(fwd.format(), ProxyFormat::ClientCert);
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn format(&self) -> ProxyFormat {
        self.format
    }

    /// Parses the leaf as X.509 (borrowing the DER), for subject DN and SAN matching.
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let value = rfc8705::proxy::client_cert::encode(&der);
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().client_cert(&value)?;
    /// let cert = fwd.to_client_certificate()?;
    /// assert_eq!(cert.subject().to_string(), "CN=mtls");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_client_certificate(&self) -> Result<ClientCertificate<'_>, CertificateError> {
        ClientCertificate::from_der(&self.der)
    }

    /// Parses the leaf as X.509, taking ownership of the DER.
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let value = rfc8705::proxy::client_cert::encode(&der);
    /// let fwd = TrustedProxy::the_peer_is_my_proxy().client_cert(&value)?;
    /// let cert: rfc8705::ClientCertificate<'static> = fwd.into_client_certificate()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_client_certificate(self) -> Result<ClientCertificate<'static>, CertificateError> {
        ClientCertificate::from_der_vec(self.der)
    }
}

/// The client certificate of one request: either the TLS connection's own peer certificate
/// or one a trusted proxy forwarded — never both, and the variant says which.
///
/// With the `http` feature, [`http::CertificateSource`] builds it from a per-listener
/// policy, so the choice is made once, not per request.
///
/// ```
/// use rfc8705::proxy::RequestCertificate;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let cert = RequestCertificate::Connection(&der);
/// assert_eq!(cert.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
/// assert!(!cert.is_forwarded());
/// ```
#[derive(Debug, Clone)]
pub enum RequestCertificate<'a> {
    /// The certificate the client presented on this TLS connection (DER).
    Connection(&'a [u8]),
    /// The certificate a trusted proxy forwarded in a header.
    Forwarded(ForwardedCertificate),
}

impl RequestCertificate<'_> {
    /// The leaf certificate's DER.
    ///
    /// ```
    /// # use rfc8705::proxy::RequestCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// assert_eq!(RequestCertificate::Connection(&der).der(), &der[..]);
    /// ```
    pub fn der(&self) -> &[u8] {
        match self {
            Self::Connection(der) => der,
            Self::Forwarded(f) => f.der(),
        }
    }

    /// The `x5t#S256` thumbprint: SHA-256 over [`der`](Self::der), no parsing.
    ///
    /// ```
    /// # use rfc8705::proxy::RequestCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let t = RequestCertificate::Connection(&der).thumbprint();
    /// assert_eq!(t, rfc8705::Thumbprint::from_der(&der)?);
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn thumbprint(&self) -> Thumbprint {
        Thumbprint::digest_of(self.der())
    }

    /// Whether a proxy forwarded the certificate.
    ///
    /// ```
    /// # use rfc8705::proxy::RequestCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// assert!(!RequestCertificate::Connection(&der).is_forwarded());
    /// ```
    pub fn is_forwarded(&self) -> bool {
        matches!(self, Self::Forwarded(_))
    }

    /// Parses the leaf as X.509, for subject DN and SAN matching.
    ///
    /// ```
    /// # use rfc8705::proxy::RequestCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let request = RequestCertificate::Connection(&der);
    /// let cert = request.to_client_certificate()?;
    /// assert_eq!(cert.der().len(), 266);
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn to_client_certificate(&self) -> Result<ClientCertificate<'_>, CertificateError> {
        ClientCertificate::from_der(self.der())
    }
}

/// Why no certificate could be taken from a trusted proxy's header.
///
/// ```
/// use rfc8705::proxy::{ForwardedCertificateError, TrustedProxy};
/// use rfc8705::{OAuthError, OAuthErrorCode};
///
/// let err = TrustedProxy::the_peer_is_my_proxy().client_cert("MIIB").unwrap_err();
/// assert!(matches!(err, ForwardedCertificateError::ClientCert(_)));
/// assert_eq!(err.oauth_error_code(), OAuthErrorCode::InvalidToken);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ForwardedCertificateError {
    /// The RFC 9440 `Client-Cert` or `Client-Cert-Chain` value is malformed.
    #[error(transparent)]
    ClientCert(#[from] ClientCertFieldError),
    /// The Envoy `x-forwarded-client-cert` value is malformed or inconsistent.
    #[error(transparent)]
    Xfcc(#[from] XfccError),
    /// The URL-encoded PEM value (nginx, Caddy, AWS ALB, CloudFront) is malformed.
    #[error(transparent)]
    EscapedPem(#[from] EscapedPemError),
    /// The bare base64 DER value (HAProxy, Traefik) is malformed.
    #[error(transparent)]
    BareDer(#[from] BareDerError),
    /// The Apache `mod_headers` value is malformed (or, from
    /// [`TrustedProxy::decode`] only, `(null)`: no certificate).
    #[error(transparent)]
    Apache(#[from] ApachePemError),
    /// `CloudFront-Viewer-Cert-Sha256` is not the SHA-256 of the `CloudFront-Viewer-Cert-Pem`
    /// certificate (or not 64 hex digits): the headers are inconsistent.
    #[error(
        "{header} does not match the SHA-256 of the forwarded certificate (or is not 64 hex digits)"
    )]
    DigestMismatch {
        /// The digest header's name.
        header: &'static str,
    },
    /// The decoded leaf is not one complete DER certificate.
    #[error("the forwarded certificate is not DER: {0}")]
    Certificate(CertificateError),
    /// A decoded chain member is not one complete DER certificate.
    #[error("forwarded chain certificate {index} is not DER: {source}")]
    ChainCertificate {
        /// Position in the chain (0 = the leaf's issuer).
        index: usize,
        /// What is wrong with it.
        source: CertificateError,
    },
    /// A header that must occur at most once occurs more than once.
    #[error(
        "the {header} header occurs {count} times; it is a singleton field: is the proxy appending instead of replacing a client-sent copy?"
    )]
    RepeatedHeader {
        /// The header name.
        header: alloc::string::String,
        /// How many field lines carry it.
        count: usize,
    },
    /// A separate chain header (HAProxy's `%[ssl_c_chain_der,base64]`) holds certificates
    /// but the certificate header is missing or empty.
    #[error("the {header} chain header is present without the certificate header")]
    ChainHeaderWithoutCertificate {
        /// The chain header's name.
        header: alloc::string::String,
    },
    /// `Client-Cert-Chain` without `Client-Cert`.
    #[error("Client-Cert-Chain is present without Client-Cert (RFC 9440 section 2.3)")]
    ChainWithoutCertificate,
}

impl OAuthError for ForwardedCertificateError {
    /// `invalid_token`: the request has no usable certificate (see the module docs; an
    /// authorization server answers `invalid_client`).
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidToken
    }
}

/// Renders attacker-influenced bytes for a diagnostic: printable ASCII as is, everything else
/// as `\xNN`, at most `max` input bytes.
pub(crate) fn escape_for_display(bytes: &[u8], max: usize) -> alloc::string::String {
    use core::fmt::Write;
    let mut out = alloc::string::String::new();
    for b in bytes.iter().take(max) {
        if b.is_ascii_graphic() || *b == b' ' {
            out.push(char::from(*b));
        } else {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    if bytes.len() > max {
        out.push('…');
    }
    out
}

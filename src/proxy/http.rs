//! Reading forwarded certificates from an [`http::HeaderMap`] (feature `http`).
//!
//! Repeated and missing headers are decided here, per format. Every certificate header is a
//! singleton: two field lines are an error ([`Reason::RepeatedHeader`]), and so is one line
//! an HTTP library joined from two where the format holds no `,`
//! ([`Reason::JoinedValues`], [`Reason::MultipleValues`]). A chain header is read only when
//! the [`ForwardedHeader`] names it: one the proxy does not write is the client's. Every
//! error names the header that was wrong ([`ForwardedCertificateError::header`]).
//!
//! | header | missing | repeated |
//! |---|---|---|
//! | `Client-Cert` | no certificate (also for `::`, HAProxy's empty Byte Sequence); an error if `Client-Cert-Chain` is present (RFC 9440 section 2.3) | error (section 2.2) |
//! | `Client-Cert-Chain` ([`ForwardedHeader::with_chain`]) | no chain | one list, lines in order (RFC 8941 section 4.2) |
//! | `x-forwarded-client-cert` (`xfcc`, `xfcc-json`, `xfcc-hash`) | no certificate | error |
//! | escaped PEM, ALB, bare DER, Traefik, `X-ARR-ClientCert`, fingerprint | no certificate (also for an empty value, which nginx, HAProxy and Cloudflare send when there is no certificate, and for Caddy's unreplaced placeholder) | error |
//! | Apache | no certificate (also for `(null)`, which Apache sends when there is no certificate, and for an empty value) | error |
//! | a chain header ([`ForwardedHeader::with_chain`], [`ForwardedHeader::with_numbered_chain`]) | no chain (also for an empty value or `(null)`); an error if it holds certificates and the certificate header is missing or has none, or if it is numbered beyond the configured count | error |
//! | `CloudFront-Viewer-Cert-Pem` | no certificate | error; `CloudFront-Viewer-Cert-Sha256`, when present, must be the certificate's SHA-256 (and occur once) |
//!
//! ```
//! use http::HeaderMap;
//! use rfc8705::proxy::http::ForwardedHeader;
//! use rfc8705::proxy::{ProxyFormat, TrustedProxy};
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! # let b64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(&der);
//! let mut headers = HeaderMap::new();
//! headers.insert("client-cert", format!(":{b64}:").parse()?);
//!
//! // Decided per connection: the peer is our proxy (else the headers are not read at all).
//! let proxies = ["10.0.0.0/24".parse()?];
//! let peer = "10.0.0.7".parse()?;
//! let header = ForwardedHeader::standard(ProxyFormat::ClientCert).expect("RFC 9440 names it");
//! if let Some(proxy) = TrustedProxy::if_peer_in(peer, &proxies) {
//!     let cert = proxy.certificate_from_headers(&headers, &header)?.expect("a certificate");
//!     assert_eq!(cert.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use http::{HeaderMap, HeaderName, HeaderValue};

use super::error::Reason;
use super::trusted::{Located, Part, is_blank, no_chain_without_certificate};
use super::{
    ForwardedCertificate, ForwardedCertificateError, MAX_CHAIN_LEN, ProxyFormat, TrustedProxy,
    cloudfront,
};
use crate::thumbprint::Thumbprint;

/// The header names, lowercase as HTTP/2 and HTTP/3 carry them.
const CLIENT_CERT: &str = "client-cert";
const XFCC: &str = "x-forwarded-client-cert";
/// ALB verify mode; passthrough mode's is `x-amzn-mtls-clientcert`.
const ALB_LEAF: &str = "x-amzn-mtls-clientcert-leaf";
/// Traefik's `passTLSClientCert` middleware.
const TRAEFIK: &str = "x-forwarded-tls-client-cert";
const CLOUDFRONT_PEM: &str = "cloudfront-viewer-cert-pem";
const CLOUDFRONT_SHA256: &str = "cloudfront-viewer-cert-sha256";
/// Azure App Service.
const ARR: &str = "x-arr-clientcert";

/// Which header a proxy forwards the certificate in, in which format, and where the chain is.
///
/// ```
/// use http::HeaderName;
/// use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
///
/// // nginx: `proxy_set_header X-Client-Cert $ssl_client_escaped_cert;`
/// let nginx = ForwardedHeader::new(ProxyFormat::EscapedPem, HeaderName::from_static("x-client-cert"));
/// // Envoy: the header its format defines.
/// let envoy = ForwardedHeader::standard(ProxyFormat::Xfcc).expect("Envoy names its header");
/// assert_eq!(envoy.name().as_str(), "x-forwarded-client-cert");
/// // HAProxy, with the chain in a second header (which its configuration also sets).
/// let haproxy = ForwardedHeader::new(ProxyFormat::BareDer, HeaderName::from_static("x-ssl-client-cert"))
///     .with_chain(HeaderName::from_static("x-ssl-client-cert-chain"))
///     .expect("bare-der has a separate chain header");
/// // Apache, one header per chain certificate: SSL_CLIENT_CERT_CHAIN_0, _1, … up to _9.
/// let apache = ForwardedHeader::new(ProxyFormat::Apache, HeaderName::from_static("ssl_client_cert"))
///     .with_numbered_chain("SSL_CLIENT_CERT_CHAIN", 10)
///     .expect("apache values hold one certificate each");
/// # let _ = (haproxy, apache);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedHeader {
    format: ProxyFormat,
    name: HeaderName,
    chain: Chain,
}

/// Where the chain is, when not in the certificate value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Chain {
    /// In the value, or none: no chain header is read.
    InValue,
    /// One header: `Client-Cert-Chain` (a list) or HAProxy's concatenated DER.
    Header(HeaderName),
    /// `<prefix>_0` … `<prefix>_<max - 1>`, one certificate each, then `<prefix>_<max>`,
    /// which must be absent.
    Numbered(Vec<HeaderName>),
}

impl ForwardedHeader {
    /// The certificate in header `name`, in `format`, with no chain header: the chain, if
    /// any, is the one in the value itself. Name the chain header with
    /// [`with_chain`](Self::with_chain) (`Client-Cert-Chain`, HAProxy's) or
    /// [`with_numbered_chain`](Self::with_numbered_chain) only when the proxy writes it: a
    /// chain header the proxy does not write passes through from the client.
    pub fn new(format: ProxyFormat, name: HeaderName) -> Self {
        Self {
            format,
            name,
            chain: Chain::InValue,
        }
    }

    /// The header the format itself names: `Client-Cert` (RFC 9440; without
    /// `Client-Cert-Chain`, which [`with_chain`](Self::with_chain) adds when the proxy sends
    /// it), `x-forwarded-client-cert` (Envoy, all three formats), `X-Amzn-Mtls-Clientcert-Leaf`
    /// (ALB verify mode; passthrough mode's `X-Amzn-Mtls-Clientcert` takes
    /// [`new`](Self::new)), `X-Forwarded-Tls-Client-Cert` (Traefik), `CloudFront-Viewer-Cert-Pem`,
    /// `X-ARR-ClientCert` (Azure App Service). `None` for `escaped-pem`, `bare-der`, `apache`
    /// and `fingerprint`, whose header the deployment names.
    ///
    /// ```
    /// # use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
    /// let alb = ForwardedHeader::standard(ProxyFormat::Alb).unwrap();
    /// assert_eq!(alb.name().as_str(), "x-amzn-mtls-clientcert-leaf");
    /// assert!(ForwardedHeader::standard(ProxyFormat::Apache).is_none());
    /// ```
    pub fn standard(format: ProxyFormat) -> Option<Self> {
        let name = match format {
            ProxyFormat::ClientCert => CLIENT_CERT,
            ProxyFormat::Xfcc | ProxyFormat::XfccJson | ProxyFormat::XfccHash => XFCC,
            ProxyFormat::Alb => ALB_LEAF,
            ProxyFormat::Traefik => TRAEFIK,
            ProxyFormat::CloudFront => CLOUDFRONT_PEM,
            ProxyFormat::Azure => ARR,
            ProxyFormat::EscapedPem
            | ProxyFormat::BareDer
            | ProxyFormat::Apache
            | ProxyFormat::Fingerprint => return None,
        };
        Some(Self::new(format, HeaderName::from_static(name)))
    }

    /// Reads the chain from header `chain`, which the proxy writes (and so replaces a
    /// client-sent copy of): for `client-cert`, `Client-Cert-Chain` (RFC 9440 section 2.3) or
    /// another name; for `bare-der`, HAProxy's `%[ssl_c_chain_der,base64]` (the value then
    /// holds the leaf alone). `None` for the other formats.
    ///
    /// ```
    /// use http::HeaderName;
    /// use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
    /// let rfc9440 = ForwardedHeader::standard(ProxyFormat::ClientCert)
    ///     .and_then(|h| h.with_chain(HeaderName::from_static("client-cert-chain")))
    ///     .expect("client-cert has a chain header");
    /// # let _ = rfc9440;
    /// ```
    #[must_use]
    pub fn with_chain(self, chain: HeaderName) -> Option<Self> {
        matches!(self.format, ProxyFormat::ClientCert | ProxyFormat::BareDer).then(|| Self {
            chain: Chain::Header(chain),
            ..self
        })
    }

    /// Reads the chain from one header per certificate, `<prefix>_0`, `<prefix>_1`, … (the
    /// leaf's issuer first), at most `max` of them (capped at the crate's limit of 16), as
    /// Keycloak's Apache and HAProxy providers read them: each holds one certificate in the
    /// value's format, the value then holds the leaf alone. An empty header or `(null)` ends
    /// the chain; a certificate after one is a gap ([`Reason::ChainGap`]); a header twice is
    /// [`Reason::RepeatedHeader`].
    /// `<prefix>_<max>` is read only to refuse a certificate in it
    /// ([`Reason::UnexpectedChainHeader`]): configure the proxy to remove client-sent copies of
    /// every number beyond.
    ///
    /// `None` for the formats whose chain is a list or concatenation (`client-cert`,
    /// `bare-der`, `traefik`, `xfcc`, `xfcc-json`), for the hash-only formats, and for a
    /// prefix that makes no header name.
    #[must_use]
    pub fn with_numbered_chain(self, prefix: &str, max: usize) -> Option<Self> {
        if !matches!(
            self.format,
            ProxyFormat::EscapedPem
                | ProxyFormat::Alb
                | ProxyFormat::Apache
                | ProxyFormat::CloudFront
                | ProxyFormat::Azure
        ) {
            return None;
        }
        let names = (0..=max.min(MAX_CHAIN_LEN))
            .map(|i| HeaderName::from_bytes(format!("{prefix}_{i}").as_bytes()).ok())
            .collect::<Option<Vec<_>>>()?;
        Some(Self {
            chain: Chain::Numbered(names),
            ..self
        })
    }

    /// The format.
    pub fn format(&self) -> ProxyFormat {
        self.format
    }

    /// The header name.
    pub fn name(&self) -> &HeaderName {
        &self.name
    }
}

impl TrustedProxy {
    /// Reads the forwarded certificate from `headers`: `Ok(None)` when the proxy forwarded
    /// none, an error naming the header when the headers are malformed or repeated (see the
    /// [module docs](self)). A hash-only format is [`Reason::HashOnly`]: read it with
    /// [`thumbprint_from_headers`](Self::thumbprint_from_headers).
    ///
    /// ```
    /// use http::HeaderMap;
    /// use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat, Reason, TrustedProxy};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let b64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(&der);
    /// let value: http::HeaderValue = format!(":{b64}:").parse()?;
    /// let proxy = TrustedProxy::the_peer_is_my_proxy();
    /// let header = ForwardedHeader::standard(ProxyFormat::ClientCert).unwrap();
    /// let mut headers = HeaderMap::new();
    /// assert!(proxy.certificate_from_headers(&headers, &header)?.is_none());
    /// headers.append("client-cert", value.clone());
    /// headers.append("client-cert", value);
    /// let err = proxy.certificate_from_headers(&headers, &header).unwrap_err();
    /// assert!(matches!(err.reason(), Reason::RepeatedHeader { count: 2, .. }));
    /// assert_eq!(err.header(), Some("client-cert"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn certificate_from_headers(
        &self,
        headers: &HeaderMap,
        header: &ForwardedHeader,
    ) -> Result<Option<ForwardedCertificate>, ForwardedCertificateError> {
        let fwd = header.read(headers, |value, chain| {
            self.read(header.format, value, chain)
        })?;
        if let (ProxyFormat::CloudFront, Some(fwd)) = (header.format, &fwd) {
            let name = HeaderName::from_static(CLOUDFRONT_SHA256);
            let digest = singleton(headers, &name).map_err(|r| header.error_in(&name, r))?;
            if let Some(digest) = digest {
                // Both headers come from CloudFront: a mismatch means one of them did not.
                let expected =
                    cloudfront::parse_sha256(digest.as_bytes()).map(Thumbprint::from_bytes);
                if !expected.is_some_and(|t| t.matches_der(fwd.der())) {
                    let reason = Reason::DigestMismatch {
                        header: CLOUDFRONT_SHA256,
                    };
                    return Err(header.error_in(&name, reason));
                }
            }
        }
        Ok(fwd)
    }

    /// The `x5t#S256` thumbprint of the certificate the proxy forwarded in `headers`, in any
    /// format (the hash-only `xfcc-hash` and `fingerprint` included): `Ok(None)` when it
    /// forwarded none. What a resource server's binding check needs; the other formats are
    /// read as [`certificate_from_headers`](Self::certificate_from_headers) reads them.
    ///
    /// ```
    /// use http::{HeaderMap, HeaderName};
    /// use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat, TrustedProxy};
    /// let header = ForwardedHeader::new(
    ///     ProxyFormat::Fingerprint,
    ///     HeaderName::from_static("cf-client-cert-sha256"),
    /// );
    /// let mut headers = HeaderMap::new();
    /// headers.insert(
    ///     "cf-client-cert-sha256",
    ///     "0380ed2f626650c840b2f263e6d2b29fae12ab39ae5db32b25ad27efad72e6fd".parse()?,
    /// );
    /// let proxy = TrustedProxy::the_peer_is_my_proxy();
    /// let t = proxy.thumbprint_from_headers(&headers, &header)?.expect("a certificate");
    /// assert_eq!(t.to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// // Cloudflare's field is empty when the client presented none.
    /// headers.insert("cf-client-cert-sha256", "".parse()?);
    /// assert!(proxy.thumbprint_from_headers(&headers, &header)?.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn thumbprint_from_headers(
        &self,
        headers: &HeaderMap,
        header: &ForwardedHeader,
    ) -> Result<Option<Thumbprint>, ForwardedCertificateError> {
        if header.format.is_hash_only() {
            header.read(headers, |value, chain| {
                self.read_thumbprint(header.format, value, chain)
            })
        } else {
            Ok(self
                .certificate_from_headers(headers, header)?
                .map(|fwd| fwd.thumbprint()))
        }
    }
}

impl ForwardedHeader {
    /// Takes the certificate header's one line and the configured chain headers' lines, and
    /// hands them to `decode`; a missing certificate header is "no certificate". Errors name
    /// their header.
    fn read<T>(
        &self,
        headers: &HeaderMap,
        decode: impl FnOnce(&[u8], &[&[u8]]) -> Result<Option<T>, Located>,
    ) -> Result<Option<T>, ForwardedCertificateError> {
        let value = singleton(headers, &self.name).map_err(|r| self.error_in(&self.name, r))?;
        let chain: Vec<&[u8]> = match &self.chain {
            Chain::InValue => Vec::new(),
            // RFC 8941 section 4.2: field lines are one list.
            Chain::Header(name) if self.format == ProxyFormat::ClientCert => headers
                .get_all(name)
                .iter()
                .map(HeaderValue::as_bytes)
                .collect(),
            Chain::Header(name) => singleton(headers, name)
                .map_err(|r| self.error_in(name, r))?
                .map(HeaderValue::as_bytes)
                .into_iter()
                .collect(),
            Chain::Numbered(names) => {
                let Some((last, numbered)) = names.split_last() else {
                    return Ok(None);
                };
                let beyond = singleton(headers, last).map_err(|r| self.error_in(last, r))?;
                if beyond.is_some_and(|v| !is_blank(&v.as_bytes())) {
                    return Err(self.error_in(last, Reason::UnexpectedChainHeader));
                }
                numbered
                    .iter()
                    .map(|n| {
                        let line = singleton(headers, n).map_err(|r| self.error_in(n, r))?;
                        Ok(line.map_or(&b""[..], HeaderValue::as_bytes))
                    })
                    .collect::<Result<_, ForwardedCertificateError>>()?
            }
        };
        let located = match value {
            Some(value) => decode(value.as_bytes(), &chain),
            None => no_chain_without_certificate(self.format, &chain).map(|()| None),
        };
        located.map_err(|(part, reason)| self.error_in(self.header_of(part), reason))
    }

    /// The name of the header `part` is about.
    fn header_of(&self, part: Part) -> &HeaderName {
        match (part, &self.chain) {
            (Part::Value, _) | (Part::Chain(_), Chain::InValue) => &self.name,
            (Part::Chain(_), Chain::Header(name)) => name,
            (Part::Chain(line), Chain::Numbered(names)) => names.get(line).unwrap_or(&self.name),
        }
    }

    /// The error `reason`, about header `name`.
    fn error_in(&self, name: &HeaderName, reason: Reason) -> ForwardedCertificateError {
        ForwardedCertificateError::new(self.format, reason).in_header(name.as_str())
    }
}

/// The one field line of a singleton header; more than one is an error.
fn singleton<'h>(
    headers: &'h HeaderMap,
    name: &HeaderName,
) -> Result<Option<&'h HeaderValue>, Reason> {
    let mut lines = headers.get_all(name).iter();
    let first = lines.next();
    let more = lines.count();
    if more > 0 {
        return Err(Reason::RepeatedHeader {
            header: name.as_str().to_string(),
            count: more.saturating_add(1),
        });
    }
    Ok(first)
}

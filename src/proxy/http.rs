//! Reading forwarded certificates from an [`http::HeaderMap`] (feature `http`).
//!
//! Repeated and missing headers are decided here, per format:
//!
//! | format | missing | repeated |
//! |---|---|---|
//! | `Client-Cert` | no certificate (an error if `Client-Cert-Chain` is present: RFC 9440 section 2.3) | error: a singleton field (section 2.2) |
//! | `Client-Cert-Chain` | no chain | one list, lines in order (RFC 8941 section 4.2) |
//! | `x-forwarded-client-cert` | no certificate | one list, lines joined with `,` in order; the last element counts |
//! | escaped PEM, ALB, bare DER | no certificate (also for an empty value, which nginx and HAProxy send when there is no certificate) | error |
//! | HAProxy chain header ([`ForwardedHeader::with_chain`]) | no chain (also for an empty value); an error if it holds certificates and the certificate header is missing or empty | error |
//! | Apache | no certificate (also for `(null)`, which Apache sends when there is no certificate, and for an empty value) | error |
//! | `CloudFront-Viewer-Cert-Pem` | no certificate | error; `CloudFront-Viewer-Cert-Sha256`, when present, must be the certificate's SHA-256 (and occur once) |
//!
//! ```
//! use http::HeaderMap;
//! use rfc8705::proxy::http::{CertificateSource, ForwardedHeader};
//! use rfc8705::proxy::{ProxyFormat, TrustedProxy};
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//!
//! # let b64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(&der);
//! let mut headers = HeaderMap::new();
//! headers.insert("client-cert", format!(":{b64}:").parse()?);
//!
//! // Decided once per listener: this one sits behind our proxy.
//! let source = CertificateSource::Proxy {
//!     proxy: TrustedProxy::the_peer_is_my_proxy(),
//!     header: ForwardedHeader::standard(ProxyFormat::ClientCert).expect("RFC 9440 names it"),
//! };
//! let proxy_own_cert: Option<&[u8]> = None; // the proxy's certificate, if it used one: ignored
//! let cert = source.request_certificate(proxy_own_cert, &headers)?.expect("a certificate");
//! assert!(matches!(cert, rfc8705::proxy::RequestCertificate::Forwarded(_)));
//! assert_eq!(cert.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
//!
//! // A directly reachable listener never reads the headers.
//! let direct = CertificateSource::Connection;
//! assert!(direct.request_certificate(None, &headers)?.is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::string::ToString;
use alloc::vec::Vec;

use http::{HeaderMap, HeaderName, HeaderValue};

use super::error::Reason;
use super::{
    ForwardedCertificate, ForwardedCertificateError, ProxyFormat, RequestCertificate, TrustedProxy,
    cloudfront,
};
use crate::thumbprint::Thumbprint;

/// The header names, lowercase as HTTP/2 and HTTP/3 carry them.
const CLIENT_CERT: &str = "client-cert";
const CLIENT_CERT_CHAIN: &str = "client-cert-chain";
const XFCC: &str = "x-forwarded-client-cert";
/// ALB verify mode; passthrough mode's is `x-amzn-mtls-clientcert`.
const ALB_LEAF: &str = "x-amzn-mtls-clientcert-leaf";
/// Traefik's `passTLSClientCert` middleware.
const TRAEFIK: &str = "x-forwarded-tls-client-cert";
const CLOUDFRONT_PEM: &str = "cloudfront-viewer-cert-pem";
const CLOUDFRONT_SHA256: &str = "cloudfront-viewer-cert-sha256";

/// Which header a proxy forwards the certificate in, and in which format.
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
/// // HAProxy, with the chain in a second header.
/// let haproxy = ForwardedHeader::new(ProxyFormat::BareDer, HeaderName::from_static("x-ssl-client-cert"))
///     .with_chain(HeaderName::from_static("x-ssl-client-cert-chain"))
///     .expect("bare-der has a separate chain header");
/// # let _ = haproxy;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedHeader {
    format: ProxyFormat,
    name: HeaderName,
    /// The header with the chain, where the format keeps it apart.
    chain: Option<HeaderName>,
}

impl ForwardedHeader {
    /// The certificate in header `name`, in `format`. For `client-cert` the chain is read
    /// from `Client-Cert-Chain`; for the other formats, from the value itself.
    pub fn new(format: ProxyFormat, name: HeaderName) -> Self {
        let chain =
            (format == ProxyFormat::ClientCert).then(|| HeaderName::from_static(CLIENT_CERT_CHAIN));
        Self {
            format,
            name,
            chain,
        }
    }

    /// The header the format itself names: `Client-Cert` (RFC 9440),
    /// `x-forwarded-client-cert` (Envoy), `X-Amzn-Mtls-Clientcert-Leaf` (ALB verify mode;
    /// passthrough mode's `X-Amzn-Mtls-Clientcert` takes [`new`](Self::new)),
    /// `X-Forwarded-Tls-Client-Cert` (Traefik, `bare-der`), `CloudFront-Viewer-Cert-Pem`.
    /// `None` for `escaped-pem` and `apache`, whose header the deployment names.
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
            ProxyFormat::Xfcc => XFCC,
            ProxyFormat::Alb => ALB_LEAF,
            ProxyFormat::BareDer => TRAEFIK,
            ProxyFormat::CloudFront => CLOUDFRONT_PEM,
            ProxyFormat::EscapedPem | ProxyFormat::Apache => return None,
        };
        Some(Self::new(format, HeaderName::from_static(name)))
    }

    /// Reads the chain from header `chain`: for `bare-der`, HAProxy's
    /// `%[ssl_c_chain_der,base64]` (the value then holds the leaf alone); for `client-cert`,
    /// instead of `Client-Cert-Chain`. `None` for the formats that carry the chain in the
    /// certificate value.
    #[must_use]
    pub fn with_chain(self, chain: HeaderName) -> Option<Self> {
        matches!(self.format, ProxyFormat::ClientCert | ProxyFormat::BareDer).then(|| Self {
            chain: Some(chain),
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
    /// none, an error when the headers are malformed or repeated (see the
    /// [module docs](self)).
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
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn certificate_from_headers(
        &self,
        headers: &HeaderMap,
        header: &ForwardedHeader,
    ) -> Result<Option<ForwardedCertificate>, ForwardedCertificateError> {
        self.read_headers(headers, header)
            .map_err(|reason| ForwardedCertificateError::new(header.format, reason))
    }

    fn read_headers(
        &self,
        headers: &HeaderMap,
        header: &ForwardedHeader,
    ) -> Result<Option<ForwardedCertificate>, Reason> {
        let lines: Vec<&HeaderValue> = headers.get_all(&header.name).iter().collect();
        let no_chain = None::<[&[u8]; 0]>;
        match (header.format, &header.chain) {
            (ProxyFormat::ClientCert, chain_name) => {
                let chain = match chain_name {
                    Some(name) => headers.get_all(name),
                    None => headers.get_all(CLIENT_CERT_CHAIN),
                };
                let Some(value) = singleton(&header.name, &lines)? else {
                    // RFC 9440 section 2.3: "Client-Cert-Chain MUST NOT appear unless
                    // Client-Cert is also present".
                    if chain.iter().next().is_some() {
                        return Err(Reason::ChainWithoutCertificate);
                    }
                    return Ok(None);
                };
                let chain = chain.iter().map(HeaderValue::as_bytes);
                self.read(header.format, value.as_bytes(), Some(chain))
            }
            (ProxyFormat::Xfcc, _) => {
                if lines.is_empty() {
                    return Ok(None);
                }
                // Envoy appends elements with ","; separate field lines are the same list.
                let joined = lines
                    .iter()
                    .map(|v| v.as_bytes())
                    .collect::<Vec<_>>()
                    .join(&b","[..]);
                self.read(header.format, &joined, no_chain)
            }
            (ProxyFormat::BareDer, Some(chain_name)) => {
                let chain_lines: Vec<&HeaderValue> = headers.get_all(chain_name).iter().collect();
                let chain = singleton(chain_name, &chain_lines)?
                    .map(|v| v.as_bytes())
                    .filter(|v| !v.trim_ascii().is_empty());
                match singleton(&header.name, &lines)? {
                    Some(v) if !v.as_bytes().trim_ascii().is_empty() => self.read(
                        header.format,
                        v.as_bytes(),
                        Some([chain.unwrap_or_default()]),
                    ),
                    // HAProxy writes both headers, empty, when there is no certificate; a
                    // chain without its leaf did not come from it.
                    _ => match chain {
                        None => Ok(None),
                        Some(_) => Err(Reason::ChainHeaderWithoutCertificate {
                            header: chain_name.as_str().to_string(),
                        }),
                    },
                }
            }
            (
                ProxyFormat::EscapedPem
                | ProxyFormat::Alb
                | ProxyFormat::BareDer
                | ProxyFormat::Apache,
                _,
            ) => match singleton(&header.name, &lines)? {
                // nginx: "Empty string when no client certificate"; HAProxy: the
                // `ssl_c_der` fetch fails and `set-header` writes an empty value.
                None => Ok(None),
                Some(v) if v.as_bytes().trim_ascii().is_empty() => Ok(None),
                // Apache's `(null)` reads as `Ok(None)`: "no client certificate".
                Some(v) => self.read(header.format, v.as_bytes(), no_chain),
            },
            (ProxyFormat::CloudFront, _) => {
                let digest_lines: Vec<&HeaderValue> =
                    headers.get_all(CLOUDFRONT_SHA256).iter().collect();
                let digest = singleton(&HeaderName::from_static(CLOUDFRONT_SHA256), &digest_lines)?;
                // Without the PEM header there is no certificate to use, whatever else the
                // origin request policy forwards.
                let Some(value) = singleton(&header.name, &lines)? else {
                    return Ok(None);
                };
                let fwd = self.read(header.format, value.as_bytes(), no_chain)?;
                if let (Some(digest), Some(fwd)) = (digest, &fwd) {
                    // Both headers come from CloudFront: a mismatch means one of them did not.
                    let expected =
                        cloudfront::parse_sha256(digest.as_bytes()).map(Thumbprint::from_bytes);
                    if !expected.is_some_and(|t| t.matches_der(fwd.der())) {
                        return Err(Reason::DigestMismatch {
                            header: CLOUDFRONT_SHA256,
                        });
                    }
                }
                Ok(fwd)
            }
        }
    }
}

/// The one field line of a singleton header; more than one is an error.
fn singleton<'h>(
    name: &HeaderName,
    lines: &[&'h HeaderValue],
) -> Result<Option<&'h HeaderValue>, Reason> {
    match lines {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(Reason::RepeatedHeader {
            header: name.as_str().to_string(),
            count: many.len(),
        }),
    }
}

/// Where a listener's requests take their client certificate from: decided once, when the
/// listener is configured, so that the connection's certificate and a forwarded one are never
/// mixed.
///
/// ```
/// use rfc8705::proxy::{http::{CertificateSource, ForwardedHeader}, ProxyFormat, TrustedProxy};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let headers = http::HeaderMap::new();
/// let direct = CertificateSource::Connection;
/// let cert = direct.request_certificate(Some(&der), &headers)?.unwrap();
/// assert!(matches!(cert, rfc8705::proxy::RequestCertificate::Connection(_)));
///
/// let proxied = CertificateSource::Proxy {
///     proxy: TrustedProxy::the_peer_is_my_proxy(),
///     header: ForwardedHeader::standard(ProxyFormat::Xfcc).unwrap(),
/// };
/// // The connection's certificate is the proxy's own: never used.
/// assert!(proxied.request_certificate(Some(&der), &headers)?.is_none());
/// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
/// ```
#[derive(Debug, Clone)]
pub enum CertificateSource {
    /// Clients connect directly: the certificate is the TLS peer's; forwarded-certificate
    /// headers are ignored (any client can send them).
    Connection,
    /// The peer is a trusted proxy: the certificate is the one it forwards in `header`; the
    /// connection's peer certificate (the proxy's own, if any) is ignored.
    Proxy {
        /// The decision that the peer is the proxy.
        proxy: TrustedProxy,
        /// Where it forwards the client certificate.
        header: ForwardedHeader,
    },
}

impl CertificateSource {
    /// The request's client certificate, from the one place this source names.
    ///
    /// ```
    /// # use rfc8705::proxy::http::CertificateSource;
    /// let none = CertificateSource::Connection.request_certificate(None, &http::HeaderMap::new())?;
    /// assert!(none.is_none());
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn request_certificate<'a>(
        &self,
        connection: Option<&'a [u8]>,
        headers: &HeaderMap,
    ) -> Result<Option<RequestCertificate<'a>>, ForwardedCertificateError> {
        match self {
            Self::Connection => Ok(connection.map(RequestCertificate::Connection)),
            Self::Proxy { proxy, header } => Ok(proxy
                .certificate_from_headers(headers, header)?
                .map(RequestCertificate::Forwarded)),
        }
    }
}

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
//! | HAProxy chain header ([`ForwardedHeader::haproxy_with_chain`]) | no chain (also for an empty value); an error if it holds certificates and the certificate header is missing or empty | error |
//! | Apache | no certificate (also for `(null)`, which Apache sends when there is no certificate, and for an empty value) | error |
//! | `CloudFront-Viewer-Cert-Pem` | no certificate | error; `CloudFront-Viewer-Cert-Sha256`, when present, must be the certificate's SHA-256 (and occur once) |
//!
//! ```
//! use http::HeaderMap;
//! use rfc8705::proxy::http::{CertificateSource, ForwardedHeader};
//! use rfc8705::proxy::TrustedProxy;
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//!
//! let mut headers = HeaderMap::new();
//! headers.insert("client-cert", rfc8705::proxy::client_cert::encode(&der).parse()?);
//!
//! // Decided once per listener: this one sits behind our proxy.
//! let source = CertificateSource::Proxy {
//!     proxy: TrustedProxy::the_peer_is_my_proxy(),
//!     header: ForwardedHeader::client_cert(),
//! };
//! let proxy_own_cert: Option<&[u8]> = None; // the proxy's certificate, if it used one: ignored
//! let cert = source.request_certificate(proxy_own_cert, &headers)?.expect("a certificate");
//! assert!(cert.is_forwarded());
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

use super::client_cert::{CLIENT_CERT, CLIENT_CERT_CHAIN};
use super::{
    ForwardedCertificate, ForwardedCertificateError, ProxyFormat, RequestCertificate, TrustedProxy,
    alb, bare_der, cloudfront, xfcc,
};
use crate::thumbprint::Thumbprint;

/// Which header a proxy forwards the certificate in, and in which format.
///
/// ```
/// use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
/// let nginx = ForwardedHeader::escaped_pem(http::HeaderName::from_static("x-client-cert"));
/// assert_eq!(nginx.format(), ProxyFormat::EscapedPem);
/// assert_eq!(ForwardedHeader::xfcc().name().as_str(), "x-forwarded-client-cert");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedHeader {
    format: ProxyFormat,
    name: HeaderName,
    /// A second header with the chain, where the format keeps it apart (HAProxy).
    chain: Option<HeaderName>,
}

impl ForwardedHeader {
    /// RFC 9440 `Client-Cert`, with `Client-Cert-Chain` when present.
    ///
    /// ```
    /// # use rfc8705::proxy::http::ForwardedHeader;
    /// assert_eq!(ForwardedHeader::client_cert().name().as_str(), "client-cert");
    /// ```
    pub fn client_cert() -> Self {
        Self {
            format: ProxyFormat::ClientCert,
            name: HeaderName::from_static(CLIENT_CERT),
            chain: None,
        }
    }

    /// Envoy `x-forwarded-client-cert`.
    ///
    /// ```
    /// # use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
    /// assert_eq!(ForwardedHeader::xfcc().format(), ProxyFormat::Xfcc);
    /// ```
    pub fn xfcc() -> Self {
        Self {
            format: ProxyFormat::Xfcc,
            name: HeaderName::from_static(xfcc::HEADER),
            chain: None,
        }
    }

    /// URL-encoded PEM in the header the deployment chose (nginx
    /// `proxy_set_header <name> $ssl_client_escaped_cert;`, Caddy).
    ///
    /// ```
    /// # use rfc8705::proxy::http::ForwardedHeader;
    /// let h = ForwardedHeader::escaped_pem(http::HeaderName::from_static("x-ssl-client-cert"));
    /// assert_eq!(h.name().as_str(), "x-ssl-client-cert");
    /// ```
    pub fn escaped_pem(name: HeaderName) -> Self {
        Self {
            format: ProxyFormat::EscapedPem,
            name,
            chain: None,
        }
    }

    /// AWS ALB verify mode: `X-Amzn-Mtls-Clientcert-Leaf`.
    ///
    /// ```
    /// # use rfc8705::proxy::http::ForwardedHeader;
    /// assert_eq!(ForwardedHeader::alb_leaf().name().as_str(), "x-amzn-mtls-clientcert-leaf");
    /// ```
    pub fn alb_leaf() -> Self {
        Self {
            format: ProxyFormat::Alb,
            name: HeaderName::from_static(alb::CLIENT_CERT_LEAF),
            chain: None,
        }
    }

    /// AWS ALB passthrough mode: `X-Amzn-Mtls-Clientcert` (the chain is **unverified**; see
    /// [`alb`]).
    ///
    /// ```
    /// # use rfc8705::proxy::http::ForwardedHeader;
    /// assert_eq!(ForwardedHeader::alb_chain().name().as_str(), "x-amzn-mtls-clientcert");
    /// ```
    pub fn alb_chain() -> Self {
        Self {
            format: ProxyFormat::Alb,
            name: HeaderName::from_static(alb::CLIENT_CERT_CHAIN),
            chain: None,
        }
    }

    /// Bare base64 DER in the header the deployment chose (HAProxy
    /// `http-request set-header <name> %[ssl_c_der,base64]`).
    ///
    /// ```
    /// # use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
    /// let h = ForwardedHeader::bare_der(http::HeaderName::from_static("x-ssl-client-cert"));
    /// assert_eq!(h.format(), ProxyFormat::BareDer);
    /// ```
    pub fn bare_der(name: HeaderName) -> Self {
        Self {
            format: ProxyFormat::BareDer,
            name,
            chain: None,
        }
    }

    /// HAProxy with the chain in a second header: `name` holds `%[ssl_c_der,base64]`,
    /// `chain` holds `%[ssl_c_chain_der,base64]` (the chain's DER concatenated). See
    /// [`TrustedProxy::bare_der_with_concatenated_chain`].
    ///
    /// ```
    /// # use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
    /// use http::HeaderName;
    /// let h = ForwardedHeader::haproxy_with_chain(
    ///     HeaderName::from_static("x-ssl-client-cert"),
    ///     HeaderName::from_static("x-ssl-client-cert-chain"),
    /// );
    /// assert_eq!(h.format(), ProxyFormat::BareDer);
    /// assert_eq!(h.chain_name().map(|n| n.as_str()), Some("x-ssl-client-cert-chain"));
    /// ```
    pub fn haproxy_with_chain(name: HeaderName, chain: HeaderName) -> Self {
        Self {
            format: ProxyFormat::BareDer,
            name,
            chain: Some(chain),
        }
    }

    /// Traefik `passTLSClientCert` (`pem: true`): `X-Forwarded-Tls-Client-Cert`, bare base64
    /// DER.
    ///
    /// ```
    /// # use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
    /// let h = ForwardedHeader::traefik();
    /// assert_eq!((h.name().as_str(), h.format()), ("x-forwarded-tls-client-cert", ProxyFormat::BareDer));
    /// ```
    pub fn traefik() -> Self {
        Self::bare_der(HeaderName::from_static(bare_der::TRAEFIK_HEADER))
    }

    /// Apache `mod_headers` in the header the deployment chose
    /// (`RequestHeader set <name> "%{SSL_CLIENT_CERT}s"`).
    ///
    /// ```
    /// # use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
    /// let h = ForwardedHeader::apache(http::HeaderName::from_static("x-ssl-client-cert"));
    /// assert_eq!(h.format(), ProxyFormat::Apache);
    /// ```
    pub fn apache(name: HeaderName) -> Self {
        Self {
            format: ProxyFormat::Apache,
            name,
            chain: None,
        }
    }

    /// Amazon CloudFront viewer mTLS: `CloudFront-Viewer-Cert-Pem`, checked against
    /// `CloudFront-Viewer-Cert-Sha256` when that is present.
    ///
    /// ```
    /// # use rfc8705::proxy::http::ForwardedHeader;
    /// assert_eq!(ForwardedHeader::cloudfront().name().as_str(), "cloudfront-viewer-cert-pem");
    /// ```
    pub fn cloudfront() -> Self {
        Self {
            format: ProxyFormat::CloudFront,
            name: HeaderName::from_static(cloudfront::HEADER),
            chain: None,
        }
    }

    /// The format.
    ///
    /// ```
    /// # use rfc8705::proxy::{http::ForwardedHeader, ProxyFormat};
    /// assert_eq!(ForwardedHeader::alb_leaf().format(), ProxyFormat::Alb);
    /// ```
    pub fn format(&self) -> ProxyFormat {
        self.format
    }

    /// The separate chain header, for formats that keep the chain apart
    /// ([`haproxy_with_chain`](Self::haproxy_with_chain)); `None` otherwise.
    ///
    /// ```
    /// # use rfc8705::proxy::http::ForwardedHeader;
    /// assert!(ForwardedHeader::traefik().chain_name().is_none());
    /// ```
    pub fn chain_name(&self) -> Option<&HeaderName> {
        self.chain.as_ref()
    }

    /// The header name.
    ///
    /// ```
    /// # use rfc8705::proxy::http::ForwardedHeader;
    /// assert_eq!(ForwardedHeader::client_cert().name(), "client-cert");
    /// ```
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
    /// use rfc8705::proxy::{http::ForwardedHeader, ForwardedCertificateError, TrustedProxy};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let value: http::HeaderValue = rfc8705::proxy::client_cert::encode(&der).parse()?;
    /// let proxy = TrustedProxy::the_peer_is_my_proxy();
    /// let mut headers = HeaderMap::new();
    /// assert!(proxy.certificate_from_headers(&headers, &ForwardedHeader::client_cert())?.is_none());
    /// headers.append("client-cert", value.clone());
    /// headers.append("client-cert", value);
    /// assert!(matches!(
    ///     proxy.certificate_from_headers(&headers, &ForwardedHeader::client_cert()),
    ///     Err(ForwardedCertificateError::RepeatedHeader { count: 2, .. })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn certificate_from_headers(
        &self,
        headers: &HeaderMap,
        header: &ForwardedHeader,
    ) -> Result<Option<ForwardedCertificate>, ForwardedCertificateError> {
        let lines: Vec<&HeaderValue> = headers.get_all(&header.name).iter().collect();
        match header.format {
            ProxyFormat::ClientCert => {
                let chain = headers.get_all(CLIENT_CERT_CHAIN);
                let Some(value) = singleton(&header.name, &lines)? else {
                    // RFC 9440 section 2.3: "Client-Cert-Chain MUST NOT appear unless
                    // Client-Cert is also present".
                    if chain.iter().next().is_some() {
                        return Err(ForwardedCertificateError::ChainWithoutCertificate);
                    }
                    return Ok(None);
                };
                self.client_cert_with_chain(value.as_bytes(), chain.iter().map(|v| v.as_bytes()))
                    .map(Some)
            }
            ProxyFormat::Xfcc => {
                if lines.is_empty() {
                    return Ok(None);
                }
                // Envoy appends elements with ","; separate field lines are the same list.
                let joined = lines
                    .iter()
                    .map(|v| v.as_bytes())
                    .collect::<Vec<_>>()
                    .join(&b","[..]);
                self.xfcc(joined).map(Some)
            }
            ProxyFormat::BareDer if header.chain.is_some() => {
                let chain_name = header.chain.as_ref().unwrap_or(&header.name);
                let chain_lines: Vec<&HeaderValue> = headers.get_all(chain_name).iter().collect();
                let chain = singleton(chain_name, &chain_lines)?
                    .map(|v| v.as_bytes())
                    .filter(|v| !v.trim_ascii().is_empty());
                match singleton(&header.name, &lines)? {
                    Some(v) if !v.as_bytes().trim_ascii().is_empty() => self
                        .bare_der_with_concatenated_chain(v.as_bytes(), chain.unwrap_or_default())
                        .map(Some),
                    // HAProxy writes both headers, empty, when there is no certificate; a
                    // chain without its leaf did not come from it.
                    _ => match chain {
                        None => Ok(None),
                        Some(_) => Err(ForwardedCertificateError::ChainHeaderWithoutCertificate {
                            header: chain_name.as_str().to_string(),
                        }),
                    },
                }
            }
            ProxyFormat::EscapedPem | ProxyFormat::Alb | ProxyFormat::BareDer => {
                match singleton(&header.name, &lines)? {
                    // nginx: "Empty string when no client certificate"; HAProxy: the
                    // `ssl_c_der` fetch fails and `set-header` writes an empty value.
                    None => Ok(None),
                    Some(v) if v.as_bytes().trim_ascii().is_empty() => Ok(None),
                    Some(v) => self.decode(header.format, v.as_bytes()).map(Some),
                }
            }
            ProxyFormat::Apache => match singleton(&header.name, &lines)? {
                None => Ok(None),
                Some(v) if v.as_bytes().trim_ascii().is_empty() => Ok(None),
                // `(null)` is `Ok(None)` here: Apache's "no client certificate".
                Some(v) => self.apache(v.as_bytes()),
            },
            ProxyFormat::CloudFront => {
                let digest_lines: Vec<&HeaderValue> =
                    headers.get_all(cloudfront::SHA256_HEADER).iter().collect();
                let digest = singleton(
                    &HeaderName::from_static(cloudfront::SHA256_HEADER),
                    &digest_lines,
                )?;
                // Without the PEM header there is no certificate to use, whatever else the
                // origin request policy forwards.
                let Some(value) = singleton(&header.name, &lines)? else {
                    return Ok(None);
                };
                let fwd = self.cloudfront(value.as_bytes())?;
                if let Some(digest) = digest {
                    // Both headers come from CloudFront: a mismatch means one of them did not.
                    let expected =
                        cloudfront::parse_sha256(digest.as_bytes()).map(Thumbprint::from_bytes);
                    if !expected.is_some_and(|t| t.matches_der(fwd.der())) {
                        return Err(ForwardedCertificateError::DigestMismatch {
                            header: cloudfront::SHA256_HEADER,
                        });
                    }
                }
                Ok(Some(fwd))
            }
        }
    }
}

/// The one field line of a singleton header; more than one is an error.
fn singleton<'h>(
    name: &HeaderName,
    lines: &[&'h HeaderValue],
) -> Result<Option<&'h HeaderValue>, ForwardedCertificateError> {
    match lines {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(ForwardedCertificateError::RepeatedHeader {
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
/// use rfc8705::proxy::{http::{CertificateSource, ForwardedHeader}, TrustedProxy};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let headers = http::HeaderMap::new();
/// let direct = CertificateSource::Connection;
/// let cert = direct.request_certificate(Some(&der), &headers)?.unwrap();
/// assert!(!cert.is_forwarded());
///
/// let proxied = CertificateSource::Proxy {
///     proxy: TrustedProxy::the_peer_is_my_proxy(),
///     header: ForwardedHeader::xfcc(),
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

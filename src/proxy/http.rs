//! Reading forwarded certificates from an [`http::HeaderMap`] (feature `http`).
//!
//! Repeated and missing headers are decided here, per format. Every certificate header is a
//! singleton: two field lines are an error ([`Reason::RepeatedHeader`]), and so is one line
//! an HTTP library joined from two where the format holds no `,`
//! ([`Reason::JoinedValues`], [`Reason::MultipleValues`]).
//!
//! | header | missing | repeated |
//! |---|---|---|
//! | `Client-Cert` | no certificate (an error if `Client-Cert-Chain` is present: RFC 9440 section 2.3) | error (section 2.2) |
//! | `Client-Cert-Chain` | no chain | one list, lines in order (RFC 8941 section 4.2) |
//! | `x-forwarded-client-cert` (`xfcc`, `xfcc-json`) | no certificate | error |
//! | escaped PEM, ALB, bare DER, `X-ARR-ClientCert` | no certificate (also for an empty value, which nginx and HAProxy send when there is no certificate) | error |
//! | Apache | no certificate (also for `(null)`, which Apache sends when there is no certificate, and for an empty value) | error |
//! | a chain header ([`ForwardedHeader::with_chain`], [`ForwardedHeader::with_numbered_chain`]) | no chain (also for an empty value or `(null)`); an error if it holds certificates and the certificate header is missing or empty | error |
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
use super::{
    ForwardedCertificate, ForwardedCertificateError, MAX_CHAIN_LEN, ProxyFormat, TrustedProxy,
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
/// // HAProxy, with the chain in a second header.
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
    /// In the value, or none.
    InValue,
    /// One header: `Client-Cert-Chain` (a list) or HAProxy's concatenated DER.
    Header(HeaderName),
    /// `<prefix>_0` … `<prefix>_<max - 1>`, one certificate each, then `<prefix>_<max>`,
    /// which must be absent.
    Numbered(Vec<HeaderName>),
}

impl ForwardedHeader {
    /// The certificate in header `name`, in `format`. For `client-cert` the chain is read
    /// from `Client-Cert-Chain`; for the other formats, from the value itself.
    pub fn new(format: ProxyFormat, name: HeaderName) -> Self {
        let chain = match format {
            ProxyFormat::ClientCert => Chain::Header(HeaderName::from_static(CLIENT_CERT_CHAIN)),
            _ => Chain::InValue,
        };
        Self {
            format,
            name,
            chain,
        }
    }

    /// The header the format itself names: `Client-Cert` (RFC 9440),
    /// `x-forwarded-client-cert` (Envoy, both formats), `X-Amzn-Mtls-Clientcert-Leaf` (ALB
    /// verify mode; passthrough mode's `X-Amzn-Mtls-Clientcert` takes [`new`](Self::new)),
    /// `X-Forwarded-Tls-Client-Cert` (Traefik, `bare-der`), `CloudFront-Viewer-Cert-Pem`,
    /// `X-ARR-ClientCert` (Azure App Service). `None` for `escaped-pem` and `apache`, whose
    /// header the deployment names.
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
            ProxyFormat::Xfcc | ProxyFormat::XfccJson => XFCC,
            ProxyFormat::Alb => ALB_LEAF,
            ProxyFormat::BareDer => TRAEFIK,
            ProxyFormat::CloudFront => CLOUDFRONT_PEM,
            ProxyFormat::Azure => ARR,
            ProxyFormat::EscapedPem | ProxyFormat::Apache => return None,
        };
        Some(Self::new(format, HeaderName::from_static(name)))
    }

    /// Reads the chain from header `chain`: for `bare-der`, HAProxy's
    /// `%[ssl_c_chain_der,base64]` (the value then holds the leaf alone); for `client-cert`,
    /// instead of `Client-Cert-Chain`. `None` for the other formats.
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
    /// the chain; a certificate after one is a gap ([`Reason::ChainGap`]); a certificate in
    /// `<prefix>_<max>` is one too many ([`Reason::TooManyCertificates`]); a header twice is
    /// [`Reason::RepeatedHeader`].
    ///
    /// `None` for the formats whose chain is a list or concatenation (`client-cert`,
    /// `bare-der`, `xfcc`, `xfcc-json`), and for a prefix that makes no header name.
    #[must_use]
    pub fn with_numbered_chain(self, prefix: &str, max: usize) -> Option<Self> {
        if matches!(
            self.format,
            ProxyFormat::ClientCert
                | ProxyFormat::BareDer
                | ProxyFormat::Xfcc
                | ProxyFormat::XfccJson
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
        let value = singleton(headers, &header.name)?;
        let (chain, chain_name): (Vec<&[u8]>, Option<&HeaderName>) = match &header.chain {
            Chain::InValue => (Vec::new(), None),
            // RFC 8941 section 4.2: field lines are one list.
            Chain::Header(name) if header.format == ProxyFormat::ClientCert => (
                headers
                    .get_all(name)
                    .iter()
                    .map(HeaderValue::as_bytes)
                    .collect(),
                Some(name),
            ),
            Chain::Header(name) => (
                singleton(headers, name)?
                    .map(HeaderValue::as_bytes)
                    .into_iter()
                    .collect(),
                Some(name),
            ),
            Chain::Numbered(names) => {
                let (last, numbered) = names.split_last().ok_or(Reason::TooManyCertificates)?;
                if singleton(headers, last)?.is_some_and(|v| !is_blank(v.as_bytes())) {
                    return Err(Reason::TooManyCertificates);
                }
                let values = numbered
                    .iter()
                    .map(|n| Ok(singleton(headers, n)?.map_or(&b""[..], HeaderValue::as_bytes)))
                    .collect::<Result<Vec<_>, Reason>>()?;
                (values, numbered.first())
            }
        };
        let no_leaf = match value {
            None => true,
            // nginx: "Empty string when no client certificate"; HAProxy: the `ssl_c_der`
            // fetch fails and `set-header` writes an empty value.
            Some(v) => v.as_bytes().trim_ascii().is_empty() && header.format.blank_is_none(),
        };
        let fwd = match value {
            Some(v) if !no_leaf => self.read(header.format, v.as_bytes(), &chain)?,
            _ => None,
        };
        if fwd.is_none() && chain.iter().any(|c| !is_blank(c)) {
            // RFC 9440 section 2.3: "Client-Cert-Chain MUST NOT appear unless Client-Cert is
            // also present"; a chain without its leaf did not come from the proxy either.
            return Err(match (header.format, chain_name) {
                (ProxyFormat::ClientCert, _) | (_, None) => Reason::ChainWithoutCertificate,
                (_, Some(name)) => Reason::ChainHeaderWithoutCertificate {
                    header: name.as_str().to_string(),
                },
            });
        }
        if let (ProxyFormat::CloudFront, Some(fwd)) = (header.format, &fwd) {
            let name = HeaderName::from_static(CLOUDFRONT_SHA256);
            if let Some(digest) = singleton(headers, &name)? {
                // Both headers come from CloudFront: a mismatch means one of them did not.
                let expected =
                    cloudfront::parse_sha256(digest.as_bytes()).map(Thumbprint::from_bytes);
                if !expected.is_some_and(|t| t.matches_der(fwd.der())) {
                    return Err(Reason::DigestMismatch {
                        header: CLOUDFRONT_SHA256,
                    });
                }
            }
        }
        Ok(fwd)
    }
}

impl ProxyFormat {
    /// Whether the proxy sends an empty value for "no certificate".
    fn blank_is_none(self) -> bool {
        !matches!(
            self,
            ProxyFormat::ClientCert
                | ProxyFormat::Xfcc
                | ProxyFormat::XfccJson
                | ProxyFormat::CloudFront
        )
    }
}

fn is_blank(value: &[u8]) -> bool {
    let value = value.trim_ascii();
    value.is_empty() || value == b"(null)"
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

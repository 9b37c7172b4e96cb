//! The header formats, by the names `inspect --from` uses.

use core::fmt;
use core::str::FromStr;

/// A header format a proxy forwards the client certificate in.
///
/// `FromStr`/`Display` use the names of `inspect --from`: `client-cert`, `xfcc`,
/// `xfcc-json`, `escaped-pem`, `alb`, `bare-der`, `traefik`, `apache`, `cloudfront`, `azure`,
/// and the hash-only `xfcc-hash` and `fingerprint`.
///
/// The two **hash-only** formats carry the certificate's SHA-256, not the certificate: they
/// give the [`Thumbprint`](crate::Thumbprint) a resource server compares with a token's
/// `x5t#S256` ([`TrustedProxy::thumbprint`](super::TrustedProxy::thumbprint)), and nothing
/// that needs the certificate itself: [`TrustedProxy::decode`](super::TrustedProxy::decode)
/// refuses them ([`Reason::HashOnly`](super::Reason::HashOnly)), so no subject, SAN or client
/// authentication can come from them.
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
    /// Envoy `x-forwarded-client-cert`, text format (`Key=value;…,…`).
    Xfcc,
    /// Envoy `x-forwarded-client-cert`, JSON format (the `format` of
    /// `set_current_client_cert_details`): `[{"hash":…,"cert":"<PEM>",…},…]`.
    XfccJson,
    /// URL-encoded PEM: nginx `$ssl_client_escaped_cert`.
    EscapedPem,
    /// AWS Application Load Balancer `X-Amzn-Mtls-Clientcert(-Leaf)`.
    Alb,
    /// Base64 DER of one certificate, without PEM armour: HAProxy `%[ssl_c_der,base64]`,
    /// Caddy `{http.request.tls.client.certificate_der_base64}`. A `,` is refused.
    BareDer,
    /// Traefik `X-Forwarded-Tls-Client-Cert` (`passTLSClientCert` with `pem: true`): base64
    /// DER without armour, one per certificate, `,`-separated, leaf first.
    Traefik,
    /// Apache `mod_headers` `%{SSL_CLIENT_CERT}s`: PEM with spaces for line breaks, or
    /// `(null)`.
    Apache,
    /// Amazon CloudFront viewer mTLS `CloudFront-Viewer-Cert-Pem`.
    CloudFront,
    /// Azure App Service `X-ARR-ClientCert`: base64 DER of the leaf.
    Azure,
    /// Hash-only: Envoy `x-forwarded-client-cert` whose last element has `Hash` (the hex
    /// SHA-256 of the certificate) and no `Cert`: Envoy's minimal details, Istio's default.
    XfccHash,
    /// Hash-only: a SHA-256 fingerprint header, 64 hex digits in either case, optionally
    /// `:`-separated pairs (Cloudflare's `cf.tls_client_auth.cert_fingerprint_sha256`,
    /// Caddy's `{http.request.tls.client.fingerprint}`, `openssl x509 -fingerprint -sha256`).
    Fingerprint,
}

impl ProxyFormat {
    /// Every format, in a stable order.
    ///
    /// ```
    /// # use rfc8705::proxy::ProxyFormat;
    /// assert_eq!(ProxyFormat::ALL.len(), 12);
    /// ```
    pub const ALL: [ProxyFormat; 12] = [
        Self::ClientCert,
        Self::Xfcc,
        Self::XfccJson,
        Self::EscapedPem,
        Self::Alb,
        Self::BareDer,
        Self::Traefik,
        Self::Apache,
        Self::CloudFront,
        Self::Azure,
        Self::XfccHash,
        Self::Fingerprint,
    ];

    /// The name `FromStr` accepts and `Display` prints.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Self::ClientCert => "client-cert",
            Self::Xfcc => "xfcc",
            Self::XfccJson => "xfcc-json",
            Self::EscapedPem => "escaped-pem",
            Self::Alb => "alb",
            Self::BareDer => "bare-der",
            Self::Traefik => "traefik",
            Self::Apache => "apache",
            Self::CloudFront => "cloudfront",
            Self::Azure => "azure",
            Self::XfccHash => "xfcc-hash",
            Self::Fingerprint => "fingerprint",
        }
    }

    /// Whether the format carries only the certificate's SHA-256.
    pub(crate) const fn is_hash_only(self) -> bool {
        matches!(self, Self::XfccHash | Self::Fingerprint)
    }
}

impl fmt::Display for ProxyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of `client-cert`, `xfcc`, `xfcc-json`, `escaped-pem`, `alb`,
/// `bare-der`, `traefik`, `apache`, `cloudfront`, `azure`, `xfcc-hash`, `fingerprint`.
///
/// ```
/// # use rfc8705::proxy::ProxyFormat;
/// let err = "nginx".parse::<ProxyFormat>().unwrap_err();
/// assert!(err.to_string().contains("escaped-pem"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown proxy header format; use client-cert, xfcc, xfcc-json, escaped-pem, alb, bare-der, traefik, apache, cloudfront, azure, xfcc-hash or fingerprint"
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

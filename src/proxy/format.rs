//! The header formats, by the names `inspect --from` uses.

use core::fmt;
use core::str::FromStr;

/// A header format a proxy forwards the client certificate in.
///
/// `FromStr`/`Display` use the names of `inspect --from`: `client-cert`, `xfcc`,
/// `xfcc-json`, `escaped-pem`, `alb`, `bare-der`, `apache`, `cloudfront`, `azure`.
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
    /// Azure App Service `X-ARR-ClientCert`: base64 DER of the leaf.
    Azure,
}

impl ProxyFormat {
    /// Every format, in a stable order.
    ///
    /// ```
    /// # use rfc8705::proxy::ProxyFormat;
    /// assert_eq!(ProxyFormat::ALL.len(), 9);
    /// ```
    pub const ALL: [ProxyFormat; 9] = [
        Self::ClientCert,
        Self::Xfcc,
        Self::XfccJson,
        Self::EscapedPem,
        Self::Alb,
        Self::BareDer,
        Self::Apache,
        Self::CloudFront,
        Self::Azure,
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
            Self::Apache => "apache",
            Self::CloudFront => "cloudfront",
            Self::Azure => "azure",
        }
    }
}

impl fmt::Display for ProxyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of `client-cert`, `xfcc`, `xfcc-json`, `escaped-pem`, `alb`,
/// `bare-der`, `apache`, `cloudfront`, `azure`.
///
/// ```
/// # use rfc8705::proxy::ProxyFormat;
/// let err = "nginx".parse::<ProxyFormat>().unwrap_err();
/// assert!(err.to_string().contains("escaped-pem"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown proxy header format; use client-cert, xfcc, xfcc-json, escaped-pem, alb, bare-der, apache, cloudfront or azure"
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

//! The explicit decision that the peer is the proxy, and the one way to decode its headers.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use super::error::Reason;
use super::{
    ForwardedCertificate, ForwardedCertificateError, MAX_CHAIN_LEN, ProxyFormat, alb, apache,
    azure, bare_der, check_size, client_cert, cloudfront, escaped_pem, fingerprint, xfcc,
};
use crate::thumbprint::Thumbprint;

/// The caller's decision that the immediate peer of this connection is its TLS-terminating
/// proxy, which strips client-sent certificate headers and sets its own.
///
/// Every API that hands out a certificate from a header is a method of this type: without
/// one, headers are just untrusted strings. Create it where the connection is accepted, from
/// what you know about the peer (its address, or the certificate the proxy itself presented),
/// never from anything in the request.
///
/// ```
/// use ipnet::IpNet;
/// use rfc8705::proxy::TrustedProxy;
///
/// let proxies: [IpNet; 2] = ["10.0.0.0/24".parse().unwrap(), "fd00::2/128".parse().unwrap()];
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
    pub fn the_peer_is_my_proxy() -> Self {
        Self { _decided: () }
    }

    /// Trusts the peer only if its address is in one of the `proxies` ranges (a single
    /// address is a `/32` or `/128`). Compare the address of the TCP peer, never an
    /// `X-Forwarded-For` value.
    ///
    /// An IPv4-mapped IPv6 peer address (`::ffff:10.0.0.2`, what a dual-stack socket reports)
    /// is compared as the IPv4 address.
    ///
    /// ```
    /// # use rfc8705::proxy::TrustedProxy;
    /// let proxies = ["10.0.0.2/32".parse().unwrap()];
    /// let peer = "::ffff:10.0.0.2".parse().unwrap();
    /// assert!(TrustedProxy::if_peer_in(peer, &proxies).is_some());
    /// ```
    pub fn if_peer_in(peer: IpAddr, proxies: &[IpNet]) -> Option<Self> {
        let canonical = peer.to_canonical();
        proxies
            .iter()
            .any(|net| net.contains(&canonical) || net.contains(&peer))
            .then(Self::the_peer_is_my_proxy)
    }

    /// Decodes one header value in `format` (the leaf, and the chain where the format carries
    /// it in the same value), with the `chain` header values that came with it:
    ///
    /// * `client-cert`: the `Client-Cert-Chain` field lines, zero or more (RFC 9440 section
    ///   2.3: it "MAY have a list of values or occur multiple times"), in order;
    /// * `bare-der`: HAProxy's `%[ssl_c_chain_der,base64]` header, the chain certificates'
    ///   DER concatenated in one base64 string (empty: no chain);
    /// * `escaped-pem`, `alb`, `apache`, `cloudfront`, `azure`: one header per chain
    ///   certificate (`…_0`, `…_1`, …, as Keycloak reads Apache's and HAProxy's), in that
    ///   order, each holding one certificate in the value's format. Empty values (and Apache's
    ///   `(null)`) after the last certificate are "no more"; one before a certificate is a gap
    ///   ([`Reason::ChainGap`]). The value must then hold the leaf alone;
    /// * `xfcc`, `xfcc-json`, `traefik`: the chain is in the value; a non-blank chain line is
    ///   [`Reason::NoSeparateChain`].
    ///
    /// Pass the chain lines only when the proxy is configured to send them (and to replace
    /// client-sent copies): a chain header the proxy does not write is the client's.
    ///
    /// A value that holds one certificate refuses a `,` ([`Reason::JoinedValues`]): two field
    /// lines an HTTP library joined, one of them client-sent. The hash-only formats
    /// (`xfcc-hash`, `fingerprint`) give no certificate ([`Reason::HashOnly`]; see
    /// [`thumbprint`](Self::thumbprint)). It always yields a certificate or an error, so the
    /// proxy's "no client certificate" (`::`, an empty value, Caddy's placeholder, Apache's
    /// `(null)`) is [`Reason::NoCertificate`] here; reading a `HeaderMap` with the `http`
    /// feature turns it into "no certificate" instead.
    ///
    /// ```
    /// use rfc8705::proxy::{ProxyFormat, Reason, TrustedProxy};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let b64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(&der);
    /// let proxy = TrustedProxy::the_peer_is_my_proxy();
    /// // nginx `$ssl_client_escaped_cert` of the RFC 8705 Appendix A certificate.
    /// let value = "-----BEGIN%20CERTIFICATE-----%0AMIIBBjCBrAIBAjAKBggqhkjOPQQDAjAPMQ0wCwYDVQQDDARtdGxzMB4XDTE4MTAx%0AODEyMzcwOVoXDTIyMDUwMjEyMzcwOVowDzENMAsGA1UEAwwEbXRsczBZMBMGByqG%0ASM49AgEGCCqGSM49AwEHA0IABNcnyxwqV6hY8QnhxxzFQ03C7HKW9OylMbnQZjjJ%0A%2FAu08%2FcoZwxS7LfA4vOLS9WuneIXhbGGWvsDSb0tH6IxLm8wCgYIKoZIzj0EAwID%0ASQAwRgIhAP0RC1E%2BvwJD%2FD1AGHGzuri%2BhlV%2FPpQEKTWUVeORWz83AiEA5x2eXZOV%0AbUlJSGQgjwD5vaUaKlLR50Q2DmFfQj1L%2BSY%3D%0A-----END%20CERTIFICATE-----%0A";
    /// let fwd = proxy.decode("escaped-pem".parse()?, value, &[])?;
    /// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// // RFC 9440: the leaf, and its chain in Client-Cert-Chain.
    /// let leaf = format!(":{b64}:");
    /// let chain = format!("{leaf}, {leaf}"); // two (here: identical) issuers
    /// let fwd = proxy.decode(ProxyFormat::ClientCert, &leaf, &[chain.as_bytes()])?;
    /// assert_eq!(fwd.chain().count(), 2);
    /// // HAProxy appending its value after a client-sent copy: refused.
    /// let joined = format!("{b64},{b64}");
    /// let err = proxy.decode(ProxyFormat::BareDer, &joined, &[]).unwrap_err();
    /// assert!(matches!(err.reason(), Reason::JoinedValues { .. }));
    /// let null = proxy.decode(ProxyFormat::Apache, "(null)", &[]).unwrap_err();
    /// assert_eq!(null.reason(), &Reason::NoCertificate);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode(
        &self,
        format: ProxyFormat,
        value: impl AsRef<[u8]>,
        chain: &[&[u8]],
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        self.read(format, value.as_ref(), chain)
            .and_then(|fwd| fwd.ok_or((Part::Value, Reason::NoCertificate)))
            .map_err(|(_, reason)| ForwardedCertificateError::new(format, reason))
    }

    /// The `x5t#S256` thumbprint of the certificate one header value forwards, in any format:
    /// what a resource server compares with a token's `cnf` (RFC 8705 section 3). The
    /// hash-only formats read the SHA-256 the proxy sent (`xfcc-hash`: the last element's
    /// `Hash`; `fingerprint`: 64 hex digits); the others decode the certificate as
    /// [`decode`](Self::decode) does, with the same checks, and hash it.
    ///
    /// ```
    /// use rfc8705::proxy::{ProxyFormat, TrustedProxy};
    /// let proxy = TrustedProxy::the_peer_is_my_proxy();
    /// // Cloudflare's `cf.tls_client_auth.cert_fingerprint_sha256`, forwarded by a rule.
    /// let fingerprint = "0380ed2f626650c840b2f263e6d2b29fae12ab39ae5db32b25ad27efad72e6fd";
    /// let t = proxy.thumbprint(ProxyFormat::Fingerprint, fingerprint, &[])?;
    /// assert_eq!(t.to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// // Envoy's minimal XFCC (Istio's default details): a Hash, no Cert.
    /// let xfcc = format!("By=spiffe://cluster.local/ns/a/sa/b;Hash={fingerprint};Subject=\"\";URI=spiffe://cluster.local/ns/c/sa/d");
    /// assert_eq!(proxy.thumbprint(ProxyFormat::XfccHash, &xfcc, &[])?, t);
    /// // Neither is a certificate.
    /// assert!(proxy.decode(ProxyFormat::Fingerprint, fingerprint, &[]).is_err());
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn thumbprint(
        &self,
        format: ProxyFormat,
        value: impl AsRef<[u8]>,
        chain: &[&[u8]],
    ) -> Result<Thumbprint, ForwardedCertificateError> {
        self.read_thumbprint(format, value.as_ref(), chain)
            .and_then(|t| t.ok_or((Part::Value, Reason::NoCertificate)))
            .map_err(|(_, reason)| ForwardedCertificateError::new(format, reason))
    }

    /// [`thumbprint`](Self::thumbprint)'s reading: `None` for the proxy's "no certificate".
    pub(crate) fn read_thumbprint(
        &self,
        format: ProxyFormat,
        value: &[u8],
        chain: &[&[u8]],
    ) -> Result<Option<Thumbprint>, Located> {
        if !format.is_hash_only() {
            return Ok(self.read(format, value, chain)?.map(|f| f.thumbprint()));
        }
        let value = prepared(format, value, chain)?;
        let Some(value) = value else {
            return Ok(None);
        };
        if let Some(line) = chain.iter().position(|line| !is_blank(line)) {
            return Err((Part::Chain(line), Reason::NoSeparateChain));
        }
        let thumbprint = match format {
            ProxyFormat::XfccHash => xfcc::hash_of_last(value),
            _ => fingerprint::decode(value),
        };
        thumbprint.map(Some).map_err(|reason| (Part::Value, reason))
    }

    /// The certificate of `value` (`None` for the proxy's "no certificate"), with the chain
    /// from `chain` lines when the format keeps it apart, else from the value. Errors say
    /// which of the headers was wrong.
    pub(crate) fn read(
        &self,
        format: ProxyFormat,
        value: &[u8],
        chain: &[&[u8]],
    ) -> Result<Option<ForwardedCertificate>, Located> {
        use ProxyFormat::*;
        let Some(value) = prepared(format, value, chain)? else {
            return Ok(None);
        };
        let at_value = |reason| (Part::Value, reason);
        if format.is_hash_only() {
            return Err(at_value(Reason::HashOnly));
        }
        let (der, listed, digest) = decode_value(format, value).map_err(at_value)?;
        let first_line = chain.iter().position(|line| !is_blank(line));
        let chain = match (format, first_line) {
            // No chain: no chain lines, or only blank ones.
            (_, None) => listed,
            (Xfcc | XfccJson | Traefik, Some(line)) => {
                return Err((Part::Chain(line), Reason::NoSeparateChain));
            }
            // The value holds the leaf alone; its chain comes from the other header(s).
            (_, Some(_)) if !listed.is_empty() => {
                return Err(at_value(Reason::NotOneCertificate {
                    count: listed.len().saturating_add(1),
                }));
            }
            // One header (`Client-Cert-Chain` lines are one list, of one name).
            (ClientCert, Some(_)) => {
                client_cert::decode_chain(chain).map_err(|r| (Part::Chain(0), r))?
            }
            (BareDer, Some(_)) => concatenated_chain(chain)?,
            (EscapedPem | Alb | Apache | CloudFront | Azure, Some(_)) => {
                numbered_chain(format, chain)?
            }
            (XfccHash | Fingerprint, Some(_)) => return Err(at_value(Reason::HashOnly)),
        };
        // A chain member's position is its header's, where each header holds one.
        let numbered = matches!(format, EscapedPem | Alb | Apache | CloudFront | Azure);
        ForwardedCertificate::new(der, chain, digest)
            .map(Some)
            .map_err(|reason| match (&reason, first_line) {
                (Reason::ChainNotDer { index, .. }, Some(_)) => {
                    (Part::Chain(if numbered { *index } else { 0 }), reason)
                }
                _ => at_value(reason),
            })
    }
}

/// Which of the headers that forward one certificate an error is about: the certificate
/// value, or the chain line at this index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The certificate header.
    Value,
    /// A chain header, by its index among the chain lines.
    Chain(usize),
}

/// An error, and the header it is about.
pub(crate) type Located = (Part, Reason);

/// The value to decode, or `None` for the proxy's "no certificate" (when no chain line holds
/// anything: a chain without its leaf did not come from the proxy). A value holding one
/// certificate that has a `,` is refused first, then the size.
fn prepared<'v>(
    format: ProxyFormat,
    value: &'v [u8],
    chain: &[&[u8]],
) -> Result<Option<&'v [u8]>, Located> {
    if no_certificate(format, value) {
        return no_chain_without_certificate(format, chain).map(|()| None);
    }
    reject_joined(format, value).map_err(|reason| (Part::Value, reason))?;
    check_size(value.len()).map_err(|reason| (Part::Value, reason))?;
    Ok(Some(value))
}

/// Without a certificate, no chain line may hold one: a chain without its leaf did not come
/// from the proxy.
pub(crate) fn no_chain_without_certificate(
    format: ProxyFormat,
    chain: &[&[u8]],
) -> Result<(), Located> {
    match chain.iter().position(|line| !is_blank(line)) {
        None => Ok(()),
        // RFC 9440 section 2.3: "Client-Cert-Chain MUST NOT appear unless Client-Cert is also
        // present".
        Some(line) if format == ProxyFormat::ClientCert => {
            Err((Part::Chain(line), Reason::ChainWithoutCertificate))
        }
        Some(line) => Err((Part::Chain(line), Reason::ChainHeaderWithoutCertificate)),
    }
}

/// The proxies' spellings of "the client presented no certificate", per format.
fn no_certificate(format: ProxyFormat, value: &[u8]) -> bool {
    use ProxyFormat::*;
    let value = value.trim_ascii();
    match format {
        // HAProxy `Client-Cert :%[ssl_c_der,base64]:` when the fetch is empty: an empty Byte
        // Sequence, which holds no certificate.
        ClientCert => value == b"::",
        // nginx: "empty string when no client certificate"; HAProxy's `set-header` writes an
        // empty value when the fetch fails; Cloudflare's fingerprint field is empty; Caddy
        // leaves a placeholder it cannot replace as written.
        EscapedPem | BareDer | Fingerprint => value.is_empty() || is_caddy_placeholder(value),
        Alb | Traefik | Azure => value.is_empty(),
        // mod_headers: `return "(null)";` when the SSL variable is empty.
        Apache => value.is_empty() || value == apache::NO_CERTIFICATE.as_bytes(),
        // Envoy and CloudFront send no header at all.
        Xfcc | XfccJson | XfccHash | CloudFront => false,
    }
}

/// Caddy's `{http.request.tls.client.…}` placeholders, left unreplaced on a connection without
/// a client certificate.
fn is_caddy_placeholder(value: &[u8]) -> bool {
    value.starts_with(b"{http.request.tls.client.") && value.ends_with(b"}")
}

/// A chain line that holds no certificate: empty, or Apache's `(null)`.
pub(crate) fn is_blank(line: &&[u8]) -> bool {
    let line = line.trim_ascii();
    line.is_empty() || line == apache::NO_CERTIFICATE.as_bytes()
}

/// The leaf and the chain listed in the value itself (and the leaf's SHA-256, where checking
/// the value computed it).
fn decode_value(format: ProxyFormat, value: &[u8]) -> Result<xfcc::Decoded, Reason> {
    let (leaf, chain) = match format {
        ProxyFormat::Xfcc => return xfcc::decode_last(value),
        ProxyFormat::XfccJson => return xfcc::json::decode_last(value),
        ProxyFormat::ClientCert => (client_cert::decode(value)?, Vec::new()),
        ProxyFormat::EscapedPem => escaped_pem::decode(value)?,
        ProxyFormat::Alb => alb::decode(value)?,
        ProxyFormat::BareDer => (bare_der::decode(value)?, Vec::new()),
        ProxyFormat::Traefik => bare_der::decode_traefik(value)?,
        ProxyFormat::Apache => apache::decode(value)?,
        ProxyFormat::CloudFront => (cloudfront::decode(value)?, Vec::new()),
        ProxyFormat::Azure => (azure::decode(value)?, Vec::new()),
        ProxyFormat::XfccHash | ProxyFormat::Fingerprint => return Err(Reason::HashOnly),
    };
    Ok((leaf, chain, None))
}

/// A `,` in a value that holds one certificate: two field lines an HTTP library joined (RFC
/// 9110 section 5.3), the first of them client-sent when the proxy appends its own (HAProxy
/// `add-header`, Caddy `header_up +…`, Apache `RequestHeader add`). PEM, base64 and hex hold
/// no `,`. Only Envoy's XFCC (one element per hop), its JSON, Traefik's list and RFC 9440's
/// structured fields (read by their own parsers) have one.
fn reject_joined(format: ProxyFormat, value: &[u8]) -> Result<(), Reason> {
    use ProxyFormat::*;
    if matches!(
        format,
        ClientCert | Xfcc | XfccJson | XfccHash | Traefik | BareDer
    ) {
        // BareDer: its decoder refuses the `,` itself (and its chain header's too).
        return Ok(());
    }
    match memchr::memchr(b',', value) {
        Some(position) => Err(Reason::JoinedValues { position }),
        None => Ok(()),
    }
}

/// One header per chain certificate, in order: each holds one certificate in `format`; blank
/// lines (and Apache's `(null)`) after the last are "no more", before one a gap.
fn numbered_chain(format: ProxyFormat, lines: &[&[u8]]) -> Result<Vec<Vec<u8>>, Located> {
    let mut chain = Vec::new();
    let mut ended_at = None;
    for (index, line) in lines.iter().enumerate() {
        if is_blank(line) {
            ended_at.get_or_insert(index);
            continue;
        }
        let at = |reason| (Part::Chain(index), reason);
        if ended_at.is_some() {
            return Err(at(Reason::ChainGap { index }));
        }
        if index >= MAX_CHAIN_LEN {
            return Err(at(Reason::TooManyCertificates));
        }
        let member = |reason| {
            at(Reason::ChainMember {
                index,
                reason: Box::new(reason),
            })
        };
        reject_joined(format, line).map_err(member)?;
        check_size(line.len()).map_err(member)?;
        match decode_value(format, line).map_err(member)? {
            (der, rest, _) if rest.is_empty() => chain.push(der),
            (_, rest, _) => {
                return Err(member(Reason::NotOneCertificate {
                    count: rest.len().saturating_add(1),
                }));
            }
        }
    }
    Ok(chain)
}

/// HAProxy's `%[ssl_c_chain_der,base64]`: each line in turn (in practice one).
fn concatenated_chain(lines: &[&[u8]]) -> Result<Vec<Vec<u8>>, Located> {
    let mut chain = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let at = |reason| (Part::Chain(index), reason);
        // A blank line is no chain, whatever its length; any other is bounded as a value is.
        if !line.trim_ascii().is_empty() {
            check_size(line.len()).map_err(at)?;
        }
        chain.extend(bare_der::decode_concatenated_chain(line).map_err(at)?);
        if chain.len() > MAX_CHAIN_LEN {
            return Err(at(Reason::TooManyCertificates));
        }
    }
    Ok(chain)
}

#[cfg(test)]
mod tests;

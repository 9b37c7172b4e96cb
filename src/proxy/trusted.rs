//! The explicit decision that the peer is the proxy, and the one way to decode its headers.

use alloc::vec::Vec;
use core::net::IpAddr;

use super::error::Reason;
use super::{
    ForwardedCertificate, ForwardedCertificateError, MAX_CHAIN_LEN, ProxyFormat, alb, apache,
    bare_der, client_cert, cloudfront, escaped_pem, xfcc,
};

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

    /// Decodes one header value in `format`: the leaf, and the chain where the format
    /// carries it in the same value (see [the formats](super#formats)).
    ///
    /// It always yields a certificate or an error, so Apache's `(null)` ("no client
    /// certificate") is [`Reason::NoCertificate`] here; reading a `HeaderMap` with the
    /// `http` feature turns it, and the empty values nginx and HAProxy send, into "no
    /// certificate" instead.
    ///
    /// ```
    /// use rfc8705::proxy::{ProxyFormat, Reason, TrustedProxy};
    /// let proxy = TrustedProxy::the_peer_is_my_proxy();
    /// // nginx `$ssl_client_escaped_cert` of the RFC 8705 Appendix A certificate.
    /// let value = "-----BEGIN%20CERTIFICATE-----%0AMIIBBjCBrAIBAjAKBggqhkjOPQQDAjAPMQ0wCwYDVQQDDARtdGxzMB4XDTE4MTAx%0AODEyMzcwOVoXDTIyMDUwMjEyMzcwOVowDzENMAsGA1UEAwwEbXRsczBZMBMGByqG%0ASM49AgEGCCqGSM49AwEHA0IABNcnyxwqV6hY8QnhxxzFQ03C7HKW9OylMbnQZjjJ%0A%2FAu08%2FcoZwxS7LfA4vOLS9WuneIXhbGGWvsDSb0tH6IxLm8wCgYIKoZIzj0EAwID%0ASQAwRgIhAP0RC1E%2BvwJD%2FD1AGHGzuri%2BhlV%2FPpQEKTWUVeORWz83AiEA5x2eXZOV%0AbUlJSGQgjwD5vaUaKlLR50Q2DmFfQj1L%2BSY%3D%0A-----END%20CERTIFICATE-----%0A";
    /// let fwd = proxy.decode("escaped-pem".parse()?, value)?;
    /// assert_eq!(fwd.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// let null = proxy.decode(ProxyFormat::Apache, "(null)").unwrap_err();
    /// assert_eq!(null.reason(), &Reason::NoCertificate);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode(
        &self,
        format: ProxyFormat,
        value: impl AsRef<[u8]>,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError> {
        self.read(format, value.as_ref(), None::<[&[u8]; 0]>)
            .and_then(|fwd| fwd.ok_or(Reason::NoCertificate))
            .map_err(|reason| ForwardedCertificateError::new(format, reason))
    }

    /// Decodes a header value and the separate chain header that came with it, for the
    /// formats that have one:
    ///
    /// * `client-cert`: the `Client-Cert-Chain` field lines, zero or more (RFC 9440 section
    ///   2.3: it "MAY have a list of values or occur multiple times"), in order;
    /// * `bare-der`: HAProxy's `%[ssl_c_chain_der,base64]` header, the chain certificates'
    ///   DER concatenated in one base64 string (empty: no chain). The certificate value must
    ///   then hold the leaf alone.
    ///
    /// Every other format carries its chain in the value: a non-blank chain line is
    /// [`Reason::NoSeparateChain`].
    ///
    /// ```
    /// # use rfc8705::proxy::{ProxyFormat, TrustedProxy};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// # let b64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(&der);
    /// let leaf = format!(":{b64}:");
    /// let chain = format!("{leaf}, {leaf}"); // two (here: identical) issuers
    /// let proxy = TrustedProxy::the_peer_is_my_proxy();
    /// let cert = proxy.decode_with_chain(ProxyFormat::ClientCert, &leaf, [&chain])?;
    /// assert_eq!(cert.chain().count(), 2);
    /// # Ok::<(), rfc8705::proxy::ForwardedCertificateError>(())
    /// ```
    pub fn decode_with_chain<I, V>(
        &self,
        format: ProxyFormat,
        value: impl AsRef<[u8]>,
        chain_lines: I,
    ) -> Result<ForwardedCertificate, ForwardedCertificateError>
    where
        I: IntoIterator<Item = V>,
        V: AsRef<[u8]>,
    {
        self.read(format, value.as_ref(), Some(chain_lines))
            .and_then(|fwd| fwd.ok_or(Reason::NoCertificate))
            .map_err(|reason| ForwardedCertificateError::new(format, reason))
    }

    /// The certificate of `value` (`None` only for Apache's `(null)`), with the chain from
    /// `chain_lines` when given, else from the value.
    pub(crate) fn read<I, V>(
        &self,
        format: ProxyFormat,
        value: &[u8],
        chain_lines: Option<I>,
    ) -> Result<Option<ForwardedCertificate>, Reason>
    where
        I: IntoIterator<Item = V>,
        V: AsRef<[u8]>,
    {
        let (der, listed) = match format {
            ProxyFormat::ClientCert => (client_cert::decode(value)?, Vec::new()),
            ProxyFormat::Xfcc => xfcc::decode_last(value)?,
            ProxyFormat::EscapedPem => escaped_pem::decode(value)?,
            ProxyFormat::Alb => alb::decode(value)?,
            ProxyFormat::BareDer => bare_der::decode(value)?,
            ProxyFormat::Apache => match apache::decode(value)? {
                Some(decoded) => decoded,
                None => return Ok(None),
            },
            ProxyFormat::CloudFront => (cloudfront::decode(value)?, Vec::new()),
        };
        let chain = match (format, chain_lines) {
            (_, None) => listed,
            (ProxyFormat::ClientCert, Some(lines)) => client_cert::decode_chain(lines)?,
            (ProxyFormat::BareDer, Some(lines)) => {
                // The value holds the leaf alone; its chain comes from the other header.
                if !listed.is_empty() {
                    return Err(Reason::TooManyCertificates);
                }
                concatenated_chain(lines)?
            }
            (_, Some(lines)) => {
                if lines
                    .into_iter()
                    .any(|l| !l.as_ref().trim_ascii().is_empty())
                {
                    return Err(Reason::NoSeparateChain);
                }
                listed
            }
        };
        ForwardedCertificate::new(der, chain, format).map(Some)
    }
}

/// HAProxy's `%[ssl_c_chain_der,base64]`: each line in turn (in practice one).
fn concatenated_chain<I, V>(lines: I) -> Result<Vec<Vec<u8>>, Reason>
where
    I: IntoIterator<Item = V>,
    V: AsRef<[u8]>,
{
    let mut chain = Vec::new();
    for line in lines {
        chain.extend(bare_der::decode_concatenated_chain(line.as_ref())?);
        if chain.len() > MAX_CHAIN_LEN {
            return Err(Reason::TooManyCertificates);
        }
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::super::testing;
    use super::*;
    use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};
    use alloc::string::ToString;
    use alloc::vec;

    fn proxy() -> TrustedProxy {
        TrustedProxy::the_peer_is_my_proxy()
    }

    #[test]
    fn every_format_decodes_its_own_value() {
        let der = rfc8705_appendix_a_der();
        let pem = rfc8705_appendix_a_pem().as_bytes();
        let cert = testing::escaped_pem(pem);
        let values = [
            (ProxyFormat::ClientCert, testing::client_cert(&der)),
            (
                ProxyFormat::Xfcc,
                alloc::format!("By=spiffe://p;Cert=\"{cert}\""),
            ),
            (ProxyFormat::EscapedPem, cert.clone()),
            (ProxyFormat::Alb, testing::alb(pem)),
            (ProxyFormat::BareDer, testing::bare_der([&der])),
            (ProxyFormat::Apache, testing::apache(pem)),
            (ProxyFormat::CloudFront, cert),
        ];
        assert_eq!(values.len(), ProxyFormat::ALL.len());
        for (format, value) in values {
            let fwd = proxy().decode(format, &value).unwrap();
            assert_eq!((fwd.der(), fwd.format()), (&der[..], format));
        }
    }

    #[test]
    fn errors_name_the_format() {
        let err = proxy().decode(ProxyFormat::Apache, " (null) ").unwrap_err();
        assert_eq!(
            (err.format(), err.reason()),
            (ProxyFormat::Apache, &Reason::NoCertificate)
        );
        let err = proxy().decode(ProxyFormat::Xfcc, "").unwrap_err();
        assert_eq!(
            (err.format(), err.reason()),
            (ProxyFormat::Xfcc, &Reason::Empty)
        );
        assert_eq!(err.to_string(), "xfcc: the value is empty");
    }

    #[test]
    fn separate_chains() {
        let der = rfc8705_appendix_a_der();
        let leaf = testing::bare_der([&der]);
        let chain = testing::bare_der([[der.clone(), der.clone()].concat()]);
        let fwd = proxy()
            .decode_with_chain(ProxyFormat::BareDer, &leaf, [&chain])
            .unwrap();
        assert_eq!(fwd.chain().count(), 2);
        // With a chain header, the certificate header holds the leaf alone.
        let two = testing::bare_der([&der, &der]);
        let err = proxy()
            .decode_with_chain(ProxyFormat::BareDer, &two, [""])
            .unwrap_err();
        assert_eq!(err.reason(), &Reason::TooManyCertificates);
        // Without one, the value's own list is the chain.
        assert_eq!(
            proxy()
                .decode(ProxyFormat::BareDer, &two)
                .unwrap()
                .chain()
                .count(),
            1
        );
        // Formats that carry their chain in the value have no chain header.
        let pem = testing::escaped_pem(rfc8705_appendix_a_pem().as_bytes());
        let err = proxy()
            .decode_with_chain(ProxyFormat::EscapedPem, &pem, [&leaf])
            .unwrap_err();
        assert_eq!(err.reason(), &Reason::NoSeparateChain);
        let ok = proxy().decode_with_chain(ProxyFormat::EscapedPem, &pem, [" "]);
        assert_eq!(ok.unwrap().der(), &der[..]);
        let over = vec![chain.as_str(); MAX_CHAIN_LEN / 2 + 1];
        let err = proxy()
            .decode_with_chain(ProxyFormat::BareDer, &leaf, over)
            .unwrap_err();
        assert_eq!(err.reason(), &Reason::TooManyCertificates);
    }

    #[test]
    fn the_der_is_checked() {
        let err = proxy()
            .decode(ProxyFormat::ClientCert, ":AQID:")
            .unwrap_err();
        assert!(matches!(err.reason(), Reason::NotDer(_)));
        let chain = testing::client_cert(&[1, 2, 3]);
        let leaf = testing::client_cert(&rfc8705_appendix_a_der());
        let err = proxy()
            .decode_with_chain(ProxyFormat::ClientCert, &leaf, [&chain])
            .unwrap_err();
        assert!(matches!(err.reason(), Reason::ChainNotDer { index: 0, .. }));
    }
}

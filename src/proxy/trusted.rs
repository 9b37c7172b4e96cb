//! The explicit decision that the peer is the proxy, and the one way to decode its headers.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use super::error::Reason;
use super::{
    ForwardedCertificate, ForwardedCertificateError, MAX_CHAIN_LEN, ProxyFormat, alb, apache,
    azure, bare_der, check_size, client_cert, cloudfront, escaped_pem, xfcc,
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
    ///   DER concatenated in one base64 string (empty: no chain); the value must then hold
    ///   the leaf alone;
    /// * `escaped-pem`, `alb`, `apache`, `cloudfront`, `azure`: one header per chain
    ///   certificate (`…_0`, `…_1`, …, as Keycloak reads Apache's and HAProxy's), in that
    ///   order, each holding one certificate in the value's format. Empty values (and Apache's
    ///   `(null)`) after the last certificate are "no more"; one before a certificate is a gap
    ///   ([`Reason::ChainGap`]). The value must then hold the leaf alone;
    /// * `xfcc`, `xfcc-json`: the chain is in the value; a non-blank chain line is
    ///   [`Reason::NoSeparateChain`].
    ///
    /// It always yields a certificate or an error, so Apache's `(null)` ("no client
    /// certificate") is [`Reason::NoCertificate`] here; reading a `HeaderMap` with the
    /// `http` feature turns it, and the empty values nginx and HAProxy send, into "no
    /// certificate" instead.
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
            .and_then(|fwd| fwd.ok_or(Reason::NoCertificate))
            .map_err(|reason| ForwardedCertificateError::new(format, reason))
    }

    /// The certificate of `value` (`None` only for Apache's `(null)`), with the chain from
    /// `chain` lines when the format keeps it apart, else from the value.
    pub(crate) fn read(
        &self,
        format: ProxyFormat,
        value: &[u8],
        chain: &[&[u8]],
    ) -> Result<Option<ForwardedCertificate>, Reason> {
        use ProxyFormat::*;
        if matches!(format, EscapedPem | Alb | Apache | CloudFront | Azure) {
            reject_joined(format, value)?;
        }
        let Some((der, listed)) = decode_value(format, value)? else {
            return Ok(None);
        };
        // No chain: no chain lines, or only empty ones (and Apache's `(null)`, which its
        // unused `…_CHAIN_n` headers hold).
        let blank = |line: &&[u8]| {
            let line = line.trim_ascii();
            line.is_empty() || (format == Apache && line == apache::NO_CERTIFICATE.as_bytes())
        };
        let chain = match format {
            _ if chain.iter().all(blank) => listed,
            ClientCert => client_cert::decode_chain(chain)?,
            Xfcc | XfccJson => return Err(Reason::NoSeparateChain),
            // The value holds the leaf alone; its chain comes from the other header(s).
            _ if !listed.is_empty() => {
                return Err(Reason::NotOneCertificate {
                    count: listed.len().saturating_add(1),
                });
            }
            BareDer => concatenated_chain(chain)?,
            EscapedPem | Alb | Apache | CloudFront | Azure => numbered_chain(format, chain)?,
        };
        ForwardedCertificate::new(der, chain).map(Some)
    }
}

/// The leaf and the chain listed in the value itself; `None` for Apache's `(null)`.
///
/// Every certificate value, and every numbered chain header, enters the decoders here: its
/// size is checked here, once, and not by the decoders.
#[allow(clippy::type_complexity)] // (leaf, chain), as every decoder of this module returns.
fn decode_value(
    format: ProxyFormat,
    value: &[u8],
) -> Result<Option<(Vec<u8>, Vec<Vec<u8>>)>, Reason> {
    check_size(value.len())?;
    Ok(Some(match format {
        ProxyFormat::ClientCert => (client_cert::decode(value)?, Vec::new()),
        ProxyFormat::Xfcc => xfcc::decode_last(value)?,
        ProxyFormat::XfccJson => xfcc::json::decode_last(value)?,
        ProxyFormat::EscapedPem => escaped_pem::decode(value)?,
        ProxyFormat::Alb => alb::decode(value)?,
        ProxyFormat::BareDer => bare_der::decode(value)?,
        ProxyFormat::Apache => return apache::decode(value),
        ProxyFormat::CloudFront => (cloudfront::decode(value)?, Vec::new()),
        ProxyFormat::Azure => (azure::decode(value)?, Vec::new()),
    }))
}

/// A `,` in a value whose format never writes one: two field lines an HTTP library joined
/// (RFC 9110 section 5.3), one of them not the proxy's. PEM and base64 hold no `,`; only
/// Traefik's bare base64 list, which `escaped-pem` also reads, is `,`-separated.
fn reject_joined(format: ProxyFormat, value: &[u8]) -> Result<(), Reason> {
    let Some(position) = value.iter().position(|&b| b == b',') else {
        return Ok(());
    };
    let pem = value.windows(10).any(|w| w == b"-----BEGIN");
    if pem || format == ProxyFormat::Azure {
        return Err(Reason::JoinedValues { position });
    }
    Ok(())
}

/// One header per chain certificate, in order: each holds one certificate in `format`; blank
/// lines (and Apache's `(null)`) after the last are "no more", before one a gap.
fn numbered_chain(format: ProxyFormat, lines: &[&[u8]]) -> Result<Vec<Vec<u8>>, Reason> {
    let mut chain = Vec::new();
    let mut ended_at = None;
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() || trimmed == apache::NO_CERTIFICATE.as_bytes() {
            ended_at.get_or_insert(index);
            continue;
        }
        if ended_at.is_some() {
            return Err(Reason::ChainGap { index });
        }
        if index >= MAX_CHAIN_LEN {
            return Err(Reason::TooManyCertificates);
        }
        let member = |reason| Reason::ChainMember {
            index,
            reason: Box::new(reason),
        };
        reject_joined(format, line).map_err(member)?;
        match decode_value(format, line).map_err(member)? {
            Some((der, rest)) if rest.is_empty() => chain.push(der),
            Some((_, rest)) => {
                return Err(member(Reason::NotOneCertificate {
                    count: rest.len().saturating_add(1),
                }));
            }
            None => return Err(member(Reason::NoCertificate)),
        }
    }
    Ok(chain)
}

/// HAProxy's `%[ssl_c_chain_der,base64]`: each line in turn (in practice one).
fn concatenated_chain(lines: &[&[u8]]) -> Result<Vec<Vec<u8>>, Reason> {
    let mut chain = Vec::new();
    for line in lines {
        // A blank line is no chain, whatever its length; any other is bounded as a value is.
        if !line.trim_ascii().is_empty() {
            check_size(line.len())?;
        }
        chain.extend(bare_der::decode_concatenated_chain(line)?);
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
    use alloc::string::{String, ToString};
    use alloc::vec;

    fn proxy() -> TrustedProxy {
        TrustedProxy::the_peer_is_my_proxy()
    }

    /// The RFC 8705 Appendix A certificate as `format`'s proxy writes it.
    fn own_value(format: ProxyFormat) -> String {
        let der = rfc8705_appendix_a_der();
        let pem = rfc8705_appendix_a_pem().as_bytes();
        match format {
            ProxyFormat::ClientCert => testing::client_cert(&der),
            ProxyFormat::Xfcc => {
                alloc::format!("By=spiffe://p;Cert=\"{}\"", testing::escaped_pem(pem))
            }
            // Envoy's JSON: lower-case keys, plain PEM in a JSON string.
            ProxyFormat::XfccJson => alloc::format!(
                "[{{\"by\":[\"spiffe://p\"],\"cert\":{}}}]",
                serde_json::to_string(rfc8705_appendix_a_pem()).unwrap()
            ),
            ProxyFormat::EscapedPem | ProxyFormat::CloudFront => testing::escaped_pem(pem),
            ProxyFormat::Alb => testing::alb(pem),
            ProxyFormat::BareDer | ProxyFormat::Azure => testing::bare_der([&der]),
            ProxyFormat::Apache => testing::apache(pem),
        }
    }

    #[test]
    fn every_format_decodes_its_own_value() {
        let der = rfc8705_appendix_a_der();
        for format in ProxyFormat::ALL {
            let fwd = proxy().decode(format, own_value(format), &[]).unwrap();
            assert_eq!(fwd.der(), &der[..], "{format}");
        }
    }

    /// One size limit, checked before any decoder reads a value: the certificate value, each
    /// numbered chain header, HAProxy's chain header and the `Client-Cert-Chain` lines
    /// together are each at most `MAX_FIELD_VALUE_LEN` bytes, whitespace included.
    #[test]
    fn one_size_limit_for_every_value() {
        const MAX: usize = super::super::MAX_FIELD_VALUE_LEN;
        let der = rfc8705_appendix_a_der();
        // Every format ignores spaces around the value: pad a good one to `len` bytes.
        let padded = |format, len: usize| {
            let value = own_value(format);
            value.clone() + &" ".repeat(len - value.len())
        };
        let too_large = Reason::TooLarge { len: MAX + 1 };
        for format in ProxyFormat::ALL {
            let at = padded(format, MAX);
            let fwd = proxy().decode(format, &at, &[]).unwrap();
            assert_eq!(fwd.der(), &der[..], "{format}");
            let over = proxy().decode(format, padded(format, MAX + 1), &[]);
            assert_eq!(over.unwrap_err().reason(), &too_large, "{format}");
            // Whatever the content: the size is checked first.
            let junk = "A".repeat(MAX + 1);
            let err = proxy().decode(format, &junk, &[]).unwrap_err();
            assert_eq!(err.reason(), &too_large, "{format}");

            // A chain header holds a value in the same format, and the same limit.
            let own = own_value(format);
            let at_chain = proxy().decode(format, &own, &[at.as_bytes()]);
            let over_chain = proxy().decode(format, &own, &[padded(format, MAX + 1).as_bytes()]);
            match format {
                ProxyFormat::Xfcc | ProxyFormat::XfccJson => {
                    assert_eq!(at_chain.unwrap_err().reason(), &Reason::NoSeparateChain);
                    let err = over_chain.unwrap_err();
                    assert_eq!(err.reason(), &Reason::NoSeparateChain);
                }
                ProxyFormat::ClientCert | ProxyFormat::BareDer => {
                    assert_eq!(at_chain.unwrap().chain().count(), 1, "{format}");
                    assert_eq!(over_chain.unwrap_err().reason(), &too_large, "{format}");
                }
                _ => {
                    assert_eq!(at_chain.unwrap().chain().count(), 1, "{format}");
                    let member = Reason::ChainMember {
                        index: 0,
                        reason: Box::new(too_large.clone()),
                    };
                    assert_eq!(over_chain.unwrap_err().reason(), &member, "{format}");
                }
            }
        }
        // `Client-Cert-Chain` lines are one list: their lengths add up.
        let leaf = own_value(ProxyFormat::ClientCert);
        let first = padded(ProxyFormat::ClientCert, MAX / 2);
        let second = padded(ProxyFormat::ClientCert, MAX - MAX / 2);
        let lines = [first.as_bytes(), second.as_bytes()];
        let fwd = proxy().decode(ProxyFormat::ClientCert, &leaf, &lines);
        assert_eq!(fwd.unwrap().chain().count(), 2);
        let second = second + " ";
        let lines = [first.as_bytes(), second.as_bytes()];
        let err = proxy().decode(ProxyFormat::ClientCert, &leaf, &lines);
        assert_eq!(err.unwrap_err().reason(), &too_large);
        // A blank chain header is no chain, however long.
        let blank = " ".repeat(MAX + 1);
        for format in [ProxyFormat::BareDer, ProxyFormat::Apache] {
            let fwd = proxy().decode(format, own_value(format), &[blank.as_bytes()]);
            assert_eq!(fwd.unwrap().chain().count(), 0, "{format}");
        }
    }

    #[test]
    fn errors_name_the_format() {
        let err = proxy()
            .decode(ProxyFormat::Apache, " (null) ", &[])
            .unwrap_err();
        assert_eq!(
            (err.format(), err.reason()),
            (ProxyFormat::Apache, &Reason::NoCertificate)
        );
        let err = proxy().decode(ProxyFormat::Xfcc, "", &[]).unwrap_err();
        assert_eq!(
            (err.format(), err.reason()),
            (ProxyFormat::Xfcc, &Reason::Empty)
        );
        assert_eq!(err.to_string(), "xfcc: the value is empty");
    }

    #[test]
    fn trusted_ranges() {
        let nets: [IpNet; 2] = [
            "10.0.0.0/24".parse().unwrap(),
            "2001:db8::/64".parse().unwrap(),
        ];
        for (peer, trusted) in [
            ("10.0.0.1", true),
            ("10.0.0.255", true),
            ("10.0.1.0", false),
            ("::ffff:10.0.0.9", true),
            ("2001:db8::7", true),
            ("2001:db8:1::7", false),
            ("203.0.113.9", false),
        ] {
            let peer: IpAddr = peer.parse().unwrap();
            assert_eq!(
                TrustedProxy::if_peer_in(peer, &nets).is_some(),
                trusted,
                "{peer}"
            );
        }
        assert!(TrustedProxy::if_peer_in("10.0.0.1".parse().unwrap(), &[]).is_none());
    }

    #[test]
    fn separate_chains() {
        let der = rfc8705_appendix_a_der();
        let leaf = testing::bare_der([&der]);
        let chain = testing::bare_der([[der.clone(), der.clone()].concat()]);
        let fwd = proxy()
            .decode(ProxyFormat::BareDer, &leaf, &[chain.as_bytes()])
            .unwrap();
        assert_eq!(fwd.chain().count(), 2);
        // With a chain header, the certificate header holds the leaf alone.
        let two = testing::bare_der([&der, &der]);
        let err = proxy()
            .decode(ProxyFormat::BareDer, &two, &[chain.as_bytes()])
            .unwrap_err();
        assert_eq!(err.reason(), &Reason::NotOneCertificate { count: 2 });
        // Without one (or with a blank one), the value's own list is the chain.
        assert_eq!(
            proxy()
                .decode(ProxyFormat::BareDer, &two, &[b" "])
                .unwrap()
                .chain()
                .count(),
            1
        );
        // XFCC carries its chain in the value.
        let xfcc = alloc::format!(
            "Cert=\"{}\"",
            testing::escaped_pem(rfc8705_appendix_a_pem().as_bytes())
        );
        let err = proxy()
            .decode(ProxyFormat::Xfcc, &xfcc, &[leaf.as_bytes()])
            .unwrap_err();
        assert_eq!(err.reason(), &Reason::NoSeparateChain);
        let over = vec![chain.as_bytes(); MAX_CHAIN_LEN / 2 + 1];
        let err = proxy()
            .decode(ProxyFormat::BareDer, &leaf, &over)
            .unwrap_err();
        assert_eq!(err.reason(), &Reason::TooManyCertificates);
    }

    #[test]
    fn numbered_chains() {
        let der = rfc8705_appendix_a_der();
        let pem = testing::apache(rfc8705_appendix_a_pem().as_bytes());
        let p = pem.as_bytes();
        let fwd = proxy()
            .decode(ProxyFormat::Apache, p, &[p, p, b"(null)", b""])
            .unwrap();
        assert_eq!(fwd.chain().collect::<Vec<_>>(), [&der[..], &der[..]]);
        // Unused chain headers, and the chain in the value itself.
        let fwd = proxy()
            .decode(
                ProxyFormat::Apache,
                String::from(pem.as_str()) + &pem,
                &[b"(null)"],
            )
            .unwrap();
        assert_eq!(fwd.chain().count(), 1);
        let gap = proxy()
            .decode(ProxyFormat::Apache, p, &[p, b"(null)", p])
            .unwrap_err();
        assert_eq!(gap.reason(), &Reason::ChainGap { index: 2 });
        let bad = proxy()
            .decode(ProxyFormat::Apache, p, &[b"MIIB"])
            .unwrap_err();
        assert!(matches!(bad.reason(), Reason::ChainMember { index: 0, .. }));
        let two = String::from(pem.as_str()) + &pem;
        let err = proxy().decode(ProxyFormat::Apache, &two, &[p]).unwrap_err();
        assert_eq!(err.reason(), &Reason::NotOneCertificate { count: 2 });
        let over = vec![p; MAX_CHAIN_LEN + 1];
        let err = proxy().decode(ProxyFormat::Apache, p, &over).unwrap_err();
        assert_eq!(err.reason(), &Reason::TooManyCertificates);
        // Each chain header holds one certificate in the value's format.
        let b64 = testing::bare_der([&der]);
        let fwd = proxy()
            .decode(ProxyFormat::Azure, &b64, &[b64.as_bytes()])
            .unwrap();
        assert_eq!(fwd.chain().count(), 1);
    }

    #[test]
    fn joined_values_are_refused() {
        let pem = testing::escaped_pem(rfc8705_appendix_a_pem().as_bytes());
        let joined = alloc::format!("{pem},{pem}");
        for format in [
            ProxyFormat::EscapedPem,
            ProxyFormat::CloudFront,
            ProxyFormat::Alb,
        ] {
            let err = proxy().decode(format, &joined, &[]).unwrap_err();
            assert_eq!(
                err.reason(),
                &Reason::JoinedValues {
                    position: pem.len()
                }
            );
        }
        let apache = testing::apache(rfc8705_appendix_a_pem().as_bytes());
        let joined = alloc::format!("{apache}, {apache}");
        let err = proxy()
            .decode(ProxyFormat::Apache, &joined, &[])
            .unwrap_err();
        assert!(matches!(err.reason(), Reason::JoinedValues { .. }));
        let b64 = testing::bare_der([rfc8705_appendix_a_der()]);
        let joined = alloc::format!("{b64},{b64}");
        let err = proxy()
            .decode(ProxyFormat::Azure, &joined, &[])
            .unwrap_err();
        assert!(matches!(err.reason(), Reason::JoinedValues { .. }));
        // Traefik's list, also read as escaped-pem, is `,`-separated by design.
        assert!(
            proxy()
                .decode(ProxyFormat::EscapedPem, &joined, &[])
                .is_ok()
        );
    }

    #[test]
    fn the_der_is_checked() {
        let err = proxy()
            .decode(ProxyFormat::ClientCert, ":AQID:", &[])
            .unwrap_err();
        assert!(matches!(err.reason(), Reason::NotDer(_)));
        let chain = testing::client_cert(&[1, 2, 3]);
        let leaf = testing::client_cert(&rfc8705_appendix_a_der());
        let err = proxy()
            .decode(ProxyFormat::ClientCert, &leaf, &[chain.as_bytes()])
            .unwrap_err();
        assert!(matches!(err.reason(), Reason::ChainNotDer { index: 0, .. }));
        let _ = leaf.to_string();
    }
}

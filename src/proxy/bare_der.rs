//! Bare base64 DER, no PEM armour: HAProxy `%[ssl_c_der,base64]`, Caddy
//! `{http.request.tls.client.certificate_der_base64}` (`bare-der`), and Traefik
//! `passTLSClientCert: { pem: true }` (`traefik`).
//!
//! **HAProxy** has no certificate header of its own; the deployment writes one with a sample
//! fetch and a converter, e.g. `http-request set-header X-SSL-Client-Cert
//! %[ssl_c_der,base64]`. Its configuration manual: `ssl_c_der` "Returns the DER formatted
//! certificate presented by the client when the incoming connection was made over an SSL/TLS
//! transport layer", and the `base64` converter "Converts a binary input sample to a base64
//! string" (standard alphabet, `=` padding, one line). The value is one certificate, the leaf.
//! **Caddy** (2.6) writes the same with `header_up X-Client-Cert
//! {http.request.tls.client.certificate_der_base64}`.
//!
//! A `bare-der` value holds one certificate, so a `,` in it is refused
//! ([`Reason::JoinedValues`]): two field lines an HTTP library joined, the first of them
//! client-sent when a proxy appends (`add-header`, `header_up +…`) instead of replacing.
//!
//! **Traefik** (`pkg/middlewares/passtlsclientcert/pass_tls_client_cert.go`) writes
//! `X-Forwarded-Tls-Client-Cert`: for every certificate of `req.TLS.PeerCertificates` (leaf
//! first, "in the order in which they were sent") it PEM-encodes the DER, then `sanitize`
//! removes `-----BEGIN CERTIFICATE-----`, `-----END CERTIFICATE-----` and every `\n`, and the
//! results are joined with `,`. Despite the option's name and its documentation ("Pass the
//! escaped pem"), the value is therefore base64 DER *without* armour. Up to v2.9, `sanitize`
//! also applied Go's `url.QueryEscape` (so `+`, `/`, `=` arrive as `%2B`, `%2F`, `%3D`);
//! traefik/traefik#9412 ("Remove raw cert escape in PassTLSClientCert middleware") dropped
//! it, so current v2 and v3 send the base64 raw. The `traefik` format reads that list: the
//! first member is the leaf, the others its chain in the order sent. Its `,` is the list's
//! own separator, so two joined field lines read as one longer list: only Traefik's removal
//! of client-sent copies (its entry point does it unless the client is in
//! `forwardedHeaders.trustedIPs`) keeps the leaf Traefik's.
//!
//! HAProxy can also send the rest of the chain, in a second header:
//! `http-request set-header X-SSL-Client-Cert-Chain %[ssl_c_chain_der,base64]`. `ssl_c_chain_der`
//! "Returns the DER formatted chain certificate presented by the client" — OpenSSL's
//! `SSL_get_peer_cert_chain`, which on a server excludes the leaf — as the certificates' DER
//! concatenated, so the whole chain is one base64 string. [`decode_concatenated_chain`] splits
//! it by DER framing.
//!
//! A raw `+` is the base64 character, never a space: neither proxy escapes a space, and form
//! decoding would destroy the certificate.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::vec::Vec;

use super::MAX_CHAIN_LEN;
use super::base64;
use super::error::Reason;
use super::percent::percent_decode;
use crate::cert::{CertificateError, check_der_framing};

/// Decodes a `bare-der` value: the base64 DER of one certificate.
///
/// Accepts: whitespace around the value, `=` padding or none. Rejects: a `,`
/// ([`Reason::JoinedValues`]), PEM armour, characters outside the base64 alphabet (line
/// breaks and `%` included).
pub(crate) fn decode(value: &[u8]) -> Result<Vec<u8>, Reason> {
    let start = value.len() - value.trim_ascii_start().len();
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(Reason::Empty);
    }
    if let Some(position) = memchr::memchr(b',', value) {
        return Err(Reason::JoinedValues {
            position: start + position,
        });
    }
    base64::decode(value).map_err(|e| {
        // A PEM block (escaped or not) is a configuration mix-up: name it. Only a failed
        // decode needs the scan: base64 has no `-`.
        if value.windows(5).any(|w| w == b"-----") {
            Reason::LooksLikePem
        } else {
            base64::reason(e, start)
        }
    })
}

/// Decodes a `traefik` value to the leaf's DER and the DER of the certificates after it.
///
/// Accepts: whitespace around the value and around each member, `=` padding or none,
/// `%XX` escapes (either case; Traefik up to v2.9). Rejects: PEM armour, empty members,
/// characters outside the base64 alphabet (line breaks included), more than
/// [`MAX_CHAIN_LEN`] chain certificates.
pub(crate) fn decode_traefik(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(Reason::Empty);
    }
    // Raw base64 holds no `%`: only the escaped form needs the copy.
    let text: Cow<'_, [u8]> = if memchr::memchr(b'%', value).is_some() {
        Cow::Owned(percent_decode(value)?)
    } else {
        Cow::Borrowed(value)
    };
    decode_list(&text).map_err(|e| {
        if text.windows(5).any(|w| w == b"-----") {
            Reason::LooksLikePem
        } else {
            e
        }
    })
}

/// The `,`-separated list, leaf first.
fn decode_list(text: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    // The members between the commas (found by SIMD search: a value is mostly one member).
    let mut start = 0;
    let ends = memchr::memchr_iter(b',', text).chain(core::iter::once(text.len()));
    let mut members = ends
        .map(|end| {
            let member = text.get(start..end).unwrap_or_default();
            start = end + 1;
            member
        })
        .enumerate();
    // `split` yields at least one member.
    let (_, first) = members.next().ok_or(Reason::Empty)?;
    let leaf = decode_member(0, first)?;
    let mut chain = Vec::new();
    for (index, member) in members {
        if index > MAX_CHAIN_LEN {
            return Err(Reason::TooManyCertificates);
        }
        chain.push(decode_member(index, member)?);
    }
    Ok((leaf, chain))
}

/// One member of the list: standard base64, whitespace around it ignored.
fn decode_member(index: usize, member: &[u8]) -> Result<Vec<u8>, Reason> {
    let member = member.trim_ascii();
    if member.is_empty() {
        return Err(Reason::EmptyMember { index });
    }
    base64::decode(member).map_err(|e| Reason::ListMember {
        index,
        reason: Box::new(base64::reason(e, 0)),
    })
}

/// Decodes HAProxy's `%[ssl_c_chain_der,base64]`: one base64 string of the chain
/// certificates' DER, concatenated (the leaf's issuer first; the leaf itself is not included).
/// An empty value (no chain, or no client certificate) is an empty chain.
///
/// Rejects anything but one base64 string (a `,` included), bytes that do not split into
/// whole DER `SEQUENCE`s, more than [`MAX_CHAIN_LEN`] certificates.
pub(crate) fn decode_concatenated_chain(value: &[u8]) -> Result<Vec<Vec<u8>>, Reason> {
    if value.trim_ascii().is_empty() {
        return Ok(Vec::new());
    }
    let all = decode(value)?;
    let mut chain = Vec::new();
    let mut bytes = &all[..];
    while !bytes.is_empty() {
        let index = chain.len();
        if index >= MAX_CHAIN_LEN {
            return Err(Reason::TooManyCertificates);
        }
        // The framing check reports how much follows the first SEQUENCE.
        let len = match check_der_framing(bytes) {
            Ok(()) => bytes.len(),
            Err(CertificateError::TrailingData { extra }) => bytes.len() - extra,
            Err(source) => return Err(Reason::ChainFraming { index, source }),
        };
        let (cert, after) = bytes.split_at_checked(len).unwrap_or((bytes, &[]));
        chain.push(cert.to_vec());
        bytes = after;
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        bare_der as encode, bare_der_query_escaped as encode_query_escaped, escaped_pem,
    };
    use super::*;
    use crate::__doc_support::rfc8705_appendix_a_der;
    use alloc::format;
    use alloc::vec;
    use proptest::prelude::*;

    /// `openssl x509 -outform DER | base64 -w0` of `tests/data/rfc8705-appendix-a.pem` (the
    /// RFC 8705 Appendix A certificate): what HAProxy's `%[ssl_c_der,base64]` sends for it.
    const HAPROXY: &str = "MIIBBjCBrAIBAjAKBggqhkjOPQQDAjAPMQ0wCwYDVQQDDARtdGxzMB4XDTE4MTAxODEyMzcwOVoXDTIyMDUwMjEyMzcwOVowDzENMAsGA1UEAwwEbXRsczBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNcnyxwqV6hY8QnhxxzFQ03C7HKW9OylMbnQZjjJ/Au08/coZwxS7LfA4vOLS9WuneIXhbGGWvsDSb0tH6IxLm8wCgYIKoZIzj0EAwIDSQAwRgIhAP0RC1E+vwJD/D1AGHGzuri+hlV/PpQEKTWUVeORWz83AiEA5x2eXZOVbUlJSGQgjwD5vaUaKlLR50Q2DmFfQj1L+SY=";

    #[test]
    fn haproxy_vector() {
        let der = rfc8705_appendix_a_der();
        assert_eq!(encode([&der]), HAPROXY);
        assert_eq!(decode(HAPROXY.as_bytes()).unwrap(), der);
        // Unpadded, and with the whitespace an HTTP library may leave around a value.
        let unpadded = format!(" {}\t", HAPROXY.trim_end_matches('='));
        assert_eq!(decode(unpadded.as_bytes()).unwrap(), der);
        // Two field lines joined (a proxy that appends): the first may be the client's.
        let joined = format!(" {HAPROXY}, {HAPROXY}");
        let position = HAPROXY.len() + 1;
        assert_eq!(
            decode(joined.as_bytes()),
            Err(Reason::JoinedValues { position })
        );
    }

    #[test]
    fn traefik_v3_and_v2_vectors() {
        let der = rfc8705_appendix_a_der();
        // v2.10+ / v3: raw base64 (with `+` and `/`), `,`-joined.
        let v3 = format!("{HAPROXY},{HAPROXY}");
        assert_eq!(encode([&der, &der]), v3);
        assert_eq!(
            decode_traefik(v3.as_bytes()).unwrap(),
            (der.clone(), vec![der.clone()])
        );
        // Up to v2.9: url.QueryEscape of each member.
        let v2 = HAPROXY
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        assert_eq!(encode_query_escaped([&der]), v2);
        assert_eq!(decode_traefik(v2.as_bytes()).unwrap().0, der);
        let lower = v2.replace("%2F", "%2f");
        assert_eq!(decode_traefik(lower.as_bytes()).unwrap().0, der);
        // Field lines combined by an HTTP library: ", ".
        let combined = format!("{v2}, {HAPROXY}");
        assert_eq!(decode_traefik(combined.as_bytes()).unwrap().1, vec![der]);
        // bare-der has no list, and no escapes.
        assert!(matches!(
            decode(v2.as_bytes()),
            Err(Reason::InvalidCharacter { found, .. }) if found == "%"
        ));
    }

    #[test]
    fn plus_is_not_a_space() {
        // A form decoder turns `+` into a space; here a space is simply not base64.
        let spaced = HAPROXY.replace('+', " ");
        assert!(matches!(
            decode(spaced.as_bytes()),
            Err(Reason::InvalidCharacter { found, .. }) if found == " "
        ));
        assert!(matches!(
            decode_traefik(spaced.as_bytes()),
            Err(Reason::ListMember { index: 0, .. })
        ));
    }

    #[test]
    fn rejections() {
        use Reason::*;
        for decode in [
            |v: &[u8]| decode(v).map(|leaf| (leaf, Vec::new())),
            decode_traefik,
        ] {
            assert_eq!(decode(b""), Err(Empty));
            assert_eq!(decode(b" \t "), Err(Empty));
            let pem = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----";
            assert_eq!(decode(pem.as_bytes()), Err(LooksLikePem));
            let escaped = escaped_pem(pem.as_bytes());
            assert_eq!(decode(escaped.as_bytes()), Err(LooksLikePem));
        }
        assert_eq!(decode(b"AQ=D"), Err(Padding));
        assert_eq!(decode(b"AQIDB"), Err(Length));
        assert!(matches!(decode(b" AQ\nID"), Err(LineBreak { position: 3 })));
        assert_eq!(decode(b" ,AQID"), Err(JoinedValues { position: 1 }));
        assert_eq!(decode(b"AQID,"), Err(JoinedValues { position: 4 }));

        assert_eq!(
            decode_traefik(b"AQID%2"),
            Err(BadPercentEscape { position: 4 })
        );
        assert_eq!(
            decode_traefik(b"AQ%zzID"),
            Err(BadPercentEscape { position: 2 })
        );
        assert_eq!(decode_traefik(b",AQID"), Err(EmptyMember { index: 0 }));
        assert_eq!(decode_traefik(b"AQID,"), Err(EmptyMember { index: 1 }));
        assert_eq!(
            decode_traefik(b"AQID, ,AQID"),
            Err(EmptyMember { index: 1 })
        );
        assert_eq!(
            decode_traefik(b"AQID,AQ\nID"),
            Err(ListMember {
                index: 1,
                reason: Box::new(LineBreak { position: 2 })
            })
        );
        // The URL-safe alphabet is not what these proxies send.
        assert!(matches!(
            decode_traefik(b"ab-_"),
            Err(ListMember { index: 0, reason }) if matches!(*reason, InvalidCharacter { position: 2, .. })
        ));
        let member = |reason| ListMember {
            index: 0,
            reason: Box::new(reason),
        };
        assert_eq!(decode_traefik(b"AQ=D"), Err(member(Padding)));
        assert_eq!(decode_traefik(b"AQIDB"), Err(member(Length)));
        let many = vec![HAPROXY; MAX_CHAIN_LEN + 2].join(",");
        assert_eq!(decode_traefik(many.as_bytes()), Err(TooManyCertificates));
        let most = vec![HAPROXY; MAX_CHAIN_LEN + 1].join(",");
        assert_eq!(
            decode_traefik(most.as_bytes()).unwrap().1.len(),
            MAX_CHAIN_LEN
        );
    }

    #[test]
    fn haproxy_concatenated_chain() {
        let der = rfc8705_appendix_a_der();
        let small = vec![0x30, 0x03, 0x02, 0x01, 0x07];
        let value = encode([[der.clone(), small.clone(), der.clone()].concat()]);
        assert_eq!(
            decode_concatenated_chain(value.as_bytes()).unwrap(),
            vec![der.clone(), small.clone(), der.clone()]
        );
        assert_eq!(
            decode_concatenated_chain(b" ").unwrap(),
            Vec::<Vec<u8>>::new()
        );
        // Rejections: a cut certificate, a non-SEQUENCE, a list, too many.
        let cut = encode([[der.clone(), der[..100].to_vec()].concat()]);
        assert!(matches!(
            decode_concatenated_chain(cut.as_bytes()),
            Err(Reason::ChainFraming {
                index: 1,
                source: CertificateError::Truncated { .. }
            })
        ));
        let junk = encode([[der.clone(), vec![0x04, 0x00]].concat()]);
        assert_eq!(
            decode_concatenated_chain(junk.as_bytes()),
            Err(Reason::ChainFraming {
                index: 1,
                source: CertificateError::NotASequence
            })
        );
        let list = encode([&der, &der]);
        assert!(matches!(
            decode_concatenated_chain(list.as_bytes()),
            Err(Reason::JoinedValues { .. })
        ));
        let most = encode([small.repeat(MAX_CHAIN_LEN)]);
        assert_eq!(
            decode_concatenated_chain(most.as_bytes()).unwrap().len(),
            MAX_CHAIN_LEN
        );
        let over = encode([small.repeat(MAX_CHAIN_LEN + 1)]);
        assert_eq!(
            decode_concatenated_chain(over.as_bytes()),
            Err(Reason::TooManyCertificates)
        );
        assert_eq!(decode_concatenated_chain(b"AQ=D"), Err(Reason::Padding));
    }

    proptest! {
        #[test]
        fn concatenated_chains_round_trip(chain in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 0..200).prop_map(|c| {
                let mut der = vec![0x30];
                if c.len() < 0x80 {
                    der.push(c.len() as u8);
                } else {
                    der.extend([0x81, c.len() as u8]);
                }
                der.extend(c);
                der
            }), 0..=MAX_CHAIN_LEN)
        ) {
            let value = encode([chain.concat()]);
            let value = if chain.is_empty() { alloc::string::String::new() } else { value };
            prop_assert_eq!(decode_concatenated_chain(value.as_bytes()).unwrap(), chain);
        }

        #[test]
        fn round_trips(ders in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 1..300), 1..=MAX_CHAIN_LEN + 1)
        ) {
            for value in [encode(&ders), encode_query_escaped(&ders)] {
                let (leaf, chain) = decode_traefik(value.as_bytes()).unwrap();
                prop_assert_eq!(&leaf, &ders[0]);
                prop_assert_eq!(&chain[..], &ders[1..]);
            }
            prop_assert_eq!(&decode(encode([&ders[0]]).as_bytes()).unwrap(), &ders[0]);
        }

        /// A `bare-der` value that decodes holds no `,`: no joined value yields a certificate.
        #[test]
        fn total(value in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode_traefik(&value);
            if decode(&value).is_ok() {
                prop_assert!(!value.contains(&b','));
            }
        }
    }
}

//! Envoy `x-forwarded-client-cert` in its JSON format, read by `serde_json`.
//!
//! Envoy's changelog (envoyproxy/envoy pull request 43855, 2026): "Added an optional JSON
//! format for the x-forwarded-client-cert (XFCC) header. The format can be configured via
//! `format`" (a field of `set_current_client_cert_details`; an earlier revision of the pull
//! request called it `set_client_cert_format`). What follows is read from Envoy's source at
//! commit `0825c1cecaea3b6389e25d98496942de16208d83`
//! (`source/common/http/conn_manager_utility.cc`, `appendXfccJsonObject` and
//! `applyForwardClientCertConfig`).
//!
//! # What Envoy writes
//!
//! A JSON array with one object per hop; the current hop's object is appended last:
//! "Append a single XFCC JSON object into the output string using the cert information from
//! the connection. The caller is responsible for the surrounding array delimiters." Its keys,
//! in this order, are lower case, each at most once:
//!
//! | key | value | when |
//! |---|---|---|
//! | `by` | array of the proxy's own URI SANs | it has any |
//! | `hash` | hex SHA-256 of the client certificate's DER | always, with a certificate |
//! | `cert` | **plain PEM** (`pemEncodedPeerCertificate`: OpenSSL `PEM_write_bio_X509`), not URL-encoded | `cert: true` |
//! | `chain` | array of plain PEM strings, one certificate each, the leaf first (`SSL_get_peer_full_cert_chain`) | `chain: true`, non-empty |
//! | `subject` | string | `subject: true` |
//! | `uri`, `dns` | arrays of the client certificate's URI and DNS SANs | asked for, non-empty |
//!
//! Every string goes through Envoy's JSON streamer, so no certificate content (a SAN, the
//! subject) can end a string, an object or the array early.
//!
//! How the object reaches the header: with `SANITIZE_SET`, `[` object `]` replaces whatever
//! arrived. With `APPEND_FORWARD`, "For AppendForward with an existing value, match the
//! format of the existing value rather than the configured format to avoid mixing formats":
//! an existing value is JSON when its first byte is `[` and its last `]`, and then "splice the
//! new object in before the closing ']'" — the existing value minus its last byte, `,`, the
//! object, `]` — without parsing it. Any other existing value gets a text element appended
//! (`…,By=…;Hash=…`), which this reader refuses.
//!
//! # What this reader accepts
//!
//! Exactly one JSON array of objects (nothing after it), at most
//! [`MAX_ELEMENTS`](super::MAX_ELEMENTS) of them. The certificate is the `cert` of the
//! **last** object, the one the nearest Envoy appended; its `hash`, when present, must be its
//! SHA-256, and its `chain`, when present, must start with it. In every object `hash` and
//! `cert` must be strings and `chain` an array of strings, each key at most once (`null` is
//! refused: Envoy leaves a key out instead); other keys are skipped, keys are matched as Envoy
//! spells them (`Cert` is not `cert`).
//!
//! Why the client cannot choose the certificate through `APPEND_FORWARD`: it controls every
//! byte before Envoy's `,{"…` and nothing after. For the object to parse as anything but
//! the last element of the top-level array, the client's bytes would have to leave it inside
//! a string (its first `"` then closes that string and a bare key follows), inside an
//! object (where a `{` cannot stand), inside a nested array (the single `]` after it cannot
//! close two levels), or after the top-level array was already closed (text after the
//! array): each is invalid JSON. So a value is either refused or its last object is Envoy's.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::super::error::{Reason, escape_for_display};
use super::super::{MAX_CHAIN_LEN, apache};
use super::{MAX_ELEMENTS, checked};

/// One hop's object: the keys the certificate depends on.
#[derive(Debug, Default)]
struct Hop<'de> {
    hash: Option<Text<'de>>,
    cert: Option<CertPem>,
    chain: Option<Vec<String>>,
}

impl<'de> Deserialize<'de> for Hop<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A map only: a derived struct would also take `["…", "…"]` by position.
        deserializer.deserialize_map(HopVisitor)
    }
}

struct HopVisitor;

impl<'de> Visitor<'de> for HopVisitor {
    type Value = Hop<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an XFCC object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Hop<'de>, A::Error> {
        let mut hop = Hop::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Hash => once(&mut hop.hash, "hash", &mut map)?,
                Key::Cert => once(&mut hop.cert, "cert", &mut map)?,
                Key::Chain => once(&mut hop.chain, "chain", &mut map)?,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(hop)
    }
}

/// A key of a hop's object, read without a copy.
enum Key {
    Hash,
    Cert,
    Chain,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            "hash" => Key::Hash,
            "cert" => Key::Cert,
            "chain" => Key::Chain,
            _ => Key::Other,
        })
    }
}

/// A string, borrowed from the value where it holds no escape (Envoy's `hash` never does).
#[derive(Debug)]
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(text.into())))
    }
}

/// The `cert` string's certificate, decoded from the JSON parser's own unescaped copy of the
/// string (not copied again), or why it is not one. Only the last hop's is used.
#[derive(Debug)]
struct CertPem(Result<Vec<u8>, Reason>);

impl<'de> Deserialize<'de> for CertPem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(CertPemVisitor)
    }
}

struct CertPemVisitor;

impl Visitor<'_> for CertPemVisitor {
    type Value = CertPem;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a PEM string")
    }

    fn visit_str<E: de::Error>(self, pem: &str) -> Result<CertPem, E> {
        Ok(CertPem(one_pem(pem)))
    }
}

/// Reads the value of a key that occurs at most once.
fn once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    slot: &mut Option<T>,
    key: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The array: how many objects, and the last one.
struct Hops<'de> {
    count: usize,
    last: Option<Hop<'de>>,
}

impl<'de> Deserialize<'de> for Hops<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(HopsVisitor)
    }
}

struct HopsVisitor;

impl<'de> Visitor<'de> for HopsVisitor {
    type Value = Hops<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of XFCC objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Hops<'de>, A::Error> {
        let mut hops = Hops {
            count: 0,
            last: None,
        };
        while let Some(hop) = seq.next_element::<Hop>()? {
            hops.count = hops.count.saturating_add(1);
            hops.last = Some(hop);
        }
        Ok(hops)
    }
}

/// Decodes the certificate of the last object of a JSON XFCC value.
pub(crate) fn decode_last(value: &[u8]) -> Result<super::Decoded, Reason> {
    if value.trim_ascii().is_empty() {
        return Err(Reason::Empty);
    }
    let hops: Hops = serde_json::from_slice(value).map_err(|e| Reason::NotXfccJson {
        detail: escape_for_display(alloc::format!("{e}").as_bytes(), 120),
    })?;
    if hops.count > MAX_ELEMENTS {
        return Err(Reason::TooManyElements);
    }
    let last = hops.last.ok_or(Reason::Empty)?;
    let CertPem(leaf) = last.cert.ok_or(Reason::NoCert)?;
    let leaf = leaf.map_err(|e| match e {
        Reason::NotOneCertificate { .. } => Reason::CertHoldsSeveral,
        e => Reason::XfccCert(Box::new(e)),
    })?;
    let chain = match last.chain {
        None => None,
        Some(pems) => Some(chain(&pems).map_err(|e| Reason::XfccChain(Box::new(e)))?),
    };
    checked(leaf, last.hash.as_ref().map(|Text(hash)| &**hash), chain)
}

/// The DER of a plain PEM string holding one certificate (read as `apache` reads PEM: blocks
/// and whitespace only).
fn one_pem(pem: &str) -> Result<Vec<u8>, Reason> {
    match apache::decode(pem.as_bytes()) {
        Ok((der, rest)) if rest.is_empty() => Ok(der),
        Ok((_, rest)) => Err(Reason::NotOneCertificate {
            count: rest.len().saturating_add(1),
        }),
        // `(null)` is Apache's "no certificate", not PEM.
        Err(Reason::NoCertificate) => Err(Reason::NotPem {
            found: escape_for_display(pem.as_bytes(), 16),
        }),
        Err(reason) => Err(reason),
    }
}

/// The `chain` array: its first certificate and the rest.
fn chain(pems: &[String]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    if pems.len() > MAX_CHAIN_LEN.saturating_add(1) {
        return Err(Reason::TooManyCertificates);
    }
    let mut ders = Vec::with_capacity(pems.len());
    for (index, pem) in pems.iter().enumerate() {
        ders.push(one_pem(pem).map_err(|reason| Reason::ChainMember {
            index,
            reason: Box::new(reason),
        })?);
    }
    if ders.is_empty() {
        return Err(Reason::Empty);
    }
    let first = ders.remove(0);
    Ok((first, ders))
}

#[cfg(test)]
mod tests;

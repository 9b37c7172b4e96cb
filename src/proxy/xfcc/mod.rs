//! Envoy `x-forwarded-client-cert` (XFCC).
//!
//! Envoy's documentation (HTTP header manipulation, `x-forwarded-client-cert`):
//!
//! > The XFCC header value is a comma (",") separated string. Each substring is an XFCC
//! > element, which holds information added by a single proxy. A proxy can append the current
//! > client certificate information as an XFCC element, to the end of the request's XFCC
//! > header after a comma.
//! >
//! > Each XFCC element is a semicolon ";" separated string. Each substring is a key-value
//! > pair, grouped together by an equals ("=") sign. The keys are case-insensitive, the values
//! > are case-sensitive. If ",", ";" or "=" appear in a value, the value should be
//! > double-quoted. Double-quotes in the value should be replaced by backslash-double-quote
//! > (\").
//!
//! What Envoy writes, and which values this reader refuses, is documented with the proxy
//! configuration (`docs/proxies.md`, part of the `proxy` module docs).
//!
//! The certificate is the `Cert` of the **last** element: the one the nearest proxy (the
//! trusted one) appended. Earlier elements may have been written by anyone. The hash-only
//! `xfcc-hash` reads the last element's `Hash` instead ([`hash_of_last`]).

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::error::Reason;
use super::escaped_pem;
use crate::thumbprint::Thumbprint;

pub(crate) mod json;
mod mesh;
mod parse;

use parse::Xfcc;

/// The most elements (proxy hops) a value may hold.
pub(crate) const MAX_ELEMENTS: usize = 32;

/// The most key-value pairs one element may hold.
pub(crate) const MAX_PAIRS: usize = 64;

/// Decodes the certificate of the last element: its `Cert` (required), checked against its
/// `Hash` when present, and its `Chain` minus the leaf when present.
pub(crate) fn decode_last(value: &[u8]) -> Result<Decoded, Reason> {
    let xfcc = parse(value)?;
    let last = xfcc.last();
    certificate(last.cert(), last.hash(), last.chain())
}

/// The elements of a value, split with certainty: an earlier element holding a raw client
/// value (`URI`, `DNS`) is accepted only where its own `Cert` proves where it ends
/// ([`mesh::proven_end`]); the last element is checked by the parser.
fn parse(value: &[u8]) -> Result<Xfcc<'_>, Reason> {
    let text = core::str::from_utf8(value).map_err(|e| Reason::NotUtf8 {
        position: e.valid_up_to(),
    })?;
    let xfcc = Xfcc::parse(text)?;
    for (element, earlier) in xfcc.earlier().enumerate() {
        if let Some(key) = earlier.raw_client_key()
            && !mesh::proven_end(&earlier)
        {
            return Err(Reason::AmbiguousSan { element, key });
        }
    }
    Ok(xfcc)
}

/// `xfcc-hash`: the thumbprint of the last element's certificate, from its `Hash` (required);
/// when the element also has a `Cert`, the `Hash` must be that certificate's SHA-256.
pub(crate) fn hash_of_last(value: &[u8]) -> Result<Thumbprint, Reason> {
    let xfcc = parse(value)?;
    let last = xfcc.last();
    let hash = last.hash().ok_or(Reason::NoHash)?;
    let thumbprint = hex_sha256(hash).ok_or(Reason::MalformedHash)?;
    if last.cert().is_some() {
        certificate(last.cert(), Some(hash), last.chain())?;
    }
    Ok(thumbprint)
}

/// The certificate of the last text element: its `Cert` (required, URL-encoded PEM), checked
/// by [`checked`] against its `Hash` and `Chain`.
fn certificate(
    cert: Option<&str>,
    hash: Option<&str>,
    chain: Option<&str>,
) -> Result<Decoded, Reason> {
    let cert = cert.ok_or(Reason::NoCert)?;
    let (leaf, extra) =
        escaped_pem::decode(cert.as_bytes()).map_err(|e| Reason::XfccCert(Box::new(e)))?;
    if !extra.is_empty() {
        return Err(Reason::CertHoldsSeveral);
    }
    let chain = match chain {
        None => None,
        Some(chain) => Some(
            escaped_pem::decode(chain.as_bytes()).map_err(|e| Reason::XfccChain(Box::new(e)))?,
        ),
    };
    checked(leaf, hash, chain)
}

/// A decoded certificate: the leaf, the chain after it, and the leaf's SHA-256 when the
/// decoder computed it (checking Envoy's `Hash`).
pub(crate) type Decoded = (Vec<u8>, Vec<Vec<u8>>, Option<Thumbprint>);

/// The current hop's certificate, in either format: `hash`, when present, must be its
/// SHA-256, and `chain` (its first certificate and the rest), when present, must start with
/// it. Returns the leaf, the chain after it, and the leaf's digest if it was computed.
pub(crate) fn checked(
    leaf: Vec<u8>,
    hash: Option<&str>,
    chain: Option<(Vec<u8>, Vec<Vec<u8>>)>,
) -> Result<Decoded, Reason> {
    let mut digest = None;
    if let Some(hash) = hash {
        // Envoy: `Hash` is the hex SHA-256 of the DER, the same digest as `x5t#S256`.
        let computed = Thumbprint::digest_of(&leaf);
        if hex_sha256(hash).ok_or(Reason::MalformedHash)? != computed {
            return Err(Reason::HashMismatch);
        }
        digest = Some(computed);
    }
    let chain = match chain {
        None => Vec::new(),
        Some((first, rest)) => {
            // Envoy: "The entire client certificate chain (including the leaf certificate)".
            if first != leaf {
                return Err(Reason::ChainLeafMismatch);
            }
            rest
        }
    };
    Ok((leaf, chain, digest))
}

/// Parses 64 hex digits (either case) as a SHA-256 digest, as the `fingerprint` format
/// reads them without colons.
pub(crate) fn hex_sha256(hex: &str) -> Option<Thumbprint> {
    super::fingerprint::hex_sha256(hex.as_bytes()).map(Thumbprint::from_bytes)
}

#[cfg(test)]
mod tests;

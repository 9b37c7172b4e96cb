//! The set, read key by key, and the keys that came out of it.

use alloc::vec::Vec;

use serde_json::Value;

use super::key::{KeyRead, read_key};
use super::name::JwkName;
use super::{JwkProblem, JwkRegistrationError, JwkSetError, MAX_JWKS_JSON_LEN, MAX_KEYS};
use crate::{ClientCertificate, Thumbprint};

/// A key whose `x5c[0]` certificate was checked against its key members: the only kind that
/// can authenticate a client. Its thumbprints are computed once, when the set is parsed.
#[derive(Debug, Clone)]
pub(crate) struct CertifiedJwk {
    name: JwkName,
    certificate: ClientCertificate<'static>,
    thumbprint: Thumbprint,
    chain: Vec<Thumbprint>,
}

impl CertifiedJwk {
    /// Which key of the set.
    pub(crate) fn name(&self) -> &JwkName {
        &self.name
    }

    /// The parsed `x5c[0]`.
    pub(crate) fn certificate(&self) -> &ClientCertificate<'static> {
        &self.certificate
    }

    /// The `x5t#S256` of `x5c[0]`, computed once.
    pub(crate) fn thumbprint(&self) -> &Thumbprint {
        &self.thumbprint
    }

    /// The thumbprints of `x5c[1..]`, in order (entry `i` is `x5c[i + 1]`). They never
    /// authenticate; they explain a mismatch.
    pub(crate) fn chain_thumbprints(&self) -> &[Thumbprint] {
        &self.chain
    }
}

/// A key that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SkippedJwk {
    name: JwkName,
    problem: JwkProblem,
    has_x5c: bool,
    x5c0: Option<Thumbprint>,
}

impl SkippedJwk {
    /// Which key of the set.
    pub(crate) fn name(&self) -> &JwkName {
        &self.name
    }

    /// Why it was left out.
    pub(crate) fn problem(&self) -> &JwkProblem {
        &self.problem
    }

    /// The thumbprint of `x5c[0]`, when it decoded as base64: lets a mismatch report say "your
    /// certificate is in the set, but its key was rejected because …".
    pub(crate) fn x5c0_thumbprint(&self) -> Option<&Thumbprint> {
        self.x5c0.as_ref()
    }
}

/// A client's JWK Set, read key by key, ready for matching.
///
/// Keys that can authenticate a client are [`certified`](Self::certified); keys with a
/// problem are [`skipped`](Self::skipped), each with its [`JwkProblem`]; well-formed public
/// keys without `x5c` are kept out of both and never match.
///
/// ```
/// use rfc8705::jwk::JwkSet;
/// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
/// let mut v: serde_json::Value = serde_json::from_str(json)?;
/// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"}));
/// v["keys"].as_array_mut().unwrap().push(serde_json::json!({"kty": "AKP"}));
/// let set = JwkSet::from_json(v.to_string().as_bytes())?;
/// assert_eq!(set.certified().len(), 1);
/// assert_eq!(set.skipped().next().map(|(name, _)| name.index()), Some(2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct JwkSet {
    certified: Vec<CertifiedJwk>,
    without_certificate: usize,
    skipped: Vec<SkippedJwk>,
    len: usize,
}

impl JwkSet {
    /// Reads a JWK Set from JSON text (at most 256 KiB, at most 100 keys). Fails only when
    /// the document is not a set; each key's problems are recorded in
    /// [`skipped`](Self::skipped).
    ///
    /// ```
    /// use rfc8705::jwk::{JwkSet, JwkSetError};
    /// assert!(matches!(JwkSet::from_json(b"{"), Err(JwkSetError::NotJson { .. })));
    /// assert_eq!(JwkSet::from_json(br#"{"keys":"none"}"#).unwrap_err(), JwkSetError::KeysNotArray);
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Self, JwkSetError> {
        if json.len() > MAX_JWKS_JSON_LEN {
            return Err(JwkSetError::TooLarge { len: json.len() });
        }
        let value: Value = serde_json::from_slice(json).map_err(|e| JwkSetError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
        Self::from_value(&value)
    }

    /// Reads a JWK Set from a JSON value (the `jwks` member of client metadata).
    pub(crate) fn from_value(value: &Value) -> Result<Self, JwkSetError> {
        let object = value.as_object().ok_or(JwkSetError::NotAnObject)?;
        // RFC 7517 section 5.1: "The value of the "keys" member is an array of JWK values."
        let keys = object
            .get("keys")
            .ok_or(JwkSetError::NoKeys)?
            .as_array()
            .ok_or(JwkSetError::KeysNotArray)?;
        if keys.len() > MAX_KEYS {
            return Err(JwkSetError::TooManyKeys { len: keys.len() });
        }
        let mut set = JwkSet {
            len: keys.len(),
            ..JwkSet::default()
        };
        for (index, key) in keys.iter().enumerate() {
            match read_key(index, key) {
                KeyRead::Certified(name, certificate, chain) => set.certified.push(CertifiedJwk {
                    name,
                    thumbprint: certificate.thumbprint(),
                    certificate: *certificate,
                    chain,
                }),
                KeyRead::WithoutCertificate => set.without_certificate += 1,
                KeyRead::Skipped(name, problem, has_x5c, x5c0) => set.skipped.push(SkippedJwk {
                    name,
                    problem,
                    has_x5c,
                    x5c0,
                }),
            }
        }
        Ok(set)
    }

    /// The keys that can authenticate a client, in set order: each key's name and its parsed
    /// `x5c[0]`.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jwk/rfc8705-appendix-a.jwks.json"));
    /// let set = JwkSet::from_json(json.as_bytes())?;
    /// let (name, certificate) = set.certified().next().expect("one key");
    /// assert_eq!(name.to_string(), "key 0 (no kid)");
    /// assert_eq!(certificate.thumbprint().to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn certified(
        &self,
    ) -> impl ExactSizeIterator<Item = (&JwkName, &ClientCertificate<'static>)> + '_ {
        self.certified.iter().map(|k| (&k.name, &k.certificate))
    }

    /// The keys left out, in set order, each with why.
    ///
    /// ```
    /// use rfc8705::jwk::{JwkProblem, JwkSet};
    /// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct","kid":"s","k":"AA"}]}"#)?;
    /// let (name, problem) = set.skipped().next().expect("one key");
    /// assert_eq!(name.kid(), Some("s"));
    /// assert_eq!(problem, &JwkProblem::SymmetricKey);
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn skipped(&self) -> impl ExactSizeIterator<Item = (&JwkName, &JwkProblem)> + '_ {
        self.skipped.iter().map(|k| (&k.name, &k.problem))
    }

    /// The certified keys, with what matching needs.
    pub(crate) fn certified_keys(&self) -> &[CertifiedJwk] {
        &self.certified
    }

    /// The skipped keys, with what a mismatch report needs.
    pub(crate) fn skipped_keys(&self) -> &[SkippedJwk] {
        &self.skipped
    }

    /// How many well-formed public keys without `x5c` the set holds.
    pub(crate) fn without_certificate(&self) -> usize {
        self.without_certificate
    }

    /// Checks the set as a `self_signed_tls_client_auth` registration: every key with `x5c`
    /// is usable (its `x5c[0]` is a certificate holding the JWK's own key, RFC 7517 section
    /// 4.7, and a declared `x5t#S256` is its thumbprint, section 4.9), no key holds private or
    /// symmetric key material, and at least one key has a certificate. Reports the first
    /// problem in set order.
    pub(crate) fn validate_registration(&self) -> Result<(), JwkRegistrationError> {
        if let Some(bad) = self
            .skipped
            .iter()
            .find(|s| s.problem.is_registration_error(s.has_x5c))
        {
            return Err(JwkRegistrationError::Key {
                name: bad.name.clone(),
                problem: bad.problem.clone(),
            });
        }
        // RFC 8705 section 2.2: the client "registers its X.509 certificates"; a set without
        // any can never authenticate it.
        if self.certified.is_empty() {
            return Err(JwkRegistrationError::NoCertificate { keys: self.len });
        }
        Ok(())
    }
}

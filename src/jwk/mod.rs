//! The JWK and JWK Set pieces that `self_signed_tls_client_auth` needs (RFC 7517, RFC 8705
//! section 2.2).
//!
//! RFC 8705 section 2.2.2: "the existing jwks_uri or jwks metadata parameters from \[RFC7591\]
//! are used to convey the client's certificates via JSON Web Key (JWK) in a JWK Set
//! \[RFC7517\]. … A certificate is represented with the x5c parameter of an individual JWK
//! within the set."
//!
//! [`JwkSet`] reads a set **key by key**: one key this crate does not understand never makes
//! the whole set unusable (RFC 7517 section 5: implementations "SHOULD ignore JWKs within a
//! JWK Set that use "kty" values that are not understood by them, that are missing required
//! members, or for which values are out of the supported ranges"). Every key is one of:
//!
//! - [certified](JwkSet::certified): a key with an `x5c` whose first certificate parses, holds
//!   the same public key as the JWK's own members (RFC 7517 section 4.7) and agrees with a
//!   declared `x5t#S256`. Only these can authenticate a client.
//! - a well-formed public key without `x5c` (a client's JWS signing key, for example): kept
//!   out of both lists, never matched.
//! - [skipped](JwkSet::skipped): every other key, with the [`JwkProblem`] that ruled it out.
//!
//! A registration is stricter: [`MtlsClientAuth::from_metadata`](crate::MtlsClientAuth::from_metadata)
//! turns the problems that make a registered `jwks` wrong (an unusable `x5c`, private or
//! symmetric key material, no certificate at all) into a [`JwkRegistrationError`]
//! (`invalid_client_metadata`).
//!
//! The key members (`n`/`e`, `crv`/`x`/`y`, `crv`/`x`) are decoded with `jose-jwk`'s
//! [`jose_jwk::Key`]. Its whole-key `Jwk` type is not used: it rejects a key for an `alg` or
//! `use` value it does not know, reports a base64url `x5c` as a generic serde error, and keeps
//! no raw `kid` for keys it rejects. The members around the key (`kid`, `alg`, `use`, `x5c`,
//! `x5t#S256`) are therefore read here, from the JSON value.
//!
//! [`thumbprint`] computes a key's RFC 7638 thumbprint, the `jkt` of a DPoP-bound token (RFC
//! 9449 section 6.1). [`registration_jwks`] writes the set that registers a certificate for
//! `self_signed_tls_client_auth`.
//!
//! # Limits
//!
//! A set is read from at most 256 KiB of JSON and holds at most 100 keys
//! ([`JwkSetError::TooLarge`], [`JwkSetError::TooManyKeys`]); one `x5c` holds at most 10
//! certificates ([`JwkProblem::X5cTooLong`]); a `kid` longer than 256 bytes is a problem of its
//! key ([`JwkProblem::KidTooLong`]) and never shown.

mod error;
mod jkt;
mod key;
mod name;
mod register;
mod set;
mod spki;
#[cfg(test)]
mod tests;

pub use error::{JwkProblem, JwkRegistrationError, JwkSetError};
pub use jkt::thumbprint;
pub use name::JwkName;
pub use register::registration_jwks;
pub(crate) use set::CertifiedJwk;
pub use set::JwkSet;

/// The largest JWK Set document read, in bytes. A set of a few certificates is 2 to 20 KiB.
const MAX_JWKS_JSON_LEN: usize = 256 * 1024;

/// The most keys a set may hold; a larger set is refused as a whole.
const MAX_KEYS: usize = 100;

/// The most certificates one `x5c` may hold (the leaf and its chain).
const MAX_X5C_CERTIFICATES: usize = 10;

/// The longest `kid` kept verbatim, in bytes.
const MAX_KID_LEN: usize = 256;

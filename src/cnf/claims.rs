//! The resource server's check, on the token's claims as JSON or its deserialized `cnf`,
//! without allocating.
//!
//! From JSON, [`check_binding`] reads only the `cnf` member and applies the policy, so the
//! binding can be checked first and cheaply; a deserialized `cnf` is looked up by the same
//! rules. The text of each confirmation member is compared, in constant time, with the
//! canonical text of the presented thumbprint; only a value that differs is parsed, to say why.

use base64_simd::Out;
use subtle::ConstantTimeEq;

use super::error::ResourceError;
use super::read::{Found, Member, MemberError, read_cnf};
use super::{Binding, BindingPolicy, Confirmation};
use crate::thumbprint::{ENCODED_LEN, Thumbprint};

/// The token's claims as the resource server holds them, for [`check_binding`].
///
/// ```
/// use rfc8705::cnf::{Claims, Confirmation};
///
/// // The JWT payload (after its signature was verified) or the introspection response.
/// let payload = br#"{"sub":"ty.webb@example.com","cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}"#;
/// let claims = Claims::Json(payload);
///
/// // The token's `cnf`, from claims the JWT library already deserialized.
/// #[derive(serde::Deserialize)]
/// struct AccessToken {
///     sub: String,
///     cnf: Option<Confirmation>,
/// }
/// let token: AccessToken = serde_json::from_slice(payload).unwrap();
/// let claims = Claims::Cnf(token.cnf.as_ref());
/// # let _ = (claims, token.sub);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claims<'a> {
    /// The claims JSON: a JWT claims set (the decoded payload, after the signature was
    /// verified) or a token introspection response (RFC 7662), whose top-level `cnf` RFC 8705
    /// section 3.2 and RFC 9449 section 6.2 define. Read without allocating; at most 64 KiB.
    Json(&'a [u8]),
    /// The token's `cnf` claim, deserialized by the caller with the rest of the claims:
    /// `None` when the token has none (absent or `null`). Pass the `cnf` of the token this
    /// request carries, never a default: `None` makes a token a bearer token under
    /// [`BindingPolicy::IfBound`].
    ///
    /// Only `cnf` is passed, so the caller applies the rule [`Claims::Json`] applies: when
    /// the claims are an introspection response (RFC 7662) whose `active` is present and not
    /// `true`, refuse the token ([`ResourceError::Inactive`]) before looking at `cnf`.
    Cnf(Option<&'a Confirmation>),
}

/// The resource server's check, the one entry point for every confirmation method: applies
/// `policy` to the token's `claims`, the thumbprint of the client certificate presented on the
/// connection (if any) and the thumbprint of the key of the DPoP proof that the caller checked
/// for this request (if any; [`jwk::thumbprint`](crate::jwk::thumbprint)).
///
/// Both proofs are thumbprints, computed where the server has them, once: the certificate's
/// when the connection is accepted (`rfc8705::tower::PeerConnection` with the `tower` feature,
/// [`Thumbprint::from_der`] of the leaf in any other server, e.g. in actix-web's
/// `on_connect`), or from a TLS-terminating proxy's header
/// ([`ForwardedCertificate::thumbprint`](crate::proxy::ForwardedCertificate::thumbprint)). A request then pays for
/// reading the claims and a 32-byte comparison, and no SHA-256.
///
/// Every method in `cnf` that the crate knows must be proven: `x5t#S256` by the certificate
/// (RFC 8705 section 3), `jkt` by the DPoP proof's key (RFC 9449 sections 6 and 7.1); a token
/// bound by both needs both. A proof the token does not ask for changes nothing. Other members
/// of `cnf` next to a known method are not checked; a `cnf` with none of the known methods is
/// refused, because accepting it would turn a proof-of-possession token into a bearer token.
///
/// | policy | token | result |
/// |---|---|---|
/// | `Off` | any (not read) | `Ok(Skipped)` |
/// | `IfBound`/`Required` | JSON whose `active` is present and not `true` (an inactive introspection response) | `Err(Inactive)` |
/// | `IfBound` | no `cnf` (or `"cnf": null`) | `Ok(NotBound)` |
/// | `Required` | no `cnf` | `Err(NoConfirmation)` |
/// | `IfBound`/`Required` | `cnf` with neither `x5t#S256` nor `jkt` | `Err(UnsupportedConfirmation)` |
/// | `IfBound`/`Required` | `x5t#S256`: malformed / no certificate / another certificate | `Err(MalformedThumbprint / NoCertificate / CertificateMismatch)` |
/// | `IfBound`/`Required` | `jkt`: malformed / no proof key / another key | `Err(MalformedJkt / NoDpopProof / DpopKeyMismatch)` |
/// | `IfBound`/`Required` | every known method proven | `Ok(Bound { .. })` |
///
/// `x5t#S256` is checked before `jkt`. Each error renders its challenge
/// ([`ResourceError::challenge`]): `DPoP` for the `jkt` failures, `Bearer` for the rest.
///
/// Does not allocate (a key or value using JSON escapes costs serde_json one scratch buffer),
/// and compares thumbprints in constant time. Both forms of [`Claims`] are judged by the same
/// rules: `Claims::Cnf(Some(cnf))` as `{"cnf": cnf}`, `Claims::Cnf(None)` as `{}`. A JWT
/// claims set has no `active` member and is judged by its `cnf` alone.
///
/// ```
/// use rfc8705::cnf::{Binding, BindingPolicy, Claims, check_binding};
/// use rfc8705::{ResourceError, Thumbprint};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
///
/// // Once per connection: the client certificate's thumbprint.
/// let certificate = Thumbprint::from_der(&der)?;
///
/// let introspection = br#"{
///   "active": true,
///   "sub": "ty.webb@example.com",
///   "cnf": {"x5t#S256": "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}
/// }"#;
/// let outcome = check_binding(BindingPolicy::Required, Claims::Json(introspection), Some(&certificate), None);
/// assert!(matches!(outcome, Ok(Binding::Bound { certificate: Some(_), dpop_jkt: None })));
///
/// // RFC 9449 section 6.1, Figure 9: a DPoP-bound token.
/// let dpop = br#"{"sub":"someone@example.com","cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}"#;
/// let proof_key: Thumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I".parse()?;
/// assert!(check_binding(BindingPolicy::IfBound, Claims::Json(dpop), None, Some(&proof_key)).is_ok());
/// // The same token presented with a certificate and no proof: no downgrade.
/// let err = check_binding(BindingPolicy::IfBound, Claims::Json(dpop), Some(&certificate), None).unwrap_err();
/// assert_eq!(err, ResourceError::NoDpopProof);
/// assert!(err.challenge().to_string().starts_with("DPoP error=\"invalid_token\""));
///
/// // A `cnf` the caller deserialized goes by the same rules.
/// let cnf = rfc8705::Confirmation::from("A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0".parse::<Thumbprint>()?);
/// assert!(check_binding(BindingPolicy::Required, Claims::Cnf(Some(&cnf)), Some(&certificate), None).is_ok());
/// assert_eq!(
///     check_binding(BindingPolicy::Required, Claims::Cnf(None), Some(&certificate), None),
///     Err(ResourceError::NoConfirmation)
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_binding(
    policy: BindingPolicy,
    claims: Claims<'_>,
    certificate: Option<&Thumbprint>,
    dpop_jkt: Option<&Thumbprint>,
) -> Result<Binding, ResourceError> {
    check_binding_with(policy, claims, || certificate.copied(), dpop_jkt)
}

/// [`check_binding`] with the certificate's thumbprint found by `certificate` (called only
/// when the token asks for `x5t#S256`): the `tower` layer reads it from the connection or,
/// behind a trusted proxy, decodes the proxy's header only when the token needs it.
pub(crate) fn check_binding_with(
    policy: BindingPolicy,
    claims: Claims<'_>,
    certificate: impl FnOnce() -> Option<Thumbprint>,
    dpop_jkt: Option<&Thumbprint>,
) -> Result<Binding, ResourceError> {
    if policy == BindingPolicy::Off {
        return Ok(Binding::Skipped);
    }
    let found = match claims {
        Claims::Json(json) => read_cnf(json)?,
        Claims::Cnf(cnf) => Found::from_confirmation(cnf),
    };
    let (x5t, jkt) = match &found {
        // A bearer token is acceptable to this resource.
        Found::NoCnf if policy == BindingPolicy::IfBound => return Ok(Binding::NotBound),
        // This resource accepts only sender-constrained tokens.
        Found::NoCnf => return Err(ResourceError::NoConfirmation),
        // RFC 7662 section 2.2: the token is not active; its cnf binds nothing.
        Found::Inactive => return Err(ResourceError::Inactive),
        Found::Cnf { x5t, jkt } => (x5t, jkt),
    };
    if let (Member::Absent, Member::Absent) = (&x5t, &jkt) {
        return Err(ResourceError::UnsupportedConfirmation);
    }
    // RFC 8705 section 3: "If they do not match, the resource access attempt MUST be
    // rejected"; requests "MUST be made over a mutually authenticated TLS connection using the
    // same certificate that was used for mutual TLS at the token endpoint." The certificate is
    // looked up only when the token asks for it.
    let certificate = confirm(x5t, certificate).map_err(|f| match f {
        Failure::Malformed(e) => ResourceError::MalformedThumbprint(e),
        Failure::NoProof => ResourceError::NoCertificate,
        Failure::Mismatch => ResourceError::CertificateMismatch,
    })?;
    // RFC 9449 section 7.1: "check that the public key of the DPoP proof matches the public
    // key to which the access token is bound".
    let dpop_jkt = confirm(jkt, || dpop_jkt.copied()).map_err(|f| match f {
        Failure::Malformed(e) => ResourceError::MalformedJkt(e),
        Failure::NoProof => ResourceError::NoDpopProof,
        Failure::Mismatch => ResourceError::DpopKeyMismatch,
    })?;
    Ok(Binding::Bound {
        certificate,
        dpop_jkt,
    })
}

/// Whether two texts are equal, in constant time: the differences of their 64-bit words are
/// OR-ed together (no branch on the data) and `subtle` compares the result with zero behind
/// one optimisation barrier.
fn ct_text_eq(a: &[u8], b: &[u8; ENCODED_LEN]) -> bool {
    let diff = words(a)
        .iter()
        .zip(words(b))
        .fold(0u64, |diff, (x, y)| diff | (x ^ y));
    a.len() == ENCODED_LEN && bool::from(diff.ct_eq(&0))
}

/// The first 48 bytes of `text` as six 64-bit words, zero-padded.
fn words(text: &[u8]) -> [u64; 6] {
    let mut out = [0u64; 6];
    for (word, chunk) in out.iter_mut().zip(text.chunks(8)) {
        let mut bytes = [0u8; 8];
        for (b, c) in bytes.iter_mut().zip(chunk) {
            *b = *c;
        }
        *word = u64::from_ne_bytes(bytes);
    }
    out
}

/// Why a member is not proven.
enum Failure {
    Malformed(MemberError),
    NoProof,
    Mismatch,
}

/// Whether what was presented proves `member`: `Ok(None)` when the member is absent.
fn confirm(
    member: &Member,
    presented: impl FnOnce() -> Option<Thumbprint>,
) -> Result<Option<Thumbprint>, Failure> {
    let text = match member {
        Member::Absent => return Ok(None),
        Member::Malformed(e) => return Err(Failure::Malformed(*e)),
        Member::Text(text) => text,
    };
    let presented = presented();
    if let Some(t) = presented {
        // The canonical text is the only text of these 32 bytes, so equal text is an equal
        // thumbprint (and a canonical one). What is encoded is what the client presented, not
        // the token's value, so the fast `base64-simd` encoder needs no constant-time care; the
        // comparison with the token's text is constant time.
        let mut buf = [0u8; ENCODED_LEN];
        let encoded = base64_simd::URL_SAFE_NO_PAD.encode(t.as_bytes(), Out::from_slice(&mut buf));
        if ct_text_eq(encoded, text) {
            return Ok(Some(t));
        }
    }
    // Only a value that is not proven is parsed, to say why.
    let parsed = core::str::from_utf8(text)
        .unwrap_or_default()
        .parse::<Thumbprint>();
    match (parsed, presented) {
        (Err(e), _) => Err(Failure::Malformed(MemberError::Invalid(e))),
        (Ok(_), None) => Err(Failure::NoProof),
        (Ok(_), Some(_)) => Err(Failure::Mismatch),
    }
}

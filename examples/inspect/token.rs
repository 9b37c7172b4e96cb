//! `thumbprint`, `cnf`, `verify`, `jkt` and `endpoint`.

use rfc8705::cnf::{Binding, BindingPolicy, Claims, ClaimsError, check_binding};
use rfc8705::metadata::AuthorizationServerMetadata;
use rfc8705::{ResourceError, Thumbprint};

use crate::input::Presented;
use crate::{BadInput, CmdResult, JSON_LIMIT, Outcome, read_input};

/// `thumbprint <cert>`.
pub fn thumbprint(presented: &Presented) -> CmdResult {
    Ok(Outcome::Yes(presented.thumbprint().to_string()))
}

/// `cnf <cert>`: the `cnf` value an authorization server puts in a token bound to `cert`.
pub fn cnf(presented: &Presented) -> CmdResult {
    let cnf = rfc8705::Confirmation::from(presented.thumbprint());
    serde_json::to_string(&cnf)
        .map(Outcome::Yes)
        .map_err(BadInput::new)
}

/// `verify [<cert>] --claims FILE [--dpop-jkt JKT]`: is the token (JWT claims set, compact JWS
/// or introspection response) bound to what was presented, every method in its `cnf` proven? Uses
/// the `Required` policy.
pub fn verify(
    presented: Option<&Presented>,
    claims_path: &str,
    dpop_jkt: Option<&str>,
) -> CmdResult {
    let dpop_jkt: Option<Thumbprint> = dpop_jkt
        .map(|j| {
            j.parse().map_err(|e| {
                BadInput(format!(
                    "--dpop-jkt is not a base64url SHA-256 thumbprint: {e}"
                ))
            })
        })
        .transpose()?;
    let json = crate::jws::claims_json(claims_path, read_input(claims_path, JSON_LIMIT)?)?;
    // The hash-only `--from` formats give the thumbprint the check needs, and nothing else.
    let presented = presented.map(Presented::thumbprint);
    match check_binding(
        BindingPolicy::Required,
        Claims::Json(&json),
        presented.as_ref(),
        dpop_jkt.as_ref(),
    ) {
        Ok(Binding::Bound {
            certificate,
            dpop_jkt,
        }) => Ok(Outcome::Yes(
            match (certificate.is_some(), dpop_jkt.is_some()) {
                (true, true) => "bound: x5t#S256 and jkt match",
                (false, true) => "bound: jkt matches",
                _ => "bound: x5t#S256 matches",
            }
            .into(),
        )),
        // Not reachable with the Required policy; answered rather than assumed.
        Ok(other) => Ok(Outcome::No(format!("not bound ({other:?})"))),
        // The claims file itself is unusable: bad input, not an answer about the binding.
        Err(ResourceError::MalformedClaims(
            e @ (ClaimsError::Malformed { .. } | ClaimsError::TooLarge { .. }),
        )) => Err(BadInput(format!("{claims_path}: {e}"))),
        Err(e) => Ok(Outcome::No(e.to_string())),
    }
}

/// `jkt <jwk.json>`: the RFC 7638 thumbprint of a public JWK.
pub fn jkt(path: &str) -> CmdResult {
    let json = read_input(path, JSON_LIMIT)?;
    let jwk: serde_json::Value =
        serde_json::from_slice(&json).map_err(|e| BadInput(format!("{path} is not JSON: {e}")))?;
    rfc8705::jwk::thumbprint(&jwk)
        .map(|t| Outcome::Yes(t.to_string()))
        .map_err(|e| BadInput(format!("{path} is not a public JWK: it {e}")))
}

/// `endpoint FILE NAME [--mtls]`: the URL a client uses for that endpoint.
pub fn endpoint(path: &str, name: &str, mtls: bool) -> CmdResult {
    let json = read_input(path, JSON_LIMIT)?;
    // serde_json's message (line, column, what was expected) helps fix the user's own file.
    let metadata: AuthorizationServerMetadata = serde_json::from_slice(&json)
        .map_err(|e| BadInput(format!("{path} is not AS metadata: {e}")))?;
    match metadata.endpoint(name, mtls) {
        Some(url) => Ok(Outcome::Yes(url.to_string())),
        None if !name.ends_with("_endpoint") => Ok(Outcome::No(format!(
            "{name:?} is not an endpoint member (endpoint names end in _endpoint)"
        ))),
        // A direct endpoint (RFC 8705 section 5): not a front-channel one.
        None if mtls && !matches!(name, "authorization_endpoint" | "end_session_endpoint") => {
            Ok(Outcome::No(format!(
                "the metadata has no {name} (neither in mtls_endpoint_aliases nor at the top level)"
            )))
        }
        None => Ok(Outcome::No(format!("the metadata has no {name}"))),
    }
}

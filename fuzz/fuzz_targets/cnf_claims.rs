//! Raw claims JSON -> the resource server's check, under every policy and presentation: never
//! panics, and agrees with a model read through `serde_json::Value` whenever the document is
//! an object without duplicate members (an `active` that is not `true` refuses the token),
//! and with the same `cnf` deserialized into a `Confirmation` (where `active` did not decide). `Confirmation` deserialization round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::cnf::{Binding, BindingPolicy, Claims, ClaimsError, Confirmation, check_binding};
use rfc8705::{ResourceError, Thumbprint};
use serde_json::Value;

const DER: &[u8] = include_bytes!("../corpus/certificate/rfc9440-leaf.der");
/// The RFC 9449 section 6.1 `jkt`.
const JKT: &str = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

/// Whether a member proven by `presented` is: `Ok(true)` proven, `Ok(false)` absent.
fn model_member(v: Option<&Value>, presented: Option<Thumbprint>) -> Result<bool, &'static str> {
    match v {
        None => Ok(false),
        Some(Value::String(s)) => match (s.parse::<Thumbprint>(), presented) {
            (Err(_), _) => Err("malformed"),
            (Ok(_), None) => Err("no proof"),
            (Ok(t), Some(p)) if t == p => Ok(true),
            (Ok(_), Some(_)) => Err("mismatch"),
        },
        Some(_) => Err("malformed"),
    }
}

fn kind(r: &Result<Binding, ResourceError>) -> &'static str {
    match r {
        Ok(Binding::Bound { .. }) => "bound",
        Ok(Binding::NotBound) => "not bound",
        Ok(_) => "skipped",
        Err(ResourceError::NoConfirmation) => "no cnf",
        Err(ResourceError::UnsupportedConfirmation) => "unsupported",
        Err(ResourceError::MalformedThumbprint(_) | ResourceError::MalformedJkt(_)) => "malformed",
        Err(ResourceError::NoCertificate | ResourceError::NoDpopProof) => "no proof",
        Err(ResourceError::CertificateMismatch | ResourceError::DpopKeyMismatch) => "mismatch",
        Err(ResourceError::MalformedClaims(ClaimsError::CnfNotAnObject)) => "cnf not object",
        Err(ResourceError::Inactive) => "inactive",
        Err(_) => "claims",
    }
}

fuzz_target!(|data: &[u8]| {
    let key: Thumbprint = JKT.parse().expect("jkt");
    let cert = Thumbprint::from_der(DER).expect("der");
    let value = serde_json::from_slice::<Value>(data).ok();
    // The same `cnf`, deserialized by the caller.
    let parsed = match &value {
        Some(Value::Object(claims)) => {
            serde_json::from_value::<Option<Confirmation>>(claims.get("cnf").cloned().unwrap_or(Value::Null)).ok()
        }
        _ => None,
    };
    for policy in [BindingPolicy::Off, BindingPolicy::IfBound, BindingPolicy::Required] {
        for der in [None, Some(&cert)] {
            for proof in [None, Some(&key)] {
                let got = check_binding(policy, Claims::Json(data), der, proof);
                let _ = got.as_ref().map_err(|e| e.challenge().algs("ES256").to_string());
                if let Some(cnf) = &parsed {
                    // `active` is the JSON form's alone: a `Claims::Cnf` caller checks it.
                    if !matches!(got, Err(ResourceError::MalformedClaims(_) | ResourceError::Inactive)) {
                        assert_eq!(check_binding(policy, Claims::Cnf(cnf.as_ref()), der, proof), got);
                    }
                }
                let Some(Value::Object(claims)) = &value else { continue };
                if policy == BindingPolicy::Off
                    || data.len() > 64 * 1024
                    || matches!(got, Err(ResourceError::MalformedClaims(ClaimsError::DuplicateMember(_))))
                {
                    continue;
                }
                // RFC 7662: an introspection response whose `active` is not `true`.
                let inactive = claims.get("active").is_some_and(|a| a != &Value::Bool(true));
                let want = match claims.get("cnf") {
                    _ if inactive => "inactive",
                    None | Some(Value::Null) if policy == BindingPolicy::IfBound => "not bound",
                    None | Some(Value::Null) => "no cnf",
                    Some(Value::Object(cnf)) => {
                        let x5t = model_member(cnf.get("x5t#S256"), der.map(|_| cert));
                        let jkt = model_member(cnf.get("jkt"), proof.copied());
                        match (x5t, jkt) {
                            (Err(e), _) | (Ok(_), Err(e)) => e,
                            (Ok(false), Ok(false)) => "unsupported",
                            (Ok(_), Ok(_)) => "bound",
                        }
                    }
                    Some(_) => "cnf not object",
                };
                assert_eq!(kind(&got), want, "{got:?}");
            }
        }
    }
    if let Ok(cnf) = serde_json::from_slice::<Confirmation>(data) {
        let back = serde_json::to_string(&cnf).expect("serializes");
        let again: Confirmation = serde_json::from_str(&back).expect("reads back");
        let keys = |c: &Confirmation| match serde_json::to_value(c) {
            Ok(Value::Object(m)) => m.keys().cloned().collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(keys(&again), keys(&cnf));
    }
});

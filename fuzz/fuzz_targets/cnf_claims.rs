//! Raw claims JSON -> the resource server's check, under every policy and presentation: never
//! panics, and agrees with a model read through `serde_json::Value` whenever the document is
//! an object without duplicate members, and with the same `cnf` deserialized into a
//! `Confirmation`. `Confirmation` deserialization round-trips.
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
                    if !matches!(got, Err(ResourceError::MalformedClaims(_))) {
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
                let want = match claims.get("cnf") {
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

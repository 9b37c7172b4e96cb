//! AS, client and protected resource metadata: parse, validate, resolve endpoints, round trip
//! (a client registration validates the same way after a serialize -> parse round trip).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::MtlsClientAuth;
use rfc8705::metadata::{
    AuthorizationServerMetadata, ClientMetadata, ProtectedResourceMetadata,
    protected_resource_metadata_url,
};

const NAMES: [&str; 6] = [
    "token_endpoint",
    "authorization_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
    "pushed_authorization_request_endpoint",
    "jwks_uri",
];

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = AuthorizationServerMetadata::from_json(data) {
        for name in NAMES {
            let top = m.endpoint(name, false);
            let mtls = m.endpoint(name, true);
            // With mTLS: the alias of a direct endpoint if there is one, else the top level.
            let alias = m
                .mtls_endpoint_aliases
                .as_ref()
                .and_then(|a| a.get(name))
                .and_then(|v| v.as_str());
            let direct = name.ends_with("_endpoint") && name != "authorization_endpoint";
            if direct {
                assert_eq!(mtls, alias.or(top));
            } else {
                assert_eq!(mtls, top);
            }
        }
        // Not `again == m`: serde_json's default float parsing is not exact, so a number in an
        // unknown member may move by an ulp. Endpoints and member names must not.
        let back = serde_json::to_vec(&m).expect("serializes");
        let again = AuthorizationServerMetadata::from_json(&back).expect("reads back");
        for name in NAMES {
            assert_eq!(again.endpoint(name, true), m.endpoint(name, true));
            assert_eq!(again.endpoint(name, false), m.endpoint(name, false));
        }
        assert!(again.other.keys().eq(m.other.keys()));
        // Validation survives the round trip, and valid metadata sends a client only to https.
        let verdict = m.validate();
        assert_eq!(again.validate(), verdict);
        if verdict.is_ok() {
            for name in NAMES {
                if let Some(url) = m.endpoint(name, true) {
                    assert!(
                        url.get(..8)
                            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
                    );
                }
            }
        }
    }
    if let Ok(m) = ClientMetadata::from_json(data) {
        // A registration written back and read again validates the same way (not `again ==
        // m`: a float in `jwks` or an unknown member may move by an ulp).
        let back = serde_json::to_vec(&m).expect("serializes");
        let again = ClientMetadata::from_json(&back).expect("reads back");
        assert_eq!(
            MtlsClientAuth::from_metadata(&again).err(),
            MtlsClientAuth::from_metadata(&m).err()
        );
        assert_eq!(again.auth_method(), m.auth_method());
        assert_eq!(
            again
                .tls_client_certificate_bound_access_tokens
                .unwrap_or(false),
            m.tls_client_certificate_bound_access_tokens
                .unwrap_or(false)
        );
    }
    if let Ok(m) = ProtectedResourceMetadata::from_json(data) {
        let _ = protected_resource_metadata_url(&m.resource);
        let back = serde_json::to_vec(&m).expect("serializes");
        let again = ProtectedResourceMetadata::from_json(&back).expect("reads back");
        assert_eq!(again.validate(), m.validate());
        // A valid resource identifier always has a metadata URL.
        if m.validate().is_ok() {
            assert!(protected_resource_metadata_url(&m.resource).is_ok());
        }
        assert_eq!(again.resource, m.resource);
        assert!(again.other.keys().eq(m.other.keys()));
    }
});

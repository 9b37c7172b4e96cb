//! Metadata documents: round trips keeping unknown members, RFC 8705 section 5 endpoint
//! resolution (TV-3), RFC 9728 documents and well-known URLs, client metadata validation.
use rfc8705::metadata::{
    AuthorizationServerMetadata, ClientMetadata, ClientMetadataError, MAX_METADATA_LEN,
    MetadataError, ProtectedResourceMetadata, ResourceIdentifierError, TokenEndpointAuthMethod,
    protected_resource_metadata_url,
};
use rfc8705::{OAuthError, OAuthErrorCode};
use serde_json::Value;

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/metadata/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn round_trips<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    json: &[u8],
) -> T {
    let doc: T = serde_json::from_slice(json).unwrap();
    let out = serde_json::to_value(&doc).unwrap();
    let original: Value = serde_json::from_slice(json).unwrap();
    assert_eq!(out, original, "every member survives");
    let again: T = serde_json::from_value(out).unwrap();
    assert_eq!(again, doc);
    doc
}

#[test]
fn tv3_round_trip_and_members() {
    let m: AuthorizationServerMetadata = round_trips(&read("tv3-as-metadata.json"));
    assert_eq!(m.issuer, "https://server.example.com");
    assert!(m.supports_bound_tokens());
    assert!(m.issuer_is("https://server.example.com"));
    assert!(!m.issuer_is("https://server.example.com/"));
    assert_eq!(
        m.token_endpoint_auth_methods_supported.as_deref(),
        Some(
            &[
                TokenEndpointAuthMethod::TlsClientAuth,
                "client_secret_basic".parse().unwrap(),
                "none".parse().unwrap()
            ][..]
        )
    );
    assert_eq!(m.other["response_modes_supported"][2], "form_post");
}

#[test]
fn tv3_endpoint_resolution() {
    let m = AuthorizationServerMetadata::from_json(&read("tv3-as-metadata.json")).unwrap();
    // R8705-5-c: the alias, when present, for a client doing mutual TLS.
    for (name, alias, top) in [
        (
            "token_endpoint",
            "https://mtls.example.com/token",
            "https://server.example.com/token",
        ),
        (
            "revocation_endpoint",
            "https://mtls.example.com/revo",
            "https://server.example.com/revo",
        ),
        (
            "introspection_endpoint",
            "https://mtls.example.com/introspect",
            "https://server.example.com/introspect",
        ),
    ] {
        assert_eq!(m.endpoint(name, true), Some(alias));
        assert_eq!(m.mtls_alias(name), Some(alias));
        // Without mutual TLS: always the top level.
        assert_eq!(m.endpoint(name, false), Some(top));
    }
    // R8705-5-d: no alias, the top level.
    assert_eq!(
        m.endpoint("authorization_endpoint", true),
        Some("https://server.example.com/authz")
    );
    assert_eq!(m.endpoint("registration_endpoint", true), None);
    assert_eq!(m.endpoint("jwks_uri", false), None);
}

#[test]
fn meaningless_aliases_are_ignored() {
    // R8705-5-e: aliases of members that are not direct-request endpoints are ignored.
    let m: AuthorizationServerMetadata = round_trips(&read("as-extra-aliases.json"));
    assert_eq!(m.mtls_alias("authorization_endpoint"), None);
    assert_eq!(
        m.endpoint("authorization_endpoint", true),
        Some("https://as.example/authz")
    );
    assert_eq!(m.mtls_alias("jwks_uri"), None);
    // A non-string alias is ignored: the top level is used.
    assert_eq!(m.mtls_alias("token_endpoint"), None);
    assert_eq!(
        m.endpoint("token_endpoint", true),
        Some("https://as.example/token")
    );
    // Endpoints kept in `other` resolve too.
    assert_eq!(
        m.endpoint("pushed_authorization_request_endpoint", true),
        Some("https://mtls.as.example/par")
    );
    assert_eq!(
        m.endpoint("pushed_authorization_request_endpoint", false),
        Some("https://as.example/par")
    );
    assert_eq!(
        m.endpoint("userinfo_endpoint", true),
        Some("https://as.example/userinfo")
    );
    assert_eq!(m.other["mtls_issuer"], "https://mtls.as.example");
}

#[test]
fn as_metadata_errors() {
    assert!(matches!(
        AuthorizationServerMetadata::from_json(&read("truncated.json")),
        Err(MetadataError::Malformed { .. })
    ));
    assert!(matches!(
        AuthorizationServerMetadata::from_json(&read("not-object.json")),
        Err(MetadataError::Malformed { .. })
    ));
    // issuer is required.
    assert!(AuthorizationServerMetadata::from_json(br#"{"token_endpoint":"x"}"#).is_err());
    // mtls_endpoint_aliases must be an object.
    assert!(
        AuthorizationServerMetadata::from_json(br#"{"issuer":"i","mtls_endpoint_aliases":[]}"#)
            .is_err()
    );
    let big = vec![b' '; MAX_METADATA_LEN + 1];
    assert_eq!(
        AuthorizationServerMetadata::from_json(&big),
        Err(MetadataError::TooLarge {
            len: MAX_METADATA_LEN + 1
        })
    );
    assert_eq!(
        MetadataError::TooLarge { len: 0 }.oauth_error_code(),
        OAuthErrorCode::InvalidClientMetadata
    );
}

#[test]
fn protected_resource_metadata_round_trip() {
    let m: ProtectedResourceMetadata = round_trips(&read("prm.json"));
    assert_eq!(m.resource, "https://resource.example.com");
    assert!(m.supports_bound_tokens());
    assert_eq!(
        m.authorization_servers.as_deref(),
        Some(&["https://server.example.com".to_string()][..])
    );
    assert_eq!(m.other["scopes_supported"][1], "write");
    assert!(
        !ProtectedResourceMetadata::from_json(br#"{"resource":"r"}"#)
            .unwrap()
            .supports_bound_tokens()
    );
    assert!(ProtectedResourceMetadata::from_json(br#"{"authorization_servers":[]}"#).is_err());
}

#[test]
fn well_known_urls() {
    let ok = [
        (
            "https://resource.example.com",
            "https://resource.example.com/.well-known/oauth-protected-resource",
        ),
        (
            "https://resource.example.com/",
            "https://resource.example.com/.well-known/oauth-protected-resource",
        ),
        (
            "https://resource.example.com/resource1",
            "https://resource.example.com/.well-known/oauth-protected-resource/resource1",
        ),
        (
            "https://resource.example.com:8443/a/b/",
            "https://resource.example.com:8443/.well-known/oauth-protected-resource/a/b/",
        ),
        (
            "https://resource.example.com/?q=1",
            "https://resource.example.com/.well-known/oauth-protected-resource?q=1",
        ),
    ];
    for (resource, url) in ok {
        assert_eq!(
            protected_resource_metadata_url(resource).as_deref(),
            Ok(url),
            "{resource}"
        );
    }
    assert_eq!(
        protected_resource_metadata_url("http://resource.example.com"),
        Err(ResourceIdentifierError::NotHttps)
    );
    assert_eq!(
        protected_resource_metadata_url("https://r.example/#frag"),
        Err(ResourceIdentifierError::Fragment)
    );
    assert_eq!(
        protected_resource_metadata_url("https:///path"),
        Err(ResourceIdentifierError::NoHost)
    );
    assert_eq!(
        protected_resource_metadata_url("htt"),
        Err(ResourceIdentifierError::NotHttps)
    );
}

#[test]
fn client_metadata_round_trip_and_valid() {
    let m: ClientMetadata = round_trips(&read("client-tls.json"));
    assert!(m.wants_bound_tokens());
    assert_eq!(m.other["client_name"], "Example client");
    assert_eq!(m.validate(), Ok(()));
}

fn client(json: &str) -> ClientMetadata {
    ClientMetadata::from_json(json.as_bytes()).unwrap()
}

#[test]
fn client_metadata_rules_both_ways() {
    use ClientMetadataError::*;
    let cases: &[(&str, Result<(), ClientMetadataError>)] = &[
        // jwks and jwks_uri.
        (
            r#"{"jwks":{"keys":[]},"jwks_uri":"https://c.example/jwks"}"#,
            Err(JwksAndJwksUri),
        ),
        (r#"{"jwks":{"keys":[]}}"#, Ok(())),
        (r#"{"jwks_uri":"https://c.example/jwks"}"#, Ok(())),
        // jwks shape.
        (r#"{"jwks":[]}"#, Err(JwksNotAKeySet)),
        (r#"{"jwks":{"keys":{}}}"#, Err(JwksNotAKeySet)),
        (r#"{"jwks":{"kty":"EC"}}"#, Err(JwksNotAKeySet)),
        // self_signed_tls_client_auth needs keys.
        (
            r#"{"token_endpoint_auth_method":"self_signed_tls_client_auth"}"#,
            Err(SelfSignedWithoutKeys),
        ),
        // validate() also runs the per-key checks: a set without a certificate cannot
        // authenticate anybody.
        (
            r#"{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks":{"keys":[]}}"#,
            Err(Keys(rfc8705::jwk::JwkRegistrationError::NoCertificate {
                keys: 0,
            })),
        ),
        // ...and the subject rules of tls_client_auth.
        (
            r#"{"token_endpoint_auth_method":"tls_client_auth"}"#,
            Err(Subject(
                rfc8705::client_auth::tls::TlsClientAuthMetadataError::NoSubject,
            )),
        ),
        (
            r#"{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks_uri":"https://c/j"}"#,
            Ok(()),
        ),
        // tls_client_auth_* members only with tls_client_auth.
        (
            r#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_email":"a@b.example"}"#,
            Ok(()),
        ),
        (
            r#"{"tls_client_auth_subject_dn":"CN=a"}"#,
            Err(SubjectWithoutTlsClientAuth {
                member: "tls_client_auth_subject_dn",
            }),
        ),
        (
            r#"{"token_endpoint_auth_method":"private_key_jwt","tls_client_auth_san_uri":"https://c"}"#,
            Err(SubjectWithoutTlsClientAuth {
                member: "tls_client_auth_san_uri",
            }),
        ),
        (
            r#"{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks":{"keys":[]},"tls_client_auth_san_ip":"10.0.0.1"}"#,
            Err(SubjectWithoutTlsClientAuth {
                member: "tls_client_auth_san_ip",
            }),
        ),
        (
            r#"{"token_endpoint_auth_method":"none","tls_client_auth_san_dns":"c.example"}"#,
            Err(SubjectWithoutTlsClientAuth {
                member: "tls_client_auth_san_dns",
            }),
        ),
        // Not a tls_client_auth_* member: fine with any method.
        (
            r#"{"tls_client_certificate_bound_access_tokens":true}"#,
            Ok(()),
        ),
    ];
    for (json, expected) in cases {
        let got = client(json).validate();
        assert_eq!(&got, expected, "{json}");
        if let Err(e) = got {
            assert_eq!(e.oauth_error_code(), OAuthErrorCode::InvalidClientMetadata);
        }
    }
}

#[test]
fn auth_method_default() {
    assert_eq!(client("{}").auth_method().as_str(), "client_secret_basic");
    assert_eq!(
        client(r#"{"token_endpoint_auth_method":"tls_client_auth"}"#).auth_method(),
        TokenEndpointAuthMethod::TlsClientAuth
    );
}

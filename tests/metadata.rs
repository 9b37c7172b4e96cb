//! Metadata documents: round trips keeping unknown members, RFC 8705 section 5 endpoint
//! resolution, RFC 9728 documents and well-known URLs, client metadata validation.
use rfc8705::metadata::{
    AuthorizationServerMetadata, ClientMetadata, MetadataError, ProtectedResourceMetadata,
    TokenEndpointAuthMethod, UrlProblem, protected_resource_metadata_url,
};
use rfc8705::{MtlsClientAuth, RegistrationError};

/// The documented size limit of every metadata document.
const MAX_METADATA_LEN: usize = 256 * 1024;
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
    assert!(m.tls_client_certificate_bound_access_tokens == Some(true));
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
    assert_eq!(
        m.endpoint("authorization_endpoint", true),
        Some("https://as.example/authz")
    );
    assert_eq!(m.endpoint("jwks_uri", true), None);
    // A non-string alias is ignored: the top level is used.
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
}

#[test]
fn protected_resource_metadata_round_trip() {
    let m: ProtectedResourceMetadata = round_trips(&read("prm.json"));
    assert_eq!(m.resource, "https://resource.example.com");
    assert!(m.tls_client_certificate_bound_access_tokens == Some(true));
    assert_eq!(
        m.authorization_servers.as_deref(),
        Some(&["https://server.example.com".to_string()][..])
    );
    assert_eq!(m.other["scopes_supported"][1], "write");
    assert_eq!(
        ProtectedResourceMetadata::from_json(br#"{"resource":"r"}"#)
            .unwrap()
            .tls_client_certificate_bound_access_tokens,
        None
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
        Err(UrlProblem::NotHttps)
    );
    assert_eq!(
        protected_resource_metadata_url("https://r.example/#frag"),
        Err(UrlProblem::Fragment)
    );
    assert_eq!(
        protected_resource_metadata_url("https:///path"),
        Err(UrlProblem::NoHost)
    );
    assert_eq!(
        protected_resource_metadata_url("htt"),
        Err(UrlProblem::NotHttps)
    );
}

#[test]
fn client_metadata_round_trip_and_valid() {
    let m: ClientMetadata = round_trips(&read("client-tls.json"));
    assert!(m.tls_client_certificate_bound_access_tokens == Some(true));
    assert_eq!(m.other["client_name"], "Example client");
    assert!(MtlsClientAuth::from_metadata(&m).is_ok());
}

fn client(json: &str) -> ClientMetadata {
    ClientMetadata::from_json(json.as_bytes()).unwrap()
}

#[test]
fn client_metadata_rules_both_ways() {
    use MetadataError::*;
    use RegistrationError::{
        Document, Keys, NoSubject, SelfSignedWithoutKeys, SubjectWithoutTlsClientAuth,
    };
    let cases: &[(&str, Result<(), RegistrationError>)] = &[
        // jwks and jwks_uri.
        (
            r#"{"jwks":{"keys":[]},"jwks_uri":"https://c.example/jwks"}"#,
            Err(Document(JwksAndJwksUri)),
        ),
        (r#"{"jwks":{"keys":[]}}"#, Ok(())),
        (r#"{"jwks_uri":"https://c.example/jwks"}"#, Ok(())),
        // jwks shape.
        (r#"{"jwks":[]}"#, Err(Document(JwksNotAKeySet))),
        (r#"{"jwks":{"keys":{}}}"#, Err(Document(JwksNotAKeySet))),
        (r#"{"jwks":{"kty":"EC"}}"#, Err(Document(JwksNotAKeySet))),
        // self_signed_tls_client_auth needs keys.
        (
            r#"{"token_endpoint_auth_method":"self_signed_tls_client_auth"}"#,
            Err(SelfSignedWithoutKeys),
        ),
        // from_metadata also runs the per-key checks: a set without a certificate cannot
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
            Err(NoSubject),
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
        let got = MtlsClientAuth::from_metadata(&client(json)).map(|_| ());
        assert_eq!(&got, expected, "{json}");
    }
}

#[test]
fn auth_method_default() {
    assert_eq!(
        client("{}").auth_method().to_string(),
        "client_secret_basic"
    );
    assert_eq!(
        client(r#"{"token_endpoint_auth_method":"tls_client_auth"}"#).auth_method(),
        TokenEndpointAuthMethod::TlsClientAuth
    );
}

fn url_error(member: &str, problem: UrlProblem) -> Result<(), MetadataError> {
    Err(MetadataError::Url {
        member: member.into(),
        problem,
    })
}

fn as_doc(json: &str) -> AuthorizationServerMetadata {
    AuthorizationServerMetadata::from_json(json.as_bytes()).unwrap()
}

#[test]
fn as_metadata_validates_the_published_vector() {
    let m = AuthorizationServerMetadata::from_json(&read("tv3-as-metadata.json")).unwrap();
    assert_eq!(m.validate(), Ok(()));
}

#[test]
fn as_issuer_rules_both_ways() {
    // RFC 8414 section 2: https, no query, no fragment.
    for ok in [
        "https://as.example",
        "https://as.example/",
        "https://as.example/tenant/a",
        "HTTPS://as.example",
        "https://as.example:8443",
        "https://[2001:db8::1]:8443/t",
        "https://127.0.0.1",
    ] {
        assert_eq!(
            AuthorizationServerMetadata::new(ok).validate(),
            Ok(()),
            "{ok}"
        );
    }
    for (bad, problem) in [
        ("http://as.example", UrlProblem::NotHttps),
        ("as.example", UrlProblem::NotHttps),
        ("", UrlProblem::NotHttps),
        ("https://", UrlProblem::NoHost),
        ("https:///path", UrlProblem::NoHost),
        ("https://:443/", UrlProblem::NoHost),
        ("https://user@/", UrlProblem::NoHost),
        ("https://[]/", UrlProblem::NoHost),
        ("https://as.example/?tenant=a", UrlProblem::Query),
        ("https://as.example?x", UrlProblem::Query),
        ("https://as.example/#top", UrlProblem::Fragment),
        ("https://as.example/ a", UrlProblem::InvalidCharacter),
        ("https://as.example/\n", UrlProblem::InvalidCharacter),
    ] {
        assert_eq!(
            AuthorizationServerMetadata::new(bad).validate(),
            url_error("issuer", problem),
            "{bad:?}"
        );
    }
}

#[test]
fn as_endpoint_rules_both_ways() {
    // A query is fine in an endpoint (RFC 6749 section 3.1 allows one), a fragment is not.
    let ok = as_doc(
        r#"{"issuer":"https://as.example","token_endpoint":"https://as.example/token?v=2",
            "userinfo_endpoint":"https://as.example/me","jwks_uri":"https://as.example/jwks"}"#,
    );
    assert_eq!(ok.validate(), Ok(()));
    for (json, member, problem) in [
        (
            r#"{"issuer":"https://as.example","token_endpoint":"http://as.example/token"}"#,
            "token_endpoint",
            UrlProblem::NotHttps,
        ),
        (
            r#"{"issuer":"https://as.example","authorization_endpoint":"https://as.example/a#x"}"#,
            "authorization_endpoint",
            UrlProblem::Fragment,
        ),
        (
            r#"{"issuer":"https://as.example","jwks_uri":"/jwks"}"#,
            "jwks_uri",
            UrlProblem::NotHttps,
        ),
        (
            r#"{"issuer":"https://as.example","introspection_endpoint":"https://"}"#,
            "introspection_endpoint",
            UrlProblem::NoHost,
        ),
        (
            r#"{"issuer":"https://as.example","userinfo_endpoint":42}"#,
            "userinfo_endpoint",
            UrlProblem::NotAString,
        ),
        (
            r#"{"issuer":"https://as.example","pushed_authorization_request_endpoint":"ftp://as/par"}"#,
            "pushed_authorization_request_endpoint",
            UrlProblem::NotHttps,
        ),
    ] {
        assert_eq!(
            as_doc(json).validate(),
            url_error(member, problem),
            "{json}"
        );
    }
    // Members that are not endpoints are not URLs the client calls: not checked.
    let docs = as_doc(r#"{"issuer":"https://as.example","service_documentation":"http://docs"}"#);
    assert_eq!(docs.validate(), Ok(()));
}

#[test]
fn as_alias_rules_both_ways() {
    // The fixture's non-string token_endpoint alias is silently ignored by `endpoint`
    // (meaningless_aliases_are_ignored); validate() is where it shows.
    let m = AuthorizationServerMetadata::from_json(&read("as-extra-aliases.json")).unwrap();
    assert_eq!(
        m.validate(),
        url_error(
            "mtls_endpoint_aliases.token_endpoint",
            UrlProblem::NotAString
        )
    );
    // Aliases of members that are not direct endpoints are ignored, whatever they hold.
    let ignored = as_doc(
        r#"{"issuer":"https://as.example","mtls_endpoint_aliases":{
            "authorization_endpoint":"http://x#y","jwks_uri":7,"token_endpoint":"https://mtls/t"}}"#,
    );
    assert_eq!(ignored.validate(), Ok(()));
    let http = as_doc(
        r#"{"issuer":"https://as.example","mtls_endpoint_aliases":{"revocation_endpoint":"http://mtls/r"}}"#,
    );
    assert_eq!(
        http.validate(),
        url_error(
            "mtls_endpoint_aliases.revocation_endpoint",
            UrlProblem::NotHttps
        )
    );
    let empty = as_doc(r#"{"issuer":"https://as.example","mtls_endpoint_aliases":{}}"#);
    assert_eq!(empty.validate(), Err(MetadataError::EmptyAliases));
    // Member names from the document are escaped in the error.
    let odd = as_doc(r#"{"issuer":"https://as.example","x\n_endpoint":"http://a"}"#);
    let err = odd.validate().unwrap_err();
    assert_eq!(
        err,
        MetadataError::Url {
            member: "x\\n_endpoint".into(),
            problem: UrlProblem::NotHttps,
        }
    );
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn protected_resource_metadata_rules_both_ways() {
    let m = ProtectedResourceMetadata::from_json(&read("prm.json")).unwrap();
    assert_eq!(m.validate(), Ok(()));
    let prm = |json: &str| ProtectedResourceMetadata::from_json(json.as_bytes()).unwrap();
    assert_eq!(
        prm(r#"{"resource":"https://rs.example/api?x=1"}"#).validate(),
        Ok(())
    );
    for (json, member, problem) in [
        (
            r#"{"resource":"http://rs.example"}"#,
            "resource",
            UrlProblem::NotHttps,
        ),
        (
            r#"{"resource":"https://rs.example/#a"}"#,
            "resource",
            UrlProblem::Fragment,
        ),
        (
            r#"{"resource":"https://rs.example","authorization_servers":["https://as.example","https://as.example?t=1"]}"#,
            "authorization_servers[1]",
            UrlProblem::Query,
        ),
        (
            r#"{"resource":"https://rs.example","authorization_servers":["http://as.example"]}"#,
            "authorization_servers[0]",
            UrlProblem::NotHttps,
        ),
        (
            r#"{"resource":"https://rs.example","jwks_uri":["https://rs.example/jwks"]}"#,
            "jwks_uri",
            UrlProblem::NotAString,
        ),
    ] {
        assert_eq!(prm(json).validate(), url_error(member, problem), "{json}");
    }
}

proptest::proptest! {
    /// Any https URL built from a host, a port and path segments is a valid issuer and
    /// endpoint; adding a query makes it an invalid issuer only; a fragment, invalid both.
    #[test]
    fn https_urls_validate(
        host in "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\\.[a-z0-9]{1,10}){0,3}",
        port in proptest::option::of(1u16..),
        path in proptest::collection::vec("[A-Za-z0-9._~-]{1,12}", 0..4),
    ) {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let base = format!("https://{host}{port}/{}", path.join("/"));
        proptest::prop_assert_eq!(AuthorizationServerMetadata::new(base.as_str()).validate(), Ok(()));
        let with_query = format!("{base}?a=b");
        proptest::prop_assert_eq!(
            AuthorizationServerMetadata::new(with_query.as_str()).validate(),
            url_error("issuer", UrlProblem::Query)
        );
        let mut endpoint = AuthorizationServerMetadata::new(base.as_str());
        endpoint.token_endpoint = Some(with_query);
        proptest::prop_assert_eq!(endpoint.validate(), Ok(()));
        endpoint.token_endpoint = Some(format!("{base}#f"));
        proptest::prop_assert_eq!(endpoint.validate(), url_error("token_endpoint", UrlProblem::Fragment));
        let http = base.replacen("https", "http", 1);
        proptest::prop_assert_eq!(
            AuthorizationServerMetadata::new(http.as_str()).validate(),
            url_error("issuer", UrlProblem::NotHttps)
        );
    }
}

/// Every repeated member is refused the same way, whether the derived reader knows it
/// (`token_endpoint_auth_method`) or it lands in `other` (the issuer extension members).
#[test]
fn every_repeated_member_is_refused_the_same_way() {
    let pin_a = "a3D2J4bMNRmyFfoG9ctHA3XcDbKKfOLD5A3Oe0OJaGE";
    let pin_b = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";
    for (member, first, second) in [
        (
            "token_endpoint_auth_method",
            r#""tls_client_auth""#,
            r#""client_secret_basic""#,
        ),
        (
            "tls_client_auth_issuer_spki_s256",
            &*format!(r#"["{pin_a}"]"#),
            &*format!(r#"["{pin_b}"]"#),
        ),
        (
            "tls_client_auth_trust_anchors",
            r#"["AA=="]"#,
            r#"["AA=="]"#,
        ),
        ("client_name", r#""a""#, r#""b""#),
    ] {
        let json = format!(
            r#"{{"tls_client_auth_subject_dn":"CN=a","{member}":{first},"{member}":{second}}}"#
        );
        let err = ClientMetadata::from_json(json.as_bytes()).unwrap_err();
        assert!(
            matches!(err, MetadataError::Malformed { line: 1, .. }),
            "{member}: {err:?}"
        );
    }
    // At any depth: a JWK that repeats a member.
    let nested = br#"{"jwks":{"keys":[{"kty":"EC","kty":"RSA"}]}}"#;
    assert!(matches!(
        ClientMetadata::from_json(nested),
        Err(MetadataError::Malformed { .. })
    ));
    // The positive control: the same members once each.
    let once = format!(
        r#"{{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=a","tls_client_auth_issuer_spki_s256":["{pin_a}"]}}"#
    );
    let m = ClientMetadata::from_json(once.as_bytes()).unwrap();
    assert!(MtlsClientAuth::from_metadata(&m).unwrap().is_some());
}

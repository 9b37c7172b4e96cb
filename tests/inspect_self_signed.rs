//! `inspect match <cert> --client metadata.json` for `self_signed_tls_client_auth`.
mod common;
use common::{data, inspect};

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};

#[test]
fn the_appendix_a_certificate_matches_its_registration() {
    let run = inspect(
        &[
            "match",
            &data("rfc8705-appendix-a.pem"),
            "--client",
            &data("jwk/client-appendix-a.json"),
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.trim(),
        "self_signed_tls_client_auth: matched x5c[0] of key 0 (no kid): the registered certificate (A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0)"
    );
}

#[test]
fn another_certificate_does_not_match() {
    let run = inspect(
        &[
            "match",
            &data("rfc9440-leaf.pem"),
            "--client",
            &data("jwk/client-appendix-a.json"),
        ],
        b"",
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with(
            "no: the certificate (v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes) is not x5c[0] of any key"
        ),
        "{run:?}"
    );
}

#[test]
fn jwks_uri_is_not_fetched() {
    let run = inspect(
        &[
            "match",
            &data("rfc8705-appendix-a.pem"),
            "--client",
            &data("jwk/client-jwks-uri.json"),
        ],
        b"",
    );
    run.assert_exit(2, "inspect does not fetch");
}

#[test]
fn an_invalid_registration_exits_2_naming_the_key() {
    let run = inspect(
        &[
            "match",
            &data("rfc8705-appendix-a.pem"),
            "--client",
            &data("jwk/client-x5c-base64url.json"),
        ],
        b"",
    );
    run.assert_exit(
        2,
        "invalid registration: jwks: key 0 (kid \"tls-2018\") x5c[0] is base64url",
    );
}

#[test]
fn a_renewed_certificate_is_explained() {
    let key = KeyPair::generate().unwrap();
    let cert = |cn: &str| {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, cn);
        params.distinguished_name = dn;
        params.self_signed(&key).unwrap()
    };
    let registered = cert("v1");
    let renewed = cert("v2");
    let point = key.public_key_raw();
    let metadata = serde_json::json!({
        "token_endpoint_auth_method": "self_signed_tls_client_auth",
        "jwks": {"keys": [{
            "kty": "EC", "crv": "P-256", "kid": "tls",
            "x": Base64UrlUnpadded::encode_string(&point[1..33]),
            "y": Base64UrlUnpadded::encode_string(&point[33..]),
            "x5c": [Base64::encode_string(registered.der())],
        }]}
    });
    let dir = std::env::temp_dir().join(format!(
        "rfc8705-inspect-self-signed-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("client.json");
    std::fs::write(&path, serde_json::to_vec(&metadata).unwrap()).unwrap();
    let path = path.to_str().unwrap();

    let run = inspect(
        &["match", "-", "--client", path],
        registered.pem().as_bytes(),
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("key 0 (kid \"tls\")"), "{run:?}");

    let run = inspect(&["match", "-", "--client", path], renewed.pem().as_bytes());
    run.assert_exit(1, "re-issued certificate");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn metadata_that_is_not_client_metadata_exits_2() {
    let dir = std::env::temp_dir().join(format!("rfc8705-inspect-bad-md-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("client.json");
    std::fs::write(
        &path,
        br#"{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks_uri":42}"#,
    )
    .unwrap();
    let run = inspect(
        &[
            "match",
            &data("rfc8705-appendix-a.pem"),
            "--client",
            path.to_str().unwrap(),
        ],
        b"",
    );
    run.assert_exit(2, "not valid RFC 7591 client metadata");
    std::fs::remove_dir_all(&dir).ok();
}

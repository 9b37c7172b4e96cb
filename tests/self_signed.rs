//! `self_signed_tls_client_auth`: JWK Sets with x5c against presented certificates, with
//! certificates made by rcgen at test time and the RFC 8705 Appendix A vector.
mod common;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use common::self_signed_authenticate as authenticate;
use proptest::prelude::*;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, SignatureAlgorithm};
use rfc8705::client_auth::{RenewedCertificatePolicy, SelfSignedMismatch};
use rfc8705::jwk::{JwkProblem, JwkRegistrationError, JwkSet};
use rfc8705::metadata::{ClientMetadata, MetadataError};
use rfc8705::{ClientCertificate, MtlsClientAuth, RegistrationError};
use serde_json::{Value, json};
use std::sync::OnceLock;

const APPENDIX_A_JWKS: &str = include_str!("data/jwk/rfc8705-appendix-a.jwks.json");
const APPENDIX_A_PEM: &str = include_str!("data/rfc8705-appendix-a.pem");

/// A key pair and a self-signed certificate for it.
struct Client {
    key: KeyPair,
    der: Vec<u8>,
}

fn self_signed(key: &KeyPair, cn: &str) -> Vec<u8> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    params.distinguished_name = dn;
    params.self_signed(key).unwrap().der().to_vec()
}

fn client(alg: &'static SignatureAlgorithm, cn: &str) -> Client {
    let key = KeyPair::generate_for(alg).unwrap();
    let der = self_signed(&key, cn);
    Client { key, der }
}

fn b64url(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Reads one DER TLV: (tag, contents, rest). Test-only, independent of the crate's parser.
fn tlv(input: &[u8]) -> (u8, &[u8], &[u8]) {
    let tag = input[0];
    let (len, header) = match input[1] {
        l if l < 0x80 => (l as usize, 2),
        0x81 => (input[2] as usize, 3),
        0x82 => (((input[2] as usize) << 8) | input[3] as usize, 4),
        other => panic!("unexpected length byte {other:#x}"),
    };
    (tag, &input[header..header + len], &input[header + len..])
}

/// The JWK members of a key pair, computed from rcgen's raw public key.
fn key_members(key: &KeyPair) -> Value {
    let raw = key.public_key_raw();
    let alg = key.algorithm();
    if alg == &rcgen::PKCS_ED25519 {
        json!({"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)})
    } else if alg == &rcgen::PKCS_RSA_SHA256 {
        // RSAPublicKey ::= SEQUENCE { n INTEGER, e INTEGER }; INTEGERs carry a sign octet.
        let (_, seq, _) = tlv(raw);
        let (_, n, rest) = tlv(seq);
        let (_, e, _) = tlv(rest);
        let strip = |b: &[u8]| {
            b.iter()
                .skip_while(|x| **x == 0)
                .copied()
                .collect::<Vec<u8>>()
        };
        json!({"kty": "RSA", "n": b64url(&strip(n)), "e": b64url(&strip(e))})
    } else {
        let (crv, len) = if alg == &rcgen::PKCS_ECDSA_P256_SHA256 {
            ("P-256", 32)
        } else if alg == &rcgen::PKCS_ECDSA_P384_SHA384 {
            ("P-384", 48)
        } else {
            ("P-521", 66)
        };
        assert_eq!(raw[0], 0x04);
        assert_eq!(raw.len(), 1 + 2 * len);
        json!({"kty": "EC", "crv": crv, "x": b64url(&raw[1..1 + len]), "y": b64url(&raw[1 + len..])})
    }
}

/// A JWK for `key` whose x5c is `certs` (standard base64).
fn jwk(key: &KeyPair, kid: &str, certs: &[&[u8]]) -> Value {
    let mut v = key_members(key);
    v["kid"] = json!(kid);
    v["x5c"] = certs.iter().map(|c| Base64::encode_string(c)).collect();
    v
}

/// A parsed set and the JSON it came from.
struct Set {
    parsed: JwkSet,
    json: Value,
}

impl std::ops::Deref for Set {
    type Target = JwkSet;
    fn deref(&self) -> &JwkSet {
        &self.parsed
    }
}

impl Set {
    /// The set as a `self_signed_tls_client_auth` registration, through the one entry point.
    fn validate_registration(&self) -> Result<(), JwkRegistrationError> {
        let m = metadata(
            json!({"token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": self.json}),
        );
        match MtlsClientAuth::from_metadata(&m) {
            Ok(Some(MtlsClientAuth::SelfSigned(_))) => Ok(()),
            Err(RegistrationError::Keys(e)) => Err(e),
            other => panic!("not a self-signed registration outcome: {other:?}"),
        }
    }
}

fn parse(json: Value) -> Set {
    Set {
        parsed: JwkSet::from_json(json.to_string().as_bytes()).unwrap(),
        json,
    }
}

fn set(keys: Vec<Value>) -> Set {
    parse(json!({ "keys": keys }))
}

fn cert(der: &[u8]) -> ClientCertificate<'_> {
    ClientCertificate::from_der(der).unwrap()
}

#[test]
fn rfc8705_appendix_a_jwk_authenticates_its_certificate() {
    let set = parse(serde_json::from_str(APPENDIX_A_JWKS).unwrap());
    set.validate_registration().unwrap();
    let presented = ClientCertificate::from_pem(APPENDIX_A_PEM.as_bytes()).unwrap();
    let hit = authenticate(&presented, &set, RenewedCertificatePolicy::Reject).unwrap();
    assert!(
        hit.to_string().ends_with(": the registered certificate"),
        "{hit}"
    );
    assert!(hit.to_string().contains("of key 0 ("), "{hit}");
    assert_eq!(
        hit.thumbprint().to_string(),
        "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
    );
    // Another certificate does not authenticate against it.
    let other = client(&rcgen::PKCS_ECDSA_P256_SHA256, "mtls");
    let miss = authenticate(&cert(&other.der), &set, RenewedCertificatePolicy::Reject).unwrap_err();
    assert!(matches!(
        miss,
        SelfSignedMismatch::NotRegistered { certified: 1, .. }
    ));
}

fn round_trip(alg: &'static SignatureAlgorithm) {
    let mine = client(alg, "me");
    let stranger = client(alg, "me");
    let set = set(vec![jwk(&mine.key, "mine", &[&mine.der])]);
    set.validate_registration()
        .unwrap_or_else(|e| panic!("{alg:?}: {e}"));
    let hit = authenticate(
        &cert(&mine.der),
        &set,
        RenewedCertificatePolicy::AcceptSameKey,
    )
    .unwrap();
    assert!(hit.to_string().contains("(kid \"mine\")"), "{hit}");
    assert!(
        hit.to_string().ends_with(": the registered certificate"),
        "{hit}"
    );
    assert!(matches!(
        authenticate(
            &cert(&stranger.der),
            &set,
            RenewedCertificatePolicy::AcceptSameKey
        ),
        Err(SelfSignedMismatch::NotRegistered { .. })
    ));
    // The same JWK members with the stranger's certificate in x5c is an invalid registration.
    let swapped = self::set(vec![jwk(&mine.key, "mine", &[&stranger.der])]);
    let err = swapped.validate_registration().unwrap_err();
    assert!(
        matches!(
            &err,
            JwkRegistrationError::Key { problem: JwkProblem::CertificateKeyDiffers { .. }, name }
                if name.kid() == Some("mine")
        ),
        "{alg:?}: {err}"
    );
}

#[test]
fn rsa_certificate_from_rcgen() {
    round_trip(&rcgen::PKCS_RSA_SHA256);
}

#[test]
fn rsa_modulus_with_a_leading_zero_octet_is_the_same_key() {
    let mine = client(&rcgen::PKCS_RSA_SHA256, "me");
    let mut key = jwk(&mine.key, "mine", &[&mine.der]);
    let n = Base64UrlUnpadded::decode_vec(key["n"].as_str().unwrap()).unwrap();
    let mut padded = vec![0];
    padded.extend_from_slice(&n);
    key["n"] = json!(b64url(&padded));
    set(vec![key]).validate_registration().unwrap();
}

#[test]
fn ec_p256_certificate_from_rcgen() {
    round_trip(&rcgen::PKCS_ECDSA_P256_SHA256);
}

#[test]
fn ec_p384_certificate_from_rcgen() {
    round_trip(&rcgen::PKCS_ECDSA_P384_SHA384);
}

#[test]
fn ec_p521_certificate_from_rcgen() {
    round_trip(&rcgen::PKCS_ECDSA_P521_SHA512);
}

#[test]
fn ed25519_certificate_from_rcgen() {
    round_trip(&rcgen::PKCS_ED25519);
}

#[test]
fn a_mixed_set_authenticates_by_the_certificate_key() {
    let signing_ec = KeyPair::generate().unwrap();
    let signing_rsa = KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let tls = client(&rcgen::PKCS_ECDSA_P256_SHA256, "client-tls");
    let mut sig1 = key_members(&signing_ec);
    sig1["kid"] = json!("sig-ec");
    sig1["use"] = json!("sig");
    sig1["alg"] = json!("ES256");
    let mut sig2 = key_members(&signing_rsa);
    sig2["kid"] = json!("enc-rsa");
    sig2["alg"] = json!("RSA-OAEP-256");
    let unknown = json!({"kty": "AKP", "kid": "pq", "alg": "ML-DSA-44", "pub": "AAAA"});
    let set = set(vec![sig1, unknown, sig2, jwk(&tls.key, "tls", &[&tls.der])]);
    set.validate_registration().unwrap();
    // The two signing keys have no x5c: neither certified nor skipped.
    assert_eq!(set.certified().len(), 1);
    assert_eq!(set.skipped().len(), 1);
    let (name, problem) = set.skipped().next().unwrap();
    assert_eq!(name.kid(), Some("pq"));
    assert_eq!(
        problem,
        &JwkProblem::UnsupportedKeyType { kty: "AKP".into() }
    );
    let hit = authenticate(&cert(&tls.der), &set, RenewedCertificatePolicy::Reject).unwrap();
    assert!(hit.to_string().contains("of key 3 ("), "{hit}");
    assert_eq!(
        hit.to_string(),
        "matched x5c[0] of key 3 (kid \"tls\"): the registered certificate"
    );
    // A certificate for one of the signing keys is not registered: those keys have no x5c.
    let for_signing_key = self_signed(&signing_ec, "client-tls");
    assert!(matches!(
        authenticate(
            &cert(&for_signing_key),
            &set,
            RenewedCertificatePolicy::AcceptSameKey
        ),
        Err(SelfSignedMismatch::NotRegistered {
            certified: 1,
            without_x5c: 2,
            skipped: 1,
            ..
        })
    ));
}

#[test]
fn a_reissued_certificate_with_the_same_key_follows_the_policy() {
    let key = KeyPair::generate().unwrap();
    let registered = self_signed(&key, "client v1");
    let renewed = self_signed(&key, "client v2");
    assert_ne!(registered, renewed);
    let set = set(vec![jwk(&key, "tls", &[&registered])]);

    let err = authenticate(&cert(&renewed), &set, RenewedCertificatePolicy::Reject).unwrap_err();
    match &err {
        SelfSignedMismatch::SameKeyDifferentCertificate { key } => {
            assert_eq!(key.kid(), Some("tls"))
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("AcceptSameKey"), "{err}");

    let hit = authenticate(
        &cert(&renewed),
        &set,
        RenewedCertificatePolicy::AcceptSameKey,
    )
    .unwrap();
    assert!(
        hit.to_string()
            .contains("a different certificate for the registered key"),
        "{hit}"
    );
    assert!(hit.to_string().contains("(kid \"tls\")"), "{hit}");
    // The registered certificate itself is an exact match under either policy.
    for policy in [
        RenewedCertificatePolicy::Reject,
        RenewedCertificatePolicy::AcceptSameKey,
    ] {
        let hit = authenticate(&cert(&registered), &set, policy).unwrap();
        assert!(
            hit.to_string().ends_with(": the registered certificate"),
            "{hit}"
        );
    }
}

#[test]
fn a_jwk_whose_x5c_holds_another_key_is_invalid_and_never_matches() {
    let a = client(&rcgen::PKCS_ECDSA_P256_SHA256, "a");
    let b = client(&rcgen::PKCS_ED25519, "b");
    let set = set(vec![jwk(&a.key, "a", &[&b.der])]);
    let err = set.validate_registration().unwrap_err();
    assert_eq!(
        err.to_string(),
        "jwks: key 0 (kid \"a\") x5c[0] holds an Ed25519 key but the JWK is an EC P-256; RFC 7517 section 4.7 requires the same key"
    );
    let miss =
        authenticate(&cert(&b.der), &set, RenewedCertificatePolicy::AcceptSameKey).unwrap_err();
    assert!(
        matches!(&miss, SelfSignedMismatch::SkippedKey { key, .. } if key.kid() == Some("a")),
        "{miss}"
    );
}

#[test]
fn x5c_in_the_base64url_alphabet_is_named() {
    let mut v: Value = serde_json::from_str(APPENDIX_A_JWKS).unwrap();
    let x5c0 = v["keys"][0]["x5c"][0].as_str().unwrap().to_string();
    let url = b64url(&Base64::decode_vec(&x5c0).unwrap());
    v["keys"][0]["x5c"][0] = json!(url);
    let set = parse(v);
    let err = set.validate_registration().unwrap_err();
    assert_eq!(
        err,
        JwkRegistrationError::Key {
            name: set.skipped().next().unwrap().0.clone(),
            problem: JwkProblem::X5cBase64Url { position: 0 },
        }
    );
    assert!(
        err.to_string().contains("is base64url ('-' or '_')"),
        "{err}"
    );
    let presented = ClientCertificate::from_pem(APPENDIX_A_PEM.as_bytes()).unwrap();
    assert!(authenticate(&presented, &set, RenewedCertificatePolicy::AcceptSameKey).is_err());
}

#[test]
fn a_certificate_equal_only_to_x5c_1_never_authenticates() {
    let leaf = client(&rcgen::PKCS_ECDSA_P256_SHA256, "leaf");
    let issuer = client(&rcgen::PKCS_ECDSA_P256_SHA256, "issuer");
    let set = set(vec![jwk(&leaf.key, "leaf", &[&leaf.der, &issuer.der])]);
    set.validate_registration().unwrap();
    assert!(authenticate(&cert(&leaf.der), &set, RenewedCertificatePolicy::Reject).is_ok());
    for policy in [
        RenewedCertificatePolicy::Reject,
        RenewedCertificatePolicy::AcceptSameKey,
    ] {
        let miss = authenticate(&cert(&issuer.der), &set, policy).unwrap_err();
        assert!(
            matches!(&miss, SelfSignedMismatch::OnlyInChain { position: 1, key } if key.kid() == Some("leaf")),
            "{miss}"
        );
        assert!(miss.to_string().contains("only x5c[0]"), "{miss}");
    }
}

#[test]
fn declared_x5t_s256_must_be_the_thumbprint_of_x5c_0() {
    let me = client(&rcgen::PKCS_ECDSA_P256_SHA256, "me");
    let other = client(&rcgen::PKCS_ECDSA_P256_SHA256, "other");
    let mut good = jwk(&me.key, "me", &[&me.der]);
    good["x5t#S256"] = json!(cert(&me.der).thumbprint().to_string());
    set(vec![good.clone()]).validate_registration().unwrap();
    let mut bad = good;
    bad["x5t#S256"] = json!(cert(&other.der).thumbprint().to_string());
    assert!(matches!(
        set(vec![bad]).validate_registration(),
        Err(JwkRegistrationError::Key {
            problem: JwkProblem::X5tS256Mismatch { .. },
            ..
        })
    ));
}

fn metadata(v: Value) -> ClientMetadata {
    serde_json::from_value(v).unwrap()
}

#[test]
fn from_metadata_reads_the_registered_keys() {
    let jwks: Value = serde_json::from_str(APPENDIX_A_JWKS).unwrap();
    let m = metadata(
        json!({"token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": jwks}),
    );
    let Ok(Some(MtlsClientAuth::SelfSigned(set))) = MtlsClientAuth::from_metadata(&m) else {
        panic!("inline set expected")
    };
    let presented = ClientCertificate::from_pem(APPENDIX_A_PEM.as_bytes()).unwrap();
    assert!(authenticate(&presented, &set, RenewedCertificatePolicy::Reject).is_ok());

    let uri = metadata(
        json!({"token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks_uri": "https://c.example/jwks"}),
    );
    assert!(matches!(
        MtlsClientAuth::from_metadata(&uri),
        Ok(Some(MtlsClientAuth::SelfSignedJwksUri(u))) if u == "https://c.example/jwks"
    ));

    let both = metadata(
        json!({"token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": jwks, "jwks_uri": "https://c.example/jwks"}),
    );
    assert_eq!(
        MtlsClientAuth::from_metadata(&both).unwrap_err(),
        RegistrationError::Document(MetadataError::JwksAndJwksUri)
    );
    let neither = metadata(json!({"token_endpoint_auth_method": "self_signed_tls_client_auth"}));
    assert_eq!(
        MtlsClientAuth::from_metadata(&neither).unwrap_err(),
        RegistrationError::SelfSignedWithoutKeys
    );
    // The jwks of a tls_client_auth client is not read as certificates.
    let pki = metadata(
        json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_san_dns": "c.example", "jwks": jwks}),
    );
    assert!(matches!(
        MtlsClientAuth::from_metadata(&pki),
        Ok(Some(MtlsClientAuth::TlsClientAuth { .. }))
    ));
    let not_a_set = metadata(
        json!({"token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": [jwks]}),
    );
    let err = MtlsClientAuth::from_metadata(&not_a_set).unwrap_err();
    assert_eq!(
        err,
        RegistrationError::Document(MetadataError::JwksNotAKeySet)
    );
    let no_cert = metadata(
        json!({"token_endpoint_auth_method": "self_signed_tls_client_auth",
        "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": jwks["keys"][0]["x"], "y": jwks["keys"][0]["y"]}]}}),
    );
    assert_eq!(
        MtlsClientAuth::from_metadata(&no_cert).unwrap_err(),
        RegistrationError::Keys(JwkRegistrationError::NoCertificate { keys: 1 })
    );
}

/// A pool of clients generated once for the property tests.
fn pool() -> &'static [Client] {
    static POOL: OnceLock<Vec<Client>> = OnceLock::new();
    POOL.get_or_init(|| {
        (0..6)
            .map(|i| client(&rcgen::PKCS_ECDSA_P256_SHA256, &format!("client {i}")))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any set built from some clients of the pool (in any order, with noise keys) authenticates
    /// exactly those clients, naming the right key, and never one outside it.
    #[test]
    fn a_set_matches_exactly_its_own_certificates(
        members in proptest::sample::subsequence((0..6usize).collect::<Vec<_>>(), 0..=6).prop_shuffle(),
        noise in 0..3usize,
        policy in prop_oneof![Just(RenewedCertificatePolicy::Reject), Just(RenewedCertificatePolicy::AcceptSameKey)],
    ) {
        let pool = pool();
        let mut keys: Vec<Value> = (0..noise).map(|i| json!({"kty": "unknown", "kid": format!("noise {i}")})).collect();
        keys.extend(members.iter().map(|&m| jwk(&pool[m].key, &format!("client {m}"), &[&pool[m].der])));
        let set = set(keys);
        for (i, c) in pool.iter().enumerate() {
            let outcome = authenticate(&cert(&c.der), &set, policy);
            if let Some(pos) = members.iter().position(|&m| m == i) {
                let hit = outcome.unwrap();
                let expected = format!("of key {} (kid \"client {i}\")", noise + pos);
                prop_assert!(hit.to_string().contains(&expected), "{}", hit);
            } else {
                let is_not_registered = matches!(outcome, Err(SelfSignedMismatch::NotRegistered { .. }));
                prop_assert!(is_not_registered);
            }
        }
    }
}

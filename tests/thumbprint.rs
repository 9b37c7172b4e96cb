//! `x5t#S256` thumbprints against an independent implementation (OpenSSL, committed in
//! tests/data/thumbprints.txt by tests/data/make-thumbprints.sh), plus property tests of the
//! format/parse round trip and of binding: a different certificate never matches.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use rcgen::{CertificateParams, DnType, KeyPair};
use rfc8705::{ClientCertificate, Thumbprint, ThumbprintError};

fn data_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data"))
}

/// `file -> x5t#S256` as computed by OpenSSL.
fn openssl_thumbprints() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(data_dir().join("thumbprints.txt"))
        .expect("tests/data/thumbprints.txt (run tests/data/make-thumbprints.sh)");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (file, x5t) = l.split_once(' ').expect("`<file> <x5t#S256>` line");
            (file.to_owned(), x5t.to_owned())
        })
        .collect()
}

#[test]
fn committed_certificates_match_openssl() {
    let expected = openssl_thumbprints();
    let mut checked = 0;
    for entry in std::fs::read_dir(data_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("pem") {
            continue;
        }
        let pem = std::fs::read(&path).unwrap();
        if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
            continue; // keys and other PEM files have no thumbprint
        }
        let name = path.file_name().unwrap().to_str().unwrap();
        let want = expected.get(name).unwrap_or_else(|| {
            panic!("{name} has no line in thumbprints.txt: run tests/data/make-thumbprints.sh")
        });

        let cert = ClientCertificate::from_pem(&pem).unwrap();
        assert_eq!(cert.thumbprint().to_string(), *want, "{name}: from_pem");
        let from_der = Thumbprint::from_der(cert.der()).unwrap();
        assert_eq!(from_der, cert.thumbprint(), "{name}: from_der");
        assert_eq!(
            want.parse::<Thumbprint>().unwrap(),
            from_der,
            "{name}: parse"
        );
        checked += 1;
    }
    // The four RFC certificates at least; a file that lost its certificates would show here.
    assert!(checked >= 4, "only {checked} certificates found");
    assert_eq!(
        checked,
        expected.len(),
        "thumbprints.txt lists a certificate that is gone"
    );
}

#[test]
fn the_rfc_vectors_are_in_the_file() {
    // Pins the file to the values published in the RFCs, not only to OpenSSL's output.
    let expected = openssl_thumbprints();
    assert_eq!(
        expected["rfc8705-appendix-a.pem"],
        "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
    );
    assert_eq!(
        expected["rfc9440-leaf.pem"],
        "v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes"
    );
}

/// A self-signed certificate whose subject and SAN are derived from `name`.
fn generated(key: &KeyPair, name: &str, serial: u64) -> Vec<u8> {
    let mut params = CertificateParams::new(vec![format!("{name}.example.com")]).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.serial_number = Some(serial.into());
    params.self_signed(key).unwrap().der().to_vec()
}

proptest! {
    #[test]
    fn format_parse_round_trip(bytes in any::<[u8; 32]>()) {
        let t = Thumbprint::from_bytes(bytes);
        let s = t.to_string();
        prop_assert_eq!(s.len(), rfc8705::Thumbprint::ENCODED_LEN);
        prop_assert!(s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back: Thumbprint = s.parse().unwrap();
        prop_assert_eq!(back.as_bytes(), &bytes);
    }

    #[test]
    fn parse_never_panics_and_accepts_only_canonical(s in any::<String>()) {
        if let Ok(t) = s.parse::<Thumbprint>() {
            prop_assert_eq!(t.to_string(), s);
        }
    }

    /// Arbitrary strings almost never parse; 43 base64url characters often do. Each one
    /// either round-trips byte-identically or is rejected as non-canonical.
    #[test]
    fn base64url_shaped_strings_round_trip_or_are_non_canonical(s in "[A-Za-z0-9_-]{43}") {
        match s.parse::<Thumbprint>() {
            Ok(t) => prop_assert_eq!(t.to_string(), s),
            Err(e) => prop_assert_eq!(e, ThumbprintError::NonCanonical),
        }
    }

    #[test]
    fn near_misses_are_rejected(bytes in any::<[u8; 32]>(), pos in 0usize..43) {
        let s = Thumbprint::from_bytes(bytes).to_string();
        // Padding, whitespace, the standard alphabet and a lost character: all rejected.
        let padded = format!("{s}=");
        prop_assert!(padded.parse::<Thumbprint>().is_err());
        let mut spaced = s.clone();
        spaced.insert(pos, ' ');
        prop_assert!(spaced.parse::<Thumbprint>().is_err());
        let standard = s.replace('-', "+").replace('_', "/");
        prop_assert_eq!(standard.parse::<Thumbprint>().is_ok(), standard == s);
        let mut short = s.clone();
        short.remove(pos);
        prop_assert!(short.parse::<Thumbprint>().is_err());
    }

    #[test]
    fn a_changed_der_byte_never_matches(pos in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
        let t = Thumbprint::from_der(&der).unwrap();
        let mut other = der.clone();
        let i = pos.index(other.len());
        other[i] ^= flip;
        if let Ok(t2) = Thumbprint::from_der(&other) {
            prop_assert_ne!(t2, t);
        }
    }
}

proptest! {
    // Each case generates certificates: keep the count low.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_different_certificate_never_matches(
        a in "[a-z][a-z0-9-]{0,20}",
        b in "[a-z][a-z0-9-]{0,20}",
        serial_a in 1u64..u64::MAX,
        serial_b in 1u64..u64::MAX,
    ) {
        prop_assume!(a != b || serial_a != serial_b);
        let key = KeyPair::generate().unwrap();
        let der_a = generated(&key, &a, serial_a);
        let der_b = generated(&key, &b, serial_b);
        let t_a = ClientCertificate::from_der(&der_a).unwrap().thumbprint();
        let t_b = Thumbprint::from_der(&der_b).unwrap();
        prop_assert_ne!(t_a, t_b);
        prop_assert_eq!(Thumbprint::from_der(&der_a).unwrap(), t_a);
        prop_assert_eq!(ClientCertificate::from_der(&der_b).unwrap().thumbprint(), t_b);
    }

    #[test]
    fn the_same_subject_with_a_new_key_never_matches(name in "[a-z][a-z0-9-]{0,20}") {
        // Re-issuing a certificate with the same names but a new key must break the binding.
        let der_a = generated(&KeyPair::generate().unwrap(), &name, 1);
        let der_b = generated(&KeyPair::generate().unwrap(), &name, 1);
        let t_a = Thumbprint::from_der(&der_a).unwrap();
        prop_assert_ne!(t_a, Thumbprint::from_der(&der_b).unwrap());
    }
}

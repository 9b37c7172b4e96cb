//! Certificate input at the API level: DER, PEM and the auto-detecting reader, on committed
//! RFC certificates and on certificates generated with rcgen for several key types; every
//! rejection (empty, truncated, trailing bytes, not a certificate, over the size limits).
mod common;

use rcgen::{
    CertificateParams, CustomExtension, DnType, KeyPair, PKCS_ECDSA_P256_SHA256,
    PKCS_ECDSA_P384_SHA384, PKCS_ECDSA_P521_SHA512, PKCS_ED25519, PKCS_RSA_SHA256,
    SignatureAlgorithm,
};

/// The documented limits: 64 KiB of DER, 256 KiB of PEM text.
const MAX_DER_LEN: usize = 64 * 1024;
const MAX_PEM_LEN: usize = 256 * 1024;
use rfc8705::{CertificateError, ClientCertificate, Thumbprint};

/// DER when the input starts with a SEQUENCE tag, PEM otherwise: what `inspect` does.
fn pem_or_der(input: &[u8]) -> Result<ClientCertificate<'static>, CertificateError> {
    if input.first() == Some(&0x30) {
        ClientCertificate::from_der(input).map(ClientCertificate::into_owned)
    } else {
        ClientCertificate::from_pem(input)
    }
}

fn rfc_pem(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn appendix_a_der() -> Vec<u8> {
    rfc8705::__doc_support::rfc8705_appendix_a_der()
}

/// A self-signed client certificate with a key of the given algorithm, and that key.
fn generated(alg: &'static SignatureAlgorithm) -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate_for(alg).unwrap();
    let mut params = CertificateParams::new(vec!["client.example.com".into()]).unwrap();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Example Org");
    params
        .distinguished_name
        .push(DnType::CommonName, "client.example.com");
    let cert = params.self_signed(&key).unwrap();
    (cert, key)
}

/// A self-signed Ed25519 certificate of exactly `len` bytes of DER, padded with a private
/// extension. Ed25519 signatures have a fixed size, so the length is exact.
fn certificate_of_len(len: usize) -> Vec<u8> {
    let key = KeyPair::generate_for(&PKCS_ED25519).unwrap();
    let build = |pad: usize| {
        let mut params = CertificateParams::new(vec!["big.example.com".into()]).unwrap();
        params.serial_number = Some(7u64.into());
        // 1.3.6.1.4.1.55555.1: a private-enterprise OID, ignored by the parser (not critical).
        params.custom_extensions = vec![CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 55555, 1],
            vec![b'x'; pad],
        )];
        params.self_signed(&key).unwrap().der().to_vec()
    };
    // Length headers grow by a byte at 128, 256 and 65536: converge in a few steps.
    let mut pad = len.saturating_sub(400);
    for _ in 0..10 {
        let der = build(pad);
        match der.len().cmp(&len) {
            std::cmp::Ordering::Equal => return der,
            std::cmp::Ordering::Less => pad += len - der.len(),
            std::cmp::Ordering::Greater => pad -= (der.len() - len).min(pad),
        }
    }
    panic!("could not build a certificate of exactly {len} bytes");
}

/// PEM text of `der`, standard 64-column lines.
fn to_pem(der: &[u8]) -> String {
    pem_with_label("CERTIFICATE", der)
}

fn pem_with_label(label: &str, der: &[u8]) -> String {
    use base64ct::{Base64, Encoding};
    let b64 = Base64::encode_string(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

// --- accepted inputs ---

#[test]
fn der_pem_and_autodetect_agree_on_rfc_certificates() {
    for name in [
        "rfc8705-appendix-a.pem",
        "rfc9440-leaf.pem",
        "rfc9440-intermediate.pem",
        "rfc9440-root.pem",
    ] {
        let pem = rfc_pem(name);
        let from_pem = ClientCertificate::from_pem(&pem).unwrap();
        let der = from_pem.der().to_vec();
        let from_der = ClientCertificate::from_der(&der).unwrap();
        assert_eq!(from_der.der(), &der[..], "{name}: DER kept exactly");
        assert_eq!(from_der.thumbprint(), from_pem.thumbprint(), "{name}");
        assert_eq!(
            pem_or_der(&der).unwrap().thumbprint(),
            from_pem.thumbprint(),
            "{name}: auto-detect DER"
        );
        assert_eq!(
            pem_or_der(&pem).unwrap().thumbprint(),
            from_pem.thumbprint(),
            "{name}: auto-detect PEM"
        );
        assert_eq!(from_der.spki(), from_pem.spki(), "{name}: same key");
        assert_eq!(
            from_der.subject().to_string(),
            from_pem.subject().to_string(),
            "{name}: same subject"
        );
    }
}

#[test]
fn generated_certificates_of_every_key_type() {
    for (alg, what) in [
        (&PKCS_ECDSA_P256_SHA256, "ECDSA P-256"),
        (&PKCS_ECDSA_P384_SHA384, "ECDSA P-384"),
        (&PKCS_ECDSA_P521_SHA512, "ECDSA P-521"),
        (&PKCS_ED25519, "Ed25519"),
        (&PKCS_RSA_SHA256, "RSA 2048"),
    ] {
        let (cert, key) = generated(alg);
        let der = cert.der().to_vec();
        let from_der = ClientCertificate::from_der(&der).unwrap_or_else(|e| panic!("{what}: {e}"));
        let from_pem = ClientCertificate::from_pem(cert.pem().as_bytes()).unwrap();
        assert_eq!(from_pem.der(), &der[..], "{what}: PEM decodes to the DER");
        assert_eq!(
            from_der.thumbprint(),
            Thumbprint::from_der(&der).unwrap(),
            "{what}"
        );
        assert_eq!(from_der.thumbprint(), from_pem.thumbprint(), "{what}");
        // The public key the parser saw is the generated one.
        // An uncompressed P-256 point is the last bytes of the SPKI DER.
        let spki = from_der.spki();
        assert!(spki.ends_with(key.public_key_raw()), "{what}: public key");
    }
}

#[test]
fn pem_with_text_around_crlf_and_a_key_first() {
    let (cert, key) = generated(&PKCS_ECDSA_P256_SHA256);
    let der = cert.der().to_vec();
    let pem = cert.pem();
    let variants = [
        format!("subject=CN = client.example.com\nissuer=CN = x\n{pem}"),
        format!("{pem}\ntrailing notes\n"),
        pem.replace('\n', "\r\n"),
        pem.replace('\n', "\r"),
        // openssl pkcs12 -nodes puts the key first.
        format!("{}{pem}", key.serialize_pem()),
        // A chain: the first certificate is the leaf.
        format!(
            "{pem}{}",
            String::from_utf8(rfc_pem("rfc9440-root.pem")).unwrap()
        ),
        // Indented and with blank lines in the body: whitespace is not data (RFC 7468 3).
        pem.replace('\n', "\n  \n\t"),
    ];
    for (i, text) in variants.iter().enumerate() {
        let got = ClientCertificate::from_pem(text.as_bytes())
            .unwrap_or_else(|e| panic!("variant {i}: {e}"));
        assert_eq!(got.der(), &der[..], "variant {i}");
        let auto = pem_or_der(text.as_bytes()).unwrap();
        assert_eq!(auto.der(), &der[..], "variant {i} (auto-detect)");
    }
}

#[test]
fn borrowed_and_owned_forms_agree() {
    let der = appendix_a_der();
    let borrowed = ClientCertificate::from_der(&der).unwrap();
    assert!(
        std::ptr::eq(borrowed.der().as_ptr(), der.as_ptr()),
        "from_der borrows"
    );
    let owned = borrowed.clone().into_owned();
    assert_eq!(owned.der(), borrowed.der());
    assert_eq!(owned.thumbprint(), borrowed.thumbprint());
}

// --- rejected inputs ---

#[test]
fn empty_input_is_empty_everywhere() {
    assert_eq!(
        ClientCertificate::from_der(&[]).unwrap_err(),
        CertificateError::Empty
    );
    assert_eq!(
        ClientCertificate::from_pem(b"").unwrap_err(),
        CertificateError::Empty
    );
    assert_eq!(pem_or_der(b"").unwrap_err(), CertificateError::Empty);
    assert_eq!(
        Thumbprint::from_der(&[]).unwrap_err(),
        CertificateError::Empty
    );
    // A block with no body decodes to nothing.
    assert_eq!(
        ClientCertificate::from_pem(
            b"-----BEGIN CERTIFICATE-----\r\n-----END CERTIFICATE-----\r\n"
        )
        .unwrap_err(),
        CertificateError::Empty
    );
    assert_eq!(
        ClientCertificate::from_pem(b" \n\t\r\n").unwrap_err(),
        CertificateError::NoPemBlock
    );
}

#[test]
fn every_truncation_is_rejected() {
    let der = appendix_a_der();
    for len in 1..der.len() {
        let cut = &der[..len];
        let err = ClientCertificate::from_der(cut).unwrap_err();
        assert_eq!(Thumbprint::from_der(cut).unwrap_err(), err, "len {len}");
        if len >= 4 {
            // The outer header (30 82 01 06) is complete: the message names both lengths.
            assert_eq!(
                err,
                CertificateError::Truncated {
                    declared: der.len(),
                    available: len
                },
                "len {len}"
            );
        } else {
            assert!(
                matches!(err, CertificateError::Truncated { .. }),
                "len {len}: {err}"
            );
        }
    }
    // Truncated inside the PEM body: the base64 still decodes (a multiple of 4 chars), the DER
    // does not.
    let pem = to_pem(&der[..200]);
    assert!(matches!(
        ClientCertificate::from_pem(pem.as_bytes()).unwrap_err(),
        CertificateError::Truncated { .. }
    ));
}

#[test]
fn trailing_bytes_are_rejected() {
    let der = appendix_a_der();
    for extra in [&[0u8][..], b"\n", b"\r\n", &[0x30, 0x00], &der] {
        let mut longer = der.clone();
        longer.extend_from_slice(extra);
        let want = CertificateError::TrailingData { extra: extra.len() };
        assert_eq!(ClientCertificate::from_der(&longer).unwrap_err(), want);
        assert_eq!(Thumbprint::from_der(&longer).unwrap_err(), want);
        assert_eq!(pem_or_der(&longer).unwrap_err(), want);
        // The same bytes inside a PEM block.
        assert_eq!(
            ClientCertificate::from_pem(to_pem(&longer).as_bytes()).unwrap_err(),
            want
        );
    }
}

#[test]
fn things_that_are_not_certificates() {
    let (_, key) = generated(&PKCS_ECDSA_P256_SHA256);
    // A private key PEM: named by its label, and the key material is not echoed.
    let err = ClientCertificate::from_pem(key.serialize_pem().as_bytes()).unwrap_err();
    assert_eq!(
        err,
        CertificateError::NotACertificatePem {
            label: "PRIVATE KEY".into()
        }
    );
    let key_der = key.serialize_der();
    // The key's DER is a SEQUENCE too: framing passes, X.509 parsing does not.
    assert!(matches!(
        ClientCertificate::from_der(&key_der).unwrap_err(),
        CertificateError::Malformed(_)
    ));
    // Mislabelled: key bytes inside a CERTIFICATE block.
    assert!(matches!(
        ClientCertificate::from_pem(to_pem(&key_der).as_bytes()).unwrap_err(),
        CertificateError::Malformed(_)
    ));
    // A public key PEM.
    let spki_pem = pem_with_label(
        "PUBLIC KEY",
        &rcgen::PublicKeyData::subject_public_key_info(&key),
    );
    assert_eq!(
        ClientCertificate::from_pem(spki_pem.as_bytes()).unwrap_err(),
        CertificateError::NotACertificatePem {
            label: "PUBLIC KEY".into()
        }
    );
    // Text that is not PEM, and binary that is not DER.
    assert_eq!(
        ClientCertificate::from_pem(b"hello").unwrap_err(),
        CertificateError::NoPemBlock
    );
    assert_eq!(
        ClientCertificate::from_der(b"hello").unwrap_err(),
        CertificateError::NotASequence
    );
    // Indefinite length (BER, not DER).
    assert_eq!(
        ClientCertificate::from_der(&[0x30, 0x80, 0x00, 0x00]).unwrap_err(),
        CertificateError::NotDer
    );
    // A PEM body that is not base64.
    let der = appendix_a_der();
    let bad = to_pem(&der).replacen('M', "*", 1);
    assert_eq!(
        ClientCertificate::from_pem(bad.as_bytes()).unwrap_err(),
        CertificateError::PemBase64
    );
    // Hashing PEM text as if it were DER is the classic mistake: caught by the framing check.
    let pem = to_pem(&der);
    assert_eq!(
        Thumbprint::from_der(pem.as_bytes()).unwrap_err(),
        CertificateError::NotASequence
    );
    // BEGIN without END, and END of another block in between.
    let unterminated = pem.replace("-----END CERTIFICATE-----\n", "");
    assert_eq!(
        ClientCertificate::from_pem(unterminated.as_bytes()).unwrap_err(),
        CertificateError::UnterminatedPem
    );
}

#[test]
fn a_label_with_control_characters_is_not_echoed() {
    let text = b"-----BEGIN \x1b[31mEVIL\x07\r\nLABEL-----\nAAAA\n-----END X-----\n";
    let err = ClientCertificate::from_pem(text).unwrap_err();
    let CertificateError::NotACertificatePem { label } = &err else {
        panic!("{err:?}");
    };
    assert!(
        label.bytes().all(|b| b.is_ascii_graphic() || b == b' '),
        "{label:?}"
    );
    let message = err.to_string();
    assert!(
        !message.contains('\x1b') && !message.contains('\x07'),
        "{message:?}"
    );
}

// --- size limits ---

#[test]
fn der_at_the_limit_is_parsed_and_one_byte_over_is_refused() {
    let at_limit = certificate_of_len(MAX_DER_LEN);
    assert_eq!(at_limit.len(), MAX_DER_LEN);
    let cert = ClientCertificate::from_der(&at_limit).unwrap();
    assert_eq!(
        Thumbprint::from_der(&at_limit).unwrap(),
        cert.thumbprint(),
        "a 64 KiB certificate still hashes"
    );

    let over = certificate_of_len(MAX_DER_LEN + 1);
    assert_eq!(over.len(), MAX_DER_LEN + 1);
    let too_large = CertificateError::TooLarge {
        len: MAX_DER_LEN + 1,
        max: MAX_DER_LEN,
    };
    assert_eq!(ClientCertificate::from_der(&over).unwrap_err(), too_large);
    assert_eq!(Thumbprint::from_der(&over).unwrap_err(), too_large);
    assert_eq!(pem_or_der(&over).unwrap_err(), too_large);
    // Through PEM (well under MAX_PEM_LEN) the decoded DER is still over MAX_DER_LEN.
    let pem = to_pem(&over);
    assert!(pem.len() < MAX_PEM_LEN);
    assert_eq!(
        ClientCertificate::from_pem(pem.as_bytes()).unwrap_err(),
        too_large
    );
}

#[test]
fn pem_at_the_limit_is_read_and_one_byte_over_is_refused() {
    // The largest certificate accepted, with text before it to reach exactly MAX_PEM_LEN.
    let der = certificate_of_len(MAX_DER_LEN);
    let pem = to_pem(&der);
    let pad = MAX_PEM_LEN - pem.len();
    let mut text = "#".repeat(pad - 1);
    text.push('\n');
    text.push_str(&pem);
    assert_eq!(text.len(), MAX_PEM_LEN);
    let cert = ClientCertificate::from_pem(text.as_bytes()).unwrap();
    assert_eq!(cert.der(), &der[..]);
    assert_eq!(pem_or_der(text.as_bytes()).unwrap().der(), &der[..]);

    text.push('\n');
    let too_large = CertificateError::TooLarge {
        len: MAX_PEM_LEN + 1,
        max: MAX_PEM_LEN,
    };
    assert_eq!(
        ClientCertificate::from_pem(text.as_bytes()).unwrap_err(),
        too_large
    );
    assert_eq!(pem_or_der(text.as_bytes()).unwrap_err(), too_large);
}

#[test]
fn huge_inputs_are_refused_before_any_work() {
    // 16 MiB of anything: refused by length, whatever the content.
    let huge = vec![0x30u8; 16 << 20];
    assert!(matches!(
        ClientCertificate::from_der(&huge).unwrap_err(),
        CertificateError::TooLarge { .. }
    ));
    assert!(matches!(
        ClientCertificate::from_pem(&huge).unwrap_err(),
        CertificateError::TooLarge { .. }
    ));
    assert!(matches!(
        Thumbprint::from_der(&huge).unwrap_err(),
        CertificateError::TooLarge { .. }
    ));
}

/// A DER element tree, rebuilt with one length in a non-DER form.
enum Node {
    Prim(u8, Vec<u8>),
    Cons(u8, Vec<Node>),
    /// The subjectAltName extnValue: an OCTET STRING holding DER.
    Wrapped(Box<Node>),
}

fn read_len(b: &[u8]) -> (usize, usize) {
    match b[1] {
        n if n < 0x80 => (n as usize, 2),
        n => {
            let k = (n & 0x7f) as usize;
            let len = b[2..2 + k].iter().fold(0, |a, x| (a << 8) | *x as usize);
            (len, 2 + k)
        }
    }
}

fn parse_tree(mut b: &[u8]) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    while !b.is_empty() {
        let (len, h) = read_len(b);
        let (tag, content) = (b[0], &b[h..h + len]);
        let after_san_oid =
            matches!(out.last(), Some(Node::Prim(0x06, oid)) if oid == &[0x55, 0x1d, 0x11]);
        out.push(if tag & 0x20 != 0 {
            Node::Cons(tag, parse_tree(content))
        } else if tag == 0x04 && after_san_oid {
            Node::Wrapped(Box::new(parse_tree(content).pop().unwrap()))
        } else {
            Node::Prim(tag, content.to_vec())
        });
        b = &b[h + len..];
    }
    out
}

#[derive(Clone, Copy)]
enum Flaw {
    /// The long form where the short form (or fewer octets) would do.
    NonMinimalLength,
    /// A zero octet after the content, inside the element.
    TrailingByte,
}

/// Encodes `node`; the element with pre-order index `target` gets `flaw`.
fn encode(node: &Node, target: usize, counter: &mut usize, flaw: Flaw) -> Vec<u8> {
    let me = *counter;
    *counter += 1;
    let (tag, mut content) = match node {
        Node::Prim(t, c) => (*t, c.clone()),
        Node::Cons(t, kids) => (
            *t,
            kids.iter()
                .flat_map(|k| encode(k, target, counter, flaw))
                .collect(),
        ),
        Node::Wrapped(inner) => (0x04, encode(inner, target, counter, flaw)),
    };
    let hit = me == target;
    if hit && matches!(flaw, Flaw::TrailingByte) {
        content.push(0);
    }
    let mut out = vec![tag];
    let len = content.len();
    match (hit && matches!(flaw, Flaw::NonMinimalLength), len) {
        (false, l) if l < 0x80 => out.push(l as u8),
        (false, l) if l < 0x100 => out.extend([0x81, l as u8]),
        (false, l) => out.extend([0x82, (l >> 8) as u8, l as u8]),
        // One octet more than needed: a leading zero (or the long form for < 128).
        (true, l) if l < 0x80 => out.extend([0x81, l as u8]),
        (true, l) => out.extend([0x83, 0, (l >> 8) as u8, l as u8]),
    }
    out.extend(content);
    out
}

/// Whether each element, in pre-order, holds other elements.
fn constructed(node: &Node, out: &mut Vec<bool>) {
    match node {
        Node::Prim(..) => out.push(false),
        Node::Cons(_, kids) => {
            out.push(true);
            kids.iter().for_each(|k| constructed(k, out));
        }
        Node::Wrapped(inner) => {
            out.push(true);
            constructed(inner, out);
        }
    }
}

/// The subject of `generated`, as RFC 4514 writes it.
const SUBJECT: &str = "O=Example Org,CN=client.example.com";

/// Every reader of a certificate gives the same answer.
fn accepted_by_every_path(der: &[u8]) -> bool {
    use crate::common::Expected as ExpectedSubject;
    let cert = ClientCertificate::from_der(der).is_ok();
    let dn = ExpectedSubject::from_member("tls_client_auth_subject_dn", SUBJECT).unwrap();
    let by_dn = dn.authenticate_der(der).is_ok();
    let by_san = ExpectedSubject::from_member("tls_client_auth_san_dns", "client.example.com")
        .unwrap()
        .authenticate_der(der)
        .is_ok();
    let all = [cert, by_dn, by_san];
    assert!(all.iter().all(|a| *a == cert), "paths disagree: {all:?}");
    cert
}

#[test]
fn der_means_der_at_every_layer() {
    let (generated, _) = generated(&PKCS_ECDSA_P256_SHA256);
    let der = generated.der().to_vec();
    let cert = ClientCertificate::from_der(&der).unwrap();
    assert_eq!(cert.subject().to_string(), SUBJECT);
    assert!(accepted_by_every_path(&der));
    let tree = parse_tree(&der).pop().unwrap();
    assert_eq!(
        encode(&tree, usize::MAX, &mut 0, Flaw::NonMinimalLength),
        der
    );
    let mut holds = Vec::new();
    constructed(&tree, &mut holds);
    let n = holds.len();
    assert!(n > 40, "{n} elements");
    for flaw in [Flaw::NonMinimalLength, Flaw::TrailingByte] {
        for (target, &holds_others) in holds.iter().enumerate() {
            let bad = encode(&tree, target, &mut 0, flaw);
            // A byte more in a primitive element is another value, not a framing error.
            if matches!(flaw, Flaw::TrailingByte) && !holds_others {
                continue;
            }
            assert!(
                !accepted_by_every_path(&bad),
                "element {target} of {n} with {}",
                match flaw {
                    Flaw::NonMinimalLength => "a non-minimal length",
                    Flaw::TrailingByte => "a trailing byte",
                }
            );
            // The thumbprint checks only the outer framing.
            assert_eq!(
                Thumbprint::from_der(&bad).is_err(),
                target == 0 && matches!(flaw, Flaw::NonMinimalLength),
                "element {target}"
            );
        }
    }
    // Indefinite length and truncation, outside and inside.
    let mut indefinite = vec![0x30, 0x80];
    indefinite.extend(&der[4..]);
    indefinite.extend([0, 0]);
    assert!(!accepted_by_every_path(&indefinite));
    for cut in [1, 2, 10, der.len() / 2, der.len() - 1] {
        assert!(!accepted_by_every_path(&der[..cut]), "cut at {cut}");
    }
    let mut inner_cut = der.clone();
    assert_eq!((der[1], der[5]), (0x82, 0x82));
    inner_cut[7] = inner_cut[7].wrapping_add(1); // the tbsCertificate's length
    assert!(!accepted_by_every_path(&inner_cut));
}

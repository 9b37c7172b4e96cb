//! Subject DN matching against certificates made with rcgen: string types, preparation,
//! explanations of mismatches, UniversalString, and round-trip properties.
mod common;

use std::sync::OnceLock;

use common::Expected as ExpectedSubject;
use proptest::prelude::*;
use rcgen::string::{BmpString, Ia5String, PrintableString, TeletexString, UniversalString};
use rcgen::{CertificateParams, CertifiedIssuer, DnType, DnValue, KeyPair};
use rfc8705::ClientCertificate;
use rfc8705::client_auth::TlsClientAuthError;
use rfc8705::dn::{DistinguishedName, DnMismatch};

fn key() -> &'static KeyPair {
    static KEY: OnceLock<KeyPair> = OnceLock::new();
    KEY.get_or_init(|| KeyPair::generate().unwrap())
}

fn params(dn: &[(DnType, DnValue)]) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = rcgen::DistinguishedName::new();
    for (t, v) in dn {
        p.distinguished_name.push(t.clone(), v.clone());
    }
    p
}

/// A self-signed certificate whose subject has `dn` in DER order.
fn cert(dn: &[(DnType, DnValue)]) -> Vec<u8> {
    params(dn).self_signed(key()).unwrap().der().to_vec()
}

fn utf8(s: &str) -> DnValue {
    DnValue::Utf8String(s.into())
}

fn std_subject() -> Vec<(DnType, DnValue)> {
    vec![
        (
            DnType::CountryName,
            DnValue::PrintableString(PrintableString::try_from("US").unwrap()),
        ),
        (DnType::OrganizationName, utf8("Example, Inc.")),
        (DnType::OrganizationalUnitName, utf8("Sales")),
        (DnType::CommonName, utf8("client-123")),
    ]
}

fn matches(registered: &str, der: &[u8]) -> bool {
    let dn: DistinguishedName = registered.parse().unwrap();
    dn.matches(&ClientCertificate::from_der(der).unwrap().subject())
}

fn mismatch(registered: &str, der: &[u8]) -> DnMismatch {
    match ExpectedSubject::from_member("tls_client_auth_subject_dn", registered)
        .unwrap()
        .authenticate_der(der)
    {
        Err(TlsClientAuthError::SubjectDn(m)) => m,
        other => panic!("{registered}: {other:?}"),
    }
}

#[test]
fn matches_case_spaces_oids_and_names() {
    let der = cert(&std_subject());
    assert_eq!(
        ClientCertificate::from_der(&der)
            .unwrap()
            .subject()
            .to_string(),
        "CN=client-123,OU=Sales,O=Example\\, Inc.,C=US"
    );
    for ok in [
        "CN=client-123,OU=Sales,O=Example\\, Inc.,C=US",
        "cn=CLIENT-123,ou=sales,o=example\\, inc.,c=us",
        "CN = client-123 , OU = Sales , O = Example\\, Inc. , C = US",
        "  CN=client-123,OU=Sales,O=Example\\2C Inc.,C=US\n",
        "2.5.4.3=client-123,2.5.4.11=Sales,2.5.4.10=Example\\, Inc.,2.5.4.6=US",
        "commonName=client-123,organizationalUnitName=Sales,organizationName=Example\\, Inc.,countryName=US",
        "CN=client-123,OU=Sales,O=Example\\,   Inc.,C=US",
        "CN=#0c0a636c69656e742d313233,OU=Sales,O=Example\\, Inc.,C=US",
    ] {
        assert!(matches(ok, &der), "{ok}");
    }
    for no in [
        "CN=client-124,OU=Sales,O=Example\\, Inc.,C=US",
        "CN=client-123,OU=Sales,O=Example Inc.,C=US",
        "CN=client-123,OU=Sales,O=Example\\,Inc.,C=US",
        "CN=client-123,OU=Sales,O=Example\\, Inc.,C=UK",
        "CN=client-123,OU=Sales,O=Example\\, Inc.",
        "CN=client-123,OU=Sales,O=Example\\, Inc.,C=US,DC=x",
        "OU=client-123,CN=Sales,O=Example\\, Inc.,C=US",
        "1.2.3.4=client-123,OU=Sales,O=Example\\, Inc.,C=US",
    ] {
        assert!(!matches(no, &der), "{no}");
    }
}

#[test]
fn every_string_type_compares_as_text() {
    let values = [
        DnValue::PrintableString(PrintableString::try_from("Client One").unwrap()),
        utf8("Client One"),
        DnValue::BmpString(BmpString::try_from("Client One").unwrap()),
        DnValue::TeletexString(TeletexString::try_from("Client One").unwrap()),
        DnValue::UniversalString(UniversalString::try_from("Client One").unwrap()),
    ];
    for v in values {
        let der = cert(&[(DnType::CommonName, v.clone())]);
        let name_cert = ClientCertificate::from_der(&der).unwrap();
        let name = name_cert.subject();
        assert_eq!(name.to_string(), "CN=Client One", "{v:?}");
        assert!(matches("cn=client  one", &der), "{v:?}");
        assert!(!matches("cn=client one two", &der), "{v:?}");
    }
}

#[test]
fn universal_string_certificates_are_read_by_every_path() {
    let der = cert(&[
        (DnType::OrganizationName, utf8("Example")),
        (
            DnType::CommonName,
            DnValue::UniversalString(UniversalString::try_from("Łódź 𝐀").unwrap()),
        ),
    ]);
    // x509-cert (der 0.8) cannot decode a UniversalString; the crate's reader can, and
    // ClientCertificate and authentication on raw DER accept the same certificates.
    let cert = ClientCertificate::from_der(&der).unwrap();
    assert_eq!(cert.subject().to_string(), "CN=Łódź 𝐀,O=Example");
    let name_cert = ClientCertificate::from_der(&der).unwrap();
    let name = name_cert.subject();
    assert_eq!(name.to_string(), "CN=Łódź 𝐀,O=Example");
    let expected =
        ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=ŁÓDŹ a,O=example").unwrap();
    assert!(expected.authenticate_der(&der).is_ok());
    assert!(expected.authenticate(&cert).is_ok());
    assert!(
        ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=Lodz a,O=example")
            .unwrap()
            .authenticate_der(&der)
            .is_err()
    );
}

#[cfg(feature = "std")]
#[test]
fn characters_unassigned_in_unicode_3_2_are_prohibited() {
    // RFC 4518 section 2.4 prohibits unassigned code points of Unicode 3.2 (the emoji
    // U+1F600 among them): such a value is Undefined, never a match, and cannot be registered.
    let der = cert(&[(DnType::CommonName, utf8("smile 😀"))]);
    assert!(ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=smile 😀").is_err());
    let m = mismatch("CN=smile", &der);
    assert!(
        matches!(
            m,
            DnMismatch::ValueDiffers { .. } | DnMismatch::Undefined { .. }
        ),
        "{m:?}"
    );
    assert_eq!(
        ClientCertificate::from_der(&der)
            .unwrap()
            .subject()
            .to_string(),
        "CN=smile 😀"
    );
}

#[test]
fn bmp_string_is_shown_as_text_and_matches_non_ascii() {
    let der = cert(&[(
        DnType::CommonName,
        DnValue::BmpString(BmpString::try_from("Lučić").unwrap()),
    )]);
    assert_eq!(
        ClientCertificate::from_der(&der)
            .unwrap()
            .subject()
            .to_string(),
        "CN=Lučić"
    );
    assert!(matches("CN=Lu\\C4\\8Di\\C4\\87", &der));
    assert!(matches("CN=LUČIĆ", &der));
    assert!(!matches("CN=Lucic", &der));
}

#[test]
fn teletex_string_is_read_as_latin1() {
    // rcgen writes only ASCII TeletexStrings: patch a UTF8String "Lé!" (4 octets) into a
    // TeletexString "Lé !" (Latin-1, 4 octets). Signatures are not checked here.
    let mut der = cert(&[(DnType::CommonName, utf8("Lé!"))]);
    let at = der
        .windows(6)
        .rposition(|w| w == [0x0c, 0x04, b'L', 0xc3, 0xa9, b'!'])
        .unwrap();
    der[at..at + 6].copy_from_slice(&[0x14, 0x04, b'L', 0xe9, b' ', b'!']);
    assert!(ClientCertificate::from_der(&der).is_ok());
    assert_eq!(
        ClientCertificate::from_der(&der)
            .unwrap()
            .subject()
            .to_string(),
        "CN=Lé !"
    );
    assert!(matches("CN=LÉ !", &der));
    assert!(!matches("CN=Lé!", &der));
}

#[cfg(feature = "std")]
#[test]
fn nfkc_and_unicode_case_folding() {
    let der = cert(&[(
        DnType::CommonName,
        utf8("Ｃｌｉｅｎｔ ΣΊΣΥΦΟΣ straße e\u{301}cole"),
    )]);
    assert!(matches("CN=client σίσυφος STRASSE ÉCOLE", &der));
    assert!(matches("CN=CLIENT  Σίσυφος strasse \u{c9}cole", &der));
    assert!(!matches("CN=client sisyfos strasse ecole", &der));
}

#[test]
fn email_address_and_dc_are_case_insensitive_ia5() {
    // "subscriber@example.com" is the same emailAddress as "SUBSCRIBER@EXAMPLE.COM".
    let der = cert(&[
        (
            DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 25]),
            DnValue::Ia5String(Ia5String::try_from("Example").unwrap()),
        ),
        (
            DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
            DnValue::Ia5String(Ia5String::try_from("subscriber@example.com").unwrap()),
        ),
    ]);
    assert_eq!(
        ClientCertificate::from_der(&der)
            .unwrap()
            .subject()
            .to_string(),
        "emailAddress=subscriber@example.com,DC=Example"
    );
    assert!(matches("E=SUBSCRIBER@EXAMPLE.COM,dc=example", &der));
    assert!(matches(
        "1.2.840.113549.1.9.1=Subscriber@Example.com,0.9.2342.19200300.100.1.25=EXAMPLE",
        &der
    ));
    assert!(!matches("E=subscriber@example.org,DC=example", &der));
}

#[test]
fn unknown_types_compare_exactly_and_print_as_hex() {
    let der = cert(&[(DnType::CustomDnType(vec![1, 2, 3, 4]), utf8("Opaque"))]);
    assert_eq!(
        ClientCertificate::from_der(&der)
            .unwrap()
            .subject()
            .to_string(),
        "1.2.3.4=#0c064f7061717565"
    );
    assert!(matches("1.2.3.4=#0c064f7061717565", &der));
    assert!(matches("1.2.3.4=Opaque", &der));
    assert!(!matches("1.2.3.4=opaque", &der));
    assert!(
        !matches("1.2.3.4=#13064f7061717565", &der),
        "PrintableString BER differs"
    );
}

#[test]
fn explanations_name_the_mistake() {
    let der = cert(&std_subject());
    let subject = "CN=client-123,OU=Sales,O=Example\\, Inc.,C=US";
    assert_eq!(
        mismatch("C=US,O=Example\\, Inc.,OU=Sales,CN=client-123", &der),
        DnMismatch::Reversed {
            subject: subject.into()
        }
    );
    let m = mismatch("CN=client-123,OU=Marketing,O=Example\\, Inc.,C=US", &der);
    assert!(
        matches!(&m, DnMismatch::ValueDiffers { attr, position: 2, .. } if attr == "OU"),
        "{m:?}"
    );
    assert!(m.to_string().starts_with("OU differs"), "{m}");
    assert_eq!(
        mismatch("CN=client-123,O=Example\\, Inc.,C=US", &der),
        DnMismatch::ExtraRdn {
            rdn: "OU=Sales".into(),
            subject: subject.into()
        }
    );
    assert_eq!(
        mismatch(
            "CN=client-123,OU=Sales,OU=EMEA,O=Example\\, Inc.,C=US",
            &der
        ),
        DnMismatch::MissingRdn {
            rdn: "OU=EMEA".into(),
            subject: subject.into()
        }
    );
    assert!(matches!(
        mismatch("CN=client-123,L=Sales,O=Example\\, Inc.,C=US", &der),
        DnMismatch::TypesDiffer { position: 2, .. }
    ));
    assert!(matches!(
        mismatch("CN=a,O=b,C=c,DC=d,DC=e,DC=f", &der),
        DnMismatch::RdnCount {
            registered: 6,
            presented: 4,
            ..
        }
    ));
    assert!(matches!(
        mismatch("CN=client-123+OU=Sales,O=Example\\, Inc.,C=US", &der),
        DnMismatch::MultiValuedSplit { .. }
    ));
}

#[test]
fn the_issuer_is_recognised() {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = params(&[
        (DnType::OrganizationName, utf8("Example")),
        (DnType::CommonName, utf8("Issuing CA")),
    ]);
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf = params(&[
        (DnType::OrganizationName, utf8("Example")),
        (DnType::CommonName, utf8("client")),
    ])
    .signed_by(key(), &ca)
    .unwrap();
    let m = mismatch("CN=Issuing CA,O=Example", leaf.der());
    assert_eq!(
        m,
        DnMismatch::IssuerNotSubject {
            subject: "CN=client,O=Example".into()
        }
    );
    assert!(m.to_string().contains("issuer, not its subject"));
    assert!(matches("CN=client,O=Example", leaf.der()));
}

#[test]
fn empty_subject_never_matches() {
    let mut p = CertificateParams::new(vec!["client.example.com".into()]).unwrap();
    p.distinguished_name = rcgen::DistinguishedName::new();
    let der = p.self_signed(key()).unwrap().der().to_vec();
    assert!(
        ClientCertificate::from_der(&der)
            .unwrap()
            .subject()
            .to_string()
            .is_empty()
    );
    assert_eq!(
        mismatch("CN=client.example.com", &der),
        DnMismatch::EmptySubject
    );
}

/// Generated subjects: (type index, value) per RDN, DER order.
const TYPES: [DnType; 5] = [
    DnType::CommonName,
    DnType::OrganizationName,
    DnType::OrganizationalUnitName,
    DnType::LocalityName,
    DnType::StateOrProvinceName,
];

fn value_strategy() -> impl Strategy<Value = String> {
    // Specials, spaces (leading, inner, trailing), '#', non-ASCII letters.
    proptest::string::string_regex("[ a-zA-Z0-9,+=#;\"<>\\\\éÉßΣ]{1,12}")
        .unwrap()
        .prop_filter("a non-space character", |s| s.chars().any(|c| c != ' '))
}

fn subject_strategy() -> impl Strategy<Value = Vec<(usize, String)>> {
    proptest::collection::vec((0..TYPES.len(), value_strategy()), 1..5)
}

fn build(subject: &[(usize, String)]) -> Vec<u8> {
    // rcgen keeps one value per type: use distinct types.
    let dn: Vec<(DnType, DnValue)> = subject
        .iter()
        .enumerate()
        .map(|(i, (_, v))| (TYPES[i % TYPES.len()].clone(), utf8(v)))
        .collect();
    cert(&dn)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn format_parse_match_round_trip(subject in subject_strategy()) {
        let der = build(&subject);
        let name_cert = ClientCertificate::from_der(&der).unwrap();
    let name = name_cert.subject();
        let text = name.to_string();
        let dn: DistinguishedName = text.parse().unwrap();
        prop_assert!(dn.matches(&name), "{}", text);
        prop_assert_eq!(dn.to_string(), text);
    }

    #[test]
    fn insensitive_to_case_and_space_runs(subject in subject_strategy(), upper in any::<bool>()) {
        let der = build(&subject);
        let name_cert = ClientCertificate::from_der(&der).unwrap();
    let name = name_cert.subject();
        let text = name.to_string();
        // Case changes of ASCII letters, and doubled inner spaces, are allowed variations.
        let varied: String = text
            .chars()
            .map(|c| if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect::<String>()
            .replace("\\\\", "\\5C")
            .replace("\\5c", "\\5C");
        let varied = varied.replace(" ", "  ").replace("\\  ", "\\ ");
        let dn: DistinguishedName = varied.parse().unwrap();
        prop_assert!(dn.matches(&name), "{} vs {}", varied, text);
    }

    #[test]
    fn sensitive_to_any_other_change(subject in subject_strategy(), which in any::<prop::sample::Index>()) {
        let der = build(&subject);
        let name_cert = ClientCertificate::from_der(&der).unwrap();
    let name = name_cert.subject();
        let mut changed = subject.clone();
        let i = which.index(changed.len());
        changed[i].1.push('x');
        let dn: DistinguishedName = ClientCertificate::from_der(&build(&changed)).unwrap().subject().to_string().parse().unwrap();
        prop_assert!(!dn.matches(&name));
        // Reordering RDNs (when two differ) is a mismatch too.
        if subject.len() > 1 {
            let mut rev = subject.clone();
            rev.reverse();
            let rev_der = build(&rev);
            let rev_dn: DistinguishedName = ClientCertificate::from_der(&rev_der).unwrap().subject().to_string().parse().unwrap();
            // A name matches only when every RDN matches the one in its place, so the reversal
            // matches exactly when each swapped value equals the original under RFC 4518 (" é"
            // and "é" do: the leading space is insignificant).
            let every_rdn_matches = (0..subject.len()).all(|i| {
                let ty = &TYPES[i % TYPES.len()];
                let presented = cert(&[(ty.clone(), utf8(&subject[i].1))]);
                let registered: DistinguishedName = ClientCertificate::from_der(&cert(&[(ty.clone(), utf8(&rev[i].1))]))
                    .unwrap().subject().to_string().parse().unwrap();
                registered.matches(&ClientCertificate::from_der(&presented).unwrap().subject())
            });
            prop_assert_eq!(rev_dn.matches(&name), every_rdn_matches, "{} vs {}", rev_dn, name);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The dn_parse fuzz invariant: whatever parses formats to a string that parses back to
    /// the same name.
    #[test]
    fn parse_format_parse_is_identity(
        s in r"(cn|O|ou|DC|e|1\.2\.3|2\.5\.4\.3) *= *[ -~éΣ\t]{0,8}( *[,+] *(cn|O|ou|DC|e|1\.2\.3|2\.5\.4\.3) *= *[ -~éΣ]{0,8}){0,3}"
    ) {
        if let Ok(dn) = s.parse::<DistinguishedName>() {
            let text = dn.to_string();
            let again: DistinguishedName = text.parse().unwrap();
            prop_assert_eq!(&again, &dn);
            prop_assert_eq!(again.to_string(), text);
        }
    }

    /// The name_match fuzz invariant on corrupted certificates: never a panic, and a
    /// subject's rendering that parses matches that subject.
    #[test]
    fn corrupted_certificates_never_panic(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut der = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/name_match/d3.der")).unwrap();
        let i = at.index(der.len());
        der[i] = byte;
        let _ = ExpectedSubject::from_member("tls_client_auth_subject_dn", "CN=J. Smith").unwrap().authenticate_der(&der);
        let _ = ExpectedSubject::from_member("tls_client_auth_san_dns", "a.example").unwrap().authenticate_der(&der);
        if let Ok(cert) = ClientCertificate::from_der(&der) {
            let subject = cert.subject();
            if let Ok(dn) = subject.to_string().parse::<DistinguishedName>() {
                prop_assert!(dn.matches(&subject), "{}", subject);
            }
        }
    }
}

use super::*;
use alloc::string::ToString;

fn dn(s: &str) -> DistinguishedName {
    s.parse().unwrap()
}

#[test]
fn rfc4514_section_4_examples_parse_and_round_trip() {
    // TV-7 (RFC 4514 section 4).
    let a = dn("UID=jsmith,DC=example,DC=net");
    assert_eq!(a.to_string(), "UID=jsmith,DC=example,DC=net");
    let b = dn("OU=Sales+CN=J.  Smith,DC=example,DC=net");
    assert_eq!(b.rdns()[2].avas().len(), 2);
    let c = dn("CN=James \\\"Jim\\\" Smith\\, III,DC=example,DC=net");
    assert_eq!(
        c.rdns()[2].avas()[0].value(),
        &AvaValue::Text("James \"Jim\" Smith, III".into())
    );
    let d = dn("CN=Before\\0dAfter,DC=example,DC=net");
    assert_eq!(
        d.rdns()[2].avas()[0].value(),
        &AvaValue::Text("Before\rAfter".into())
    );
    assert_eq!(d.to_string(), "CN=Before\\0DAfter,DC=example,DC=net");
    let e = dn("1.3.6.1.4.1.1466.0=#04024869");
    assert_eq!(e.to_string(), "1.3.6.1.4.1.1466.0=#04024869");
    let f = dn("CN=Lu\\C4\\8Di\\C4\\87");
    assert_eq!(
        f.rdns()[0].avas()[0].value(),
        &AvaValue::Text("Lučić".into())
    );
    assert_eq!(f.to_string(), "CN=Lučić");
}

#[test]
fn spaces_around_separators_are_ignored_but_inner_spaces_kept() {
    let a = dn("  CN = J. Smith ,  O = Example + OU = x ");
    assert_eq!(a.to_string(), "CN=J. Smith,O=Example+OU=x");
    let b = dn("CN=\\ lead\\ ");
    assert_eq!(
        b.rdns()[0].avas()[0].value(),
        &AvaValue::Text(" lead ".into())
    );
}

#[test]
fn parse_errors() {
    use DnParseError as E;
    let err = |s: &str| s.parse::<DistinguishedName>().unwrap_err();
    assert_eq!(err(""), E::Empty);
    assert_eq!(err("   "), E::Empty);
    assert!(matches!(err("CN=a,,O=b"), E::ExpectedType { .. }));
    assert!(matches!(err("CN=a,"), E::TrailingSeparator { .. }));
    assert!(matches!(err("CN=a+"), E::TrailingSeparator { .. }));
    assert!(matches!(err("CN"), E::ExpectedEquals { .. }));
    assert!(matches!(err("=a"), E::ExpectedType { .. }));
    assert!(matches!(err("CN=a\\"), E::BadEscape { .. }));
    assert!(matches!(err("CN=a\\x"), E::BadEscape { .. }));
    assert!(matches!(err("CN=a\\4"), E::BadEscape { .. }));
    assert!(matches!(
        err("CN=a;O=b"),
        E::UnescapedSpecial { ch: ';', .. }
    ));
    assert!(matches!(
        err("CN=\"a\""),
        E::UnescapedSpecial { ch: '"', .. }
    ));
    assert!(matches!(err("CN=a\\00b"), E::Nul));
    assert!(matches!(err("CN=\\ff"), E::InvalidUtf8 { .. }));
    assert!(matches!(err("XX=a"), E::UnknownTypeName { .. }));
    assert!(matches!(err("2.05.4=a"), E::BadOid { .. }));
    assert!(matches!(err("2..4=a"), E::BadOid { .. }));
    assert!(matches!(err("2=a"), E::BadOid { .. }));
    assert!(matches!(err("CN=#0"), E::BadHex { .. }));
    assert!(matches!(err("CN=#0c02ab"), E::HexNotBer { .. }));
    assert!(matches!(err("CN=#0c01a"), E::BadHex { .. }));
    // Java's CANONICAL form leaves a leading '#' of text unescaped: read as text.
    assert_eq!(
        dn("CN=#0c01ab x").rdns()[0].avas()[0].value(),
        &AvaValue::Text("#0c01ab x".into())
    );
    assert_eq!(
        dn("cn=#lead\\+trail").rdns()[0].avas()[0].value(),
        &AvaValue::Text("#lead+trail".into())
    );
    assert!(matches!(err("DC=é"), E::NotIa5 { .. }));
    let long = "CN=".to_string() + &"a".repeat(MAX_DN_STRING_LEN);
    assert!(matches!(err(&long), E::TooLong { .. }));
    let many = alloc::vec!["CN=a"; MAX_RDNS + 1].join(",");
    assert!(matches!(err(&many), E::TooManyRdns { .. }));
    let wide = alloc::vec!["CN=a"; MAX_AVAS_PER_RDN + 1].join("+");
    assert!(matches!(err(&wide), E::TooManyAvas { .. }));
    assert_eq!(
        err("").oauth_error_code(),
        OAuthErrorCode::InvalidClientMetadata
    );
}

#[test]
fn slash_form_is_rejected_with_its_rfc4514_equivalent() {
    let e = "/C=US/O=Example, Inc./OU=Sales+CN=J. Smith/emailAddress=J.Smith@Example.COM/CN= #lead\\+trail "
        .parse::<DistinguishedName>()
        .unwrap_err();
    assert_eq!(
        e,
        DnParseError::SlashForm {
            suggestion: Some(
                "CN=\\ #lead\\+trail\\ ,emailAddress=J.Smith@Example.COM,OU=Sales+CN=J. Smith,O=Example\\, Inc.,C=US".into()
            )
        }
    );
    assert!(e.to_string().contains("write it as"));
    let e = "/XX=a".parse::<DistinguishedName>().unwrap_err();
    assert_eq!(e, DnParseError::SlashForm { suggestion: None });
}

#[test]
fn types_by_name_oid_and_case() {
    for s in ["cn=a", "CN=a", "commonName=a", "2.5.4.3=a", "CommonName=a"] {
        assert_eq!(dn(s).to_string(), "CN=a", "{s}");
    }
    assert_eq!(dn("E=a@b").to_string(), "emailAddress=a@b");
    assert_eq!(
        dn("1.2.840.113549.1.9.1=a@b").to_string(),
        "emailAddress=a@b"
    );
}

#[test]
fn serde_uses_the_string_form() {
    let d = dn("CN=a, O=b");
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(json, "\"CN=a,O=b\"");
    let back: DistinguishedName = serde_json::from_str(&json).unwrap();
    assert_eq!(back, d);
    assert!(serde_json::from_str::<DistinguishedName>("\"\"").is_err());
}

#[test]
fn name_ref_rejects_malformed_names() {
    assert_eq!(NameRef::from_der(&[]).unwrap_err(), NameError::Malformed);
    assert_eq!(
        NameRef::from_der(&[0x31, 0x00]).unwrap_err(),
        NameError::Malformed
    );
    // Empty SET.
    assert_eq!(
        NameRef::from_der(&[0x30, 0x02, 0x31, 0x00]).unwrap_err(),
        NameError::Malformed
    );
    // AVA without a value.
    let der = [
        0x30, 0x09, 0x31, 0x07, 0x30, 0x05, 0x06, 0x03, 0x55, 0x04, 0x03,
    ];
    assert_eq!(NameRef::from_der(&der).unwrap_err(), NameError::Malformed);
    assert_eq!(
        NameError::Malformed.oauth_error_code(),
        OAuthErrorCode::InvalidClient
    );
}

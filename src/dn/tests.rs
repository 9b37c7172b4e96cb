use super::name::AvaValue;
use super::*;
use crate::der::{MAX_AVAS_PER_RDN, MAX_RDNS};
use alloc::string::ToString;

fn dn(s: &str) -> DistinguishedName {
    s.parse().unwrap()
}

#[test]
fn rfc4514_section_4_examples_parse_and_round_trip() {
    // RFC 4514 section 4.
    let a = dn("UID=jsmith,DC=example,DC=net");
    assert_eq!(a.to_string(), "UID=jsmith,DC=example,DC=net");
    let b = dn("OU=Sales+CN=J.  Smith,DC=example,DC=net");
    assert_eq!(b.rdns()[2].avas().len(), 2);
    let c = dn("CN=James \\\"Jim\\\" Smith\\, III,DC=example,DC=net");
    assert_eq!(
        c.rdns()[2].avas()[0].value(),
        &AvaValue::Text("James \"Jim\" Smith, III".into())
    );
    // The example's CR parses, but a registered value holding a control never matches a
    // certificate (RFC 4518 would map it to SPACE; this crate fails closed), so it is refused.
    assert!(matches!(
        "CN=Before\\0dAfter,DC=example,DC=net".parse::<DistinguishedName>(),
        Err(DnParseError::InvisibleCharacter {
            code_point: 0x0d,
            ..
        })
    ));
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
}

/// A one-AVA `Name` in DER: the OID's content octets and a value of string type `tag`.
fn name_der(oid: &[u8], tag: u8, content: &[u8]) -> alloc::vec::Vec<u8> {
    let ava_len = 2 + oid.len() + 2 + content.len();
    let mut der = alloc::vec![0x30, (ava_len + 4) as u8, 0x31, (ava_len + 2) as u8];
    der.extend_from_slice(&[0x30, ava_len as u8, 0x06, oid.len() as u8]);
    der.extend_from_slice(oid);
    der.extend_from_slice(&[tag, content.len() as u8]);
    der.extend_from_slice(content);
    der
}

const CN: &[u8] = &[0x55, 0x04, 0x03];
const DC: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19];
const EMAIL: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];

fn matches_der(registered: &str, der: &[u8]) -> bool {
    dn(registered).matches(&NameRef::from_der(der).unwrap())
}

#[test]
fn invisible_characters_in_a_presented_value_never_match() {
    use prep::tag;
    let cases: &[(u8, &[u8])] = &[
        (tag::UTF8, b"ad\0min"),
        (tag::UTF8, b"admin\0"),
        (tag::UTF8, b"\0admin"),
        (tag::IA5, b"ad\0min"),
        (tag::IA5, b"ad\x01\x02\x7fmin"),
        (tag::TELETEX, b"ad\x01min"),
        (tag::TELETEX, b"ad\xadmin"),
        (tag::UTF8, "ad\u{200B}min".as_bytes()),
        (tag::UTF8, "ad\u{00AD}min".as_bytes()),
        (tag::UTF8, "ad\u{200D}min".as_bytes()),
        (tag::UTF8, "admin\u{FE0F}".as_bytes()),
        (tag::UTF8, "ad\u{009F}min".as_bytes()),
        (tag::UTF8, "ad\u{FEFF}min".as_bytes()),
        (
            tag::BMP,
            &[0, b'a', 0, b'd', 0x20, 0x0b, 0, b'm', 0, b'i', 0, b'n'],
        ),
        (tag::PRINTABLE, b"ad\x01\x02\x7fmin"),
        (tag::PRINTABLE, b"ad*min"),
        (tag::PRINTABLE, b"ad@min"),
        (tag::PRINTABLE, b"ad&min"),
        (tag::VISIBLE, b"ad\x7fmin"),
    ];
    for (t, content) in cases {
        let der = name_der(CN, *t, content);
        let name = NameRef::from_der(&der).unwrap();
        let text = name.to_string();
        let registered = "CN=admin";
        assert!(!matches_der(registered, &der), "{t:#x} {content:?}: {text}");
        assert!(!matches_der("CN=other", &der), "{t:#x} {content:?}: {text}");
        let why = dn(registered).explain_mismatch(&name, None).unwrap();
        assert!(matches!(why, DnMismatch::Undefined { .. }), "{why:?}");
        // The explanation shows the subject escaped: no raw control or format character.
        let shown = why.to_string();
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() || prep::is_mapped_to_nothing(c)),
            "{shown:?}"
        );
        // Its rendering does not parse back as a registered name that would match.
        if let Ok(again) = text.parse::<DistinguishedName>() {
            assert!(again.matches(&name), "{text}");
        }
    }
}

#[test]
fn legitimate_values_still_match() {
    use prep::tag;
    for (registered, t, content) in [
        ("CN=admin", tag::UTF8, &b"  admin  "[..]),
        ("CN=admin", tag::UTF8, b"ADMIN"),
        ("CN=ad min", tag::UTF8, "ad\u{00A0}\u{3000}min".as_bytes()),
        ("CN=admin", tag::PRINTABLE, b"Admin"),
        ("CN=ad min", tag::IA5, b"ad min"),
        ("CN=ad min", tag::VISIBLE, b"ad  min"),
        ("CN=admin", tag::TELETEX, b"admin"),
        ("CN=ss", tag::UTF8, "ß".as_bytes()),
    ] {
        let der = name_der(CN, t, content);
        assert!(
            matches_der(registered, &der),
            "{registered} {t:#x} {content:?}"
        );
    }
}

/// A presented value with a control other than SPACE never matches, wherever the control
/// stands, in every string type that can carry one (the README's fail-closed rule).
#[test]
fn presented_controls_fail_closed_at_the_edges_too() {
    use prep::tag;
    for content in [
        &b"admin\n"[..],
        b"\nadmin",
        b"admin\t",
        b"\tadmin",
        b"admin\r",
        b"admin\x0b",
        b"admin\x0c",
        b"ad\tmin",
    ] {
        for t in [tag::UTF8, tag::IA5, tag::TELETEX] {
            let der = name_der(CN, t, content);
            assert!(!matches_der("CN=admin", &der), "{t:#x} {content:?}");
            assert!(!matches_der("CN=ad min", &der), "{t:#x} {content:?}");
        }
    }
    let nel = name_der(CN, tag::UTF8, "admin\u{85}".as_bytes());
    assert!(!matches_der("CN=admin", &nel));
    // The positive control: spaces at the edges are still insignificant.
    assert!(matches_der(
        "CN=admin",
        &name_der(CN, tag::UTF8, b" admin ")
    ));
}

#[test]
fn dc_and_email_address_need_ia5_characters() {
    use prep::tag;
    // Fullwidth "ｃｏｍ" folds to "com" under NFKC, but caseIgnoreIA5Match is Undefined for it.
    let fullwidth = name_der(DC, tag::UTF8, "ｃｏｍ".as_bytes());
    assert!(!matches_der("DC=com", &fullwidth));
    assert!(matches_der(
        "CN=ｃｏｍ",
        &name_der(CN, tag::UTF8, "ｃｏｍ".as_bytes())
    ));
    let email = name_der(EMAIL, tag::UTF8, "admin@exämple.com".as_bytes());
    assert!(!matches_der("E=admin@example.com", &email));
    let email = name_der(EMAIL, tag::UTF8, "ADMIN@example.com".as_bytes());
    assert!(matches_der("E=admin@example.com", &email));
    let email = name_der(EMAIL, tag::IA5, b"admin@example.com\0");
    assert!(!matches_der("E=admin@example.com", &email));
    let dc = name_der(DC, tag::BMP, &[0, b'C', 0, b'o', 0, b'm']);
    assert!(matches_der("DC=com", &dc));
}

#[test]
fn registered_values_refuse_invisible_characters() {
    use DnParseError as E;
    let err = |s: &str| s.parse::<DistinguishedName>().unwrap_err();
    for (s, code_point) in [
        ("CN=ad\\01min", 0x01),
        ("CN=ad\\7Fmin", 0x7f),
        ("CN=ad\\E2\\80\\8Bmin", 0x200b),
        ("CN=ad\u{200B}min", 0x200b),
        ("CN=ad\u{00AD}min", 0xad),
        ("CN=admin\u{FE0F}", 0xfe0f),
        ("1.2.3.4=ad\u{200D}min", 0x200d),
        ("DC=ex\\1Bample", 0x1b),
        // A #hex string value of a known type: UTF8String "a<U+200B>".
        ("CN=#0c0461e2808b", 0x200b),
    ] {
        assert!(
            matches!(err(s), E::InvisibleCharacter { code_point: c, .. } if c == code_point),
            "{s}: {:?}",
            err(s)
        );
    }
    assert!(err("CN=\\E2\\80\\8B").to_string().contains("U+200B"));
    assert_eq!(err("CN=a\\00"), E::Nul);
    // A #hex string value invalid for its type: PrintableString "a*", "a\x01".
    assert!(matches!(err("CN=#13026a2a"), E::Unpreparable { .. }));
    assert!(matches!(err("CN=#13026101"), E::Unpreparable { .. }));
    // A #hex string value of an IA5 type that is not ASCII: UTF8String "é".
    assert!(matches!(err("DC=#0c02c3a9"), E::NotIa5 { .. }));
    // Controls mapped to SPACE are refused too; the separators that are not controls are
    // still accepted.
    assert!(matches!(
        err("CN=ad\\09min"),
        E::InvisibleCharacter {
            code_point: 0x09,
            ..
        }
    ));
    assert!(matches!(
        err("CN=admin\\0A"),
        E::InvisibleCharacter {
            code_point: 0x0a,
            ..
        }
    ));
    assert!(
        dn("CN=ad\u{a0}min").matches(&NameRef::from_der(&name_der(CN, 0x0c, b"ad min")).unwrap())
    );
    // Unknown types given as #hex stay exact BER.
    let der = name_der(&[0x2a, 0x03, 0x04], prep::tag::PRINTABLE, b"j*");
    assert!(matches_der("1.2.3.4=#13026a2a", &der));
}

#[test]
fn invalid_repertoire_is_shown_as_hex() {
    let der = name_der(CN, prep::tag::PRINTABLE, b"a*");
    assert_eq!(NameRef::from_der(&der).unwrap().to_string(), "CN=#1302612a");
    let der = name_der(CN, prep::tag::IA5, b"a\x01*");
    assert_eq!(NameRef::from_der(&der).unwrap().to_string(), "CN=a\\01*");
}

fn legacy(s: &str) -> DistinguishedName {
    DistinguishedName::parse_legacy(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

#[test]
fn legacy_grammar_reads_rfc1779_examples_as_their_rfc4514_equivalents() {
    // RFC 1779 section 2.2 examples, each beside the RFC 4514 string of the same name.
    for (old, new) in [
        (
            "CN=Christian Huitema, O=INRIA, C=FR",
            "CN=Christian Huitema,O=INRIA,C=FR",
        ),
        (
            "CN=Christian Huitema; O=INRIA; C=FR",
            "CN=Christian Huitema,O=INRIA,C=FR",
        ),
        (
            "OU=Sales + CN=J. Smith, O=Widget Inc., C=US",
            "OU=Sales+CN=J. Smith,O=Widget Inc.,C=US",
        ),
        (
            "CN=L. Eagle, O=\"Sue, Grabbit and Runn\", C=GB",
            "CN=L. Eagle,O=Sue\\, Grabbit and Runn,C=GB",
        ),
        // RFC 2253 section 4: "oid." or "OID." before an OID, ';' with spaces around it.
        ("oid.2.5.4.3=a ;OID.2.5.4.10=b", "CN=a,O=b"),
        ("OID.1.2.3.4=#04024869", "1.2.3.4=#04024869"),
        // Quoted: spaces kept, specials literal, \" and \\ still escapes.
        ("CN=\"  a,;+=<>#b  \"", "CN=\\  a\\,\\;\\+=\\<\\>#b \\ "),
        ("CN=\"a\\\"b\\\\c\\41\"", "CN=a\\\"b\\\\cA"),
        ("CN=\"#0c0161\"", "CN=\\#0c0161"),
        ("CN=\"\"", "CN="),
        ("CN=#0c0161; O=b", "CN=#0c0161,O=b"),
    ] {
        let from_legacy = legacy(old);
        assert_eq!(from_legacy, dn(new), "{old:?}");
        assert_eq!(dn(&from_legacy.to_string()), from_legacy, "{old:?}");
    }
}

#[test]
fn legacy_grammar_agrees_with_rfc4514_on_rfc4514_strings() {
    for s in [
        "UID=jsmith,DC=example,DC=net",
        "OU=Sales+CN=J.  Smith,DC=example,DC=net",
        "CN=James \\\"Jim\\\" Smith\\, III,DC=example,DC=net",
        "1.3.6.1.4.1.1466.0=#04024869",
        "CN=Lu\\C4\\8Di\\C4\\87",
        "  CN = J. Smith ,  O = Example + OU = x ",
        "CN=\\ lead\\ ,O=a\\;b",
        "cn=#lead\\+trail",
        "CN=a=b#c",
    ] {
        assert_eq!(legacy(s), dn(s), "{s:?}");
    }
}

#[test]
fn legacy_grammar_errors() {
    use DnParseError as E;
    let err = |s: &str| DistinguishedName::parse_legacy(s).unwrap_err();
    assert_eq!(err("CN=\"a, b"), E::UnterminatedQuote { at: 3 });
    assert_eq!(err("CN=\"a\"b"), E::AfterQuotedValue { at: 6 });
    assert_eq!(err("CN=\"a\" \"b\""), E::AfterQuotedValue { at: 7 });
    assert!(matches!(
        err("CN=a\"b\""),
        E::UnescapedSpecial { ch: '"', .. }
    ));
    assert!(matches!(err("CN=a<b"), E::UnescapedSpecial { ch: '<', .. }));
    assert!(matches!(err("CN=\"a\\x\""), E::BadEscape { .. }));
    assert!(matches!(err("CN=\"a\\00\""), E::Nul));
    assert!(matches!(err("CN=\"\\ff\""), E::InvalidUtf8 { .. }));
    assert!(matches!(
        err("CN=\"\u{200b}\""),
        E::InvisibleCharacter { .. }
    ));
    assert!(matches!(err("OID.CN=a"), E::BadOid { at: 0 }));
    assert!(matches!(err("OID.2.05=a"), E::BadOid { .. }));
    assert!(matches!(err("Oid.2.5.4.3=a"), E::UnknownTypeName { .. }));
    assert!(matches!(err("CN=a;"), E::TrailingSeparator { .. }));
    assert!(matches!(err("CN=a;;O=b"), E::ExpectedType { .. }));
    assert_eq!(err(" "), E::Empty);
    assert!(matches!(err("DC=\"é\""), E::NotIa5 { .. }));
    // What only the legacy grammar reads stays refused by the RFC 4514 parser.
    let strict = |s: &str| s.parse::<DistinguishedName>().unwrap_err();
    assert!(matches!(
        strict("O=\"a, b\""),
        E::UnescapedSpecial { ch: '"', .. }
    ));
    assert!(matches!(
        strict("CN=a;O=b"),
        E::UnescapedSpecial { ch: ';', .. }
    ));
    assert!(matches!(strict("OID.2.5.4.3=a"), E::UnknownTypeName { .. }));
}

#[test]
fn slash_form_is_refused_by_the_legacy_grammar_too() {
    let e = DistinguishedName::parse_legacy("/C=US/O=Example, Inc./CN=client").unwrap_err();
    assert_eq!(
        e,
        DnParseError::SlashForm {
            suggestion: Some("CN=client,O=Example\\, Inc.,C=US".into())
        }
    );
    let msg = e.to_string();
    assert!(msg.contains("write it as"), "{msg}");
    assert!(
        msg.contains("openssl x509 -noout -subject -nameopt RFC2253"),
        "{msg}"
    );
    let e = DistinguishedName::parse_legacy(" /XX=a").unwrap_err();
    assert_eq!(e, DnParseError::SlashForm { suggestion: None });
    assert!(e.to_string().contains("-nameopt RFC2253"));
}

//! Unit tests of RFC 4518 preparation and of the comparisons built on it.

use super::*;

fn p(s: &str) -> Result<String, Undefined> {
    prepare(s.chars())
}

#[test]
fn insignificant_space_handling_rfc4518_2_6_1() {
    // RFC 4518 section 2.6.1: "foo<SPACE>bar<SPACE><SPACE>" -> "<SPACE>foo<SPACE><SPACE>bar<SPACE>", which is
    // "foo bar" in the equivalent form kept here.
    assert_eq!(p("foo bar  ").unwrap(), "foo bar");
    assert_eq!(p("  foo   bar").unwrap(), p("foo bar").unwrap());
    assert_ne!(p("foobar").unwrap(), p("foo bar").unwrap());
    // "If the input string contains no non-space character, then the output is exactly
    // two SPACEs": all-space values are equal to each other and to the empty value.
    assert_eq!(p("   ").unwrap(), p("").unwrap());
    assert_ne!(p(" ").unwrap(), p("a").unwrap());
}

#[test]
fn ascii_map_and_fold() {
    assert_eq!(p("Foo  BAR ").unwrap(), "foo bar");
    assert_eq!(p("a\u{a0}b\u{3000}").unwrap(), "a b");
}

/// The controls RFC 4518 maps to SPACE fail closed wherever they stand, on both paths: at
/// the edges they would vanish (`admin<LF>` would be `admin`).
#[test]
fn controls_mapped_to_space_are_undefined() {
    for s in [
        "admin\n",
        "\tadmin",
        "ad\tmin",
        "admin\r\n",
        "\u{b}admin",
        "ad\u{c}min",
        "admin\u{85}",
        "\u{85}\u{e9}",
        "\u{e9}\t",
    ] {
        assert_eq!(p(s), Err(Undefined), "{s:?}");
        let v = StringValue::new(tag::UTF8, s.as_bytes()).unwrap();
        assert_eq!(case_ignore_eq("admin", &v), Err(Undefined), "{s:?}");
    }
}

/// Every character RFC 4518 section 2.2 maps to nothing makes a value Undefined, on the
/// ASCII fast path and on the Unicode path, wherever it stands.
#[test]
fn mapped_to_nothing_is_undefined() {
    for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
        let expected = fails_closed(c);
        if expected {
            for s in [
                alloc::format!("ad{c}min"),
                alloc::format!("{c}admin"),
                alloc::format!("admin{c}"),
                alloc::format!("é{c}"),
            ] {
                assert_eq!(p(&s), Err(Undefined), "U+{:04X}", u32::from(c));
            }
        }
        if c.is_ascii() {
            assert_eq!(
                map_ascii(c as u8).is_err(),
                expected,
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
    for s in [
        "ad\u{0}min",
        "admin\u{0}",
        "ad\u{1}\u{2}\u{7f}min",
        "ad\u{200b}min",
        "ad\u{ad}min",
        "admin\u{fe0f}",
        "ad\u{feff}min",
        "ad\u{e0041}min",
        "ad\u{9f}min",
    ] {
        assert_eq!(p(s), Err(Undefined), "{s:?}");
        for tag in [tag::UTF8, tag::IA5] {
            if let Some(v) = StringValue::new(tag, s.as_bytes()) {
                assert_eq!(case_ignore_eq("admin", &v), Err(Undefined), "{s:?}");
                assert_eq!(case_ignore_eq("other", &v), Err(Undefined), "{s:?}");
            }
        }
        let ucs2: alloc::vec::Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        if let Some(v) = StringValue::new(tag::BMP, &ucs2) {
            assert_eq!(case_ignore_eq("admin", &v), Err(Undefined), "{s:?}");
        }
    }
    // Spaces, case and NFKC still apply.
    let v = StringValue::new(tag::UTF8, " AD\u{a0}MIN ".as_bytes()).unwrap();
    assert_eq!(case_ignore_eq("ad min", &v), Ok(true));
}

#[test]
fn string_types_are_held_to_their_repertoires() {
    assert!(StringValue::new(tag::PRINTABLE, b"Aa0 '()+,-./:=?").is_some());
    for bad in [&b"a*"[..], b"a@b", b"a&b", b"\x01\x02\x7f", b"a_b", b"a\0"] {
        assert!(StringValue::new(tag::PRINTABLE, bad).is_none(), "{bad:?}");
    }
    assert!(StringValue::new(tag::IA5, b"a*@&\0\x7f").is_some());
    assert!(StringValue::new(tag::IA5, &[0x80]).is_none());
    assert!(StringValue::new(tag::VISIBLE, b" ~*@").is_some());
    assert!(StringValue::new(tag::VISIBLE, b"a\x7f").is_none());
    assert!(StringValue::new(tag::VISIBLE, b"a\0").is_none());
    assert!(StringValue::new(tag::VISIBLE, b"a\t").is_none());
}

#[test]
fn case_ignore_ia5_needs_ascii_whatever_the_string_type() {
    let fullwidth = StringValue::new(tag::UTF8, "ｃｏｍ".as_bytes()).unwrap();
    assert_eq!(
        case_ignore_eq("com", &fullwidth),
        Ok(true),
        "caseIgnoreMatch folds"
    );
    assert_eq!(case_ignore_ia5_eq("com", &fullwidth), Err(Undefined));
    let bmp = StringValue::new(tag::BMP, &[0, b'C', 0, b'o', 0, b'M']).unwrap();
    assert_eq!(case_ignore_ia5_eq("com", &bmp), Ok(true));
    let spaced = StringValue::new(tag::IA5, b"  Ex  ample ").unwrap();
    assert_eq!(case_ignore_ia5_eq("ex ample", &spaced), Ok(true));
    let nul = StringValue::new(tag::IA5, b"com\0").unwrap();
    assert_eq!(case_ignore_ia5_eq("com", &nul), Err(Undefined));
    let latin1 = StringValue::new(tag::TELETEX, &[b'c', 0xf6, b'm']).unwrap();
    assert_eq!(case_ignore_ia5_eq("com", &latin1), Err(Undefined));
}

#[test]
fn unicode_map_fold_nfkc_prohibit() {
    assert_eq!(p("STRASSE").unwrap(), p("straße").unwrap());
    assert_eq!(p("ÉCOLE").unwrap(), p("e\u{301}cole").unwrap());
    assert_eq!(p("ＡＢＣ").unwrap(), "abc", "fullwidth is NFKC-equivalent");
    assert_eq!(p("a\u{00a0}\u{3000}b").unwrap(), "a b");
    assert_eq!(p("soft\u{00ad}hyphen"), Err(Undefined), "mapped to nothing");
    assert_eq!(p("ΣΊΣΥΦΟΣ").unwrap(), p("σίσυφος").unwrap());
    assert_eq!(p("a\u{e000}"), Err(Undefined), "private use");
    assert_eq!(p("a\u{fffd}"), Err(Undefined));
    assert_eq!(p("a\u{fdd0}"), Err(Undefined), "non-character");
    assert_eq!(p("a\u{0378}"), Err(Undefined), "unassigned in Unicode 3.2");
}

#[test]
fn string_value_validation() {
    assert!(StringValue::new(tag::PRINTABLE, b"abc").is_some());
    assert!(StringValue::new(tag::PRINTABLE, &[0xe9]).is_none());
    assert!(StringValue::new(tag::UTF8, &[0xff]).is_none());
    assert!(StringValue::new(tag::BMP, &[0x00]).is_none());
    assert!(StringValue::new(tag::BMP, &[0xd8, 0x00]).is_none());
    assert!(StringValue::new(tag::UNIVERSAL, &[0, 0x11, 0, 0]).is_none());
    assert!(StringValue::new(0x04, b"x").is_none());
    let t = StringValue::new(tag::TELETEX, &[0x4c, 0xe9]).unwrap();
    assert_eq!(t.chars().collect::<String>(), "Lé");
    let b = StringValue::new(tag::BMP, &[0, 0x4c, 0, 0xe9]).unwrap();
    assert_eq!(b.chars().collect::<String>(), "Lé");
    let u = StringValue::new(tag::UNIVERSAL, &[0, 0, 0, 0x4c, 0, 1, 0xf6, 0x00]).unwrap();
    assert_eq!(u.chars().collect::<String>(), "L\u{1f600}");
}

/// The eager preparation this crate had before the lazy one, on `stringprep`'s tables:
/// the reference for [`UnicodePrepared`].
fn reference_prepare(chars: impl Iterator<Item = char>) -> Result<String, Undefined> {
    use stringprep::tables;
    use unicode_normalization::UnicodeNormalization;
    let mut mapped = String::new();
    for c in chars {
        if fails_closed(c) {
            // The deviation from RFC 4518 section 2.2 (see the module comment).
            return Err(Undefined);
        }
        if is_mapped_to_space(c) {
            mapped.push(' ');
            continue;
        }
        mapped.extend(tables::case_fold_for_nfkc(c));
    }
    let mut out = String::new();
    let mut pending_space = false;
    for c in mapped.nfkc() {
        if tables::unassigned_code_point(c)
            || tables::private_use(c)
            || tables::non_character_code_point(c)
            || tables::change_display_properties_or_deprecated(c)
            || c == '\u{FFFD}'
        {
            return Err(Undefined);
        }
        if c == ' ' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    Ok(out)
}

/// Text mixing ASCII, Latin-1, Greek, German, fullwidth, compatibility and combining
/// characters, spaces of several kinds, characters mapped to nothing and prohibited ones.
fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    proptest::collection::vec(
        proptest::prop_oneof![
            4 => proptest::sample::select(alloc::vec![
                'a', 'Z', ' ', 'ß', 'É', 'é', '\u{301}', 'Σ', 'ς', 'σ', 'Ａ', '\u{3371}', 'ﬁ',
                '\u{A0}', '\u{3000}', '\u{AD}', '\u{200B}', '\t', 'İ', 'ǅ', '中', 'Ⅻ',
            ]),
            1 => proptest::sample::select(alloc::vec!['\u{E000}', '\u{FFFD}', '\u{221}', '\u{200E}']),
            1 => proptest::char::any(),
        ],
        0..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest::proptest! {
    #[test]
    fn lazy_preparation_equals_the_eager_reference(text in mixed_text()) {
        proptest::prop_assert_eq!(prepare(text.chars()), reference_prepare(text.chars()));
    }

    /// The allocation-free comparison answers as preparing both values in full would,
    /// Undefined included.
    #[test]
    fn comparison_equals_comparing_prepared_values(
        registered in mixed_text(),
        presented in mixed_text(),
        upper in proptest::bool::ANY,
    ) {
        let presented = if upper { registered.to_uppercase() } else { presented };
        if let Ok(ours) = prepare(registered.chars()) {
            let value = StringValue::new(tag::UTF8, presented.as_bytes()).unwrap();
            let expected = reference_prepare(presented.chars()).map(|theirs| theirs == ours);
            proptest::prop_assert_eq!(case_ignore_eq(&ours, &value), expected);
        }
    }
}

#[test]
fn fast_path_equals_slow_path_on_ascii() {
    let v = StringValue::new(tag::BMP, &[0, b'A', 0, b' ', 0, b' ', 0, b'b']).unwrap();
    assert!(v.is_ascii());
    assert_eq!(case_ignore_eq("a b", &v), Ok(true));
    assert_eq!(case_ignore_eq("ab", &v), Ok(false));
}

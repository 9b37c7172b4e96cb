//! Unit tests of the claims reader.

use super::*;

const A: &str = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";

fn read(s: &str) -> Result<Found, ClaimsError> {
    read_cnf(s.as_bytes())
}

/// The verdict on `x5t#S256`, as a name.
fn x5t(found: Result<Found, ClaimsError>) -> &'static str {
    match found {
        Ok(Found::NoCnf) => "NoCnf",
        Ok(Found::Inactive) => "Inactive",
        Ok(Found::Cnf { x5t, .. }) => member(x5t),
        Err(ClaimsError::CnfNotAnObject) => "CnfNotAnObject",
        Err(_) => "Error",
    }
}

fn member(m: Member) -> &'static str {
    match m {
        Member::Absent => "Absent",
        Member::Text(t) if t == *A.as_bytes() => "Thumbprint",
        Member::Text(_) => "Text",
        Member::Malformed(_) => "Malformed",
    }
}

#[test]
fn an_active_member_other_than_true_is_inactive() {
    let bound = alloc::format!(r#""cnf":{{"x5t#S256":"{A}"}}"#);
    for active in ["false", "null", "\"true\"", "1", "[]", "{}"] {
        let doc = alloc::format!(r#"{{"active":{active},{bound}}}"#);
        assert_eq!(x5t(read(&doc)), "Inactive", "{doc}");
        // The order of the members does not matter.
        let doc = alloc::format!(r#"{{{bound},"sub":"x","active":{active}}}"#);
        assert_eq!(x5t(read(&doc)), "Inactive", "{doc}");
    }
    // An active token, and a JWT claims set (no `active`), are judged by their cnf.
    assert_eq!(
        x5t(read(&alloc::format!(r#"{{"active":true,{bound}}}"#))),
        "Thumbprint"
    );
    assert_eq!(x5t(read(&alloc::format!(r#"{{{bound}}}"#))), "Thumbprint");
    assert_eq!(x5t(read(r#"{"active":true}"#)), "NoCnf");
    // `active` nested elsewhere is not the top-level member.
    assert_eq!(
        x5t(read(&alloc::format!(
            r#"{{"ext":{{"active":false}},{bound}}}"#
        ))),
        "Thumbprint"
    );
    assert_eq!(
        read(r#"{"active":true,"active":false}"#).map(|_| ()),
        Err(ClaimsError::DuplicateMember("active"))
    );
}

#[test]
fn finds_cnf_among_other_claims() {
    let json = alloc::format!(
        r#"{{"iss":"x","aud":["a","b"],"n":{{"deep":[1,2,{{"cnf":1}}]}},"cnf":{{"jkt":"q","x5t#S256":"{A}"}},"exp":1}}"#
    );
    assert_eq!(x5t(read(&json)), "Thumbprint");
    assert!(matches!(
        read(&json),
        Ok(Found::Cnf {
            jkt: Member::Malformed(_),
            ..
        })
    ));
}

#[test]
fn escaped_thumbprint_is_the_same_string() {
    let json = r#"{"cnf":{"x5t#S256":"\u00414DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}}"#;
    assert_eq!(x5t(read(json)), "Thumbprint");
}

#[test]
fn each_shape_has_its_verdict() {
    assert_eq!(x5t(read("{}")), "NoCnf");
    assert_eq!(x5t(read(r#"{"cnf":null}"#)), "NoCnf");
    assert_eq!(x5t(read(r#"{"cnf":{}}"#)), "Absent");
    assert_eq!(x5t(read(r#"{"cnf":{"x5t#S256":null}}"#)), "Malformed");
    assert_eq!(x5t(read(r#"{"cnf":{"x5t#S256":{"a":[1]}}}"#)), "Malformed");
    assert!(matches!(
        read(r#"{"cnf":{"x5t#S256":"abc="}}"#),
        Ok(Found::Cnf {
            x5t: Member::Malformed(MemberError::Invalid(ThumbprintError::Padded)),
            jkt: Member::Absent
        })
    ));
    // A 43-character text is kept for the comparison, canonical or not.
    assert_eq!(
        x5t(read(
            r#"{"cnf":{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}}"#
        )),
        "Text"
    );
    assert!(matches!(
        read(&alloc::format!(r#"{{"cnf":{{"jkt":"{A}"}}}}"#)),
        Ok(Found::Cnf {
            x5t: Member::Absent,
            jkt: Member::Text(_)
        })
    ));
    assert_eq!(
        read(r#"{"cnf":{"jkt":"a","jkt":"a"}}"#).err(),
        Some(ClaimsError::DuplicateMember("jkt"))
    );
    assert_eq!(
        read(r#"{"cnf":[1,{"x":2}]}"#).err(),
        Some(ClaimsError::CnfNotAnObject)
    );
    assert_eq!(
        read(r#"{"cnf":{},"cnf":{}}"#).err(),
        Some(ClaimsError::DuplicateMember("cnf"))
    );
    assert_eq!(
        read(r#"{"cnf":{"x5t#S256":"a","x5t#S256":"b"}}"#).err(),
        Some(ClaimsError::DuplicateMember("x5t#S256"))
    );
}

#[test]
fn malformed_documents() {
    for bad in ["", "[]", "\"cnf\"", "{", "{} {}", "{\"cnf\":}", "nul"] {
        assert!(
            matches!(read(bad), Err(ClaimsError::Malformed { .. })),
            "{bad:?}"
        );
    }
    let big = alloc::vec![b' '; MAX_CLAIMS_LEN + 1];
    assert_eq!(
        read_cnf(&big).err(),
        Some(ClaimsError::TooLarge {
            len: MAX_CLAIMS_LEN + 1
        })
    );
}

fn nested(open: &str, close: &str, depth: usize) -> alloc::string::String {
    alloc::format!(r#"{{"a":{}1{}}}"#, open.repeat(depth), close.repeat(depth))
}

#[test]
fn reads_what_authorization_servers_issue() {
    let jwt = alloc::format!(
        r#"{{"iss":"https://as.example.com","sub":"merchant-4711","aud":["https://rs.example.com"],"exp":1798761600,"iat":1798758000,"nbf":-0,"ratio":0.25,"jti":"4c0b8f7e","scope":"read write","client_id":"s6BhdRkqt3","active":true,"ext":{{"a":[1,{{}},[],null,false]}},"cnf":{{"x5t#S256":"{A}"}}}}"#
    );
    let pretty = "{\r\n\t\"sub\" : \"Jos\u{e9}\" ,\n  \"cnf\" : { \"jkt\" : \"q\" , \"x5t#S256\" : \"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0\" }\n}\n";
    let escaped = "{\"cnf\":{\"x5t#S256\":\"\\u00414DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0\"}}";
    for doc in [jwt.as_str(), pretty, escaped] {
        assert_eq!(x5t(read(doc)), "Thumbprint", "{doc}");
    }
}

#[test]
fn every_malformed_document_is_malformed() {
    let malformed: [&[u8]; 29] = [
        b"",
        b" ",
        b"[]",
        b"\"cnf\"",
        b"{",
        b"{} {}",
        b"{}x",
        b"\xef\xbb\xbf{}",
        b"{\"cnf\":}",
        b"{\"a\":1,}",
        b"{\"a\":[1,]}",
        b"{\"a\":[1 2]}",
        b"{\"a\" 1}",
        b"{\"a\":1 \"b\":2}",
        b"{1:2}",
        b"{\"a\":01}",
        b"{\"a\":-}",
        b"{\"a\":1.}",
        b"{\"a\":.5}",
        b"{\"a\":1e400}",
        b"{\"a\":nul}",
        b"{\"a\":truex}",
        b"{\"a\":\"\x01\"}",
        b"{\"a\":\"\xff\"}",
        b"{\"a\":\"\xc3\"}",
        b"{\"a\":{]}",
        b"{\"a\":[}",
        b"{\"cnf\":{\"x5t#S256\":\"\\u00\"}}",
        b"{\"cnf\":{\"x5t#S256\":\"a\",}}",
    ];
    for doc in malformed {
        assert!(
            matches!(read_cnf(doc), Err(ClaimsError::Malformed { .. })),
            "{:?}",
            alloc::string::String::from_utf8_lossy(doc)
        );
    }
    // serde_json's recursion limit: 127 levels inside the claims object are refused.
    assert_eq!(x5t(read(&nested("[", "]", 126))), "NoCnf");
    assert!(matches!(
        read(&nested("[", "]", 127)),
        Err(ClaimsError::Malformed { .. })
    ));
}

proptest::proptest! {
    /// Token soup: mostly malformed, sometimes valid; never a panic, and a verdict only
    /// for a document serde_json reads as an object.
    #[test]
    fn token_soup_never_panics(
        tokens in proptest::collection::vec(proptest::sample::select(&[
            "{", "}", "[", "]", ":", ",", " ", "\n", "\"cnf\"", "\"x5t#S256\"",
            "\"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0\"", "\"jkt\"", "\"a\"",
            "1", "-0", "0.5", "01", "1e3", "-", "true", "null", "nul", "\"\\u0041\"",
            "\"\u{e9}\"", "\"", "{\"cnf\":", "{\"x5t#S256\":",
        ][..]), 0..24)
    ) {
        let mut doc = alloc::string::String::from("{");
        for t in tokens {
            doc.push_str(t);
        }
        if read_cnf(doc.as_bytes()).is_ok() {
            let object = serde_json::from_str::<serde_json::Value>(&doc);
            proptest::prop_assert!(matches!(object, Ok(serde_json::Value::Object(_))), "{}", doc);
        }
    }

    /// Valid documents: the verdict is the one `serde_json::Value` gives.
    #[test]
    fn reads_every_document_as_value_does(value in plain_json(), pretty in proptest::bool::ANY) {
        let doc = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let want = |name: &str| match value.get("cnf") {
            None | Some(serde_json::Value::Null) => "NoCnf",
            Some(serde_json::Value::Object(cnf)) => match cnf.get(name) {
                None => "Absent",
                Some(serde_json::Value::String(s)) if s == A => "Thumbprint",
                Some(_) => "Malformed",
            },
            Some(_) => "CnfNotAnObject",
        };
        let found = read_cnf(doc.as_bytes());
        proptest::prop_assert_eq!(x5t(found), want("x5t#S256"), "{}", doc);
        let jkt = match found {
            Ok(Found::Cnf { jkt, .. }) => member(jkt),
            other => x5t(other),
        };
        proptest::prop_assert_eq!(jkt, want("jkt"), "{}", doc);
    }
}

/// Claims objects holding strings without escapes, small numbers, and `cnf` or
/// `x5t#S256` members of every type, nested a few levels.
fn plain_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
    use proptest::prelude::*;
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        (-1000i32..1000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
        "[a-zA-Z0-9 #./:-]{0,12}".prop_map(Value::from),
        Just(Value::from(A)),
    ];
    let key = || {
        proptest::sample::select(&["cnf", "x5t#S256", "jkt", "sub", "aud"][..])
            .prop_map(alloc::string::String::from)
    };
    let value = leaf.prop_recursive(4, 24, 4, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    proptest::collection::btree_map(key(), value, 0..5)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

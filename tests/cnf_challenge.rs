//! RFC 6750 and RFC 9449 challenges: TV-13/TV-14 shapes, RFC 9449 Figures 15 and 16, and, for
//! any input, a header value that parses as `Bearer` or `DPoP` followed by auth-params whose
//! values are quoted-strings of allowed characters.
use proptest::prelude::*;
use rfc8705::Challenge;
use rfc8705::OAuthErrorCode;

/// Parses `Bearer name="value", ...` (or `DPoP …`) strictly; returns the (name, unescaped
/// value) pairs.
fn parse(header: &str) -> Result<Vec<(String, String)>, String> {
    let rest = header
        .strip_prefix("Bearer")
        .or_else(|| header.strip_prefix("DPoP"))
        .ok_or("no Bearer or DPoP scheme")?;
    let mut params = Vec::new();
    let mut chars = rest.chars().peekable();
    let mut first = true;
    while chars.peek().is_some() {
        let sep: String = chars.by_ref().take(if first { 1 } else { 2 }).collect();
        if sep != if first { " " } else { ", " } {
            return Err(format!("bad separator {sep:?}"));
        }
        first = false;
        let mut name = String::new();
        for c in chars.by_ref() {
            if c == '=' {
                break;
            }
            if !(c.is_ascii_lowercase() || c == '_') {
                return Err(format!("bad name char {c:?}"));
            }
            name.push(c);
        }
        if chars.next() != Some('"') {
            return Err("value not quoted".into());
        }
        let mut value = String::new();
        loop {
            match chars.next().ok_or("unterminated")? {
                '"' => break,
                '\\' => {
                    let c = chars.next().ok_or("dangling backslash")?;
                    if !(c == ' ' || c == '\t' || c.is_ascii_graphic()) {
                        return Err("bad quoted-pair".into());
                    }
                    value.push(c);
                }
                // qdtext, ASCII only.
                c if c == ' '
                    || c == '!'
                    || ('#'..='[').contains(&c)
                    || (']'..='~').contains(&c) =>
                {
                    value.push(c)
                }
                c => return Err(format!("bad qdtext {c:?}")),
            }
        }
        params.push((name, value));
    }
    Ok(params)
}

fn rfc6750_char(c: char) -> bool {
    matches!(c, ' ' | '!' | '#'..='[' | ']'..='~')
}

#[test]
fn tv13_shape() {
    let h = Challenge::bearer()
        .realm("example")
        .error(OAuthErrorCode::InvalidToken)
        .error_description("The access token expired")
        .to_string();
    assert_eq!(
        parse(&h).unwrap(),
        vec![
            ("realm".into(), "example".into()),
            ("error".into(), "invalid_token".into()),
            (
                "error_description".into(),
                "The access token expired".into()
            ),
        ]
    );
}

#[test]
fn tv14_shape() {
    let url = "https://resource.example.com/.well-known/oauth-protected-resource";
    let h = Challenge::bearer().resource_metadata(url).to_string();
    assert_eq!(h, format!("Bearer resource_metadata=\"{url}\""));
    assert_eq!(
        parse(&h).unwrap(),
        vec![("resource_metadata".into(), url.into())]
    );
}

#[test]
fn rfc9449_figures_15_and_16() {
    assert_eq!(
        Challenge::dpop().algs("ES256 PS256").to_string(),
        r#"DPoP algs="ES256 PS256""#
    );
    let h = Challenge::dpop()
        .error(OAuthErrorCode::InvalidToken)
        .error_description("Invalid DPoP key binding")
        .algs("ES256")
        .to_string();
    assert_eq!(
        parse(&h).unwrap(),
        vec![
            ("error".into(), "invalid_token".into()),
            (
                "error_description".into(),
                "Invalid DPoP key binding".into()
            ),
            ("algs".into(), "ES256".into()),
        ]
    );
}

#[test]
fn the_parser_rejects_what_it_must() {
    assert!(parse("Bearer realm=\"a\"b\"").is_err());
    assert!(parse("Bearer realm=\"a\r\n\"").is_err());
    assert!(parse("Basic realm=\"a\"").is_err());
    assert!(parse("Bearer realm=\"a").is_err());
}

proptest! {
    #[test]
    fn rendering_always_parses(
        realm in proptest::option::of(any::<String>()),
        description in proptest::option::of(any::<String>()),
        scope in proptest::option::of(any::<String>()),
        url in proptest::option::of(any::<String>()),
        algs in proptest::option::of(any::<String>()),
        dpop in any::<bool>(),
        error in proptest::option::of(prop_oneof![
            Just(OAuthErrorCode::InvalidRequest),
            Just(OAuthErrorCode::InvalidToken),
            Just(OAuthErrorCode::InsufficientScope),
        ]),
    ) {
        let mut c = if dpop { Challenge::dpop() } else { Challenge::bearer() };
        if let Some(r) = &realm { c = c.realm(r.as_str()); }
        if let Some(e) = error { c = c.error(e); }
        if let Some(d) = &description { c = c.error_description(d.as_str()); }
        if let Some(s) = &scope { c = c.scope(s.as_str()); }
        if let Some(u) = &url { c = c.resource_metadata(u.as_str()); }
        if let Some(a) = &algs { c = c.algs(a.as_str()); }
        let header = c.to_string();
        prop_assert!(header.bytes().all(|b| (0x20..0x7f).contains(&b)), "{header:?}");
        prop_assert!(header.starts_with(if dpop { "DPoP" } else { "Bearer" }), "{header:?}");
        let params = parse(&header).map_err(|e| TestCaseError::fail(format!("{e}: {header:?}")))?;
        prop_assert_eq!(params.iter().any(|(n, _)| n == "algs"), dpop && algs.is_some());
        for (name, value) in &params {
            if name != "realm" {
                prop_assert!(value.chars().all(rfc6750_char), "{name}={value:?}");
            }
        }
        // Realm survives exactly when it is printable ASCII (and short enough).
        if let Some(r) = &realm {
            let got = &params.iter().find(|(n, _)| n == "realm").unwrap().1;
            if r.chars().all(|c| (' '..='~').contains(&c)) && r.len() <= 1024 {
                prop_assert_eq!(got, r);
            }
        }
        if let Some(d) = &description {
            let got = &params.iter().find(|(n, _)| n == "error_description").unwrap().1;
            if d.chars().all(rfc6750_char) && d.len() <= 1024 {
                prop_assert_eq!(got, d);
            }
        }
        prop_assert_eq!(c.status(), error.map_or(401, OAuthErrorCode::http_status));
    }
}

//! `WWW-Authenticate` challenges for resource servers (documented on [`Challenge`]).

use alloc::borrow::Cow;
use core::fmt::{self, Write};

use crate::error::OAuthErrorCode;

/// A `WWW-Authenticate` challenge, `Bearer` (RFC 6750 section 3) or `DPoP` (RFC 9449 section
/// 7.1). `Display` renders the header value; [`Challenge::status`] is the HTTP status to send
/// with it. The resource server's errors build theirs
/// ([`ResourceError::challenge`](crate::ResourceError::challenge)); add `realm`, `scope`,
/// `resource_metadata` and, for DPoP, `algs`.
///
/// RFC 6750 section 3: "All challenges defined by this specification MUST use the auth-scheme
/// value "Bearer". This scheme MUST be followed by one or more auth-param values." RFC 9449
/// section 7.1, for DPoP: "The scheme name is DPoP", with the same `realm`, `scope`, `error`
/// and `error_description` parameters, and "An algs parameter SHOULD be included to signal to
/// the client the JWS algorithms that are acceptable for the DPoP proof JWT." The
/// `resource_metadata` parameter is RFC 9728 section 5.1's.
///
/// Every value is rendered as an HTTP quoted-string. Values are sanitized, never echoed: a
/// character that the parameter's grammar does not allow is replaced with `?`, so no input
/// can inject a quote, a backslash sequence, a line break or another header.
///
/// ```
/// use rfc8705::Challenge;
/// use rfc8705::OAuthErrorCode;
///
/// // The RFC 6750 section 3 example, on one line.
/// let c = Challenge::bearer()
///     .realm("example")
///     .error(OAuthErrorCode::InvalidToken)
///     .error_description("The access token expired");
/// assert_eq!(
///     c.to_string(),
///     r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#
/// );
/// assert_eq!(c.status(), 401);
///
/// // The RFC 9728 section 5.1 example.
/// let c = Challenge::bearer()
///     .resource_metadata("https://resource.example.com/.well-known/oauth-protected-resource");
/// assert_eq!(
///     c.to_string(),
///     r#"Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource""#
/// );
///
/// // RFC 9449 section 7.1, Figure 16.
/// let c = Challenge::dpop()
///     .error(OAuthErrorCode::InvalidToken)
///     .error_description("Invalid DPoP key binding")
///     .algs("ES256");
/// assert_eq!(
///     c.to_string(),
///     r#"DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256""#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge<'a> {
    dpop: bool,
    realm: Option<Cow<'a, str>>,
    error: Option<OAuthErrorCode>,
    error_description: Option<Cow<'a, str>>,
    scope: Option<Cow<'a, str>>,
    resource_metadata: Option<Cow<'a, str>>,
    algs: Option<Cow<'a, str>>,
}

/// Which characters a parameter's value may carry unchanged.
#[derive(Clone, Copy)]
enum Charset {
    /// RFC 6750 section 3: `error-description = *( %x20-21 / %x23-5B / %x5D-7E )` and the
    /// scope tokens plus the space separator (`scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`).
    /// No `"` and no `\`, so no escaping is ever needed.
    Rfc6750,
    /// `realm`: any quoted-string content (RFC 9110 section 5.6.4); `"` and `\` are escaped
    /// with a backslash.
    Quoted,
}

/// The longest value rendered per parameter, in characters; the rest is cut and marked with
/// `...`. Keeps a header within what servers accept (8 KiB is common).
pub(crate) const MAX_VALUE_LEN: usize = 1024;

impl<'a> Challenge<'a> {
    /// An empty `Bearer` challenge; add parameters with the builder methods.
    ///
    /// ```
    /// # use rfc8705::Challenge;
    /// assert_eq!(Challenge::bearer().to_string(), "Bearer");
    /// ```
    pub fn bearer() -> Self {
        Self {
            dpop: false,
            realm: None,
            error: None,
            error_description: None,
            scope: None,
            resource_metadata: None,
            algs: None,
        }
    }

    /// An empty `DPoP` challenge (RFC 9449 section 7.1); add parameters with the builder
    /// methods, `algs` among them.
    ///
    /// ```
    /// # use rfc8705::Challenge;
    /// // RFC 9449 section 7.1, Figure 15.
    /// assert_eq!(Challenge::dpop().algs("ES256 PS256").to_string(), r#"DPoP algs="ES256 PS256""#);
    /// ```
    pub fn dpop() -> Self {
        Self {
            dpop: true,
            ..Self::bearer()
        }
    }

    /// Sets `realm` (RFC 6750 section 3; "MUST NOT appear more than once": setting it again
    /// replaces it).
    ///
    /// ```
    /// # use rfc8705::Challenge;
    /// assert_eq!(Challenge::bearer().realm(r#"a "b""#).to_string(), r#"Bearer realm="a \"b\"""#);
    /// ```
    pub fn realm(mut self, realm: impl Into<Cow<'a, str>>) -> Self {
        self.realm = Some(realm.into());
        self
    }

    /// Sets `error` (RFC 6750 section 3.1: `invalid_request`, `invalid_token`,
    /// `insufficient_scope`; the status follows it).
    ///
    /// ```
    /// # use rfc8705::Challenge;
    /// # use rfc8705::OAuthErrorCode;
    /// let c = Challenge::bearer().error(OAuthErrorCode::InvalidRequest);
    /// assert_eq!(c.to_string(), r#"Bearer error="invalid_request""#);
    /// ```
    pub fn error(mut self, error: OAuthErrorCode) -> Self {
        self.error = Some(error);
        self
    }

    /// Sets `error_description`: "Human-readable ASCII text providing additional information,
    /// used to assist the client developer in understanding the error that occurred." Characters
    /// outside `%x20-21 / %x23-5B / %x5D-7E` are replaced with `?`.
    ///
    /// ```
    /// # use rfc8705::Challenge;
    /// let c = Challenge::bearer().error_description("bad \"x\"\r\nSet-Cookie: a");
    /// assert_eq!(c.to_string(), r#"Bearer error_description="bad ?x???Set-Cookie: a""#);
    /// ```
    pub fn error_description(mut self, description: impl Into<Cow<'a, str>>) -> Self {
        self.error_description = Some(description.into());
        self
    }

    /// Sets `scope`: space-delimited scope values (RFC 6750 section 3, typically with
    /// `insufficient_scope`). Characters outside the scope-token set and space become `?`.
    ///
    /// ```
    /// # use rfc8705::Challenge;
    /// # use rfc8705::OAuthErrorCode;
    /// let c = Challenge::bearer().error(OAuthErrorCode::InsufficientScope).scope("read write");
    /// assert_eq!(c.to_string(), r#"Bearer error="insufficient_scope", scope="read write""#);
    /// assert_eq!(c.status(), 403);
    /// ```
    pub fn scope(mut self, scope: impl Into<Cow<'a, str>>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Sets `resource_metadata` (RFC 9728 section 5.1): "The URL of the protected resource
    /// metadata."
    ///
    /// ```
    /// # use rfc8705::Challenge;
    /// let c = Challenge::bearer().resource_metadata("https://rs.example/.well-known/oauth-protected-resource");
    /// assert!(c.to_string().contains("resource_metadata=\"https://rs.example/"));
    /// ```
    pub fn resource_metadata(mut self, url: impl Into<Cow<'a, str>>) -> Self {
        self.resource_metadata = Some(url.into());
        self
    }

    /// Sets `algs` (RFC 9449 section 7.1): "a space-delimited list of JWS alg (Algorithm)
    /// header values" acceptable for the DPoP proof. Rendered on a `DPoP` challenge only, so a
    /// resource server can add it to every challenge it sends. Characters outside the RFC 6750
    /// set become `?`.
    ///
    /// ```
    /// # use rfc8705::Challenge;
    /// assert_eq!(Challenge::dpop().algs("ES256").to_string(), r#"DPoP algs="ES256""#);
    /// assert_eq!(Challenge::bearer().algs("ES256").to_string(), "Bearer");
    /// ```
    pub fn algs(mut self, algs: impl Into<Cow<'a, str>>) -> Self {
        self.algs = Some(algs.into());
        self
    }

    /// The HTTP status to send: the error's (RFC 6750 section 3.1: 400 for `invalid_request`,
    /// 401 for `invalid_token`, 403 for `insufficient_scope`), or 401 when no error is set (RFC
    /// 6750 section 3: a request without authentication gets a challenge without `error`).
    ///
    /// ```
    /// # use rfc8705::Challenge;
    /// assert_eq!(Challenge::bearer().status(), 401);
    /// ```
    pub fn status(&self) -> u16 {
        self.error.map_or(401, OAuthErrorCode::http_status)
    }
}

/// Writes `value` as a quoted-string allowing only `charset`, replacing anything else with `?`.
fn write_quoted(f: &mut fmt::Formatter<'_>, value: &str, charset: Charset) -> fmt::Result {
    f.write_char('"')?;
    for (n, c) in value.chars().enumerate() {
        if n >= MAX_VALUE_LEN {
            f.write_str("...")?;
            break;
        }
        match (charset, c) {
            // RFC 6750 grammar: SP, "!", "#".."[", "]".."~".
            (Charset::Rfc6750, ' ' | '!' | '#'..='[' | ']'..='~') => f.write_char(c)?,
            // quoted-pair: "\" ( HTAB / SP / VCHAR / obs-text ); only `"` and `\` need it.
            (Charset::Quoted, '"' | '\\') => {
                f.write_char('\\')?;
                f.write_char(c)?;
            }
            // qdtext, ASCII only (obs-text is obsolete and ambiguous across parsers).
            (Charset::Quoted, ' '..='~') => f.write_char(c)?,
            // Control characters (CR, LF: header injection), non-ASCII, and for RFC 6750
            // values `"` and `\`: never echoed.
            _ => f.write_char('?')?,
        }
    }
    f.write_char('"')
}

impl fmt::Display for Challenge<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.dpop { "DPoP" } else { "Bearer" })?;
        let mut sep = " ";
        let mut param = |f: &mut fmt::Formatter<'_>, name: &str, value: &str, cs: Charset| {
            f.write_str(sep)?;
            sep = ", ";
            f.write_str(name)?;
            f.write_char('=')?;
            write_quoted(f, value, cs)
        };
        if let Some(v) = &self.realm {
            param(f, "realm", v, Charset::Quoted)?;
        }
        if let Some(e) = self.error {
            param(f, "error", e.as_str(), Charset::Rfc6750)?;
        }
        if let Some(v) = &self.error_description {
            param(f, "error_description", v, Charset::Rfc6750)?;
        }
        if let Some(v) = &self.scope {
            param(f, "scope", v, Charset::Rfc6750)?;
        }
        if let Some(v) = &self.resource_metadata {
            // A URL: RFC 3986 characters are all within the RFC 6750 set.
            param(f, "resource_metadata", v, Charset::Rfc6750)?;
        }
        if let (true, Some(v)) = (self.dpop, &self.algs) {
            // JWS alg names and spaces: within the RFC 6750 set.
            param(f, "algs", v, Charset::Rfc6750)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};

    #[test]
    fn all_parameters_in_order() {
        let c = Challenge::bearer()
            .resource_metadata("https://r.example/.well-known/oauth-protected-resource")
            .scope("a b")
            .error_description("d")
            .error(OAuthErrorCode::InvalidToken)
            .realm("r");
        assert_eq!(
            c.to_string(),
            "Bearer realm=\"r\", error=\"invalid_token\", error_description=\"d\", scope=\"a b\", resource_metadata=\"https://r.example/.well-known/oauth-protected-resource\""
        );
    }

    #[test]
    fn sanitizes() {
        let c = Challenge::bearer()
            .realm("é\\\r\n")
            .error_description("\\é\"x")
            .scope("a\"b");
        assert_eq!(
            c.to_string(),
            "Bearer realm=\"?\\\\??\", error_description=\"???x\", scope=\"a?b\""
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long: String = core::iter::repeat_n('a', MAX_VALUE_LEN + 10).collect();
        let s = Challenge::bearer().error_description(long).to_string();
        assert!(s.ends_with("a...\""));
        assert_eq!(
            s.len(),
            "Bearer error_description=\"\"".len() + MAX_VALUE_LEN + 3
        );
    }

    #[test]
    fn statuses() {
        assert_eq!(
            Challenge::bearer()
                .error(OAuthErrorCode::InvalidRequest)
                .status(),
            400
        );
        assert_eq!(
            Challenge::bearer()
                .error(OAuthErrorCode::InvalidToken)
                .status(),
            401
        );
    }
}

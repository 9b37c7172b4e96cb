//! Challenges as `http` types: the status, the `WWW-Authenticate` value and a whole response.

use alloc::string::ToString;

use http::{HeaderValue, Response, StatusCode, header::WWW_AUTHENTICATE};

use crate::challenge::Challenge;

#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
impl Challenge<'_> {
    /// The HTTP status as an [`http::StatusCode`]: 400, 401 or 403 (see
    /// [`status`](Self::status)).
    ///
    /// ```
    /// use rfc8705::ResourceError;
    /// assert_eq!(ResourceError::CertificateMismatch.challenge().status_code(), http::StatusCode::UNAUTHORIZED);
    /// ```
    pub fn status_code(&self) -> StatusCode {
        match self.status() {
            400 => StatusCode::BAD_REQUEST,
            403 => StatusCode::FORBIDDEN,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    /// The `WWW-Authenticate` header value. Rendering replaces every character a header
    /// cannot carry, so this cannot fail.
    ///
    /// ```
    /// use rfc8705::Challenge;
    /// let v = Challenge::bearer().realm("api\r\nX-Injected: 1").header_value();
    /// assert_eq!(v, r#"Bearer realm="api??X-Injected: 1""#);
    /// ```
    pub fn header_value(&self) -> HeaderValue {
        // Every rendered byte is printable ASCII (`challenge` replaces the rest with `?`),
        // which `HeaderValue` accepts; the fallback is never taken.
        HeaderValue::try_from(self.to_string())
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer"))
    }

    /// The whole answer of RFC 6750 section 3: the status, `WWW-Authenticate`, and an empty
    /// body (`B::default()`: axum's `Body`, tonic's `Body`, `http_body_util::Full`, `()`).
    ///
    /// ```
    /// use rfc8705::ResourceError;
    ///
    /// let err = ResourceError::NoCertificate;
    /// let response: http::Response<String> = err.challenge().realm("api").to_response();
    /// assert_eq!(response.status(), 401);
    /// assert!(response.headers()["www-authenticate"].to_str()?.starts_with(r#"Bearer realm="api", error="invalid_token""#));
    /// # Ok::<(), http::header::ToStrError>(())
    /// ```
    pub fn to_response<B: Default>(&self) -> Response<B> {
        let mut response = Response::new(B::default());
        *response.status_mut() = self.status_code();
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, self.header_value());
        response
    }
}

#[cfg(test)]
mod tests {
    use crate::OAuthErrorCode;
    use crate::challenge::Challenge;
    use alloc::string::{String, ToString};

    #[test]
    fn statuses_follow_the_error_code() {
        for (code, status) in [
            (OAuthErrorCode::InvalidRequest, 400),
            (OAuthErrorCode::InvalidToken, 401),
            (OAuthErrorCode::InsufficientScope, 403),
        ] {
            let c = Challenge::bearer().error(code);
            assert_eq!(c.status_code().as_u16(), status);
            let r: http::Response<()> = c.to_response();
            assert_eq!(r.status().as_u16(), status);
            assert_eq!(r.headers().get_all("www-authenticate").iter().count(), 1);
        }
        assert_eq!(Challenge::bearer().status_code(), 401);
    }

    #[test]
    fn header_value_is_the_rendering_even_for_hostile_input() {
        let hostile: String = (0u8..=255).map(char::from).collect();
        let c = Challenge::bearer()
            .realm(hostile.clone())
            .error_description(hostile.clone())
            .scope(hostile);
        assert_eq!(c.header_value().to_str().ok(), Some(&*c.to_string()));
    }
}

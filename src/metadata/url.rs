//! The URL rules shared by the server-side documents.

use alloc::string::String;

use serde_json::Value;

use super::{MAX_METADATA_LEN, MetadataError};

/// What is wrong with a URL in a metadata document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlProblem {
    /// The member is not a JSON string.
    #[error("it is not a string")]
    NotAString,
    /// Whitespace or a control character (a URL has none, RFC 3986 section 2).
    #[error("it contains whitespace or a control character")]
    InvalidCharacter,
    /// The scheme is not `https` (or there is no `scheme://`).
    #[error("it is not an https URL")]
    NotHttps,
    /// No host after `https://`.
    #[error("it has no host")]
    NoHost,
    /// A `?query` where none is allowed (an issuer identifier).
    #[error("it has a query component, which an issuer identifier must not have")]
    Query,
    /// A `#fragment`.
    #[error("it has a fragment component")]
    Fragment,
    /// Longer than 256 KiB.
    #[error("it is too long")]
    TooLong,
}

/// An absolute `https` URL, split where the metadata rules look.
pub(super) struct HttpsUrl<'a> {
    /// `[userinfo@]host[:port]`, as written.
    pub(super) authority: &'a str,
    /// Everything after the authority: path, query and fragment.
    pub(super) rest: &'a str,
}

/// Splits an absolute `https` URL, rejecting whitespace and control characters, other
/// schemes and a missing host. Scheme comparison is case-insensitive (RFC 3986 section 3.1:
/// "schemes are case-insensitive").
pub(super) fn parse_https_url(url: &str) -> Result<HttpsUrl<'_>, UrlProblem> {
    if url.len() > MAX_METADATA_LEN {
        return Err(UrlProblem::TooLong);
    }
    // A URL never contains a space or a control character (RFC 3986 section 2).
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlProblem::InvalidCharacter);
    }
    const SCHEME: &str = "https://";
    let after_scheme = match url.get(..SCHEME.len()) {
        Some(scheme) if scheme.eq_ignore_ascii_case(SCHEME) => {
            url.get(SCHEME.len()..).unwrap_or_default()
        }
        _ => return Err(UrlProblem::NotHttps),
    };
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let (authority, rest) = after_scheme.split_at(authority_end);
    // RFC 3986 section 3.2: authority = [ userinfo "@" ] host [ ":" port ].
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_and_port.starts_with('[') {
        // An IP literal: up to and including its closing bracket.
        host_and_port
            .find(']')
            .map_or("", |end| host_and_port.get(1..end).unwrap_or_default())
    } else {
        host_and_port.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    Ok(HttpsUrl { authority, rest })
}

/// The member name as shown in an error: printable ASCII as is, the rest escaped.
fn member_name(member: &str) -> String {
    member.escape_debug().collect()
}

/// RFC 8414 section 2: the issuer identifier is "a URL that uses the "https" scheme and has no
/// query or fragment components".
pub(super) fn check_issuer_identifier(member: &str, url: &str) -> Result<(), MetadataError> {
    check_url(member, url, false)
}

/// An endpoint URL: absolute `https`, a host, no fragment (RFC 6749 sections 3.1 and 3.2:
/// "The endpoint URI MUST NOT include a fragment component").
pub(super) fn check_endpoint_url(member: &str, url: &str) -> Result<(), MetadataError> {
    check_url(member, url, true)
}

/// An absolute `https` URL with a host and no fragment, and no query unless `query_allowed`.
fn check_url(member: &str, url: &str, query_allowed: bool) -> Result<(), MetadataError> {
    let problem = match parse_https_url(url) {
        Ok(u) if u.rest.contains('#') => UrlProblem::Fragment,
        Ok(u) if !query_allowed && u.rest.contains('?') => UrlProblem::Query,
        Ok(_) => return Ok(()),
        Err(problem) => problem,
    };
    Err(MetadataError::Url {
        member: member_name(member),
        problem,
    })
}

/// [`check_endpoint_url`] for a member of an untyped map: it must be a string first.
pub(super) fn check_endpoint_value(member: &str, value: &Value) -> Result<(), MetadataError> {
    match value.as_str() {
        Some(url) => check_endpoint_url(member, url),
        None => Err(MetadataError::Url {
            member: member_name(member),
            problem: UrlProblem::NotAString,
        }),
    }
}

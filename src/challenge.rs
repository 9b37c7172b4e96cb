//! RFC 6750 section 3 `WWW-Authenticate: Bearer` challenges for resource servers.

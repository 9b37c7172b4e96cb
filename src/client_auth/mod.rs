//! Mutual-TLS client authentication at the authorization server (RFC 8705 section 2).
//!
//! RFC 8705 section 2: "The authorization server MUST enforce the binding between client and
//! certificate, as described in either Section 2.1 or 2.2 below."

pub mod self_signed;
pub mod tls;

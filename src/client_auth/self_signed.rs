//! `self_signed_tls_client_auth`: the self-signed certificate method (RFC 8705 section 2.2).

//! The JWK and JWK Set pieces that `self_signed_tls_client_auth` needs (RFC 7517, RFC 8705 section 2.2).

//! Client certificates forwarded by a TLS-terminating proxy (RFC 8705 section 6.5).

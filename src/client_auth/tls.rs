//! `tls_client_auth`: the PKI method (RFC 8705 section 2.1).

//! Metadata documents: RFC 8414 authorization server metadata, RFC 7591 client metadata and RFC 9728 protected resource metadata, with the RFC 8705 members.

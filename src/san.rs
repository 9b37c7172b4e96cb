//! Subject alternative names (RFC 5280 section 4.2.1.6) and the equality rules RFC 8705 section 2.1.2 needs.

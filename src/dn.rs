//! Distinguished names: RFC 4514 strings, RFC 4518 string preparation and RFC 4517 distinguishedNameMatch.

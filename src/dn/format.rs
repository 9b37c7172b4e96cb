//! RFC 4514 section 2 string output: short names, dotted OIDs with `#hex` values for unknown
//! types, minimal escaping.

use core::fmt::{self, Write};

use super::attr;
use super::prep::StringValue;
use crate::der::Tlv;

/// Writes a value with RFC 4514 section 2.4 escaping.
///
/// RFC 4514 section 2.4: "a space (' ' U+0020) or number sign ('#' U+0023) occurring at the
/// beginning of the string; a space (' ' U+0020) character occurring at the end of the
/// string; one of the characters '"', '+', ',', ';', '<', '>', or '\' (U+005C); the null
/// (U+0000) character" must be escaped; "Other characters may be escaped." We also escape
/// control and format characters (as `\HH` UTF-8 octets) so that output never carries
/// terminal controls or bidi overrides from a certificate.
pub(crate) fn write_escaped_chars(
    out: &mut impl Write,
    chars: impl Iterator<Item = char>,
) -> fmt::Result {
    let mut chars = chars.peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let last = chars.peek().is_none();
        match c {
            ' ' if first || last => out.write_str("\\ ")?,
            '#' if first => out.write_str("\\#")?,
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.write_char('\\')?;
                out.write_char(c)?;
            }
            c if needs_hex_escape(c) => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    write!(out, "\\{b:02X}")?;
                }
            }
            c => out.write_char(c)?,
        }
        first = false;
    }
    Ok(())
}

/// Control characters, format characters that change display (bidi overrides, zero-width
/// characters), every character RFC 4518 maps to nothing (variation selectors, tags, ...) and
/// the replacement character.
fn needs_hex_escape(c: char) -> bool {
    c.is_control()
        || super::prep::is_mapped_to_nothing(c)
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFD}')
}

/// Writes a string value with RFC 4514 escaping.
pub(crate) fn write_escaped_str(out: &mut impl Write, s: &str) -> fmt::Result {
    write_escaped_chars(out, s.chars())
}

/// Writes `#` and the hex of `ber`: RFC 4514 section 2.4 "the AttributeValue is encoded as an
/// octet string" "prefixed by the number sign".
pub(crate) fn write_hex(out: &mut impl Write, ber: &[u8]) -> fmt::Result {
    out.write_char('#')?;
    for b in ber {
        write!(out, "{b:02x}")?;
    }
    Ok(())
}

/// Writes one certificate AVA: RFC 4514 section 2.3 "If the AttributeType is defined to have
/// a short name ... that short name, a descr, is used. Otherwise the AttributeType is encoded
/// as the dotted-decimal encoding ... of its OBJECT IDENTIFIER." Section 2.4: "If the
/// AttributeType is of the dotted-decimal form, the AttributeValue is represented by an
/// number sign ('#' U+0023) character followed by the hexadecimal encoding of each of the
/// octets of the BER encoding of the X.500 AttributeValue."
pub(crate) fn write_cert_ava(out: &mut impl Write, oid: &[u8], value: Tlv<'_>) -> fmt::Result {
    attr::write_type_of_oid_bytes(out, oid)?;
    out.write_char('=')?;
    let text = attr::by_oid_bytes(oid).and_then(|_| StringValue::new(value.tag, value.content));
    match text {
        Some(text) => write_escaped_chars(out, text.chars()),
        None => write_hex(out, value.whole),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn esc(s: &str) -> String {
        let mut out = String::new();
        write_escaped_str(&mut out, s).unwrap();
        out
    }

    #[test]
    fn minimal_escaping() {
        assert_eq!(esc("Example, Inc."), "Example\\, Inc.");
        assert_eq!(esc(" #lead+trail "), "\\ #lead\\+trail\\ ");
        assert_eq!(esc("#x"), "\\#x");
        assert_eq!(esc("a#b=c"), "a#b=c");
        assert_eq!(esc("James \"Jim\" Smith"), "James \\\"Jim\\\" Smith");
        assert_eq!(esc("a\\b;<>"), "a\\\\b\\;\\<\\>");
        assert_eq!(esc("Before\rAfter"), "Before\\0DAfter");
        assert_eq!(esc("\0"), "\\00");
        assert_eq!(esc("x\u{202e}y"), "x\\E2\\80\\AEy");
        assert_eq!(esc("a\u{fe0f}\u{34f}"), "a\\EF\\B8\\8F\\CD\\8F");
        assert_eq!(esc("a\u{e0041}"), "a\\F3\\A0\\81\\81");
        assert_eq!(esc("Lučić"), "Lučić");
        assert_eq!(esc(" "), "\\ ");
        assert_eq!(esc(""), "");
    }
}

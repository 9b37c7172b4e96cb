//! The RFC 4514 section 3 parser, tolerant of spaces around `,` `+` `=`, and the legacy
//! grammar of RFC 1779 and RFC 2253 section 4 on top of it (quoted values, `OID.` prefixes,
//! `;` between RDNs), reached only through [`DistinguishedName::parse_legacy`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use der::oid::ObjectIdentifier;

use super::MAX_DN_STRING_LEN;
use super::attr::{self, AttributeType};
use super::error::DnParseError;
use super::name::{Ava, AvaValue, DistinguishedName, Rdn};
use crate::der::{MAX_AVAS_PER_RDN, MAX_RDNS};

/// Which string grammar a DN is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Grammar {
    /// RFC 4514 section 3 (with spaces around separators): the default everywhere.
    Rfc4514,
    /// RFC 4514 plus what RFC 2253 section 4 says implementations "MUST allow" of RFC 1779:
    /// `;` between RDNs, `OID.`/`oid.` before a numeric OID, quoted values.
    Legacy,
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    grammar: Grammar,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        let s: &'a [u8] = self.s;
        s.get(start..self.pos).unwrap_or_default()
    }

    /// RFC 4514 section 3: `attributeType = descr / numericoid`; RFC 4512 section 1.4:
    /// `descr = keystring`, `keystring = leadkeychar *keychar`, "Short names are case
    /// insensitive"; `numericoid = number 1*( DOT number )`.
    fn attribute_type(&mut self) -> Result<AttributeType, DnParseError> {
        let at = self.pos;
        // RFC 2253 section 4: "Implementations MUST allow an oid in the attribute type to be
        // prefixed by one of the character strings "oid." or "OID."." (RFC 1779: `<key> ::=
        // 1*( <keychar> ) | "OID." <oid> | "oid." <oid>`).
        if self.grammar == Grammar::Legacy
            && matches!(
                self.s.get(at..at.saturating_add(4)),
                Some(b"OID." | b"oid.")
            )
        {
            self.pos = at.saturating_add(4);
            let text = self.take_while(|b| b.is_ascii_digit() || b == b'.');
            let text = core::str::from_utf8(text).unwrap_or_default();
            return parse_numericoid(text)
                .map(AttributeType::from_oid)
                .ok_or(DnParseError::BadOid { at });
        }
        match self.peek() {
            Some(b) if b.is_ascii_alphabetic() => {
                let name = self.take_while(|b| b.is_ascii_alphanumeric() || b == b'-');
                let name = core::str::from_utf8(name).unwrap_or_default();
                attr::by_name(name)
                    .map(|info| AttributeType::from_oid(info.oid))
                    .ok_or_else(|| DnParseError::UnknownTypeName {
                        name: name.chars().take(64).collect(),
                    })
            }
            Some(b) if b.is_ascii_digit() => {
                let text = self.take_while(|b| b.is_ascii_digit() || b == b'.');
                let text = core::str::from_utf8(text).unwrap_or_default();
                parse_numericoid(text)
                    .map(AttributeType::from_oid)
                    .ok_or(DnParseError::BadOid { at })
            }
            _ => Err(DnParseError::ExpectedType { at }),
        }
    }

    /// Whether the next byte ends a value: the end, `,`, `+`, and in the legacy grammar `;`.
    fn at_separator(&self) -> bool {
        match self.peek() {
            None | Some(b',' | b'+') => true,
            Some(b';') => self.grammar == Grammar::Legacy,
            Some(_) => false,
        }
    }

    /// `pair = ESC ( ESC / special / hexpair )`, the backslash at `at` already read: pushes
    /// the byte it stands for.
    fn escape(&mut self, at: usize, buf: &mut Vec<u8>) -> Result<(), DnParseError> {
        match self.bump() {
            Some(c @ (b' ' | b'"' | b'#' | b'+' | b',' | b';' | b'<' | b'=' | b'>' | b'\\')) => {
                buf.push(c);
            }
            Some(h) if h.is_ascii_hexdigit() => {
                let l = self.bump().filter(u8::is_ascii_hexdigit);
                let l = l.ok_or(DnParseError::BadEscape { at })?;
                buf.push((hex_val(h) << 4) | hex_val(l));
            }
            _ => return Err(DnParseError::BadEscape { at }),
        }
        Ok(())
    }

    /// `attributeValue = string / hexstring`, and in the legacy grammar a quoted string;
    /// stops before an unescaped separator.
    fn attribute_value(&mut self) -> Result<AvaValue, DnParseError> {
        if self.grammar == Grammar::Legacy && self.peek() == Some(b'"') {
            return self.quoted_value();
        }
        if self.peek() == Some(b'#') {
            let at = self.pos;
            match self.hexstring() {
                // Java's X500Principal CANONICAL form writes a leading '#' of a string value
                // unescaped (`cn=#lead\+trail`): a '#' followed by something that is not
                // hex is read as text, as those renderings are what users copy.
                Err(DnParseError::NotHex { .. }) => self.pos = at,
                other => return other,
            }
        }
        let start = self.pos;
        let mut buf: Vec<u8> = Vec::new();
        let mut significant = 0;
        while let Some(b) = self.peek() {
            let at = self.pos;
            if self.at_separator() {
                break;
            }
            match b {
                b'\\' => {
                    self.pos += 1;
                    self.escape(at, &mut buf)?;
                    significant = buf.len();
                }
                // RFC 4514 section 3: these must be escaped inside a value (`escaped`); an
                // unescaped one is an RFC 2253/1779 quoting or separator left in the string.
                b'"' | b';' | b'<' | b'>' => {
                    return Err(DnParseError::UnescapedSpecial {
                        ch: char::from(b),
                        at,
                    });
                }
                0 => return Err(DnParseError::Nul),
                b' ' => {
                    buf.push(b);
                    self.pos += 1;
                }
                _ => {
                    buf.push(b);
                    self.pos += 1;
                    significant = buf.len();
                }
            }
        }
        // Unescaped trailing spaces are separator padding, not part of the value.
        buf.truncate(significant);
        text_value(buf, start)
    }

    /// RFC 2253 section 4: "Implementations MUST allow a value to be surrounded by quote ('"'
    /// ASCII 34) characters, which are not part of the value. Inside the quoted value, the
    /// following characters can occur without any escaping: ",", "=", "+", "<", ">", "#" and
    /// ";"." RFC 1779: `'"' *( <stringchar> | <special> | <pair> ) '"'`; spaces inside the
    /// quotes are part of the value, `\"` and `\\` stay escapes.
    fn quoted_value(&mut self) -> Result<AvaValue, DnParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let at = self.pos;
            match self.bump() {
                None => return Err(DnParseError::UnterminatedQuote { at: open }),
                Some(b'"') => break,
                Some(b'\\') => self.escape(at, &mut buf)?,
                Some(0) => return Err(DnParseError::Nul),
                Some(b) => buf.push(b),
            }
        }
        self.skip_spaces();
        if !self.at_separator() {
            return Err(DnParseError::AfterQuotedValue { at: self.pos });
        }
        text_value(buf, open)
    }

    /// `hexstring = SHARP 1*hexpair`: the BER encoding of the value.
    fn hexstring(&mut self) -> Result<AvaValue, DnParseError> {
        let at = self.pos;
        self.pos += 1;
        let hex = self.take_while(|b| b.is_ascii_hexdigit());
        let after = self.pos;
        self.skip_spaces();
        if !self.at_separator() {
            return Err(DnParseError::NotHex { at });
        }
        self.pos = after;
        if hex.is_empty() || !hex.len().is_multiple_of(2) {
            return Err(DnParseError::BadHex { at });
        }
        let ber: Vec<u8> = hex
            .chunks_exact(2)
            .map(|p| p.iter().fold(0u8, |acc, h| (acc << 4) | hex_val(*h)))
            .collect();
        self.skip_spaces();
        // The value must be exactly one BER element (we accept its DER subset).
        if crate::der::Tlv::read_only(&ber).is_err() {
            return Err(DnParseError::HexNotBer { at });
        }
        Ok(AvaValue::Ber(ber))
    }
}

/// An unescaped string value starting at byte `start`: UTF-8, no NUL.
fn text_value(buf: Vec<u8>, start: usize) -> Result<AvaValue, DnParseError> {
    let text = String::from_utf8(buf).map_err(|_| DnParseError::InvalidUtf8 { at: start })?;
    // RFC 4514 section 2.4 lets `\00` through, but a NUL in a name is an attack or a bug.
    if text.contains('\0') {
        return Err(DnParseError::Nul);
    }
    Ok(AvaValue::Text(text))
}

fn hex_val(h: u8) -> u8 {
    match h {
        b'0'..=b'9' => h - b'0',
        b'a'..=b'f' => h - b'a' + 10,
        b'A'..=b'F' => h - b'A' + 10,
        _ => 0,
    }
}

/// RFC 4512 section 1.4: `number = DIGIT / ( LDIGIT 1*DIGIT )` (no leading zeros).
fn parse_numericoid(text: &str) -> Option<ObjectIdentifier> {
    let mut arcs = 0;
    for arc in text.split('.') {
        if arc.is_empty() || (arc.len() > 1 && arc.starts_with('0')) {
            return None;
        }
        arcs += 1;
    }
    if arcs < 2 {
        return None;
    }
    ObjectIdentifier::new(text).ok()
}

/// Parses a lone attribute type, surrounding spaces allowed.
pub(super) fn attribute_type(input: &str) -> Result<AttributeType, DnParseError> {
    let mut p = Parser {
        s: input.as_bytes(),
        pos: 0,
        grammar: Grammar::Rfc4514,
    };
    p.skip_spaces();
    let ty = p.attribute_type()?;
    p.skip_spaces();
    match p.peek() {
        None => Ok(ty),
        Some(_) => Err(DnParseError::ExpectedType { at: p.pos }),
    }
}

pub(super) fn parse(input: &str, grammar: Grammar) -> Result<DistinguishedName, DnParseError> {
    if input.len() > MAX_DN_STRING_LEN {
        return Err(DnParseError::TooLong {
            len: input.len(),
            max: MAX_DN_STRING_LEN,
        });
    }
    // Outer whitespace (a trailing newline from a form field) is never part of a name. Trailing
    // spaces are left to the value parser, which keeps an escaped one (`CN=a\ `).
    let trimmed = input
        .trim_start_matches(|c: char| c.is_ascii_whitespace())
        .trim_end_matches(|c: char| c.is_ascii_whitespace() && c != ' ');
    if trimmed.trim_matches(' ').is_empty() {
        // An empty DN would match every certificate whose subject is empty (SAN-only
        // certificates, RFC 5280 section 4.1.2.6): never a valid registration.
        return Err(DnParseError::Empty);
    }
    if trimmed.starts_with('/') {
        return Err(DnParseError::SlashForm {
            suggestion: slash_form_suggestion(trimmed),
        });
    }
    let mut p = Parser {
        s: trimmed.as_bytes(),
        pos: 0,
        grammar,
    };
    let mut rdns: Vec<Rdn> = Vec::new();
    let mut avas: Vec<Ava> = Vec::new();
    loop {
        p.skip_spaces();
        let attr = p.attribute_type()?;
        p.skip_spaces();
        let at = p.pos;
        if p.bump() != Some(b'=') {
            return Err(DnParseError::ExpectedEquals { at });
        }
        p.skip_spaces();
        let value = p.attribute_value()?;
        avas.push(Ava::new(attr, value)?);
        if avas.len() > MAX_AVAS_PER_RDN {
            return Err(DnParseError::TooManyAvas {
                max: MAX_AVAS_PER_RDN,
            });
        }
        let sep_at = p.pos;
        match p.bump() {
            None => {
                rdns.push(Rdn {
                    avas: core::mem::take(&mut avas),
                });
                break;
            }
            Some(b'+') => {}
            // `,`, or in the legacy grammar `;`: RFC 2253 section 4, "Implementations MUST
            // allow a semicolon character to be used instead of a comma to separate RDNs".
            Some(_) => {
                rdns.push(Rdn {
                    avas: core::mem::take(&mut avas),
                });
                if rdns.len() > MAX_RDNS {
                    return Err(DnParseError::TooManyRdns { max: MAX_RDNS });
                }
            }
        }
        p.skip_spaces();
        if p.peek().is_none() {
            return Err(DnParseError::TrailingSeparator { at: sep_at });
        }
    }
    if rdns.len() > MAX_RDNS {
        return Err(DnParseError::TooManyRdns { max: MAX_RDNS });
    }
    // RFC 4514 section 2.1: the string starts "with the last element of the sequence and
    // moving backwards toward the first"; we keep DER order.
    rdns.reverse();
    Ok(DistinguishedName { rdns })
}

/// Rewrites OpenSSL's legacy `/C=US/O=Example, Inc./CN=x` form as RFC 4514, for the error
/// message only: `None` if the result does not parse.
fn slash_form_suggestion(input: &str) -> Option<String> {
    let mut rdns: Vec<String> = Vec::new();
    for segment in split_unescaped(input.strip_prefix('/')?, '/') {
        let mut avas: Vec<String> = Vec::new();
        for ava in split_unescaped(&segment, '+') {
            let (ty, value) = ava.split_once('=')?;
            let mut out = ty.trim().to_string();
            out.push('=');
            super::format::write_escaped_str(&mut out, value).ok()?;
            avas.push(out);
        }
        rdns.push(avas.join("+"));
    }
    rdns.reverse();
    let suggestion = rdns.join(",");
    parse(&suggestion, Grammar::Rfc4514).ok()?;
    Some(suggestion)
}

/// Splits on `sep` where it is not escaped with a backslash; removes the escapes.
fn split_unescaped(s: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                if n == sep {
                    cur.push(n);
                } else {
                    cur.push('\\');
                    cur.push(n);
                }
            }
        } else if c == sep {
            parts.push(core::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    parts
}

impl core::str::FromStr for DistinguishedName {
    type Err = DnParseError;
    fn from_str(s: &str) -> Result<Self, DnParseError> {
        parse(s, Grammar::Rfc4514)
    }
}

impl DistinguishedName {
    /// Parses a DN written in the legacy string grammars of RFC 1779 and RFC 2253, for
    /// registrations migrated from servers that stored them (Java's
    /// `X500Principal.getName(RFC1779)` and `X509Certificate.getSubjectDN()`, older LDAP
    /// tools). RFC 8705 section 2.1.2 registers RFC 4514 strings: parse new registrations
    /// with [`str::parse`], and store what this returns in its RFC 4514 form (`to_string()`),
    /// which the RFC 4514 parser reads back to an equal name.
    ///
    /// Accepted on top of RFC 4514 (RFC 2253 section 4 says implementations "MUST allow"
    /// them): quoted values (`O="Example, Inc."`, where `,` `;` `+` `=` `<` `>` `#` need no
    /// escape and spaces are kept), `OID.` or `oid.` before a numeric OID, and `;` instead of
    /// `,` between RDNs. Spaces around separators are ignored, as in RFC 4514. Everything
    /// else is as [`str::parse`]: the same attribute types, value checks and limits, and the
    /// same name for the same DN written in either grammar. OpenSSL's slash form
    /// (`/C=US/O=…`) stays refused ([`DnParseError::SlashForm`]): it cannot escape `/`.
    ///
    /// ```
    /// use rfc8705::dn::{DistinguishedName, DnParseError};
    /// // Java's getName(RFC1779) of a DigiCert root and of a subject with an unnamed type.
    /// let java = r#"CN=DigiCert TLS RSA4096 Root G5, O="DigiCert, Inc.", C=US"#;
    /// assert!(matches!(java.parse::<DistinguishedName>(), Err(DnParseError::UnescapedSpecial { .. })));
    /// let dn = DistinguishedName::parse_legacy(java)?;
    /// assert_eq!(dn.to_string(), "CN=DigiCert TLS RSA4096 Root G5,O=DigiCert\\, Inc.,C=US");
    /// assert_eq!(dn.to_string().parse::<DistinguishedName>()?, dn);
    ///
    /// let dn = DistinguishedName::parse_legacy("CN=e-Szigno Root CA 2017; OID.2.5.4.97=VATHU-23584497; C=HU")?;
    /// assert_eq!(dn.to_string(), "CN=e-Szigno Root CA 2017,organizationIdentifier=VATHU-23584497,C=HU");
    /// assert!(matches!(
    ///     DistinguishedName::parse_legacy("/C=US/CN=a"),
    ///     Err(DnParseError::SlashForm { .. })
    /// ));
    /// # Ok::<(), DnParseError>(())
    /// ```
    pub fn parse_legacy(s: &str) -> Result<Self, DnParseError> {
        parse(s, Grammar::Legacy)
    }
}

impl core::str::FromStr for AttributeType {
    type Err = DnParseError;

    /// Parses a descriptor (case-insensitive) or a numericoid.
    fn from_str(s: &str) -> Result<Self, DnParseError> {
        attribute_type(s)
    }
}

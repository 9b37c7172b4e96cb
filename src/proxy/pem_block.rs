//! The PEM `CERTIFICATE` blocks of forwarded values (URL-decoded or space-separated), read
//! through the base64 fast path; [`pem_to_der`](crate::cert::pem_to_der) decides, and names,
//! whatever this refuses.

use alloc::vec::Vec;

use super::base64;

/// The line that opens a certificate block (RFC 7468 section 2).
pub(crate) const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
/// The line that closes it.
pub(crate) const END: &[u8] = b"-----END CERTIFICATE-----";

/// The offset of the `END` line in `block`, which starts with [`BEGIN`]. Base64 and
/// whitespace hold no `-`, so in a well-formed block the first `-` after the `BEGIN` line is
/// the `END` line's: one byte search instead of a window scan.
pub(crate) fn end_line(block: &[u8]) -> Option<usize> {
    let dash = block
        .get(BEGIN.len()..)?
        .iter()
        .position(|&b| b == b'-')
        .map(|d| d + BEGIN.len());
    match dash {
        Some(d) if block.get(d..).is_some_and(|r| r.starts_with(END)) => Some(d),
        // Something else first (a nested line, a cut block): the first END, if any.
        _ => find(block, END),
    }
}

/// The DER of one block, `BEGIN` line through `END` line: the body without its spaces, tabs,
/// CR and LF (RFC 7468 section 3: whitespace is not data), decoded by the base64 fast path
/// (`=` padding optional). `None` for anything else — a `-` inside (a nested line, a block
/// cut short), a byte outside the alphabet, nothing encoded.
pub(crate) fn block_der(block: &[u8]) -> Option<Vec<u8>> {
    let body = block.get(BEGIN.len()..block.len().checked_sub(END.len())?)?;
    if !block.starts_with(BEGIN) || !block.ends_with(END) || body.contains(&b'-') {
        return None;
    }
    // Line by line: a byte-wise filter into a growing Vec costs more than the SHA-256.
    let mut compact = Vec::with_capacity(body.len());
    for line in body.split(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
        compact.extend_from_slice(line);
    }
    base64::decode(&compact).ok().filter(|der| !der.is_empty())
}

/// The first occurrence of `needle` in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The PEM text of `der`: 64-character lines and a final line feed, as OpenSSL writes it. For
/// the tests of the PEM readers.
#[cfg(test)]
pub(crate) fn pem_of(der: &[u8]) -> alloc::string::String {
    use base64ct::{Base64, Encoding};
    let b64 = Base64::encode_string(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .filter_map(|c| core::str::from_utf8(c).ok())
        .collect();
    alloc::format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__doc_support::{rfc8705_appendix_a_der, rfc8705_appendix_a_pem};
    use crate::cert::pem_to_der;
    use alloc::format;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn reads_the_appendix_a_block() {
        let pem = rfc8705_appendix_a_pem();
        let block = pem.trim_end().as_bytes();
        assert_eq!(end_line(block), Some(block.len() - END.len()));
        assert_eq!(block_der(block), Some(rfc8705_appendix_a_der()));
    }

    #[test]
    fn refuses_what_the_strict_reader_must_name() {
        let pem = rfc8705_appendix_a_pem();
        let block = pem.trim_end();
        // A block cut short and followed by another: the first END is the second block's.
        let cut = format!("{}\n{block}", &block[..100]);
        assert_eq!(end_line(cut.as_bytes()), Some(cut.len() - END.len()));
        assert_eq!(block_der(cut.as_bytes()), None);
        assert!(pem_to_der(cut.as_bytes()).is_err());
        // No END at all.
        assert_eq!(end_line(&block.as_bytes()[..200]), None);
        // Not base64, empty, another label.
        assert_eq!(
            block_der(block.replacen("MIIB", "M*IB", 1).as_bytes()),
            None
        );
        assert_eq!(
            block_der(b"-----BEGIN CERTIFICATE----- -----END CERTIFICATE-----"),
            None
        );
        assert_eq!(
            block_der(b"-----BEGIN KEY-----AAAA-----END CERTIFICATE-----"),
            None
        );
        assert_eq!(block_der(b"-----END CERTIFICATE-----"), None);
    }

    proptest! {
        /// Where the strict reader accepts a block, the fast path gives the same DER; it adds
        /// only unpadded base64 (and non-zero pad bits).
        #[test]
        fn agrees_with_pem_to_der(der in proptest::collection::vec(any::<u8>(), 1..300), crlf in any::<bool>()) {
            let pem = pem_of(&der).trim_end().to_string();
            let pem = if crlf { pem.replace('\n', "\r\n") } else { pem };
            prop_assert_eq!(end_line(pem.as_bytes()), Some(pem.len() - END.len()));
            prop_assert_eq!(block_der(pem.as_bytes()), pem_to_der(pem.as_bytes()).ok());
            prop_assert_eq!(block_der(pem.replace('=', "").as_bytes()), Some(der));
        }

        #[test]
        fn total(text in proptest::collection::vec(any::<u8>(), 0..120)) {
            let _ = end_line(&text);
            if let Some(der) = block_der(&text) {
                prop_assert!(!der.is_empty());
            }
        }
    }
}

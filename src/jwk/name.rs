//! Which key of a set, in a form that is safe to log.

use alloc::string::String;
use core::fmt;

/// Which key of a set: its position in `keys` and its `kid`, if it has a usable one.
///
/// Its `Display` form quotes the `kid` with control characters escaped and long values
/// truncated, so it is safe to log.
///
/// ```
/// use rfc8705::jwk::JwkSet;
///
/// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct","kid":"k\n1","k":"AA"}]}"#)?;
/// let (name, _) = set.skipped().next().expect("one key");
/// assert_eq!(name.index(), 0);
/// assert_eq!(name.kid(), Some("k\n1"));
/// assert_eq!(name.to_string(), r#"key 0 (kid "k\n1")"#);
/// # Ok::<(), rfc8705::jwk::JwkSetError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JwkName {
    pub(super) index: usize,
    pub(super) kid: Option<String>,
}

impl JwkName {
    /// The key's position in the set's `keys` array, from 0.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct"},{"kty":"oct"}]}"#)?;
    /// assert_eq!(set.skipped().nth(1).map(|(name, _)| name.index()), Some(1));
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn index(&self) -> usize {
        self.index
    }

    /// The key's `kid`, when it has one that is a string of at most 256 bytes.
    ///
    /// ```
    /// use rfc8705::jwk::JwkSet;
    /// let set = JwkSet::from_json(br#"{"keys":[{"kty":"oct","kid":"a"},{"kty":"oct","kid":7}]}"#)?;
    /// let kids: Vec<_> = set.skipped().map(|(name, _)| name.kid()).collect();
    /// assert_eq!(kids, [Some("a"), None]);
    /// # Ok::<(), rfc8705::jwk::JwkSetError>(())
    /// ```
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
}

impl fmt::Display for JwkName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key {}", self.index)?;
        match &self.kid {
            Some(kid) => write!(f, " (kid \"{}\")", Escaped(kid)),
            None => f.write_str(" (no kid)"),
        }
    }
}

/// Writes attacker-chosen text escaped (Rust `escape_debug`) and truncated to 64 characters.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(64) {
            for e in c.escape_debug() {
                fmt::Write::write_char(f, e)?;
            }
        }
        if chars.next().is_some() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// A short, printable copy of a string from the input, for error values.
pub(super) fn escaped(s: &str) -> String {
    alloc::format!("{}", Escaped(s))
}

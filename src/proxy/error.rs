//! The one error type for forwarded certificates: the format, and why.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use super::{MAX_CHAIN_LEN, MAX_FIELD_VALUE_LEN, ProxyFormat};
use crate::cert::CertificateError;

/// Why no certificate could be taken from a trusted proxy's header: the format it was read
/// as, the header (when read from a header map), and the [`Reason`].
///
/// ```
/// use rfc8705::proxy::{ProxyFormat, Reason, TrustedProxy};
/// use rfc8705::{OAuthErrorCode, ResourceError, TokenEndpointError};
///
/// let err = TrustedProxy::the_peer_is_my_proxy()
///     .decode(ProxyFormat::ClientCert, "MIIB", &[])
///     .unwrap_err();
/// assert_eq!(err.format(), ProxyFormat::ClientCert);
/// assert_eq!(err.reason(), &Reason::NotAByteSequence { found: "M".into() });
/// assert!(err.to_string().starts_with("client-cert: "));
/// // The answer depends on the endpoint: `invalid_token` at a resource, `invalid_client` at
/// // the token endpoint.
/// assert_eq!(ResourceError::from(err.clone()).challenge().status(), 401);
/// assert_eq!(TokenEndpointError::from(err).oauth_error_code(), OAuthErrorCode::InvalidClient);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedCertificateError {
    format: ProxyFormat,
    header: Option<String>,
    reason: Reason,
}

impl ForwardedCertificateError {
    pub(crate) fn new(format: ProxyFormat, reason: Reason) -> Self {
        Self {
            format,
            header: None,
            reason,
        }
    }

    /// The error, about the header `name`.
    #[cfg(feature = "http")]
    pub(crate) fn in_header(self, name: &str) -> Self {
        Self {
            header: Some(name.into()),
            ..self
        }
    }

    /// The format the header was read as.
    pub fn format(&self) -> ProxyFormat {
        self.format
    }

    /// The header that was wrong (lowercase), when it was read from a header map: the
    /// certificate header or one of the chain headers. `None` for
    /// [`TrustedProxy::decode`](super::TrustedProxy::decode), whose caller knows which value
    /// it passed.
    pub fn header(&self) -> Option<&str> {
        self.header.as_deref()
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &Reason {
        &self.reason
    }
}

impl fmt::Display for ForwardedCertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.header {
            Some(header) => write!(f, "{} header {header}: {}", self.format, self.reason),
            None => write!(f, "{}: {}", self.format, self.reason),
        }
    }
}

impl core::error::Error for ForwardedCertificateError {}

/// What is wrong with a forwarded-certificate header. Positions are byte offsets into the
/// header value (for a list member, into the member); found characters are escaped when not
/// printable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Reason {
    // --- every format ---
    /// The value is empty (or only whitespace).
    #[error("the value is empty")]
    Empty,
    /// The value is longer than the limit (see [the limits](super#limits)).
    #[error("the value is {len} bytes; the limit is {MAX_FIELD_VALUE_LEN}")]
    TooLarge {
        /// The value's length in bytes.
        len: usize,
    },
    /// More chain certificates than the limit (see [the limits](super#limits)).
    #[error("more than {MAX_CHAIN_LEN} chain certificates")]
    TooManyCertificates,
    /// The decoded leaf is not one complete DER certificate.
    #[error("the forwarded certificate is not DER: {0}")]
    NotDer(CertificateError),
    /// A decoded chain member is not one complete DER certificate.
    #[error("forwarded chain certificate {index} is not DER: {source}")]
    ChainNotDer {
        /// Position in the chain (0 = the leaf's issuer).
        index: usize,
        /// What is wrong with it.
        source: CertificateError,
    },
    /// A header that must occur at most once occurs more than once.
    #[error(
        "the {header} header occurs {count} times; it is a singleton field: is the proxy appending instead of replacing a client-sent copy?"
    )]
    RepeatedHeader {
        /// The header name.
        header: String,
        /// How many field lines carry it.
        count: usize,
    },
    /// A separate chain header was given for a format that carries its chain in the
    /// certificate value (`xfcc`, `xfcc-json`).
    #[error("this format has no separate chain header")]
    NoSeparateChain,
    /// A `,` in a value whose format never writes one: two field lines of the header that
    /// an HTTP library joined (RFC 9110 section 5.3), one of them not the proxy's.
    #[error(
        "',' at byte {position}: two values of a singleton header joined into one (is the proxy appending instead of replacing a client-sent copy?)"
    )]
    JoinedValues {
        /// Byte offset of the `,`.
        position: usize,
    },
    /// A chain header is empty (or Apache's `(null)`) but a later one holds a certificate:
    /// the numbering has a gap.
    #[error("chain header {index} holds a certificate after an empty one: the numbering has a gap")]
    ChainGap {
        /// The number of the header after the gap.
        index: usize,
    },

    // --- RFC 9440 Client-Cert / Client-Cert-Chain ---
    /// The value does not start with `:`: it is not an RFC 8941 Byte Sequence. Bare base64
    /// DER (HAProxy, Traefik) and PEM are other formats.
    #[error(
        "the value is not a Byte Sequence: it starts with '{found}', not ':' (RFC 9440 wraps base64 DER in colons: \":MII…:\")"
    )]
    NotAByteSequence {
        /// The first character.
        found: String,
    },
    /// No closing `:`.
    #[error("the Byte Sequence has no closing ':'")]
    Unterminated,
    /// A line feed or carriage return inside the base64 (RFC 8941 section 4.2.7: "parsers
    /// MUST fail on characters outside the base64 alphabet and on line feeds").
    #[error("a line break at byte {position} inside the base64: the proxy must send one line")]
    LineBreak {
        /// Byte offset in the value.
        position: usize,
    },
    /// A character outside `A-Z a-z 0-9 + / =` inside the base64.
    #[error("the character '{found}' at byte {position} is not in the base64 alphabet")]
    InvalidCharacter {
        /// Byte offset.
        position: usize,
        /// The character.
        found: String,
    },
    /// `=` anywhere but as the trailing padding of a whole quantum.
    #[error("misplaced '=' padding in the base64")]
    Padding,
    /// The base64 length leaves one character over, which encodes no whole byte.
    #[error("the base64 has an impossible length (4n+1 characters): it is truncated")]
    Length,
    /// `Client-Cert` holds a list. RFC 9440 section 2.2: Client-Cert "MUST NOT have a list of
    /// values or occur multiple times in a request."
    #[error(
        "Client-Cert holds more than one value: it is a singleton field (a client-sent copy not stripped by the proxy?)"
    )]
    MultipleValues,
    /// Characters after the Byte Sequence that are neither parameters nor list syntax.
    #[error("unexpected character '{found}' at byte {position} after the Byte Sequence")]
    TrailingCharacters {
        /// Byte offset in the value.
        position: usize,
        /// The character.
        found: String,
    },
    /// A malformed `;key=value` parameter after the Byte Sequence (RFC 8941 section 3.1.2).
    #[error("malformed parameter at byte {position} after the Byte Sequence")]
    InvalidParameter {
        /// Byte offset in the value.
        position: usize,
    },
    /// A `Client-Cert-Chain` member that is not a Byte Sequence (RFC 9440 section 2.3: "Each
    /// item in the List MUST be a Byte Sequence").
    #[error("Client-Cert-Chain member {index} is not a Byte Sequence")]
    ChainMemberNotByteSequence {
        /// Position of the member in the chain.
        index: usize,
    },
    /// A malformed `Client-Cert-Chain` member, or chain header.
    #[error("chain certificate {index}: {reason}")]
    ChainMember {
        /// Position of the member in the chain.
        index: usize,
        /// What is wrong with it (positions relative to its field line).
        reason: Box<Reason>,
    },
    /// A `Client-Cert-Chain` list that ends with a `,` (RFC 8941 section 4.2.1: fail).
    #[error("Client-Cert-Chain ends with ','")]
    TrailingComma,
    /// `Client-Cert-Chain` without `Client-Cert` (RFC 9440 section 2.3).
    #[error("Client-Cert-Chain is present without Client-Cert (RFC 9440 section 2.3)")]
    ChainWithoutCertificate,

    // --- URL-encoded and plain PEM (escaped-pem, alb, cloudfront, apache, XFCC Cert) ---
    /// A `%` not followed by two hex digits.
    #[error("'%' at byte {position} is not followed by two hex digits")]
    BadPercentEscape {
        /// Byte offset of the `%`, after surrounding whitespace is trimmed.
        position: usize,
    },
    /// No `-----BEGIN CERTIFICATE-----` block (after URL-decoding). Bare base64 DER is
    /// another format (`bare-der`, `traefik`).
    #[error(
        "no PEM CERTIFICATE block (after URL-decoding); bare base64 DER is read as bare-der (HAProxy, Caddy) or traefik"
    )]
    NoCertificateBlock,
    /// A PEM block is malformed (no END line, another label, bad base64).
    #[error("certificate {index}: {source}")]
    Pem {
        /// Position of the block (0 = the leaf).
        index: usize,
        /// What is wrong with it.
        source: CertificateError,
    },
    /// A value that carries one certificate (`CloudFront-Viewer-Cert-Pem`, XFCC `Cert`, a
    /// value whose chain is in other headers, one chain header) holds several.
    #[error("the value holds {count} certificates; it carries the leaf alone")]
    NotOneCertificate {
        /// How many certificates it holds.
        count: usize,
    },
    /// `CloudFront-Viewer-Cert-Sha256` is not the SHA-256 of the `CloudFront-Viewer-Cert-Pem`
    /// certificate (or not 64 hex digits): the headers are inconsistent.
    #[error(
        "{header} does not match the SHA-256 of the forwarded certificate (or is not 64 hex digits)"
    )]
    DigestMismatch {
        /// The digest header's name.
        header: &'static str,
    },
    /// The proxy's spelling of "no client certificate": an empty value (nginx, HAProxy
    /// `set-header`, Cloudflare), `::` (RFC 9440 `Client-Cert` written by HAProxy as
    /// `:%[ssl_c_der,base64]:`), Caddy's unreplaced `{http.request.tls.client.…}`
    /// placeholder, Apache's `(null)`. [`TrustedProxy::decode`](super::TrustedProxy::decode)
    /// always yields a certificate or an error, so it says this; reading headers
    /// ([`TrustedProxy::certificate_from_headers`](super::TrustedProxy)) answers "no
    /// certificate" (`Ok(None)`) instead.
    #[error("no certificate: the proxy sent its value for \"no client certificate\"")]
    NoCertificate,
    /// A hash-only format (`xfcc-hash`, `fingerprint`) read where the certificate itself is
    /// needed: it yields a thumbprint ([`TrustedProxy::thumbprint`](super::TrustedProxy)),
    /// never a certificate to authenticate a client or match names with.
    #[error(
        "this format carries only the certificate's SHA-256: it gives a thumbprint for the resource server's check, not a certificate"
    )]
    HashOnly,
    /// A `fingerprint` value that is not 64 hex digits (either case, all pairs `:`-separated
    /// or none): SHA-1 fingerprints (40 digits) and short values are refused.
    #[error(
        "not a SHA-256 fingerprint: expected 64 hex digits (optionally ':'-separated pairs), found {len} bytes"
    )]
    MalformedFingerprint {
        /// The value's length in bytes, after surrounding whitespace is trimmed.
        len: usize,
    },
    /// A chain header numbered beyond the configured count holds a certificate: the proxy
    /// writes none there, so a client did (the proxy passes client-sent copies through).
    #[error(
        "a chain header beyond the configured count holds a certificate: a client-sent header the proxy does not strip"
    )]
    UnexpectedChainHeader,
    /// A value that holds plain PEM (`apache`, the `cert` of `xfcc-json`) holds URL-encoded
    /// PEM: it is another format.
    #[error(
        "the value is URL-encoded PEM, where plain PEM is expected (escaped-pem reads URL-encoded PEM)"
    )]
    UrlEncoded,
    /// An Apache value does not start with `-----BEGIN CERTIFICATE-----` (or text follows the
    /// last block).
    #[error("expected '-----BEGIN CERTIFICATE-----' at byte {position}, found '{found}'")]
    UnexpectedText {
        /// Byte offset in the value, after surrounding whitespace is trimmed.
        position: usize,
        /// Up to 16 bytes found there.
        found: String,
    },
    /// An Apache value that is not PEM at all.
    #[error("the value is not PEM: it starts with '{found}', not '-----BEGIN CERTIFICATE-----'")]
    NotPem {
        /// Up to 16 bytes of the start of the value.
        found: String,
    },

    // --- bare base64 DER (HAProxy, Caddy, Traefik) ---
    /// The value holds PEM armour: it is another format.
    #[error(
        "the value is PEM, not bare base64 DER: read it as escaped-pem (URL-encoded) or apache (plain PEM)"
    )]
    LooksLikePem,
    /// Two commas in a row, or a comma at either end.
    #[error("certificate {index} of the comma-separated list is empty")]
    EmptyMember {
        /// Position in the list (0 = the leaf).
        index: usize,
    },
    /// A member of the comma-separated base64 list is not base64.
    #[error("certificate {index} of the comma-separated list: {reason}")]
    ListMember {
        /// Position in the list (0 = the leaf).
        index: usize,
        /// [`InvalidCharacter`](Self::InvalidCharacter), [`Padding`](Self::Padding) or
        /// [`Length`](Self::Length).
        reason: Box<Reason>,
    },
    /// HAProxy's concatenated DER chain (`ssl_c_chain_der`) does not split into whole DER
    /// `SEQUENCE`s.
    #[error(
        "the concatenated chain does not split into DER certificates at certificate {index}: {source}"
    )]
    ChainFraming {
        /// Position of the certificate that does not frame (0 = the leaf's issuer).
        index: usize,
        /// What is wrong with its DER header.
        source: CertificateError,
    },
    /// A chain header holds a certificate but the certificate header is missing or holds the
    /// proxy's "no certificate": the chain did not come from the proxy. The error's
    /// [`header`](ForwardedCertificateError::header) names it when headers were read.
    #[error("a chain header holds a certificate, but the certificate header has none")]
    ChainHeaderWithoutCertificate,

    // --- Envoy x-forwarded-client-cert (`element` counts from 0) ---
    /// A `xfcc-json` value that is not one JSON array of objects whose `hash` and `cert` are
    /// strings and `chain` an array of strings, each at most once.
    #[error("not an Envoy JSON XFCC value: {detail}")]
    NotXfccJson {
        /// `serde_json`'s message, escaped.
        detail: String,
    },
    /// The XFCC value is not UTF-8.
    #[error("the value is not UTF-8 (byte {position})")]
    NotUtf8 {
        /// Offset of the first invalid byte.
        position: usize,
    },
    /// More XFCC elements (proxy hops) than the limit (see [the limits](super#limits)).
    #[error("too many elements (proxy hops)")]
    TooManyElements,
    /// More key-value pairs in one XFCC element than the limit.
    #[error("element {element} has too many key-value pairs")]
    TooManyPairs {
        /// The element.
        element: usize,
    },
    /// An empty element or pair: `,,`, `;;`, or a trailing `,` or `;`.
    #[error("empty element or key-value pair at byte {position}")]
    EmptyPair {
        /// Where the pair should start.
        position: usize,
    },
    /// A pair without `=`.
    #[error("the key-value pair at byte {position} has no '='")]
    MissingEquals {
        /// Where the pair starts.
        position: usize,
    },
    /// A key that is empty or holds a character outside the HTTP token set.
    #[error("invalid key at byte {position}")]
    InvalidKey {
        /// Where the key starts.
        position: usize,
    },
    /// A quoted value without its closing `"`.
    #[error("the quoted value starting at byte {position} has no closing '\"'")]
    UnterminatedQuote {
        /// Offset of the opening quote.
        position: usize,
    },
    /// Something other than `;` or `,` after a closing quote.
    #[error("'{found}' at byte {position} after a quoted value; expected ';' or ','")]
    AfterQuote {
        /// Offset of the character.
        position: usize,
        /// The character.
        found: String,
    },
    /// A `"` inside an unquoted value.
    #[error("'\"' at byte {position} inside an unquoted value")]
    QuoteInValue {
        /// Offset of the quote.
        position: usize,
    },
    /// `Hash`, `Cert`, `Chain` or `Subject` twice in one element.
    #[error("element {element} has the key {key} twice")]
    DuplicateKey {
        /// The element.
        element: usize,
        /// The key, as Envoy spells it.
        key: &'static str,
    },
    /// An element holding `URI` or `DNS` is followed by another element, and its own `Cert`
    /// does not prove where it ends (its `URI` and `DNS` values are not exactly that
    /// certificate's URI and DNS SANs, in order, or it has no `Cert`). Envoy writes those
    /// values unquoted, so a `,` inside a client certificate's SAN would start a forged
    /// element: the split is not certain.
    #[error(
        "element {element} holds {key}, which Envoy writes unquoted, and another element follows, \
         without a Cert whose SANs prove where the element ends: the split is ambiguous (a client \
         certificate's SAN may hold ','); configure Envoy's `set_current_client_cert_details` \
         with `cert: true`, or without `uri` and `dns`"
    )]
    AmbiguousSan {
        /// The element holding the value.
        element: usize,
        /// `URI` or `DNS`.
        key: &'static str,
    },
    /// A key of the last element comes after a key that Envoy writes later (Envoy's order is
    /// `By`, `Hash`, `Cert`, `Chain`, `Subject`, `URI`, `DNS`): text inside an unquoted `URI`
    /// or `DNS` value may have added it.
    #[error(
        "the last element has {key} at byte {position} after a key Envoy writes later \
         (By, Hash, Cert, Chain, Subject, URI, DNS): a URI or DNS value may have injected it; \
         configure Envoy's `set_current_client_cert_details` without `uri` and `dns`"
    )]
    OutOfOrder {
        /// The key, as Envoy spells it.
        key: &'static str,
        /// Where the pair starts.
        position: usize,
    },
    /// The last element holds a key that Envoy does not write.
    #[error("the last element has a key Envoy does not write at byte {position}")]
    NotEnvoyKey {
        /// Where the pair starts.
        position: usize,
    },
    /// The last element has no `Cert` (configure Envoy's `set_current_client_cert_details`
    /// with `cert: true`, or read the value as `xfcc-hash`).
    #[error(
        "the last element has no Cert: set `set_current_client_cert_details: {{cert: true}}` in Envoy, or read it as xfcc-hash for a thumbprint"
    )]
    NoCert,
    /// `xfcc-hash`: the last element has no `Hash`.
    #[error("the last element has no Hash")]
    NoHash,
    /// The `Cert` value is not URL-encoded PEM of one certificate.
    #[error("Cert: {0}")]
    XfccCert(Box<Reason>),
    /// The `Cert` value holds more than one certificate.
    #[error("Cert holds more than one certificate")]
    CertHoldsSeveral,
    /// The `Chain` value is not URL-encoded PEM.
    #[error("Chain: {0}")]
    XfccChain(Box<Reason>),
    /// The `Chain` value does not start with the `Cert` certificate.
    #[error("Chain does not start with the Cert certificate")]
    ChainLeafMismatch,
    /// `Hash` is not 64 hex digits.
    #[error("Hash is not a hex SHA-256 digest (64 hex digits)")]
    MalformedHash,
    /// `Hash` is not the SHA-256 of the `Cert` certificate.
    #[error("Hash does not match the SHA-256 of Cert: the element is inconsistent")]
    HashMismatch,
}

/// Renders attacker-influenced bytes for a diagnostic: printable ASCII as is, everything else
/// as `\xNN`, at most `max` input bytes.
pub(crate) fn escape_for_display(bytes: &[u8], max: usize) -> String {
    use core::fmt::Write;
    let mut out = String::new();
    for b in bytes.iter().take(max) {
        if b.is_ascii_graphic() || *b == b' ' {
            out.push(char::from(*b));
        } else {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    if bytes.len() > max {
        out.push('…');
    }
    out
}

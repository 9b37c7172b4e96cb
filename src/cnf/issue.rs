//! The authorization server's side: what to bind an issued token to, and checking a bound
//! refresh token (RFC 8705 sections 3.4, 4 and 7.1; RFC 9449 sections 5 and 5.2).

use crate::metadata::ClientMetadata;
use crate::thumbprint::Thumbprint;

use super::Confirmation;

/// When the authorization server binds the tokens it issues to the client's certificate.
///
/// ```
/// use rfc8705::cnf::BindWhen;
/// assert_eq!(BindWhen::default(), BindWhen::Requested);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BindWhen {
    /// Only for clients registered with `tls_client_certificate_bound_access_tokens: true`
    /// (RFC 8705 section 3.4: "If omitted, the default value is false"). A certificate that
    /// nobody asked to bind to is ignored: a proxy that always forwards a certificate must not
    /// make every token bound to it.
    #[default]
    Requested,
    /// For clients registered for it, and for every client that authenticates with a
    /// certificate (`token_endpoint_auth_method` `tls_client_auth` or
    /// `self_signed_tls_client_auth`), registered for it or not: FAPI 2.0 requires
    /// sender-constrained access tokens, and a client that authenticates with its certificate
    /// can always present it to the resource. Clients of other methods get the `Requested`
    /// rule.
    CertificateClients,
    /// Whenever a certificate was presented (every client of this server uses mutual TLS and
    /// every resource server checks the binding).
    Always,
}

/// What to do when a client that asked for bound tokens calls without a certificate.
///
/// RFC 8705 section 3.4: "Note that if a client that has indicated the intention to use
/// mutual-TLS client certificate-bound tokens makes a request to the token endpoint over a
/// non-mutual-TLS connection, it is at the authorization server's discretion as to whether to
/// return an error or issue an unbound token."
///
/// ```
/// use rfc8705::cnf::MissingCertificate;
/// assert_eq!(MissingCertificate::default(), MissingCertificate::Refuse);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MissingCertificate {
    /// Return an error ([`IssuanceError::CertificateRequired`]). The safe default: the client
    /// expects a bound token, and an unbound one is a bearer token it did not ask for.
    #[default]
    Refuse,
    /// Issue an unbound token.
    IssueUnbound,
}

/// The authorization server's binding policy. Start from one of the two presets:
///
/// * [`IssuancePolicy::AS_REGISTERED`] (also the `Default`): RFC 8705 section 3.4, the
///   client's registration decides. A token is certificate-bound when the client registered
///   `tls_client_certificate_bound_access_tokens: true`, whatever method it authenticates with;
///   a client that did not register it gets an unbound token, and the decision says why
///   ([`IssuanceDecision::unbound`]), so that the server can log it.
/// * [`IssuancePolicy::CERTIFICATE_CLIENTS`]: also binds every token issued to a client that
///   authenticates with a certificate, registered for it or not ([`BindWhen::CertificateClients`]):
///   for a server whose resources require sender-constrained tokens (FAPI 2.0).
///
/// Both refuse a client registered for bound tokens that presents no certificate
/// ([`MissingCertificate::Refuse`]). The default follows the registration rather than binding
/// more, because a bound token is refused by every resource the client calls without its
/// certificate: binding a token the client did not ask for breaks a client that RFC 8705 lets
/// call its resources with a bearer token.
///
/// The struct is `#[non_exhaustive]`: change a field of a preset rather than writing the
/// struct.
///
/// ```
/// use rfc8705::cnf::{BindWhen, IssuancePolicy, MissingCertificate};
/// let p = IssuancePolicy::default();
/// assert_eq!(p, IssuancePolicy::AS_REGISTERED);
/// assert_eq!((p.bind_when, p.missing_certificate), (BindWhen::Requested, MissingCertificate::Refuse));
/// assert_eq!(IssuancePolicy::CERTIFICATE_CLIENTS.bind_when, BindWhen::CertificateClients);
///
/// let mut lenient = IssuancePolicy::AS_REGISTERED;
/// lenient.missing_certificate = MissingCertificate::IssueUnbound;
/// # let _ = lenient;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct IssuancePolicy {
    /// When to bind.
    pub bind_when: BindWhen,
    /// What to do when binding was requested and no certificate was presented.
    pub missing_certificate: MissingCertificate,
}

impl IssuancePolicy {
    /// The client's registration decides (RFC 8705 section 3.4): bind when it registered
    /// `tls_client_certificate_bound_access_tokens: true`, refuse such a client without a
    /// certificate. The `Default`.
    pub const AS_REGISTERED: Self = Self {
        bind_when: BindWhen::Requested,
        missing_certificate: MissingCertificate::Refuse,
    };

    /// Binds as registered, and binds every token issued to a client that authenticates with
    /// a certificate (`tls_client_auth`, `self_signed_tls_client_auth`) to that certificate:
    /// sender-constrained tokens for every mutual-TLS client (FAPI 2.0).
    pub const CERTIFICATE_CLIENTS: Self = Self {
        bind_when: BindWhen::CertificateClients,
        missing_certificate: MissingCertificate::Refuse,
    };
}

/// What a client's registration asks of the tokens issued to it.
///
/// RFC 8705 section 3.4, `tls_client_certificate_bound_access_tokens`: "Boolean value used to
/// indicate the client's intention to use mutual-TLS client certificate-bound access tokens. If
/// omitted, the default value is false." RFC 9449 section 5.2, `dpop_bound_access_tokens`: "A
/// boolean value specifying whether the client always uses DPoP for token requests. If
/// omitted, the default value is false."
///
/// ```
/// use rfc8705::cnf::RequestedBinding;
/// use rfc8705::metadata::ClientMetadata;
/// let client: ClientMetadata = serde_json::from_str(
///     r#"{"token_endpoint_auth_method": "none", "dpop_bound_access_tokens": true}"#,
/// ).unwrap();
/// let r = RequestedBinding::from(&client);
/// assert!(r.dpop && !r.certificate && r.public_client && !r.certificate_client);
/// assert_eq!(RequestedBinding::from(&ClientMetadata::default()), RequestedBinding::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct RequestedBinding {
    /// Certificate-bound access tokens (`tls_client_certificate_bound_access_tokens: true`).
    pub certificate: bool,
    /// DPoP-bound access tokens (`dpop_bound_access_tokens: true`): every token request must
    /// carry a DPoP proof.
    pub dpop: bool,
    /// A public client (`token_endpoint_auth_method: "none"`): its refresh tokens are bound as
    /// its access tokens (RFC 9449 section 5, RFC 8705 section 4).
    pub public_client: bool,
    /// The client authenticates with a certificate (`token_endpoint_auth_method`
    /// `tls_client_auth` or `self_signed_tls_client_auth`): [`BindWhen::CertificateClients`]
    /// binds its tokens whether or not it registered for it.
    pub certificate_client: bool,
}

impl From<&ClientMetadata> for RequestedBinding {
    fn from(client: &ClientMetadata) -> Self {
        let method = client.auth_method();
        Self {
            certificate: client.wants_bound_tokens(),
            dpop: client.dpop_bound_access_tokens.unwrap_or(false),
            public_client: method.as_str() == "none",
            certificate_client: matches!(
                method.as_str(),
                "tls_client_auth" | "self_signed_tls_client_auth"
            ),
        }
    }
}

/// Why an access token is not bound to a certificate ([`IssuanceDecision::unbound`]): for the
/// authorization server's log, never for the client.
///
/// ```
/// use rfc8705::cnf::{IssuancePolicy, RequestedBinding, UnboundReason, decide_binding};
/// use rfc8705::metadata::ClientMetadata;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// # let thumbprint = rfc8705::Thumbprint::from_der(&der)?;
/// let client: ClientMetadata =
///     serde_json::from_str(r#"{"token_endpoint_auth_method": "tls_client_auth"}"#).unwrap();
/// let d = decide_binding(RequestedBinding::from(&client), IssuancePolicy::AS_REGISTERED, Some(&thumbprint), None).unwrap();
/// assert_eq!(d.unbound, Some(UnboundReason::NotRegistered));
/// assert_eq!(
///     d.unbound.unwrap().to_string(),
///     "the client presented a certificate but did not register tls_client_certificate_bound_access_tokens: true, and the policy binds only when registered"
/// );
/// let d = decide_binding(RequestedBinding::from(&client), IssuancePolicy::CERTIFICATE_CLIENTS, Some(&thumbprint), None).unwrap();
/// assert_eq!((d.certificate, d.unbound), (Some(thumbprint), None));
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum UnboundReason {
    /// No certificate was presented, and the client did not register for bound tokens.
    #[error(
        "no client certificate was presented, and the client did not register tls_client_certificate_bound_access_tokens"
    )]
    NoCertificate,
    /// A certificate was presented, but the client did not register
    /// `tls_client_certificate_bound_access_tokens: true` and the policy binds only
    /// registered clients (for a client that authenticated with this certificate: set the
    /// member, or use [`IssuancePolicy::CERTIFICATE_CLIENTS`]).
    #[error(
        "the client presented a certificate but did not register tls_client_certificate_bound_access_tokens: true, and the policy binds only when registered"
    )]
    NotRegistered,
    /// The client registered for bound tokens (or, under [`BindWhen::CertificateClients`],
    /// authenticates with a certificate) and presented no certificate, and the policy issues
    /// unbound tokens then ([`MissingCertificate::IssueUnbound`]).
    #[error(
        "the client's tokens are to be certificate-bound but it presented no certificate, and the policy issues an unbound token then"
    )]
    IssuedWithoutCertificate,
}

/// The decision for one token request: what the access token (and, for a public client, the
/// refresh token) is bound to.
///
/// ```
/// use rfc8705::cnf::{IssuanceDecision, IssuancePolicy, RequestedBinding, decide_binding};
/// use rfc8705::cnf::UnboundReason;
/// let d = decide_binding(RequestedBinding::default(), IssuancePolicy::default(), None, None)?;
/// assert_eq!((d.certificate, d.dpop_jkt, d.bind_refresh_token), (None, None, false));
/// assert_eq!(d.unbound, Some(UnboundReason::NoCertificate));
/// assert_eq!(d.confirmation(), None);
/// assert_eq!(d.token_type(), "Bearer");
/// # Ok::<(), rfc8705::cnf::IssuanceError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct IssuanceDecision {
    /// Bind the access token to the certificate with this thumbprint (`cnf.x5t#S256`).
    pub certificate: Option<Thumbprint>,
    /// Bind the access token to the DPoP key with this thumbprint (`cnf.jkt`).
    pub dpop_jkt: Option<Thumbprint>,
    /// Bind the refresh token issued with it to the same, and check it with
    /// [`check_refresh_token_binding`] when it is used: true for a public client whose access
    /// token is bound. RFC 9449 section 5: "When an authorization server supporting DPoP issues
    /// a refresh token to a public client that presents a valid DPoP proof at the token
    /// endpoint, the refresh token MUST be bound to the respective public key." Refresh tokens
    /// of confidential clients are bound to the client's authentication instead (RFC 9449
    /// section 5, RFC 8705 section 7.1).
    pub bind_refresh_token: bool,
    /// Why the access token is not bound to a certificate (`certificate` is `None`), for the
    /// server's log; `None` when it is. An authorization server that expects every token of a
    /// mutual-TLS client to be bound logs this, or refuses.
    pub unbound: Option<UnboundReason>,
}

impl IssuanceDecision {
    /// The `cnf` value for the access token (JWT claim or introspection member), or `None` for
    /// a bearer token.
    ///
    /// ```
    /// use rfc8705::cnf::{IssuancePolicy, RequestedBinding, decide_binding};
    /// use rfc8705::Thumbprint;
    /// let jkt: Thumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I".parse()?;
    /// let d = decide_binding(RequestedBinding::default(), IssuancePolicy::default(), None, Some(&jkt)).unwrap();
    /// assert_eq!(
    ///     serde_json::to_string(&d.confirmation()).unwrap(),
    ///     r#"{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}"#
    /// );
    /// assert_eq!(d.token_type(), "DPoP");
    /// # Ok::<(), rfc8705::ThumbprintError>(())
    /// ```
    pub fn confirmation(&self) -> Option<Confirmation> {
        let mut cnf = match self.certificate {
            Some(t) => Confirmation::from_thumbprint(&t),
            None if self.dpop_jkt.is_none() => return None,
            None => Confirmation::default(),
        };
        if let Some(jkt) = self.dpop_jkt {
            cnf.insert_jkt(&jkt);
        }
        Some(cnf)
    }

    /// The `token_type` of the access token response: `DPoP` for a DPoP-bound token (RFC 9449
    /// section 5: "A token_type of DPoP MUST be included in the access token response"),
    /// `Bearer` otherwise (a certificate-bound token is still a `Bearer` token, RFC 8705
    /// section 3).
    pub const fn token_type(&self) -> &'static str {
        if self.dpop_jkt.is_some() {
            "DPoP"
        } else {
            "Bearer"
        }
    }
}

/// Why the authorization server refuses to issue a token.
///
/// ```
/// use rfc8705::cnf::IssuanceError;
/// use rfc8705::{OAuthErrorCode, TokenEndpointError};
/// let answer = TokenEndpointError::from(IssuanceError::CertificateRequired);
/// assert_eq!(answer.oauth_error_code(), OAuthErrorCode::InvalidRequest);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IssuanceError {
    /// The client registered for certificate-bound tokens but presented no certificate, and the
    /// policy is [`MissingCertificate::Refuse`].
    #[error(
        "the client registered for certificate-bound access tokens but presented no client certificate; retry over mutual TLS (the mtls_endpoint_aliases token endpoint, if any)"
    )]
    CertificateRequired,
    /// The client registered `dpop_bound_access_tokens: true` and sent no DPoP proof. RFC 9449
    /// section 5.2: "If the value is true, the authorization server MUST reject token requests
    /// from the client that do not contain the DPoP header."
    #[error(
        "the client registered dpop_bound_access_tokens but the token request carries no DPoP proof"
    )]
    DpopProofRequired,
}

/// Decides what the token about to be issued is bound to, from the client's registration, the
/// policy, the thumbprint of the certificate presented at the token endpoint (if any) and the
/// thumbprint of the key of the DPoP proof the server verified for this request (if any;
/// [`jwk::thumbprint`](crate::jwk::thumbprint)).
///
/// The token is bound to what the client proved, and a registration that demands a binding the
/// client did not prove is refused:
///
/// * DPoP: a verified proof binds the access token to its key (RFC 9449 section 5: "the
///   authorization server associates the issued access token with the public key from the DPoP
///   proof"); a client registered with `dpop_bound_access_tokens` and no proof is refused
///   ([`IssuanceError::DpopProofRequired`]).
/// * Certificate (RFC 8705 sections 3.4 and 4): the access token is bound to the certificate
///   when the client registered for it ([`BindWhen::Requested`]), when the client
///   authenticates with a certificate ([`BindWhen::CertificateClients`]) or always
///   ([`BindWhen::Always`]); a client registered for it (or, under `CertificateClients`,
///   authenticating with a certificate) without a certificate gets the policy's answer
///   ([`MissingCertificate`]). When the token is not certificate-bound,
///   [`IssuanceDecision::unbound`] says why.
/// * Both proven and both wanted: both members; the resource server then needs both proofs.
///
/// The caller vouches for the proofs: the certificate comes from a TLS handshake (or a trusted
/// proxy) and the DPoP key from a proof it verified, never from the request body.
///
/// | registered | certificate | DPoP proof | decision |
/// |---|---|---|---|
/// | nothing | any | yes | `jkt` (and `x5t#S256` under `Always`; under `CertificateClients` for a certificate-authenticated client) |
/// | nothing | yes | no | bearer (`x5t#S256` under `Always`; under `CertificateClients` for a certificate-authenticated client) |
/// | certificate | yes | any | `x5t#S256` (and `jkt` with a proof) |
/// | certificate | no | any | `Err(CertificateRequired)`, or without it under `IssueUnbound` |
/// | DPoP | any | yes | `jkt` (and `x5t#S256` under `Always`) |
/// | DPoP | any | no | `Err(DpopProofRequired)` |
///
/// ```
/// use rfc8705::cnf::{IssuanceError, IssuancePolicy, RequestedBinding, decide_binding};
/// use rfc8705::metadata::ClientMetadata;
/// use rfc8705::ClientCertificate;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
///
/// let client: ClientMetadata =
///     serde_json::from_str(r#"{"tls_client_certificate_bound_access_tokens": true}"#).unwrap();
/// let cert = ClientCertificate::from_der(&der)?;
/// let policy = IssuancePolicy::default();
/// let requested = RequestedBinding::from(&client);
///
/// let d = decide_binding(requested, policy, Some(&cert.thumbprint()), None).unwrap();
/// assert_eq!(d.certificate, Some(cert.thumbprint()));
/// assert_eq!(decide_binding(requested, policy, None, None), Err(IssuanceError::CertificateRequired));
/// # Ok::<(), rfc8705::CertificateError>(())
/// ```
pub fn decide_binding(
    requested: RequestedBinding,
    policy: IssuancePolicy,
    certificate: Option<&Thumbprint>,
    dpop_jkt: Option<&Thumbprint>,
) -> Result<IssuanceDecision, IssuanceError> {
    // RFC 9449 section 5.2: "the authorization server MUST reject token requests from the
    // client that do not contain the DPoP header."
    if requested.dpop && dpop_jkt.is_none() {
        return Err(IssuanceError::DpopProofRequired);
    }
    // The policy binds this client's tokens even though it did not register for it.
    let policy_binds = match policy.bind_when {
        BindWhen::Requested => false,
        BindWhen::CertificateClients => requested.certificate_client,
        BindWhen::Always => true,
    };
    // A client that must present a certificate for its token to be bound.
    let must_bind = requested.certificate
        || (policy.bind_when == BindWhen::CertificateClients && requested.certificate_client);
    let bound = match (must_bind, certificate) {
        // The client asked for binding (or authenticates with a certificate) and proved
        // possession of a certificate's key.
        (true, Some(t)) => Ok(*t),
        // RFC 8705 section 3.4: the server's discretion, made explicit by the policy.
        (true, None) => match policy.missing_certificate {
            MissingCertificate::Refuse => return Err(IssuanceError::CertificateRequired),
            MissingCertificate::IssueUnbound => Err(UnboundReason::IssuedWithoutCertificate),
        },
        // Nobody asked: binding anyway would tie the client to a certificate it may not use at
        // the resource (or that a proxy attached), unless this server binds everything.
        (false, Some(t)) if policy_binds => Ok(*t),
        (false, Some(_)) => Err(UnboundReason::NotRegistered),
        (false, None) => Err(UnboundReason::NoCertificate),
    };
    let (certificate, unbound) = match bound {
        Ok(t) => (Some(t), None),
        Err(why) => (None, Some(why)),
    };
    let dpop_jkt = dpop_jkt.copied();
    Ok(IssuanceDecision {
        certificate,
        dpop_jkt,
        bind_refresh_token: requested.public_client
            && (certificate.is_some() || dpop_jkt.is_some()),
        unbound,
    })
}

/// Why a bound refresh token is not honoured.
///
/// ```
/// use rfc8705::cnf::RefreshTokenError;
/// use rfc8705::{OAuthErrorCode, TokenEndpointError};
/// let answer = TokenEndpointError::from(RefreshTokenError::Mismatch);
/// assert_eq!(answer.oauth_error_code(), OAuthErrorCode::InvalidGrant);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RefreshTokenError {
    /// The refresh token is bound and the request did not present the certificate (or DPoP
    /// proof) it is bound to.
    #[error(
        "the refresh token is bound to a certificate or DPoP key and the request presented none"
    )]
    NoCertificate,
    /// The refresh token is bound to a different certificate (or DPoP key) than the one
    /// presented.
    #[error(
        "the refresh token is bound to a different certificate or DPoP key than the one presented"
    )]
    Mismatch,
}

/// Whether a refresh token may be used with this request: a bound refresh token is honoured
/// only with the certificate, or the DPoP proof key, it is bound to (constant-time comparison).
/// Pass the presented thumbprint of the same kind as the binding (the certificate's for a
/// certificate-bound refresh token, the proof key's for a DPoP-bound one).
///
/// RFC 8705 section 4: "When the authorization server issues a refresh token to such a client,
/// it SHOULD also bind the refresh token to the respective certificate and check the binding
/// when the refresh token is presented to get new access tokens." Section 7.1: refresh tokens
/// of confidential clients are "indirectly certificate-bound by way of the client ID and the
/// associated requirement for (certificate-based) authentication to the AS"; an explicitly bound
/// refresh token is checked here either way. RFC 9449 section 5, for DPoP: "The binding MUST be
/// validated when the refresh token is later presented to get new access tokens."
///
/// ```
/// use rfc8705::cnf::{RefreshTokenError, check_refresh_token_binding};
/// use rfc8705::Thumbprint;
/// let bound = Thumbprint::from_bytes([1; 32]);
/// assert_eq!(check_refresh_token_binding(None, None), Ok(()));
/// assert_eq!(check_refresh_token_binding(Some(&bound), Some(&bound)), Ok(()));
/// assert_eq!(
///     check_refresh_token_binding(Some(&bound), Some(&Thumbprint::from_bytes([2; 32]))),
///     Err(RefreshTokenError::Mismatch)
/// );
/// assert_eq!(check_refresh_token_binding(Some(&bound), None), Err(RefreshTokenError::NoCertificate));
/// ```
pub fn check_refresh_token_binding(
    bound_to: Option<&Thumbprint>,
    presented: Option<&Thumbprint>,
) -> Result<(), RefreshTokenError> {
    match (bound_to, presented) {
        // Not bound: nothing to check here (client authentication still applies).
        (None, _) => Ok(()),
        (Some(_), None) => Err(RefreshTokenError::NoCertificate),
        (Some(b), Some(p)) if b.ct_eq(p) => Ok(()),
        (Some(_), Some(_)) => Err(RefreshTokenError::Mismatch),
    }
}

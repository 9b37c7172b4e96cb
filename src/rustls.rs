//! rustls integration (feature `rustls`): the client-certificate verifier that RFC 8705
//! resource servers and self-signed-client authorization servers need.
//!
//! RFC 8705 section 6.2: "it is not necessary for the resource server to validate the trust
//! chain of the client's certificate in any of the methods defined in this document. The
//! resource server would, therefore, configure the TLS stack in a way that it does not verify
//! whether the certificate presented by the client during the handshake is signed by a trusted
//! CA certificate." Section 6.1 says the same of an authorization server that supports the
//! self-signed method, and section 4 of one that binds tokens of public clients.
//!
//! What must still hold is that the client *possesses the private key* of the certificate it
//! presents (section 6.1: the AS "will only issue certificate-bound tokens for a certificate
//! that the client has proven possession of the corresponding private key"). In TLS that proof
//! is the client's CertificateVerify signature over the handshake. [`PossessionOnlyVerifier`]
//! skips chain validation and checks that signature through the rustls crypto provider you
//! give it; it never answers "valid" for a signature it did not verify.
//!
//! An authorization server that authenticates clients with the PKI method (`tls_client_auth`)
//! still validates their chains, per client, once it knows the `client_id`: the TLS layer
//! cannot, since the client is not known during the handshake and each client may register
//! its own trust anchors. Keep this verifier at the TLS layer for both methods on one port,
//! and hand the connection's `peer_certificates()` (the leaf, then the intermediates the
//! client sent) to
//! [`MtlsClientAuth::validate_chain`](crate::client_auth::MtlsClientAuth::validate_chain),
//! with the signature algorithms of the same provider:
//!
//! ```
//! # use std::sync::Arc;
//! use rfc8705::client_auth::{MtlsClientAuth, TrustAnchors};
//! use rustls::pki_types::{CertificateDer, UnixTime};
//! # fn token_endpoint(
//! #     auth: &MtlsClientAuth, anchors: &TrustAnchors, provider: &rustls::crypto::CryptoProvider,
//! #     conn: &rustls::ServerConnection,
//! # ) -> Result<(), rfc8705::ClientAuthError> {
//! let chain = auth.validate_chain(
//!     conn.peer_certificates(),
//!     Some(anchors),
//!     UnixTime::now(),
//!     provider.signature_verification_algorithms.all,
//! )?;
//! let authenticated = auth.authenticate(&chain, Default::default())?;
//! # Ok(()) }
//! ```
//!
//! A resource server needs only the leaf: `peer_certificates()` holds the end-entity
//! certificate first (RFC 8446 section 4.4.2), so `conn.peer_certificates().and_then(|c|
//! c.first())` is the client's certificate, for [`Thumbprint::from_der`](crate::Thumbprint::from_der)
//! or [`ClientCertificate::from_der`].
//!
//! The crate picks no crypto provider: pass the one your server uses.

use alloc::sync::Arc;
use alloc::vec::Vec;

use ::rustls::client::danger::HandshakeSignatureValid;
use ::rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use ::rustls::pki_types::{CertificateDer, UnixTime};
use ::rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use ::rustls::{
    CertificateError as TlsCertificateError, DigitallySignedStruct, DistinguishedName,
    Error as TlsError, SignatureScheme,
};

use crate::ClientCertificate;

/// A rustls client-certificate verifier that accepts any certificate the crate can read,
/// without chain validation, and verifies the handshake signature that proves possession of
/// its private key.
///
/// * [`mandatory`](Self::mandatory): the handshake fails without a client certificate (a
///   resource server that only serves certificate-bound tokens, RFC 8705 section 3).
/// * [`optional`](Self::optional): the server asks for a certificate but lets the handshake
///   finish without one (RFC 8705 section 6.1: an authorization server that also serves other
///   clients "would make mutual TLS optional"), so the token endpoint can answer
///   `invalid_client` itself.
///
/// It does not check validity dates, key usages or issuers: which certificate a client may use
/// is the registration's business (`self_signed_tls_client_auth` compares the exact
/// certificate), and a resource server only compares thumbprints.
///
/// ```
/// use std::sync::Arc;
/// use rfc8705::rustls::PossessionOnlyVerifier;
///
/// let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
/// let verifier = PossessionOnlyVerifier::mandatory(provider.clone());
/// # let key = rcgen::KeyPair::generate().unwrap();
/// # let cert = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap().self_signed(&key).unwrap();
/// # let (server_chain, server_key) = (vec![cert.der().clone()],
/// #     rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()));
/// let config = rustls::ServerConfig::builder_with_provider(provider)
///     .with_safe_default_protocol_versions()?
///     .with_client_cert_verifier(verifier)
///     .with_single_cert(server_chain, server_key)?;
/// # Ok::<(), rustls::Error>(())
/// ```
#[derive(Debug)]
pub struct PossessionOnlyVerifier {
    provider: Arc<CryptoProvider>,
    mandatory: bool,
}

impl PossessionOnlyVerifier {
    /// A verifier that requires a client certificate.
    ///
    /// ```
    /// use rustls::server::danger::ClientCertVerifier;
    /// # use std::sync::Arc;
    /// let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    /// let v = rfc8705::rustls::PossessionOnlyVerifier::mandatory(provider);
    /// assert!(v.offer_client_auth() && v.client_auth_mandatory());
    /// ```
    pub fn mandatory(provider: Arc<CryptoProvider>) -> Arc<Self> {
        Arc::new(Self {
            provider,
            mandatory: true,
        })
    }

    /// A verifier that asks for a client certificate but accepts a handshake without one.
    ///
    /// ```
    /// use rustls::server::danger::ClientCertVerifier;
    /// # use std::sync::Arc;
    /// let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    /// let v = rfc8705::rustls::PossessionOnlyVerifier::optional(provider);
    /// assert!(v.offer_client_auth() && !v.client_auth_mandatory());
    /// ```
    pub fn optional(provider: Arc<CryptoProvider>) -> Arc<Self> {
        Arc::new(Self {
            provider,
            mandatory: false,
        })
    }
}

impl ClientCertVerifier for PossessionOnlyVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        self.mandatory
    }

    /// No CA names are hinted: any certificate is acceptable at this layer.
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    /// Accepts the end-entity certificate without chain validation (RFC 8705 sections 6.1 and
    /// 6.2), provided the crate can read it: a certificate that the token endpoint or the
    /// resource server could not process later is refused here, during the handshake.
    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, TlsError> {
        // Rejected: bytes that are not one X.509 certificate in DER.
        ClientCertificate::from_der(end_entity.as_ref())
            .map_err(|_| TlsError::InvalidCertificate(TlsCertificateError::BadEncoding))?;
        Ok(ClientCertVerified::assertion())
    }

    /// The CertificateVerify signature, checked by the crypto provider: the proof of
    /// possession of the private key.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    /// The CertificateVerify signature, checked by the crypto provider: the proof of
    /// possession of the private key.
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The leaf of a connection's peer certificates, parsed.
    fn leaf_certificate<'a>(
        peer_certificates: Option<&'a [CertificateDer<'_>]>,
    ) -> Option<Result<ClientCertificate<'a>, crate::CertificateError>> {
        Some(ClientCertificate::from_der(
            peer_certificates?.first()?.as_ref(),
        ))
    }
    use ::rustls::client::ResolvesClientCert;
    use ::rustls::pki_types::{PrivateKeyDer, ServerName};
    use ::rustls::sign::CertifiedKey;
    use ::rustls::{ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection};
    use alloc::vec;

    fn provider() -> Arc<CryptoProvider> {
        Arc::new(::rustls::crypto::aws_lc_rs::default_provider())
    }

    struct Pki {
        server_ca: CertificateDer<'static>,
        server_cert: CertificateDer<'static>,
        server_key: rcgen::KeyPair,
    }

    fn server_pki() -> Pki {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        Pki {
            server_ca: cert.der().clone(),
            server_cert: cert.der().clone(),
            server_key: key,
        }
    }

    fn self_signed_client() -> (CertificateDer<'static>, rcgen::KeyPair) {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec![]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "self-signed-client");
        let cert = params.self_signed(&key).unwrap();
        (cert.der().clone(), key)
    }

    /// Presents `cert` but signs the handshake with `key`, whichever key that is.
    #[derive(Debug)]
    struct Presents(Arc<CertifiedKey>);
    impl ResolvesClientCert for Presents {
        fn resolve(&self, _: &[&[u8]], _: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
            Some(self.0.clone())
        }
        fn has_certs(&self) -> bool {
            true
        }
    }

    fn client_config(
        pki: &Pki,
        identity: Option<(CertificateDer<'static>, &rcgen::KeyPair)>,
    ) -> ClientConfig {
        let mut roots = RootCertStore::empty();
        roots.add(pki.server_ca.clone()).unwrap();
        let builder = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots);
        match identity {
            None => builder.with_no_client_auth(),
            Some((cert, key)) => {
                let key = PrivateKeyDer::Pkcs8(key.serialize_der().into());
                let signer = provider().key_provider.load_private_key(key).unwrap();
                builder.with_client_cert_resolver(Arc::new(Presents(Arc::new(CertifiedKey::new(
                    vec![cert],
                    signer,
                )))))
            }
        }
    }

    /// Runs a full in-memory handshake; returns the server side on success.
    fn handshake(
        verifier: Arc<PossessionOnlyVerifier>,
        pki: &Pki,
        client: ClientConfig,
    ) -> Result<ServerConnection, TlsError> {
        let server_config = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                vec![pki.server_cert.clone()],
                PrivateKeyDer::Pkcs8(pki.server_key.serialize_der().into()),
            )
            .unwrap();
        let mut server = ServerConnection::new(Arc::new(server_config)).unwrap();
        let name = ServerName::try_from("localhost").unwrap();
        let mut client = ClientConnection::new(Arc::new(client), name).unwrap();
        for _ in 0..20 {
            let mut buf = Vec::new();
            while client.wants_write() {
                client.write_tls(&mut buf).unwrap();
            }
            let mut rd = &buf[..];
            while !rd.is_empty() {
                server.read_tls(&mut rd).unwrap();
            }
            server.process_new_packets()?;
            let mut buf = Vec::new();
            while server.wants_write() {
                server.write_tls(&mut buf).unwrap();
            }
            let mut rd = &buf[..];
            while !rd.is_empty() {
                client.read_tls(&mut rd).unwrap();
            }
            client.process_new_packets()?;
            if !server.is_handshaking() && !client.is_handshaking() && !client.wants_write() {
                return Ok(server);
            }
        }
        Err(TlsError::General("handshake did not finish".into()))
    }

    #[test]
    fn a_self_signed_certificate_with_its_key_is_accepted_and_is_the_leaf() {
        let pki = server_pki();
        let (cert, key) = self_signed_client();
        let client = client_config(&pki, Some((cert.clone(), &key)));
        let server = handshake(PossessionOnlyVerifier::mandatory(provider()), &pki, client)
            .expect("handshake");
        let leaf = leaf_certificate(server.peer_certificates())
            .expect("a certificate")
            .expect("readable");
        assert_eq!(leaf.der(), cert.as_ref());
        assert_eq!(
            leaf.thumbprint(),
            crate::Thumbprint::from_der(cert.as_ref()).unwrap()
        );
    }

    #[test]
    fn a_certificate_signed_for_with_another_key_fails_the_handshake() {
        let pki = server_pki();
        let (cert, _own_key) = self_signed_client();
        let thief_key = rcgen::KeyPair::generate().unwrap();
        let client = client_config(&pki, Some((cert, &thief_key)));
        let err = handshake(PossessionOnlyVerifier::optional(provider()), &pki, client)
            .expect_err("the CertificateVerify signature does not verify");
        assert_eq!(
            err,
            TlsError::InvalidCertificate(TlsCertificateError::BadSignature)
        );
    }

    #[test]
    fn no_certificate_is_refused_when_mandatory_and_allowed_when_optional() {
        let pki = server_pki();
        let err = handshake(
            PossessionOnlyVerifier::mandatory(provider()),
            &pki,
            client_config(&pki, None),
        )
        .expect_err("mandatory");
        std::eprintln!("ERRMAND {err:?}");
        assert!(
            matches!(
                err,
                TlsError::NoCertificatesPresented | TlsError::AlertReceived(_)
            ),
            "{err:?}"
        );
        let server = handshake(
            PossessionOnlyVerifier::optional(provider()),
            &pki,
            client_config(&pki, None),
        )
        .expect("optional");
        assert!(leaf_certificate(server.peer_certificates()).is_none());
    }

    /// The chain a client sends through this verifier reaches the token endpoint whole (leaf
    /// and intermediate), and validates there for a `tls_client_auth` client.
    #[test]
    fn the_presented_chain_validates_per_client_after_the_handshake() {
        use crate::client_auth::{MtlsClientAuth, TrustAnchors};
        use crate::metadata::ClientMetadata;
        use alloc::string::ToString;
        let ca_params = |cn: &str| {
            let mut p = rcgen::CertificateParams::new(vec![]).unwrap();
            p.distinguished_name.push(rcgen::DnType::CommonName, cn);
            p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            p
        };
        let root = rcgen::CertifiedIssuer::self_signed(
            ca_params("root"),
            rcgen::KeyPair::generate().unwrap(),
        )
        .unwrap();
        let inter = rcgen::CertifiedIssuer::signed_by(
            ca_params("intermediate"),
            rcgen::KeyPair::generate().unwrap(),
            &root,
        )
        .unwrap();
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let mut leaf_params = rcgen::CertificateParams::new(vec![]).unwrap();
        leaf_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "client-a");
        let leaf = leaf_params.signed_by(&leaf_key, &inter).unwrap();

        let pki = server_pki();
        let mut client = client_config(&pki, Some((leaf.der().clone(), &leaf_key)));
        // Present the intermediate too.
        let key = PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
        let signer = provider().key_provider.load_private_key(key).unwrap();
        client.client_auth_cert_resolver = Arc::new(Presents(Arc::new(CertifiedKey::new(
            vec![leaf.der().clone(), inter.der().clone()],
            signer,
        ))));
        let server = handshake(PossessionOnlyVerifier::optional(provider()), &pki, client)
            .expect("handshake");
        let peer = server.peer_certificates();
        assert_eq!(peer.map(<[_]>::len), Some(2));

        let meta = ClientMetadata::from_json(
            br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=client-a"}"#,
        )
        .unwrap();
        let auth = MtlsClientAuth::from_metadata(&meta).unwrap().unwrap();
        let anchors = TrustAnchors::from_der([root.der().as_ref()]).unwrap();
        let algs = provider().signature_verification_algorithms.all;
        let chain = auth
            .validate_chain(peer, Some(&anchors), UnixTime::now(), algs)
            .expect("valid chain");
        let ok = auth.authenticate(&chain, Default::default()).unwrap();
        assert_eq!(ok.to_string(), "subject CN=client-a");
        // Without the intermediate there is no path.
        let leaf_only = peer.map(|p| &p[..1]);
        assert!(
            auth.validate_chain(leaf_only, Some(&anchors), UnixTime::now(), algs)
                .is_err()
        );
    }

    #[test]
    fn unreadable_certificates_are_refused() {
        let v = PossessionOnlyVerifier::mandatory(provider());
        let junk = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
        assert_eq!(
            v.verify_client_cert(&junk, &[], UnixTime::now())
                .unwrap_err(),
            TlsError::InvalidCertificate(TlsCertificateError::BadEncoding)
        );
        assert!(matches!(
            leaf_certificate(Some(&[junk])),
            Some(Err(crate::CertificateError::Malformed(_)))
        ));
        let (cert, _) = self_signed_client();
        assert!(v.verify_client_cert(&cert, &[], UnixTime::now()).is_ok());
        assert!(!v.supported_verify_schemes().is_empty());
        assert!(v.root_hint_subjects().is_empty());
    }
}

//! A registration with one `tls_client_auth` subject member, matched through the public path
//! (`MtlsClientAuth`) against a leaf taken as validated: the name-rule targets fuzz the names,
//! the `chain` target the chains.

#![allow(dead_code)]
use rfc8705::client_auth::{ClientAuthError, MtlsClientAuth, TlsClientAuthError, ValidatedChain};
use rfc8705::metadata::ClientMetadata;
use rfc8705::{Authenticated, ClientCertificate, RegistrationError};

/// `{"token_endpoint_auth_method":"tls_client_auth", member: value}`, registered.
pub struct Expected(MtlsClientAuth);

impl Expected {
    pub fn from_member(member: &str, value: &str) -> Result<Self, RegistrationError> {
        let mut metadata = ClientMetadata::default();
        metadata.token_endpoint_auth_method =
            Some("tls_client_auth".parse().expect("infallible"));
        let value = Some(value.to_owned());
        match member {
            "tls_client_auth_subject_dn" => metadata.tls_client_auth_subject_dn = value,
            "tls_client_auth_san_dns" => metadata.tls_client_auth_san_dns = value,
            "tls_client_auth_san_uri" => metadata.tls_client_auth_san_uri = value,
            "tls_client_auth_san_ip" => metadata.tls_client_auth_san_ip = value,
            "tls_client_auth_san_email" => metadata.tls_client_auth_san_email = value,
            _ => return Err(RegistrationError::NoSubject),
        }
        Ok(Self(MtlsClientAuth::from_metadata(&metadata)?.expect("tls_client_auth")))
    }

    pub fn authenticate_der(&self, der: &[u8]) -> Result<Authenticated, TlsClientAuthError> {
        let chain = ValidatedChain::tls_stack_validated_this_chain(der);
        match self.0.authenticate(&chain, Default::default()) {
            Ok(ok) => Ok(ok),
            Err(ClientAuthError::TlsClientAuth(e)) => Err(e),
            Err(other) => panic!("not a name-rule outcome: {other}"),
        }
    }

    pub fn authenticate(&self, cert: &ClientCertificate<'_>) -> Result<Authenticated, TlsClientAuthError> {
        self.authenticate_der(cert.der())
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            MtlsClientAuth::TlsClientAuth { subject, .. } => subject.fmt(f),
            _ => f.write_str("not tls_client_auth"),
        }
    }
}

//! A throwaway PKI made with rcgen: a CA, the servers' certificate (localhost, 127.0.0.1) and
//! one certificate per registered client, written as PEM files beside the client registry.

use std::path::{Path, PathBuf};

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, PublicKeyData, SanType,
};
use sha2::{Digest, Sha256};

/// The registry template: RFC 7591 client metadata, with `${…}` placeholders for the
/// self-signed client's certificate and key, and for the CA key that `san-client` pins as the
/// only issuer of its certificates (`tls_client_auth_issuer_spki_s256`).
pub const REGISTRY_TEMPLATE: &str = include_str!("../data/clients.json");

/// One client's certificate and key files.
#[derive(Debug, Clone)]
pub struct ClientFiles {
    /// The `client_id` it is registered under.
    pub client_id: String,
    /// Which registration method it demonstrates.
    pub kind: &'static str,
    /// Certificate (PEM).
    pub cert_path: PathBuf,
    /// Private key (PKCS#8 PEM).
    pub key_path: PathBuf,
    /// Certificate PEM.
    pub cert_pem: String,
    /// Private key PEM.
    pub key_pem: String,
}

/// Every file of the demo PKI.
#[derive(Debug, Clone)]
pub struct Pki {
    /// The directory holding the files.
    pub dir: PathBuf,
    /// The CA certificate (PEM) that issued the servers' and the PKI clients' certificates.
    pub ca_path: PathBuf,
    /// The CA certificate PEM.
    pub ca_pem: String,
    /// The servers' certificate (PEM): SANs `localhost` and `127.0.0.1`.
    pub server_cert_path: PathBuf,
    /// The servers' key (PEM).
    pub server_key_path: PathBuf,
    /// The client registry (JSON).
    pub registry_path: PathBuf,
    /// The clients, in registry order.
    pub clients: Vec<ClientFiles>,
}

impl Pki {
    /// The client registered as `client_id`.
    pub fn client(&self, client_id: &str) -> &ClientFiles {
        self.clients
            .iter()
            .find(|c| c.client_id == client_id)
            .unwrap_or_else(|| panic!("no client {client_id} in the demo PKI"))
    }
}

fn ca_issued(
    ca: &CertifiedIssuer<'_, KeyPair>,
    cn: &str,
    org: Option<&str>,
    dns_sans: &[&str],
    eku: ExtendedKeyUsagePurpose,
) -> Result<(String, String), rcgen::Error> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    // DER order O, CN: RFC 4514 renders it last RDN first, "CN=…,O=…".
    if let Some(org) = org {
        params
            .distinguished_name
            .push(DnType::OrganizationName, org);
    }
    params.distinguished_name.push(DnType::CommonName, cn);
    for name in dns_sans {
        params.subject_alt_names.push(match name.parse() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName((*name).try_into()?),
        });
    }
    params.extended_key_usages = vec![eku];
    let cert = params.signed_by(&key, ca)?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// Generates the PKI and the filled-in registry into `dir`.
pub fn generate(dir: &Path) -> Result<Pki, Box<dyn std::error::Error>> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "rfc8705 demo CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate()?;
    // The pin: base64url SHA-256 of the CA's DER SubjectPublicKeyInfo.
    let ca_spki_s256 =
        Base64UrlUnpadded::encode_string(&Sha256::digest(ca_key.subject_public_key_info()));
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key)?;
    let write = |name: &str, contents: &str| -> std::io::Result<PathBuf> {
        let path = dir.join(name);
        std::fs::write(&path, contents)?;
        Ok(path)
    };
    let ca_pem = ca.pem();
    let ca_path = write("ca.crt", &ca_pem)?;

    let (server_cert, server_key) = ca_issued(
        &ca,
        "localhost",
        None,
        &["localhost", "127.0.0.1"],
        ExtendedKeyUsagePurpose::ServerAuth,
    )?;
    let server_cert_path = write("server.crt", &server_cert)?;
    let server_key_path = write("server.key", &server_key)?;

    let mut clients = Vec::new();
    let mut add = |client_id: &str, kind: &'static str, pem: (String, String)| {
        let cert_path = write(&format!("{client_id}.crt"), &pem.0)?;
        let key_path = write(&format!("{client_id}.key"), &pem.1)?;
        clients.push(ClientFiles {
            client_id: client_id.into(),
            kind,
            cert_path,
            key_path,
            cert_pem: pem.0,
            key_pem: pem.1,
        });
        Ok::<(), std::io::Error>(())
    };
    let client_auth = ExtendedKeyUsagePurpose::ClientAuth;
    add(
        "dn-client",
        "tls_client_auth, subject DN",
        ca_issued(
            &ca,
            "dn-client",
            Some("Example Corp"),
            &[],
            client_auth.clone(),
        )?,
    )?;
    add(
        "san-client",
        "tls_client_auth, DNS SAN",
        ca_issued(
            &ca,
            "workload 7",
            Some("Example Corp"),
            &["san-client.example.com"],
            client_auth,
        )?,
    )?;

    // The self-signed client: no CA; its certificate goes into its registered JWK Set.
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(DnType::CommonName, "self-signed-client");
    let cert = params.self_signed(&key)?;
    let point = key.public_key_raw(); // 0x04 || X || Y
    let (x, y) = point
        .get(1..33)
        .zip(point.get(33..65))
        .ok_or("not an uncompressed P-256 point")?;
    let registry = REGISTRY_TEMPLATE
        .replace("${SELF_SIGNED_CERT}", &Base64::encode_string(cert.der()))
        .replace("${SELF_SIGNED_X}", &Base64UrlUnpadded::encode_string(x))
        .replace("${SELF_SIGNED_Y}", &Base64UrlUnpadded::encode_string(y))
        .replace("${CA_SPKI_S256}", &ca_spki_s256);
    add(
        "self-signed-client",
        "self_signed_tls_client_auth, jwks x5c",
        (cert.pem(), key.serialize_pem()),
    )?;
    let registry_path = write("clients.json", &registry)?;

    Ok(Pki {
        dir: dir.to_path_buf(),
        ca_path,
        ca_pem,
        server_cert_path,
        server_key_path,
        registry_path,
        clients,
    })
}

//! The test PKI for the real proxies, made with rcgen: a CA, two intermediates, the proxies'
//! server certificate for 127.0.0.1, the client certificates each proxy must forward exactly,
//! a self-signed one, and a forger's (the certificate a client-sent header claims).

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, PKCS_RSA_SHA256, RsaKeySize, SanType,
};

/// A client certificate as curl presents it.
#[derive(Debug, Clone)]
pub struct Client {
    /// What it tests (file stem and failure messages).
    pub name: &'static str,
    /// The certificate file curl is given: the leaf, then its intermediates.
    pub cert_path: PathBuf,
    /// The key file.
    pub key_path: PathBuf,
    /// The leaf's DER.
    pub der: Vec<u8>,
    /// What curl sends after the leaf, the leaf's issuer first: the intermediates in the
    /// file; for a leaf alone, the CA that issued it, which curl's OpenSSL appends from
    /// `--cacert` (its automatic chain building); nothing for a self-signed leaf.
    pub chain: Vec<Vec<u8>>,
}

impl Client {
    /// `x5t#S256` of the leaf: what the backend must answer.
    pub fn thumbprint(&self) -> String {
        rfc8705::Thumbprint::from_der(&self.der)
            .expect("a certificate")
            .to_string()
    }
}

/// Every file of the PKI.
#[derive(Debug)]
pub struct Pki {
    /// The CA (PEM) that issued the server certificate and the clients' (directly or not).
    pub ca: PathBuf,
    /// The server certificate (PEM), SANs `localhost` and 127.0.0.1.
    pub server_cert: PathBuf,
    /// Its key (PEM).
    pub server_key: PathBuf,
    /// Certificate and key in one file (HAProxy's `crt`).
    pub server_cert_and_key: PathBuf,
    /// Issued by the CA (or through the intermediates): each must reach the backend exactly.
    pub clients: Vec<Client>,
    /// Self-signed: for the `optional_no_ca` setups.
    pub self_signed: Client,
    /// Another valid CA-issued certificate, with a chain: what forged headers carry.
    pub forger: Client,
}

type Issuer = CertifiedIssuer<'static, KeyPair>;

fn ca_params(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
}

fn leaf_params(cn: &str, org: Option<&str>, sans: Vec<SanType>) -> CertificateParams {
    let mut params = CertificateParams::default();
    // DER order O, CN (the default holds a CN of its own).
    params.distinguished_name = DistinguishedName::new();
    if let Some(org) = org {
        params
            .distinguished_name
            .push(DnType::OrganizationName, org);
    }
    params.distinguished_name.push(DnType::CommonName, cn);
    params.subject_alt_names = sans;
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params
}

fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write a PKI file");
    path
}

fn client(
    dir: &Path,
    name: &'static str,
    params: CertificateParams,
    key: KeyPair,
    issuer: Option<&Issuer>,
    intermediates: &[&Issuer],
) -> Client {
    let cert = match issuer {
        Some(issuer) => params.signed_by(&key, issuer),
        None => params.self_signed(&key),
    }
    .expect("sign a client certificate");
    let mut pem = cert.pem();
    for i in intermediates {
        pem.push_str(&i.pem());
    }
    Client {
        name,
        cert_path: write(dir, &format!("{name}.crt"), &pem),
        key_path: write(dir, &format!("{name}.key"), &key.serialize_pem()),
        der: cert.der().to_vec(),
        chain: match (issuer, intermediates) {
            (Some(ca), []) => vec![ca.der().to_vec()],
            _ => intermediates.iter().map(|i| i.der().to_vec()).collect(),
        },
    }
}

fn rsa(size: RsaKeySize) -> KeyPair {
    KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, size).expect("an RSA key")
}

fn ec() -> KeyPair {
    KeyPair::generate().expect("a P-256 key")
}

fn uri(s: &str) -> SanType {
    SanType::URI(s.try_into().expect("an IA5 URI"))
}

/// Generates the PKI into `dir`.
pub fn generate(dir: &Path) -> Pki {
    let ca: Issuer =
        CertifiedIssuer::self_signed(ca_params("rfc8705 proxies test CA"), ec()).expect("the CA");
    let int1: Issuer =
        CertifiedIssuer::signed_by(ca_params("intermediate 1"), ec(), &ca).expect("intermediate 1");
    let int2: Issuer = CertifiedIssuer::signed_by(ca_params("intermediate 2"), ec(), &int1)
        .expect("intermediate 2");

    let mut server = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("server");
    server.distinguished_name = DistinguishedName::new();
    server
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_key = ec();
    let server = server
        .signed_by(&server_key, &ca)
        .expect("server certificate");
    let key_pem = server_key.serialize_pem();

    let clients = vec![
        client(
            dir,
            "ec-p256",
            leaf_params("ec client", None, vec![]),
            ec(),
            Some(&ca),
            &[],
        ),
        client(
            dir,
            "rsa-2048",
            leaf_params("rsa client", Some("Example Corp"), vec![]),
            rsa(RsaKeySize::_2048),
            Some(&ca),
            &[],
        ),
        client(
            dir,
            "non-ascii-subject",
            leaf_params("Jürgen Müller", Some("Bücher & Söhne"), vec![]),
            ec(),
            Some(&ca),
            &[],
        ),
        client(
            dir,
            "uri-sans",
            leaf_params(
                "workload",
                None,
                vec![
                    uri(r#"spiffe://x/a,b;c="d"=e"#),
                    uri("urn:x:y;Cert=\"z\",By=w"),
                ],
            ),
            ec(),
            Some(&ca),
            &[],
        ),
        client(
            dir,
            "two-intermediates",
            leaf_params("chained client", None, vec![]),
            ec(),
            Some(&int2),
            &[&int2, &int1],
        ),
        client(
            dir,
            "rsa-4096",
            leaf_params("large rsa client", None, vec![]),
            rsa(RsaKeySize::_4096),
            Some(&ca),
            &[],
        ),
    ];
    let self_signed = client(
        dir,
        "self-signed",
        leaf_params("self-signed client", None, vec![]),
        ec(),
        None,
        &[],
    );
    let forger = client(
        dir,
        "forger",
        leaf_params("mallory", None, vec![]),
        ec(),
        Some(&int1),
        &[&int1],
    );
    Pki {
        ca: write(dir, "ca.crt", &ca.pem()),
        server_cert: write(dir, "server.crt", &server.pem()),
        server_key: write(dir, "server.key", &key_pem),
        server_cert_and_key: write(dir, "server.pem", &(server.pem() + &key_pem)),
        clients,
        self_signed,
        forger,
    }
}

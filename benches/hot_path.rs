//! Hot-path benchmarks, measured against the physical limit: SHA-256 over the certificate's DER.
//!
//! Every benchmark runs on the same certificate (a ~1 KB ECDSA P-256 client certificate, see
//! [`Fixture`]), so each result can be read as a ratio to `baseline/sha256_der` (for the
//! paths that only hash) or to `baseline/x509_parse` (for the paths that must parse).
//! benches/README.md lists the targets and the ratios measured.
//!
//! Run: `cargo bench --bench hot_path` (or `-- --output-format bencher` for one line per ID);
//! `HOT_PATH_INTERLEAVED=400 cargo bench --bench hot_path` measures the `proxy/` paths in
//! interleaved batches instead ([`proxy_interleaved`]).
//!
//! Layout: one function per benchmark group, named after the group; the group name is the part
//! of the ID before the `/`. To add a path, write `fn <group>(c: &mut Criterion)` in the style
//! of [`thumbprint`] (inputs built outside the timed closure, from [`FIXTURE`]; results passed
//! through `black_box`) and add it to `criterion_group!` at the bottom.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group};
use der::Decode;
use rcgen::{
    CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};
use rfc8705::client_auth::{MtlsClientAuth, TrustAnchors, ValidatedChain};
use rfc8705::cnf::{Binding, BindingPolicy, Claims, Confirmation, check_binding};
use rfc8705::dn::DistinguishedName;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};
use rfc8705::{ClientCertificate, Thumbprint};
use sha2::{Digest, Sha256};

/// The certificate every benchmark works on.
struct Fixture {
    /// DER of the leaf certificate, as a TLS stack hands it over.
    der: Vec<u8>,
    /// The same certificate, PEM-encoded (for paths that read PEM or header values).
    pem: String,
    /// DER of the CA that issued it (the trust anchor of chain validation).
    ca_der: Vec<u8>,
    /// DER of a CRL of that CA with 1,000 entries, none of them the leaf.
    crl_der: Vec<u8>,
    /// DER of a CRL of that CA with no entry.
    empty_crl_der: Vec<u8>,
}

impl Fixture {
    /// A realistic mutual-TLS client certificate issued by a CA: a seven-attribute subject DN,
    /// DNS, URI, email and IP SANs, basic constraints, key usage, the clientAuth extended key
    /// usage, authority and subject key identifiers, a CRL distribution point. About 1 KB of
    /// DER; the size is printed at start-up.
    fn generate() -> Self {
        let mut ca_params = CertificateParams::default();
        ca_params.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params.distinguished_name = rcgen::DistinguishedName::new();
        ca_params.distinguished_name.push(DnType::CountryName, "DE");
        ca_params
            .distinguished_name
            .push(DnType::OrganizationName, "Example Payments GmbH");
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Example Payments Client Issuing CA G2");
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().expect("CA key");
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key).expect("CA certificate");

        let mut params = CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        for (ty, value) in [
            (DnType::CountryName, "DE"),
            (DnType::StateOrProvinceName, "Berlin"),
            (DnType::LocalityName, "Berlin"),
            (DnType::OrganizationName, "Example Payments GmbH"),
            (DnType::OrganizationalUnitName, "Merchant Integrations"),
            (
                DnType::CommonName,
                "merchant-4711.clients.payments.example.com",
            ),
        ] {
            params.distinguished_name.push(ty, value);
        }
        // emailAddress (PKCS #9), an IA5String: still common in client certificate subjects.
        params.distinguished_name.push(
            DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
            rcgen::DnValue::Ia5String("ops@merchant-4711.example.net".try_into().unwrap()),
        );
        params.subject_alt_names = vec![
            SanType::DnsName(
                "merchant-4711.clients.payments.example.com"
                    .try_into()
                    .unwrap(),
            ),
            SanType::DnsName("api.merchant-4711.example.net".try_into().unwrap()),
            SanType::URI(
                "spiffe://payments.example.com/ns/merchants/sa/merchant-4711"
                    .try_into()
                    .unwrap(),
            ),
            SanType::URI(
                "https://merchant-4711.example.net/oauth/client"
                    .try_into()
                    .unwrap(),
            ),
            SanType::Rfc822Name("ops@merchant-4711.example.net".try_into().unwrap()),
            SanType::IpAddress(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 17))),
            SanType::IpAddress(IpAddr::V6(Ipv6Addr::new(
                0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x17,
            ))),
        ];
        // basicConstraints CA:FALSE, and with it the subject key identifier.
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params.use_authority_key_identifier_extension = true;
        params.crl_distribution_points = vec![rcgen::CrlDistributionPoint {
            uris: vec!["http://crl.payments.example.com/client-issuing-ca-g2.crl".into()],
        }];
        let key = KeyPair::generate().expect("leaf key");
        let cert = params.signed_by(&key, &ca).expect("leaf certificate");
        let der = cert.der().to_vec();
        eprintln!(
            "hot_path fixture: ECDSA P-256 client certificate, {} bytes of DER",
            der.len()
        );
        // The CA's CRL: 1,000 revoked certificates with 16-byte serials and a reason code,
        // valid for a day either side of now.
        let now = std::time::SystemTime::now();
        let day = std::time::Duration::from_secs(86_400);
        let revoked_certs = (0..1000u64)
            .map(|i| rcgen::RevokedCertParams {
                serial_number: rcgen::SerialNumber::from_slice(
                    &Sha256::digest(i.to_be_bytes())[..16],
                ),
                revocation_time: (now - day).into(),
                reason_code: Some(rcgen::RevocationReason::Superseded),
                invalidity_date: None,
            })
            .collect();
        let crl_of = |revoked_certs| {
            rcgen::CertificateRevocationListParams {
                this_update: (now - day).into(),
                next_update: (now + day).into(),
                crl_number: rcgen::SerialNumber::from(1u64),
                issuing_distribution_point: None,
                revoked_certs,
                key_identifier_method: rcgen::KeyIdMethod::Sha256,
            }
            .signed_by(&ca)
            .expect("CRL")
        };
        let crl = crl_of(revoked_certs);
        let empty_crl = crl_of(Vec::new());
        eprintln!(
            "hot_path fixture: a 1,000-entry CRL, {} bytes of DER",
            crl.der().len()
        );
        Fixture {
            der,
            pem: cert.pem(),
            ca_der: ca.der().to_vec(),
            crl_der: crl.der().to_vec(),
            empty_crl_der: empty_crl.der().to_vec(),
        }
    }
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(Fixture::generate);

/// A benchmark group whose throughput is the fixture's DER length, so criterion also reports
/// bytes per second.
fn group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(FIXTURE.der.len() as u64));
    g
}

/// The limits every other path is measured against.
fn baseline(c: &mut Criterion) {
    let der = FIXTURE.der.as_slice();
    let mut g = group(c, "baseline");
    // The physical limit of anything that computes a thumbprint: one SHA-256 over the DER.
    g.bench_function("sha256_der", |b| b.iter(|| Sha256::digest(black_box(der))));
    // The cost of parsing the certificate at all, with the parser the crate uses.
    g.bench_function("x509_parse", |b| {
        b.iter(|| x509_cert::Certificate::from_der(black_box(der)).expect("parses"))
    });
    g.finish();
}

/// `Thumbprint::from_der`: the resource server's per-request work (target: ≤ 1.05× sha256_der).
fn thumbprint(c: &mut Criterion) {
    let der = FIXTURE.der.as_slice();
    let mut g = group(c, "thumbprint");
    g.bench_function("from_der", |b| {
        b.iter(|| Thumbprint::from_der(black_box(der)).expect("framed"))
    });
    g.finish();
    // Guard against benchmarking a path that silently fails.
    let parsed = ClientCertificate::from_der(der).expect("fixture parses");
    assert_eq!(Thumbprint::from_der(der).ok(), Some(parsed.thumbprint()));
}

/// The JWT claims set of an access token bound to the fixture's certificate: the members an
/// authorization server typically issues, `cnf` last (serializers often append it), 380 bytes
/// or so.
fn bound_claims(thumbprint: &Thumbprint) -> Vec<u8> {
    format!(
        concat!(
            r#"{{"iss":"https://as.payments.example.com","#,
            r#""sub":"merchant-4711","#,
            r#""aud":["https://api.payments.example.com","https://refunds.payments.example.com"],"#,
            r#""exp":1798761600,"iat":1798758000,"#,
            r#""jti":"4c0b8f7e-5a3d-4e2b-9f61-0d9c2a7b13e5","#,
            r#""scope":"payments:read payments:write refunds:create","#,
            r#""client_id":"s6BhdRkqt3-merchant-4711","#,
            r#""cnf":{{"x5t#S256":"{}"}}}}"#
        ),
        thumbprint
    )
    .into_bytes()
}

/// The resource server's binding check (targets: ≤ 1.15× and ≤ 2× sha256_der).
fn cnf(c: &mut Criterion) {
    let der = FIXTURE.der.as_slice();
    let thumbprint = Thumbprint::from_der(der).expect("framed");
    let claims = bound_claims(&thumbprint);
    eprintln!("hot_path claims: {} bytes of JSON", claims.len());
    // The token's `cnf`, deserialized by the caller with the rest of its claims.
    let confirmation = Confirmation::from(thumbprint);
    let mut g = group(c, "cnf");
    // The check with the certificate hashed on every request (a server that keeps only the
    // DER), then with the thumbprint computed once per connection.
    g.bench_function("verify", |b| {
        b.iter(|| {
            let presented = Thumbprint::from_der(black_box(der)).ok();
            check_binding(
                BindingPolicy::Required,
                Claims::Cnf(Some(black_box(&confirmation))),
                presented.as_ref(),
                None,
            )
        })
    });
    g.bench_function("verify_claims_json", |b| {
        b.iter(|| {
            let presented = Thumbprint::from_der(black_box(der)).ok();
            check_binding(
                BindingPolicy::Required,
                Claims::Json(black_box(&claims)),
                presented.as_ref(),
                None,
            )
        })
    });
    g.bench_function("verify_thumbprint", |b| {
        b.iter(|| {
            check_binding(
                BindingPolicy::Required,
                Claims::Json(black_box(&claims)),
                Some(black_box(&thumbprint)),
                None,
            )
        })
    });
    g.finish();
    let bound = Ok(Binding::Bound {
        certificate: Some(thumbprint),
        dpop_jkt: None,
    });
    assert_eq!(
        check_binding(
            BindingPolicy::Required,
            Claims::Cnf(Some(&confirmation)),
            Some(&thumbprint),
            None
        ),
        bound
    );
    assert_eq!(
        check_binding(
            BindingPolicy::Required,
            Claims::Json(&claims),
            Some(&thumbprint),
            None
        ),
        bound
    );
}

/// The registered `tls_client_auth_subject_dn`, as the client registered it: the subject in
/// RFC 4514 form, most significant RDN last.
fn registered_dn(der: &[u8]) -> String {
    ClientCertificate::from_der(der)
        .expect("subject")
        .subject()
        .to_string()
}

/// DN matching alone: a registered name (parsed once, at registration) against the
/// certificate's subject (located once) (target: ≤ 0.5× x509_parse).
fn dn(c: &mut Criterion) {
    let der = FIXTURE.der.as_slice();
    let registered: DistinguishedName = registered_dn(der).parse().expect("DN parses");
    let subject_cert = ClientCertificate::from_der(der).expect("subject");
    let subject = subject_cert.subject();
    let mut g = group(c, "dn");
    g.bench_function("match", |b| {
        b.iter(|| black_box(&registered).matches(black_box(&subject)))
    });
    // A subject in German and Greek, registered in capitals (`ß` as `SS`): every value needs
    // the full RFC 4518 preparation (case folding, NFKC), not the ASCII fast path.
    let intl = non_ascii_certificate();
    let intl_registered: DistinguishedName = registered_dn(&intl)
        .to_uppercase()
        .parse()
        .expect("DN parses");
    let intl_subject_cert = ClientCertificate::from_der(&intl).expect("subject");
    let intl_subject = intl_subject_cert.subject();
    g.bench_function("match_non_ascii", |b| {
        b.iter(|| black_box(&intl_registered).matches(black_box(&intl_subject)))
    });
    g.finish();
    assert!(registered.matches(&subject));
    assert!(intl_registered.matches(&intl_subject));
}

/// A self-signed certificate whose subject has four non-ASCII UTF8String values.
fn non_ascii_certificate() -> Vec<u8> {
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    for (ty, value) in [
        (DnType::CountryName, "DE"),
        (
            DnType::OrganizationName,
            "Müller & Söhne Zahlungsdienste GmbH",
        ),
        (
            DnType::OrganizationalUnitName,
            "Abteilung Straßenbahn-Abrechnung",
        ),
        (DnType::CommonName, "Jürgen Groß Σίσυφος"),
    ] {
        params.distinguished_name.push(ty, value);
    }
    let key = KeyPair::generate().expect("key");
    params
        .self_signed(&key)
        .expect("certificate")
        .der()
        .to_vec()
}

/// The authorization server's `tls_client_auth` check: the DER from the TLS stack in, the
/// subject located and matched against the registered DN, the thumbprint computed (target:
/// ≤ 1.5× x509_parse); and the chain validation that comes first: leaf and CA, one ECDSA P-256
/// signature, clientAuth EKU, validity (reported as a ratio to x509_parse, no target).
fn tls_client_auth(c: &mut Criterion) {
    use rustls::pki_types::{CertificateDer, UnixTime};
    let der = FIXTURE.der.as_slice();
    let metadata = rfc8705::ClientMetadata::from_json(
        serde_json::json!({
            "token_endpoint_auth_method": "tls_client_auth",
            "tls_client_auth_subject_dn": registered_dn(der),
        })
        .to_string()
        .as_bytes(),
    )
    .expect("metadata");
    let auth = MtlsClientAuth::from_metadata(&metadata)
        .expect("registration")
        .expect("tls_client_auth");
    let mut g = group(c, "tls_client_auth");
    g.bench_function("authenticate", |b| {
        b.iter(|| {
            // The name rule alone: the chain is validated below.
            let chain = ValidatedChain::tls_stack_validated_this_chain(black_box(der));
            black_box(&auth)
                .authenticate(&chain, Default::default())
                .expect("matches")
        })
    });
    let anchors = TrustAnchors::from_der([FIXTURE.ca_der.as_slice()]).expect("anchor");
    let presented = [CertificateDer::from(der)];
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let algorithms = provider.signature_verification_algorithms.all;
    let now = UnixTime::now();
    g.bench_function("validate_chain", |b| {
        b.iter(|| {
            black_box(&auth)
                .validate_chain(Some(black_box(&presented)), Some(&anchors), now, algorithms)
                .expect("valid chain")
        })
    });
    // The same validation, the leaf checked against its CA's 1,000-entry CRL (target: ≤ 2×
    // validate_chain): the CRL's signature is verified and its entries looked up.
    let crls = rfc8705::client_auth::RevocationLists::read(
        [FIXTURE.crl_der.as_slice()],
        rfc8705::client_auth::RevocationPolicy::default(),
    )
    .expect("CRL");
    // The fixed part of that price: a CRL without entries (its signature, the lookup).
    let empty = rfc8705::client_auth::RevocationLists::read(
        [FIXTURE.empty_crl_der.as_slice()],
        rfc8705::client_auth::RevocationPolicy::default(),
    )
    .expect("CRL");
    g.bench_function("validate_chain_crl_empty", |b| {
        b.iter(|| {
            black_box(&auth)
                .validate_chain_with_revocation(
                    Some(black_box(&presented)),
                    Some(&anchors),
                    &empty,
                    now,
                    algorithms,
                )
                .expect("valid, not revoked")
        })
    });
    g.bench_function("validate_chain_crl_1000", |b| {
        b.iter(|| {
            black_box(&auth)
                .validate_chain_with_revocation(
                    Some(black_box(&presented)),
                    Some(&anchors),
                    &crls,
                    now,
                    algorithms,
                )
                .expect("valid, not revoked")
        })
    });
    g.finish();
}

/// Each forwarded format's value for the fixture, as that proxy writes it.
fn proxy_values() -> Vec<(&'static str, ProxyFormat, String)> {
    use base64ct::{Base64, Encoding};
    let der = FIXTURE.der.as_slice();
    let pem = FIXTURE.pem.as_str();
    let b64 = Base64::encode_string(der);
    // URL-encoding with nginx's rule (all but `A-Za-z0-9-._~` escaped), or ALB's (`+=/` raw).
    let escape = |keep: &[u8]| -> String {
        pem.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    let escaped = escape(b"");
    let hex: String = Thumbprint::from_der(der)
        .expect("framed")
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let by = "By=spiffe://cluster.local/ns/default/sa/api";
    vec![
        ("client_cert", ProxyFormat::ClientCert, format!(":{b64}:")),
        (
            "xfcc",
            ProxyFormat::Xfcc,
            format!("{by};Hash={hex};Cert=\"{escaped}\""),
        ),
        (
            "xfcc_json",
            ProxyFormat::XfccJson,
            format!(
                r#"[{{"by":["spiffe://cluster.local/ns/default/sa/api"],"hash":"{hex}","cert":{}}}]"#,
                serde_json::to_string(pem).expect("JSON")
            ),
        ),
        ("escaped_pem", ProxyFormat::EscapedPem, escaped.clone()),
        ("alb", ProxyFormat::Alb, escape(b"+=/")),
        ("bare_der", ProxyFormat::BareDer, b64.clone()),
        ("traefik", ProxyFormat::Traefik, b64.clone()),
        ("apache", ProxyFormat::Apache, pem.replace('\n', " ")),
        ("cloudfront", ProxyFormat::CloudFront, escaped.clone()),
        ("azure", ProxyFormat::Azure, b64.clone()),
        (
            "xfcc_hash",
            ProxyFormat::XfccHash,
            format!("{by};Hash={hex};Subject=\"\";URI=spiffe://cluster.local/ns/web/sa/client"),
        ),
        ("fingerprint", ProxyFormat::Fingerprint, hex.clone()),
    ]
}

/// A certificate forwarded by a trusted proxy, in every format, as that proxy writes it:
/// decoded and hashed, never X.509-parsed (target: ≤ 2× sha256_der), and the hash-only
/// formats, read without any SHA-256 (target: ≤ 0.2× sha256_der).
fn proxy(c: &mut Criterion) {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    let want = Thumbprint::from_der(&FIXTURE.der).expect("framed");
    let mut g = group(c, "proxy");
    for (id, format, value) in &proxy_values() {
        assert_eq!(
            proxy.thumbprint(*format, value, &[]).expect(id),
            want,
            "{id}"
        );
        g.bench_function(*id, |b| {
            b.iter(|| {
                black_box(&proxy)
                    .thumbprint(*format, black_box(value.as_bytes()), &[])
                    .expect("decodes")
            })
        });
    }
    g.finish();
}

/// `proxy/` measured the other way (`HOT_PATH_INTERLEAVED=<rounds> cargo bench --bench
/// hot_path`): in each round `sha256_der` and then every format run a batch of calls in
/// turn, so a load change on a shared machine touches all of them alike. Prints each one's
/// minimum per-call time over the rounds against `sha256_der`'s minimum, and the median
/// against the median.
fn proxy_interleaved(rounds: usize) {
    const BATCH: u32 = 2_000;
    let der = FIXTURE.der.as_slice();
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    let values = proxy_values();
    let time = |f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        for _ in 0..BATCH {
            f();
        }
        start.elapsed().as_secs_f64() * 1e9 / f64::from(BATCH)
    };
    let mut sha = Vec::with_capacity(rounds);
    let mut paths = vec![Vec::with_capacity(rounds); values.len()];
    for _ in 0..rounds {
        sha.push(time(&mut || {
            black_box(Sha256::digest(black_box(der)));
        }));
        for ((_, format, value), times) in values.iter().zip(&mut paths) {
            times.push(time(&mut || {
                black_box(&proxy)
                    .thumbprint(*format, black_box(value.as_bytes()), &[])
                    .expect("decodes");
            }));
        }
    }
    let min_median = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        (times[0], times[times.len() / 2])
    };
    let (sha_min, sha_median) = min_median(&mut sha);
    println!(
        "sha256_der: min {sha_min:.0} ns, median {sha_median:.0} ns ({rounds} rounds of {BATCH})"
    );
    for ((id, _, _), times) in values.iter().zip(&mut paths) {
        let (min, median) = min_median(times);
        println!(
            "proxy/{id:12} min {min:6.0} ns {:5.2}x   median {median:6.0} ns {:5.2}x",
            min / sha_min,
            median / sha_median
        );
    }
}

/// The trivial handler behind the layer: answers at once.
#[derive(Clone)]
struct Ok200;

impl tower::Service<http::Request<()>> for Ok200 {
    type Response = http::Response<()>;
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<http::Response<()>, std::convert::Infallible>>;
    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn call(&mut self, _: http::Request<()>) -> Self::Future {
        std::future::ready(Ok(http::Response::new(())))
    }
}

/// The `tower` layer's work per request (target: below `cnf/verify_claims_json`, today's
/// per-request check, which hashes the certificate): the thumbprint was computed once per
/// connection, so a request pays for two extension lookups, reading the claims, the 32-byte
/// comparison and inserting the outcome.
fn tower(c: &mut Criterion) {
    use rfc8705::tower::{CertificateBindingLayer, PeerConnection, TokenClaims};
    use std::future::Future;
    use tower::{Layer, Service};

    let der = FIXTURE.der.as_slice();
    let thumbprint = Thumbprint::from_der(der).expect("framed");
    let claims = TokenClaims::new(bound_claims(&thumbprint));
    let connection =
        PeerConnection::new("192.0.2.7:50000".parse().expect("addr"), Some(der)).expect("framed");
    let mut service = CertificateBindingLayer::new(BindingPolicy::Required).layer(Ok200);
    let request = || {
        let mut r = http::Request::new(());
        r.extensions_mut().insert(connection.clone());
        r.extensions_mut().insert(claims.clone());
        r
    };
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut call = |r: http::Request<()>| {
        let fut = std::pin::pin!(service.call(r));
        match fut.poll(&mut cx) {
            std::task::Poll::Ready(Ok(resp)) => resp.status().as_u16(),
            _ => 0,
        }
    };
    assert_eq!(call(request()), 200);
    let mut g = group(c, "tower");
    g.bench_function("layer_check", |b| {
        b.iter_batched(
            request,
            |r| call(black_box(r)),
            criterion::BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group! {
    name = hot_path;
    config = Criterion::default();
    targets = baseline, thumbprint, cnf, dn, tls_client_auth, proxy, tower
}

fn main() {
    if let Ok(rounds) = std::env::var("HOT_PATH_INTERLEAVED") {
        proxy_interleaved(
            rounds
                .parse()
                .expect("HOT_PATH_INTERLEAVED: a number of rounds"),
        );
        return;
    }
    // What `criterion_main!(hot_path)` expands to.
    hot_path();
    Criterion::default().configure_from_args().final_summary();
}

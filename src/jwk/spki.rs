//! The public key of `x5c[0]` against the JWK's own key members (RFC 7517 section 4.7).

use der::asn1::{ObjectIdentifier, UintRef};
use der::oid::db::{rfc5912, rfc8410};
use der::{Reader, SliceReader};

use super::JwkProblem;
use crate::ClientCertificate;

/// secp256k1 (SEC 2), `crv` value `secp256k1` (RFC 8812).
const SECP_256_K_1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");

/// The public key in a certificate, in the shape of JWK members.
enum CertificateKey<'a> {
    Rsa {
        n: &'a [u8],
        e: &'a [u8],
    },
    Ec {
        crv: jose_jwk::EcCurves,
        point: &'a [u8],
    },
    Okp {
        crv: jose_jwk::OkpCurves,
        x: &'a [u8],
    },
}

fn describe_ec(crv: jose_jwk::EcCurves) -> &'static str {
    use jose_jwk::EcCurves;
    match crv {
        EcCurves::P256 => "an EC P-256",
        EcCurves::P384 => "an EC P-384",
        EcCurves::P521 => "an EC P-521",
        EcCurves::P256K => "an EC secp256k1",
        _ => "an EC",
    }
}

fn describe_okp(crv: jose_jwk::OkpCurves) -> &'static str {
    use jose_jwk::OkpCurves;
    match crv {
        OkpCurves::Ed25519 => "an Ed25519",
        OkpCurves::Ed448 => "an Ed448",
        OkpCurves::X25519 => "an X25519",
        OkpCurves::X448 => "an X448",
        _ => "an OKP",
    }
}

fn describe_jwk(key: &jose_jwk::Key) -> &'static str {
    use jose_jwk::Key;
    match key {
        Key::Rsa(_) => "an RSA",
        Key::Ec(ec) => describe_ec(ec.crv),
        Key::Okp(okp) => describe_okp(okp.crv),
        _ => "a non-public",
    }
}

fn describe_certificate(key: &CertificateKey<'_>) -> &'static str {
    match key {
        CertificateKey::Rsa { .. } => "an RSA",
        CertificateKey::Ec { crv, .. } => describe_ec(*crv),
        CertificateKey::Okp { crv, .. } => describe_okp(*crv),
    }
}

/// Reads the certificate's SubjectPublicKeyInfo into JWK terms.
fn certificate_key<'a>(cert: &'a ClientCertificate<'_>) -> Result<CertificateKey<'a>, JwkProblem> {
    use jose_jwk::{EcCurves, OkpCurves};
    let spki = cert.x509().tbs_certificate().subject_public_key_info();
    let oid = spki.algorithm.oid;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or(JwkProblem::CertificateKeyMalformed)?;
    if oid == rfc5912::RSA_ENCRYPTION || oid == rfc5912::ID_RSASSA_PSS {
        // RFC 8017 appendix A.1.1: RSAPublicKey ::= SEQUENCE { modulus INTEGER,
        // publicExponent INTEGER }. UintRef strips the sign octet.
        let (n, e) = SliceReader::new(bits)
            .and_then(|mut r| {
                let ne = r.sequence(|s| {
                    Ok::<_, der::Error>((s.decode::<UintRef<'a>>()?, s.decode::<UintRef<'a>>()?))
                })?;
                r.finish()?;
                Ok(ne)
            })
            .map_err(|_: der::Error| JwkProblem::CertificateKeyMalformed)?;
        return Ok(CertificateKey::Rsa {
            n: n.as_bytes(),
            e: e.as_bytes(),
        });
    }
    if oid == rfc5912::ID_EC_PUBLIC_KEY {
        // RFC 5480 section 2.1.1: the parameters are the namedCurve OID.
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .ok_or(JwkProblem::CertificateKeyMalformed)?;
        let crv = match curve {
            c if c == rfc5912::SECP_256_R_1 => EcCurves::P256,
            c if c == rfc5912::SECP_384_R_1 => EcCurves::P384,
            c if c == rfc5912::SECP_521_R_1 => EcCurves::P521,
            c if c == SECP_256_K_1 => EcCurves::P256K,
            _ => return Err(JwkProblem::CertificateKeyUnsupported),
        };
        return Ok(CertificateKey::Ec { crv, point: bits });
    }
    // RFC 8410 section 4: the key is the raw public key octets.
    let crv = match oid {
        o if o == rfc8410::ID_ED_25519 => OkpCurves::Ed25519,
        o if o == rfc8410::ID_ED_448 => OkpCurves::Ed448,
        o if o == rfc8410::ID_X_25519 => OkpCurves::X25519,
        o if o == rfc8410::ID_X_448 => OkpCurves::X448,
        _ => return Err(JwkProblem::CertificateKeyUnsupported),
    };
    Ok(CertificateKey::Okp { crv, x: bits })
}

/// The public key of `cert` as JWK key members (`jose-jwk`'s [`jose_jwk::Key`]): `n`/`e`
/// (RFC 7518 section 6.3.1: unsigned big-endian, no leading zero octet), `crv`/`x`/`y` (RFC
/// 7518 section 6.2.1: the uncompressed point's coordinates, each the full size for the
/// curve), `crv`/`x` (RFC 8037 section 2).
pub(super) fn certificate_jwk(cert: &ClientCertificate<'_>) -> Result<jose_jwk::Key, JwkProblem> {
    use jose_jwk::{Ec, Key, Okp, Rsa};
    Ok(match certificate_key(cert)? {
        CertificateKey::Rsa { n, e } => Key::Rsa(Rsa {
            n: strip_leading_zeros(n).to_vec().into(),
            e: strip_leading_zeros(e).to_vec().into(),
            prv: None,
        }),
        CertificateKey::Ec { crv, point } => {
            // SEC 1 section 2.3.3: 0x04 || X || Y.
            let (&form, xy) = point
                .split_first()
                .ok_or(JwkProblem::CertificateKeyMalformed)?;
            if form == 0x02 || form == 0x03 {
                return Err(JwkProblem::CompressedPoint);
            }
            let len = coordinate_len(crv);
            if form != 0x04 || xy.len() != 2 * len {
                return Err(JwkProblem::CertificateKeyMalformed);
            }
            let (x, y) = xy.split_at(len);
            Key::Ec(Ec {
                crv,
                x: x.to_vec().into(),
                y: y.to_vec().into(),
                d: None,
            })
        }
        CertificateKey::Okp { crv, x } => Key::Okp(Okp {
            crv,
            x: x.to_vec().into(),
            d: None,
        }),
    })
}

/// Strips leading zero octets, so that `00 ab` and `ab` compare equal as unsigned integers.
pub(super) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// The size in octets of a field element of an EC curve (RFC 7518 section 6.2.1.2: "The
/// length of this octet string MUST be the full size of a coordinate for the curve").
fn coordinate_len(crv: jose_jwk::EcCurves) -> usize {
    use jose_jwk::EcCurves;
    match crv {
        EcCurves::P384 => 48,
        EcCurves::P521 => 66,
        _ => 32,
    }
}

/// RFC 7517 section 4.7: "The key in the first certificate MUST match the public key
/// represented by other members of the JWK." Public keys are compared in variable time: they
/// are public.
pub(super) fn check_certificate_holds_key(
    cert: &ClientCertificate<'_>,
    jwk: &jose_jwk::Key,
) -> Result<(), JwkProblem> {
    use jose_jwk::Key;
    let in_cert = certificate_key(cert)?;
    let type_mismatch = || JwkProblem::CertificateKeyTypeMismatch {
        jwk: describe_jwk(jwk),
        certificate: describe_certificate(&in_cert),
    };
    match (&in_cert, jwk) {
        (CertificateKey::Rsa { n, e }, Key::Rsa(rsa)) => {
            // RFC 7518 section 6.3.1.1 forbids a leading zero in "n", but notes that libraries
            // emit one; comparing the integers accepts both.
            let same = strip_leading_zeros(n) == strip_leading_zeros(&rsa.n)
                && strip_leading_zeros(e) == strip_leading_zeros(&rsa.e);
            if same {
                Ok(())
            } else {
                Err(JwkProblem::CertificateKeyDiffers { members: "n/e" })
            }
        }
        (CertificateKey::Ec { crv, point }, Key::Ec(ec)) => {
            if *crv != ec.crv {
                return Err(type_mismatch());
            }
            // SEC 1 section 2.3.3: 0x04 || X || Y; 0x02 / 0x03 is a compressed point.
            let (&form, xy) = point
                .split_first()
                .ok_or(JwkProblem::CertificateKeyMalformed)?;
            if form == 0x02 || form == 0x03 {
                return Err(JwkProblem::CompressedPoint);
            }
            let len = coordinate_len(*crv);
            if form != 0x04 || xy.len() != 2 * len {
                return Err(JwkProblem::CertificateKeyMalformed);
            }
            let (x, y) = xy.split_at(len);
            if x == &ec.x[..] && y == &ec.y[..] {
                Ok(())
            } else {
                Err(JwkProblem::CertificateKeyDiffers { members: "crv/x/y" })
            }
        }
        (CertificateKey::Okp { crv, x }, Key::Okp(okp)) => {
            if *crv != okp.crv {
                return Err(type_mismatch());
            }
            if *x == &okp.x[..] {
                Ok(())
            } else {
                Err(JwkProblem::CertificateKeyDiffers { members: "crv/x" })
            }
        }
        _ => Err(type_mismatch()),
    }
}

#!/bin/sh
# Makes the self-signed certificates that rcgen cannot: Ed448, secp256k1 and a P-256 key whose
# certificate carries a compressed point. For each NAME it writes NAME.pem (the certificate)
# and NAME.jwk.json (the JWK members of the same key, computed from the key, not the
# certificate). Run from this directory with OpenSSL 3 and python3; the keys are discarded.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# jwk NAME KTY CRV POINT_LEN: JWK members from the SPKI DER of $tmp/NAME.pub.der
jwk() {
    python3 - "$tmp/$1.pub.der" "$2" "$3" "$4" > "$1.jwk.json" <<'PY'
import base64, json, sys
der = open(sys.argv[1], "rb").read()
kty, crv, n = sys.argv[2], sys.argv[3], int(sys.argv[4])
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
if kty == "OKP":
    out = {"kty": kty, "crv": crv, "x": b64(der[-n:])}
else:
    pt = der[-(2 * n + 1):]
    assert pt[0] == 4
    out = {"kty": kty, "crv": crv, "x": b64(pt[1:n + 1]), "y": b64(pt[n + 1:])}
print(json.dumps(out))
PY
}

openssl genpkey -algorithm ed448 -out "$tmp/ed448.key"
openssl req -x509 -new -key "$tmp/ed448.key" -subj /CN=ed448 -days 36500 -out ed448.pem
openssl pkey -in "$tmp/ed448.key" -pubout -outform DER -out "$tmp/ed448.pub.der"
jwk ed448 OKP Ed448 57

openssl ecparam -name secp256k1 -genkey -noout -out "$tmp/secp256k1.key"
openssl req -x509 -new -key "$tmp/secp256k1.key" -subj /CN=secp256k1 -days 36500 -out secp256k1.pem
openssl ec -in "$tmp/secp256k1.key" -pubout -outform DER -out "$tmp/secp256k1.pub.der"
jwk secp256k1 EC secp256k1 32

openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/p256.key"
openssl ec -in "$tmp/p256.key" -conv_form compressed -out "$tmp/p256c.key"
openssl req -x509 -new -key "$tmp/p256c.key" -subj /CN=compressed -days 36500 -out p256-compressed.pem
openssl ec -in "$tmp/p256.key" -pubout -conv_form uncompressed -outform DER -out "$tmp/p256-compressed.pub.der"
jwk p256-compressed EC P-256 32

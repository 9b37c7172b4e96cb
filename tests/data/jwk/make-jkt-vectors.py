#!/usr/bin/env python3
"""Writes jkt-vectors.json: fresh keys of every kty/crv the crate reads, each as a private JWK
(with kid, alg and use added) and its RFC 7638 SHA-256 thumbprint computed by jwcrypto
(`JWK.thumbprint()`), an implementation independent of the crate's.
Run: pip install jwcrypto==1.6.1 && python3 make-jkt-vectors.py > jkt-vectors.json"""
import json
from jwcrypto import jwk

specs = [("EC", {"crv": c}) for c in ("P-256", "P-384", "P-521", "secp256k1")]
specs += [("OKP", {"crv": c}) for c in ("Ed25519", "Ed448", "X25519", "X448")]
specs += [("RSA", {"size": 2048})]
out = []
for n, (kty, params) in enumerate(specs):
    key = jwk.JWK.generate(kty=kty, **params)
    private = json.loads(key.export_private())
    private.update({"kid": f"key-{n}", "use": "sig"})
    out.append({"jwk": private, "jkt": key.thumbprint()})
print(json.dumps(out, indent=1))

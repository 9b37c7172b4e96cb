// openid-client 6 as an RFC 8705 client of the crate's example authorization server. Started
// by tests/oidc_provider.rs.
//
//   node openid_client_cc.mjs --issuer URL --ca FILE --cert FILE --key FILE --client-id ID
//
// Discovers the AS (RFC 8414, `/.well-known/oauth-authorization-server`), asks for a token
// with client_credentials and mutual-TLS client authentication (`TlsClientAuth`, which sends
// `client_id` and relies on the TLS layer) at the `mtls_endpoint_aliases` token endpoint
// (`use_mtls_endpoint_aliases`), introspects it the same way, and prints one JSON object:
// the URLs it called, the token, its `cnf`, the introspection response, and Node's own
// SHA-256 of the certificate it presented (base64url of the DER), for the test to compare.
//
// openid-client sends its requests through `fetch`; the client certificate goes on the TLS
// connection, so its `customFetch` is undici's fetch with an Agent holding the certificate and
// key (and trusting only the test CA).

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

import * as client from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';

import { requiredArgs } from './args.mjs';

const opts = requiredArgs(['issuer', 'ca', 'cert', 'key', 'client-id']);
const certPem = fs.readFileSync(opts.cert, 'utf8');
const agent = new Agent({
  connect: {
    ca: fs.readFileSync(opts.ca, 'utf8'),
    cert: certPem,
    key: fs.readFileSync(opts.key, 'utf8'),
  },
  headersTimeout: 10_000,
  bodyTimeout: 10_000,
});

const called = [];
const fetchWithCertificate = (url, options) => {
  called.push(`${options?.method ?? 'GET'} ${url}`);
  return undiciFetch(url, { ...options, dispatcher: agent });
};

const config = await client.discovery(
  new URL(opts.issuer),
  opts['client-id'],
  { use_mtls_endpoint_aliases: true },
  client.TlsClientAuth(),
  { algorithm: 'oauth2', timeout: 10, [client.customFetch]: fetchWithCertificate },
);
const tokens = await client.clientCredentialsGrant(config, {});
const introspection = await client.tokenIntrospection(config, tokens.access_token);

const payload = tokens.access_token.split('.')[1];
const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
const nodeThumbprint = crypto
  .createHash('sha256')
  .update(new crypto.X509Certificate(certPem).raw)
  .digest('base64url');

console.log(JSON.stringify({
  called,
  metadata_mtls_endpoint_aliases: config.serverMetadata().mtls_endpoint_aliases ?? null,
  access_token: tokens.access_token,
  token_type: tokens.token_type,
  cnf: claims.cnf ?? null,
  introspection,
  node_x5t_s256: nodeThumbprint,
}));
await agent.close();

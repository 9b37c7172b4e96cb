// oidc-provider (a certified OpenID provider) as an RFC 8705 authorization server, behind
// Node's own https servers on 127.0.0.1. Started by tests/oidc_provider.rs.
//
//   node oidc_provider_as.mjs --dir DIR --public-port N --mtls-port M --time-limit SECONDS
//
// DIR holds ca.crt, server.crt, server.key and self-signed-client.crt (PEM), as
// examples/support/pki.rs writes them.
// Two listeners, as RFC 8705 section 5 suggests: the public one asks for no client certificate
// (the issuer and the conventional endpoints); the mutual-TLS one asks for a certificate and
// accepts any (`rejectUnauthorized: false`): which certificate is acceptable is the client
// authentication method's decision, per client. Its URLs are published as
// `mtls_endpoint_aliases`. Prints `ready` when both listen; exits at the time limit or when
// its standard input closes (the test that started it has gone).

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';

import Provider, { errors } from 'oidc-provider';

import { requiredArgs } from './args.mjs';

const opts = requiredArgs(['dir', 'public-port', 'mtls-port', 'time-limit']);
const read = (name) => fs.readFileSync(path.join(opts.dir, name), 'utf8');
const host = '127.0.0.1';
const issuer = `https://${host}:${opts['public-port']}`;
const mtlsBase = `https://${host}:${opts['mtls-port']}`;

// The only resource indicator this AS knows; its tokens are JWTs (RFC 9068). A token
// requested without `resource` is opaque (oidc-provider's default format).
const RESOURCE = 'https://rs.example/api';

// The self-signed client registers its certificate in its JWK Set (`x5c`), RFC 8705
// section 2.2.
const selfSigned = new crypto.X509Certificate(read('self-signed-client.crt'));
const selfSignedJwk = {
  ...selfSigned.publicKey.export({ format: 'jwk' }),
  x5c: [selfSigned.raw.toString('base64')],
};

// The token signing key: a fresh P-256 key per run.
const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'op-1' };

// RFC 4514 text of a subject as Node renders it (one RDN a line, in DER order): the last RDN
// first, joined by commas. Enough for the simple names of this test (no escaping needed).
const rfc4514 = (subject) => subject.split('\n').reverse().join(',');

const configuration = {
  clients: [
    {
      client_id: 'dn-client',
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: 'O=Example Corp,CN=dn-client',
      tls_client_certificate_bound_access_tokens: true,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: 'self-signed-client',
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      jwks: { keys: [selfSignedJwk] },
      tls_client_certificate_bound_access_tokens: true,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  jwks: { keys: [signingJwk] },
  // Only the RFC 8705 methods (oidc-provider's default list has none of them).
  clientAuthMethods: ['tls_client_auth', 'self_signed_tls_client_auth'],
  clientDefaults: { id_token_signed_response_alg: 'ES256' },
  discovery: {
    // RFC 8705 section 5; oidc-provider publishes what its deployment configures here.
    mtls_endpoint_aliases: {
      token_endpoint: `${mtlsBase}/token`,
      introspection_endpoint: `${mtlsBase}/token/introspection`,
    },
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      // A client may introspect only the tokens issued to it.
      allowedPolicy: async (ctx, client, token) => token.clientId === client.clientId,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, client, oneOf) => oneOf,
      useGrantedResource: async () => false,
      getResourceServerInfo: async (ctx, resourceIndicator) => {
        if (resourceIndicator !== RESOURCE) throw new errors.InvalidTarget();
        return {
          scope: 'api',
          audience: RESOURCE,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
    mTLS: {
      enabled: true,
      certificateBoundAccessTokens: true,
      tlsClientAuth: true,
      selfSignedTlsClientAuth: true,
      // The certificate the client presented on this TLS connection (oidc-provider 9 takes an
      // X509Certificate or a PEM string); none on the public listener.
      getCertificate(ctx) {
        return ctx.socket.getPeerX509Certificate?.() ?? undefined;
      },
      // tls_client_auth: Node validated the chain to ca.crt (`authorized`), for a client
      // certificate (the test CA issues only client certificates to clients).
      certificateAuthorized(ctx) {
        return ctx.socket.authorized === true;
      },
      certificateSubjectMatches(ctx, property, expected) {
        const cert = ctx.socket.getPeerX509Certificate();
        switch (property) {
          case 'tls_client_auth_subject_dn': {
            const presented = rfc4514(cert.subject);
            if (presented !== expected) console.error(`[oidc-provider] subject ${presented} is not ${expected}`);
            return presented === expected;
          }
          default:
            throw new Error(`${property} is not configured in this test`);
        }
      },
    },
  },
};

const provider = new Provider(issuer, configuration);
// The reasons a client is not told (oidc-provider keeps them in `error_detail`), for the test's
// failure messages.
const log = (event) => (ctx, err) => console.error(`[oidc-provider] ${event}: ${err.message}`, err.error_detail ?? '');
for (const event of ['server_error', 'grant.error', 'introspection.error']) provider.on(event, log(event));

const tls = { key: read('server.key'), cert: read('server.crt') };
const servers = [
  https.createServer(tls, provider.callback()),
  https.createServer(
    { ...tls, ca: read('ca.crt'), requestCert: true, rejectUnauthorized: false },
    provider.callback(),
  ),
];
const ports = [Number(opts['public-port']), Number(opts['mtls-port'])];

let listening = 0;
servers.forEach((server, i) => {
  server.on('error', (err) => {
    console.error(`[oidc-provider] listener ${host}:${ports[i]}: ${err.message}`);
    process.exit(2);
  });
  server.listen(ports[i], host, () => {
    listening += 1;
    if (listening === servers.length) console.log('ready');
  });
});

setTimeout(() => {
  console.error(`[oidc-provider] time limit of ${opts['time-limit']} s reached`);
  process.exit(3);
}, Number(opts['time-limit']) * 1000);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();

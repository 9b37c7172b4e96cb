//! `inspect`: debug certificates, tokens and registrations against RFC 8705.
//!
//! ```text
//! cargo run --example inspect -- <command> [args]
//!
//!   thumbprint <cert>                       the certificate's x5t#S256
//!   cnf <cert>                              {"x5t#S256":"…"} for that certificate
//!   subject <cert>                          the subject as an RFC 4514 string
//!   sans <cert>                             one SAN a line: dns:… uri:… ip:… email:… other:<kind>
//!   match <cert> --subject-dn S | --san-dns S | --san-uri S | --san-ip S | --san-email S
//!   match <cert> --client metadata.json     does it authenticate this RFC 7591 client?
//!   match … --legacy-dn                     read the registered DN as RFC 1779/2253 (Java)
//!   match … --trust-anchor CA.pem [--trust-anchor …] [--chain INTERMEDIATES.pem] [--at RFC3339]
//!                                           … and the chain validates for client authentication
//!                                           to one of these anchors at that time (default now);
//!                                           a client's registered anchors replace them
//!   match … --crl CRL [--crl …]             … and no certificate below the anchor is revoked:
//!                                           each needs an unexpired CRL from its issuer (DER
//!                                           or PEM X509 CRL); a file with no CRL is exit 2
//!   verify [<cert>] --claims claims.json [--dpop-jkt JKT]
//!                                           is the token (JWT claims, a compact JWS whose
//!                                           signature is not checked, or introspection) bound
//!                                           to what was presented, every method in cnf proven?
//!                                           (an inactive introspection response: no)
//!   jwk <cert>                              the JWK Set registering it for
//!                                           self_signed_tls_client_auth (the client's jwks)
//!   jkt jwk.json                            the RFC 7638 thumbprint of a public JWK
//!   help, --help, -h                        this usage (exit 0)
//!   endpoint as-metadata.json NAME [--mtls] the URL a client uses for that endpoint
//!
//! <cert> is a path or '-' (stdin): PEM (first CERTIFICATE block) or DER.
//! --from client-cert|xfcc|xfcc-json|escaped-pem|alb|bare-der|traefik|apache|cloudfront|azure
//! reads <cert> as a proxy header value instead; the hash-only --from xfcc-hash|fingerprint
//! give only the certificate's thumbprint (thumbprint, cnf, verify).
//!
//! Exit status: 0 yes; 1 no (reason on stderr); 2 bad input or usage.
//! ```

mod input;
mod jws;
mod names;
mod self_signed;
mod time;
mod token;

use std::process::ExitCode;

/// What a command concluded.
pub enum Outcome {
    /// The answer is yes: print this on stdout, exit 0.
    Yes(String),
    /// The answer is no: print this reason on stderr, exit 1.
    No(String),
}

/// Bad input or usage: print on stderr, exit 2.
pub struct BadInput(pub String);

impl BadInput {
    /// Wraps any displayable error.
    pub fn new(msg: impl std::fmt::Display) -> Self {
        Self(msg.to_string())
    }
}

/// The result of every command.
pub type CmdResult = Result<Outcome, BadInput>;

const USAGE: &str = "usage: inspect [--from FORMAT] <command> ...
  thumbprint <cert>
  cnf <cert>
  subject <cert>
  sans <cert>
  match <cert> (--subject-dn S | --san-dns S | --san-uri S | --san-ip S | --san-email S | --client metadata.json)
        [--trust-anchor CA.pem ...] [--chain INTERMEDIATES.pem] [--at RFC3339] [--crl CRL ...]
        [--legacy-dn: read the registered DN with the RFC 1779/2253 grammar: quotes, OID., ';']
  verify [<cert>] --claims FILE [--dpop-jkt JKT]
        FILE: JWT claims, an introspection response, or a compact JWS (signature not checked)
  jwk <cert>   (the JWK Set registering it for self_signed_tls_client_auth)
  jkt jwk.json
  endpoint as-metadata.json NAME [--mtls]
  help | --help | -h
<cert> is a file path or '-' for stdin (PEM or DER)
--from client-cert|xfcc|xfcc-json|escaped-pem|alb|bare-der|traefik|apache|cloudfront|azure
       reads <cert> as a proxy header value; the hash-only xfcc-hash|fingerprint give only
       the thumbprint (for thumbprint, cnf and verify)
match --client without --trust-anchor compares names only; pass --trust-anchor to validate the chain
exit status: 0 yes; 1 no (reason on stderr); 2 bad input or usage";

/// Reads a whole file, or stdin for `-`, with a size limit.
pub fn read_input(path: &str, limit: u64) -> Result<Vec<u8>, BadInput> {
    use std::io::Read;
    let mut buf = Vec::new();
    let res = if path == "-" {
        std::io::stdin().take(limit + 1).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut buf))
    };
    res.map_err(|e| BadInput(format!("cannot read {path}: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(BadInput(format!("{path} is larger than {limit} bytes")));
    }
    Ok(buf)
}

/// The size limit for JSON files (metadata, claims).
pub const JSON_LIMIT: u64 = 1024 * 1024;

fn usage(msg: &str) -> CmdResult {
    Err(BadInput(format!("{msg}\n{USAGE}")))
}

fn run(args: Vec<String>) -> CmdResult {
    // `inspect help`, or `--help`/`-h` anywhere: the usage is the answer.
    if args.first().map(String::as_str) == Some("help")
        || args.iter().any(|a| a == "--help" || a == "-h")
    {
        return Ok(Outcome::Yes(USAGE.into()));
    }
    let mut from: Option<String> = None;
    let mut legacy_dn = false;
    let mut rest = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        if a == "--from" {
            match it.next() {
                Some(f) => from = Some(f),
                None => return usage("--from needs a format"),
            }
        } else if let Some(f) = a.strip_prefix("--from=") {
            from = Some(f.to_string());
        } else if a == "--legacy-dn" {
            legacy_dn = true;
        } else {
            rest.push(a);
        }
    }
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    let cert = |path: &str| input::read_cert(path, from.as_deref());
    let presented = |path: &str| input::read_presented(path, from.as_deref());
    if legacy_dn && rest.first() != Some(&"match") {
        return usage("--legacy-dn applies to match");
    }
    match rest.as_slice() {
        ["thumbprint", c] => token::thumbprint(&presented(c)?),
        ["cnf", c] => token::cnf(&presented(c)?),
        ["subject", c] => names::subject(&cert(c)?),
        ["sans", c] => names::sans(&cert(c)?),
        ["match", c, options @ ..] => names::match_command(&cert(c)?, options, legacy_dn),
        ["verify", args @ ..] => {
            let (mut cert_path, mut claims, mut dpop_jkt) = (None, None, None);
            let mut it = args.iter();
            while let Some(a) = it.next() {
                match *a {
                    "--claims" if claims.is_none() => claims = it.next().copied(),
                    "--dpop-jkt" if dpop_jkt.is_none() => match it.next() {
                        Some(j) => dpop_jkt = Some(*j),
                        None => return usage("--dpop-jkt needs a value"),
                    },
                    flag if flag.starts_with("--") => {
                        return usage(&format!("verify: unknown or repeated option {flag:?}"));
                    }
                    c if cert_path.is_none() => cert_path = Some(c),
                    _ => return usage("verify takes one certificate"),
                }
            }
            let Some(claims) = claims else {
                return usage("verify needs --claims FILE");
            };
            let presented = cert_path.map(presented).transpose()?;
            token::verify(presented.as_ref(), claims, dpop_jkt)
        }
        ["jwk", c] => self_signed::jwk(&cert(c)?),
        ["jkt", path] => token::jkt(path),
        ["endpoint", path, name] => token::endpoint(path, name, false),
        ["endpoint", path, name, "--mtls"] | ["endpoint", path, "--mtls", name] => {
            token::endpoint(path, name, true)
        }
        [] => usage("no command given"),
        [cmd, ..] => usage(&format!("unknown command or wrong arguments for {cmd:?}")),
    }
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(Outcome::Yes(out)) => {
            println!("{out}");
            ExitCode::from(0)
        }
        Ok(Outcome::No(reason)) => {
            eprintln!("no: {reason}");
            ExitCode::from(1)
        }
        Err(BadInput(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod encode;
pub mod envoy;
pub mod openssl;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What a run of the `inspect` example printed, and its exit status.
#[derive(Debug)]
pub struct Run {
    /// The arguments `inspect` ran with, so that a failed assertion names the run.
    pub args: Vec<String>,
    /// Exit status code (0 yes, 1 no, 2 bad input).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Asserts that `inspect` exited with `code` and that its standard error says `why`.
    pub fn assert_exit(&self, code: i32, why: &str) {
        assert_eq!(self.code, code, "{self:?}");
        assert!(self.stderr.contains(why), "{why:?} not said by {self:?}");
    }
}

/// Path of the `inspect` example binary that `cargo test` built beside the test binaries.
pub fn inspect_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    // target/<profile>/deps/<test>-<hash>  ->  target/<profile>/examples/inspect
    let profile_dir = exe
        .parent()
        .and_then(|p| p.parent())
        .expect("target/<profile>");
    let bin = profile_dir
        .join("examples")
        .join(format!("inspect{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} not built; run the tests with `cargo test`",
        bin.display()
    );
    bin
}

/// Runs `inspect` with `args`, feeding `stdin`.
pub fn inspect(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(inspect_bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn inspect");
    child.stdin.take().expect("stdin").write_all(stdin).ok();
    let out = child.wait_with_output().expect("wait inspect");
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Path of a file under tests/data.
pub fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The one registered `tls_client_auth` subject of a registration with only `member`, matched
/// through the public path (`MtlsClientAuth`) against a leaf whose chain is taken as validated:
/// these tests are about the name rules, not the chain.
#[derive(Debug)]
pub struct Expected(rfc8705::MtlsClientAuth);

impl Expected {
    /// `{"token_endpoint_auth_method":"tls_client_auth", member: value}`.
    pub fn from_member(member: &str, value: &str) -> Result<Self, rfc8705::RegistrationError> {
        let metadata: rfc8705::ClientMetadata = serde_json::from_value(serde_json::json!({
            "token_endpoint_auth_method": "tls_client_auth",
            member: value,
        }))
        .expect("metadata");
        Ok(Self(
            rfc8705::MtlsClientAuth::from_metadata(&metadata)?.expect("tls_client_auth"),
        ))
    }

    /// Matches the leaf `der`; the error is the name rule's.
    pub fn authenticate_der(
        &self,
        der: &[u8],
    ) -> Result<rfc8705::Authenticated, rfc8705::client_auth::TlsClientAuthError> {
        let chain = rfc8705::client_auth::ValidatedChain::tls_stack_validated_this_chain(der);
        match self.0.authenticate(&chain, Default::default()) {
            Ok(ok) => Ok(ok),
            Err(rfc8705::ClientAuthError::TlsClientAuth(e)) => Err(e),
            Err(other) => panic!("not a name-rule outcome: {other}"),
        }
    }

    /// Matches a parsed leaf.
    pub fn authenticate(
        &self,
        cert: &rfc8705::ClientCertificate<'_>,
    ) -> Result<rfc8705::Authenticated, rfc8705::client_auth::TlsClientAuthError> {
        self.authenticate_der(cert.der())
    }
}

/// `self_signed_tls_client_auth` against `set`, through `MtlsClientAuth`.
pub fn self_signed_authenticate(
    cert: &rfc8705::ClientCertificate<'_>,
    set: &rfc8705::JwkSet,
    policy: rfc8705::RenewedCertificatePolicy,
) -> Result<rfc8705::Authenticated, rfc8705::client_auth::SelfSignedMismatch> {
    let auth = rfc8705::MtlsClientAuth::SelfSigned(set.clone());
    let leaf = [rustls::pki_types::CertificateDer::from(cert.der())];
    let chain = auth
        .validate_chain(Some(&leaf), None, rustls::pki_types::UnixTime::now(), &[])
        .expect("self-signed: nothing to validate");
    match auth.authenticate(&chain, policy) {
        Ok(ok) => Ok(ok),
        Err(rfc8705::ClientAuthError::SelfSigned(e)) => Err(e),
        Err(other) => panic!("not a self-signed outcome: {other}"),
    }
}

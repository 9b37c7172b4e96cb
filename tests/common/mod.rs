//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod encode;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What a run of the `inspect` example printed, and its exit status.
#[derive(Debug)]
pub struct Run {
    /// Exit status code (0 yes, 1 no, 2 bad input).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
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
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Path of a file under tests/data.
pub fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

//! `cargo run --example demo` succeeds: every step of the flow behaves as expected, and it
//! exits 0 after shutting the servers down.

use std::path::PathBuf;
use std::process::Command;

fn example_bin(name: &str) -> PathBuf {
    // target/<profile>/deps/<test>-<hash>  ->  target/<profile>/examples/<name>
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|p| p.parent()).unwrap();
    profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn the_demo_runs_every_step_and_exits_zero() {
    let bin = example_bin("demo");
    assert!(
        bin.exists(),
        "{} not built; run with `cargo test`",
        bin.display()
    );
    let out = Command::new(bin).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "demo failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert!(
        stdout.contains("Every step behaved as expected"),
        "{stdout}"
    );
    // The attack step printed the refusal.
    assert!(
        stdout.contains("HTTP 401  WWW-Authenticate: Bearer error=\"invalid_token\""),
        "{stdout}"
    );
    // The throwaway PKI is removed without --keep.
    let dir = stdout
        .lines()
        .find_map(|l| l.strip_prefix("1. Throwaway PKI in "))
        .and_then(|l| l.split(' ').next())
        .unwrap();
    assert!(!std::path::Path::new(dir).exists(), "{dir} left behind");
}

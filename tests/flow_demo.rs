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
    // The gRPC service answered the owner and refused the replay.
    assert!(
        stdout.contains("dn-client calls with its token: OK"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "replays it: Some(Unauthenticated)  www-authenticate: Bearer error=\"invalid_token\""
        ),
        "{stdout}"
    );
    // Proxy mode: the owner's forwarded certificate passes, another client's does not.
    assert!(
        stdout.contains("via the proxy, Client-Cert of the owner: HTTP 200"),
        "{stdout}"
    );
    assert!(
        stdout.contains("via the proxy, Client-Cert of the other client: HTTP 401"),
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

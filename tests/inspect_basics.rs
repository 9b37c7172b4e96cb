//! `inspect`: usage errors and the certificate reader.
mod common;
use common::{data, inspect};

#[test]
fn thumbprint_of_the_rfc8705_certificate() {
    let run = inspect(&["thumbprint", &data("rfc8705-appendix-a.pem")], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.trim(),
        "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
    );
}

#[test]
fn reads_stdin() {
    let pem = std::fs::read(data("rfc9440-leaf.pem")).unwrap();
    let run = inspect(&["thumbprint", "-"], &pem);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.trim(),
        "v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes"
    );
}

#[test]
fn bad_usage_and_bad_input_exit_2() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["thumbprint"],
        &["thumbprint", "/nonexistent/file"],
    ] {
        let run = inspect(args, b"");
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.starts_with("error: "), "{run:?}");
    }
    let run = inspect(&["thumbprint", "-"], b"not a certificate");
    run.assert_exit(2, "no PEM block");
    let run = inspect(&["thumbprint", "-"], &[0x30, 0x03, 0x02, 0x01]);
    run.assert_exit(2, "truncated");
}

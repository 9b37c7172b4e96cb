//! The resource server's hot path allocates nothing.
//!
//! A counting global allocator wraps the system allocator and counts, per thread, every
//! allocation and reallocation. Each test measures its own thread only, so test threads
//! running in parallel (and the harness) cannot disturb a count. To add a path, write a test
//! that prepares its inputs first and then calls `assert_allocates_nothing("what", || ...)`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::hint::black_box;

const ENCODED_LEN: usize = Thumbprint::ENCODED_LEN;
use rfc8705::{ClientCertificate, Thumbprint};

/// The system allocator, counting the allocations made by the current thread.
struct Counting;

thread_local! {
    // `const` initialisation: no lazy set-up, and so no allocation, when first touched.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: during thread teardown the slot may be gone; such allocations are not ours.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the only addition is a thread-local counter, which neither
// allocates nor unwinds.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: as above; `ptr` and `layout` come from this allocator, that is from `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The number of allocations `f` made on this thread.
fn allocations_in<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    let after = ALLOCATIONS.with(Cell::get);
    (out, after - before)
}

/// Runs `f` a few times (the first call may differ: lazy CPU feature detection, for one) and
/// fails if any run allocated.
fn assert_allocates_nothing<R>(what: &str, mut f: impl FnMut() -> R) {
    for run in 0..3 {
        let (out, n) = allocations_in(&mut f);
        black_box(out);
        assert_eq!(n, 0, "{what} allocated {n} time(s) on run {run}");
    }
}

fn appendix_a() -> Vec<u8> {
    rfc8705::__doc_support::rfc8705_appendix_a_der()
}

/// A `fmt::Write` into a fixed buffer, so `Display` can be measured without a `String`.
struct StackBuf {
    buf: [u8; 64],
    len: usize,
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.buf
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[test]
fn the_counter_sees_allocations() {
    // Without this the tests below could pass with a counter that never counts.
    let (_, n) = allocations_in(|| black_box(Vec::<u8>::with_capacity(16)));
    assert_eq!(n, 1);
    let der = appendix_a();
    let (_, n) = allocations_in(|| black_box(ClientCertificate::from_der(&der).unwrap()));
    assert!(
        n > 0,
        "parsing a certificate allocates (x509-cert owns its fields)"
    );
    let t = Thumbprint::from_der(&der).unwrap();
    let (_, n) = allocations_in(|| black_box(t.to_string()));
    assert!(n > 0, "to_string allocates a String");
}

#[test]
fn thumbprint_from_der_allocates_nothing() {
    let der = appendix_a();
    assert_allocates_nothing("Thumbprint::from_der", || {
        Thumbprint::from_der(black_box(&der)).unwrap()
    });
    // Rejections too: an error must not cost an allocation either.
    let truncated = &der[..der.len() - 1];
    assert_allocates_nothing("Thumbprint::from_der on truncated DER", || {
        Thumbprint::from_der(black_box(truncated)).unwrap_err()
    });
}

#[test]
fn matches_der_allocates_nothing() {
    let der = appendix_a();
    let t = Thumbprint::from_der(&der).unwrap();
    let other = Thumbprint::from_bytes([7; 32]);
    assert_allocates_nothing("Thumbprint::from_der (match)", || {
        assert_eq!(Thumbprint::from_der(black_box(&der)), Ok(t));
    });
    assert_allocates_nothing("Thumbprint::from_der (mismatch)", || {
        assert_ne!(Thumbprint::from_der(black_box(&der)), Ok(other));
    });
    let cert = ClientCertificate::from_der(&der).unwrap();
    assert_allocates_nothing("ClientCertificate::thumbprint", || {
        assert_eq!(cert.thumbprint(), t);
    });
}

#[test]
fn formatting_into_a_buffer_allocates_nothing() {
    let t = Thumbprint::from_der(&appendix_a()).unwrap();
    assert_allocates_nothing("Display into a fmt::Write buffer", || {
        let mut out = StackBuf {
            buf: [0; 64],
            len: 0,
        };
        write!(out, "{t}").unwrap();
        assert_eq!(out.len, ENCODED_LEN);
    });
}

#[test]
fn parsing_a_thumbprint_allocates_nothing() {
    let good = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";
    assert_allocates_nothing("str::parse::<Thumbprint> (valid)", || {
        black_box(good).parse::<Thumbprint>().unwrap()
    });
    // The error classifier runs only on failure; it must not allocate either.
    for bad in [
        "0380ed2f626650c840b2f263e6d2b29fae12ab39ae5db32b25ad27efad72e6fd",
        "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0=",
        "6H31tD6/m4nKKyu/MaTnrVpA1ATPuy/MGkA8JlEoWtw",
        "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2",
    ] {
        assert_allocates_nothing("str::parse::<Thumbprint> (invalid)", || {
            black_box(bad).parse::<Thumbprint>().unwrap_err()
        });
    }
}

/// An introspection response bound to the Appendix A certificate, with members of every JSON
/// type around `cnf` (the raw-claims reader skips them without storing them).
const BOUND_CLAIMS: &[u8] = br#"{"active":true,"iss":"https://server.example.com","aud":["a","b"],
    "nested":{"x":[1,2.5,null,{"y":"z"}]},"scope":"read write",
    "cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I","x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"},
    "exp":1493726400}"#;

#[test]
fn check_binding_allocates_nothing() {
    use rfc8705::cnf::{Binding, BindingPolicy, Claims, Confirmation, check_binding};
    let der = Thumbprint::from_der(&appendix_a()).unwrap();
    let key: Thumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
        .parse()
        .unwrap();
    assert_allocates_nothing("check_binding (bound by both)", || {
        let out = check_binding(
            BindingPolicy::Required,
            Claims::Json(black_box(BOUND_CLAIMS)),
            Some(&der),
            Some(&key),
        );
        assert!(
            matches!(
                out,
                Ok(Binding::Bound {
                    certificate: Some(_),
                    dpop_jkt: Some(_)
                })
            ),
            "{out:?}"
        );
    });
    // Rejections allocate nothing either, nor does a document with an exponent. Only a syntax
    // error costs one allocation: serde_json boxes its error, whose line and column
    // `ClaimsError::Malformed` reports.
    for claims in [
        &br#"{"cnf":{"x5t#S256":7}}"#[..],
        br#"{"cnf":"not an object"}"#,
        br#"{"cnf":{},"cnf":{}}"#,
        br#"{"cnf":{"jwk":{"kty":"EC"}}}"#,
        br#"{"cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I="}}"#,
        br#"{"exp":1.5e9,"cnf":{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}}"#,
        br#"{"cnf":{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}}"#,
    ] {
        for (cert, proof) in [(Some(&der), None), (None, Some(&key)), (None, None)] {
            assert_allocates_nothing("check_binding (other shapes)", || {
                check_binding(
                    BindingPolicy::Required,
                    Claims::Json(black_box(claims)),
                    cert,
                    proof,
                )
            });
        }
    }
    // Nor does checking a `cnf` the caller deserialized.
    let cnf: Confirmation = serde_json::from_str(
        r#"{"x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0","jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}"#,
    )
    .unwrap();
    assert_allocates_nothing("check_binding (a deserialized cnf)", || {
        let out = check_binding(
            BindingPolicy::Required,
            Claims::Cnf(Some(black_box(&cnf))),
            Some(&der),
            Some(&key),
        );
        assert!(matches!(out, Ok(Binding::Bound { .. })), "{out:?}");
    });
    // The failures' challenges render into a buffer without allocating.
    let err = check_binding(
        BindingPolicy::Required,
        Claims::Json(BOUND_CLAIMS),
        Some(&der),
        None,
    )
    .unwrap_err();
    assert_allocates_nothing("ResourceError::challenge", || {
        let mut out = StackBuf {
            buf: [0; 64],
            len: 0,
        };
        let _ = write!(out, "{}", err.challenge().algs("ES256"));
    });
}

#[test]
fn matching_a_non_ascii_dn_allocates_nothing() {
    use rcgen::{CertificateParams, DnType, KeyPair};
    use rfc8705::dn::DistinguishedName;

    // UTF8String values that differ from the registered ones in case, `ß`/`ss` and
    // composition: only full RFC 4518 preparation (fold, NFKC) makes them equal.
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "École Straße");
    params
        .distinguished_name
        .push(DnType::CommonName, "Grüße Σίσυφος");
    let key = KeyPair::generate().unwrap();
    let der = params.self_signed(&key).unwrap().der().to_vec();
    let name_cert = ClientCertificate::from_der(&der).unwrap();
    let name = name_cert.subject();
    let registered: DistinguishedName =
        "CN=GRU\u{308}SSE ΣΊΣΥΦΟΣ, O=école strasse".parse().unwrap();
    let other: DistinguishedName = "CN=GRÜSSE ΣΊΣΥΦΟΣ, O=école strase".parse().unwrap();
    assert!(registered.matches(&name));
    assert!(!other.matches(&name));
    assert_allocates_nothing("a non-ASCII DN match", || registered.matches(&name));
    assert_allocates_nothing("a non-ASCII DN mismatch", || other.matches(&name));
}

#[test]
fn matching_an_ascii_dn_allocates_nothing() {
    use rcgen::{CertificateParams, DnType, KeyPair};
    use rfc8705::dn::DistinguishedName;

    let key = KeyPair::generate().unwrap();
    let der_of = |cn: &str| {
        let mut params = CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::OrganizationName, "Example");
        params.distinguished_name.push(DnType::CommonName, cn);
        params.self_signed(&key).unwrap().der().to_vec()
    };
    let registered: DistinguishedName = "cn=ADMIN, o=example".parse().unwrap();
    let spaced = der_of("  admin ");
    let nul = der_of("ad\0min");
    let zwsp = der_of("ad\u{200B}min");
    let spaced_cert = ClientCertificate::from_der(&spaced).unwrap();
    let spaced = spaced_cert.subject();
    let nul_cert = ClientCertificate::from_der(&nul).unwrap();
    let nul = nul_cert.subject();
    let zwsp_cert = ClientCertificate::from_der(&zwsp).unwrap();
    let zwsp = zwsp_cert.subject();
    assert!(registered.matches(&spaced));
    assert!(!registered.matches(&nul));
    assert!(!registered.matches(&zwsp));
    assert_allocates_nothing("an ASCII DN match", || registered.matches(&spaced));
    assert_allocates_nothing("an ASCII DN with a NUL", || registered.matches(&nul));
    assert_allocates_nothing("a DN with a ZERO WIDTH SPACE", || registered.matches(&zwsp));
}

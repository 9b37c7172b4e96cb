//! The resource server's hot path does not allocate: verifying a parsed `cnf` against DER, and
//! the whole check on raw claims JSON (no escapes).
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use rfc8705::cnf::{Binding, BindingPolicy, Confirmation, check_binding, check_binding_in_claims};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts calls on the current thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_in<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (out, ALLOCATIONS.with(Cell::get) - before)
}

#[test]
fn counter_counts() {
    let (_, n) = allocations_in(|| vec![1u8; 10]);
    assert_eq!(n, 1);
}

#[test]
fn verifying_a_parsed_cnf_does_not_allocate() {
    let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    let cnf: Confirmation = serde_json::from_str(
        r#"{"jkt":"x","x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"}"#,
    )
    .unwrap();
    let (ok, n) = allocations_in(|| cnf.verify_der(&der));
    assert!(ok.is_ok());
    assert_eq!(n, 0);
    let (out, n) =
        allocations_in(|| check_binding(BindingPolicy::Required, Some(&cnf), Some(&der)));
    assert!(matches!(out, Ok(Binding::Bound(_))));
    assert_eq!(n, 0);
    let (out, n) = allocations_in(|| cnf.verify_der(b"other"));
    assert!(out.is_err());
    assert_eq!(n, 0);
}

#[test]
fn checking_raw_claims_does_not_allocate() {
    let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    let claims = br#"{"active":true,"iss":"https://server.example.com","aud":["a","b"],
        "nested":{"x":[1,2.5,null,{"y":"z"}]},"scope":"read write",
        "cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I","x5t#S256":"A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"},
        "exp":1493726400}"#;
    let (out, n) =
        allocations_in(|| check_binding_in_claims(BindingPolicy::Required, claims, Some(&der)));
    assert!(matches!(out, Ok(Binding::Bound(_))), "{out:?}");
    assert_eq!(n, 0);
    let (out, n) = allocations_in(|| {
        check_binding_in_claims(
            BindingPolicy::Required,
            br#"{"cnf":{"x5t#S256":7}}"#,
            Some(&der),
        )
    });
    assert!(out.is_err());
    assert_eq!(n, 0);
}

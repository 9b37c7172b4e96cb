//! The refusal: an HTTP 401 with the challenge, or its gRPC equivalent.

use http::header::{CONTENT_TYPE, HeaderValue, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderName, Response, StatusCode};

use crate::challenge::Challenge;

/// gRPC's `UNAUTHENTICATED`: "The request does not have valid authentication credentials for
/// the operation" (gRPC status codes, code 16).
const GRPC_UNAUTHENTICATED: &str = "16";

/// Whether the request is a gRPC call: gRPC over HTTP/2, "Content-Type →
/// "content-type" "application/grpc" [("+proto" / "+json" / {custom})]".
fn is_grpc(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/grpc"))
}

/// The answer to a request refused with `challenge`.
///
/// HTTP: the status of the challenge and `WWW-Authenticate` (RFC 6750 section 3).
///
/// gRPC: a client reads the outcome from `grpc-status`, not the HTTP status, so the answer
/// is gRPC's "Trailers-Only" response ("permitted for calls that produce an immediate error":
/// HTTP 200, the content type and the status in the headers), with `grpc-status: 16`
/// (UNAUTHENTICATED) and the challenge as `www-authenticate` metadata, where tonic and
/// grpc-go clients show it with the status.
pub(super) fn refusal<B: Default>(
    request_headers: &HeaderMap,
    challenge: &Challenge<'_>,
) -> Response<B> {
    if !is_grpc(request_headers) {
        return challenge.to_response();
    }
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/grpc"));
    headers.insert(
        HeaderName::from_static("grpc-status"),
        HeaderValue::from_static(GRPC_UNAUTHENTICATED),
    );
    headers.insert(
        HeaderName::from_static("grpc-message"),
        HeaderValue::from_static("invalid_token"),
    );
    headers.insert(WWW_AUTHENTICATE, challenge.header_value());
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cnf::ResourceError;

    #[test]
    fn http_and_grpc() {
        let challenge = ResourceError::CertificateMismatch.challenge();
        let plain: Response<()> = refusal(&HeaderMap::new(), &challenge);
        assert_eq!(plain.status(), 401);
        assert!(plain.headers().get("grpc-status").is_none());

        let mut grpc = HeaderMap::new();
        grpc.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/grpc+proto"),
        );
        let r: Response<()> = refusal(&grpc, &challenge);
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["grpc-status"], "16");
        assert_eq!(r.headers()[WWW_AUTHENTICATE], challenge.header_value());
    }
}

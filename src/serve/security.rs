//! The server's locks: the per-run token, the bind rule, and the checks every
//! request passes before a handler sees it.
//!
//! The token is the credential. The printed URL carries it once (`/?token=T`); the
//! server answers with a same-site, HTTP-only cookie, so later page loads need no
//! token in the URL. Every state-changing request must also carry it in the
//! `X-Iopsched-Token` header (a cookie alone is sent on cross-site requests by old
//! browsers; a header is not), and come from the same origin. On a loopback bind
//! the `Host` header must name loopback, so a DNS-rebinding page cannot read ours.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::io::Read;
use std::net::IpAddr;
use std::sync::Arc;

/// The header every POST must carry, equal to the run's token.
pub const TOKEN_HEADER: &str = "x-iopsched-token";
/// The cookie that carries the token after the first visit.
pub const TOKEN_COOKIE: &str = "iopsched_token";
/// Largest request body accepted (413 beyond).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Why the server refuses to start on the given address.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    #[error("--bind {0} is not a loopback address, so anyone on the network could reach the program's data; give --token with a secret of at least 16 characters (expected e.g. --bind 0.0.0.0 --token \"$(openssl rand -hex 16)\")")]
    NeedsToken(IpAddr),
    #[error(
        "--token is {0} characters long (expected at least 16, e.g. from `openssl rand -hex 16`)"
    )]
    ShortToken(usize),
    #[error("cannot read /dev/urandom for a token ({0}); give one with --token")]
    NoRandom(std::io::Error),
}

/// The token to use: the given one (checked), or a fresh random one. A
/// non-loopback address needs a given token, so the operator knows the secret.
pub fn token_for(bind: IpAddr, given: Option<&str>) -> Result<String, BindError> {
    match given {
        Some(token) if token.chars().count() < 16 => {
            Err(BindError::ShortToken(token.chars().count()))
        }
        Some(token) => Ok(token.to_string()),
        None if !bind.is_loopback() => Err(BindError::NeedsToken(bind)),
        None => random_token().map_err(BindError::NoRandom),
    }
}

/// 128 random bits from the kernel, as 32 hex digits (never derived from the clock).
pub fn random_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// What the guard needs to know about the run.
#[derive(Clone, Debug)]
pub struct Guard {
    pub token: String,
    /// `Host` values accepted; empty = any (a non-loopback bind, where the token guards).
    pub hosts: Vec<String>,
}

impl Guard {
    pub fn new(token: String, bind: IpAddr, port: u16) -> Guard {
        let hosts = if bind.is_loopback() {
            ["127.0.0.1", "localhost", "[::1]"]
                .iter()
                .map(|h| format!("{h}:{port}"))
                .collect()
        } else {
            Vec::new()
        };
        Guard { token, hosts }
    }

    fn host_ok(&self, headers: &HeaderMap) -> bool {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        self.hosts.is_empty() || host.is_some_and(|h| self.hosts.iter().any(|a| a == h))
    }

    fn cookie_ok(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(name, value)| name == TOKEN_COOKIE && same(value, &self.token))
    }

    fn header_ok(&self, headers: &HeaderMap) -> bool {
        headers
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| same(v, &self.token))
    }

    /// Whether the request comes from a page of this server (not another site).
    fn same_origin(&self, headers: &HeaderMap) -> bool {
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        if fetch_site.is_some_and(|site| site != "same-origin") {
            return false;
        }
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        match (origin, host) {
            (None, _) => true,
            (Some(origin), Some(host)) => origin == format!("http://{host}"),
            (Some(_), None) => false,
        }
    }
}

/// Compares without stopping at the first difference, so the time taken does not
/// tell an attacker how much of a guessed token was right.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn forbidden(why: &'static str) -> Response {
    let body = axum::Json(serde_json::json!({ "error": "forbidden", "message": why }));
    (StatusCode::FORBIDDEN, body).into_response()
}

/// The middleware in front of every route.
pub async fn guard(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if !guard.host_ok(headers) {
        return forbidden("the Host header does not name this server");
    }
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    if !safe {
        if !guard.same_origin(headers) {
            return forbidden("cross-site request");
        }
        if !guard.header_ok(headers) {
            return forbidden("missing or wrong X-Iopsched-Token header");
        }
        return next.run(request).await;
    }
    if guard.cookie_ok(headers) || guard.header_ok(headers) {
        return next.run(request).await;
    }
    if let Some(response) = first_visit(&guard, &request) {
        return response;
    }
    forbidden("open the URL the server printed (it carries the token)")
}

/// `/?token=T` with the right token: set the cookie and go to the page without it.
fn first_visit(guard: &Guard, request: &Request) -> Option<Response> {
    let query = request.uri().query()?;
    let given = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "token")?
        .1;
    if !same(given, &guard.token) {
        return None;
    }
    let cookie = format!(
        "{TOKEN_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
        guard.token
    );
    let location = request.uri().path().to_string();
    let response = (
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, location)],
    );
    Some(response.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_loopback_bind_without_token_is_refused() {
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(matches!(
            token_for(any, None),
            Err(BindError::NeedsToken(_))
        ));
        let long = "0123456789abcdef0123";
        assert_eq!(token_for(any, Some(long)).unwrap(), long);
    }

    #[test]
    fn short_token_is_refused() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(matches!(
            token_for(lo, Some("abc")),
            Err(BindError::ShortToken(3))
        ));
    }

    #[test]
    fn loopback_gets_a_fresh_random_token_each_run() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        let (a, b) = (token_for(lo, None).unwrap(), token_for(lo, None).unwrap());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn token_comparison_needs_every_byte() {
        assert!(same("abcd", "abcd"));
        assert!(!same("abcd", "abce"));
        assert!(!same("abc", "abcd"));
    }
}

//! `iopsched serve`: the coordinator's desk, a local web app over the library.
//!
//! [`state`] holds the last good input, the current week and the one solve that may
//! run ([`job`]); [`api`] answers JSON under `/api/`, [`pages`] renders the HTML
//! pages from [`views`]; [`intake`] and [`files`] are the only writers of input
//! files; [`security`] guards every request (token, origin, host, body size).

mod api;
mod files;
mod intake;
mod job;
mod pages;
mod security;
mod state;
mod views;

#[cfg(test)]
mod tests;

pub use intake::{BusyBlock, NewClient};
pub use security::{token_for, BindError, Guard, BODY_LIMIT, TOKEN_COOKIE, TOKEN_HEADER};
pub use state::{App, ServeOptions};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::sync::Arc;

/// Every route, behind the guard and the body limit.
pub fn router(app: Arc<App>, guard: Guard) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
        .layer(middleware::from_fn_with_state(
            Arc::new(guard),
            security::guard,
        ))
        .layer(middleware::from_fn(headers_and_log))
}

/// Pages may load only this server's assets and may not be framed by others; the
/// log gets method, path (IDs at most) and status, never a body or a query.
async fn headers_and_log(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let mut response = next.run(request).await;
    let policy = if path == "/week/grid" {
        // roster.html is self-contained with inline styles; only our Week page frames it.
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    } else {
        "default-src 'self'; frame-src 'self'; frame-ancestors 'none'; form-action 'self'"
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    eprintln!(
        "serve: {method} {} {}",
        clip(&path),
        response.status().as_u16()
    );
    response
}

/// A path as logged: printable characters only, at most 80 of them.
fn clip(path: &str) -> String {
    path.chars().filter(|c| !c.is_control()).take(80).collect()
}

/// Serves until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

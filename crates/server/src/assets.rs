//! "Give me the web UI": the page, its script and stylesheet, embedded in the
//! binary. Only these fixed names are served, so no path reaches the file system.

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The single page; every UI route serves it and the script draws the view.
const INDEX: &str = include_str!("assets/index.html");

/// `(name under /assets/, content type, bytes)`.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/app.css"),
    ),
    (
        "world.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/world.js"),
    ),
];

/// Content-Security-Policy of the page: nothing from elsewhere.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The UI routes.
pub(crate) fn routes() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/event/{id}", get(index))
        .route("/entity/{id}", get(index))
        .route("/document/{id}", get(index))
        .route("/story/{id}", get(index))
        .route("/stories", get(index))
        .route("/assets/{name}", get(asset))
}

async fn index() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            ),
        ],
        INDEX,
    )
        .into_response()
}

async fn asset(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, bytes)) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
            *bytes,
        )
            .into_response(),
        None => crate::error(StatusCode::NOT_FOUND, "no such asset"),
    }
}

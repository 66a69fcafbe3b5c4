//! `eventline serve`: here is a store, answer questions about it over HTTP.
//!
//! A read-only JSON API under `/api/` (the contract is `spec/api.md`; the
//! routes beyond it are listed in [`api`]) and a small web UI at `/`, its
//! assets embedded in the binary. The store is read only through SQL over
//! read-only SQLite connections from a small pool ([`db`]); each request is
//! one read transaction. This crate never prints: the caller is told the
//! address once the server listens.

pub mod api;
mod assets;
pub mod db;
mod marks;
mod params;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Errors that stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store file does not exist.
    #[error("store {path} not found: create it with `eventline ingest --db {path} FILES...`")]
    Missing {
        /// The path given.
        path: PathBuf,
    },
    /// The store was written by a newer eventline.
    #[error(
        "store {path} has schema version {found}, newer than this build's {supported}: use a newer eventline"
    )]
    NewerSchema {
        /// The path given.
        path: PathBuf,
        /// Its `PRAGMA user_version`.
        found: u32,
        /// [`store::SCHEMA_VERSION`].
        supported: u32,
    },
    /// The store is at an older schema; serving is read-only, so it cannot upgrade it.
    #[error(
        "store {path} has schema version {found}, older than this build's {supported}: run `eventline stats --db {path}` once to upgrade it"
    )]
    OlderSchema {
        /// The path given.
        path: PathBuf,
        /// Its `PRAGMA user_version`.
        found: u32,
        /// [`store::SCHEMA_VERSION`].
        supported: u32,
    },
    /// The file is not an eventline store.
    #[error("{path} is not an eventline store (application id {found:#x})")]
    NotEventline {
        /// The path given.
        path: PathBuf,
        /// Its `PRAGMA application_id`.
        found: i32,
    },
    /// SQLite failed.
    #[error("{path}: {op}: {source}")]
    Sqlite {
        /// The store.
        path: PathBuf,
        /// What was being done.
        op: String,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The address cannot be bound or served.
    #[error("{addr}: {source}")]
    Io {
        /// The address given.
        addr: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The SQLite store (opened read-only).
    pub db: PathBuf,
    /// `HOST:PORT` to listen on; port 0 picks a free port.
    pub addr: String,
    /// Most SQLite connections open at once (and requests served at once).
    pub connections: usize,
}

impl ServeOptions {
    /// The default address: loopback only.
    pub const DEFAULT_ADDR: &'static str = "127.0.0.1:8080";

    /// Options for `db` at the default address with 8 connections.
    pub fn new(db: PathBuf) -> ServeOptions {
        ServeOptions {
            db,
            addr: Self::DEFAULT_ADDR.to_string(),
            connections: 8,
        }
    }
}

/// Checks the store, binds `opts.addr`, calls `on_listening` with the bound
/// address, and serves until Ctrl-C (SIGINT) or SIGTERM, then finishes the
/// requests in flight and returns. Blocks the calling thread.
pub fn serve(
    opts: &ServeOptions,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let pool = db::Pool::open(&opts.db, opts.connections.max(1))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| ServerError::Io {
            addr: opts.addr.clone(),
            source,
        })?;
    rt.block_on(async move {
        let io = |source| ServerError::Io {
            addr: opts.addr.clone(),
            source,
        };
        let listener = tokio::net::TcpListener::bind(&opts.addr)
            .await
            .map_err(io)?;
        let local = listener.local_addr().map_err(io)?;
        let app = router(Arc::new(pool), local.ip().is_loopback());
        let stop = shutdown_signal();
        on_listening(local);
        axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
            .map_err(io)
    })
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM. The handlers are installed when
/// this is called, before the future is first polled, so a signal that comes
/// right after the address is announced is not lost.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let int = signal(SignalKind::interrupt()).ok();
        let term = signal(SignalKind::terminate()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(int) => {},
                _ = wait(term) => {},
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The whole application: API, UI and the guards in front of them. When
/// `loopback` is set, requests must name a loopback host (against DNS rebinding).
pub fn router(pool: Arc<db::Pool>, loopback: bool) -> Router {
    Router::new()
        .merge(api::routes(pool))
        .merge(assets::routes())
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such path") })
        .layer(axum::middleware::from_fn(move |req, next| {
            guard(req, next, loopback)
        }))
}

/// Refuses methods other than GET and HEAD (405), foreign hosts on a loopback
/// server (403), over-long URLs (414); adds `nosniff` to every answer.
async fn guard(req: Request<Body>, next: Next, loopback: bool) -> Response {
    let mut resp = if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "read-only: only GET and HEAD are allowed",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        r
    } else if loopback && !loopback_host(&req) {
        error(
            StatusCode::FORBIDDEN,
            "this server answers only requests addressed to localhost",
        )
    } else if req.uri().to_string().len() > params::MAX_URI {
        error(StatusCode::URI_TOO_LONG, "URL too long")
    } else {
        next.run(req).await
    };
    resp.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// Whether the request's Host header (if any) names a loopback host.
fn loopback_host(req: &Request<Body>) -> bool {
    let Some(host) = req.headers().get(header::HOST) else {
        return true;
    };
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A JSON error answer: `{"error": message}`.
pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "error": message.into() });
    (status, json_body(&body)).into_response()
}

/// A JSON body with `application/json; charset=utf-8`.
pub(crate) fn json_body(v: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(v) {
        Ok(bytes) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )],
            bytes,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

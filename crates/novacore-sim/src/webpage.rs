//! A host that is not a Zap: every path answers a router-style HTML login page, as a home
//! router does at the address an installer mistyped. Discovery must not count it.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

/// The page (status 200, `text/html`), whatever the path or method.
pub const LOGIN_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Router login</title></head>\
<body><form action=\"/login\" method=\"post\"><h1>Welcome to your router</h1>\
<label>Username <input name=\"user\"></label><label>Password <input type=\"password\" name=\"pass\"></label>\
<button>Log in</button></form></body></html>\n";

async fn page() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        LOGIN_PAGE,
    )
        .into_response()
}

/// The router of a web-page host.
pub fn router() -> Router {
    Router::new().fallback(page)
}

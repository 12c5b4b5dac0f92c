//! `login` and `whoami`.

use serde::Serialize;

use crate::connection::Connection;
use crate::error::Result;
use crate::output::Output;

#[derive(Serialize)]
struct SessionInfo {
    env: String,
    base_url: String,
    identity_id: String,
    public_key: Option<String>,
    identity_source: Option<String>,
    token_expires_at: chrono::DateTime<chrono::Utc>,
}

fn info(conn: &Connection, session: novacore::Session) -> SessionInfo {
    SessionInfo {
        env: conn.env_name.clone(),
        base_url: conn.client.base_url().to_string(),
        identity_id: session.identity_id,
        public_key: conn.client.identity().map(|i| i.public_key_base64()),
        identity_source: conn.identity_source.clone(),
        token_expires_at: session.expires_at,
    }
}

fn print(out: Output, i: &SessionInfo) -> Result<()> {
    out.emit(i, || {
        format!(
            "environment:   {} ({})\nidentity id:   {}\npublic key:    {}\nidentity from: {}\ntoken expires: {}",
            i.env,
            i.base_url,
            i.identity_id,
            i.public_key.as_deref().unwrap_or("-"),
            i.identity_source.as_deref().unwrap_or("-"),
            i.token_expires_at.to_rfc3339()
        )
    })
}

/// `login`: a fresh challenge/verify, cached afterwards.
pub async fn login(conn: &Connection, out: Output) -> Result<()> {
    let session = conn.client.login().await?;
    print(out, &info(conn, session))
}

/// `whoami`: the cached session if still valid, else a login.
pub async fn whoami(conn: &Connection, out: Output) -> Result<()> {
    let session = conn.client.ensure_session().await?;
    print(out, &info(conn, session))
}

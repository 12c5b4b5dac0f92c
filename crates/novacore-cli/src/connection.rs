//! Which Novacore to talk to, as whom, and the token cached per environment.

use chrono::{DateTime, Utc};
use novacore::{Client, Secret, Session};
use serde::{Deserialize, Serialize};

use crate::error::{CliError, Result};
use crate::identity::{self, Resolved};
use crate::sandbox::RunningSandbox;
use crate::secrets::SecretStore;

/// A ready client plus what is needed to cache its session afterwards.
pub struct Connection {
    /// The SDK client.
    pub client: Client,
    /// Where the identity came from (for `whoami`).
    pub identity_source: Option<String>,
    /// The environment as named on the command line.
    pub env_name: String,
    /// Token-cache entry, `None` for the sandbox (its tokens die with it).
    cache_key: Option<String>,
    /// The token the client started with, to detect a refresh.
    initial_token: Option<Secret>,
    /// Keeps the in-process sandbox alive for the command's duration.
    _sandbox: Option<RunningSandbox>,
}

/// The cached token, bound to the identity it was issued to.
#[derive(Serialize, Deserialize)]
struct CachedSession {
    token: String,
    expires_at: DateTime<Utc>,
    identity_id: String,
    public_key: String,
}

/// Resolves `--env` to a base URL, starting the sandbox when asked.
async fn base_url(env: &str) -> Result<(String, Option<RunningSandbox>)> {
    match env.to_ascii_lowercase().as_str() {
        "sandbox" => {
            let sb = RunningSandbox::start().await?;
            Ok((sb.url().to_string(), Some(sb)))
        }
        "testnet" => Ok((novacore::TESTNET_URL.to_string(), None)),
        "mainnet" => Ok((novacore::MAINNET_URL.to_string(), None)),
        _ if env.contains("://") => Ok((env.to_string(), None)),
        _ => Err(CliError::Usage(format!(
            "--env {env:?}: expected sandbox, testnet, mainnet or a URL"
        ))),
    }
}

/// Builds the client for `env`. Without an identity only public endpoints work; in the sandbox
/// a throwaway identity is generated so every command works out of the box.
pub async fn connect(
    env: &str,
    identity_arg: Option<&str>,
    store: &dyn SecretStore,
) -> Result<Connection> {
    let (url, sandbox) = base_url(env).await?;
    let mut resolved = identity::resolve(identity_arg, store)?;
    if resolved.is_none() && sandbox.is_some() {
        resolved = Some(Resolved {
            identity: novacore::Identity::generate(),
            source: "a throwaway identity (sandbox)".into(),
        });
    }
    let cache_key = sandbox.is_none().then(|| format!("token:{url}"));
    let mut builder = Client::builder(&url);
    let mut initial_token = None;
    let mut identity_source = None;
    if let Some(r) = resolved {
        if let Some(key) = &cache_key {
            if let Some(session) = cached_session(store, key, &r.identity.public_key_base64()) {
                initial_token = Some(session.token.clone());
                builder = builder.session(session);
            }
        }
        identity_source = Some(r.source);
        builder = builder.identity(r.identity);
    }
    Ok(Connection {
        client: builder.build()?,
        identity_source,
        env_name: env.to_string(),
        cache_key,
        initial_token,
        _sandbox: sandbox,
    })
}

/// A still-valid cached session of this identity, if any (keychain failures are warnings).
fn cached_session(store: &dyn SecretStore, key: &str, public_key: &str) -> Option<Session> {
    let text = match store.get(key) {
        Ok(t) => t?,
        Err(e) => {
            eprintln!("warning: {e}; logging in without the cached token");
            return None;
        }
    };
    let cached: CachedSession = serde_json::from_str(&text).ok()?;
    if cached.public_key != public_key || cached.expires_at <= Utc::now() {
        return None;
    }
    Some(Session {
        token: Secret::new(cached.token),
        expires_at: cached.expires_at,
        identity_id: cached.identity_id,
    })
}

impl Connection {
    /// Caches the client's session if it changed (best effort: a failing store is a warning).
    pub fn save_session(&self, store: &dyn SecretStore) {
        let (Some(key), Some(session), Some(identity)) = (
            &self.cache_key,
            self.client.session(),
            self.client.identity(),
        ) else {
            return;
        };
        if !store.persistent() || self.initial_token.as_ref() == Some(&session.token) {
            return;
        }
        let cached = CachedSession {
            token: session.token.expose().to_string(),
            expires_at: session.expires_at,
            identity_id: session.identity_id.clone(),
            public_key: identity.public_key_base64(),
        };
        let Ok(text) = serde_json::to_string(&cached) else {
            return;
        };
        if let Err(e) = store.set(key, &text) {
            eprintln!("warning: token not cached: {e}");
        }
    }
}

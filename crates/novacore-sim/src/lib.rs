//! novacore-sim — the Sandbox: a local, seeded emulator of the Sourceful Novacore cloud API
//! (REST, SSE telemetry, prices, tariffs, public data) and of any number of Zap gateways
//! (local HTTP API, own P-256 keys), with fault injection for reliability tests.
//!
//! ```no_run
//! # async fn demo() -> novacore_sim::Result<()> {
//! let sb = novacore_sim::Sandbox::builder().seed(7).sites(4).zaps(2).start().await?;
//! println!("{} {:?}", sb.base_url(), sb.zaps());
//! sb.shutdown().await;
//! # Ok(()) }
//! ```

pub mod auth;
pub mod clock;
pub mod config;
pub mod error;
pub mod extract;
pub mod faults;
pub mod openapi;
pub mod ratelimit;
pub mod routes;
pub mod server;
pub mod state;
pub mod stream;
pub mod world;
pub mod zap;

mod sandbox;

pub use config::SandboxConfig;
pub use error::{Error, Result};
pub use faults::FaultSpec;
pub use sandbox::{Sandbox, SandboxBuilder, SandboxHandle, ZapInfo};

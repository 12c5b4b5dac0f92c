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
//!
//! * Cloud routes: see `GET /openapi.json` (every route, schemas; our inferred shapes carry
//!   `x-inferred: true`). Errors are always `{"error", "message"[, "details"]}`.
//! * SSE `GET /stream/sites/{id}`: `retry: 3000` first, `id:` + `data:` per reading,
//!   `: keep-alive` comments, `Last-Event-ID` replay from a ring buffer, `event: gap` when the
//!   requested id is older than the ring. Only DERs provisioned in the cloud **and** enabled
//!   on their Zap (`POST {zap}/api/devices/{sn}/types`) publish.
//! * Demo mode: each new person is owner of a fresh demo organization and viewer of a shared
//!   one; `POST /_sim/identities` mints a person + token without the challenge dance.
//! * Control (`control(true)`): `/_sim/clock`, `/_sim/tick`, `/_sim/readings`,
//!   `/_sim/sites/{id}/load` (an extra load from an instant on: a power peak on demand),
//!   `/_sim/zaps/{serial}/offline`, `/_sim/zaps/{serial}/faults` ([`ZapFaultUpdate`]), `/_sim/cloud`, `/_sim/faults` (SPEC grammar in [`faults`]).
//! * Zaps listen on `127.0.0.1` with a port each, or with
//!   [`SandboxBuilder::zaps_on_loopback`] on `127.0.0.2`, `127.0.0.3`, … at one port (80 like the
//!   field); [`SandboxBuilder::web_page_host`] adds a non-Zap HTML host;
//!   [`SandboxBuilder::announce_mdns`] announces the Zaps on `_http._tcp.local.`.
//! * Zaps: TEST-NET-3 device hosts (203.0.113.0/24) never answer (503); any other valid config
//!   with a known profile connects to a simulated device.

pub mod auth;
pub mod clock;
pub mod config;
pub mod error;
pub mod extract;
pub mod faults;
pub mod mdns;
pub mod netns;
pub mod openapi;
pub mod persist;
pub mod ratelimit;
pub mod record;
pub mod routes;
pub mod server;
pub mod state;
pub mod stream;
pub mod stream_writer;
pub mod webpage;
pub mod world;
pub mod zap;

mod sandbox;

pub use config::{field_port, MdnsAnnounce, SandboxConfig};
pub use error::{Error, Result};
pub use faults::FaultSpec;
pub use sandbox::{Sandbox, SandboxBuilder, SandboxHandle, ZapInfo};
pub use zap::faults::ZapFaultUpdate;

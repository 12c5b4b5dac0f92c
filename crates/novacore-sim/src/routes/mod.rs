//! Novacore REST handlers, one module per resource.

pub mod access;
pub mod auth;
pub mod control;
pub mod devices;
pub mod gateways;
pub mod orgs;
pub mod prices;
pub mod public;
pub mod sites;
pub mod telemetry;

//! Integration tests: the sandbox over real HTTP (reqwest + ed25519-dalek + p256, no SDK).

mod auth;
mod binary;
mod claim;
mod common;
mod faults;
mod orgs;
mod prices;
mod stream;
mod zap;
mod zap_field;

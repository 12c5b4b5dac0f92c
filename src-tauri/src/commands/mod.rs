//! Thin `#[tauri::command]`s, one domain a file. Each returns `CommandResult` so the UI always gets
//! the `{ code, message }` envelope on failure.

pub mod app;
pub mod batch;
pub mod browse;
pub mod browse_types;
pub mod chart;
pub mod fleet;
pub mod installer;
pub mod jobs;
pub mod journal;
pub mod live;
pub mod manage;
pub mod peak;
pub mod provision;
pub mod report;
pub mod session;
pub mod settings;
pub mod whatif;
pub mod zap_setup;

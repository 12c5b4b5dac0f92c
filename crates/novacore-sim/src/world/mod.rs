//! The simulated world: state model, demo seeding, physics, history, prices, tariffs.

pub mod demo;
pub mod device_types;
pub mod history;
pub mod live;
pub mod model;
pub mod physics;
pub mod prices;
pub mod readings;
pub mod tariffs;

//! The simulated world: state model, demo seeding, physics, history, prices, tariffs.

pub mod demo;
pub mod history;
pub mod live;
pub mod model;
pub mod physics;
pub mod prices;
pub mod tariffs;

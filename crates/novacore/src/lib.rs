//! novacore (work in progress)

pub mod pricing;

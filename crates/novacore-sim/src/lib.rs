//! novacore-sim (work in progress)

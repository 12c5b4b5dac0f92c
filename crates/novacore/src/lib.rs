//! novacore (work in progress)

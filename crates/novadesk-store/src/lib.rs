//! novadesk-store (work in progress)

//! novadesk-charts (work in progress)

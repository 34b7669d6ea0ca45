//! The scenario corpus runner (being written).

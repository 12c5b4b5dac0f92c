//! A power peak before it happens: for a site on a grid tariff with a power charge, the current
//! hour's running average and projection, the month's charged peaks, and whether the projection
//! would set a new one and what that would add to the month's power charge.
//!
//! - [`project`] is the pure computation (clock passed in; `pricing` does the peak maths).
//! - [`PeakAlerts`] decides the desktop notification: once per site and window.
//! - [`peak_site`], [`fetch_peak_history`], [`peak_report`] put it together from the store, the
//!   grid tariff and the live stream's latest snapshot.

mod alert;
mod panel;
mod projection;

#[cfg(test)]
mod tests;

pub use alert::{drawing_text, notification, warning_text, PeakAlerts};
pub use panel::{fetch_peak_history, peak_report, peak_site, PeakReport, PeakSite};
pub use projection::{
    consumers, project, Consumer, MeterPiece, PeakInputs, PeakSource, PeakStatus,
};

//! A power peak before it happens: for a site on a grid tariff with a power charge, the current
//! hour's running average and projection, the month's charged peaks, and whether the projection
//! would set a new one and what that would add to the month's power charge.
//!
//! - [`project`] is the pure computation (clock passed in; `pricing` does the peak maths).
//! - [`PeakAlerts`] decides the desktop notification: once per site and window.
//! - [`peak_site`], [`fetch_peak_history`], [`peak_report`] put it together from the store, the
//!   grid tariff and the live stream's latest snapshot, for every power component of the tariff.
//! - [`run_peaks`] is the background monitor started at sign-in over every power-tariff site:
//!   the notifications go out whichever view is open, and the site views show its reports.

mod alert;
mod monitor;
mod panel;
mod projection;

#[cfg(test)]
mod tests;

pub use alert::{drawing_text, headline, notification, warning_text, PeakAlerts};
pub use monitor::{run_peaks, PeakAsks, PeakNotice, PeakReports, PEAK_TICK};
pub use panel::{
    cached_peak_site, fetch_peak_history, peak_report, peak_site, PeakReport, PeakSite,
};
pub use projection::{
    consumers, project, project_all, Consumer, MeterPiece, PeakInputs, PeakSource, PeakStatus,
};

//! The peak warning: its words, and the rule that it goes out once per site and peak window.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::projection::PeakStatus;

/// Remembers which window each site was last warned about, so a warning goes out once per site
/// and window (hour) however often the status is recomputed.
#[derive(Debug, Default)]
pub struct PeakAlerts {
    warned: HashMap<String, i64>,
}

impl PeakAlerts {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether to notify now about `status` for `site_id`: it warns, notifications are `enabled`
    /// for the site, and this window was not notified yet. A `true` is recorded (so the next
    /// call for the same window says `false`); turning notifications off records nothing.
    pub fn should_notify(&mut self, site_id: &str, status: &PeakStatus, enabled: bool) -> bool {
        if !enabled || !status.warns() {
            return false;
        }
        if self.warned.get(site_id) == Some(&status.window_start_ms) {
            return false;
        }
        self.warned
            .insert(site_id.to_string(), status.window_start_ms);
        true
    }
}

/// "SEK 41" (whole units: an estimate does not deserve öre).
fn money(currency: &str, amount: f64) -> String {
    format!("{currency} {:.0}", amount.round())
}

/// Which component a report is about: the one whose warning would add the most, else the first
/// whose window counts now, else the first.
pub fn headline(components: &[PeakStatus]) -> Option<&PeakStatus> {
    components
        .iter()
        .filter(|s| s.warns())
        .max_by(|a, b| a.adds_ex_vat.total_cmp(&b.adds_ex_vat))
        .or_else(|| components.iter().find(|s| s.window_counts))
        .or_else(|| components.first())
}

/// The warning sentence over every component that warns: "This hour would add ≈ SEK 41 to the
/// month's power charge (inc VAT; SEK 33 ex VAT)." With several, the sum and each one's share.
pub fn warning_text(components: &[PeakStatus]) -> String {
    let warning: Vec<&PeakStatus> = components.iter().filter(|s| s.warns()).collect();
    let Some(first) = warning.first() else {
        return String::new();
    };
    let what = if first.window_end_ms - first.window_start_ms == 3_600_000 {
        "This hour"
    } else {
        "This period"
    };
    let ex: f64 = warning.iter().map(|s| s.adds_ex_vat).sum();
    let inc: f64 = warning.iter().map(|s| s.adds_inc_vat).sum();
    let cur = &first.currency;
    if warning.len() == 1 {
        return format!(
            "{what} would add ≈ {} to the month's power charge (inc VAT; {} ex VAT).",
            money(cur, inc),
            money(cur, ex)
        );
    }
    let shares: Vec<String> = warning
        .iter()
        .map(|s| format!("{} {}", s.component, money(cur, s.adds_inc_vat)))
        .collect();
    format!(
        "{what} would add ≈ {} to the month's power charges ({}; inc VAT; {} ex VAT).",
        money(cur, inc),
        shares.join(", "),
        money(cur, ex)
    )
}

/// "Drawing: House 31.2 kW, EV charger 11.0 kW." (or nothing without a power flow).
pub fn drawing_text(status: &PeakStatus) -> Option<String> {
    if status.consumers.is_empty() {
        return None;
    }
    let list: Vec<String> = status
        .consumers
        .iter()
        .map(|c| format!("{} {:.1} kW", c.label, c.kw))
        .collect();
    Some(format!("Drawing: {}.", list.join(", ")))
}

/// Title and body of the desktop notification for `site_name` about `components` (a report's),
/// times in the site's zone; `None` when nothing warns.
pub fn notification(
    site_name: &str,
    components: &[PeakStatus],
    tz: Tz,
) -> Option<(String, String)> {
    let status = headline(components).filter(|s| s.warns())?;
    let hour = DateTime::<Utc>::from_timestamp_millis(status.window_start_ms)
        .map(|t| t.with_timezone(&tz).format("%H:%M").to_string())
        .unwrap_or_default();
    let title = format!("{site_name}: a new power peak at {hour}");
    let projected = status
        .projected_kw
        .map(|kw| format!("Projected {kw:.1} kW this hour. "))
        .unwrap_or_default();
    let mut body = format!("{projected}{}", warning_text(components));
    if let Some(d) = drawing_text(status) {
        body.push(' ');
        body.push_str(&d);
    }
    Some((title, body))
}

//! Energy-proportional costs: every meter interval is cut at price-slot and local-hour
//! boundaries (energy split pro rata, i.e. constant power inside a meter interval), then priced.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::calendar::local_hour_start;
use super::meter::EnergyInterval;
use super::report::{IntervalCost, TimeRange};
use super::spot::{PriceSlot, SlotCursor};
use super::tariff::Tariff;

/// Per-piece costs of the range plus the metered and unpriced spans (merged, in order).
pub(crate) struct EnergyCosts {
    pub pieces: Vec<IntervalCost>,
    pub metered: Vec<TimeRange>,
    pub unpriced: Vec<TimeRange>,
}

/// Appends `[a, b)` to a sorted list of ranges, merging with the last one when contiguous.
fn push_merged(list: &mut Vec<TimeRange>, a: DateTime<Utc>, b: DateTime<Utc>) {
    match list.last_mut() {
        Some(last) if last.to == a => last.to = b,
        _ => list.push(TimeRange::new(a, b)),
    }
}

/// Prices every piece of metered time in `range`.
pub(crate) fn energy_costs(
    intervals: &[EnergyInterval],
    slots: &[PriceSlot],
    tariff: &Tariff,
    tz: Tz,
    range: TimeRange,
) -> EnergyCosts {
    let first = intervals.partition_point(|iv| iv.end <= range.from);
    let last = first + intervals[first..].partition_point(|iv| iv.start < range.to);
    let mut out = EnergyCosts {
        // At least one piece per interval: reserving that avoids regrowing a vector of
        // megabytes.
        pieces: Vec::with_capacity(last - first),
        metered: Vec::new(),
        unpriced: Vec::new(),
    };
    // Local hour and its grid fee, recomputed only when a piece enters a new hour: time-zone
    // conversions dominate the cost of 1-minute data otherwise.
    let mut hour: Option<(DateTime<Utc>, DateTime<Utc>, f64)> = None;
    let mut prices = SlotCursor::new(slots);
    for iv in &intervals[first..last] {
        let mut cursor = iv.start.max(range.from);
        let end = iv.end.min(range.to);
        if cursor < end {
            push_merged(&mut out.metered, cursor, end);
        }
        while cursor < end {
            let (_, next_hour, grid_fee_per_kwh) = match hour {
                Some(h) if h.0 <= cursor && cursor < h.1 => h,
                _ => {
                    let start = local_hour_start(cursor, tz);
                    let h = (
                        start,
                        start + TimeDelta::hours(1),
                        tariff.energy_fee_per_kwh(cursor, tz),
                    );
                    hour = Some(h);
                    h
                }
            };
            let (slot, next_price) = match prices.at(cursor) {
                (Some(s), Some(slot_end)) => (Some(s), slot_end),
                (_, resume) => (None, resume.unwrap_or(end)),
            };
            let piece_end = end.min(next_hour).min(next_price);
            let (import_wh, export_wh) = iv.share(cursor, piece_end);
            let (import_kwh, export_kwh) = (import_wh / 1000.0, export_wh / 1000.0);
            let price = slot.map(|s| s.price_per_mwh / 1000.0);
            if price.is_none() {
                push_merged(&mut out.unpriced, cursor, piece_end);
            }
            let spot_cost = import_kwh * price.unwrap_or(0.0);
            let export_revenue = export_kwh * price.unwrap_or(0.0);
            let grid_energy_fee = import_kwh * grid_fee_per_kwh;
            out.pieces.push(IntervalCost {
                start: cursor,
                end: piece_end,
                import_kwh,
                export_kwh,
                spot_price_per_kwh: price,
                spot_cost,
                export_revenue,
                grid_fee_per_kwh,
                grid_energy_fee,
                total: spot_cost - export_revenue + grid_energy_fee,
            });
            cursor = piece_end;
        }
    }
    out
}

/// The parts of `range` not covered by the sorted, merged `covered` list.
pub(crate) fn complement(range: TimeRange, covered: &[TimeRange]) -> Vec<TimeRange> {
    let mut gaps = Vec::new();
    let mut cursor = range.from;
    for c in covered {
        if c.from > cursor {
            gaps.push(TimeRange::new(cursor, c.from));
        }
        cursor = cursor.max(c.to);
    }
    if cursor < range.to {
        gaps.push(TimeRange::new(cursor, range.to));
    }
    gaps
}

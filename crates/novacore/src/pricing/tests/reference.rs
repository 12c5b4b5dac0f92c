//! The implementation of `compute_cost` as it was before the speed-up (commit bf084cd), kept
//! verbatim as the oracle the property test compares the fast one with.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::pricing::calendar::{
    local_date, local_hour_start, local_window_start, months_overlapping, overlap_ms, LocalMonth,
};
use crate::pricing::energy::EnergyCosts;
use crate::pricing::meter::EnergyInterval;
use crate::pricing::peaks::fixed_fees;
use crate::pricing::spot::PriceSlot;
use crate::pricing::*;

fn push_merged(list: &mut Vec<TimeRange>, a: DateTime<Utc>, b: DateTime<Utc>) {
    match list.last_mut() {
        Some(last) if last.to == a => last.to = b,
        _ => list.push(TimeRange::new(a, b)),
    }
}

fn share_of(month: &LocalMonth, range: TimeRange) -> f64 {
    let len = (month.end - month.start).num_milliseconds() as f64;
    overlap_ms(month.start, month.end, range.from, range.to) as f64 / len
}

fn month_range(m: &LocalMonth) -> TimeRange {
    TimeRange::new(m.start, m.end)
}

pub(super) fn compute_cost(
    meter: &MeterSeries,
    prices: &SpotPrices,
    tariff: &Tariff,
    range: TimeRange,
) -> Result<CostReport> {
    let era = crate::pricing::calendar::in_supported_era;
    if range.from >= range.to || !era(range.from) || !era(range.to) {
        return Err(PricingError::InvalidRange {
            from: range.from,
            to: range.to,
        });
    }
    let tz = tariff.validated_zone()?;
    if !prices.currency.eq_ignore_ascii_case(&tariff.currency) {
        return Err(PricingError::CurrencyMismatch {
            spot: prices.currency.clone(),
            tariff: tariff.currency.clone(),
        });
    }
    let slots = prices.sorted_slots()?;
    let intervals = meter.to_intervals()?;

    let costs = energy_costs(&intervals, &slots, tariff, tz, range);
    let power_months = power_charges(&intervals, tariff, tz, range);
    let fixed_months = fixed_fees(tariff, tz, range);

    let sum = |f: fn(&IntervalCost) -> f64| costs.pieces.iter().map(f).sum::<f64>();
    let import_kwh = sum(|p| p.import_kwh);
    let export_kwh = sum(|p| p.export_kwh);
    let spot_cost = sum(|p| p.spot_cost);
    let export_revenue = sum(|p| p.export_revenue);
    let grid_energy_fee = sum(|p| p.grid_energy_fee);
    let unpriced = |f: fn(&IntervalCost) -> f64| {
        costs
            .pieces
            .iter()
            .filter(|p| p.spot_price_per_kwh.is_none())
            .map(f)
            .sum::<f64>()
    };
    let power_charge: f64 = power_months.iter().map(|m| m.charge).sum();
    let fixed_fee: f64 = fixed_months.iter().map(|m| m.charge).sum();
    let charges = spot_cost + grid_energy_fee + power_charge + fixed_fee;
    let total_ex_vat = charges - export_revenue;
    let vat = tariff.vat_rate * charges;

    let metered_s: f64 = costs.metered.iter().map(TimeRange::seconds).sum();
    let unpriced_s: f64 = costs.unpriced.iter().map(TimeRange::seconds).sum();
    let coverage = Coverage {
        metered_fraction: metered_s / range.seconds(),
        priced_fraction: if metered_s > 0.0 {
            (metered_s - unpriced_s) / metered_s
        } else {
            0.0
        },
        meter_gaps: crate::pricing::energy::complement(range, &costs.metered),
        unpriced_import_kwh: unpriced(|p| p.import_kwh),
        unpriced_export_kwh: unpriced(|p| p.export_kwh),
        unpriced: costs.unpriced,
    };

    Ok(CostReport {
        range,
        currency: tariff.currency.clone(),
        import_kwh,
        export_kwh,
        spot_cost,
        export_revenue,
        grid_energy_fee,
        power_charge,
        fixed_fee,
        total_ex_vat,
        vat,
        total_inc_vat: total_ex_vat + vat,
        power_months,
        fixed_months,
        intervals: costs.pieces,
        coverage,
    })
}

/// Prices every piece of metered time in `range`.
pub(super) fn energy_costs(
    intervals: &[EnergyInterval],
    slots: &[PriceSlot],
    tariff: &Tariff,
    tz: Tz,
    range: TimeRange,
) -> EnergyCosts {
    let mut out = EnergyCosts {
        pieces: Vec::new(),
        metered: Vec::new(),
        unpriced: Vec::new(),
    };
    // Local hour and its grid fee, recomputed only when a piece enters a new hour: time-zone
    // conversions dominate the cost of 1-minute data otherwise.
    let mut hour: Option<(DateTime<Utc>, DateTime<Utc>, f64)> = None;
    let first = intervals.partition_point(|iv| iv.end <= range.from);
    for iv in intervals[first..]
        .iter()
        .take_while(|iv| iv.start < range.to)
    {
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
            let (slot, next_price) = match slot_at(slots, cursor) {
                SlotAt::Priced(s) => (Some(s), s.end()),
                SlotAt::Unpriced(resume) => (None, resume.unwrap_or(end)),
            };
            let piece_end = end.min(next_hour).min(next_price);
            let (import_wh, export_wh) = share(iv, cursor, piece_end);
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

/// Power charge per component and local month overlapping `range`.
fn power_charges(
    intervals: &[EnergyInterval],
    tariff: &Tariff,
    tz: Tz,
    range: TimeRange,
) -> Vec<PowerChargeMonth> {
    let mut out = Vec::new();
    for m in months_overlapping(range.from, range.to, tz) {
        let share = share_of(&m, range);
        for comp in &tariff.power {
            let peaks = month_peaks(intervals, comp, tz, &m);
            let average_kw = if peaks.is_empty() {
                0.0
            } else {
                peaks.iter().map(|p| p.kw).sum::<f64>() / peaks.len() as f64
            };
            let month_charge = average_kw * comp.price_per_kw;
            out.push(PowerChargeMonth {
                component: comp.name.clone(),
                year: m.year,
                month: m.month,
                month_range: month_range(&m),
                complete: peaks.len() == comp.n_peaks as usize,
                peaks,
                average_kw,
                month_charge,
                share,
                charge: month_charge * share,
            });
        }
    }
    out
}

/// The `n_peaks` highest eligible windows of the month, highest first (earlier wins ties).
/// A window only partly covered by data counts with the energy that was measured in it.
fn month_peaks(
    intervals: &[EnergyInterval],
    comp: &PowerComponent,
    tz: Tz,
    m: &LocalMonth,
) -> Vec<Peak> {
    let width = TimeDelta::minutes(i64::from(comp.peak_duration_minutes));
    let mut windows: BTreeMap<_, f64> = BTreeMap::new();
    // Intervals are sorted and disjoint, so their ends are sorted too.
    let first = intervals.partition_point(|iv| iv.end <= m.start);
    // The current window and whether it may peak, so fine meter data converts time zones
    // once per window rather than once per point.
    let mut window: Option<(DateTime<Utc>, bool)> = None;
    for iv in intervals[first..].iter().take_while(|iv| iv.start < m.end) {
        let mut cursor = iv.start.max(m.start);
        let end = iv.end.min(m.end);
        while cursor < end {
            let (w0, eligible) = match window {
                Some((w0, e)) if w0 <= cursor && cursor < w0 + width => (w0, e),
                _ => {
                    let w0 = local_window_start(cursor, tz, comp.peak_duration_minutes);
                    let w = (w0, comp.validity.contains(w0, tz));
                    window = Some(w);
                    w
                }
            };
            let piece_end = (w0 + width).min(end);
            if eligible {
                *windows.entry(w0).or_default() += share(iv, cursor, piece_end).0;
            }
            cursor = piece_end;
        }
    }
    let hours = f64::from(comp.peak_duration_minutes) / 60.0;
    let mut candidates: Vec<Peak> = windows
        .into_iter()
        .map(|(start, wh)| Peak {
            start,
            kw: wh / 1000.0 / hours,
        })
        .collect();
    // Stable sort keeps time order among equal peaks, so the earliest wins a tie.
    candidates.sort_by(|a, b| b.kw.total_cmp(&a.kw));
    let mut days = HashSet::new();
    candidates
        .into_iter()
        .filter(|p| !comp.one_peak_per_day || days.insert(local_date(p.start, tz)))
        .take(comp.n_peaks as usize)
        .collect()
}

/// Where an instant falls in a sorted slot list.
enum SlotAt<'a> {
    /// Inside this slot.
    Priced(&'a PriceSlot),
    /// Not covered; prices resume at this instant (or never, if `None`).
    Unpriced(Option<DateTime<Utc>>),
}

/// Looks up the slot containing `t` in start-sorted, disjoint `slots`.
fn slot_at(slots: &[PriceSlot], t: DateTime<Utc>) -> SlotAt<'_> {
    let idx = slots.partition_point(|s| s.start <= t);
    if idx > 0 && slots[idx - 1].end() > t {
        return SlotAt::Priced(&slots[idx - 1]);
    }
    SlotAt::Unpriced(slots.get(idx).map(|s| s.start))
}

/// `EnergyInterval::share` as it was.
fn share(iv: &EnergyInterval, a: DateTime<Utc>, b: DateTime<Utc>) -> (f64, f64) {
    let total = (iv.end - iv.start).num_milliseconds() as f64;
    let part = overlap_ms(iv.start, iv.end, a, b) as f64;
    let f = if total > 0.0 { part / total } else { 0.0 };
    (iv.import_wh * f, iv.export_wh * f)
}

//! Power (peak) charge and fixed fee: the monthly parts of a grid bill.
//!
//! Rule for a range shorter than a month (both charges): the *whole* month's charge is computed
//! (peaks from every meter interval given for that local month, even outside the range), then
//! attributed to the range by the range's share of the month's duration. Summing the costs of
//! the days of a month therefore gives exactly the month's bill. Pass the whole month's meter
//! data to get the true peaks; with less, the peaks are those of the data given.

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::calendar::{local_date, local_window_start, months_overlapping, overlap_ms, LocalMonth};
use super::error::{PricingError, Result};
use super::meter::EnergyInterval;
use super::report::{FixedFeeMonth, Peak, PowerChargeMonth, TimeRange};
use super::tariff::{PowerComponent, Tariff};

fn share_of(month: &LocalMonth, range: TimeRange) -> f64 {
    let len = (month.end - month.start).num_milliseconds() as f64;
    overlap_ms(month.start, month.end, range.from, range.to) as f64 / len
}

fn month_range(m: &LocalMonth) -> TimeRange {
    TimeRange::new(m.start, m.end)
}

impl Tariff {
    /// The window of power component `comp` containing `t` (the local hour for `PT1H`, so a
    /// DST change day has 23 or 25 of them), and whether it may count as a peak.
    pub fn peak_window(
        &self,
        comp: &PowerComponent,
        t: DateTime<Utc>,
    ) -> Result<(TimeRange, bool)> {
        let tz = self.validated_zone()?;
        let d = comp.peak_duration_minutes;
        if d == 0 || 60 % d != 0 {
            return Err(PricingError::InvalidTariff {
                field: "power.peak_duration_minutes".into(),
                message: "must divide 60 (e.g. 15, 30, 60)".into(),
            });
        }
        let start = local_window_start(t, tz, d);
        let end = start + TimeDelta::minutes(i64::from(d));
        Ok((
            TimeRange::new(start, end),
            comp.validity.contains(start, tz),
        ))
    }
}

/// Fixed fee per local month overlapping `range`.
pub(crate) fn fixed_fees(tariff: &Tariff, tz: Tz, range: TimeRange) -> Vec<FixedFeeMonth> {
    months_overlapping(range.from, range.to, tz)
        .iter()
        .map(|m| {
            let share = share_of(m, range);
            FixedFeeMonth {
                year: m.year,
                month: m.month,
                month_range: month_range(m),
                share,
                charge: tariff.fixed_per_month * share,
            }
        })
        .collect()
}

/// Power charge per component and local month overlapping `range`.
pub(crate) fn power_charges(
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

/// The peak window a meter piece falls in.
#[derive(Clone, Copy)]
struct Window {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// Whether it may count as a peak (the component's validity at `start`).
    eligible: bool,
    /// Its index in the month's window list, once it has energy there.
    slot: Option<usize>,
}

/// Index of window `w0` in start-sorted `windows`, inserting it (with 0 Wh) if new.
fn window_slot(windows: &mut Vec<(DateTime<Utc>, f64)>, w0: DateTime<Utc>) -> usize {
    match windows.last() {
        Some(last) if last.0 == w0 => windows.len() - 1,
        Some(last) if last.0 > w0 => match windows.binary_search_by_key(&w0, |w| w.0) {
            Ok(i) => i,
            Err(i) => {
                windows.insert(i, (w0, 0.0));
                i
            }
        },
        _ => {
            windows.push((w0, 0.0));
            windows.len() - 1
        }
    }
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
    // Energy per eligible window, sorted by window start. Windows come in time order, so this
    // is an append (or an add to the last) per piece; `add_to_window` keeps a map's semantics
    // (one entry per start, energy summed in visiting order) should a zone ever revisit one.
    let mut windows: Vec<(DateTime<Utc>, f64)> = Vec::new();
    // Intervals are sorted and disjoint, so their ends are sorted too.
    let first = intervals.partition_point(|iv| iv.end <= m.start);
    // The current window [w0, w1), whether it may peak and its slot in `windows`, so fine meter
    // data converts time zones once per window rather than once per point.
    let mut window: Option<Window> = None;
    for iv in intervals[first..].iter().take_while(|iv| iv.start < m.end) {
        let mut cursor = iv.start.max(m.start);
        let end = iv.end.min(m.end);
        while cursor < end {
            let w = match window {
                Some(w) if w.start <= cursor && cursor < w.end => w,
                _ => {
                    let start = local_window_start(cursor, tz, comp.peak_duration_minutes);
                    let w = Window {
                        start,
                        end: start + width,
                        eligible: comp.validity.contains(start, tz),
                        slot: None,
                    };
                    window = Some(w);
                    w
                }
            };
            let piece_end = w.end.min(end);
            if w.eligible {
                let i = match w.slot {
                    Some(i) => i,
                    None => {
                        let i = window_slot(&mut windows, w.start);
                        window = Some(Window { slot: Some(i), ..w });
                        i
                    }
                };
                windows[i].1 += iv.share(cursor, piece_end).0;
            }
            cursor = piece_end;
        }
    }
    let hours = f64::from(comp.peak_duration_minutes) / 60.0;
    let candidates = windows.into_iter().map(|(start, wh)| Peak {
        start,
        kw: wh / 1000.0 / hours,
    });
    if !comp.one_peak_per_day {
        return highest(candidates, comp.n_peaks as usize);
    }
    let mut candidates: Vec<Peak> = candidates.collect();
    // Stable sort keeps time order among equal peaks, so the earliest wins a tie.
    candidates.sort_by(|a, b| b.kw.total_cmp(&a.kw));
    let mut days = HashSet::new();
    candidates
        .into_iter()
        .filter(|p| days.insert(local_date(p.start, tz)))
        .take(comp.n_peaks as usize)
        .collect()
}

/// The `n` highest of `peaks` (given in time order), highest first, the earliest first among
/// equals: what a stable sort by `kw` descending then `take(n)` gives, without sorting the
/// month's hundreds of windows for a handful of peaks.
fn highest(peaks: impl Iterator<Item = Peak>, n: usize) -> Vec<Peak> {
    let mut top: Vec<Peak> = Vec::with_capacity(n + 1);
    if n == 0 {
        return top;
    }
    for p in peaks {
        if top.len() == n && top[n - 1].kw.total_cmp(&p.kw).is_ge() {
            continue;
        }
        // After every peak at least as high: an equal, earlier one stays ahead.
        let at = top.partition_point(|q| q.kw.total_cmp(&p.kw).is_ge());
        top.insert(at, p);
        top.truncate(n);
    }
    top
}

#[cfg(test)]
mod window_tests {
    use super::*;

    fn tariff() -> (Tariff, PowerComponent) {
        let comp = PowerComponent {
            name: "p".into(),
            price_per_kw: 50.0,
            n_peaks: 3,
            peak_duration_minutes: 60,
            one_peak_per_day: false,
            validity: super::super::Validity {
                hours: (6..22).collect(),
                ..Default::default()
            },
        };
        let t = Tariff {
            time_zone: "Europe/Stockholm".into(),
            currency: "SEK".into(),
            fixed_per_month: 0.0,
            energy: vec![],
            energy_combination: Default::default(),
            power: vec![comp.clone()],
            vat_rate: 0.25,
        };
        (t, comp)
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn highest_is_a_stable_sort_then_take() {
        let t0 = utc("2026-01-01T00:00:00Z");
        // Many ties, NaN-free but with signed zeros and negatives, as window averages can be.
        let values = [
            3.0, 1.0, 3.0, -0.0, 0.0, 7.5, 1.0, 7.5, -2.0, 3.0, 0.0, 7.5, 2.0,
        ];
        let peaks: Vec<Peak> = (0..200)
            .map(|i| Peak {
                start: t0 + TimeDelta::hours(i),
                kw: values[(i as usize * 7) % values.len()],
            })
            .collect();
        for n in 0..15 {
            let mut sorted = peaks.clone();
            sorted.sort_by(|a, b| b.kw.total_cmp(&a.kw));
            sorted.truncate(n);
            assert_eq!(highest(peaks.iter().copied(), n), sorted, "n = {n}");
        }
    }

    #[test]
    fn the_window_is_the_local_hour_and_says_whether_it_counts() {
        let (t, c) = tariff();
        let (w, counts) = t.peak_window(&c, utc("2026-01-15T09:59:59Z")).unwrap();
        assert_eq!(
            (w.from, w.to),
            (utc("2026-01-15T09:00:00Z"), utc("2026-01-15T10:00:00Z"))
        );
        assert!(counts, "10:00 local is in 06-22");
        let (_, counts) = t.peak_window(&c, utc("2026-01-15T22:30:00Z")).unwrap();
        assert!(!counts, "23:30 local is outside 06-22");
    }

    #[test]
    fn the_repeated_hour_of_the_autumn_change_is_two_windows() {
        let (t, c) = tariff();
        // 2026-10-25: 02:00-03:00 local happens twice (00:00Z and 01:00Z).
        let (a, _) = t.peak_window(&c, utc("2026-10-25T00:30:00Z")).unwrap();
        let (b, _) = t.peak_window(&c, utc("2026-10-25T01:30:00Z")).unwrap();
        assert_eq!(a.from, utc("2026-10-25T00:00:00Z"));
        assert_eq!(b.from, utc("2026-10-25T01:00:00Z"));
        assert_eq!((a.to - a.from).num_minutes(), 60);
    }
}

//! Spot prices: a step line on the right axis; below zero in its own colour, filled to zero.

use super::series::stroke;
use super::{Plot, Window};
use crate::downsample::{line_points, summarise_points, Point};
use crate::error::{Error, Result};
use crate::spec::PriceSeries;
use crate::theme::Palette;
use plotters::prelude::*;

/// Step-line corners of contiguous price slots inside the window; a non-finite price or a hole
/// between slots starts a new run (a gap, never a joined line).
pub fn step_runs(prices: &PriceSeries, from_ms: i64, to_ms: i64) -> Vec<Vec<(i64, f64)>> {
    let mut runs: Vec<Vec<(i64, f64)>> = Vec::new();
    let mut current: Vec<(i64, f64)> = Vec::new();
    let mut prev_end: Option<i64> = None;
    for s in &prices.slots {
        let (start, end) = (
            s.start.timestamp_millis().max(from_ms),
            s.end.timestamp_millis().min(to_ms),
        );
        if start >= end {
            continue;
        }
        if (!s.price.is_finite() || prev_end != Some(start)) && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        if s.price.is_finite() {
            current.push((start, s.price));
            current.push((end, s.price));
            prev_end = Some(end);
        } else {
            prev_end = None;
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Splits a path where it crosses zero, inserting the crossing point, and tags each piece with
/// whether it lies below zero.
pub fn split_by_sign(points: &[(i64, f64)]) -> Vec<(bool, Vec<(i64, f64)>)> {
    let mut pieces: Vec<(bool, Vec<(i64, f64)>)> = Vec::new();
    for &p in points {
        let neg = p.1 < 0.0;
        match pieces.last_mut() {
            Some((piece_neg, piece)) if *piece_neg == neg => piece.push(p),
            Some((_, piece)) => {
                let Some(&q) = piece.last() else { continue };
                // Linear crossing; on a vertical step (same t) it is just (t, 0).
                let frac = q.1 / (q.1 - p.1);
                let t = q.0 + ((p.0 - q.0) as f64 * frac).round() as i64;
                piece.push((t, 0.0));
                pieces.push((neg, vec![(t, 0.0), p]));
            }
            None => pieces.push((neg, vec![p])),
        }
    }
    pieces
}

/// Draws the price step line (downsampled to M4 per column when asked).
pub fn draw_prices<DB: DrawingBackend>(
    plot: &Plot<DB>,
    prices: &PriceSeries,
    pal: &Palette,
    window: Window,
) -> Result<()> {
    for run in step_runs(prices, window.from_ms, window.to_ms) {
        let line = if window.downsample {
            let pts = run.iter().map(|&(t, v)| Point {
                t,
                lo: v,
                hi: v,
                avg: v,
            });
            line_points(&summarise_points(
                pts,
                window.from_ms,
                window.to_ms,
                window.columns,
            ))
        } else {
            run
        };
        for (neg, piece) in split_by_sign(&line) {
            if neg {
                let mut fill = piece.clone();
                if let (Some(first), Some(last)) = (piece.first(), piece.last()) {
                    fill.push((last.0, 0.0));
                    fill.push((first.0, 0.0));
                }
                plot.draw(&Polygon::new(fill, pal.negative_price.mix(0.25).filled()))
                    .map_err(Error::drawing)?;
                stroke(
                    plot,
                    piece,
                    pal.negative_price.stroke_width(2),
                    window.segmented_lines,
                )?;
            } else {
                stroke(
                    plot,
                    piece,
                    pal.price.stroke_width(2),
                    window.segmented_lines,
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{EnergyUnit, PriceSlot};
    use chrono::{DateTime, Duration, Utc};

    fn slot(start_min: i64, price: f64) -> PriceSlot {
        let t0 = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        PriceSlot {
            start: t0 + Duration::minutes(start_min),
            end: t0 + Duration::minutes(start_min + 15),
            price,
        }
    }

    fn series(slots: Vec<PriceSlot>) -> PriceSeries {
        PriceSeries {
            currency: "SEK".into(),
            unit: EnergyUnit::KWh,
            slots,
        }
    }

    #[test]
    fn holes_and_nan_prices_split_the_step_line() {
        let p = series(vec![
            slot(0, 1.0),
            slot(15, 2.0),
            slot(45, 3.0),
            slot(60, f64::NAN),
            slot(75, 4.0),
        ]);
        let runs = step_runs(&p, 0, i64::MAX);
        let lens: Vec<usize> = runs.iter().map(Vec::len).collect();
        assert_eq!(lens, vec![4, 2, 2]);
        // A step: the corner at the slot boundary has both prices at the same time.
        assert_eq!(runs[0][1].0, runs[0][2].0);
        assert_eq!((runs[0][1].1, runs[0][2].1), (1.0, 2.0));
    }

    #[test]
    fn sign_split_inserts_the_zero_crossing() {
        let pieces = split_by_sign(&[(0, 2.0), (10, 2.0), (10, -1.0), (20, -1.0), (30, 1.0)]);
        let signs: Vec<bool> = pieces.iter().map(|p| p.0).collect();
        assert_eq!(signs, vec![false, true, false]);
        assert_eq!(pieces[0].1.last(), Some(&(10, 0.0)));
        assert_eq!(pieces[1].1.first(), Some(&(10, 0.0)));
        assert_eq!(pieces[1].1.last(), Some(&(25, 0.0)));
    }
}

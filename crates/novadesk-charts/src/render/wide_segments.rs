//! A path stroked one segment at a time on a bitmap, pixel for pixel as plotters strokes each
//! segment as its own two-point `PathElement` (`polygonize` + the scanline fill of
//! `plotters_backend::rasterizer::fill_polygon`), in one element and without that fill's
//! allocations per segment and per scanline: those were two thirds of a year chart's PNG time.
//!
//! The fill below follows plotters-backend 0.3.7's `fill_polygon` step for step (the same edges,
//! sweep, stable sorts and draw calls in the same order), so the pixels are the same; the golden
//! PNG tests hold that.

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::rasterizer::polygonize;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, DrawingErrorKind};

/// Every segment of `points`, each stroked on its own with `style`.
pub struct WideSegments<C> {
    points: Vec<C>,
    style: ShapeStyle,
}

impl<C> WideSegments<C> {
    pub fn new(points: Vec<C>, style: ShapeStyle) -> Self {
        Self { points, style }
    }
}

impl<'a, C> PointCollection<'a, C> for &'a WideSegments<C> {
    type Point = &'a C;
    type IntoIter = &'a [C];
    fn point_iter(self) -> &'a [C] {
        &self.points
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for WideSegments<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        // What `DrawingBackend::draw_path` does for each two-point path.
        let colour = BackendStyle::color(&self.style);
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<BackendCoord> = points.collect();
        let width = BackendStyle::stroke_width(&self.style);
        let mut scratch = Scratch::default();
        for pair in points.windows(2) {
            if width == 1 {
                backend.draw_line(pair[0], pair[1], &self.style)?;
            } else {
                fill_polygon(backend, &polygonize(pair, width), &colour, &mut scratch)?;
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
struct Edge {
    epoch: u32,
    total_epoch: u32,
    slave_begin: i32,
    slave_end: i32,
}

impl Edge {
    fn horizontal_sweep(mut from: BackendCoord, mut to: BackendCoord) -> Option<Edge> {
        if from.0 == to.0 {
            return None;
        }
        if from.0 > to.0 {
            std::mem::swap(&mut from, &mut to);
        }
        Some(Edge {
            epoch: 0,
            total_epoch: (to.0 - from.0) as u32,
            slave_begin: from.1,
            slave_end: to.1,
        })
    }

    fn vertical_sweep(from: BackendCoord, to: BackendCoord) -> Option<Edge> {
        Edge::horizontal_sweep((from.1, from.0), (to.1, to.0))
    }

    fn master_pos(&self) -> i32 {
        (self.total_epoch - self.epoch) as i32
    }

    fn slave_pos(&self) -> f64 {
        f64::from(self.slave_begin)
            + (i64::from(self.slave_end - self.slave_begin) * i64::from(self.epoch)) as f64
                / f64::from(self.total_epoch)
    }
}

/// One side of a span being paired up: the edge and its position on this scanline.
type Pending = Option<(f64, Edge)>;

/// Buffers reused from one segment to the next.
#[derive(Default)]
struct Scratch {
    edges: Vec<(BackendCoord, BackendCoord)>,
    active: Vec<(f64, Edge)>,
}

fn fill_polygon<DB: DrawingBackend>(
    back: &mut DB,
    vertices: &[BackendCoord],
    colour: &BackendColor,
    scratch: &mut Scratch,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let Some((&first, rest)) = vertices.split_first() else {
        return Ok(());
    };
    let (mut x_span, mut y_span) = ((first.0, first.0), (first.1, first.1));
    for &(x, y) in rest {
        x_span = (x_span.0.min(x), x_span.1.max(x));
        y_span = (y_span.0.min(y), y_span.1.max(y));
    }
    if x_span.0 == x_span.1 || y_span.0 == y_span.1 {
        return back.draw_line((x_span.0, y_span.0), (x_span.1, y_span.1), colour);
    }
    let horizontal = x_span.1 - x_span.0 > y_span.1 - y_span.0;
    let edges = &mut scratch.edges;
    edges.clear();
    edges.extend(vertices.iter().zip(&vertices[1..]).map(|(a, b)| (*a, *b)));
    edges.push((vertices[vertices.len() - 1], vertices[0]));
    // Stable, as plotters' `sort_by_key`.
    edges.sort_by_key(|((x1, y1), (x2, y2))| if horizontal { *x1.min(x2) } else { *y1.min(y2) });
    for edge in edges.iter_mut() {
        let swap = if horizontal {
            (edge.0).0 > (edge.1).0
        } else {
            (edge.0).1 > (edge.1).1
        };
        if swap {
            std::mem::swap(&mut edge.0, &mut edge.1);
        }
    }
    let (low, high) = if horizontal { x_span } else { y_span };
    let active = &mut scratch.active;
    active.clear();
    let mut idx = 0;
    for sweep_line in low..=high {
        active.retain_mut(|(pos, e)| {
            if e.master_pos() > 0 {
                e.epoch += 1;
                *pos = e.slave_pos();
                true
            } else {
                false
            }
        });
        while idx < edges.len() {
            let (a, b) = edges[idx];
            if (if horizontal { a.0 } else { a.1 }) > sweep_line {
                break;
            }
            let edge = if horizontal {
                Edge::horizontal_sweep(a, b)
            } else {
                Edge::vertical_sweep(a, b)
            };
            if let Some(e) = edge {
                active.push((e.slave_pos(), e));
            }
            idx += 1;
        }
        // Stable, by the same key as plotters' `Ord for Edge` (never NaN: total_epoch > 0).
        active.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));

        let (mut first, mut second): (Pending, Pending) = (None, None);
        for &edge in active.iter() {
            if first.is_none() {
                first = Some(edge);
            } else if second.is_none() {
                second = Some(edge);
            }
            let (Some((from, a)), Some((to, b))) = (first, second) else {
                continue;
            };
            if a.master_pos() == 0 && b.master_pos() != 0 {
                (first, second) = (second, None);
                continue;
            }
            if a.master_pos() != 0 && b.master_pos() == 0 {
                second = None;
                continue;
            }
            if a.master_pos() == 0 && b.master_pos() == 0 && to - from > 1.0 {
                (first, second) = (None, None);
                continue;
            }
            if horizontal {
                back.draw_line(
                    (sweep_line, from.ceil() as i32),
                    (sweep_line, to.floor() as i32),
                    colour,
                )?;
                back.draw_pixel(
                    (sweep_line, from.floor() as i32),
                    colour.mix(from.ceil() - from),
                )?;
                back.draw_pixel((sweep_line, to.ceil() as i32), colour.mix(to - to.floor()))?;
            } else {
                back.draw_line(
                    (from.ceil() as i32, sweep_line),
                    (to.floor() as i32, sweep_line),
                    colour,
                )?;
                back.draw_pixel(
                    (from.floor() as i32, sweep_line),
                    colour.mix(from.ceil() - from),
                )?;
                back.draw_pixel((to.ceil() as i32, sweep_line), colour.mix(to.floor() - to))?;
            }
            (first, second) = (None, None);
        }
    }
    Ok(())
}

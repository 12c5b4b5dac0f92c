//! Byte encodings for telemetry chunks and rollup blobs.
//!
//! Layout primitives (all little-endian, LEB128 varints):
//! - **Increasing integers** (timestamps, bucket indices): the first value as a varint, then the deltas
//!   run-length encoded as `(delta, run)` pairs. Regular sampling (every 60 s) is one pair per chunk, i.e.
//!   the delta-of-delta is zero and costs nothing per sample.
//! - **Run-length integers** (bucket sample counts): `(value, run)` pairs.
//! - **Value columns** (`f64`), one mode byte then:
//!   - mode 0, *decimal*: a scale byte `s` (0..=6), then each value as the zigzag varint of the delta of
//!     `round(v · 10^s)` from the previous one. Chosen only when *every* value round-trips bit-exactly via
//!     `m / 10^s`, so sensor readings with a few decimals cost 1–3 bytes each.
//!   - mode 1, *XOR*: each value's bits XOR the previous value's bits; `0x00` when equal, else a header byte
//!     `trailing_zero_bytes << 4 | significant_len` and the significant bytes.
//!   - mode 2, *near-decimal*: a scale byte `s`, then per value the zigzag varint delta of `m = round(v · 10^s)`
//!     as in mode 0 followed by the zigzag varint of `bits(v) − bits(m / 10^s)` (wrapping). For columns that
//!     are decimals up to a rounding error, e.g. the float sum of 0.01 A readings in a rollup bucket: about
//!     3 bytes where XOR needs 7–8. Lossless for any finite value.
//!
//!   The encoder uses mode 0 when it applies, else the smaller of modes 1 and 2.
//!
//! NaN, ±inf and −0.0 are never decimal-encodable, so they force the XOR mode, which restores every
//! `f64` bit-exactly (NaN payloads included). The *store* rejects non-finite samples at ingest (JSON cannot
//! carry them and rollups would be meaningless); the codec itself is total.

use crate::error::{Error, Result};

const MODE_DECIMAL: u8 = 0;
const MODE_XOR: u8 = 1;
const MODE_NEAR_DECIMAL: u8 = 2;
const MAX_SCALE: u8 = 6;
const MAX_EXACT: f64 = 9_007_199_254_740_992.0; // 2^53

/// Appends `v` as an unsigned LEB128 varint.
pub fn put_uvarint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads an unsigned LEB128 varint at `*pos`, advancing it.
pub fn get_uvarint(buf: &[u8], pos: &mut usize) -> Result<u64> {
    let mut v: u64 = 0;
    let mut shift = 0u32;
    loop {
        let b = *buf
            .get(*pos)
            .ok_or_else(|| Error::BadChunk("truncated varint"))?;
        *pos += 1;
        if shift == 63 && b > 1 {
            return Err(Error::BadChunk("varint overflow"));
        }
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
        shift += 7;
        if shift > 63 {
            return Err(Error::BadChunk("varint too long"));
        }
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Encodes a strictly increasing sequence of non-negative integers.
pub fn put_increasing(out: &mut Vec<u8>, values: &[i64]) {
    let Some(&first) = values.first() else {
        return;
    };
    put_uvarint(out, first as u64);
    let mut i = 1;
    while i < values.len() {
        let delta = values[i] - values[i - 1];
        let mut run = 1;
        while i + run < values.len() && values[i + run] - values[i + run - 1] == delta {
            run += 1;
        }
        put_uvarint(out, delta as u64);
        put_uvarint(out, run as u64);
        i += run;
    }
}

/// Decodes `n` values written by [`put_increasing`].
pub fn get_increasing(buf: &[u8], pos: &mut usize, n: usize) -> Result<Vec<i64>> {
    let mut out = Vec::with_capacity(n);
    if n == 0 {
        return Ok(out);
    }
    let first = get_uvarint(buf, pos)?;
    let mut cur = i64::try_from(first).map_err(|_| Error::BadChunk("offset out of range"))?;
    out.push(cur);
    while out.len() < n {
        let delta = get_uvarint(buf, pos)?;
        let run = get_uvarint(buf, pos)? as usize;
        if delta == 0 || run == 0 || run > n - out.len() {
            return Err(Error::BadChunk("bad delta run"));
        }
        let delta = i64::try_from(delta).map_err(|_| Error::BadChunk("delta out of range"))?;
        for _ in 0..run {
            cur = cur
                .checked_add(delta)
                .ok_or_else(|| Error::BadChunk("offset overflow"))?;
            out.push(cur);
        }
    }
    Ok(out)
}

/// Encodes integers as `(value, run)` pairs.
pub fn put_runs(out: &mut Vec<u8>, values: &[u64]) {
    let mut i = 0;
    while i < values.len() {
        let mut run = 1;
        while i + run < values.len() && values[i + run] == values[i] {
            run += 1;
        }
        put_uvarint(out, values[i]);
        put_uvarint(out, run as u64);
        i += run;
    }
}

/// Decodes `n` values written by [`put_runs`].
pub fn get_runs(buf: &[u8], pos: &mut usize, n: usize) -> Result<Vec<u64>> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let v = get_uvarint(buf, pos)?;
        let run = get_uvarint(buf, pos)? as usize;
        if run == 0 || run > n - out.len() {
            return Err(Error::BadChunk("bad run length"));
        }
        out.extend(std::iter::repeat_n(v, run));
    }
    Ok(out)
}

fn pow10(scale: u8) -> f64 {
    10f64.powi(i32::from(scale))
}

/// `y.round()` (half away from zero) as an integer, if it is within ±2^53. Not `f64::round`:
/// without SSE4.1 in the baseline x86-64 target that is a libm call, and the encoder rounds every
/// value at up to 7 scales while it picks a mode.
fn rounded(y: f64) -> Option<i64> {
    if y.is_nan() || y.abs() > MAX_EXACT {
        return None;
    }
    let t = y as i64; // truncates toward zero, exact here
    let frac = y - t as f64; // exact: |y| < 2^53
    Some(t + i64::from(frac >= 0.5) - i64::from(frac <= -0.5))
}

/// The integer mantissa of `v` at `scale` if `v` round-trips bit-exactly through it.
fn mantissa(v: f64, scale: u8) -> Option<i64> {
    let m = pow10(scale);
    let i = rounded(v * m)?;
    ((i as f64 / m).to_bits() == v.to_bits()).then_some(i)
}

fn decimal_scale(values: &[f64]) -> Option<u8> {
    (0..=MAX_SCALE).find(|&s| values.iter().all(|&v| mantissa(v, s).is_some()))
}

fn uvarint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

/// The mantissa `m` of `v` at `scale` and the bit residual from `m / 10^s` to `v` (mode 2).
fn near_mantissa(v: f64, scale: u8) -> Option<(i64, i64)> {
    let m = pow10(scale);
    if !v.is_finite() {
        return None;
    }
    let i = rounded(v * m)?;
    let residual = v.to_bits().wrapping_sub((i as f64 / m).to_bits()) as i64;
    Some((i, residual))
}

/// Bytes the XOR mode needs for `values` (without the mode byte).
fn xor_len(values: &[f64]) -> usize {
    let mut prev = 0u64;
    let mut len = 0;
    for &v in values {
        let x = v.to_bits() ^ prev;
        prev = v.to_bits();
        len += 1;
        if x != 0 {
            len += 8 - (x.trailing_zeros() / 8 + x.leading_zeros() / 8) as usize;
        }
    }
    len
}

/// Bytes the near-decimal mode at `scale` needs (without mode and scale bytes), if it applies.
fn near_decimal_len(values: &[f64], scale: u8, limit: usize) -> Option<usize> {
    let mut prev = 0i64;
    let mut len = 0;
    for &v in values {
        let (m, r) = near_mantissa(v, scale)?;
        len += uvarint_len(zigzag(m - prev)) + uvarint_len(zigzag(r));
        prev = m;
        if len >= limit {
            return None;
        }
    }
    Some(len)
}

/// Encodes a column of values (see the module docs for the modes).
pub fn put_values(out: &mut Vec<u8>, values: &[f64]) {
    if let Some(scale) = decimal_scale(values) {
        out.push(MODE_DECIMAL);
        out.push(scale);
        let mut prev = 0i64;
        for &v in values {
            // Both mantissas are within ±2^53, so the difference cannot overflow.
            let m = mantissa(v, scale).unwrap_or_default();
            put_uvarint(out, zigzag(m - prev));
            prev = m;
        }
        return;
    }
    let mut best: Option<(u8, usize)> = None;
    let xor = xor_len(values);
    for scale in 0..=MAX_SCALE {
        let limit = best.map_or(xor, |b| b.1);
        if let Some(len) = near_decimal_len(values, scale, limit) {
            best = Some((scale, len));
        }
    }
    if let Some((scale, _)) = best {
        out.push(MODE_NEAR_DECIMAL);
        out.push(scale);
        let mut prev = 0i64;
        for &v in values {
            // near_decimal_len accepted every value at this scale.
            let (m, r) = near_mantissa(v, scale).unwrap_or_default();
            put_uvarint(out, zigzag(m - prev));
            put_uvarint(out, zigzag(r));
            prev = m;
        }
        return;
    }
    out.push(MODE_XOR);
    let mut prev = 0u64;
    for &v in values {
        let bits = v.to_bits();
        let x = bits ^ prev;
        prev = bits;
        if x == 0 {
            out.push(0);
            continue;
        }
        let trail = x.trailing_zeros() / 8;
        let lead = x.leading_zeros() / 8;
        let len = 8 - lead - trail;
        out.push(((trail as u8) << 4) | len as u8);
        out.extend_from_slice(&(x >> (8 * trail)).to_le_bytes()[..len as usize]);
    }
}

/// Decodes `n` values written by [`put_values`].
pub fn get_values(buf: &[u8], pos: &mut usize, n: usize) -> Result<Vec<f64>> {
    let mode = *buf
        .get(*pos)
        .ok_or_else(|| Error::BadChunk("missing value mode"))?;
    *pos += 1;
    let mut out = Vec::with_capacity(n);
    match mode {
        MODE_DECIMAL => {
            let scale = *buf
                .get(*pos)
                .ok_or_else(|| Error::BadChunk("missing scale"))?;
            *pos += 1;
            if scale > MAX_SCALE {
                return Err(Error::BadChunk("bad decimal scale"));
            }
            let m = pow10(scale);
            let mut prev = 0i64;
            for _ in 0..n {
                prev = prev
                    .checked_add(unzigzag(get_uvarint(buf, pos)?))
                    .ok_or_else(|| Error::BadChunk("mantissa overflow"))?;
                out.push(prev as f64 / m);
            }
        }
        MODE_NEAR_DECIMAL => {
            let scale = *buf
                .get(*pos)
                .ok_or_else(|| Error::BadChunk("missing scale"))?;
            *pos += 1;
            if scale > MAX_SCALE {
                return Err(Error::BadChunk("bad decimal scale"));
            }
            let m = pow10(scale);
            let mut prev = 0i64;
            for _ in 0..n {
                prev = prev
                    .checked_add(unzigzag(get_uvarint(buf, pos)?))
                    .ok_or_else(|| Error::BadChunk("mantissa overflow"))?;
                let residual = unzigzag(get_uvarint(buf, pos)?);
                let bits = (prev as f64 / m).to_bits().wrapping_add(residual as u64);
                out.push(f64::from_bits(bits));
            }
        }
        MODE_XOR => {
            let mut prev = 0u64;
            for _ in 0..n {
                let h = *buf
                    .get(*pos)
                    .ok_or_else(|| Error::BadChunk("truncated xor value"))?;
                *pos += 1;
                if h != 0 {
                    let len = usize::from(h & 0x0f);
                    let trail = u32::from(h >> 4);
                    if len == 0 || len + trail as usize > 8 {
                        return Err(Error::BadChunk("bad xor header"));
                    }
                    let bytes = buf
                        .get(*pos..*pos + len)
                        .ok_or_else(|| Error::BadChunk("truncated xor value"))?;
                    *pos += len;
                    let mut le = [0u8; 8];
                    le[..len].copy_from_slice(bytes);
                    prev ^= u64::from_le_bytes(le) << (8 * trail);
                }
                out.push(f64::from_bits(prev));
            }
        }
        _ => return Err(Error::BadChunk("unknown value mode")),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_is_f64_round_within_two_to_the_53() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let edges = [
            0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            4_503_599_627_370_495.5,
        ];
        let mut cases: Vec<f64> = edges.iter().flat_map(|&e| [e, -e]).collect();
        cases.extend([MAX_EXACT, -MAX_EXACT, 1e-300]);
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            let exp = (x % 60) as i32 - 5;
            cases.push((unit - 0.5) * 2f64.powi(exp));
            cases.push(((x % 2_000_001) as f64 - 1e6) / 2.0);
        }
        for y in cases {
            assert_eq!(rounded(y), Some(y.round() as i64), "{y}");
        }
        let out_of_range = [
            2.0 * MAX_EXACT,
            -2.0 * MAX_EXACT,
            f64::NAN,
            f64::INFINITY,
            1e300,
        ];
        for y in out_of_range {
            assert_eq!(rounded(y), None, "{y}");
        }
    }

    #[test]
    fn regular_timestamps_cost_one_pair() {
        let ts: Vec<i64> = (0..60).map(|i| i * 60_000).collect();
        let mut out = Vec::new();
        put_increasing(&mut out, &ts);
        assert_eq!(
            out.len(),
            1 + 3 + 1,
            "first + (delta varint 3 bytes, run 1 byte)"
        );
        let mut pos = 0;
        assert_eq!(get_increasing(&out, &mut pos, 60).unwrap(), ts);
    }

    #[test]
    fn decimals_pick_the_smallest_exact_scale() {
        let vals = [0.52, 0.521, -1500.0];
        assert_eq!(decimal_scale(&vals), Some(3));
        assert_eq!(
            decimal_scale(&[-0.0]),
            None,
            "-0.0 must keep its sign, so XOR mode"
        );
        assert_eq!(decimal_scale(&[f64::NAN]), None);
    }

    #[test]
    fn float_sums_of_decimals_take_the_near_decimal_mode() {
        // 15-sample sums of 0.01 A readings, as a rollup's sum column holds them.
        let sums: Vec<f64> = (0..96)
            .map(|b| {
                (0..15)
                    .map(|i| f64::from((b * 7 + i * 13) % 400) / 100.0)
                    .sum()
            })
            .collect();
        assert_eq!(
            decimal_scale(&sums),
            None,
            "float sums are not exact decimals"
        );
        let mut out = Vec::new();
        put_values(&mut out, &sums);
        assert_eq!(out[0], MODE_NEAR_DECIMAL);
        assert!(
            out.len() * 2 < 1 + xor_len(&sums),
            "{} B vs XOR {} B",
            out.len(),
            1 + xor_len(&sums)
        );
        let mut pos = 0;
        let back = get_values(&out, &mut pos, sums.len()).unwrap();
        assert!(back
            .iter()
            .zip(&sums)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
    }

    #[test]
    fn columns_written_before_the_near_decimal_mode_still_decode() {
        // Bytes as the previous encoder wrote them (stores on users' disks): a float sum in XOR
        // mode, and decimals 0.52, 0.521, -1500 in decimal mode at scale 3.
        let xor = [1u8, 0x08, 0x34, 0x33, 0x33, 0x33, 0x33, 0x33, 0xD3, 0x3F];
        let mut pos = 0;
        let back = get_values(&xor, &mut pos, 1).unwrap();
        assert_eq!(back[0].to_bits(), (0.1f64 + 0.2).to_bits());
        let mut decimal = vec![MODE_DECIMAL, 3];
        for d in [520i64, 1, -1_500_521] {
            put_uvarint(&mut decimal, zigzag(d));
        }
        let mut pos = 0;
        assert_eq!(
            get_values(&decimal, &mut pos, 3).unwrap(),
            vec![0.52, 0.521, -1500.0]
        );
    }

    #[test]
    fn non_finite_values_keep_the_xor_mode() {
        let mut out = Vec::new();
        put_values(&mut out, &[0.1 + 0.2, f64::INFINITY, 3.3]);
        assert_eq!(out[0], MODE_XOR);
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let mut out = Vec::new();
        put_values(&mut out, &[1.5, f64::NAN, 3.25]);
        for cut in 0..out.len() {
            let mut pos = 0;
            assert!(get_values(&out[..cut], &mut pos, 3).is_err());
        }
    }
}

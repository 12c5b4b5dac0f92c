//! The blob codecs behind the store's reads, for `crates/fuzz` only (feature `fuzzing`, off in
//! every other build): a damaged database hands these any bytes, so they must answer
//! [`Error::BadChunk`](crate::Error::BadChunk), never panic or allocate without bound.

use crate::bucket::Resolution;
use crate::error::Result;

/// How long a raw sample chunk's span is.
pub const CHUNK_SPAN_MS: i64 = crate::chunk::SPAN_MS;

/// Decodes a raw sample chunk of the span starting at `start` (epoch ms; four hours long).
pub fn decode_chunk(start: i64, data: &[u8]) -> Result<Vec<(i64, f64)>> {
    crate::chunk::decode(start, data)
}

/// Encodes sorted, unique samples of the span starting at `start`, as the store writes them.
pub fn encode_chunk(start: i64, samples: &[(i64, f64)]) -> Vec<u8> {
    crate::chunk::encode(start, samples)
}

/// Decodes a rollup blob of `res` buckets for the period starting at `period`; the bucket
/// starts, in order.
pub fn decode_rollup(period: i64, res: Resolution, data: &[u8]) -> Result<Vec<i64>> {
    Ok(crate::rollup::decode(period, res, data)?
        .into_iter()
        .map(|a| a.start)
        .collect())
}

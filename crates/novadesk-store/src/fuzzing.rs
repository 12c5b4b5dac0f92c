//! The blob codecs behind the store's reads, for `crates/fuzz` only (feature `fuzzing`, off in
//! every other build): a damaged database hands these any bytes, so they must answer
//! [`Error::BadChunk`](crate::Error::BadChunk), never panic or allocate without bound.

use crate::bucket::Resolution;
use crate::error::Result;

/// Decodes a raw sample chunk of the hour starting at `hour` (epoch ms).
pub fn decode_chunk(hour: i64, data: &[u8]) -> Result<Vec<(i64, f64)>> {
    crate::chunk::decode(hour, data)
}

/// Encodes sorted, unique samples of the hour starting at `hour`, as the store writes them.
pub fn encode_chunk(hour: i64, samples: &[(i64, f64)]) -> Vec<u8> {
    crate::chunk::encode(hour, samples)
}

/// Decodes a rollup blob of `res` buckets for the period starting at `period`; the bucket
/// starts, in order.
pub fn decode_rollup(period: i64, res: Resolution, data: &[u8]) -> Result<Vec<i64>> {
    Ok(crate::rollup::decode(period, res, data)?
        .into_iter()
        .map(|a| a.start)
        .collect())
}

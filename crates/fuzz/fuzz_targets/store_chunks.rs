//! The store's blob decoding, as a damaged or hostile database file hands it any bytes: raw
//! sample chunks and rollup blobs (`novadesk-store`'s `fuzzing` feature exposes the decoders).
//! Oracle: no panic and no unbounded allocation; a chunk that decodes is sorted, unique and
//! inside its span, and re-encoding it decodes to the same samples, bit for bit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use novadesk_store::fuzzing::{decode_chunk, decode_rollup, encode_chunk, CHUNK_SPAN_MS};
use novadesk_store::{Resolution, DAY_MS};

/// 2026-03-06T08:00:00Z, a chunk boundary.
const START: i64 = 1_772_784_000_000;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, blob)) = data.split_first() else {
        return;
    };
    if pick & 1 == 0 {
        let Ok(samples) = decode_chunk(START, blob) else {
            return;
        };
        assert!(samples.windows(2).all(|w| w[0].0 < w[1].0), "unsorted");
        assert!(samples
            .iter()
            .all(|s| (START..START + CHUNK_SPAN_MS).contains(&s.0)));
        let again = decode_chunk(START, &encode_chunk(START, &samples)).expect("own encoding");
        assert_eq!(again.len(), samples.len());
        for (a, b) in again.iter().zip(&samples) {
            assert_eq!((a.0, a.1.to_bits()), (b.0, b.1.to_bits()));
        }
    } else {
        let res = Resolution::LEVELS[usize::from(pick >> 1) % Resolution::LEVELS.len()];
        let period = START - START % (96 * DAY_MS);
        if let Ok(starts) = decode_rollup(period, res, blob) {
            assert!(starts.windows(2).all(|w| w[0] < w[1]), "unsorted buckets");
            assert!(starts
                .iter()
                .all(|&s| s >= period && (s - period) % res.as_ms() == 0));
        }
    }
});

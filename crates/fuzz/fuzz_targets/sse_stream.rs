//! The live stream's decoding: bytes as they arrive from `GET /stream/sites/{id}`, cut into
//! chunks where the network might cut them, through `novacore::stream::decode_chunks` — the exact
//! path `stream_site` uses (size guard, SSE parser, `decode_event`: readings, gaps, oversized and
//! unknown events). Oracle: no panic, and the same events whatever the cuts (a reading must not
//! depend on how TCP split the bytes).
#![no_main]

use bytes::Bytes;
use futures::StreamExt;
use libfuzzer_sys::fuzz_target;
use novacore::stream::decode_chunks;
use novacore::StreamEvent;

fn events(chunks: Vec<Vec<u8>>, max_bytes: usize) -> Vec<Option<StreamEvent>> {
    let stream = futures::stream::iter(
        chunks
            .into_iter()
            .map(|c| Ok::<_, std::convert::Infallible>(Bytes::from(c))),
    );
    // A parse error (invalid UTF-8) is the parser's typed answer; keep its position.
    futures::executor::block_on(decode_chunks(stream, max_bytes).map(Result::ok).collect())
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, body)) = data.split_first() else {
        return;
    };
    // Low bits: chunk length 1..=16; high bits: the event size limit.
    let cut = usize::from(head & 0x0f) + 1;
    let max_bytes = 16 << (head >> 4);
    let whole = events(vec![body.to_vec()], max_bytes);
    let split = events(body.chunks(cut).map(<[u8]>::to_vec).collect(), max_bytes);
    if whole.iter().all(Option::is_some) {
        assert_eq!(whole, split, "events depend on where the bytes were cut");
    }
});

//! The process's use of glibc's heap. By default glibc gives each thread that allocates an arena
//! of its own (up to 8 per core) and keeps freed memory in them for reuse: the app's two dozen
//! threads (tokio's workers and blocking pool, GTK's, WebKit's) each kept the high-water mark of
//! their bursts — a sign-in's history pages, a chart's export — as resident memory for the life of
//! the process. Two arenas are enough for an app whose threads mostly wait, and freed memory is
//! handed back to the system every few seconds (`malloc_trim` costs well under a millisecond here).

use std::time::Duration;

/// How often freed heap memory is given back: soon after a burst (the monitors' history back-fill
/// after a sign-in, a chart export); each trim costs well under a millisecond.
pub const TRIM_EVERY: Duration = Duration::from_secs(5);

/// Caps glibc's arenas. Call first thing in `main`, before any thread exists (arenas already
/// made are kept).
#[allow(unsafe_code)] // two glibc calls, no Rust-side invariants
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Gives the free memory at the top and inside of every arena back to the system; `true` when
/// some was released.
#[allow(unsafe_code)]
pub fn trim() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim is thread-safe (it locks each arena in turn).
    unsafe {
        libc::malloc_trim(0) == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    false
}

/// Trims every [`TRIM_EVERY`] on a blocking thread, for as long as the runtime runs.
pub fn spawn_trimming() {
    tauri::async_runtime::spawn(async {
        let mut tick = tokio::time::interval(TRIM_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let _ = tokio::task::spawn_blocking(trim).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_after_freeing_a_large_block_gives_memory_back() {
        // Many mid-sized blocks (below the mmap threshold, so they live in an arena), freed but
        // the last: the arena's free space is then inside, where only malloc_trim reaches it.
        let blocks: Vec<Vec<u8>> = (0..512).map(|i| vec![i as u8; 64 * 1024]).collect();
        let keep = blocks.last().cloned();
        drop(blocks);
        let released = trim();
        assert!(keep.is_some());
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            assert!(released, "32 MiB freed in the arena, nothing given back");
        } else {
            assert!(!released);
        }
    }
}

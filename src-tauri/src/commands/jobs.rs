//! Cancellable long work the window started (a chart's fetch, a network scan), by the window's
//! request id, so a cancel command can reach it. One registry type per kind of work: Tauri keeps
//! managed state by type.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Mutex;

use novadesk_core::CancelToken;

use crate::error::CommandResult;

/// Cancel tokens of the `K` jobs in flight, by request id.
pub struct Jobs<K> {
    tokens: Mutex<HashMap<String, CancelToken>>,
    kind: PhantomData<fn() -> K>,
}

impl<K> Default for Jobs<K> {
    fn default() -> Self {
        Self {
            tokens: Mutex::default(),
            kind: PhantomData,
        }
    }
}

impl<K> Jobs<K> {
    /// A token for a new job; a reused id cancels the older job (only the newest one is shown).
    /// The id must have core's id shape (the window's own counter).
    pub fn start(&self, id: &str) -> CommandResult<CancelToken> {
        novadesk_core::input::id("request", id)?;
        let token = CancelToken::new();
        let mut jobs = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = jobs.insert(id.to_string(), token.clone()) {
            old.cancel();
        }
        Ok(token)
    }

    /// Forget a job that ended (unless a newer job took its id).
    pub fn finish(&self, id: &str, token: &CancelToken) {
        let mut jobs = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if jobs.get(id).is_some_and(|t| t.same_as(token)) {
            jobs.remove(id);
        }
    }

    /// Cancel the job running under `id`; false when none is. A malformed id is refused.
    pub fn cancel(&self, id: &str) -> CommandResult<bool> {
        novadesk_core::input::id("request", id)?;
        let jobs = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        Ok(jobs.get(id).map(|t| t.cancel()).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Work;

    #[test]
    fn cancel_reaches_the_running_job_and_a_reused_id_cancels_the_older_one() {
        let jobs = Jobs::<Work>::default();
        assert!(!jobs.cancel("none").unwrap(), "nothing runs under that id");
        let first = jobs.start("r1").unwrap();
        let second = jobs.start("r1").unwrap();
        assert!(first.is_cancelled(), "the older job with the same id stops");
        assert!(jobs.cancel("r1").unwrap());
        assert!(second.is_cancelled());
        jobs.finish("r1", &second);
        assert!(!jobs.cancel("r1").unwrap(), "finished jobs are forgotten");
        // A finished older job does not drop the newer one's token.
        let third = jobs.start("r2").unwrap();
        jobs.finish("r2", &first);
        assert!(jobs.cancel("r2").unwrap() && third.is_cancelled());
        // Request ids are the window's counters, never paths or pages.
        for bad in ["../x", "a\0", ""] {
            assert!(
                jobs.start(bad).is_err() && jobs.cancel(bad).is_err(),
                "{bad:?}"
            );
        }
    }
}

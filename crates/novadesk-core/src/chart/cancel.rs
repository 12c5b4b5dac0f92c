//! Cancelling a chart fetch from another command: a shared flag plus a wake-up for the request
//! in flight, so cancel takes effect at once, not after the current request finishes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

/// Cheap to clone; every clone cancels the same work.
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    cancelled: AtomicBool,
    notify: Notify,
}

impl CancelToken {
    /// A token not cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the work to stop; what was already stored stays.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    /// Whether both are handles on the same work.
    pub fn same_as(&self, other: &CancelToken) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Completes when the token is cancelled.
    pub async fn cancelled(&self) {
        loop {
            // Created before the check: `notify_waiters` reaches a `Notified` from its creation on.
            let woken = self.inner.notify.notified();
            if self.is_cancelled() {
                return;
            }
            woken.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn cancel_wakes_a_waiter_and_sticks() {
        let token = CancelToken::new();
        let waiter = {
            let t = token.clone();
            tokio::spawn(async move { t.cancelled().await })
        };
        tokio::task::yield_now().await;
        assert!(!token.is_cancelled());
        token.cancel();
        tokio::time::timeout(std::time::Duration::from_secs(2), waiter)
            .await
            .expect("woken")
            .expect("joined");
        assert!(token.is_cancelled());
        token.cancelled().await; // already cancelled: returns at once
    }
}

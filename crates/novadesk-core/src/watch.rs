//! [`WatchRegistry`]: one background task per key (e.g. one SSE stream per site), shared by
//! however many watchers, stopped when the last watcher goes away.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::broadcast;
use tokio::task::AbortHandle;

type Table<K, T> = Mutex<HashMap<K, Shared<T>>>;

struct Shared<T> {
    watchers: usize,
    /// Weak, so that when the task ends (dropping its sender) watchers see `Closed`.
    sender: broadcast::WeakSender<T>,
    task: AbortHandle,
}

/// Starts a task for a key on its first watcher, fans its output out to every watcher, and
/// aborts it when the last [`Watch`] is dropped.
pub struct WatchRegistry<K, T> {
    table: Arc<Table<K, T>>,
    runtime: tokio::runtime::Handle,
    capacity: usize,
}

impl<K, T> fmt::Debug for WatchRegistry<K, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WatchRegistry")
            .field("keys", &lock(&self.table).len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl<K, T> WatchRegistry<K, T>
where
    K: Eq + Hash + Clone + Send + 'static,
    T: Clone + Send + 'static,
{
    /// Tasks run on `runtime`; each key buffers up to `capacity` items for slow watchers (who
    /// then see `RecvError::Lagged` with the count they missed, never a silent loss).
    pub fn new(runtime: tokio::runtime::Handle, capacity: usize) -> Self {
        Self {
            table: Arc::new(Mutex::new(HashMap::new())),
            runtime,
            capacity: capacity.max(1),
        }
    }

    /// Watches `key`. The first watcher (or the first after the task ended by itself) runs
    /// `start(sender)` as the key's task; later watchers share its output.
    pub fn watch<F, Fut>(&self, key: K, start: F) -> Watch<K, T>
    where
        F: FnOnce(broadcast::Sender<T>) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let mut table = lock(&self.table);
        let live = table
            .get(&key)
            .filter(|s| !s.task.is_finished())
            .and_then(|s| s.sender.upgrade());
        let receiver = match (live, table.get_mut(&key)) {
            (Some(sender), Some(shared)) => {
                shared.watchers += 1;
                sender.subscribe()
            }
            (_, existing) => {
                let watchers = existing.map_or(0, |s| s.watchers) + 1;
                let (sender, receiver) = broadcast::channel(self.capacity);
                let weak = sender.downgrade();
                let task = self.runtime.spawn(start(sender)).abort_handle();
                table.insert(
                    key.clone(),
                    Shared {
                        watchers,
                        sender: weak,
                        task,
                    },
                );
                receiver
            }
        };
        Watch {
            key,
            receiver,
            table: Arc::downgrade(&self.table),
        }
    }

    /// How many watchers `key` has.
    pub fn watchers(&self, key: &K) -> usize {
        lock(&self.table).get(key).map_or(0, |s| s.watchers)
    }

    /// Keys with at least one watcher.
    pub fn keys(&self) -> Vec<K> {
        lock(&self.table).keys().cloned().collect()
    }
}

impl<K, T> Drop for WatchRegistry<K, T> {
    fn drop(&mut self) {
        for (_, shared) in lock(&self.table).drain() {
            shared.task.abort();
        }
    }
}

/// One watcher of a key: read [`Watch::receiver`]; drop it to stop watching.
pub struct Watch<K: Eq + Hash, T> {
    key: K,
    /// The key's output. `Closed` means the task ended (or the registry is gone).
    pub receiver: broadcast::Receiver<T>,
    table: Weak<Table<K, T>>,
}

impl<K: Eq + Hash + fmt::Debug, T> fmt::Debug for Watch<K, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watch")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl<K: Eq + Hash, T> Watch<K, T> {
    /// The watched key.
    pub fn key(&self) -> &K {
        &self.key
    }
}

impl<K: Eq + Hash, T> Drop for Watch<K, T> {
    fn drop(&mut self) {
        let Some(table) = self.table.upgrade() else {
            return;
        };
        let mut table = lock(&table);
        if let Some(shared) = table.get_mut(&self.key) {
            shared.watchers = shared.watchers.saturating_sub(1);
            if shared.watchers == 0 {
                shared.task.abort();
                table.remove(&self.key);
            }
        }
    }
}

fn lock<K, T>(t: &Table<K, T>) -> std::sync::MutexGuard<'_, HashMap<K, Shared<T>>> {
    t.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// A task that counts its starts, emits 1, 2, 3 … every few ms and counts its aborts.
    fn ticker(
        starts: Arc<AtomicUsize>,
        stops: Arc<AtomicUsize>,
    ) -> impl FnOnce(broadcast::Sender<u32>) -> futures::future::BoxFuture<'static, ()> {
        move |tx| {
            starts.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                struct OnDrop(Arc<AtomicUsize>);
                impl Drop for OnDrop {
                    fn drop(&mut self) {
                        self.0.fetch_add(1, Ordering::SeqCst);
                    }
                }
                let _guard = OnDrop(stops);
                for i in 1.. {
                    let _ = tx.send(i);
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            })
        }
    }

    async fn eventually(cond: impl Fn() -> bool) {
        for _ in 0..500 {
            if cond() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        panic!("condition not reached");
    }

    #[tokio::test]
    async fn one_task_per_key_shared_by_watchers_and_stopped_by_the_last() {
        let reg = WatchRegistry::<String, u32>::new(tokio::runtime::Handle::current(), 64);
        let (starts, stops) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut a = reg.watch("sit-1".into(), ticker(starts.clone(), stops.clone()));
        let mut b = reg.watch("sit-1".into(), ticker(starts.clone(), stops.clone()));
        let mut c = reg.watch("sit-2".into(), ticker(starts.clone(), stops.clone()));
        assert_eq!(starts.load(Ordering::SeqCst), 2, "one task per key");
        assert_eq!(reg.watchers(&"sit-1".to_string()), 2);
        let mut keys = reg.keys();
        keys.sort();
        assert_eq!(keys, ["sit-1", "sit-2"]);
        // Both watchers of sit-1 see the same stream.
        let x = a.receiver.recv().await.unwrap();
        let y = b.receiver.recv().await.unwrap();
        assert!(x >= 1 && y >= 1);
        assert!(c.receiver.recv().await.is_ok());
        drop(a);
        assert_eq!(stops.load(Ordering::SeqCst), 0, "a watcher remains");
        assert!(b.receiver.recv().await.is_ok());
        drop(b);
        eventually(|| stops.load(Ordering::SeqCst) == 1).await;
        assert_eq!(reg.watchers(&"sit-1".to_string()), 0);
        assert_eq!(reg.keys(), ["sit-2"]);
        // Watching again starts a fresh task.
        let mut d = reg.watch("sit-1".into(), ticker(starts.clone(), stops.clone()));
        assert_eq!(starts.load(Ordering::SeqCst), 3);
        assert!(d.receiver.recv().await.is_ok(), "the fresh task runs");
        drop(reg);
        eventually(|| stops.load(Ordering::SeqCst) == 3).await;
        // The registry is gone: watchers drain what was sent, then see Closed instead of hanging.
        let closed = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                if let Err(broadcast::error::RecvError::Closed) = c.receiver.recv().await {
                    return;
                }
            }
        });
        closed.await.expect("Closed after the registry is dropped");
    }

    #[tokio::test]
    async fn a_task_that_ended_is_restarted_by_the_next_watcher() {
        let reg = WatchRegistry::<u8, u32>::new(tokio::runtime::Handle::current(), 8);
        let starts = Arc::new(AtomicUsize::new(0));
        let s = starts.clone();
        let mut first = reg.watch(1, move |tx| {
            s.fetch_add(1, Ordering::SeqCst);
            async move {
                let _ = tx.send(7);
            }
        });
        assert_eq!(first.receiver.recv().await.unwrap(), 7);
        assert!(matches!(
            first.receiver.recv().await,
            Err(broadcast::error::RecvError::Closed)
        ));
        let s = starts.clone();
        let mut second = reg.watch(1, move |tx| {
            s.fetch_add(1, Ordering::SeqCst);
            async move {
                let _ = tx.send(8);
            }
        });
        assert_eq!(second.receiver.recv().await.unwrap(), 8);
        assert_eq!(starts.load(Ordering::SeqCst), 2);
        assert_eq!(reg.watchers(&1), 2);
    }
}

//! The `EventSink` port: typed events from the core to whoever shows them (the shell forwards
//! them to the window; tests record them).

use std::fmt;
use std::sync::Mutex;

use serde::Serialize;

/// Something the window should know happened. Serialized as `{"type": "<snake_case>", …fields}`.
/// Only what the shell forwards to the window is here: an event nobody shows is not an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AppEvent {
    /// The environment became reachable or unreachable.
    ConnectivityChanged {
        /// Whether requests currently get through.
        online: bool,
        /// Why it is offline (or what restored it), for the banner.
        reason: Option<String>,
    },
}

/// Receives the core's events. Must not block: implementations hand events off (to a channel,
/// the window) and return.
pub trait EventSink: Send + Sync {
    /// Delivers one event.
    fn emit(&self, event: AppEvent);
}

/// Any `Fn(AppEvent)` is a sink, so the shell can pass a closure that forwards to the window.
impl<F> EventSink for F
where
    F: Fn(AppEvent) + Send + Sync,
{
    fn emit(&self, event: AppEvent) {
        self(event)
    }
}

/// Keeps every event in order, for tests to assert on.
#[derive(Default)]
pub struct RecordingEventSink {
    events: Mutex<Vec<AppEvent>>,
}

impl RecordingEventSink {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the events so far.
    pub fn events(&self) -> Vec<AppEvent> {
        self.lock().clone()
    }

    /// The events so far, leaving the recorder empty.
    pub fn take(&self) -> Vec<AppEvent> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<AppEvent>> {
        self.events.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl EventSink for RecordingEventSink {
    fn emit(&self, event: AppEvent) {
        self.lock().push(event);
    }
}

impl fmt::Debug for RecordingEventSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingEventSink")
            .field("events", &self.lock().len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn recording_sink_keeps_order_and_take_empties_it() {
        let sink = RecordingEventSink::new();
        let offline = AppEvent::ConnectivityChanged {
            online: false,
            reason: Some("connection refused".into()),
        };
        let online = AppEvent::ConnectivityChanged {
            online: true,
            reason: None,
        };
        sink.emit(offline.clone());
        sink.emit(online.clone());
        assert_eq!(sink.events(), vec![offline.clone(), online.clone()]);
        assert_eq!(sink.take(), vec![offline, online]);
        assert!(sink.events().is_empty());
    }

    #[test]
    fn closures_are_sinks_and_work_behind_dyn() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let seen2 = seen.clone();
        let sink: Arc<dyn EventSink> = Arc::new(move |e: AppEvent| seen2.lock().unwrap().push(e));
        sink.emit(AppEvent::ConnectivityChanged {
            online: true,
            reason: None,
        });
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[test]
    fn events_serialize_as_tagged_objects_for_the_ui() {
        let e = AppEvent::ConnectivityChanged {
            online: false,
            reason: Some("Sandbox cannot be reached.".into()),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"type": "connectivity_changed", "online": false,
                               "reason": "Sandbox cannot be reached."})
        );
    }
}

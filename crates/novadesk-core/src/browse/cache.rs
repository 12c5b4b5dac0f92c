//! Typed access to the store's resource sets: each set holds the app's row types as JSON.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::Result;
use crate::workspace::Workspace;
use novadesk_store::Resource;

/// A value as fetched at `fetched_at_ms` (epoch ms), from the store or just now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cached<T> {
    pub value: T,
    pub fetched_at_ms: i64,
}

impl<T> Cached<T> {
    /// How old the data is at `now_ms` (never negative, whatever the clock did).
    pub fn age_ms(&self, now_ms: i64) -> i64 {
        (now_ms - self.fetched_at_ms).max(0)
    }

    /// The same fetch time over another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Cached<U> {
        Cached {
            value: f(self.value),
            fetched_at_ms: self.fetched_at_ms,
        }
    }
}

fn decode<T: DeserializeOwned>(kind: &str, r: Resource) -> Option<T> {
    match serde_json::from_value(r.body) {
        Ok(v) => Some(v),
        Err(e) => {
            // A row written by another version of the app: treat the set as not cached (the
            // refresh rewrites it) rather than fail the view.
            tracing::warn!(kind, id = %r.id, error = %e, "cached row does not decode");
            None
        }
    }
}

/// The set of `kind` under `parent`, or `None` if never fetched (or not decodable).
pub(crate) fn read_set<T: DeserializeOwned>(
    ws: &Workspace,
    kind: &str,
    parent: &str,
) -> Result<Option<Cached<Vec<T>>>> {
    let Some(set) = ws.store().resources(kind, parent)? else {
        return Ok(None);
    };
    let items: Option<Vec<T>> = set.items.into_iter().map(|r| decode(kind, r)).collect();
    Ok(items.map(|value| Cached {
        value,
        fetched_at_ms: set.fetched_at,
    }))
}

/// Every set of `kind`, by parent, in one store read: [`read_set`] for each parent at once (a set
/// that does not decode is left out, as `read_set` answers `None` for it).
pub(crate) fn read_sets<T: DeserializeOwned>(
    ws: &Workspace,
    kind: &str,
) -> Result<BTreeMap<String, Cached<Vec<T>>>> {
    let sets = ws.store().resource_sets(kind)?;
    Ok(sets
        .into_iter()
        .filter_map(|(parent, set)| {
            let items: Option<Vec<T>> = set.items.into_iter().map(|r| decode(kind, r)).collect();
            items.map(|value| {
                let cached = Cached {
                    value,
                    fetched_at_ms: set.fetched_at,
                };
                (parent, cached)
            })
        })
        .collect())
}

/// One cached row of `kind` by id, whichever set holds it (the newest copy).
pub(crate) fn read_one<T: DeserializeOwned>(
    ws: &Workspace,
    kind: &str,
    id: &str,
) -> Result<Option<Cached<T>>> {
    let Some((r, fetched_at)) = ws.store().resource(kind, id)? else {
        return Ok(None);
    };
    Ok(decode(kind, r).map(|value| Cached {
        value,
        fetched_at_ms: fetched_at,
    }))
}

/// Replaces the set of `kind` under `parent` with `items`, fetched at `fetched_at_ms`.
pub(crate) fn write_set<T: Serialize>(
    ws: &Workspace,
    kind: &str,
    parent: &str,
    items: &[T],
    id_of: impl Fn(&T) -> &str,
    fetched_at_ms: i64,
) -> Result<()> {
    let resources = items
        .iter()
        .map(|item| {
            Ok(Resource {
                id: id_of(item).to_string(),
                body: serde_json::to_value(item).map_err(novadesk_store::Error::from)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    ws.store()
        .upsert_resources(kind, parent, &resources, fetched_at_ms)?;
    Ok(())
}

/// Edits a cached set in place after a successful change (keeps its fetch time: the rest of the
/// set is as old as it was). A set never fetched stays unfetched: the next refresh fills it.
pub(crate) fn edit_set<T: Serialize + DeserializeOwned>(
    ws: &Workspace,
    kind: &str,
    parent: &str,
    id_of: impl Fn(&T) -> &str,
    edit: impl FnOnce(&mut Vec<T>),
) -> Result<()> {
    let Some(mut set) = read_set::<T>(ws, kind, parent)? else {
        return Ok(());
    };
    edit(&mut set.value);
    write_set(ws, kind, parent, &set.value, id_of, set.fetched_at_ms)
}

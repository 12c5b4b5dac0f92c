//! Resource snapshots (orgs, members, sites, gateways, devices, DERs) as JSON blobs.
//!
//! The store does not know the SDK's types: the app serializes its models into [`Resource::body`].

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::Store;

/// One resource: its id and its JSON body as fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Resource id (`sit-…`, `dev-…`, …).
    pub id: String,
    /// The resource as JSON.
    pub body: serde_json::Value,
}

/// All resources of one kind under one parent, as of one fetch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceSet {
    /// Items in id order.
    pub items: Vec<Resource>,
    /// When the set was fetched, epoch ms (for "cached N min ago").
    pub fetched_at: i64,
}

impl Store {
    /// Replaces the set of `kind` under `parent` (use `""` for top-level lists) with `items`: items no
    /// longer listed disappear. An empty `items` records "fetched, none there".
    pub fn upsert_resources(
        &mut self,
        kind: &str,
        parent: &str,
        items: &[Resource],
        fetched_at: i64,
    ) -> Result<()> {
        if kind.is_empty() {
            return Err(Error::InvalidInput(
                "resource kind must not be empty".into(),
            ));
        }
        if let Some(bad) = items.iter().find(|r| r.id.is_empty()) {
            return Err(Error::InvalidInput(format!(
                "a {kind} without id: {}",
                bad.body
            )));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM resources WHERE kind = ?1 AND parent = ?2",
            params![kind, parent],
        )?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO resources (kind, parent, id, body, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for r in items {
                ins.execute(params![
                    kind,
                    parent,
                    r.id,
                    serde_json::to_string(&r.body)?,
                    fetched_at
                ])?;
            }
        }
        tx.execute(
            "INSERT OR REPLACE INTO resource_sets (kind, parent, fetched_at) VALUES (?1, ?2, ?3)",
            params![kind, parent, fetched_at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The cached set of `kind` under `parent`, or `None` if it was never fetched.
    pub fn resources(&self, kind: &str, parent: &str) -> Result<Option<ResourceSet>> {
        let fetched_at: Option<i64> = self
            .conn
            .query_row(
                "SELECT fetched_at FROM resource_sets WHERE kind = ?1 AND parent = ?2",
                params![kind, parent],
                |r| r.get(0),
            )
            .optional()?;
        let Some(fetched_at) = fetched_at else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, body FROM resources WHERE kind = ?1 AND parent = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![kind, parent], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut items = Vec::new();
        for row in rows {
            let (id, body) = row?;
            items.push(Resource {
                id,
                body: serde_json::from_str(&body)?,
            });
        }
        Ok(Some(ResourceSet { items, fetched_at }))
    }

    /// Every cached set of `kind`, by parent (two queries, whatever the number of parents): what a
    /// view over all sites reads instead of one [`Store::resources`] per site.
    pub fn resource_sets(&self, kind: &str) -> Result<BTreeMap<String, ResourceSet>> {
        let mut sets = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT parent, fetched_at FROM resource_sets WHERE kind = ?1")?;
        let mut rows = stmt.query([kind])?;
        while let Some(r) = rows.next()? {
            let set = ResourceSet {
                items: Vec::new(),
                fetched_at: r.get(1)?,
            };
            sets.insert(r.get::<_, String>(0)?, set);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT parent, id, body FROM resources WHERE kind = ?1 ORDER BY parent, id",
        )?;
        let mut rows = stmt.query([kind])?;
        while let Some(r) = rows.next()? {
            // A row outside a recorded set is not a fetched set (as `resources` sees it).
            let parent: String = r.get(0)?;
            if let Some(set) = sets.get_mut(&parent) {
                let body: String = r.get(2)?;
                set.items.push(Resource {
                    id: r.get(1)?,
                    body: serde_json::from_str(&body)?,
                });
            }
        }
        Ok(sets)
    }

    /// One cached resource by kind and id (whatever its parent), with its `fetched_at`.
    pub fn resource(&self, kind: &str, id: &str) -> Result<Option<(Resource, i64)>> {
        let row: Option<(String, i64)> = self
            .conn
            .query_row(
                "SELECT body, fetched_at FROM resources WHERE kind = ?1 AND id = ?2 ORDER BY fetched_at DESC LIMIT 1",
                params![kind, id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            Some((body, fetched_at)) => Ok(Some((
                Resource {
                    id: id.to_owned(),
                    body: serde_json::from_str(&body)?,
                },
                fetched_at,
            ))),
            None => Ok(None),
        }
    }
}

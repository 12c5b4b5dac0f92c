//! `--state FILE`: the world (identities, orgs, sites, gateways, devices, DERs, Zap field
//! devices and keys) saved as JSON on shutdown and every 30 s, and loaded at start.
//! Telemetry is not stored: it is a pure function of the seed and time.

use std::path::Path;

use crate::error::{Error, Result};
use crate::world::model::World;

fn state_err(path: &Path, message: impl ToString) -> Error {
    Error::State {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

/// Loads a saved world; `Ok(None)` when the file does not exist yet.
pub fn load(path: &Path) -> Result<Option<World>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| state_err(path, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(state_err(path, e)),
    }
}

/// Writes the world atomically (temp file + rename), readable by the owner only, since it
/// holds the simulated Zaps' private keys.
pub fn save(path: &Path, world: &World) -> Result<()> {
    let json = serde_json::to_vec(world).map_err(|e| state_err(path, e))?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, json).map_err(|e| state_err(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| state_err(path, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| state_err(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_missing_and_corrupt() {
        let dir = std::env::temp_dir().join(format!("novacore-sim-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        assert!(load(&path).unwrap().is_none());
        let mut w = World::default();
        crate::world::demo::grant_demo(&mut w, 7, 2, "idt-me", chrono::Utc::now());
        save(&path, &w).unwrap();
        let back = load(&path).unwrap().unwrap();
        assert_eq!(back.sites.len(), w.sites.len());
        assert_eq!(back.zaps.len(), w.zaps.len());
        let (a, b) = (
            w.zaps.values().next().unwrap(),
            back.zaps.values().next().unwrap(),
        );
        assert_eq!(a.public_key_hex(), b.public_key_hex());
        std::fs::write(&path, b"{garbage").unwrap();
        assert!(matches!(load(&path), Err(Error::State { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! The identity key: where it comes from (flag, environment, keychain) and where new ones go.

use std::io::{Read, Write};
use std::path::Path;

use novacore::Identity;
use serde::Serialize;

use crate::cli::{IdentityCmd, KeyDestination};
use crate::error::{file_error, CliError, Result};
use crate::output::Output;
use crate::secrets::SecretStore;

/// Keychain entry holding the identity's PEM.
pub const IDENTITY_KEY: &str = "identity";

/// An identity and a description of where it came from.
pub struct Resolved {
    /// The key.
    pub identity: Identity,
    /// e.g. `file ./me.pem`, `NOVACORE_IDENTITY`, `the OS keychain`.
    pub source: String,
}

/// Finds the identity: `--identity`/`NOVACORE_IDENTITY` (a file path or the key itself), then
/// the secret store. A failing keychain is reported on stderr and treated as "no identity".
pub fn resolve(arg: Option<&str>, store: &dyn SecretStore) -> Result<Option<Resolved>> {
    if let Some(arg) = arg {
        let path = Path::new(arg);
        if path.is_file() {
            let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
            let identity = Identity::import(&text).map_err(|e| {
                CliError::Identity(format!("{}: not a usable Ed25519 key: {e}", path.display()))
            })?;
            return Ok(Some(Resolved {
                identity,
                source: format!("file {}", path.display()),
            }));
        }
        // Never echo the value: it may be a private key.
        return Identity::import(arg)
            .map(|identity| {
                Some(Resolved {
                    identity,
                    source: "the --identity/NOVACORE_IDENTITY value".into(),
                })
            })
            .map_err(|_| {
                CliError::Identity(
                    "the --identity/NOVACORE_IDENTITY value is neither a readable key file \
                     nor a private key (PEM, hex, base64 or base58 seed)"
                        .into(),
                )
            });
    }
    match store.get(IDENTITY_KEY) {
        Ok(Some(pem)) => Identity::import(&pem)
            .map(|identity| {
                Some(Resolved {
                    identity,
                    source: store.describe(),
                })
            })
            .map_err(|e| {
                CliError::Identity(format!(
                    "the identity in {} is unusable: {e}",
                    store.describe()
                ))
            }),
        Ok(None) => Ok(None),
        Err(e) => {
            eprintln!("warning: {e}");
            Ok(None)
        }
    }
}

/// Writes `content` to `path` readable by the owner only (0600 on Unix).
pub fn write_private_file(path: &Path, content: &str) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| file_error(path, e))?;
    f.write_all(content.as_bytes())
        .map_err(|e| file_error(path, e))
}

/// What `identity new|show|import` print.
#[derive(Serialize)]
struct IdentityInfo {
    public_key_base64: String,
    public_key_hex: String,
    public_key_base58: String,
    stored_in: String,
}

fn info(identity: &Identity, stored_in: String) -> IdentityInfo {
    IdentityInfo {
        public_key_base64: identity.public_key_base64(),
        public_key_hex: identity.public_key_hex(),
        public_key_base58: identity.public_key_base58(),
        stored_in,
    }
}

fn print_info(out: Output, i: &IdentityInfo) -> Result<()> {
    out.emit(i, || {
        format!(
            "public key (base64): {}\npublic key (hex):    {}\npublic key (base58): {}\nstored in:           {}",
            i.public_key_base64, i.public_key_hex, i.public_key_base58, i.stored_in
        )
    })
}

/// Saves a key to `--out FILE` or the secret store, refusing to overwrite without `--force`.
fn save(identity: &Identity, dest: &KeyDestination, store: &dyn SecretStore) -> Result<String> {
    let pem = identity.to_pem()?;
    match &dest.out {
        Some(path) => {
            if path.exists() && !dest.force {
                return Err(CliError::Usage(format!(
                    "{} exists; pass --force to replace it",
                    path.display()
                )));
            }
            write_private_file(path, pem.expose())?;
            Ok(format!("file {}", path.display()))
        }
        None => {
            if !dest.force && store.get(IDENTITY_KEY)?.is_some() {
                return Err(CliError::Usage(format!(
                    "an identity already exists in {}; pass --force to replace it \
                     (the old key is lost unless exported) or --out FILE",
                    store.describe()
                )));
            }
            store.set(IDENTITY_KEY, pem.expose())?;
            Ok(store.describe())
        }
    }
}

/// Runs `identity …`.
pub fn run(
    cmd: &IdentityCmd,
    arg: Option<&str>,
    store: &dyn SecretStore,
    out: Output,
) -> Result<()> {
    match cmd {
        IdentityCmd::New(dest) => {
            let identity = Identity::generate();
            let stored_in = save(&identity, dest, store)?;
            print_info(out, &info(&identity, stored_in))
        }
        IdentityCmd::Show => {
            let r = resolve(arg, store)?.ok_or_else(no_identity)?;
            print_info(out, &info(&r.identity, r.source))
        }
        IdentityCmd::Import { file, dest } => {
            let text = match file.as_deref() {
                Some(p) if p != Path::new("-") => {
                    std::fs::read_to_string(p).map_err(|e| file_error(p, e))?
                }
                _ => {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .map_err(|e| CliError::Identity(format!("reading stdin: {e}")))?;
                    s
                }
            };
            let identity = Identity::import(&text)?;
            let stored_in = save(&identity, dest, store)?;
            print_info(out, &info(&identity, stored_in))
        }
    }
}

/// The error for "no identity anywhere".
pub fn no_identity() -> CliError {
    CliError::Identity(
        "no identity: pass --identity FILE, set NOVACORE_IDENTITY, or create one with \
         `novacore identity new`"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A keychain that is there but broken (locked, no Secret Service, …).
    struct BrokenKeychain;

    impl SecretStore for BrokenKeychain {
        fn get(&self, _key: &str) -> Result<Option<String>> {
            Err(CliError::SecretStore("no Secret Service on the bus".into()))
        }
        fn set(&self, _key: &str, _value: &str) -> Result<()> {
            Err(CliError::SecretStore("no Secret Service on the bus".into()))
        }
        fn describe(&self) -> String {
            "a broken keychain".into()
        }
    }

    #[test]
    fn a_broken_keychain_degrades_to_no_identity_and_saving_fails_clearly() {
        assert!(resolve(None, &BrokenKeychain).unwrap().is_none());
        let dest = KeyDestination {
            out: None,
            force: false,
        };
        match save(&Identity::generate(), &dest, &BrokenKeychain) {
            Err(CliError::SecretStore(m)) => assert!(m.contains("Secret Service")),
            Err(other) => panic!("expected SecretStore, got {other}"),
            Ok(_) => panic!("saving into a broken keychain succeeded"),
        }
    }

    #[test]
    fn an_explicit_key_wins_over_the_store() {
        let id = Identity::from_seed([7; 32]);
        let r = resolve(Some(&hex::encode([7u8; 32])), &BrokenKeychain)
            .unwrap()
            .unwrap();
        assert_eq!(r.identity.public_key_hex(), id.public_key_hex());
    }
}

//! Ed25519 identity keys of human users.

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signer, SigningKey};
use std::fmt;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// An Ed25519 identity (the private key stays inside; `Debug` shows only the public key).
#[derive(Clone)]
pub struct Identity {
    key: SigningKey,
}

/// Longest key text [`Identity::import`] reads (a PEM with generous whitespace).
pub const MAX_KEY_TEXT: usize = 4096;

impl Identity {
    /// A fresh random identity.
    pub fn generate() -> Self {
        Self {
            key: SigningKey::generate(&mut rand::rngs::OsRng),
        }
    }

    /// From the 32-byte seed.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// Imports a private key from any supported text form: PKCS#8 PEM, or the 32-byte seed
    /// (also a 64-byte seed‖public keypair, Solana style) in hex, base64/base64url or base58.
    pub fn import(text: &str) -> Result<Self> {
        let text = text.trim();
        // A PEM of an Ed25519 key is ~120 bytes; decoding a pasted page (base58 is quadratic)
        // would take minutes for nothing.
        if text.len() > MAX_KEY_TEXT {
            return Err(Error::InvalidInput(format!(
                "far too long for a private key ({} bytes)",
                text.len()
            )));
        }
        if text.starts_with("-----BEGIN") {
            return Self::from_pem(text);
        }
        let bytes = decode_key_text(text, &[32, 64])
            .ok_or_else(|| Error::InvalidInput("unrecognised private key encoding".into()))?;
        Self::from_key_bytes(&bytes)
    }

    /// From a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn from_pem(pem: &str) -> Result<Self> {
        SigningKey::from_pkcs8_pem(pem)
            .map(|key| Self { key })
            .map_err(|e| Error::InvalidInput(format!("invalid Ed25519 PEM: {e}")))
    }

    fn from_key_bytes(bytes: &[u8]) -> Result<Self> {
        match bytes.len() {
            32 | 64 => {
                let mut seed = [0u8; 32];
                seed.copy_from_slice(&bytes[..32]);
                let id = Self::from_seed(seed);
                // A 64-byte keypair must carry the matching public half.
                if bytes.len() == 64 && bytes[32..] != id.public_key_bytes() {
                    return Err(Error::InvalidInput(
                        "64-byte keypair: public half does not match seed".into(),
                    ));
                }
                Ok(id)
            }
            n => Err(Error::InvalidInput(format!(
                "Ed25519 seed must be 32 bytes (or a 64-byte keypair), got {n}"
            ))),
        }
    }

    /// PKCS#8 PEM export of the private key, wrapped as a secret.
    pub fn to_pem(&self) -> Result<Secret> {
        self.key
            .to_pkcs8_pem(Default::default())
            .map(|p| Secret::new(p.as_str()))
            .map_err(|e| Error::InvalidInput(format!("cannot encode PEM: {e}")))
    }

    /// The seed as hex, wrapped as a secret.
    pub fn seed_hex(&self) -> Secret {
        Secret::new(hex::encode(self.key.to_bytes()))
    }

    /// Raw 32-byte public key.
    pub fn public_key_bytes(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    /// Public key, standard base64 (what `/auth/challenge` is sent).
    pub fn public_key_base64(&self) -> String {
        STANDARD.encode(self.public_key_bytes())
    }

    /// Public key, lowercase hex.
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.public_key_bytes())
    }

    /// Public key, base58 (Solana-style wallets).
    pub fn public_key_base58(&self) -> String {
        bs58::encode(self.public_key_bytes()).into_string()
    }

    /// Signs `msg`, returning the 64-byte signature.
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.key.sign(msg).to_bytes()
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("public_key", &self.public_key_base64())
            .field("secret", &"<redacted>")
            .finish()
    }
}

const BASE58_ALPHABET: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Decodes hex, base58 or base64 (std or url, padded or not) into bytes of an accepted length.
/// Every base58 string is also valid base64, so text made only of base58 characters is read as
/// base58 first (unpadded base64 of a key almost always contains `0OIl+/-_`).
pub(crate) fn decode_key_text(text: &str, accept: &[usize]) -> Option<Vec<u8>> {
    let ok = |b: &Vec<u8>| accept.contains(&b.len());
    let hexish = text.strip_prefix("0x").unwrap_or(text);
    if hexish.len() % 2 == 0 && hexish.chars().all(|c| c.is_ascii_hexdigit()) {
        if let Ok(b) = hex::decode(hexish) {
            if ok(&b) {
                return Some(b);
            }
        }
    }
    if !text.is_empty() && text.chars().all(|c| BASE58_ALPHABET.contains(c)) {
        if let Some(b) = bs58::decode(text).into_vec().ok().filter(ok) {
            return Some(b);
        }
    }
    let engines = [
        &STANDARD,
        &URL_SAFE,
        &URL_SAFE_NO_PAD,
        &base64::engine::general_purpose::STANDARD_NO_PAD,
    ];
    engines.iter().find_map(|e| e.decode(text).ok().filter(ok))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};

    #[test]
    fn a_pasted_page_is_refused_at_once() {
        let started = std::time::Instant::now();
        for page in [
            "1".repeat(1 << 20),
            format!("-----BEGIN {}", "A".repeat(1 << 20)),
        ] {
            let e = Identity::import(&page).unwrap_err();
            assert!(e.to_string().contains("far too long"), "{e}");
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(Identity::import(&"1".repeat(MAX_KEY_TEXT)).is_err());
    }

    #[test]
    fn import_round_trips_every_encoding() {
        // A key whose unpadded base64 is not also base58 text (see the next test).
        let id = std::iter::repeat_with(Identity::generate)
            .find(|id| {
                let text = URL_SAFE_NO_PAD.encode(id.key.to_bytes());
                !text.chars().all(|c| BASE58_ALPHABET.contains(c))
            })
            .expect("a key");
        let seed = id.key.to_bytes();
        let forms = [
            hex::encode(seed),
            STANDARD.encode(seed),
            URL_SAFE_NO_PAD.encode(seed),
            bs58::encode(seed).into_string(),
            id.to_pem().unwrap().expose().to_string(),
        ];
        for f in forms {
            let back = Identity::import(&f).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert_eq!(back.public_key_bytes(), id.public_key_bytes(), "{f}");
        }
        let mut pair = seed.to_vec();
        pair.extend_from_slice(&id.public_key_bytes());
        let back = Identity::import(&bs58::encode(&pair).into_string()).unwrap();
        assert_eq!(back.public_key_bytes(), id.public_key_bytes());
    }

    #[test]
    fn a_text_that_is_base58_and_unpadded_base64_reads_as_base58() {
        // Found by a CI run: the unpadded base64url of a random seed (about 1 in 300) is all
        // base58 letters. Base58 is the platform's key text, so it wins; that seed imports
        // through its hex, padded base64 or PEM forms.
        let text = "REtifTaEhbFpud43JVJhUF9Ag2mgpn1iBiM1gSdsoKM";
        let as_base58 = bs58::decode(text).into_vec().unwrap();
        let imported = Identity::import(text).unwrap();
        assert_eq!(imported.key.to_bytes().to_vec(), as_base58);
        let seed = URL_SAFE_NO_PAD.decode(text).unwrap();
        let padded = Identity::import(&URL_SAFE.encode(&seed)).unwrap();
        assert_eq!(padded.key.to_bytes().to_vec(), seed);
    }

    #[test]
    fn base58_and_base64_never_confused() {
        for _ in 0..300 {
            let id = Identity::generate();
            let seed = id.key.to_bytes();
            for text in [
                bs58::encode(seed).into_string(),
                STANDARD.encode(seed),
                URL_SAFE.encode(seed),
            ] {
                assert_eq!(
                    Identity::import(&text).unwrap().public_key_bytes(),
                    id.public_key_bytes(),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn import_rejects_garbage() {
        assert!(Identity::import("not a key !!").is_err());
        assert!(Identity::import("abcd").is_err());
        let mut pair = [7u8; 64];
        pair[40] = 1;
        assert!(Identity::import(&hex::encode(pair)).is_err());
        assert!(
            Identity::import("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
                .is_err()
        );
    }

    #[test]
    fn signature_verifies_and_debug_redacts() {
        let id = Identity::from_seed([1u8; 32]);
        let sig = id.sign(b"challenge");
        let vk = VerifyingKey::from_bytes(&id.public_key_bytes()).unwrap();
        vk.verify(b"challenge", &Signature::from_bytes(&sig))
            .unwrap();
        let dbg = format!("{id:?}");
        assert!(dbg.contains("<redacted>"));
        assert!(!dbg.contains(&hex::encode([1u8; 32])));
        assert_eq!(format!("{}", id.seed_hex()), "<redacted>");
        assert_eq!(id.public_key_hex().len(), 64);
        assert!(!id.public_key_base58().is_empty());
    }
}

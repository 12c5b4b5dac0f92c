//! Public keys in the encodings the platform uses: hex, `04`-hex, base64 and base58.

use crate::auth::identity::decode_key_text;
use crate::error::{Error, Result};

/// Algorithm of a public key, told apart by its decoded length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// 32 bytes: Ed25519 (human identities).
    Ed25519,
    /// 64 bytes X‖Y or 65 bytes `04`‖X‖Y: ECDSA P-256 (gateways, devices).
    P256,
}

/// A decoded public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// Algorithm.
    pub kind: KeyKind,
    /// Raw bytes: 32 for Ed25519, 64 (X‖Y, without the `04` prefix) for P-256.
    pub bytes: Vec<u8>,
}

impl PublicKey {
    /// Decodes any supported text encoding.
    pub fn parse(text: &str) -> Result<Self> {
        let bytes = decode_key_text(text.trim(), &[32, 64, 65]).ok_or_else(|| {
            Error::InvalidInput(format!("unrecognised public key encoding: {text:?}"))
        })?;
        match bytes.len() {
            32 => Ok(Self {
                kind: KeyKind::Ed25519,
                bytes,
            }),
            64 => Ok(Self {
                kind: KeyKind::P256,
                bytes,
            }),
            65 if bytes[0] == 4 => Ok(Self {
                kind: KeyKind::P256,
                bytes: bytes[1..].to_vec(),
            }),
            n => Err(Error::InvalidInput(format!(
                "public key of unexpected length {n}"
            ))),
        }
    }

    /// Lowercase hex of the raw bytes (128 chars for P-256, the form Novacore stores).
    pub fn to_hex(&self) -> String {
        hex::encode(&self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn p256_forms_agree() {
        let xy: Vec<u8> = (0..64u8).collect();
        let mut with04 = vec![4u8];
        with04.extend_from_slice(&xy);
        let forms = [
            hex::encode(&xy),
            hex::encode(&with04),
            base64::engine::general_purpose::STANDARD.encode(&with04),
        ];
        for f in forms {
            let k = PublicKey::parse(&f).unwrap();
            assert_eq!(k.kind, KeyKind::P256);
            assert_eq!(k.bytes, xy);
        }
        let ed = PublicKey::parse(&bs58::encode([9u8; 32]).into_string()).unwrap();
        assert_eq!(ed.kind, KeyKind::Ed25519);
        assert!(PublicKey::parse("zz").is_err());
    }
}

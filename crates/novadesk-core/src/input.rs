//! The shapes the window's arguments must have before they reach a use-case, a URL or a file:
//! bounded text, opaque ids, request ids and file paths. One rule each, refused with a sentence
//! that never quotes the input (it may be a megabyte, or a secret typed in the wrong field).

use std::path::{Component, Path};

use crate::error::{Error, Result};

/// Longest address, name, serial or other one-line text: far beyond any real one, short enough
/// that a pasted page is refused with a sentence rather than sent on.
pub const MAX_TEXT: usize = 253;

/// Longest id (server ids are `prefix-<uuid>`, request ids the window's own counters).
pub const MAX_ID: usize = 200;

/// Longest file path the window may send (Linux's `PATH_MAX`).
pub const MAX_PATH: usize = 4096;

/// One line of text the user typed: trimmed, non-empty, at most [`MAX_TEXT`] bytes, no control
/// characters. `what` names it in the sentence ("Enter the Zap's address.").
pub fn text<'a>(what: &str, value: &'a str) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::InvalidInput(format!("Enter the {what}.")));
    }
    if value.len() > MAX_TEXT || value.chars().any(char::is_control) {
        return Err(Error::InvalidInput(format!(
            "That is not a {what}: it is too long or has control characters."
        )));
    }
    Ok(value)
}

/// An opaque id the window got from us (`org-…`, `sit-…`, a request id): 1–[`MAX_ID`] ASCII
/// letters, digits, `-`, `_` or `.`, starting with a letter or digit — so it is one URL path
/// segment and one store key, never `..` or a path.
pub fn id<'a>(what: &str, value: &'a str) -> Result<&'a str> {
    let ok = value.len() <= MAX_ID
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(value)
    } else {
        Err(Error::InvalidInput(format!(
            "That is not a {what} id. Open it again from its list."
        )))
    }
}

/// A file the user chose or typed: absolute, at most [`MAX_PATH`] bytes, no control characters
/// and no `..` (a chosen file never needs one; a typed one must say where it is plainly).
pub fn file_path<'a>(what: &str, value: &'a str) -> Result<&'a Path> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::InvalidInput(format!(
            "Enter the {what}'s path, or choose the file."
        )));
    }
    if value.len() > MAX_PATH || value.chars().any(char::is_control) {
        return Err(Error::InvalidInput(
            "That is not a file path: it is too long or has control characters.".into(),
        ));
    }
    let path = Path::new(value);
    if !path.is_absolute() || path.components().any(|c| c == Component::ParentDir) {
        return Err(Error::InvalidInput(format!(
            "Enter the {what}'s full path (starting with /, without ..), or choose the file."
        )));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<impl std::fmt::Debug>) -> String {
        match r.unwrap_err() {
            Error::InvalidInput(m) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn text_is_trimmed_bounded_and_never_quoted() {
        assert_eq!(text("x", " a ").unwrap(), "a");
        assert_eq!(
            message(text("Zap's address", " ")),
            "Enter the Zap's address."
        );
        let long = "secret".repeat(100);
        let m = message(text("name", &long));
        assert!(m.contains("too long") && !m.contains("secret"), "{m}");
        assert!(text("x", "a\nb").is_err());
        assert!(text("x", "a\0b").is_err());
        assert!(text("x", &"a".repeat(MAX_TEXT)).is_ok());
    }

    #[test]
    fn ids_are_one_plain_segment() {
        for good in ["org-0190a1b2-c3d4", "sit_1", "zap-00ff", "7", "a.b"] {
            assert_eq!(id("site", good).unwrap(), good);
        }
        for bad in [
            "",
            "..",
            ".hidden",
            "../x",
            "a/b",
            "a b",
            "a%2fb",
            "a\0",
            "é",
            &"a".repeat(MAX_ID + 1),
        ] {
            let m = message(id("site", bad));
            assert_eq!(m, "That is not a site id. Open it again from its list.");
        }
    }

    #[test]
    fn file_paths_are_absolute_without_parent_steps() {
        assert_eq!(
            file_path("report file", " /tmp/r.json ").unwrap(),
            Path::new("/tmp/r.json")
        );
        assert!(message(file_path("report file", "r.json")).contains("full path"));
        assert!(message(file_path("report file", "/tmp/../etc/passwd")).contains("without .."));
        assert!(message(file_path("report file", "")).contains("choose the file"));
        assert!(message(file_path("report file", "/a\0b")).contains("control"));
        assert!(file_path("x", &format!("/{}", "a".repeat(MAX_PATH))).is_err());
    }
}

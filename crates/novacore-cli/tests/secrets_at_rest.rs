//! Secrets at rest for the command line: a session of commands (new identity, login with the
//! token cached, reads, a change, an export, failures) runs with its home, config, data and cache
//! directories in one root; afterwards no file there, no output file and no stdout/stderr holds
//! the identity key (PEM body or seed), a session token the Sandbox issued (it records them:
//! NOVACORE_SIM_SECRETS_RECORD) or an `Authorization` value. The key file the user chose and the
//! `dir:` secret store (the keychain's stand-in, mode 0600) are where secrets belong and are not
//! searched. A planted secret must be found, so the scan can fail.

mod common;

use std::path::{Path, PathBuf};

use common::{novacore, Run};
use novacore_sim::Sandbox;

/// A secret to look for: what it is, and its bytes.
struct Needle {
    kind: &'static str,
    bytes: Vec<u8>,
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// What no file may hold whatever the session: a private key block, a bearer credential.
fn pattern_findings(data: &[u8]) -> Vec<&'static str> {
    let text = String::from_utf8_lossy(data).to_ascii_lowercase();
    let mut out = Vec::new();
    if text.contains("private key-----") {
        out.push("PEM private key");
    }
    if text.contains("bearer ey") || text.contains("authorization: bearer") {
        out.push("Authorization value");
    }
    out
}

/// `(where, kind)` of every needle or pattern found in the files under `dirs` and in `texts`.
fn scan(dirs: &[&Path], texts: &[(&str, &[u8])], needles: &[Needle]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for d in dirs {
        files_under(d, &mut files);
    }
    let mut blobs: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|f| Some((f.display().to_string(), std::fs::read(f).ok()?)))
        .collect();
    blobs.extend(texts.iter().map(|(n, t)| (n.to_string(), t.to_vec())));
    let mut found = Vec::new();
    for (name, data) in &blobs {
        for n in needles {
            if contains(data, &n.bytes) {
                found.push((name.clone(), n.kind.to_string()));
            }
        }
        for kind in pattern_findings(data) {
            found.push((name.clone(), kind.to_string()));
        }
    }
    found
}

/// The identity key's forms: each PEM body line, the seed in hex.
fn key_needles(pem: &str) -> Vec<Needle> {
    let mut out: Vec<Needle> = pem
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("-----"))
        .map(|l| Needle {
            kind: "identity key (PEM body)",
            bytes: l.trim().as_bytes().to_vec(),
        })
        .collect();
    let identity = novacore::Identity::import(pem).expect("the key file is a key");
    let seed = identity.seed_hex();
    out.push(Needle {
        kind: "identity key (seed, hex)",
        bytes: seed.expose().as_bytes().to_vec(),
    });
    out.push(Needle {
        kind: "identity key (seed)",
        bytes: hex::decode(seed.expose()).unwrap(),
    });
    out
}

/// Tokens from the Sandbox's record, each whole and its signature alone.
fn token_needles(record: &Path) -> Vec<Needle> {
    let text = std::fs::read_to_string(record).unwrap_or_default();
    let mut out = Vec::new();
    for token in text.lines().filter_map(|l| l.strip_prefix("token\t")) {
        out.push(Needle {
            kind: "session token",
            bytes: token.as_bytes().to_vec(),
        });
        if let Some(sig) = token.rsplit('.').next() {
            out.push(Needle {
                kind: "session token signature",
                bytes: sig.as_bytes().to_vec(),
            });
        }
    }
    out
}

#[test]
fn a_cli_session_leaves_no_secret_outside_the_secret_store() {
    let root = tempfile::tempdir().unwrap();
    let dir = |name: &str| {
        let p = root.path().join(name);
        std::fs::create_dir_all(&p).unwrap();
        p
    };
    let (home, keys, store, out) = (dir("home"), dir("keys"), dir("store"), dir("out"));
    let record = root.path().join("secrets.record");
    // The Sandbox runs in this process: only this test sets the variable, before it starts.
    std::env::set_var(novacore_sim::record::RECORD_ENV, &record);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sb = rt
        .block_on(Sandbox::builder().seed(5).zaps(1).start())
        .unwrap();
    let url = sb.base_url().to_string();

    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut cli = |args: &[&str]| -> Run {
        let o = novacore(&format!("dir:{}", store.display()))
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("RUST_LOG", "trace")
            .current_dir(&home)
            .args(args)
            .output()
            .expect("run novacore");
        let name = args.join(" ");
        outputs.push((format!("stdout of `{name}`"), o.stdout.clone()));
        outputs.push((format!("stderr of `{name}`"), o.stderr.clone()));
        Run::from_output(o)
    };
    let key_file = keys.join("identity.pem");
    let key = key_file.to_str().unwrap();
    cli(&["identity", "new", "--out", key]).ok();
    let with = |args: &[&'static str]| {
        let mut all = vec!["--env", url.as_str(), "--identity", key];
        all.extend_from_slice(args);
        all
    };
    cli(&with(&["--json", "login"])).ok();
    cli(&with(&["--json", "whoami"])).ok();
    cli(&with(&["orgs", "list"])).ok();
    cli(&with(&["--json", "orgs", "create", "Secrets Org"])).ok();
    cli(&with(&["sites", "list"])).ok();
    cli(&with(&["identity", "show"])).ok();
    let export = out.join("orgs.json");
    let o = cli(&with(&["--json", "orgs", "list"])).ok();
    std::fs::write(&export, o.stdout.as_bytes()).unwrap();
    // Failures print their sentences: none may quote a credential.
    let _ = cli(&with(&["orgs", "rename", "org-does-not-exist", "x"]));
    let _ = cli(&[
        "--env",
        "http://example.test",
        "--identity",
        key,
        "orgs",
        "list",
    ]);
    drop(sb);
    drop(rt);

    let pem = std::fs::read_to_string(&key_file).unwrap();
    let mut needles = key_needles(&pem);
    let tokens = token_needles(&record);
    assert!(
        !tokens.is_empty(),
        "the Sandbox recorded no token: the scan would check nothing"
    );
    needles.extend(tokens);
    // The secret store does hold the token (the session is cached): the needles are right.
    assert!(
        !scan(&[&store], &[], &needles).is_empty(),
        "the cached session is not in the store: the needles are wrong"
    );
    let texts: Vec<(&str, &[u8])> = outputs
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let found = scan(&[&home, &out], &texts, &needles);
    assert!(found.is_empty(), "secrets at rest: {found:?}");
}

#[test]
fn the_scan_finds_a_planted_secret_in_every_form() {
    let root = tempfile::tempdir().unwrap();
    let identity = novacore::Identity::generate();
    let pem = identity.to_pem().unwrap().expose().to_string();
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3ItMSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";
    let record = root.path().join("record");
    std::fs::write(&record, format!("wifi\tx\ntoken\t{token}\n")).unwrap();
    let mut needles = key_needles(&pem);
    needles.extend(token_needles(&record));
    let home = root.path().join("home");
    std::fs::create_dir_all(home.join("cache")).unwrap();
    std::fs::write(home.join("clean.txt"), "nothing here").unwrap();
    assert!(scan(&[&home], &[], &needles).is_empty());

    let seed = hex::decode(identity.seed_hex().expose()).unwrap();
    std::fs::write(
        home.join("cache/db"),
        [b"..".as_slice(), &seed, b".."].concat(),
    )
    .unwrap();
    std::fs::write(home.join("token.txt"), format!("t={token}")).unwrap();
    std::fs::write(home.join("key.pem"), &pem).unwrap();
    let log: &[u8] = b"GET /organizations authorization: Bearer abc";
    let found = scan(&[&home], &[("stderr", log)], &needles);
    let kinds = |file: &str| -> Vec<String> {
        found
            .iter()
            .filter(|(f, _)| f.ends_with(file))
            .map(|(_, k)| k.clone())
            .collect()
    };
    assert!(
        kinds("cache/db").contains(&"identity key (seed)".to_string()),
        "{found:?}"
    );
    assert!(
        kinds("token.txt").contains(&"session token".to_string()),
        "{found:?}"
    );
    assert!(
        kinds("key.pem").contains(&"PEM private key".to_string()),
        "{found:?}"
    );
    assert!(
        kinds("key.pem").contains(&"identity key (PEM body)".to_string()),
        "{found:?}"
    );
    assert!(
        kinds("stderr").contains(&"Authorization value".to_string()),
        "{found:?}"
    );
}

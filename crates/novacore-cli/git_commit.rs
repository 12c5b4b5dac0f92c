// The commit a binary is built from, for `--version` and the About line. One copy, included by
// the build scripts of `src-tauri` (NOVADESK_COMMIT) and `crates/novacore-cli` (NOVACORE_COMMIT):
// a build-dependency crate would be a second workspace crate under the shell, which the layout
// test forbids (the shell reaches the workspace through novadesk-core alone).

/// `git` with `args` in the building crate's directory, its trimmed output if it ran and succeeded.
fn git(args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The commit the binary is built from, `unknown` outside a git checkout (a source tarball).
fn commit() -> String {
    let Some(commit) = git(&["rev-parse", "--short=10", "HEAD"]) else {
        return "unknown".into();
    };
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it points to (a commit),
    // loose or packed. A path that does not exist would make cargo rerun this on every build.
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    for path in ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref()) {
        if let Some(p) = git(&["rev-parse", "--git-path", path]) {
            if std::path::Path::new(&p).exists() {
                println!("cargo:rerun-if-changed={p}");
            }
        }
    }
    commit
}

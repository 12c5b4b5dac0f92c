//! For tests that browse or announce mDNS: they may only do so inside a network namespace of
//! their own whose one interface is loopback (multicast on it), never on a real interface.
//! [`in_own_namespace`] re-runs the calling test there with `unshare -n` (`-rn`, a user
//! namespace, when not root); where no namespace can be had it says why and the test skips.

use std::process::Command;

/// Set in the re-run test's environment: it is inside its namespace.
const INSIDE: &str = "NOVACORE_SIM_TEST_IN_NETNS";
/// Printed inside, so the outer run can tell "set up and ran" from "could not set up".
const READY: &str = "netns-ready: only lo";
/// Loopback up with multicast, multicast routed to it, then the test binary again.
const SETUP: &str = "ip link set lo up && ip link set lo multicast on && \
                     ip route add 224.0.0.0/4 dev lo && exec \"$0\" \"$@\"";

/// Whether this process runs as root (a plain network namespace then; else a user namespace).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// The network interfaces this process sees (`/proc/self/net` is per namespace; `/sys/class/net`
/// would still show the host's until sysfs is remounted).
fn interfaces() -> Vec<String> {
    std::fs::read_to_string("/proc/self/net/dev")
        .unwrap_or_default()
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next().map(|n| n.trim().to_string()))
        .collect()
}

/// Call first in a test named `test` (its full name as `--exact` takes it). Returns `true`
/// inside the namespace — run the test's body then; `false` outside, after the re-run passed
/// (its output is printed) or was skipped with the reason on stderr; a failure inside panics.
pub fn in_own_namespace(test: &str) -> bool {
    if std::env::var_os(INSIDE).is_some() {
        assert_eq!(
            interfaces(),
            ["lo"],
            "refusing to use multicast outside a private network namespace"
        );
        eprintln!("{READY}");
        return true;
    }
    let flags = if is_root() { "-n" } else { "-rn" };
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = match Command::new("unshare")
        .args([flags, "sh", "-c", SETUP])
        .arg(&exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(INSIDE, "1")
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("SKIPPED: cannot run `unshare` to get a network namespace: {e}");
            return false;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stdout.contains(READY) && !stderr.contains(READY) {
        eprintln!(
            "SKIPPED: no network namespace with multicast on loopback could be set up \
             (`unshare {flags}` + ip): {}",
            stderr.trim()
        );
        return false;
    }
    assert!(
        out.status.success(),
        "{test} failed inside its namespace:\n{stdout}\n{stderr}"
    );
    eprintln!("ran inside a fresh network namespace:\n{stdout}");
    false
}

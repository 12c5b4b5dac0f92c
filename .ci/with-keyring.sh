#!/usr/bin/env bash
# Run a command with a real, unlocked Secret Service (gnome-keyring) on a private D-Bus session and a
# private kernel keyring, in throwaway XDG directories: keychain tests never touch the user's keychain.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS
export NOVADESK_KEYRING_TESTS=1
exec keyctl session - dbus-run-session -- bash -c '
  printf "novadesk-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
  exec "$@"' _ "$@"

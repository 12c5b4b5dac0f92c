# Shared shell functions for the install and test scripts (sourced, not run).
# Installs are idempotent: each step checks first, so a second run costs seconds.

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

log() { printf '\033[1;36m==> %s\033[0m\n' "$*" >&2; }

# apt_install PKG...: install the Debian packages that are missing (one apt-get update at most).
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "Missing packages: ${missing[*]}. This script installs them with apt-get (Debian/Ubuntu); install them by hand on other systems." >&2
    return 1
  fi
  log "Installing system packages: ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ensure_rust: cargo must exist (rustup's stable, 1.85 or newer).
ensure_rust() {
  if [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi
  if command -v cargo >/dev/null; then
    rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt 2>/dev/null || true
    return 0
  fi
  log "Installing the Rust toolchain with rustup"
  apt_install curl ca-certificates
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy -c rustfmt
  . "$HOME/.cargo/env"
}

# Build and run packages for the app (WebKitGTK 4.1 for Tauri 2, D-Bus for the keychain).
APP_PACKAGES=(build-essential pkg-config curl ca-certificates file
  libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev libdbus-1-dev libssl-dev)

# Extra packages for the tests: a virtual display, the WebKit WebDriver, a Secret Service, screenshots,
# `ip` for the mDNS tests' private network namespace, python3-dbus/python3-gi for the E2E's stand-in
# notification server (e2e/notifications.py).
TEST_PACKAGES=(xvfb xauth x11-utils webkit2gtk-driver dbus dbus-x11 gnome-keyring keyutils imagemagick iproute2
  nodejs python3 python3-venv python3-pip python3-dbus python3-gi)

TAURI_DRIVER_VERSION=2.1.0

ensure_tauri_driver() {
  # tauri-driver has no --version flag; cargo's install list records what it installed.
  if command -v tauri-driver >/dev/null && cargo install --list | grep -q "^tauri-driver v$TAURI_DRIVER_VERSION:"; then
    return 0
  fi
  log "Installing tauri-driver $TAURI_DRIVER_VERSION"
  cargo install --locked tauri-driver --version "$TAURI_DRIVER_VERSION"
}

# `make package`: dpkg-shlibdeps (Depends from the binaries) and, for its install test, a virtual
# display, a private D-Bus session, screenshots, desktop-file-validate, `ip` for its network namespace.
PACKAGE_PACKAGES=(dpkg-dev xvfb xauth x11-utils dbus imagemagick desktop-file-utils iproute2)

# ensure_tauri_cli: the Tauri CLI (the bundler) pinned in package.json / package-lock.json. Its npm
# package carries the prebuilt binary, so `npm ci` takes seconds where `cargo install tauri-cli`
# compiles for minutes.
ensure_tauri_cli() {
  local want have
  want=$(node -p 'require("./package.json").devDependencies["@tauri-apps/cli"]')
  have=$(node_modules/.bin/tauri --version 2>/dev/null || true)
  [ "$have" = "tauri-cli $want" ] && return 0
  log "Installing the Tauri CLI $want (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
}

# ensure_npm: Node.js with npm (nodejs alone on Debian has no npm).
ensure_npm() {
  command -v npm >/dev/null && return 0
  apt_install nodejs npm
}

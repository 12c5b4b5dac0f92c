#!/usr/bin/env bash
# Install test of the .deb (`make package` runs it): unpacked into a throwaway root with dpkg -x —
# nothing is installed on this machine — then checked: its control fields and files (desktop
# entry, an icon at every size, `novadesk` and `novacore` in /usr/bin), Depends against what its
# binaries link (the package of every NEEDED library is named; apt can satisfy them all), the
# installed `novacore --version` and `novadesk --version` (the version and this checkout's
# commit), and the installed app started under Xvfb on a private D-Bus session with the
# Sandbox (in a network namespace of its own when root): its window is mapped, at least its
# minimum size, and drawn, and its log names the version and commit.
# Usage: .ci/package-test.sh FILE.deb   (screenshot: target/package/window.png)
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "not ok - package: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# The app in its window; run by this script inside xvfb-run and dbus-run-session (below).
if [ "${1:-}" = "--window" ]; then
  app=$2 out=$3
  "$app" --env sandbox >"$out/app.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
  for _ in $(seq 180); do
    xwininfo -root -tree | grep '"Novadesk"' >/dev/null && break
    kill -0 $pid 2>/dev/null || { cat "$out/app.log" >&2; fail "the app exited before its window showed"; }
    sleep 0.5
  done
  xwininfo -root -tree | grep '"Novadesk"' >/dev/null || fail "no window titled Novadesk after 90 s"
  ok "window mapped $(( SECONDS ))s after start"
  # Drawn: a blank or black window has a handful of colours, the organizations list hundreds.
  colours=0
  for _ in $(seq 60); do
    import -window root "$out/window.png"
    colours=$(identify -format %k "$out/window.png")
    [ "$colours" -gt 200 ] && break
    sleep 1
  done
  [ "$colours" -gt 200 ] || fail "the window stayed blank ($colours colours): see $out/window.png"
  sleep 3  # let the first view settle for the screenshot
  import -window root "$out/window.png"
  ok "window drawn ($colours colours) $(( SECONDS ))s after start: $out/window.png"
  read -r w h < <(xwininfo -name Novadesk | awk '/Width:/ {w=$2} /Height:/ {h=$2} END {print w, h}')
  [ "$w" -ge 900 ] && [ "$h" -ge 600 ] || fail "window is ${w}x${h}, smaller than its minimum 900x600"
  ok "window is ${w}x${h}"
  exit 0
fi

deb=$(realpath "${1:?usage: package-test.sh FILE.deb}")
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
commit=$(git rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
out=target/package
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Control fields.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = novadesk ] || fail "Package is $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version is $(field Version), the workspace says $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is $(field Architecture)"
depends=$(field Depends)
ok "control: novadesk $version $(field Architecture); Depends: $depends"

# Files.
root=$tmp/root
dpkg-deb -x "$deb" "$root"
for bin in novadesk novacore; do
  [ -x "$root/usr/bin/$bin" ] || fail "/usr/bin/$bin is missing"
done
desktop=$root/usr/share/applications/Novadesk.desktop
[ -f "$desktop" ] || fail "no desktop entry at /usr/share/applications/Novadesk.desktop"
desktop-file-validate "$desktop" || fail "the desktop entry does not validate"
for line in Name=Novadesk Exec=novadesk Icon=novadesk Type=Application; do
  grep -qx "$line" "$desktop" || fail "the desktop entry lacks $line"
done
grep -q '^Categories=.*Utility' "$desktop" || fail "the desktop entry's Categories lack Utility"
ok "desktop entry: $(grep -E '^(Exec|Icon|Categories)=' "$desktop" | tr '\n' ' ')"
icons=$root/usr/share/icons/hicolor
for size in 16 24 32 48 64 128 256 512; do
  [ -f "$icons/${size}x${size}/apps/novadesk.png" ] || fail "no ${size}x${size} icon"
done
# Every icon the size its folder says (NxN, or 2N x 2N under NxN@2).
for icon in "$icons"/*/apps/novadesk.png; do
  dir=$(basename "$(dirname "$(dirname "$icon")")")
  n=${dir%%x*} scale=1
  [[ "$dir" == *@2 ]] && scale=2
  want=$(( n * scale ))x$(( n * scale ))
  [ "$(identify -format %wx%h "$icon")" = "$want" ] || fail "the $dir icon is $(identify -format %wx%h "$icon"), not $want"
done
ok "icons: $(ls "$icons" | sort -n | tr '\n' ' ')"

# Depends: every library a binary links directly comes from a package Depends names.
names=" $(echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/[ (].*//' | tr '\n' ' ') "
owner() {
  local p
  for p in "$1" "$(realpath "$1")" "/usr$1" "${1#/usr}"; do
    dpkg -S "$p" 2>/dev/null | awk -F: 'NR == 1 {print $1}' && return 0
  done
  return 1
}
# (Outputs are captured, not piped into `grep -q` or an awk that exits early: under pipefail the
# writer's SIGPIPE would fail the pipeline.)
for bin in "$root"/usr/bin/*; do
  libs=$(ldd "$bin")
  [[ "$libs" != *"not found"* ]] || fail "$(basename "$bin") links a library not on this machine: $libs"
  for so in $(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
    path=$(awk -v so="$so" '$1 == so && !found++ {print $3}' <<<"$libs")
    [ -n "$path" ] || path=$(ldconfig -p | awk -v so="$so" '$1 == so && !found++ {print $NF}')
    pkg=$(owner "$path") || fail "no package owns $path ($so, linked by $(basename "$bin"))"
    [[ "$names" == *" $pkg "* ]] || fail "$(basename "$bin") links $so from $pkg, which Depends does not name"
  done
done
ok "Depends names the package of every library novadesk and novacore link"
apt-get -s -qq install "$deb" >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log" >&2; fail "apt cannot satisfy Depends"; }
grep -q '^Inst novadesk ' "$tmp/apt.log" || { cat "$tmp/apt.log" >&2; fail "apt would not install novadesk"; }
ok "apt can install it (simulated: $(grep -c '^Inst ' "$tmp/apt.log") package(s) to install)"

# Versions.
for bin in novacore novadesk; do
  said=$("$root/usr/bin/$bin" --version)
  [ "$said" = "$bin $version ($commit)" ] || fail "$bin --version says '$said', expected '$bin $version ($commit)'"
  ok "installed $bin --version: $said"
done

# The window: throwaway home and XDG folders, no display or bus of the caller's, and a network
# namespace of its own when root (loopback only: the Sandbox needs nothing else).
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/run"
chmod 700 "$tmp/run"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
export HOME=$tmp/home XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache XDG_RUNTIME_DIR=$tmp/run
netns=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  netns=(unshare -n sh -c 'ip link set lo up && exec "$@"' sh)
fi
timeout -k 10 240 "${netns[@]}" xvfb-run -a -s "-screen 0 1440x900x24" \
  dbus-run-session -- "$0" --window "$root/usr/bin/novadesk" "$(realpath "$out")"
grep -q "starting Novadesk" "$out/app.log" || fail "the app's log lacks its start line"
grep -qF "$version ($commit)" "$out/app.log" || fail "the app's log does not name $version ($commit)"
ok "the app's log names $version ($commit)"
echo "package test: all checks passed"

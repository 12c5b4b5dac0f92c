# Novadesk — the two commands of the README, and the steps they are made of.
# `make run`  installs what is missing and opens the app on the Sandbox.
# `make test` installs what is missing and runs every check and test.
SHELL := /bin/bash
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test package fuzz deps deps-test deps-package deps-fuzz deps-bench build fmt-check clippy unit-js cargo-test e2e bench bindings icons measure measure-installer soak soak-outbox startup-order

run: deps
	$(CARGO) run -p novadesk -- --env sandbox

test: deps-test
	.ci/test-all.sh

deps:
	.ci/install-app.sh

deps-test:
	.ci/install-test.sh

# The release .deb (Tauri bundler; the CLI pinned in package.json) and its install test under Xvfb:
# prints the .deb's path and size, the binaries' sizes and the times. Not in `make test` (a release
# build costs minutes; see the README).
package: deps-package
	.ci/package.sh

deps-package:
	.ci/install-package.sh

# Every cargo-fuzz target in crates/fuzz for FUZZ_SECONDS each (default 60), on the stable
# toolchain: prints target, run time, executions, exec/s, corpus and crashes; fails on a crash.
# Not in `make test` (CI's time); `make test` only checks that the targets still compile.
fuzz: deps-fuzz
	.ci/fuzz.sh

deps-fuzz:
	.ci/install-fuzz.sh

build:
	$(CARGO) build --workspace

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

unit-js:
	node --test ui/js/tests/

cargo-test:
	.ci/with-keyring.sh $(CARGO) test --workspace

e2e: build
	e2e/run.sh

# Every benchmark in release plus the window's measurements beside the bare Tauri window, in one
# run: one markdown table, printed and saved as target/bench/report.md (.ci/bench.sh). Not in
# `make test` (minutes of release builds and timing; figures depend on the machine's load).
bench: deps-bench
	.ci/bench.sh

# The Python peers the benchmarks compare with (httpx-sse, …), pinned in .ci/bench-requirements.txt.
deps-bench: deps-test
	.ci/install-bench.sh

# Regenerate ui/js/bindings.js from the Rust command/event declarations.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p novadesk --test bindings

# Regenerate the PNG/ICO icons from icons/icon.svg (needs librsvg2-bin and imagemagick).
icons:
	icons/generate.sh

# Start-up, idle memory and reading → DOM latency with 20 sites live (e2e/measure.js), each beside
# the bare Tauri window (src-tauri/examples/bare_window.rs) measured in the same run: prints a
# table for the README, writes target/e2e/measure.json. `make bench` runs it on release builds.
measure:
	$(CARGO) build -p novadesk -p novacore-sim --bins --example bare_window
	unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS; timeout -k 10 600 xvfb-run -a -s "-screen 0 1440x900x24" \
		dbus-run-session -- node e2e/measure.js

# Claim click → claimed and provision click → first reading in the window, each against the same
# steps over raw HTTP as the floor (e2e/measure-installer.js): prints a table for the README.
measure-installer:
	$(CARGO) build -p novadesk -p novacore-sim
	unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS; timeout -k 10 600 xvfb-run -a -s "-screen 0 1440x900x24" \
		dbus-run-session -- node e2e/measure-installer.js

# Every fault soak at ten times its test's count (SOAK_SCALE=10), then a table of the figures
# (.ci/soak.sh): the SDK stream through 1,000 forced disconnects, 10,000 SDK calls under 5% 5xx
# and 2% 429, the store through 1,000 SIGKILLs mid-ingest, the app's live view through 10 Sandbox
# restarts (E2E) and soak-outbox's 50 runs. Not in `make test` (which runs each at 1×).
soak:
	.ci/soak.sh

# The installer's journal under SIGKILL: 50 runs (SOAK_RUNS=n for more) of a replayer killed at
# random points and restarted; prints the figures (lost / duplicated devices and DERs must be 0).
soak-outbox:
	SOAK_RUNS=$${SOAK_RUNS:-50} $(CARGO) test -p novadesk-core --test installer_journal -- \
		--ignored --nocapture soak_outbox_replay_under_sigkill

# Rewrite src-tauri/startup-order.txt: the functions the app runs from launch to an idle
# organizations list, which release links place first in the binary (src-tauri/build.rs). As
# root (e2e/startup-order.mjs says why); after a toolchain or dependency update.
startup-order: deps-test
	unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS; timeout -k 10 1800 xvfb-run -a -s "-screen 0 1440x900x24" \
		dbus-run-session -- node e2e/startup-order.mjs

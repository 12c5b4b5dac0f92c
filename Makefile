# Novadesk — the two commands of the README, and the steps they are made of.
# `make run`  installs what is missing and opens the app on the Sandbox.
# `make test` installs what is missing and runs every check and test.
SHELL := /bin/bash
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test package deps deps-test deps-package build fmt-check clippy unit-js cargo-test e2e bench bindings icons measure measure-installer soak soak-outbox

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

bench:
	$(CARGO) bench --workspace

# Regenerate ui/js/bindings.js from the Rust command/event declarations.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p novadesk --test bindings

# Regenerate the PNG/ICO icons from icons/icon.svg (needs librsvg2-bin and imagemagick).
icons:
	icons/generate.sh

# Cold start, idle memory and reading → DOM latency with 20 sites live (e2e/measure.js): prints a
# table for the README, writes target/e2e/measure.json. NOVADESK_APP=target/release/novadesk to
# measure a release build.
measure:
	$(CARGO) build -p novadesk
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

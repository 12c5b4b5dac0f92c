// The E2E stand-in for the desktop's notification server (e2e/notifications.py) on the test's
// private D-Bus session: start it before the app, read what the app sent.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ROOT } from "./harness.js";

/**
 * Owns org.freedesktop.Notifications on the session bus (DBUS_SESSION_BUS_ADDRESS, set by
 * dbus-run-session in e2e/run.sh); resolves once it does. `received()` lists every notification
 * so far ({ id, app_name, summary, body, actions }).
 */
export function startNotifications() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error("no private D-Bus session: run the E2E through e2e/run.sh");
  const log = join(mkdtempSync(join(tmpdir(), "novadesk-notify-")), "received.jsonl");
  const proc = spawn("/usr/bin/python3", [join(ROOT, "e2e/notifications.py"), log], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the notification stand-in did not start in 10 s")), 10_000);
    proc.on("error", reject);
    proc.on("exit", (code) => reject(new Error(`the notification stand-in exited with ${code} (is org.freedesktop.Notifications taken?)`)));
    createInterface({ input: proc.stdout }).once("line", (line) => {
      clearTimeout(timer);
      if (line.trim() !== "ready") return reject(new Error(`notification stand-in said ${line}`));
      resolve({
        received: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)) : []),
        stop: () => new Promise((done) => {
          if (proc.exitCode !== null) return done();
          proc.removeAllListeners("exit");
          proc.once("exit", () => done());
          proc.kill("SIGTERM");
        }),
      });
    });
  });
}

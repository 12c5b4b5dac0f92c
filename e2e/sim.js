// An external novacore-sim process: an environment the tests can stop and start again, which the
// app's in-process Sandbox is not.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { ROOT } from "./harness.js";

export const SIM = process.env.NOVACORE_SIM ?? join(ROOT, "target/debug/novacore-sim");

/**
 * Start the simulator (on `addr`, default any free port; `args`: more of its flags, e.g.
 * `--zap-addr`); resolves once its ready line is read, with that line as `ready`. `control`
 * serves its /_sim routes (on loopback, like everything it serves) for a test's set-up.
 */
export function startSim(addr = "127.0.0.1:0", args = [], { control = false } = {}) {
  const proc = spawn(SIM, ["--addr", addr, ...(control ? [] : ["--no-control"]), ...args], { stdio: ["ignore", "pipe", "ignore"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("novacore-sim did not print its ready line in 20 s")), 20_000);
    proc.on("error", reject);
    proc.on("exit", (code) => reject(new Error(`novacore-sim exited with ${code} before it was ready`)));
    createInterface({ input: proc.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const ready = JSON.parse(line);
      resolve({
        url: ready.base_url,
        ready,
        stop: () =>
          new Promise((done) => {
            if (proc.exitCode !== null) return done();
            proc.removeAllListeners("exit");
            proc.once("exit", () => done());
            proc.kill("SIGTERM");
          }),
      });
    });
  });
}

/**
 * A port free on 127.0.0.1 now: the simulator binds it on its Zaps' own loopback addresses
 * (as root it could use 80, as in the field).
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The secrets-at-rest scan must be able to fail: planted secrets, in every form the scan claims
// to know, are each found; a clean tree passes. (No app needed: this runs in a second.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forms, readRecord, scan } from "./secrets-scan.js";

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3ItMSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

function tree() {
  const root = mkdtempSync(join(tmpdir(), "secrets-scan-test-"));
  mkdirSync(join(root, "data/logs"), { recursive: true });
  writeFileSync(join(root, "data/settings.json"), '{"theme":"dark"}');
  writeFileSync(join(root, "data/logs/novadesk.log"), "INFO signed in identity_id=usr-1\n");
  return root;
}

test("planted tokens, passphrases, keys and Authorization values are each found", () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" });
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d, "base64url");
  const root = tree();
  const record = join(root, "..", `${root.split("/").pop()}.record`);
  writeFileSync(record, `token\t${TOKEN}\nwifi\tsandbox-homenet\nidentity key\t${pem.replace(/\n/g, "\\n")}\n`);
  try {
    const secrets = readRecord(record);
    assert.equal(scan([root], secrets).length, 0, "a clean tree passes");
    const plant = (name, content) => writeFileSync(join(root, "data", name), content);
    plant("store.db-wal", Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(TOKEN), Buffer.from([0])]));
    plant("cache.bin", Buffer.concat([Buffer.from("xx"), seed, Buffer.from("yy")]));
    plant("wifi.json", '{"ssid":"HomeNet","passphrase":"sandbox-homenet"}');
    plant("half-token.txt", `sig=${TOKEN.split(".")[2]}`);
    plant("seed.txt", seed.toString("hex"));
    plant("key.pem", pem);
    writeFileSync(join(root, "data/logs/novadesk.log"), 'DEBUG request headers={"authorization": "Bearer abcdefgh12345678"}\n');
    const found = scan([root], secrets).map((f) => `${f.file.slice(root.length + 1)}: ${f.kind}`);
    for (const expected of [
      "data/store.db-wal: token",
      "data/cache.bin: identity key (seed)",
      "data/wifi.json: wifi",
      "data/half-token.txt: token signature",
      "data/seed.txt: identity key (seed, hex)",
      "data/key.pem: identity key",
      "data/key.pem: PEM private key",
      "data/logs/novadesk.log: Authorization value",
    ]) {
      assert.ok(found.includes(expected), `${expected} not in ${JSON.stringify(found)}`);
    }
    // Findings name the kind, never the secret.
    assert.ok(!JSON.stringify(found).includes("sandbox-homenet"));
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(record, { force: true });
  }
});

test("short values are not searched for and a token's signature is its own form", () => {
  assert.deepEqual(forms("wifi", "short").length, 0);
  const kinds = forms("token", TOKEN).map((f) => f.kind);
  assert.deepEqual(kinds, ["token", "token signature"]);
});

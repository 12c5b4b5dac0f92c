// Secrets at rest: after the E2E suite, every file the app runs left (data, config, cache and log
// directories of every run, each store database with its WAL, the app's own output captured in
// target/e2e/*.log) is searched for the secrets the run handed out or typed — session tokens as
// the Sandbox issued them, the Sandbox's Wi-Fi passphrases, keys and passphrases the tests typed —
// and for any PEM private key or `Authorization` value. Zero occurrences, or the step fails.
//
//   node e2e/secrets-scan.js <record file> <dir or file>...
//
// The record file holds `kind<TAB>value` lines: the Sandbox writes its own
// (NOVACORE_SIM_SECRETS_RECORD), the tests add what they typed (harness.js `rememberSecret`).
// Findings name the file and the kind of secret, never the secret.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Shorter values are not secrets worth a search (and would match by chance). */
const MIN_SECRET = 8;

/** Read the record file into `{ kind, value }` secrets, with the forms they may take on disk. */
export function readRecord(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const secrets = [];
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const kind = line.slice(0, tab);
    const value = line.slice(tab + 1);
    for (const form of forms(kind, value)) secrets.push(form);
  }
  return secrets;
}

/**
 * A secret and the forms that would betray it on their own: a token's signature; a PEM's body
 * lines, and the Ed25519 seed inside it raw, in hex and in base64 (however the app might have
 * stored the key). Each `{ kind, bytes }`.
 */
export function forms(kind, value) {
  const text = (v, k = kind) => ({ kind: k, bytes: Buffer.from(v, "utf8") });
  const out = [text(value)];
  if (kind === "token") {
    const signature = value.split(".")[2];
    if (signature) out.push(text(signature, "token signature"));
  }
  if (value.includes("-----BEGIN")) {
    // Recorded on one line with "\n" escapes (harness.js), or as written.
    const lines = value.split(/\\n|\r?\n/).map((l) => l.trim());
    out[0] = text(lines.join("\n"));
    const body = lines.filter((l) => l && !l.startsWith("-----"));
    for (const line of body) out.push(text(line, `${kind} (PEM body)`));
    const der = Buffer.from(body.join(""), "base64");
    if (der.length >= 32) {
      const seed = der.subarray(der.length - 32);
      out.push({ kind: `${kind} (seed)`, bytes: seed });
      out.push(text(seed.toString("hex"), `${kind} (seed, hex)`));
      out.push(text(seed.toString("base64"), `${kind} (seed, base64)`));
    }
  }
  return out.filter((s) => s.bytes.length >= MIN_SECRET);
}

/** Every regular file under `paths` (files or directories). */
export function filesUnder(paths) {
  const out = [];
  const visit = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) visit(join(p, name));
    } else if (st.isFile()) {
      out.push(p);
    }
  };
  paths.forEach(visit);
  return out;
}

/** What no file of ours may hold whatever the run: a private key block, a bearer credential. */
const PATTERNS = [
  { kind: "PEM private key", re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: "Authorization value", re: /authorization["']?\s*[:=]\s*["']?(bearer|basic)\s+[A-Za-z0-9._~+/-]{8,}/i },
];

/**
 * Search every file under `paths` for each secret (as bytes, so databases count too) and the
 * patterns; returns findings `{ file, kind }`.
 */
export function scan(paths, secrets) {
  const findings = [];
  const needles = secrets;
  for (const file of filesUnder(paths)) {
    let data;
    try {
      data = readFileSync(file);
    } catch {
      continue;
    }
    const seen = new Set();
    for (const n of needles) {
      if (!seen.has(n.kind) && data.indexOf(n.bytes) >= 0) {
        seen.add(n.kind);
        findings.push({ file, kind: n.kind });
      }
    }
    const text = data.toString("latin1");
    for (const p of PATTERNS) {
      if (p.re.test(text)) findings.push({ file, kind: p.kind });
    }
  }
  return findings;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [record, ...paths] = process.argv.slice(2);
  if (!record || paths.length === 0) {
    console.error("usage: node e2e/secrets-scan.js <record file> <dir or file>...");
    process.exit(2);
  }
  const secrets = readRecord(record);
  const kinds = new Map();
  for (const s of secrets) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
  const files = filesUnder(paths);
  const findings = scan(paths, secrets);
  console.log(`secrets at rest: ${files.length} files searched for ${secrets.length} secrets (${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ") || "none recorded"}) and for PEM keys and Authorization values`);
  // A run that recorded no token cannot have checked anything: that is a broken set-up, not a pass.
  if (!kinds.has("token")) {
    console.error("secrets at rest: no session token was recorded (is NOVACORE_SIM_SECRETS_RECORD set for the Sandbox?)");
    process.exit(1);
  }
  for (const f of findings) console.error(`secrets at rest: ${f.kind} found in ${f.file}`);
  process.exit(findings.length === 0 ? 0 : 1);
}

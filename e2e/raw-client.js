// The measurements' floor: the platform's HTTP API spoken directly from this script (no app), to
// time the same steps over raw HTTP and SSE in the same run as the app's.
import { generateKeyPairSync, sign } from "node:crypto";

export async function json(url, { method = "GET", body, token } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A fresh Ed25519 identity signed in by challenge/verify. */
export async function signIn(base) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const public_key = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url").toString("base64");
  const { challenge } = await json(`${base}/auth/challenge`, { method: "POST", body: { public_key } });
  const signature = sign(null, Buffer.from(challenge), privateKey).toString("base64");
  const { token, identity_id } = await json(`${base}/auth/verify`, { method: "POST", body: { public_key, signature, challenge } });
  return { token, identity_id };
}

/**
 * Reads the site's SSE stream, calling `onReading(reading)` for every data line, until
 * `onReading` returns true, `signal` aborts or the stream ends.
 */
export async function readStream(base, token, siteId, onReading, signal) {
  const res = await fetch(`${base}/stream/sites/${siteId}`, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" }, signal });
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of res.body) {
    buf += decoder.decode(chunk, { stream: true });
    for (const line of buf.split("\n").slice(0, -1)) {
      if (!line.startsWith("data:")) continue;
      let reading;
      try {
        reading = JSON.parse(line.slice(5));
      } catch {
        continue;
      }
      if (onReading(reading)) return true;
    }
    buf = buf.slice(buf.lastIndexOf("\n") + 1);
  }
  return false;
}

// The ONLY module that touches Tauri's IPC. Everything else imports the typed `commands` and
// `events` from bindings.js, which is generated from Rust and imports these primitives from here
// (the generator's "@tauri-apps/api/*" imports are pointed at this file, since there is no bundler).
//
// Tauri injects `window.__TAURI__` (app.withGlobalTauri); reading it lazily keeps module loading
// independent of injection order and gives a clear error outside the app.

function tauri() {
  const t = globalThis.__TAURI__;
  if (!t) throw new Error("Novadesk's backend is not available: open this page in the Novadesk app.");
  return t;
}

/** @param {string} cmd @param {Record<string, unknown>} [args] */
export function invoke(cmd, args) {
  return tauri().core.invoke(cmd, args).catch((e) => {
    throw asEnvelope(e);
  });
}

/**
 * Every refusal as the `{ code, message }` envelope the views switch on. Commands answer it
 * themselves; Tauri refuses arguments of the wrong JSON type before a command runs, with a bare
 * string naming serde's reason (which may quote the argument): that becomes a plain sentence.
 * Thrown `Error`s (a missing backend) stay errors.
 * @param {unknown} e
 */
export function asEnvelope(e) {
  if (e instanceof Error) return e;
  if (e && typeof e === "object" && typeof e.code === "string" && typeof e.message === "string") {
    return e;
  }
  return {
    code: "failed",
    message: "Novadesk could not read that request. Reload the window and try again.",
  };
}

/** A streaming channel from a command to the page. */
export class Channel {
  constructor(onmessage) {
    const channel = new (tauri().core.Channel)();
    if (onmessage) channel.onmessage = onmessage;
    return channel;
  }
}

/** @param {string} event @param {(e: {payload: any}) => void} handler */
export function listen(event, handler, options) {
  return tauri().event.listen(event, handler, options);
}

export function once(event, handler, options) {
  return tauri().event.once(event, handler, options);
}

export function emit(event, payload) {
  return tauri().event.emit(event, payload);
}

export function emitTo(target, event, payload) {
  return tauri().event.emitTo(target, event, payload);
}

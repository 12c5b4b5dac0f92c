// A minimal W3C WebDriver client over HTTP (Node's fetch): no npm packages needed.
// Every call has a timeout, so a wedged driver fails the test instead of hanging CI.

import { execFileSync } from "node:child_process";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/**
 * The X id of the window under test on this display: the largest named top-level window (each
 * test's display shows one app window; GTK's other windows are tiny or unnamed).
 */
function appWindow() {
  const tree = execFileSync("xwininfo", ["-root", "-children"], { encoding: "utf8" });
  let best = null;
  for (const line of tree.split("\n")) {
    const m = line.match(/^\s*(0x[0-9a-f]+) "[^"]*".*?\s(\d+)x(\d+)[+-]/);
    if (!m) continue;
    const area = Number(m[2]) * Number(m[3]);
    if (area >= 200 * 200 && (!best || area > best.area)) best = { id: m[1], area };
  }
  if (!best) throw new Error(`no application window on display ${process.env.DISPLAY}:\n${tree}`);
  return best.id;
}

export class WebDriver {
  constructor(base = "http://127.0.0.1:4444", timeoutMs = 30_000) {
    this.base = base;
    this.timeoutMs = timeoutMs;
    this.sessionId = null;
  }

  async request(method, path, body) {
    const started = Date.now();
    let res;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: body ? { "content-type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new Error(`WebDriver ${method} ${path} failed after ${Date.now() - started} ms: ${err.message}`);
    }
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`WebDriver ${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok || json?.value?.error) {
      const v = json.value ?? {};
      throw new Error(`WebDriver ${method} ${path}: ${v.error ?? res.status}: ${v.message ?? text.slice(0, 200)}`);
    }
    return json.value;
  }

  s(path) {
    return `/session/${this.sessionId}${path}`;
  }

  async start(application, args = []) {
    // Launching the app (a debug build, WebKit's processes) is the slowest call: on a loaded
    // machine it passed 30 s once, so it gets longer than the other calls.
    const usual = this.timeoutMs;
    this.timeoutMs = Math.max(usual, 90_000);
    let value;
    try {
      value = await this.request("POST", "/session", {
        capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application, args } } },
      });
    } finally {
      this.timeoutMs = usual;
    }
    this.sessionId = value.sessionId;
    return value;
  }

  async quit() {
    if (!this.sessionId) return;
    try {
      await this.request("DELETE", this.s(""));
    } finally {
      this.sessionId = null;
    }
  }

  async find(css) {
    const v = await this.request("POST", this.s("/element"), { using: "css selector", value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.request("POST", this.s("/elements"), { using: "css selector", value: css });
    return v.map((e) => e[ELEMENT]);
  }

  async click(css) {
    await this.onFresh(css, async (id) => {
      await this.stillAt(id);
      const click = () => this.request("POST", this.s(`/element/${id}/click`), {});
      try {
        return await click();
      } catch (err) {
        // WebKit calls an element cut off at the edge of the scrolling view "not interactable"
        // (it does not scroll it further): centre it and click once more.
        if (!/element not interactable/.test(err.message)) throw err;
        await this.exec("arguments[0].scrollIntoView({ block: 'center' })", { [ELEMENT]: id });
        return click();
      }
    });
  }

  // A click goes to a point on the screen: if what is above the element is still growing (a list
  // drawn after an answer), the point moves on and the click lands elsewhere. Wait until the
  // element has stayed put for a few frames (at most 1 s).
  async stillAt(id) {
    await this.execAsync(`const el = arguments[0], done = arguments[arguments.length - 1];
      const t0 = performance.now();
      let last = null, same = 0;
      const tick = () => {
        const r = el.getBoundingClientRect();
        const at = r.top + "," + r.left;
        same = at === last ? same + 1 : 0;
        last = at;
        if (same >= 3 || performance.now() - t0 > 1000) done(true);
        else setTimeout(tick, 16);
      };
      tick();`, { [ELEMENT]: id });
  }

  async text(css) {
    return this.onFresh(css, (id) => this.request("GET", this.s(`/element/${id}/text`)));
  }

  // Store-first views render twice (cached, then fresh), so an element found just before the
  // second render is gone when it is used: find it again (a few times) rather than fail.
  async onFresh(css, use) {
    for (let attempt = 1; ; attempt++) {
      const id = await this.find(css);
      try {
        return await use(id);
      } catch (err) {
        if (attempt >= 3 || !/stale element reference/.test(err.message)) throw err;
      }
    }
  }

  async type(css, text) {
    // A stale element takes no keys, so trying again cannot type twice.
    await this.onFresh(css, (id) => this.request("POST", this.s(`/element/${id}/value`), { text }));
  }

  /** A real key press through WebDriver actions, to the focused element (Escape is \uE00C). */
  async pressKey(key) {
    await this.request("POST", this.s("/actions"), {
      actions: [{ type: "key", id: "keyboard", actions: [{ type: "keyDown", value: key }, { type: "keyUp", value: key }] }],
    });
  }

  async exec(script, ...args) {
    return this.request("POST", this.s("/execute/sync"), { script, args });
  }

  async title() {
    return this.request("GET", this.s("/title"));
  }

  async execAsync(script, ...args) {
    return this.request("POST", this.s("/execute/async"), { script, args });
  }

  /** Resolve after the page has painted twice, so a screenshot shows the current state. */
  async settle() {
    await this.execAsync(
      // Two frames normally; a time cap in case the view is not painting (rAF never fires then).
      "const done = arguments[arguments.length - 1]; let sent = false; const once = () => { if (!sent) { sent = true; done(); } };" +
        " requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(once, 50))); setTimeout(once, 1000);",
    );
  }

  /**
   * PNG bytes of the window as it is now, read from the X server (what is on screen). WebDriver's
   * own screenshot asks WebKit for a snapshot of the page, which never answers when the page is
   * drawn without accelerated compositing, as the app's is (src-tauri/src/webview.rs).
   */
  async screenshot() {
    await this.settle();
    const window = appWindow();
    return execFileSync("import", ["-window", window, "png:-"], { maxBuffer: 64 << 20, timeout: this.timeoutMs });
  }

  /** Poll `fn` until it returns a truthy value or `ms` elapse. */
  async waitFor(fn, ms = 15_000, what = "condition") {
    const until = Date.now() + ms;
    let last;
    while (Date.now() < until) {
      try {
        last = await fn();
        if (last) return last;
      } catch (err) {
        last = err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}: ${last}`);
  }
}

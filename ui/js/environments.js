// The Novacore environments the app can talk to, and the rule for a custom URL: the window's
// one list of them. Pure functions: unit-tested with `node --test ui/js/tests`.

export const ENVIRONMENTS = [
  {
    id: "sandbox",
    title: "Sandbox",
    desc: "A simulated Novacore and Zap gateways on this computer: safe to explore and learn.",
    connecting: "Starting the Sandbox and signing in…",
  },
  { id: "testnet", title: "Testnet", desc: "Novacore for development and testing.", url: "https://novacore-testnet.sourceful.dev" },
  { id: "mainnet", title: "Mainnet", desc: "Production Novacore: real sites and gateways.", url: "https://novacore-mainnet.sourceful.dev" },
  { id: "custom", title: "Custom URL", desc: "Another Novacore server, e.g. a local sandbox you started yourself." },
];

const NAMED = ENVIRONMENTS.filter((e) => e.id !== "custom").map((e) => e.id);

/** Whether `environment` (what `connect` takes: a name or a URL) is one of the named environments. */
function isNamed(environment) {
  return NAMED.includes(environment);
}

/** The header badge's `data-env` (its colour) for an environment id. */
export function environmentBadge(environmentId) {
  return isNamed(environmentId) ? environmentId : "custom";
}

/** What the picker says while connecting to the environment with `id`. */
export function connectingText(id) {
  return ENVIRONMENTS.find((e) => e.id === id)?.connecting ?? "Signing in…";
}

/** The picker's choice for an environment: a named one, or "custom" with its URL; none: the first. */
export function pickerChoice(environment) {
  if (!environment) return { selected: ENVIRONMENTS[0].id };
  return isNamed(environment) ? { selected: environment } : { selected: "custom", customUrl: environment };
}

// The URL rule is the backend's (novadesk-core `Environment::parse`,
// crates/novadesk-core/src/environment.rs), which decides; this copy only lets the picker say
// what is wrong while typing. Keep the two in step; nothing else in ui/ checks URLs.
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function isLoopback(hostname) {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Check a custom environment URL: https is required, plain http only for loopback.
 * @param {string} text
 * @returns {{ ok: true, url: string } | { ok: false, message: string }}
 */
export function validateCustomUrl(text) {
  const trimmed = (text ?? "").trim();
  if (!trimmed) return { ok: false, message: "Enter the server's address, e.g. https://novacore.example.com" };
  let url;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: "That is not a web address. It should look like https://novacore.example.com" };
  }
  if (url.username || url.password) {
    return { ok: false, message: "Leave user names and passwords out of the address; you sign in with your identity." };
  }
  if (url.protocol === "https:") return { ok: true, url: url.origin + url.pathname.replace(/\/+$/, "") };
  if (url.protocol === "http:") {
    if (isLoopback(url.hostname)) return { ok: true, url: url.origin + url.pathname.replace(/\/+$/, "") };
    return { ok: false, message: "Use https:// — plain http:// is only allowed for this computer (localhost)." };
  }
  return { ok: false, message: `Addresses starting with ${url.protocol}// are not supported; use https://` };
}

// The window's frame around the views: the header's environment badge and identity, the
// navigation column, the offline banner, the status bar and passing messages (toasts).
import { environmentBadge } from "./environments.js";
import { commands } from "./bindings.js";
import { unwrap } from "./result.js";
// Not from the journal panel's module: that would load the Installer's views at start.
import { countsText } from "./format.js";

/** How often the status bar looks at the installer's journal while signed in. */
const JOURNAL_POLL_MS = 3_000;

/** The entries that need a signed-in connection. */
// The Installer is not among them: finding and checking a Zap need no sign-in.
const SIGNED_IN_VIEWS = ["organizations", "sites", "fleet", "identity"];

/** A passing message: errors (anything thrown) in red as an alert; `{ message, ok: true }` for news. */
export function toast(err) {
  // A refused session is already on the sign-in view, with its reason.
  if (err?.handled) return;
  const box = document.createElement("div");
  box.className = err?.ok ? "toast toast-ok" : "toast";
  box.setAttribute("role", err?.ok ? "status" : "alert");
  box.textContent = err?.message ?? String(err);
  document.body.append(box);
  setTimeout(() => box.remove(), 6000);
}

function showNetwork(online) {
  const item = document.getElementById("status-network");
  item.dataset.online = String(online);
  item.querySelector(".label").textContent = online ? "Online" : "Offline";
}

/** The computer's own network state in the status bar, until the backend reports the environment's. */
export function watchNetwork() {
  const update = () => showNetwork(navigator.onLine);
  addEventListener("online", update);
  addEventListener("offline", update);
  update();
}

/**
 * The environment's reachability, as the backend sees it: banner + status bar.
 * @returns {boolean} whether it just came back online (cached data on screen can be refreshed)
 */
export function showConnectivity({ online, reason }) {
  const banner = document.getElementById("offline-banner");
  showNetwork(online);
  if (online) {
    const wasOffline = !banner.hidden;
    banner.hidden = true;
    banner.textContent = "";
    if (reason) toast({ message: `${reason}.`, ok: true });
    return wasOffline;
  }
  banner.hidden = false;
  banner.textContent = `Offline — showing cached data. ${reason ?? ""} Novadesk reconnects by itself.`.trim();
  return false;
}

/** Signed in: badge, identity in the header, status bar, and the signed-in nav entries as links. */
export function showConnection(connection) {
  const badge = document.getElementById("env-badge");
  badge.dataset.env = environmentBadge(connection.environment_id);
  badge.textContent = connection.environment_name;
  document.getElementById("status-env").textContent = `Signed in to ${connection.environment_name}`;
  const who = document.getElementById("header-identity");
  who.hidden = false;
  who.textContent = shortId(connection.identity_id);
  who.title = `Signed in as ${connection.identity_id} — open the identity view`;
  // The first sign-in turns the disabled entries into links; later ones reuse them.
  for (const name of SIGNED_IN_VIEWS) {
    const entry = document.querySelector(`.app-nav [data-view="${name}"]`);
    if (!entry || entry.tagName === "A") continue;
    const link = document.createElement("a");
    link.href = `#${name}`;
    link.dataset.view = name;
    link.textContent = entry.textContent;
    entry.replaceWith(link);
  }
}

/** "idt-01a215bd-6f0b-…" → "idt-01a215bd…": enough to recognise, short enough for the header. */
function shortId(id) {
  return id.length > 14 ? `${id.slice(0, 12)}…` : id;
}

/** Back to the state before sign-in: nav entries disabled, badge cleared. */
export function showSignedOut() {
  const badge = document.getElementById("env-badge");
  badge.dataset.env = "none";
  badge.textContent = "No environment";
  document.getElementById("status-env").textContent = "No environment selected";
  document.getElementById("offline-banner").hidden = true;
  document.getElementById("header-identity").hidden = true;
  for (const name of SIGNED_IN_VIEWS) {
    const link = document.querySelector(`.app-nav a[data-view="${name}"]`);
    if (!link) continue;
    const span = document.createElement("span");
    span.className = "nav-disabled";
    span.dataset.view = name;
    span.setAttribute("aria-disabled", "true");
    span.title = "Sign in to an environment first";
    span.textContent = link.textContent;
    link.replaceWith(span);
  }
}

/** Marks the navigation entry for the current view. */
export function markNav(nav) {
  for (const a of document.querySelectorAll(".app-nav a")) {
    if (a.dataset.view === nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/**
 * The installer's journal in the status bar: "2 waiting for the cloud" (and refused ones needing
 * a decision), a link to the Installer; hidden when nothing waits. Polled while `signedIn()`.
 */
export function watchJournal(signedIn) {
  const item = document.getElementById("status-journal");
  const show = (counts) => {
    const text = counts ? countsText(counts) : "";
    item.dataset.conflict = String((counts?.conflict ?? 0) > 0);
    item.hidden = text === "";
    item.textContent = text ? `Journal: ${text}` : "";
  };
  const update = async () => {
    if (!signedIn()) return show(null);
    try {
      show(unwrap(await commands.getJournalCounts()));
    } catch {
      // Signed out meanwhile, or the store is busy: keep the last count until the next poll.
    }
  };
  // The Installer's journal panel tells as soon as it sees the counts change (no poll's lag).
  document.addEventListener("journal-counts", (ev) => show(ev.detail));
  setInterval(update, JOURNAL_POLL_MS);
  update();
}

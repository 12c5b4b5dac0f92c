// App entry: frame, theme, status bar, routing between views, and the signed-in connection.
import { commands, events } from "./bindings.js";
import { unwrap } from "./result.js";
import { initTheme } from "./theme.js";
import { route, match } from "./router.js";
import { renderWelcome, renderAbout } from "./views/welcome.js";
import { showOrganizations } from "./views/organizations.js";
import { renderIdentity } from "./views/identity.js";
import { showOrg } from "./views/org.js";
import { showSites } from "./views/sites.js";
import { showSite } from "./views/site.js";
import { showDevice } from "./views/device.js";
import { renderChart } from "./views/chart.js";

const view = () => document.getElementById("view");

/** A passing message: errors (anything thrown) in red as an alert; `{ message, ok: true }` for news. */
function toast(err) {
  const box = document.createElement("div");
  box.className = err?.ok ? "toast toast-ok" : "toast";
  box.setAttribute("role", err?.ok ? "status" : "alert");
  box.textContent = err?.message ?? String(err);
  document.body.append(box);
  setTimeout(() => box.remove(), 6000);
}

function watchNetwork() {
  const item = document.getElementById("status-network");
  const update = () => {
    item.dataset.online = String(navigator.onLine);
    item.querySelector(".label").textContent = navigator.onLine ? "Online" : "Offline";
  };
  addEventListener("online", update);
  addEventListener("offline", update);
  update();
}

/** The environment's reachability, as the backend sees it: banner + status bar. */
function showConnectivity({ online, reason }) {
  const banner = document.getElementById("offline-banner");
  const item = document.getElementById("status-network");
  item.dataset.online = String(online);
  item.querySelector(".label").textContent = online ? "Online" : "Offline";
  if (online) {
    const wasOffline = !banner.hidden;
    banner.hidden = true;
    banner.textContent = "";
    if (reason) toast({ message: `${reason}.`, ok: true });
    // Cached data on screen: show the fresh data now that it can be fetched.
    if (wasOffline && ctx.connection) render();
  } else {
    banner.hidden = false;
    banner.textContent = `Offline — showing cached data. ${reason ?? ""} Novadesk reconnects by itself.`.trim();
  }
}

const SIGNED_IN_VIEWS = ["organizations", "sites", "identity"];

function showConnection(connection) {
  const badge = document.getElementById("env-badge");
  const known = ["sandbox", "testnet", "mainnet"];
  badge.dataset.env = known.includes(connection.environment_id) ? connection.environment_id : "custom";
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
function showSignedOut() {
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
function markNav(nav) {
  for (const a of document.querySelectorAll(".app-nav a")) {
    if (a.dataset.view === nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/** What every view gets besides its element and parameters. */
const ctx = {
  /** The signed-in connection (ActiveSummary), once there is one. */
  connection: null,
  toast,
  /** Navigate to a hash (adds a history entry). */
  go(hash) {
    if (location.hash === hash) render();
    else location.hash = hash;
  },
  /** Run `fn` when the current view is left (stop live streams, cancel fetches). */
  onLeave(fn) {
    leaving.push(fn);
  },
  /** Sign in to `environment` (after an identity change) and open the organizations. */
  connectTo(environment) {
    return connect(environment);
  },
  /** The session ended: back to the sign-in view, saying why. */
  signedOut(reason) {
    ctx.connection = null;
    showSignedOut();
    welcomeOptions = { ...welcomeOptions, reason };
    if (location.hash === "#welcome") render();
    else location.hash = "#welcome";
  },
  /** Re-render the current view (after an action changed what it shows). */
  refresh() {
    return render();
  },
};

let welcomeOptions = null;
let appInfo = null;

route("welcome", (el) => {
  renderWelcome(el, welcomeOptions);
  if (appInfo) renderAbout(appInfo, el);
});
route("identity", renderIdentity);
route("organizations", (el) => showOrganizations(el, ctx));
route("org/:id", (el, params) => showOrg(el, params.id, ctx), "organizations");
route("sites", (el) => showSites(el, ctx));
route("site/:id", (el, params) => showSite(el, params.id, ctx), "sites");
route("device/:id", (el, params) => showDevice(el, params.id, ctx), "sites");

route("chart/:id", (el, params) => renderChart(el, params, ctx), "sites");

/** Clean-ups registered by the view on screen. */
let leaving = [];

let renderSeq = 0;
async function render() {
  for (const fn of leaving.splice(0)) {
    try {
      fn();
    } catch (err) {
      console.error(err);
    }
  }
  const found = match(location.hash || "#welcome");
  if (!found) {
    ctx.go(ctx.connection ? "#organizations" : "#welcome");
    return;
  }
  if (found.nav !== "welcome" && !ctx.connection) {
    history.replaceState(null, "", "#welcome");
    return render();
  }
  markNav(found.nav);
  // A slow view finishing after the user moved on must not overwrite the newer one.
  const seq = ++renderSeq;
  const target = document.createElement("div");
  try {
    await found.view(target, found.params, ctx);
  } catch (err) {
    if (seq !== renderSeq) return;
    // Silent re-authentication failed: the sign-in view says why.
    if (err?.code === "sign_in_required") ctx.signedOut(err.message);
    else toast(err);
    return;
  }
  if (seq !== renderSeq) return;
  view().replaceChildren(...target.childNodes);
  document.getElementById("main").focus();
}

/** Sign in, then open the organizations list. Errors are thrown for the welcome view to show. */
async function connect(environment) {
  ctx.connection = unwrap(await commands.connect(environment));
  const known = ["sandbox", "testnet", "mainnet"];
  welcomeOptions = known.includes(environment)
    ? { ...welcomeOptions, reason: null, selected: environment }
    : { ...welcomeOptions, reason: null, selected: "custom", customUrl: environment };
  showConnection(ctx.connection);
  if (location.hash === "#organizations") await render();
  else location.hash = "#organizations";
}

addEventListener("hashchange", () => render());

async function start() {
  watchNetwork();
  let info = null;
  try {
    await initTheme(toast);
    info = unwrap(await commands.appInfo());
    document.getElementById("status-version").textContent = `Novadesk ${info.version}`;
  } catch (err) {
    toast(err);
  }
  try {
    await events.connectivityChanged.listen((e) => showConnectivity(e.payload));
  } catch (err) {
    toast(err);
  }
  // --env wins; otherwise reopen the environment signed in to last (the picker preselects it).
  const requested = info?.open_env ?? null;
  const preselect = requested ?? info?.last_env ?? null;
  const known = ["sandbox", "testnet", "mainnet"];
  const custom = preselect && !known.includes(preselect);
  welcomeOptions = { selected: custom ? "custom" : preselect ?? "sandbox", customUrl: custom ? preselect : "", onConnect: connect };
  appInfo = info;
  history.replaceState(null, "", "#welcome");
  await render();
  document.body.dataset.ready = "true";
  // `novadesk --env X` (what `make run` does), or the last session, opens straight into it.
  if (requested) {
    document.getElementById("connect")?.click();
  }
}

start();

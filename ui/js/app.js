// App entry: the route table, the signed-in connection, and rendering the view for the hash.
// Every view module exports `render(main, params, ctx)` (router.js); the frame around the views
// (header, navigation, banner, status bar, toasts) is frame.js.
import { commands, events } from "./bindings.js";
import { onSignInRequired, unwrap } from "./result.js";
import { initTheme } from "./theme.js";
import { route, match } from "./router.js";
import { pickerChoice } from "./environments.js";
import { markNav, showConnection, showConnectivity, showSignedOut, toast, watchJournal, watchNetwork } from "./frame.js";
import * as welcome from "./views/welcome.js";
import * as organizations from "./views/organizations.js";

/**
 * A view whose module is loaded the first time it is opened. Only the two first views (the
 * picker, the organizations) load with the page: the others are two thirds of the page's script,
 * which every start parsed and kept in the web process for views not opened yet.
 */
const lazy = (load) => async (main, params, ctx) => (await load()).render(main, params, ctx);

route("welcome", welcome.render);
route("identity", lazy(() => import("./views/identity.js")));
route("organizations", organizations.render);
route("org/:id", lazy(() => import("./views/org.js")), "organizations");
route("sites", lazy(() => import("./views/sites.js")));
route("site/:id", lazy(() => import("./views/site.js")), "sites");
route("device/:id", lazy(() => import("./views/device.js")), "sites");
route("chart/:id", lazy(() => import("./views/chart.js")), "sites");
route("whatif/:id", lazy(() => import("./views/whatif.js")), "sites");
route("fleet", lazy(() => import("./views/fleet.js")));
route("installer", lazy(() => import("./views/installer.js")));

/** Views open without a sign-in: the picker, and the Installer (finding and checking a Zap). */
const OPEN_SIGNED_OUT = new Set(["welcome", "installer"]);

const view = () => document.getElementById("view");

/** What every view gets besides its element and parameters. */
const ctx = {
  /** The signed-in connection (ActiveSummary), once there is one. */
  connection: null,
  /** app_info (version, data and log folders, --env), once read. */
  appInfo: null,
  /**
   * The sign-in view's state: the picker's choice (`selected`, `customUrl`), why the session
   * ended (`reason`), and `connectNow` to connect once on opening (`--env`, the last session).
   */
  signIn: { ...pickerChoice(null), reason: null, connectNow: false },
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
  /** Sign in to `environment`, then open the organizations. Errors are thrown for the caller to show. */
  async connect(environment) {
    ctx.connection = unwrap(await commands.connect(environment));
    ctx.signIn = { ...ctx.signIn, ...pickerChoice(environment), reason: null };
    showConnection(ctx.connection);
    // A view open signed out (the Installer) stays, now with what the sign-in adds (claim,
    // provision); from the sign-in view, on to the organizations.
    const here = match(location.hash || "#welcome")?.nav;
    if (location.hash === "#organizations" || (here !== "welcome" && OPEN_SIGNED_OUT.has(here))) await render();
    else location.hash = "#organizations";
  },
  /** The session ended: back to the sign-in view, saying why. */
  signedOut(reason) {
    ctx.connection = null;
    showSignedOut();
    // A dialog of the view that was left has nothing left to act on.
    for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
    ctx.signIn = { ...ctx.signIn, reason };
    if (location.hash === "#welcome") render();
    else location.hash = "#welcome";
  },
  /** Re-render the current view (after an action changed what it shows). */
  refresh() {
    return render();
  },
};

// A refused session, from any command: the sign-in view says why. On the sign-in view itself
// the form that failed says it (the session signed in before, if any, is still there).
onSignInRequired((reason) => {
  if (match(location.hash || "#welcome")?.nav === "welcome") return false;
  ctx.signedOut(reason);
  return true;
});

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
  if (!OPEN_SIGNED_OUT.has(found.nav) && !ctx.connection) {
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
    if (seq === renderSeq) toast(err);
    return;
  }
  if (seq !== renderSeq) return;
  view().replaceChildren(...target.childNodes);
  document.getElementById("main").focus();
}

addEventListener("hashchange", () => render());

async function start() {
  watchNetwork();
  watchJournal(() => Boolean(ctx.connection));
  // Three independent round trips to the backend, asked together; all done before the first view.
  const theme = initTheme(toast).catch(toast);
  const info = commands.appInfo().then((res) => {
    ctx.appInfo = unwrap(res);
    document.getElementById("status-version").textContent = `Novadesk ${ctx.appInfo.version}`;
  }).catch(toast);
  const connectivity = events.connectivityChanged.listen((e) => {
    // Cached data on screen: show the fresh data now that it can be fetched. Not the
    // Installer's: it holds the installer's work (the Zaps found, the open forms), and its
    // panels refresh themselves (the journal replays, then the Zap's panels follow).
    if (showConnectivity(e.payload) && ctx.connection && !location.hash.startsWith("#installer")) render();
  }).catch(toast);
  await Promise.all([theme, info, connectivity]);
  // --env wins; otherwise reopen the environment signed in to last (the picker preselects it).
  const requested = ctx.appInfo?.open_env ?? null;
  ctx.signIn = { ...ctx.signIn, ...pickerChoice(requested ?? ctx.appInfo?.last_env), connectNow: !!requested };
  history.replaceState(null, "", "#welcome");
  await render();
  document.body.dataset.ready = "true";
}

start();

// App entry: frame, theme, status bar, welcome → sign-in → organizations.
import { commands } from "./bindings.js";
import { unwrap } from "./result.js";
import { initTheme } from "./theme.js";
import { renderWelcome, renderAbout } from "./views/welcome.js";
import { renderOrganizations } from "./views/organizations.js";

const main = () => document.getElementById("main");

function toast(err) {
  const box = document.createElement("div");
  box.className = "toast";
  box.setAttribute("role", "alert");
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

function showConnection(connection) {
  const badge = document.getElementById("env-badge");
  const known = ["sandbox", "testnet", "mainnet"];
  badge.dataset.env = known.includes(connection.environment_id) ? connection.environment_id : "custom";
  badge.textContent = connection.environment_name;
  document.getElementById("status-env").textContent = `Signed in to ${connection.environment_name}`;
  // The first sign-in turns the disabled "Organizations" entry into a link; later ones reuse it.
  let link = document.querySelector('.app-nav a[data-view="organizations"]');
  if (!link) {
    link = document.createElement("a");
    link.href = "#organizations";
    link.dataset.view = "organizations";
    link.textContent = "Organizations";
    document.querySelector('.app-nav [data-view="organizations"]').replaceWith(link);
  }
  for (const a of document.querySelectorAll(".app-nav a")) a.removeAttribute("aria-current");
  link.setAttribute("aria-current", "page");
}

let current = null; // the signed-in connection, once there is one
let welcomeOptions = null;
let appInfo = null;

async function showOrganizations() {
  const organizations = unwrap(await commands.listOrganizations());
  renderOrganizations(main(), { connection: current, organizations });
  main().focus();
}

/** Sign in, then open the organizations list. Errors are thrown for the welcome view to show. */
async function connect(environment) {
  current = unwrap(await commands.connect(environment));
  showConnection(current);
  if (location.hash !== "#organizations") history.replaceState(null, "", "#organizations");
  await showOrganizations();
}

// The navigation column's links switch views.
addEventListener("hashchange", async () => {
  for (const a of document.querySelectorAll(".app-nav a")) {
    a.toggleAttribute("aria-current", a.getAttribute("href") === location.hash);
    if (a.hasAttribute("aria-current")) a.setAttribute("aria-current", "page");
  }
  try {
    if (location.hash === "#organizations" && current) await showOrganizations();
    else if (location.hash === "#welcome") {
      renderWelcome(main(), welcomeOptions);
      if (appInfo) renderAbout(appInfo);
    }
  } catch (err) {
    toast(err);
  }
});

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
  const requested = info?.requested_env ?? null;
  const known = ["sandbox", "testnet", "mainnet"];
  welcomeOptions = { selected: requested && !known.includes(requested) ? "custom" : requested ?? "sandbox", onConnect: connect };
  renderWelcome(main(), welcomeOptions);
  appInfo = info;
  if (info) renderAbout(info);
  document.body.dataset.ready = "true";
  // `novadesk --env X` (what `make run` does) opens straight into that environment.
  if (requested) {
    document.getElementById("connect")?.click();
  }
}

start();

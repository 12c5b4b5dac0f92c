// App entry: frame, theme, status bar, first view.
import { commands } from "./bindings.js";
import { unwrap } from "./result.js";
import { initTheme } from "./theme.js";
import { renderWelcome, renderAbout } from "./views/welcome.js";

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

async function main() {
  renderWelcome(document.getElementById("main"));
  watchNetwork();
  try {
    await initTheme(toast);
    const info = unwrap(await commands.appInfo());
    document.getElementById("status-version").textContent = `Novadesk ${info.version}`;
    renderAbout(info);
  } catch (err) {
    toast(err);
  }
  document.body.dataset.ready = "true";
}

main();

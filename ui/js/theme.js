// Light/dark theme: "system" follows prefers-color-scheme; "light"/"dark" override it.
// The choice is persisted by the backend (set_theme) and broadcast to every window (ThemeChanged).
import { commands, events } from "./bindings.js";
import { unwrap } from "./result.js";

const root = document.documentElement;

/** @param {"system" | "light" | "dark"} theme */
export function applyTheme(theme) {
  if (theme === "light" || theme === "dark") root.dataset.theme = theme;
  else delete root.dataset.theme;
  for (const button of document.querySelectorAll("[data-theme-choice]")) {
    const on = button.dataset.themeChoice === (theme ?? "system");
    button.setAttribute("aria-checked", String(on));
    button.tabIndex = on ? 0 : -1;
  }
}

/** Wire the header's theme switch: click or arrow keys (a radio group). */
export async function initTheme(onError) {
  const group = document.getElementById("theme-switch");
  const buttons = [...group.querySelectorAll("[data-theme-choice]")];
  const choose = async (theme) => {
    applyTheme(theme); // answer the click at once; the backend confirms and persists
    try {
      const settings = unwrap(await commands.setTheme(theme));
      applyTheme(settings.theme);
    } catch (err) {
      onError(err);
    }
  };
  for (const button of buttons) button.addEventListener("click", () => choose(button.dataset.themeChoice));
  group.addEventListener("keydown", (event) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const next = buttons[(i + step + buttons.length) % buttons.length];
    next.focus();
    choose(next.dataset.themeChoice);
  });
  await events.themeChanged.listen((event) => applyTheme(event.payload.theme));
  const settings = unwrap(await commands.getSettings());
  applyTheme(settings.theme);
}

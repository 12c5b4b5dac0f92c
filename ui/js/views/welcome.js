// Welcome: what Novadesk is, and the environment picker.
// Signing in from the window is the next step (issue 6); until then the choices are shown disabled,
// saying why, so nothing pretends to work.
import { ENVIRONMENTS, validateCustomUrl } from "../environments.js";

const NOT_YET = "Not available in this build yet: signing in from the window comes next (the novacore command line can already connect).";

/** @param {HTMLElement} main */
export function renderWelcome(main) {
  main.replaceChildren();
  const h1 = el("h1", {}, "Welcome to Novadesk");
  const lede = el(
    "p",
    { class: "lede" },
    "Find and set up Zap gateways on site, browse organizations and sites, watch live telemetry and chart it against electricity prices — online or offline.",
  );
  const form = el("form", { id: "env-form", novalidate: "" });
  const fieldset = el("fieldset", { class: "env-picker", id: "env-picker" });
  fieldset.append(el("legend", {}, "Choose an environment"));
  for (const env of ENVIRONMENTS) {
    const id = `env-${env.id}`;
    const label = el("label", { class: "env-option is-disabled", for: id, "data-env": env.id });
    const input = el("input", { type: "radio", name: "environment", id, value: env.id, disabled: "" });
    label.append(
      input,
      el("span", { class: "title" }, env.title),
      el("span", { class: "desc" }, env.url ? `${env.desc} ${env.url}` : env.desc),
      el("span", { class: "why" }, NOT_YET),
    );
    fieldset.append(label);
  }
  const custom = el("div", { class: "custom-url" });
  const urlInput = el("input", {
    type: "url",
    id: "custom-url",
    placeholder: "https://novacore.example.com",
    "aria-describedby": "custom-url-msg",
    autocomplete: "url",
  });
  const msg = el("span", { class: "field-msg", id: "custom-url-msg", "aria-live": "polite" }, "https:// required; http:// only for localhost.");
  urlInput.addEventListener("input", () => {
    if (!urlInput.value.trim()) {
      urlInput.removeAttribute("aria-invalid");
      msg.className = "field-msg";
      msg.textContent = "https:// required; http:// only for localhost.";
      return;
    }
    const result = validateCustomUrl(urlInput.value);
    urlInput.setAttribute("aria-invalid", String(!result.ok));
    msg.className = result.ok ? "field-msg" : "field-msg is-error";
    msg.textContent = result.ok ? `Will connect to ${result.url}` : result.message;
  });
  custom.append(el("label", { for: "custom-url" }, "Custom URL"), urlInput, msg);
  fieldset.append(custom);
  const connect = el("button", { class: "btn", type: "submit", id: "connect", disabled: "", title: NOT_YET }, "Connect");
  const actions = el("div", { class: "actions" }, connect, el("span", { class: "field-msg" }, NOT_YET));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.append(fieldset, actions);
  const about = el("dl", { class: "about", id: "about" });
  main.append(h1, lede, form, about);
}

/** Fill the About list from app_info. */
export function renderAbout(info) {
  const about = document.getElementById("about");
  if (!about) return;
  about.replaceChildren(
    el("dt", {}, "Version"), el("dd", {}, `${info.version} (${info.profile})`),
    el("dt", {}, "Data"), el("dd", {}, info.data_dir),
    el("dt", {}, "Logs"), el("dd", {}, info.log_dir),
  );
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

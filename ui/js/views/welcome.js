// Welcome: what Novadesk is, and the environment picker. Connecting signs in with the
// environment's identity (created on first use and kept in the keychain).
import { el } from "../dom.js";
import { ENVIRONMENTS, connectingText, validateCustomUrl } from "../environments.js";
import { commands } from "../bindings.js";
import { unwrap } from "../result.js";
import { confirmDialog } from "../dialogs.js";
import { identityImportForm } from "../identity-import.js";

/** #welcome: the sign-in view. Its state (the choice, why the session ended) is `ctx.signIn`. */
export function render(main, _params, ctx) {
  const { selected, customUrl = "", reason = null } = ctx.signIn;
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
    const label = el("label", { class: "env-option", for: id, "data-env": env.id });
    const input = el("input", { type: "radio", name: "environment", id, value: env.id });
    if (env.id === selected) input.checked = true;
    label.append(
      input,
      el("span", { class: "title" }, env.title),
      el("span", { class: "desc" }, env.url ? `${env.desc} ${env.url}` : env.desc),
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
  urlInput.value = customUrl;
  const hint = "https:// required; http:// only for localhost.";
  const msg = el("span", { class: "field-msg", id: "custom-url-msg", "aria-live": "polite" }, hint);
  custom.append(el("label", { for: "custom-url" }, "Custom URL"), urlInput, msg);
  fieldset.append(custom);

  const connect = el("button", { class: "btn", type: "submit", id: "connect" }, "Connect");
  const status = el("span", { class: "field-msg", id: "connect-msg", "aria-live": "polite" });
  const actions = el("div", { class: "actions" }, connect, status);

  const choice = () => form.querySelector("input[name=environment]:checked")?.value;
  /** The environment string to connect to, or null with the reason shown. */
  const target = () => {
    const env = choice();
    if (!env) return null;
    if (env !== "custom") return env;
    const result = validateCustomUrl(urlInput.value);
    return result.ok ? result.url : null;
  };
  const refresh = () => {
    const value = urlInput.value.trim();
    if (!value) {
      urlInput.removeAttribute("aria-invalid");
      msg.className = "field-msg";
      msg.textContent = hint;
    } else {
      const result = validateCustomUrl(value);
      urlInput.setAttribute("aria-invalid", String(!result.ok));
      msg.className = result.ok ? "field-msg" : "field-msg is-error";
      msg.textContent = result.ok ? `Will connect to ${result.url}` : result.message;
    }
    connect.disabled = target() === null;
  };
  urlInput.addEventListener("input", () => {
    if (urlInput.value.trim()) form.querySelector("#env-custom").checked = true;
    refresh();
  });
  fieldset.addEventListener("change", refresh);
  /** Sign in to the chosen environment, saying what happens (and what went wrong) beside Connect. */
  const signIn = async () => {
    const env = target();
    if (!env) return;
    connect.disabled = true;
    connect.textContent = "Connecting…";
    status.className = "field-msg";
    status.removeAttribute("role");
    status.textContent = connectingText(choice());
    try {
      await ctx.connect(env);
    } catch (err) {
      status.className = "field-msg is-error";
      status.setAttribute("role", "alert");
      status.textContent = err?.message ?? String(err);
    } finally {
      connect.textContent = "Connect";
      refresh();
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    signIn();
  });
  form.append(fieldset, actions);
  const about = el("dl", { class: "about", id: "about" });
  // "Use an existing identity" for the chosen environment, before its first sign-in.
  const importDetails = el("details", { class: "import", id: "import-details" },
    el("summary", {}, "Use an existing identity…"),
    identityImportForm({
      environment: target,
      confirmReplace: async () => {
        const env = target();
        const has = env ? unwrap(await commands.hasIdentity(env)) : false;
        return !has || confirmDialog({
          title: "Replace the identity?",
          message: "This computer already has an identity for this environment. The key you import replaces it; keep a copy of the current key if you still need it.",
          confirm: "Replace identity",
        });
      },
      onImported: () => {
        status.className = "field-msg";
        status.textContent = "Identity imported. Connect signs in with it.";
      },
    }));
  main.append(h1, lede);
  if (reason) main.append(el("p", { class: "notice", role: "alert", id: "signin-reason" }, reason));
  main.append(form, importDetails, about);
  if (ctx.appInfo) about.append(...aboutItems(ctx.appInfo));
  refresh();
  // `novadesk --env X` (what `make run` does), or the last session, opens straight into it: once.
  if (ctx.signIn.connectNow) {
    ctx.signIn.connectNow = false;
    signIn();
  }
}

/** The About list from app_info. */
function aboutItems(info) {
  return [
    el("dt", {}, "Version"), el("dd", {}, `${info.version} (${info.profile}, ${info.commit})`),
    el("dt", {}, "Data"), el("dd", {}, info.data_dir),
    el("dt", {}, "Logs"), el("dd", {}, info.log_dir),
  ];
}

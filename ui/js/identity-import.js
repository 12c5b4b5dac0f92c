// "Use an existing identity": paste a private key or pick a key file; the backend checks it and
// keeps it in the keychain for the environment. The key text goes only to the backend; the
// field is cleared once it is imported (a rejected key stays so it can be corrected).
import { el } from "./dom.js";
import { commands } from "./bindings.js";
import { unwrap } from "./result.js";

/** Biggest key file we read: a PEM is ~120 bytes; anything huge is not a key. */
const MAX_KEY_FILE = 16 * 1024;

/**
 * @param {{ environment: () => string | null, onImported: (publicKey: string) => void | Promise<void>, confirmReplace: () => Promise<boolean> }} opts
 */
export function identityImportForm({ environment, onImported, confirmReplace }) {
  const text = el("textarea", {
    id: "import-key", rows: "4", spellcheck: "false", autocomplete: "off",
    placeholder: "-----BEGIN PRIVATE KEY-----  or a 32-byte seed in hex, base64 or base58",
    "aria-describedby": "import-msg",
  });
  const file = el("input", { type: "file", id: "import-file", accept: ".pem,.key,.txt,text/plain" });
  const submit = el("button", { type: "submit", class: "btn", id: "import-submit" }, "Use this identity");
  const msg = el("span", { class: "field-msg", id: "import-msg", "aria-live": "polite" },
    "The key is kept in the system keychain for this environment.");
  const form = el("form", { class: "import-form", id: "import-form" },
    el("label", { for: "import-key" }, "Private key"), text,
    el("label", { for: "import-file" }, "…or read it from a file"), file,
    el("div", { class: "actions" }, submit, msg));

  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    if (f.size > MAX_KEY_FILE) {
      showError(`${f.name} is ${f.size} bytes — too big to be a private key. Choose the key file itself.`);
      return;
    }
    text.value = (await f.text()).trim();
    file.value = "";
  });

  function showError(message) {
    msg.className = "field-msg is-error";
    msg.setAttribute("role", "alert");
    msg.textContent = message;
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const env = environment();
    if (!env) return showError("Choose the environment first.");
    if (!text.value.trim()) return showError("Paste a private key or choose a key file.");
    if (!(await confirmReplace())) return;
    submit.disabled = true;
    try {
      const publicKey = unwrap(await commands.importIdentity(env, text.value));
      text.value = "";
      msg.className = "field-msg";
      msg.removeAttribute("role");
      msg.textContent = `Imported. Public key ${publicKey}.`;
      await onImported(publicKey);
    } catch (err) {
      showError(err?.message ?? String(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// Who you are on this environment: identity id, public key and server (with Copy), and what you
// can do about it: sign out, use another identity (import), or forget this one.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { unwrap } from "../result.js";
import { confirmDialog } from "../dialogs.js";
import { identityImportForm } from "../identity-import.js";

/** #identity */
export function render(main, _params, ctx) {
  const c = ctx.connection;
  main.append(
    el("h1", {}, "Identity"),
    el("p", { class: "lede" },
      `You sign in to ${c.environment_name} with an Ed25519 key kept on this computer. ` +
      "Share the identity id or public key with an organization's owner to be added."),
  );
  if (c.secrets_notice) main.append(el("p", { class: "notice", role: "status" }, c.secrets_notice));
  main.append(identityPanel(c));

  const signOut = el("button", { type: "button", class: "btn btn-secondary", id: "sign-out" }, "Sign out");
  signOut.addEventListener("click", async () => {
    try {
      unwrap(await commands.signOut());
      ctx.signedOut("You signed out. Your identity is still on this computer; Connect signs you in again.");
    } catch (err) {
      ctx.toast(err);
    }
  });
  const forget = el("button", { type: "button", class: "btn btn-danger", id: "forget-identity" }, "Forget identity…");
  forget.addEventListener("click", async () => {
    const ok = await confirmDialog({
      title: "Forget this identity?",
      message: `The private key for ${c.environment_name} (identity ${c.identity_id}) will be removed from this computer. ` +
        "Unless you have a copy, nobody can sign in as it again and its organizations must add a new identity.",
      confirm: "Forget identity",
    });
    if (!ok) return;
    try {
      unwrap(await commands.forgetIdentity(c.environment));
      ctx.signedOut("The identity was removed from this computer. Connect creates a new one.");
    } catch (err) {
      ctx.toast(err);
    }
  });
  main.append(el("div", { class: "actions", id: "identity-actions" }, signOut, forget));

  const details = el("details", { class: "import", id: "import-details" },
    el("summary", {}, "Use another identity…"),
    identityImportForm({
      environment: () => c.environment,
      confirmReplace: () => confirmDialog({
        title: "Replace this identity?",
        message: `Identity ${c.identity_id} will be replaced on this computer by the key you import. Keep a copy of the current key if you still need it.`,
        confirm: "Replace identity",
      }),
      onImported: () => ctx.connect(c.environment),
    }));
  main.append(details);
}

/** Identity id, public key and server, each with Copy. */
function identityPanel(connection) {
  const panel = el("dl", { class: "about identity", id: "identity" });
  for (const [label, value, id] of [
    ["Identity id", connection.identity_id, "identity-id"],
    ["Public key", connection.public_key, "public-key"],
    ["Server", connection.base_url, "server-url"],
  ]) {
    const copy = el("button", { type: "button", class: "btn-link", "aria-label": `Copy ${label.toLowerCase()}` }, "Copy");
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(value);
        copy.textContent = "Copied";
      } catch {
        copy.textContent = "Select the text to copy";
      }
      setTimeout(() => (copy.textContent = "Copy"), 2000);
    });
    panel.append(el("dt", {}, label), el("dd", { id }, value, " ", copy));
  }
  return panel;
}

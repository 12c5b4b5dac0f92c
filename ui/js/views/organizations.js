// Organizations you belong to, with your role in each, and who you are signed in as.
import { el } from "../dom.js";

/**
 * @param {HTMLElement} main
 * @param {{ connection: any, organizations: Array<{id: string, name: string, role: string | null}> }} data
 */
export function renderOrganizations(main, { connection, organizations }) {
  main.replaceChildren();
  main.append(
    el("h1", {}, "Organizations"),
    el("p", { class: "lede" }, `Signed in to ${connection.environment_name} as ${connection.identity_id}.`),
  );
  if (connection.secrets_notice) {
    main.append(el("p", { class: "notice", role: "status", id: "secrets-notice" }, connection.secrets_notice));
  }
  if (organizations.length === 0) {
    main.append(
      el("p", { class: "empty", id: "org-empty" },
        "You are not a member of any organization yet. Ask an owner or admin to add your identity id (below), or create one."),
    );
  } else {
    const list = el("ul", { class: "list", id: "org-list", "aria-label": "Organizations" });
    for (const org of organizations) {
      const role = org.role ?? "member";
      list.append(
        el("li", { "data-org-id": org.id },
          el("span", { class: "name" }, org.name),
          el("span", { class: `role role-${role}`, title: "Your role" }, role)),
      );
    }
    main.append(list);
  }
  main.append(identityPanel(connection));
}

export function identityPanel(connection) {
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

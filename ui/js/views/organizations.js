// Organizations you belong to, with your role in each, and who you are signed in as (the
// identity's details are on the Identity view).
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { unwrap } from "../result.js";
import { href } from "../router.js";
import { storeFirst } from "../freshness.js";
import { formDialog } from "../dialogs.js";

/** The #organizations view: cached list first, then fresh; "New organization". */
export async function render(main, _params, ctx) {
  const connection = ctx.connection;
  const create = el("button", { type: "button", class: "btn", id: "org-create" }, "New organization");
  create.addEventListener("click", async () => {
    const org = await formDialog({
      title: "New organization",
      submitLabel: "Create",
      fields: [{ name: "name", label: "Name", required: true, placeholder: "My Energy Lab" }],
      submit: async (v) => unwrap(await commands.createOrganization(v.name)),
    });
    if (org) ctx.go(href("org", org.id));
  });
  const mark = el("p", { class: "fresh", id: "fresh-mark", "aria-live": "polite" });
  const box = el("div", { class: "reserve" });
  main.append(
    el("div", { class: "view-head" }, el("h1", {}, "Organizations"), create),
    el("p", { class: "lede" }, `Signed in to ${connection.environment_name} as ${connection.identity_id}.`),
    mark,
  );
  if (connection.secrets_notice) {
    main.append(el("p", { class: "notice", role: "status", id: "secrets-notice" }, connection.secrets_notice));
  }
  main.append(box);
  await storeFirst({
    box, mark, ctx,
    empty: "Loading your organizations…",
    fetch: (source) => commands.getOrganizations(source),
    draw: (organizations) => box.replaceChildren(orgList(organizations)),
  });
}

function orgList(organizations) {
  if (organizations.length === 0) {
    return el("p", { class: "empty", id: "org-empty" },
      "You are not a member of any organization yet. Ask an owner or admin to add your identity id (on the Identity view), or create one with New organization.");
  }
  const list = el("ul", { class: "list list-nav", id: "org-list", "aria-label": "Organizations" });
  for (const org of organizations) {
    const role = org.role ?? "member";
    list.append(
      el("li", { "data-org-id": org.id },
        el("a", { href: href("org", org.id) },
          el("span", { class: "name" }, org.name),
          el("span", { class: `role role-${role}`, title: "Your role" }, role))),
    );
  }
  return list;
}

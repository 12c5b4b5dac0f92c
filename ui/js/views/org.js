// One organization: its sites, members and roles, gateways; rename/delete, new site, add
// member, change role, remove member — each offered per your role, with the reason when not.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { unwrap } from "../result.js";
import { href } from "../router.js";
import { ago } from "../format.js";
import { confirmDialog, formDialog } from "../dialogs.js";
import { actionButton } from "../actions.js";
import { deleteAction, detailView, panel, renameAction } from "./detail.js";

export const ROLES = ["owner", "admin", "operator", "viewer"];

/** #org/:id */
export async function render(main, { id }, ctx) {
  await detailView(main, ctx, {
    id: "org",
    title: "Organization",
    crumbs: [el("a", { href: "#organizations" }, "Organizations")],
    empty: "Loading the organization…",
    fetch: (source) => commands.getOrganization(id, source),
    draw: (view, frame) => {
      const { organization: org, permissions: p } = view;
      frame.title.textContent = org.name;
      frame.title.append(" ", el("span", { class: `role role-${p.role ?? "member"}`, id: "org-role", title: "Your role" }, p.role ?? "not a member"));
      frame.actions(
        renameAction(ctx, {
          id: "org-rename", what: "organization", name: org.name, allowed: p.rename_organization,
          rename: (name) => commands.renameOrganization(org.id, name),
        }),
        deleteAction(ctx, {
          id: "org-delete", label: "Delete organization", name: org.name, allowed: p.delete_organization,
          message: `This deletes the organization "${org.name}" with all its sites, devices and gateways for every member. It cannot be undone.`,
          remove: () => commands.deleteOrganization(org.id),
          then: "#organizations",
        }),
      );
      frame.box.replaceChildren(sitesSection(view, ctx), membersSection(view, ctx), gatewaysSection(view, ctx));
    },
  });
}

function sitesSection(view, ctx) {
  const { organization: org, permissions: p, sites } = view;
  const add = actionButton({
    id: "new-site", label: "New site", allowed: p.manage_sites,
    onClick: async () => {
      const site = await formDialog({
        title: `New site in ${org.name}`, submitLabel: "Create site",
        fields: [
          { name: "name", label: "Name", required: true, placeholder: "Home" },
          { name: "timezone", label: "Time zone (optional)", placeholder: "Europe/Stockholm" },
          { name: "price_area", label: "Price area (optional)", placeholder: "SE3", hint: "The spot price area, e.g. SE1–SE4, NO1, DK2, FI, DE-LU." },
        ],
        submit: async (v) => unwrap(await commands.createSite(org.id, v.name, v.timezone || null, v.price_area || null)),
      });
      if (site) ctx.refresh();
    },
  });
  const list = sites.length === 0
    ? el("p", { class: "empty", id: "org-sites-empty" }, p.manage_sites.allowed ? "No sites yet. Create one with New site." : "No sites yet. An owner or admin can create one.")
    : el("ul", { class: "list list-nav", id: "org-sites", "aria-label": "Sites" },
      ...sites.map((s) => el("li", { "data-site-id": s.id },
        el("a", { href: href("site", s.id) }, el("span", { class: "name" }, s.name),
          el("span", { class: "meta" }, [s.price_area, s.timezone].filter(Boolean).join(" · "))))));
  return panel("org-sites-section", `Sites (${sites.length})`, el("div", { class: "section-actions" }, add), list);
}

function membersSection(view, ctx) {
  const { organization: org, permissions: p, members } = view;
  const me = ctx.connection?.identity_id;
  const body = el("tbody");
  for (const m of members) {
    const isMe = m.identity_id === me;
    const row = el("tr", { "data-identity-id": m.identity_id },
      el("td", { class: "mono" }, m.identity_id, isMe ? el("span", { class: "you" }, " (you)") : ""));
    const canChange = p.manage_members.allowed && (m.role !== "owner" || p.manage_owners.allowed);
    const select = el("select", { class: "member-role", "aria-label": `Role of ${m.identity_id}` },
      ...ROLES.filter((r) => r !== "owner" || p.manage_owners.allowed || m.role === "owner")
        .map((r) => el("option", { value: r }, r)));
    select.value = m.role;
    if (!canChange) {
      select.disabled = true;
      select.title = (m.role === "owner" && p.manage_members.allowed ? p.manage_owners.reason : p.manage_members.reason) ?? "";
    }
    select.addEventListener("change", async () => {
      select.disabled = true;
      try {
        unwrap(await commands.setMemberRole(org.id, m.identity_id, select.value));
        row.dataset.role = select.value;
        ctx.toast({ message: `${m.identity_id} is now ${select.value}.`, ok: true });
      } catch (err) {
        select.value = m.role;
        ctx.toast(err);
      }
      select.disabled = false;
    });
    row.dataset.role = m.role;
    const remove = el("button", { type: "button", class: "btn-link member-remove", "aria-label": `Remove ${m.identity_id}` }, isMe ? "Leave" : "Remove");
    if (!canChange && !isMe) {
      remove.disabled = true;
      remove.title = select.title;
    }
    remove.addEventListener("click", async () => {
      const ok = await confirmDialog({
        title: isMe ? `Leave ${org.name}?` : `Remove ${m.identity_id}?`,
        message: isMe ? `You will no longer see ${org.name} or its sites.` : `${m.identity_id} will no longer see ${org.name} or its sites.`,
        confirm: isMe ? "Leave" : "Remove member",
      });
      if (!ok) return;
      try {
        unwrap(await commands.removeMember(org.id, m.identity_id));
        if (isMe) ctx.go("#organizations");
        else ctx.refresh();
      } catch (err) {
        ctx.toast(err);
      }
    });
    row.append(el("td", {}, select), el("td", {}, m.joined_at_ms ? ago(Date.now() - m.joined_at_ms) : ""), el("td", {}, remove));
    body.append(row);
  }
  const table = el("table", { class: "table", id: "org-members" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Identity"), el("th", { scope: "col" }, "Role"), el("th", { scope: "col" }, "Joined"), el("th", { scope: "col" }, el("span", { class: "sr-only" }, "Actions")))),
    body);
  return panel("org-members-section", `Members and roles (${members.length})`, addMemberForm(view, ctx), table);
}

function addMemberForm(view, ctx) {
  const { organization: org, permissions: p } = view;
  if (!p.manage_members.allowed) return el("p", { class: "why", id: "member-add-why" }, p.manage_members.reason ?? "");
  const id = el("input", { type: "text", id: "member-add-id", name: "identity_id", placeholder: "idt-…", "aria-label": "Identity id to add", autocomplete: "off", spellcheck: "false", required: "" });
  const role = el("select", { id: "member-add-role", "aria-label": "Role for the new member" },
    ...ROLES.filter((r) => r !== "owner" || p.manage_owners.allowed).map((r) => el("option", { value: r }, r)));
  role.value = "viewer";
  const msg = el("span", { class: "field-msg", id: "member-add-msg", role: "status" });
  const form = el("form", { class: "inline-form", id: "member-add-form" }, id, role, el("button", { type: "submit", class: "btn", id: "member-add" }, "Add member"), msg);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.classList.remove("is-error");
    msg.textContent = "";
    try {
      unwrap(await commands.addMember(org.id, id.value, role.value));
      ctx.refresh();
    } catch (err) {
      msg.classList.add("is-error");
      msg.textContent = err.message;
      id.focus();
    }
  });
  return form;
}

function gatewaysSection(view, ctx) {
  const { organization: org, gateways } = view;
  const list = gateways.length === 0
    ? el("p", { class: "empty" }, "No gateways claimed into this organization. Claim a Zap in the ", el("a", { href: "#installer" }, "Installer"), ".")
    : el("ul", { class: "list", id: "org-gateways", "aria-label": "Gateways" },
      ...gateways.map((g) => el("li", { "data-serial": g.serial }, el("span", { class: "name mono" }, g.serial),
        el("span", { class: "meta" }, g.last_seen_ms ? `seen ${ago(Date.now() - g.last_seen_ms)}` : "never seen"),
        releaseAction(ctx, org, g.serial, view.manage_gateways))));
  return panel("org-gateways-section", `Gateways (${gateways.length})`, list);
}

/** "Release": confirmed, then the gateway leaves the organization and the view redraws. */
function releaseAction(ctx, org, serial, allowed) {
  return actionButton({
    id: `release-${serial}`, label: "Release", allowed, danger: true,
    onClick: async () => {
      const yes = await confirmDialog({
        title: `Release ${serial}?`,
        message: `This removes the gateway ${serial} from "${org.name}". Its devices there stop reporting until the Zap is claimed again.`,
        confirm: "Release",
      });
      if (!yes) return;
      try {
        unwrap(await commands.releaseGateway(org.id, serial));
        ctx.refresh();
      } catch (err) {
        if (!err.handled) ctx.toast(err);
      }
    },
  });
}

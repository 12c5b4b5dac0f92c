//! `orgs …` and `members …`.

use novacore::models::Role;

use super::done;
use crate::cli::{MembersCmd, OrgsCmd};
use crate::connection::Connection;
use crate::error::Result;
use crate::output::{opt, Output, Table};

/// Runs `orgs …`.
pub async fn orgs(cmd: &OrgsCmd, conn: &Connection, out: Output) -> Result<()> {
    let orgs = conn.client.organizations();
    match cmd {
        OrgsCmd::List => {
            let list = orgs.list().await?;
            out.emit(&list, || {
                let mut t = Table::new(&["ID", "NAME", "CREATED"]);
                for o in &list {
                    t.row(vec![o.id.clone(), o.name.clone(), opt(&o.created_at)]);
                }
                t.render()
            })
        }
        OrgsCmd::Create { name } => {
            let org = orgs.create(name).await?;
            out.emit(&org, || format!("created {} {}", org.id, org.name))
        }
        OrgsCmd::Rename { id, name } => {
            orgs.rename(id, name).await?;
            done(out, &format!("renamed {id} to {name}"))
        }
        OrgsCmd::Delete { id } => {
            orgs.delete(id).await?;
            done(out, &format!("deleted {id}"))
        }
    }
}

/// Runs `members …`.
pub async fn members(cmd: &MembersCmd, conn: &Connection, out: Output) -> Result<()> {
    match cmd {
        MembersCmd::List { org } => {
            let list = conn.client.members(org).list().await?;
            out.emit(&list, || {
                let mut t = Table::new(&["IDENTITY", "ROLE", "JOINED"]);
                for m in &list {
                    t.row(vec![
                        m.identity_id.clone(),
                        m.role.to_string(),
                        opt(&m.joined_at),
                    ]);
                }
                t.render()
            })
        }
        MembersCmd::Add {
            org,
            identity_id,
            role,
        } => {
            let role = Role::from(role.as_str());
            conn.client
                .members(org)
                .add(identity_id, role.clone())
                .await?;
            done(out, &format!("added {identity_id} to {org} as {role}"))
        }
        MembersCmd::SetRole {
            org,
            identity_id,
            role,
        } => {
            let role = Role::from(role.as_str());
            conn.client
                .members(org)
                .set_role(identity_id, role.clone())
                .await?;
            done(out, &format!("{identity_id} is now {role} in {org}"))
        }
        MembersCmd::Remove { org, identity_id } => {
            conn.client.members(org).remove(identity_id).await?;
            done(out, &format!("removed {identity_id} from {org}"))
        }
    }
}

//! `sites …`.

use novacore::models::{Location, NewSite, SiteUpdate};

use super::done;
use crate::cli::SitesCmd;
use crate::connection::Connection;
use crate::error::Result;
use crate::output::{opt, Output, Table};

/// Runs `sites …`.
pub async fn run(cmd: &SitesCmd, conn: &Connection, out: Output) -> Result<()> {
    let sites = conn.client.sites();
    match cmd {
        SitesCmd::List { org } => {
            let list = sites.list(org.as_deref()).await?;
            out.emit(&list, || {
                let mut t = Table::new(&["ID", "NAME", "ORG", "AREA", "TIMEZONE"]);
                for s in &list {
                    t.row(vec![
                        s.id.clone(),
                        s.name.clone(),
                        opt(&s.org_id),
                        opt(&s.price_area),
                        opt(&s.timezone),
                    ]);
                }
                t.render()
            })
        }
        SitesCmd::Create {
            org,
            name,
            lat,
            lon,
            timezone,
            price_area,
        } => {
            let site = sites
                .create(&NewSite {
                    org_id: org.clone(),
                    name: name.clone(),
                    location: lat.zip(*lon).map(|(lat, lon)| Location { lat, lon }),
                    timezone: timezone.clone(),
                    price_area: price_area.clone(),
                })
                .await?;
            out.emit(&site, || format!("created {} {}", site.id, site.name))
        }
        SitesCmd::Rename { id, name } => {
            let update = SiteUpdate {
                name: Some(name.clone()),
                ..SiteUpdate::default()
            };
            sites.update(id, &update).await?;
            done(out, &format!("renamed {id} to {name}"))
        }
        SitesCmd::Delete { id } => {
            sites.delete(id).await?;
            done(out, &format!("deleted {id}"))
        }
        SitesCmd::Devices { id } => {
            let list = sites.devices(id).await?;
            out.emit(&list, || super::gateways::device_table(&list))
        }
    }
}

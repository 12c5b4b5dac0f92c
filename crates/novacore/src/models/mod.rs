//! Wire models, lenient where the reference's sources disagree.

pub mod device;
pub mod gateway;
pub mod key;
pub mod organization;
pub mod page;
pub mod reading;
mod reading_raw;
mod reading_wire;
pub mod site;
pub mod time;

#[cfg(test)]
mod reading_tests;

pub use device::{Der, Device, NewDer, ProvisionRequest, ProvisionResponse};
pub use gateway::{ClaimRequest, ClaimResponse, Gateway};
pub use key::{KeyKind, PublicKey};
pub use organization::{Member, Organization, Role};
pub use page::Page;
pub use reading::{BatteryFields, MeterFields, PvFields, Reading, ReadingData, V2xFields};
pub use site::{Location, NewSite, Site, SiteUpdate};

//! The installer's journey on site: find Zaps on the LAN ([`discovery`]: sweep, typed address,
//! the Sandbox's own; [`mdns`]: announced ones as they come and go),
//! check one link by link ([`health`]), claim it into an organization or release it
//! ([`claim`]; many at once: [`batch`]), provision its field devices and switch their publishing
//! on ([`provision`], its form in [`provision_form`]), then wait for their first reading
//! ([`first_reading`]), and hand over a report the Zap signs ([`report`], its page in
//! [`report_html`]). Zap calls
//! go to the LAN directly (no Novacore, so no [`crate::Workspace`] needed to find or check a
//! Zap); what the platform knows (who owns a gateway) comes through the workspace and its store
//! ([`gateways`]). When Novacore cannot be reached, the cloud steps wait in the installer's
//! journal and replay exactly once when it is back ([`journal`], [`replay`]; a refused one is
//! corrected by the installer with [`journal_edit`]).

mod batch;
mod batch_template;
mod claim;
mod device_form;
mod discovery;
mod field_devices;
mod first_reading;
mod gateways;
mod health;
mod journal;
mod journal_edit;
mod links;
mod mdns;
mod provision;
mod provision_form;
mod readings;
mod replay;
mod report;
mod report_html;
mod wifi;
mod zap;

pub use batch::{
    claim_batch, BatchDevice, BatchOutcome, BatchReport, BatchRequest, BatchRow, BatchUpdate,
    BATCH_CONCURRENCY, MAX_BATCH,
};
pub use batch_template::{ProvisionTemplate, TemplateRule};
pub use claim::{claim_zap, release_gateway, ClaimResult};
pub use device_form::{device_form, DeviceConnection, DeviceParam, DeviceProfile};
pub use discovery::{
    inspect_sandbox_zaps, inspect_zap, start_sweep, sweep_update, zap_row, SweepRequest,
    SweepUpdate, ZapRow,
};
pub use field_devices::{
    add_field_device, device_readings, field_devices, remove_field_device, set_der_publishing,
    AddDevice, DerSwitch, DeviceReadings, FieldDevice, ReadingValue,
};
pub use first_reading::{
    wait_first_reading, FirstReading, FirstReadingUpdate, FirstReadingWait, FIRST_READING_TIMEOUT,
};
pub use gateways::{cached_gateway_owners, refresh_gateway_owners, GatewayOwner, GatewayOwners};
pub use health::{check_health, HealthChain, HealthLink, LinkKind, LinkStatus};
pub use journal::{
    drop_item, journal, journal_counts, provision_device_or_queue, retry_item, JournalCounts,
    JournalItem, JournalStatus, ProvisionOutcome,
};
pub use journal_edit::{edit_item, journal_edit_form, JournalEdit, JournalEditForm};
pub use mdns::{MdnsMode, MdnsUpdate, MdnsWatch, MDNS_ENV};
pub use provision::{
    der_type_choices, provision_device, set_publishing, ProvisionInput, Provisioned,
};
pub use provision_form::{
    provision_form, DerChoice, DeviceTypeChoice, FieldDeviceForm, ProvisionForm, ProvisionedAs,
    SiteChoice,
};
pub use replay::{replay, replay_due, ReplayReport};
pub use report::{
    make_report, verify_report, MadeReport, ReportCheck, ReportVerification, MAX_REPORT_BYTES,
};
pub use wifi::{
    join_wifi, scan_wifi, WifiJoined, WifiNetwork, WifiProgress, WifiScan, WIFI_BACK_WITHIN,
};

//! The Novadesk desktop shell: plugins, state and the typed command surface over the app's
//! libraries. The only crate that depends on tauri. Generic over the Tauri runtime so tests can
//! build the same app on tauri's mock runtime.

/// `0.1.0 (abc1234def)`: the package version and the commit built from (build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("NOVADESK_COMMIT"),
    ")"
);

pub mod cli;
pub mod commands;
pub mod error;
pub mod events;
pub mod heap;
pub mod ipc;
pub mod logging;
pub mod monitors;
pub mod navigation;
pub mod notify;
pub mod paths;
pub mod state;
pub mod webview;
pub mod window_state;

use std::ffi::OsString;

use tauri::{Manager, Runtime};

use crate::paths::AppPaths;
use crate::state::AppState;

/// Wire state, commands and events into a Tauri builder of any runtime.
pub fn build<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    let ipc = ipc::builder::<R>();
    builder
        .manage(state)
        .manage(commands::live::LiveSubscriptions::default())
        // A reloaded page or a closed window no longer shows its live views: stop their streams.
        .on_page_load(|webview, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Started {
                webview
                    .state::<commands::live::LiveSubscriptions>()
                    .stop_all();
            }
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                window
                    .state::<commands::live::LiveSubscriptions>()
                    .stop_all();
            }
        })
        .manage(commands::fleet::FleetMonitors::default())
        .manage(commands::chart::ChartJobs::default())
        .manage(commands::whatif::WhatIfJobs::default())
        .manage(commands::installer::SweepJobs::default())
        .manage(commands::installer::MdnsJobs::default())
        .manage(commands::batch::BatchJobs::default())
        .manage(commands::provision::FirstReadingJobs::default())
        .manage(commands::report::ReportDialogs::default())
        .manage(commands::peak::PeakMonitors::default())
        .invoke_handler(ipc.invoke_handler())
        .setup(move |app| {
            // The config's windows exist from here on (Tauri creates them at the event loop's
            // start, just before this hook), and their first page load has not begun.
            if let Some(window) = app.get_webview_window("main") {
                webview::tune(&window);
            }
            heap::spawn_trimming();
            ipc.mount_events(app);
            app.manage(notify::Notifier::new(app.handle().clone()));
            let dialogs = app.state::<commands::report::ReportDialogs>();
            let _ = dialogs
                .save
                .set(commands::chart::SaveDialog::new(app.handle().clone()));
            let _ = dialogs
                .pick
                .set(commands::report::ReportPicker::new(app.handle().clone()));
            let sink = events::TauriEvents::new(app.handle().clone());
            app.state::<AppState>().set_events(Box::new(sink));
            let handle = app.handle().clone();
            app.state::<commands::fleet::FleetMonitors>()
                .set_emitter(std::sync::Arc::new(move |change| {
                    events::silence_incident(&handle, change)
                }));
            let handle = app.handle().clone();
            app.state::<AppState>()
                .connections
                .set_on_signed_in(std::sync::Arc::new(move |ws| monitors::start(&handle, ws)));
            let handle = app.handle().clone();
            app.state::<AppState>()
                .connections
                .set_events(std::sync::Arc::new(move |event| {
                    events::forward_core_event(&handle, event)
                }));
            Ok(())
        })
}

/// Run the app with the given argv; returns the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::parse(args) {
        cli::Parsed::Run(cli) => cli,
        cli::Parsed::Exit { text, code } => {
            if code == 0 {
                print!("{text}");
            } else {
                eprint!("{text}");
            }
            return code;
        }
    };

    let context = tauri::generate_context!("../tauri.conf.json");
    let identifier = context.config().identifier.clone();
    let paths = AppPaths::resolve(&identifier, cli.data_dir.clone());
    let _log_guard = logging::init(&paths.log_dir, cli.log.as_deref());
    tracing::info!(
        version = VERSION,
        data_dir = %paths.data_dir.display(),
        log_dir = %paths.log_dir.display(),
        "starting Novadesk"
    );
    // The window-state plugin always uses the platform config dir, whatever --data-dir says.
    let window_state_dir = AppPaths::resolve(&identifier, None).config_dir;
    if let window_state::Check::Reset(aside) = window_state::check(&window_state_dir) {
        tracing::warn!(moved_to = %aside.display(), "window state was reset");
    }

    let state = AppState::new(paths, cli.env);
    let app = build(tauri::Builder::default(), state)
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            // A second launch brings the running window to the front instead.
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(navigation::guard())
        .build(context);
    match app {
        Ok(app) => {
            app.run(|_, _| {});
            0
        }
        Err(err) => {
            tracing::error!(%err, "could not start the window");
            eprintln!("novadesk: could not start: {err}");
            1
        }
    }
}

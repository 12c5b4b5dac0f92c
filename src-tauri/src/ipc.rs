//! The typed IPC surface, declared once: commands and events registered here are both served to
//! the webview and exported to `ui/js/bindings.js` (JSDoc), which a test keeps in sync.

use tauri::Runtime;
use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands;

/// Path of the generated bindings, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/js/bindings.js";

/// The command/event registry for runtime `R` (the real one, or the mock one in tests).
pub fn builder<R: Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .commands(collect_commands![
            commands::app::app_info,
            commands::settings::get_settings,
            commands::settings::set_theme,
            commands::settings::set_peak_notifications,
            commands::settings::set_silence_threshold,
            commands::session::connect,
            commands::session::sign_out,
            commands::session::forget_identity,
            commands::session::import_identity,
            commands::session::has_identity,
            commands::browse::get_organizations,
            commands::browse::get_organization,
            commands::browse::get_sites,
            commands::browse::get_site,
            commands::browse::get_device,
            commands::manage::create_organization,
            commands::manage::rename_organization,
            commands::manage::delete_organization,
            commands::manage::create_site,
            commands::manage::rename_site,
            commands::manage::delete_site,
            commands::manage::add_member,
            commands::manage::set_member_role,
            commands::manage::remove_member,
            commands::manage::rename_device,
            commands::manage::delete_device,
            commands::manage::add_der,
            commands::live::watch_site,
            commands::live::unwatch_site,
            commands::peak::watch_peak,
            commands::fleet::watch_fleet,
            commands::fleet::unwatch_fleet,
            commands::chart::chart_options,
            commands::chart::set_site_chart_prefs,
            commands::chart::render_site_chart,
            commands::chart::cancel_chart,
            commands::chart::export_site_chart,
            commands::whatif::compare_tariffs,
            commands::whatif::cancel_tariff_comparison,
            commands::whatif::export_tariff_comparison,
            commands::installer::sweep_zaps,
            commands::installer::watch_mdns,
            commands::installer::stop_mdns,
            commands::installer::sandbox_zaps,
            commands::installer::cancel_sweep,
            commands::installer::inspect_zap,
            commands::installer::check_zap_health,
            commands::installer::get_claim_targets,
            commands::installer::claim_zap,
            commands::installer::release_gateway,
            commands::batch::start_batch_claim,
            commands::batch::cancel_batch_claim,
            commands::zap_setup::scan_zap_wifi,
            commands::zap_setup::join_zap_wifi,
            commands::zap_setup::get_zap_device_form,
            commands::zap_setup::get_zap_devices,
            commands::zap_setup::add_zap_device,
            commands::zap_setup::get_zap_device_readings,
            commands::zap_setup::remove_zap_device,
            commands::zap_setup::set_zap_der_publishing,
            commands::provision::get_provision_form,
            commands::provision::provision_zap_device,
            commands::provision::set_zap_publishing,
            commands::provision::wait_first_reading,
            commands::provision::cancel_first_reading,
            commands::report::make_report,
            commands::report::verify_report,
            commands::report::choose_report_file,
            commands::journal::get_installer_journal,
            commands::journal::get_journal_counts,
            commands::journal::retry_journal_item,
            commands::journal::get_journal_edit_form,
            commands::journal::edit_journal_item,
            commands::journal::drop_journal_item,
        ])
        .events(collect_events![
            commands::settings::ThemeChanged,
            crate::events::ConnectivityChanged,
            commands::fleet::SilenceIncidentChanged,
        ])
}

/// The generator imports Tauri's npm modules; without a bundler the webview cannot resolve bare
/// specifiers, so those imports are pointed at `host.js`, which wraps `window.__TAURI__` and
/// exports the same names (`invoke`, `Channel`, `listen`, `once`, `emit`, `emitTo`).
const IMPORT_REWRITES: [(&str, &str); 2] = [
    ("from \"@tauri-apps/api/core\";", "from \"./host.js\";"),
    ("from \"@tauri-apps/api/event\";", "from \"./host.js\";"),
];

/// Render the bindings file's content.
pub fn render_bindings() -> Result<String, String> {
    let path = tempfile_path();
    builder::<tauri::Wry>()
        .export(specta_typescript::JSDoc::default(), &path)
        .map_err(|e| e.to_string())?;
    let mut text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&path);
    for (from, to) in IMPORT_REWRITES {
        text = text.replace(from, to);
    }
    if text.contains("from \"@tauri-apps/") {
        return Err("bindings import an npm module that host.js does not stand in for".into());
    }
    Ok(defuse_nested_comments(&text))
}

/// The JSDoc generator writes Rust field/variant docs as `/** … */` *inside* the one big typedef
/// comment, and the first inner `*/` would end that comment early (a syntax error). Inside the
/// types block, inner one-line doc comments become `// …`, which is inert within a block comment.
fn defuse_nested_comments(text: &str) -> String {
    const START: &str = "/* Types */";
    const END: &str = "/* Tauri Specta runtime */";
    let (Some(start), Some(end)) = (text.find(START), text.find(END)) else {
        return text.to_string();
    };
    let (head, rest) = text.split_at(start + START.len());
    let (types, tail) = rest.split_at(end - start - START.len());
    let mut out = String::with_capacity(text.len());
    out.push_str(head);
    let lines = types.split_inclusive('\n');
    // A typedef block opens with `/**` at the start of a line; the inner field docs sit after
    // the block's ` * ` margin. Inside a multi-line inner doc, every line becomes `// …` until
    // its `*/`.
    let mut inner = false;
    for line in lines {
        let trimmed = line.trim_start_matches(['\t', ' ', '*']);
        let indent = &line[..line.len() - line.trim_start().len()];
        let starts_inner = trimmed.starts_with("/**") && !line.trim_start().starts_with("/**");
        if inner || starts_inner {
            let body = trimmed
                .trim_end()
                .trim_start_matches("/**")
                .trim_end_matches("*/")
                .trim();
            // A lone ` */` line has had its `*` eaten by the margin trim.
            if !body.is_empty() && body != "/" {
                out.push_str(indent);
                out.push_str("* // ");
                out.push_str(body);
                out.push('\n');
            }
            inner = !line.trim_end().ends_with("*/");
        } else {
            out.push_str(line);
        }
    }
    out.push_str(tail);
    out
}

fn tempfile_path() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("novadesk-bindings-{}.js", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_doc_comments_are_defused_but_the_outer_block_kept() {
        let text = "x\n/* Types */\n/**\n\t* @typedef {{\n\t*\t\t/**  A field. */\n\t*\t\ta: string,\n\t*/\n\n/* Tauri Specta runtime */\n/** keep */\n";
        let out = defuse_nested_comments(text);
        assert!(out.contains("/**\n\t* @typedef"), "{out}");
        assert!(out.contains("* // A field."), "{out}");
        // Only the inner terminator went: 5 in the input, 4 left.
        assert_eq!(text.matches("*/").count(), 5);
        assert_eq!(out.matches("*/").count(), 4, "{out}");
        assert!(out.ends_with("/* Tauri Specta runtime */\n/** keep */\n"));
    }

    #[test]
    fn multi_line_inner_docs_and_later_blocks_are_handled() {
        let text = "/* Types */\n/**\n\t* @typedef {{\n\t*\t\t/**\n\t*\t\t *  Line one\n\t*\t\t *  line two.\n\t*\t\t */\n\t*\t\tb: string,\n\t*/\n/**\n\t* @typedef {{ c: string }} C\n\t*/\n/* Tauri Specta runtime */\n";
        let out = defuse_nested_comments(text);
        assert!(out.contains("* // Line one\n"), "{out}");
        assert!(out.contains("* // line two.\n"), "{out}");
        assert!(out.contains("b: string"), "{out}");
        assert!(!out.contains("* // /"), "{out}");
        // Both top-level blocks keep their opener and terminator (plus the two section markers);
        // nothing else closes a comment.
        assert_eq!(out.matches("/**").count(), 2, "{out}");
        assert_eq!(out.matches("*/").count(), 4, "{out}");
    }
}

//! Bindings-facing command arguments whose types live in novadesk-core: the JSON the window sends
//! (`ChartRequest` and its range, `JournalEdit`, `ChartPrefs`, `ExportFormat`, `ThemePreference`,
//! `WhatIfRequest`, `SeriesChoice`) deserialised, then put through the rules the commands apply
//! (`input::text` / `id` / `file_path`, `resolve_range`). The shell-only argument types are
//! covered by a proptest in src-tauri/tests/command_args.rs (their crate depends on tauri).
//! Oracle: no panic, and every accepted value keeps its rule.
#![no_main]

use std::path::Component;

use libfuzzer_sys::fuzz_target;
use novadesk_core::input::{self, MAX_ID, MAX_PATH, MAX_TEXT};
use novadesk_core::{
    resolve_range, ChartPrefs, ChartRequest, ExportFormat, JournalEdit, SeriesChoice,
    ThemePreference, WhatIfRequest,
};

/// 2026-03-06T10:00:00Z: a fixed "now" so a crash replays.
const NOW_MS: i64 = 1_772_791_200_000;

fn check_text(s: &str) {
    if let Ok(t) = input::text("name", s) {
        assert!(!t.is_empty() && t.len() <= MAX_TEXT && t == t.trim());
        assert!(!t.chars().any(char::is_control));
    }
}

fn check_id(s: &str) {
    if let Ok(i) = input::id("site", s) {
        assert!(!i.is_empty() && i.len() <= MAX_ID);
        assert!(i
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        assert!(!i.starts_with('.'));
    }
}

fn check_path(s: &str) {
    if let Ok(p) = input::file_path("report file", s) {
        assert!(p.is_absolute() && p.as_os_str().len() <= MAX_PATH);
        assert!(!p.components().any(|c| c == Component::ParentDir));
    }
}

fn check_all(s: &str) {
    check_text(s);
    check_id(s);
    check_path(s);
}

fn chart_request(r: &ChartRequest, tz_pick: u8) {
    check_id(&r.site_id);
    for s in &r.series {
        check_id(&s.der_id);
        check_text(&s.field);
    }
    let tz = [
        chrono_tz::UTC,
        chrono_tz::Europe::Stockholm,
        chrono_tz::America::New_York,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Pacific::Kiritimati,
    ][usize::from(tz_pick % 5)];
    if let Ok(range) = resolve_range(r.preset, (r.from_ms, r.to_ms), tz, NOW_MS, r.width) {
        assert!(range.from < range.to, "{range:?}");
        assert!(range.to - range.from <= MAX_SPAN_MS + DAY_MS, "{range:?}");
        assert_eq!(range.chart_res.as_ms() % range.fetch_level.as_ms(), 0);
    }
}

const DAY_MS: i64 = 86_400_000;
/// The longest custom range `resolve_range` allows (chart/range.rs).
const MAX_SPAN_MS: i64 = 3 * 366 * DAY_MS;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    match pick % 8 {
        0 => {
            if let Ok(r) = serde_json::from_slice::<ChartRequest>(body) {
                chart_request(&r, pick >> 3);
            }
        }
        1 => {
            if let Ok(edit) = serde_json::from_slice::<JournalEdit>(body) {
                match edit {
                    JournalEdit::Claim { org_id, .. } => check_all(&org_id),
                    JournalEdit::Provision {
                        site_id,
                        device_type,
                        name,
                        manufacturer,
                        model,
                        ders,
                    } => {
                        for s in [site_id, device_type]
                            .into_iter()
                            .chain(name)
                            .chain(manufacturer)
                            .chain(model)
                            .chain(ders.into_iter().flat_map(|d| [d.name, d.der_type]))
                        {
                            check_all(&s);
                        }
                    }
                }
            }
        }
        2 => {
            if let Ok(p) = serde_json::from_slice::<ChartPrefs>(body) {
                check_text(&p.price_area);
                check_text(&p.currency);
                p.tariff_id.as_deref().map(check_id);
            }
        }
        3 => {
            let _ = serde_json::from_slice::<ExportFormat>(body);
            let _ = serde_json::from_slice::<ThemePreference>(body);
        }
        4 => {
            if let Ok(r) = serde_json::from_slice::<WhatIfRequest>(body) {
                check_id(&r.site_id);
            }
        }
        5 => {
            if let Ok(s) = serde_json::from_slice::<SeriesChoice>(body) {
                check_id(&s.der_id);
                check_text(&s.field);
            }
        }
        _ => {
            if let Ok(s) = std::str::from_utf8(body) {
                check_all(s);
            }
        }
    }
});

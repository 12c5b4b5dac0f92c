//! The commissioning report's printable page: one self-contained HTML file (inline CSS for screen
//! and print, no scripts, no external resources), every value escaped. The JSON file is the
//! signed record; this page shows the same facts and the digest and signature to compare.

use std::fmt::Write;

use novacore::report::{ReportDevice, SignedReport};

/// Escapes text for HTML element content and double-quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn opt(v: &Option<String>) -> String {
    v.as_deref().map_or("—".to_string(), escape)
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;color:#1b1f24;max-width:60rem;margin:2rem auto;padding:0 1rem}\
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}\
th{font-weight:600;width:14rem}code{font:12px ui-monospace,monospace;word-break:break-all}\
.green{color:#176c2f}.amber{color:#8a5a00}.red{color:#a8231d}.unchecked{color:#667}\
.muted{color:#556}@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}";

fn row(out: &mut String, label: &str, value: String) {
    let _ = write!(out, "<tr><th>{}</th><td>{value}</td></tr>", escape(label));
}

fn device_rows(out: &mut String, devices: &[ReportDevice]) {
    if devices.is_empty() {
        out.push_str("<p class=\"muted\">No field devices.</p>");
        return;
    }
    out.push_str("<table><thead><tr><th>Device (sn)</th><th>On the Zap</th><th>Provisioned as</th><th>DERs (ids)</th></tr></thead><tbody>");
    for d in devices {
        let on_zap = format!(
            "{} · {} · {}{}",
            opt(&d.device_type),
            opt(&d.profile),
            opt(&d.connection),
            if d.publishing.is_empty() {
                String::new()
            } else {
                format!("<br>publishing: {}", escape(&d.publishing.join(", ")))
            }
        );
        let (as_, ders) = match &d.provisioned {
            None => ("not provisioned".to_string(), "—".to_string()),
            Some(p) => (
                format!(
                    "{} <code>{}</code><br>site <code>{}</code>",
                    opt(&p.name),
                    escape(&p.device_id),
                    opt(&p.site_id)
                ),
                p.ders
                    .iter()
                    .map(|x| {
                        format!(
                            "{} ({}) <code>{}</code>",
                            escape(&x.name),
                            escape(&x.der_type),
                            escape(&x.id)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("<br>"),
            ),
        };
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{on_zap}</td><td>{as_}</td><td>{ders}</td></tr>",
            escape(&d.sn)
        );
    }
    out.push_str("</tbody></table>");
}

/// The printable page of a signed report.
pub fn render_html(report: &SignedReport) -> String {
    let b = &report.body;
    let g = &b.gateway;
    let mut out = String::with_capacity(8192);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Commissioning report {}</title><style>{STYLE}</style></head><body>",
        escape(&g.serial)
    );
    let _ = write!(
        out,
        "<h1>Commissioning report</h1><p class=\"muted\">Gateway {} · made {} · signed by the Zap itself</p>",
        escape(&g.serial),
        escape(&b.made_at)
    );
    out.push_str("<h2>Gateway</h2><table>");
    row(
        &mut out,
        "Serial",
        format!("<code>{}</code>", escape(&g.serial)),
    );
    row(
        &mut out,
        "Public key",
        format!("<code>{}</code>", escape(&g.public_key)),
    );
    row(&mut out, "Firmware", opt(&g.firmware));
    row(
        &mut out,
        "Organization",
        format!("{} <code>{}</code>", opt(&g.org_name), opt(&g.org_id)),
    );
    row(&mut out, "Wi-Fi", opt(&b.wifi.ssid));
    row(
        &mut out,
        "Signal",
        b.wifi
            .rssi_dbm
            .map_or("—".to_string(), |r| format!("{r} dBm")),
    );
    row(
        &mut out,
        "Installer",
        format!("<code>{}</code>", escape(&b.installer_identity)),
    );
    row(&mut out, "Made at", escape(&b.made_at));
    row(&mut out, "Zap clock", opt(&b.zap_time));
    out.push_str("</table><h2>Field devices and DERs</h2>");
    device_rows(&mut out, &b.field_devices);
    out.push_str("<h2>Health chain at hand-over</h2><table><tbody>");
    for l in &b.health {
        let class = match l.status.as_str() {
            "green" | "amber" | "red" => l.status.as_str(),
            _ => "unchecked",
        };
        let _ = write!(
            out,
            "<tr><th>{}</th><td class=\"{class}\">{}</td><td>{}{}</td></tr>",
            escape(&l.link),
            escape(&l.status),
            escape(&l.value),
            l.advice.as_deref().map_or(String::new(), |a| format!(
                "<br><span class=\"muted\">{}</span>",
                escape(a)
            ))
        );
    }
    out.push_str("</tbody></table><h2>Signature</h2><table>");
    let s = &report.signature;
    row(&mut out, "Algorithm", escape(&s.algorithm));
    row(
        &mut out,
        "SHA-256 digest",
        format!("<code>{}</code>", escape(&s.digest)),
    );
    row(
        &mut out,
        "Signed message",
        format!("<code>{}</code>", escape(&s.message)),
    );
    row(
        &mut out,
        "Signature",
        format!("<code>{}</code>", escape(&s.sign)),
    );
    out.push_str("</table><p class=\"muted\">The JSON file is the signed record: check it with Novadesk's “Verify a report” or <code>novacore report verify FILE</code>. The digest is SHA-256 over the report without its signature, keys sorted, no whitespace.</p></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}

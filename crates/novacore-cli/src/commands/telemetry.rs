//! `stream` (live, one JSON object per line) and `history` (CSV or JSON).

use futures::StreamExt;
use novacore::history::{Resolution, Series};
use novacore::models::Reading;
use novacore::StreamEvent;
use serde_json::{json, Value};

use crate::cli::{HistoryArgs, HistoryFormat, ResolutionArg, StreamArgs};
use crate::connection::Connection;
use crate::error::{CliError, Result};
use crate::output::Output;

/// A reading as one flat JSON object, in the wire's own field names.
pub fn reading_json(r: &Reading) -> Value {
    let mut m = r.fields();
    m.insert("type".into(), json!(r.kind()));
    m.insert("timestamp".into(), json!(r.timestamp.timestamp_millis()));
    for (k, v) in [
        ("der_id", &r.der_id),
        ("device_id", &r.device_id),
        ("site_id", &r.site_id),
        ("make", &r.make),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    if let Some(ms) = r.read_time_ms {
        m.insert("read_time_ms".into(), json!(ms));
    }
    Value::Object(m)
}

/// Runs `stream`: readings to stdout, connection events to stderr, until Ctrl-C or `--limit`.
pub async fn stream(args: &StreamArgs, conn: &Connection, out: Output) -> Result<()> {
    // Fail fast on a bad site or credentials instead of retrying forever.
    conn.client.ensure_session().await?;
    let mut events = Box::pin(conn.client.telemetry().stream_site(&args.site));
    let mut count = 0u64;
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        if args.limit.is_some_and(|l| count >= l) {
            return Ok(());
        }
        let event = tokio::select! {
            _ = &mut interrupted => return Ok(()),
            e = events.next() => e,
        };
        match event {
            None => return Ok(()),
            Some(Err(e)) => return Err(e.into()),
            Some(Ok(StreamEvent::Reading { reading: r, .. })) => {
                count += 1;
                out.write(&reading_json(&r).to_string())?;
            }
            Some(Ok(StreamEvent::Gap { from, to, .. })) => {
                eprintln!("gap: readings from {from:?} to {to:?} were missed (see `history`)");
            }
            Some(Ok(StreamEvent::Reconnected { attempt, .. })) => {
                eprintln!("reconnected (attempt {attempt})");
            }
            Some(Ok(StreamEvent::Disconnected { reason, retry_in })) => {
                eprintln!("disconnected: {reason}; retrying in {retry_in:?}");
            }
            Some(Ok(StreamEvent::Skipped { reason })) => eprintln!("skipped a frame: {reason}"),
            Some(Ok(other)) => eprintln!("{other:?}"),
        }
    }
}

/// The SDK's resolution for the CLI's.
pub fn resolution(r: ResolutionArg) -> Resolution {
    match r {
        ResolutionArg::Minute => Resolution::Minute,
        ResolutionArg::FiveMinutes => Resolution::FiveMinutes,
        ResolutionArg::QuarterHour => Resolution::QuarterHour,
        ResolutionArg::Hour => Resolution::Hour,
        ResolutionArg::Day => Resolution::Day,
    }
}

/// Quotes a CSV cell when it needs it.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// History in long CSV form: one row per series, bucket and field.
pub fn history_csv(series: &[Series]) -> String {
    let mut s = String::from("der_id,device_id,type,ts,n,field,avg,min,max,last\n");
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for ser in series {
        for b in &ser.points {
            for (field, agg) in &b.fields {
                let cells = [
                    csv_cell(ser.der_id.as_deref().unwrap_or("")),
                    csv_cell(ser.device_id.as_deref().unwrap_or("")),
                    csv_cell(ser.kind.as_deref().unwrap_or("")),
                    b.ts.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    b.n.map(|n| n.to_string()).unwrap_or_default(),
                    csv_cell(field),
                    num(agg.avg),
                    num(agg.min),
                    num(agg.max),
                    num(agg.last),
                ];
                s.push_str(&cells.join(","));
                s.push('\n');
            }
        }
    }
    s
}

/// Runs `history`.
pub async fn history(args: &HistoryArgs, conn: &Connection, out: Output) -> Result<()> {
    let from = args.from.resolve(chrono_tz::UTC);
    let to = args.to.resolve(chrono_tz::UTC);
    if from >= to {
        return Err(CliError::Usage("--from must be before --to".into()));
    }
    let series = conn
        .client
        .telemetry()
        .history(
            &args.site,
            from..to,
            resolution(args.resolution),
            args.der.as_deref(),
        )
        .await?;
    if out.json || args.format == HistoryFormat::Json {
        return Output { json: true }.emit(&series, String::new);
    }
    out.write(history_csv(&series).trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_long_form_and_quotes_awkward_cells() {
        let series: Vec<Series> = serde_json::from_str(
            r#"[{"der_id":"der,1","type":"meter","points":[
                {"ts":1772791200000,"n":2,"fields":{"W":{"avg":1.5,"min":1,"max":2,"last":2}}}]}]"#,
        )
        .unwrap();
        assert_eq!(
            history_csv(&series),
            "der_id,device_id,type,ts,n,field,avg,min,max,last\n\
             \"der,1\",,meter,2026-03-06T10:00:00.000Z,2,W,1.5,1,2,2\n"
        );
    }
}

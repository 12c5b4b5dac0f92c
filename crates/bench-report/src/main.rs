//! `bench-report ROWS_DIR OUT.md [--header FILE] [--footer FILE]`: joins the rows every bench
//! recorded in ROWS_DIR into one markdown report, writes it to OUT.md and prints it. The header and
//! footer (the machine, its load, the run time: `.ci/bench.sh` writes them) go around the tables.

use std::path::PathBuf;
use std::process::ExitCode;

use bench_report::report::{read_rows_dir, render};

struct Args {
    rows: PathBuf,
    out: PathBuf,
    header: Option<PathBuf>,
    footer: Option<PathBuf>,
}

fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut positional, mut header, mut footer) = (Vec::new(), None, None);
    while let Some(a) = argv.next() {
        match a.as_str() {
            "--header" => header = Some(argv.next().ok_or("--header needs a file")?.into()),
            "--footer" => footer = Some(argv.next().ok_or("--footer needs a file")?.into()),
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ => positional.push(PathBuf::from(a)),
        }
    }
    match <[PathBuf; 2]>::try_from(positional) {
        Ok([rows, out]) => Ok(Args {
            rows,
            out,
            header,
            footer,
        }),
        Err(_) => Err("usage: bench-report ROWS_DIR OUT.md [--header FILE] [--footer FILE]".into()),
    }
}

fn read_optional(path: &Option<PathBuf>) -> Result<String, String> {
    match path {
        Some(p) => std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display())),
        None => Ok(String::new()),
    }
}

fn run() -> Result<(), String> {
    let args = parse(std::env::args().skip(1))?;
    let benches = read_rows_dir(&args.rows).map_err(|e| format!("{}: {e}", args.rows.display()))?;
    if benches.is_empty() {
        return Err(format!("no rows in {}", args.rows.display()));
    }
    let report = format!(
        "{}{}{}",
        read_optional(&args.header)?,
        render(&benches),
        read_optional(&args.footer)?
    );
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&args.out, &report).map_err(|e| format!("{}: {e}", args.out.display()))?;
    print!("{report}");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-report: {e}");
            ExitCode::FAILURE
        }
    }
}

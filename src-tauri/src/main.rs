// Keep the release binary from opening a console window on Windows.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    novadesk::heap::limit_arenas();
    std::process::exit(novadesk::run(std::env::args_os()));
}

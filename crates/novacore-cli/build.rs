include!("git_commit.rs");

fn main() {
    println!("cargo:rustc-env=NOVACORE_COMMIT={}", commit());
}

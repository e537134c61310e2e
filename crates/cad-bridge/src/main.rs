//! The `cad-bridge` binary: see `cad_bridge::cli`.

fn main() -> std::process::ExitCode {
    cad_bridge::cli::main()
}

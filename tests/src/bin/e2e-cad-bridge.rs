//! The real cad-bridge command line, built inside the test package so that tests can run it
//! as a separate process.

fn main() -> std::process::ExitCode {
    cad_bridge::cli::main()
}

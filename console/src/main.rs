//! The `dispatch-console` binary: everything lives in the library so tests can run the same
//! command line.

fn main() -> std::process::ExitCode {
    dispatch_console::cli::main()
}

//! The real dispatch-server command line, built inside the test package so that tests can
//! run it as a separate process (and kill it with SIGKILL).

fn main() -> std::process::ExitCode {
    dispatch_server::cli::main()
}

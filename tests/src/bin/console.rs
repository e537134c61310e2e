//! The real dispatch-console command line, built inside the test package so that end-to-end
//! tests can run it in a real terminal (tmux) as a separate process.

fn main() -> std::process::ExitCode {
    dispatch_console::cli::main()
}

fn main() -> std::process::ExitCode {
    dispatch_server::cli::main()
}

fn main() -> std::process::ExitCode {
    doberman::cli::main()
}

// mimalloc: a busy chat path allocates many small JSON values across threads, where glibc's malloc spent a fifth
// of the process's CPU and held freed memory (`cargo bench --bench messages`, CPU per activity and RSS).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    doberman::cli::main()
}

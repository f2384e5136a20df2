//! Joins each language's message files (`locales/<lang>/*.ftl`, in name order) into one catalog in `OUT_DIR`,
//! which `src/i18n` embeds: a new file is picked up without a list to keep.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=locales");
    for lang in ["en", "ko"] {
        let dir = Path::new("locales").join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        let mut joined = String::new();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            joined.push_str(&format!("\n### file: {}\n", file.display()));
            joined.push_str(&text);
            joined.push('\n');
        }
        std::fs::write(Path::new(&out).join(format!("{lang}.ftl")), joined)
            .expect("OUT_DIR is writable");
    }
}

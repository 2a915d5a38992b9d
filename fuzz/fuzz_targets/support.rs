//! A valid one-language site in a temporary folder, for targets that change one file.

pub fn minimal_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/sites/minimal");
    for file in [
        "site-config.yaml",
        "content/event.yaml",
        "content/programme.yaml",
        "content/speakers/jane-placeholder.en.md",
    ] {
        let target = dir.path().join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(format!("{fixture}/{file}"), target).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("content/pages")).unwrap();
    dir
}

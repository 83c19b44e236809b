//! The tidy test: rules about the code itself, checked in a second or two by `cargo test -p xtask
//! tidy` (a step of `cargo xtask test`, and part of `cargo test --workspace`). rust-analyzer's
//! `xtask/src/tidy.rs` is the model. Each failure says what to fix.
//!
//! - `qingfeng-core` and `qingfeng-demo` depend on no Tauri, HTTP or UI crate, and the hub on no
//!   Tauri, UI, desktop or demo crate (it is an HTTP server, so HTTP is its own business), directly
//!   or through others.
//! - Only projector code writes projection tables (`PROJECTION_TABLES` in `projector.rs`); other
//!   tables written by commands are in an allow-list with the reason.
//! - Every Rust file opens with a `//!` line saying what it is for.
//! - Every path in ARCHITECTURE.md's code map exists.
//! - Every IPC command the desktop registers is listed in `src-tauri/build.rs` and granted to the
//!   main window in `src-tauri/capabilities/main.json`; without both, the page's call is refused
//!   at run time ("… not allowed. Command not found") and nothing at build time says so.

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace root").to_path_buf()
    }

    fn relative(path: &Path) -> String {
        path.strip_prefix(root()).unwrap_or(path).display().to_string()
    }

    /// Every file under `dir` with one of `extensions`, skipping build output and installed
    /// packages.
    fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if path.is_dir() {
                    if !matches!(name.as_str(), "target" | "node_modules" | "dist" | ".git" | "gen") {
                        stack.push(path);
                    }
                } else if extensions.iter().any(|e| name.ends_with(&format!(".{e}"))) {
                    out.push(path);
                }
            }
        }
        out.sort();
        out
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", relative(path)))
    }

    /// Fails with every problem found, one a line, and what to do about them.
    fn report(what: &str, problems: &[String], fix: &str) {
        assert!(problems.is_empty(), "\n{what}:\n  {}\n\nTo fix: {fix}\n", problems.join("\n  "));
    }

    // -----------------------------------------------------------------------------------------
    // Dependencies

    /// Crates that put a window, a web view or a widget toolkit on screen.
    const UI_CRATES: &[&str] =
        &["tauri", "wry", "tao", "webkit2gtk", "gtk", "gdk", "muda", "tray-icon", "webview2-com"];
    /// Crates that speak HTTP, as a client or a server.
    const HTTP_CRATES: &[&str] = &[
        "reqwest",
        "hyper",
        "http",
        "http-body",
        "axum",
        "tower",
        "tower-http",
        "h2",
        "ureq",
        "actix-web",
        "warp",
        "isahc",
        "surf",
        "tiny_http",
        "rouille",
    ];
    /// The desktop program's own crates.
    const DESKTOP_CRATES: &[&str] = &["qingfeng-desktop"];
    /// The demonstration office: sample content for trying the program, tests and benchmarks.
    /// The hub's benchmark may seed an office with it (a dev-dependency), the hub itself never.
    const DEMO_CRATES: &[&str] = &["qingfeng-demo"];

    fn forbidden(name: &str, list: &[&str]) -> bool {
        // `tauri-build`, `tauri-plugin-…`, `webkit2gtk-sys`, `gdk-pixbuf`: a family shares its prefix.
        list.iter().any(|f| name == *f || name.starts_with(&format!("{f}-")))
    }

    /// The workspace as Cargo resolved it (one run: it is most of this test's time).
    fn metadata() -> serde_json::Value {
        let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(root())
            .output()
            .expect("run cargo metadata");
        assert!(output.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
    }

    /// The names of every crate `package` depends on to run (not to build or test), transitively,
    /// each with the chain of dependencies that brought it in.
    fn runtime_dependencies(meta: &serde_json::Value, package: &str) -> BTreeMap<String, Vec<String>> {
        let names: BTreeMap<&str, &str> = meta["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
            .collect();
        let nodes: BTreeMap<&str, &serde_json::Value> = meta["resolve"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| Some((n["id"].as_str()?, n)))
            .collect();
        let start =
            names.iter().find(|(_, n)| **n == package).map(|(id, _)| *id).expect("the package is in the workspace");
        // Each dependency with the chain that brought it in, for the failure message.
        let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut stack = vec![(start, vec![package.to_owned()])];
        let mut seen = BTreeSet::new();
        while let Some((id, chain)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            for dep in nodes[id]["deps"].as_array().into_iter().flatten() {
                let runtime = dep["dep_kinds"].as_array().into_iter().flatten().any(|k| k["kind"].is_null());
                let Some(dep_id) = dep["pkg"].as_str() else { continue };
                if runtime {
                    let mut chain = chain.clone();
                    chain.push(names[dep_id].to_owned());
                    found.entry(names[dep_id].to_owned()).or_insert_with(|| chain.clone());
                    stack.push((dep_id, chain));
                }
            }
        }
        found
    }

    #[test]
    fn core_and_hub_depend_on_no_tauri_http_or_ui_crate() {
        let meta = metadata();
        let mut problems = Vec::new();
        for (package, lists) in [
            ("qingfeng-core", vec![("Tauri/UI", UI_CRATES), ("HTTP", HTTP_CRATES), ("desktop", DESKTOP_CRATES)]),
            ("qingfeng-demo", vec![("Tauri/UI", UI_CRATES), ("HTTP", HTTP_CRATES), ("desktop", DESKTOP_CRATES)]),
            ("qingfeng-hub", vec![("Tauri/UI", UI_CRATES), ("desktop", DESKTOP_CRATES), ("demo", DEMO_CRATES)]),
        ] {
            for (name, chain) in runtime_dependencies(&meta, package) {
                for (what, list) in &lists {
                    if forbidden(&name, list) {
                        problems
                            .push(format!("{package} depends on the {what} crate `{name}` ({})", chain.join(" → ")));
                    }
                }
            }
        }
        report(
            "Crates that must stay free of the desktop's and the network's crates depend on them",
            &problems,
            "core knows nothing of Tauri, HTTP or the UI, and the hub nothing of Tauri or the desktop \
             (ARCHITECTURE.md, Invariants). Move the code that needs that crate into src-tauri (desktop), \
             crates/sync (HTTP client) or crates/hub (HTTP server), and call it from there.",
        );
    }

    // -----------------------------------------------------------------------------------------
    // Who writes projection tables

    /// Tables that commands write outside the projectors, and why that is right. Every other
    /// table written in the core must be a projection (`PROJECTION_TABLES`).
    const WRITTEN_BY_COMMANDS: &[(&str, &str)] = &[
        ("events", "the log itself, appended by ChainHead::append"),
        ("meta", "this replica's own settings (device id, office code)"),
        ("schema_migrations", "the migrations applied"),
        ("blobs", "content (attachments, evidence, PDFs) stored with the event that names its hash"),
        ("checklist_templates", "reference content: built-in versions come with migrations, rebuild keeps it"),
        ("notice_templates", "reference content: built-in versions are seeded, rebuild keeps it"),
        ("sync_state", "sync bookkeeping: cursors and acknowledged heads"),
        ("sync_receipts", "sync bookkeeping: receipts from the hub"),
        ("event_links", "the log's anchor outside its own table, written with the events it covers"),
        ("log_checkpoint", "the log's sealed checkpoint, written with the events it covers"),
        ("blob_parts", "content being received in chunks, before it is whole and moves into blobs"),
        ("blob_at_hub", "sync bookkeeping: blobs the hub is known to hold whole"),
        ("held_events", "received events waiting for this machine's clock, not yet in the log"),
        ("sealing_secrets", "this office's secret sealing keys: never in the log, so rebuild keeps them"),
        ("backup_state", "this machine's backup bookkeeping: the folder, the last attempt and error"),
        ("province_content_seen", "each officer's reading state of the province's publications, not a record"),
    ];

    /// Code that projects: the projector and each aggregate's `project` module, the projection
    /// helpers they call (deadlines, ownership and conflicts), and `rebuild`. A file named alone
    /// may write anywhere in it; `file::function` only inside that function.
    const PROJECTOR_CODE: &[&str] = &[
        "crates/core/src/projector.rs",
        "crates/core/src/complaints/project.rs",
        "crates/core/src/penalty/project.rs",
        "crates/core/src/library/project.rs",
        "crates/core/src/portrait/project.rs",
        "crates/core/src/recovery/project.rs",
        "crates/core/src/supervision/project.rs",
        "crates/core/src/migration/project.rs",
        "crates/core/src/analysis/project.rs",
        "crates/core/src/deadlines.rs",
        "crates/core/src/ownership.rs",
        "crates/core/src/documents.rs::project",
        "crates/core/src/store.rs::rebuild",
        "crates/core/src/blobs.rs::record_refs",
        "crates/core/src/sealing.rs::project_keys",
        "crates/core/src/sealing.rs::note_recipients",
        "crates/core/src/sealing.rs::project_identity_sealed",
        "crates/core/src/sealing.rs::project_held",
        "crates/core/src/province.rs::project",
    ];

    /// The projection tables, as `projector.rs` lists them for rebuild, and the full-text indexes
    /// projectors keep beside them.
    fn projection_tables() -> BTreeSet<String> {
        let src = read(&root().join("crates/core/src/projector.rs"));
        let start = src.find("pub const PROJECTION_TABLES").expect("projector.rs lists PROJECTION_TABLES");
        let list = &src[start..start + src[start..].find("];").expect("the list ends with `];`")];
        let mut tables: BTreeSet<String> = list.split('"').skip(1).step_by(2).map(str::to_owned).collect();
        assert!(tables.len() > 10, "PROJECTION_TABLES could not be read from projector.rs");
        tables.extend(["complaint_search".to_owned(), "library_search".to_owned()]);
        tables
    }

    /// The name of the function a line lies in: the nearest `fn name` above it.
    fn enclosing_fn(lines: &[&str], at: usize) -> Option<String> {
        lines[..=at].iter().rev().find_map(|l| {
            let rest = l.trim_start();
            let rest = rest.strip_prefix("pub(crate) ").or_else(|| rest.strip_prefix("pub ")).unwrap_or(rest);
            let rest = rest.strip_prefix("fn ")?;
            Some(rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next()?.to_owned())
        })
    }

    /// The tables a line of Rust writes with SQL.
    fn written_tables(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        for verb in ["INSERT INTO ", "INSERT OR IGNORE INTO ", "INSERT OR REPLACE INTO ", "UPDATE ", "DELETE FROM "] {
            let mut rest = line;
            while let Some(i) = rest.find(verb) {
                rest = &rest[i + verb.len()..];
                let table: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                // `UPDATE` also appears in prose and in `ON CONFLICT … DO UPDATE SET`.
                if !table.is_empty() && !rest.starts_with("SET") {
                    out.push(table);
                }
            }
        }
        out
    }

    #[test]
    fn only_projectors_write_projection_tables() {
        let projections = projection_tables();
        let allowed: BTreeMap<&str, &str> = WRITTEN_BY_COMMANDS.iter().copied().collect();
        let mut problems = Vec::new();
        let root = root();
        // The hub keeps its own tables in its own database; test code tampers on purpose.
        let sources: Vec<PathBuf> = ["crates", "src-tauri/src"]
            .iter()
            .flat_map(|d| files(&root.join(d), &["rs"]))
            .filter(|p| {
                let r = relative(p);
                !r.starts_with("crates/hub/") && r.contains("/src/")
            })
            .collect();
        for path in &sources {
            let file = relative(path);
            let text = read(path);
            let lines: Vec<&str> = text.lines().collect();
            for (n, line) in lines.iter().enumerate() {
                for table in written_tables(line) {
                    if projections.contains(&table) {
                        let function = enclosing_fn(&lines, n).unwrap_or_default();
                        let projector =
                            PROJECTOR_CODE.iter().any(|p| *p == file || *p == format!("{file}::{function}"));
                        if !projector {
                            problems.push(format!(
                                "{file}:{} (fn {function}) writes the projection table `{table}`",
                                n + 1
                            ));
                        }
                    } else if !allowed.contains_key(table.as_str()) {
                        problems.push(format!(
                            "{file}:{} writes `{table}`, which is neither a projection table nor allowed to commands",
                            n + 1
                        ));
                    }
                }
            }
        }
        report(
            "Projection tables written outside the projectors",
            &problems,
            "a command appends events and lets the projector write what they change (Store::execute → \
             projector::apply), so that rebuild gives the same tables. Move the write into the aggregate's \
             `project` module for the event that causes it. A new projection table goes into \
             PROJECTION_TABLES (crates/core/src/projector.rs); a table that is content or bookkeeping rather \
             than a projection goes into WRITTEN_BY_COMMANDS in xtask/src/tidy.rs, with the reason.",
        );
    }

    // -----------------------------------------------------------------------------------------
    // Module docs

    #[test]
    fn every_rust_file_opens_with_a_doc_line() {
        let root = root();
        let mut problems = Vec::new();
        for path in ["crates", "src-tauri", "xtask", "tests", "fuzz"].iter().flat_map(|d| files(&root.join(d), &["rs"]))
        {
            let text = read(&path);
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            if !first.starts_with("//!") {
                problems.push(format!(
                    "{} starts with `{}`",
                    relative(&path),
                    first.chars().take(60).collect::<String>()
                ));
            }
        }
        report(
            "Rust files without a `//!` line at the top",
            &problems,
            "open each file with a `//!` line saying, in a full sentence, what the module is for.",
        );
    }

    // -----------------------------------------------------------------------------------------
    // The code map

    /// `a/{b,c}.rs` → `a/b.rs`, `a/c.rs`.
    fn expand_braces(path: &str) -> Vec<String> {
        match (path.find('{'), path.find('}')) {
            (Some(open), Some(close)) if open < close => path[open + 1..close]
                .split(',')
                .flat_map(|alt| expand_braces(&format!("{}{}{}", &path[..open], alt.trim(), &path[close + 1..])))
                .collect(),
            _ => vec![path.to_owned()],
        }
    }

    /// The paths in the first column of ARCHITECTURE.md's code map.
    fn code_map_paths(architecture: &str) -> Vec<String> {
        let start = architecture.find("## Code map").expect("ARCHITECTURE.md has a `## Code map` section");
        let section = &architecture[start..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
        section
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .flat_map(expand_braces)
            .collect()
    }

    #[test]
    fn every_path_in_the_code_map_exists() {
        let root = root();
        let paths = code_map_paths(&read(&root.join("ARCHITECTURE.md")));
        assert!(paths.len() > 20, "the code map's paths could not be read: {paths:?}");
        let problems: Vec<String> = paths
            .iter()
            .filter(|p| !root.join(p.trim_end_matches('/')).exists())
            .map(|p| format!("`{p}` does not exist"))
            .collect();
        report(
            "Paths in ARCHITECTURE.md's code map that are not in the repository",
            &problems,
            "when a file or folder moves, change its row in ARCHITECTURE.md's code map to where it is now \
             (or drop the row if it is gone).",
        );
    }

    #[test]
    fn the_checks_read_what_they_claim() {
        assert_eq!(expand_braces("a/{b, c}.rs"), ["a/b.rs", "a/c.rs"]);
        assert_eq!(written_tables("\"UPDATE checklists SET x = 1\""), ["checklists"]);
        assert_eq!(written_tables("INSERT OR IGNORE INTO blobs (sha256)"), ["blobs"]);
        assert_eq!(written_tables("ON CONFLICT (key) DO UPDATE SET value = excluded.value"), Vec::<String>::new());
        let lines = ["pub(crate) fn clear(tx: &Transaction) {", "    tx.execute(\"DELETE FROM penalties\")"];
        assert_eq!(enclosing_fn(&lines, 1).as_deref(), Some("clear"));
        assert!(forbidden("tauri-build", UI_CRATES) && !forbidden("tauri_like", UI_CRATES));
        let map = "## Code map\n\n| path | what |\n|---|---|\n| `x/{a,b}.rs` | y |\n\n## Next\n| `z` | no |";
        assert_eq!(code_map_paths(map), ["x/a.rs", "x/b.rs"]);
    }

    // -----------------------------------------------------------------------------------------
    // IPC commands

    /// The names inside `tauri::generate_handler![…]` in the desktop's `main.rs`.
    fn registered_commands() -> Vec<String> {
        let text = read(&root().join("src-tauri/src/main.rs"));
        let start = text.find("generate_handler![").expect("main.rs registers its commands with generate_handler!");
        let body = &text[start + "generate_handler![".len()..];
        let body = &body[..body.find(']').expect("generate_handler! is closed")];
        body.split(',')
            .map(|p| p.trim().rsplit("::").next().unwrap_or_default().to_owned())
            .filter(|n| !n.is_empty())
            .collect()
    }

    #[test]
    fn every_registered_command_is_listed_and_granted() {
        let build = read(&root().join("src-tauri/build.rs"));
        let capability = read(&root().join("src-tauri/capabilities/main.json"));
        let mut problems = Vec::new();
        let commands = registered_commands();
        assert!(commands.len() > 50, "found only {commands:?} in main.rs");
        for name in commands {
            if !build.contains(&format!("\"{name}\",")) {
                problems.push(format!("`{name}` is not in COMMANDS in src-tauri/build.rs"));
            }
            let permission = format!("\"allow-{}\"", name.replace('_', "-"));
            if !capability.contains(&permission) {
                problems.push(format!("{permission} is not granted in src-tauri/capabilities/main.json"));
            }
        }
        report(
            "IPC commands the page may not call",
            &problems,
            "add the command to COMMANDS in src-tauri/build.rs (Tauri then generates its allow- permission) \
             and its allow- permission to src-tauri/capabilities/main.json.",
        );
    }
}

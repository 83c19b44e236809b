//! Installs what the project needs on a fresh Debian machine, skipping what is already there.

use std::process::Command;

use anyhow::{Result, bail};

use crate::util::{self, have, root, run, step};

/// Debian packages: Tauri's build libraries, and what running and testing headless needs.
const DEBIAN_PACKAGES: &[&str] = &[
    // Building the desktop program (Tauri 2 on WebKitGTK 4.1).
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libxdo-dev",
    // Running it without a screen, driving it, and keyrings for the database key.
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "dbus",
    "dbus-x11",
    "gnome-keyring",
    "libsecret-tools",
    "keyutils",
    "imagemagick",
    // The end-to-end test answers the platform's own save and open dialogs (GTK's file chooser)
    // as an officer would: it types the file's path into them.
    "xdotool",
    "fonts-noto-cjk",
    // Notices (crates/notice): LXGW WenKai (OFL) fills the 楷体 role of GB/T 9704; Noto CJK above fills
    // 小标宋, 仿宋 and 黑体. poppler-utils (pdftotext, pdfinfo, pdftoppm) lets the layout tests measure
    // the rendered PDFs and turn pages into PNGs to look at.
    "fonts-lxgw-wenkai",
    "poppler-utils",
    // Printing notices (crates/documents): the CUPS scheduler and its `lp`/`lpstat` clients, and the
    // cups-pdf virtual printer the printing test prints to (its PDFs land under ~/PDF).
    "cups",
    "cups-client",
    "cups-bsd",
    "printer-driver-cups-pdf",
    // The hub's PostgreSQL backend: its tests, system tests and benchmarks run on a private
    // cluster (initdb/pg_ctl in a temporary directory; crates/pgcluster), never the system one.
    "postgresql",
    "nodejs",
    "npm",
];

fn missing_debian_packages() -> Vec<&'static str> {
    DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|p| {
            !Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", p])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .collect()
}

/// Installs missing Debian packages, the UI's npm packages, and tauri-driver.
pub fn setup() -> Result<()> {
    let missing = missing_debian_packages();
    // Node may come from elsewhere (e.g. NodeSource); do not fight an existing install.
    let missing: Vec<&str> =
        missing.into_iter().filter(|p| !(matches!(*p, "nodejs" | "npm") && have(p.trim_end_matches("js")))).collect();
    if !missing.is_empty() {
        step(&format!("Installing Debian packages: {}", missing.join(" ")));
        let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
        if !is_root() && !have("sudo") {
            bail!("need root (or sudo) to install: {}", missing.join(" "));
        }
        let mut update = Command::new(sudo.first().copied().unwrap_or("apt-get"));
        if !sudo.is_empty() {
            update.arg("apt-get");
        }
        run(update.args(["update", "-qq"]))?;
        let mut install = Command::new(sudo.first().copied().unwrap_or("apt-get"));
        if !sudo.is_empty() {
            install.arg("apt-get");
        }
        run(install
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(&missing))?;
    }
    npm_ci()?;
    if tauri_driver().is_none() {
        step("Installing tauri-driver (WebDriver bridge for the end-to-end test)");
        run(util::cargo().args(["install", "tauri-driver", "--version", "^2", "--locked"]))?;
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs `npm ci` when `ui/node_modules` is missing or older than the lock file.
pub fn npm_ci() -> Result<()> {
    let ui = root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let fresh = match (
        std::fs::metadata(&stamp).and_then(|m| m.modified()),
        std::fs::metadata(&lock).and_then(|m| m.modified()),
    ) {
        (Ok(s), Ok(l)) => s >= l,
        _ => false,
    };
    if !fresh {
        step("Installing the UI's npm packages (npm ci)");
        run(util::npm().args(["ci", "--no-audit", "--no-fund"]))?;
    }
    Ok(())
}

/// Builds the web UI into `ui/dist`, which the desktop binary embeds.
pub fn build_ui() -> Result<()> {
    step("Building the web UI (ui/dist)");
    run(util::npm().args(["run", "build"]))
}

/// Builds the web UI unless `ui/dist` is newer than every source it is built from. The release
/// commands (`bench desktop`, `package`) use it: rebuilding an unchanged UI rewrites `ui/dist`,
/// and the desktop program, which embeds it, would be compiled and linked again for nothing.
pub fn build_ui_if_stale() -> Result<()> {
    fn newest(path: &std::path::Path) -> std::time::SystemTime {
        let Ok(meta) = std::fs::metadata(path) else { return std::time::SystemTime::UNIX_EPOCH };
        let own = meta.modified().unwrap_or(std::time::SystemTime::UNIX_EPOCH);
        if !meta.is_dir() {
            return own;
        }
        std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| newest(&e.path())).max().unwrap_or(own).max(own))
            .unwrap_or(own)
    }
    let ui = root().join("ui");
    let built = std::fs::metadata(ui.join("dist/index.html")).and_then(|m| m.modified()).ok();
    let sources =
        ["src", "index.html", "package.json", "package-lock.json", "vite.config.ts", "tsconfig.json", "public"]
            .iter()
            .map(|p| newest(&ui.join(p)))
            .max()
            .unwrap_or(std::time::SystemTime::UNIX_EPOCH);
    if built.is_some_and(|b| b > sources) {
        step("The web UI (ui/dist) is newer than its sources; not rebuilding it");
        return Ok(());
    }
    build_ui()
}

/// Where tauri-driver is, if installed.
pub fn tauri_driver() -> Option<std::path::PathBuf> {
    // Resolve to an absolute path: the end-to-end script is given a path, not a name to search.
    let found = Command::new("sh").args(["-c", "command -v tauri-driver"]).output().ok()?;
    let on_path = String::from_utf8_lossy(&found.stdout).trim().to_owned();
    if found.status.success() && !on_path.is_empty() {
        return Some(on_path.into());
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))?;
    let p = home.join("bin/tauri-driver");
    p.exists().then_some(p)
}

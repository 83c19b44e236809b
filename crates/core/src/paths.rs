//! Default locations of the database on each platform.

use std::path::PathBuf;

/// The default database file: the platform's data directory (e.g. `~/.local/share/qingfeng`).
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("cn", "qingfeng", "qingfeng")
        .map(|d| d.data_dir().join("qingfeng.db"))
        .unwrap_or_else(|| PathBuf::from("qingfeng.db"))
}

//! Files that hold records (notices, attachments, exports, bundles) are created readable by their
//! owner only, on every front end: the one place that decides how such a file is written.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Result;

/// Creates `path` (or empties it) readable and writable by its owner only (mode 0600), including
/// a file that already existed with wider permissions.
pub fn create_private(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        // The mode above applies only when the file is new; an existing file is narrowed here.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        Ok(options.open(path)?)
    }
}

/// Creates `path` for writing with mode 0600 from the start (never briefly readable by others);
/// refuses to replace an existing file. Databases, backups and key envelopes are made this way.
pub fn create_new_private(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    Ok(options.open(path)?)
}

/// Flushes a directory's entry list so a rename into it survives a power cut.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        // Some file systems (FAT on a USB stick) cannot sync a directory; the data itself was synced.
        let _ = d.sync_all();
    }
}

/// `path` with `suffix` appended to its file name (`q.db` + `-wal` is `q.db-wal`): the companions
/// SQLite and the program keep beside a database.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut os = path.as_os_str().to_owned();
    os.push(suffix);
    PathBuf::from(os)
}

/// Writes `bytes` to `path` as [`create_private`] creates it, and flushes them to disk.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = create_private(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

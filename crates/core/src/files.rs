//! Files that hold records (notices, attachments, exports, bundles) are created readable by their
//! owner only, on every front end: the one place that decides how such a file is written.

use std::io::Write;
use std::path::Path;

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

/// Writes `bytes` to `path` as [`create_private`] creates it, and flushes them to disk.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = create_private(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

//! Which database the hub runs on, chosen by one setting (`--database`, `QINGFENG_HUB_DATABASE`):
//! `sqlite:PATH` (the default, one embedded file) or `postgres://…` (a server that several hub
//! processes share). [`Storage`] is the store that setting opens.

use std::path::{Path, PathBuf};

use crate::error::{HubError, Result};
use crate::postgres::{PgOptions, PgStorage};
use crate::sqlite::SqliteStorage;
use crate::storage::{HubStorage, HubTx};

/// The database setting.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string (`postgres://user[:password]@host[:port]/database[?…]`).
    Postgres(String),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        write!(f, "Database({})", self.describe())
    }
}

impl Database {
    /// Reads the setting. A bare path (no scheme) is an SQLite file, as `--db` always was.
    pub fn parse(text: &str) -> Result<Database> {
        let text = text.trim();
        if text.is_empty() {
            return Err(HubError::BadDatabaseUrl(
                "没有给出数据库。请写 sqlite:文件路径 或 postgres://用户@主机:端口/数据库名。".into(),
            ));
        }
        if let Some(path) = text.strip_prefix("sqlite:") {
            // `sqlite:///srv/hub.db` and `sqlite:/srv/hub.db` name the same file.
            let path = if path.starts_with("///") { &path[2..] } else { path.strip_prefix("//").unwrap_or(path) };
            if path.is_empty() {
                return Err(HubError::BadDatabaseUrl(
                    "sqlite: 后缺少文件路径，例如 sqlite:/srv/qingfeng/hub.db。".into(),
                ));
            }
            return Ok(Database::Sqlite(PathBuf::from(path)));
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            crate::postgres::parse_url(text)?;
            return Ok(Database::Postgres(text.to_owned()));
        }
        if let Some((scheme, _)) = text.split_once("://") {
            return Err(HubError::BadDatabaseUrl(format!(
                "不支持“{scheme}”类型的数据库。请写 sqlite:文件路径 或 postgres://用户@主机:端口/数据库名。"
            )));
        }
        Ok(Database::Sqlite(PathBuf::from(text)))
    }

    /// For messages and logs: the file, or `postgres://user@host:port/db` without the password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => format!("sqlite:{}", path.display()),
            Database::Postgres(url) => crate::postgres::parse_url(url)
                .map(|c| format!("postgres://{}", crate::postgres::describe(&c)))
                .unwrap_or_else(|_| "postgres://（地址有误）".into()),
        }
    }

    /// The SQLite file, if this is one.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Database::Sqlite(path) => Some(path),
            Database::Postgres(_) => None,
        }
    }
}

impl std::str::FromStr for Database {
    type Err = HubError;

    fn from_str(s: &str) -> Result<Self> {
        Database::parse(s)
    }
}

/// The store a [`Database`] setting opens.
#[derive(Debug)]
pub enum Storage {
    Sqlite(SqliteStorage),
    Postgres(PgStorage),
}

impl Storage {
    /// Creates a new hub store: a new SQLite file, or the schema in an empty PostgreSQL database.
    pub fn create(db: &Database) -> Result<Storage> {
        Ok(match db {
            Database::Sqlite(path) => Storage::Sqlite(SqliteStorage::create(path)?),
            Database::Postgres(url) => Storage::Postgres(PgStorage::create(url, PgOptions::default())?),
        })
    }

    /// Opens an existing hub store and applies any new migrations.
    pub fn open(db: &Database) -> Result<Storage> {
        Self::open_with(db, PgOptions::default())
    }

    /// Opens an existing hub store with the given pool settings for PostgreSQL.
    pub fn open_with(db: &Database, options: PgOptions) -> Result<Storage> {
        Ok(match db {
            Database::Sqlite(path) => Storage::Sqlite(SqliteStorage::open(path)?),
            Database::Postgres(url) => Storage::Postgres(PgStorage::open(url, options)?),
        })
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Storage::Sqlite(_) => "sqlite",
            Storage::Postgres(_) => "postgres",
        }
    }
}

impl HubStorage for Storage {
    fn write<R>(&self, f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        match self {
            Storage::Sqlite(s) => s.write(f),
            Storage::Postgres(s) => s.write(f),
        }
    }

    fn write_grouped<R>(&self, f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        match self {
            Storage::Sqlite(s) => s.write_grouped(f),
            Storage::Postgres(s) => s.write_grouped(f),
        }
    }

    fn read<R>(&self, f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        match self {
            Storage::Sqlite(s) => s.read(f),
            Storage::Postgres(s) => s.read(f),
        }
    }

    fn pool_status(&self) -> Option<crate::metrics::PoolStatus> {
        match self {
            Storage::Sqlite(s) => s.pool_status(),
            Storage::Postgres(s) => s.pool_status(),
        }
    }

    fn group_stats(&self) -> Option<crate::group::GroupStats> {
        match self {
            Storage::Sqlite(s) => s.group_stats(),
            Storage::Postgres(s) => s.group_stats(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_names_a_file_or_a_server_and_never_shows_the_password() {
        assert_eq!(Database::parse("hub.db").unwrap(), Database::Sqlite("hub.db".into()));
        assert_eq!(Database::parse("sqlite:hub.db").unwrap(), Database::Sqlite("hub.db".into()));
        assert_eq!(Database::parse("sqlite:///srv/hub.db").unwrap(), Database::Sqlite("/srv/hub.db".into()));
        let pg = Database::parse("postgres://hub:s3cret@db.example:6432/province").unwrap();
        assert_eq!(pg.describe(), "postgres://hub@db.example:6432/province");
        assert!(!format!("{pg:?}").contains("s3cret"));
        for bad in ["", "sqlite:", "mysql://root@x/db", "postgres://", "postgres://hub@host:notaport/db"] {
            let e = Database::parse(bad).unwrap_err();
            assert!(matches!(e, HubError::BadDatabaseUrl(_)), "{bad}: {e}");
            assert!(e.to_string().contains("数据库"), "{bad}: {e}");
        }
    }
}

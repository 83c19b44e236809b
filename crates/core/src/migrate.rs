//! Schema migrations: numbered SQL files from `migrations/`, embedded in the binary, applied at open.
//!
//! Migrations are append-only. Each applied migration's SHA-256 is recorded, and opening a
//! database whose recorded checksum differs from the shipped file is refused: an edited migration
//! would silently give two installations different schemas under the same version number.

use rusqlite::{Connection, params};

use crate::error::{CoreError, Result};

/// One embedded migration.
#[derive(Debug)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order. A test checks this list against the files in `migrations/`.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_event_log_and_identity.sql",
        sql: include_str!("../../../migrations/0001_event_log_and_identity.sql"),
    },
    Migration { version: 2, name: "0002_complaints.sql", sql: include_str!("../../../migrations/0002_complaints.sql") },
    Migration {
        version: 3,
        name: "0003_attachments.sql",
        sql: include_str!("../../../migrations/0003_attachments.sql"),
    },
    Migration { version: 4, name: "0004_sync.sql", sql: include_str!("../../../migrations/0004_sync.sql") },
    Migration {
        version: 5,
        name: "0005_assign_supervise.sql",
        sql: include_str!("../../../migrations/0005_assign_supervise.sql"),
    },
    Migration { version: 6, name: "0006_penalty.sql", sql: include_str!("../../../migrations/0006_penalty.sql") },
    Migration {
        version: 7,
        name: "0007_board_lights.sql",
        sql: include_str!("../../../migrations/0007_board_lights.sql"),
    },
    Migration { version: 8, name: "0008_library.sql", sql: include_str!("../../../migrations/0008_library.sql") },
    Migration { version: 9, name: "0009_documents.sql", sql: include_str!("../../../migrations/0009_documents.sql") },
    Migration {
        version: 10,
        name: "0010_document_numbers.sql",
        sql: include_str!("../../../migrations/0010_document_numbers.sql"),
    },
    Migration {
        version: 11,
        name: "0011_template_versions.sql",
        sql: include_str!("../../../migrations/0011_template_versions.sql"),
    },
    Migration {
        version: 12,
        name: "0012_sync_robust.sql",
        sql: include_str!("../../../migrations/0012_sync_robust.sql"),
    },
    Migration { version: 13, name: "0013_sealing.sql", sql: include_str!("../../../migrations/0013_sealing.sql") },
    Migration {
        version: 14,
        name: "0014_role_requests.sql",
        sql: include_str!("../../../migrations/0014_role_requests.sql"),
    },
    Migration { version: 15, name: "0015_recovery.sql", sql: include_str!("../../../migrations/0015_recovery.sql") },
    Migration {
        version: 16,
        name: "0016_integrity_supervision.sql",
        sql: include_str!("../../../migrations/0016_integrity_supervision.sql"),
    },
    Migration { version: 17, name: "0017_directory.sql", sql: include_str!("../../../migrations/0017_directory.sql") },
    Migration {
        version: 19,
        name: "0019_supervision_letters.sql",
        sql: include_str!("../../../migrations/0019_supervision_letters.sql"),
    },
    Migration { version: 20, name: "0020_import.sql", sql: include_str!("../../../migrations/0020_import.sql") },
    Migration {
        version: 21,
        name: "0021_key_problems.sql",
        sql: include_str!("../../../migrations/0021_key_problems.sql"),
    },
    Migration {
        version: 22,
        name: "0022_subject_name_unit.sql",
        sql: include_str!("../../../migrations/0022_subject_name_unit.sql"),
    },
    Migration {
        version: 25,
        name: "0025_province_content.sql",
        sql: include_str!("../../../migrations/0025_province_content.sql"),
    },
];

fn checksum(sql: &str) -> String {
    crate::encoding::sha256_hex(sql.as_bytes())
}

/// Applies every migration the database has not seen, each in its own transaction.
pub fn apply(conn: &mut Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            sha256     TEXT NOT NULL,
            applied_at TEXT NOT NULL
        ) STRICT;",
    )?;
    let applied: Vec<(u32, String)> = {
        let mut stmt = conn.prepare("SELECT version, sha256 FROM schema_migrations ORDER BY version")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?
    };
    for (version, sum) in &applied {
        match MIGRATIONS.iter().find(|m| m.version == *version) {
            None => {
                return Err(CoreError::SchemaMismatch {
                    detail: format!("数据库含有本程序不认识的迁移 {version}（数据库来自更新的版本）"),
                });
            }
            Some(m) if checksum(m.sql) != *sum => {
                return Err(CoreError::SchemaMismatch {
                    detail: format!("迁移 {} 的内容与数据库记录不一致", m.name)
                });
            }
            Some(_) => {}
        }
    }
    for m in MIGRATIONS.iter().filter(|m| !applied.iter().any(|(v, _)| *v == m.version)) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?1, ?2, ?3, ?4)",
            params![m.version, m.name, checksum(m.sql), chrono::Utc::now().to_rfc3339()],
        )?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_migrations_is_embedded_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let embedded: Vec<&str> = MIGRATIONS.iter().map(|m| m.name).collect();
        assert_eq!(files, embedded);
        // Versions rise strictly. A number may be missing while two branches each add a
        // migration (0007 and 0008 were written side by side); a database that applied the later
        // one first still applies the earlier one at its next open, since each is checked by its
        // own version.
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version, "versions rise strictly");
        }
        for m in MIGRATIONS {
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }
}

// Fixtures for the backup and recovery screens' tests.
import type { RecoveryCodeView, RecoveryStatus, RestorePreview } from "../bindings";

export const RECOVERY_CODE: RecoveryCodeView = {
  groups: ["123453", "000000", "720885", "010010", "555555", "300003", "660660", "111111", "000011"],
  key_number: "3F9A-1C2B-7D0E-4F56",
  pages: ["iVBORw0KGgo="],
  sheet_error: null,
};

export const CODE_TEXT = RECOVERY_CODE.groups.join(" ");

export const STATUS_OLD_BACKUP: RecoveryStatus = {
  has_code: true,
  code_set_at: "2026-11-01T06:00:00+00:00",
  envelope_ok: true,
  last_backup: {
    backup_id: "b-1",
    file_name: "清风备份-530102-20261110-083000.qfbak",
    created_at: "2026-11-10T00:30:00+00:00",
    bytes: 5_400_000,
    events: 8123,
  },
  days_since_backup: 9,
  warning: "已有 9 天没有成功备份（超过规定的 7 天）。请插入备份盘并点“立即备份”，或检查备份位置是否可用。",
  backup_dir: "/media/U盘/清风备份",
  keep: 10,
  interval_hours: 24,
  warn_days: 7,
  last_error: "备份位置 /media/U盘/清风备份 不存在或无法访问。若备份到U盘，请先插好U盘；否则请重新选择备份文件夹。",
  last_attempt: "2026-11-19T01:00:00+00:00",
  due: true,
};

export const PREVIEW_OVER_NEWER: RestorePreview = {
  office_code: "530102",
  office_name: "五华区纪委监委",
  backup_created_at: "2026-11-10 08:30",
  backup_events: 8123,
  unsent_at_backup: 0,
  existing: { state: "openable", office_code: "530102", events: 8200, newer_events: 77, last_event_at: "2026-11-19 09:12" },
  needs_confirmation: true,
  notes: ["这份备份是五华区纪委监委（530102）于 2026-11-10 08:30 所做。", "注意：本机现有数据库中有 77 个事件比这份备份新。"],
};

// All Chinese names for enum values live here.
import type { OfficeLevel, Role } from "./bindings";

export const OFFICE_LEVEL_LABELS: Record<OfficeLevel, string> = {
  province: "省级",
  prefecture: "州市级",
  county: "县级",
};

export const OFFICE_LEVEL_OPTIONS: Array<{ value: OfficeLevel; label: string }> = (
  ["province", "prefecture", "county"] as const
).map((value) => ({ value, label: OFFICE_LEVEL_LABELS[value] }));

export const ROLE_LABELS: Record<Role, string> = {
  admin: "系统管理员",
  petitions: "信访室",
  supervision: "监督检查室",
  investigation: "审查调查室",
  case_management: "案件监督管理室",
  trial: "案件审理室",
  leader: "分管领导",
};

/** Display order for role tags. */
export const ROLE_ORDER: Role[] = [
  "leader",
  "admin",
  "petitions",
  "supervision",
  "investigation",
  "case_management",
  "trial",
];

export function officeLevelLabel(level: OfficeLevel | string): string {
  return OFFICE_LEVEL_LABELS[level as OfficeLevel] ?? level;
}

export function roleLabel(role: Role | string): string {
  return ROLE_LABELS[role as Role] ?? role;
}

export const WEEKDAY_LABELS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];

export const WORKING_DAY_LABEL = "工作日";
export const REST_DAY_LABEL = "休息日";
export const PROVISIONAL_CALENDAR_LABEL = "日历未收录该年，仅按周末推算";

/**
 * "2026-11-21" -> "2026年11月21日 星期六". The weekday is computed from the
 * date itself; `weekday` (ISO, 1 = Monday … 7 = Sunday) is used only if the
 * date cannot be parsed.
 */
export function formatChineseDate(date: string, weekday?: number): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(date.trim());
  if (!m) {
    const wd = weekday !== undefined && weekday >= 1 && weekday <= 7 ? WEEKDAY_LABELS[weekday % 7] : "";
    return wd ? `${date} ${wd}` : date;
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dow = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return `${y}年${mo}月${d}日 ${WEEKDAY_LABELS[dow]}`;
}

// Times as the backup screens show them: Beijing time, to the minute, in Chinese.

/** `2026-11-05T06:30:00+00:00` → `2026年11月5日 14:30` (UTC+8, whatever the machine's zone). */
export function formatStoredTime(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) return rfc3339;
  const d = new Date(t + 8 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Milliseconds since 1970 → the same form. */
export function formatMs(ms: number): string {
  return formatStoredTime(new Date(ms).toISOString());
}

/** Bytes as 兆字节 for people. */
export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

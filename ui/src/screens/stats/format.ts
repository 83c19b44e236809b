// Number and period wording of the statistics screen.

/** Per mille (an integer from the backend) as a percentage with one decimal: 125 -> "12.5%". */
export function formatPerMille(perMille: number): string {
  const n = Math.max(0, Math.round(Number(perMille) || 0));
  return `${Math.floor(n / 10)}.${n % 10}%`;
}

/** "2026-01-01 至 2026-06-30", "2026-01-01 以来", "2026-06-30 以前", "全部". */
export function periodText(from: string | null | undefined, to: string | null | undefined): string {
  if (from && to) return `${from} 至 ${to}`;
  if (from) return `${from} 以来`;
  if (to) return `${to} 以前`;
  return "全部";
}

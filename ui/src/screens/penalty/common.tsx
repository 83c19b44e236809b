// Pieces shared by the penalty-execution and rectification screens: item tags, money, files.
import { Tag } from "antd";
import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../../api";
import type { InfluencePeriod, ItemStatus, Light } from "../../bindings";
import "./penalty.css";
import { ITEM_STATUS_COLORS, ITEM_STATUS_LABELS, LIGHT_COLORS, LIGHT_LABELS } from "../../labels";

/** A yellow light for 10 days without action (DOMAIN.md §3), beside 临近 for a near date. */
export const IDLE_LABEL = "久未办理";

/** An item's countdown light; an item still waiting for the one before it has none yet. A yellow
 * light says whether it is yellow for a near date (临近) or for want of action (久未办理). */
export function ItemLight({ light, idle, testId }: { light: Light | null | undefined; idle?: boolean; testId?: string }) {
  if (!light) {
    return (
      <Tag data-light="none" data-testid={testId} className="qf-light">
        未开启
      </Tag>
    );
  }
  return (
    <Tag color={LIGHT_COLORS[light]} data-light={light} data-testid={testId} className="qf-light">
      {light === "yellow" && idle ? IDLE_LABEL : LIGHT_LABELS[light]}
    </Tag>
  );
}

export function ItemStatusTag({ status, testId }: { status: ItemStatus; testId?: string }) {
  return (
    <Tag color={ITEM_STATUS_COLORS[status]} data-status={status} data-testid={testId}>
      {ITEM_STATUS_LABELS[status]}
    </Tag>
  );
}

/** One influence period as a line: "影响期：start 起，N 个月，至 end（from when it counts）". */
export function periodText(p: InfluencePeriod): string {
  const from = p.system === "party" ? "党纪处分自批准之日起算" : "政务处分自决定之日起算";
  return `${p.label}：${p.start} 起${p.permanent ? "，永久" : `，${p.months} 个月，至 ${p.end}`}（${from}）`;
}

/** Yuan as the backend sends them (text, two decimals), shown with the unit; never parsed to a float. */
export function yuan(amount: string | null | undefined): string {
  return amount ? `${amount} 元` : "—";
}

/** Yuan to the fen: digits with at most two decimals, as the core accepts. */
export const MONEY = /^\d+(\.\d{1,2})?$/;


/** Loads a page's record with `fetch` (unless the caller already has it) and reloads it on
 * demand, keeping the last error to show. */
export function useRecord<T>(fetch: () => Promise<T>, initial?: T) {
  const [detail, setDetail] = useState<T | null>(initial ?? null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setDetail(await fetch());
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [fetch]);
  useEffect(() => {
    if (initial === undefined) void load();
  }, [load, initial]);
  return { detail, error, load };
}

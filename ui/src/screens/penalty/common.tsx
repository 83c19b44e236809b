// Pieces shared by the penalty-execution and rectification screens: item tags, money, files.
import { Tag } from "antd";
import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../../api";
import type { InfluencePeriod, ItemStatus, Light } from "../../bindings";
import "./penalty.css";
import { ITEM_STATUS_COLORS, ITEM_STATUS_LABELS, LIGHT_COLORS, LIGHT_LABELS } from "../../labels";

/** An item's countdown light; an item still waiting for the one before it has none yet. */
export function ItemLight({ light, testId }: { light: Light | null | undefined; testId?: string }) {
  if (!light) {
    return (
      <Tag data-light="none" data-testid={testId} className="qf-light">
        未开启
      </Tag>
    );
  }
  return (
    <Tag color={LIGHT_COLORS[light]} data-light={light} data-testid={testId} className="qf-light">
      {LIGHT_LABELS[light]}
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

/** A file's bytes as base64 (without the data-URL prefix). */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(new Error(`无法读取文件“${file.name}”，请确认文件没有损坏。`));
    reader.readAsDataURL(file);
  });
}

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

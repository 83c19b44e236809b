// Chart options in the app's calm style. Pure functions: tests read what they build.
import type { Count } from "../bindings";
import { LIGHT_LABELS } from "../labels";
import { FONT_FAMILY } from "../theme";
import type { ChartOption } from "./echarts";

/** Muted colours around the theme's blue (#1f5f8b). */
export const PALETTE = ["#1f5f8b", "#6b9ac4", "#5f9e8f", "#c9a35f", "#a9737a", "#8b84b0", "#9aa7b4", "#b9cfe0"];

/** The deadline lights, as on the dashboard cards. */
export const LIGHT_PALETTE = { red: "#cf1322", yellow: "#d48806", green: "#389e0d" } as const;

const TEXT = "rgba(0, 0, 0, 0.65)";
const AXIS_LINE = "#d5dbe1";
const SPLIT_LINE = "#edf0f3";

function base(): ChartOption {
  return {
    color: PALETTE,
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: TEXT },
    animationDuration: 300,
    tooltip: {
      confine: true,
      backgroundColor: "#ffffff",
      borderColor: "#d9dee4",
      textStyle: { color: "rgba(0, 0, 0, 0.85)", fontSize: 12, fontFamily: FONT_FAMILY },
    },
  };
}

const VALUE_AXIS = {
  type: "value" as const,
  minInterval: 1,
  axisLabel: { color: TEXT },
  splitLine: { lineStyle: { color: SPLIT_LINE } },
};

function monthLabel(key: string): string {
  const [y, m] = key.split("-");
  return `${y}年${Number(m)}月`;
}

function nextMonth(key: string): string {
  const [y, m] = key.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

function monthsFrom(a: string, b: string): number {
  const [ya, ma] = a.split("-").map(Number) as [number, number];
  const [yb, mb] = b.split("-").map(Number) as [number, number];
  return (yb - ya) * 12 + (mb - ma);
}

const MONTH = /^\d{4}-\d{2}$/;

/**
 * The backend lists only months that have complaints; a chart of a period
 * needs the empty months too. Fills every month from the period's start (or
 * the first month with complaints) to its end (or the last such month), never
 * past `thisMonth`.
 */
export function fillMonths(counts: Count[], from?: string | null, to?: string | null, thisMonth?: string): Count[] {
  if (counts.length === 0 || counts.some((c) => !MONTH.test(c.key))) return counts;
  const keys = counts.map((c) => c.key).sort();
  let start = keys[0]!;
  let end = keys[keys.length - 1]!;
  const f = from?.slice(0, 7);
  let t = to?.slice(0, 7);
  if (t && thisMonth && t > thisMonth) t = thisMonth;
  if (f && MONTH.test(f) && f < start) start = f;
  if (t && MONTH.test(t) && t > end) end = t;
  if (monthsFrom(start, end) > 240) {
    start = keys[0]!;
    end = keys[keys.length - 1]!;
  }
  const byKey = new Map(counts.map((c) => [c.key, c]));
  const out: Count[] = [];
  for (let k = start; k <= end; k = nextMonth(k)) {
    out.push(byKey.get(k) ?? { key: k, label: monthLabel(k), count: 0 });
  }
  return out;
}

/** Marks the month `today` (YYYY-MM-DD) falls in, when it is among `counts` and not yet over, as
 * partial: "2026年12月（截至7日）". A month three days old would otherwise read as a collapse. */
export function markPartialMonth(counts: Count[], today: string): Count[] {
  const month = today.slice(0, 7);
  const day = Number(today.slice(8, 10));
  const [y, m] = month.split("-").map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (day >= lastDay) return counts;
  return counts.map((c) => (c.key === month ? { ...c, label: `${c.label}（截至${day}日）` } : c));
}

/** Complaints received per month: a line with a light area. */
export function monthOption(counts: Count[]): ChartOption {
  // The month not yet over is the last point, and its count's label ("25（截至8日）") is centred
  // on it: without room on the right it was cut at the card's edge at 1200×800.
  const partial = counts.some((c) => c.label.includes("（截至"));
  return {
    ...base(),
    tooltip: { ...base().tooltip, trigger: "axis", valueFormatter: (v) => `${String(v)} 件` },
    grid: { left: 8, right: partial ? 56 : 16, top: 24, bottom: 8, containLabel: true },
    xAxis: {
      type: "category",
      data: counts.map((c) => c.label),
      boundaryGap: false,
      axisLine: { lineStyle: { color: AXIS_LINE } },
      axisTick: { show: false },
      axisLabel: { color: TEXT, hideOverlap: true },
    },
    yAxis: VALUE_AXIS,
    series: [
      {
        type: "line",
        name: "件数",
        symbol: "circle",
        symbolSize: 6,
        lineStyle: { width: 2 },
        areaStyle: { opacity: 0.1 },
        label: { show: counts.length <= 12, position: "top", color: TEXT },
        // A month not yet over (markPartialMonth) is drawn hollow, its count saying so.
        data: counts.map((c) =>
          c.label.includes("（截至")
            ? {
                value: c.count,
                itemStyle: { color: "#ffffff", borderWidth: 2 },
                label: { formatter: `{c}（${c.label.slice(c.label.indexOf("（截至") + 1, -1)}）` },
              }
            : c.count,
        ),
      },
    ],
  };
}

/** Shares of a whole (channels): a ring with the counts on its labels. */
export function pieOption(counts: Count[]): ChartOption {
  return {
    ...base(),
    tooltip: { ...base().tooltip, trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
    legend: { bottom: 0, icon: "circle", itemWidth: 10, itemHeight: 10, textStyle: { color: TEXT }, formatter: (name: string) => {
      const c = counts.find((x) => x.label === name);
      return c ? `${name} ${c.count}` : name;
    } },
    series: [
      {
        type: "pie",
        name: "件数",
        // The names go in the legend below and only the counts beside the ring: a name and its
        // count beside a ring in a narrow card were cut ("来信 14…").
        radius: ["38%", "62%"],
        center: ["50%", "44%"],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: "#ffffff", borderWidth: 2 },
        label: { formatter: "{c} 件", color: TEXT, overflow: "none" },
        labelLine: { length: 6, length2: 6 },
        data: counts.map((c) => ({ name: c.label, value: c.count })),
      },
    ],
  };
}

/** Height that gives each bar of a horizontal bar chart room for its label. */
export function barsHeight(n: number, min = 180): number {
  return Math.max(min, n * 26 + 48);
}

/** Counts as horizontal bars, largest first (as the backend sorts them), labels on the left. */
export function barOption(counts: Count[], color: string = PALETTE[0]!): ChartOption {
  return {
    ...base(),
    tooltip: {
      ...base().tooltip,
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (v) => `${String(v)} 件`,
    },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: VALUE_AXIS,
    yAxis: {
      type: "category",
      inverse: true,
      data: counts.map((c) => c.label),
      axisLine: { lineStyle: { color: AXIS_LINE } },
      axisTick: { show: false },
      axisLabel: { color: TEXT, width: 168, overflow: "truncate", interval: 0 },
    },
    series: [
      {
        type: "bar",
        name: "件数",
        data: counts.map((c) => c.count),
        barMaxWidth: 16,
        itemStyle: { color, borderRadius: [0, 2, 2, 0] },
        label: { show: true, position: "right", color: TEXT },
      },
    ],
  };
}

/** The dashboard's small ring of open deadlines by light, the total in the middle. */
export function lightsOption(red: number, yellow: number, green: number): ChartOption {
  const total = red + yellow + green;
  return {
    ...base(),
    tooltip: { ...base().tooltip, trigger: "item", formatter: "{b}：{c} 项（{d}%）" },
    title: {
      text: String(total),
      subtext: "项",
      left: "center",
      top: "center",
      itemGap: 0,
      textStyle: { fontSize: 16, fontWeight: 500, color: "rgba(0, 0, 0, 0.85)", fontFamily: FONT_FAMILY },
      subtextStyle: { fontSize: 11, color: TEXT, fontFamily: FONT_FAMILY },
    },
    series: [
      {
        type: "pie",
        name: "期限",
        radius: ["62%", "92%"],
        label: { show: false },
        labelLine: { show: false },
        itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
        data: [
          { name: LIGHT_LABELS.red, value: red, itemStyle: { color: LIGHT_PALETTE.red } },
          { name: LIGHT_LABELS.yellow, value: yellow, itemStyle: { color: LIGHT_PALETTE.yellow } },
          { name: LIGHT_LABELS.green, value: green, itemStyle: { color: LIGHT_PALETTE.green } },
        ],
      },
    ],
  };
}

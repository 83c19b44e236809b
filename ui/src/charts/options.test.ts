import { describe, expect, it } from "vitest";
import { STATS } from "../test/stats";
import { LIGHT_PALETTE, PALETTE, barOption, barsHeight, fillMonths, lightsOption, markPartialMonth, monthOption, pieOption } from "./options";

const first = (o: { series?: unknown }) => (Array.isArray(o.series) ? o.series[0] : o.series) as Record<string, unknown>;

describe("chart options", () => {
  it("fills the months the backend leaves out, within the period and never past this month", () => {
    const filled = fillMonths(STATS.by_month, "2025-12-15", "2026-06-30", "2026-05");
    expect(filled.map((c) => [c.label, c.count])).toEqual([
      ["2025年12月", 0],
      ["2026年1月", 10],
      ["2026年2月", 12],
      ["2026年3月", 0],
      ["2026年4月", 20],
      ["2026年5月", 0],
    ]);
    expect(fillMonths(STATS.by_month, null, null).map((c) => c.key)).toEqual(["2026-01", "2026-02", "2026-03", "2026-04"]);
    expect(fillMonths([], "2026-01-01", "2026-06-30")).toEqual([]);
    // A century-long period is not drawn month by month.
    expect(fillMonths(STATS.by_month, "1900-01-01", null)).toHaveLength(4);
  });

  it("marks the month not yet over as partial, and only that month", () => {
    const months = fillMonths(STATS.by_month, "2026-01-01", "2026-04-30", "2026-04");
    const marked = markPartialMonth(months, "2026-04-03");
    expect(marked.map((c) => c.label)).toEqual(["2026年1月", "2026年2月", "2026年3月", "2026年4月（截至3日）"]);
    expect(marked.map((c) => c.count)).toEqual(months.map((c) => c.count));
    // On the month's last day it is whole; a period ending before this month has nothing to mark.
    expect(markPartialMonth(months, "2026-04-30")).toEqual(months);
    expect(markPartialMonth(months, "2026-07-03")).toEqual(months);
    // The line draws that month hollow and says so beside its count.
    const data = first(monthOption(marked)).data as unknown[];
    expect(data.slice(0, 3)).toEqual(months.slice(0, 3).map((c) => c.count));
    expect(data[3]).toMatchObject({ value: months[3]!.count, label: { formatter: "{c}（截至3日）" } });
    // Room on the right for that label, which is centred on the last point.
    expect((monthOption(marked).grid as { right: number }).right).toBeGreaterThanOrEqual(56);
    expect((monthOption(months).grid as { right: number }).right).toBe(16);
  });

  it("names a ring's parts in its legend with their counts, so no label beside the ring is cut", () => {
    const pie = pieOption(STATS.by_channel);
    const legend = pie.legend as { formatter: (n: string) => string };
    expect(legend.formatter("来信")).toBe("来信 25");
    expect((first(pie).label as { formatter: string }).formatter).toBe("{c} 件");
  });

  it("builds lines, rings and bars from the counts with their Chinese labels", () => {
    const month = monthOption(STATS.by_month);
    expect(month.color).toEqual(PALETTE);
    expect((month.xAxis as { data: string[] }).data).toEqual(["2026年1月", "2026年2月", "2026年4月"]);
    expect(first(month)).toMatchObject({ type: "line", data: [10, 12, 20] });

    expect(first(pieOption(STATS.by_channel))).toMatchObject({
      type: "pie",
      data: [
        { name: "来信", value: 25 },
        { name: "网络", value: 17 },
      ],
    });

    const bars = barOption(STATS.by_unit);
    expect((bars.yAxis as { data: string[]; inverse: boolean }).data).toEqual(["县住建局", "某镇人民政府"]);
    expect((bars.yAxis as { inverse: boolean }).inverse).toBe(true);
    expect(first(bars)).toMatchObject({ type: "bar", data: [9, 4] });
    expect(barsHeight(20)).toBe(568);
    expect(barsHeight(1)).toBe(180);
  });

  it("colours the dashboard ring as the light cards and puts the total in the middle", () => {
    const o = lightsOption(1, 2, 3);
    expect((o.title as { text: string }).text).toBe("6");
    expect(first(o).data).toEqual([
      { name: "已逾期", value: 1, itemStyle: { color: LIGHT_PALETTE.red } },
      { name: "临近", value: 2, itemStyle: { color: LIGHT_PALETTE.yellow } },
      { name: "正常", value: 3, itemStyle: { color: LIGHT_PALETTE.green } },
    ]);
  });
});

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { emptyFilter } from "../../api";
import { SUMMARY_2 } from "../../test/complaints";
import { categoriesOf, chartProps, seriesOf } from "../../test/echart";
import { fakeInvoke, reject } from "../../test/fixtures";
import { callsOf, renderScreen } from "../../test/nav";
import { STATS, UNIT } from "../../test/stats";
import { formatPerMille, periodText } from "./format";
import { StatsScreen, UNIT_REQUIRED } from "./StatsScreen";
import type { StatsState } from "./StatsScreen";

vi.mock("../../charts/EChart", () => import("../../test/echart"));

const EXPORTED = "/home/li/Downloads/检举控告-20261120-093000.xlsx";

function setup(saved: StatsState | null = null, more: Parameters<typeof fakeInvoke>[0] = {}) {
  const { invoke, api } = fakeInvoke({
    statistics: () => STATS,
    unit_summary: () => UNIT,
    complaint_export: () => EXPORTED,
    ...more,
  });
  const onSave = vi.fn<(s: StatsState) => void>();
  const { nav } = renderScreen(<StatsScreen saved={saved} onSave={onSave} />, api);
  return { invoke, nav, onSave };
}

/** Types a date into the start (0) or end (1) box of the period and confirms it. */
function typeDate(index: 0 | 1, value: string) {
  const input = screen.getByTestId("stats-period").querySelectorAll("input")[index]!;
  fireEvent.mouseDown(input);
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: "Enter", code: "Enter", keyCode: 13 });
}

const chart = (id: string) => chartProps(screen.getByTestId(id));

describe("StatsScreen", () => {
  it("counts everything on arrival, then the chosen period; shows the totals, the overdue rate and every chart", async () => {
    const { invoke, onSave } = setup();
    expect(await screen.findByTestId("stats-total")).toHaveTextContent(/^42$/);
    expect(callsOf(invoke, "statistics")).toEqual([{ filter: { from: null, to: null } }]);
    expect(screen.getByTestId("stats-overdue-rate")).toHaveTextContent(/^12\.5%$/);
    expect(screen.getByTestId("stats-with-deadlines")).toHaveTextContent(/^40$/);
    expect(screen.getByTestId("stats-overdue")).toHaveTextContent(/^5$/);

    const month = chart("stats-chart-month");
    expect(month.label).toBe("按月件数");
    // Months of the period without complaints are drawn as zero.
    expect(categoriesOf(month)).toEqual(["2026年1月", "2026年2月", "2026年3月", "2026年4月", "2026年5月", "2026年6月"]);
    expect(seriesOf(month)).toMatchObject({ type: "line", data: [10, 12, 0, 20, 0, 0] });
    expect(seriesOf(chart("stats-chart-channel"))).toMatchObject({
      type: "pie",
      data: [
        { name: "来信", value: 25 },
        { name: "网络", value: 17 },
      ],
    });
    const category = chart("stats-chart-category");
    expect(categoriesOf(category)).toEqual(["违反廉洁纪律", "违反群众纪律"]);
    expect(seriesOf(category)).toMatchObject({ type: "bar", data: [30, 8] });
    const status = chart("stats-chart-status");
    expect(categoriesOf(status)).toEqual(["已办结", "待筛选"]);
    expect(seriesOf(status)).toMatchObject({ type: "bar", data: [22, 20] });
    const unit = chart("stats-chart-unit");
    expect(categoriesOf(unit)).toEqual(["县住建局", "某镇人民政府"]);
    expect(seriesOf(unit)).toMatchObject({ type: "bar", data: [9, 4] });

    typeDate(0, "2026-01-01");
    typeDate(1, "2026-06-30");
    fireEvent.click(screen.getByTestId("stats-query"));
    await waitFor(() => expect(callsOf(invoke, "statistics")).toHaveLength(2));
    expect(callsOf(invoke, "statistics")[1]).toEqual({ filter: { from: "2026-01-01", to: "2026-06-30" } });
    await waitFor(() =>
      expect(onSave).toHaveBeenLastCalledWith(expect.objectContaining({ period: { from: "2026-01-01", to: "2026-06-30" } })),
    );
  });

  it("shows the backend's message when the statistics cannot be counted", async () => {
    setup(null, { statistics: () => reject("invalid", "统计起始日期 2026-07-01 晚于截止日期 2026-06-30，请调整。") });
    expect(await screen.findByTestId("stats-error")).toHaveTextContent("统计起始日期 2026-07-01 晚于截止日期 2026-06-30，请调整。");
    expect(screen.getByTestId("stats-total")).toHaveTextContent("—");
  });

  it("summarizes a unit by its trimmed name, lists the people and opens a complaint from the table", async () => {
    const { invoke, nav } = setup();
    await screen.findByTestId("stats-total");
    fireEvent.click(screen.getByTestId("stats-unit-submit"));
    expect(await screen.findByTestId("stats-unit-error")).toHaveTextContent(UNIT_REQUIRED);
    expect(callsOf(invoke, "unit_summary")).toHaveLength(0);

    const input = screen.getByTestId("stats-unit-input");
    expect(input.tagName).toBe("INPUT");
    fireEvent.change(input, { target: { value: "  住建局 " } });
    fireEvent.click(screen.getByTestId("stats-unit-submit"));
    const result = await screen.findByTestId("stats-unit-result");
    expect(callsOf(invoke, "unit_summary")).toEqual([{ unit: "住建局" }]);
    expect(result).toHaveTextContent("被反映单位名称含“住建局”的检举控告共 2 件");
    const people = within(result).getByTestId("stats-unit-people");
    expect(people).toHaveTextContent("王五（局长）2 件");
    expect(people).toHaveTextContent("赵六（副局长）1 件");
    expect(within(result).getByTestId("stats-unit-status")).toHaveTextContent("谈话函询中1 件");
    expect(within(result).getByTestId("stats-unit-categories")).toHaveTextContent("违反廉洁纪律2 件");
    const rows = within(result).getAllByTestId("stats-unit-row");
    expect(rows).toHaveLength(2);
    fireEvent.click(rows[1]!);
    expect(nav.go).toHaveBeenCalledWith({ page: "complaint", id: SUMMARY_2.id });

    // A bar of the unit chart summarizes that unit too.
    chart("stats-chart-unit").onClick?.({ name: "县住建局", dataIndex: 0, value: 9 });
    await waitFor(() => expect(callsOf(invoke, "unit_summary")).toEqual([{ unit: "住建局" }, { unit: "县住建局" }]));
  });

  it("exports the chosen period's complaints as Excel or CSV and shows where the file went", async () => {
    const { invoke } = setup(null, {
      complaint_export: (args) =>
        (args as { format: string }).format === "csv" ? reject("io", "无法写入导出文件") : EXPORTED,
    });
    await screen.findByTestId("stats-total");
    expect(screen.getByTestId("stats-export-note")).toHaveTextContent("检举人身份已屏蔽，导出记录已留痕");
    typeDate(0, "2026-01-01");
    typeDate(1, "2026-06-30");
    fireEvent.click(screen.getByTestId("stats-export-xlsx"));
    expect(await screen.findByTestId("stats-export-result")).toHaveTextContent(`已导出到 ${EXPORTED}`);
    expect(callsOf(invoke, "complaint_export")).toEqual([
      { filter: { ...emptyFilter(), received_from: "2026-01-01", received_to: "2026-06-30" }, format: "xlsx" },
    ]);
    fireEvent.click(screen.getByTestId("stats-export-csv"));
    expect(await screen.findByTestId("stats-export-error")).toHaveTextContent("无法写入导出文件");
    expect(callsOf(invoke, "complaint_export")[1]).toMatchObject({ format: "csv" });
    expect(screen.queryByTestId("stats-export-result")).toBeNull();
  });

  it("comes back with the period and unit it was left with, reading both again", async () => {
    const saved: StatsState = { period: { from: "2026-01-01", to: null }, stats: STATS, unit: "住建局", summary: UNIT };
    const { invoke } = setup(saved);
    expect(screen.getByTestId("stats-unit-result")).toBeInTheDocument();
    expect(screen.getByTestId("stats-unit-input")).toHaveValue("住建局");
    await waitFor(() => expect(callsOf(invoke, "unit_summary")).toEqual([{ unit: "住建局" }]));
    expect(callsOf(invoke, "statistics")).toEqual([{ filter: { from: "2026-01-01", to: null } }]);
    expect(screen.getByTestId("stats-period").querySelectorAll("input")[0]).toHaveValue("2026-01-01");
  });

  it("formats per mille and periods", () => {
    expect(formatPerMille(125)).toBe("12.5%");
    expect(formatPerMille(0)).toBe("0.0%");
    expect(formatPerMille(7)).toBe("0.7%");
    expect(formatPerMille(1000)).toBe("100.0%");
    expect(periodText("2026-01-01", "2026-06-30")).toBe("2026-01-01 至 2026-06-30");
    expect(periodText("2026-01-01", null)).toBe("2026-01-01 以来");
    expect(periodText(null, "2026-06-30")).toBe("2026-06-30 以前");
    expect(periodText(null, null)).toBe("全部");
  });
});
